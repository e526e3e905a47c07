//! The appointments register over HTTP.

use chrono::{Days, Local};
use reqwest::{Response, StatusCode};
use serde_json::json;

use crate::bodies::establish;
use crate::helpers::{RIVAL_GROUP, TestApp, json, problem};
use crate::on_both_stores;

/// Adds a member to nominate; returns their id.
async fn new_member(app: &TestApp) -> String {
    let name = format!("Cllr {}", uuid::Uuid::new_v4().simple());
    crate::members::add(app, &name, "Plaistow North").await["id"].as_str().expect("id").to_owned()
}

/// Nominates a fresh member to `body_id` as the assistant.
pub async fn nominate(app: &TestApp, body_id: &str, starts_on: &str, ends_on: Option<&str>) -> Response {
    let request = json!({
        "body_id": body_id,
        "member_id": new_member(app).await,
        "role_title": "Vice-Chair",
        "term_starts_on": starts_on,
        "term_ends_on": ends_on,
        "classification": "group"
    });
    app.post("/appointments", &app.token("assistant"), &request).await
}

/// Nominates a member and confirms the appointment; returns its id.
pub async fn appoint(app: &TestApp, body_id: &str, starts_on: &str, ends_on: Option<&str>) -> String {
    let created = json(nominate(app, body_id, starts_on, ends_on).await, StatusCode::CREATED).await;
    let id = created["id"].as_str().expect("id").to_owned();
    let confirm = app
        .post(&format!("/appointments/{id}/confirmation"), &app.token("assistant"), &json!({"on": starts_on}))
        .await;
    json(confirm, StatusCode::OK).await;
    id
}

fn days_from_today(days: u64) -> String {
    Local::now().date_naive().checked_add_days(Days::new(days)).expect("date").to_string()
}

