//! The projector: follows the event log in its global order and keeps the
//! `records` read model complete, with a checkpoint stored in the same
//! transaction as the rows it wrote.
//!
//! Commands write their record's row in the transaction that appends their
//! events (`store::append`), so in normal running a pass finds every row up to
//! date and writes nothing. The projector is what makes the read model
//! rebuildable: an event that reached the log without its row (a process of an
//! older version, a restore, a hand repair) is projected by the next pass in
//! any process, and changing the read model's shape bumps [`SCHEMA_VERSION`],
//! so the next start empties it and replays the log.

use std::{collections::HashMap, sync::Arc, time::Duration};

use chrono::{SecondsFormat, Utc};
use cqrs_es::{Aggregate, persist::SerializedEvent};

use super::{
    Database, GlobalPosition, StoreError,
    database::on_pool,
    event_row::EventRow,
    rebuild::{self, Fold, RebuildReport, TypedFold},
};
use crate::domain::{
    Fact, Record,
    action::Action,
    appointment::Appointment,
    body::Body,
    briefing::Briefing,
    budget::Budget,
    case::Case,
    decision::Decision,
    donation::Donation,
    election::Election,
    forward_plan::ForwardPlanItem,
    group_event::GroupEvent,
    induction::{Induction, InductionSteps},
    meeting::Meeting,
    member::Member,
    motion::Motion,
    organisation::Organisation,
    publication::Publication,
    resident::Resident,
    training::{Course, TrainingRecord},
};
// The register of interests (issue 18).
use crate::domain::interests::Register;

/// The read model's shape. Bump it whenever a record's stored state or its
/// index columns change: the next start empties the read model and replays
/// the log.
pub const SCHEMA_VERSION: i64 = 5;

/// The checkpoint row's name.
pub(crate) const PROJECTOR_NAME: &str = "records";

/// The PostgreSQL advisory lock that makes one projector pass at a time, across
/// every api process sharing the database.
pub(crate) const PROJECTOR_LOCK: i64 = 0x6361_7563_7573; // "caucus"

/// How long [`Projector::catch_up`] waits for older transactions to finish.
const CATCH_UP_DEADLINE: Duration = Duration::from_secs(60);

/// How often the background task looks for events to project.
const FOLLOW_INTERVAL: Duration = Duration::from_secs(1);

/// How many events one pass reads.
const BATCH_SIZE: i64 = 500;

/// What a record's state looks like once an event has been applied.
pub(crate) struct ProjectedRecord {
    pub(crate) group_id: String,
    pub(crate) classification: &'static str,
    pub(crate) status: &'static str,
    pub(crate) member_id: Option<String>,
    pub(crate) body_id: Option<String>,
    pub(crate) due_on: Option<String>,
    pub(crate) subject_id: Option<String>,
    /// The record's labels as stored: ` a b `, or none.
    pub(crate) tags: Option<String>,
    /// What it states for reports, if its type states any (`Record::HAS_FACTS`).
    pub(crate) facts: Option<Vec<Fact>>,
    pub(crate) state: String,
}

/// Applies one stored event to a record's stored state.
type ApplyEvent = fn(Option<&str>, SerializedEvent) -> Result<ProjectedRecord, StoreError>;

/// A record type's projections: one stored event onto a stored row (the
/// follower), and a whole log folded in memory (a rebuild).
pub(crate) struct Projection {
    pub(crate) record_type: &'static str,
    apply: ApplyEvent,
    pub(crate) fold: fn() -> Box<dyn Fold>,
}

macro_rules! projections {
    ($($aggregate:ty),+ $(,)?) => {
        &[$(Projection {
            record_type: <$aggregate>::TYPE,
            apply: apply_event::<$aggregate>,
            fold: TypedFold::<$aggregate>::boxed,
        }),+]
    };
}

