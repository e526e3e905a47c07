//! `caucus-bench web-seed` and `caucus-bench web`: how fast the staff web
//! client answers each kind of page, its api calls included.
//!
//! `web-seed` fills a fresh store as `audit` does (the sample group through
//! the command bus, then copies of its events under new record ids) with the
//! personal data sealed under the data directory's master key, then builds the
//! read model and the audit chain, so the `caucus serve` started on it next
//! starts at once and does no catching up while it is measured.
//!
//! `web` signs in through the web client's development sign-in as the people
//! who would use each page, finds a record of each kind the way
//! `web/tests/pages/accessibility.rs` does, then requests every page kind that
//! test checks, one request at a time (one person's browser), `--warmup`
//! times unmeasured and `--requests` times measured, asking for gzip as a
//! browser does. It prints a table: per page kind the median, 95th percentile
//! and slowest answer, whether it came compressed, and the assets' names and
//! cache lifetimes.

use std::{
    collections::BTreeSet,
    sync::Arc,
    time::{Duration, Instant},
};

use anyhow::Context as _;
use caucus_api::{
    auth::TokenIssuer,
    configuration::{AuditSettings, StoreSettings},
    personal::PersonalData,
    sample,
    store::{Database, chain::Chainer, projector::Projector},
};
use reqwest::{StatusCode, cookie::Jar, header, redirect::Policy};
use scraper::{Html, Selector};

use crate::{audit, percentile_ms};

/// The development sign-in's token issuer and audience (the api's defaults).
const ISSUER: &str = "caucus";
const AUDIENCE: &str = "caucus-api";

/// Seeds the store of `settings` with the sample and copies of its events
/// (at least `events` in all), then builds its read model and audit chain.
pub async fn seed(settings: &StoreSettings, events: u64) -> anyhow::Result<()> {
    let started = Instant::now();
    let db = Database::connect(&settings.store()?).await?;
    db.migrate().await?;
    // The keys `caucus serve` will use on this data directory.
    let audit_settings =
        AuditSettings { audit_key_file: None, checkpoint_interval_seconds: 60, master_key_file: None };
    let master = audit_settings.master_key(&settings.data_dir)?;
    let personal = PersonalData::new(db.clone(), Some(master));
    let seeded = audit::seed_with(&db, events, &personal).await?;
    let seed_s = started.elapsed().as_secs_f64();
    let replay = Projector::rebuild(db.clone()).await?;
    let started_chain = Instant::now();
    Chainer::new(db.clone(), audit_settings.policy(&settings.data_dir)?).catch_up().await?;
    let chain_s = started_chain.elapsed().as_secs_f64();
    if let Database::Postgres(_) = &db {
        // As a store grown over years would be: its statistics current and
        // its tables vacuumed by autovacuum.
        audit::execute(&db, "VACUUM (ANALYZE)").await?;
        audit::execute(&db, "CHECKPOINT").await?;
    }
    println!(
        "web-seed events={seeded} records={} seed_s={seed_s:.1} replay_s={:.1} chain_s={chain_s:.1} total_s={:.1}",
        replay.records,
        replay.fold_seconds + replay.write_seconds + replay.index_seconds + replay.swap_seconds,
        started.elapsed().as_secs_f64(),
    );
    db.close().await;
    Ok(())
}

/// Who requests a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Role {
    Assistant,
    Leader,
    Councillor,
    Auditor,
}

impl Role {
    fn name(self) -> &'static str {
        match self {
            Role::Assistant => "assistant",
            Role::Leader => "leader",
            Role::Councillor => "councillor",
            Role::Auditor => "auditor",
        }
    }
}

/// One signed-in browser: a cookie jar shared by a client that reads pages
/// as text (to find links) and one that asks for gzip and reads raw bytes
/// (what is measured; a browser's own decompression is not timed).
#[derive(Debug)]
struct Browser {
    plain: reqwest::Client,
    gzip: reqwest::Client,
    web: String,
}

