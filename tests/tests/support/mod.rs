//! What the end-to-end scenarios share: a fresh PostgreSQL database, and a
//! running api with a token. Each test binary includes this module and uses
//! only part of it, hence the `dead_code` allowance.
#![allow(dead_code)]

use std::{sync::Arc, time::Duration};

use caucus_api::{
    audit::checkpoint::CheckpointSigner,
    auth::{AuthConfig, KeySource, TokenIssuer},
    startup::{Application, Settings},
    store::{Database, StoreConfig, chain::CheckpointPolicy, command_bus::CommandBus},
};

const SECRET: &[u8] = b"end-to-end-secret";

/// A new, empty PostgreSQL database on the suite's server.
pub async fn fresh_postgres() -> StoreConfig {
    let admin = std::env::var("CAUCUS_TEST_POSTGRES_URL")
        .expect("CAUCUS_TEST_POSTGRES_URL is not set: run the suite with `bash .ci/test`");
    let name = format!("caucus_e2e_{}", uuid::Uuid::new_v4().simple());
    let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(&admin).await.expect("connect");
    sqlx::Executor::execute(&mut conn, format!("CREATE DATABASE {name}").as_str()).await.expect("create");
    let (base, _) = admin.rsplit_once('/').expect("URL has a database");
    StoreConfig::Postgres { url: format!("{base}/{name}"), max_connections: 5 }
}

/// A running api over `store`.
pub struct Api {
    /// `http://host:port/api/v1`.
    pub base: String,
    /// A token for the group's assistant.
    pub token: String,
    /// The api's own store handle.
    pub db: Database,
    /// The api's command bus, for loading the sample.
    pub bus: CommandBus,
}

/// Starts the api over `store` (migrating it) for the sample group.
pub async fn start_api(store: &StoreConfig) -> Api {
    start_api_with(store, Settings::default()).await
}

/// Starts the api with an audit key that signs a checkpoint on every chain
/// pass that adds events; returns it and the key's public verifier key.
pub async fn start_signing_api(store: &StoreConfig) -> (Api, String) {
    let (signer, _) = CheckpointSigner::generate("caucus-e2e").expect("key");
    let verifier_key = signer.verifier_key().to_owned();
    let checkpoints = CheckpointPolicy { signer: Some(Arc::new(signer)), interval: Duration::ZERO };
    (start_api_with(store, Settings { checkpoints, ..Settings::default() }).await, verifier_key)
}

/// Mints a token of the sample group for `roles`.
pub fn token(subject: &str, roles: &[&str]) -> String {
    TokenIssuer::shared_secret(SECRET, "e2e", "caucus-api")
        .mint(subject, "newham-labour", roles, 600)
        .expect("mint")
}

/// Starts the api over `store` with `settings`.
pub async fn start_api_with(store: &StoreConfig, settings: Settings) -> Api {
    let auth = AuthConfig {
        keys: KeySource::SharedSecret(SECRET.to_vec()),
        issuer: "e2e".into(),
        audience: "caucus-api".into(),
        leeway_seconds: 5,
    };
    let app = Application::build_with(store, auth, "127.0.0.1:0".parse().expect("addr"), Some(1), settings)
        .await
        .expect("api starts");
    let base = format!("http://{}/api/v1", app.address());
    let (db, bus) = (app.database().clone(), app.command_bus().clone());
    tokio::spawn(app.run_until_stopped());
    let token = token("pa", &["assistant"]);
    Api { base, token, db, bus }
}
