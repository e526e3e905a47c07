//! Meetings as the office prepares one: the list, soonest first; an agenda
//! item added once however often its form is sent; a paper uploaded and
//! attached; the papers despatched; attendance and the minutes' approval
//! recorded; refused forms explained; and what an auditor sees.

use reqwest::{StatusCode, multipart};
use scraper::{ElementRef, Html, Selector};
use serde_json::Value;

use crate::support::*;

const ASSISTANT: &str = "demo-assistant";

fn select<'a>(page: &'a Html, selector: &str) -> Vec<ElementRef<'a>> {
    let selector = Selector::parse(selector).expect("selector");
    page.select(&selector).collect()
}

/// The `csrf` and `idempotency_key` of the form at `selector`.
fn form_keys(page: &Html, selector: &str) -> (String, String) {
    let form = *select(page, selector).first().unwrap_or_else(|| panic!("no form {selector}"));
    (hidden(&form, "csrf"), hidden(&form, "idempotency_key"))
}

/// The meetings' ids in the list's table `index` (0: upcoming, 1: past), in order.
fn listed(page: &Html, index: usize) -> Vec<String> {
    let table = *select(page, "table").get(index).expect("the table");
    let links = Selector::parse("a[href^='/meetings/']").expect("selector");
    table
        .select(&links)
        .filter_map(|a| a.value().attr("href"))
        .map(|h| h.trim_start_matches("/meetings/").to_owned())
        .collect()
}

/// The next group meeting's id, as the assistant finds it: the first upcoming meeting.
async fn next_meeting(app: &Running) -> String {
    let list = app.page("/meetings").await;
    listed(&list, 0).into_iter().next().expect("an upcoming meeting")
}

async fn meeting(app: &Running, id: &str) -> Value {
    app.api_get(ASSISTANT, "assistant", &format!("/meetings/{id}")).await
}

