//! Actions: a councillor finds their own first, notes progress on one from
//! its page (once however often the form is sent) and is refused in words on
//! another's; the assistant re-dates one with a reason, reassigns one and
//! agrees a new one; an auditor reads the registers and is offered no form.

use reqwest::{Method, StatusCode};
use scraper::{ElementRef, Html, Selector};
use serde_json::{Value, json};

use crate::support::*;

const ASSISTANT: (&str, &str) = ("demo-assistant", "assistant");

pub(crate) fn select<'a>(page: &'a Html, selector: &str) -> Vec<ElementRef<'a>> {
    let selector = Selector::parse(selector).expect("selector");
    page.select(&selector).collect()
}

pub(crate) fn form<'a>(page: &'a Html, action: &str) -> ElementRef<'a> {
    *select(page, &format!("form[action='{action}']"))
        .first()
        .unwrap_or_else(|| panic!("no form to {action}"))
}

/// Every field a form would send as it stands: its inputs and textareas,
/// the checked radios, the selected options.
pub(crate) fn fields_of(form: &ElementRef<'_>) -> Vec<(String, String)> {
    let mut fields = Vec::new();
    let inputs = Selector::parse("input, textarea, select").expect("selector");
    let selected = Selector::parse("option[selected]").expect("selector");
    for field in form.select(&inputs) {
        let element = field.value();
        let Some(name) = element.attr("name") else { continue };
        let value = match (element.name(), element.attr("type")) {
            ("textarea", _) => field.text().collect::<String>(),
            ("select", _) => field
                .select(&selected)
                .next()
                .and_then(|o| o.value().attr("value"))
                .unwrap_or_default()
                .to_owned(),
            (_, Some("radio" | "checkbox")) if element.attr("checked").is_none() => continue,
            _ => element.attr("value").unwrap_or_default().to_owned(),
        };
        fields.push((name.to_owned(), value));
    }
    fields
}

/// `fields` with `name` set to `value` (added if absent).
pub(crate) fn with(mut fields: Vec<(String, String)>, name: &str, value: &str) -> Vec<(String, String)> {
    match fields.iter_mut().find(|(n, _)| n == name) {
        Some(field) => field.1 = value.to_owned(),
        None => fields.push((name.to_owned(), value.to_owned())),
    }
    fields
}

pub(crate) async fn send(app: &Running, action: &str, fields: &[(String, String)]) -> reqwest::Response {
    let fields: Vec<(&str, &str)> = fields.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    app.post(action, &fields).await
}

pub(crate) async fn html(response: reqwest::Response) -> Html {
    Html::parse_document(&response.text().await.expect("body"))
}

/// The ids an actions table links to, in order.
fn linked(table: &ElementRef<'_>) -> Vec<String> {
    let links = Selector::parse("a[href^='/actions/']").expect("selector");
    table
        .select(&links)
        .filter_map(|a| a.value().attr("href"))
        .map(|h| h.trim_start_matches("/actions/").to_owned())
        .collect()
}

fn ids(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|a| a["id"].as_str().expect("id").to_owned())
        .collect()
}

/// An action agreed through the api for `owner`, due `due_on`.
async fn agreed(app: &Running, owner: &str, title: &str, due_on: chrono::NaiveDate) -> String {
    let body = json!({"title": title, "owner_id": owner, "due_on": due_on, "classification": "group"});
    let (status, made) = app.api_send(ASSISTANT, Method::POST, "/actions", &body, None).await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    made["id"].as_str().expect("id").to_owned()
}

async fn action(app: &Running, id: &str) -> Value {
    app.api_get(ASSISTANT.0, ASSISTANT.1, &format!("/actions/{id}")).await
}

fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}

