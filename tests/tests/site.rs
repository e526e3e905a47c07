//! End to end: the api records the sample group's business (public and not),
//! the publisher builds the website from the same store, and the site holds
//! exactly the public material: nothing else, in any file.

mod support;

use std::{
    collections::{BTreeMap, BTreeSet},
    path::{Path, PathBuf},
};

use caucus_api::{
    domain::{
        Classification, GroupId, LongText, Note, Record, Role, Title,
        publication::{Author, Publication, PublicationCommand, PublicationContent, PublicationKind, Slug},
    },
    sample,
    store::{
        Database, StoreConfig,
        command_bus::{CommandContext, Expectation},
        replay::replay_group,
    },
};
use caucus_publisher::{BuildOptions, Mode, build_site, watch::Watcher};
use chrono::{DateTime, Utc};
use serde_json::json;
use sha2::{Digest, Sha256};

fn sample_site() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../publisher/sample-site")
}

/// Every file under `dir` (following the `out` symlink), by relative path.
fn read_site(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).expect("list") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let relative = path.strip_prefix(dir).expect("under dir").to_string_lossy().into_owned();
                files.insert(relative, std::fs::read(&path).expect("read"));
            }
        }
    }
    files
}

fn options(
    store: &StoreConfig,
    site: &Path,
    out: &Path,
    now: Option<DateTime<Utc>>,
    mode: Mode,
) -> BuildOptions {
    BuildOptions {
        store: store.clone(),
        site: site.to_path_buf(),
        out: out.to_path_buf(),
        group: None,
        now,
        mode,
        verifier_key: None,
        receipts: None,
    }
}

/// What must never appear: non-public titles and names, and every member's
/// email and phone, read from the log itself.
async fn secrets(db: &Database) -> Vec<String> {
    let group = GroupId::parse(sample::GROUP).expect("group");
    let records = replay_group(db, &group, None).await.expect("replay");
    let mut secrets = Vec::new();
    for d in records.decisions.values().filter(|d| d.record.classification() != Classification::Public) {
        secrets.push(d.record.title.as_ref().expect("title").to_string());
    }
    for b in records.bodies.values().filter(|b| b.record.classification() != Classification::Public) {
        secrets.push(b.record.name.as_ref().expect("name").to_string());
    }
    // Contact details are sealed in the log: neither the sealed text nor the
    // sample's plaintext (every email at example.org, every phone 020 7946 0xxx)
    // may appear.
    for m in records.members.values() {
        secrets.extend(m.record.email.as_ref().map(|e| e.as_str().to_owned()));
        secrets.extend(m.record.phone.as_ref().map(|p| p.as_str().to_owned()));
    }
    secrets.extend(["@example.org", "020 7946 0"].map(String::from));
    // Casework never reaches the site: the sample's residents, their
    // problems, and the organisations their cases went to.
    secrets.extend(
        [
            "Blessing Adewale",
            "Rathbone Court",
            "black mould",
            "07700 900",
            "Clarion Housing Group",
            "Housing Repairs",
        ]
        .map(String::from),
    );
    assert!(secrets.len() > 20, "the sample has non-public material and contact details: {secrets:?}");
    secrets
}

async fn record_decision(api: &support::Api, title: &str, text: &str, classification: &str) {
    let body = json!({
        "title": title, "text": text, "decided_on": "2026-03-02",
        "taken_by": {"kind": "group_officers"}, "classification": classification
    });
    let response = reqwest::Client::new()
        .post(format!("{}/decisions", api.base))
        .bearer_auth(&api.token)
        .json(&body)
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap_or_default());
}

/// How far a publication gets through the workflow.
#[derive(Clone, Copy, PartialEq)]
enum Fate {
    Draft,
    Rejected,
    /// Approved and scheduled for a time already past: live.
    Live,
    /// Approved and scheduled for tomorrow: not yet live.
    Scheduled,
}