impl Browser {
    async fn sign_in(web: &str, role: Role) -> anyhow::Result<Self> {
        let jar = Arc::new(Jar::default());
        let build = |gzip: bool| {
            let mut headers = header::HeaderMap::new();
            if gzip {
                headers.insert(header::ACCEPT_ENCODING, header::HeaderValue::from_static("gzip"));
            }
            reqwest::Client::builder()
                .cookie_provider(jar.clone())
                .redirect(Policy::none())
                .default_headers(headers)
                // A page of a large store may take many seconds: measured, not failed.
                .timeout(Duration::from_secs(600))
                .build()
        };
        let browser =
            Self { plain: build(false)?, gzip: build(true)?, web: web.trim_end_matches('/').to_owned() };
        let page = browser.page("/sign-in?next=/").await?;
        let forms = Selector::parse("form[action='/sign-in']").expect("selector");
        let form = page
            .select(&forms)
            .find(|f| hidden(f, "role") == role.name())
            .with_context(|| format!("the sign-in page offers no {}", role.name()))?;
        let fields: Vec<(&str, String)> =
            ["csrf", "subject", "role", "next"].iter().map(|name| (*name, hidden(&form, name))).collect();
        let answer = browser.plain.post(format!("{}/sign-in", browser.web)).form(&fields).send().await?;
        anyhow::ensure!(
            answer.status() == StatusCode::SEE_OTHER,
            "sign-in as {}: {}",
            role.name(),
            answer.status()
        );
        Ok(browser)
    }

    /// The page at `path` as HTML (it must answer 200).
    async fn page(&self, path: &str) -> anyhow::Result<Html> {
        let answer = self.plain.get(format!("{}{path}", self.web)).send().await?;
        let status = answer.status();
        let body = answer.text().await?;
        anyhow::ensure!(status == StatusCode::OK, "{path}: {status}");
        Ok(Html::parse_document(&body))
    }

    /// The first link in a table of the page at `path` starting with `prefix`.
    async fn first_link(&self, path: &str, prefix: &str) -> anyhow::Result<String> {
        first_link(&self.page(path).await?, prefix).with_context(|| format!("{path}: no link to {prefix}"))
    }
}

fn hidden(form: &scraper::ElementRef<'_>, name: &str) -> String {
    let input = Selector::parse(&format!("input[name='{name}']")).expect("selector");
    form.select(&input).next().and_then(|i| i.value().attr("value")).unwrap_or_default().to_owned()
}

fn first_link(page: &Html, prefix: &str) -> Option<String> {
    let link = Selector::parse(&format!("table a[href^='{prefix}']")).expect("selector");
    page.select(&link).next().and_then(|a| a.value().attr("href")).map(str::to_owned)
}

/// A kind of page, who asks for it and where one is.
#[derive(Debug)]
struct Kind {
    name: &'static str,
    role: Role,
    path: String,
    /// What it answers when all is well (the not-found page: 404).
    expect: StatusCode,
}

fn kind(name: &'static str, role: Role, path: impl Into<String>) -> Kind {
    Kind { name, role, path: path.into(), expect: StatusCode::OK }
}

/// The api's answer to the assistant at `path` (`/api/v1` prefixed).
async fn api_get(api: &str, token: &str, path: &str) -> anyhow::Result<serde_json::Value> {
    let answer = reqwest::Client::new().get(format!("{api}/api/v1{path}")).bearer_auth(token).send().await?;
    let status = answer.status();
    anyhow::ensure!(status.is_success(), "api {path}: {status}");
    Ok(answer.json().await?)
}

/// The first item's id in the api's list at `path`, if any.
async fn first_id(api: &str, token: &str, path: &str) -> anyhow::Result<Option<String>> {
    Ok(api_get(api, token, path).await?["items"][0]["id"].as_str().map(str::to_owned))
}

/// A verification of the whole chain started through the api, once it is
/// done: it runs in the background, which the pages measured beside it must
/// not share the machine with. Its id.
async fn finished_verification(api: &str, token: &str) -> anyhow::Result<String> {
    let started = reqwest::Client::new()
        .post(format!("{api}/api/v1/audit/verifications"))
        .bearer_auth(token)
        .send()
        .await?
        .error_for_status()?
        .json::<serde_json::Value>()
        .await?;
    let id = started["id"].as_str().context("a verification's id")?.to_owned();
    loop {
        let view = api_get(api, token, &format!("/audit/verifications/{id}")).await?;
        match view["state"].as_str() {
            Some("running") => tokio::time::sleep(std::time::Duration::from_millis(200)).await,
            Some("done") => return Ok(id),
            _ => anyhow::bail!("the verification stopped: {view}"),
        }
    }
}

