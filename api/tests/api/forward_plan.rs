//! The forward plan over HTTP: entering, updating and importing items from
//! CSV, the group's position, briefing actions, and what is due soon.

use chrono::{Days, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, json, problem};
use crate::on_both_stores;

/// A forward plan entry.
pub fn entry(title: &str) -> Value {
    json!({
        "title": title,
        "decision_maker": "Cabinet",
        "expected_on": "2026-04-14",
        "key_decision": true,
        "wards": ["Canning Town North", "Canning Town South"],
        "portfolio": "Culture",
        "reference": "KD-2026-014"
    })
}

/// Enters an item as the assistant and returns its id.
pub async fn enter(app: &TestApp, title: &str) -> String {
    let body = json!({"entry": entry(title), "classification": "public"});
    json(app.post("/forward-plan-items", &app.token("assistant"), &body).await, StatusCode::CREATED).await["id"]
        .as_str()
        .expect("id")
        .to_owned()
}

async fn import(app: &TestApp, csv: &str) -> reqwest::Response {
    import_under(app, csv, None).await
}

async fn import_under(app: &TestApp, csv: &str, key: Option<&str>) -> reqwest::Response {
    let mut request = app
        .client
        .post(app.api("/forward-plan-imports"))
        .bearer_auth(app.token("assistant"))
        .header("content-type", "text/csv")
        .body(csv.to_owned());
    if let Some(key) = key {
        request = request.header("Idempotency-Key", key);
    }
    request.send().await.expect("import")
}

on_both_stores! {
    async fn an_item_is_updated_positioned_and_briefed(app: backend) {
        let token = app.token("assistant");
        let id = enter(&app, "Library service review").await;
        let mut changed = entry("Library service review");
        changed["decision_maker"] = json!("Full Council");
        let updated = app.client.patch(app.api(&format!("/forward-plan-items/{id}"))).bearer_auth(&token).json(&changed).send().await.expect("patch");
        let updated = json(updated, StatusCode::OK).await;
        assert_eq!(updated["entry"]["decision_maker"], "Full Council");
        assert_eq!(updated["previous_entries"][0]["decision_maker"], "Cabinet");
        let positioned = json(app.post(&format!("/forward-plan-items/{id}/position"), &token, &json!({"position": "Oppose any closure"})).await, StatusCode::OK).await;
        assert_eq!(positioned["status"], "position_agreed");
        let member = crate::meetings::add_member(&app, "Cllr Briefer").await;
        let action = json!({"title": "Brief members on the review", "owner_id": member, "due_on": "2026-04-07", "classification": "group"});
        let action = json(app.post("/actions", &token, &action).await, StatusCode::CREATED).await;
        let linked = json(app.post(&format!("/forward-plan-items/{id}/briefing-actions"), &token, &json!({"action_id": action["id"]})).await, StatusCode::OK).await;
        assert_eq!(linked["briefing_actions"], json!([action["id"]]));
    }

    async fn a_csv_import_enters_every_row_or_none_naming_the_bad_line_and_column(app: backend) {
        let soon = Utc::now().date_naive().checked_add_days(Days::new(10)).expect("date");
        let later = Utc::now().date_naive().checked_add_days(Days::new(90)).expect("date");
        let bad = format!("title,decision_maker,expected_on,key_decision,wards,portfolio,reference\n\
                           Library review,Cabinet,{soon},yes,Canning Town North;Custom House,Culture,KD-1\n\
                           Parking charges,Cabinet Member for Environment,next week,no,,,\n");
        let refused = problem(import(&app, &bad).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(refused["errors"][0]["pointer"], "line 3, column expected_on");
        let none = json(app.get("/forward-plan-items", &app.token("assistant")).await, StatusCode::OK).await;
        assert_eq!(none["items"].as_array().expect("items").len(), 0, "nothing imported");

        let good = format!("title,decision_maker,expected_on,key_decision,wards,portfolio,reference\n\
                            Library review,Cabinet,{soon},yes,Canning Town North;Custom House,Culture,KD-1\n\
                            Parking charges,Cabinet Member for Environment,{later},no,,,\n");
        let imported = json(import(&app, &good).await, StatusCode::CREATED).await;
        assert_eq!(imported["entered"].as_array().expect("entered").len(), 2);
        let due = json(app.get("/forward-plan-items?due_within_days=30", &app.token("councillor")).await, StatusCode::OK).await;
        let due = due["items"].as_array().expect("items");
        assert_eq!(due.len(), 1);
        assert_eq!(due[0]["entry"]["wards"], json!(["Canning Town North", "Custom House"]));
        assert_eq!(due[0]["entry"]["key_decision"], true);
        let json_body = app.post("/forward-plan-imports", &app.token("assistant"), &json!({})).await;
        problem(json_body, StatusCode::BAD_REQUEST).await;
    }

    async fn a_csv_import_sent_twice_under_one_key_enters_its_rows_once(app: backend) {
        let soon = Utc::now().date_naive().checked_add_days(Days::new(10)).expect("date");
        let csv = format!("title,decision_maker,expected_on,key_decision,wards,portfolio,reference\n\
                           Library review,Cabinet,{soon},yes,,Culture,KD-1\n");
        let first = json(import_under(&app, &csv, Some("import-1")).await, StatusCode::CREATED).await;
        let again = json(import_under(&app, &csv, Some("import-1")).await, StatusCode::CREATED).await;
        assert_eq!(again, first, "the first answer, replayed");
        let held = json(app.get("/forward-plan-items", &app.token("assistant")).await, StatusCode::OK).await;
        assert_eq!(held["items"].as_array().expect("items").len(), 1, "entered once");
        // Another file under the same key is a mistake, said so.
        let other = csv.replace("Library review", "Parks strategy");
        problem(import_under(&app, &other, Some("import-1")).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
}
