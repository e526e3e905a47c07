//! The chain follower and the audit reads over it.
//!
//! Appends stay concurrent: no writer takes a lock to extend the chain. Like
//! the projector, a follower reads the log in its global order (behind every
//! transaction still open, on PostgreSQL), numbers each group's events from 1
//! and stores each one's link hash (`audit::chain`), under an advisory lock so
//! one process at a time extends the chain. After a pass it signs a checkpoint
//! of each group whose chain grew, when one is due.

use std::{collections::HashMap, sync::Arc, time::Duration};

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::{
    Database, GlobalPosition, StoreError,
    database::on_pool,
    log_export,
    projector::{
        ENSURE_CHECKPOINT, LoggedEvent, READ_CHECKPOINT, begin_locked, log_head, now, write_checkpoint,
    },
};
use futures::{Stream, StreamExt as _, TryStreamExt as _, stream};

use crate::audit::{
    chain::{ChainedEvent, LinkHash},
    checkpoint::{self as audit_checkpoint, Checkpoint, CheckpointSigner},
    export::{ExportLine, ExportText, FORMAT, StoredEventText, event_text},
    verify::{ChainProblem, ChainVerifier, StoredLink, VerifyReport},
};
use crate::store::command_bus::metadata_keys;

/// The checkpoint row of the chain follower.
const CHAIN_NAME: &str = "chain";
/// The chain's format version, kept in its checkpoint row.
const CHAIN_VERSION: i64 = 1;
/// The advisory lock that makes one chain pass at a time across processes.
const CHAIN_LOCK: i64 = 0x0063_6175_6375_7302; // "caucus" 2
/// How many events one pass reads.
const BATCH_SIZE: i64 = 1000;
/// How often the background task extends the chain.
const FOLLOW_INTERVAL: Duration = Duration::from_secs(1);
/// How long [`Chainer::catch_up`] waits for older transactions to finish.
const CATCH_UP_DEADLINE: Duration = Duration::from_secs(60);

/// How checkpoints are signed.
#[derive(Debug, Clone)]
pub struct CheckpointPolicy {
    /// The key; without one the chain is kept but no checkpoint is signed.
    pub signer: Option<Arc<CheckpointSigner>>,
    /// The least time between two checkpoints of a group.
    pub interval: Duration,
}

impl Default for CheckpointPolicy {
    fn default() -> Self {
        Self { signer: None, interval: Duration::from_secs(60) }
    }
}

/// An event read for the chain, with its record's group as a fallback for
/// events whose metadata names none.
#[derive(sqlx::FromRow)]
struct UnchainedEvent {
    #[sqlx(flatten)]
    event: LoggedEvent,
    record_group: Option<String>,
    /// Where the event is already linked, if it is: only when someone has
    /// moved it in the log's order since (the chain, not that order, is what
    /// the hashes cover, so it stays where it is linked).
    linked_at: Option<i64>,
}

const PG_UNCHAINED: &str = "SELECT e.aggregate_type, e.aggregate_id, e.sequence, e.event_type, \
     e.event_version, e.payload::text AS payload, e.metadata::text AS metadata, \
     e.transaction_id::text::bigint AS transaction_id, e.position, r.group_id AS record_group, \
     l.log_position AS linked_at \
     FROM events e \
     LEFT JOIN records r ON r.record_type = e.aggregate_type AND r.record_id = e.aggregate_id \
     LEFT JOIN event_chain l \
       ON l.aggregate_type = e.aggregate_type AND l.aggregate_id = e.aggregate_id AND l.sequence = e.sequence \
     WHERE (e.transaction_id, e.position) > ($1::bigint::text::xid8, $2) \
       AND e.transaction_id < pg_snapshot_xmin(pg_current_snapshot()) \
     ORDER BY e.transaction_id, e.position LIMIT $3";

const SQLITE_UNCHAINED: &str = "SELECT e.aggregate_type, e.aggregate_id, e.sequence, e.event_type, \
     e.event_version, e.payload, e.metadata, 0 AS transaction_id, e.position, \
     r.group_id AS record_group, l.log_position AS linked_at \
     FROM events e \
     LEFT JOIN records r ON r.record_type = e.aggregate_type AND r.record_id = e.aggregate_id \
     LEFT JOIN event_chain l \
       ON l.aggregate_type = e.aggregate_type AND l.aggregate_id = e.aggregate_id AND l.sequence = e.sequence \
     WHERE $1 = $1 AND e.position > $2 ORDER BY e.position LIMIT $3";

