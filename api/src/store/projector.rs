//! The projector: follows the event log in its global order and keeps the
//! `records` read model current, with a checkpoint stored in the same
//! transaction as the rows it wrote. A crash between a commit and its
//! projection therefore loses nothing: the next pass, in this process or any
//! other, picks up from the checkpoint. Changing the read model's shape bumps
//! [`SCHEMA_VERSION`], and the next start rebuilds it from the log.

use std::{
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use chrono::{SecondsFormat, Utc};
use cqrs_es::{Aggregate, persist::SerializedEvent};
use tokio::sync::{Notify, watch};

use super::{Database, GlobalPosition, StoreError, command_bus::metadata_keys, database::on_pool};
use crate::domain::{
    Record, action::Action, appointment::Appointment, body::Body, decision::Decision, member::Member,
    publication::Publication,
};

/// The read model's shape. Bump it whenever a record's stored state changes
/// incompatibly: the next start empties the read model and replays the log.
pub const SCHEMA_VERSION: i64 = 1;

/// The checkpoint row's name.
const PROJECTOR_NAME: &str = "records";

/// The PostgreSQL advisory lock that makes one projector pass at a time, across
/// every api process sharing the database.
const PROJECTOR_LOCK: i64 = 0x6361_7563_7573; // "caucus"

/// How long [`Projector::catch_up`] waits for older transactions to finish.
const CATCH_UP_DEADLINE: Duration = Duration::from_secs(60);

/// How many events one pass reads.
const BATCH_SIZE: i64 = 500;

/// What a record's state looks like once an event has been applied.
struct ProjectedRecord {
    group_id: String,
    classification: &'static str,
    status: &'static str,
    member_id: Option<String>,
    body_id: Option<String>,
    due_on: Option<String>,
    state: String,
}

/// Applies one stored event to a record's stored state.
type ApplyEvent = fn(Option<&str>, SerializedEvent) -> Result<ProjectedRecord, StoreError>;

/// The projection for each record type in the log.
fn projection_for(record_type: &str) -> Option<ApplyEvent> {
    let projections: &[(&str, ApplyEvent)] = &[
        (Decision::TYPE, apply_event::<Decision>),
        (Action::TYPE, apply_event::<Action>),
        (Member::TYPE, apply_event::<Member>),
        (Body::TYPE, apply_event::<Body>),
        (Appointment::TYPE, apply_event::<Appointment>),
        (Publication::TYPE, apply_event::<Publication>),
    ];
    projections.iter().find(|(name, _)| *name == record_type).map(|(_, apply)| *apply)
}

/// Brings a stored event up to date with `A`'s upcasters and decodes it: the
/// one way both the projector and the replay read an event.
pub(super) fn decode_event<A: Record>(mut event: SerializedEvent) -> Result<A::Event, StoreError> {
    for upcaster in A::upcasters() {
        if upcaster.can_upcast(&event.event_type, &event.event_version) {
            event = upcaster.upcast(event);
        }
    }
    Ok(serde_json::from_value(event.payload)?)
}

fn apply_event<A: Record>(
    state: Option<&str>,
    event: SerializedEvent,
) -> Result<ProjectedRecord, StoreError> {
    let mut record: A = match state {
        Some(json) => serde_json::from_str(json)?,
        None => A::default(),
    };
    let aggregate_id = event.aggregate_id.clone();
    record.apply(decode_event::<A>(event)?);
    let group_id = record
        .group_id()
        .ok_or_else(|| StoreError::Inconsistent(format!("{} {aggregate_id} has no group", A::TYPE)))?;
    let index = record.index();
    Ok(ProjectedRecord {
        group_id: group_id.to_string(),
        classification: record.classification().as_str(),
        status: record.status(),
        member_id: index.member_id.map(|id| id.to_string()),
        body_id: index.body_id.map(|id| id.to_string()),
        due_on: index.due_on.map(|d| d.to_string()),
        state: serde_json::to_string(&record)?,
    })
}

/// One event read from the log.
#[derive(sqlx::FromRow)]
pub(super) struct LoggedEvent {
    pub(super) aggregate_type: String,
    pub(super) aggregate_id: String,
    pub(super) sequence: i64,
    event_type: String,
    event_version: String,
    payload: String,
    metadata: String,
    transaction_id: i64,
    position: i64,
}

impl LoggedEvent {
    pub(super) fn global_position(&self) -> GlobalPosition {
        GlobalPosition { transaction_id: self.transaction_id, position: self.position }
    }

    pub(super) fn recorded_at(&self) -> Result<String, StoreError> {
        let metadata: serde_json::Value = serde_json::from_str(&self.metadata)?;
        Ok(metadata
            .get(metadata_keys::RECORDED_AT)
            .and_then(|v| v.as_str())
            .map_or_else(|| Utc::now().to_rfc3339_opts(SecondsFormat::Micros, true), str::to_owned))
    }

    pub(super) fn into_serialized(self) -> Result<SerializedEvent, StoreError> {
        Ok(SerializedEvent {
            aggregate_id: self.aggregate_id,
            sequence: usize::try_from(self.sequence)
                .map_err(|_| StoreError::Inconsistent("negative sequence".into()))?,
            aggregate_type: self.aggregate_type,
            event_type: self.event_type,
            event_version: self.event_version,
            payload: serde_json::from_str(&self.payload)?,
            metadata: serde_json::from_str(&self.metadata)?,
        })
    }
}

/// Reads events after the checkpoint. On PostgreSQL only transactions below the
/// current snapshot's xmin are read: every one of them has finished, so no event
/// can later appear before the new checkpoint.
pub(super) const PG_EVENTS_AFTER: &str = "SELECT aggregate_type, aggregate_id, sequence, event_type, \
     event_version, payload::text AS payload, metadata::text AS metadata, \
     transaction_id::text::bigint AS transaction_id, position \
     FROM events \
     WHERE (transaction_id, position) > ($1::bigint::text::xid8, $2) \
       AND transaction_id < pg_snapshot_xmin(pg_current_snapshot()) \
     ORDER BY transaction_id, position LIMIT $3";

pub(super) const SQLITE_EVENTS_AFTER: &str = "SELECT aggregate_type, aggregate_id, sequence, event_type, \
     event_version, payload, metadata, 0 AS transaction_id, position \
     FROM events WHERE $1 = $1 AND position > $2 ORDER BY position LIMIT $3";

const READ_CHECKPOINT: &str = "SELECT schema_version, transaction_id, position \
     FROM projector_checkpoints WHERE projector = $1";

const ENSURE_CHECKPOINT: &str = "INSERT INTO projector_checkpoints \
     (projector, schema_version, transaction_id, position, updated_at) \
     VALUES ($1, $2, 0, 0, $3) ON CONFLICT (projector) DO NOTHING";

const WRITE_CHECKPOINT: &str = "UPDATE projector_checkpoints \
     SET schema_version = $2, transaction_id = $3, position = $4, updated_at = $5 \
     WHERE projector = $1";

const READ_RECORD: &str = "SELECT state, created_at FROM records WHERE record_type = $1 AND record_id = $2";

const UPSERT_RECORD: &str = "INSERT INTO records (record_type, record_id, group_id, version, \
     classification, status, member_id, body_id, due_on, created_at, updated_at, state) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
     ON CONFLICT (record_type, record_id) DO UPDATE SET group_id = excluded.group_id, \
     version = excluded.version, classification = excluded.classification, \
     status = excluded.status, member_id = excluded.member_id, body_id = excluded.body_id, \
     due_on = excluded.due_on, updated_at = excluded.updated_at, state = excluded.state";

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
    (Postgres, $pool:expr, $wait:expr) => {{
        let mut tx = $pool.begin().await?;
        let sql = if $wait {
            "SELECT pg_advisory_xact_lock($1) IS NOT NULL"
        } else {
            "SELECT pg_try_advisory_xact_lock($1)"
        };
        let locked: bool = sqlx::query_scalar(sql).bind(PROJECTOR_LOCK).fetch_one(&mut *tx).await?;
        locked.then_some(tx)
    }};
    (Sqlite, $pool:expr, $wait:expr) => {{
        let _ = $wait;
        Some($pool.begin_with("BEGIN IMMEDIATE").await?)
    }};
}

