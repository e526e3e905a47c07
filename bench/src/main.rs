//! `caucus-bench`: command throughput and latency against a running Caucus API,
//! and the raw SQLite ceiling for the same work one command does on the
//! embedded store. Not a test: run it through `bench/run.sh` (see
//! `bench/README.md`).

use std::{
    collections::BTreeMap,
    sync::Arc,
    time::{Duration, Instant},
};

mod audit;
mod casework;
mod site;
mod web;

use anyhow::Context;
use caucus_api::store::StoreConfig;
use clap::{Parser, Subcommand};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

/// Measures `POST /api/v1/decisions` throughput and latency at several client
/// counts, or (`sqlite-raw`) the raw SQLite ceiling for the same work.
#[derive(Debug, Parser)]
#[command(name = "caucus-bench", about)]
struct Cli {
    /// The API's base URL, e.g. `http://127.0.0.1:8080`.
    #[arg(long, env = "CAUCUS_BENCH_API_URL")]
    api_url: Option<String>,

    /// A bearer token whose roles may record decisions (`caucus token`).
    #[arg(long, env = "CAUCUS_BENCH_TOKEN", hide_env_values = true)]
    token: Option<String>,

    /// Concurrent clients, one measurement per count.
    #[arg(long, value_delimiter = ',', default_value = "1,8,32", global = true)]
    clients: Vec<usize>,

    /// Measured seconds per client count.
    #[arg(long, default_value_t = 10, global = true)]
    seconds: u64,

    /// Unmeasured seconds before each measurement.
    #[arg(long, default_value_t = 2, global = true)]
    warmup_seconds: u64,

    #[command(subcommand)]
    mode: Option<Mode>,
}

#[derive(Debug, Subcommand)]
enum Mode {
    /// The raw SQLite ceiling: in a fresh WAL file with synchronous=FULL and
    /// Caucus's schema, per operation: load a stream; in one transaction
    /// append an event and upsert its `records` row; read the row back.
    SqliteRaw,
    /// The audit operations on a store of `--events` events: extend the hash
    /// chain over it, replay it into a fresh read model, export it, verify it.
    Audit {
        /// How many events to seed (copies of the sample group's).
        #[arg(long, default_value_t = 1_000_000)]
        events: u64,
        /// A PostgreSQL URL of an empty database; without it, a fresh SQLite
        /// store in a temporary folder.
        #[arg(long)]
        database_url: Option<String>,
        /// Measure a store this run or an earlier one seeded (it must hold
        /// `--events` events already) instead of an empty one: for trying a
        /// change to replay or export without seeding again.
        #[arg(long, requires = "database_url")]
        reuse: bool,
    },
    /// Seeds approved, published news articles (numbered from `--first`)
    /// into a store through the command bus, for `caucus-publisher build`.
    SiteSeed {
        /// How many articles.
        #[arg(long, default_value_t = 10_000)]
        articles: u64,
        /// The first article's number (articles with the same number are the
        /// same article in `site-markdown`).
        #[arg(long, default_value_t = 1)]
        first: u64,
        #[command(flatten)]
        store: caucus_api::configuration::StoreSettings,
    },
    /// Writes articles `1..=--articles` as Markdown files for Hugo under
    /// `<site>/content/news/`.
    /// Seeds a fresh PostgreSQL store with the sample group and `--cases` more cases.
    CaseworkSeed {
        /// How many cases beyond the sample's.
        #[arg(long, default_value_t = 100_000)]
        cases: u64,
        /// The store (seeded with `synchronous_commit=off` is fine: it is only loading).
        #[arg(long)]
        database_url: String,
    },
    /// Times a councillor's overdue list and the quarter's casework report
    /// against `--api-url` (`--token`: the assistant's).
    CaseworkRead {
        /// A councillor's token.
        #[arg(long, env = "CAUCUS_BENCH_COUNCILLOR_TOKEN", hide_env_values = true)]
        councillor_token: String,
        /// How many timed requests of each.
        #[arg(long, default_value_t = 200)]
        requests: usize,
    },
    /// Seeds a fresh store for `web`: the sample group and copies of its
    /// events up to `--events` (0: the sample alone), its personal data
    /// sealed with the data directory's master key; then builds the read
    /// model and the audit chain.
    WebSeed {
        /// How many events in all (copies of the sample group's).
        #[arg(long, default_value_t = 0)]
        events: u64,
        #[command(flatten)]
        store: caucus_api::configuration::StoreSettings,
    },
    /// Times every kind of page of the staff web client at `--web-url`
    /// (the api at `--api-url`), signed in as the people who use each.
    Web {
        /// The web client's base URL.
        #[arg(long)]
        web_url: String,
        /// The api's development secret (the web client's
        /// `CAUCUS_WEB_DEV_SECRET`), to find records through the api.
        #[arg(long, env = "CAUCUS_BENCH_JWT_SECRET", hide_env_values = true)]
        jwt_secret: String,
        /// Measured requests per page kind.
        #[arg(long, default_value_t = 50)]
        requests: usize,
        /// Unmeasured requests per page kind before them.
        #[arg(long, default_value_t = 5)]
        warmup: usize,
    },
    SiteMarkdown {
        /// How many articles.
        #[arg(long, default_value_t = 10_000)]
        articles: u64,
        /// The Hugo site folder.
        #[arg(long)]
        site: std::path::PathBuf,
    },
}

