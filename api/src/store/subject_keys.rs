//! The `subject_keys` table (crypto-shredding, `crate::personal`): one data key per data subject, created when their
//! first value is sealed and destroyed when they are erased.

use std::collections::HashMap;

use chrono::{SecondsFormat, Utc};

use super::{Database, StoreError, database::on_pool};

/// A subject's key row as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoredKey {
    /// The key, as [`super::cipher::store_key`] wrote it.
    Present(String),
    /// The subject was erased: the key is gone.
    Erased,
}

fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// The subject's key row, creating it with `new_key` (a stored key) if there is
/// none. Two callers racing on a new subject agree on the one that was inserted.
pub async fn get_or_insert(db: &Database, subject: &str, new_key: &str) -> Result<StoredKey, StoreError> {
    let insert = "INSERT INTO subject_keys (subject_id, key, created_at) VALUES ($1, $2, $3) \
                  ON CONFLICT (subject_id) DO NOTHING";
    let at = now();
    on_pool!(db, pool => {
        sqlx::query(insert).bind(subject).bind(new_key).bind(&at).execute(pool).await.map(|_| ())
    })?;
    let found = fetch(db, &[subject]).await?;
    found
        .get(subject)
        .cloned()
        .ok_or_else(|| StoreError::Inconsistent(format!("the key of subject {subject} vanished")))
}

/// The key rows of `subjects` that exist.
pub async fn fetch(db: &Database, subjects: &[&str]) -> Result<HashMap<String, StoredKey>, StoreError> {
    if subjects.is_empty() {
        return Ok(HashMap::new());
    }
    let placeholders: Vec<String> = (1..=subjects.len()).map(|n| format!("${n}")).collect();
    let sql =
        format!("SELECT subject_id, key FROM subject_keys WHERE subject_id IN ({})", placeholders.join(", "));
    let rows: Vec<(String, Option<String>)> = on_pool!(db, pool => {
        let mut query = sqlx::query_as(&sql);
        for subject in subjects {
            query = query.bind(*subject);
        }
        query.fetch_all(pool).await
    })?;
    Ok(rows
        .into_iter()
        .map(|(subject, key)| (subject, key.map_or(StoredKey::Erased, StoredKey::Present)))
        .collect())
}

/// Destroys the subject's key, keeping the row (with when it was erased) so
/// nothing is ever sealed for them again. Idempotent: erasing again keeps the
/// first time.
pub async fn erase(db: &Database, subject: &str) -> Result<(), StoreError> {
    let at = now();
    let erase = "INSERT INTO subject_keys (subject_id, key, created_at, erased_at) VALUES ($1, NULL, $2, $2) \
                 ON CONFLICT (subject_id) DO UPDATE SET key = NULL, \
                 erased_at = COALESCE(subject_keys.erased_at, excluded.erased_at)";
    on_pool!(db, pool => sqlx::query(erase).bind(subject).bind(&at).execute(pool).await.map(|_| ()))?;
    Ok(())
}
