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

/// The titles of the work listed, but for induction steps and the register
/// of interests' clocks: the members added here have just joined, and
/// `induction.rs` and `interests.rs` test those.
fn titles(work: &Value) -> Vec<&str> {
    let items = work["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|i| i["kind"] != "induction" && i["kind"] != "register_of_interests");
    items.map(|i| i["title"].as_str().expect("title")).collect()
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

    async fn papers_waiting_for_despatch_are_listed_until_they_go_and_are_late_past_their_day(app: backend) {
        let assistant = app.token("assistant");
        let starts = |days: i64| format!("{}T18:30:00Z", days_from_today(days));
        let paper = |item: &str| json!({"item_id": item, "title": "Budget report", "link": "https://docs.example/p.pdf", "classification": "group"});
        let mut meetings = Vec::new();
        for (title, days) in [("Group meeting", 14), ("Emergency group meeting", 1), ("Spring away day", 40)] {
            let meeting = crate::meetings::schedule(&app, title, "group_meeting", &starts(days)).await;
            let id = meeting["id"].as_str().expect("id").to_owned();
            let item = crate::meetings::add_item(&app, &id, "Budget", "group").await;
            json(app.post(&format!("/meetings/{id}/papers"), &assistant, &paper(&item)).await, StatusCode::OK).await;
            meetings.push(id);
        }
        let papers = |work: &Value| -> Vec<(String, bool)> {
            work["items"].as_array().expect("items").iter()
                .filter(|i| i["kind"] == "papers")
                .map(|i| (i["title"].as_str().expect("title").to_owned(), i["overdue"].as_bool().expect("overdue")))
                .collect()
        };
        let office = my_work(&app, &assistant).await;
        assert_eq!(
            papers(&office),
            vec![("Despatch the papers for Emergency group meeting".to_owned(), true), ("Despatch the papers for Group meeting".to_owned(), false)],
            "tomorrow's are late already (a fortnight's are in time whatever the bank holidays); the away day is weeks off: {office}"
        );
        let late = office["items"].as_array().expect("items").iter().find(|i| i["kind"] == "papers").expect("papers");
        assert_eq!(late["url"], format!("/api/v1/meetings/{}", meetings[1]));
        let despatch = json!({"at": format!("{}T09:00:00Z", days_from_today(0)), "to": ["All group members"]});
        json(app.post(&format!("/meetings/{}/despatches", meetings[1]), &assistant, &despatch).await, StatusCode::OK).await;
        assert_eq!(papers(&my_work(&app, &assistant).await).len(), 1, "despatched papers leave the list");
        assert!(papers(&my_work(&app, &app.token("councillor")).await).is_empty(), "councillors despatch nothing");
    }

    async fn a_drafted_motion_is_listed_while_its_submission_deadline_can_still_be_met(app: backend) {
        let proposer = crate::members::add(&app, "Cllr Begum", "Stratford").await["id"].as_str().expect("id").to_owned();
        for (title, days) in [("Keep the libraries open", 20), ("Fund the youth clubs", 45), ("Save the lido", 3)] {
            let meeting = crate::motions::council_meeting(&app, days).await;
            crate::motions::record(&app, &crate::motions::own_motion(&meeting, &proposer, title)).await;
        }
        let office = my_work(&app, &app.token("assistant")).await;
        let deadlines: Vec<&Value> = office["items"].as_array().expect("items").iter().filter(|i| i["kind"] == "deadline").collect();
        assert_eq!(deadlines.len(), 1, "the lido's deadline passed; the youth clubs' is weeks off: {office}");
        assert_eq!(deadlines[0]["title"], "Submit the motion “Keep the libraries open”");
        assert_eq!(deadlines[0]["overdue"], false);
        assert!(deadlines[0]["url"].as_str().expect("url").starts_with("/api/v1/motions/"));
        let mine = my_work(&app, &app.token_as(&proposer, "councillor")).await;
        assert!(mine["items"].as_array().expect("items").iter().all(|i| i["kind"] != "deadline"), "the office submits: {mine}");
    }
}

/// The sample group's coming business is on the lists of those who act on
/// it, and on nobody else's: the social post going out tomorrow, the forward
/// plan decision without a position, the open Chief Whip election.
#[tokio::test]
async fn the_sample_groups_coming_business_is_on_the_lists_of_those_who_act_on_it() {
    let app = crate::helpers::spawn_sample_app().await;
    let kinds = |work: &Value, kind: &str| -> Vec<String> {
        work["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter(|i| i["kind"] == kind)
            .map(|i| i["title"].as_str().expect("title").to_owned())
            .collect()
    };
    for role in ["assistant", "leader"] {
        let work = my_work(&app, &app.token(role)).await;
        assert_eq!(
            kinds(&work, "scheduled"),
            vec!["“Reminder: Full Council this Thursday” goes out"],
            "{role}"
        );
        assert_eq!(
            kinds(&work, "position"),
            vec!["Agree a position on “Fees and charges 2027/28” (Cabinet Member for Finance)"],
            "{role}"
        );
        assert_eq!(
            kinds(&work, "election"),
            vec!["Election open: Chief Whip, the coming municipal year"],
            "{role}"
        );
        let election = work["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|i| i["kind"] == "election")
            .expect("election");
        assert!(election["url"].as_str().expect("url").starts_with("/api/v1/elections/"), "{election}");
    }
    let councillor = my_work(&app, &app.token("councillor")).await;
    for kind in ["scheduled", "position", "election", "papers", "deadline"] {
        assert!(kinds(&councillor, kind).is_empty(), "a councillor acts on no {kind}: {councillor}");
    }
}
