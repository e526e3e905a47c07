//! The induction of new councillors: the sample's new councillor, half way
//! through with a step overdue, on the list and their checklist; the office
//! ticks a step off through its form (a refused note explained) and starts
//! an induction for a member who joined before they were kept; a councillor
//! is offered no form on another's; My work links to the checklist; the
//! office adds, changes and retires the group's steps through their forms
//! (a refused one explained), which a councillor only reads.

use reqwest::StatusCode;
use serde_json::Value;

use crate::actions::{fields_of, form, html, select, send, with};
use crate::support::*;

const ASSISTANT: (&str, &str) = ("demo-assistant", "assistant");

async fn api(app: &Running, path: &str) -> Value {
    app.api_get(ASSISTANT.0, ASSISTANT.1, path).await
}

/// The id of the sample's member called `name`.
async fn member_named(app: &Running, name: &str) -> String {
    let members = api(app, "/members?limit=200").await;
    let member = members["items"].as_array().expect("items").iter().find(|m| m["name"] == name).expect(name);
    member["id"].as_str().expect("id").to_owned()
}

/// The sample's new councillor, half way through their induction.
async fn new_councillor(app: &Running) -> String {
    member_named(app, "Harjit Singh Gill").await
}

/// Each table row's text.
fn rows(page: &scraper::Html) -> Vec<String> {
    select(page, "tbody tr").into_iter().map(|r| r.text().collect::<String>()).collect()
}

#[tokio::test]
async fn induction_list_shows_the_sample_new_councillor_with_steps_done_and_overdue() {
    let app = start().await;
    app.sign_in_as("councillor").await;
    let courses = app.page("/courses").await;
    assert!(!select(&courses, "a[href='/inductions']").is_empty(), "the courses page links the list");
    let page = app.page("/inductions").await;
    let member = new_councillor(&app).await;
    let held = api(&app, "/inductions").await;
    let theirs = held["items"].as_array().expect("items").iter().find(|i| i["member_id"] == member.as_str());
    let theirs = theirs.expect("the sample's induction");
    let row = rows(&page).into_iter().find(|r| r.contains("Harjit Singh Gill")).expect("their row");
    let total = theirs["steps"].as_array().expect("steps").len();
    assert!(row.contains(&format!("{} of {total}", theirs["done"])), "{row}");
    assert!(row.contains(&format!("{} overdue", theirs["overdue"])), "{row}");
    assert!(!select(&page, &format!("tbody a[href='/inductions/{member}']")).is_empty());
    assert!(!select(&page, "tbody .govuk-tag--red").is_empty(), "overdue as a red tag");
}

#[tokio::test]
async fn induction_checklist_shows_each_step_with_the_overdue_one_tagged() {
    let app = start().await;
    app.sign_in_as("councillor").await;
    let member = new_councillor(&app).await;
    let profile = app.page(&format!("/members/{member}")).await;
    assert!(
        !select(&profile, &format!("a[href='/inductions/{member}']")).is_empty(),
        "the member page links it"
    );
    let page = app.page(&format!("/inductions/{member}")).await;
    let held = api(&app, &format!("/inductions/{member}")).await;
    let steps = held["steps"].as_array().expect("steps");
    let shown = rows(&page);
    assert_eq!(shown.len(), steps.len(), "every step");
    for step in steps {
        let title = step["title"].as_str().expect("title");
        let row = shown.iter().find(|r| r.contains(title)).expect(title);
        let tag = match (&step["done_on"], &step["overdue"]) {
            (Value::String(_), _) => "Done",
            (_, Value::Bool(true)) => "Overdue",
            _ => "",
        };
        assert!(row.contains(tag), "{row}");
    }
    assert!(shown.iter().any(|r| r.contains("Laptop and council email set up.")), "the note made on ticking");
    assert!(!select(&page, "tbody .govuk-tag--red").is_empty(), "the overdue step");
    // Another member's checklist: a councillor may tick off only their own.
    assert!(select(&page, "form[action$='/done']").is_empty(), "no tick form on another's");
    assert!(select(&page, &format!("form[action='/inductions/{member}']")).is_empty());
}

