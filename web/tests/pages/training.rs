//! Councillor training: the catalogue as the api holds it; the office adds
//! a course through its form (a refused one explained) and retires it; a
//! councillor records their own completion with its certificate (and no
//! one else's), and it shows on their record;
//! the sample's lapsing planning training shows on the expiries list and as
//! a gap on a committee seat's page; a councillor is offered none of the
//! office's forms.

use reqwest::{StatusCode, multipart};
use serde_json::Value;

use crate::actions::{fields_of, form, html, select, send, with};
use crate::support::*;

const ASSISTANT: (&str, &str) = ("demo-assistant", "assistant");

async fn api(app: &Running, path: &str) -> Value {
    app.api_get(ASSISTANT.0, ASSISTANT.1, path).await
}

fn items(found: &Value) -> &Vec<Value> {
    found["items"].as_array().expect("items")
}

/// The id of the sample's body called `name`.
async fn body_named(app: &Running, name: &str) -> String {
    let bodies = api(app, "/bodies?limit=200").await;
    let body = items(&bodies).iter().find(|b| b["name"] == name).expect("the body");
    body["id"].as_str().expect("id").to_owned()
}

#[tokio::test]
async fn the_catalogue_shows_each_course_with_its_validity_and_the_bodies_that_require_it() {
    let app = start().await;
    app.sign_in_as("councillor").await;
    let page = app.page("/courses").await;
    let courses = api(&app, "/courses?limit=200").await;
    let listed = text_list(&page, "tbody tr td:first-child");
    let mut held: Vec<String> =
        items(&courses).iter().map(|c| c["title"].as_str().expect("title").to_owned()).collect();
    let mut shown = listed.clone();
    held.sort_unstable();
    shown.sort_unstable();
    assert_eq!(shown, held, "every course the api holds");
    let planning = select(&page, "tbody tr")
        .into_iter()
        .map(|row| row.text().collect::<String>())
        .find(|row| row.contains("Planning: probity"))
        .expect("the planning course");
    assert!(
        planning.contains("12 months") && planning.contains("Strategic Development Committee"),
        "{planning}"
    );
    assert!(text_of(&page, "tbody").contains("For good"), "chairing never lapses");
    assert!(select(&page, "a[href='/courses/new']").is_empty(), "a councillor adds no course");
    assert!(text_of(&page, ".govuk-service-navigation").contains("Training"));

    // A course's page: its details, and no retirement form for a councillor.
    let link = select(&page, "tbody a[href^='/courses/']")[0].value().attr("href").expect("href").to_owned();
    let course = app.page(&link).await;
    assert!(text_of(&course, ".govuk-summary-list").contains("Valid for"));
    assert!(select(&course, "form[action$='/retirement']").is_empty());
}

