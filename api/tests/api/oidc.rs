//! Access tokens from a real OpenID Connect provider: `oidc-provider` (npm,
//! OpenID-certified), run by `tests/oidc/provider.mjs` on a free loopback
//! port, issuing JWT access tokens by the client_credentials grant with the
//! roles and group claims an office's directory would give.
//!
//! They need Node and `npm ci` in `tests/oidc`: they run when
//! `CAUCUS_OIDC_PROVIDER_DIR` names that folder (`.ci/run` sets it after
//! `npm ci`), and otherwise say why they skip. Authentication does not touch
//! the store, so they run on SQLite only.

use std::{path::PathBuf, process::Stdio, time::Duration};

use caucus_api::{
    auth::{AuthConfig, ClaimMapping, GroupSource, KeySource, OidcConfig, TokenIssuer},
    domain::Role,
};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader};

use crate::helpers::{AUDIENCE, Backend, GROUP, ISSUER, SECRET, TestApp, json, problem, spawn_app_with};

/// The audience the provider's tokens for the api carry (a resource
/// indicator, so a URI).
const API: &str = "urn:caucus:api";

/// The folder holding `provider.mjs` and its installed packages, or `None`
/// (having said why) when the tests cannot run here.
fn provider_dir() -> Option<PathBuf> {
    let Some(dir) = std::env::var_os("CAUCUS_OIDC_PROVIDER_DIR").map(PathBuf::from) else {
        eprintln!(
            "skipping the OpenID Connect tests: set CAUCUS_OIDC_PROVIDER_DIR to tests/oidc after \
             `npm ci` there (as .ci/run does)"
        );
        return None;
    };
    if !dir.join("node_modules/oidc-provider/package.json").is_file() {
        eprintln!(
            "WARNING: skipping the OpenID Connect tests: {} has no node_modules/oidc-provider (run `npm ci` there)",
            dir.display()
        );
        return None;
    }
    let node = std::process::Command::new("node").arg("--version").output();
    if !node.is_ok_and(|out| out.status.success()) {
        eprintln!("WARNING: skipping the OpenID Connect tests: `node` is not on PATH");
        return None;
    }
    Some(dir)
}

/// A free loopback port, for a provider whose issuer must be known before it
/// listens.
fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("address").port()
}

/// A running `oidc-provider`; stopped when dropped.
struct Provider {
    dir: PathBuf,
    port: u16,
    keys: tempfile::TempDir,
    child: tokio::process::Child,
    /// The key id it signs with.
    kid: String,
    http: reqwest::Client,
}

impl Provider {
    async fn start(dir: &std::path::Path, port: u16) -> Self {
        let keys = tempfile::tempdir().expect("keys dir");
        let (child, kid) = Self::spawn(dir, port, &keys, None).await;
        Self { dir: dir.to_owned(), port, keys, child, kid, http: reqwest::Client::new() }
    }

    async fn spawn(
        dir: &std::path::Path,
        port: u16,
        keys: &tempfile::TempDir,
        new_key: Option<&str>,
    ) -> (tokio::process::Child, String) {
        let mut command = tokio::process::Command::new("node");
        command
            .arg("provider.mjs")
            .current_dir(dir)
            .env("OIDC_PORT", port.to_string())
            .env("OIDC_KEYS_FILE", keys.path().join("keys.json"))
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true);
        if let Some(alg) = new_key {
            command.env("OIDC_NEW_KEY", alg);
        }
        let mut child = command.spawn().expect("start node");
        let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let ready = tokio::time::timeout(Duration::from_secs(30), async {
            while let Some(line) = lines.next_line().await.expect("read provider output") {
                if let Some(rest) = line.strip_prefix("ready ") {
                    return rest.split_whitespace().nth(1).expect("kid").to_owned();
                }
            }
            panic!("the provider exited before it was ready");
        })
        .await
        .expect("the provider starts within 30 s");
        (child, ready)
    }

    fn issuer(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The provider switches to a new signing key of `alg`, still publishing
    /// the old one, as a rotating provider does (a restart on the same port
    /// and keys file: the api is not restarted).
    async fn rotate(&mut self, alg: &str) {
        self.child.kill().await.expect("stop the provider");
        let (child, kid) = Self::spawn(&self.dir, self.port, &self.keys, Some(alg)).await;
        self.child = child;
        self.kid = kid;
    }

    /// An access token for `client`, meant for `resource`.
    async fn token_for(&self, client: &str, resource: &str) -> String {
        let response = self
            .http
            .post(format!("{}/token", self.issuer()))
            .form(&[
                ("grant_type", "client_credentials"),
                ("client_id", client),
                ("client_secret", &format!("{client}-secret")),
                ("resource", resource),
            ])
            .send()
            .await
            .expect("token request");
        let body: Value = json(response, StatusCode::OK).await;
        body["access_token"].as_str().expect("access token").to_owned()
    }

    async fn token(&self, client: &str) -> String {
        self.token_for(client, API).await
    }

    /// How many times the key set has been fetched.
    async fn jwks_fetches(&self) -> u64 {
        let response =
            self.http.get(format!("{}/test/jwks-fetches", self.issuer())).send().await.expect("request");
        json(response, StatusCode::OK).await["fetches"].as_u64().expect("count")
    }
}

