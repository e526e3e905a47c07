//! Group events: the list shows the sample's events, what is coming up
//! first; the assistant plans one through the form (a refused one explained
//! at its field) and keeps a register; the assistant withdraws a member,
//! whose place goes to the first waiting; a councillor takes up the place
//! offered to them, registers for an event with room, joins the waiting
//! list of a full one, and is offered none of the office's forms.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::actions::{fields_of, form, html, select, send, with};
use crate::support::*;

const ASSISTANT: (&str, &str) = ("demo-assistant", "assistant");

async fn events(app: &Running) -> Vec<Value> {
    let all = app.api_get(ASSISTANT.0, ASSISTANT.1, "/group-events?limit=200").await;
    all["items"].as_array().expect("items").clone()
}

/// The id of the sample's event titled `title`.
async fn event_titled(app: &Running, title: &str) -> String {
    let found = events(app).await.into_iter().find(|e| e["title"] == title).expect("the event");
    found["id"].as_str().expect("id").to_owned()
}

async fn event(app: &Running, id: &str) -> Value {
    app.api_get(ASSISTANT.0, ASSISTANT.1, &format!("/group-events/{id}")).await
}

/// An event for all members a fortnight ahead, planned through the api,
/// taking `capacity`; its id.
async fn planned(app: &Running, title: &str, capacity: u32) -> String {
    planned_for(app, title, capacity, &[]).await
}

/// As [`planned`], for the `members` named (all members if none).
async fn planned_for(app: &Running, title: &str, capacity: u32, members: &[&str]) -> String {
    let starts = chrono::Utc::now() + chrono::Duration::days(14);
    let invited = if members.is_empty() { "all_members" } else { "members" };
    let body = json!({
        "kind": "social", "title": title, "starts_at": starts.to_rfc3339(),
        "place": "The Bridge House, Canning Town", "capacity": capacity,
        "invited": invited, "invited_ids": members, "classification": "group",
    });
    let (status, made) = app.api_send(ASSISTANT, Method::POST, "/group-events", &body, None).await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    made["id"].as_str().expect("id").to_owned()
}

/// Presses the button of the form posting to `action` on `path`.
async fn press(app: &Running, path: &str, action: &str) -> reqwest::Response {
    let page = app.page(path).await;
    send(app, action, &fields_of(&form(&page, action))).await
}

#[tokio::test]
async fn the_list_shows_the_samples_events_coming_up_first() {
    let app = start().await;
    app.sign_in_as("councillor").await;
    let list = app.page("/group-events").await;
    let nav = select(&list, ".govuk-service-navigation a[href='/group-events']");
    assert_eq!(nav.len(), 1, "one entry in the navigation");
    let mut shown: Vec<String> = select(&list, "table a[href^='/group-events/']")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .map(|h| h.trim_start_matches("/group-events/").to_owned())
        .collect();
    let mut held: Vec<String> =
        events(&app).await.iter().map(|e| e["id"].as_str().expect("id").to_owned()).collect();
    shown.sort_unstable();
    held.sort_unstable();
    assert_eq!(shown, held, "every event the api holds");
    let coming = text_list(&list, "table:first-of-type tbody tr");
    assert!(coming[0].contains("Housing and regeneration"), "the soonest first: {coming:?}");
    assert!(
        coming[0].contains("Seminar") && coming[0].contains("10 of 10 places taken, 1 waiting"),
        "{coming:?}"
    );
    let text = text_of(&list, "main");
    assert!(text.contains("London Housing Conference") && text.contains("Held"), "{text}");
    assert!(text.contains("Planning training") && text.contains("Online"), "{text}");
    assert!(select(&list, "a[href='/group-events/new']").is_empty(), "a councillor plans nothing");

    // Filtered by kind without JavaScript.
    let training = app.page("/group-events?kind=training").await;
    let rows = text_list(&training, "tbody tr");
    assert!(!rows.is_empty() && rows.iter().all(|r| r.contains("Training session")), "{rows:?}");
    assert!(
        text_of(&training, "main").contains("events: training session."),
        "{}",
        text_of(&training, "main")
    );
}