#[tokio::test]
async fn induction_step_ticked_through_the_form_lands_in_the_api() {
    let app = start().await;
    app.sign_in_as("assistant").await;
    let member = new_councillor(&app).await;
    let held = api(&app, &format!("/inductions/{member}")).await;
    let open =
        held["steps"].as_array().expect("steps").iter().find(|s| s["done_on"].is_null()).expect("open");
    let number = open["number"].as_u64().expect("number");
    let page = app.page(&format!("/inductions/{member}")).await;
    let action = format!("/inductions/{member}/steps/{number}/done");
    let fields = fields_of(&form(&page, &action));

    // A note past 2,000 characters: refused, explained at its field.
    let refused = send(&app, &action, &with(fields.clone(), "note", &"x".repeat(2_001))).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = html(refused).await;
    assert!(!select(&refused, &format!(".govuk-error-summary a[href='#note-{number}']")).is_empty());
    assert!(!select(&refused, &format!("#note-{number}-error")).is_empty());

    let sent = send(&app, &action, &with(fields, "note", "Done over coffee.")).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let location = sent.headers()["location"].to_str().expect("location").to_owned();
    assert_eq!(location, format!("/inductions/{member}?done=ticked"));
    let now = api(&app, &format!("/inductions/{member}")).await;
    let step = now["steps"].as_array().expect("steps").iter().find(|s| s["number"] == number).expect("step");
    assert!(step["done_on"].is_string(), "{step}");
    assert_eq!(step["note"], "Done over coffee.");
    let shown = app.page(&location).await;
    assert!(text_of(&shown, ".govuk-notification-banner").contains("marked as done"));
    assert!(select(&shown, &format!("form[action='{action}']")).is_empty(), "done: no form");

    // Its history, by the member's id as the page links it: the tick, and the
    // checklist as it stood before it.
    let history = format!("/history/induction/{member}");
    assert_eq!(select(&shown, &format!("a[href='{history}']")).len(), 1, "the page links its history");
    let timeline = app.page(&history).await;
    let entries = select(&timeline, "main ol a[href*='at=']");
    assert!(entries.len() >= 2, "started, ticked: {}", text_of(&timeline, "main"));
    let before = entries[entries.len() - 2].value().attr("href").expect("href").to_owned();
    let then = app.page(&before).await;
    assert!(text_of(&then, "main").contains("as it stood"), "{}", text_of(&then, "main"));
}

#[tokio::test]
async fn induction_started_by_the_office_for_a_member_who_joined_before() {
    let app = start().await;
    app.sign_in_as("assistant").await;
    let members = api(&app, "/members?limit=200").await;
    let mut without = None;
    for m in members["items"].as_array().expect("items") {
        let id = m["id"].as_str().expect("id");
        let found = api(&app, &format!("/inductions/{id}")).await;
        if found["status"] == 404 {
            without = Some(id.to_owned());
            break;
        }
    }
    let member = without.expect("a member without an induction");
    let page = app.page(&format!("/inductions/{member}")).await;
    assert!(text_of(&page, "main").contains("has no induction"));
    let action = format!("/inductions/{member}");
    let fields = fields_of(&form(&page, &action));
    let refused = send(&app, &action, &fields).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = html(refused).await;
    assert!(!select(&refused, ".govuk-error-summary a[href='#joined-on-day']").is_empty());

    let dated =
        with(with(with(fields, "joined_on-day", "2"), "joined_on-month", "3"), "joined_on-year", "2026");
    let sent = send(&app, &action, &dated).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let started = api(&app, &format!("/inductions/{member}")).await;
    assert_eq!(started["joined_on"], "2026-03-02");
    let shown = app.page(&format!("/inductions/{member}?done=started")).await;
    assert!(!select(&shown, "form[action$='/done']").is_empty(), "the office may tick its steps");
}

#[tokio::test]
async fn induction_on_my_work_links_to_the_checklist() {
    let app = start().await;
    app.sign_in_as("assistant").await;
    let member = new_councillor(&app).await;
    let home = app.page("/").await;
    assert!(!select(&home, &format!("a[href='/inductions/{member}']")).is_empty(), "the overdue step's item");
}