/// Every page kind of the accessibility test (its refused forms aside: they
/// are the form pages above with an error summary, answered to a POST), in
/// its order, found as it finds them. Kinds the store holds no record for
/// are named in the second list.
async fn kinds(
    assistant: &Browser,
    api: &str,
    token: &str,
) -> anyhow::Result<(Vec<Kind>, Vec<&'static str>)> {
    use Role::*;
    let mut kinds = Vec::new();
    let mut missing = Vec::new();
    kinds.push(kind("home (My work)", Assistant, "/"));
    kinds.push(kind("cases", Assistant, "/cases"));
    kinds.push(kind("case", Assistant, assistant.first_link("/cases", "/cases/").await?));
    kinds.push(kind("case-new", Assistant, "/cases/new"));
    let meetings = assistant.page("/meetings").await?;
    let in_table = |n: usize| {
        let tables = Selector::parse("table").expect("selector");
        let link = Selector::parse("a[href^='/meetings/']").expect("selector");
        meetings
            .select(&tables)
            .nth(n)
            .and_then(|t| t.select(&link).next())
            .and_then(|a| a.value().attr("href"))
            .map(str::to_owned)
    };
    let (next, last) = (in_table(0).context("no next meeting")?, in_table(1).context("no past meeting")?);
    kinds.push(kind("meetings", Assistant, "/meetings"));
    kinds.push(kind("meeting", Assistant, next.clone()));
    kinds.push(kind("held-meeting", Assistant, last.clone()));
    kinds.push(kind("attendance", Assistant, format!("{next}/attendance")));
    kinds.push(kind("minutes", Assistant, format!("{last}/minutes")));
    kinds.push(kind("publications", Assistant, "/publications"));
    kinds.push(kind("publication-new", Assistant, "/publications/new"));
    for (name, role, status, suffix) in [
        ("publication-edit", Assistant, "draft", "/edit"),
        ("publication-published", Assistant, "published", ""),
        ("publication (to approve)", Leader, "submitted", ""),
        ("publication-approved", Assistant, "approved", ""),
    ] {
        match first_id(api, token, &format!("/publications?status={status}")).await? {
            Some(id) => kinds.push(kind(name, role, format!("/publications/{id}{suffix}"))),
            None => missing.push(name),
        }
    }
    kinds.push(kind("actions", Assistant, "/actions"));
    kinds.push(kind("action", Assistant, assistant.first_link("/actions", "/actions/").await?));
    kinds.push(kind("action-new", Assistant, "/actions/new"));
    let decisions = "/decisions?status=in_force";
    kinds.push(kind("decisions", Assistant, decisions));
    kinds.push(kind("decision", Assistant, assistant.first_link(decisions, "/decisions/").await?));
    kinds.push(kind("decision-new", Assistant, "/decisions/new"));
    kinds.push(kind("members", Assistant, "/members"));
    let member = assistant.first_link("/members", "/members/").await?;
    kinds.push(kind("member", Assistant, member.clone()));
    kinds.push(kind("audit", Auditor, "/audit"));
    let verification = finished_verification(api, token).await?;
    kinds.push(kind("audit-verified", Auditor, format!("/audit/verifications/{verification}")));
    let history = format!("/history/member/{}", member.trim_start_matches("/members/"));
    let then = {
        let page = assistant.page(&history).await?;
        let link = Selector::parse("main ol a[href*='at=']").expect("selector");
        page.select(&link).next().and_then(|a| a.value().attr("href")).map(str::to_owned)
    };
    kinds.push(kind("history", Auditor, history));
    match then {
        Some(then) => kinds.push(kind("history-then (as_of)", Auditor, then)),
        None => missing.push("history-then (as_of)"),
    }
    kinds.push(kind("own-actions", Councillor, "/actions"));
    kinds.push(kind("member-to-a-councillor", Councillor, member));
    kinds.push(kind("elections", Assistant, "/elections"));
    kinds.push(kind("election", Assistant, assistant.first_link("/elections", "/elections/").await?));
    kinds.push(kind("election-new", Assistant, "/elections/new"));
    let briefing = assistant.first_link("/briefings", "/briefings/").await?;
    kinds.push(kind("briefings", Assistant, "/briefings"));
    kinds.push(kind("briefing", Assistant, briefing.clone()));
    kinds.push(kind("briefing-version", Assistant, format!("{briefing}/versions/1")));
    kinds.push(kind("briefing-new", Assistant, "/briefings/new"));
    kinds.push(kind("sign-in", Assistant, "/sign-in"));
    kinds.push(Kind {
        name: "404",
        role: Assistant,
        path: format!("/cases/{}", uuid::Uuid::nil()),
        expect: StatusCode::NOT_FOUND,
    });
    let bodies = assistant.page("/bodies").await?;
    let licensing = {
        let link = Selector::parse("table a[href^='/bodies/']").expect("selector");
        bodies
            .select(&link)
            .find(|a| a.text().collect::<String>() == "Licensing Committee")
            .and_then(|a| a.value().attr("href"))
            .map(str::to_owned)
            .or_else(|| first_link(&bodies, "/bodies/"))
            .context("no body")?
    };
    kinds.push(kind("bodies", Assistant, "/bodies"));
    kinds.push(kind("vacancies", Assistant, "/vacancies"));
    kinds.push(kind("body", Assistant, licensing.clone()));
    kinds.push(kind("body-new", Assistant, "/bodies/new"));
    kinds.push(kind("body-edit", Assistant, format!("{licensing}/edit")));
    kinds.push(kind("body-dissolve", Assistant, format!("{licensing}/dissolve")));
    kinds.push(kind("body-to-a-councillor", Councillor, licensing));
    for (name, status) in [("appointment-nominated", "nominated"), ("appointment", "current")] {
        match first_id(api, token, &format!("/appointments?status={status}")).await? {
            Some(id) => kinds.push(kind(name, Assistant, format!("/appointments/{id}"))),
            None => missing.push(name),
        }
    }
    let item = assistant.first_link("/forward-plan", "/forward-plan/").await?;
    kinds.push(kind("forward-plan", Assistant, "/forward-plan"));
    kinds.push(kind("forward-plan-item", Assistant, item.clone()));
    kinds.push(kind("forward-plan-edit", Assistant, format!("{item}/edit")));
    kinds.push(kind("forward-plan-new", Assistant, "/forward-plan/new"));
    kinds.push(kind("forward-plan-import", Assistant, "/forward-plan/import"));
    kinds.push(kind("social-queue", Assistant, "/social-queue"));
    let motions = "/motions?status=tabled";
    let tabled = assistant.first_link(motions, "/motions/").await?;
    kinds.push(kind("motions", Assistant, motions));
    kinds.push(kind("motion", Assistant, tabled.clone()));
    match first_id(api, token, "/motions?status=drafted").await? {
        Some(id) => kinds.push(kind("motion-draft", Assistant, format!("/motions/{id}"))),
        None => missing.push("motion-draft"),
    }
    kinds.push(kind("motion-new", Assistant, "/motions/new"));
    kinds.push(kind("motion-outcome", Assistant, format!("{tabled}/outcome")));
    kinds.push(kind("whip-report", Assistant, "/motions/whip-report"));
    kinds.push(kind("sign-in-resend", Assistant, "/sign-in?next=%2Factions&resend=yes"));
    kinds.push(kind("signed-out", Assistant, "/signed-out"));
    Ok((kinds, missing))
}

