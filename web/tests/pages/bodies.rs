//! Bodies and appointments: the register and the vacancies show what the api
//! holds; the assistant nominates a member to a vacant seat and confirms
//! them, withdraws another nomination, ends an appointment (and is refused
//! an end before its term starts, at the field), changes a body (a stale
//! change shown as such) and dissolves one; a councillor reads it all and is
//! offered no form.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::actions::{fields_of, form, html, select, send, with};
use crate::support::*;

const ASSISTANT: (&str, &str) = ("demo-assistant", "assistant");

async fn api(app: &Running, path: &str) -> Value {
    app.api_get(ASSISTANT.0, ASSISTANT.1, path).await
}

fn items(list: &Value) -> &Vec<Value> {
    list["items"].as_array().expect("items")
}

/// The sample body called `name`.
async fn body_named(app: &Running, name: &str) -> Value {
    let bodies = api(app, "/bodies?limit=200").await;
    items(&bodies).iter().find(|b| b["name"] == name).cloned().unwrap_or_else(|| panic!("no body {name}"))
}

fn id(record: &Value) -> String {
    record["id"].as_str().expect("id").to_owned()
}

/// `fields` with the date input `name` set to `day`.
fn with_date(fields: Vec<(String, String)>, name: &str, day: chrono::NaiveDate) -> Vec<(String, String)> {
    let fields = with(fields, &format!("{name}-day"), &day.format("%-d").to_string());
    let fields = with(fields, &format!("{name}-month"), &day.format("%-m").to_string());
    with(fields, &format!("{name}-year"), &day.format("%Y").to_string())
}

fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}

/// The text of the row of `table` (a CSS selector) that mentions `text`.
fn row_with(page: &scraper::Html, table: &str, text: &str) -> Option<String> {
    select(page, &format!("{table} tbody tr"))
        .iter()
        .map(|r| r.text().collect::<String>())
        .find(|r| r.contains(text))
}

#[tokio::test]
async fn the_register_and_the_vacancies_show_what_the_api_holds() {
    let app = start().await;
    app.sign_in_as("assistant").await;
    let page = app.page("/bodies").await;
    let bodies = api(&app, "/bodies?limit=200").await;
    let mut shown: Vec<String> = select(&page, "table a[href^='/bodies/']")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .map(|h| h.trim_start_matches("/bodies/").to_owned())
        .collect();
    let mut held: Vec<String> = items(&bodies).iter().map(id).collect();
    shown.sort_unstable();
    held.sort_unstable();
    assert_eq!(shown, held, "every body the api holds");
    let licensing = row_with(&page, "table", "Licensing Committee").expect("Licensing's row");
    assert!(licensing.contains("Council committee") && licensing.contains("1 vacant"), "{licensing}");
    let audit = row_with(&page, "table", "Audit Board").expect("the Audit Board's row");
    assert!(audit.contains("4, and 1 nominated") && audit.contains("None"), "{audit}");
    assert!(!select(&page, "main a[href='/bodies/new']").is_empty(), "the office may establish one");

    let vacancies = app.page("/vacancies").await;
    let listed = api(&app, "/vacancies").await;
    let names: Vec<String> = select(&vacancies, "table tbody tr td:first-child a")
        .iter()
        .map(|a| a.text().collect::<String>())
        .collect();
    let expected: Vec<String> =
        items(&listed).iter().map(|v| v["name"].as_str().expect("name").to_owned()).collect();
    assert_eq!(names, expected, "every body with a vacant seat, as the api lists them");
    let body_id = items(&listed)[0]["body_id"].as_str().expect("body id");
    let nominate = format!("main a[href='/bodies/{body_id}#nominate']");
    assert!(!select(&vacancies, &nominate).is_empty(), "a link to nominate to it");

    // A member already on a body is not offered for its vacant seat.
    let licensing = id(&body_named(&app, "Licensing Committee").await);
    let page = app.page(&format!("/bodies/{licensing}")).await;
    let offered: Vec<String> = select(&page, "select#nominate-member option")
        .iter()
        .filter_map(|o| o.value().attr("value"))
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
        .collect();
    let holders = api(&app, &format!("/bodies/{licensing}/holders")).await;
    assert!(!offered.is_empty());
    for holder in items(&holders) {
        let member = holder["member_id"].as_str().expect("member");
        assert!(!offered.iter().any(|o| o == member), "{member} already holds a seat");
    }
}

