//! The web client's pages against a real api on loopback, over the sample
//! group: signing in and out, what each person sees, a note added once however
//! often its form is sent, the error summary of a refused one, and forms from
//! anywhere else refused.

use caucus_api::{
    auth::{AuthConfig, KeySource, TokenIssuer},
    sample,
    startup::Application,
    store::StoreConfig,
};
use caucus_web::{config::WebSettings, startup::WebApp};
use reqwest::{StatusCode, redirect::Policy};
use scraper::{Html, Selector};
use serde_json::Value;

const SECRET: &str = "web-client-test-secret";
const ISSUER: &str = "caucus";
const AUDIENCE: &str = "caucus-api";

/// An api over the sample group and a web client of it.
struct Running {
    web: String,
    api: String,
    browser: reqwest::Client,
    _dir: tempfile::TempDir,
}

async fn start() -> Running {
    caucus_api::telemetry::init(false);
    let dir = tempfile::tempdir().expect("temp dir");
    let store = StoreConfig::Sqlite { path: dir.path().join("caucus.sqlite3") };
    let auth = AuthConfig {
        keys: KeySource::SharedSecret(SECRET.as_bytes().to_vec()),
        issuer: ISSUER.into(),
        audience: AUDIENCE.into(),
        leeway_seconds: 5,
    };
    let api =
        Application::build(&store, auth, "127.0.0.1:0".parse().expect("addr"), Some(1)).await.expect("api");
    assert!(sample::load_if_empty(api.database(), api.command_bus()).await.expect("sample"), "a fresh store");
    let api_address = api.address();
    tokio::spawn(api.run_until_stopped());
    let settings = WebSettings {
        bind: "127.0.0.1:0".parse().expect("addr"),
        api_url: format!("http://{api_address}"),
        group_name: "Newham Labour Group".into(),
        session_key: None,
        secure_cookies: false,
        dev_secret: Some(SECRET.into()),
        dev_issuer: ISSUER.into(),
        dev_audience: AUDIENCE.into(),
        dev_group: sample::GROUP.into(),
    };
    let web = WebApp::build(&settings).expect("web client");
    let web_address = web.address();
    tokio::spawn(web.run_until_stopped());
    let browser =
        reqwest::Client::builder().cookie_store(true).redirect(Policy::none()).build().expect("client");
    Running { web: format!("http://{web_address}"), api: format!("http://{api_address}"), browser, _dir: dir }
}

impl Running {
    async fn get(&self, path: &str) -> reqwest::Response {
        self.browser.get(format!("{}{path}", self.web)).send().await.expect("get")
    }

    async fn post(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.browser.post(format!("{}{path}", self.web)).form(form).send().await.expect("post")
    }

    async fn page(&self, path: &str) -> Html {
        let response = self.get(path).await;
        let status = response.status();
        let body = response.text().await.expect("body");
        assert_eq!(status, StatusCode::OK, "{path}: {body}");
        Html::parse_document(&body)
    }

    /// Signs in as the sample person with `role`; their token's subject.
    async fn sign_in_as(&self, role: &str) -> String {
        let page = self.page("/sign-in?next=/cases").await;
        let form = Selector::parse("form[action='/sign-in']").expect("selector");
        let chosen = page
            .select(&form)
            .find(|f| hidden(f, "role") == role)
            .unwrap_or_else(|| panic!("no sign-in as {role}"));
        let fields: Vec<(String, String)> = ["csrf", "subject", "role", "next"]
            .iter()
            .map(|name| ((*name).to_owned(), hidden(&chosen, name)))
            .collect();
        let fields: Vec<(&str, &str)> = fields.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        let response = self.post("/sign-in", &fields).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(response.headers()["location"], "/cases", "back to where they were going");
        hidden(&chosen, "subject")
    }

    /// What the api itself answers `subject` with `role` at `path`.
    async fn api_get(&self, subject: &str, role: &str, path: &str) -> Value {
        let token = TokenIssuer::shared_secret(SECRET.as_bytes(), ISSUER, AUDIENCE)
            .mint(subject, sample::GROUP, &[role], 600)
            .expect("token");
        let response = reqwest::Client::new()
            .get(format!("{}/api/v1{path}", self.api))
            .bearer_auth(token)
            .send()
            .await
            .expect("api");
        response.json().await.expect("json")
    }
}