#[tokio::test]
async fn the_office_adds_a_course_through_the_form_and_retires_it() {
    let app = start().await;
    app.sign_in_as("assistant").await;
    let listed = app.page("/courses").await;
    assert!(!select(&listed, "a[href='/courses/new']").is_empty(), "the office may add one");
    let page = app.page("/courses/new").await;
    let fields = fields_of(&form(&page, "/courses"));
    let committee = body_named(&app, "Licensing Committee").await;

    // For a number of months, but none given: explained at the field.
    let refused = send(&app, "/courses", &with(fields.clone(), "validity", "months")).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!select(&html(refused).await, ".govuk-error-summary a[href='#valid-for-months']").is_empty());

    // Without a name: the api refuses it, explained at the field.
    let refused = send(&app, "/courses", &with(fields, "valid_for_months", "12")).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = html(refused).await;
    assert!(!select(&refused, ".govuk-error-summary a[href='#title']").is_empty());
    assert!(!select(&refused, "#title-error").is_empty(), "the message at the field");

    let fields = fields_of(&form(&refused, "/courses"));
    let fields = with(fields, "title", "Licensing: new hearing procedures");
    let fields = with(fields, "description", "The 2026 changes to the hearing regulations.");
    let fields = with(with(fields, "validity", "months"), "valid_for_months", "24");
    let fields = with(fields, "required_for", &committee);
    let sent = send(&app, "/courses", &fields).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER, "{}", sent.text().await.unwrap_or_default());
    let location = sent.headers()["location"].to_str().expect("location").to_owned();
    let id = location.trim_start_matches("/courses/").trim_end_matches("?done=added").to_owned();
    let added = api(&app, &format!("/courses/{id}")).await;
    assert_eq!(added["title"], "Licensing: new hearing procedures", "{added}");
    assert_eq!(added["valid_for_months"], 24);
    assert_eq!(added["required_for"][0], committee.as_str());
    let shown = app.page(&location).await;
    assert!(text_of(&shown, ".govuk-notification-banner").contains("The course was added"));
    assert!(text_of(&shown, ".govuk-summary-list").contains("24 months"));
    assert!(text_of(&shown, ".govuk-summary-list").contains("Licensing Committee"));

    // Retired, with the reason.
    let path = format!("/courses/{id}/retirement");
    let fields = with(fields_of(&form(&shown, &path)), "reason", "Folded into the licensing course");
    let sent = send(&app, &path, &fields).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let retired = api(&app, &format!("/courses/{id}")).await;
    assert_eq!(retired["status"], "retired", "{retired}");
    let shown = app.page(&format!("/courses/{id}?done=retired")).await;
    assert!(text_of(&shown, "main").contains("Folded into the licensing course"));
    assert!(select(&shown, "form[action$='/retirement']").is_empty(), "retired once");
}

/// Sends the record-a-completion form on `page` for `member` with `course`
/// and a certificate (if `certificate`).
async fn record_completion(
    app: &Running,
    page: &scraper::Html,
    member: &str,
    course: &str,
    certificate: Option<&[u8]>,
) -> reqwest::Response {
    let action = format!("/members/{member}/training/completions");
    let fields = fields_of(&form(page, &action));
    let mut sent = multipart::Form::new();
    for (name, value) in with(fields, "course_id", course).into_iter().filter(|(n, _)| n != "certificate") {
        sent = sent.text(name, value);
    }
    if let Some(content) = certificate {
        let file = multipart::Part::bytes(content.to_vec())
            .file_name("chairing-certificate.pdf")
            .mime_str("application/pdf")
            .expect("part");
        sent = sent.part("certificate", file);
    }
    app.browser.post(format!("{}{action}", app.web)).multipart(sent).send().await.expect("post")
}

#[tokio::test]
async fn a_councillor_records_their_own_completion_with_its_certificate_and_no_one_elses() {
    let app = start().await;
    let councillor = app.sign_in_as("councillor").await;
    let own = app.page(&format!("/members/{councillor}")).await;
    assert!(!select(&own, &format!("a[href='/members/{councillor}/training']")).is_empty(), "linked");
    let courses = api(&app, "/courses?limit=200").await;
    let chairing = items(&courses).iter().find(|c| c["title"] == "Chairing meetings").expect("chairing");
    let chairing = chairing["id"].as_str().expect("id");
    let path = format!("/members/{councillor}/training");
    let page = app.page(&path).await;

    // Without a certificate: explained at the file field, nothing recorded.
    let refused = record_completion(&app, &page, &councillor, chairing, None).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = html(refused).await;
    assert!(!select(&refused, ".govuk-error-summary a[href='#certificate']").is_empty());

    let content = b"%PDF-1.4\nCertificate: Chairing meetings\n";
    let sent = record_completion(&app, &refused, &councillor, chairing, Some(content)).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER, "{}", sent.text().await.unwrap_or_default());
    assert_eq!(sent.headers()["location"], format!("{path}?done=completed").as_str());
    let record = api(&app, &format!("/training-records/{councillor}")).await;
    let completion = record["completions"]
        .as_array()
        .expect("completions")
        .iter()
        .find(|c| c["course_id"] == chairing)
        .expect("the completion")
        .clone();
    assert_eq!(completion["evidence"], "certificate", "{record}");
    assert!(completion["valid_until"].is_null(), "chairing is for good");

    let shown = app.page(&format!("{path}?done=completed")).await;
    assert!(text_of(&shown, ".govuk-notification-banner").contains("The completion was recorded"));
    let row = select(&shown, "tbody tr")
        .into_iter()
        .map(|row| row.text().collect::<String>())
        .find(|row| row.contains("Chairing meetings"))
        .expect("the course on the record");
    assert!(row.contains("Certificate") && row.contains("For good") && row.contains("Valid"), "{row}");
    let file = completion["file_id"].as_str().expect("file");
    let download = app.get(&format!("{path}/files/{file}")).await;
    assert_eq!(download.status(), StatusCode::OK);
    assert_eq!(download.bytes().await.expect("bytes").as_ref(), content, "the certificate as sent");

    // Another member's record offers the councillor no form; the office's does.
    let members = api(&app, "/members?limit=200").await;
    let other = items(&members).iter().find(|m| m["id"] != councillor.as_str()).expect("another member");
    let other = format!("/members/{}/training", other["id"].as_str().expect("id"));
    assert!(select(&app.page(&other).await, "form[action$='/completions']").is_empty(), "not theirs");
    app.sign_in_as("assistant").await;
    assert!(!select(&app.page(&other).await, "form[action$='/completions']").is_empty(), "the office's");
}