#[tokio::test]
async fn a_councillor_sees_their_own_actions_first_and_reports_progress_once() {
    let app = start().await;
    let me = app.sign_in_as("councillor").await;
    let late = agreed(&app, &me, "Leaflet the Custom House estate", today() - chrono::Days::new(3)).await;

    let list = app.page("/actions").await;
    let tables = select(&list, "table");
    assert_eq!(tables.len(), 2, "their own, then everyone else's");
    let caption = tables[0].text().collect::<String>();
    assert!(caption.contains("Your actions"), "{caption}");
    let own = app.api_get(&me, "councillor", &format!("/actions?status=open&owner_id={me}&limit=200")).await;
    let mut shown = linked(&tables[0]);
    let mut expected = ids(&own);
    shown.sort_unstable();
    expected.sort_unstable();
    assert_eq!(shown, expected, "their open actions, as the api has them");
    let others = linked(&tables[1]);
    assert!(!others.is_empty() && !others.contains(&late), "everyone else's follow");
    let rows = Selector::parse("tbody tr").expect("selector");
    let row = tables[0]
        .select(&rows)
        .map(|r| r.text().collect::<String>())
        .find(|r| r.contains("Leaflet the Custom House estate"))
        .expect("the new action's row");
    assert!(row.contains("Overdue"), "overdue ones are tagged: {row}");

    // "Mine only" without JavaScript: a GET form.
    let mine = app.page("/actions?who=mine&status=open").await;
    assert_eq!(select(&mine, "table").len(), 1);

    // Progress from the action's page, the date already today; sent twice.
    let page = app.page(&format!("/actions/{late}")).await;
    assert!(text_of(&page, "main").contains("Overdue"));
    let progress = fields_of(&form(&page, &format!("/actions/{late}/progress")));
    let day = progress.iter().find(|(n, _)| n == "on-day").map(|(_, v)| v.clone()).expect("day");
    assert!(!day.is_empty(), "the date defaults to today");
    let fields = with(progress, "note", "Half the blocks done; the rest on Saturday");
    for _ in 0..2 {
        let sent = send(&app, &format!("/actions/{late}/progress"), &fields).await;
        assert_eq!(sent.status(), StatusCode::SEE_OTHER);
        assert_eq!(sent.headers()["location"], format!("/actions/{late}?done=progress").as_str());
    }
    let recorded = action(&app, &late).await;
    let notes = recorded["progress"].as_array().expect("progress");
    assert_eq!(notes.len(), 1, "a double submit records once: {recorded}");
    assert_eq!(notes[0]["note"], "Half the blocks done; the rest on Saturday");
    let shown = app.page(&format!("/actions/{late}?done=progress")).await;
    assert!(text_of(&shown, ".govuk-notification-banner").contains("Your progress note was added"));
    assert!(text_of(&shown, "main").contains("Half the blocks done"));

    // Marked done with a closing note.
    let done = with(fields_of(&form(&shown, &format!("/actions/{late}/completion"))), "note", "All done");
    let sent = send(&app, &format!("/actions/{late}/completion"), &done).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let recorded = action(&app, &late).await;
    assert_eq!(recorded["status"], "completed", "{recorded}");
    assert_eq!(recorded["closing_note"], "All done");
    // No office forms for a councillor, and none at all once it is done.
    let closed = app.page(&format!("/actions/{late}")).await;
    assert!(select(&closed, "main form").is_empty());
}

