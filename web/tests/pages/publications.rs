//! Communications: the assistant drafts, edits and sends a publication for
//! approval; the Leader finds it waiting, approves it once however often the
//! button is pressed, or sends it back with a note; a stale edit is shown
//! beside what changed and applied again; a councillor's approval is refused
//! in words.

use reqwest::StatusCode;
use scraper::{ElementRef, Html, Selector};
use serde_json::json;

use crate::support::*;

const ASSISTANT: (&str, &str) = ("demo-assistant", "assistant");

/// A press release the assistant drafted and sent for approval, through the api.
pub(crate) async fn waiting_for_approval(app: &Running, title: &str) -> String {
    let draft = json!({
        "kind": "press_release",
        "author_name": "Newham Labour Group",
        "title": title,
        "body_markdown": "The group welcomes the council's decision.\n\nMore to follow.",
        "social_text": {"bluesky": "The group welcomes the decision."},
    });
    let (status, made) = app.api_send(ASSISTANT, reqwest::Method::POST, "/publications", &draft, None).await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    let id = made["id"].as_str().expect("id").to_owned();
    let (status, sent) = app
        .api_send(
            ASSISTANT,
            reqwest::Method::POST,
            &format!("/publications/{id}/submission"),
            &json!({}),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{sent}");
    id
}

fn form<'a>(page: &'a Html, action: &str) -> ElementRef<'a> {
    let selector = Selector::parse(&format!("form[action='{action}']")).expect("selector");
    page.select(&selector).next().unwrap_or_else(|| panic!("no form to {action}"))
}

/// Every field a form would send as it stands: hidden and text inputs,
/// textareas, the checked radios and boxes.
fn fields_of(form: &ElementRef<'_>) -> Vec<(String, String)> {
    let mut fields = Vec::new();
    let inputs = Selector::parse("input, textarea").expect("selector");
    for field in form.select(&inputs) {
        let element = field.value();
        let Some(name) = element.attr("name") else { continue };
        let value = match (element.name(), element.attr("type")) {
            ("textarea", _) => field.text().collect::<String>(),
            (_, Some("radio" | "checkbox")) if element.attr("checked").is_none() => continue,
            _ => element.attr("value").unwrap_or_default().to_owned(),
        };
        fields.push((name.to_owned(), value));
    }
    fields
}

/// `fields` with `name` set to `value` (added if absent).
fn with(mut fields: Vec<(String, String)>, name: &str, value: &str) -> Vec<(String, String)> {
    match fields.iter_mut().find(|(n, _)| n == name) {
        Some(field) => field.1 = value.to_owned(),
        None => fields.push((name.to_owned(), value.to_owned())),
    }
    fields
}

async fn send(app: &Running, action: &str, fields: &[(String, String)]) -> reqwest::Response {
    let fields: Vec<(&str, &str)> = fields.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    app.post(action, &fields).await
}

async fn html(response: reqwest::Response) -> Html {
    Html::parse_document(&response.text().await.expect("body"))
}

fn links_to(page: &Html, href: &str) -> bool {
    let selector = Selector::parse(&format!("a[href='{href}']")).expect("selector");
    page.select(&selector).next().is_some()
}

#[tokio::test]
async fn the_leader_finds_a_press_release_waiting_and_approves_it_once_however_often_they_press() {
    let app = start().await;
    let id = waiting_for_approval(&app, "Group welcomes new youth centre").await;
    let leader = app.sign_in_as("leader").await;

    let waiting = app.page("/publications?status=submitted").await;
    assert!(links_to(&waiting, &format!("/publications/{id}")), "it is in the list of those waiting");
    assert!(text_of(&waiting, "table").contains("Waiting for approval"), "with its status");
    assert!(
        !text_of(&waiting, "table").contains("Canning Town library saved"),
        "and only those waiting: {}",
        text_of(&waiting, "table")
    );
    let all = app.page("/publications").await;
    assert!(text_of(&all, "table").contains("Canning Town library saved"), "all of them unfiltered");

    let page = app.page(&format!("/publications/{id}")).await;
    assert!(text_of(&page, "h1").contains("Group welcomes new youth centre"));
    assert!(text_of(&page, "main").contains("More to follow."), "the text is shown");
    assert!(text_of(&page, "main").contains("The group welcomes the decision."), "and each network's");
    let approval = form(&page, &format!("/publications/{id}/approval"));
    let fields = fields_of(&approval);
    let before = app.api_get(&leader, "leader", &format!("/publications/{id}")).await["version"]
        .as_u64()
        .expect("version");
    for _ in 0..2 {
        let sent = send(&app, &format!("/publications/{id}/approval"), &fields).await;
        assert_eq!(sent.status(), StatusCode::SEE_OTHER);
        assert_eq!(sent.headers()["location"], format!("/publications/{id}?done=approved").as_str());
    }
    let now = app.api_get(&leader, "leader", &format!("/publications/{id}")).await;
    assert_eq!(now["status"], "approved", "{now}");
    assert_eq!(now["version"].as_u64(), Some(before + 1), "a double submit records once");
    let shown = app.page(&format!("/publications/{id}?done=approved")).await;
    assert!(text_of(&shown, ".govuk-notification-banner").contains("You approved it"));
    assert!(text_of(&shown, "main").contains("Approved by you"), "the history says who approved it");
    assert!(
        Selector::parse("form[action$='/approval']")
            .map(|s| shown.select(&s).next().is_none())
            .expect("selector"),
        "nothing left to approve"
    );
}