/// The api accepting its own tokens and the provider at `issuer`'s, mapping
/// the provider's `Caucus.*` roles and its `office_group` claim.
fn auth_config(issuer: &str, refetch_interval: Duration) -> AuthConfig {
    let provider = OidcConfig {
        issuer: issuer.to_owned(),
        audience: API.into(),
        mapping: ClaimMapping {
            roles_claim: "roles".into(),
            role_map: vec![
                ("Caucus.Assistant".into(), Role::Assistant),
                ("Caucus.Auditor".into(), Role::Auditor),
            ],
            group: GroupSource::Claim("office_group".into()),
        },
        leeway_seconds: 0,
        refetch_interval,
    };
    AuthConfig {
        keys: KeySource::WithProvider { own: Box::new(KeySource::SharedSecret(SECRET.to_vec())), provider },
        issuer: ISSUER.into(),
        audience: AUDIENCE.into(),
        leeway_seconds: 5,
    }
}

async fn spawn_api(issuer: &str, refetch_interval: Duration) -> TestApp {
    spawn_app_with(
        Backend::Sqlite,
        auth_config(issuer, refetch_interval),
        TokenIssuer::shared_secret(SECRET, ISSUER, AUDIENCE),
    )
    .await
}

fn member(name: &str) -> Value {
    json!({"name": name, "ward": "Stratford"})
}

#[tokio::test]
async fn a_providers_token_is_accepted_with_its_mapped_role_and_group() {
    let Some(dir) = provider_dir() else { return };
    let provider = Provider::start(&dir, free_port()).await;
    let app = spawn_api(&provider.issuer(), Duration::from_secs(30)).await;

    // Caucus.Assistant is the assistant, who adds members to the group the
    // token's office_group claim names.
    let assistant = provider.token("office-assistant").await;
    json(app.post("/members", &assistant, &member("Cllr Signed In")).await, StatusCode::CREATED).await;

    // Caucus.Auditor is an auditor (Payroll.Reader, another application's
    // role, is ignored): reads the group's members, but may not add one.
    let auditor = provider.token("office-auditor").await;
    let members = json(app.get("/members", &auditor).await, StatusCode::OK).await;
    let names: Vec<&str> =
        members["items"].as_array().expect("items").iter().filter_map(|m| m["name"].as_str()).collect();
    assert_eq!(names, ["Cllr Signed In"]);
    problem(app.post("/members", &auditor, &member("Cllr Refused")).await, StatusCode::FORBIDDEN).await;

    // The api's own tokens keep working beside the provider's, in the same group.
    let own = app.token("auditor");
    let members = json(app.get("/members", &own).await, StatusCode::OK).await;
    assert_eq!(members["items"].as_array().expect("items").len(), 1);
}

#[tokio::test]
async fn a_providers_token_for_another_audience_expired_or_from_another_issuer_is_refused() {
    let Some(dir) = provider_dir() else { return };
    let provider = Provider::start(&dir, free_port()).await;
    let stranger = Provider::start(&dir, free_port()).await;
    let app = spawn_api(&provider.issuer(), Duration::from_secs(30)).await;

    let elsewhere = provider.token_for("office-assistant", "urn:another:api").await;
    let refused = problem(app.get("/members", &elsewhere).await, StatusCode::UNAUTHORIZED).await;
    assert!(refused["detail"].as_str().is_some_and(|d| d.contains("not valid")), "{refused}");

    // The short-lived client's tokens live one second; the api allows no leeway here.
    let expiring = provider.token("short-lived").await;
    json(app.get("/members", &expiring).await, StatusCode::OK).await;
    tokio::time::sleep(Duration::from_millis(2_100)).await;
    problem(app.get("/members", &expiring).await, StatusCode::UNAUTHORIZED).await;

    // A real provider the api was not told to trust, with the same claims.
    let unknown = stranger.token("office-assistant").await;
    problem(app.get("/members", &unknown).await, StatusCode::UNAUTHORIZED).await;
}

