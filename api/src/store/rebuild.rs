//! Rebuilding the read model from the whole log without disturbing readers:
//! every event is folded in memory, as typed records (no JSON round trip per
//! event), the rows are written into a fresh table, and one transaction swaps
//! it in for `records` (`fresh_table`) and moves the projector's checkpoint to
//! the last event folded. Commands that commit meanwhile are not lost: their events come after
//! that checkpoint, so the follower projects them onto the new rows.

use std::{collections::HashMap, time::Instant};

use chrono::{DateTime, SecondsFormat, Utc};
use rayon::prelude::*;
use serde_json::Value;

use super::command_bus::metadata_keys;
use super::records::{IndexedRecord, StoredRecord};
use super::{
    Database, GlobalPosition, StoreError,
    event_row::EventRow,
    fresh_table,
    log_reader::each_committed_event,
    projector::{PROJECTIONS, ProjectedRecord, project},
};
use crate::domain::{Fact, GroupId, Record};

/// One record type's events folded in memory.
pub(crate) trait Fold: Send + Sync {
    /// Applies the next event of one of this type's records.
    fn apply(&mut self, event: EventRow<'_>) -> Result<(), StoreError>;
    /// The rows the folded records make, each to be projected when written.
    fn rows(&self) -> Result<Vec<FoldedRow<'_>>, StoreError>;
}

/// A folded record's row: what it is sorted by, and the record itself, whose
/// state is serialised only when the row is written ([`FoldedRow::project`]),
/// so that a writer can do it while the store takes in the rows before.
pub(crate) struct FoldedRow<'a> {
    pub(crate) record_type: &'static str,
    pub(crate) record_id: &'a str,
    pub(crate) group_id: &'a str,
    pub(crate) version: i64,
    pub(crate) created_at: &'a str,
    pub(crate) updated_at: &'a str,
    record: &'a dyn Projectable,
}

impl FoldedRow<'_> {
    /// The row's columns and state.
    pub(crate) fn project(&self) -> Result<ProjectedRecord, StoreError> {
        self.record.project(self.record_id)
    }

    /// What the record states for reports (none if its type states nothing).
    pub(crate) fn facts(&self) -> Vec<Fact> {
        self.record.facts()
    }
}

/// A record of any type, projected onto its row.
trait Projectable: Sync {
    fn project(&self, id: &str) -> Result<ProjectedRecord, StoreError>;
    fn facts(&self) -> Vec<Fact>;
}

impl<A: Record + Sync> Projectable for A {
    fn project(&self, id: &str) -> Result<ProjectedRecord, StoreError> {
        project(self, id)
    }

    fn facts(&self) -> Vec<Fact> {
        if A::HAS_FACTS { Record::facts(self) } else { Vec::new() }
    }
}

struct Folded<A> {
    record: A,
    version: i64,
    created_at: String,
    updated_at: String,
}

/// The fold of one aggregate type.
pub(crate) struct TypedFold<A> {
    // foldhash: the ids come from our own log, so SipHash's defence against
    // chosen keys buys nothing here and costs a replay a few per cent.
    records: HashMap<String, Folded<A>, foldhash::fast::RandomState>,
}

impl<A: Record + Send + Sync + 'static> TypedFold<A> {
    /// An empty fold, boxed for the projection registry.
    pub(crate) fn boxed() -> Box<dyn Fold> {
        Box::new(Self { records: HashMap::default() })
    }
}

impl<A: Record + Send + Sync> Fold for TypedFold<A> {
    fn apply(&mut self, event: EventRow<'_>) -> Result<(), StoreError> {
        let recorded_at = event.recorded_at()?;
        let domain = event.decode::<A>()?;
        // The id is copied only for a record met for the first time; later
        // events update the record's strings in place.
        if let Some(folded) = self.records.get_mut(event.aggregate_id) {
            folded.record.apply(domain);
            folded.version = event.sequence;
            folded.updated_at.clear();
            folded.updated_at.push_str(&recorded_at);
            return Ok(());
        }
        let mut record = A::default();
        record.apply(domain);
        let folded = Folded {
            record,
            version: event.sequence,
            created_at: recorded_at.to_string(),
            updated_at: recorded_at.into_owned(),
        };
        self.records.insert(event.aggregate_id.to_owned(), folded);
        Ok(())
    }

    fn rows(&self) -> Result<Vec<FoldedRow<'_>>, StoreError> {
        self.records
            .iter()
            .map(|(id, folded)| {
                let group = folded
                    .record
                    .group_id()
                    .ok_or_else(|| StoreError::Inconsistent(format!("{} {id} has no group", A::TYPE)))?;
                Ok(FoldedRow {
                    record_type: A::TYPE,
                    record_id: id,
                    group_id: group.as_str(),
                    version: folded.version,
                    created_at: &folded.created_at,
                    updated_at: &folded.updated_at,
                    record: &folded.record,
                })
            })
            .collect()
    }
}

