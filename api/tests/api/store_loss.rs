//! The store going away or refusing: requests in flight when PostgreSQL
//! drops the api's connections, or that cannot get SQLite's write lock in
//! time, are answered 503 with Retry-After, never 500, and the next request
//! after the store is back succeeds.

use caucus_api::{startup::Settings, store::StoreConfig};
use futures::future::join_all;
use reqwest::StatusCode;
use sqlx::Connection;

use crate::decisions::decision;
use crate::helpers::{
    Backend, SECRET, auth_config, fresh_store, json, problem, spawn_app, spawn_app_on_with,
};

#[tokio::test]
async fn a_write_that_cannot_get_the_embedded_stores_lock_in_time_is_503_and_the_next_one_succeeds() {
    let (store, _dir) = fresh_store(Backend::Sqlite).await;
    let StoreConfig::Sqlite { path } = &store else { unreachable!("an SQLite store") };
    let settings =
        Settings { store_wait: Some(std::time::Duration::from_millis(300)), ..Settings::default() };
    let app = spawn_app_on_with(store.clone(), auth_config(SECRET), settings).await;
    let token = app.token("assistant");

    // Another process holds SQLite's one write lock.
    let mut holder =
        sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display())).await.expect("connect");
    sqlx::query("BEGIN EXCLUSIVE").execute(&mut holder).await.expect("lock");
    let refused = app.post("/decisions", &token, &decision("While locked", "group")).await;
    assert_eq!(refused.headers()["retry-after"], "1");
    let body = problem(refused, StatusCode::SERVICE_UNAVAILABLE).await;
    assert_eq!(body["type"], "https://caucus.example/problems/unavailable");
    sqlx::query("COMMIT").execute(&mut holder).await.expect("release");

    json(app.post("/decisions", &token, &decision("Once free", "group")).await, StatusCode::CREATED).await;
    let list = json(app.get("/decisions", &token).await, StatusCode::OK).await;
    let titles: Vec<&str> = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|d| d["title"].as_str().expect("title"))
        .collect();
    assert_eq!(titles, ["Once free"], "nothing answered 503 was recorded");
}

#[tokio::test]
async fn requests_whose_connection_is_terminated_are_503_and_the_next_one_succeeds() {
    let app = spawn_app(Backend::Postgres).await;
    let StoreConfig::Postgres { url, .. } = &app.store else { unreachable!("a PostgreSQL app") };
    let token = app.token("assistant");

    // Hold the log so that writes wait inside their statements, on the
    // connections about to be terminated.
    let mut holder = sqlx::PgConnection::connect(url).await.expect("connect");
    let mut lock = holder.begin().await.expect("begin");
    sqlx::query("LOCK TABLE events IN ACCESS EXCLUSIVE MODE").execute(&mut *lock).await.expect("lock");
    let writes: Vec<_> = (0..4)
        .map(|n| {
            let (client, url, token) = (app.client.clone(), app.api("/decisions"), token.clone());
            tokio::spawn(async move {
                client
                    .post(url)
                    .bearer_auth(token)
                    .json(&decision(&format!("Held {n}"), "group"))
                    .send()
                    .await
            })
        })
        .collect();
    let mut killer = sqlx::PgConnection::connect(url).await.expect("connect");
    let waiting = "SELECT count(*) FROM pg_stat_activity
                   WHERE datname = current_database() AND application_name = 'caucus' AND wait_event_type = 'Lock'";
    for _ in 0..200 {
        let held: i64 = sqlx::query_scalar(waiting).fetch_one(&mut killer).await.expect("count");
        if held >= 4 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    let terminated: Vec<bool> = sqlx::query_scalar(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE datname = current_database() AND application_name = 'caucus'",
    )
    .fetch_all(&mut killer)
    .await
    .expect("terminate");
    assert!(terminated.len() >= 4, "the api's connections were terminated: {terminated:?}");
    lock.rollback().await.expect("release");

    for write in join_all(writes).await {
        let response = write.expect("task").expect("answered");
        assert_eq!(response.headers()["retry-after"], "1");
        let body = problem(response, StatusCode::SERVICE_UNAVAILABLE).await;
        assert_eq!(body["type"], "https://caucus.example/problems/unavailable");
    }
    let after = app.post("/decisions", &token, &decision("After the restart", "group")).await;
    json(after, StatusCode::CREATED).await;
    let list = json(app.get("/decisions", &token).await, StatusCode::OK).await;
    let titles: Vec<&str> = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|d| d["title"].as_str().expect("title"))
        .collect();
    assert_eq!(titles, ["After the restart"], "nothing answered 503 was recorded");
}