#[tokio::test]
async fn lapsing_planning_training_shows_on_the_expiries_and_as_a_gap_on_a_committee_seat() {
    let app = start().await;
    app.sign_in_as("assistant").await;
    let expiries = api(&app, "/training-expiries").await;
    assert!(!items(&expiries).is_empty(), "the sample's planning training lapses soon: {expiries}");
    let page = app.page("/training-expiries").await;
    let rows = select(&page, "tbody tr");
    assert_eq!(rows.len(), items(&expiries).len());
    let text = text_of(&page, "tbody");
    assert!(text.contains("Planning: probity and the planning code"), "{text}");
    let first = items(&expiries)[0]["member_id"].as_str().expect("member");
    assert!(!select(&page, &format!("tbody a[href='/members/{first}/training']")).is_empty());
    let member = api(&app, &format!("/members/{first}")).await;
    assert!(text.contains(member["name"].as_str().expect("name")), "named: {text}");
    let tag = if items(&expiries)[0]["expired"] == true { "Lapsed" } else { "Lapsing" };
    assert!(text.contains(tag));
    // The member's record says the same.
    let record = app.page(&format!("/members/{first}/training")).await;
    assert!(text_of(&record, "tbody").contains(tag));

    // A number of days the api cannot look ahead: said at the field.
    let refused = app.get("/training-expiries?within_days=soon").await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!select(&html(refused).await, ".govuk-error-summary a[href='#within-days']").is_empty());

    // A seat on the Strategic Development Committee without the planning course.
    let committee = body_named(&app, "Strategic Development Committee").await;
    let seats = api(&app, &format!("/appointments?body_id={committee}&limit=200")).await;
    let seat = items(&seats)
        .iter()
        .find(|a| a["training_gaps"].as_array().is_some_and(|g| !g.is_empty()))
        .unwrap_or_else(|| panic!("a seat with a gap: {seats}"));
    let page = app.page(&format!("/appointments/{}", seat["id"].as_str().expect("id"))).await;
    let warning = text_of(&page, ".govuk-warning-text");
    assert!(warning.contains("needs training: Planning: probity and the planning code"), "{warning}");
    assert!(warning.contains("never completed") || warning.contains("lapsed on"), "{warning}");
    let member = seat["member_id"].as_str().expect("member");
    assert!(!select(&page, &format!("a[href='/members/{member}/training']")).is_empty());
}

/// The id of the sample's member called `name`.
async fn member_named(app: &Running, name: &str) -> String {
    let members = api(app, "/members?limit=200").await;
    let member = items(&members).iter().find(|m| m["name"] == name).expect("the member");
    member["id"].as_str().expect("id").to_owned()
}

