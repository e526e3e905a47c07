//! End to end: the api records the group's business, and the publisher, reading
//! the same store read-only, sees only what is public.

use caucus_api::{
    auth::{AuthConfig, KeySource, TokenIssuer},
    startup::Application,
    store::StoreConfig,
};
use serde_json::json;

mod support;

const SECRET: &[u8] = b"end-to-end-secret";

async fn the_publisher_sees_only_public_records(store: StoreConfig) {
    let auth = AuthConfig {
        keys: KeySource::SharedSecret(SECRET.to_vec()),
        issuer: "e2e".into(),
        audience: "caucus-api".into(),
        leeway_seconds: 5,
    };
    let app = Application::build(&store, auth, "127.0.0.1:0".parse().expect("addr"), Some(1))
        .await
        .expect("api starts");
    let base = format!("http://{}/api/v1", app.address());
    tokio::spawn(app.run_until_stopped());
    let token = TokenIssuer::shared_secret(SECRET, "e2e", "caucus-api")
        .mint("pa", "newham-labour", &["assistant"], 600)
        .expect("mint");
    let client = reqwest::Client::new();
    for (title, classification) in
        [("Public A", "public"), ("Group B", "group"), ("Officers C", "officers"), ("Public D", "public")]
    {
        let body = json!({
            "title": title, "text": "text", "decided_on": "2026-03-02",
            "taken_by": {"kind": "group_officers"}, "classification": classification
        });
        let response = client
            .post(format!("{base}/decisions"))
            .bearer_auth(&token)
            .json(&body)
            .send()
            .await
            .expect("post");
        assert_eq!(response.status(), 201);
    }

    let inventory = caucus_publisher::inventory(&store).await.expect("publisher reads the store");
    assert_eq!(inventory.counts, vec![("Decision".to_owned(), 2)]);
}

#[tokio::test]
async fn the_publisher_sees_only_public_records_on_sqlite() {
    let dir = tempfile::tempdir().expect("temp dir");
    the_publisher_sees_only_public_records(StoreConfig::Sqlite { path: dir.path().join("caucus.sqlite3") })
        .await;
}

#[tokio::test]
async fn the_publisher_sees_only_public_records_on_postgres() {
    the_publisher_sees_only_public_records(support::fresh_postgres().await).await;
}

#[tokio::test]
async fn the_publisher_cannot_write_to_the_store() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = StoreConfig::Sqlite { path: dir.path().join("caucus.sqlite3") };
    let db = caucus_api::store::Database::connect(&store).await.expect("create");
    db.migrate().await.expect("migrate");
    db.close().await;
    let reader = caucus_api::store::Database::connect_read_only(&store).await.expect("open read-only");
    let caucus_api::store::Database::Sqlite(pool) = &reader else { panic!("sqlite") };
    let write = sqlx::query("DELETE FROM events").execute(pool).await;
    assert!(write.is_err(), "a read-only store refused the write");
}
