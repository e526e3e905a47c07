//! Actions over HTTP: ownership, re-dating with a reason, overdue lists.

use chrono::{Days, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{RIVAL_GROUP, TestApp, json, problem};
use crate::on_both_stores;

pub fn days_from_today(days: i64) -> String {
    let today = Utc::now().date_naive();
    let day = if days >= 0 {
        today.checked_add_days(Days::new(days as u64))
    } else {
        today.checked_sub_days(Days::new(days.unsigned_abs()))
    };
    day.expect("date").to_string()
}

pub fn action(title: &str, owner: &str, due_in_days: i64) -> Value {
    json!({"title": title, "owner_id": owner, "due_on": days_from_today(due_in_days), "classification": "group"})
}

/// Adds a member and returns their id.
async fn member(app: &TestApp, name: &str) -> String {
    crate::members::add(app, name, "Stratford").await["id"].as_str().expect("id").to_owned()
}

async fn create(app: &TestApp, body: &Value) -> Value {
    json(app.post("/actions", &app.token("assistant"), body).await, StatusCode::CREATED).await
}

fn titles(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|a| a["title"].as_str().expect("t").to_owned())
        .collect()
}

on_both_stores! {
    async fn an_action_from_a_decision_is_created_and_read_back(app: backend) {
        let owner = member(&app, "Cllr Amina Begum").await;
        let decision = crate::decisions::record(&app, "Library campaign", "group").await;
        let mut body = action("Write to the Cabinet Member", &owner, 14);
        body["decision_id"] = decision["id"].clone();
        body["description"] = json!("Ask for options for community management");
        let created = create(&app, &body).await;
        assert_eq!(created["status"], "open");
        assert_eq!(created["overdue"], false);
        assert_eq!(created["decision_id"], decision["id"]);
        let id = created["id"].as_str().expect("id");
        let read = json(app.get(&format!("/actions/{id}"), &app.token("councillor")).await, StatusCode::OK).await;
        assert_eq!(read, created);
    }

    async fn actions_are_listed_by_the_decision_they_carry_out_or_by_id(app: backend) {
        let owner = member(&app, "Cllr Amina Begum").await;
        let library = crate::decisions::record(&app, "Library campaign", "group").await;
        let buses = crate::decisions::record(&app, "Bus routes", "group").await;
        let mut ids = Vec::new();
        for (title, decision) in [("Write to the Cabinet Member", &library), ("Petition stall", &library), ("Ask TfL", &buses)] {
            let mut body = action(title, &owner, 14);
            body["decision_id"] = decision["id"].clone();
            ids.push(create(&app, &body).await["id"].as_str().expect("id").to_owned());
        }
        create(&app, &action("No decision", &owner, 14)).await;
        let token = app.token("councillor");
        let of_library = json(app.get(&format!("/actions?decision_id={}", library["id"].as_str().expect("id")), &token).await, StatusCode::OK).await;
        assert_eq!(titles(&of_library), ["Write to the Cabinet Member", "Petition stall"]);
        let named = json(app.get(&format!("/actions?limit=200&ids={},{}", ids[2], ids[0]), &token).await, StatusCode::OK).await;
        assert_eq!(titles(&named), ["Write to the Cabinet Member", "Ask TfL"]);
        let rival = app.token_for(RIVAL_GROUP, "assistant");
        let none = json(app.get(&format!("/actions?ids={}", ids[0]), &rival).await, StatusCode::OK).await;
        assert!(titles(&none).is_empty(), "another group's action is never listed");
    }

    async fn the_latest_made_come_first_when_asked_and_the_cursor_goes_on_towards_older(app: backend) {
        let owner = member(&app, "Cllr Amina Begum").await;
        for title in ["First", "Second", "Third"] {
            create(&app, &action(title, &owner, 14)).await;
        }
        let token = app.token("councillor");
        let now = Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
        // The read model, and the register as it stood (rebuilt in memory), page alike.
        for base in ["/actions?order=newest&limit=2".to_owned(), format!("/actions?order=newest&limit=2&as_of={now}")] {
            let first = json(app.get(&base, &token).await, StatusCode::OK).await;
            assert_eq!(titles(&first), ["Third", "Second"], "{base}");
            let cursor = first["next_cursor"].as_str().expect("a next page");
            let rest = json(app.get(&format!("{base}&cursor={}", crate::decisions::urlencode(cursor)), &token).await, StatusCode::OK).await;
            assert_eq!(titles(&rest), ["First"], "{base}");
            assert!(rest["next_cursor"].is_null());
        }
        let oldest = json(app.get("/actions?order=oldest&limit=2", &token).await, StatusCode::OK).await;
        assert_eq!(titles(&oldest), ["First", "Second"]);
        problem(app.get("/actions?order=sideways", &token).await, StatusCode::BAD_REQUEST).await;
    }

    async fn an_action_for_an_unknown_decision_or_member_is_422(app: backend) {
        let owner = member(&app, "Cllr Amina Begum").await;
        let stranger = action("Stranger's", &uuid::Uuid::now_v7().to_string(), 14);
        let refused = problem(app.post("/actions", &app.token("assistant"), &stranger).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(refused["errors"][0]["pointer"], "/owner_id");
        let mut body = action("Orphan", &owner, 14);
        body["decision_id"] = json!(uuid::Uuid::now_v7());
        let refused = problem(app.post("/actions", &app.token("assistant"), &body).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(refused["errors"][0]["pointer"], "/decision_id");
    }

    async fn rescheduling_records_the_old_date_and_the_reason(app: backend) {
        let owner = member(&app, "Cllr James Okafor").await;
        let created = create(&app, &action("Briefing note", &owner, 3)).await;
        let id = created["id"].as_str().expect("id");
        let new_date = days_from_today(20);
        let moved = json(app.post(&format!("/actions/{id}/reschedule"), &app.token("officer"),
            &json!({"due_on": new_date, "reason": "Waiting for council officers"})).await, StatusCode::OK).await;
        assert_eq!(moved["due_on"], new_date);
        assert_eq!(moved["reschedules"][0]["from"], created["due_on"]);
        assert_eq!(moved["reschedules"][0]["reason"], "Waiting for council officers");
        let no_reason = app.post(&format!("/actions/{id}/reschedule"), &app.token("officer"), &json!({"due_on": days_from_today(30), "reason": " "})).await;
        assert_eq!(problem(no_reason, StatusCode::UNPROCESSABLE_ENTITY).await["errors"][0]["pointer"], "/reason");
    }

    async fn overdue_and_due_soon_lists_show_open_actions_only(app: backend) {
        let owner = member(&app, "Cllr Amina Begum").await;
        let other = member(&app, "Cllr James Okafor").await;
        create(&app, &action("Late", &owner, -3)).await;
        create(&app, &action("Soon", &owner, 5)).await;
        create(&app, &action("Later", &owner, 60)).await;
        let done = create(&app, &action("Late but done", &owner, -10)).await;
        let id = done["id"].as_str().expect("id");
        json(app.post(&format!("/actions/{id}/completion"), &app.token("assistant"), &json!({"on": days_from_today(-1)})).await, StatusCode::OK).await;

        let token = app.token("leader");
        let overdue = json(app.get("/actions?overdue=true", &token).await, StatusCode::OK).await;
        assert_eq!(titles(&overdue), vec!["Late"]);
        assert_eq!(overdue["items"][0]["overdue"], true);
        let soon = json(app.get("/actions?due_within_days=14", &token).await, StatusCode::OK).await;
        assert_eq!(titles(&soon), vec!["Soon"]);
        let mine = json(app.get(&format!("/actions?owner_id={owner}&status=open"), &token).await, StatusCode::OK).await;
        assert_eq!(titles(&mine), vec!["Late", "Soon", "Later"]);
        let others = json(app.get(&format!("/actions?owner_id={other}"), &token).await, StatusCode::OK).await;
        assert!(titles(&others).is_empty());
    }

    async fn a_councillor_completes_their_own_action_but_not_anothers(app: backend) {
        let me = member(&app, "Cllr Amina Begum").await;
        let them = member(&app, "Cllr James Okafor").await;
        let mine = create(&app, &action("Mine", &me, 5)).await;
        let theirs = create(&app, &action("Theirs", &them, 5)).await;
        let token = app.token_as(&me, "councillor");
        let done = json(app.post(&format!("/actions/{}/completion", mine["id"].as_str().expect("id")), &token,
            &json!({"on": days_from_today(0), "note": "Letter sent"})).await, StatusCode::OK).await;
        assert_eq!(done["status"], "completed");
        assert_eq!(done["closing_note"], "Letter sent");
        let refused = app.post(&format!("/actions/{}/completion", theirs["id"].as_str().expect("id")), &token, &json!({"on": days_from_today(0)})).await;
        problem(refused, StatusCode::FORBIDDEN).await;
        let reassign = app.post(&format!("/actions/{}/reassignment", mine["id"].as_str().expect("id")), &token, &json!({"owner_id": them})).await;
        problem(reassign, StatusCode::FORBIDDEN).await;
    }

    async fn a_closed_action_cannot_change(app: backend) {
        let owner = member(&app, "Cllr James Okafor").await;
        let created = create(&app, &action("Dropped", &owner, 5)).await;
        let id = created["id"].as_str().expect("id");
        let token = app.token("assistant");
        json(app.post(&format!("/actions/{id}/cancellation"), &token, &json!({"reason": "No longer needed"})).await, StatusCode::OK).await;
        let refused = app.post(&format!("/actions/{id}/progress"), &token, &json!({"on": days_from_today(0), "note": "late"})).await;
        problem(refused, StatusCode::CONFLICT).await;
    }

    async fn reassignment_keeps_the_previous_owner(app: backend) {
        let first = member(&app, "Cllr James Okafor").await;
        let second = member(&app, "Cllr Amina Begum").await;
        let created = create(&app, &action("Pass it on", &first, 5)).await;
        let id = created["id"].as_str().expect("id");
        let moved = json(app.post(&format!("/actions/{id}/reassignment"), &app.token("leader"),
            &json!({"owner_id": second, "reason": "Ward issue"})).await, StatusCode::OK).await;
        assert_eq!(moved["owner_id"], second);
        assert_eq!(moved["previous_owners"], json!([first]));
    }

    async fn another_group_cannot_see_a_groups_actions(app: backend) {
        let owner = member(&app, "Cllr James Okafor").await;
        let created = create(&app, &action("Ours", &owner, 5)).await;
        let rival = app.token_for(RIVAL_GROUP, "assistant");
        let id = created["id"].as_str().expect("id");
        problem(app.get(&format!("/actions/{id}"), &rival).await, StatusCode::NOT_FOUND).await;
        assert!(titles(&json(app.get("/actions", &rival).await, StatusCode::OK).await).is_empty());
        problem(app.post(&format!("/actions/{id}/cancellation"), &rival, &json!({"reason": "x"})).await, StatusCode::NOT_FOUND).await;
    }
}