/// What a rebuild did.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RebuildReport {
    /// Events folded.
    pub events: usize,
    /// Rows written.
    pub records: usize,
    /// Seconds it took, all told.
    pub seconds: f64,
    /// Of which: reading and folding the log.
    pub fold_seconds: f64,
    /// Sorting the rows, projecting each record onto its row and writing them
    /// into the fresh table.
    pub write_seconds: f64,
    /// Building its indexes.
    pub index_seconds: f64,
    /// Swapping it in.
    pub swap_seconds: f64,
}

impl RebuildReport {
    /// Events folded per second.
    pub fn events_per_second(&self) -> f64 {
        self.events as f64 / self.seconds.max(1e-9)
    }
}

/// The whole log folded in memory, as far as it reached.
pub(crate) struct FoldedLog {
    folds: HashMap<&'static str, Box<dyn Fold>>,
    pub(crate) reached: GlobalPosition,
    events: usize,
}

impl FoldedLog {
    fn rows(&self) -> Result<Vec<FoldedRow<'_>>, StoreError> {
        let mut rows = Vec::new();
        for fold in self.folds.values() {
            rows.extend(fold.rows()?);
        }
        Ok(rows)
    }

    /// The rows in `records_by_group`'s order: every index of `records` leads
    /// with the group or the record type, so each index build then finds its
    /// input all but sorted (half the time of a build from hash order), and the
    /// table's rows lie in the order lists read them.
    pub(crate) fn sorted_rows(&self) -> Result<Vec<FoldedRow<'_>>, StoreError> {
        let mut rows = self.rows()?;
        rows.par_sort_unstable_by(|a, b| {
            (a.group_id, a.record_type, a.created_at, a.record_id).cmp(&(
                b.group_id,
                b.record_type,
                b.created_at,
                b.record_id,
            ))
        });
        Ok(rows)
    }
}

/// Folds every event committed before the call, in the log's global order,
/// that `keep` accepts.
async fn fold_log(db: &Database, keep: impl Fn(&EventRow<'_>) -> bool) -> Result<FoldedLog, StoreError> {
    let mut folds: HashMap<&'static str, Box<dyn Fold>> =
        PROJECTIONS.iter().map(|p| (p.record_type, (p.fold)())).collect();
    let mut events = 0;
    let reached = each_committed_event(db, GlobalPosition::START, |event| {
        if !keep(&event) {
            return Ok(());
        }
        events += 1;
        let fold = folds.get_mut(event.aggregate_type).ok_or_else(|| {
            StoreError::Inconsistent(format!("no projection for record type {}", event.aggregate_type))
        })?;
        fold.apply(event)
    })
    .await?;
    Ok(FoldedLog { folds, reached, events })
}

/// Every record of `group` as it stood at `as_of`: the group's events recorded
/// at or before that instant, folded exactly as the read model folds them.
pub async fn records_as_of(
    db: &Database,
    group: &GroupId,
    as_of: DateTime<Utc>,
) -> Result<Vec<IndexedRecord>, StoreError> {
    let until = as_of.to_rfc3339_opts(SecondsFormat::Micros, true);
    let log = fold_log(db, |event| {
        let metadata: Value = serde_json::from_str(event.metadata).unwrap_or_default();
        let text = |key| metadata.get(key).and_then(Value::as_str).unwrap_or_default();
        text(metadata_keys::GROUP) == group.as_str() && text(metadata_keys::RECORDED_AT) <= until.as_str()
    })
    .await?;
    let rows = log.rows()?;
    rows.iter()
        .map(|row| {
            let projected = row.project()?;
            Ok(IndexedRecord {
                record_type: row.record_type,
                group_id: projected.group_id,
                member_id: projected.member_id,
                body_id: projected.body_id,
                due_on: projected.due_on,
                subject_id: projected.subject_id,
                tags: projected.tags,
                stored: StoredRecord {
                    record_id: row.record_id.to_owned(),
                    version: row.version,
                    classification: projected.classification.to_owned(),
                    status: projected.status.to_owned(),
                    created_at: row.created_at.to_owned(),
                    updated_at: row.updated_at.to_owned(),
                    state: projected.state,
                },
            })
        })
        .collect()
}

/// Rebuilds the read model from the whole log into a fresh table and swaps it
/// in (`fresh_table`); the projector's checkpoint row must exist. The caller
/// then lets the projector catch up with whatever committed meanwhile.
pub(crate) async fn rebuild(db: &Database) -> Result<RebuildReport, StoreError> {
    let started = Instant::now();
    let log = fold_log(db, |_| true).await?;
    let events = log.events;
    let fold_seconds = started.elapsed().as_secs_f64();
    let timings = match db {
        Database::Postgres(pool) => fresh_table::replace_on_postgres(pool, log).await?,
        Database::Sqlite(pool) => fresh_table::replace_on_sqlite(pool, log).await?,
    };
    Ok(RebuildReport {
        events,
        records: timings.records,
        seconds: started.elapsed().as_secs_f64(),
        fold_seconds,
        write_seconds: timings.write_seconds,
        index_seconds: timings.index_seconds,
        swap_seconds: timings.swap_seconds,
    })
}
