//! Members: the directory lists what the api lists, current members first;
//! contact details show only to the roles the api shows them to; the
//! assistant links a member's sign-in identity once however often the form
//! is sent, and unlinks it; erasure needs its confirmation ticked; subject
//! access downloads the member's own data.

use reqwest::StatusCode;
use scraper::{ElementRef, Html, Selector};
use serde_json::Value;

use crate::support::*;

const ASSISTANT: &str = "demo-assistant";

pub(crate) fn select<'a>(page: &'a Html, selector: &str) -> Vec<ElementRef<'a>> {
    let selector = Selector::parse(selector).expect("selector");
    page.select(&selector).collect()
}

/// The `csrf`, `idempotency_key` and `version` of the form posting to `action`.
pub(crate) fn form_fields(page: &Html, action: &str) -> (String, String, String) {
    let form = *select(page, &format!("form[action='{action}']"))
        .first()
        .unwrap_or_else(|| panic!("no form to {action}"));
    (hidden(&form, "csrf"), hidden(&form, "idempotency_key"), hidden(&form, "version"))
}

pub(crate) async fn html(response: reqwest::Response) -> Html {
    Html::parse_document(&response.text().await.expect("body"))
}

/// The sample's members as the assistant gets them from the api.
async fn members(app: &Running) -> Vec<Value> {
    app.api_get(ASSISTANT, "assistant", "/members?limit=200").await["items"]
        .as_array()
        .expect("items")
        .clone()
}

/// A current member with an email address, as the office sees them.
async fn member_with_email(app: &Running) -> Value {
    members(app)
        .await
        .into_iter()
        .find(|m| m["status"] == "member" && m["email"].is_string())
        .expect("a sample member with an email address")
}

/// The members' ids the directory links to, in order.
fn listed(page: &Html) -> Vec<String> {
    select(page, "table a[href^='/members/']")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .map(|h| h.trim_start_matches("/members/").to_owned())
        .collect()
}

#[tokio::test]
async fn the_directory_lists_every_member_the_api_lists_current_members_first() {
    let app = start().await;
    app.sign_in_as("councillor").await;
    let page = app.page("/members").await;
    let all = members(&app).await;
    let shown = listed(&page);
    let mut expected: Vec<String> = all.iter().map(|m| m["id"].as_str().expect("id").to_owned()).collect();
    let mut sorted = shown.clone();
    sorted.sort();
    expected.sort();
    assert_eq!(sorted, expected, "every member the api lists");
    let left: Vec<&str> =
        all.iter().filter(|m| m["status"] == "left").map(|m| m["id"].as_str().expect("id")).collect();
    assert!(!left.is_empty(), "the sample has a member who left");
    let first_former = shown.iter().position(|id| left.contains(&id.as_str())).expect("listed");
    assert!(shown[first_former..].iter().all(|id| left.contains(&id.as_str())), "current members first");
    let text = text_of(&page, "table");
    assert!(text.contains("Canning Town North") && text.contains("Current member"), "{text}");
    assert!(text.contains("Left the group"), "{text}");

    // Filtered without JavaScript: a GET form.
    assert!(!select(&page, "form[method='get'][action='/members'] select[name='status']").is_empty());
    let former = app.page("/members?status=left").await;
    assert_eq!(listed(&former), left, "only former members");
    assert!(text_of(&former, "main").contains("Former members: 1."));
}

#[tokio::test]
async fn a_councillor_sees_no_contact_details_and_the_office_does() {
    let app = start().await;
    let member = member_with_email(&app).await;
    let id = member["id"].as_str().expect("id");
    let email = member["email"].as_str().expect("email");

    app.sign_in_as("councillor").await;
    let theirs = app.page(&format!("/members/{id}")).await;
    let text = text_of(&theirs, "main");
    assert!(text.contains(member["name"].as_str().expect("name")), "{text}");
    assert!(text.contains(member["ward"].as_str().expect("ward")));
    assert!(!text.contains(email), "no email for a councillor");
    assert!(text.contains("Not shown to your role"), "{text}");
    assert!(select(&theirs, "main form").is_empty(), "and no office forms");
    assert!(select(&theirs, &format!("a[href='/history/member/{id}']")).is_empty(), "nor its history");

    app.sign_in_as("assistant").await;
    let office = app.page(&format!("/members/{id}")).await;
    let text = text_of(&office, "main");
    assert!(text.contains(email), "the office sees the email: {text}");
    assert!(!text.contains("Not shown to your role"));
    assert!(!select(&office, &format!("a[href='/history/member/{id}']")).is_empty(), "and its history");
}

