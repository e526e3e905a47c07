//! `spawn_app`: a real server on a free loopback port over a fresh store.

use std::net::SocketAddr;

use std::sync::{Arc, OnceLock};

use caucus_api::{
    audit::checkpoint::CheckpointSigner,
    auth::{AuthConfig, KeySource, TokenIssuer},
    startup::{Application, Settings},
    store::{StoreConfig, chain::CheckpointPolicy},
};
use reqwest::{Response, StatusCode};
use serde_json::Value;

pub const ISSUER: &str = "caucus-test";
pub const AUDIENCE: &str = "caucus-api";
pub const GROUP: &str = "newham-labour";
pub const RIVAL_GROUP: &str = "newham-conservatives";

/// Which store a test runs against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A fresh, empty store of the given kind. The temp dir (SQLite) lives as long
/// as the returned guard.
pub async fn fresh_store(backend: Backend) -> (StoreConfig, Option<tempfile::TempDir>) {
    match backend {
        Backend::Sqlite => {
            let dir = tempfile::tempdir().expect("temp dir");
            let path = dir.path().join("caucus.sqlite3");
            (StoreConfig::Sqlite { path }, Some(dir))
        }
        Backend::Postgres => {
            (StoreConfig::Postgres { url: fresh_postgres_database().await, max_connections: 10 }, None)
        }
    }
}

/// Creates an empty database on the test server and returns its URL.
pub async fn fresh_postgres_database() -> String {
    let admin = std::env::var("CAUCUS_TEST_POSTGRES_URL").expect(
        "CAUCUS_TEST_POSTGRES_URL is not set: run the suite with `bash .ci/test`, which starts a private PostgreSQL",
    );
    let name = format!("caucus_test_{}", uuid::Uuid::new_v4().simple());
    let mut conn =
        <sqlx::PgConnection as sqlx::Connection>::connect(&admin).await.expect("connect to test PostgreSQL");
    sqlx::Executor::execute(&mut conn, format!("CREATE DATABASE {name}").as_str())
        .await
        .expect("create database");
    let (base, _) = admin.rsplit_once('/').expect("URL has a database");
    format!("{base}/{name}")
}

pub struct TestApp {
    pub address: SocketAddr,
    pub store: StoreConfig,
    pub client: reqwest::Client,
    pub issuer: TokenIssuer,
    _dir: Option<tempfile::TempDir>,
}

pub fn auth_config(secret: &[u8]) -> AuthConfig {
    AuthConfig {
        keys: KeySource::SharedSecret(secret.to_vec()),
        issuer: ISSUER.into(),
        audience: AUDIENCE.into(),
        leeway_seconds: 5,
    }
}

/// The HS256 secret of the test apps.
pub const SECRET: &[u8] = b"test-secret-for-the-api-suite";

pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, auth_config(SECRET), TokenIssuer::shared_secret(SECRET, ISSUER, AUDIENCE)).await
}

/// A test app checking tokens with `auth`; `issuer` mints the tokens its
/// helpers send.
pub async fn spawn_app_with(backend: Backend, auth: AuthConfig, issuer: TokenIssuer) -> TestApp {
    let (store, dir) = fresh_store(backend).await;
    let mut app = spawn_app_on(store, auth).await;
    app.issuer = issuer;
    app._dir = dir;
    app
}

/// A test app over a fresh SQLite store holding the sample group (as `caucus
/// demo` loads it); its tokens are for the sample group.
pub async fn spawn_sample_app() -> TestApp {
    let (store, dir) = fresh_store(Backend::Sqlite).await;
    {
        let loader = Application::build(
            &store,
            auth_config(b"sample-loader-secret"),
            "127.0.0.1:0".parse().expect("addr"),
            Some(1),
        )
        .await
        .expect("application builds");
        let loaded =
            caucus_api::sample::load_if_empty(loader.database(), loader.command_bus()).await.expect("loads");
        assert!(loaded, "the store was empty, so the sample loads");
    }
    let mut app = spawn_app_on(store, auth_config(SECRET)).await;
    app._dir = dir;
    app
}

/// A test app over an existing store: two of them on one PostgreSQL database
/// are two api processes sharing it.
pub async fn spawn_app_on(store: StoreConfig, auth: AuthConfig) -> TestApp {
    spawn_app_on_with(store, auth, Settings::default()).await
}

