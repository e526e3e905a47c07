//! The decisions register over HTTP.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{RIVAL_GROUP, TestApp, json, problem};
use crate::on_both_stores;

pub fn decision(title: &str, classification: &str) -> Value {
    json!({
        "title": title,
        "text": "The group will oppose the closure at Cabinet and Full Council.",
        "decided_on": "2026-03-02",
        "taken_by": {"kind": "group_meeting", "meeting": "Group meeting 2 March 2026"},
        "votes": {"for": 40, "against": 3, "abstain": 2},
        "classification": classification,
        "review_on": "2026-06-01"
    })
}

/// Records a decision as the assistant and returns its body.
pub async fn record(app: &TestApp, title: &str, classification: &str) -> Value {
    let response = app.post("/decisions", &app.token("assistant"), &decision(title, classification)).await;
    json(response, StatusCode::CREATED).await
}

on_both_stores! {
    async fn a_recorded_decision_can_be_read_back_with_its_version(app: backend) {
        let token = app.token("assistant");
        let response = app.post("/decisions", &token, &decision("Oppose the library closure", "group")).await;
        let location = response.headers()["location"].to_str().expect("location").to_owned();
        assert_eq!(response.headers()["etag"], "\"1\"");
        let created = json(response, StatusCode::CREATED).await;
        assert_eq!(created["status"], "in_force");
        assert_eq!(created["votes"]["for"], 40);
        assert_eq!(location, format!("/api/v1/decisions/{}", created["id"].as_str().expect("id")));

        let response = app.client.get(app.url(&location)).bearer_auth(&token).send().await.expect("get");
        assert_eq!(response.headers()["etag"], "\"1\"");
        let read = json(response, StatusCode::OK).await;
        assert_eq!(read, created);

        let list = json(app.get("/decisions", &app.token("councillor")).await, StatusCode::OK).await;
        assert_eq!(list["items"].as_array().expect("items").len(), 1);
        assert_eq!(list["items"][0]["title"], "Oppose the library closure");
    }

    async fn amending_keeps_the_previous_text_and_bumps_the_version(app: backend) {
        let token = app.token("leader");
        let created = record(&app, "Budget position", "group").await;
        let id = created["id"].as_str().expect("id");
        let response = app
            .post(&format!("/decisions/{id}/amendments"), &token, &json!({"text": "Support the budget.", "reason": "Cabinet changed the proposal"}))
            .await;
        assert_eq!(response.headers()["etag"], "\"2\"");
        let amended = json(response, StatusCode::OK).await;
        assert_eq!(amended["text"], "Support the budget.");
        assert_eq!(amended["amendments"][0]["previous_text"], created["text"]);
        assert_eq!(amended["amendments"][0]["reason"], "Cabinet changed the proposal");
    }

    async fn progress_and_implementation_are_recorded(app: backend) {
        let token = app.token("officer");
        let id = record(&app, "Library campaign", "public").await["id"].as_str().expect("id").to_owned();
        let progress = json!({"on": "2026-03-10", "note": "Letter sent", "status": "on_track", "percent_complete": 40});
        json(app.post(&format!("/decisions/{id}/progress"), &token, &progress).await, StatusCode::OK).await;
        let done = json(app.post(&format!("/decisions/{id}/implementation"), &token, &json!({"on": "2026-04-01"})).await, StatusCode::OK).await;
        assert_eq!(done["status"], "implemented");
        assert_eq!(done["progress"][0]["percent_complete"], 40);
        assert_eq!(done["implemented_on"], "2026-04-01");

        let implemented = json(app.get("/decisions?status=implemented", &token).await, StatusCode::OK).await;
        assert_eq!(implemented["items"].as_array().expect("items").len(), 1);
        let in_force = json(app.get("/decisions?status=in_force", &token).await, StatusCode::OK).await;
        assert_eq!(in_force["items"].as_array().expect("items").len(), 0);
    }

    async fn a_rescinded_decision_cannot_be_implemented(app: backend) {
        let token = app.token("assistant");
        let id = record(&app, "Away day", "group").await["id"].as_str().expect("id").to_owned();
        json(app.post(&format!("/decisions/{id}/rescission"), &token, &json!({"reason": "Venue unavailable"})).await, StatusCode::OK).await;
        let refused = app.post(&format!("/decisions/{id}/implementation"), &token, &json!({"on": "2026-04-01"})).await;
        let body = problem(refused, StatusCode::CONFLICT).await;
        assert!(body["detail"].as_str().expect("detail").contains("rescinded"), "{body}");
    }

    async fn superseding_needs_a_decision_of_the_same_group(app: backend) {
        let token = app.token("assistant");
        let old = record(&app, "Old position", "group").await["id"].as_str().expect("id").to_owned();
        let missing = uuid::Uuid::now_v7();
        let refused = app.post(&format!("/decisions/{old}/supersession"), &token, &json!({"by": missing, "reason": "replaced"})).await;
        let body = problem(refused, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(body["errors"][0]["pointer"], "/by");

        let new = record(&app, "New position", "group").await["id"].as_str().expect("id").to_owned();
        let done = json(app.post(&format!("/decisions/{old}/supersession"), &token, &json!({"by": new, "reason": "replaced"})).await, StatusCode::OK).await;
        assert_eq!(done["status"], "superseded");
        assert_eq!(done["superseded_by"], new);
    }

    async fn a_councillor_may_read_but_not_record_decisions(app: backend) {
        let refused = app.post("/decisions", &app.token("councillor"), &decision("Mine", "group")).await;
        let body = problem(refused, StatusCode::FORBIDDEN).await;
        assert!(body["detail"].as_str().expect("detail").contains("record_decision"));
        for role in ["auditor", "publisher"] {
            let refused = app.post("/decisions", &app.token(role), &decision("Mine", "group")).await;
            problem(refused, StatusCode::FORBIDDEN).await;
        }
    }

    async fn a_councillor_never_sees_officers_or_confidential_decisions(app: backend) {
        let group = record(&app, "Group business", "group").await;
        let officers = record(&app, "Whipping arrangements", "officers").await;
        let confidential = record(&app, "Conduct complaint", "confidential").await;
        let councillor = app.token("councillor");
        let list = json(app.get("/decisions", &councillor).await, StatusCode::OK).await;
        let titles: Vec<&str> = list["items"].as_array().expect("items").iter().map(|d| d["title"].as_str().expect("t")).collect();
        assert_eq!(titles, vec!["Group business"]);
        for hidden in [&officers, &confidential] {
            let id = hidden["id"].as_str().expect("id");
            problem(app.get(&format!("/decisions/{id}"), &councillor).await, StatusCode::NOT_FOUND).await;
        }
        let id = group["id"].as_str().expect("id");
        json(app.get(&format!("/decisions/{id}"), &councillor).await, StatusCode::OK).await;

        let officer = app.token("officer");
        let list = json(app.get("/decisions", &officer).await, StatusCode::OK).await;
        assert_eq!(list["items"].as_array().expect("items").len(), 2, "officers see group and officers records");

        let publisher = app.token("publisher");
        let list = json(app.get("/decisions", &publisher).await, StatusCode::OK).await;
        assert_eq!(list["items"].as_array().expect("items").len(), 0, "the publisher sees public records only");
    }

    async fn a_writer_may_not_record_a_decision_classified_above_what_they_read(app: backend) {
        let officer = app.token("officer");
        let refused = app.post("/decisions", &officer, &decision("Conduct complaint", "confidential")).await;
        let refused = problem(refused, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(refused["errors"][0]["pointer"], "/classification");
        assert!(refused["detail"].as_str().expect("detail").contains("confidential"), "{refused}");
        let listed = json(app.get("/decisions", &app.token("assistant")).await, StatusCode::OK).await;
        assert_eq!(listed["items"], json!([]), "nothing was recorded");
        json(app.post("/decisions", &officer, &decision("Whipping arrangements", "officers")).await, StatusCode::CREATED).await;
    }

    async fn another_group_cannot_see_or_touch_a_groups_decisions(app: backend) {
        let ours = record(&app, "Our position", "public").await;
        let id = ours["id"].as_str().expect("id");
        let rival = app.token_for(RIVAL_GROUP, "assistant");
        problem(app.get(&format!("/decisions/{id}"), &rival).await, StatusCode::NOT_FOUND).await;
        let list = json(app.get("/decisions", &rival).await, StatusCode::OK).await;
        assert_eq!(list["items"].as_array().expect("items").len(), 0);
        let attempt = app.post(&format!("/decisions/{id}/rescission"), &rival, &json!({"reason": "sabotage"})).await;
        problem(attempt, StatusCode::NOT_FOUND).await;
        let still = json(app.get(&format!("/decisions/{id}"), &app.token("assistant")).await, StatusCode::OK).await;
        assert_eq!(still["status"], "in_force");
    }

    async fn a_stale_if_match_is_refused_with_409(app: backend) {
        let token = app.token("assistant");
        let id = record(&app, "Budget", "group").await["id"].as_str().expect("id").to_owned();
        let amend = |text: &str| json!({"text": text, "reason": "update"});
        let ok = app.client.post(app.api(&format!("/decisions/{id}/amendments"))).bearer_auth(&token)
            .header("If-Match", "\"1\"").json(&amend("Version two")).send().await.expect("send");
        json(ok, StatusCode::OK).await;
        let stale = app.client.post(app.api(&format!("/decisions/{id}/amendments"))).bearer_auth(&token)
            .header("If-Match", "\"1\"").json(&amend("Version three")).send().await.expect("send");
        let body = problem(stale, StatusCode::CONFLICT).await;
        assert!(body["detail"].as_str().expect("detail").contains("version 2"), "{body}");
        let read = json(app.get(&format!("/decisions/{id}"), &token).await, StatusCode::OK).await;
        assert_eq!(read["text"], "Version two");
    }

    async fn of_two_concurrent_writers_one_wins_and_the_other_gets_409(app: backend) {
        let token = app.token("assistant");
        let id = record(&app, "Contested", "group").await["id"].as_str().expect("id").to_owned();
        let send = |text: &'static str| {
            app.client.post(app.api(&format!("/decisions/{id}/amendments"))).bearer_auth(&token)
                .header("If-Match", "\"1\"").json(&json!({"text": text, "reason": "race"})).send()
        };
        let (a, b) = tokio::join!(send("Text A"), send("Text B"));
        let mut statuses = vec![a.expect("a").status(), b.expect("b").status()];
        statuses.sort();
        assert_eq!(statuses, vec![StatusCode::OK, StatusCode::CONFLICT]);
        let read = json(app.get(&format!("/decisions/{id}"), &token).await, StatusCode::OK).await;
        assert_eq!(read["version"], 2);
    }

    async fn a_retry_with_the_same_idempotency_key_records_nothing_new(app: backend) {
        let token = app.token("assistant");
        let send = || app.client.post(app.api("/decisions")).bearer_auth(&token)
            .header("Idempotency-Key", "retry-42").json(&decision("Once only", "group")).send();
        let first = send().await.expect("first");
        assert!(first.headers().get("idempotent-replayed").is_none());
        let first = json(first, StatusCode::CREATED).await;
        let second = send().await.expect("second");
        assert_eq!(second.headers()["idempotent-replayed"], "true");
        let second = json(second, StatusCode::CREATED).await;
        assert_eq!(first["id"], second["id"]);
        let list = json(app.get("/decisions", &token).await, StatusCode::OK).await;
        assert_eq!(list["items"].as_array().expect("items").len(), 1);

        let reused = app.client.post(app.api("/decisions")).bearer_auth(&token)
            .header("Idempotency-Key", "retry-42").json(&decision("Something else", "group")).send().await.expect("send");
        problem(reused, StatusCode::UNPROCESSABLE_ENTITY).await;
    }

    async fn a_retry_after_a_crash_between_commit_and_answer_finds_the_same_record(app: backend) {
        let token = app.token("assistant");
        let send = || app.client.post(app.api("/decisions")).bearer_auth(&token)
            .header("Idempotency-Key", "crash-7").json(&decision("Committed once", "group")).send();
        let first = json(send().await.expect("first"), StatusCode::CREATED).await;
        // As if the process died after the commit, before storing the answer,
        // and the claim has since been abandoned.
        let forget = "UPDATE idempotency_keys SET status = NULL, response_body = NULL, \
                      created_at = '2020-01-01T00:00:00.000000Z'";
        let db = caucus_api::store::Database::connect(&app.store).await.expect("connect");
        match &db {
            caucus_api::store::Database::Postgres(pool) => sqlx::query(forget).execute(pool).await.map(|_| ()),
            caucus_api::store::Database::Sqlite(pool) => sqlx::query(forget).execute(pool).await.map(|_| ()),
        }.expect("forget the answer");
        let retry = json(send().await.expect("retry"), StatusCode::CREATED).await;
        assert_eq!(retry["id"], first["id"]);
        let list = json(app.get("/decisions", &token).await, StatusCode::OK).await;
        assert_eq!(list["items"].as_array().expect("items").len(), 1, "recorded once");
    }

    async fn pages_cover_every_decision_exactly_once(app: backend) {
        for n in 0..5 {
            record(&app, &format!("Decision {n}"), "group").await;
        }
        let token = app.token("auditor");
        let mut seen = Vec::new();
        let mut path = "/decisions?limit=2".to_owned();
        loop {
            let page = json(app.get(&path, &token).await, StatusCode::OK).await;
            for item in page["items"].as_array().expect("items") {
                seen.push(item["title"].as_str().expect("title").to_owned());
            }
            match page["next_cursor"].as_str() {
                Some(cursor) => path = format!("/decisions?limit=2&cursor={}", urlencode(cursor)),
                None => break,
            }
        }
        let expected: Vec<String> = (0..5).map(|n| format!("Decision {n}")).collect();
        assert_eq!(seen, expected);
    }
}

/// A cursor or an instant as a query parameter's value.
pub fn urlencode(s: &str) -> String {
    s.replace(':', "%3A").replace('+', "%2B").replace('~', "%7E")
}
