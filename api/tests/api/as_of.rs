//! Registers as they stood at an instant (`as_of`), rebuilt from the events
//! recorded by then.

use chrono::{Days, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::decisions::record;
use crate::helpers::{TestApp, json, problem};
use crate::on_both_stores;

/// When the `n`th event (from 1) of the group's log was recorded, from the audit log.
async fn recorded_at(app: &TestApp, n: usize) -> String {
    let log = json(app.get("/audit/log?limit=1000", &app.token("auditor")).await, StatusCode::OK).await;
    log["entries"][n - 1]["recorded_at"].as_str().expect("recorded_at").to_owned()
}

/// Percent-encodes the `+` and `:` of an RFC 3339 instant for a query string.
fn url_encode(text: &str) -> String {
    text.replace(':', "%3A").replace('+', "%2B")
}

fn titles(page: &Value) -> Vec<&str> {
    page["items"].as_array().expect("items").iter().map(|d| d["title"].as_str().expect("title")).collect()
}

on_both_stores! {
    async fn the_decisions_register_as_it_stood_before_and_after_an_amendment(app: backend) {
        let first = record(&app, "Oppose the closure", "group").await;
        let id = first["id"].as_str().expect("id").to_owned();
        let amend = json!({"text": "Amended text", "reason": "Group meeting"});
        json(app.post(&format!("/decisions/{id}/amendments"), &app.token("leader"), &amend).await, StatusCode::OK).await;
        record(&app, "Second decision", "group").await;
        let token = app.token("assistant");

        // Just after the first event: one decision, with its first text.
        let at = recorded_at(&app, 1).await;
        let then = json(app.get(&format!("/decisions?as_of={}", url_encode(&at)), &token).await, StatusCode::OK).await;
        assert_eq!(titles(&then), ["Oppose the closure"]);
        assert_eq!(then["items"][0]["text"], first["text"]);
        assert_eq!(then["items"][0]["version"], 1);

        // After the amendment, before the second decision.
        let at = recorded_at(&app, 2).await;
        let then = json(app.get(&format!("/decisions?as_of={}", url_encode(&at)), &token).await, StatusCode::OK).await;
        assert_eq!(titles(&then), ["Oppose the closure"]);
        assert_eq!(then["items"][0]["text"], "Amended text");

        // Before anything, nothing; now, exactly the live register.
        let empty = json(app.get("/decisions?as_of=2000-01-01T00:00:00Z", &token).await, StatusCode::OK).await;
        assert!(titles(&empty).is_empty());
        let now = url_encode(&Utc::now().to_rfc3339());
        let rebuilt = json(app.get(&format!("/decisions?as_of={now}"), &token).await, StatusCode::OK).await;
        let live = json(app.get("/decisions", &token).await, StatusCode::OK).await;
        assert_eq!(rebuilt, live);
        problem(app.get("/decisions?as_of=yesterday", &token).await, StatusCode::BAD_REQUEST).await;
    }

    async fn actions_overdue_on_a_day_are_judged_on_that_day(app: backend) {
        let owner = crate::members::add(&app, "Cllr James Okafor", "Stratford").await["id"].as_str().expect("id").to_owned();
        let due = Utc::now().date_naive().checked_add_days(Days::new(5)).expect("day").to_string();
        let body = json!({"title": "Brief members", "owner_id": owner, "due_on": due, "classification": "group"});
        json(app.post("/actions", &app.token("assistant"), &body).await, StatusCode::CREATED).await;
        let token = app.token("assistant");

        let live = json(app.get("/actions?overdue=true", &token).await, StatusCode::OK).await;
        assert!(titles(&live).is_empty());
        let later = url_encode(&(Utc::now() + chrono::Duration::days(10)).to_rfc3339());
        let then = json(app.get(&format!("/actions?overdue=true&as_of={later}"), &token).await, StatusCode::OK).await;
        assert_eq!(titles(&then), ["Brief members"]);
        assert_eq!(then["items"][0]["overdue"], true);
    }

    async fn every_register_read_as_of_now_is_the_live_register(app: backend) {
        let owner = crate::members::add(&app, "Cllr Amina Begum", "Beckton").await["id"].as_str().expect("id").to_owned();
        record(&app, "A decision", "public").await;
        let due = Utc::now().date_naive().to_string();
        let body = json!({"title": "An action", "owner_id": owner, "due_on": due, "classification": "group"});
        json(app.post("/actions", &app.token("assistant"), &body).await, StatusCode::CREATED).await;
        let body_id = crate::bodies::establish(&app, "Planning Committee", 3).await;
        json(crate::appointments::nominate(&app, &body_id, "2026-05-20", None).await, StatusCode::CREATED).await;
        let now = url_encode(&Utc::now().to_rfc3339());
        for role in ["assistant", "councillor", "publisher"] {
            let token = app.token(role);
            for register in ["/decisions", "/actions", "/members", "/bodies", "/appointments"] {
                let live = json(app.get(register, &token).await, StatusCode::OK).await;
                let rebuilt = json(app.get(&format!("{register}?as_of={now}"), &token).await, StatusCode::OK).await;
                assert_eq!(rebuilt, live, "{register} as {role}");
            }
        }
    }
}

on_both_stores! {
    async fn one_record_as_it_stood_at_an_instant(app: backend) {
        let first = record(&app, "Oppose the closure", "group").await;
        let id = first["id"].as_str().expect("id").to_owned();
        let amend = json!({"text": "Amended text", "reason": "Group meeting"});
        json(app.post(&format!("/decisions/{id}/amendments"), &app.token("leader"), &amend).await, StatusCode::OK).await;
        let token = app.token("assistant");

        let at = recorded_at(&app, 1).await;
        let response = app.get(&format!("/decisions/{id}?as_of={}", url_encode(&at)), &token).await;
        assert!(response.headers().get("etag").is_none(), "a past version cannot be written to");
        let then = json(response, StatusCode::OK).await;
        assert_eq!(then["text"], first["text"]);
        assert_eq!(then["version"], 1);
        assert_eq!(then["recorded_at"], first["recorded_at"]);

        let now = url_encode(&Utc::now().to_rfc3339());
        let rebuilt = json(app.get(&format!("/decisions/{id}?as_of={now}"), &token).await, StatusCode::OK).await;
        let live = json(app.get(&format!("/decisions/{id}"), &token).await, StatusCode::OK).await;
        assert_eq!(rebuilt, live);

        // Before it existed, in another group, or beyond the caller's classification: not there.
        problem(app.get(&format!("/decisions/{id}?as_of=2000-01-01T00:00:00Z"), &token).await, StatusCode::NOT_FOUND).await;
        let rival = app.token_for(crate::helpers::RIVAL_GROUP, "assistant");
        problem(app.get(&format!("/decisions/{id}?as_of={now}"), &rival).await, StatusCode::NOT_FOUND).await;
        let secret = record(&app, "Officers only", "officers").await;
        let secret = secret["id"].as_str().expect("id");
        let later = url_encode(&Utc::now().to_rfc3339());
        json(app.get(&format!("/decisions/{secret}?as_of={later}"), &token).await, StatusCode::OK).await;
        let councillor = app.token("councillor");
        problem(app.get(&format!("/decisions/{secret}?as_of={later}"), &councillor).await, StatusCode::NOT_FOUND).await;
    }
}
