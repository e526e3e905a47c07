//! Personal data sealed per member, and erased by destroying their key
//! (crypto-shredding): after erasure no trace of their contact details is
//! readable in the store, the views, the history, the audit log, the export or
//! the server's log, and the audit chain still verifies.

use std::process::Stdio;

use caucus_api::{
    auth::TokenIssuer,
    store::{Database, projector::Projector},
};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio::io::AsyncReadExt;

use crate::crash::{free_port, start_server_logging_to, wait_until_ready};
use crate::helpers::{AUDIENCE, Backend, GROUP, ISSUER, SECRET, TestApp, fresh_store, json, problem};
use crate::on_both_stores;

const EMAIL: &str = "cllr.jane.shredded@example.org";
const PHONE: &str = "020 7946 0777";
const NEW_PHONE: &str = "020 7946 0888";

async fn add_member(app: &TestApp) -> String {
    let body = json!({"name": "Jane Shredded", "ward": "Beckton", "email": EMAIL, "phone": PHONE});
    let created = json(app.post("/members", &app.token("assistant"), &body).await, StatusCode::CREATED).await;
    assert_eq!(created["email"], EMAIL, "the office reads what it wrote");
    created["id"].as_str().expect("id").to_owned()
}

/// Everything the store holds in the tables personal data could reach, as text.
pub async fn raw_tables(app: &TestApp) -> String {
    let db = Database::connect(&app.store).await.expect("connect");
    let queries = [
        "SELECT CAST(payload AS TEXT) || CAST(metadata AS TEXT) FROM events",
        "SELECT state FROM records",
        "SELECT aggregate_id || actor || hash FROM event_chain",
        "SELECT subject_id || ' ' || COALESCE(key, 'erased') FROM subject_keys",
        "SELECT COALESCE(response_body, '') FROM idempotency_keys",
    ];
    let mut all = String::new();
    for sql in queries {
        let rows: Vec<String> = match &db {
            Database::Postgres(pool) => sqlx::query_scalar(sql).fetch_all(pool).await.expect("read"),
            Database::Sqlite(pool) => sqlx::query_scalar(sql).fetch_all(pool).await.expect("read"),
        };
        all.push_str(&rows.join("\n"));
        all.push('\n');
    }
    db.close().await;
    all
}

async fn text(app: &TestApp, path: &str, role: &str) -> String {
    let response = app.get(path, &app.token(role)).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.text().await.expect("body")
}

fn assert_no_trace(place: &str, text: &str) {
    for secret in [EMAIL, PHONE, NEW_PHONE, "jane.shredded"] {
        assert!(!text.contains(secret), "{secret:?} is readable in {place}: {text}");
    }
}