#[tokio::test]
async fn the_assistant_nominates_a_member_to_a_vacant_seat_and_confirms_them() {
    let app = start().await;
    app.sign_in_as("assistant").await;
    let body = id(&body_named(&app, "East London NHS Foundation Trust governors").await);
    let page = app.page(&format!("/bodies/{body}")).await;
    assert!(text_of(&page, "main").contains("Nobody holds a seat on it"));
    let action = format!("/bodies/{body}/nominations");
    let member = select(&page, "select#nominate-member option")
        .iter()
        .filter_map(|o| o.value().attr("value"))
        .find(|v| !v.is_empty())
        .expect("a member to choose")
        .to_owned();
    let fields = with(fields_of(&form(&page, &action)), "member_id", &member);
    let fields = with(fields, "role_title", "Governor");
    let sent = send(&app, &action, &fields).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER, "{}", sent.text().await.unwrap_or_default());
    let location = sent.headers()["location"].to_str().expect("location").to_owned();
    let appointment = location.trim_start_matches("/appointments/").trim_end_matches("?done=nominated");
    let recorded = api(&app, &format!("/appointments/{appointment}")).await;
    assert_eq!(recorded["status"], "nominated", "{recorded}");
    assert_eq!(recorded["member_id"], member.as_str());
    assert_eq!(recorded["term_starts_on"], today().to_string(), "the term starts today unless typed");
    let shown = app.page(&location).await;
    assert!(text_of(&shown, ".govuk-notification-banner").contains("The member was nominated"));

    let confirm = format!("/appointments/{appointment}/confirmation");
    let sent = send(&app, &confirm, &fields_of(&form(&shown, &confirm))).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    assert_eq!(sent.headers()["location"], format!("/appointments/{appointment}?done=confirmed").as_str());
    let recorded = api(&app, &format!("/appointments/{appointment}")).await;
    assert_eq!(recorded["status"], "current", "{recorded}");
    assert_eq!(recorded["confirmed_on"], today().to_string());
    let holders = api(&app, &format!("/bodies/{body}/holders")).await;
    assert!(
        items(&holders).iter().any(|h| h["member_id"] == member.as_str() && h["status"] == "current"),
        "{holders}"
    );
    assert_eq!(holders["vacant"], 0);

    let page = app.page(&format!("/bodies/{body}")).await;
    let members = api(&app, "/members?limit=200").await;
    let name = items(&members).iter().find(|m| m["id"] == member.as_str());
    let name = name.and_then(|m| m["name"].as_str()).expect("the member's name");
    let row = row_with(&page, "table", name).expect("the new holder's row");
    assert!(row.contains("Governor"), "{row}");
    assert!(select(&page, &format!("form[action='{action}']")).is_empty(), "no seat is left to nominate to");
}