#[tokio::test]
async fn the_list_shows_upcoming_meetings_soonest_first_then_past_ones() {
    let app = start().await;
    app.sign_in_as("assistant").await;
    let list = app.page("/meetings").await;
    let all = app.api_get(ASSISTANT, "assistant", "/meetings?limit=200").await;
    let mut coming: Vec<(&str, &str)> = all["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|m| m["status"] != "held")
        .map(|m| (m["starts_at"].as_str().expect("start"), m["id"].as_str().expect("id")))
        .collect();
    coming.sort_unstable();
    let expected: Vec<&str> = coming.iter().map(|(_, id)| *id).collect();
    assert_eq!(listed(&list, 0), expected, "upcoming meetings, soonest first");
    let past = listed(&list, 1);
    assert!(!past.is_empty(), "the sample's held meetings are listed as past");
    let text = text_of(&list, "main");
    assert!(text.contains("Group meeting") && text.contains("Full Council"), "{text}");
    assert!(text.contains("Confirmed") && text.contains("Held"), "each has its status: {text}");
    // Times read as London's, as GOV.UK writes them.
    assert!(text.contains("6:30pm") || text.contains("7:30pm"), "{text}");
}

#[tokio::test]
async fn the_assistant_adds_an_item_attaches_a_paper_and_despatches_the_papers() {
    let app = start().await;
    app.sign_in_as("assistant").await;
    let id = next_meeting(&app).await;
    let page = app.page(&format!("/meetings/{id}")).await;
    assert_eq!(text_of(&page, "h1").trim(), "Group meeting");
    assert!(text_of(&page, "main").contains("Minutes of the last meeting"), "the agenda is shown");

    // An agenda item, sent twice with the same key: recorded once.
    let (csrf, key) = form_keys(&page, "form[action$='/items']");
    let title = "Canning Town library: the group's response";
    for _ in 0..2 {
        let sent = app
            .post(
                &format!("/meetings/{id}/items"),
                &[("csrf", &csrf), ("idempotency_key", &key), ("title", title), ("description", "")],
            )
            .await;
        assert_eq!(sent.status(), StatusCode::SEE_OTHER);
        assert_eq!(sent.headers()["location"], format!("/meetings/{id}?done=item").as_str());
    }
    let recorded = meeting(&app, &id).await;
    let items: Vec<&Value> =
        recorded["items"].as_array().expect("items").iter().filter(|i| i["title"] == title).collect();
    assert_eq!(items.len(), 1, "a double submit records once: {recorded}");
    let item_id = items[0]["id"].as_str().expect("item id").to_owned();
    let shown = app.page(&format!("/meetings/{id}?done=item")).await;
    assert!(text_of(&shown, ".govuk-notification-banner").contains("The agenda item was added"));
    assert!(text_list(&shown, "h3").iter().any(|h| h == &format!("3. {title}")), "numbered on the agenda");

    // A paper uploaded from the browser and attached to that item.
    let (csrf, key) = form_keys(&shown, "form[action$='/papers']");
    let content = b"%PDF-1.4\nOptions for a community-run library\n".to_vec();
    let file = multipart::Part::bytes(content.clone())
        .file_name("library-options.pdf")
        .mime_str("application/pdf")
        .expect("part");
    let form = multipart::Form::new()
        .text("csrf", csrf)
        .text("idempotency_key", key)
        .text("item_id", item_id.clone())
        .text("title", "Community management options")
        .part("file", file);
    let sent = app
        .browser
        .post(format!("{}/meetings/{id}/papers", app.web))
        .multipart(form)
        .send()
        .await
        .expect("post");
    assert_eq!(sent.status(), StatusCode::SEE_OTHER, "{}", sent.text().await.unwrap_or_default());
    assert_eq!(sent.headers()["location"], format!("/meetings/{id}?done=paper").as_str());
    let shown = app.page(&format!("/meetings/{id}?done=paper")).await;
    assert!(text_of(&shown, ".govuk-notification-banner").contains("The paper was attached"));
    let link = *select(&shown, "a[href*='/files/']").first().expect("the paper's link");
    assert_eq!(link.text().collect::<String>(), "Community management options");
    assert!(text_of(&shown, "main").contains("Not despatched"));
    let download = app.get(link.value().attr("href").expect("href")).await;
    assert_eq!(download.status(), StatusCode::OK);
    assert_eq!(download.bytes().await.expect("bytes").to_vec(), content, "the paper reads as uploaded");

    // The papers despatched, after a warning.
    let form = *select(&shown, "form[action$='/despatches']").first().expect("the despatch form");
    assert!(text_of(&shown, ".govuk-warning-text").contains("cannot be undone"));
    let (csrf, key) = (hidden(&form, "csrf"), hidden(&form, "idempotency_key"));
    let sent = app
        .post(
            &format!("/meetings/{id}/despatches"),
            &[("csrf", &csrf), ("idempotency_key", &key), ("to", "All group members")],
        )
        .await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let recorded = meeting(&app, &id).await;
    let papers: Vec<&Value> = recorded["items"]
        .as_array()
        .expect("items")
        .iter()
        .flat_map(|i| i["papers"].as_array().expect("papers"))
        .collect();
    assert!(!papers.is_empty());
    assert!(papers.iter().all(|p| p["despatched_at"].is_string()), "the api has them despatched: {recorded}");
    let shown = app.page(&format!("/meetings/{id}?done=despatch")).await;
    assert!(text_of(&shown, ".govuk-notification-banner").contains("The papers were despatched"));
    assert!(select(&shown, "form[action$='/despatches']").is_empty(), "nothing is left to despatch");
    assert!(text_of(&shown, "main").contains("to All group members"), "the despatch is listed");
}

#[tokio::test]
async fn refused_forms_are_explained_at_their_fields_and_keep_their_key() {
    let app = start().await;
    app.sign_in_as("assistant").await;
    let id = next_meeting(&app).await;
    let page = app.page(&format!("/meetings/{id}")).await;
    let (csrf, key) = form_keys(&page, "form[action$='/items']");
    let refused = app
        .post(&format!("/meetings/{id}/items"), &[("csrf", &csrf), ("idempotency_key", &key), ("title", " ")])
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = Html::parse_document(&refused.text().await.expect("body"));
    assert!(
        !select(&refused, ".govuk-error-summary a[href='#title']").is_empty(),
        "the summary links the field"
    );
    assert!(!text_of(&refused, "#title-error").is_empty(), "the field says what is wrong");
    assert_eq!(form_keys(&refused, "form[action$='/items']").1, key, "the refused form keeps its key");

    // A paper without a file.
    let (csrf, key) = form_keys(&page, "form[action$='/papers']");
    let item = meeting(&app, &id).await["items"][0]["id"].as_str().expect("item").to_owned();
    let form = multipart::Form::new()
        .text("csrf", csrf.clone())
        .text("idempotency_key", key)
        .text("item_id", item)
        .text("title", "Budget")
        .part(
            "file",
            multipart::Part::bytes(Vec::new())
                .file_name("")
                .mime_str("application/octet-stream")
                .expect("part"),
        );
    let refused = app
        .browser
        .post(format!("{}/meetings/{id}/papers", app.web))
        .multipart(form)
        .send()
        .await
        .expect("post");
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = Html::parse_document(&refused.text().await.expect("body"));
    assert!(text_of(&refused, ".govuk-error-summary a[href='#paper-file']").contains("Select a file"));

    let forged = app
        .post(
            &format!("/meetings/{id}/items"),
            &[("csrf", "not-ours"), ("idempotency_key", "k"), ("title", "x")],
        )
        .await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN, "a form from elsewhere is refused");
}

