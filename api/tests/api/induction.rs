//! The induction of new councillors over HTTP: the checklist made on joining
//! from the group's steps (the defaults until it configures its own), ticked
//! off by the member or the office, overdue steps on My work, and the
//! sample's new councillor half way through.

use chrono::{Duration, NaiveDate, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, json, problem};
use crate::on_both_stores;

async fn join(app: &TestApp, name: &str) -> String {
    let body = json!({"name": name, "ward": "Stratford"});
    let created = json(app.post("/members", &app.token("assistant"), &body).await, StatusCode::CREATED).await;
    created["id"].as_str().expect("id").to_owned()
}

fn today() -> NaiveDate {
    Utc::now().with_timezone(&chrono_tz::Europe::London).date_naive()
}

fn day(value: &Value) -> NaiveDate {
    value.as_str().expect("a day").parse().expect("day")
}

/// Each step's title with its due day, as `(title, due_on)`.
fn due_days(induction: &Value) -> Vec<(String, NaiveDate)> {
    let steps = induction["steps"].as_array().expect("steps");
    steps.iter().map(|s| (s["title"].as_str().expect("title").to_owned(), day(&s["due_on"]))).collect()
}

async fn induction(app: &TestApp, member: &str) -> Value {
    json(app.get(&format!("/inductions/{member}"), &app.token("assistant")).await, StatusCode::OK).await
}

async fn tick(app: &TestApp, member: &str, number: u32, token: &str) -> reqwest::Response {
    app.post(&format!("/inductions/{member}/steps/{number}/done"), token, &json!({})).await
}