/// Records a publication through the command bus (the api has no
/// publication routes yet), as its author and then as the Leader.
async fn publication(api: &support::Api, kind: PublicationKind, title: &str, body: &str, fate: Fate) {
    let context = |actor: &str, role: Role| CommandContext {
        actor: actor.into(),
        roles: vec![role],
        group_id: GroupId::parse(sample::GROUP).expect("group"),
        request_id: format!("e2e-{title}"),
        idempotency_key: None,
    };
    let (author, leader) = (context("author", Role::Assistant), context("leader", Role::Leader));
    let id = uuid::Uuid::new_v4().to_string();
    let now = Utc::now();
    let content = PublicationContent {
        title: Title::parse(title).expect("title"),
        summary: None,
        body_markdown: Some(LongText::parse(body).expect("body")),
        slug: Slug::from_title(title).expect("slug"),
        tags: vec!["library".into()],
        image: None,
        social_text: Default::default(),
        publish_at: None,
    };
    let mut steps = vec![(
        &author,
        PublicationCommand::DraftPublication {
            group_id: GroupId::parse(sample::GROUP).expect("group"),
            kind,
            content: Box::new(content),
            author: Author {
                subject: "author".into(),
                name: Title::parse("Press Office").expect("name"),
                member_id: None,
            },
            at: now,
        },
    )];
    if fate != Fate::Draft {
        steps.push((
            &author,
            PublicationCommand::SubmitPublication {
                by: "author".into(),
                limits: Default::default(),
                at: now,
            },
        ));
    }
    match fate {
        Fate::Draft => {}
        Fate::Rejected => steps.push((
            &leader,
            PublicationCommand::RejectPublication {
                by: "leader".into(),
                note: Note::parse("No.").expect("note"),
                at: now,
            },
        )),
        Fate::Live | Fate::Scheduled => {
            let publish_at = if fate == Fate::Live { now } else { now + chrono::Duration::days(1) };
            steps.push((&leader, PublicationCommand::ApprovePublication { by: "leader".into(), at: now }));
            steps.push((
                &leader,
                PublicationCommand::SchedulePublication { by: "leader".into(), publish_at, at: now },
            ));
        }
    }
    for (n, (context, command)) in steps.into_iter().enumerate() {
        let expectation = if n == 0 { Expectation::New } else { Expectation::Existing(None) };
        api.bus
            .execute::<Publication>(&id, command, context, expectation)
            .await
            .expect("publication command");
    }
}

/// When CI provides a Python with `feedparser` (`.ci/run` does), the Atom
/// feed must parse cleanly with it and the JSON Feed must hold JSON Feed
/// 1.1's required fields (`tests/scripts/check_feeds.py`), each with
/// `entries` items.
fn parse_feeds_with_python(site: &Path, entries: usize) {
    let Some(python) = std::env::var_os("CAUCUS_FEEDPARSER_PYTHON") else { return };
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/check_feeds.py");
    let output = std::process::Command::new(python)
        .arg(script)
        .arg(site.join("atom.xml"))
        .arg(site.join("feed.json"))
        .output()
        .expect("run python");
    assert!(output.status.success(), "the feeds do not parse: {}", String::from_utf8_lossy(&output.stderr));
    let counts: serde_json::Value = serde_json::from_slice(&output.stdout).expect("counts");
    assert_eq!(counts, json!({"atom": entries, "json_feed": entries}));
}

/// POSTs `body` to `path` as the assistant and returns the answer.
async fn post(api: &support::Api, path: &str, body: serde_json::Value) -> serde_json::Value {
    let response = reqwest::Client::new()
        .post(format!("{}{path}", api.base))
        .bearer_auth(&api.token)
        .json(&body)
        .send()
        .await
        .expect("post");
    let status = response.status();
    let answer: serde_json::Value = response.json().await.expect("json");
    assert!(status.is_success(), "{path}: {status} {answer}");
    answer
}

