//! `caucus-bench audit`: the audit operations on a store of N events.
//!
//! Seeds a fresh store with the sample group through the command bus, copies
//! its events under new record ids until the log holds N events (one group, so
//! one chain of N), then times, one after another: extending the hash chain
//! over the whole log, replaying it into a fresh read model, exporting it as
//! JSON Lines, and verifying the chain against its signed checkpoint.

use std::{sync::Arc, time::Instant};

use caucus_api::{
    audit::checkpoint::CheckpointSigner,
    personal::PersonalData,
    sample,
    store::{
        Database, StoreConfig,
        chain::{self, Chainer, CheckpointPolicy},
        command_bus::CommandBus,
        projector::Projector,
    },
};
use futures::StreamExt as _;

/// How many copies of the sample one transaction inserts.
const COPIES_PER_TRANSACTION: u64 = 50;

/// Seeds `store` with at least `events` events (unless `reuse` and it holds
/// them already), then measures chain, replay, export and verify; prints one
/// line.
pub async fn run(label: &str, store: &StoreConfig, events: u64, reuse: bool) -> anyhow::Result<()> {
    let db = Database::connect(store).await?;
    db.migrate().await?;
    let held = count(&db).await?;
    let reused = reuse && held >= events;
    let seeded = if reused { held } else { seed(&db, events).await? };
    if let Database::Postgres(_) = &db {
        // A store that grew to this size over years has statistics that
        // autovacuum keeps current; one filled in a minute does not yet.
        execute(&db, "ANALYZE").await?;
    }
    eprintln!("seeded {seeded} events");

    let (signer, _) = CheckpointSigner::generate("caucus-bench")?;
    let key = signer.verifier_key().to_owned();
    let policy = CheckpointPolicy { signer: Some(Arc::new(signer)), interval: std::time::Duration::ZERO };

    let started = Instant::now();
    let chained = Chainer::new(db.clone(), policy).catch_up().await?;
    // A reused store was chained by the run that seeded it.
    let chain_rate = chained as f64 / started.elapsed().as_secs_f64();
    if let Database::Postgres(_) = &db {
        // Autovacuum visits a table once it has taken in enough new rows: in a
        // store that grew over years the links just written would long since
        // have been vacuumed (their hint bits set, the visibility map current).
        // Without this the export below, the first reader of a million fresh
        // links, would also measure setting their hint bits.
        execute(&db, "VACUUM (ANALYZE) event_chain, events").await?;
    }

    settle(&db).await?;
    let replay = Projector::rebuild(db.clone()).await?;
    settle(&db).await?;

    let started = Instant::now();
    let mut lines = std::pin::pin!(chain::export(db.clone(), sample::GROUP.to_owned()));
    let (mut exported, mut bytes) = (0_u64, 0_usize);
    while let Some(line) = lines.next().await {
        let line = line?.into_string();
        bytes += line.len();
        exported += 1;
    }
    let export_rate = exported as f64 / started.elapsed().as_secs_f64();

    let started = Instant::now();
    // A reused store's checkpoints were signed by the run that seeded it,
    // with a key since thrown away: check its links and not their signatures.
    let key = (!reused).then_some(key);
    let report = chain::verify_group(&db, sample::GROUP, key.as_deref()).await?;
    let verify_rate = report.events as f64 / started.elapsed().as_secs_f64();
    anyhow::ensure!(report.is_intact(), "the seeded log does not verify: {report:?}");

    println!(
        "audit store={label} events={seeded} chain_per_s={chain_rate:.0} replay_per_s={:.0} \
         export_per_s={export_rate:.0} verify_per_s={verify_rate:.0} export_mib={:.1} \
         replay_records={} replay_fold_s={:.2} replay_write_s={:.2} replay_index_s={:.2} replay_swap_s={:.2}",
        replay.events_per_second(),
        bytes as f64 / (1024.0 * 1024.0),
        replay.records,
        replay.fold_seconds,
        replay.write_seconds,
        replay.index_seconds,
        replay.swap_seconds,
    );
    db.close().await;
    Ok(())
}

/// The records a group keeps as many of however long it runs: its members
/// and what is each member's own, its bodies and the seats on them, its
/// courses, organisations and budgets. Copies leave them out, so a large store
/// is years of business (cases, decisions, actions, meetings, motions,
/// briefings, publications, events, donations) done by a group of the
/// sample's size; copying a seat would give it a second holder.
const STANDING: &str = "'Member', 'Register', 'Induction', 'InductionSteps', 'TrainingRecord', 'Course', \
                        'Body', 'Appointment', 'Election', 'Organisation', 'Budget'";