#[tokio::test]
async fn an_auditor_sees_the_meeting_but_no_forms() {
    let app = start().await;
    app.sign_in_as("auditor").await;
    let id = next_meeting(&app).await;
    let page = app.page(&format!("/meetings/{id}")).await;
    assert!(text_of(&page, "main").contains("Minutes of the last meeting"), "the agenda is shown");
    assert!(select(&page, "main form").is_empty(), "no forms for an auditor");
    let attendance = app.page(&format!("/meetings/{id}/attendance")).await;
    assert!(select(&attendance, "main form").is_empty());
    let minutes = app.page(&format!("/meetings/{id}/minutes")).await;
    assert!(select(&minutes, "main form").is_empty());
}

#[tokio::test]
async fn attendance_and_the_approval_of_the_minutes_are_recorded() {
    let app = start().await;
    app.sign_in_as("assistant").await;
    let list = app.page("/meetings").await;
    let next = listed(&list, 0).into_iter().next().expect("the next meeting");
    let next_view = meeting(&app, &next).await;

    // Attendance at the next meeting: one present, one with apologies.
    let page = app.page(&format!("/meetings/{next}/attendance")).await;
    let (csrf, key) = form_keys(&page, "form[action$='/attendance']");
    let members: Vec<String> = select(&page, "input[type='radio'][value='present']")
        .iter()
        .filter_map(|i| i.value().attr("name").map(str::to_owned))
        .collect();
    assert!(members.len() >= 2, "a choice for each current member");
    let sent = app
        .post(
            &format!("/meetings/{next}/attendance"),
            &[
                ("csrf", &csrf),
                ("idempotency_key", &key),
                (&members[0], "present"),
                (&members[1], "apologies"),
            ],
        )
        .await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let recorded = meeting(&app, &next).await;
    assert_eq!(recorded["attendance"].as_array().expect("attendance").len(), 2, "{recorded}");
    let shown = app.page(&format!("/meetings/{next}?done=attendance")).await;
    assert!(text_of(&shown, ".govuk-notification-banner").contains("Attendance was recorded"));
    let text = text_of(&shown, "main");
    assert!(text.contains("Present (1)") && text.contains("Apologies (1)"), "{text}");

    // Nothing chosen: explained.
    let page = app.page(&format!("/meetings/{next}/attendance")).await;
    let (csrf, key) = form_keys(&page, "form[action$='/attendance']");
    let refused = app
        .post(&format!("/meetings/{next}/attendance"), &[("csrf", &csrf), ("idempotency_key", &key)])
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // Last month's minutes, approved at the next group meeting.
    let mut last = None;
    for id in listed(&list, 1) {
        let view = meeting(&app, &id).await;
        if view["kind"] == "group_meeting" && view["minutes_approved"].is_null() {
            last = Some(id);
            break;
        }
    }
    let last = last.expect("last month's group meeting, its minutes not yet approved");
    let page = app.page(&format!("/meetings/{last}/minutes")).await;
    let (csrf, key) = form_keys(&page, "form[action$='/minutes-approval']");
    let sent = app
        .post(
            &format!("/meetings/{last}/minutes-approval"),
            &[
                ("csrf", &csrf),
                ("idempotency_key", &key),
                ("meeting_id", next_view["id"].as_str().expect("id")),
            ],
        )
        .await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER, "{}", sent.text().await.unwrap_or_default());
    let recorded = meeting(&app, &last).await;
    assert_eq!(recorded["minutes_approved"]["meeting_id"], next_view["id"], "{recorded}");
    let shown = app.page(&format!("/meetings/{last}?done=approval")).await;
    assert!(text_of(&shown, ".govuk-notification-banner").contains("approval of the minutes was recorded"));
    assert!(text_of(&shown, "main").contains("Approved on"));
}