const CHAIN_HEAD: &str =
    "SELECT log_position, hash FROM event_chain WHERE group_id = $1 ORDER BY log_position DESC LIMIT 1";

const INSERT_LINKS: &str = "INSERT INTO event_chain (group_id, log_position, aggregate_type, \
     aggregate_id, sequence, recorded_at, actor, hash) ";

/// Links per insert (SQLite allows 32,766 bound values: 8 per link).
const LINKS_PER_INSERT: usize = 1000;

/// A link to store.
struct NewLink {
    group: String,
    position: i64,
    record_type: String,
    record_id: String,
    sequence: i64,
    recorded_at: String,
    actor: String,
    hash: String,
}

const LAST_SIGNED: &str =
    "SELECT size, signed_at FROM chain_checkpoints WHERE group_id = $1 ORDER BY size DESC LIMIT 1";

const INSERT_CHECKPOINT: &str = "INSERT INTO chain_checkpoints (group_id, size, hash, note, signed_at) \
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (group_id, size) DO NOTHING";

/// Where a group's chain stands.
#[derive(Debug, Clone, Copy)]
struct Head {
    size: i64,
    hash: LinkHash,
}

fn metadata_text(metadata: &Value, key: &str) -> String {
    metadata.get(key).and_then(Value::as_str).unwrap_or_default().to_owned()
}

/// Extends the chain by one batch in a locked transaction; evaluates to where
/// the chain now ends in the log and how many events it chained, or `None` if
/// another process holds the lock.
macro_rules! chain_pass {
    ($backend:ident, $pool:expr, $events_sql:expr, $policy:expr) => {{
        let Some(mut tx) = begin_locked!($backend, $pool, false, CHAIN_LOCK) else {
            return Ok(None);
        };
        sqlx::query(ENSURE_CHECKPOINT)
            .bind(CHAIN_NAME)
            .bind(CHAIN_VERSION)
            .bind(now())
            .execute(&mut *tx)
            .await?;
        let (_, transaction_id, position): (i64, i64, i64) =
            sqlx::query_as(READ_CHECKPOINT).bind(CHAIN_NAME).fetch_one(&mut *tx).await?;
        let mut checkpoint = GlobalPosition { transaction_id, position };
        let events: Vec<UnchainedEvent> = sqlx::query_as($events_sql)
            .bind(checkpoint.transaction_id)
            .bind(checkpoint.position)
            .bind(BATCH_SIZE)
            .fetch_all(&mut *tx)
            .await?;
        let chained = events.len();
        let mut heads: HashMap<String, Head> = HashMap::new();
        let mut links: Vec<NewLink> = Vec::with_capacity(chained);
        for UnchainedEvent { event, record_group, linked_at } in events {
            checkpoint = event.global_position();
            if let Some(position) = linked_at {
                tracing::warn!(
                    record_type = %event.aggregate_type,
                    record_id = %event.aggregate_id,
                    sequence = event.sequence,
                    position,
                    "an event already in the chain was met again: its place in the log was changed"
                );
                continue;
            }
            let metadata: Value = serde_json::from_str(&event.metadata)?;
            let group = match metadata.get(metadata_keys::GROUP).and_then(Value::as_str) {
                Some(group) => group.to_owned(),
                None => record_group.unwrap_or_default(),
            };
            let head = match heads.get(&group) {
                Some(head) => *head,
                None => {
                    let stored: Option<(i64, String)> =
                        sqlx::query_as(CHAIN_HEAD).bind(&group).fetch_optional(&mut *tx).await?;
                    match stored {
                        Some((size, hash)) => Head {
                            size,
                            hash: LinkHash::from_hex(&hash).ok_or_else(|| {
                                StoreError::Inconsistent(format!("chain of {group} has a malformed hash"))
                            })?,
                        },
                        None => Head { size: 0, hash: LinkHash::GENESIS },
                    }
                }
            };
            let chained_event = ChainedEvent {
                position: (head.size + 1) as u64,
                record_type: event.aggregate_type.clone(),
                record_id: event.aggregate_id.clone(),
                sequence: event.sequence as u64,
                event_type: event.event_type.clone(),
                event_version: event.event_version.clone(),
                payload: serde_json::from_str(&event.payload)?,
                metadata: metadata.clone(),
            };
            let hash = chained_event.link(&head.hash);
            links.push(NewLink {
                group: group.clone(),
                position: head.size + 1,
                record_type: event.aggregate_type,
                record_id: event.aggregate_id,
                sequence: event.sequence,
                recorded_at: metadata_text(&metadata, metadata_keys::RECORDED_AT),
                actor: metadata_text(&metadata, metadata_keys::ACTOR),
                hash: hash.to_hex(),
            });
            heads.insert(group, Head { size: head.size + 1, hash });
        }
        for chunk in links.chunks(LINKS_PER_INSERT) {
            let mut insert: sqlx::QueryBuilder<'_, sqlx::$backend> = sqlx::QueryBuilder::new(INSERT_LINKS);
            insert.push_values(chunk, |mut values, link| {
                values
                    .push_bind(&link.group)
                    .push_bind(link.position)
                    .push_bind(&link.record_type)
                    .push_bind(&link.record_id)
                    .push_bind(link.sequence)
                    .push_bind(&link.recorded_at)
                    .push_bind(&link.actor)
                    .push_bind(&link.hash);
            });
            insert.build().execute(&mut *tx).await?;
        }
        if chained > 0 {
            write_checkpoint!(&mut *tx, CHAIN_NAME, CHAIN_VERSION, checkpoint);
        }
        let policy: &CheckpointPolicy = $policy;
        if let Some(signer) = &policy.signer {
            for (group, head) in &heads {
                let last: Option<(i64, String)> =
                    sqlx::query_as(LAST_SIGNED).bind(group).fetch_optional(&mut *tx).await?;
                if is_due(last.as_ref().map(|(_, at)| at.as_str()), policy.interval) {
                    let note = signer
                        .sign(group, head.size as u64, head.hash)
                        .map_err(|e| StoreError::Inconsistent(e.to_string()))?;
                    sqlx::query(INSERT_CHECKPOINT)
                        .bind(group)
                        .bind(head.size)
                        .bind(head.hash.to_hex())
                        .bind(note)
                        .bind(now())
                        .execute(&mut *tx)
                        .await?;
                }
            }
        }
        tx.commit().await?;
        Ok(Some((checkpoint, chained)))
    }};
}

