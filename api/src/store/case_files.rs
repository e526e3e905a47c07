//! Files attached to cases (`case_files`): each case's files by the SHA-256
//! of their content, the bytes stored as sealed under the case's key
//! (`PersonalData::seal_bytes`); this module never sees them in the clear.

use super::{Database, StoreError, database::on_pool};
use crate::domain::GroupId;

/// A case's file to store, already sealed.
#[derive(Debug)]
pub struct NewCaseFile<'a> {
    /// The case's group.
    pub group_id: &'a GroupId,
    /// The case.
    pub case_id: &'a str,
    /// The SHA-256 of the content in the clear.
    pub sha256: &'a str,
    /// The size of the content in the clear.
    pub size: u64,
    /// The content, sealed.
    pub sealed: &'a [u8],
    /// Who uploaded it (a token subject).
    pub uploaded_by: &'a str,
}

/// Stores `file` unless the case holds the same content already.
pub async fn put(db: &Database, file: NewCaseFile<'_>, now: &str) -> Result<(), StoreError> {
    let size = i64::try_from(file.size)
        .map_err(|_| StoreError::Inconsistent("a file larger than 2^63 bytes".into()))?;
    on_pool!(db, pool => {
        sqlx::query(
            "INSERT INTO case_files (group_id, case_id, sha256, size, content, uploaded_at, uploaded_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (case_id, sha256) DO NOTHING",
        )
        .bind(file.group_id.as_str())
        .bind(file.case_id)
        .bind(file.sha256)
        .bind(size)
        .bind(file.sealed)
        .bind(now)
        .bind(file.uploaded_by)
        .execute(pool)
        .await
        .map(drop)
    })?;
    Ok(())
}

/// The sealed content of the case's file, if the case holds it.
pub async fn sealed_content(
    db: &Database,
    group: &GroupId,
    case_id: &str,
    sha256: &str,
) -> Result<Option<Vec<u8>>, StoreError> {
    let row: Option<(Vec<u8>,)> = on_pool!(db, pool => {
        sqlx::query_as("SELECT content FROM case_files WHERE group_id = $1 AND case_id = $2 AND sha256 = $3")
            .bind(group.as_str())
            .bind(case_id)
            .bind(sha256)
            .fetch_optional(pool)
            .await
    })?;
    Ok(row.map(|(content,)| content))
}

/// Deletes the case's files: once its key is destroyed they can never be
/// opened, and need not take up room.
pub async fn remove_all(db: &Database, case_id: &str) -> Result<(), StoreError> {
    on_pool!(db, pool => {
        sqlx::query("DELETE FROM case_files WHERE case_id = $1").bind(case_id).execute(pool).await.map(drop)
    })?;
    Ok(())
}
