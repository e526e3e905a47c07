//! The read model never silently misses an event: it catches up from the log
//! after a crash between commit and projection, and rebuilds from scratch.

use std::collections::HashMap;

use caucus_api::{
    domain::{
        Classification, GroupId, LongText, Title,
        decision::{Decision, DecisionCommand, DecisionDraft, TakenBy},
    },
    store::{Database, projector::Projector, records},
};
use cqrs_es::{Aggregate, EventStore, event_sink::EventSink, persist::PersistedEventStore};
use postgres_es::PostgresEventRepository;
use sqlite_es::SqliteEventRepository;

use crate::helpers::{Backend, fresh_store};

/// Commits a decision straight to the event log, as a process that crashed
/// before projecting would leave it.
async fn commit_without_projecting(db: &Database, id: &str, title: &str) {
    let mut decision = Decision::default();
    let sink = EventSink::default();
    let draft = DecisionDraft {
        title: Title::parse(title).expect("title"),
        text: LongText::parse("text").expect("text"),
        decided_on: "2026-01-10".parse().expect("date"),
        taken_by: TakenBy::GroupOfficers,
        votes: None,
        classification: Classification::Group,
        review_on: None,
    };
    let command = DecisionCommand::RecordDecision {
        group_id: GroupId::parse("g").expect("group"),
        draft: Box::new(draft),
    };
    decision.handle(command, &(), &sink).await.expect("handle");
    let events = sink.collect().await;
    let metadata = HashMap::from([("recorded_at".to_owned(), "2026-01-10T10:00:00.000000Z".to_owned())]);
    match db {
        Database::Postgres(pool) => {
            let store = PersistedEventStore::<_, Decision>::new_event_store(PostgresEventRepository::new(
                pool.clone(),
            ));
            let context = store.load_aggregate(id).await.expect("load");
            store.commit(events, context, metadata).await.expect("commit");
        }
        Database::Sqlite(pool) => {
            let store =
                PersistedEventStore::<_, Decision>::new_event_store(SqliteEventRepository::new(pool.clone()));
            let context = store.load_aggregate(id).await.expect("load");
            store.commit(events, context, metadata).await.expect("commit");
        }
    }
}

async fn titles(db: &Database) -> Vec<String> {
    let group = GroupId::parse("g").expect("group");
    let page = records::list(
        db,
        &records::RecordQuery {
            limit: 100,
            ..records::RecordQuery::new(&group, "Decision", &Classification::ALL)
        },
    )
    .await
    .expect("list");
    page.records
        .iter()
        .map(|r| {
            serde_json::from_str::<serde_json::Value>(&r.state).expect("state")["title"]
                .as_str()
                .expect("title")
                .to_owned()
        })
        .collect()
}

async fn views_catch_up_after_a_crash_and_rebuild_identically(backend: Backend) {
    let (config, _dir) = fresh_store(backend).await;
    let db = Database::connect(&config).await.expect("connect");
    db.migrate().await.expect("migrate");
    commit_without_projecting(&db, "00000000-0000-7000-8000-000000000001", "First").await;
    commit_without_projecting(&db, "00000000-0000-7000-8000-000000000002", "Second").await;
    assert!(titles(&db).await.is_empty(), "nothing projected yet");

    // A restart: the projector finds the events after its checkpoint.
    let projector = Projector::start(db.clone()).await.expect("start");
    assert_eq!(titles(&db).await, vec!["First", "Second"]);

    let before: Vec<(String, i64, String)> = list_rows(&db).await;
    let indexes = record_indexes(&db).await;
    let replayed = Projector::rebuild(db.clone()).await.expect("rebuild");
    assert_eq!((replayed.events, replayed.records), (2, 2));
    assert_eq!(list_rows(&db).await, before, "a rebuild gives identical rows");

    // The swapped-in table is the migrations' table: same indexes under the
    // same names and definitions, upserts on its key, and a second rebuild swaps it out again.
    assert_eq!(record_indexes(&db).await, indexes);
    commit_without_projecting(&db, "00000000-0000-7000-8000-000000000003", "Third").await;
    projector.catch_up().await.expect("catch up");
    assert_eq!(titles(&db).await, vec!["First", "Second", "Third"]);
    let again = Projector::rebuild(db.clone()).await.expect("second rebuild");
    assert_eq!((again.events, again.records), (3, 3));
    assert_eq!(titles(&db).await, vec!["First", "Second", "Third"]);
    assert_eq!(record_indexes(&db).await, indexes);
}