/// What one page kind's measured requests saw.
#[derive(Debug, Default)]
struct Seen {
    latencies: Vec<Duration>,
    /// Answers with another status than expected, by status.
    wrong: BTreeSet<u16>,
    /// Content-Encoding values seen (`-` for none).
    encodings: BTreeSet<String>,
    bytes: usize,
}

/// Requests `path` as `browser` once; its time, status, encoding and size.
async fn fetch(browser: &Browser, path: &str) -> anyhow::Result<(Duration, StatusCode, String, usize)> {
    let started = Instant::now();
    let answer = browser.gzip.get(format!("{}{path}", browser.web)).send().await?;
    let status = answer.status();
    let encoding = answer
        .headers()
        .get(header::CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-")
        .to_owned();
    let body = answer.bytes().await?;
    Ok((started.elapsed(), status, encoding, body.len()))
}

/// Measures every page kind against the web client at `web` (the api at
/// `api`, tokens signed with `secret`); prints the table.
pub async fn run(web: &str, api: &str, secret: &str, requests: usize, warmup: usize) -> anyhow::Result<()> {
    anyhow::ensure!(requests > 0, "--requests must be positive");
    let mut browsers = std::collections::BTreeMap::new();
    for role in [Role::Assistant, Role::Leader, Role::Councillor, Role::Auditor] {
        browsers.insert(role, Browser::sign_in(web, role).await?);
    }
    let token = TokenIssuer::shared_secret(secret.as_bytes(), ISSUER, AUDIENCE).mint(
        "demo-assistant",
        sample::GROUP,
        &["assistant"],
        3600,
    )?;
    let api = api.trim_end_matches('/');
    let (kinds, missing) = kinds(&browsers[&Role::Assistant], api, &token).await?;

    println!(
        "{:<26} {:<10} {:>8} {:>8} {:>8} {:>9} {:>9}  path",
        "page kind", "as", "p50 ms", "p95 ms", "max ms", "gzip", "bytes"
    );
    let mut all = Vec::new();
    let mut over = Vec::new();
    let mut uncompressed = Vec::new();
    for kind in &kinds {
        let browser = &browsers[&kind.role];
        let mut seen = Seen::default();
        for n in 0..warmup + requests {
            let (took, status, encoding, bytes) = fetch(browser, &kind.path).await?;
            if n < warmup {
                continue;
            }
            if status != kind.expect {
                seen.wrong.insert(status.as_u16());
            }
            seen.latencies.push(took);
            seen.encodings.insert(encoding);
            seen.bytes = bytes;
        }
        seen.latencies.sort_unstable();
        let p95 = percentile_ms(&seen.latencies, 0.95);
        if p95 > 100.0 {
            over.push(kind.name);
        }
        let gzip = seen.encodings.iter().cloned().collect::<Vec<_>>().join(",");
        if gzip != "gzip" {
            uncompressed.push(kind.name);
        }
        let wrong =
            if seen.wrong.is_empty() { String::new() } else { format!("  ANSWERED {:?}", seen.wrong) };
        println!(
            "{:<26} {:<10} {:>8.1} {:>8.1} {:>8.1} {:>9} {:>9}  {}{wrong}",
            kind.name,
            kind.role.name(),
            percentile_ms(&seen.latencies, 0.50),
            p95,
            seen.latencies.last().map_or(f64::NAN, |d| d.as_secs_f64() * 1000.0),
            gzip,
            seen.bytes,
            kind.path,
        );
        all.extend(seen.latencies);
    }
    all.sort_unstable();
    println!(
        "{:<26} {:<10} {:>8.1} {:>8.1} {:>8.1}  ({} page kinds x {requests} requests, after {warmup} unmeasured each)",
        "overall",
        "",
        percentile_ms(&all, 0.50),
        percentile_ms(&all, 0.95),
        all.last().map_or(f64::NAN, |d| d.as_secs_f64() * 1000.0),
        kinds.len(),
    );
    if !missing.is_empty() {
        println!("not in this store, not measured: {}", missing.join(", "));
    }
    println!("over 100 ms at p95: {}", if over.is_empty() { "none".to_owned() } else { over.join(", ") });
    println!(
        "answered without gzip: {}",
        if uncompressed.is_empty() { "none".to_owned() } else { uncompressed.join(", ") }
    );
    assets(&browsers[&Role::Assistant]).await
}

/// Every asset the home page names: its name must carry a content hash and
/// its answer a long, immutable cache lifetime; prints one line each.
async fn assets(browser: &Browser) -> anyhow::Result<()> {
    let home = browser.plain.get(format!("{}/", browser.web)).send().await?.text().await?;
    let mut names: Vec<String> = home
        .split("\"/assets/")
        .skip(1)
        .filter_map(|part| part.split('"').next())
        .map(str::to_owned)
        .collect();
    names.sort();
    names.dedup();
    // The start-up module imports the rest of the script by its hashed name.
    let mut index = 0;
    while index < names.len() {
        let name = names[index].clone();
        index += 1;
        let path = format!("/assets/{name}");
        let answer = browser.gzip.get(format!("{}{path}", browser.web)).send().await?;
        let headers = answer.headers().clone();
        let get =
            |h: header::HeaderName| headers.get(h).and_then(|v| v.to_str().ok()).unwrap_or("-").to_owned();
        let (cache, encoding) = (get(header::CACHE_CONTROL), get(header::CONTENT_ENCODING));
        let status = answer.status();
        let body = answer.bytes().await?;
        if name.starts_with("init-") {
            let plain = browser.plain.get(format!("{}{path}", browser.web)).send().await?.text().await?;
            if let Some(imported) = plain.split("'./").nth(1).and_then(|rest| rest.split('\'').next())
                && !names.iter().any(|n| n == imported)
            {
                names.push(imported.to_owned());
            }
        }
        let long = cache.contains("immutable") && max_age(&cache).is_some_and(|s| s >= 31_536_000);
        println!(
            "asset {path} status={} hashed={} cache-control=\"{cache}\" long_lived={} content-encoding={encoding} bytes={}",
            status.as_u16(),
            if hashed(&name) { "yes" } else { "NO" },
            if long { "yes" } else { "NO" },
            body.len(),
        );
    }
    Ok(())
}

/// Whether an asset's name carries a content hash: `<stem>-<8+ hex>.<ext>`.
fn hashed(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or_default();
    stem.rsplit_once('-')
        .is_some_and(|(_, hash)| hash.len() >= 8 && hash.chars().all(|c| c.is_ascii_hexdigit()))
}

fn max_age(cache: &str) -> Option<u64> {
    cache.split(',').find_map(|part| part.trim().strip_prefix("max-age=")?.parse().ok())
}