#[tokio::test]
async fn sending_back_without_a_note_is_explained_at_the_field_and_with_one_the_author_sees_it() {
    let app = start().await;
    let id = waiting_for_approval(&app, "Statement on bin collections").await;
    let leader = app.sign_in_as("leader").await;
    let page = app.page(&format!("/publications/{id}")).await;
    let action = format!("/publications/{id}/rejection");
    let fields = fields_of(&form(&page, &action));

    let refused = send(&app, &action, &with(fields.clone(), "note", "")).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = html(refused).await;
    assert!(links_to(&refused, "#note"), "the error summary links to the note");
    assert!(!text_of(&refused, "#note-error").is_empty(), "the field says what is wrong");
    let again = fields_of(&form(&refused, &action));
    assert_eq!(
        again.iter().find(|(n, _)| n == "idempotency_key"),
        fields.iter().find(|(n, _)| n == "idempotency_key"),
        "the refused form keeps its key"
    );

    let note = "Say which youth centre, and quote the ward councillor.";
    let sent = send(&app, &action, &with(again, "note", note)).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let now = app.api_get(&leader, "leader", &format!("/publications/{id}")).await;
    assert_eq!(now["status"], "rejected", "{now}");
    assert_eq!(now["rejection"]["note"], note);

    app.sign_in_as("assistant").await;
    let theirs = app.page(&format!("/publications/{id}")).await;
    assert!(text_of(&theirs, "main").contains(note), "the author sees the note");
    assert!(links_to(&theirs, &format!("/publications/{id}/edit")), "and may edit it");
}

#[tokio::test]
async fn the_assistant_drafts_a_publication_edits_it_and_is_told_which_text_is_too_long() {
    let app = start().await;
    app.sign_in_as("assistant").await;
    let list = app.page("/publications").await;
    assert!(links_to(&list, "/publications/new"), "the list offers a new draft");
    let new = app.page("/publications/new").await;
    let fields = fields_of(&form(&new, "/publications"));

    // No kind chosen, then no title: each explained at its field.
    let refused = send(&app, "/publications", &with(fields.clone(), "title", "Surgery times")).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(links_to(&html(refused).await, "#kind"));
    let fields = with(fields, "kind", "news_article");
    let refused = send(&app, "/publications", &with(fields.clone(), "title", "")).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = html(refused).await;
    assert!(links_to(&refused, "#title"), "{}", text_of(&refused, ".govuk-error-summary"));
    assert!(!text_of(&refused, "#title-error").is_empty());

    let fields = with(fields, "title", "Councillor surgeries this month");
    let fields = with(fields, "body_markdown", "Surgeries are held every Saturday.");
    let drafted = send(&app, "/publications", &fields).await;
    assert_eq!(drafted.status(), StatusCode::SEE_OTHER);
    let location = drafted.headers()["location"].to_str().expect("location").to_owned();
    assert!(location.ends_with("?done=drafted"), "{location}");
    let id = location.trim_start_matches("/publications/").trim_end_matches("?done=drafted").to_owned();
    let shown = app.page(&location).await;
    assert!(text_of(&shown, ".govuk-notification-banner").contains("Your draft was saved"));
    assert!(text_of(&shown, ".govuk-tag").contains("Draft"));

    let edit = app.page(&format!("/publications/{id}/edit")).await;
    let action = format!("/publications/{id}/edit");
    let fields = fields_of(&form(&edit, &action));
    let fields = with(fields, "title", "Councillor surgeries in May");
    let fields = with(fields, "networks", "x");
    let long = "Come and see your councillor. ".repeat(12);
    let fields = with(fields, "social_text_x", &long);
    let saved = send(&app, &action, &fields).await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    assert_eq!(saved.headers()["location"], format!("/publications/{id}?done=edited").as_str());
    let now = app.api_get("demo-assistant", "assistant", &format!("/publications/{id}")).await;
    assert_eq!(now["title"], "Councillor surgeries in May", "{now}");
    assert_eq!(now["social_text"]["x"], long.trim());
    let shown = app.page(&format!("/publications/{id}?done=edited")).await;
    assert!(text_of(&shown, ".govuk-notification-banner").contains("Your changes were saved"));
    // Before it is sent, the page shows the X text's length as the api counts it.
    let counted = &now["social_lengths"]["x"];
    let over = counted["length"].as_u64().expect("length") - 280;
    assert!(
        text_of(&shown, ".govuk-tag--red").contains(&format!("{over} over the limit of 280")),
        "{}",
        text_of(&shown, ".govuk-summary-list")
    );

    // Sent for approval, the api counts the X text and says by how much it is over.
    let submission = format!("/publications/{id}/submission");
    let refused = send(&app, &submission, &fields_of(&form(&shown, &submission))).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = html(refused).await;
    assert!(links_to(&refused, "#social_text_x"), "{}", text_of(&refused, ".govuk-error-summary"));
    assert!(text_of(&refused, "#social_text_x-error").contains("over the limit of 280"));

    let fields = fields_of(&form(&refused, &action));
    let fields = with(fields, "social_text_x", "Come and see your councillor on Saturday.");
    assert_eq!(send(&app, &action, &fields).await.status(), StatusCode::SEE_OTHER);
    let shown = app.page(&format!("/publications/{id}")).await;
    let sent = send(&app, &submission, &fields_of(&form(&shown, &submission))).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let shown = app.page(&format!("/publications/{id}?done=submitted")).await;
    assert!(text_of(&shown, ".govuk-notification-banner").contains("sent for approval"));
    assert!(text_of(&shown, ".govuk-tag").contains("Waiting for approval"));
}