/// Whether a checkpoint is due, the last one having been signed at `last`.
fn is_due(last: Option<&str>, interval: Duration) -> bool {
    let Some(last) = last.and_then(|at| DateTime::parse_from_rfc3339(at).ok()) else {
        return true;
    };
    let age = Utc::now().signed_duration_since(last);
    age.to_std().is_ok_and(|age| age >= interval)
}

/// Keeps every group's hash chain current. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Chainer {
    db: Database,
    policy: CheckpointPolicy,
}

impl Chainer {
    /// A chainer over `db` signing as `policy` says.
    pub fn new(db: Database, policy: CheckpointPolicy) -> Self {
        Self { db, policy }
    }

    /// Chains everything already in the log, then follows it in the background.
    pub async fn start(db: Database, policy: CheckpointPolicy) -> Result<Self, StoreError> {
        let chainer = Self::new(db, policy);
        chainer.catch_up().await?;
        let task = chainer.clone();
        tokio::spawn(async move { task.follow().await });
        Ok(chainer)
    }

    async fn pass(&self) -> Result<Option<(GlobalPosition, usize)>, StoreError> {
        match &self.db {
            Database::Postgres(pool) => chain_pass!(Postgres, pool, PG_UNCHAINED, &self.policy),
            Database::Sqlite(pool) => chain_pass!(Sqlite, pool, SQLITE_UNCHAINED, &self.policy),
        }
    }