#[tokio::test]
async fn the_assistant_plans_an_event_through_the_form() {
    let app = start().await;
    app.sign_in_as("assistant").await;
    let list = app.page("/group-events").await;
    assert!(!select(&list, "a[href='/group-events/new']").is_empty());
    let page = app.page("/group-events/new").await;
    let fields = fields_of(&form(&page, "/group-events"));
    let fields = with(fields, "kind", "away_day");
    let fields = with(fields, "description", "The year ahead: the budget and the manifesto.");
    let fields = with(with(with(fields, "starts-day", "14"), "starts-month", "7"), "starts-year", "2027");
    let fields = with(with(fields, "starts-time", "9:30am"), "ends-time", "4pm");
    let fields = with(fields, "place", "Stratford Circus, Theatre Square");
    let fields = with(fields, "capacity", "30");
    let fields = with(with(fields, "host", "Co-operative Party"), "value", "45.50");
    let courses = app.api_get(ASSISTANT.0, ASSISTANT.1, "/courses?limit=200").await;
    let course = courses["items"][4]["id"].as_str().expect("a course").to_owned();
    let mut fields = fields;
    fields.push(("course".to_owned(), course.clone()));

    // Without a title the api refuses it: said at the field, the rest kept.
    let refused = send(&app, "/group-events", &fields).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = html(refused).await;
    assert!(
        !select(&refused, ".govuk-error-summary a[href='#title']").is_empty(),
        "{}",
        text_of(&refused, "main")
    );
    assert!(!select(&refused, "#title-error").is_empty());
    let kept = fields_of(&form(&refused, "/group-events"));
    assert!(kept.contains(&("value".to_owned(), "45.50".to_owned())), "what was typed is kept");
    assert!(kept.contains(&("course".to_owned(), course.clone())), "and what was ticked");

    // A value per head that is not money: said before the api is asked.
    let fields = with(kept, "title", "Group away day");
    let refused = send(&app, "/group-events", &with(fields.clone(), "value", "lots")).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = html(refused).await;
    assert!(!select(&refused, ".govuk-error-summary a[href='#host-value']").is_empty());

    let sent = send(&app, "/group-events", &fields).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER, "{}", sent.text().await.unwrap_or_default());
    let location = sent.headers()["location"].to_str().expect("location").to_owned();
    let id = location.trim_start_matches("/group-events/").trim_end_matches("?done=planned").to_owned();
    let made = event(&app, &id).await;
    assert_eq!(made["title"], "Group away day", "{made}");
    assert_eq!(made["kind"], "away_day");
    // 9:30am in London in July is 8:30 UTC (British Summer Time).
    assert_eq!(made["starts_at"], "2027-07-14T08:30:00Z");
    assert_eq!(made["ends_at"], "2027-07-14T15:00:00Z");
    assert_eq!(made["capacity"], 30);
    assert_eq!(made["host"]["value_per_head_pence"], 4550, "pounds as pence, exactly");
    assert_eq!(made["course_ids"], json!([course]));
    assert_eq!(made["invited"], "all_members");
    let shown = app.page(&location).await;
    assert!(text_of(&shown, ".govuk-notification-banner").contains("The event was planned"));
    let text = text_of(&shown, "main");
    assert!(text.contains("Co-operative Party, hospitality worth £45.50 a head"), "{text}");
    assert!(text.contains("Wednesday 14 July 2027 at 9:30am to 4pm"), "{text}");
    assert!(text.contains("Chairing meetings"), "the course by name: {text}");
    assert!(!select(&shown, &format!("a[href='/group-events/{id}/invitation.ics']")).is_empty());
    let ics = app.get(&format!("/group-events/{id}/invitation.ics")).await;
    assert_eq!(ics.status(), StatusCode::OK);
    assert!(ics.text().await.expect("body").contains("BEGIN:VCALENDAR"));
}

