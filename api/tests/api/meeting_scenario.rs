//! The scenario, end to end: a group meeting is scheduled and its
//! agenda built; papers despatched, one late; attendance taken; two decisions
//! and three actions recorded from items; the minutes approved at the next
//! meeting, whose report-back item lists them; an AGM election fills the Chief
//! Whip post.

use reqwest::StatusCode;
use serde_json::json;

use crate::elections::{establish_post, nominate, open};
use crate::helpers::json;
use crate::meetings::{add_item, add_member, schedule};
use crate::on_both_stores;

on_both_stores! {
    async fn a_group_meetings_business_flows_into_the_next_and_the_agm_fills_the_chief_whip_post(app: backend) {
        let token = app.token("assistant");
        let members = [
            add_member(&app, "Cllr Amina Hussain").await,
            add_member(&app, "Cllr Ben Carter").await,
            add_member(&app, "Cllr Chloe Okafor").await,
            add_member(&app, "Cllr Dev Patel").await,
        ];

        // Scheduled, confirmed, and its agenda built.
        let march = schedule(&app, "Group meeting", "group_meeting", "2026-03-11T18:30:00Z").await;
        let march = march["id"].as_str().expect("id").to_owned();
        json(app.post(&format!("/meetings/{march}/confirmation"), &token, &json!({})).await, StatusCode::OK).await;
        let library = add_item(&app, &march, "Canning Town library", "group").await;
        let budget = add_item(&app, &march, "Budget 2027/28", "group").await;

        // Papers despatched: one on time, one late.
        let paper = |item: &str, title: &str| json!({"item_id": item, "title": title, "link": "https://docs.example/p.pdf", "classification": "group"});
        json(app.post(&format!("/meetings/{march}/papers"), &token, &paper(&library, "Library options")).await, StatusCode::OK).await;
        let on_time = json!({"at": "2026-03-02T09:00:00Z", "to": ["All group members"]});
        json(app.post(&format!("/meetings/{march}/despatches"), &token, &on_time).await, StatusCode::OK).await;
        json(app.post(&format!("/meetings/{march}/papers"), &token, &paper(&budget, "Budget briefing")).await, StatusCode::OK).await;
        let late = json!({"at": "2026-03-10T09:00:00Z", "to": ["All group members"]});
        let despatched = json(app.post(&format!("/meetings/{march}/despatches"), &token, &late).await, StatusCode::OK).await;
        assert_eq!(despatched["items"][0]["papers"][0]["late"], false);
        assert_eq!(despatched["items"][1]["papers"][0]["late"], true);
        let late_papers = json(app.get("/late-papers", &token).await, StatusCode::OK).await;
        assert_eq!(late_papers["items"][0]["paper_title"], "Budget briefing");

        // Attendance taken: quorum 2, three present.
        let attendance = json!({"entries": [
            {"member_id": members[0], "attendance": "present"},
            {"member_id": members[1], "attendance": "present"},
            {"member_id": members[2], "attendance": "present"},
            {"member_id": members[3], "attendance": "apologies"}
        ]});
        let taken = json(app.post(&format!("/meetings/{march}/attendance"), &token, &attendance).await, StatusCode::OK).await;
        assert_eq!(taken["quorate"], true);
        json(app.post(&format!("/meetings/{march}/held"), &token, &json!({})).await, StatusCode::OK).await;

        // Two decisions and three actions recorded from the items.
        let decide = |item: &str, title: &str| json!({"item_id": item, "title": title, "text": "Agreed by the group.", "classification": "group"});
        let oppose = json(app.post(&format!("/meetings/{march}/decisions"), &token, &decide(&library, "Oppose the library closure")).await, StatusCode::CREATED).await;
        let youth = json(app.post(&format!("/meetings/{march}/decisions"), &token, &decide(&budget, "Protect youth services funding")).await, StatusCode::CREATED).await;
        let act = |item: &str, title: &str, owner: &str, due: &str| json!({"item_id": item, "action": {
            "title": title, "owner_id": owner, "due_on": due, "classification": "group"
        }});
        let letter = json(app.post(&format!("/meetings/{march}/actions"), &token, &act(&library, "Write to the Cabinet Member", &members[0], "2026-03-25")).await, StatusCode::CREATED).await;
        let hall = json(app.post(&format!("/meetings/{march}/actions"), &token, &act(&library, "Book the public meeting hall", &members[1], "2026-03-20")).await, StatusCode::CREATED).await;
        json(app.post(&format!("/meetings/{march}/actions"), &token, &act(&budget, "Draft the budget amendment", &members[2], "2026-04-15")).await, StatusCode::CREATED).await;
        let hall_id = hall["id"].as_str().expect("id");
        json(app.post(&format!("/actions/{hall_id}/completion"), &token, &json!({"on": "2026-03-18"})).await, StatusCode::OK).await;
        let seen = json(app.get(&format!("/meetings/{march}"), &app.token("councillor")).await, StatusCode::OK).await;
        assert_eq!(seen["items"][0]["links"].as_array().expect("links").len(), 3, "a decision and two actions");
        assert_eq!(seen["items"][1]["links"].as_array().expect("links").len(), 2, "a decision and an action");
        assert_eq!(letter["meeting_item"]["meeting_id"], march.as_str());

        // Minutes written, then approved at the next meeting under its report-back item.
        for (item, text) in [(&library, "Agreed to oppose the closure."), (&budget, "Agreed to protect youth services.")] {
            let minutes = json!({"item_id": item, "text": text});
            json(app.post(&format!("/meetings/{march}/minutes"), &token, &minutes).await, StatusCode::OK).await;
        }
        let april = schedule(&app, "Group meeting", "group_meeting", "2026-04-08T18:30:00Z").await;
        let april = april["id"].as_str().expect("id").to_owned();
        let with_report = json(app.post(&format!("/meetings/{april}/report-back-items"), &token, &json!({})).await, StatusCode::OK).await;
        let report = &with_report["items"][0];
        let markdown = report["description"].as_str().expect("markdown");
        for listed in ["Oppose the library closure", "Protect youth services funding", "Write to the Cabinet Member", "Book the public meeting hall", "Draft the budget amendment"] {
            assert!(markdown.contains(listed), "the report back lists {listed}: {markdown}");
        }
        assert_eq!(report["links"], json!([{"kind": "decision", "id": oppose["id"]}, {"kind": "decision", "id": youth["id"]}]));
        let approval = json!({"meeting_id": april, "item_id": report["id"], "on": "2026-04-08"});
        let approved = json(app.post(&format!("/meetings/{march}/minutes-approval"), &token, &approval).await, StatusCode::OK).await;
        assert_eq!(approved["minutes_approved"]["item_id"], report["id"]);
        let redraft = json!({"item_id": library, "text": "Changed afterwards."});
        assert_eq!(app.post(&format!("/meetings/{march}/minutes"), &token, &redraft).await.status(), StatusCode::CONFLICT);

        // The AGM elects a Chief Whip, who is appointed to the post.
        let agm = schedule(&app, "Annual General Meeting", "agm", "2026-05-12T18:30:00Z").await;
        let agm = agm["id"].as_str().expect("id").to_owned();
        let chief_whip = establish_post(&app, "Chief Whip").await;
        let election = open(&app, &chief_whip, Some(&agm)).await;
        nominate(&app, &election, &members[3]).await;
        let declared = json(app.post(&format!("/elections/{election}/result"), &token, &json!({"on": "2026-05-12"})).await, StatusCode::OK).await;
        assert_eq!(declared["meeting_id"], agm.as_str());
        let holders = json(app.get(&format!("/bodies/{chief_whip}/holders"), &app.token("councillor")).await, StatusCode::OK).await;
        assert!(holders.to_string().contains(members[3].as_str()), "{holders}");
    }
}
