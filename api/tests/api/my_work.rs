//! "My work": each person's list holds what their roles let them do and what
//! is theirs, soonest first.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::actions::{action, days_from_today};
use crate::helpers::{TestApp, json};
use crate::on_both_stores;

async fn my_work(app: &TestApp, token: &str) -> Value {
    json(app.get("/my-work", token).await, StatusCode::OK).await
}

fn titles(work: &Value) -> Vec<&str> {
    work["items"].as_array().expect("items").iter().map(|i| i["title"].as_str().expect("title")).collect()
}

on_both_stores! {
    async fn each_persons_work_is_theirs_and_soonest_first(app: backend) {
        let assistant = app.token("assistant");
        let mine = crate::members::add(&app, "Cllr Mine", "Stratford").await["id"].as_str().expect("id").to_owned();
        let theirs = crate::members::add(&app, "Cllr Theirs", "Beckton").await["id"].as_str().expect("id").to_owned();
        for body in [
            action("Chase the library survey", &mine, -2),
            action("Draft the budget amendment", &mine, 3),
            action("Plan the summer surgery", &mine, 40),
            action("Book the hall", &theirs, -1),
        ] {
            json(app.post("/actions", &assistant, &body).await, StatusCode::CREATED).await;
        }
        let repairs = crate::casework::register(&app, "Housing Repairs").await;
        let case = crate::casework::open(&app, &assistant, &crate::casework::new_case(&mine, "Damp in the flat")).await;
        let case = case["id"].as_str().expect("id");
        let referral = json!({"organisation_id": repairs, "on": days_from_today(-20)});
        json(app.post(&format!("/cases/{case}/referrals"), &assistant, &referral).await, StatusCode::OK).await;
        let release = crate::publications::draft(&app, &assistant, &crate::publications::press_release("Library saved")).await;
        json(app.post(&format!("/publications/{release}/submission"), &assistant, &json!({})).await, StatusCode::OK).await;

        let work = my_work(&app, &app.token_as(&mine, "councillor")).await;
        assert_eq!(
            titles(&work),
            vec!["Case: repairs, Canning Town North", "Chase the library survey", "Draft the budget amendment"],
            "their own, soonest first: {work}"
        );
        assert_eq!(work["items"][0]["kind"], "case");
        assert_eq!(work["items"][0]["overdue"], true);
        assert_eq!(work["items"][0]["url"], format!("/api/v1/cases/{case}"));
        assert_eq!(work["items"][2]["overdue"], false, "due in three days");
        assert_eq!(work["more"], json!([]));

        let other = my_work(&app, &app.token_as(&theirs, "councillor")).await;
        assert_eq!(titles(&other), vec!["Book the hall"], "nobody else's action or case");

        let leader = my_work(&app, &app.token("leader")).await;
        assert!(titles(&leader).contains(&"Approve “Library saved”"), "the approver sees the approval: {leader}");
        let office = my_work(&app, &assistant).await;
        for expected in ["Book the hall", "Chase the library survey", "Case: repairs, Canning Town North"] {
            assert!(titles(&office).contains(&expected), "the office sees {expected}: {office}");
        }
        assert!(!titles(&office).contains(&"Approve “Library saved”"), "the office does not approve");
        assert_eq!(my_work(&app, &app.token("auditor")).await["items"], json!([]), "auditors change nothing");
    }
}
