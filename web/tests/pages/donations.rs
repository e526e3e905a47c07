//! Probity (issue 18): the donations register of a year as the api holds
//! it, each donor's total with its standing, a donation's page with its
//! permissibility check, the check linked from My work; a councillor is
//! told in words they may not see donors, and is offered no link to them.
//! The office's forms: the Assistant records a donation over £500 (a wrong
//! amount explained at its field), My work shows its check until the check
//! is recorded on the donation's page; an officer corrects a donation with
//! its reason; the register as it stood on a day; a councillor is refused
//! the forms in words, and an auditor is offered none.

use chrono::{Datelike, Utc};
use reqwest::StatusCode;
use serde_json::Value;

use crate::actions::{fields_of, form, html, select, send, with};
use crate::support::*;

const ASSISTANT: (&str, &str) = ("demo-assistant", "assistant");

#[tokio::test]
async fn the_register_lists_the_year_s_donations_and_totals_and_a_donation_its_check() {
    let app = start().await;
    app.sign_in_as("officer").await;
    let register = app.page("/donations").await;
    let held = app.api_get(ASSISTANT.0, ASSISTANT.1, "/donations-register").await;
    let links: Vec<String> = select(&register, "table a[href^='/donations/']")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .map(str::to_owned)
        .collect();
    let mut expected: Vec<String> = held["donations"]
        .as_array()
        .expect("donations")
        .iter()
        .map(|d| format!("/donations/{}", d["id"].as_str().expect("id")))
        .collect();
    let mut shown = links.clone();
    expected.sort_unstable();
    shown.sort_unstable();
    assert_eq!(shown, expected, "every donation of the year the api holds");
    let text = text_of(&register, "main");
    assert!(text.contains("£750.00") && text.contains("Check due") && text.contains("£11,180.00"), "{text}");
    assert!(text.contains("Stratford Print Works Ltd") && text.contains("Below"), "{text}");

    // The donation awaiting its check, as My work links to it.
    let waiting = held["donations"]
        .as_array()
        .expect("donations")
        .iter()
        .find(|d| d["status"] == "awaiting_check")
        .expect("one awaiting its check");
    let path = format!("/donations/{}", waiting["id"].as_str().expect("id"));
    let home = app.page("/").await;
    assert_eq!(select(&home, &format!("a[href='{path}']")).len(), 1, "My work links the check");
    let page = app.page(&path).await;
    let text = text_of(&page, "main");
    assert!(text.contains("To be made by") && text.contains("Unit 4, Carpenters Road"), "{text}");
}

#[tokio::test]
async fn a_councillor_sees_no_donor_and_is_told_why() {
    let app = start().await;
    app.sign_in_as("councillor").await;
    let home = app.page("/").await;
    assert!(select(&home, "a[href='/donations']").is_empty(), "no link to donations");
    let refused = app.get("/donations").await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let body = refused.text().await.expect("body");
    assert!(body.contains("Your role does not allow it"), "{body}");
}

fn today() -> chrono::NaiveDate {
    Utc::now().with_timezone(&chrono_tz::Europe::London).date_naive()
}

/// `fields` with the GOV.UK date input `name` set to `day`.
fn dated(fields: Vec<(String, String)>, name: &str, day: chrono::NaiveDate) -> Vec<(String, String)> {
    let fields = with(fields, &format!("{name}-day"), &day.day().to_string());
    let fields = with(fields, &format!("{name}-month"), &day.month().to_string());
    with(fields, &format!("{name}-year"), &day.year().to_string())
}

async fn donations(app: &Running) -> Vec<Value> {
    let listed = app.api_get(ASSISTANT.0, ASSISTANT.1, "/donations?limit=200").await;
    listed["items"].as_array().expect("items").clone()
}