/// The group's steps as the api holds them: (number, title, days).
async fn steps(app: &Running) -> Vec<(u64, String, u64)> {
    let steps = api(app, "/induction-steps").await;
    let steps = steps["steps"].as_array().expect("steps");
    steps
        .iter()
        .map(|s| {
            let title = s["title"].as_str().expect("title").to_owned();
            (s["number"].as_u64().expect("number"), title, s["due_after_days"].as_u64().expect("days"))
        })
        .collect()
}

#[tokio::test]
async fn the_office_adds_changes_and_retires_the_groups_induction_steps() {
    let app = start().await;
    app.sign_in_as("councillor").await;
    let page = app.page("/induction-steps").await;
    let listed = rows(&page);
    assert_eq!(listed.len(), steps(&app).await.len(), "every step listed: {listed:?}");
    assert!(
        listed.iter().any(|r| r.contains("Register of interests") || r.contains("register of interests"))
    );
    assert!(select(&page, "main form").is_empty(), "a councillor changes nothing");
    assert!(select(&page, "a[href='/induction-steps/new']").is_empty());

    app.sign_in_as("assistant").await;
    let before = steps(&app).await;
    let page = app.page("/induction-steps/new").await;
    let action = "/induction-steps";
    let fields = with(fields_of(&form(&page, action)), "title", "Tour of the Town Hall");
    // Days that are not a number: explained at the field, nothing added.
    let refused = send(&app, action, &with(fields.clone(), "due_after_days", "a fortnight")).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = html(refused).await;
    assert!(!select(&refused, ".govuk-error-summary a[href='#due-after-days']").is_empty());
    assert_eq!(steps(&app).await.len(), before.len());
    let fields = with(fields_of(&form(&refused, action)), "due_after_days", "14");
    let sent = send(&app, action, &with(fields, "owner", "officer")).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER, "{}", sent.text().await.unwrap_or_default());
    assert_eq!(sent.headers()["location"], "/induction-steps?done=added");
    let after = steps(&app).await;
    let (number, _, days) =
        after.iter().find(|(_, t, _)| t == "Tour of the Town Hall").expect("added").clone();
    assert_eq!(days, 14);
    let added = api(&app, "/induction-steps").await;
    let added = added["steps"].as_array().expect("steps").iter().find(|s| s["number"] == number).cloned();
    assert_eq!(added.expect("added")["owner"]["role"], "officer");
    let shown = app.page("/induction-steps?done=added").await;
    assert!(text_of(&shown, ".govuk-notification-banner").contains("The step was added"));
    assert!(
        rows(&shown)
            .iter()
            .any(|r| r.contains("Tour of the Town Hall") && r.contains("14 days after joining"))
    );

    // Changed through the step's own form.
    let path = format!("/induction-steps/{number}");
    let page = app.page(&format!("{path}/edit")).await;
    let fields = with(fields_of(&form(&page, &path)), "title", "Tour of the Town Hall and the Chamber");
    let sent = send(&app, &path, &with(fields, "due_after_days", "21")).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER, "{}", sent.text().await.unwrap_or_default());
    let changed = steps(&app).await;
    assert!(
        changed.contains(&(number, "Tour of the Town Hall and the Chamber".to_owned(), 21)),
        "{changed:?}"
    );

    // Retired: members joining from now on are not given it.
    let action = format!("{path}/retirement");
    let page = app.page("/induction-steps").await;
    let sent = send(&app, &action, &fields_of(&form(&page, &action))).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    assert!(!steps(&app).await.iter().any(|(n, _, _)| *n == number), "retired");
    let shown = app.page("/induction-steps?done=retired").await;
    assert!(text_of(&shown, ".govuk-notification-banner").contains("The step was retired"));
    assert!(select(&shown, &format!("form[action='{action}']")).is_empty());
    assert_eq!(app.get(&format!("{path}/edit")).await.status(), StatusCode::NOT_FOUND, "no such step now");
}
