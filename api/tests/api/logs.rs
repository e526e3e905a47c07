//! The server's log says what happened without saying what was sent: no
//! token, no personal data from a request body, even when it is refused.

use std::process::Stdio;

use caucus_api::auth::TokenIssuer;
use reqwest::StatusCode;
use serde_json::json;
use tokio::io::AsyncReadExt;

use crate::crash::{free_port, start_server_logging_to, wait_until_ready};
use crate::helpers::{AUDIENCE, Backend, GROUP, ISSUER, SECRET, fresh_store};

#[tokio::test]
async fn the_log_holds_requests_but_no_tokens_or_submitted_values() {
    let (store, _dir) = fresh_store(Backend::Sqlite).await;
    let port = free_port();
    let mut server = start_server_logging_to(&store, port, Stdio::piped());
    let client = reqwest::Client::new();
    wait_until_ready(&client, port).await;
    let token = TokenIssuer::shared_secret(SECRET, ISSUER, AUDIENCE)
        .mint("pa", GROUP, &["assistant"], 600)
        .expect("mint");
    let personal = "jane.resident@example.org";
    let mut body = crate::decisions::decision("Casework", "group");
    body["votes"] = json!(personal);
    let refused = client
        .post(format!("http://127.0.0.1:{port}/api/v1/decisions"))
        .bearer_auth(&token)
        .json(&body)
        .send()
        .await
        .expect("send");
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let created = client
        .post(format!("http://127.0.0.1:{port}/api/v1/decisions"))
        .bearer_auth(&token)
        .json(&crate::decisions::decision(personal, "group"))
        .send()
        .await
        .expect("send");
    assert_eq!(created.status(), StatusCode::CREATED);

    // Stop the server and read everything it logged.
    server.start_kill().expect("stop");
    let mut log = String::new();
    server.stderr.take().expect("stderr").read_to_string(&mut log).await.expect("read log");
    server.wait().await.expect("reaped");

    assert!(log.contains("/api/v1/decisions"), "requests are logged: {log}");
    assert!(log.contains("422"), "the refusal's status is logged: {log}");
    assert!(!log.contains(&token), "the token leaked into the log");
    assert!(!log.contains(std::str::from_utf8(SECRET).expect("utf8")), "the secret leaked into the log");
    assert!(!log.contains(personal), "a submitted value leaked into the log: {log}");
}