#[tokio::test]
async fn the_assistant_ends_an_appointment_and_an_end_before_its_term_is_refused_at_the_field() {
    let app = start().await;
    app.sign_in_as("assistant").await;
    let body = id(&body_named(&app, "Lee Valley Regional Park Authority").await);
    let page = app.page(&format!("/bodies/{body}")).await;
    let held = api(&app, &format!("/appointments?body_id={body}&status=current")).await;
    let appointment = id(&items(&held)[0]);
    let row = row_with(&page, "table", "From").expect("the holder's row");
    assert!(row.contains("Ending soon"), "a term ending within 30 days is flagged: {row}");

    let page = app.page(&format!("/appointments/{appointment}")).await;
    let action = format!("/appointments/{appointment}/end");
    let fields = with(fields_of(&form(&page, &action)), "reason", "resigned");
    let before = with_date(fields.clone(), "on", chrono::NaiveDate::from_ymd_opt(2001, 1, 1).expect("day"));
    let refused = send(&app, &action, &before).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = html(refused).await;
    let link = text_of(&refused, ".govuk-error-summary a[href='#end-on-day']");
    assert!(link.contains("An appointment cannot end before its term starts"), "{link}");
    assert!(text_of(&refused, "#end-on-error").contains("cannot end before its term starts"));
    assert_eq!(api(&app, &format!("/appointments/{appointment}")).await["status"], "current");

    let fields = with(fields_of(&form(&refused, &action)), "note", "Moving out of the borough");
    let fields = with_date(fields, "on", today());
    let sent = send(&app, &action, &fields).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let recorded = api(&app, &format!("/appointments/{appointment}")).await;
    assert_eq!(recorded["status"], "ended", "{recorded}");
    assert_eq!(recorded["end_reason"], "resigned");
    assert_eq!(recorded["ended_on"], today().to_string());
    assert_eq!(recorded["end_note"], "Moving out of the borough");
    let page = app.page(&format!("/bodies/{body}")).await;
    let past = row_with(&page, "table", "Resigned").expect("a past holder's row");
    assert!(past.contains("Until"), "{past}");
    assert!(text_of(&page, "main").contains("Nobody holds a seat on it"));
}

