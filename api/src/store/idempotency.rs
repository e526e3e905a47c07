//! Idempotency-Key records, shared by every api process through the database.
//! A key is claimed before the command runs and holds the first answer after,
//! so a retry with the same key records nothing new and gets that answer.

use std::time::Duration;

use chrono::{SecondsFormat, Utc};

use super::{Database, StoreError, database::on_pool};
use crate::domain::GroupId;

/// The answer stored for a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAnswer {
    /// The HTTP status.
    pub status: u16,
    /// The response body.
    pub body: String,
    /// The `Location` header, if any.
    pub location: Option<String>,
    /// The `ETag` header, if any.
    pub etag: Option<String>,
}

/// What claiming a key found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// The key is new: run the command.
    Fresh,
    /// The key was used for this same request: here is its answer.
    Replay(StoredAnswer),
    /// The key was used for a different request.
    Mismatch,
    /// A request with this key is still running.
    InProgress,
}

/// Who owns a key: keys are scoped to a group and the caller within it.
#[derive(Debug, Clone, Copy)]
pub struct KeyOwner<'a> {
    /// The caller's group.
    pub group_id: &'a GroupId,
    /// The caller.
    pub actor: &'a str,
    /// The client's key.
    pub key: &'a str,
}

/// A claim left unanswered this long belonged to a process that died: another
/// request may take it over.
const ABANDONED_AFTER: Duration = Duration::from_secs(60);

fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// Claims `owner`'s key for a request with `fingerprint`.
pub async fn claim(db: &Database, owner: KeyOwner<'_>, fingerprint: &str) -> Result<Claim, StoreError> {
    let inserted = on_pool!(db, pool => {
        sqlx::query(
            "INSERT INTO idempotency_keys (group_id, actor, key, fingerprint, created_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (group_id, actor, key) DO NOTHING",
        )
        .bind(owner.group_id.as_str()).bind(owner.actor).bind(owner.key).bind(fingerprint).bind(now())
        .execute(pool).await.map(|r| r.rows_affected())
    })?;
    if inserted == 1 {
        return Ok(Claim::Fresh);
    }
    type Row = (String, Option<i64>, Option<String>, Option<String>, Option<String>, String);
    let (stored_fingerprint, status, body, location, etag, created_at): Row = on_pool!(db, pool => {
        sqlx::query_as(
            "SELECT fingerprint, status, response_body, location, etag, created_at \
             FROM idempotency_keys WHERE group_id = $1 AND actor = $2 AND key = $3",
        )
        .bind(owner.group_id.as_str()).bind(owner.actor).bind(owner.key)
        .fetch_one(pool).await
    })?;
    if stored_fingerprint != fingerprint {
        return Ok(Claim::Mismatch);
    }
    match (status, body) {
        (Some(status), Some(body)) => Ok(Claim::Replay(StoredAnswer {
            status: u16::try_from(status).map_err(|_| StoreError::Inconsistent("status".into()))?,
            body,
            location,
            etag,
        })),
        _ => take_over_if_abandoned(db, owner, &created_at).await,
    }
}

/// The answer already stored for `owner`'s key, if it was for a request with
/// `fingerprint` and has been answered; nothing is claimed.
pub async fn answered(
    db: &Database,
    owner: KeyOwner<'_>,
    fingerprint: &str,
) -> Result<Option<StoredAnswer>, StoreError> {
    type Row = (i64, String, Option<String>, Option<String>);
    let row: Option<Row> = on_pool!(db, pool => {
        sqlx::query_as(
            "SELECT status, response_body, location, etag FROM idempotency_keys \
             WHERE group_id = $1 AND actor = $2 AND key = $3 AND fingerprint = $4 AND status IS NOT NULL",
        )
        .bind(owner.group_id.as_str()).bind(owner.actor).bind(owner.key).bind(fingerprint)
        .fetch_optional(pool).await
    })?;
    row.map(|(status, body, location, etag)| {
        let status = u16::try_from(status).map_err(|_| StoreError::Inconsistent("status".into()))?;
        Ok(StoredAnswer { status, body, location, etag })
    })
    .transpose()
}

async fn take_over_if_abandoned(
    db: &Database,
    owner: KeyOwner<'_>,
    created_at: &str,
) -> Result<Claim, StoreError> {
    let abandoned = chrono::DateTime::parse_from_rfc3339(created_at)
        .map(|at| Utc::now().signed_duration_since(at).to_std().unwrap_or_default() > ABANDONED_AFTER)
        .unwrap_or(true);
    if !abandoned {
        return Ok(Claim::InProgress);
    }
    // Only one of several retries racing for an abandoned key wins it.
    let taken = on_pool!(db, pool => {
        sqlx::query(
            "UPDATE idempotency_keys SET created_at = $4 \
             WHERE group_id = $1 AND actor = $2 AND key = $3 AND created_at = $5 AND status IS NULL",
        )
        .bind(owner.group_id.as_str()).bind(owner.actor).bind(owner.key).bind(now()).bind(created_at)
        .execute(pool).await.map(|r| r.rows_affected())
    })?;
    Ok(if taken == 1 { Claim::Fresh } else { Claim::InProgress })
}

/// Stores the answer to a claimed key.
pub async fn complete(db: &Database, owner: KeyOwner<'_>, answer: &StoredAnswer) -> Result<(), StoreError> {
    on_pool!(db, pool => {
        sqlx::query(
            "UPDATE idempotency_keys SET status = $4, response_body = $5, location = $6, etag = $7 \
             WHERE group_id = $1 AND actor = $2 AND key = $3",
        )
        .bind(owner.group_id.as_str()).bind(owner.actor).bind(owner.key)
        .bind(i64::from(answer.status)).bind(&answer.body).bind(&answer.location).bind(&answer.etag)
        .execute(pool).await.map(|_| ())
    })?;
    Ok(())
}

/// Releases a claimed key whose request failed without changing anything, so
/// the client can retry with it.
pub async fn release(db: &Database, owner: KeyOwner<'_>) -> Result<(), StoreError> {
    on_pool!(db, pool => {
        sqlx::query(
            "DELETE FROM idempotency_keys \
             WHERE group_id = $1 AND actor = $2 AND key = $3 AND status IS NULL",
        )
        .bind(owner.group_id.as_str()).bind(owner.actor).bind(owner.key)
        .execute(pool).await.map(|_| ())
    })?;
    Ok(())
}