#[tokio::test]
async fn the_office_records_a_need_through_the_form_and_withdraws_it() {
    let app = start().await;
    app.sign_in_as("assistant").await;
    let member = member_named(&app, "Lucy Adebayo").await;
    let path = format!("/members/{member}/training");
    let page = app.page(&path).await;
    let action = format!("{path}/needs");
    let fields = fields_of(&form(&page, &action));

    // No priority chosen: said at the radios, nothing sent.
    let refused = send(&app, &action, &with(fields.clone(), "reason", "annual_review")).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!select(&html(refused).await, ".govuk-error-summary a[href='#need-priority']").is_empty());

    // Neither a course nor a description: the api refuses it, said at the field.
    let fields = with(with(fields, "priority", "medium"), "reason", "annual_review");
    let refused = send(&app, &action, &fields).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = html(refused).await;
    assert!(!select(&refused, ".govuk-error-summary a[href='#need-description']").is_empty());
    assert!(!select(&refused, "#need-description-error").is_empty(), "the message at the field");

    let fields = with(fields_of(&form(&refused, &action)), "description", "Chairing a scrutiny panel");
    let sent = send(&app, &action, &fields).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER, "{}", sent.text().await.unwrap_or_default());
    assert_eq!(sent.headers()["location"], format!("{path}?done=need-recorded").as_str());
    let record = api(&app, &format!("/training-records/{member}")).await;
    let need = record["needs"]
        .as_array()
        .expect("needs")
        .iter()
        .find(|n| n["description"] == "Chairing a scrutiny panel")
        .unwrap_or_else(|| panic!("the need: {record}"))
        .clone();
    assert_eq!(need["priority"], "medium");
    assert_eq!(need["reason"], "annual_review");
    let shown = app.page(&format!("{path}?done=need-recorded")).await;
    assert!(text_of(&shown, ".govuk-notification-banner").contains("The training need was recorded"));
    let row = select(&shown, "tbody tr")
        .into_iter()
        .map(|row| row.text().collect::<String>())
        .find(|row| row.contains("Chairing a scrutiny panel"))
        .expect("the need on the record");
    assert!(row.contains("Medium") && row.contains("annual review") && row.contains("Open"), "{row}");

    // Withdrawn with a reason: without one, said at the field.
    let id = need["id"].as_str().expect("id");
    let action = format!("{path}/needs/{id}/withdrawal");
    let fields = fields_of(&form(&shown, &action));
    let refused = send(&app, &action, &fields).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = html(refused).await;
    assert!(!select(&refused, &format!(".govuk-error-summary a[href='#withdraw-{id}']")).is_empty());
    let fields = with(fields_of(&form(&refused, &action)), "reason", "She chairs no panel after all");
    let sent = send(&app, &action, &fields).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER, "{}", sent.text().await.unwrap_or_default());
    let record = api(&app, &format!("/training-records/{member}")).await;
    let need =
        record["needs"].as_array().expect("needs").iter().find(|n| n["id"] == id).expect("need").clone();
    assert_eq!(need["status"], "withdrawn", "{need}");
    let shown = app.page(&format!("{path}?done=need-withdrawn")).await;
    assert!(text_of(&shown, "tbody").contains("She chairs no panel after all"));
    assert!(select(&shown, &format!("form[action='{action}']")).is_empty(), "withdrawn once");
}