#[tokio::test]
async fn a_providers_genuine_token_with_no_caucus_role_or_group_is_forbidden() {
    let Some(dir) = provider_dir() else { return };
    let provider = Provider::start(&dir, free_port()).await;
    let app = spawn_api(&provider.issuer(), Duration::from_secs(30)).await;

    let no_role = provider.token("no-caucus-role").await;
    let refused = problem(app.get("/members", &no_role).await, StatusCode::FORBIDDEN).await;
    assert!(refused["detail"].as_str().is_some_and(|d| d.contains("no Caucus role")), "{refused}");

    let no_group = provider.token("no-group").await;
    let refused = problem(app.get("/members", &no_group).await, StatusCode::FORBIDDEN).await;
    assert!(refused["detail"].as_str().is_some_and(|d| d.contains("no Caucus group")), "{refused}");
}

#[tokio::test]
async fn a_rotated_signing_key_is_fetched_without_restarting_the_api() {
    let Some(dir) = provider_dir() else { return };
    let mut provider = Provider::start(&dir, free_port()).await;
    let app = spawn_api(&provider.issuer(), Duration::from_millis(500)).await;

    let before = provider.token("office-assistant").await;
    json(app.get("/members", &before).await, StatusCode::OK).await;
    let first_kid = provider.kid.clone();

    // From RS256 to a new ES256 key, whose kid the api has never seen.
    provider.rotate("ES256").await;
    assert_ne!(provider.kid, first_kid);
    tokio::time::sleep(Duration::from_millis(600)).await;
    let after = provider.token("office-assistant").await;
    let header = jsonwebtoken::decode_header(&after).expect("header");
    assert_eq!(
        (header.alg, header.kid.as_deref()),
        (jsonwebtoken::Algorithm::ES256, Some(provider.kid.as_str()))
    );
    // A calendar subscription's `?token=` is a token like any other: the
    // new key is fetched for it too.
    let url = app.api(&format!("/calendar.ics?token={after}"));
    let calendar = reqwest::get(url).await.expect("calendar");
    assert_eq!(calendar.status(), StatusCode::OK);
    json(app.get("/members", &after).await, StatusCode::OK).await;
    // The old key is still published, so tokens it signed still work.
    json(app.get("/members", &before).await, StatusCode::OK).await;
}

#[tokio::test]
async fn a_flood_of_tokens_naming_unknown_keys_fetches_the_key_set_at_most_once_an_interval() {
    let Some(dir) = provider_dir() else { return };
    let provider = Provider::start(&dir, free_port()).await;
    let app = spawn_api(&provider.issuer(), Duration::from_secs(30)).await;
    json(app.get("/members", &provider.token("office-assistant").await).await, StatusCode::OK).await;
    let fetched = provider.jwks_fetches().await;

    // Well-formed tokens claiming the provider as issuer, under key ids it never published.
    const RSA_KEY: &[u8] = include_bytes!("../fixtures/rsa-c.pem");
    let forged: Vec<String> = (0..25)
        .map(|n| {
            TokenIssuer::rsa_pem(RSA_KEY, &format!("forged-{n}"), &provider.issuer(), API)
                .expect("key")
                .mint("mallory", GROUP, &["assistant"], 600)
                .expect("mint")
        })
        .collect();
    let answers = futures::future::join_all(forged.iter().map(|token| app.get("/members", token))).await;
    for answer in answers {
        problem(answer, StatusCode::UNAUTHORIZED).await;
    }
    let refetched = provider.jwks_fetches().await - fetched;
    assert!(refetched <= 1, "the key set was fetched {refetched} times for 25 unknown keys");
}

#[tokio::test]
async fn the_api_starts_while_the_provider_is_down_and_answers_503_until_it_is_up() {
    let Some(dir) = provider_dir() else { return };
    let port = free_port();
    let issuer = format!("http://127.0.0.1:{port}");
    let app = spawn_api(&issuer, Duration::from_secs(1)).await;

    // Nothing listens yet: a token claiming the provider cannot be checked.
    const RSA_KEY: &[u8] = include_bytes!("../fixtures/rsa-c.pem");
    let early = TokenIssuer::rsa_pem(RSA_KEY, "early", &issuer, API)
        .expect("key")
        .mint("pa", GROUP, &["assistant"], 600)
        .expect("mint");
    let response = app.get("/members", &early).await;
    let retry_after: u64 =
        response.headers()["retry-after"].to_str().expect("header").parse().expect("seconds");
    assert!((1..=1).contains(&retry_after), "{retry_after}");
    let unavailable = problem(response, StatusCode::SERVICE_UNAVAILABLE).await;
    assert_eq!(unavailable["title"], "Identity provider unavailable", "{unavailable}");

    let provider = Provider::start(&dir, port).await;
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    let token = provider.token("office-assistant").await;
    json(app.get("/members", &token).await, StatusCode::OK).await;
}
