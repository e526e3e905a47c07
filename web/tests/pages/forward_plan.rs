//! The forward plan: the list as the api holds it, a decision due soon
//! without the group's position flagged; the assistant records a position,
//! agrees a briefing action, enters and corrects an item, and imports the
//! council's CSV (a bad date named by its line and column, and nothing
//! imported); a councillor reads it all and finds no office form.

use reqwest::StatusCode;
use serde_json::Value;

use crate::actions::{fields_of, form, html, select, send, with};
use crate::support::*;

const ASSISTANT: (&str, &str) = ("demo-assistant", "assistant");

async fn items(app: &Running) -> Vec<Value> {
    let all = app.api_get(ASSISTANT.0, ASSISTANT.1, "/forward-plan-items?limit=200").await;
    all["items"].as_array().expect("items").clone()
}

async fn item(app: &Running, id: &str) -> Value {
    app.api_get(ASSISTANT.0, ASSISTANT.1, &format!("/forward-plan-items/{id}")).await
}

/// The sample item titled `title`: its id.
async fn titled(app: &Running, title: &str) -> String {
    let found = items(app).await;
    let item = found.iter().find(|i| i["entry"]["title"] == title).unwrap_or_else(|| panic!("no {title}"));
    item["id"].as_str().expect("id").to_owned()
}

/// The text of the list's row linking to item `id`.
fn row_of(page: &scraper::Html, id: &str) -> String {
    let link = scraper::Selector::parse(&format!("a[href='/forward-plan/{id}']")).expect("selector");
    select(page, "tbody tr")
        .into_iter()
        .find(|row| row.select(&link).next().is_some())
        .map(|row| row.text().collect::<String>())
        .unwrap_or_else(|| panic!("no row for {id}"))
}

