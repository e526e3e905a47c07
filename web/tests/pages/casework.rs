//! Signing in and out, what each person sees of casework, a note added once
//! however often its form is sent, the error summary of a refused one, and
//! forms from anywhere else refused.

use reqwest::StatusCode;
use scraper::{Html, Selector};

use crate::support::*;

#[tokio::test]
async fn a_councillor_signs_in_sees_only_the_cases_they_read_and_signs_out() {
    let app = start().await;
    let first = app.get("/").await;
    assert_eq!(first.status(), StatusCode::SEE_OTHER);
    assert_eq!(first.headers()["location"], "/sign-in?next=%2F", "nobody is signed in yet");

    let councillor = app.sign_in_as("councillor").await;
    // My work lists what the api's /my-work gives them, in its order.
    let home = app.page("/").await;
    let work = app.api_get(&councillor, "councillor", "/my-work").await;
    let expected_titles: Vec<&str> = work["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["title"].as_str().expect("title"))
        .collect();
    let shown_titles: Vec<String> = text_list(&home, ".govuk-task-list__name-and-hint > :first-child");
    assert!(!expected_titles.is_empty(), "the sample gives them work: {work}");
    assert_eq!(shown_titles, expected_titles, "{work}");
    let page = app.page("/cases").await;
    assert!(text_of(&page, "body").contains("Signed in as"), "the header says who");
    let shown = case_links(&page);
    let theirs = app.api_get(&councillor, "councillor", "/cases?limit=100").await;
    let mut expected: Vec<String> = theirs["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|c| c["id"].as_str().expect("id").to_owned())
        .collect();
    let mut shown_sorted = shown.clone();
    shown_sorted.sort();
    expected.sort();
    assert_eq!(shown_sorted, expected, "exactly the cases the api lets them read");
    assert!(!shown.is_empty(), "the sample gives them cases");

    // A case of someone else's reads as not found, as the api answers.
    let everyone = app.api_get("demo-assistant", "assistant", "/cases?limit=100").await;
    let other = everyone["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|c| c["id"].as_str().expect("id").to_owned())
        .find(|id| !expected.contains(id))
        .expect("a case that is not theirs");
    let refused = app.get(&format!("/cases/{other}")).await;
    assert_eq!(refused.status(), StatusCode::NOT_FOUND);
    assert!(refused.text().await.expect("body").contains("Page not found"));

    let csrf = hidden(
        &Selector::parse("form[action='/sign-out']")
            .ok()
            .and_then(|s| page.select(&s).next())
            .expect("sign-out form"),
        "csrf",
    );
    let out = app.post("/sign-out", &[("csrf", &csrf)]).await;
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.get("/cases").await.status(), StatusCode::SEE_OTHER, "signed out");
}

#[tokio::test]
async fn a_note_is_added_once_however_often_its_form_is_sent_and_an_empty_one_is_explained() {
    let app = start().await;
    app.sign_in_as("assistant").await;
    let list = app.page("/cases").await;
    let id = case_links(&list).into_iter().next().expect("a case");
    let page = app.page(&format!("/cases/{id}")).await;
    let form = Selector::parse("form[action$='/notes']").expect("selector");
    let form = page.select(&form).next().expect("the note form");
    let (csrf, key) = (hidden(&form, "csrf"), hidden(&form, "idempotency_key"));
    let before = app.api_get("demo-assistant", "assistant", &format!("/cases/{id}")).await["notes"]
        .as_array()
        .expect("notes")
        .len();

    let note = "Rang the housing officer: a surveyor visits on Tuesday";
    for _ in 0..2 {
        let sent = app
            .post(
                &format!("/cases/{id}/notes"),
                &[("csrf", &csrf), ("idempotency_key", &key), ("text", note)],
            )
            .await;
        assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    }
    let after = app.api_get("demo-assistant", "assistant", &format!("/cases/{id}")).await;
    assert_eq!(after["notes"].as_array().expect("notes").len(), before + 1, "a double submit records once");
    let shown = app.page(&format!("/cases/{id}?done=note")).await;
    assert!(text_of(&shown, ".govuk-notification-banner").contains("Your note was added"));
    assert!(text_of(&shown, "main").contains(note));

    let fresh = app.page(&format!("/cases/{id}")).await;
    let form = Selector::parse("form[action$='/notes']").expect("selector");
    let key = hidden(&fresh.select(&form).next().expect("form"), "idempotency_key");
    let refused = app
        .post(&format!("/cases/{id}/notes"), &[("csrf", &csrf), ("idempotency_key", &key), ("text", "")])
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = Html::parse_document(&refused.text().await.expect("body"));
    let link = Selector::parse(".govuk-error-summary a[href='#text']").expect("selector");
    assert!(refused.select(&link).next().is_some(), "the summary links to the field");
    assert!(!text_of(&refused, "#text-error").is_empty(), "the field says what is wrong");

    let forged = app
        .post(&format!("/cases/{id}/notes"), &[("csrf", "not-ours"), ("idempotency_key", "k"), ("text", "x")])
        .await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN, "a form from elsewhere is refused");
}
