//! Meetings over HTTP: scheduling, the agenda and its papers, despatch and late
//! papers, attendance and quorum, minutes and their approval, and the decisions
//! and actions recorded from items.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, json, problem};
use crate::on_both_stores;

/// A meeting body starting at `starts_at`.
pub fn meeting(title: &str, kind: &str, starts_at: &str, classification: &str) -> Value {
    json!({
        "kind": kind,
        "title": title,
        "starts_at": starts_at,
        "place": "Committee Room 1, Newham Town Hall",
        "classification": classification,
        "quorum": 2
    })
}

/// Schedules a meeting as the assistant and returns it.
pub async fn schedule(app: &TestApp, title: &str, kind: &str, starts_at: &str) -> Value {
    let response =
        app.post("/meetings", &app.token("assistant"), &meeting(title, kind, starts_at, "group")).await;
    json(response, StatusCode::CREATED).await
}

/// Adds an item to a meeting and returns the item's id.
pub async fn add_item(app: &TestApp, meeting: &str, title: &str, classification: &str) -> String {
    let body = json!({"title": title, "classification": classification});
    let answer = json(
        app.post(&format!("/meetings/{meeting}/items"), &app.token("assistant"), &body).await,
        StatusCode::OK,
    )
    .await;
    let items = answer["items"].as_array().expect("items");
    items.iter().rev().find(|i| i["title"] == title).expect("item added")["id"]
        .as_str()
        .expect("id")
        .to_owned()
}

/// Adds a member and returns their id.
pub async fn add_member(app: &TestApp, name: &str) -> String {
    let member = json!({"name": name, "ward": "Stratford"});
    json(app.post("/members", &app.token("assistant"), &member).await, StatusCode::CREATED).await["id"]
        .as_str()
        .expect("id")
        .to_owned()
}

fn id(value: &Value) -> String {
    value["id"].as_str().expect("id").to_owned()
}