/// A test app over an existing store with `settings` (its checkpoints signed
/// by the test key).
pub async fn spawn_app_on_with(store: StoreConfig, auth: AuthConfig, settings: Settings) -> TestApp {
    caucus_api::telemetry::init(false);
    let checkpoints =
        CheckpointPolicy { signer: Some(checkpoint_signer()), interval: std::time::Duration::ZERO };
    let settings = Settings { checkpoints, ..settings };
    let app = Application::build_with(&store, auth, "127.0.0.1:0".parse().expect("addr"), Some(1), settings)
        .await
        .expect("application builds");
    let address = app.address();
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address,
        store,
        client: reqwest::Client::new(),
        issuer: TokenIssuer::shared_secret(SECRET, ISSUER, AUDIENCE),
        _dir: None,
    }
}

/// The audit key of this test process, and a file holding it for the
/// `caucus` binary.
struct TestAuditKey {
    signer: Arc<CheckpointSigner>,
    file: tempfile::NamedTempFile,
}

fn test_audit_key() -> &'static TestAuditKey {
    static KEY: OnceLock<TestAuditKey> = OnceLock::new();
    KEY.get_or_init(|| {
        let (signer, text) = CheckpointSigner::generate("caucus-test").expect("key");
        let file = tempfile::NamedTempFile::new().expect("key file");
        std::fs::write(file.path(), text).expect("write key");
        TestAuditKey { signer: Arc::new(signer), file }
    })
}

/// The key test apps sign audit checkpoints with; every chain pass that adds
/// events signs one.
pub fn checkpoint_signer() -> Arc<CheckpointSigner> {
    test_audit_key().signer.clone()
}

/// A file holding [`checkpoint_signer`]'s private key (`CAUCUS_AUDIT_KEY_FILE`).
pub fn audit_key_file() -> &'static std::path::Path {
    test_audit_key().file.path()
}

/// The token subject of the test user holding `role`: a UUID, so that a
/// councillor's subject can be the member id their actions are owned by.
pub fn subject(role: &str) -> String {
    uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, role.as_bytes()).to_string()
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    pub fn api(&self, path: &str) -> String {
        self.url(&format!("/api/v1{path}"))
    }

    /// A token for `role` in the main test group.
    pub fn token(&self, role: &str) -> String {
        self.token_for(GROUP, role)
    }

    /// A token for `role` whose subject is `subject` (a councillor's subject is
    /// their member id).
    pub fn token_as(&self, subject: &str, role: &str) -> String {
        self.issuer.mint(subject, GROUP, &[role], 600).expect("mint")
    }

    pub fn token_for(&self, group: &str, role: &str) -> String {
        self.issuer.mint(&subject(role), group, &[role], 600).expect("mint")
    }

    pub async fn get(&self, path: &str, token: &str) -> Response {
        self.client.get(self.api(path)).bearer_auth(token).send().await.expect("request")
    }

    pub async fn post(&self, path: &str, token: &str, body: &Value) -> Response {
        self.client.post(self.api(path)).bearer_auth(token).json(body).send().await.expect("request")
    }
}

/// Reads a JSON body, asserting the status first (with the body in the message).
pub async fn json(response: Response, expected: StatusCode) -> Value {
    let status = response.status();
    let text = response.text().await.expect("body");
    assert_eq!(status, expected, "unexpected status; body: {text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("body is not JSON ({e}): {text}"))
}

/// Asserts a problem+json answer with `status`, and returns it.
pub async fn problem(response: Response, expected: StatusCode) -> Value {
    let content_type =
        response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let body = json(response, expected).await;
    assert_eq!(content_type, "application/problem+json", "{body}");
    assert_eq!(body["status"], expected.as_u16(), "{body}");
    assert!(body["title"].is_string() && body["type"].is_string(), "{body}");
    assert!(body["instance"].as_str().is_some_and(|path| path.starts_with('/')), "{body}");
    body
}

/// Runs an async test body once per store: `mod name { sqlite, postgres }`.
#[macro_export]
macro_rules! on_both_stores {
    ($(async fn $name:ident($app:ident: $backend:ident) $body:block)+) => {
        $(
            mod $name {
                #[allow(unused_imports)]
                use super::*;

                async fn run($backend: $crate::helpers::Backend) {
                    #[allow(unused_variables)]
                    let $app = $crate::helpers::spawn_app($backend).await;
                    $body
                }

                #[tokio::test]
                async fn sqlite() {
                    run($crate::helpers::Backend::Sqlite).await;
                }

                #[tokio::test]
                async fn postgres() {
                    run($crate::helpers::Backend::Postgres).await;
                }
            }
        )+
    };
}