#[tokio::test]
async fn the_assistant_changes_a_body_sees_a_stale_change_and_dissolves_it() {
    let app = start().await;
    app.sign_in_as("assistant").await;
    let found = body_named(&app, "Audit Board").await;
    let body = id(&found);
    let page = app.page(&format!("/bodies/{body}")).await;
    let change = format!("main .govuk-summary-list a[href='/bodies/{body}/edit']");
    assert!(text_of(&page, &change).contains("Change seats"), "change links say what they change");

    let edit = app.page(&format!("/bodies/{body}/edit")).await;
    let action = format!("/bodies/{body}/edit");
    let fields = fields_of(&form(&edit, &action));
    // Someone else changes it first.
    let (status, _) = app
        .api_send(
            ASSISTANT,
            Method::PATCH,
            &format!("/bodies/{body}"),
            &json!({"description": "Audit and risk."}),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let stale = send(&app, &action, &with(fields, "seats", "6")).await;
    assert_eq!(stale.status(), StatusCode::CONFLICT);
    let stale = html(stale).await;
    assert!(text_of(&stale, ".govuk-warning-text").contains("Someone else changed this body"));
    assert!(text_of(&stale, "main").contains("Audit and risk."), "the body as it is now");
    assert_eq!(api(&app, &format!("/bodies/{body}")).await["seats"], 5, "nothing was saved");
    let fields = fields_of(&form(&stale, &action));
    assert!(fields.contains(&("seats".to_owned(), "6".to_owned())), "what was typed is kept");
    let sent = send(&app, &action, &fields).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let recorded = api(&app, &format!("/bodies/{body}")).await;
    assert_eq!(recorded["seats"], 6, "{recorded}");
    assert_eq!(recorded["description"], found["description"], "the form's own description, applied again");

    let dissolve = app.page(&format!("/bodies/{body}/dissolve")).await;
    let action = format!("/bodies/{body}/dissolution");
    let fields = with(fields_of(&form(&dissolve, &action)), "reason", "Merged into the Standards Committee");
    let sent = send(&app, &action, &fields).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let recorded = api(&app, &format!("/bodies/{body}")).await;
    assert_eq!(recorded["status"], "dissolved", "{recorded}");
    let page = app.page(&format!("/bodies/{body}?done=dissolved")).await;
    assert!(text_of(&page, ".govuk-notification-banner").contains("The body was dissolved"));
    assert!(select(&page, "main form").is_empty() && select(&page, &change).is_empty());
}

#[tokio::test]
async fn the_office_establishes_a_body() {
    let app = start().await;
    app.sign_in_as("leader").await;
    let page = app.page("/bodies/new").await;
    let fields = with(fields_of(&form(&page, "/bodies")), "name", "Standards Committee");
    let fields = with(fields, "kind", "council_committee");
    let refused = send(&app, "/bodies", &with(fields.clone(), "seats", "many")).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = html(refused).await;
    assert!(text_of(&refused, ".govuk-error-summary a[href='#seats']").contains("whole number"));
    let fields = fields_of(&form(&refused, "/bodies"));
    assert!(fields.contains(&("training_gate".to_owned(), "warn".to_owned())), "warning is the default");
    let sent = send(&app, "/bodies", &with(with(fields, "seats", "3"), "training_gate", "refuse")).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let location = sent.headers()["location"].to_str().expect("location").to_owned();
    let body = location.trim_start_matches("/bodies/").trim_end_matches("?done=established");
    let recorded = api(&app, &format!("/bodies/{body}")).await;
    assert_eq!(recorded["name"], "Standards Committee", "{recorded}");
    assert_eq!(recorded["kind"], "council_committee");
    assert_eq!(recorded["seats"], 3);
    assert_eq!(recorded["classification"], "public");
    assert_eq!(recorded["training_gate"], "refuse");
    let page = app.page(&format!("/bodies/{body}")).await;
    assert!(text_of(&page, ".govuk-summary-list").contains("Refuse the seat until they hold it"));
}

#[tokio::test]
async fn a_councillor_reads_the_bodies_but_is_offered_no_office_form() {
    let app = start().await;
    app.sign_in_as("councillor").await;
    let list = app.page("/bodies").await;
    assert!(select(&list, "main a[href='/bodies/new']").is_empty());
    let vacancies = app.page("/vacancies").await;
    assert!(select(&vacancies, "main a[href$='#nominate']").is_empty(), "no link to nominate");
    assert!(!select(&vacancies, "main table").is_empty());
    let body = id(&body_named(&app, "Licensing Committee").await);
    let page = app.page(&format!("/bodies/{body}")).await;
    assert!(text_of(&page, "main").contains("Who holds its seats"));
    assert!(select(&page, "main form").is_empty(), "no forms on a body");
    assert!(select(&page, "main a[href$='/edit'], main a[href$='/dissolve']").is_empty());
    let nominated = items(&api(&app, "/appointments?status=nominated").await)[0].clone();
    let page = app.page(&format!("/appointments/{}", id(&nominated))).await;
    assert!(text_of(&page, "main").contains("Nominated"));
    assert!(select(&page, "main form").is_empty(), "no forms on an appointment");
}

#[tokio::test]
async fn the_assistant_withdraws_a_nomination_with_a_reason_and_its_seat_falls_vacant() {
    let app = start().await;
    app.sign_in_as("assistant").await;
    let body = id(&body_named(&app, "Audit Board").await);
    let pending = api(&app, &format!("/appointments?body_id={body}&status=nominated")).await;
    let appointment = id(&items(&pending)[0]);
    let page = app.page(&format!("/bodies/{body}")).await;
    let row = row_with(&page, "table", "Nominated").expect("the nomination's row");
    assert!(row.contains("From"), "{row}");

    let page = app.page(&format!("/appointments/{appointment}")).await;
    let action = format!("/appointments/{appointment}/withdrawal");
    let refused = send(&app, &action, &fields_of(&form(&page, &action))).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = html(refused).await;
    assert!(!text_of(&refused, ".govuk-error-summary a[href='#withdraw-reason']").is_empty());
    assert_eq!(api(&app, &format!("/appointments/{appointment}")).await["status"], "nominated");

    let fields = with(fields_of(&form(&refused, &action)), "reason", "Standing for the Cabinet instead");
    let sent = send(&app, &action, &fields).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let recorded = api(&app, &format!("/appointments/{appointment}")).await;
    assert_eq!(recorded["status"], "withdrawn", "{recorded}");
    assert_eq!(recorded["withdrawal_reason"], "Standing for the Cabinet instead");
    let shown = app.page(&format!("/appointments/{appointment}?done=withdrawn")).await;
    assert!(text_of(&shown, ".govuk-notification-banner").contains("The nomination was withdrawn"));
    assert!(select(&shown, "main form").is_empty(), "nothing more to do with it");
    let vacancies = app.page("/vacancies").await;
    let row = row_with(&vacancies, "table", "Audit Board").expect("the Audit Board's vacancy");
    assert!(row.contains("1 vacant"), "{row}");
}