/// The projection of each record type in the log: every aggregate is listed here.
pub(crate) const PROJECTIONS: &[Projection] = projections![
    Decision,
    Action,
    Member,
    Body,
    Appointment,
    Publication,
    Meeting,
    Election,
    GroupEvent,
    Course,
    TrainingRecord,
    InductionSteps,
    Induction,
    ForwardPlanItem,
    Motion,
    Briefing,
    Organisation,
    Resident,
    Case,
    // The group's budget (issue 18).
    Budget,
    // The register of interests (issue 18).
    Register,
    // Probity (issue 18).
    Donation,
];

fn projection_for(record_type: &str) -> Option<ApplyEvent> {
    PROJECTIONS.iter().find(|p| p.record_type == record_type).map(|p| p.apply)
}

/// Applies a stored event of `record_type` to a record's stored `state` (none
/// before its first event) and returns the row it makes, as the projector
/// would; for readers that fold a record's events themselves (its history).
pub(crate) fn apply_stored(
    record_type: &str,
    state: Option<&str>,
    event: SerializedEvent,
) -> Result<ProjectedRecord, StoreError> {
    let apply = projection_for(record_type)
        .ok_or_else(|| StoreError::Inconsistent(format!("no projection for record type {record_type}")))?;
    apply(state, event)
}

/// Every record type the store knows, in the registry's order.
pub fn record_types() -> impl Iterator<Item = &'static str> {
    PROJECTIONS.iter().map(|p| p.record_type)
}

/// The stored name of the record type whose name is `name` in any case
/// (`decision` is `Decision`).
pub fn record_type_named(name: &str) -> Option<&'static str> {
    PROJECTIONS.iter().map(|p| p.record_type).find(|known| known.eq_ignore_ascii_case(name))
}

fn apply_event<A: Record>(
    state: Option<&str>,
    event: SerializedEvent,
) -> Result<ProjectedRecord, StoreError> {
    let mut record: A = match state {
        Some(json) => serde_json::from_str(json)?,
        None => A::default(),
    };
    let id = event.aggregate_id.clone();
    record.apply(domain_event::<A>(event)?);
    project(&record, &id)
}

/// A stored event as the aggregate's event, brought up to date by its upcasters.
pub(crate) fn domain_event<A: Record>(mut event: SerializedEvent) -> Result<A::Event, StoreError> {
    for upcaster in A::upcasters() {
        if upcaster.can_upcast(&event.event_type, &event.event_version) {
            event = upcaster.upcast(event);
        }
    }
    Ok(serde_json::from_value(event.payload)?)
}

/// The read-model row of `record` (whose id is `id`) as it now stands.
pub(crate) fn project<A: Record>(record: &A, id: &str) -> Result<ProjectedRecord, StoreError> {
    let group_id = record
        .group_id()
        .ok_or_else(|| StoreError::Inconsistent(format!("{} {id} has no group", A::TYPE)))?;
    let index = record.index();
    Ok(ProjectedRecord {
        group_id: group_id.to_string(),
        classification: record.classification().as_str(),
        status: record.status(),
        member_id: index.member_id.map(|id| id.to_string()),
        body_id: index.body_id.map(|id| id.to_string()),
        due_on: index.due_on.map(|d| d.to_string()),
        subject_id: index.subject_id.map(|id| id.to_string()),
        tags: stored_tags(&index.tags),
        facts: A::HAS_FACTS.then(|| record.facts()),
        state: serde_json::to_string(record)?,
    })
}

/// A record's labels as the `tags` column holds them: space-separated with a
/// space either side, so `LIKE '% label %'` matches one whole label.
fn stored_tags(tags: &[String]) -> Option<String> {
    (!tags.is_empty()).then(|| format!(" {} ", tags.join(" ")))
}

/// The `LIKE` pattern matching records labelled `tag` (made by `domain::tag`,
/// so it holds no `%` or `_`).
pub(crate) fn tag_pattern(tag: &str) -> String {
    format!("% {tag} %")
}

/// Everything one `records` row is written from.
pub(crate) struct RecordRow<'a> {
    pub(crate) record_type: &'a str,
    pub(crate) record_id: &'a str,
    /// The sequence of the last event the row includes.
    pub(crate) version: i64,
    pub(crate) projected: &'a ProjectedRecord,
    /// Used only when the row is new.
    pub(crate) created_at: &'a str,
    pub(crate) updated_at: &'a str,
}