/// What one measurement saw.
#[derive(Debug, Default)]
struct Outcome {
    /// Latencies of successful operations.
    latencies: Vec<Duration>,
    /// Failures by kind (an HTTP status, or a transport/database error).
    errors: BTreeMap<String, u64>,
}

impl Outcome {
    fn merge(&mut self, other: Outcome) {
        self.latencies.extend(other.latencies);
        for (kind, count) in other.errors {
            *self.errors.entry(kind).or_default() += count;
        }
    }

    fn fail(&mut self, kind: impl Into<String>) {
        *self.errors.entry(kind.into()).or_default() += 1;
    }

    /// One report line: `<label> clients=N ops_per_s=… p50_ms=… p99_ms=… errors=…`.
    fn line(mut self, label: &str, clients: usize, seconds: f64) -> String {
        self.latencies.sort_unstable();
        let ops = self.latencies.len() as f64 / seconds;
        let errors = if self.errors.is_empty() {
            "0".to_owned()
        } else {
            self.errors.iter().map(|(kind, n)| format!("{kind}:{n}")).collect::<Vec<_>>().join(",")
        };
        format!(
            "{label} clients={clients} ops_per_s={ops:.1} p50_ms={:.2} p99_ms={:.2} errors={errors}",
            percentile_ms(&self.latencies, 0.50),
            percentile_ms(&self.latencies, 0.99),
        )
    }
}

/// The nearest-rank percentile of sorted latencies, in milliseconds.
fn percentile_ms(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1].as_secs_f64() * 1000.0
}

/// When a run's measured window opens and closes.
#[derive(Debug, Clone, Copy)]
struct Window {
    measure_from: Instant,
    until: Instant,
}

impl Window {
    fn new(warmup: Duration, measured: Duration) -> Self {
        let measure_from = Instant::now() + warmup;
        Self { measure_from, until: measure_from + measured }
    }