/// Loads the sample group, then copies its events of the records that pile up
/// (not the [`STANDING`] ones) under new record ids until the log holds at
/// least `target` events; returns how many it holds.
async fn seed(db: &Database, target: u64) -> anyhow::Result<u64> {
    seed_with(db, target, &PersonalData::new(db.clone(), None)).await
}

/// Like [`seed`], sealing the sample's personal data with `personal` (a
/// server reading the store later must hold the same master key).
pub(crate) async fn seed_with(db: &Database, target: u64, personal: &PersonalData) -> anyhow::Result<u64> {
    anyhow::ensure!(
        sample::load_if_empty_with(db, &CommandBus::new(db.clone()), personal).await?,
        "the store was not empty"
    );
    let sample_events = count(db).await?;
    // The copies are made from a table of the sample's own events: selecting
    // them from the growing log each time would make seeding quadratic.
    let keep_sample = format!(
        "CREATE TABLE bench_sample AS SELECT * FROM events WHERE aggregate_type NOT IN ({STANDING}) ORDER BY position"
    );
    execute(db, &keep_sample).await?;
    let per_copy: i64 = match db {
        Database::Postgres(pool) => {
            sqlx::query_scalar("SELECT count(*) FROM bench_sample").fetch_one(pool).await?
        }
        Database::Sqlite(pool) => {
            sqlx::query_scalar("SELECT count(*) FROM bench_sample").fetch_one(pool).await?
        }
    };
    let copies = target.saturating_sub(sample_events).div_ceil(u64::try_from(per_copy)?.max(1));
    let mut copy = 1;
    while copy <= copies {
        let last = (copy + COPIES_PER_TRANSACTION - 1).min(copies);
        copy_sample(db, copy, last).await?;
        copy = last + 1;
    }
    execute(db, "DROP TABLE bench_sample").await?;
    count(db).await
}

/// Lets the disk settle before a measurement: the chain and a replay each
/// write a gigabyte or so, and PostgreSQL's background checkpoint of it would
/// otherwise land in the middle of the next measurement.
async fn settle(db: &Database) -> anyhow::Result<()> {
    if let Database::Postgres(_) = db {
        execute(db, "CHECKPOINT").await?;
    }
    Ok(())
}

/// Runs one statement on either store.
pub(crate) async fn execute(db: &Database, sql: &str) -> anyhow::Result<()> {
    match db {
        Database::Postgres(pool) => sqlx::query(sql).execute(pool).await.map(|_| ())?,
        Database::Sqlite(pool) => sqlx::query(sql).execute(pool).await.map(|_| ())?,
    }
    Ok(())
}

pub(crate) async fn count(db: &Database) -> anyhow::Result<u64> {
    let n: i64 = match db {
        Database::Postgres(pool) => sqlx::query_scalar("SELECT count(*) FROM events").fetch_one(pool).await?,
        Database::Sqlite(pool) => sqlx::query_scalar("SELECT count(*) FROM events").fetch_one(pool).await?,
    };
    Ok(n as u64)
}

/// Inserts copies `first..=last` of the sample's events, each copy's in the
/// sample's order. A copy's record id is still a UUID (the api reads most
/// record ids as UUIDs, and the web benchmark opens copies' pages): the
/// original's with its first eight hex digits replaced by the copy's number;
/// an id that is not a UUID gets `-<copy>` appended.
async fn copy_sample(db: &Database, first: u64, last: u64) -> anyhow::Result<()> {
    // `copy`: the copy's number as the store reads a bound integer.
    let sql = |copy: &str, copy_hex: &str| {
        format!(
            "INSERT INTO events (aggregate_type, aggregate_id, sequence, event_type, event_version, \
             payload, metadata) \
             SELECT aggregate_type, \
             CASE WHEN length(aggregate_id) = 36 AND substr(aggregate_id, 9, 1) = '-' \
             THEN {copy_hex} || substr(aggregate_id, 9) ELSE aggregate_id || '-' || {copy} END, \
             sequence, event_type, event_version, payload, metadata FROM bench_sample ORDER BY position"
        )
    };
    match db {
        Database::Postgres(pool) => {
            let sql = sql("CAST($1 AS bigint)", "lpad(to_hex(CAST($1 AS bigint)), 8, '0')");
            let mut tx = pool.begin().await?;
            for copy in first..=last {
                sqlx::query(&sql).bind(i64::try_from(copy)?).execute(&mut *tx).await?;
            }
            tx.commit().await?;
        }
        Database::Sqlite(pool) => {
            let sql = sql("$1", "printf('%08x', $1)");
            let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
            for copy in first..=last {
                sqlx::query(&sql).bind(i64::try_from(copy)?).execute(&mut *tx).await?;
            }
            tx.commit().await?;
        }
    }
    Ok(())
}