#[tokio::test]
async fn the_assistant_records_a_donation_over_500_pounds_and_its_check_leaves_my_work_once_recorded() {
    let app = start().await;
    app.sign_in_as("assistant").await;
    let register = app.page("/donations").await;
    assert_eq!(select(&register, "a[href='/donations/new']").len(), 1, "the office is offered the form");
    let before = donations(&app).await.len();
    let page = app.page("/donations/new").await;
    let fields = fields_of(&form(&page, "/donations"));
    let fields = with(fields, "donor_name", "Priya Patel");
    let fields = with(fields, "donor_address", "12 Romford Road, London E15 4BZ");
    let fields = dated(fields, "received", today());

    // Pounds with a third place of pence: explained at the field, nothing recorded.
    let refused = send(&app, "/donations", &with(fields.clone(), "amount", "1.234")).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = html(refused).await;
    assert_eq!(select(&refused, ".govuk-error-summary a[href='#amount']").len(), 1);
    let message = text_of(&refused, "#amount-error");
    assert!(message.contains("The amount must be in pounds and pence"), "{message}");
    assert_eq!(donations(&app).await.len(), before, "nothing recorded");

    let fields = fields_of(&form(&refused, "/donations"));
    assert!(fields.contains(&("donor_name".to_owned(), "Priya Patel".to_owned())), "kept as typed");
    let sent = send(&app, "/donations", &with(fields.clone(), "amount", "1,250.50")).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER, "{}", sent.text().await.unwrap_or_default());
    let location = sent.headers()["location"].to_str().expect("location").to_owned();
    let path = location.strip_suffix("?done=recorded").expect("to the donation, saying so").to_owned();
    let again = send(&app, "/donations", &with(fields, "amount", "1,250.50")).await;
    assert_eq!(again.status(), StatusCode::SEE_OTHER, "sent twice");
    assert_eq!(donations(&app).await.len(), before + 1, "recorded once");
    let held = app.api_get(ASSISTANT.0, ASSISTANT.1, &path).await;
    assert_eq!(held["amount_pence"], 125_050, "exactly, in pence");
    assert_eq!(held["status"], "awaiting_check");
    assert_eq!(held["donor"]["kind"], "individual");
    let shown = app.page(&location).await;
    assert!(text_of(&shown, ".govuk-notification-banner").contains("The donation was recorded"));
    assert!(text_of(&shown, "main").contains("£1,250.50"));

    let home = app.page("/").await;
    assert_eq!(select(&home, &format!("a[href='{path}']")).len(), 1, "My work shows its check");

    // Returned, but without the day it was returned: explained at the field.
    let action = format!("{path}/permissibility");
    let fields = fields_of(&form(&shown, &action));
    let refused = send(&app, &action, &with(fields.clone(), "outcome", "returned")).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = html(refused).await;
    assert_eq!(select(&refused, ".govuk-error-summary a[href='#returned-day']").len(), 1);
    let fields = with(fields, "outcome", "permissible");
    let sent = send(&app, &action, &with(fields, "note", "On the electoral register")).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER, "{}", sent.text().await.unwrap_or_default());
    assert_eq!(sent.headers()["location"].to_str().expect("location"), format!("{path}?done=checked"));
    let held = app.api_get(ASSISTANT.0, ASSISTANT.1, &path).await;
    assert_eq!(held["status"], "permissible");
    assert_eq!(held["check"]["note"], "On the electoral register");
    let home = app.page("/").await;
    assert!(select(&home, &format!("a[href='{path}']")).is_empty(), "My work no longer shows it");
    let shown = app.page(&format!("{path}?done=checked")).await;
    assert!(text_of(&shown, ".govuk-notification-banner").contains("The permissibility check was recorded"));
    assert!(text_of(&shown, "main").contains("Permissible: checked on"));
    assert!(select(&shown, &format!("form[action='{action}']")).is_empty(), "checked once");
}