    /// Whether an operation started at `started` and ended now is measured.
    fn counts(&self, started: Instant) -> bool {
        started >= self.measure_from && Instant::now() <= self.until
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    anyhow::ensure!(cli.seconds > 0, "--seconds must be positive");
    let (warmup, measured) = (Duration::from_secs(cli.warmup_seconds), Duration::from_secs(cli.seconds));
    match cli.mode {
        None => {
            let url = cli.api_url.context("--api-url is required")?;
            let token = cli.token.context("--token is required")?;
            for &clients in &cli.clients {
                let outcome = api_run(&url, &token, clients, warmup, measured).await?;
                println!("{}", outcome.line("api", clients, measured.as_secs_f64()));
            }
        }
        Some(Mode::Audit { events, database_url, reuse }) => {
            let dir = tempfile::tempdir()?;
            let (label, store) = match database_url {
                Some(url) => ("postgres", StoreConfig::Postgres { url, max_connections: 8 }),
                None => ("sqlite", StoreConfig::Sqlite { path: dir.path().join("caucus.sqlite3") }),
            };
            audit::run(label, &store, events, reuse).await?;
        }
        Some(Mode::SiteSeed { articles, first, store }) => {
            let started = Instant::now();
            let commands = site::seed(&store.store()?, first, articles).await?;
            println!(
                "site-seed articles={articles} commands={commands} seconds={:.1}",
                started.elapsed().as_secs_f64()
            );
        }
        Some(Mode::SiteMarkdown { articles, site }) => site::markdown(&site, articles)?,
        Some(Mode::CaseworkSeed { cases, database_url }) => casework::seed(database_url, cases).await?,
        Some(Mode::CaseworkRead { councillor_token, requests }) => {
            let url = cli.api_url.context("--api-url is required")?;
            let token = cli.token.context("--token is required")?;
            casework::read(&url, &councillor_token, &token, requests).await?;
        }
        Some(Mode::WebSeed { events, store }) => web::seed(&store, events).await?,
        Some(Mode::Web { web_url, jwt_secret, requests, warmup }) => {
            let url = cli.api_url.context("--api-url is required")?;
            web::run(&web_url, &url, &jwt_secret, requests, warmup).await?;
        }
        Some(Mode::SqliteRaw) => {
            for &clients in &cli.clients {
                let outcome = sqlite_raw_run(clients, warmup, measured).await?;
                println!("{}", outcome.line("sqlite-raw", clients, measured.as_secs_f64()));
            }
        }
    }
    Ok(())
}

/// A valid decision with a title no other request uses.
fn decision(title: &str) -> serde_json::Value {
    serde_json::json!({
        "title": title,
        "text": "The group will oppose the closure at Cabinet and Full Council.",
        "decided_on": "2026-03-02",
        "taken_by": {"kind": "group_meeting", "meeting": "Group meeting 2 March 2026"},
        "votes": {"for": 40, "against": 3, "abstain": 2},
        "classification": "group",
        "review_on": "2026-06-01"
    })
}

/// `clients` tasks POSTing decisions in a loop over one shared client.
async fn api_run(
    base: &str,
    token: &str,
    clients: usize,
    warmup: Duration,
    measured: Duration,
) -> anyhow::Result<Outcome> {
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(clients)
        .timeout(Duration::from_secs(30))
        .build()?;
    let url: Arc<str> = format!("{}/api/v1/decisions", base.trim_end_matches('/')).into();
    let token: Arc<str> = token.into();
    let run = std::process::id();
    let window = Window::new(warmup, measured);
    let mut tasks = Vec::with_capacity(clients);
    for task in 0..clients {
        let (http, url, token) = (http.clone(), url.clone(), token.clone());
        tasks.push(tokio::spawn(async move {
            let mut outcome = Outcome::default();
            for n in 0u64.. {
                let started = Instant::now();
                if started >= window.until {
                    break;
                }
                let body = decision(&format!("Bench {run} clients {clients} task {task} decision {n}"));
                let sent = http.post(&*url).bearer_auth(&*token).json(&body).send().await;
                let status = match sent {
                    Ok(response) => {
                        let status = response.status();
                        // Read the whole answer, as a client would, before the next request.
                        let read = response.bytes().await;
                        if read.is_err() { None } else { Some(status) }
                    }
                    Err(_) => None,
                };
                if !window.counts(started) {
                    continue;
                }
                match status {
                    Some(reqwest::StatusCode::CREATED) => outcome.latencies.push(started.elapsed()),
                    Some(status) => outcome.fail(status.as_u16().to_string()),
                    None => outcome.fail("transport"),
                }
            }
            outcome
        }));
    }
    let mut total = Outcome::default();
    for task in tasks {
        total.merge(task.await?);
    }
    Ok(total)
}

/// The size of event and state the API writes for one decision.
const EVENT_PAYLOAD: &str = r#"{"DecisionRecorded":{"group_id":"newham-labour","title":"Bench decision","text":"The group will oppose the closure at Cabinet and Full Council.","decided_on":"2026-03-02","taken_by":{"kind":"group_meeting","meeting":"Group meeting 2 March 2026"},"votes":{"for":40,"against":3,"abstain":2},"classification":"group","review_on":"2026-06-01"}}"#;
const EVENT_METADATA: &str = r#"{"actor":"bench","roles":["assistant"],"group_id":"newham-labour","recorded_at":"2026-03-02T10:00:00.000000Z","request_id":"0b6c4a7e-3f1d-4c55-9a2e-8f0d1c2b3a4e"}"#;
const RECORD_STATE: &str = r#"{"group_id":"newham-labour","title":"Bench decision","text":"The group will oppose the closure at Cabinet and Full Council.","decided_on":"2026-03-02","taken_by":{"kind":"group_meeting","meeting":"Group meeting 2 March 2026"},"votes":{"for":40,"against":3,"abstain":2},"classification":"group","status":"in_force","review_on":"2026-06-01","amendments":[],"progress":[]}"#;

/// The raw SQLite ceiling at `clients` concurrent tasks, on a fresh file.
async fn sqlite_raw_run(clients: usize, warmup: Duration, measured: Duration) -> anyhow::Result<Outcome> {
    let dir = tempfile::tempdir()?;
    let options = SqliteConnectOptions::new()
        .filename(dir.path().join("raw.sqlite3"))
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .busy_timeout(Duration::from_secs(30))
        .foreign_keys(true);
    // The same pool size as the embedded store.
    let pool = SqlitePoolOptions::new().max_connections(8).connect_with(options).await?;
    sqlx::migrate!("../migrations/sqlite").run(&pool).await?;

    let window = Window::new(warmup, measured);
    let mut tasks = Vec::with_capacity(clients);
    for task in 0..clients {
        let pool = pool.clone();
        tasks.push(tokio::spawn(async move {
            let mut outcome = Outcome::default();
            for n in 0u64.. {
                let started = Instant::now();
                if started >= window.until {
                    break;
                }
                let id = format!("bench-{task}-{n}");
                let done = sqlite_command(&pool, &id).await;
                if !window.counts(started) {
                    continue;
                }
                match done {
                    Ok(()) => outcome.latencies.push(started.elapsed()),
                    Err(error) => outcome.fail(
                        error
                            .as_database_error()
                            .and_then(|e| e.code())
                            .map_or_else(|| "database".to_owned(), |code| format!("sqlite{code}")),
                    ),
                }
            }
            outcome
        }));
    }
    let mut total = Outcome::default();
    for task in tasks {
        total.merge(task.await?);
    }
    pool.close().await;
    Ok(total)
}

/// The store work of one "record a decision" command on the embedded store
/// (what `store::append` and the route's read-back do).
async fn sqlite_command(pool: &SqlitePool, id: &str) -> Result<(), sqlx::Error> {
    // Load the stream.
    let loaded: Vec<(i64, String)> = sqlx::query_as(
        "SELECT sequence, payload FROM events WHERE aggregate_type = $1 AND aggregate_id = $2 ORDER BY sequence",
    )
    .bind("Decision")
    .bind(id)
    .fetch_all(pool)
    .await?;
    let sequence = loaded.len() as i64 + 1;

    // Append its event and the record's row in one transaction.
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    sqlx::query(
        "INSERT INTO events (aggregate_type, aggregate_id, sequence, event_type, event_version, payload, metadata) \
         VALUES ($1, $2, $3, 'DecisionRecorded', '1.0', $4, $5)",
    )
    .bind("Decision")
    .bind(id)
    .bind(sequence)
    .bind(EVENT_PAYLOAD)
    .bind(EVENT_METADATA)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO records (record_type, record_id, group_id, version, classification, status, \
         member_id, body_id, due_on, created_at, updated_at, state) \
         VALUES ($1, $2, 'newham-labour', $3, 'group', 'in_force', NULL, NULL, NULL, $4, $4, $5) \
         ON CONFLICT (record_type, record_id) DO UPDATE SET version = excluded.version, \
         status = excluded.status, updated_at = excluded.updated_at, state = excluded.state \
         WHERE records.version < excluded.version",
    )
    .bind("Decision")
    .bind(id)
    .bind(sequence)
    .bind("2026-03-02T10:00:00.000000Z")
    .bind(RECORD_STATE)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;

    // Read the row back for the answer.
    sqlx::query_as::<_, (String, i64, String)>(
        "SELECT record_id, version, state FROM records \
         WHERE group_id = 'newham-labour' AND record_type = $1 AND record_id = $2",
    )
    .bind("Decision")
    .bind(id)
    .fetch_one(pool)
    .await?;
    Ok(())
}
