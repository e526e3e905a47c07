//! Folding a whole log on more than one core: the records are shared out
//! among threads by id, so every thread sees each of its records' events in
//! log order, and the thread reading the log only decodes rows and hands them
//! on. Each thread then makes and sorts its own rows; the sorted runs are
//! merged at the end.

use std::{
    cmp::Ordering,
    collections::HashMap,
    hash::BuildHasher as _,
    sync::mpsc::{SyncSender, sync_channel},
    thread::JoinHandle,
};

use super::{
    StoreError,
    projector::{LoggedEvent, PROJECTIONS},
    rebuild::{Fold, FoldedRow},
};

/// How many threads fold (the reader is a third, mostly waiting on the store).
const THREADS: usize = 2;
/// Events handed to a thread at a time.
const BATCH: usize = 512;
/// Batches a thread may have waiting before the reader waits for it.
const QUEUED_BATCHES: usize = 8;

/// The order rows are written in: `records_by_group`'s. Every index of
/// `records` leads with the group or the record type, so each index build
/// then finds its input all but sorted, and the table's rows lie in the order
/// lists read them.
fn row_order(a: &FoldedRow, b: &FoldedRow) -> Ordering {
    (&a.projected.group_id, a.record_type, &a.created_at, &a.record_id).cmp(&(
        &b.projected.group_id,
        b.record_type,
        &b.created_at,
        &b.record_id,
    ))
}

/// The threads folding one log.
pub(crate) struct FoldThreads {
    threads: Vec<FoldThread>,
    shard: foldhash::fast::FixedState,
}

struct FoldThread {
    events: SyncSender<Vec<LoggedEvent>>,
    pending: Vec<LoggedEvent>,
    rows: JoinHandle<Result<Vec<FoldedRow>, StoreError>>,
}

impl FoldThreads {
    pub(crate) fn start() -> Self {
        Self { threads: (0..THREADS).map(|_| FoldThread::start()).collect(), shard: Default::default() }
    }

    /// Hands `event` to the thread that folds its record. Blocks while that
    /// thread is [`QUEUED_BATCHES`] behind: the reader then waits as it would
    /// if it folded the event itself.
    pub(crate) fn fold(&mut self, event: LoggedEvent) -> Result<(), StoreError> {
        let index = self.shard.hash_one(event.aggregate_id.as_str()) as usize % self.threads.len();
        self.threads[index].fold(event)
    }

    /// Waits for every thread, and returns all their rows in [`row_order`].
    /// A thread's own error comes before the reader's `read` error, which it
    /// explains (the reader stops when a thread does).
    pub(crate) fn finish<T>(self, read: Result<T, StoreError>) -> Result<(T, Vec<FoldedRow>), StoreError> {
        let mut rows = Vec::new();
        for thread in self.threads {
            rows.extend(thread.finish()?);
        }
        let read = read?;
        // The stable sort finds the threads' sorted runs and merges them.
        rows.sort_by(row_order);
        Ok((read, rows))
    }
}

impl FoldThread {
    fn start() -> Self {
        let (events, received) = sync_channel::<Vec<LoggedEvent>>(QUEUED_BATCHES);
        let rows = std::thread::spawn(move || {
            let mut folds: HashMap<&'static str, Box<dyn Fold>> =
                PROJECTIONS.iter().map(|p| (p.record_type, (p.fold)())).collect();
            for event in received.into_iter().flatten() {
                let fold = folds.get_mut(event.aggregate_type.as_str()).ok_or_else(|| {
                    StoreError::Inconsistent(format!(
                        "no projection for record type {}",
                        event.aggregate_type
                    ))
                })?;
                fold.apply(event)?;
            }
            let mut rows = Vec::new();
            for fold in folds.values() {
                rows.extend(fold.rows()?);
            }
            rows.sort_unstable_by(row_order);
            // Freeing the folded records takes a while; the rows are ready now.
            std::thread::spawn(move || drop(folds));
            Ok(rows)
        });
        Self { events, pending: Vec::with_capacity(BATCH), rows }
    }

    fn fold(&mut self, event: LoggedEvent) -> Result<(), StoreError> {
        self.pending.push(event);
        if self.pending.len() < BATCH {
            return Ok(());
        }
        let batch = std::mem::replace(&mut self.pending, Vec::with_capacity(BATCH));
        self.events.send(batch).map_err(|_| StoreError::Inconsistent("a fold thread stopped".into()))
    }

    fn finish(self) -> Result<Vec<FoldedRow>, StoreError> {
        let Self { events, pending, rows } = self;
        // A thread that stopped early has its own error to report.
        let _ = events.send(pending);
        drop(events);
        rows.join().map_err(|_| StoreError::Inconsistent("a fold thread panicked".into()))?
    }
}
