//! One pass over the whole log as it stood when the pass began, in the
//! projector's global order, for readers that fold every event themselves
//! (a rebuild, the publisher's replay, a point-in-time register).

use futures::TryStreamExt as _;

use super::{
    Database, GlobalPosition, StoreError,
    database::on_pool,
    event_row::EventRow,
    projector::{PG_LOG_AFTER, SQLITE_LOG_AFTER, log_head},
};

/// How long to wait before reading again while an older PostgreSQL
/// transaction is still open.
const OPEN_TRANSACTION_WAIT: std::time::Duration = std::time::Duration::from_millis(5);

/// Hands `visit` every event after `from` committed before the call, in
/// order (each borrowing its row, which is dropped once `visit` returns), and returns the position of the last one (`from` if there is none).
///
/// Each read is one query streamed row by row, not pages of `LIMIT n`: a
/// page after a position makes PostgreSQL sort (or scan) everything after it
/// again, so paging through a large log costs the square of its length.
///
/// PostgreSQL only shows a reader transactions below the oldest one still
/// open anywhere in the cluster, so the newest events can be hidden for a
/// moment behind an unrelated transaction; the pass waits for them rather
/// than stopping short of an event its caller has already seen committed.
pub(crate) async fn each_committed_event(
    db: &Database,
    from: GlobalPosition,
    mut visit: impl FnMut(EventRow<'_>) -> Result<(), StoreError>,
) -> Result<GlobalPosition, StoreError> {
    let head = log_head(db).await?;
    let sql = match db {
        Database::Postgres(_) => PG_LOG_AFTER,
        Database::Sqlite(_) => SQLITE_LOG_AFTER,
    };
    let mut reached = from;
    while reached < head {
        let before = reached;
        on_pool!(db, pool => {
            let mut rows = sqlx::query(sql)
                .bind(reached.transaction_id)
                .bind(reached.position)
                .fetch(pool);
            while let Some(row) = rows.try_next().await? {
                let event = EventRow::from_row(&row)?;
                reached = event.global_position();
                visit(event)?;
            }
        });
        if reached == before {
            tokio::time::sleep(OPEN_TRANSACTION_WAIT).await;
        }
    }
    Ok(reached)
}