#[tokio::test]
async fn an_officer_corrects_a_donation_saying_why() {
    let app = start().await;
    app.sign_in_as("officer").await;
    let held = donations(&app).await;
    let small = held.iter().find(|d| d["donor"]["name"] == "Margaret Okafor").expect("the sample's £50");
    let id = small["id"].as_str().expect("id");
    let page = app.page(&format!("/donations/{id}")).await;
    assert_eq!(select(&page, &format!("a[href='/donations/{id}/edit']")).len(), 1);
    let action = format!("/donations/{id}");
    let page = app.page(&format!("/donations/{id}/edit")).await;
    let fields = fields_of(&form(&page, &action));
    assert!(fields.contains(&("amount".to_owned(), "50.00".to_owned())), "shown in pounds: {fields:?}");
    let fields = with(fields, "amount", "65");
    // A correction says why.
    let refused = send(&app, &action, &fields).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = html(refused).await;
    assert_eq!(select(&refused, ".govuk-error-summary a[href='#reason']").len(), 1);
    let fields = with(fields, "reason", "The cheque was for £65");
    let sent = send(&app, &action, &fields).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER, "{}", sent.text().await.unwrap_or_default());
    assert_eq!(
        sent.headers()["location"].to_str().expect("location"),
        format!("/donations/{id}?done=corrected")
    );
    let now = app.api_get(ASSISTANT.0, ASSISTANT.1, &action).await;
    assert_eq!((now["amount_pence"].as_u64(), now["version"].as_u64()), (Some(6_500), Some(2)));
    assert_eq!(now["corrections"][0]["reason"], "The cheque was for £65");
    let shown = app.page(&format!("/donations/{id}?done=corrected")).await;
    assert!(text_of(&shown, ".govuk-notification-banner").contains("The donation was corrected"));
    assert!(text_of(&shown, "main").contains("The cheque was for £65"));

    // The form shown before the correction is stale now: nothing is overwritten.
    let stale = with(with(fields_of(&form(&page, &action)), "amount", "70"), "reason", "Another");
    let stale = with(stale, "idempotency_key", "another-key");
    let refused = send(&app, &action, &stale).await;
    assert_eq!(refused.status(), StatusCode::CONFLICT, "{}", refused.text().await.unwrap_or_default());
    assert_eq!(app.api_get(ASSISTANT.0, ASSISTANT.1, &action).await["amount_pence"], 6_500);
}

#[tokio::test]
async fn the_register_as_it_stood_on_a_day_leaves_out_what_came_after() {
    let app = start().await;
    app.sign_in_as("assistant").await;
    let yesterday = today().pred_opt().expect("yesterday");
    let query = |day: chrono::NaiveDate| {
        format!("/donations?as_of-day={}&as_of-month={}&as_of-year={}", day.day(), day.month(), day.year())
    };
    // The sample was recorded today: the day before, nothing was.
    let then = app.page(&query(yesterday)).await;
    assert!(text_of(&then, "h1").contains("as they stood on"), "{}", text_of(&then, "h1"));
    assert!(text_of(&then, "main").contains("No donation was received in this year by then."));
    let now = app.page(&query(today())).await;
    assert_eq!(
        select(&now, "table a[href^='/donations/']").len(),
        2,
        "both of the sample's, as at today's end"
    );
    assert!(text_of(&now, "main").contains("Counts towards reporting"));
    let refused = app.get("/donations?as_of-day=31&as_of-month=2&as_of-year=2026").await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = html(refused).await;
    assert_eq!(select(&refused, ".govuk-error-summary a[href='#as_of-day']").len(), 1);
    assert!(text_of(&refused, "main").contains("The date must be a real date"));
}

#[tokio::test]
async fn a_councillor_is_refused_the_donation_forms_in_words_and_an_auditor_offered_none() {
    let app = start().await;
    let id = donations(&app).await[0]["id"].as_str().expect("id").to_owned();
    app.sign_in_as("councillor").await;
    for path in ["/donations/new".to_owned(), format!("/donations/{id}/edit")] {
        let refused = app.get(&path).await;
        assert_eq!(refused.status(), StatusCode::FORBIDDEN, "{path}");
        let body = refused.text().await.expect("body");
        assert!(
            body.contains(
                "Only Group Officers, the Leader and the Political Assistant record and correct donations"
            ),
            "{path}: {body}"
        );
    }
    app.sign_in_as("auditor").await;
    let register = app.page("/donations").await;
    assert!(select(&register, "a[href='/donations/new']").is_empty(), "auditors read, never record");
    let awaiting =
        donations(&app).await.into_iter().find(|d| d["status"] == "awaiting_check").expect("awaiting");
    let page = app.page(&format!("/donations/{}", awaiting["id"].as_str().expect("id"))).await;
    assert!(select(&page, "main form").is_empty(), "no check form for an auditor");
    assert_eq!(app.get("/donations/new").await.status(), StatusCode::FORBIDDEN);
}
