//! `caucus-bench casework-seed` and `casework-read`: the casework lists and
//! report at scale.
//!
//! The seed loads the sample group, then opens `--cases` more cases through
//! the same application functions the api's routes call (so every case is
//! sealed, indexed and stated exactly as in production), spread over four
//! years across the sample's councillors, wards, categories and
//! organisations: most referred, answered and closed; one in twenty stuck
//! with its organisation and overdue; the newest still being worked.
//!
//! The read measures, over HTTP against a running `caucus serve`, one request
//! at a time: a councillor's overdue cases (`GET /cases?overdue=true`, their
//! own and shared) and the casework report of the last quarter.

use std::time::{Duration, Instant};

use anyhow::Context as _;
use caucus_api::{
    app::{
        Scope,
        casework::{self, Desk, Referring},
        references,
    },
    domain::{
        GroupId, LongText, Role, Title, WorkingDays,
        case::{Case, CaseCategories, CaseCommand, Channel, Outcome},
        member::{Member, MemberStatus},
        organisation::Organisation,
        resident::ContactMethod,
    },
    personal::PersonalData,
    sample,
    store::{
        Database, StoreConfig,
        command_bus::{CommandBus, CommandContext, Expectation},
    },
};
use caucus_wire::casework::{CaseOpening, CaseResident, ResidentContact};
use chrono::{Duration as Days, Local, NaiveDate};
use futures::StreamExt as _;
use rand::{Rng as _, SeedableRng as _, rngs::StdRng};
use uuid::Uuid;

/// How many cases are opened at once.
const CONCURRENCY: usize = 8;
/// Over how many days the cases were received.
const SPAN_DAYS: i64 = 4 * 365;
/// The wards cases come from (real Newham wards).
const WARDS: &[&str] = &[
    "Beckton",
    "Canning Town North",
    "Canning Town South",
    "East Ham",
    "Forest Gate North",
    "Forest Gate South",
    "Plaistow North",
    "Plaistow South",
    "Stratford",
    "West Ham",
];

/// What the seed works with.
struct Seeding {
    db: Database,
    bus: CommandBus,
    personal: PersonalData,
    context: CommandContext,
    calendar: WorkingDays,
    categories: CaseCategories,
    today: NaiveDate,
    owners: Vec<Uuid>,
    organisations: Vec<Uuid>,
}

/// Seeds the store at `url` with the sample group and `cases` more cases,
/// unless it holds events already; prints what it did.
pub async fn seed(url: String, cases: u64) -> anyhow::Result<()> {
    let db =
        Database::connect(&StoreConfig::Postgres { url, max_connections: CONCURRENCY as u32 + 2 }).await?;
    db.migrate().await?;
    let bus = CommandBus::new(db.clone());
    anyhow::ensure!(sample::load_if_empty(&db, &bus).await?, "the store was not empty");
    let group_id = GroupId::parse(sample::GROUP)?;
    let roles = vec![Role::Assistant];
    let scope = Scope::new(&db, &group_id, &roles);
    let owners = references::all::<Member>(&scope)
        .await?
        .into_iter()
        .filter(|(_, member, _)| member.status == MemberStatus::Member)
        .map(|(id, _, _)| id)
        .collect();
    let organisations =
        references::all::<Organisation>(&scope).await?.into_iter().map(|(id, _, _)| id).collect();
    let seeding = Seeding {
        personal: PersonalData::new(db.clone(), None),
        context: CommandContext {
            actor: "caucus-bench".into(),
            roles,
            group_id: group_id.clone(),
            request_id: "bench".into(),
            idempotency_key: None,
        },
        calendar: WorkingDays::default(),
        categories: CaseCategories::default(),
        today: Local::now().date_naive(),
        owners,
        organisations,
        db: db.clone(),
        bus,
    };
    let started = Instant::now();
    let mut opened = futures::stream::iter(0..cases).map(|n| seeding.one(n)).buffer_unordered(CONCURRENCY);
    let mut done = 0_u64;
    while let Some(result) = opened.next().await {
        result?;
        done += 1;
        if done.is_multiple_of(10_000) {
            eprintln!("seeded {done} cases in {:.0} s", started.elapsed().as_secs_f64());
        }
    }
    drop(opened);
    // A register that grew over years has statistics autovacuum keeps current.
    if let Database::Postgres(pool) = &db {
        sqlx::query("VACUUM (ANALYZE)").execute(pool).await?;
    }
    println!(
        "casework seeded cases={cases} seconds={:.0} councillor={}",
        started.elapsed().as_secs_f64(),
        seeding.owners[0]
    );
    db.close().await;
    Ok(())
}