on_both_stores! {
    async fn contact_details_are_sealed_in_the_store_and_opened_only_for_the_office(app: backend) {
        let id = add_member(&app).await;
        // Catch the audit chain up, so its table is searched too.
        text(&app, "/audit/log", "auditor").await;
        let raw = raw_tables(&app).await;
        assert_no_trace("the raw tables", &raw);
        assert!(raw.contains("sealed:v1:"), "{raw}");
        for place in [format!("/history/member/{id}"), "/audit/log".into(), "/audit/export".into()] {
            assert_no_trace(&place, &text(&app, &place, "auditor").await);
        }

        let office = json(app.get(&format!("/members/{id}"), &app.token("leader")).await, StatusCode::OK).await;
        assert_eq!((office["email"].as_str(), office["phone"].as_str()), (Some(EMAIL), Some(PHONE)));
        assert_eq!(office["personal_data_erased"], false);
        let councillor = json(app.get(&format!("/members/{id}"), &app.token("councillor")).await, StatusCode::OK).await;
        assert!(councillor["email"].is_null() && councillor["phone"].is_null(), "{councillor}");
        problem(app.get(&format!("/members/{id}/subject-access"), &app.token("councillor")).await, StatusCode::FORBIDDEN).await;
        problem(app.post(&format!("/members/{id}/erasure"), &app.token("officer"), &json!({})).await, StatusCode::FORBIDDEN).await;

        // Repeating the current email is no change, although sealing it again would differ.
        let same = app.post(&format!("/members/{id}/profile"), &app.token("assistant"), &json!({"email": EMAIL})).await;
        problem(same, StatusCode::UNPROCESSABLE_ENTITY).await;
    }

    async fn after_erasure_no_trace_of_the_contact_details_is_readable_anywhere(app: backend) {
        let id = add_member(&app).await;
        let assistant = app.token("assistant");
        let updated = app.post(&format!("/members/{id}/profile"), &assistant, &json!({"phone": NEW_PHONE})).await;
        assert_eq!(json(updated, StatusCode::OK).await["phone"], NEW_PHONE);
        let action = json!({"title": "Chase the housing report", "owner_id": id, "due_on": "2026-06-01", "classification": "group"});
        let action = app.post("/actions", &assistant, &action).await;
        assert_eq!(action.status(), StatusCode::CREATED, "{}", action.text().await.unwrap_or_default());

        let before = json(app.get(&format!("/members/{id}/subject-access"), &app.token("auditor")).await, StatusCode::OK).await;
        let before_text = before.to_string();
        assert!(before_text.contains(EMAIL) && before_text.contains(NEW_PHONE), "{before}");
        assert_eq!(before["events"].as_array().expect("events").len(), 2);
        assert_eq!(before["referring_records"][0]["record_type"], "Action", "{before}");

        let erased = json(app.post(&format!("/members/{id}/erasure"), &app.token("leader"), &json!({})).await, StatusCode::OK).await;
        assert_eq!(erased["personal_data_erased"], true);
        assert!(erased["email"].is_null() && erased["phone"].is_null(), "{erased}");
        assert_eq!(erased["name"], "Jane Shredded", "the public profile stays");
        let again = app.post(&format!("/members/{id}/erasure"), &assistant, &json!({})).await;
        problem(again, StatusCode::CONFLICT).await;
        let refused = app.post(&format!("/members/{id}/profile"), &assistant, &json!({"email": "new@example.org"})).await;
        problem(refused, StatusCode::CONFLICT).await;

        for role in ["assistant", "auditor"] {
            let read = json(app.get(&format!("/members/{id}"), &app.token(role)).await, StatusCode::OK).await;
            assert!(read["email"].is_null() && read["phone"].is_null() && read["personal_data_erased"] == true, "{read}");
            assert_no_trace("the members list", &text(&app, "/members", role).await);
        }
        let history = text(&app, &format!("/history/member/{id}"), "auditor").await;
        assert_no_trace("the history", &history);
        assert!(history.contains("MemberPersonalDataErased"), "the erasure is an event: {history}");
        assert_no_trace("the audit log", &text(&app, "/audit/log", "auditor").await);
        assert_no_trace("the export", &text(&app, "/audit/export", "auditor").await);
        let after = text(&app, &format!("/members/{id}/subject-access"), "assistant").await;
        assert_no_trace("the subject access export", &after);
        let after: Value = serde_json::from_str(&after).expect("json");
        assert_eq!(after["personal_data_erased"], true);
        assert_eq!(after["events"].as_array().expect("events").len(), 3);
        assert!(after["events"][0]["payload"]["MemberJoined"]["email"].is_null(), "{after}");
        let raw = raw_tables(&app).await;
        assert_no_trace("the raw tables", &raw);
        assert!(raw.contains(&format!("{id} erased")), "the key is gone: {raw}");

        let verification = json(app.get("/audit/verification", &app.token("auditor")).await, StatusCode::OK).await;
        assert_eq!(verification["problem"], Value::Null, "{verification}");
        // Joined, their induction started, the phone changed, an action, the erasure.
        assert_eq!(verification["events"], 5, "{verification}");

        // `caucus replay` folds the log again, the erasure with it.
        let db = Database::connect(&app.store).await.expect("connect");
        Projector::rebuild(db.clone()).await.expect("replay");
        db.close().await;
        let read = json(app.get(&format!("/members/{id}"), &assistant).await, StatusCode::OK).await;
        assert!(read["email"].is_null() && read["personal_data_erased"] == true, "{read}");
        assert_no_trace("the replayed read model", &raw_tables(&app).await);
    }
}

#[tokio::test]
async fn the_server_log_holds_no_trace_of_erased_contact_details() {
    let (store, _dir) = fresh_store(Backend::Sqlite).await;
    let port = free_port();
    let mut server = start_server_logging_to(&store, port, Stdio::piped());
    let client = reqwest::Client::new();
    wait_until_ready(&client, port).await;
    let token = TokenIssuer::shared_secret(SECRET, ISSUER, AUDIENCE)
        .mint("pa", GROUP, &["assistant"], 600)
        .expect("mint");
    let api = format!("http://127.0.0.1:{port}/api/v1");
    let body = json!({"name": "Jane Shredded", "ward": "Beckton", "email": EMAIL, "phone": PHONE});
    let created: Value = client
        .post(format!("{api}/members"))
        .bearer_auth(&token)
        .json(&body)
        .send()
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    let id = created["id"].as_str().expect("id");
    let erased = client
        .post(format!("{api}/members/{id}/erasure"))
        .bearer_auth(&token)
        .json(&json!({}))
        .send()
        .await
        .expect("send");
    assert_eq!(erased.status(), StatusCode::OK);
    let again = client
        .post(format!("{api}/members/{id}/erasure"))
        .bearer_auth(&token)
        .json(&json!({}))
        .send()
        .await
        .expect("send");
    assert_eq!(again.status(), StatusCode::CONFLICT);

    server.start_kill().expect("stop");
    let mut log = String::new();
    server.stderr.take().expect("stderr").read_to_string(&mut log).await.expect("read log");
    server.wait().await.expect("reaped");
    assert!(log.contains("/erasure"), "requests are logged: {log}");
    assert_no_trace("the server's log", &log);
}