#[tokio::test]
async fn a_councillor_records_their_own_need_but_is_offered_no_form_on_anothers_record() {
    let app = start().await;
    let councillor = app.sign_in_as("councillor").await;
    let courses = api(&app, "/courses?limit=200").await;
    let chairing = items(&courses).iter().find(|c| c["title"] == "Chairing meetings").expect("chairing");
    let chairing = chairing["id"].as_str().expect("id");
    let path = format!("/members/{councillor}/training");
    let page = app.page(&path).await;
    let action = format!("{path}/needs");
    let fields = with(fields_of(&form(&page, &action)), "course_id", chairing);
    let fields = with(with(fields, "priority", "low"), "reason", "own_request");
    let sent = send(&app, &action, &fields).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER, "{}", sent.text().await.unwrap_or_default());
    let record = api(&app, &format!("/training-records/{councillor}")).await;
    let needs = record["needs"].as_array().expect("needs");
    assert!(needs.iter().any(|n| n["course_id"] == chairing && n["reason"] == "own_request"), "{record}");
    let shown = app.page(&path).await;
    let row = text_of(&shown, "tbody");
    assert!(row.contains("Chairing meetings") && row.contains("They asked for it"), "{row}");

    let members = api(&app, "/members?limit=200").await;
    let other = items(&members).iter().find(|m| m["id"] != councillor.as_str()).expect("another member");
    let other = app.page(&format!("/members/{}/training", other["id"].as_str().expect("id"))).await;
    assert!(select(&other, "form[action$='/needs']").is_empty(), "not theirs to record");
    assert!(select(&other, "form[action$='/withdrawal']").is_empty(), "nor to withdraw");
}

#[tokio::test]
async fn the_draft_plan_shows_who_needs_each_course_and_downloads_as_markdown() {
    let app = start().await;
    app.sign_in_as("assistant").await;
    let courses = app.page("/courses").await;
    assert!(!select(&courses, "a[href='/training-plan']").is_empty(), "linked from the courses");
    let expiries = app.page("/training-expiries").await;
    assert!(!select(&expiries, "a[href='/training-plan']").is_empty(), "and from the expiries");

    let page = app.page("/training-plan").await;
    let plan = api(&app, "/training-plan").await;
    let headings = text_list(&page, "main h2");
    for course in plan["courses"].as_array().expect("courses") {
        let title = course["title"].as_str().expect("title");
        assert!(headings.iter().any(|h| h.contains(title)), "{title} in {headings:?}");
    }
    let tables = select(&page, "main table");
    let planning = tables
        .iter()
        .find(|t| t.text().collect::<String>().contains("Who needs Planning: probity and the planning code"))
        .expect("the planning course's table");
    let rows: Vec<String> = planning
        .select(&scraper::Selector::parse("tbody tr").expect("selector"))
        .map(|row| row.text().collect::<String>())
        .collect();
    let lucy = rows.iter().find(|r| r.contains("Lucy Adebayo")).unwrap_or_else(|| panic!("{rows:?}"));
    assert!(lucy.contains("High"), "{lucy}");
    let member = member_named(&app, "Lucy Adebayo").await;
    assert!(!select(&page, &format!("a[href='/members/{member}/training']")).is_empty());
    let main = text_of(&page, "main");
    assert!(main.contains("Needs outside the catalogue"));
    let others = tables.last().expect("the needs outside").text().collect::<String>();
    assert!(others.contains("Handling broadcast interviews and the local press"), "{others}");

    // As Markdown for the papers, under the day the plan starts.
    let link =
        select(&page, "a[href^='/training-plan.md']")[0].value().attr("href").expect("href").to_owned();
    let download = app.get(&link).await;
    assert_eq!(download.status(), StatusCode::OK);
    let from = plan["from"].as_str().expect("from");
    let disposition = download.headers()["content-disposition"].to_str().expect("disposition").to_owned();
    assert!(disposition.contains(&format!("training-plan-{from}.md")), "{disposition}");
    let text = download.text().await.expect("text");
    assert!(text.starts_with("# Draft training plan"), "{text}");

    // From after to: the api refuses the period, said at the dates.
    let refused = app
        .get("/training-plan?from-day=1&from-month=6&from-year=2027&to-day=1&to-month=1&to-year=2027")
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = html(refused).await;
    assert!(!select(&refused, ".govuk-error-summary a[href='#from-day']").is_empty());
    assert!(!select(&refused, "#from-error").is_empty(), "the message at the dates");
}