#[tokio::test]
async fn the_assistant_links_a_sign_in_identity_once_however_often_they_press_and_unlinks_it() {
    let app = start().await;
    app.sign_in_as("assistant").await;
    let member = member_with_email(&app).await;
    let id = member["id"].as_str().expect("id");
    let action = format!("/members/{id}/sign-in");
    let page = app.page(&format!("/members/{id}")).await;
    assert!(text_of(&page, "main").contains("Not linked"));
    let (csrf, key, version) = form_fields(&page, &action);
    assert_eq!(version, member["version"].to_string(), "the form holds the version it was shown at");

    // Refused by the api: explained at the field, the key kept.
    let issuer = "https://login.microsoftonline.com/newham/v2.0";
    let refused = app
        .post(
            &action,
            &[
                ("csrf", &csrf),
                ("idempotency_key", &key),
                ("version", &version),
                ("issuer", issuer),
                ("subject", " "),
            ],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = html(refused).await;
    assert!(!select(&refused, ".govuk-error-summary a[href='#subject']").is_empty(), "linked to the field");
    assert!(!text_of(&refused, "#subject-error").is_empty());
    assert_eq!(form_fields(&refused, &action).1, key, "the refused form keeps its key");

    for _ in 0..2 {
        let sent = app
            .post(
                &action,
                &[
                    ("csrf", &csrf),
                    ("idempotency_key", &key),
                    ("version", &version),
                    ("issuer", issuer),
                    ("subject", "00000000-aaaa-bbbb-cccc-123456789abc"),
                ],
            )
            .await;
        assert_eq!(sent.status(), StatusCode::SEE_OTHER);
        assert_eq!(sent.headers()["location"], format!("/members/{id}?done=linked").as_str());
    }
    let now = app.api_get(ASSISTANT, "assistant", &format!("/members/{id}")).await;
    assert_eq!(now["sign_in_issuer"], issuer, "{now}");
    assert_eq!(
        now["version"].as_u64(),
        member["version"].as_u64().map(|v| v + 1),
        "a double submit records once"
    );
    let shown = app.page(&format!("/members/{id}?done=linked")).await;
    assert!(text_of(&shown, ".govuk-notification-banner").contains("sign-in identity was linked"));
    assert!(text_of(&shown, "main").contains(&format!("Linked to an identity at {issuer}")));

    let removal = format!("/members/{id}/sign-in/removal");
    let (csrf, key, version) = form_fields(&shown, &removal);
    let sent = app.post(&removal, &[("csrf", &csrf), ("idempotency_key", &key), ("version", &version)]).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    assert_eq!(sent.headers()["location"], format!("/members/{id}?done=unlinked").as_str());
    let now = app.api_get(ASSISTANT, "assistant", &format!("/members/{id}")).await;
    assert!(now["sign_in_issuer"].is_null(), "{now}");
    let shown = app.page(&format!("/members/{id}?done=unlinked")).await;
    assert!(text_of(&shown, ".govuk-notification-banner").contains("unlinked"));
    assert!(select(&shown, &format!("form[action='{removal}']")).is_empty(), "nothing left to unlink");
}

#[tokio::test]
async fn erasure_needs_its_confirmation_ticked_then_the_api_reports_the_data_erased() {
    let app = start().await;
    app.sign_in_as("assistant").await;
    let member = member_with_email(&app).await;
    let id = member["id"].as_str().expect("id");
    let action = format!("/members/{id}/erasure");
    let page = app.page(&format!("/members/{id}")).await;
    assert!(text_of(&page, ".govuk-warning-text").contains("cannot be undone"));
    let (csrf, key, _) = form_fields(&page, &action);

    let unticked = app.post(&action, &[("csrf", &csrf), ("idempotency_key", &key)]).await;
    assert_eq!(unticked.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let unticked = html(unticked).await;
    assert!(text_of(&unticked, ".govuk-error-summary a[href='#confirm']").contains("Confirm"));
    assert!(!text_of(&unticked, "#confirm-error").is_empty(), "the box says what is wrong");
    assert_eq!(form_fields(&unticked, &action).1, key, "the refused form keeps its key");
    let now = app.api_get(ASSISTANT, "assistant", &format!("/members/{id}")).await;
    assert_eq!(now["personal_data_erased"], false, "nothing was erased");

    let sent = app.post(&action, &[("csrf", &csrf), ("idempotency_key", &key), ("confirm", "yes")]).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    assert_eq!(sent.headers()["location"], format!("/members/{id}?done=erased").as_str());
    let now = app.api_get(ASSISTANT, "assistant", &format!("/members/{id}")).await;
    assert_eq!(now["personal_data_erased"], true, "{now}");
    let shown = app.page(&format!("/members/{id}?done=erased")).await;
    assert!(text_of(&shown, ".govuk-notification-banner").contains("personal data was erased"));
    let text = text_of(&shown, "main");
    assert!(!text.contains(member["email"].as_str().expect("email")), "the email is gone: {text}");
    assert!(select(&shown, &format!("form[action='{action}']")).is_empty(), "nothing left to erase");
}

#[tokio::test]
async fn subject_access_downloads_json_naming_the_member() {
    let app = start().await;
    app.sign_in_as("assistant").await;
    let member = member_with_email(&app).await;
    let id = member["id"].as_str().expect("id");
    let page = app.page(&format!("/members/{id}")).await;
    let href = format!("/members/{id}/subject-access");
    assert!(!select(&page, &format!("a[href='{href}']")).is_empty(), "the page links to the download");
    let download = app.get(&href).await;
    assert_eq!(download.status(), StatusCode::OK);
    let disposition = download.headers()["content-disposition"].to_str().expect("header").to_owned();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert!(download.headers()["content-type"].to_str().expect("type").starts_with("application/json"));
    let export: Value = download.json().await.expect("json");
    assert_eq!(export["subject_id"], id);
    assert_eq!(export["member"]["name"], member["name"], "it names the member");
    assert_eq!(export["member"]["email"], member["email"], "with their contact details");

    app.sign_in_as("councillor").await;
    let refused = app.get(&href).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN, "a councillor may not");
}