#[tokio::test]
async fn an_edit_made_stale_by_someone_else_shows_what_changed_and_can_be_applied_again() {
    let app = start().await;
    app.sign_in_as("assistant").await;
    let drafts = app.api_get("demo-assistant", "assistant", "/publications?status=draft").await;
    let draft = drafts["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|p| p["title"] == "Spring newsletter (draft)")
        .expect("the sample's draft newsletter")
        .clone();
    let id = draft["id"].as_str().expect("id").to_owned();
    let action = format!("/publications/{id}/edit");
    let edit = app.page(&action).await;
    let mine = fields_of(&form(&edit, &action));

    // Someone else saves first.
    let theirs = json!({"title": "Spring newsletter 2026", "body_markdown": "Dear neighbour, ...", "slug": draft["slug"]});
    let (status, changed) = app
        .api_send(
            ("demo-officer", "officer"),
            reqwest::Method::PUT,
            &format!("/publications/{id}/content"),
            &theirs,
            draft["version"].as_u64(),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{changed}");

    let mine = with(mine, "title", "Spring newsletter for residents");
    let stale = send(&app, &action, &mine).await;
    assert_eq!(stale.status(), StatusCode::CONFLICT);
    let stale = html(stale).await;
    assert!(text_of(&stale, "h1").contains("Someone else changed"), "{}", text_of(&stale, "h1"));
    let compared = text_of(&stale, "table");
    assert!(compared.contains("Spring newsletter 2026"), "what it says now: {compared}");
    assert!(compared.contains("Spring newsletter for residents"), "beside their change: {compared}");
    assert!(compared.contains("Dear neighbour, ..."), "the text too: {compared}");
    let again = fields_of(&form(&stale, &action));
    let field =
        |name: &str| again.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone()).unwrap_or_default();
    assert_eq!(field("title"), "Spring newsletter for residents", "the form holds their change");
    assert_eq!(
        field("version"),
        changed["version"].as_u64().expect("version").to_string(),
        "at the new version"
    );

    let applied = send(&app, &action, &again).await;
    assert_eq!(applied.status(), StatusCode::SEE_OTHER);
    let now = app.api_get("demo-assistant", "assistant", &format!("/publications/{id}")).await;
    assert_eq!(now["title"], "Spring newsletter for residents", "{now}");
}

#[tokio::test]
async fn a_councillor_cannot_approve_and_is_told_why_in_words() {
    let app = start().await;
    let id = waiting_for_approval(&app, "Group backs the clean air zone").await;
    let councillor = app.sign_in_as("councillor").await;
    let page = app.page(&format!("/publications/{id}")).await;
    assert!(
        Selector::parse("form[action$='/approval']")
            .map(|s| page.select(&s).next().is_none())
            .expect("selector"),
        "no approve button for a councillor"
    );
    let csrf = hidden(&form(&page, "/sign-out"), "csrf");
    let refused = app
        .post(
            &format!("/publications/{id}/approval"),
            &[("csrf", &csrf), ("idempotency_key", "a-councillor-try")],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let refused = html(refused).await;
    assert!(text_of(&refused, "h1").contains("You cannot do that"));
    assert!(text_of(&refused, "main").contains("leader"), "{}", text_of(&refused, "main"));
    let now = app.api_get(&councillor, "councillor", &format!("/publications/{id}")).await;
    assert_eq!(now["status"], "submitted", "still waiting");
}
