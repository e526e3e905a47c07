//! What every page test shares: an api over the sample group on loopback, a
//! web client of it, and a browser with a cookie jar.

use caucus_api::{
    auth::{AuthConfig, KeySource, TokenIssuer},
    sample,
    startup::Application,
    store::StoreConfig,
};
use caucus_web::{
    config::{OidcSettings, WebSettings},
    startup::WebApp,
};
use reqwest::{StatusCode, redirect::Policy};
use scraper::{Html, Selector};
use serde_json::Value;

pub(crate) const SECRET: &str = "web-client-test-secret";
pub(crate) const ISSUER: &str = "caucus";
pub(crate) const AUDIENCE: &str = "caucus-api";

/// An api over the sample group and a web client of it.
pub(crate) struct Running {
    pub(crate) web: String,
    pub(crate) api: String,
    pub(crate) browser: reqwest::Client,
    _dir: tempfile::TempDir,
}

pub(crate) async fn start() -> Running {
    start_with(KeySource::SharedSecret(SECRET.as_bytes().to_vec()), "127.0.0.1:0", OidcSettings::default())
        .await
}

/// Which store the api keeps the sample group in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Store {
    /// An SQLite file in a temporary folder.
    Sqlite,
    /// A fresh database on the test PostgreSQL (`CAUCUS_TEST_POSTGRES_URL`,
    /// as `.ci/test` sets it).
    Postgres,
}

/// An api over the sample group verifying tokens with `keys`, and a web
/// client of it on `bind` signing people in as `oidc` says.
pub(crate) async fn start_with(keys: KeySource, bind: &str, oidc: OidcSettings) -> Running {
    start_on(Store::Sqlite, keys, bind, oidc).await
}

/// As [`start_with`], the api keeping its records in `store`.
pub(crate) async fn start_on(store: Store, keys: KeySource, bind: &str, oidc: OidcSettings) -> Running {
    caucus_api::telemetry::init(false);
    let dir = tempfile::tempdir().expect("temp dir");
    let store = match store {
        Store::Sqlite => StoreConfig::Sqlite { path: dir.path().join("caucus.sqlite3") },
        Store::Postgres => StoreConfig::Postgres { url: fresh_postgres_database().await, max_connections: 5 },
    };
    let auth = AuthConfig { keys, issuer: ISSUER.into(), audience: AUDIENCE.into(), leeway_seconds: 5 };
    let api =
        Application::build(&store, auth, "127.0.0.1:0".parse().expect("addr"), Some(1)).await.expect("api");
    assert!(sample::load_if_empty(api.database(), api.command_bus()).await.expect("sample"), "a fresh store");
    let api_address = api.address();
    tokio::spawn(api.run_until_stopped());
    let settings = WebSettings {
        bind: bind.parse().expect("addr"),
        api_url: format!("http://{api_address}"),
        group_name: "Newham Labour Group".into(),
        session_key: None,
        secure_cookies: false,
        dev_secret: Some(SECRET.into()),
        dev_issuer: ISSUER.into(),
        dev_audience: AUDIENCE.into(),
        dev_group: sample::GROUP.into(),
        oidc,
    };
    let web = WebApp::build(&settings).expect("web client");
    let web_address = web.address();
    tokio::spawn(web.run_until_stopped());
    let browser =
        reqwest::Client::builder().cookie_store(true).redirect(Policy::none()).build().expect("client");
    Running { web: format!("http://{web_address}"), api: format!("http://{api_address}"), browser, _dir: dir }
}

impl Running {
    pub(crate) async fn get(&self, path: &str) -> reqwest::Response {
        self.browser.get(format!("{}{path}", self.web)).send().await.expect("get")
    }

    pub(crate) async fn post(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.browser.post(format!("{}{path}", self.web)).form(form).send().await.expect("post")
    }

    pub(crate) async fn page(&self, path: &str) -> Html {
        let response = self.get(path).await;
        let status = response.status();
        let body = response.text().await.expect("body");
        assert_eq!(status, StatusCode::OK, "{path}: {body}");
        Html::parse_document(&body)
    }

    /// Signs in as the sample person with `role`; their token's subject.
    pub(crate) async fn sign_in_as(&self, role: &str) -> String {
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
    pub(crate) async fn api_get(&self, subject: &str, role: &str, path: &str) -> Value {
        let response = reqwest::Client::new()
            .get(format!("{}/api/v1{path}", self.api))
            .bearer_auth(api_token(subject, role))
            .send()
            .await
            .expect("api");
        response.json().await.expect("json")
    }

    /// What the api answers `subject` with `role` to `method path` with
    /// `body` (and `If-Match: version`, if given): its status and JSON.
    pub(crate) async fn api_send(
        &self,
        (subject, role): (&str, &str),
        method: reqwest::Method,
        path: &str,
        body: &Value,
        version: Option<u64>,
    ) -> (StatusCode, Value) {
        let mut request = reqwest::Client::new()
            .request(method, format!("{}/api/v1{path}", self.api))
            .bearer_auth(api_token(subject, role))
            .json(body);
        if let Some(version) = version {
            request = request.header("If-Match", format!("\"{version}\""));
        }
        let response = request.send().await.expect("api");
        let status = response.status();
        (status, response.json().await.unwrap_or(Value::Null))
    }
}

/// A new, empty database on the test PostgreSQL server, and its URL.
async fn fresh_postgres_database() -> String {
    let admin = std::env::var("CAUCUS_TEST_POSTGRES_URL")
        .expect("CAUCUS_TEST_POSTGRES_URL is not set: run the suite with `bash .ci/test`");
    let name = format!("caucus_web_{}", uuid::Uuid::new_v4().simple());
    let mut connection =
        <sqlx::PgConnection as sqlx::Connection>::connect(&admin).await.expect("connect to PostgreSQL");
    sqlx::Executor::execute(&mut connection, format!("CREATE DATABASE {name}").as_str())
        .await
        .expect("create database");
    let (base, _) = admin.rsplit_once('/').expect("the URL names a database");
    format!("{base}/{name}")
}

/// A development token for the sample group's `subject` with `role`.
pub(crate) fn api_token(subject: &str, role: &str) -> String {
    TokenIssuer::shared_secret(SECRET.as_bytes(), ISSUER, AUDIENCE)
        .mint(subject, sample::GROUP, &[role], 600)
        .expect("token")
}

pub(crate) fn hidden(form: &scraper::ElementRef<'_>, name: &str) -> String {
    let input = Selector::parse(&format!("input[name='{name}']")).expect("selector");
    form.select(&input).next().and_then(|i| i.value().attr("value")).unwrap_or_default().to_owned()
}

pub(crate) fn case_links(page: &Html) -> Vec<String> {
    let links = Selector::parse("table a[href^='/cases/']").expect("selector");
    page.select(&links)
        .filter_map(|a| a.value().attr("href"))
        .map(|h| h.trim_start_matches("/cases/").to_owned())
        .collect()
}

pub(crate) fn text_list(page: &Html, selector: &str) -> Vec<String> {
    let selector = Selector::parse(selector).expect("selector");
    page.select(&selector).map(|e| e.text().collect::<String>().trim().to_owned()).collect()
}

pub(crate) fn text_of(page: &Html, selector: &str) -> String {
    let selector = Selector::parse(selector).expect("selector");
    page.select(&selector).map(|e| e.text().collect::<String>()).collect::<Vec<_>>().join(" ")
}
