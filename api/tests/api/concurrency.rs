//! Many writers at once: two api processes on one PostgreSQL, and a burst of
//! writers on SQLite's single-writer store. Nothing is lost, nothing is a 500.

use std::collections::HashSet;

use caucus_api::auth::TokenIssuer;
use futures::future::join_all;
use reqwest::StatusCode;
use serde_json::Value;

use crate::decisions::decision;
use crate::helpers::{
    AUDIENCE, Backend, GROUP, ISSUER, SECRET, auth_config, fresh_store, spawn_app, spawn_app_on,
};

async fn all_titles(client: &reqwest::Client, base: &str, token: &str) -> HashSet<String> {
    let mut titles = HashSet::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut request =
            client.get(format!("{base}/api/v1/decisions")).query(&[("limit", "200")]).bearer_auth(token);
        if let Some(cursor) = &cursor {
            request = request.query(&[("cursor", cursor)]);
        }
        let page: Value = request.send().await.expect("list").json().await.expect("json");
        for item in page["items"].as_array().expect("items") {
            titles.insert(item["title"].as_str().expect("title").to_owned());
        }
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => return titles,
        }
    }
}

#[tokio::test]
async fn two_api_processes_share_one_postgresql_without_losing_a_write() {
    let (store, _) = fresh_store(Backend::Postgres).await;
    let first = spawn_app_on(store.clone(), auth_config(SECRET)).await;
    let second = spawn_app_on(store, auth_config(SECRET)).await;
    let token = TokenIssuer::shared_secret(SECRET, ISSUER, AUDIENCE)
        .mint("pa", GROUP, &["assistant"], 600)
        .expect("mint");
    let client = reqwest::Client::new();
    let bases = [first.url(""), second.url("")];
    let writes = (0..40).map(|n| {
        let (client, token, base) = (client.clone(), token.clone(), bases[n % 2].clone());
        async move {
            let response = client
                .post(format!("{base}/api/v1/decisions"))
                .bearer_auth(&token)
                .json(&decision(&format!("Decision {n}"), "group"))
                .send()
                .await
                .expect("send");
            assert_eq!(
                response.status(),
                StatusCode::CREATED,
                "{}",
                response.text().await.unwrap_or_default()
            );
        }
    });
    join_all(writes).await;
    let expected: HashSet<String> = (0..40).map(|n| format!("Decision {n}")).collect();
    // Each process reads its own writes and the other's.
    for base in &bases {
        assert_eq!(all_titles(&client, base, &token).await, expected);
    }

    // An amendment through one process is seen through the other.
    let list: Value = client
        .get(format!("{}/api/v1/decisions?limit=1", bases[0]))
        .bearer_auth(&token)
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("json");
    let id = list["items"][0]["id"].as_str().expect("id").to_owned();
    let amended = client
        .post(format!("{}/api/v1/decisions/{id}/amendments", bases[0]))
        .bearer_auth(&token)
        .json(&serde_json::json!({"text": "Amended through the first process", "reason": "test"}))
        .send()
        .await
        .expect("amend");
    assert_eq!(amended.status(), StatusCode::OK);
    let read: Value = client
        .get(format!("{}/api/v1/decisions/{id}", bases[1]))
        .bearer_auth(&token)
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert_eq!(read["text"], "Amended through the first process");
}

#[tokio::test]
async fn a_burst_of_writers_on_sqlite_all_succeed() {
    let app = spawn_app(Backend::Sqlite).await;
    let token = app.token("assistant");
    let writes = (0..32).map(|n| {
        let body = decision(&format!("Burst {n}"), "group");
        let request = app.client.post(app.api("/decisions")).bearer_auth(&token).json(&body).send();
        async move {
            let response = request.await.expect("send");
            response.status()
        }
    });
    let statuses = join_all(writes).await;
    assert!(statuses.iter().all(|s| *s == StatusCode::CREATED), "{statuses:?}");
    let expected: HashSet<String> = (0..32).map(|n| format!("Burst {n}")).collect();
    assert_eq!(all_titles(&app.client, &app.url(""), &token).await, expected);
}
