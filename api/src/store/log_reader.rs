//! One pass over the whole log as it stood when the pass began, in the
//! projector's global order, for readers that fold every event themselves
//! (a rebuild, the publisher's replay, a point-in-time register).

use super::{
    Database, GlobalPosition, StoreError,
    database::on_pool,
    projector::{LoggedEvent, PG_LOG_AFTER, SQLITE_LOG_AFTER, log_head},
};

/// How many events one read of the log takes.
const READ_BATCH: i64 = 10_000;

/// How long to wait before reading again while an older PostgreSQL
/// transaction is still open.
const OPEN_TRANSACTION_WAIT: std::time::Duration = std::time::Duration::from_millis(5);

/// Hands `visit` every event after `from` committed before the call, in
/// order, and returns the position of the last one (`from` if there is none).
///
/// PostgreSQL only shows a reader transactions below the oldest one still
/// open anywhere in the cluster, so the newest events can be hidden for a
/// moment behind an unrelated transaction; the pass waits for them rather
/// than stopping short of an event its caller has already seen committed.
pub(crate) async fn each_committed_event(
    db: &Database,
    from: GlobalPosition,
    mut visit: impl FnMut(LoggedEvent) -> Result<(), StoreError>,
) -> Result<GlobalPosition, StoreError> {
    let head = log_head(db).await?;
    let sql = match db {
        Database::Postgres(_) => PG_LOG_AFTER,
        Database::Sqlite(_) => SQLITE_LOG_AFTER,
    };
    let mut reached = from;
    while reached < head {
        let batch: Vec<LoggedEvent> = on_pool!(db, pool => {
            sqlx::query_as(sql)
                .bind(reached.transaction_id)
                .bind(reached.position)
                .bind(READ_BATCH)
                .fetch_all(pool)
                .await
        })?;
        if batch.is_empty() {
            tokio::time::sleep(OPEN_TRANSACTION_WAIT).await;
            continue;
        }
        for event in batch {
            reached = event.global_position();
            visit(event)?;
        }
    }
    Ok(reached)
}
