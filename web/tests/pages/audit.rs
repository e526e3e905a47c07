//! Audit: an auditor asks for the chain to be verified, sees it verified
//! once the check in the background is done, and downloads the export; a
//! councillor is told in words why they may not; a record's history reads as
//! a timeline of who changed what, and shows the record as it stood before
//! a change made through the api.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::actions::{fields_of, form, send};
use crate::members::{html, select};
use crate::support::*;

const ASSISTANT: (&str, &str) = ("demo-assistant", "assistant");

/// The verification page at `path` once the chain is checked: it runs in
/// the background, so the page is read again until it says so.
async fn when_checked(app: &Running, path: &str) {
    for _ in 0..400 {
        if !text_of(&app.page(path).await, "main").contains("so far") {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("the verification at {path} never finished");
}

/// Sends the audit page's form to verify the chain; the address of the
/// verification's page, once it is done.
pub(crate) async fn verified(app: &Running, audit: &scraper::Html) -> String {
    let action = "/audit/verifications";
    let started = send(app, action, &fields_of(&form(audit, action))).await;
    assert_eq!(started.status(), StatusCode::SEE_OTHER);
    let location = started.headers()["location"].to_str().expect("location").to_owned();
    when_checked(app, &location).await;
    location
}

#[tokio::test]
async fn an_auditor_sees_the_chain_verified_and_downloads_the_export() {
    let app = start().await;
    app.sign_in_as("auditor").await;
    let home = app.page("/").await;
    assert!(!select(&home, "nav a[href='/audit']").is_empty(), "the Audit section is theirs");
    let page = app.page("/audit").await;
    let text = text_of(&page, "main");
    assert!(!text.contains("Verified"), "the chain is checked only when asked: {text}");
    assert!(text.contains("No checkpoint has been signed yet"), "the sample api signs none: {text}");
    assert!(!select(&page, "a[href='/audit/export']").is_empty(), "the page links to the export");
    // Asking starts the check in the background and goes to its page.
    let location = verified(&app, &page).await;
    assert!(location.starts_with("/audit/verifications/"), "{location}");
    let page = app.page(&location).await;
    let text = text_of(&page, "main");
    assert!(text.contains("Verified"), "{text}");
    let report = app.api_get("demo-auditor", "auditor", "/audit/verification").await;
    assert!(report["problem"].is_null(), "{report}");
    let events = report["events"].as_u64().expect("events");
    assert!(text.contains(&format!("All {} events checked.", caucus_wire::thousands(events))), "{text}");
    let checked = select(&page, ".govuk-summary-list__row")
        .iter()
        .map(|row| row.text().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" "))
        .find(|row| row.starts_with("Events checked"));
    assert_eq!(
        checked,
        Some(format!("Events checked {}", caucus_wire::thousands(events))),
        "as the api counted them"
    );

    let export = app.get("/audit/export").await;
    assert_eq!(export.status(), StatusCode::OK);
    let disposition = export.headers()["content-disposition"].to_str().expect("header").to_owned();
    assert!(disposition.starts_with("attachment;") && disposition.contains(".jsonl"), "{disposition}");
    let body = export.text().await.expect("body");
    assert!(body.lines().count() as u64 > events, "a header line and every event");
}

#[tokio::test]
async fn a_councillor_opening_the_audit_page_is_told_why_in_words() {
    let app = start().await;
    app.sign_in_as("councillor").await;
    let home = app.page("/").await;
    assert!(select(&home, "nav a[href='/audit']").is_empty(), "no Audit section for a councillor");
    let refused = app.get("/audit").await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let refused = html(refused).await;
    assert!(text_of(&refused, "h1").contains("You cannot do that"));
    assert!(
        text_of(&refused, "main").contains("Your role does not allow it"),
        "{}",
        text_of(&refused, "main")
    );
}

#[tokio::test]
async fn a_records_history_shows_each_change_and_the_record_as_it_stood_before_it() {
    let app = start().await;
    let members = app.api_get(ASSISTANT.0, ASSISTANT.1, "/members?limit=200").await;
    let member = members["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|m| m["biography"].is_string())
        .expect("a member with a biography")
        .clone();
    let id = member["id"].as_str().expect("id");
    let before = member["biography"].as_str().expect("biography");
    let after = "Group Leader since 2022. Chairs the Housing Scrutiny Committee.";
    let (status, changed) = app
        .api_send(
            ASSISTANT,
            reqwest::Method::POST,
            &format!("/members/{id}/profile"),
            &json!({"biography": after}),
            member["version"].as_u64(),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{changed}");

    app.sign_in_as("auditor").await;
    let page = app.page(&format!("/members/{id}")).await;
    let history = format!("/history/member/{id}");
    assert!(!select(&page, &format!("a[href='{history}']")).is_empty(), "the member's page links to it");
    let page = app.page(&history).await;
    let headings = text_list(&page, "main ol h3");
    assert!(headings.first().is_some_and(|h| h.contains("Member joined")), "{headings:?}");
    assert!(headings.last().is_some_and(|h| h.contains("Member profile updated")), "{headings:?}");
    let timeline = text_of(&page, "main ol");
    assert!(timeline.contains("by demo-assistant, as assistant"), "who, in which role: {timeline}");
    assert!(timeline.contains(before) && timeline.contains(after), "what changed: {timeline}");

    // As it stood after the first change, before the api's.
    let links: Vec<String> = select(&page, "main ol a[href*='at=']")
        .iter()
        .filter_map(|a| a.value().attr("href").map(str::to_owned))
        .collect();
    assert_eq!(links.len(), headings.len(), "each change links to the record as it stood after it");
    let then = app.page(&links[links.len() - 2]).await;
    let stood = text_of(&then, ".govuk-summary-list");
    assert!(stood.contains(before) && !stood.contains(after), "the earlier biography: {stood}");

    // As it stood on a day: today, after the change; yesterday, not yet recorded.
    let day = |days_ago: i64| {
        let at = chrono::Utc::now().with_timezone(&chrono_tz::Europe::London).date_naive()
            - chrono::Duration::days(days_ago);
        at.format("as_of-day=%-d&as_of-month=%-m&as_of-year=%Y").to_string()
    };
    let today = app.page(&format!("{history}?{}", day(0))).await;
    assert!(text_of(&today, "h2").contains("As it stood on"), "{}", text_of(&today, "h2"));
    let stood = text_of(&today, ".govuk-summary-list");
    assert!(stood.contains(after) && !stood.contains(before), "today's biography: {stood}");
    let yesterday = app.page(&format!("{history}?{}", day(1))).await;
    assert!(text_of(&yesterday, ".govuk-inset-text").contains("not been recorded yet"));

    // A date that is not one is explained at the field.
    let refused = app.get(&format!("{history}?as_of-day=31&as_of-month=2&as_of-year=2026")).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = html(refused).await;
    assert!(text_of(&refused, ".govuk-error-summary a[href='#as_of-day']").contains("real date"));

    // The meeting and publication pages link to their histories.
    let meetings = app.api_get(ASSISTANT.0, ASSISTANT.1, "/meetings?limit=1").await;
    let meeting = meetings["items"][0]["id"].as_str().expect("a meeting");
    let page = app.page(&format!("/meetings/{meeting}")).await;
    let link = format!("/history/meeting/{meeting}");
    assert!(!select(&page, &format!("a[href='{link}']")).is_empty(), "the meeting links to its history");
    let history = app.page(&link).await;
    assert!(!text_list(&history, "main ol h3").is_empty(), "a meeting's history");
    let publications: Value = app.api_get(ASSISTANT.0, ASSISTANT.1, "/publications?limit=1").await;
    let publication = publications["items"][0]["id"].as_str().expect("a publication");
    let page = app.page(&format!("/publications/{publication}")).await;
    assert!(!select(&page, &format!("a[href='/history/publication/{publication}']")).is_empty());
}