on_both_stores! {
    async fn a_meeting_is_scheduled_confirmed_moved_and_cancelled(app: backend) {
        let token = app.token("assistant");
        let created = schedule(&app, "Group meeting", "group_meeting", "2026-03-11T18:30:00Z").await;
        assert_eq!(created["status"], "tentative");
        assert_eq!(created["despatch_by"], "2026-03-03", "five clear working days before Wednesday 11 March");
        let id = id(&created);
        let confirmed = json(app.post(&format!("/meetings/{id}/confirmation"), &token, &json!({})).await, StatusCode::OK).await;
        assert_eq!(confirmed["status"], "confirmed");
        let moved = json!({"starts_at": "2026-03-12T18:30:00Z", "online_link": "https://meet.example/group", "reason": "Clash with Cabinet"});
        let moved = json(app.post(&format!("/meetings/{id}/rescheduling"), &token, &moved).await, StatusCode::OK).await;
        assert_eq!(moved["starts_at"], "2026-03-12T18:30:00Z");
        assert_eq!(moved["reschedulings"][0]["previous_starts_at"], "2026-03-11T18:30:00Z");
        assert_eq!(moved["reschedulings"][0]["reason"], "Clash with Cabinet");
        let cancelled = json(app.post(&format!("/meetings/{id}/cancellation"), &token, &json!({"reason": "Snow"})).await, StatusCode::OK).await;
        assert_eq!(cancelled["status"], "cancelled");
        assert_eq!(cancelled["cancellation_reason"], "Snow");
        let refused = app.post(&format!("/meetings/{id}/items"), &token, &json!({"title": "Late item", "classification": "group"})).await;
        let refused = problem(refused, StatusCode::CONFLICT).await;
        assert_eq!(refused["detail"], "this meeting is cancelled");
    }

    async fn papers_for_the_tuesday_after_easter_go_out_before_good_friday(app: backend) {
        // Five clear working days before Tuesday 7 April 2026, without Good
        // Friday and Easter Monday: Fri 27 March to Thu 2 April.
        let created = schedule(&app, "Group meeting", "group_meeting", "2026-04-07T17:30:00Z").await;
        assert_eq!(created["despatch_by"], "2026-03-26");
    }

    async fn a_meeting_without_a_place_or_link_is_refused_naming_the_field(app: backend) {
        let mut body = meeting("Group meeting", "group_meeting", "2026-03-11T18:30:00Z", "group");
        body.as_object_mut().expect("object").remove("place");
        body["online_link"] = json!("not a url");
        let refused = problem(app.post("/meetings", &app.token("assistant"), &body).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(refused["errors"][0]["pointer"], "/online_link");
    }

    async fn the_quorum_can_be_a_fraction_of_the_current_members(app: backend) {
        for n in 0..6 {
            add_member(&app, &format!("Cllr {n}")).await;
        }
        let mut body = meeting("Group meeting", "group_meeting", "2026-03-11T18:30:00Z", "group");
        body.as_object_mut().expect("object").remove("quorum");
        body["quorum_fraction"] = json!("1/4");
        let created = json(app.post("/meetings", &app.token("assistant"), &body).await, StatusCode::CREATED).await;
        assert_eq!(created["quorum"], 2, "a quarter of 6, rounded up");
    }

    async fn the_agenda_is_built_reordered_and_withdrawn_from(app: backend) {
        let token = app.token("assistant");
        let meeting_id = id(&schedule(&app, "Group meeting", "group_meeting", "2026-03-11T18:30:00Z").await);
        let first = add_item(&app, &meeting_id, "Apologies", "group").await;
        let second = add_item(&app, &meeting_id, "Budget", "group").await;
        let third = add_item(&app, &meeting_id, "Any other business", "group").await;
        let order = json!({"order": [second, first, third]});
        let reordered = json(app.post(&format!("/meetings/{meeting_id}/agenda-order"), &token, &order).await, StatusCode::OK).await;
        let titles: Vec<&str> = reordered["items"].as_array().expect("items").iter().map(|i| i["title"].as_str().expect("t")).collect();
        assert_eq!(titles, ["Budget", "Apologies", "Any other business"]);
        let bad = app.post(&format!("/meetings/{meeting_id}/agenda-order"), &token, &json!({"order": [first]})).await;
        problem(bad, StatusCode::UNPROCESSABLE_ENTITY).await;
        let withdrawn = json!({"item_id": first, "reason": "Taken at the start"});
        let withdrawn = json(app.post(&format!("/meetings/{meeting_id}/item-withdrawals"), &token, &withdrawn).await, StatusCode::OK).await;
        let items = withdrawn["items"].as_array().expect("items");
        assert_eq!(items[0]["number"], 1);
        assert_eq!(items[1]["number"], 2);
        assert_eq!(items[2]["status"], "withdrawn");
        assert_eq!(items[2]["number"], Value::Null);
    }

    async fn councillors_do_not_see_officers_only_items_or_papers(app: backend) {
        let token = app.token("assistant");
        let meeting_id = id(&schedule(&app, "Group meeting", "group_meeting", "2026-03-11T18:30:00Z").await);
        let open = add_item(&app, &meeting_id, "Budget", "group").await;
        add_item(&app, &meeting_id, "Disciplinary matter", "officers").await;
        let paper = json!({"item_id": open, "title": "Whips' note", "link": "https://docs.example/whips.pdf", "classification": "officers"});
        json(app.post(&format!("/meetings/{meeting_id}/papers"), &token, &paper).await, StatusCode::OK).await;
        let seen = json(app.get(&format!("/meetings/{meeting_id}"), &app.token("councillor")).await, StatusCode::OK).await;
        let items = seen["items"].as_array().expect("items");
        assert_eq!(items.len(), 1);
        assert_eq!(items[0]["papers"].as_array().expect("papers").len(), 0);
        let officer = json(app.get(&format!("/meetings/{meeting_id}"), &app.token("officer")).await, StatusCode::OK).await;
        assert_eq!(officer["items"].as_array().expect("items").len(), 2);
    }

    async fn papers_despatched_after_the_rule_are_flagged_and_listed_late(app: backend) {
        let token = app.token("assistant");
        let meeting_id = id(&schedule(&app, "Group meeting", "group_meeting", "2026-03-11T18:30:00Z").await);
        let item = add_item(&app, &meeting_id, "Budget", "group").await;
        let paper = |title: &str| json!({"item_id": item, "title": title, "link": "https://docs.example/p.pdf", "classification": "group"});
        json(app.post(&format!("/meetings/{meeting_id}/papers"), &token, &paper("Budget report")).await, StatusCode::OK).await;
        let on_time = json!({"at": "2026-03-03T09:00:00Z", "to": ["All group members"]});
        json(app.post(&format!("/meetings/{meeting_id}/despatches"), &token, &on_time).await, StatusCode::OK).await;
        json(app.post(&format!("/meetings/{meeting_id}/papers"), &token, &paper("Amendment")).await, StatusCode::OK).await;
        let late = json!({"at": "2026-03-09T09:00:00Z", "to": ["All group members", "Group Officers"]});
        let answer = json(app.post(&format!("/meetings/{meeting_id}/despatches"), &token, &late).await, StatusCode::OK).await;
        let papers = answer["items"][0]["papers"].as_array().expect("papers");
        assert_eq!(papers[0]["late"], false);
        assert_eq!(papers[1]["late"], true);
        assert_eq!(answer["despatches"][1]["to"], json!(["All group members", "Group Officers"]));
        let nothing = app.post(&format!("/meetings/{meeting_id}/despatches"), &token, &late).await;
        problem(nothing, StatusCode::CONFLICT).await;

        let listed = json(app.get("/late-papers", &app.token("councillor")).await, StatusCode::OK).await;
        let listed = listed["items"].as_array().expect("items");
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0]["paper_title"], "Amendment");
        assert_eq!(listed[0]["despatch_by"], "2026-03-03");
    }

    async fn attendance_shows_whether_the_meeting_was_quorate(app: backend) {
        let token = app.token("assistant");
        let meeting_id = id(&schedule(&app, "Group meeting", "group_meeting", "2026-03-11T18:30:00Z").await);
        let (a, b, c) = (add_member(&app, "Cllr A").await, add_member(&app, "Cllr B").await, add_member(&app, "Cllr C").await);
        let entries = json!({"entries": [
            {"member_id": a, "attendance": "present"},
            {"member_id": b, "attendance": "apologies"},
            {"member_id": c, "attendance": "absent"}
        ]});
        let taken = json(app.post(&format!("/meetings/{meeting_id}/attendance"), &token, &entries).await, StatusCode::OK).await;
        assert_eq!(taken["present"], 1);
        assert_eq!(taken["quorate"], false);
        let arrived = json!({"entries": [{"member_id": c, "attendance": "present"}]});
        let taken = json(app.post(&format!("/meetings/{meeting_id}/attendance"), &token, &arrived).await, StatusCode::OK).await;
        assert_eq!(taken["present"], 2);
        assert_eq!(taken["quorate"], true);
        let stranger = json!({"entries": [{"member_id": uuid::Uuid::new_v4(), "attendance": "present"}]});
        let refused = problem(app.post(&format!("/meetings/{meeting_id}/attendance"), &token, &stranger).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(refused["errors"][0]["pointer"], "/entries/0/member_id");
    }

    async fn approved_minutes_never_change_and_a_correction_stays_visible(app: backend) {
        let token = app.token("assistant");
        let first = id(&schedule(&app, "Group meeting", "group_meeting", "2026-03-11T18:30:00Z").await);
        let next = id(&schedule(&app, "Group meeting", "group_meeting", "2026-04-08T18:30:00Z").await);
        let item = add_item(&app, &first, "Budget", "group").await;
        let minutes = json!({"item_id": item, "text": "Agreed."});
        let early = app.post(&format!("/meetings/{first}/minutes"), &token, &minutes).await;
        problem(early, StatusCode::CONFLICT).await;
        json(app.post(&format!("/meetings/{first}/held"), &token, &json!({})).await, StatusCode::OK).await;
        json(app.post(&format!("/meetings/{first}/minutes"), &token, &minutes).await, StatusCode::OK).await;

        let own = json!({"meeting_id": first, "on": "2026-03-11"});
        let own = problem(app.post(&format!("/meetings/{first}/minutes-approval"), &token, &own).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(own["errors"][0]["pointer"], "/meeting_id");
        let approval = json!({"meeting_id": next, "on": "2026-04-08"});
        let approved = json(app.post(&format!("/meetings/{first}/minutes-approval"), &token, &approval).await, StatusCode::OK).await;
        assert_eq!(approved["minutes_approved"]["meeting_id"], next.as_str());

        let redraft = json!({"item_id": item, "text": "Agreed unanimously."});
        let refused = problem(app.post(&format!("/meetings/{first}/minutes"), &token, &redraft).await, StatusCode::CONFLICT).await;
        assert!(refused["detail"].as_str().expect("detail").contains("never change"), "{refused}");
        let correction = json!({"item_id": item, "text": "Agreed unanimously.", "reason": "The vote was unanimous"});
        let corrected = json(app.post(&format!("/meetings/{first}/minutes-corrections"), &token, &correction).await, StatusCode::OK).await;
        let item = &corrected["items"][0];
        assert_eq!(item["minutes"], "Agreed unanimously.");
        assert_eq!(item["corrections"][0]["previous_text"], "Agreed.");
        assert_eq!(item["corrections"][0]["reason"], "The vote was unanimous");
    }

    async fn decisions_and_actions_recorded_from_an_item_link_both_ways(app: backend) {
        let token = app.token("assistant");
        let meeting_id = id(&schedule(&app, "Group meeting", "group_meeting", "2026-03-11T18:30:00Z").await);
        let item = add_item(&app, &meeting_id, "Library closure", "group").await;
        let decision = json!({"item_id": item, "title": "Oppose the closure", "text": "The group will oppose it.", "classification": "group"});
        let response = app.post(&format!("/meetings/{meeting_id}/decisions"), &token, &decision).await;
        let decision = json(response, StatusCode::CREATED).await;
        assert_eq!(decision["decided_on"], "2026-03-11");
        assert_eq!(decision["taken_by"]["kind"], "group_meeting");
        assert_eq!(decision["taken_by"]["meeting_item"], json!({"meeting_id": meeting_id, "item_id": item}));
        let owner = add_member(&app, "Cllr Owner").await;
        let action = json!({"item_id": item, "action": {"title": "Write to the Cabinet Member", "owner_id": owner, "due_on": "2026-03-25", "decision_id": decision["id"], "classification": "group"}});
        let action = json(app.post(&format!("/meetings/{meeting_id}/actions"), &token, &action).await, StatusCode::CREATED).await;
        assert_eq!(action["meeting_item"]["item_id"], item.as_str());

        let seen = json(app.get(&format!("/meetings/{meeting_id}"), &token).await, StatusCode::OK).await;
        assert_eq!(seen["items"][0]["links"], json!([
            {"kind": "decision", "id": decision["id"]},
            {"kind": "action", "id": action["id"]}
        ]));
        let forged = json!({
            "title": "Forged", "text": "x", "decided_on": "2026-03-11", "classification": "group",
            "taken_by": {"kind": "group_meeting", "meeting": "x", "meeting_item": {"meeting_id": meeting_id, "item_id": item}}
        });
        let forged = problem(app.post("/decisions", &token, &forged).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(forged["errors"][0]["pointer"], "/taken_by/meeting_item");
        let unknown = json!({"item_id": uuid::Uuid::new_v4(), "title": "x", "text": "x", "classification": "group"});
        problem(app.post(&format!("/meetings/{meeting_id}/decisions"), &token, &unknown).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    }

    async fn a_report_back_item_carries_the_digest_since_the_previous_group_meeting(app: backend) {
        let token = app.token("assistant");
        let first = id(&schedule(&app, "Group meeting", "group_meeting", "2026-03-11T18:30:00Z").await);
        let next = id(&schedule(&app, "Group meeting", "group_meeting", "2026-04-08T18:30:00Z").await);
        let item = add_item(&app, &first, "Library closure", "group").await;
        let decision = json!({"item_id": item, "title": "Oppose the closure", "text": "The group will oppose it.", "classification": "group"});
        let decision = json(app.post(&format!("/meetings/{first}/decisions"), &token, &decision).await, StatusCode::CREATED).await;
        let answer = json(app.post(&format!("/meetings/{next}/report-back-items"), &token, &json!({})).await, StatusCode::OK).await;
        let item = &answer["items"][0];
        assert_eq!(item["title"], "Report back");
        assert_eq!(item["report_back"], json!({"from": "2026-03-11", "to": "2026-04-08"}));
        assert!(item["description"].as_str().expect("markdown").contains("**Oppose the closure**"), "{item}");
        assert_eq!(item["links"], json!([{"kind": "decision", "id": decision["id"]}]));
        let council = json(app.post("/meetings", &token, &meeting("Full Council", "full_council", "2026-04-20T19:00:00Z", "public")).await, StatusCode::CREATED).await;
        let refused = app.post(&format!("/meetings/{}/report-back-items", id(&council)), &token, &json!({})).await;
        problem(refused, StatusCode::CONFLICT).await;
    }

    async fn the_publisher_sees_public_meetings_only(app: backend) {
        let token = app.token("assistant");
        json(app.post("/meetings", &token, &meeting("Full Council", "full_council", "2026-03-19T19:00:00Z", "public")).await, StatusCode::CREATED).await;
        schedule(&app, "Group meeting", "group_meeting", "2026-03-11T18:30:00Z").await;
        let seen = json(app.get("/meetings", &app.token("publisher")).await, StatusCode::OK).await;
        let items = seen["items"].as_array().expect("items");
        assert_eq!(items.len(), 1);
        assert_eq!(items[0]["kind"], "full_council");
        let forbidden = app.post("/meetings", &app.token("councillor"), &meeting("x", "agm", "2026-05-01T18:00:00Z", "group")).await;
        problem(forbidden, StatusCode::FORBIDDEN).await;
    }
}

#[tokio::test]
async fn the_sample_group_has_meetings_a_late_paper_and_an_agm_election() {
    let app = crate::helpers::spawn_sample_app().await;
    let token = app.token_for(caucus_api::sample::GROUP, "assistant");
    let meetings = json(app.get("/meetings", &token).await, StatusCode::OK).await;
    let kinds: Vec<&str> = meetings["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|m| m["kind"].as_str().expect("kind"))
        .collect();
    assert_eq!(kinds, ["group_meeting", "group_meeting", "full_council", "agm", "full_council"]);
    assert_eq!(meetings["items"][0]["status"], "held");
    assert_eq!(meetings["items"][0]["quorate"], true);
    let late = json(app.get("/late-papers", &token).await, StatusCode::OK).await;
    assert_eq!(late["items"][0]["paper_title"], "Community management options");
    let elections = json(app.get("/elections", &token).await, StatusCode::OK).await;
    assert_eq!(elections["items"][0]["candidates"].as_array().expect("candidates").len(), 2);
    let public = app.client.get(app.api("/calendar.ics?group=newham-labour")).send().await.expect("calendar");
    assert_eq!(
        public.text().await.expect("ics").matches("BEGIN:VEVENT").count(),
        3,
        "the two Full Councils and the public open evening only"
    );
}

/// The despatch day of a meeting at 18:30 on Wednesday 6 January 2027 when
/// the deployment keeps `nation`'s bank holidays.
async fn despatch_day_in(nation: caucus_api::domain::Nation) -> String {
    use caucus_api::{domain::WorkingDays, startup::Settings};
    let (store, _dir) = crate::helpers::fresh_store(crate::helpers::Backend::Sqlite).await;
    let settings = Settings { working_days: WorkingDays::shipped(nation), ..Settings::default() };
    let auth = crate::helpers::auth_config(crate::helpers::SECRET);
    let app = crate::helpers::spawn_app_on_with(store, auth, settings).await;
    let created = schedule(&app, "Group meeting", "group_meeting", "2027-01-06T18:30:00Z").await;
    created["despatch_by"].as_str().expect("despatch_by").to_owned()
}

#[tokio::test]
async fn the_clear_days_are_counted_in_the_configured_nations_working_days() {
    use caucus_api::domain::Nation;
    // England and Wales: Tue 29, Wed 30, Thu 31 December, Mon 4 and Tue 5
    // January are the clear days (not Christmas, Boxing Day's substitute on
    // the 28th or New Year's Day).
    assert_eq!(despatch_day_in(Nation::EnglandAndWales).await, "2026-12-28");
    // Scotland also keeps 2 January, a Saturday in 2027, on Monday 4 January:
    // the fifth clear day is Thursday 24 December.
    assert_eq!(despatch_day_in(Nation::Scotland).await, "2026-12-23");
}
