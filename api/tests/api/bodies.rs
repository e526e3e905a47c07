//! The bodies register, their holders and the vacancies register over HTTP.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::appointments::nominate;
use crate::helpers::{RIVAL_GROUP, TestApp, json, problem};
use crate::on_both_stores;

pub fn body(name: &str, seats: u16) -> Value {
    json!({
        "name": name,
        "kind": "council_committee",
        "seats": seats,
        "description": "Licences premises, taxis and gambling.",
        "classification": "group"
    })
}

/// Establishes a body as the assistant and returns its id.
pub async fn establish(app: &TestApp, name: &str, seats: u16) -> String {
    let response = app.post("/bodies", &app.token("assistant"), &body(name, seats)).await;
    json(response, StatusCode::CREATED).await["id"].as_str().expect("id").to_owned()
}

fn vacancies_of(list: &Value, body_id: &str) -> Option<Value> {
    list["items"].as_array().expect("items").iter().find(|v| v["body_id"] == body_id).cloned()
}

on_both_stores! {
    async fn an_established_body_can_be_read_back(app: backend) {
        let token = app.token("officer");
        let response = app.post("/bodies", &token, &body("Licensing Committee", 10)).await;
        let location = response.headers()["location"].to_str().expect("location").to_owned();
        let created = json(response, StatusCode::CREATED).await;
        assert_eq!(created["status"], "active");
        assert_eq!(created["kind"], "council_committee");
        assert_eq!(created["seats"], 10);
        assert_eq!(location, format!("/api/v1/bodies/{}", created["id"].as_str().expect("id")));
        let response = app.client.get(app.url(&location)).bearer_auth(&token).send().await.expect("get");
        assert_eq!(response.headers()["etag"], "\"1\"");
        assert_eq!(json(response, StatusCode::OK).await, created);
        let list = json(app.get("/bodies", &app.token("councillor")).await, StatusCode::OK).await;
        assert_eq!(list["items"][0]["name"], "Licensing Committee");
    }

    async fn a_body_needs_between_1_and_100_seats(app: backend) {
        let refused = app.post("/bodies", &app.token("assistant"), &body("Too big", 101)).await;
        let body = problem(refused, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(body["errors"][0]["pointer"], "/seats");
    }

    async fn an_update_changes_the_seats_and_an_update_that_changes_nothing_is_refused(app: backend) {
        let token = app.token("assistant");
        let id = establish(&app, "Audit Board", 5).await;
        let client = || app.client.patch(app.api(&format!("/bodies/{id}"))).bearer_auth(&token);
        let updated = json(client().json(&json!({"seats": 6, "name": "Audit and Risk Board"})).send().await.expect("send"), StatusCode::OK).await;
        assert_eq!(updated["seats"], 6);
        assert_eq!(updated["name"], "Audit and Risk Board");
        let same = client().json(&json!({"seats": 6})).send().await.expect("send");
        problem(same, StatusCode::UNPROCESSABLE_ENTITY).await;
    }

    async fn a_dissolved_body_leaves_the_active_list_and_takes_no_nominations(app: backend) {
        let token = app.token("assistant");
        let id = establish(&app, "Licensing Committee", 10).await;
        let dissolved = json(app.post(&format!("/bodies/{id}/dissolution"), &token, &json!({"on": "2026-05-20", "reason": "Merged with Regulatory"})).await, StatusCode::OK).await;
        assert_eq!(dissolved["status"], "dissolved");
        assert_eq!(dissolved["dissolved_on"], "2026-05-20");
        let active = json(app.get("/bodies?status=active", &token).await, StatusCode::OK).await;
        assert_eq!(active["items"].as_array().expect("items").len(), 0);
        let again = app.post(&format!("/bodies/{id}/dissolution"), &token, &json!({"on": "2026-05-21", "reason": "again"})).await;
        problem(again, StatusCode::CONFLICT).await;
        problem(nominate(&app, &id, "2026-05-20", None).await, StatusCode::CONFLICT).await;
        let vacancies = json(app.get("/vacancies", &token).await, StatusCode::OK).await;
        assert!(vacancies_of(&vacancies, &id).is_none());
    }

    async fn the_vacancies_list_shows_the_free_seats_and_drops_a_body_once_filled(app: backend) {
        let token = app.token("councillor");
        let id = establish(&app, "Health and Wellbeing Board", 2).await;
        let vacancies = json(app.get("/vacancies", &token).await, StatusCode::OK).await;
        let entry = vacancies_of(&vacancies, &id).expect("listed");
        assert_eq!((entry["seats"].as_u64(), entry["filled"].as_u64(), entry["vacant"].as_u64()), (Some(2), Some(0), Some(2)));

        json(nominate(&app, &id, "2026-05-20", None).await, StatusCode::CREATED).await;
        let vacancies = json(app.get("/vacancies", &token).await, StatusCode::OK).await;
        assert_eq!(vacancies_of(&vacancies, &id).expect("listed")["vacant"], 1);

        json(nominate(&app, &id, "2026-05-20", None).await, StatusCode::CREATED).await;
        let vacancies = json(app.get("/vacancies", &token).await, StatusCode::OK).await;
        assert!(vacancies_of(&vacancies, &id).is_none(), "{vacancies}");
    }

    async fn the_holders_of_a_body_are_its_current_and_nominated_appointments(app: backend) {
        let token = app.token("assistant");
        let id = establish(&app, "Cabinet", 10).await;
        let other = establish(&app, "Audit Board", 5).await;
        let current = json(nominate(&app, &id, "2026-05-20", None).await, StatusCode::CREATED).await;
        let current = current["id"].as_str().expect("id").to_owned();
        json(app.post(&format!("/appointments/{current}/confirmation"), &token, &json!({"on": "2026-05-20"})).await, StatusCode::OK).await;
        let pending = json(nominate(&app, &id, "2026-05-20", None).await, StatusCode::CREATED).await;
        let withdrawn = json(nominate(&app, &id, "2026-05-20", None).await, StatusCode::CREATED).await;
        let withdrawn = withdrawn["id"].as_str().expect("id").to_owned();
        json(app.post(&format!("/appointments/{withdrawn}/withdrawal"), &token, &json!({"reason": "Stood down"})).await, StatusCode::OK).await;
        json(nominate(&app, &other, "2026-05-20", None).await, StatusCode::CREATED).await;

        let holders = json(app.get(&format!("/bodies/{id}/holders"), &app.token("councillor")).await, StatusCode::OK).await;
        let ids: Vec<&str> = holders["items"].as_array().expect("items").iter().map(|a| a["id"].as_str().expect("id")).collect();
        assert_eq!(ids, vec![current.as_str(), pending["id"].as_str().expect("id")]);
        assert_eq!(holders["seats"], 10);
        assert_eq!(holders["vacant"], 8);
    }

    async fn another_group_cannot_see_or_touch_a_groups_bodies(app: backend) {
        let id = establish(&app, "Our committee", 3).await;
        let rival = app.token_for(RIVAL_GROUP, "assistant");
        problem(app.get(&format!("/bodies/{id}"), &rival).await, StatusCode::NOT_FOUND).await;
        problem(app.get(&format!("/bodies/{id}/holders"), &rival).await, StatusCode::NOT_FOUND).await;
        let attempt = app.post(&format!("/bodies/{id}/dissolution"), &rival, &json!({"on": "2026-05-20", "reason": "sabotage"})).await;
        problem(attempt, StatusCode::NOT_FOUND).await;
        let list = json(app.get("/bodies", &rival).await, StatusCode::OK).await;
        assert_eq!(list["items"].as_array().expect("items").len(), 0);
        let vacancies = json(app.get("/vacancies", &rival).await, StatusCode::OK).await;
        assert_eq!(vacancies["items"].as_array().expect("items").len(), 0);
    }
}
