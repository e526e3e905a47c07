//! Motions and questions over HTTP: drafted, revised, submitted against the
//! council's deadline, tabled, whipped and decided with the council's counts
//! and the members' votes; other groups' motions; the whip report; and
//! briefing and speaking notes with their versions.

use chrono::{Duration, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, json, problem};
use crate::meetings::{add_item, add_member, schedule};
use crate::on_both_stores;

/// A Full Council meeting `days` from now, as the assistant; returns its id.
pub async fn council_meeting(app: &TestApp, days: i64) -> String {
    let starts_at = (Utc::now() + Duration::days(days)).format("%Y-%m-%dT19:00:00Z").to_string();
    schedule(app, "Full Council", "full_council", &starts_at).await["id"].as_str().expect("id").to_owned()
}

/// The group's own motion, moved by `proposer`.
pub fn own_motion(meeting: &str, proposer: &str, title: &str) -> Value {
    json!({
        "kind": "motion",
        "title": title,
        "text": "This council resolves to keep every library in the borough open.",
        "origin": {"proposer_id": proposer},
        "meeting_id": meeting,
        "classification": "group"
    })
}

/// Records a motion as the assistant and returns it.
pub async fn record(app: &TestApp, body: &Value) -> Value {
    json(app.post("/motions", &app.token("assistant"), body).await, StatusCode::CREATED).await
}

fn id(value: &Value) -> String {
    value["id"].as_str().expect("id").to_owned()
}

async fn put(app: &TestApp, path: &str, token: &str, body: &Value) -> reqwest::Response {
    app.client.put(app.api(path)).bearer_auth(token).json(body).send().await.expect("request")
}