/// An event that cannot be folded (its payload is no known event), or a
/// record that cannot be projected (its first event is not the one that
/// creates it, so it has no group), stops a rebuild with an error that names
/// the problem, and leaves the read model as it was: nothing half-built is
/// swapped in.
async fn a_rebuild_stops_on_an_unreadable_log_and_keeps_the_read_model(backend: Backend) {
    let cases = [
        ("DecisionRecorded", r#"{"Unheard": {}}"#, "Unheard"),
        ("DecisionAmended", r#"{"DecisionAmended": {"text": "t", "reason": "r"}}"#, "has no group"),
    ];
    for (event_type, payload, named) in cases {
        let (config, _dir) = fresh_store(backend).await;
        let db = Database::connect(&config).await.expect("connect");
        db.migrate().await.expect("migrate");
        commit_without_projecting(&db, "00000000-0000-7000-8000-000000000001", "First").await;
        let _projector = Projector::start(db.clone()).await.expect("start");
        let insert = "INSERT INTO events (aggregate_type, aggregate_id, sequence, event_type, event_version, \
                      payload, metadata) VALUES ('Decision', '00000000-0000-7000-8000-000000000009', 1, $1, '1.0', \
                      $2, '{}')";
        match &db {
            Database::Postgres(pool) => {
                let insert = insert.replace("$2", "$2::json");
                sqlx::query(&insert).bind(event_type).bind(payload).execute(pool).await.map(|_| ())
            }
            Database::Sqlite(pool) => {
                sqlx::query(insert).bind(event_type).bind(payload).execute(pool).await.map(|_| ())
            }
        }
        .expect("insert");
        commit_without_projecting(&db, "00000000-0000-7000-8000-000000000002", "Second").await;

        let error = Projector::rebuild(db.clone()).await.expect_err("the rebuild stops");
        assert!(error.to_string().contains(named), "{event_type}: {error:#}");
        assert_eq!(titles(&db).await, vec!["First"], "the read model is the one before the rebuild");
    }
}

#[tokio::test]
async fn a_rebuild_stops_on_an_unreadable_log_on_sqlite() {
    a_rebuild_stops_on_an_unreadable_log_and_keeps_the_read_model(Backend::Sqlite).await;
}

#[tokio::test]
async fn a_rebuild_stops_on_an_unreadable_log_on_postgres() {
    a_rebuild_stops_on_an_unreadable_log_and_keeps_the_read_model(Backend::Postgres).await;
}

/// `records`' indexes (the primary key's included), each with its definition
/// (columns, uniqueness, predicate), sorted by name.
async fn record_indexes(db: &Database) -> Vec<(String, String)> {
    let indexes: Vec<(String, String)> = match db {
        Database::Postgres(pool) => sqlx::query_as(
            "SELECT indexname::text, indexdef FROM pg_indexes WHERE tablename = 'records' ORDER BY indexname",
        )
        .fetch_all(pool)
        .await
        .expect("indexes"),
        // The primary key's automatic index has no SQL of its own.
        Database::Sqlite(pool) => sqlx::query_as(
            "SELECT name, coalesce(sql, 'automatic') FROM sqlite_master \
             WHERE type = 'index' AND tbl_name = 'records' ORDER BY name",
        )
        .fetch_all(pool)
        .await
        .expect("indexes"),
    };
    assert!(indexes.len() >= 5, "the primary key and the migrations' indexes: {indexes:?}");
    assert!(
        indexes
            .iter()
            .any(|(name, definition)| name == "records_by_member"
                && definition.contains("member_id IS NOT NULL")),
        "the partial indexes keep their predicate: {indexes:?}"
    );
    indexes
}

async fn list_rows(db: &Database) -> Vec<(String, i64, String)> {
    let sql = "SELECT record_id, version, state FROM records ORDER BY record_id";
    match db {
        Database::Postgres(pool) => sqlx::query_as(sql).fetch_all(pool).await.expect("rows"),
        Database::Sqlite(pool) => sqlx::query_as(sql).fetch_all(pool).await.expect("rows"),
    }
}

#[tokio::test]
async fn views_catch_up_after_a_crash_on_sqlite() {
    views_catch_up_after_a_crash_and_rebuild_identically(Backend::Sqlite).await;
}

#[tokio::test]
async fn views_catch_up_after_a_crash_on_postgres() {
    views_catch_up_after_a_crash_and_rebuild_identically(Backend::Postgres).await;
}

/// Every column of a row of the read model.
#[derive(Debug, PartialEq, sqlx::FromRow)]
struct RecordRow {
    record_type: String,
    record_id: String,
    group_id: String,
    version: i64,
    classification: String,
    status: String,
    member_id: Option<String>,
    body_id: Option<String>,
    due_on: Option<String>,
    subject_id: Option<String>,
    created_at: String,
    updated_at: String,
    state: String,
}

/// Every row of the read model, in a stable order.
async fn all_rows(db: &Database) -> Vec<RecordRow> {
    let sql = "SELECT record_type, record_id, group_id, version, classification, status, member_id, \
               body_id, due_on, subject_id, created_at, updated_at, state \
               FROM records ORDER BY record_type, record_id";
    match db {
        Database::Postgres(pool) => sqlx::query_as(sql).fetch_all(pool).await.expect("rows"),
        Database::Sqlite(pool) => sqlx::query_as(sql).fetch_all(pool).await.expect("rows"),
    }
}

async fn a_rebuild_of_the_sample_group_gives_identical_views(backend: Backend) {
    let (store, _dir) = fresh_store(backend).await;
    let app = caucus_api::startup::Application::build(
        &store,
        crate::helpers::auth_config(b"rebuild-secret"),
        "127.0.0.1:0".parse().expect("addr"),
        Some(1),
    )
    .await
    .expect("application builds");
    assert!(caucus_api::sample::load_if_empty(app.database(), app.command_bus()).await.expect("loads"));
    let db = app.database().clone();
    let before = all_rows(&db).await;
    assert!(before.len() > 50, "the sample group has many records");

    let report = Projector::rebuild(db.clone()).await.expect("rebuild");
    assert_eq!(report.records, before.len());
    assert!(report.events >= report.records);
    assert_eq!(all_rows(&db).await, before, "the rebuilt read model is the one the commands wrote");
}

#[tokio::test]
async fn a_rebuild_of_the_sample_group_gives_identical_views_on_sqlite() {
    a_rebuild_of_the_sample_group_gives_identical_views(Backend::Sqlite).await;
}

#[tokio::test]
async fn a_rebuild_of_the_sample_group_gives_identical_views_on_postgres() {
    a_rebuild_of_the_sample_group_gives_identical_views(Backend::Postgres).await;
}

/// Whole-log reads must stream in the `events_global_order` index's order: a
/// query that makes PostgreSQL sort the log first costs a replay seconds at a
/// million events (a bare `ORDER BY transaction_id` once sorted by the output
/// column of that name). With sorting priced out, a plan that still sorts is
/// one that cannot use the index.
#[tokio::test]
async fn whole_log_reads_follow_the_global_order_index_on_postgres() {
    use caucus_api::store::projector::{PG_LOG_AFTER, PG_LOG_HEAD};
    let (config, _dir) = fresh_store(Backend::Postgres).await;
    let db = Database::connect(&config).await.expect("connect");
    db.migrate().await.expect("migrate");
    let Database::Postgres(pool) = &db else { panic!("a PostgreSQL store") };
    let mut connection = pool.acquire().await.expect("connection");
    sqlx::query("SET enable_sort = off").execute(&mut *connection).await.expect("set");
    for (sql, binds) in [(PG_LOG_AFTER, 2), (PG_LOG_HEAD, 0)] {
        let explain = format!("EXPLAIN {sql}");
        let mut query = sqlx::query_scalar::<_, String>(&explain);
        for _ in 0..binds {
            query = query.bind(0_i64);
        }
        let plan = query.fetch_all(&mut *connection).await.expect("plan");
        assert!(plan.iter().any(|line| line.contains("events_global_order")), "{sql}: {plan:#?}");
        assert!(!plan.iter().any(|line| line.contains("Sort")), "{sql} sorts: {plan:#?}");
    }
}

/// The indexes for "everything about member X" (and body, and subject) hold
/// only the rows that name one: a list's `member_id = $n` must still find its
/// rows through them, on both stores (a SQLite or PostgreSQL that could not
/// prove the index's predicate would read the whole group's records instead).
async fn lists_about_one_member_body_or_subject_use_their_partial_indexes(backend: Backend) {
    let (config, _dir) = fresh_store(backend).await;
    let db = Database::connect(&config).await.expect("connect");
    db.migrate().await.expect("migrate");
    for (column, index) in [
        ("member_id", "records_by_member"),
        ("body_id", "records_by_body"),
        ("subject_id", "records_by_subject"),
    ] {
        let sql = format!(
            "SELECT record_id FROM records WHERE group_id = $1 AND record_type = $2 AND {column} = $3"
        );
        let plan: Vec<String> = match &db {
            Database::Postgres(pool) => {
                let mut connection = pool.acquire().await.expect("connection");
                sqlx::query("SET enable_seqscan = off").execute(&mut *connection).await.expect("set");
                sqlx::query_scalar(&format!("EXPLAIN {sql}"))
                    .bind("g")
                    .bind("decision")
                    .bind("x")
                    .fetch_all(&mut *connection)
                    .await
                    .expect("plan")
            }
            Database::Sqlite(pool) => {
                let rows: Vec<(i64, i64, i64, String)> = sqlx::query_as(&format!("EXPLAIN QUERY PLAN {sql}"))
                    .bind("g")
                    .bind("decision")
                    .bind("x")
                    .fetch_all(pool)
                    .await
                    .expect("plan");
                rows.into_iter().map(|(_, _, _, detail)| detail).collect()
            }
        };
        assert!(plan.iter().any(|line| line.contains(index)), "{column}: {plan:#?}");
    }
}

#[tokio::test]
async fn lists_about_one_member_body_or_subject_use_their_partial_indexes_on_sqlite() {
    lists_about_one_member_body_or_subject_use_their_partial_indexes(Backend::Sqlite).await;
}

#[tokio::test]
async fn lists_about_one_member_body_or_subject_use_their_partial_indexes_on_postgres() {
    lists_about_one_member_body_or_subject_use_their_partial_indexes(Backend::Postgres).await;
}