/// Stores `content` as a file of the group and returns its id.
async fn upload(api: &support::Api, name: &str, content: &str, classification: &str) -> String {
    let response = reqwest::Client::new()
        .post(format!("{}/files?name={name}&classification={classification}", api.base))
        .bearer_auth(&api.token)
        .header("content-type", "application/pdf")
        .body(content.to_owned())
        .send()
        .await
        .expect("upload");
    assert_eq!(response.status(), reqwest::StatusCode::CREATED);
    let file: serde_json::Value = response.json().await.expect("json");
    file["id"].as_str().expect("id").to_owned()
}

/// Schedules a meeting in `days` days with a public item (with a public and a
/// group paper, each as a link and as a stored file) and a group item; returns its id.
async fn meeting(api: &support::Api, title: &str, classification: &str, days: i64) -> String {
    let starts_at = Utc::now() + chrono::Duration::days(days);
    let meeting = post(
        api,
        "/meetings",
        json!({
            "kind": "cabinet", "title": title, "starts_at": starts_at, "classification": classification,
            "place": "Room 2, Newham Town Hall", "online_link": "https://example.org/watch",
        }),
    )
    .await;
    let id = meeting["id"].as_str().expect("id").to_owned();
    let path = format!("/meetings/{id}");
    post(
        api,
        &format!("{path}/items"),
        json!({"title": format!("{title}: public item"),
        "description": "The **budget**.", "classification": "public"}),
    )
    .await;
    let answer = post(
        api,
        &format!("{path}/items"),
        json!({"title": format!("{title}: group item"),
        "classification": "group"}),
    )
    .await;
    let public_item = answer["items"][0]["id"].as_str().expect("item id").to_owned();
    for (paper, classification) in [("public paper", "public"), ("group paper", "group")] {
        post(
            api,
            &format!("{path}/papers"),
            json!({"item_id": public_item,
            "title": format!("{title}: {paper}"), "link": "https://example.org/paper.pdf",
            "classification": classification}),
        )
        .await;
        let file =
            upload(api, "paper.pdf", &format!("{classification}-file-of {title}"), classification).await;
        post(
            api,
            &format!("{path}/papers"),
            json!({"item_id": public_item, "title": format!("{title}: stored {paper}"), "file_id": file,
            "classification": classification}),
        )
        .await;
    }
    id
}

/// Plans a group event `days` from now, full after one place, with an
/// outside host; returns its id.
async fn group_event(api: &support::Api, title: &str, classification: &str, days: i64) -> String {
    let starts_at = Utc::now() + chrono::Duration::days(days);
    let event = post(
        api,
        "/group-events",
        json!({
            "kind": "away_day", "title": title, "starts_at": starts_at,
            "ends_at": starts_at + chrono::Duration::hours(6),
            "description": "A day on the **housing** strategy.",
            "place": "Stratford Circus", "online_link": "https://example.org/join",
            "capacity": 1, "invited": "all_members", "offer_hours": 48,
            "host": {"name": "East London Housing Forum", "value_per_head_pence": 987_654_321_u64},
            "classification": classification,
        }),
    )
    .await;
    event["id"].as_str().expect("id").to_owned()
}

/// Adds a member named `name`, registers them for `event` and records that
/// they left, so nothing else on the site shows their name; returns their id.
async fn registrant(api: &support::Api, name: &str, event: &str) -> String {
    let member = post(api, "/members", json!({"name": name, "ward": "Beckton"})).await;
    let id = member["id"].as_str().expect("id").to_owned();
    post(api, &format!("/group-events/{event}/registrations"), json!({"member_id": id})).await;
    let today = Utc::now().date_naive();
    post(api, &format!("/members/{id}/departure"), json!({"on": today, "reason": "Stood down."})).await;
    id
}

