//! The export's events: a group's chain links and the log's events read as two
//! ordered streams and walked side by side, instead of a join that looks each
//! link's event up by key (on PostgreSQL a million index lookups, most of an
//! export's time). The walk works because the chain follower links a group's
//! events in the log's global order, so the links, in log position order,
//! name the group's events in the order the log holds them; events of other
//! groups are passed over.
//!
//! A link whose event is not where that order puts it (a log that was
//! tampered with, or an event deleted) ends the walk; from there on the
//! entries are read as before, a page at a time by key, so such a log still
//! exports exactly as it stands and `verify` reports what is wrong with it.
//! SQLite reads every page by key (see `write_lines`).

use futures::{Stream, TryStreamExt as _, stream};
use sqlx::{Row as _, postgres::PgRow};
use tokio::sync::mpsc;

use super::{
    Database, StoreError,
    chain::{LOG_PAGE, read_log_range},
    event_row::EventRow,
    projector::PG_LOG_AFTER,
};
use crate::audit::export::{ExportText, StoredEventText, event_text};

/// Lines written before they are handed to the reader.
const BATCH: usize = 1_024;
/// Batches written ahead of the reader.
const QUEUED_BATCHES: usize = 8;

/// A group's chain link, without its event, borrowing its text from its row.
struct Link<'r> {
    log_position: i64,
    aggregate_type: &'r str,
    aggregate_id: &'r str,
    sequence: i64,
    hash: &'r str,
}

impl<'r> Link<'r> {
    /// Reads a row of [`LINKS`], whose columns are these fields in this order
    /// (by position, as [`EventRow::from_row`] does, for the same reason).
    fn from_row(row: &'r PgRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            log_position: row.try_get_unchecked(0)?,
            aggregate_type: row.try_get_unchecked(1)?,
            aggregate_id: row.try_get_unchecked(2)?,
            sequence: row.try_get_unchecked(3)?,
            hash: row.try_get_unchecked(4)?,
        })
    }

    fn names(&self, event: &EventRow<'_>) -> bool {
        self.sequence == event.sequence
            && self.aggregate_id == event.aggregate_id
            && self.aggregate_type == event.aggregate_type
    }

    /// The export line of this link and its event, written from their rows' text.
    fn line(&self, event: &EventRow<'_>) -> ExportText {
        event_text(&StoredEventText {
            position: self.log_position as u64,
            record_type: self.aggregate_type,
            record_id: self.aggregate_id,
            sequence: self.sequence as u64,
            event_type: event.event_type,
            event_version: event.event_version,
            payload: event.payload,
            metadata: event.metadata,
            hash: self.hash,
        })
    }
}

const LINKS: &str = "SELECT log_position, aggregate_type, aggregate_id, sequence, hash \
     FROM event_chain WHERE group_id = $1 AND log_position <= $2 ORDER BY log_position";

/// The export lines of `group`'s first `events` chained events, in order.
/// They are read and written on a task of their own, a few batches ahead of
/// the caller.
pub(crate) fn chained_event_lines(
    db: Database,
    group: String,
    events: i64,
) -> impl Stream<Item = Result<ExportText, StoreError>> {
    let (lines, written) = mpsc::channel(QUEUED_BATCHES);
    tokio::spawn(async move {
        if let Err(error) = write_lines(&db, &group, events, &lines).await {
            // Nobody to tell if the reader is gone.
            let _ = lines.send(Err(error)).await;
        }
    });
    stream::unfold(written, |mut written| async move { written.recv().await.map(|batch| (batch, written)) })
        .map_ok(|batch: Vec<ExportText>| stream::iter(batch.into_iter().map(Ok)))
        .try_flatten()
}

type Lines = mpsc::Sender<Result<Vec<ExportText>, StoreError>>;

async fn write_lines(db: &Database, group: &str, events: i64, lines: &Lines) -> Result<(), StoreError> {
    let mut batch = Vec::with_capacity(BATCH);
    // On SQLite a lookup by key is a B-tree search in this process, cheaper
    // than a second stream over the log (66,000 against 47,000 events/s at
    // a million events), so only PostgreSQL walks.
    let mut walked = 0;
    if let Database::Postgres(pool) = db {
        // Both read borrowing from their rows: a line is written from the
        // stored text, so nothing of an event needs a string of its own.
        let mut links = sqlx::query(LINKS).bind(group).bind(events).fetch(pool);
        let mut log = sqlx::query(PG_LOG_AFTER).bind(0_i64).bind(0_i64).fetch(pool);
        'links: while let Some(link) = links.try_next().await? {
            let link = Link::from_row(&link)?;
            while let Some(event) = log.try_next().await? {
                let event = EventRow::from_row(&event)?;
                if link.names(&event) {
                    walked = link.log_position;
                    batch.push(link.line(&event));
                    if batch.len() == BATCH {
                        hand_on(lines, &mut batch).await?;
                    }
                    continue 'links;
                }
            }
            break; // the log has no more events in the links' order
        }
    }
    // Whatever the walk could not pair, read by key as it stands.
    let mut after = walked;
    while after < events {
        let until = (after + LOG_PAGE).min(events);
        for entry in read_log_range(db, group, after, until).await? {
            batch.push(entry.export_text()?);
        }
        hand_on(lines, &mut batch).await?;
        after = until;
    }
    hand_on(lines, &mut batch).await
}

async fn hand_on(lines: &Lines, batch: &mut Vec<ExportText>) -> Result<(), StoreError> {
    let full = std::mem::replace(batch, Vec::with_capacity(BATCH));
    if full.is_empty() {
        return Ok(());
    }
    lines.send(Ok(full)).await.map_err(|_| StoreError::Inconsistent("the export's reader has gone".into()))
}
