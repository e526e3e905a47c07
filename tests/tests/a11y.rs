//! The sample group's website is valid HTML and accessible (issue 3, point 9).
//!
//! The test builds the sample site, with one more article using every kind of
//! Markdown, and always checks what a reader of the HTML can see (language, skip link, one main landmark, one top heading, no
//! link to a page, file or fragment the site lacks). With the
//! tools present, as `.ci/run` arranges, it goes further:
//! - `CAUCUS_VNU_JAR` (the Nu HTML Checker, run with `java`): every page and the
//!   stylesheet validate, warnings included;
//! - `CAUCUS_A11Y_CHROMIUM` (a Chromium binary; `tests/a11y` must have had
//!   `npm ci`): one page of every kind, served on loopback, has no axe-core
//!   violation and full keyboard access (`tests/a11y/check.mjs`).
//!
//! The site's markup does not depend on the store, so this runs on SQLite only.

mod support;

use std::{
    collections::BTreeMap,
    path::{Path, PathBuf},
    process::Command,
};

use caucus_api::{
    domain::{
        GroupId, LongText, Role, Title,
        publication::{Author, Publication, PublicationCommand, PublicationContent, PublicationKind, Slug},
    },
    sample,
    store::{
        StoreConfig,
        command_bus::{CommandContext, Expectation},
    },
};
use caucus_publisher::{BuildOptions, Mode, build_site};
use chrono::Utc;

/// A news article using every kind of Markdown a press officer might: what
/// pulldown-cmark and ammonia make of it must be as valid and accessible as
/// the theme around it.
const RICH_TITLE: &str = "Budget in figures";
const RICH_MARKDOWN: &str = "\
The group's response to the budget, in figures.

# Where the money goes

| Service | 2026/27 | Change |
| --- | ---: | ---: |
| Libraries | £4.1m | +3% |
| Youth services | £2.7m | +12% |

#### What we asked for

1. Keep every library open.
2. Restore the youth service's **Saturday** sessions.

> We will not balance the books on the backs of young people.

![Canning Town library, which the budget keeps open](/images/canning-town-library.jpg)

See the [council's budget papers](https://www.newham.gov.uk/budget), or email `group@example.net`.
Figures are provisional[^1].

[^1]: Until Full Council sets the budget.
";

fn sample_site() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../publisher/sample-site")
}

/// Copies the folder `from` to `to`, recursively.
fn copy_folder(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("list") {
        let path = entry.expect("entry").path();
        let target = to.join(path.file_name().expect("name"));
        if path.is_dir() {
            copy_folder(&path, &target);
        } else {
            std::fs::copy(&path, &target).expect("copy");
        }
    }
}

/// The HTML pages under `dir`, by path relative to it (`news/index.html`).
fn html_pages(dir: &Path) -> Vec<String> {
    let mut pages = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).expect("list") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "html") {
                pages.push(path.strip_prefix(dir).expect("under dir").to_string_lossy().into_owned());
            }
        }
    }
    pages.sort();
    pages
}

/// One page of each kind, as the URL path to open: pages are of one kind when
/// they share their first folder and their depth (`councillors/` the
/// directory, `councillors/<slug>/` a profile, `news/page/1/` an archive page).
/// Each content page (`/<slug>/`) is its own kind, which costs little.
fn one_of_each_kind(pages: &[String]) -> Vec<String> {
    let mut kinds = BTreeMap::new();
    for page in pages {
        let url = page.strip_suffix("index.html").unwrap_or(page).to_owned();
        let folders: Vec<&str> = url.split('/').filter(|s| !s.is_empty()).collect();
        let kind = (folders.first().map(|s| s.to_string()), folders.len());
        kinds.entry(kind).or_insert(url);
    }
    kinds.into_values().collect()
}