/// Writes a [`RecordRow`] on `$executor`, and the record's facts with it. A
/// row is never moved back to an older version, so the command path and the
/// projector may both write it: the facts are replaced only when the row is.
macro_rules! upsert_record {
    ($executor:expr, $row:expr) => {{
        let row: &$crate::store::projector::RecordRow<'_> = $row;
        let written = sqlx::query($crate::store::projector::UPSERT_RECORD)
            .bind(row.record_type)
            .bind(row.record_id)
            .bind(&row.projected.group_id)
            .bind(row.version)
            .bind(row.projected.classification)
            .bind(row.projected.status)
            .bind(&row.projected.member_id)
            .bind(&row.projected.body_id)
            .bind(&row.projected.due_on)
            .bind(&row.projected.subject_id)
            .bind(&row.projected.tags)
            .bind(row.created_at)
            .bind(row.updated_at)
            .bind(&row.projected.state)
            .execute($executor)
            .await?
            .rows_affected()
            > 0;
        if let Some(facts) = row.projected.facts.as_ref().filter(|_| written) {
            sqlx::query($crate::store::projector::DELETE_FACTS)
                .bind(row.record_type)
                .bind(row.record_id)
                .execute($executor)
                .await?;
            if !facts.is_empty() {
                let mut insert = sqlx::QueryBuilder::new($crate::store::projector::INSERT_FACTS);
                insert.push_values(facts, |mut values, fact| {
                    values
                        .push_bind(&row.projected.group_id)
                        .push_bind(row.record_type)
                        .push_bind(row.record_id)
                        .push_bind(fact.name)
                        .push_bind(fact.day.map(|d| d.to_string()))
                        .push_bind(&fact.value)
                        .push_bind(fact.since.map(|d| d.to_string()));
                });
                insert.build().execute($executor).await?;
            }
        }
    }};
}
pub(crate) use upsert_record;

pub(crate) const DELETE_FACTS: &str = "DELETE FROM record_facts WHERE record_type = $1 AND record_id = $2";

/// The start of an insert of facts; the values follow.
pub(crate) const INSERT_FACTS: &str = "INSERT INTO record_facts \
     (group_id, record_type, record_id, fact, day, value, since) ";

/// One event read from the log.
#[derive(sqlx::FromRow)]
pub(crate) struct LoggedEvent {
    pub(crate) aggregate_type: String,
    pub(crate) aggregate_id: String,
    pub(crate) sequence: i64,
    pub(crate) event_type: String,
    pub(crate) event_version: String,
    pub(crate) payload: String,
    pub(crate) metadata: String,
    pub(crate) transaction_id: i64,
    pub(crate) position: i64,
}

impl LoggedEvent {
    pub(crate) fn global_position(&self) -> GlobalPosition {
        GlobalPosition { transaction_id: self.transaction_id, position: self.position }
    }

    /// This event as whole-log readers see it, borrowing its text.
    pub(crate) fn as_row(&self) -> EventRow<'_> {
        EventRow {
            aggregate_type: &self.aggregate_type,
            aggregate_id: &self.aggregate_id,
            sequence: self.sequence,
            event_type: &self.event_type,
            event_version: &self.event_version,
            payload: &self.payload,
            metadata: &self.metadata,
            transaction_id: self.transaction_id,
            position: self.position,
        }
    }
}

/// An event the projector follows, with what its record's row held when the
/// pass read it.
#[derive(sqlx::FromRow)]
struct FollowedEvent {
    #[sqlx(flatten)]
    event: LoggedEvent,
    /// The row's version; `None` when the record has no row yet.
    record_version: Option<i64>,
    /// The row's state, read only when the row is behind this event.
    record_state: Option<String>,
    record_created_at: Option<String>,
}

/// A record's row as a pass has brought it up to date, not yet written.
struct PendingRow {
    version: i64,
    projected: ProjectedRecord,
    created_at: String,
    updated_at: String,
}