#[tokio::test]
async fn a_councillor_takes_up_the_offered_place_and_registers_or_waits() {
    let app = start().await;
    let leader = app.sign_in_as("leader").await;
    let me = app.sign_in_as("councillor").await;
    let seminar = event_titled(&app, "Housing and regeneration: the group's priorities").await;

    // My work takes them to the place offered.
    let home = app.page("/").await;
    assert!(
        !select(&home, &format!("a[href='/group-events/{seminar}']")).is_empty(),
        "{}",
        text_of(&home, "main")
    );
    let path = format!("/group-events/{seminar}");
    let page = app.page(&path).await;
    assert!(text_of(&page, "main").contains("A place is offered to you until"), "{}", text_of(&page, "main"));
    let sent = press(&app, &path, &format!("{path}/acceptances")).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let now = event(&app, &seminar).await;
    assert!(
        now["registered"].as_array().expect("places").iter().any(|p| p["member_id"] == me.as_str()),
        "{now}"
    );
    let page = app.page(&format!("{path}?done=accepted")).await;
    assert!(text_of(&page, "main").contains("You have a place."));

    // An event with room: a place.
    let open = planned(&app, "Summer social", 5).await;
    let path = format!("/group-events/{open}");
    let sent = press(&app, &path, &format!("{path}/registrations")).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    assert_eq!(event(&app, &open).await["registered"][0]["member_id"], me.as_str());
    let page = app.page(&format!("{path}?done=registered")).await;
    assert!(text_of(&page, "main").contains("You have a place."));
    assert!(!select(&page, &format!("form[action='{path}/withdrawals']")).is_empty(), "and may give it up");

    // A full one: the waiting list.
    let full = planned(&app, "Curry night", 1).await;
    let body = json!({"member_id": leader});
    let registered = format!("/group-events/{full}/registrations");
    let (status, _) = app.api_send(ASSISTANT, Method::POST, &registered, &body, None).await;
    assert_eq!(status, StatusCode::OK);
    let path = format!("/group-events/{full}");
    let page = app.page(&path).await;
    assert!(text_of(&page, "main").contains("Join the waiting list"));
    let sent = press(&app, &path, &registered).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    assert_eq!(event(&app, &full).await["waiting"][0]["member_id"], me.as_str());
    let page = app.page(&path).await;
    assert!(text_of(&page, "main").contains("You are number 1 of 1 on the waiting list."));

    // One they are not invited to: the api's refusal at the button.
    let closed = planned_for(&app, "Leader's dinner", 4, &[&leader]).await;
    let path = format!("/group-events/{closed}");
    let refused = press(&app, &path, &format!("{path}/registrations")).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = html(refused).await;
    assert!(!select(&refused, ".govuk-error-summary a[href='#own-register']").is_empty());
    assert!(
        text_of(&refused, "#own-register-error").contains("not invited"),
        "{}",
        text_of(&refused, "main")
    );
    assert_eq!(event(&app, &closed).await["registered"], json!([]));
}

#[tokio::test]
async fn the_assistant_keeps_the_register_and_a_councillor_sees_no_office_form() {
    let app = start().await;
    let conference = event_titled(&app, "London Housing Conference").await;
    let path = format!("/group-events/{conference}");
    let held = event(&app, &conference).await;
    let excused = held["attendance"]
        .as_array()
        .expect("register")
        .iter()
        .find(|a| a["attendance"] == "apologies")
        .expect("apologies")["member_id"]
        .as_str()
        .expect("id")
        .to_owned();

    app.sign_in_as("councillor").await;
    let page = app.page(&path).await;
    for step in ["attendance", "cancellation", "capacity"] {
        assert!(select(&page, &format!("form[action='{path}/{step}']")).is_empty(), "no {step} form");
    }
    assert!(
        text_of(&page, "main").contains("London Housing Associations Forum, hospitality worth £85.00 a head")
    );
    assert!(!text_of(&page, "main").contains("Hospitality to register"), "the office's, not theirs");
    assert_eq!(app.get("/group-events/new").await.status(), StatusCode::FORBIDDEN, "nor plans one");

    app.sign_in_as("assistant").await;
    let page = app.page(&path).await;
    assert!(text_of(&page, "main").contains("Hospitality to register"), "{}", text_of(&page, "main"));
    let action = format!("{path}/attendance");
    let fields = with(fields_of(&form(&page, &action)), &format!("attendance-{excused}"), "absent");
    let sent = send(&app, &action, &fields).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER, "{}", sent.text().await.unwrap_or_default());
    let now = event(&app, &conference).await;
    let entry = now["attendance"]
        .as_array()
        .expect("register")
        .iter()
        .find(|a| a["member_id"] == excused.as_str())
        .cloned();
    assert_eq!(entry.expect("on the register")["attendance"], "absent", "{now}");
    let page = app.page(&format!("{path}?done=attendance")).await;
    assert!(text_of(&page, ".govuk-notification-banner").contains("The register was recorded"));
    assert!(text_of(&page, "main").contains("Absent (1)"));
}

