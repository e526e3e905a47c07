//! The meetings calendar (RFC 5545): public meetings without a token, the
//! caller's readable meetings with one; stable UIDs, SEQUENCE from the version,
//! STATUS:CANCELLED for a cancelled meeting.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{GROUP, TestApp, json, problem};
use crate::meetings::{meeting, schedule};
use crate::on_both_stores;

async fn feed(app: &TestApp, query: &str, token: Option<&str>) -> String {
    let mut request = app.client.get(app.api(&format!("/calendar.ics{query}")));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("request");
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()["content-type"].to_str().expect("type").starts_with("text/calendar"));
    let text = response.text().await.expect("body");
    parse_with_python_icalendar(&text);
    text
}

/// When CI provides a Python with the `icalendar` package (`.ci/run` does),
/// the feed must parse with it: a real parser, not ours.
fn parse_with_python_icalendar(feed: &str) {
    let Some(python) = std::env::var_os("CAUCUS_ICALENDAR_PYTHON") else { return };
    let script = "import sys, icalendar\n\
                  cal = icalendar.Calendar.from_ical(sys.stdin.read())\n\
                  print(len(cal.walk('VEVENT')))";
    let mut child = std::process::Command::new(python)
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("run python");
    std::io::Write::write_all(&mut child.stdin.take().expect("stdin"), feed.as_bytes()).expect("write");
    let output = child.wait_with_output().expect("python");
    assert!(output.status.success(), "python icalendar refused the feed:\n{feed}");
    let events: usize = String::from_utf8_lossy(&output.stdout).trim().parse().expect("count");
    assert_eq!(events, feed.matches("BEGIN:VEVENT").count());
}

on_both_stores! {
    async fn the_calendar_shows_public_meetings_without_a_token_and_readable_ones_with_one(app: backend) {
        let token = app.token("assistant");
        let council = json(app.post("/meetings", &token, &meeting("Full Council", "full_council", "2026-03-19T19:00:00Z", "public")).await, StatusCode::CREATED).await;
        let council = council["id"].as_str().expect("id").to_owned();
        schedule(&app, "Group meeting", "group_meeting", "2026-03-11T18:30:00Z").await;

        let public = feed(&app, &format!("?group={GROUP}"), None).await;
        assert!(public.contains("BEGIN:VCALENDAR"), "{public}");
        assert_eq!(public.matches("BEGIN:VEVENT").count(), 1, "{public}");
        assert!(public.contains(&format!("UID:{council}@caucus")), "{public}");
        assert!(public.contains("SUMMARY:Full Council"), "{public}");
        assert!(public.contains("DTSTART:20260319T190000Z"), "{public}");
        assert!(public.contains("SEQUENCE:1"), "{public}");
        assert!(public.contains("STATUS:TENTATIVE"), "{public}");

        let councillor = feed(&app, "", Some(&app.token("councillor"))).await;
        assert_eq!(councillor.matches("BEGIN:VEVENT").count(), 2, "{councillor}");
        let subscribed = feed(&app, &format!("?token={}", app.token("councillor")), None).await;
        assert_eq!(subscribed.matches("BEGIN:VEVENT").count(), 2, "{subscribed}");

        json(app.post(&format!("/meetings/{council}/cancellation"), &token, &json!({"reason": "Moved to May"})).await, StatusCode::OK).await;
        let cancelled = feed(&app, &format!("?group={GROUP}"), None).await;
        assert!(cancelled.contains(&format!("UID:{council}@caucus")), "the UID stays: {cancelled}");
        assert!(cancelled.contains("SEQUENCE:2"), "{cancelled}");
        assert!(cancelled.contains("STATUS:CANCELLED"), "{cancelled}");
    }

    async fn a_calendar_request_with_neither_group_nor_valid_token_is_refused(app: backend) {
        let response = app.client.get(app.api("/calendar.ics")).send().await.expect("request");
        problem(response, StatusCode::UNAUTHORIZED).await;
        let response = app.client.get(app.api("/calendar.ics?token=not-a-token")).send().await.expect("request");
        problem(response, StatusCode::UNAUTHORIZED).await;
        let rival = feed(&app, "?group=newham-conservatives", None).await;
        assert_eq!(rival.matches("BEGIN:VEVENT").count(), 0);
    }

    async fn group_events_are_in_the_feed_for_their_readers_and_each_has_its_own_invitation(app: backend) {
        let mut social = crate::group_events::seminar("Summer social", None);
        social["kind"] = json!("social");
        social["classification"] = json!("public");
        let social = crate::group_events::plan(&app, &social).await;
        let seminar = crate::group_events::plan(&app, &crate::group_events::seminar("Housing seminar", Some(30))).await;

        let public = feed(&app, &format!("?group={GROUP}"), None).await;
        assert!(public.contains(&format!("UID:{social}@caucus")) && public.contains("SUMMARY:Summer social"), "{public}");
        assert!(!public.contains("Housing seminar"), "a group event is not public: {public}");
        let members = feed(&app, "", Some(&app.token("councillor"))).await;
        assert!(members.contains(&format!("UID:{seminar}@caucus")) && members.contains("LOCATION:Committee Room 1"), "{members}");

        let response = app.get(&format!("/group-events/{seminar}/invitation.ics"), &app.token("councillor")).await;
        assert_eq!(response.status(), StatusCode::OK);
        let invitation = response.text().await.expect("body");
        parse_with_python_icalendar(&invitation);
        assert_eq!(invitation.matches("BEGIN:VEVENT").count(), 1, "{invitation}");
        assert!(invitation.contains("DESCRIPTION:Council housing"), "{invitation}");
        assert!(invitation.contains("DTSTART:20301014T180000Z"), "{invitation}");
        let rival = app.get(&format!("/group-events/{seminar}/invitation.ics"), &app.token_for(crate::helpers::RIVAL_GROUP, "councillor")).await;
        problem(rival, StatusCode::NOT_FOUND).await;
    }
}