/// The rows one pass changes, each written once at the end of the pass.
#[derive(Default)]
struct PendingRows {
    rows: HashMap<(String, String), PendingRow>,
}

impl PendingRows {
    /// Applies `followed` to its record's row, unless the row includes it already
    /// (the command that appended it wrote the row in the same transaction).
    fn apply(&mut self, followed: FollowedEvent) -> Result<(), StoreError> {
        let FollowedEvent { event, record_version, record_state, record_created_at } = followed;
        let key = (event.aggregate_type.clone(), event.aggregate_id.clone());
        let (version, state, created_at) = match self.rows.get(&key) {
            Some(pending) => {
                (pending.version, Some(pending.projected.state.clone()), Some(pending.created_at.clone()))
            }
            None => (record_version.unwrap_or(0), record_state, record_created_at),
        };
        if event.sequence <= version {
            return Ok(());
        }
        if event.sequence != version + 1 {
            return Err(StoreError::Inconsistent(format!(
                "{} {} is at version {version} in the read model but the log's next event is {}; \
                 run `caucus replay`",
                event.aggregate_type, event.aggregate_id, event.sequence
            )));
        }
        let Some(apply) = projection_for(&event.aggregate_type) else {
            return Err(StoreError::Inconsistent(format!(
                "no projection for record type {}",
                event.aggregate_type
            )));
        };
        let recorded_at = event.as_row().recorded_at()?.into_owned();
        let sequence = event.sequence;
        let projected = apply(state.as_deref(), event.as_row().to_serialized()?)?;
        let created_at = created_at.unwrap_or_else(|| recorded_at.clone());
        self.rows
            .insert(key, PendingRow { version: sequence, projected, created_at, updated_at: recorded_at });
        Ok(())
    }

    fn iter(&self) -> impl Iterator<Item = RecordRow<'_>> {
        self.rows.iter().map(|((record_type, record_id), row)| RecordRow {
            record_type,
            record_id,
            version: row.version,
            projected: &row.projected,
            created_at: &row.created_at,
            updated_at: &row.updated_at,
        })
    }
}

/// Reads the log after a position, every event whole, for readers that fold it
/// themselves (a rebuild); the same order and the same rule as the follower's.
/// No `LIMIT`: `log_reader.rs` streams it (why is said there).
///
/// The table's columns are named with `e.` throughout: a bare `ORDER BY
/// transaction_id` would sort by the output column of that name, the bigint,
/// which no index holds, so PostgreSQL would sort the whole log first.
pub const PG_LOG_AFTER: &str = "SELECT e.aggregate_type, e.aggregate_id, e.sequence, e.event_type, \
     e.event_version, e.payload::text AS payload, e.metadata::text AS metadata, \
     e.transaction_id::text::bigint AS transaction_id, e.position \
     FROM events e \
     WHERE (e.transaction_id, e.position) > ($1::bigint::text::xid8, $2) \
       AND e.transaction_id < pg_snapshot_xmin(pg_current_snapshot()) \
     ORDER BY e.transaction_id, e.position";

pub(crate) const SQLITE_LOG_AFTER: &str = "SELECT aggregate_type, aggregate_id, sequence, event_type, \
     event_version, payload, metadata, 0 AS transaction_id, position \
     FROM events WHERE $1 = $1 AND position > $2 ORDER BY position";

/// Reads events after the checkpoint, each with the version its record's row
/// already has; an event's payload (and the row's state) is read only when the
/// row does not include the event yet, so following a log whose commands wrote
/// their own rows costs one light query per pass. On PostgreSQL only
/// transactions below the current snapshot's xmin are read: every one of them
/// has finished, so no event can later appear before the new checkpoint.
const PG_EVENTS_AFTER: &str = "SELECT e.aggregate_type, e.aggregate_id, e.sequence, e.event_type, \
     e.event_version, \
     CASE WHEN r.version IS NULL OR r.version < e.sequence THEN e.payload::text ELSE '' END AS payload, \
     CASE WHEN r.version IS NULL OR r.version < e.sequence THEN e.metadata::text ELSE '' END AS metadata, \
     e.transaction_id::text::bigint AS transaction_id, e.position, \
     r.version AS record_version, \
     CASE WHEN r.version < e.sequence THEN r.state END AS record_state, \
     r.created_at AS record_created_at \
     FROM events e \
     LEFT JOIN records r ON r.record_type = e.aggregate_type AND r.record_id = e.aggregate_id \
     WHERE (e.transaction_id, e.position) > ($1::bigint::text::xid8, $2) \
       AND e.transaction_id < pg_snapshot_xmin(pg_current_snapshot()) \
     ORDER BY e.transaction_id, e.position LIMIT $3";