on_both_stores! {
    async fn the_groups_motion_goes_from_draft_to_a_recorded_vote(app: backend) {
        let token = app.token("assistant");
        let meeting = council_meeting(&app, 60).await;
        let proposer = add_member(&app, "Cllr Amina Patel").await;
        let seconder = add_member(&app, "Cllr Tom Reid").await;
        let rebel = add_member(&app, "Cllr Sam Cole").await;
        let absent = add_member(&app, "Cllr Jo Park").await;
        let mut body = own_motion(&meeting, &proposer, "Save our libraries");
        body["origin"]["seconder_id"] = json!(seconder);
        let motion = record(&app, &body).await;
        assert_eq!(motion["status"], "drafted");
        assert_eq!(motion["origin"]["seconder_id"], seconder.as_str());
        let motion_id = id(&motion);

        let revised = json(
            app.post(
                &format!("/motions/{motion_id}/revisions"),
                &token,
                &json!({"title": "Save our libraries", "text": "This council resolves to keep all ten libraries open.", "reason": "Legal advice"}),
            )
            .await,
            StatusCode::OK,
        )
        .await;
        assert_eq!(revised["earlier_texts"][0]["text"], "This council resolves to keep every library in the borough open.");
        assert_eq!(revised["earlier_texts"][0]["replaced_because"], "Legal advice");

        let submitted =
            json(app.post(&format!("/motions/{motion_id}/submission"), &token, &json!({})).await, StatusCode::OK).await;
        assert_eq!(submitted["status"], "submitted");
        assert!(submitted["deadline"].as_str().expect("deadline") > submitted["submitted_at"].as_str().expect("at"));
        // The meeting said beforehand the deadline the submission was held to;
        // the group's own meetings take no motions, and say none.
        let council = json(app.get(&format!("/meetings/{meeting}"), &token).await, StatusCode::OK).await;
        assert_eq!(council["motions_due_by"], submitted["deadline"]);
        let starts_at = (Utc::now() + Duration::days(30)).format("%Y-%m-%dT19:00:00Z").to_string();
        let group_meeting = schedule(&app, "Group meeting", "group_meeting", &starts_at).await;
        assert_eq!(group_meeting["motions_due_by"], Value::Null, "{group_meeting}");
        // Once submitted, the text is the council's.
        let late_edit = app
            .post(&format!("/motions/{motion_id}/revisions"), &token, &json!({"title": "T", "text": "Another text."}))
            .await;
        problem(late_edit, StatusCode::CONFLICT).await;

        json(app.post(&format!("/motions/{motion_id}/tabling"), &token, &json!({})).await, StatusCode::OK).await;
        json(put(&app, &format!("/motions/{motion_id}/whip"), &token, &json!({"position": "against"})).await, StatusCode::OK)
            .await;
        let whipped = json(
            put(&app, &format!("/motions/{motion_id}/whip"), &token, &json!({"position": "for", "note": "Speak to the ten branches"}))
                .await,
            StatusCode::OK,
        )
        .await;
        assert_eq!(whipped["whip"]["position"], "for");
        assert_eq!(whipped["earlier_whips"][0]["position"], "against");

        let outcome = json!({
            "outcome": "carried",
            "counts": {"yes": 40, "no": 12, "abstain": 3, "absent": 5},
            "votes": [
                {"member_id": proposer, "option": "yes"},
                {"member_id": seconder, "option": "yes"},
                {"member_id": rebel, "option": "no"},
                {"member_id": absent, "option": "absent"}
            ]
        });
        let decided =
            json(app.post(&format!("/motions/{motion_id}/outcome"), &token, &outcome).await, StatusCode::OK).await;
        assert_eq!(decided["status"], "carried");
        assert_eq!(decided["counts"]["yes"], 40);
        assert_eq!(decided["departures_from_whip"], json!([{"member_id": rebel, "option": "no"}]));
        // The outcome stands.
        let again = app.post(&format!("/motions/{motion_id}/outcome"), &token, &json!({"outcome": "lost"})).await;
        problem(again, StatusCode::CONFLICT).await;

        let report = json(app.get("/motions/whip-report", &app.token("leader")).await, StatusCode::OK).await;
        assert_eq!(report["motions"][0]["title"], "Save our libraries");
        assert_eq!(report["motions"][0]["whip"], "for");
        assert_eq!(report["motions"][0]["departures"], json!([{"member_id": rebel, "name": "Cllr Sam Cole", "voted": "no"}]));
        assert_eq!(report["motions"][0]["absent"], json!([{"member_id": absent, "name": "Cllr Jo Park"}]));
        assert_eq!(report["members"][0], json!({"member_id": rebel, "name": "Cllr Sam Cole", "departures": 1, "absences": 0}));
        let before = json(app.get("/motions/whip-report?to=2020-01-01", &app.token("leader")).await, StatusCode::OK).await;
        assert_eq!(before["motions"], json!([]));
        let day = council["starts_at"].as_str().expect("starts_at")[..10].to_owned();
        let that_day = json(app.get(&format!("/motions/whip-report?from={day}&to={day}"), &app.token("leader")).await, StatusCode::OK).await;
        assert_eq!(that_day["motions"][0]["title"], "Save our libraries", "the period's meetings' motions: {that_day}");
        assert_eq!(that_day["members"], report["members"]);
        let backwards = problem(app.get("/motions/whip-report?from=2026-02-01&to=2026-01-01", &app.token("leader")).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(backwards["errors"][0]["pointer"], "/to");
        problem(app.get("/motions/whip-report", &app.token("councillor")).await, StatusCode::FORBIDDEN).await;

        let for_meeting =
            json(app.get(&format!("/motions?meeting_id={meeting}&status=carried"), &token).await, StatusCode::OK).await;
        assert_eq!(for_meeting["items"].as_array().map(Vec::len), Some(1));
        let by_other = json(app.get(&format!("/motions?proposer_id={rebel}"), &token).await, StatusCode::OK).await;
        assert_eq!(by_other["items"], json!([]));

        // A member's recorded vote is part of what the group holds about them.
        let held = json(app.get(&format!("/members/{rebel}/subject-access"), &app.token("auditor")).await, StatusCode::OK).await;
        let motions: Vec<&Value> =
            held["referring_records"].as_array().expect("records").iter().filter(|r| r["record_type"] == "Motion").collect();
        assert_eq!(motions.len(), 1, "{held}");
        assert_eq!(motions[0]["record_id"], motion_id.as_str());
    }

    async fn a_submission_after_the_councils_deadline_is_409_naming_it(app: backend) {
        let meeting = council_meeting(&app, 2).await;
        let proposer = add_member(&app, "Cllr Amina Patel").await;
        let motion = id(&record(&app, &own_motion(&meeting, &proposer, "Late motion")).await);
        let late = app.post(&format!("/motions/{motion}/submission"), &app.token("assistant"), &json!({})).await;
        let problem = problem(late, StatusCode::CONFLICT).await;
        assert!(problem["detail"].as_str().expect("detail").contains("deadline"), "{problem}");
        let still = json(app.get(&format!("/motions/{motion}"), &app.token("assistant")).await, StatusCode::OK).await;
        assert_eq!(still["status"], "drafted");
    }

    async fn another_groups_motion_arrives_tabled_and_questions_are_answered(app: backend) {
        let token = app.token("assistant");
        let meeting = council_meeting(&app, 30).await;
        let theirs = record(&app, &json!({
            "kind": "motion",
            "title": "Scrap the low traffic neighbourhood",
            "text": "This council resolves to remove the scheme.",
            "origin": {"mover": "Cllr Jane Doe (Conservative)"},
            "meeting_id": meeting,
            "classification": "public"
        }))
        .await;
        assert_eq!(theirs["status"], "tabled");
        assert_eq!(theirs["origin"]["mover"], "Cllr Jane Doe (Conservative)");
        let submit = app.post(&format!("/motions/{}/submission", id(&theirs)), &token, &json!({})).await;
        problem(submit, StatusCode::CONFLICT).await;

        let asker = add_member(&app, "Cllr Amina Patel").await;
        let question = record(&app, &json!({
            "kind": "question",
            "title": "Library opening hours",
            "text": "Will the Cabinet Member restore Saturday opening?",
            "origin": {"proposer_id": asker},
            "meeting_id": meeting,
            "directed_to": "Cabinet Member for Culture",
            "classification": "group"
        }))
        .await;
        let question_id = id(&question);
        json(app.post(&format!("/motions/{question_id}/submission"), &token, &json!({})).await, StatusCode::OK).await;
        let carried = app.post(&format!("/motions/{question_id}/outcome"), &token, &json!({"outcome": "carried"})).await;
        let carried = problem(carried, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(carried["errors"][0]["pointer"], "/outcome", "{carried}");
        let whip = put(&app, &format!("/motions/{question_id}/whip"), &token, &json!({"position": "for"})).await;
        problem(whip, StatusCode::UNPROCESSABLE_ENTITY).await;
        let answered = json(
            app.post(&format!("/motions/{question_id}/outcome"), &token, &json!({"outcome": "answered", "answer": "Yes, from April."}))
                .await,
            StatusCode::OK,
        )
        .await;
        assert_eq!(answered["status"], "answered");
        assert_eq!(answered["answer"], "Yes, from April.");
    }

    async fn impossible_motions_and_votes_are_422_naming_the_field(app: backend) {
        let token = app.token("assistant");
        let meeting = council_meeting(&app, 30).await;
        let member = add_member(&app, "Cllr Amina Patel").await;
        let group_meeting =
            schedule(&app, "Group meeting", "group_meeting", "2026-12-01T18:30:00Z").await["id"].as_str().expect("id").to_owned();
        let wrong_meeting = app.post("/motions", &token, &own_motion(&group_meeting, &member, "Wrong meeting")).await;
        let wrong_meeting = problem(wrong_meeting, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(wrong_meeting["errors"][0]["pointer"], "/meeting_id");
        let mut both = own_motion(&meeting, &member, "Both origins");
        both["origin"]["mover"] = json!("Cllr Jane Doe");
        let both = problem(app.post("/motions", &token, &both).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(both["errors"][0]["pointer"], "/origin");

        let theirs = record(&app, &json!({
            "kind": "motion", "title": "Their motion", "text": "Text.", "origin": {"mover": "Cllr Jane Doe"},
            "meeting_id": meeting, "classification": "group"
        }))
        .await;
        let path = format!("/motions/{}/outcome", id(&theirs));
        let outnumbered = json!({"outcome": "lost", "counts": {"yes": 1, "no": 50, "abstain": 0, "absent": 0},
            "votes": [{"member_id": member, "option": "abstain"}]});
        let outnumbered = problem(app.post(&path, &token, &outnumbered).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(outnumbered["errors"][0]["pointer"], "/votes", "{outnumbered}");
        let stranger = json!({"outcome": "lost", "votes": [{"member_id": uuid::Uuid::new_v4(), "option": "no"}]});
        let stranger = problem(app.post(&path, &token, &stranger).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(stranger["errors"][0]["pointer"], "/votes/0/member_id");
        let amended = problem(app.post(&path, &token, &json!({"outcome": "amended"})).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(amended["errors"][0]["pointer"], "/amended_text");
        let withdrawn_with_counts = json!({"outcome": "withdrawn", "counts": {"yes": 1, "no": 1, "abstain": 0, "absent": 0}});
        problem(app.post(&path, &token, &withdrawn_with_counts).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    }

    async fn councillors_bring_and_revise_only_their_own_motions(app: backend) {
        let meeting = council_meeting(&app, 30).await;
        let member = add_member(&app, "Cllr Amina Patel").await;
        let other = add_member(&app, "Cllr Tom Reid").await;
        let councillor = app.token_as(&member, "councillor");
        let for_other = app.post("/motions", &councillor, &own_motion(&meeting, &other, "Not mine")).await;
        problem(for_other, StatusCode::FORBIDDEN).await;
        let mine = json(app.post("/motions", &councillor, &own_motion(&meeting, &member, "Mine")).await, StatusCode::CREATED).await;
        let revise = json!({"title": "Mine", "text": "A better text."});
        json(app.post(&format!("/motions/{}/revisions", id(&mine)), &councillor, &revise).await, StatusCode::OK).await;
        let others = record(&app, &own_motion(&meeting, &other, "Tom's")).await;
        let revise_other = app.post(&format!("/motions/{}/revisions", id(&others)), &councillor, &revise).await;
        problem(revise_other, StatusCode::FORBIDDEN).await;
        // Submission is the office's.
        let submit = app.post(&format!("/motions/{}/submission", id(&mine)), &councillor, &json!({})).await;
        problem(submit, StatusCode::FORBIDDEN).await;
    }

    async fn briefing_notes_keep_every_version_and_are_found_by_what_they_are_about(app: backend) {
        let token = app.token("assistant");
        let meeting = council_meeting(&app, 30).await;
        let item = add_item(&app, &meeting, "Library strategy", "group").await;
        let speaker = add_member(&app, "Cllr Amina Patel").await;
        let note = json!({
            "kind": "speaking_note",
            "subject": {"meeting_id": meeting, "item_id": item},
            "for_member_id": speaker,
            "title": "Library strategy: opening speech",
            "body": "Thank you, Mr Mayor. **Ten libraries**, open six days a week.",
            "classification": "group"
        });
        let written = json(app.post("/briefings", &token, &note).await, StatusCode::CREATED).await;
        assert_eq!(written["current"]["number"], 1);
        let note_id = id(&written);
        for (n, body) in ["Thank you, Madam Mayor.", "Thank you, Madam Mayor. Ten libraries."].iter().enumerate() {
            let revised = json(
                app.post(&format!("/briefings/{note_id}/versions"), &token, &json!({"title": "Library strategy: opening speech", "body": body, "reason": format!("Draft {}", n + 2)}))
                    .await,
                StatusCode::OK,
            )
            .await;
            assert_eq!(revised["current"]["number"], n + 2);
        }
        let read = json(app.get(&format!("/briefings/{note_id}"), &token).await, StatusCode::OK).await;
        let numbers: Vec<u64> = read["earlier_versions"].as_array().expect("versions").iter().map(|v| v["number"].as_u64().expect("n")).collect();
        assert_eq!(numbers, vec![1, 2]);
        assert_eq!(read["earlier_versions"][0]["body"], "Thank you, Mr Mayor. **Ten libraries**, open six days a week.");

        let motion = record(&app, &own_motion(&meeting, &speaker, "Save our libraries")).await;
        let on_motion = json!({"kind": "briefing", "subject": {"motion_id": id(&motion)}, "title": "Background",
            "body": "Visits are up 12%.", "classification": "officers"});
        json(app.post("/briefings", &token, &on_motion).await, StatusCode::CREATED).await;

        let about_meeting = json(app.get(&format!("/briefings?about={meeting}"), &token).await, StatusCode::OK).await;
        assert_eq!(about_meeting["items"].as_array().map(Vec::len), Some(1));
        let about_motion = json(app.get(&format!("/briefings?about={}", id(&motion)), &token).await, StatusCode::OK).await;
        assert_eq!(about_motion["items"][0]["current"]["title"], "Background");
        // Councillors do not see notes for officers.
        let councillor = app.token_as(&speaker, "councillor");
        let seen = json(app.get(&format!("/briefings?about={}", id(&motion)), &councillor).await, StatusCode::OK).await;
        assert_eq!(seen["items"], json!([]));
        let for_speaker = json(app.get(&format!("/briefings?for_member_id={speaker}"), &councillor).await, StatusCode::OK).await;
        assert_eq!(for_speaker["items"][0]["id"], note_id.as_str());

        let mut nowhere = note.clone();
        nowhere["subject"]["item_id"] = json!(uuid::Uuid::new_v4());
        let nowhere = problem(app.post("/briefings", &token, &nowhere).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(nowhere["errors"][0]["pointer"], "/subject/item_id");
        let two = json!({"kind": "briefing", "subject": {"motion_id": id(&motion), "forward_plan_item_id": id(&motion)},
            "title": "T", "body": "B", "classification": "group"});
        let two = problem(app.post("/briefings", &token, &two).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(two["errors"][0]["pointer"], "/subject");

        json(app.post(&format!("/briefings/{note_id}/withdrawal"), &token, &json!({"reason": "Item deferred"})).await, StatusCode::OK).await;
        let after = app.post(&format!("/briefings/{note_id}/versions"), &token, &json!({"title": "T", "body": "B"})).await;
        problem(after, StatusCode::CONFLICT).await;
    }
}

#[tokio::test]
async fn the_sample_group_has_a_forward_plan_motions_a_whip_report_and_notes() {
    let app = crate::helpers::spawn_sample_app().await;
    let token = app.token_for(caucus_api::sample::GROUP, "assistant");
    let plan = json(app.get("/forward-plan-items", &token).await, StatusCode::OK).await;
    let plan = plan["items"].as_array().expect("items");
    assert_eq!(plan.len(), 3);
    assert_eq!(plan.iter().filter(|i| i["status"] == "position_agreed").count(), 1);

    let motions = json(app.get("/motions", &token).await, StatusCode::OK).await;
    let statuses: Vec<&str> = motions["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|m| m["status"].as_str().expect("status"))
        .collect();
    assert_eq!(statuses, ["carried", "tabled", "tabled", "submitted"]);

    let report = json(app.get("/motions/whip-report", &token).await, StatusCode::OK).await;
    assert_eq!(report["motions"].as_array().map(Vec::len), Some(1));
    assert_eq!(report["motions"][0]["departures"][0]["name"], "Tunde Adeyemi");
    assert_eq!(report["members"][0]["departures"], 1);

    let notes = json(app.get("/briefings", &token).await, StatusCode::OK).await;
    assert_eq!(notes["items"].as_array().map(Vec::len), Some(2));
    assert_eq!(notes["items"][0]["current"]["number"], 2);
    let councillor = app.token_for(caucus_api::sample::GROUP, "councillor");
    let seen = json(app.get("/briefings", &councillor).await, StatusCode::OK).await;
    assert_eq!(
        seen["items"].as_array().map(Vec::len),
        Some(1),
        "the officers' briefing is not theirs to read"
    );
}