/// The paths on the site that `html` links to or loads (`href` and `src`,
/// absolute with `base` or from the root), without query or fragment.
fn internal_links(html: &str, base: &str) -> Vec<String> {
    let mut links = Vec::new();
    for attribute in ["href=\"", "src=\""] {
        for (at, _) in html.match_indices(attribute) {
            let value = &html[at + attribute.len()..];
            let value = &value[..value.find('"').expect("quoted")];
            let path = value.strip_prefix(base).or_else(|| value.starts_with('/').then_some(value));
            if let Some(path) = path.map(|p| p.split(['#', '?']).next().expect("split")) {
                links.push(if path.is_empty() { "/".to_owned() } else { path.to_owned() });
            }
        }
    }
    links
}

/// Records the rich article through the command bus, live now: drafted and
/// submitted by an assistant, approved and scheduled by the Leader.
/// Plans a public group event with a description and a host (the sample's
/// events are the group's own), so an event's page is checked too.
async fn plan_public_event(api: &support::Api) {
    let starts_at = Utc::now() + chrono::Duration::days(10);
    let body = serde_json::json!({
        "kind": "seminar", "title": "Open seminar: the Local Plan", "starts_at": starts_at,
        "description": "What the **Local Plan** means for:\n\n- housing\n- parks",
        "place": "Stratford Library", "online_link": "https://example.org/join", "invited": "all_members",
        "host": {"name": "Newham Civic Society", "value_per_head_pence": 0}, "classification": "public",
    });
    let response = reqwest::Client::new()
        .post(format!("{}/group-events", api.base))
        .bearer_auth(&api.token)
        .json(&body)
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), reqwest::StatusCode::CREATED);
}

async fn publish_rich_article(api: &support::Api) {
    let group = GroupId::parse(sample::GROUP).expect("group");
    let context = |actor: &str, role: Role| CommandContext {
        actor: actor.into(),
        roles: vec![role],
        group_id: group.clone(),
        request_id: "a11y-rich-article".into(),
        idempotency_key: None,
    };
    let (author, leader) = (context("author", Role::Assistant), context("leader", Role::Leader));
    let now = Utc::now();
    let content = PublicationContent {
        title: Title::parse(RICH_TITLE).expect("title"),
        summary: None,
        body_markdown: Some(LongText::parse(RICH_MARKDOWN).expect("body")),
        slug: Slug::from_title(RICH_TITLE).expect("slug"),
        tags: vec!["budget".into()],
        image: None,
        social_text: Default::default(),
        publish_at: None,
    };
    let author_name = Author {
        subject: "author".into(),
        name: Title::parse("Press Office").expect("name"),
        member_id: None,
    };
    let steps = [
        (
            &author,
            PublicationCommand::DraftPublication {
                group_id: group.clone(),
                kind: PublicationKind::NewsArticle,
                content: Box::new(content),
                author: author_name,
                at: now,
            },
        ),
        (
            &author,
            PublicationCommand::SubmitPublication {
                by: "author".into(),
                limits: Default::default(),
                at: now,
            },
        ),
        (&leader, PublicationCommand::ApprovePublication { by: "leader".into(), at: now }),
        (&leader, PublicationCommand::SchedulePublication { by: "leader".into(), publish_at: now, at: now }),
    ];
    let id = uuid::Uuid::new_v4().to_string();
    for (n, (context, command)) in steps.into_iter().enumerate() {
        let expectation = if n == 0 { Expectation::New } else { Expectation::Existing(None) };
        api.bus
            .execute::<Publication>(&id, command, context, expectation)
            .await
            .expect("publication command");
    }
}

/// A loopback port free right now, for the check's web server.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port()
}

fn run(command: &mut Command, what: &str) {
    let output = command.output().unwrap_or_else(|e| panic!("{what} did not start: {e}"));
    let text =
        format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "{what} failed ({}):\n{text}", output.status);
    println!("{what}:\n{text}");
}