const SQLITE_EVENTS_AFTER: &str = "SELECT e.aggregate_type, e.aggregate_id, e.sequence, e.event_type, \
     e.event_version, \
     CASE WHEN r.version IS NULL OR r.version < e.sequence THEN e.payload ELSE '' END AS payload, \
     CASE WHEN r.version IS NULL OR r.version < e.sequence THEN e.metadata ELSE '' END AS metadata, \
     0 AS transaction_id, e.position, \
     r.version AS record_version, \
     CASE WHEN r.version < e.sequence THEN r.state END AS record_state, \
     r.created_at AS record_created_at \
     FROM events e \
     LEFT JOIN records r ON r.record_type = e.aggregate_type AND r.record_id = e.aggregate_id \
     WHERE $1 = $1 AND e.position > $2 ORDER BY e.position LIMIT $3";

pub(crate) const READ_CHECKPOINT: &str = "SELECT schema_version, transaction_id, position \
     FROM projector_checkpoints WHERE projector = $1";

pub(crate) const ENSURE_CHECKPOINT: &str = "INSERT INTO projector_checkpoints \
     (projector, schema_version, transaction_id, position, updated_at) \
     VALUES ($1, $2, 0, 0, $3) ON CONFLICT (projector) DO NOTHING";

pub(crate) const WRITE_CHECKPOINT: &str = "UPDATE projector_checkpoints \
     SET schema_version = $2, transaction_id = $3, position = $4, updated_at = $5 \
     WHERE projector = $1";

/// Moves follower `$name`'s checkpoint (schema `$version`) to `$reached`, on
/// `$executor` (the transaction that applied what it covers).
macro_rules! write_checkpoint {
    ($executor:expr, $name:expr, $version:expr, $reached:expr) => {{
        let reached: $crate::store::GlobalPosition = $reached;
        sqlx::query($crate::store::projector::WRITE_CHECKPOINT)
            .bind($name)
            .bind($version)
            .bind(reached.transaction_id)
            .bind(reached.position)
            .bind($crate::store::projector::now())
            .execute($executor)
            .await?;
    }};
}

pub(crate) use write_checkpoint;

pub(crate) const UPSERT_RECORD: &str = "INSERT INTO records (record_type, record_id, group_id, version, \
     classification, status, member_id, body_id, due_on, subject_id, tags, created_at, updated_at, state) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) \
     ON CONFLICT (record_type, record_id) DO UPDATE SET group_id = excluded.group_id, \
     version = excluded.version, classification = excluded.classification, \
     status = excluded.status, member_id = excluded.member_id, body_id = excluded.body_id, \
     due_on = excluded.due_on, subject_id = excluded.subject_id, tags = excluded.tags, updated_at = excluded.updated_at, state = excluded.state \
     WHERE records.version < excluded.version";

/// The result of one pass.
enum Pass {
    /// Another process holds the projector lock.
    Busy,
    /// The pass ran; `applied` events were projected.
    Ran { checkpoint: GlobalPosition, applied: usize },
}