async fn the_site_holds_exactly_the_public_material(store: StoreConfig) {
    let api = support::start_api(&store).await;
    assert!(sample::load_if_empty(&api.db, &api.bus).await.expect("sample loads"));
    record_decision(&api, "Confidential: the whip's list", "Names.", "confidential").await;
    record_decision(
        &api,
        "Public: <script>alert(1)</script> budget",
        "We back it. <img src=x onerror=alert(2)>",
        "public",
    )
    .await;
    let hostile = "We oppose it.\n\n<script>alert(3)</script> <img src=\"x.png\" onerror=\"alert(4)\" alt=\"x\">\n\n\
                   [more](javascript:alert(5))";
    publication(&api, PublicationKind::PressRelease, "Library saved", hostile, Fate::Live).await;
    publication(&api, PublicationKind::NewsArticle, "Park reopens", "The park is open.", Fate::Live).await;
    publication(&api, PublicationKind::WebPage, "About us", "Who we are.", Fate::Live).await;
    publication(&api, PublicationKind::NewsArticle, "Secret draft plan", "Draft.", Fate::Draft).await;
    publication(&api, PublicationKind::NewsArticle, "Rejected rant", "Rejected.", Fate::Rejected).await;
    publication(&api, PublicationKind::NewsArticle, "Tomorrow's news", "Not yet.", Fate::Scheduled).await;
    meeting(&api, "Cabinet budget", "public", 3).await;
    let cancelled = meeting(&api, "Scrutiny of housing", "public", 5).await;
    post(&api, &format!("/meetings/{cancelled}/cancellation"), json!({"reason": "The chair is ill."})).await;
    meeting(&api, "Private strategy meeting", "group", 4).await;
    let away_day = group_event(&api, "Housing away day", "public", 6).await;
    // One takes the only place, the other waits: neither may be named.
    let registrants = [
        registrant(&api, "Registrant Zebedee Quill", &away_day).await,
        registrant(&api, "Waiting Wilhelmina Stroud", &away_day).await,
    ];
    let called_off = group_event(&api, "Estates summer social", "public", 7).await;
    post(&api, &format!("/group-events/{called_off}/cancellation"), json!({"reason": "The park is closed."}))
        .await;
    group_event(&api, "Officers' away day", "officers", 8).await;
    let mut secrets = secrets(&api.db).await;
    secrets.extend(
        [
            "Secret draft plan",
            "Rejected rant",
            "Tomorrow",
            "Private strategy meeting",
            "Cabinet budget: group item",
            "Cabinet budget: group paper",
            "Officers' away day",
            "Officers&#39; away day",
            "Registrant Zebedee Quill",
            "Waiting Wilhelmina Stroud",
            // The hospitality's declared value.
            "987654321",
            "9876543.21",
        ]
        .map(String::from),
    );
    secrets.extend(registrants);
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("site");
    let now = Utc::now();

    let report =
        build_site(&options(&store, &sample_site(), &out, Some(now), Mode::Full)).await.expect("builds");
    let files = read_site(&out);
    assert_eq!(report.files, files.len());
    assert!(report.counts[0] >= 18 && report.counts[1] > 0 && report.counts[2] > 0, "{:?}", report.counts);

    for (path, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        for secret in &secrets {
            assert!(!text.contains(secret.as_str()), "{path} contains {secret:?}");
        }
        let lower = text.to_lowercase();
        assert!(!lower.contains("<script"), "{path} has a script");
        assert!(!lower.contains("<img src=x"), "{path} has a raw image tag with an event handler");
        for forbidden in ["onerror=\"", "javascript:", "alert(3)", "alert(5)"] {
            assert!(!lower.contains(forbidden), "{path} has {forbidden}");
        }
    }

    // The sitemap lists exactly the HTML pages (the 404 aside).
    let sitemap = String::from_utf8_lossy(&files["sitemap.xml"]).into_owned();
    let listed: BTreeSet<String> =
        sitemap.split("<loc>").skip(1).map(|s| s.split("</loc>").next().expect("loc").to_owned()).collect();
    let pages: BTreeSet<String> = files
        .keys()
        .filter_map(|p| p.strip_suffix("index.html"))
        .map(|folder| format!("http://127.0.0.1:8000/{folder}"))
        .collect();
    assert_eq!(listed, pages);
    assert!(
        files.contains_key("404.html")
            && files.contains_key("robots.txt")
            && files.contains_key("outbox.json")
    );
    let decisions = String::from_utf8_lossy(&files["decisions/index.html"]).into_owned();
    assert!(decisions.contains("Public: &lt;script&gt;alert(1)&lt;/script&gt; budget"), "{decisions}");
    let decision =
        String::from_utf8_lossy(&files["decisions/public-script-alert-1-script-budget/index.html"]);
    assert!(decision.contains("We back it. &lt;img src=x onerror=alert(2)&gt;"), "{decision}");
    for page in
        ["press-releases/library-saved/index.html", "news/park-reopens/index.html", "about-us/index.html"]
    {
        assert!(files.contains_key(page), "{page} is built");
    }
    // The site's config names the enquiry form: each councillor's page has it,
    // for their ward, with the robot trap hidden.
    let councillor = String::from_utf8_lossy(&files["councillors/amina-begum/index.html"]).into_owned();
    assert!(
        councillor.contains(r#"<form class="enquiry" method="post" action="http://127.0.0.1:8080/forms/newham-labour/enquiries">"#)
            && councillor.contains(r#"<input type="hidden" name="ward" value="Canning Town North">"#)
            && councillor.contains("<div hidden><label for=\"enquiry-website\">"),
        "{councillor}"
    );
    let home = String::from_utf8_lossy(&files["index.html"]).into_owned();
    assert!(home.contains("Park reopens") && home.contains("Library saved"), "{home}");

    // Public meetings: on the home page, listed, and a page each with the
    // public agenda and papers only.
    let day = |days: i64| (now + chrono::Duration::days(days)).format("%Y-%m-%d").to_string();
    let cabinet = format!("meetings/{}-cabinet-budget/index.html", day(3));
    assert!(home.contains(&format!("/{}", cabinet.trim_end_matches("index.html"))), "{home}");
    let page = String::from_utf8_lossy(&files[&cabinet]).into_owned();
    for shown in [
        "Cabinet budget: public item",
        "<strong>budget</strong>",
        "Cabinet budget: public paper",
        "Room 2, Newham Town Hall",
        "https://example.org/watch",
        "Tentative",
    ] {
        assert!(page.contains(shown), "{cabinet} lacks {shown}: {page}");
    }
    // The public stored file is on the site, linked from the page; the group one is nowhere.
    let stored =
        format!("papers/{}/paper.pdf", hex::encode(Sha256::digest(b"public-file-of Cabinet budget")));
    assert_eq!(files.get(&stored).map(Vec::as_slice), Some(b"public-file-of Cabinet budget".as_slice()));
    assert!(page.contains(&format!("http://127.0.0.1:8000/{stored}")), "{page}");
    for (path, bytes) in &files {
        assert!(!String::from_utf8_lossy(bytes).contains("group-file-of"), "{path} holds a group file");
    }
    let scrutiny =
        String::from_utf8_lossy(&files[&format!("meetings/{}-scrutiny-of-housing/index.html", day(5))])
            .into_owned();
    assert!(
        scrutiny.contains("This meeting is cancelled") && scrutiny.contains("The chair is ill."),
        "{scrutiny}"
    );
    let list = String::from_utf8_lossy(&files["meetings/index.html"]).into_owned();
    assert!(list.contains("Cabinet budget") && list.contains("Full Council"), "{list}");

    // Public events: in the navigation, on the home page, listed, and a page
    // each with what, when, where and who hosts it (never who registered).
    let housing = format!("events/{}-housing-away-day/", day(6));
    assert!(home.contains(&format!("/{housing}")) && home.contains("href=\"http://127.0.0.1:8000/events/\""));
    let page = String::from_utf8_lossy(&files[&format!("{housing}index.html")]).into_owned();
    for shown in [
        "<h1>Housing away day</h1>",
        "Away day",
        "<strong>housing</strong>",
        "Stratford Circus",
        "https://example.org/join",
        "East London Housing Forum",
        "Planned",
    ] {
        assert!(page.contains(shown), "{housing} lacks {shown}: {page}");
    }
    assert!(page.contains(" BST</time>") || page.contains(" GMT</time>"), "London time: {page}");
    let social =
        String::from_utf8_lossy(&files[&format!("events/{}-estates-summer-social/index.html", day(7))])
            .into_owned();
    assert!(social.contains("This event is cancelled") && social.contains("The park is closed."), "{social}");
    let list = String::from_utf8_lossy(&files["events/index.html"]).into_owned();
    assert!(
        list.contains("Housing away day")
            && list.contains("Estates summer social")
            && list.contains("(cancelled)"),
        "{list}"
    );
    assert!(!files.keys().any(|p| p.contains("officers-away-day")), "the officers' event has no page");

    // The feeds list exactly the live news and press releases: this test's two
    // and the sample group's three.
    let feed: serde_json::Value = serde_json::from_slice(&files["feed.json"]).expect("JSON feed");
    let items: BTreeSet<&str> =
        feed["items"].as_array().expect("items").iter().map(|i| i["url"].as_str().expect("url")).collect();
    let stream = BTreeSet::from([
        "http://127.0.0.1:8000/news/park-reopens/",
        "http://127.0.0.1:8000/press-releases/library-saved/",
        "http://127.0.0.1:8000/news/drop-in-sessions-on-20-mph-limits-in-nine-wards/",
        "http://127.0.0.1:8000/press-releases/canning-town-library-saved-after-labour-group-campaign/",
        "http://127.0.0.1:8000/press-releases/group-backs-youth-services-in-budget-response/",
    ]);
    assert_eq!(items, stream);
    let atom = String::from_utf8_lossy(&files["atom.xml"]).into_owned();
    let entries: BTreeSet<&str> =
        atom.split("<id>").skip(2).map(|s| s.split("</id>").next().expect("id")).collect();
    assert_eq!(entries, stream);
    parse_feeds_with_python(&out, stream.len());
    let outbox: serde_json::Value = serde_json::from_slice(&files["outbox.json"]).expect("outbox");
    assert_eq!(outbox["type"], "OrderedCollection");
    assert_eq!(outbox["totalItems"], stream.len());

    let search: serde_json::Value =
        serde_json::from_slice(&files["search_index.json"]).expect("search index");
    let urls: BTreeSet<String> = search
        .as_array()
        .expect("array")
        .iter()
        .map(|e| e["url"].as_str().expect("url").to_owned())
        .collect();
    assert!(urls.is_subset(&pages), "the search index lists only pages of the site");

    // The same events and the same build time give the same bytes.
    let again = dir.path().join("again");
    build_site(&options(&store, &sample_site(), &again, Some(now), Mode::Full)).await.expect("builds again");
    assert!(read_site(&again) == files, "two builds of the same events differ");
}

#[tokio::test]
async fn the_site_holds_exactly_the_public_material_on_sqlite() {
    let dir = tempfile::tempdir().expect("temp dir");
    the_site_holds_exactly_the_public_material(StoreConfig::Sqlite {
        path: dir.path().join("caucus.sqlite3"),
    })
    .await;
}

#[tokio::test]
async fn the_site_holds_exactly_the_public_material_on_postgres() {
    the_site_holds_exactly_the_public_material(support::fresh_postgres().await).await;
}

/// A copy of the sample site folder, with `templates` written into it.
fn site_with_templates(dir: &Path, name: &str, templates: &[(&str, &str)]) -> PathBuf {
    let site = dir.join(name);
    std::fs::create_dir_all(site.join("templates")).expect("mkdir");
    std::fs::copy(sample_site().join("config.toml"), site.join("config.toml")).expect("copy config");
    for (name, source) in templates {
        std::fs::write(site.join("templates").join(name), source).expect("write template");
    }
    site
}

/// How many version folders and manifests `.public.versions` under `dir` holds.
fn builds(dir: &Path) -> usize {
    let entries = std::fs::read_dir(dir.join(".public.versions")).expect("versions");
    entries.filter(|e| e.as_ref().expect("entry").file_name().to_string_lossy().starts_with("build-")).count()
}

async fn rebuilds_are_atomic_and_incremental(store: StoreConfig) {
    let api = support::start_api(&store).await;
    assert!(sample::load_if_empty(&api.db, &api.bus).await.expect("sample loads"));
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("public");
    build_site(&options(&store, &sample_site(), &out, None, Mode::Full)).await.expect("builds");
    let before = read_site(&out);

    // A template that fails to render leaves the previous site whole.
    let broken =
        site_with_templates(dir.path(), "broken", &[("decision.html", "{{ no_such_variable.at_all }}")]);
    let error = build_site(&options(&store, &broken, &out, None, Mode::Full)).await.expect_err("fails");
    assert!(format!("{error:#}").contains("decision.html"), "{error:#}");
    assert!(read_site(&out) == before, "a failed build changed the site");
    assert_eq!(builds(dir.path()), 2, "one version and its manifest, no leftover build folder");

    // A user template overrides the built-in one by name.
    let custom = site_with_templates(
        dir.path(),
        "custom",
        &[("404.html", "{% extends \"base.html\" %}{% block content %}<h1>Lost?</h1>{% endblock content %}")],
    );
    build_site(&options(&store, &custom, &out, None, Mode::Full)).await.expect("builds");
    assert!(String::from_utf8_lossy(&read_site(&out)["404.html"]).contains("<h1>Lost?</h1>"));

    // One new live article: only the pages that show it change.
    publication(&api, PublicationKind::NewsArticle, "Council tax frozen", "Frozen.", Fate::Live).await;
    let before = read_site(&out);
    let report = build_site(&options(&store, &custom, &out, None, Mode::Incremental)).await.expect("builds");
    let after = read_site(&out);
    let changed: Vec<&String> = after.keys().filter(|path| before.get(*path) != after.get(*path)).collect();
    assert_eq!(
        changed,
        [
            "atom.xml",
            "feed.json",
            "index.html",
            "news/council-tax-frozen/index.html",
            "news/index.html",
            "outbox.json",
            "search_index.json",
            "sitemap.xml",
        ]
    );
    assert_eq!(
        report.rendered.iter().collect::<Vec<_>>(),
        changed,
        "exactly the changed files were rendered"
    );

    // The next incremental build brings the spare version (two builds old)
    // up to date in place, leaving alone the one readers may still be in.
    let in_use = report.version.clone();
    let in_use_before = read_site(&in_use);
    publication(&api, PublicationKind::PressRelease, "Bus route saved", "Saved.", Fate::Live).await;
    let now = Some(Utc::now());
    let recycled = build_site(&options(&store, &custom, &out, now, Mode::Incremental)).await.expect("builds");
    assert_ne!(recycled.version, in_use);
    assert!(read_site(&in_use) == in_use_before, "the version readers may be in was changed");
    assert!(recycled.rendered.contains(&"press-releases/bus-route-saved/index.html".to_owned()));
    assert!(
        !recycled.rendered.contains(&"news/council-tax-frozen/index.html".to_owned()),
        "linked, not rendered"
    );
    let full = dir.path().join("full");
    build_site(&options(&store, &custom, &full, now, Mode::Full)).await.expect("builds");
    assert!(read_site(&out) == read_site(&full), "the updated spare differs from a full build");
    assert_eq!(builds(dir.path()), 6, "three versions and their manifests");

    // Nothing changed: no new version, nothing rendered.
    let idle = build_site(&options(&store, &custom, &out, now, Mode::Incremental)).await.expect("builds");
    assert_eq!((idle.version, idle.rendered.len()), (recycled.version, 0));
}

#[tokio::test]
async fn rebuilds_are_atomic_and_incremental_on_sqlite() {
    let dir = tempfile::tempdir().expect("temp dir");
    rebuilds_are_atomic_and_incremental(StoreConfig::Sqlite { path: dir.path().join("caucus.sqlite3") })
        .await;
}

#[tokio::test]
async fn rebuilds_are_atomic_and_incremental_on_postgres() {
    rebuilds_are_atomic_and_incremental(support::fresh_postgres().await).await;
}

async fn the_watcher_rebuilds_what_new_events_change(store: StoreConfig) {
    let api = support::start_api(&store).await;
    assert!(sample::load_if_empty(&api.db, &api.bus).await.expect("sample loads"));
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("public");
    let refresh = std::time::Duration::from_secs(3600);
    let mut watcher = Watcher::start(options(&store, &sample_site(), &out, None, Mode::Incremental), refresh)
        .await
        .expect("starts");
    let first = watcher.pass().await.expect("first pass").expect("the first pass builds");
    assert!(first.events > 0);
    assert_eq!(first.report.rendered.len(), first.report.files, "the first build renders everything");
    assert!(watcher.pass().await.expect("pass").is_none(), "no new events, no rebuild");

    publication(&api, PublicationKind::NewsArticle, "Library hours extended", "Longer.", Fate::Live).await;
    let rebuild = watcher.pass().await.expect("pass").expect("new events rebuild");
    assert_eq!(rebuild.events, 4, "drafted, submitted, approved, scheduled to go live now");
    assert!(rebuild.report.rendered.contains(&"news/library-hours-extended/index.html".to_owned()));
    assert!(rebuild.report.rendered.len() < 15, "{:?}", rebuild.report.rendered);
    let page = std::fs::read_to_string(out.join("news/library-hours-extended/index.html")).expect("page");
    assert!(page.contains("Library hours extended"));

    // A draft is an event of the group too, but changes no page.
    publication(&api, PublicationKind::NewsArticle, "Unfinished thoughts", "Draft.", Fate::Draft).await;
    let quiet = watcher.pass().await.expect("pass").expect("new events rebuild");
    assert!(quiet.report.rendered.is_empty(), "{:?}", quiet.report.rendered);
    let full = dir.path().join("full");
    build_site(&options(&store, &sample_site(), &full, None, Mode::Full)).await.expect("builds");
    assert!(read_site(&out) == read_site(&full), "the watched site differs from a full build");
    watcher.stop().await;
}

#[tokio::test]
async fn the_watcher_rebuilds_what_new_events_change_on_sqlite() {
    let dir = tempfile::tempdir().expect("temp dir");
    the_watcher_rebuilds_what_new_events_change(StoreConfig::Sqlite {
        path: dir.path().join("caucus.sqlite3"),
    })
    .await;
}

#[tokio::test]
async fn the_watcher_rebuilds_what_new_events_change_on_postgres() {
    the_watcher_rebuilds_what_new_events_change(support::fresh_postgres().await).await;
}

async fn a_replay_as_of_an_instant_ignores_later_events(store: StoreConfig) {
    let api = support::start_api(&store).await;
    record_decision(&api, "Before the instant", "Text.", "public").await;
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let instant = Utc::now();
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    record_decision(&api, "After the instant", "Text.", "public").await;
    let group = GroupId::parse(sample::GROUP).expect("group");
    let reader = Database::connect_read_only(&store).await.expect("read-only");
    let titles = |records: caucus_api::store::replay::GroupRecords| -> BTreeSet<String> {
        records.decisions.values().map(|d| d.record.title.as_ref().expect("title").to_string()).collect()
    };
    let then = replay_group(&reader, &group, Some(instant)).await.expect("replay");
    assert_eq!(titles(then), BTreeSet::from(["Before the instant".to_owned()]));
    let now = replay_group(&reader, &group, None).await.expect("replay");
    assert_eq!(now.last_recorded_at.map(|t| t > instant), Some(true));
    assert_eq!(titles(now).len(), 2);
    let other = GroupId::parse("another-group").expect("group");
    assert!(replay_group(&reader, &other, None).await.expect("replay").decisions.is_empty());
}

#[tokio::test]
async fn a_replay_as_of_an_instant_ignores_later_events_on_sqlite() {
    let dir = tempfile::tempdir().expect("temp dir");
    a_replay_as_of_an_instant_ignores_later_events(StoreConfig::Sqlite {
        path: dir.path().join("caucus.sqlite3"),
    })
    .await;
}

#[tokio::test]
async fn a_replay_as_of_an_instant_ignores_later_events_on_postgres() {
    a_replay_as_of_an_instant_ignores_later_events(support::fresh_postgres().await).await;
}