#[tokio::test]
async fn the_sample_site_is_valid_html_and_accessible() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = StoreConfig::Sqlite { path: dir.path().join("caucus.sqlite3") };
    let api = support::start_api(&store).await;
    assert!(sample::load_if_empty(&api.db, &api.bus).await.expect("sample loads"));
    publish_rich_article(&api).await;
    plan_public_event(&api).await;

    // The site's links are absolute, so build it for the address it is served on.
    let base = format!("http://127.0.0.1:{}", free_port());
    let site = dir.path().join("sample-site");
    copy_folder(&sample_site(), &site);
    let config = std::fs::read_to_string(site.join("config.toml")).expect("config");
    assert!(config.contains("base_url = \"http://127.0.0.1:8000\""), "{config}");
    // One article a page, so that the lists' pagination is checked too.
    let config = config
        .replace("base_url = \"http://127.0.0.1:8000\"", &format!("base_url = \"{base}\""))
        .replace("per_page = 10", "per_page = 1");
    std::fs::write(site.join("config.toml"), config).expect("write config");
    let out = dir.path().join("public");
    let options = BuildOptions {
        store,
        site,
        out: out.clone(),
        group: None,
        now: None,
        mode: Mode::Full,
        verifier_key: None,
        receipts: None,
    };
    build_site(&options).await.expect("builds");

    let pages = html_pages(&out);
    let mut kinds = one_of_each_kind(&pages);
    let rich = "news/budget-in-figures/".to_owned();
    assert!(pages.contains(&format!("{rich}index.html")), "the rich article is built");
    if !kinds.contains(&rich) {
        kinds.push(rich);
    }
    for kind in [
        "",
        "news/",
        "press-releases/",
        "press-releases/page/1/",
        "councillors/",
        "committees/",
        "decisions/",
        "meetings/",
        "events/",
        "transparency/",
        "404.html",
    ] {
        assert!(kinds.iter().any(|k| k == kind), "no page {kind:?} among {kinds:?}");
    }
    for kind in
        ["news/", "press-releases/", "councillors/", "committees/", "decisions/", "meetings/", "events/"]
    {
        let items = kinds.iter().filter(|k| k.starts_with(kind) && k.len() > kind.len()).count();
        assert!(items > 0, "no item page under {kind} among {kinds:?}");
    }
    assert!(kinds.iter().any(|k| k == "about-the-group/"), "the content page is among {kinds:?}");

    for page in &pages {
        let html = std::fs::read_to_string(out.join(page)).expect("read");
        assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en-GB\">"), "{page} declares its language");
        assert!(html.contains("<a class=\"skip-link\" href=\"#content\">"), "{page} has a skip link");
        assert_eq!(html.matches("<main id=\"content\"").count(), 1, "{page} has one main landmark");
        assert_eq!(html.matches("<h1").count(), 1, "{page} has one top heading");
        for (at, _) in html.match_indices("href=\"#") {
            let id = &html[at + 7..];
            let id = &id[..id.find('"').expect("quoted")];
            assert!(html.contains(&format!(" id=\"{id}\"")), "{page} links to #{id}, which it lacks");
        }
        for target in internal_links(&html, &base) {
            let file = out.join(target.trim_start_matches('/'));
            let file = if target.ends_with('/') { file.join("index.html") } else { file };
            assert!(file.is_file(), "{page} links to {target}, which is not in the site");
        }
    }

    if let Some(jar) = std::env::var_os("CAUCUS_VNU_JAR") {
        let mut validate = Command::new("java");
        validate.arg("-jar").arg(jar).args(["--Werror", "--also-check-css", "--format", "gnu"]);
        validate.arg(out.join("style.css")).args(pages.iter().map(|p| out.join(p)));
        run(&mut validate, "the Nu HTML Checker");
    }
    if let Some(chromium) = std::env::var_os("CAUCUS_A11Y_CHROMIUM") {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("a11y/check.mjs");
        let mut check = Command::new("node");
        check.arg(script).arg("--site").arg(&out).args(["--base", &base]).arg("--chromium").arg(chromium);
        check.args(&kinds);
        run(&mut check, "axe-core and the keyboard in headless Chromium");
    }
}