fn hidden(form: &scraper::ElementRef<'_>, name: &str) -> String {
    let input = Selector::parse(&format!("input[name='{name}']")).expect("selector");
    form.select(&input).next().and_then(|i| i.value().attr("value")).unwrap_or_default().to_owned()
}

fn case_links(page: &Html) -> Vec<String> {
    let links = Selector::parse("table a[href^='/cases/']").expect("selector");
    page.select(&links)
        .filter_map(|a| a.value().attr("href"))
        .map(|h| h.trim_start_matches("/cases/").to_owned())
        .collect()
}

fn text_list(page: &Html, selector: &str) -> Vec<String> {
    let selector = Selector::parse(selector).expect("selector");
    page.select(&selector).map(|e| e.text().collect::<String>().trim().to_owned()).collect()
}

fn text_of(page: &Html, selector: &str) -> String {
    let selector = Selector::parse(selector).expect("selector");
    page.select(&selector).map(|e| e.text().collect::<String>()).collect::<Vec<_>>().join(" ")
}

#[tokio::test]
async fn a_councillor_signs_in_sees_only_the_cases_they_read_and_signs_out() {
    let app = start().await;
    let first = app.get("/").await;
    assert_eq!(first.status(), StatusCode::SEE_OTHER);
    assert_eq!(first.headers()["location"], "/sign-in?next=%2F", "nobody is signed in yet");

    let councillor = app.sign_in_as("councillor").await;
    // My work lists what the api's /my-work gives them, in its order.
    let home = app.page("/").await;
    let work = app.api_get(&councillor, "councillor", "/my-work").await;
    let expected_titles: Vec<&str> = work["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["title"].as_str().expect("title"))
        .collect();
    let shown_titles: Vec<String> = text_list(&home, ".govuk-task-list__name-and-hint > :first-child");
    assert!(!expected_titles.is_empty(), "the sample gives them work: {work}");
    assert_eq!(shown_titles, expected_titles, "{work}");
    let page = app.page("/cases").await;
    assert!(text_of(&page, "body").contains("Signed in as"), "the header says who");
    let shown = case_links(&page);
    let theirs = app.api_get(&councillor, "councillor", "/cases?limit=100").await;
    let mut expected: Vec<String> = theirs["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|c| c["id"].as_str().expect("id").to_owned())
        .collect();
    let mut shown_sorted = shown.clone();
    shown_sorted.sort();
    expected.sort();
    assert_eq!(shown_sorted, expected, "exactly the cases the api lets them read");
    assert!(!shown.is_empty(), "the sample gives them cases");

    // A case of someone else's reads as not found, as the api answers.
    let everyone = app.api_get("demo-assistant", "assistant", "/cases?limit=100").await;
    let other = everyone["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|c| c["id"].as_str().expect("id").to_owned())
        .find(|id| !expected.contains(id))
        .expect("a case that is not theirs");
    let refused = app.get(&format!("/cases/{other}")).await;
    assert_eq!(refused.status(), StatusCode::NOT_FOUND);
    assert!(refused.text().await.expect("body").contains("Page not found"));

    let csrf = hidden(
        &Selector::parse("form[action='/sign-out']")
            .ok()
            .and_then(|s| page.select(&s).next())
            .expect("sign-out form"),
        "csrf",
    );
    let out = app.post("/sign-out", &[("csrf", &csrf)]).await;
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.get("/cases").await.status(), StatusCode::SEE_OTHER, "signed out");
}

#[tokio::test]
async fn a_note_is_added_once_however_often_its_form_is_sent_and_an_empty_one_is_explained() {
    let app = start().await;
    app.sign_in_as("assistant").await;
    let list = app.page("/cases").await;
    let id = case_links(&list).into_iter().next().expect("a case");
    let page = app.page(&format!("/cases/{id}")).await;
    let form = Selector::parse("form[action$='/notes']").expect("selector");
    let form = page.select(&form).next().expect("the note form");
    let (csrf, key) = (hidden(&form, "csrf"), hidden(&form, "idempotency_key"));
    let before = app.api_get("demo-assistant", "assistant", &format!("/cases/{id}")).await["notes"]
        .as_array()
        .expect("notes")
        .len();

    let note = "Rang the housing officer: a surveyor visits on Tuesday";
    for _ in 0..2 {
        let sent = app
            .post(
                &format!("/cases/{id}/notes"),
                &[("csrf", &csrf), ("idempotency_key", &key), ("text", note)],
            )
            .await;
        assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    }
    let after = app.api_get("demo-assistant", "assistant", &format!("/cases/{id}")).await;
    assert_eq!(after["notes"].as_array().expect("notes").len(), before + 1, "a double submit records once");
    let shown = app.page(&format!("/cases/{id}?done=note")).await;
    assert!(text_of(&shown, ".govuk-notification-banner").contains("Your note was added"));
    assert!(text_of(&shown, "main").contains(note));

    let fresh = app.page(&format!("/cases/{id}")).await;
    let form = Selector::parse("form[action$='/notes']").expect("selector");
    let key = hidden(&fresh.select(&form).next().expect("form"), "idempotency_key");
    let refused = app
        .post(&format!("/cases/{id}/notes"), &[("csrf", &csrf), ("idempotency_key", &key), ("text", "")])
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = Html::parse_document(&refused.text().await.expect("body"));
    let link = Selector::parse(".govuk-error-summary a[href='#text']").expect("selector");
    assert!(refused.select(&link).next().is_some(), "the summary links to the field");
    assert!(!text_of(&refused, "#text-error").is_empty(), "the field says what is wrong");

    let forged = app
        .post(&format!("/cases/{id}/notes"), &[("csrf", "not-ours"), ("idempotency_key", "k"), ("text", "x")])
        .await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN, "a form from elsewhere is refused");
}

#[tokio::test]
async fn assets_are_cached_for_a_year_under_hashed_names_and_pages_forbid_inline_script() {
    let app = start().await;
    let page = app.get("/sign-in").await;
    let policy = page.headers()["content-security-policy"].to_str().expect("header").to_owned();
    assert!(policy.contains("script-src 'self'") && !policy.contains("unsafe-inline"), "{policy}");
    let page = Html::parse_document(&page.text().await.expect("body"));
    let stylesheet = Selector::parse("link[rel='stylesheet']").expect("selector");
    let href =
        page.select(&stylesheet).next().and_then(|l| l.value().attr("href")).expect("stylesheet").to_owned();
    assert!(href.starts_with("/assets/govuk-frontend-") && href.ends_with(".min.css"), "{href}");
    let css = app
        .browser
        .get(format!("{}{href}", app.web))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .expect("css");
    assert_eq!(css.status(), StatusCode::OK);
    assert_eq!(css.headers()["cache-control"], "public, max-age=31536000, immutable");
    assert_eq!(css.headers()["content-encoding"], "gzip", "compressed");
    assert_eq!(app.get("/assets/govuk-frontend-000000000000.min.css").await.status(), StatusCode::NOT_FOUND);
}

/// Saves what the signed-in browser gets at `path` as `dir/<file>`.
async fn snapshot(app: &Running, path: &str, dir: &std::path::Path, file: &str) -> String {
    let response = app.get(path).await;
    let body = response.text().await.expect("body");
    let target = dir.join(file);
    std::fs::create_dir_all(target.parent().expect("parent")).expect("dir");
    std::fs::write(&target, &body).expect("write");
    body
}

fn run(command: &mut std::process::Command, what: &str) {
    let output = command.output().unwrap_or_else(|e| panic!("{what} did not start: {e}"));
    let text =
        format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "{what} failed ({}):\n{text}", output.status);
    println!("{what}:\n{text}");
}