on_both_stores! {
    async fn induction_defaults_are_the_checklist_of_a_member_joining_a_group_that_configured_none(app: backend) {
        let steps = json(app.get("/induction-steps", &app.token("councillor")).await, StatusCode::OK).await;
        assert_eq!(steps["configured"], false);
        assert_eq!(steps["steps"].as_array().expect("steps").len(), 6);
        let member = join(&app, "Cllr New").await;
        let induction = induction(&app, &member).await;
        assert_eq!(day(&induction["joined_on"]), today());
        assert_eq!(induction["status"], "in_progress");
        let register = due_days(&induction).into_iter().find(|(t, _)| t.contains("Register of interests")).expect("register step");
        assert_eq!(register.1, today() + Duration::days(28), "the register of interests within 28 days of joining");
        problem(app.post(&format!("/inductions/{member}"), &app.token("assistant"), &json!({"joined_on": today()})).await, StatusCode::CONFLICT).await;
    }

    async fn induction_list_on_joining_is_made_from_the_configured_steps_and_keeps_them(app: backend) {
        let office = app.token("assistant");
        let mentor = join(&app, "Cllr Mentor").await;
        let walkabout = json!({"title": "Ward walkabout with a mentor", "due_after_days": 10, "owner": {"kind": "member", "member_id": mentor}});
        let steps = json(app.post("/induction-steps", &office, &walkabout).await, StatusCode::OK).await;
        assert_eq!(steps["configured"], true);
        assert_eq!(steps["steps"].as_array().expect("steps").len(), 7, "the defaults and the new step");
        let history = json(app.get(&format!("/history/inductionsteps/{}", steps["id"].as_str().expect("id")), &app.token("auditor")).await, StatusCode::OK).await;
        assert!(history.to_string().contains("InductionStepAdded"), "{history}");
        json(app.post("/induction-steps/3/retirement", &office, &json!({})).await, StatusCode::OK).await;
        let stranger = uuid::Uuid::new_v4();
        let nobody = json!({"title": "Meet nobody", "due_after_days": 400, "owner": {"kind": "member", "member_id": stranger}});
        let refused = problem(app.post("/induction-steps", &office, &nobody).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        let pointers: Vec<&str> = refused["errors"].as_array().expect("errors").iter().map(|e| e["pointer"].as_str().expect("pointer")).collect();
        assert_eq!(pointers, ["/due_after_days"], "{refused}");
        problem(app.post("/induction-steps", &app.token("councillor"), &walkabout).await, StatusCode::FORBIDDEN).await;

        let member = join(&app, "Cllr Newest").await;
        let started = induction(&app, &member).await;
        let numbers: Vec<u64> = started["steps"].as_array().expect("steps").iter().map(|s| s["number"].as_u64().expect("number")).collect();
        assert_eq!(numbers, [1, 2, 4, 5, 6, 7], "the retired step is not given");
        let walk = started["steps"].as_array().expect("steps").iter().find(|s| s["number"] == 7).expect("walkabout");
        assert_eq!(walk["owner"], json!({"kind": "member", "member_id": mentor}));
        assert_eq!(day(&walk["due_on"]), today() + Duration::days(10));

        let sooner = json!({"title": "Ward walkabout", "due_after_days": 3, "owner": {"kind": "new_member"}});
        let request = app.client.put(app.api("/induction-steps/7")).bearer_auth(&office).json(&sooner);
        json(request.send().await.expect("request"), StatusCode::OK).await;
        assert_eq!(due_days(&induction(&app, &member).await), due_days(&started), "a started induction keeps its steps");
        let later = induction(&app, &join(&app, "Cllr Later").await).await;
        let walk = later["steps"].as_array().expect("steps").iter().find(|s| s["number"] == 7).expect("walkabout");
        assert_eq!((walk["title"].as_str(), day(&walk["due_on"])), (Some("Ward walkabout"), today() + Duration::days(3)));
    }

    async fn induction_steps_are_ticked_off_by_the_member_or_the_office_never_another_councillor(app: backend) {
        let [member, other] = [join(&app, "Cllr Ticks").await, join(&app, "Cllr Other").await];
        let own = app.token_as(&member, "councillor");
        let before = Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
        let ticked = json(tick(&app, &member, 4, &own).await, StatusCode::OK).await;
        let step = &ticked["steps"].as_array().expect("steps")[3];
        assert_eq!((step["number"].as_u64(), step["done_by"].as_str()), (Some(4), Some(member.as_str())));
        assert_eq!(day(&step["done_on"]), today());
        assert_eq!(ticked["done"], 1);
        problem(tick(&app, &member, 4, &app.token("assistant")).await, StatusCode::CONFLICT).await;
        let then = json(app.get(&format!("/inductions/{member}?as_of={before}"), &own).await, StatusCode::OK).await;
        assert_eq!(then["done"], 0, "as it stood before the tick: {then}");
        problem(app.get(&format!("/inductions/{member}?as_of=2000-01-01T00:00:00Z"), &own).await, StatusCode::NOT_FOUND).await;
        problem(tick(&app, &other, 1, &own).await, StatusCode::FORBIDDEN).await;
        problem(tick(&app, &member, 99, &own).await, StatusCode::NOT_FOUND).await;
        problem(tick(&app, &member, 70_000, &own).await, StatusCode::NOT_FOUND).await;
        let noted = json!({"done_on": today(), "note": "Met in the Leader's office."});
        let ticked = json(app.post(&format!("/inductions/{other}/steps/1/done"), &app.token("assistant"), &noted).await, StatusCode::OK).await;
        assert_eq!(ticked["steps"][0]["note"], "Met in the Leader's office.");
        let future = json!({"done_on": today() + Duration::days(2)});
        let refused = problem(app.post(&format!("/inductions/{other}/steps/2/done"), &app.token("assistant"), &future).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(refused["errors"][0]["pointer"], "/done_on");
        let listed = json(app.get("/inductions", &app.token("assistant")).await, StatusCode::OK).await;
        assert_eq!(listed["items"].as_array().expect("items").len(), 2);
    }
}

#[tokio::test]
async fn induction_of_the_sample_councillor_is_half_done_with_a_step_overdue_on_my_work() {
    let app = crate::helpers::spawn_sample_app().await;
    let member = caucus_api::sample::sample_member_id(18).to_string();
    let induction = induction(&app, &member).await;
    assert_eq!(day(&induction["joined_on"]), today() - Duration::days(21));
    assert_eq!(
        (induction["done"].as_u64(), induction["overdue"].as_u64()),
        (Some(3), Some(1)),
        "{induction}"
    );
    assert!(
        induction["steps"][1]["course_id"].is_string(),
        "the code of conduct step is the catalogue's course"
    );
    let listed = json(app.get("/inductions", &app.token("assistant")).await, StatusCode::OK).await;
    assert_eq!(listed["items"][0]["member_id"], member.as_str());

    let work_of = async |token: String| {
        let work = json(app.get("/my-work", &token).await, StatusCode::OK).await;
        let items = work["items"].as_array().expect("items").clone();
        items.into_iter().filter(|i| i["kind"] == "induction").collect::<Vec<Value>>()
    };
    let own = work_of(app.token_as(&member, "councillor")).await;
    let overdue: Vec<&Value> = own.iter().filter(|i| i["overdue"] == true).collect();
    assert_eq!(overdue.len(), 1, "{own:?}");
    assert_eq!(overdue[0]["title"], "Your induction: The group's standing orders");
    assert_eq!(overdue[0]["url"], format!("/api/v1/inductions/{member}"));
    assert!(
        own.iter().any(|i| i["title"].as_str().is_some_and(|t| t.contains("Register of interests"))
            && i["overdue"] == false)
    );
    let office = work_of(app.token("assistant")).await;
    assert_eq!(office.len(), own.len(), "the office sees every step due");
    let others =
        work_of(app.token_as(&caucus_api::sample::sample_member_id(3).to_string(), "councillor")).await;
    assert!(others.is_empty(), "{others:?}");
}