on_both_stores! {
    async fn a_nomination_is_confirmed_and_then_ended(app: backend) {
        let token = app.token("leader");
        let body_id = establish(&app, "Licensing Committee", 10).await;
        let response = nominate(&app, &body_id, "2026-05-20", Some("2027-05-19")).await;
        let location = response.headers()["location"].to_str().expect("location").to_owned();
        let nominated = json(response, StatusCode::CREATED).await;
        assert_eq!(nominated["status"], "nominated");
        assert_eq!(nominated["body_id"], body_id);
        assert_eq!(nominated["role_title"], "Vice-Chair");
        let id = nominated["id"].as_str().expect("id").to_owned();
        assert_eq!(location, format!("/api/v1/appointments/{id}"));

        let confirmed = json(app.post(&format!("/appointments/{id}/confirmation"), &token, &json!({"on": "2026-05-20"})).await, StatusCode::OK).await;
        assert_eq!(confirmed["status"], "current");
        assert_eq!(confirmed["confirmed_on"], "2026-05-20");

        let end = json!({"on": "2026-09-01", "reason": "resigned", "note": "Moved away"});
        let ended = json(app.post(&format!("/appointments/{id}/end"), &token, &end).await, StatusCode::OK).await;
        assert_eq!(ended["status"], "ended");
        assert_eq!(ended["end_reason"], "resigned");
        assert_eq!(ended["end_note"], "Moved away");
        assert_eq!(ended["version"], 3);

        let read = json(app.get(&format!("/appointments/{id}"), &app.token("councillor")).await, StatusCode::OK).await;
        assert_eq!(read, ended);
        let by_member = format!("/appointments?member_id={}&status=ended", nominated["member_id"].as_str().expect("member"));
        let list = json(app.get(&by_member, &token).await, StatusCode::OK).await;
        assert_eq!(list["items"].as_array().expect("items").len(), 1);
    }

    async fn ending_an_appointment_twice_is_409(app: backend) {
        let token = app.token("assistant");
        let body_id = establish(&app, "Audit Board", 5).await;
        let id = appoint(&app, &body_id, "2026-05-20", None).await;
        let end = json!({"on": "2026-09-01", "reason": "term_expired"});
        json(app.post(&format!("/appointments/{id}/end"), &token, &end).await, StatusCode::OK).await;
        let again = problem(app.post(&format!("/appointments/{id}/end"), &token, &end).await, StatusCode::CONFLICT).await;
        assert!(again["detail"].as_str().expect("detail").contains("already ended"), "{again}");
    }

    async fn an_appointment_cannot_end_before_its_term_starts(app: backend) {
        let token = app.token("assistant");
        let body_id = establish(&app, "Audit Board", 5).await;
        let id = appoint(&app, &body_id, "2026-05-20", None).await;
        let early = app.post(&format!("/appointments/{id}/end"), &token, &json!({"on": "2026-05-01", "reason": "removed"})).await;
        problem(early, StatusCode::UNPROCESSABLE_ENTITY).await;
    }

    async fn a_term_ending_before_it_starts_is_refused(app: backend) {
        let body_id = establish(&app, "Audit Board", 5).await;
        let body = problem(nominate(&app, &body_id, "2026-05-20", Some("2026-05-01")).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(body["errors"][0]["pointer"], "/term_ends_on");
    }

    async fn nominating_to_a_full_body_is_409(app: backend) {
        let body_id = establish(&app, "Lee Valley Regional Park Authority", 1).await;
        json(nominate(&app, &body_id, "2026-05-20", None).await, StatusCode::CREATED).await;
        let full = problem(nominate(&app, &body_id, "2026-05-20", None).await, StatusCode::CONFLICT).await;
        assert!(full["detail"].as_str().expect("detail").contains("seats"), "{full}");
    }

    async fn a_withdrawn_nomination_frees_its_seat(app: backend) {
        let token = app.token("assistant");
        let body_id = establish(&app, "Lee Valley Regional Park Authority", 1).await;
        let first = json(nominate(&app, &body_id, "2026-05-20", None).await, StatusCode::CREATED).await;
        let first = first["id"].as_str().expect("id");
        let withdrawn = json(app.post(&format!("/appointments/{first}/withdrawal"), &token, &json!({"reason": "Not eligible"})).await, StatusCode::OK).await;
        assert_eq!(withdrawn["status"], "withdrawn");
        json(nominate(&app, &body_id, "2026-05-20", None).await, StatusCode::CREATED).await;
    }

    async fn a_retried_nomination_replays_even_when_it_filled_the_last_seat(app: backend) {
        let body_id = establish(&app, "Lee Valley Regional Park Authority", 1).await;
        let request = json!({"body_id": body_id, "member_id": new_member(&app).await, "term_starts_on": "2026-05-20", "classification": "group"});
        let send = || app.client.post(app.api("/appointments")).bearer_auth(app.token("assistant"))
            .header("Idempotency-Key", "nominate-once").json(&request).send();
        let first = json(send().await.expect("first"), StatusCode::CREATED).await;
        let second = send().await.expect("second");
        assert_eq!(second.headers()["idempotent-replayed"], "true");
        assert_eq!(json(second, StatusCode::CREATED).await["id"], first["id"]);
    }

    async fn of_concurrent_nominations_to_the_last_seat_exactly_one_wins(app: backend) {
        let body_id = establish(&app, "Lee Valley Regional Park Authority", 1).await;
        let mut members = Vec::new();
        for _ in 0..6 {
            members.push(new_member(&app).await);
        }
        let token = app.token("assistant");
        let attempts = members.iter().map(|member| {
            let request = json!({"body_id": body_id, "member_id": member, "term_starts_on": "2026-05-20", "classification": "group"});
            let send = app.client.post(app.api("/appointments")).bearer_auth(&token).json(&request).send();
            async move { send.await.expect("send").status() }
        });
        let mut statuses = futures::future::join_all(attempts).await;
        statuses.sort();
        let mut expected = vec![StatusCode::CREATED];
        expected.extend([StatusCode::CONFLICT; 5]);
        assert_eq!(statuses, expected);
        let holders = json(app.get(&format!("/bodies/{body_id}/holders"), &token).await, StatusCode::OK).await;
        assert_eq!(holders["items"].as_array().expect("items").len(), 1);
    }

    async fn nominating_someone_who_is_not_a_member_is_422_naming_member_id(app: backend) {
        let body_id = establish(&app, "Audit Board", 5).await;
        let request = json!({"body_id": body_id, "member_id": uuid::Uuid::now_v7(), "term_starts_on": "2026-05-20", "classification": "group"});
        let body = problem(app.post("/appointments", &app.token("assistant"), &request).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(body["errors"][0]["pointer"], "/member_id");
    }

    async fn nominating_to_an_unknown_body_is_422_naming_body_id(app: backend) {
        let unknown = uuid::Uuid::now_v7().to_string();
        let body = problem(nominate(&app, &unknown, "2026-05-20", None).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(body["errors"][0]["pointer"], "/body_id");
    }

    async fn nominating_to_another_groups_body_is_422_naming_body_id(app: backend) {
        let rival = app.token_for(RIVAL_GROUP, "assistant");
        let theirs = app.post("/bodies", &rival, &crate::bodies::body("Their committee", 3)).await;
        let theirs = json(theirs, StatusCode::CREATED).await["id"].as_str().expect("id").to_owned();
        let body = problem(nominate(&app, &theirs, "2026-05-20", None).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(body["errors"][0]["pointer"], "/body_id");
    }

    async fn another_group_cannot_see_or_touch_a_groups_appointments(app: backend) {
        let body_id = establish(&app, "Cabinet", 10).await;
        let id = appoint(&app, &body_id, "2026-05-20", None).await;
        let rival = app.token_for(RIVAL_GROUP, "assistant");
        problem(app.get(&format!("/appointments/{id}"), &rival).await, StatusCode::NOT_FOUND).await;
        let attempt = app.post(&format!("/appointments/{id}/end"), &rival, &json!({"on": "2026-06-01", "reason": "removed"})).await;
        problem(attempt, StatusCode::NOT_FOUND).await;
        let list = json(app.get("/appointments", &rival).await, StatusCode::OK).await;
        assert_eq!(list["items"].as_array().expect("items").len(), 0);
        let still = json(app.get(&format!("/appointments/{id}"), &app.token("assistant")).await, StatusCode::OK).await;
        assert_eq!(still["status"], "current");
    }

    async fn ending_within_days_finds_a_term_ending_in_10_days_but_not_one_ending_in_100(app: backend) {
        let token = app.token("councillor");
        let body_id = establish(&app, "Cabinet", 10).await;
        let soon = appoint(&app, &body_id, "2025-05-20", Some(&days_from_today(10))).await;
        appoint(&app, &body_id, "2025-05-20", Some(&days_from_today(100))).await;
        appoint(&app, &body_id, "2025-05-20", None).await;
        let list = json(app.get("/appointments?ending_within_days=30", &token).await, StatusCode::OK).await;
        let ids: Vec<&str> = list["items"].as_array().expect("items").iter().map(|a| a["id"].as_str().expect("id")).collect();
        assert_eq!(ids, vec![soon.as_str()]);
        let all = json(app.get(&format!("/appointments?body_id={body_id}"), &token).await, StatusCode::OK).await;
        assert_eq!(all["items"].as_array().expect("items").len(), 3);
        let refused = app.get("/appointments?ending_within_days=99999", &token).await;
        problem(refused, StatusCode::BAD_REQUEST).await;
    }
}