impl Seeding {
    fn desk(&self, today: NaiveDate) -> Desk<'_> {
        Desk {
            bus: &self.bus,
            personal: &self.personal,
            calendar: &self.calendar,
            today,
            categories: self.categories.as_slice(),
        }
    }

    /// Opens case `n` and takes it as far as its age says.
    async fn one(&self, n: u64) -> anyhow::Result<()> {
        let mut rng = StdRng::seed_from_u64(n);
        let received = self.today - Days::days(rng.random_range(0..SPAN_DAYS));
        let id = Uuid::new_v5(&Uuid::NAMESPACE_OID, format!("caucus-bench/case/{n}").as_bytes());
        let categories = self.categories.as_slice();
        let opening = CaseOpening {
            resident: CaseResident::New(Box::new(ResidentContact {
                name: Title::parse(&format!("Resident {n}"))?,
                address: Some(caucus_api::domain::Note::parse(&format!(
                    "{} Barking Road, London E6",
                    n % 400 + 1
                ))?),
                email: None,
                phone: Some(Title::parse("07700 900999")?),
                preferred_contact: ContactMethod::Phone,
                consent_to_share: true,
            })),
            ward: Title::parse(WARDS[rng.random_range(0..WARDS.len())])?,
            category: categories[rng.random_range(0..categories.len())].clone(),
            channel: Channel::Email,
            summary: LongText::parse(
                "A repair reported twice and still not done; the tenant has a young child.",
            )?,
            special_category: None,
            owner_id: self.owners[rng.random_range(0..self.owners.len())],
            shared_with: Vec::new(),
            received_on: Some(received),
        };
        let scope = Scope::new(&self.db, &self.context.group_id, &self.context.roles);
        let failed = |e: caucus_api::http::ApiError| anyhow::anyhow!("case {n}: {e}");
        casework::open_case(&scope, self.desk(received), &self.context, id, opening).await.map_err(failed)?;
        let age = (self.today - received).num_days();
        if age < 2 {
            return Ok(());
        }
        self.run(id, CaseCommand::AcknowledgeCase { on: received + Days::days(1) }).await?;
        if age < 5 {
            return Ok(());
        }
        let referred = received + Days::days(2);
        let referring = Referring {
            organisation_id: self.organisations[rng.random_range(0..self.organisations.len())],
            share_details: true,
            their_reference: None,
            on: Some(referred),
        };
        let actor = (self.context.actor.as_str(), self.context.roles.as_slice());
        let command =
            casework::referral(&scope, self.desk(referred), actor, id, referring).await.map_err(failed)?;
        self.run(id, command).await?;
        // One in twenty waits on its organisation long past due; the young wait still.
        let answered = referred + Days::days(rng.random_range(3..25));
        if rng.random_ratio(1, 20) || answered >= self.today {
            return Ok(());
        }
        let summary = casework::seal(&self.personal, id, "summary", "Repaired on the second visit.")
            .await
            .map_err(failed)?;
        self.run(id, CaseCommand::RecordResponse { on: answered, summary }).await?;
        let closed = answered + Days::days(rng.random_range(1..10));
        if closed >= self.today {
            return Ok(());
        }
        let outcome = if rng.random_ratio(4, 5) { Outcome::Resolved } else { Outcome::NotResolved };
        self.run(id, CaseCommand::CloseCase { on: closed, outcome, note: None }).await
    }

    async fn run(&self, id: Uuid, command: CaseCommand) -> anyhow::Result<()> {
        self.bus
            .execute::<Case>(&id.to_string(), command, &self.context, Expectation::Existing(None))
            .await
            .map(drop)
            .map_err(|e| anyhow::anyhow!("case {id}: {e}"))
    }
}

/// Times `requests` GETs of each casework read, one at a time, as
/// `councillor` (their overdue list) and as `assistant` (the report).
pub async fn read(api_url: &str, councillor: &str, assistant: &str, requests: usize) -> anyhow::Result<()> {
    let client = reqwest::Client::new();
    let today = Local::now().date_naive();
    let from = today - Days::days(91);
    let reads = [
        ("overdue_list", format!("{api_url}/api/v1/cases?overdue=true"), councillor),
        ("period_report", format!("{api_url}/api/v1/casework-report?from={from}&to={today}"), assistant),
    ];
    for (label, url, token) in reads {
        let mut latencies = Vec::with_capacity(requests);
        let mut items = 0;
        for n in 0..requests + requests / 10 {
            let started = Instant::now();
            let response = client.get(&url).bearer_auth(token).send().await?;
            anyhow::ensure!(response.status().is_success(), "{label}: {}", response.status());
            let body: serde_json::Value = response.json().await.context(label)?;
            let elapsed = started.elapsed();
            // The first tenth warms the caches and is not counted.
            if n >= requests / 10 {
                latencies.push(elapsed);
            }
            items = body["items"]
                .as_array()
                .map_or_else(|| body["open"].as_u64().unwrap_or(0) as usize, Vec::len);
        }
        latencies.sort_unstable();
        println!(
            "casework read={label} requests={requests} p50_ms={:.2} p95_ms={:.2} p99_ms={:.2} max_ms={:.2} items={items}",
            crate::percentile_ms(&latencies, 0.50),
            crate::percentile_ms(&latencies, 0.95),
            crate::percentile_ms(&latencies, 0.99),
            latencies.last().copied().unwrap_or(Duration::ZERO).as_secs_f64() * 1000.0,
        );
    }
    Ok(())
}
