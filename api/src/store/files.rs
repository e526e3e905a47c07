//! Stored files (`stored_files`): content-addressed by SHA-256 within a group,
//! written once and never changed. The first upload of some content fixes its
//! name, media type and classification; the same bytes again are the same file.

use sha2::{Digest, Sha256};

use super::{Database, StoreError, database::on_pool};
use crate::domain::{Classification, GroupId};

/// What is known about a stored file, without its content.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct FileMeta {
    /// The SHA-256 of its content (64 lowercase hex digits).
    pub sha256: String,
    /// Its file name.
    pub name: String,
    /// Its media type.
    pub media_type: String,
    /// Its size in bytes.
    pub size: i64,
    /// Who may read it (`public`, `group`, ...).
    pub classification: String,
}

/// A file to store.
#[derive(Debug)]
pub struct NewFile<'a> {
    /// The owning group.
    pub group_id: &'a GroupId,
    /// Its file name.
    pub name: &'a str,
    /// Its media type.
    pub media_type: &'a str,
    /// Who may read it.
    pub classification: Classification,
    /// Who uploaded it (a token subject).
    pub uploaded_by: &'a str,
    /// The bytes.
    pub content: &'a [u8],
}

const META: &str = "SELECT sha256, name, media_type, size, classification FROM stored_files \
                    WHERE group_id = $1 AND sha256 = $2";

/// Stores `file` unless the group already holds the same bytes, and returns
/// the stored file's description (the first upload's, if it was there).
pub async fn put(db: &Database, file: NewFile<'_>, now: &str) -> Result<FileMeta, StoreError> {
    let sha256 = hex::encode(Sha256::digest(file.content));
    let size = i64::try_from(file.content.len())
        .map_err(|_| StoreError::Inconsistent("a file larger than 2^63 bytes".into()))?;
    on_pool!(db, pool => {
        sqlx::query(
            "INSERT INTO stored_files (group_id, sha256, name, media_type, size, classification, content, \
             uploaded_at, uploaded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
             ON CONFLICT (group_id, sha256) DO NOTHING",
        )
        .bind(file.group_id.as_str())
        .bind(&sha256)
        .bind(file.name)
        .bind(file.media_type)
        .bind(size)
        .bind(file.classification.as_str())
        .bind(file.content)
        .bind(now)
        .bind(file.uploaded_by)
        .execute(pool)
        .await
        .map(|_| ())
    })?;
    meta(db, file.group_id, &sha256)
        .await?
        .ok_or_else(|| StoreError::Inconsistent(format!("stored file {sha256} vanished")))
}

/// A stored file's description, if the group holds it.
pub async fn meta(db: &Database, group: &GroupId, sha256: &str) -> Result<Option<FileMeta>, StoreError> {
    Ok(on_pool!(db, pool => {
        sqlx::query_as(META).bind(group.as_str()).bind(sha256).fetch_optional(pool).await
    })?)
}

/// A stored file's content, if the group holds it.
pub async fn content(db: &Database, group: &GroupId, sha256: &str) -> Result<Option<Vec<u8>>, StoreError> {
    let row: Option<(Vec<u8>,)> = on_pool!(db, pool => {
        sqlx::query_as("SELECT content FROM stored_files WHERE group_id = $1 AND sha256 = $2")
            .bind(group.as_str())
            .bind(sha256)
            .fetch_optional(pool)
            .await
    })?;
    Ok(row.map(|(content,)| content))
}
