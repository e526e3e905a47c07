//! Kill -9 in the middle of a stream of writes: after a restart every
//! acknowledged write, and its read-model entry, is there.

use std::{process::Stdio, time::Duration};

use caucus_api::{auth::TokenIssuer, store::StoreConfig};
use reqwest::StatusCode;
use tokio::process::{Child, Command};

use crate::decisions::decision;
use crate::helpers::{AUDIENCE, Backend, GROUP, ISSUER, SECRET, fresh_store};

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port()
}

/// Starts the real `caucus serve` binary on `store`, its log discarded.
fn start_server(store: &StoreConfig, port: u16) -> Child {
    start_server_logging_to(store, port, Stdio::null())
}

/// Starts the real `caucus serve` binary on `store`, its log sent to `log`.
pub fn start_server_logging_to(store: &StoreConfig, port: u16, log: Stdio) -> Child {
    let mut command = Command::new(env!("CARGO_BIN_EXE_caucus"));
    command
        .arg("serve")
        .env("CAUCUS_BIND", format!("127.0.0.1:{port}"))
        .env("CAUCUS_JWT_SECRET", std::str::from_utf8(SECRET).expect("utf8"))
        .env("CAUCUS_JWT_ISSUER", ISSUER)
        .env("CAUCUS_JWT_AUDIENCE", AUDIENCE)
        .env("CAUCUS_WORKERS", "2")
        .env("CAUCUS_AUDIT_KEY_FILE", crate::helpers::audit_key_file())
        .env_remove("CAUCUS_DATABASE_URL")
        .stdout(Stdio::null())
        .stderr(log)
        .kill_on_drop(true);
    match store {
        StoreConfig::Postgres { url, .. } => command.env("CAUCUS_DATABASE_URL", url),
        StoreConfig::Sqlite { path } => command.env("CAUCUS_DATA_DIR", path.parent().expect("data dir")),
    };
    command.spawn().expect("start caucus")
}

pub async fn wait_until_ready(client: &reqwest::Client, port: u16) {
    for _ in 0..300 {
        if let Ok(response) = client.get(format!("http://127.0.0.1:{port}/readyz")).send().await
            && response.status() == StatusCode::OK
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the server did not become ready");
}

async fn acknowledged_writes_survive_kill_9(backend: Backend) {
    let (store, _dir) = fresh_store(backend).await;
    let client = reqwest::Client::new();
    let token = TokenIssuer::shared_secret(SECRET, ISSUER, AUDIENCE)
        .mint("pa", GROUP, &["assistant"], 600)
        .expect("mint");
    let port = free_port();
    let mut server = start_server(&store, port);
    wait_until_ready(&client, port).await;

    // Four writers stream decisions; the server is killed while they write.
    let acknowledged = std::sync::Arc::new(tokio::sync::Mutex::new(Vec::<String>::new()));
    let mut writers = Vec::new();
    for writer in 0..4 {
        let (client, token, acknowledged) = (client.clone(), token.clone(), acknowledged.clone());
        writers.push(tokio::spawn(async move {
            for n in 0.. {
                let body = decision(&format!("Writer {writer} decision {n}"), "group");
                let sent = client
                    .post(format!("http://127.0.0.1:{port}/api/v1/decisions"))
                    .bearer_auth(&token)
                    .json(&body)
                    .send()
                    .await;
                let Ok(response) = sent else { break };
                if response.status() != StatusCode::CREATED {
                    break;
                }
                let Ok(created) = response.json::<serde_json::Value>().await else { break };
                let id = created["id"].as_str().expect("id").to_owned();
                acknowledged.lock().await.push(id);
            }
        }));
    }
    while acknowledged.lock().await.len() < 40 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    server.start_kill().expect("kill -9");
    server.wait().await.expect("reaped");
    for writer in writers {
        writer.await.expect("writer");
    }
    let acknowledged = acknowledged.lock().await.clone();

    let mut server = start_server(&store, port);
    wait_until_ready(&client, port).await;
    for id in &acknowledged {
        let response = client
            .get(format!("http://127.0.0.1:{port}/api/v1/decisions/{id}"))
            .bearer_auth(&token)
            .send()
            .await
            .expect("get");
        assert_eq!(response.status(), StatusCode::OK, "acknowledged decision {id} is missing");
    }
    let mut listed = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut request = client
            .get(format!("http://127.0.0.1:{port}/api/v1/decisions"))
            .query(&[("limit", "200")])
            .bearer_auth(&token);
        if let Some(cursor) = &cursor {
            request = request.query(&[("cursor", cursor)]);
        }
        let page: serde_json::Value = request.send().await.expect("list").json().await.expect("json");
        for item in page["items"].as_array().expect("items") {
            listed.push(item["id"].as_str().expect("id").to_owned());
        }
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    for id in &acknowledged {
        assert!(listed.contains(id), "acknowledged decision {id} is missing from the register");
    }
    server.start_kill().expect("stop");
}

#[tokio::test]
async fn acknowledged_writes_survive_kill_9_on_sqlite() {
    acknowledged_writes_survive_kill_9(Backend::Sqlite).await;
}

#[tokio::test]
async fn acknowledged_writes_survive_kill_9_on_postgres() {
    acknowledged_writes_survive_kill_9(Backend::Postgres).await;
}
