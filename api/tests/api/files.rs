//! Stored files over HTTP: uploaded once by content, downloaded by those who
//! may read them, and attached to meetings as papers.

use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::helpers::{TestApp, json, problem};
use crate::meetings::{add_item, schedule};
use crate::on_both_stores;

/// Uploads `content` as the assistant and returns the stored file.
pub async fn upload(app: &TestApp, name: &str, content: &[u8], classification: &str) -> Value {
    let response = app
        .client
        .post(app.api(&format!("/files?name={name}&classification={classification}")))
        .bearer_auth(app.token("assistant"))
        .header("content-type", "application/pdf")
        .body(content.to_vec())
        .send()
        .await
        .expect("upload");
    json(response, StatusCode::CREATED).await
}

async fn attach(app: &TestApp, meeting: &str, body: &Value) -> reqwest::Response {
    app.post(&format!("/meetings/{meeting}/papers"), &app.token("assistant"), body).await
}

on_both_stores! {
    async fn a_file_is_stored_once_by_its_content_and_downloaded_as_it_was(app: backend) {
        let content = b"%PDF-1.4 the draft budget briefing";
        let stored = upload(&app, "budget-briefing.pdf", content, "group").await;
        assert_eq!(stored["id"], hex::encode(Sha256::digest(content)));
        assert_eq!(stored["size"], content.len());
        assert_eq!(stored["media_type"], "application/pdf");
        let again = upload(&app, "another-name.pdf", content, "group").await;
        assert_eq!(again["id"], stored["id"]);
        assert_eq!(again["name"], "budget-briefing.pdf", "the first upload's name stands");

        let url = app.url(stored["url"].as_str().expect("url"));
        let download = app.client.get(&url).bearer_auth(app.token("councillor")).send().await.expect("download");
        assert_eq!(download.status(), StatusCode::OK);
        assert_eq!(download.headers()["content-type"], "application/pdf");
        assert!(download.headers()["content-disposition"].to_str().expect("header").contains("budget-briefing.pdf"));
        assert_eq!(download.bytes().await.expect("bytes").as_ref(), content);

        let rival = app.client.get(&url).bearer_auth(app.token_for(crate::helpers::RIVAL_GROUP, "assistant")).send().await.expect("rival");
        problem(rival, StatusCode::NOT_FOUND).await;
        let secret = upload(&app, "whip-notes.pdf", b"%PDF-1.4 officers only", "officers").await;
        let secret_url = app.url(secret["url"].as_str().expect("url"));
        let hidden = app.client.get(&secret_url).bearer_auth(app.token("councillor")).send().await.expect("hidden");
        problem(hidden, StatusCode::NOT_FOUND).await;
    }

    async fn uploads_that_cannot_be_stored_get_a_clear_answer(app: backend) {
        let post = |token: String, content_type: Option<&'static str>, body: Vec<u8>| {
            let mut request = app.client.post(app.api("/files?name=paper.pdf")).bearer_auth(token).body(body);
            if let Some(content_type) = content_type {
                request = request.header("content-type", content_type);
            }
            request.send()
        };
        let auditor = post(app.token("auditor"), Some("application/pdf"), b"x".to_vec()).await.expect("send");
        problem(auditor, StatusCode::FORBIDDEN).await;
        let empty = post(app.token("assistant"), Some("application/pdf"), Vec::new()).await.expect("send");
        problem(empty, StatusCode::BAD_REQUEST).await;
        let untyped = post(app.token("assistant"), None, b"x".to_vec()).await.expect("send");
        problem(untyped, StatusCode::UNSUPPORTED_MEDIA_TYPE).await;
        let huge = post(app.token("assistant"), Some("application/pdf"), vec![0; 20 * 1024 * 1024 + 1]).await.expect("send");
        problem(huge, StatusCode::PAYLOAD_TOO_LARGE).await;
        let folder = app.client.post(app.api("/files?name=../etc/passwd")).bearer_auth(app.token("assistant"))
            .header("content-type", "text/plain").body("x").send().await.expect("send");
        problem(folder, StatusCode::UNPROCESSABLE_ENTITY).await;
    }

    async fn a_paper_can_be_a_stored_file_that_its_readers_may_open(app: backend) {
        let meeting = schedule(&app, "Group meeting", "group_meeting", "2026-12-01T18:30:00Z").await;
        let meeting = meeting["id"].as_str().expect("id").to_owned();
        let item = add_item(&app, &meeting, "Budget", "group").await;
        let file = upload(&app, "budget.pdf", b"%PDF-1.4 budget", "group").await;
        let paper = json!({"item_id": item, "title": "Budget briefing", "file_id": file["id"], "classification": "group"});
        let attached = json(attach(&app, &meeting, &paper).await, StatusCode::OK).await;
        let stored = &attached["items"][0]["papers"][0];
        assert_eq!(stored["link"], Value::Null);
        assert_eq!(stored["file"]["id"], file["id"]);
        assert_eq!(stored["file"]["url"], file["url"]);

        let public = json!({"item_id": item, "title": "Budget briefing", "file_id": file["id"], "classification": "public"});
        let public = problem(attach(&app, &meeting, &public).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(public["errors"][0]["pointer"], "/file_id", "{public}");
        let both = json!({"item_id": item, "title": "B", "file_id": file["id"], "link": "https://example.org/b.pdf", "classification": "group"});
        let both = problem(attach(&app, &meeting, &both).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(both["errors"][0]["pointer"], "/link");
        let missing = json!({"item_id": item, "title": "B", "file_id": "0".repeat(64), "classification": "group"});
        let missing = problem(attach(&app, &meeting, &missing).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(missing["errors"][0]["pointer"], "/file_id");
    }

    async fn a_councillor_stores_a_file_no_higher_than_they_read_and_learns_nothing_of_anothers(app: backend) {
        let member = crate::meetings::add_member(&app, "Cllr Uploader").await;
        let theirs = app.token_as(&member, "councillor");
        let send = |classification: &str, content: &'static [u8]| {
            app.client
                .post(app.api(&format!("/files?name=certificate.pdf&classification={classification}")))
                .bearer_auth(&theirs)
                .header("content-type", "application/pdf")
                .body(content)
                .send()
        };
        let stored = json(send("group", b"%PDF-1.4 planning certificate").await.expect("send"), StatusCode::CREATED).await;
        assert_eq!(stored["classification"], "group");
        let above = problem(send("officers", b"%PDF-1.4 another").await.expect("send"), StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(above["errors"][0]["pointer"], "/classification");

        upload(&app, "whips-notes.pdf", b"%PDF-1.4 the whip's notes", "officers").await;
        let response = send("group", b"%PDF-1.4 the whip's notes").await.expect("send");
        let text = response.text().await.expect("body");
        assert!(text.contains("\"status\":409"), "{text}");
        assert!(!text.contains("whips-notes"), "the other file's name is not told: {text}");
    }
}