/// Begins a projector transaction, taking the projector lock. On PostgreSQL
/// `$lock` chooses between waiting for the lock and giving up at once; SQLite's
/// `BEGIN IMMEDIATE` takes the single write lock up front (waiting up to the
/// busy timeout), so a pass never fails half-way on a lock upgrade.
macro_rules! begin_locked {
    (Postgres, $pool:expr, $wait:expr, $lock:expr) => {{
        let mut tx = $pool.begin().await?;
        let sql = if $wait {
            "SELECT pg_advisory_xact_lock($1) IS NOT NULL"
        } else {
            "SELECT pg_try_advisory_xact_lock($1)"
        };
        let locked: bool = sqlx::query_scalar(sql).bind($lock).fetch_one(&mut *tx).await?;
        locked.then_some(tx)
    }};
    (Sqlite, $pool:expr, $wait:expr, $lock:expr) => {{
        let _ = ($wait, $lock);
        Some($pool.begin_with("BEGIN IMMEDIATE").await?)
    }};
}

pub(crate) use begin_locked;

/// One projector pass inside a locked transaction: read the checkpoint, apply
/// the next batch, move the checkpoint, commit.
macro_rules! run_pass {
    ($backend:ident, $pool:expr, $events_sql:expr) => {{
        let Some(mut tx) = begin_locked!($backend, $pool, false, PROJECTOR_LOCK) else {
            return Ok(Pass::Busy);
        };
        let (_, transaction_id, position): (i64, i64, i64) =
            sqlx::query_as(READ_CHECKPOINT).bind(PROJECTOR_NAME).fetch_one(&mut *tx).await?;
        let mut checkpoint = GlobalPosition { transaction_id, position };
        let events: Vec<FollowedEvent> = sqlx::query_as($events_sql)
            .bind(checkpoint.transaction_id)
            .bind(checkpoint.position)
            .bind(BATCH_SIZE)
            .fetch_all(&mut *tx)
            .await?;
        let applied = events.len();
        let mut rows = PendingRows::default();
        for event in events {
            checkpoint = event.event.global_position();
            rows.apply(event)?;
        }
        for row in rows.iter() {
            upsert_record!(&mut *tx, &row);
        }
        if applied > 0 {
            write_checkpoint!(&mut *tx, PROJECTOR_NAME, SCHEMA_VERSION, checkpoint);
        }
        tx.commit().await?;
        Ok(Pass::Ran { checkpoint, applied })
    }};
}

/// Makes sure the checkpoint exists and matches [`SCHEMA_VERSION`]; if it does
/// not, empties the read model so the log is replayed into it.
macro_rules! prepare {
    ($backend:ident, $pool:expr, $force_rebuild:expr) => {{
        let Some(mut tx) = begin_locked!($backend, $pool, true, PROJECTOR_LOCK) else {
            return Err(StoreError::Inconsistent("projector lock refused".into()));
        };
        sqlx::query(ENSURE_CHECKPOINT)
            .bind(PROJECTOR_NAME)
            .bind(SCHEMA_VERSION)
            .bind(now())
            .execute(&mut *tx)
            .await?;
        let (schema_version, _, _): (i64, i64, i64) =
            sqlx::query_as(READ_CHECKPOINT).bind(PROJECTOR_NAME).fetch_one(&mut *tx).await?;
        let rebuild = $force_rebuild || schema_version != SCHEMA_VERSION;
        if rebuild {
            sqlx::query("DELETE FROM records").execute(&mut *tx).await?;
            sqlx::query("DELETE FROM record_facts").execute(&mut *tx).await?;
            write_checkpoint!(&mut *tx, PROJECTOR_NAME, SCHEMA_VERSION, GlobalPosition::START);
        }
        tx.commit().await?;
        Ok(rebuild)
    }};
}

pub(crate) fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// Keeps the read models current. Cheap to clone: clones share one background
/// task per process.
#[derive(Debug, Clone)]
pub struct Projector {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    db: Database,
}

impl Projector {
    /// Prepares the read model (rebuilding it if its schema changed), and starts
    /// the background task that follows the log.
    pub async fn start(db: Database) -> Result<Self, StoreError> {
        let projector = Self::new(db);
        projector.prepare(false).await?;
        projector.catch_up().await?;
        let task = projector.clone();
        tokio::spawn(async move { task.follow().await });
        Ok(projector)
    }