#[tokio::test]
async fn a_councillor_is_refused_in_words_on_someone_elses_action() {
    let app = start().await;
    let me = app.sign_in_as("councillor").await;
    let theirs = app.api_get(ASSISTANT.0, ASSISTANT.1, "/actions?status=open&limit=200").await;
    let other = theirs["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|a| a["owner_id"] != me.as_str())
        .expect("someone else's open action");
    let id = other["id"].as_str().expect("id");
    let before = action(&app, id).await;

    let page = app.page(&format!("/actions/{id}")).await;
    assert!(select(&page, "main form").is_empty(), "no forms on someone else's action");
    // Sent anyway (the page's own token, from the sign-out form).
    let csrf = hidden(&form(&page, "/sign-out"), "csrf");
    let refused = app
        .post(
            &format!("/actions/{id}/progress"),
            &[
                ("csrf", &csrf),
                ("idempotency_key", "not-mine"),
                ("on-day", "1"),
                ("on-month", "3"),
                ("on-year", "2026"),
                ("note", "Done it for them"),
            ],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let refused = html(refused).await;
    assert_eq!(text_of(&refused, "h1").trim(), "You cannot do that");
    assert!(text_of(&refused, "main").contains("councillors may update only the actions they own"));
    assert_eq!(action(&app, id).await["progress"], before["progress"], "the api is unchanged");
}

#[tokio::test]
async fn the_assistant_redates_an_action_with_a_reason_and_reassigns_another() {
    let app = start().await;
    app.sign_in_as("assistant").await;
    let list = app.page("/actions").await;
    let open = linked(&select(&list, "table")[0]);
    assert_eq!(select(&list, "table").len(), 1, "the office sees one list of open actions");
    let all_open = app.api_get(ASSISTANT.0, ASSISTANT.1, "/actions?status=open&limit=200").await;
    assert_eq!(open.len(), ids(&all_open).len());
    let (first, second) = (&open[0], &open[1]);

    // A date that does not exist: explained at the day field, key kept.
    let page = app.page(&format!("/actions/{first}")).await;
    let action_path = format!("/actions/{first}/reschedule");
    let fields = fields_of(&form(&page, &action_path));
    let key = fields.iter().find(|(n, _)| n == "idempotency_key").map(|(_, v)| v.clone()).expect("key");
    let wrong =
        with(with(with(fields.clone(), "due_on-day", "31"), "due_on-month", "2"), "due_on-year", "2027");
    let wrong = with(wrong, "reason", "Waiting for the council's figures");
    let refused = send(&app, &action_path, &wrong).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = html(refused).await;
    let link = text_of(&refused, ".govuk-error-summary a[href='#due-on-day']");
    assert!(link.contains("must be a real date"), "{link}");
    assert!(!select(&refused, "#due-on-day.govuk-input--error").is_empty(), "the field is marked");
    let kept = fields_of(&form(&refused, &action_path));
    assert!(kept.contains(&("idempotency_key".to_owned(), key)), "the refused form keeps its key");
    assert!(kept.contains(&("reason".to_owned(), "Waiting for the council's figures".to_owned())));

    // Then a real one.
    let new_due = today() + chrono::Days::new(45);
    let day = new_due.format("%-d").to_string();
    let month = new_due.format("%-m").to_string();
    let year = new_due.format("%Y").to_string();
    let right = with(with(with(kept, "due_on-day", &day), "due_on-month", &month), "due_on-year", &year);
    let sent = send(&app, &action_path, &right).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    assert_eq!(sent.headers()["location"], format!("/actions/{first}?done=rescheduled").as_str());
    let recorded = action(&app, first).await;
    assert_eq!(recorded["due_on"], new_due.to_string(), "{recorded}");
    let last =
        recorded["reschedules"].as_array().expect("reschedules").last().cloned().expect("a reschedule");
    assert_eq!(last["reason"], "Waiting for the council's figures");
    let shown = app.page(&format!("/actions/{first}?done=rescheduled")).await;
    assert!(text_of(&shown, ".govuk-notification-banner").contains("The due date was changed"));
    assert!(
        text_of(&shown, "main").contains("Waiting for the council's figures"),
        "listed under due date changes"
    );

    // Another passed to a current member chosen from the list.
    let before = action(&app, second).await;
    let page = app.page(&format!("/actions/{second}")).await;
    let reassign_path = format!("/actions/{second}/reassignment");
    let reassign = form(&page, &reassign_path);
    let choice = select(&page, "select#reassign-owner option")
        .iter()
        .filter_map(|o| o.value().attr("value"))
        .find(|v| !v.is_empty())
        .expect("a member to choose")
        .to_owned();
    let fields = with(with(fields_of(&reassign), "owner_id", &choice), "reason", "Covering the ward");
    let sent = send(&app, &reassign_path, &fields).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let recorded = action(&app, second).await;
    assert_eq!(recorded["owner_id"], choice.as_str(), "{recorded}");
    assert!(recorded["previous_owners"].as_array().expect("owners").contains(&before["owner_id"]));
    let shown = app.page(&format!("/actions/{second}?done=reassigned")).await;
    assert!(text_of(&shown, "main").contains("Previous owners"));
}

#[tokio::test]
async fn the_office_agrees_an_action_for_a_member() {
    let app = start().await;
    app.sign_in_as("leader").await;
    let page = app.page("/actions/new").await;
    let new_form = form(&page, "/actions");
    let owner = select(&page, "select#owner option")
        .iter()
        .filter_map(|o| o.value().attr("value"))
        .find(|v| !v.is_empty())
        .expect("a member")
        .to_owned();
    let due = today() + chrono::Days::new(14);
    let fields = fields_of(&new_form);
    assert!(fields.contains(&("classification".to_owned(), "group".to_owned())), "group by default");
    let mut fields = with(fields, "title", "Collect nominations for the youth forum");
    fields = with(fields, "owner_id", &owner);

    // No date yet: the summary says so and links the day field.
    let refused = send(&app, "/actions", &fields).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = html(refused).await;
    assert!(text_of(&refused, ".govuk-error-summary a[href='#due-on-day']").contains("Enter the due date"));

    let fields = fields_of(&form(&refused, "/actions"));
    let fields = with(fields, "due_on-day", &due.format("%-d").to_string());
    let fields = with(fields, "due_on-month", &due.format("%-m").to_string());
    let fields = with(fields, "due_on-year", &due.format("%Y").to_string());
    let sent = send(&app, "/actions", &fields).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER, "{}", sent.text().await.unwrap_or_default());
    let location = sent.headers()["location"].to_str().expect("location").to_owned();
    let id = location.trim_start_matches("/actions/").trim_end_matches("?done=created");
    let recorded = action(&app, id).await;
    assert_eq!(recorded["title"], "Collect nominations for the youth forum");
    assert_eq!(recorded["owner_id"], owner.as_str());
    assert_eq!(recorded["due_on"], due.to_string());
    let shown = app.page(&location).await;
    assert!(text_of(&shown, ".govuk-notification-banner").contains("The action was agreed"));
}

#[tokio::test]
async fn an_auditor_reads_the_registers_but_is_offered_no_forms() {
    let app = start().await;
    app.sign_in_as("auditor").await;
    let list = app.page("/actions").await;
    let open = linked(&select(&list, "table")[0]);
    assert!(!open.is_empty());
    assert!(select(&list, "main a[href='/actions/new']").is_empty());
    let page = app.page(&format!("/actions/{}", open[0])).await;
    assert!(select(&page, "main form").is_empty(), "no forms on an action");
    let decisions = app.page("/decisions").await;
    assert!(select(&decisions, "main a[href='/decisions/new']").is_empty());
    let first =
        select(&decisions, "table a[href^='/decisions/']")[0].value().attr("href").expect("href").to_owned();
    let decision = app.page(&first).await;
    assert!(text_of(&decision, "main").contains("What was decided"));
    assert!(select(&decision, "main form").is_empty(), "no forms on a decision");
}