#[tokio::test]
async fn the_list_shows_what_the_api_holds_and_flags_a_decision_due_soon_without_a_position() {
    let app = start().await;
    app.sign_in_as("councillor").await;
    let page = app.page("/forward-plan").await;
    let mut shown: Vec<String> = select(&page, "table a[href^='/forward-plan/']")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .map(|h| h.trim_start_matches("/forward-plan/").to_owned())
        .collect();
    let mut held: Vec<String> =
        items(&app).await.iter().map(|i| i["id"].as_str().expect("id").to_owned()).collect();
    shown.sort_unstable();
    held.sort_unstable();
    assert_eq!(shown, held, "every item the api holds");

    // Fees and charges: ten days off, no position; the library review: five weeks off, none.
    let fees = titled(&app, "Fees and charges 2027/28").await;
    let row = row_of(&page, &fees);
    assert!(row.contains("Cabinet Member for Finance") && row.contains("Position needed soon"), "{row}");
    let library = titled(&app, "Library service review").await;
    assert!(row_of(&page, &library).contains("No position yet"));
    let local_plan = titled(&app, "Local Plan: regulation 19 consultation").await;
    let row = row_of(&page, &local_plan);
    assert!(row.contains("Position agreed") && row.contains("key decision"), "{row}");
    assert!(
        text_of(&page, ".govuk-warning-text").contains("1 decision due within 30 days has no group position")
    );

    // A councillor reads it all, and is offered no office form.
    assert!(
        select(&page, "main a[href='/forward-plan/new'], main a[href='/forward-plan/import']").is_empty()
    );
    let shown = app.page(&format!("/forward-plan/{local_plan}")).await;
    assert!(text_of(&shown, "main").contains("Support, with the affordable housing target kept at 50%"));
    assert!(select(&shown, "main form").is_empty(), "no office form for a councillor");
    assert!(select(&shown, "main a[href$='/edit']").is_empty(), "and no change links");
    let refused = app.get(&format!("/forward-plan/{local_plan}/edit")).await;
    assert_eq!(refused.status(), StatusCode::OK, "the form shows; the api refuses the write");
    let fields = fields_of(&form(&html(refused).await, &format!("/forward-plan/{local_plan}/edit")));
    let sent = send(&app, &format!("/forward-plan/{local_plan}/edit"), &fields).await;
    assert_eq!(sent.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_assistant_records_the_groups_position_and_agrees_a_briefing_action() {
    let app = start().await;
    app.sign_in_as("assistant").await;
    let id = titled(&app, "Fees and charges 2027/28").await;
    let path = format!("/forward-plan/{id}");
    let page = app.page(&path).await;
    assert!(text_of(&page, "main").contains("The group has not agreed a position yet"));

    // An empty position: explained at its field.
    let action = format!("{path}/position");
    let fields = fields_of(&form(&page, &action));
    let refused = send(&app, &action, &with(fields.clone(), "position", "")).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = html(refused).await;
    assert!(!select(&refused, ".govuk-error-summary a[href='#position']").is_empty());
    assert!(!select(&refused, "#position-error").is_empty(), "the message at the field");

    let position = "Oppose the rise in parking charges; accept the rest";
    let sent = send(&app, &action, &with(fields, "position", position)).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    assert_eq!(sent.headers()["location"].to_str().expect("location"), format!("{path}?done=position"));
    let recorded = item(&app, &id).await;
    assert_eq!(recorded["position"], position, "{recorded}");
    assert_eq!(recorded["status"], "position_agreed");
    let shown = app.page(&format!("{path}?done=position")).await;
    assert!(text_of(&shown, ".govuk-notification-banner").contains("position was recorded"));
    assert!(text_of(&shown, "main").contains(position));
    assert!(text_of(&shown, "tbody, .govuk-summary-list").contains("Position agreed"));

    // A briefing action: made an action of the group's, and linked.
    let action = format!("{path}/briefing-actions");
    let fields = fields_of(&form(&shown, &action));
    let owner = select(&shown, "#briefing-owner option")
        .iter()
        .filter_map(|o| o.value().attr("value"))
        .find(|v| !v.is_empty())
        .expect("a member")
        .to_owned();
    let due = chrono::Utc::now().date_naive() + chrono::Duration::days(5);
    let fields = with(fields, "title", "Brief the group on parking charges");
    let fields = with(fields, "owner_id", &owner);
    let fields = with(fields, "due_on-day", &due.format("%-d").to_string());
    let fields = with(fields, "due_on-month", &due.format("%-m").to_string());
    let fields = with(fields, "due_on-year", &due.format("%Y").to_string());
    for _ in 0..2 {
        let sent = send(&app, &action, &fields).await;
        assert_eq!(sent.status(), StatusCode::SEE_OTHER, "{}", sent.text().await.unwrap_or_default());
    }
    let recorded = item(&app, &id).await;
    let linked = recorded["briefing_actions"].as_array().expect("actions");
    assert_eq!(linked.len(), 1, "sent twice, made and linked once: {recorded}");
    let made =
        app.api_get(ASSISTANT.0, ASSISTANT.1, &format!("/actions/{}", linked[0].as_str().expect("id"))).await;
    assert_eq!(made["title"], "Brief the group on parking charges");
    assert_eq!(made["owner_id"], owner.as_str());
    assert_eq!(made["due_on"], due.to_string());
    let shown = app.page(&format!("{path}?done=briefing")).await;
    assert!(
        !select(&shown, &format!("main a[href='/actions/{}']", linked[0].as_str().expect("id"))).is_empty()
    );
}

#[tokio::test]
async fn the_assistant_enters_an_item_and_corrects_it() {
    let app = start().await;
    app.sign_in_as("assistant").await;
    let page = app.page("/forward-plan/new").await;
    let fields = fields_of(&form(&page, "/forward-plan"));
    let fields = with(fields, "title", "Parks strategy 2027 to 2032");
    let fields = with(fields, "decision_maker", "Cabinet");
    let fields = with(fields, "expected_on-day", "14");
    let fields = with(fields, "expected_on-month", "4");
    let fields = with(fields, "expected_on-year", "2027");
    let fields = with(fields, "wards", "Stratford, West Ham");

    // Without saying whether it is a key decision: explained at its field.
    let refused = send(&app, "/forward-plan", &fields).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = html(refused).await;
    assert!(!select(&refused, ".govuk-error-summary a[href='#key-decision']").is_empty());

    let fields = with(fields_of(&form(&refused, "/forward-plan")), "key_decision", "yes");
    let sent = send(&app, "/forward-plan", &fields).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let location = sent.headers()["location"].to_str().expect("location").to_owned();
    let id = location.trim_start_matches("/forward-plan/").trim_end_matches("?done=entered").to_owned();
    let entered = item(&app, &id).await;
    assert_eq!(entered["entry"]["title"], "Parks strategy 2027 to 2032", "{entered}");
    assert_eq!(entered["entry"]["expected_on"], "2027-04-14");
    assert_eq!(entered["entry"]["key_decision"], true);
    assert_eq!(entered["entry"]["wards"], serde_json::json!(["Stratford", "West Ham"]));
    assert_eq!(entered["classification"], "public", "the forward plan is public unless chosen otherwise");

    // Corrected when the council moves it.
    let edit = app.page(&format!("/forward-plan/{id}/edit")).await;
    let action = format!("/forward-plan/{id}/edit");
    let fields = with(fields_of(&form(&edit, &action)), "decision_maker", "Cabinet Member for Environment");
    let fields = with(fields, "expected_on-month", "5");
    let sent = send(&app, &action, &fields).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let changed = item(&app, &id).await;
    assert_eq!(changed["entry"]["decision_maker"], "Cabinet Member for Environment", "{changed}");
    assert_eq!(changed["entry"]["expected_on"], "2027-05-14");
    assert_eq!(changed["previous_entries"][0]["decision_maker"], "Cabinet");

    // Someone else changes it after the form was opened: their change is
    // shown, with 409, and the form saves again over it.
    let edit = app.page(&format!("/forward-plan/{id}/edit")).await;
    let now = item(&app, &id).await;
    let mut theirs = now["entry"].clone();
    theirs["title"] = "Parks and open spaces strategy".into();
    let version = now["version"].as_u64();
    let path = format!("/forward-plan-items/{id}");
    let (status, _) = app.api_send(ASSISTANT, reqwest::Method::PATCH, &path, &theirs, version).await;
    assert_eq!(status, StatusCode::OK);
    let stale = send(&app, &action, &with(fields_of(&form(&edit, &action)), "title", "Parks strategy")).await;
    assert_eq!(stale.status(), StatusCode::CONFLICT);
    let stale = html(stale).await;
    assert!(text_of(&stale, ".govuk-warning-text").contains("“Parks and open spaces strategy”"));
    let again = send(&app, &action, &fields_of(&form(&stale, &action))).await;
    assert_eq!(again.status(), StatusCode::SEE_OTHER, "saved again over the change it has seen");
    assert_eq!(item(&app, &id).await["entry"]["title"], "Parks strategy");
}

/// Sends the import form on `page` with `csv` as its file.
pub(crate) async fn import(app: &Running, page: &scraper::Html, csv: &str) -> reqwest::Response {
    let fields = fields_of(&form(page, "/forward-plan/import"));
    let mut multipart = reqwest::multipart::Form::new();
    for (name, value) in fields {
        multipart = multipart.text(name, value);
    }
    let file = reqwest::multipart::Part::bytes(csv.as_bytes().to_vec())
        .file_name("forward-plan.csv")
        .mime_str("application/vnd.ms-excel")
        .expect("mime");
    multipart = multipart.part("csv", file);
    app.browser
        .post(format!("{}/forward-plan/import", app.web))
        .multipart(multipart)
        .send()
        .await
        .expect("post")
}

#[tokio::test]
async fn a_csv_with_a_bad_date_is_refused_by_line_and_column_and_a_good_one_adds_its_items() {
    let app = start().await;
    app.sign_in_as("assistant").await;
    let before = items(&app).await.len();
    let page = app.page("/forward-plan/import").await;
    let bad = "title,decision_maker,expected_on,key_decision,wards,portfolio,reference\n\
               Housing allocations policy,Cabinet,2027-02-10,yes,Stratford;Forest Gate North,Housing,FP-101\n\
               Street lighting contract,Cabinet Member for Environment,10th March,no,,Environment,FP-102\n";
    let refused = import(&app, &page, bad).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = html(refused).await;
    let summary = text_of(&refused, ".govuk-error-summary");
    assert!(summary.contains("Line 3, column expected_on: must be a date like"), "{summary}");
    assert!(!select(&refused, ".govuk-error-summary a[href='#csv-file']").is_empty());
    assert!(text_of(&refused, "#csv-file-error").contains("Line 3, column expected_on"));
    assert_eq!(items(&app).await.len(), before, "nothing was imported");

    let good = bad.replace("10th March", "2027-03-10");
    let sent = import(&app, &refused, &good).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    assert_eq!(sent.headers()["location"], "/forward-plan?imported=2");
    let after = items(&app).await;
    assert_eq!(after.len(), before + 2);
    let lighting =
        after.iter().find(|i| i["entry"]["title"] == "Street lighting contract").expect("imported");
    assert_eq!(lighting["entry"]["expected_on"], "2027-03-10");
    assert_eq!(lighting["entry"]["reference"], "FP-102");
    let list = app.page("/forward-plan?imported=2").await;
    assert!(text_of(&list, ".govuk-notification-banner").contains("2 items were imported"));
    assert!(text_of(&list, "tbody").contains("Housing allocations policy"));
}