    /// Rebuilds the read model from the whole log into a fresh table and swaps
    /// it in (`store::rebuild`); readers see the old rows until the swap.
    pub async fn rebuild(db: Database) -> Result<RebuildReport, StoreError> {
        let projector = Self::new(db);
        projector.prepare(false).await?;
        let report = rebuild::rebuild(&projector.inner.db).await?;
        projector.catch_up().await?;
        Ok(report)
    }

    fn new(db: Database) -> Self {
        Self { inner: Arc::new(Inner { db }) }
    }

    async fn prepare(&self, force_rebuild: bool) -> Result<bool, StoreError> {
        match &self.inner.db {
            Database::Postgres(pool) => prepare!(Postgres, pool, force_rebuild),
            Database::Sqlite(pool) => prepare!(Sqlite, pool, force_rebuild),
        }
    }

    async fn pass(&self) -> Result<Pass, StoreError> {
        match &self.inner.db {
            Database::Postgres(pool) => run_pass!(Postgres, pool, PG_EVENTS_AFTER),
            Database::Sqlite(pool) => run_pass!(Sqlite, pool, SQLITE_EVENTS_AFTER),
        }
    }

    /// Projects every event committed before the call; returns how many were
    /// applied. On PostgreSQL an event is projected only once every older
    /// transaction has finished, so this may wait for other writers; it gives up
    /// after [`CATCH_UP_DEADLINE`].
    pub async fn catch_up(&self) -> Result<usize, StoreError> {
        let target = log_head(&self.inner.db).await?;
        let deadline = tokio::time::Instant::now() + CATCH_UP_DEADLINE;
        let mut total = 0;
        loop {
            let (checkpoint, applied) = self.drain().await?;
            total += applied;
            if checkpoint >= target {
                return Ok(total);
            }
            if tokio::time::Instant::now() > deadline {
                return Err(StoreError::Inconsistent(
                    "the projector could not reach the end of the log: a transaction is held open".into(),
                ));
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
    }

    /// Runs passes while they find events; returns the checkpoint reached and
    /// how many events were applied.
    async fn drain(&self) -> Result<(GlobalPosition, usize), StoreError> {
        let mut total = 0;
        loop {
            match self.pass().await? {
                Pass::Busy => tokio::time::sleep(Duration::from_millis(2)).await,
                Pass::Ran { checkpoint, applied } => {
                    total += applied;
                    if applied < BATCH_SIZE as usize {
                        return Ok((checkpoint, total));
                    }
                }
            }
        }
    }

    /// The background task: a pass every [`FOLLOW_INTERVAL`]. Commands write
    /// their own rows, so the passes only find events that reached the log
    /// some other way (or a rebuild's backlog); they cost one light query each.
    async fn follow(&self) {
        let mut failures = 0_u32;
        while !self.inner.db.is_closed() {
            tokio::time::sleep(FOLLOW_INTERVAL).await;
            match self.drain().await {
                Ok(_) => failures = 0,
                Err(error) => {
                    failures = failures.saturating_add(1);
                    tracing::error!(error = %error, failures, "projector pass failed");
                    let backoff = Duration::from_millis(100 * u64::from(failures.min(50)));
                    tokio::time::sleep(backoff).await;
                }
            }
        }
    }
}

/// The newest event in the log on PostgreSQL; `e.` for the reason given at
/// [`PG_LOG_AFTER`].
pub const PG_LOG_HEAD: &str = "SELECT e.transaction_id::text::bigint, e.position FROM events e \
     ORDER BY e.transaction_id DESC, e.position DESC LIMIT 1";

/// The newest event in the log, as this call sees it.
pub(crate) async fn log_head(db: &Database) -> Result<GlobalPosition, StoreError> {
    let sql = match db {
        Database::Postgres(_) => PG_LOG_HEAD,
        Database::Sqlite(_) => "SELECT 0, position FROM events ORDER BY position DESC LIMIT 1",
    };
    let head: Option<(i64, i64)> = on_pool!(db, pool => sqlx::query_as(sql).fetch_optional(pool).await)?;
    Ok(head.map_or(GlobalPosition::START, |(transaction_id, position)| GlobalPosition {
        transaction_id,
        position,
    }))
}