    /// Chains every event committed before the call; returns how many were
    /// chained. On PostgreSQL this waits for older transactions to finish.
    pub async fn catch_up(&self) -> Result<usize, StoreError> {
        let target = log_head(&self.db).await?;
        let deadline = tokio::time::Instant::now() + CATCH_UP_DEADLINE;
        let mut total = 0;
        loop {
            if let Some((reached, chained)) = self.pass().await? {
                total += chained;
                if reached >= target {
                    return Ok(total);
                }
                if chained == BATCH_SIZE as usize {
                    continue;
                }
            }
            if tokio::time::Instant::now() > deadline {
                return Err(StoreError::Inconsistent(
                    "the chain could not reach the end of the log: a transaction is held open".into(),
                ));
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    async fn follow(&self) {
        let mut failures = 0_u32;
        while !self.db.is_closed() {
            tokio::time::sleep(FOLLOW_INTERVAL).await;
            loop {
                match self.pass().await {
                    Ok(Some((_, chained))) if chained == BATCH_SIZE as usize => continue,
                    Ok(_) => failures = 0,
                    Err(error) => {
                        failures = failures.saturating_add(1);
                        tracing::error!(error = %error, failures, "chain pass failed");
                        let backoff = Duration::from_millis(100 * u64::from(failures.min(50)));
                        tokio::time::sleep(backoff).await;
                    }
                }
                break;
            }
        }
    }
}

/// One event of a group's log, as the audit log shows it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LogEntry {
    /// Its position in the group's log.
    pub log_position: i64,
    /// The record type.
    pub aggregate_type: String,
    /// The record id.
    pub aggregate_id: String,
    /// Its sequence within the record.
    pub sequence: i64,
    /// When it was recorded (RFC 3339).
    pub recorded_at: String,
    /// Who recorded it.
    pub actor: String,
    /// Its link hash (hex).
    pub hash: String,
    /// The event's type; `None` if the log no longer has the event.
    pub event_type: Option<String>,
    /// The event's version.
    pub event_version: Option<String>,
    /// The payload as stored (JSON text).
    pub payload: Option<String>,
    /// The metadata as stored (JSON text).
    pub metadata: Option<String>,
}

impl LogEntry {
    /// The entry's export line, written from the stored text.
    pub fn export_text(&self) -> Result<ExportText, StoreError> {
        match (&self.event_type, &self.event_version, &self.payload, &self.metadata) {
            (Some(event_type), Some(event_version), Some(payload), Some(metadata)) => {
                Ok(event_text(&StoredEventText {
                    position: self.log_position as u64,
                    record_type: &self.aggregate_type,
                    record_id: &self.aggregate_id,
                    sequence: self.sequence as u64,
                    event_type,
                    event_version,
                    payload,
                    metadata,
                    hash: &self.hash,
                }))
            }
            _ => Err(StoreError::Inconsistent(format!(
                "the event at position {} is missing",
                self.log_position
            ))),
        }
    }

    /// The entry as the verifier sees it.
    pub fn stored_link(&self) -> Result<StoredLink, StoreError> {
        let event = match (&self.event_type, &self.event_version, &self.payload, &self.metadata) {
            (Some(event_type), Some(event_version), Some(payload), Some(metadata)) => Some(ChainedEvent {
                position: self.log_position as u64,
                record_type: self.aggregate_type.clone(),
                record_id: self.aggregate_id.clone(),
                sequence: self.sequence as u64,
                event_type: event_type.clone(),
                event_version: event_version.clone(),
                payload: serde_json::from_str(payload)?,
                metadata: serde_json::from_str(metadata)?,
            }),
            _ => None,
        };
        Ok(StoredLink { position: self.log_position as u64, event, hash: LinkHash::from_hex(&self.hash) })
    }
}

/// What to narrow an audit log read to.
#[derive(Debug, Clone, Default)]
pub struct LogFilter {
    /// Only events by this actor (token subject).
    pub actor: Option<String>,
    /// Only events of this record type.
    pub record_type: Option<String>,
    /// Only events of this record.
    pub record_id: Option<String>,
    /// Only events recorded at or after this instant (RFC 3339, UTC).
    pub from: Option<String>,
    /// Only events recorded before this instant (RFC 3339, UTC).
    pub until: Option<String>,
}

/// A value bound to a dynamically built statement.
enum Bind {
    Text(String),
    Int(i64),
}

/// A log entry: the chain's link and, if the log still has it, the event.
const LOG_SELECT: &str = "SELECT c.log_position, c.aggregate_type, c.aggregate_id, c.sequence, \
     c.recorded_at, c.actor, c.hash, e.event_type, e.event_version, CAST(e.payload AS TEXT) AS payload, \
     CAST(e.metadata AS TEXT) AS metadata \
     FROM event_chain c LEFT JOIN events e ON e.aggregate_type = c.aggregate_type \
     AND e.aggregate_id = c.aggregate_id AND e.sequence = c.sequence";

/// Reads up to `limit` entries of `group`'s log after `after`, in order.
pub async fn read_log(
    db: &Database,
    group: &str,
    after: i64,
    limit: i64,
    filter: &LogFilter,
) -> Result<Vec<LogEntry>, StoreError> {
    let mut sql = format!("{LOG_SELECT} WHERE c.group_id = $1 AND c.log_position > $2");
    let mut binds = vec![Bind::Text(group.to_owned()), Bind::Int(after)];
    let clauses = [
        ("c.actor =", &filter.actor),
        ("c.aggregate_type =", &filter.record_type),
        ("c.aggregate_id =", &filter.record_id),
        ("c.recorded_at >=", &filter.from),
        ("c.recorded_at <", &filter.until),
    ];
    for (clause, value) in clauses {
        if let Some(value) = value {
            binds.push(Bind::Text(value.clone()));
            sql.push_str(&format!(" AND {clause} ${}", binds.len()));
        }
    }
    binds.push(Bind::Int(limit));
    sql.push_str(&format!(" ORDER BY c.log_position LIMIT ${}", binds.len()));
    let entries = on_pool!(db, pool => {
        let mut query = sqlx::query_as::<_, LogEntry>(&sql);
        for bind in &binds {
            query = match bind {
                Bind::Text(text) => query.bind(text.as_str()),
                Bind::Int(n) => query.bind(*n),
            };
        }
        query.fetch_all(pool).await
    })?;
    Ok(entries)
}

/// One stored checkpoint.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StoredCheckpoint {
    /// How many events it covers.
    pub size: i64,
    /// The link hash of the last of them (hex).
    pub hash: String,
    /// The signed note.
    pub note: String,
    /// When it was signed.
    pub signed_at: String,
}

/// Every checkpoint of `group`, smallest first.
pub async fn checkpoints(db: &Database, group: &str) -> Result<Vec<StoredCheckpoint>, StoreError> {
    let sql = "SELECT size, hash, note, signed_at FROM chain_checkpoints WHERE group_id = $1 ORDER BY size";
    Ok(on_pool!(db, pool => sqlx::query_as(sql).bind(group).fetch_all(pool).await)?)
}

/// The latest checkpoint of `group`, if one was signed.
pub async fn latest_checkpoint(db: &Database, group: &str) -> Result<Option<StoredCheckpoint>, StoreError> {
    let sql = "SELECT size, hash, note, signed_at FROM chain_checkpoints WHERE group_id = $1 \
               ORDER BY size DESC LIMIT 1";
    Ok(on_pool!(db, pool => sqlx::query_as(sql).bind(group).fetch_optional(pool).await)?)
}

/// How many log entries a verification or an export reads at once.
pub(crate) const LOG_PAGE: i64 = 5000;

/// How many events of `group`'s log are chained.
pub async fn chained_count(db: &Database, group: &str) -> Result<i64, StoreError> {
    let sql = "SELECT coalesce(max(log_position), 0) FROM event_chain WHERE group_id = $1";
    Ok(on_pool!(db, pool => sqlx::query_scalar::<_, i64>(sql).bind(group).fetch_one(pool).await)?)
}

/// The checkpoints of `group` the verifier should hold the chain to. With the
/// group's `verifier_key` each must carry a valid signature over this group's
/// origin and size (the first that does not is the problem); without one, the
/// stored sizes and heads are taken as they are, which still catches a cut tail
/// or a rewritten chain as long as the checkpoints table was left alone.
fn opened_checkpoints(
    stored: &[StoredCheckpoint],
    group: &str,
    verifier_key: Option<&str>,
) -> (Vec<Checkpoint>, Option<ChainProblem>) {
    let mut opened = Vec::new();
    for checkpoint in stored {
        let size = checkpoint.size as u64;
        let result = match verifier_key {
            Some(key) => {
                audit_checkpoint::open(&checkpoint.note, key).map_err(|e| e.to_string()).and_then(|c| {
                    if c.size == size && c.origin.ends_with(&format!("/{group}")) {
                        Ok(c)
                    } else {
                        Err("it is not a checkpoint of this group's log at this size".to_owned())
                    }
                })
            }
            None => LinkHash::from_hex(&checkpoint.hash)
                .map(|head| Checkpoint { origin: group.to_owned(), size, head })
                .ok_or_else(|| "its hash is malformed".to_owned()),
        };
        match result {
            Ok(checkpoint) => opened.push(checkpoint),
            Err(reason) => {
                return (opened, Some(ChainProblem::BadCheckpoint { checkpoint_size: size, reason }));
            }
        }
    }
    (opened, None)
}

/// Verifies `group`'s stored log, page by page, against its checkpoints.
pub async fn verify_group(
    db: &Database,
    group: &str,
    verifier_key: Option<&str>,
) -> Result<VerifyReport, StoreError> {
    let last = chained_count(db, group).await?;
    verify_group_until(db, group, verifier_key, last, async |_| Ok(())).await
}

/// Verifies `group`'s stored log up to position `last` against its
/// checkpoints, telling `progress` how many events are checked after each
/// page. The hashing runs on the blocking pool, so a long verification never
/// holds up the requests served beside it.
pub async fn verify_group_until(
    db: &Database,
    group: &str,
    verifier_key: Option<&str>,
    last: i64,
    mut progress: impl AsyncFnMut(i64) -> Result<(), StoreError>,
) -> Result<VerifyReport, StoreError> {
    let stored = checkpoints(db, group).await?;
    let (opened, bad) = opened_checkpoints(&stored, group, verifier_key);
    let mut verifier = ChainVerifier::new(&opened, bad);
    let mut after = 0;
    while after < last && !verifier.failed() {
        let until = (after + LOG_PAGE).min(last);
        let page = read_log_range(db, group, after, until).await?;
        verifier = tokio::task::spawn_blocking(move || {
            for entry in &page {
                verifier.check(&entry.stored_link()?);
            }
            Ok::<_, StoreError>(verifier)
        })
        .await
        .map_err(|error| StoreError::Inconsistent(format!("verifying the chain broke off: {error}")))??;
        after = until;
        progress(after).await?;
    }
    Ok(verifier.finish())
}

/// Entries `after + 1 ..= until` of `group`'s log, in order. The chain numbers
/// a group's events 1, 2, 3, ..., so a page is an index range: reading a large
/// log page by page stays linear whatever the planner's statistics say (a
/// `LIMIT` after a position can make it sort everything after it, each page).
pub(crate) async fn read_log_range(
    db: &Database,
    group: &str,
    after: i64,
    until: i64,
) -> Result<Vec<LogEntry>, StoreError> {
    let sql = format!(
        "{LOG_SELECT} WHERE c.group_id = $1 AND c.log_position > $2 AND c.log_position <= $3 ORDER BY c.log_position"
    );
    Ok(on_pool!(db, pool => {
        sqlx::query_as::<_, LogEntry>(&sql).bind(group).bind(after).bind(until).fetch_all(pool).await
    })?)
}

/// `group`'s log as export lines: the header, the checkpoints, then every
/// chained event in order (read as `log_export` says). The header's count is
/// read first and the events are read up to it, so the file agrees with
/// itself even while new events are being chained.
pub fn export(db: Database, group: String) -> impl Stream<Item = Result<ExportText, StoreError>> {
    stream::once(async move {
        let events = chained_count(&db, &group).await?;
        let mut lines = vec![ExportLine::Header {
            format: FORMAT.to_owned(),
            group: group.clone(),
            events: events as u64,
        }];
        for checkpoint in checkpoints(&db, &group).await?.into_iter().filter(|c| c.size <= events) {
            lines.push(ExportLine::Checkpoint { size: checkpoint.size as u64, note: checkpoint.note });
        }
        let head = stream::iter(lines.iter().map(|line| Ok(ExportText::from(line))).collect::<Vec<_>>());
        Ok::<_, StoreError>(head.chain(log_export::chained_event_lines(db, group, events)))
    })
    .try_flatten()
}
