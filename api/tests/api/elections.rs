//! Group elections over HTTP: nominations, rounds, and a declared result that
//! appoints the winner to the post and ends the appointment of the holder they
//! succeed.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, json, problem};
use crate::meetings::add_member;
use crate::on_both_stores;

/// Establishes a one-seat group post as the assistant and returns its id.
pub async fn establish_post(app: &TestApp, name: &str) -> String {
    let post = json!({"name": name, "kind": "group_post", "seats": 1, "classification": "group"});
    json(app.post("/bodies", &app.token("assistant"), &post).await, StatusCode::CREATED).await["id"]
        .as_str()
        .expect("id")
        .to_owned()
}

/// Calls an election to `post` and returns its id.
pub async fn open(app: &TestApp, post: &str, meeting: Option<&str>) -> String {
    let election = json!({
        "body_id": post, "meeting_id": meeting, "title": "Chief Whip 2026/27",
        "term_starts_on": "2026-05-20", "term_ends_on": "2027-05-19", "classification": "group"
    });
    json(app.post("/elections", &app.token("assistant"), &election).await, StatusCode::CREATED).await["id"]
        .as_str()
        .expect("id")
        .to_owned()
}

pub async fn nominate(app: &TestApp, election: &str, member: &str) -> Value {
    let body = json!({"member_id": member});
    json(
        app.post(&format!("/elections/{election}/nominations"), &app.token("assistant"), &body).await,
        StatusCode::OK,
    )
    .await
}

async fn holders(app: &TestApp, post: &str) -> Vec<Value> {
    let list = json(
        app.get(&format!("/appointments?body_id={post}"), &app.token("councillor")).await,
        StatusCode::OK,
    )
    .await;
    list["items"].as_array().expect("items").clone()
}

on_both_stores! {
    async fn an_uncontested_election_appoints_its_sole_candidate_for_the_term(app: backend) {
        let post = establish_post(&app, "Chief Whip").await;
        let member = add_member(&app, "Cllr Whip").await;
        let election = open(&app, &post, None).await;
        nominate(&app, &election, &member).await;
        let declared = app.post(&format!("/elections/{election}/result"), &app.token("leader"), &json!({"on": "2026-05-12"})).await;
        let declared = json(declared, StatusCode::OK).await;
        assert_eq!(declared["status"], "declared");
        assert_eq!(declared["outcome"]["uncontested"], true);
        assert_eq!(declared["outcome"]["winner"], member.as_str());
        let holders = holders(&app, &post).await;
        assert_eq!(holders.len(), 1);
        assert_eq!(holders[0]["member_id"], member.as_str());
        assert_eq!(holders[0]["status"], "current");
        assert_eq!(holders[0]["term_starts_on"], "2026-05-20");
        assert_eq!(holders[0]["term_ends_on"], "2027-05-19");
        assert_eq!(holders[0]["id"], declared["outcome"]["appointment_id"]);
    }

    async fn a_contested_election_takes_rounds_and_the_winner_succeeds_the_holder(app: backend) {
        let token = app.token("assistant");
        let post = establish_post(&app, "Chief Whip").await;
        let (old, a, b, c) = (
            add_member(&app, "Cllr Old").await,
            add_member(&app, "Cllr A").await,
            add_member(&app, "Cllr B").await,
            add_member(&app, "Cllr C").await,
        );
        let seat = json!({"body_id": post, "member_id": old, "term_starts_on": "2025-05-20", "classification": "group"});
        let seat = json(app.post("/appointments", &token, &seat).await, StatusCode::CREATED).await;
        let seat_id = seat["id"].as_str().expect("id");
        json(app.post(&format!("/appointments/{seat_id}/confirmation"), &token, &json!({"on": "2025-05-20"})).await, StatusCode::OK).await;

        let election = open(&app, &post, None).await;
        for member in [&a, &b, &c] {
            nominate(&app, &election, member).await;
        }
        let again = app.post(&format!("/elections/{election}/nominations"), &token, &json!({"member_id": a})).await;
        problem(again, StatusCode::CONFLICT).await;
        let first = json!({"votes": [{"member_id": a, "votes": 20}, {"member_id": b, "votes": 18}, {"member_id": c, "votes": 7}]});
        json(app.post(&format!("/elections/{election}/rounds"), &token, &first).await, StatusCode::OK).await;
        let early = problem(app.post(&format!("/elections/{election}/result"), &token, &json!({"on": "2026-05-12"})).await, StatusCode::CONFLICT).await;
        assert!(early["detail"].as_str().expect("detail").contains("majority"), "{early}");
        json(app.post(&format!("/elections/{election}/withdrawals"), &token, &json!({"member_id": c})).await, StatusCode::OK).await;
        let second = json!({"votes": [{"member_id": a, "votes": 21}, {"member_id": b, "votes": 24}]});
        json(app.post(&format!("/elections/{election}/rounds"), &token, &second).await, StatusCode::OK).await;
        let declared = json(app.post(&format!("/elections/{election}/result"), &token, &json!({"on": "2026-05-12"})).await, StatusCode::OK).await;
        assert_eq!(declared["outcome"]["winner"], b.as_str());
        assert_eq!(declared["rounds"].as_array().expect("rounds").len(), 2);

        let holders = holders(&app, &post).await;
        let old_seat = holders.iter().find(|h| h["member_id"] == old.as_str()).expect("old holder");
        assert_eq!(old_seat["status"], "ended");
        assert_eq!(old_seat["ended_on"], "2026-05-19");
        assert_eq!(old_seat["end_reason"], "replaced");
        let new_seat = holders.iter().find(|h| h["member_id"] == b.as_str()).expect("winner");
        assert_eq!(new_seat["status"], "current");
    }

    async fn elections_are_only_to_the_groups_posts(app: backend) {
        let committee = crate::bodies::establish(&app, "Licensing Committee", 3).await;
        let election = json!({"body_id": committee, "title": "x", "term_starts_on": "2026-05-20", "classification": "group"});
        let refused = problem(app.post("/elections", &app.token("assistant"), &election).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(refused["errors"][0]["pointer"], "/body_id");
        let forbidden = app.post("/elections", &app.token("councillor"), &election).await;
        problem(forbidden, StatusCode::FORBIDDEN).await;
    }
}