/// One projector pass inside a locked transaction: read the checkpoint, apply
/// the next batch, move the checkpoint, commit.
macro_rules! run_pass {
    ($backend:ident, $pool:expr, $events_sql:expr) => {{
        let Some(mut tx) = begin_locked!($backend, $pool, false) else {
            return Ok(Pass::Busy);
        };
        let (_, transaction_id, position): (i64, i64, i64) =
            sqlx::query_as(READ_CHECKPOINT).bind(PROJECTOR_NAME).fetch_one(&mut *tx).await?;
        let mut checkpoint = GlobalPosition { transaction_id, position };
        let events: Vec<LoggedEvent> = sqlx::query_as($events_sql)
            .bind(checkpoint.transaction_id)
            .bind(checkpoint.position)
            .bind(BATCH_SIZE)
            .fetch_all(&mut *tx)
            .await?;
        let applied = events.len();
        for event in events {
            let Some(apply) = projection_for(&event.aggregate_type) else {
                return Err(StoreError::Inconsistent(format!(
                    "no projection for record type {}",
                    event.aggregate_type
                )));
            };
            checkpoint = event.global_position();
            let recorded_at = event.recorded_at()?;
            let (record_type, record_id, version) =
                (event.aggregate_type.clone(), event.aggregate_id.clone(), event.sequence);
            let existing: Option<(String, String)> = sqlx::query_as(READ_RECORD)
                .bind(&record_type)
                .bind(&record_id)
                .fetch_optional(&mut *tx)
                .await?;
            let (state, created_at) = match existing {
                Some((state, created_at)) => (Some(state), created_at),
                None => (None, recorded_at.clone()),
            };
            let projected = apply(state.as_deref(), event.into_serialized()?)?;
            sqlx::query(UPSERT_RECORD)
                .bind(&record_type)
                .bind(&record_id)
                .bind(&projected.group_id)
                .bind(version)
                .bind(projected.classification)
                .bind(projected.status)
                .bind(&projected.member_id)
                .bind(&projected.body_id)
                .bind(&projected.due_on)
                .bind(&created_at)
                .bind(&recorded_at)
                .bind(&projected.state)
                .execute(&mut *tx)
                .await?;
        }
        if applied > 0 {
            sqlx::query(WRITE_CHECKPOINT)
                .bind(PROJECTOR_NAME)
                .bind(SCHEMA_VERSION)
                .bind(checkpoint.transaction_id)
                .bind(checkpoint.position)
                .bind(now())
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(Pass::Ran { checkpoint, applied })
    }};
}

/// Makes sure the checkpoint exists and matches [`SCHEMA_VERSION`]; if it does
/// not, empties the read model so the log is replayed into it.
macro_rules! prepare {
    ($backend:ident, $pool:expr, $force_rebuild:expr) => {{
        let Some(mut tx) = begin_locked!($backend, $pool, true) else {
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
            sqlx::query(WRITE_CHECKPOINT)
                .bind(PROJECTOR_NAME)
                .bind(SCHEMA_VERSION)
                .bind(0_i64)
                .bind(0_i64)
                .bind(now())
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(rebuild)
    }};
}

fn now() -> String {
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
    wake: Notify,
    progress: watch::Sender<GlobalPosition>,
    waiters: AtomicUsize,
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

    /// Empties the read model and rebuilds it from the whole log; returns how
    /// many events were applied.
    pub async fn rebuild(db: Database) -> Result<usize, StoreError> {
        let projector = Self::new(db);
        projector.prepare(true).await?;
        projector.catch_up().await
    }

    fn new(db: Database) -> Self {
        let (progress, _) = watch::channel(GlobalPosition::START);
        Self { inner: Arc::new(Inner { db, wake: Notify::new(), progress, waiters: AtomicUsize::new(0) }) }
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
        let target = self.head().await?;
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

    /// The newest event in the log, as this call sees it.
    async fn head(&self) -> Result<GlobalPosition, StoreError> {
        let sql = match self.inner.db {
            Database::Postgres(_) => {
                "SELECT transaction_id::text::bigint, position FROM events \
                 ORDER BY transaction_id DESC, position DESC LIMIT 1"
            }
            Database::Sqlite(_) => "SELECT 0, position FROM events ORDER BY position DESC LIMIT 1",
        };
        let head: Option<(i64, i64)> =
            on_pool!(&self.inner.db, pool => sqlx::query_as(sql).fetch_optional(pool).await)?;
        Ok(head.map_or(GlobalPosition::START, |(transaction_id, position)| GlobalPosition {
            transaction_id,
            position,
        }))
    }

    /// Runs passes while they find events; returns the checkpoint reached and
    /// how many events were applied.
    async fn drain(&self) -> Result<(GlobalPosition, usize), StoreError> {
        let mut total = 0;
        loop {
            match self.pass().await? {
                Pass::Busy => tokio::time::sleep(Duration::from_millis(2)).await,
                Pass::Ran { checkpoint, applied } => {
                    self.inner.progress.send_if_modified(|seen| {
                        let moved = checkpoint > *seen;
                        if moved {
                            *seen = checkpoint;
                        }
                        moved
                    });
                    total += applied;
                    if applied < BATCH_SIZE as usize {
                        return Ok((checkpoint, total));
                    }
                }
            }
        }
    }

    /// Waits until the read model includes the event at `target`, or `timeout`
    /// passes; returns whether it did.
    pub async fn wait_for(&self, target: GlobalPosition, timeout: Duration) -> bool {
        let mut progress = self.inner.progress.subscribe();
        self.inner.waiters.fetch_add(1, Ordering::SeqCst);
        self.inner.wake.notify_one();
        let reached = tokio::time::timeout(timeout, progress.wait_for(|seen| *seen >= target))
            .await
            .is_ok_and(|r| r.is_ok());
        self.inner.waiters.fetch_sub(1, Ordering::SeqCst);
        reached
    }

    /// The background task: a pass whenever a command commits, while anyone is
    /// waiting, and once a second for commits made by other processes.
    async fn follow(&self) {
        let mut failures = 0_u32;
        while !self.inner.db.is_closed() {
            let someone_waits = self.inner.waiters.load(Ordering::SeqCst) > 0;
            let pause = if someone_waits { Duration::from_millis(2) } else { Duration::from_secs(1) };
            tokio::select! {
                () = self.inner.wake.notified() => {}
                () = tokio::time::sleep(pause) => {}
            }
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