#[tokio::test]
async fn the_assistant_registers_a_member_changes_the_capacity_and_cancels() {
    let app = start().await;
    app.sign_in_as("assistant").await;
    let seminar = event_titled(&app, "Housing and regeneration: the group's priorities").await;
    let path = format!("/group-events/{seminar}");
    let before = event(&app, &seminar).await;
    let waiting = before["waiting"].as_array().expect("waiting").len();

    // A named member on a full event: the end of the waiting list.
    let page = app.page(&path).await;
    let action = format!("{path}/registrations");
    let office = form(&page, &action);
    let option = select(&page, "#register-member option[value]")
        .iter()
        .filter_map(|o| o.value().attr("value"))
        .find(|v| !v.is_empty())
        .expect("a member to register")
        .to_owned();
    let sent = send(&app, &action, &with(fields_of(&office), "member_id", &option)).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let now = event(&app, &seminar).await;
    assert_eq!(now["waiting"].as_array().expect("waiting").len(), waiting + 1, "{now}");
    assert_eq!(now["waiting"][waiting]["member_id"], option.as_str());

    // More room: places offered to those waiting, in order.
    let page = app.page(&format!("{path}?done=registered")).await;
    let action = format!("{path}/capacity");
    let refused = send(&app, &action, &with(fields_of(&form(&page, &action)), "capacity", "ten")).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = html(refused).await;
    assert!(!select(&refused, ".govuk-error-summary a[href='#capacity']").is_empty());
    let sent = send(&app, &action, &with(fields_of(&form(&refused, &action)), "capacity", "12")).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let now = event(&app, &seminar).await;
    assert_eq!(now["capacity"], 12);
    let page = app.page(&format!("{path}?done=capacity")).await;
    let text = text_of(&page, "main");
    assert!(text.contains("Places offered") && text.contains("12 of 12 places taken"), "{text}");

    // Called off: a reason is required, then no more forms.
    let action = format!("{path}/cancellation");
    let refused = send(&app, &action, &fields_of(&form(&page, &action))).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = html(refused).await;
    assert!(!select(&refused, ".govuk-error-summary a[href='#cancel-reason']").is_empty());
    let fields = with(fields_of(&form(&refused, &action)), "reason", "The Cabinet Member is unwell");
    let sent = send(&app, &action, &fields).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    assert_eq!(event(&app, &seminar).await["status"], "cancelled");
    let page = app.page(&format!("{path}?done=cancelled")).await;
    let text = text_of(&page, "main");
    assert!(text.contains("Cancelled") && text.contains("The Cabinet Member is unwell"), "{text}");
    assert!(select(&page, "main form").is_empty(), "a cancelled event takes no more writes");
}

#[tokio::test]
async fn the_assistant_withdraws_a_member_and_their_place_is_offered_to_the_first_waiting() {
    let app = start().await;
    app.sign_in_as("assistant").await;
    let seminar = event_titled(&app, "Housing and regeneration: the group's priorities").await;
    let path = format!("/group-events/{seminar}");
    let before = event(&app, &seminar).await;
    let holder = before["registered"][0]["member_id"].as_str().expect("a place").to_owned();
    let first = before["waiting"][0]["member_id"].as_str().expect("someone waiting").to_owned();

    // Nobody chosen: explained at the field, nothing changed.
    let page = app.page(&path).await;
    let action = format!("{path}/withdrawals");
    let refused = send(&app, &action, &fields_of(&form(&page, &action))).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = html(refused).await;
    assert!(!select(&refused, ".govuk-error-summary a[href='#withdraw-member']").is_empty());

    let fields = with(fields_of(&form(&refused, &action)), "member_id", &holder);
    let sent = send(&app, &action, &fields).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER, "{}", sent.text().await.unwrap_or_default());
    let now = event(&app, &seminar).await;
    let places = now["registered"].as_array().expect("places");
    assert!(!places.iter().any(|p| p["member_id"] == holder.as_str()), "{now}");
    let offers = now["offers"].as_array().expect("offers");
    assert!(
        offers.iter().any(|o| o["member_id"] == first.as_str()),
        "the first waiting is offered it: {now}"
    );
    let page = app.page(&format!("{path}?done=withdrawn")).await;
    assert!(text_of(&page, ".govuk-notification-banner").contains("The place was given up"));
    assert!(text_of(&page, "main").contains("Places offered"));
}