/// Every kind of page, the refused form's included, is valid HTML (the Nu
/// HTML Checker, `CAUCUS_VNU_JAR`) and has no axe-core violation, at 1280
/// and 320 CSS pixels, with full keyboard access (`tests/a11y/check.mjs` in
/// `CAUCUS_A11Y_CHROMIUM`), as `.ci/run` arranges. The pages are saved as
/// the signed-in browser got them and checked as static files.
#[tokio::test]
async fn every_kind_of_page_is_valid_html_and_accessible() {
    let (vnu, chromium) = (std::env::var_os("CAUCUS_VNU_JAR"), std::env::var_os("CAUCUS_A11Y_CHROMIUM"));
    if vnu.is_none() && chromium.is_none() {
        println!("skipped: set CAUCUS_VNU_JAR and CAUCUS_A11Y_CHROMIUM (as .ci/run does) to check the pages");
        return;
    }
    let app = start().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path();
    app.sign_in_as("assistant").await;
    let list = snapshot(&app, "/cases", out, "cases/index.html").await;
    let id = case_links(&Html::parse_document(&list)).into_iter().next().expect("a case");
    let case = snapshot(&app, &format!("/cases/{id}"), out, "case/index.html").await;
    snapshot(&app, "/", out, "index.html").await;
    snapshot(&app, "/sign-in", out, "sign-in/index.html").await;
    snapshot(&app, &format!("/cases/{}", uuid::Uuid::nil()), out, "404.html").await;
    let form = Html::parse_document(&case);
    let form =
        form.select(&Selector::parse("form[action$='/notes']").expect("selector")).next().expect("form");
    let fields = [
        ("csrf", hidden(&form, "csrf")),
        ("idempotency_key", hidden(&form, "idempotency_key")),
        ("text", String::new()),
    ];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(n, v)| (*n, v.as_str())).collect();
    let refused = app.post(&format!("/cases/{id}/notes"), &fields).await.text().await.expect("body");
    // Checked as it works without JavaScript: with it, GOV.UK Frontend moves
    // focus to the error summary on load (so it is announced), and the
    // keyboard walk starts from the top of the page.
    let script = refused.find("<script type=\"module\"").expect("the page loads its script");
    let end = script + refused[script..].find("</script>").expect("closed") + "</script>".len();
    let refused = format!("{}{}", &refused[..script], &refused[end..]);
    std::fs::create_dir_all(out.join("refused")).expect("dir");
    std::fs::write(out.join("refused/index.html"), refused).expect("write");
    // The assets the pages name, and the script the start-up module imports.
    let mut assets: Vec<String> = Vec::new();
    let home = std::fs::read_to_string(out.join("index.html")).expect("home");
    for part in home.split("\"/assets/").skip(1) {
        assets.push(part.split('"').next().expect("name").to_owned());
    }
    std::fs::create_dir_all(out.join("assets")).expect("dir");
    let mut index = 0;
    while index < assets.len() {
        let name = assets[index].clone();
        let body = app.get(&format!("/assets/{name}")).await.bytes().await.expect("asset");
        if name.starts_with("init-") {
            let text = String::from_utf8_lossy(&body);
            if let Some(imported) = text.split("'./").nth(1).and_then(|rest| rest.split('\'').next()) {
                assets.push(imported.to_owned());
            }
        }
        std::fs::write(out.join("assets").join(&name), &body).expect("write");
        index += 1;
    }
    let pages = [
        "index.html",
        "sign-in/index.html",
        "cases/index.html",
        "case/index.html",
        "refused/index.html",
        "404.html",
    ];
    if let Some(jar) = vnu {
        let mut validate = std::process::Command::new("java");
        // Errors fail; GOV.UK Frontend's own markup draws an info warning
        // (a hidden menu button also aria-hidden), so warnings are shown only.
        validate.arg("-jar").arg(jar).args(["--format", "gnu"]);
        validate.args(pages.iter().map(|p| out.join(p)));
        run(&mut validate, "the Nu HTML Checker");
    }
    if let Some(chromium) = chromium {
        let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/a11y/check.mjs");
        let port =
            std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port();
        let mut check = std::process::Command::new("node");
        check.arg(script).arg("--site").arg(out).args(["--base", &format!("http://127.0.0.1:{port}")]);
        check.arg("--chromium").arg(chromium);
        check.args(["", "sign-in/", "cases/", "case/", "refused/", "404.html"]);
        run(&mut check, "axe-core and the keyboard in headless Chromium");
    }
}
