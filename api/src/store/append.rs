//! Appends a command's events to the log together with the record's new
//! read-model row, in one transaction.
//!
//! Writing the row with the events (rather than leaving it to the projector)
//! means a command needs no wait and no second transaction before it can
//! answer, and a crash can never separate an event from its projection. The
//! projector still follows the log, to rebuild the read model and to project
//! events that reached the log another way; its upserts never move a row back
//! to an older version.

use std::collections::HashMap;

use cqrs_es::DomainEvent;

use super::{Database, StoreError, projector};
use crate::domain::Record;

/// Why an append failed.
#[derive(Debug, thiserror::Error)]
pub(crate) enum AppendError {
    /// Another writer appended to the record first (its sequence is taken).
    #[error("another writer appended to the record first")]
    Conflict,
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for AppendError {
    fn from(error: sqlx::Error) -> Self {
        let taken = error.as_database_error().is_some_and(|e| e.is_unique_violation());
        if taken { Self::Conflict } else { Self::Store(StoreError::Database(error)) }
    }
}

impl From<serde_json::Error> for AppendError {
    fn from(error: serde_json::Error) -> Self {
        Self::Store(error.into())
    }
}

/// One event, ready to insert.
struct NewEvent {
    sequence: i64,
    event_type: String,
    event_version: String,
    payload: serde_json::Value,
}

const INSERT_EVENT: &str = "INSERT INTO events \
     (aggregate_type, aggregate_id, sequence, event_type, event_version, payload, metadata) \
     VALUES ($1, $2, $3, $4, $5, $6, $7)";

/// Inserts the events and upserts the record's row in one transaction.
/// `$begin` opens it: on SQLite `BEGIN IMMEDIATE` takes the write lock up front
/// (waiting out the busy timeout), so the transaction never fails half-way on
/// a lock upgrade.
macro_rules! append_in {
    ($pool:expr, $begin:expr, $record_type:expr, $id:expr, $events:expr, $metadata:expr, $row:expr) => {{
        let mut tx = $begin.await?;
        for event in $events {
            sqlx::query(INSERT_EVENT)
                .bind($record_type)
                .bind($id)
                .bind(event.sequence)
                .bind(&event.event_type)
                .bind(&event.event_version)
                .bind(&event.payload)
                .bind($metadata)
                .execute(&mut *tx)
                .await?;
        }
        projector::upsert_record!(&mut *tx, $row);
        tx.commit().await?;
    }};
}

/// Appends `events` to record `id` (which stood at sequence `current` before
/// them), stamped with `metadata` and recorded at `recorded_at` (RFC 3339), and
/// writes the row of `record`, the state after them. Returns the record's new
/// version.
///
/// `record` must already include the events: cqrs-es's `EventSink::write`
/// applies each event to the aggregate as `handle` emits it.
pub(crate) async fn append<A: Record>(
    db: &Database,
    id: &str,
    record: &A,
    current: usize,
    events: Vec<A::Event>,
    metadata: &HashMap<String, String>,
    recorded_at: &str,
) -> Result<u64, AppendError> {
    let mut version = current as i64;
    let mut rows = Vec::with_capacity(events.len());
    for event in events {
        version += 1;
        rows.push(NewEvent {
            sequence: version,
            event_type: event.event_type(),
            event_version: event.event_version(),
            payload: serde_json::to_value(&event)?,
        });
    }
    let metadata = serde_json::to_value(metadata)?;
    let projected = projector::project(record, id)?;
    let row = projector::RecordRow {
        record_type: A::TYPE,
        record_id: id,
        version,
        projected: &projected,
        created_at: recorded_at,
        updated_at: recorded_at,
    };
    match db {
        Database::Postgres(pool) => append_in!(pool, pool.begin(), A::TYPE, id, &rows, &metadata, &row),
        Database::Sqlite(pool) => {
            append_in!(pool, pool.begin_with("BEGIN IMMEDIATE"), A::TYPE, id, &rows, &metadata, &row)
        }
    }
    Ok(version as u64)
}
