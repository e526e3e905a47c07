//! Briefings: the list as the api holds it; a councillor writes a note and a
//! new version of it, the earlier version still readable; a version that
//! changes nothing and a note about nothing are explained at their fields;
//! the office withdraws a note once confirmed; an auditor sees no forms.

use reqwest::StatusCode;
use serde_json::Value;

use crate::actions::{fields_of, form, html, select, send, with};
use crate::support::*;

const ASSISTANT: (&str, &str) = ("demo-assistant", "assistant");

async fn note(app: &Running, id: &str) -> Value {
    app.api_get(ASSISTANT.0, ASSISTANT.1, &format!("/briefings/{id}")).await
}

fn linked(page: &scraper::Html) -> Vec<String> {
    select(page, "table a[href^='/briefings/']")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .map(|h| h.trim_start_matches("/briefings/").to_owned())
        .collect()
}

/// The sample speaking note, revised once.
async fn speaking_note(app: &Running) -> Value {
    let all = app.api_get(ASSISTANT.0, ASSISTANT.1, "/briefings?limit=200").await;
    all["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|n| n["kind"] == "speaking_note")
        .expect("a note")
        .clone()
}

#[tokio::test]
async fn the_list_shows_every_note_the_api_holds() {
    let app = start().await;
    app.sign_in_as("assistant").await;
    let list = app.page("/briefings").await;
    let mut shown = linked(&list);
    let all = app.api_get(ASSISTANT.0, ASSISTANT.1, "/briefings?limit=200").await;
    let mut held: Vec<String> = all["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|n| n["id"].as_str().expect("id").to_owned())
        .collect();
    shown.sort_unstable();
    held.sort_unstable();
    assert_eq!(shown, held, "every note the api holds");
    let text = text_of(&list, "main");
    assert!(text.contains("Canning Town library: moving the motion"), "{text}");
    assert!(text.contains("Speaking note, on Motion: ") && text.contains("Version 2"), "{text}");
    assert!(text.contains("Forward plan: Library service review"), "{text}");
    assert!(!select(&list, "main a[href='/briefings/new']").is_empty());
    assert!(!select(&list, ".govuk-service-navigation a[href='/briefings']").is_empty(), "in the navigation");

    // Its page: the current text, and both versions with who and when.
    let id = speaking_note(&app).await["id"].as_str().expect("id").to_owned();
    let page = app.page(&format!("/briefings/{id}")).await;
    assert!(text_of(&page, "main").contains("1,400 residents"));
    let versions = text_list(&page, "main table tbody tr");
    assert_eq!(versions.len(), 2, "{versions:?}");
    assert!(
        versions[0].contains("Version 2 (current)") && versions[0].contains("Latest petition"),
        "{versions:?}"
    );
    assert!(text_of(&page, "main table thead").contains("Written by"));
    assert!(
        versions[1].contains("sample-loader") && versions[1].contains(" at "),
        "who and when: {versions:?}"
    );
    let earlier = app.page(&format!("/briefings/{id}/versions/1")).await;
    assert!(text_of(&earlier, "main").contains("1,200 residents signed the petition in three weeks"));
    assert!(text_of(&earlier, "main").contains("earlier version"));
}

#[tokio::test]
async fn a_councillor_writes_a_note_and_a_new_version_and_the_earlier_one_stays_readable() {
    let app = start().await;
    let me = app.sign_in_as("councillor").await;
    let page = app.page("/briefings/new").await;
    let about = select(&page, "select#about option")
        .iter()
        .filter_map(|o| o.value().attr("value"))
        .find(|v| v.starts_with("motion:"))
        .expect("a motion to write about")
        .to_owned();
    let fields = fields_of(&form(&page, "/briefings"));
    let fields = with(with(fields, "kind", "speaking_note"), "about", &about);
    let fields = with(with(fields, "for_member_id", &me), "title", "Seconding the motion");
    let fields = with(fields, "body", "I second the motion.\n\nOur libraries matter.");
    let sent = send(&app, "/briefings", &fields).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER, "{}", sent.text().await.unwrap_or_default());
    let location = sent.headers()["location"].to_str().expect("location").to_owned();
    let id = location.trim_start_matches("/briefings/").trim_end_matches("?done=written").to_owned();
    let written = note(&app, &id).await;
    assert_eq!(written["current"]["title"], "Seconding the motion", "{written}");
    assert_eq!(written["kind"], "speaking_note");
    assert_eq!(written["for_member_id"], me.as_str());
    assert_eq!(written["subject"]["motion_id"], about.trim_start_matches("motion:"));
    let page = app.page(&location).await;
    assert_eq!(
        select(&page, "main p.govuk-body")
            .iter()
            .filter(|p| p.text().any(|t| t.contains("Our libraries")))
            .count(),
        1
    );

    // A new version, with what changed.
    let path = format!("/briefings/{id}/versions");
    let fields =
        with(fields_of(&form(&page, &path)), "body", "I second the motion.\n\nEvery branch matters.");
    let sent = send(&app, &path, &with(fields, "reason", "Stronger close")).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let revised = note(&app, &id).await;
    assert_eq!(revised["current"]["number"], 2, "{revised}");
    assert_eq!(revised["current"]["body"], "I second the motion.\n\nEvery branch matters.");
    assert_eq!(revised["current"]["reason"], "Stronger close");
    assert_eq!(revised["earlier_versions"][0]["body"], "I second the motion.\n\nOur libraries matter.");
    let page = app.page(&format!("/briefings/{id}?done=revised")).await;
    assert!(text_of(&page, "main").contains("Every branch matters."));
    assert!(select(&page, "form[action$='/withdrawal']").is_empty(), "withdrawing is the office's");
    let earlier = app.page(&format!("/briefings/{id}/versions/1")).await;
    assert!(text_of(&earlier, "main").contains("Our libraries matter."));

    // The office sees who wrote each version.
    let name = app.api_get(ASSISTANT.0, ASSISTANT.1, &format!("/members/{me}")).await["name"].clone();
    app.sign_in_as("assistant").await;
    let page = app.page(&format!("/briefings/{id}")).await;
    let versions = text_list(&page, "main table tbody tr");
    let name = name.as_str().expect("name");
    assert!(versions.iter().all(|v| v.contains(name)), "{name}: {versions:?}");
}

#[tokio::test]
async fn a_version_that_changes_nothing_and_a_note_about_nothing_are_refused_at_their_fields() {
    let app = start().await;
    let id = speaking_note(&app).await["id"].as_str().expect("id").to_owned();
    app.sign_in_as("officer").await;
    let page = app.page(&format!("/briefings/{id}")).await;
    let path = format!("/briefings/{id}/versions");
    let refused = send(&app, &path, &fields_of(&form(&page, &path))).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = html(refused).await;
    assert!(!select(&refused, ".govuk-error-summary a[href='#revise-body']").is_empty());
    assert!(text_of(&refused, ".govuk-error-summary").contains("changes nothing"));
    assert_eq!(note(&app, &id).await["current"]["number"], 2, "nothing was recorded");

    let page = app.page("/briefings/new").await;
    let fields = with(fields_of(&form(&page, "/briefings")), "title", "About nothing");
    let refused = send(&app, "/briefings", &fields).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = html(refused).await;
    assert!(!select(&refused, ".govuk-error-summary a[href='#about']").is_empty());
    assert!(text_of(&refused, "#about-error").contains("Select what the note is about"));
    assert!(
        fields_of(&form(&refused, "/briefings")).contains(&("title".to_owned(), "About nothing".to_owned()))
    );
}

#[tokio::test]
async fn the_office_withdraws_a_note_once_confirmed_and_an_auditor_sees_no_forms() {
    let app = start().await;
    let id = speaking_note(&app).await["id"].as_str().expect("id").to_owned();
    app.sign_in_as("auditor").await;
    let list = app.page("/briefings").await;
    assert!(select(&list, "main a[href='/briefings/new']").is_empty());
    let page = app.page(&format!("/briefings/{id}")).await;
    assert!(select(&page, "main form").is_empty(), "an auditor changes nothing");

    app.sign_in_as("leader").await;
    let page = app.page(&format!("/briefings/{id}")).await;
    let path = format!("/briefings/{id}/withdrawal");
    let fields = with(fields_of(&form(&page, &path)), "reason", "The motion was withdrawn");
    let refused = send(&app, &path, &fields).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = html(refused).await;
    assert!(!select(&refused, ".govuk-error-summary a[href='#withdraw-confirm']").is_empty());
    assert_eq!(note(&app, &id).await["status"], "current");
    let sent = send(&app, &path, &with(fields, "confirm", "yes")).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let withdrawn = note(&app, &id).await;
    assert_eq!(withdrawn["status"], "withdrawn");
    assert_eq!(withdrawn["withdrawal_reason"], "The motion was withdrawn");
    let page = app.page(&format!("/briefings/{id}?done=withdrawn")).await;
    assert!(text_of(&page, "main").contains("Why it was withdrawn"));
    assert!(select(&page, "main form").is_empty(), "a withdrawn note takes no more writes");
}
