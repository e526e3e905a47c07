//! Decisions: the register as the api holds it, each with its status; the
//! assistant records a decision, reports progress on it (a refused report
//! explained at its field) and marks it implemented, and the api agrees.

use reqwest::StatusCode;
use serde_json::Value;

use crate::actions::{fields_of, form, html, select, send, with};
use crate::support::*;

const ASSISTANT: (&str, &str) = ("demo-assistant", "assistant");

async fn decision(app: &Running, id: &str) -> Value {
    app.api_get(ASSISTANT.0, ASSISTANT.1, &format!("/decisions/{id}")).await
}

#[tokio::test]
async fn the_register_lists_every_decision_the_api_holds_with_its_status() {
    let app = start().await;
    app.sign_in_as("leader").await;
    let register = app.page("/decisions").await;
    let listed: Vec<String> = select(&register, "table a[href^='/decisions/']")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .map(|h| h.trim_start_matches("/decisions/").to_owned())
        .collect();
    let all = app.api_get(ASSISTANT.0, ASSISTANT.1, "/decisions?limit=200").await;
    let mut held: Vec<(String, String)> = all["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|d| {
            (d["decided_on"].as_str().expect("day").to_owned(), d["id"].as_str().expect("id").to_owned())
        })
        .collect();
    held.sort_by(|a, b| b.0.cmp(&a.0));
    let mut expected: Vec<String> = held.into_iter().map(|(_, id)| id).collect();
    let mut shown = listed.clone();
    expected.sort_unstable();
    shown.sort_unstable();
    assert_eq!(shown, expected, "every decision the api holds");
    let text = text_of(&register, "main");
    assert!(
        text.contains("In force") && text.contains("Implemented") && text.contains("Rescinded"),
        "{text}"
    );

    // Filtered by status without JavaScript.
    let implemented = app.page("/decisions?status=implemented").await;
    let rows = select(&implemented, "tbody tr");
    let count =
        all["items"].as_array().expect("items").iter().filter(|d| d["status"] == "implemented").count();
    assert_eq!(rows.len(), count);
    assert!(text_of(&implemented, "main").contains(&format!("{count} decisions: implemented.")));
}

#[tokio::test]
async fn the_assistant_records_a_decision_reports_progress_and_marks_it_implemented() {
    let app = start().await;
    app.sign_in_as("assistant").await;
    let page = app.page("/decisions/new").await;
    let fields = fields_of(&form(&page, "/decisions"));
    let fields = with(fields, "title", "Campaign for a Beckton bus route");
    let fields = with(
        fields,
        "text",
        "The group will campaign for a new bus route to Beckton.\n\nMembers will gather signatures.",
    );
    let fields = with(fields, "taken_by", "group_meeting");
    let fields = with(fields, "meeting", "Group meeting 2 March 2026");
    let fields = with(fields, "votes_for", "21");
    let fields = with(fields, "votes_against", "2");
    let sent = send(&app, "/decisions", &fields).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER, "{}", sent.text().await.unwrap_or_default());
    let location = sent.headers()["location"].to_str().expect("location").to_owned();
    let id = location.trim_start_matches("/decisions/").trim_end_matches("?done=recorded").to_owned();
    let recorded = decision(&app, &id).await;
    assert_eq!(recorded["title"], "Campaign for a Beckton bus route", "{recorded}");
    assert_eq!(recorded["status"], "in_force");
    assert_eq!(recorded["votes"]["for"], 21);
    assert_eq!(recorded["classification"], "group");
    let shown = app.page(&location).await;
    assert!(text_of(&shown, ".govuk-notification-banner").contains("The decision was recorded"));
    assert!(text_of(&shown, "main").contains("21 for, 2 against, 0 abstaining"));

    // Progress with a percentage that is not a number: explained at its field.
    let path = format!("/decisions/{id}/progress");
    let fields = fields_of(&form(&shown, &path));
    let key = fields.iter().find(|(n, _)| n == "idempotency_key").map(|(_, v)| v.clone()).expect("key");
    let fields = with(with(fields, "status", "on_track"), "note", "Petition launched at the ward surgery");
    let refused = send(&app, &path, &with(fields.clone(), "percent_complete", "lots")).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = html(refused).await;
    assert!(!select(&refused, ".govuk-error-summary a[href='#percent-complete']").is_empty());
    let kept = fields_of(&form(&refused, &path));
    assert!(kept.contains(&("idempotency_key".to_owned(), key)), "the refused form keeps its key");
    assert!(kept.contains(&("status".to_owned(), "on_track".to_owned())), "and what was chosen");

    // Then as the api takes it: sent twice, recorded once.
    let fields = with(kept, "percent_complete", "40");
    for _ in 0..2 {
        let sent = send(&app, &path, &fields).await;
        assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    }
    let recorded = decision(&app, &id).await;
    let progress = recorded["progress"].as_array().expect("progress");
    assert_eq!(progress.len(), 1, "{recorded}");
    assert_eq!(progress[0]["status"], "on_track");
    assert_eq!(progress[0]["percent_complete"], 40);
    assert_eq!(progress[0]["note"], "Petition launched at the ward surgery");
    let shown = app.page(&format!("/decisions/{id}?done=progress")).await;
    assert!(text_of(&shown, "main").contains("On track, 40% complete"));

    // Marked implemented, today by default.
    let path = format!("/decisions/{id}/implementation");
    let fields = fields_of(&form(&shown, &path));
    let sent = send(&app, &path, &fields).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let recorded = decision(&app, &id).await;
    assert_eq!(recorded["status"], "implemented", "{recorded}");
    assert!(recorded["implemented_on"].is_string());
    let shown = app.page(&format!("/decisions/{id}?done=implemented")).await;
    assert!(text_of(&shown, ".govuk-notification-banner").contains("marked implemented"));
    assert!(select(&shown, "main form").is_empty(), "an implemented decision takes no more writes");
}

#[tokio::test]
async fn the_assistant_amends_a_decision_and_supersedes_it() {
    let app = start().await;
    app.sign_in_as("assistant").await;
    let all = app.api_get(ASSISTANT.0, ASSISTANT.1, "/decisions?status=in_force&limit=200").await;
    let items = all["items"].as_array().expect("items");
    let (old, new) = (items[0]["id"].as_str().expect("id"), items[1]["id"].as_str().expect("id"));
    let page = app.page(&format!("/decisions/{old}")).await;
    let path = format!("/decisions/{old}/amendments");
    let fields = with(fields_of(&form(&page, &path)), "text", "The group's amended position.");
    let fields = with(fields, "reason", "Agreed at the group meeting");
    let sent = send(&app, &path, &fields).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let recorded = decision(&app, old).await;
    assert_eq!(recorded["text"], "The group's amended position.");
    assert_eq!(recorded["amendments"][0]["reason"], "Agreed at the group meeting");

    let page = app.page(&format!("/decisions/{old}?done=amended")).await;
    assert!(text_of(&page, "main").contains("Amendment 1"));
    let path = format!("/decisions/{old}/supersession");
    let fields =
        with(with(fields_of(&form(&page, &path)), "by", new), "reason", "Replaced by the new policy");
    let sent = send(&app, &path, &fields).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let recorded = decision(&app, old).await;
    assert_eq!(recorded["status"], "superseded", "{recorded}");
    assert_eq!(recorded["superseded_by"], new);
    let page = app.page(&format!("/decisions/{old}?done=superseded")).await;
    assert!(
        !select(&page, &format!("main a[href='/decisions/{new}']")).is_empty(),
        "it links to its successor"
    );
}

#[tokio::test]
async fn a_long_register_is_read_a_page_at_a_time_the_latest_recorded_first() {
    let app = start().await;
    let held = app.api_get(ASSISTANT.0, ASSISTANT.1, "/decisions?limit=200").await;
    let before = held["items"].as_array().expect("items").len();
    // Enough that the list goes on past one page.
    for n in 0..100 {
        let body = serde_json::json!({
            "title": format!("Ward surgery rota {n:03}"),
            "text": "Each councillor holds a surgery a month.",
            "decided_on": "2026-03-02",
            "taken_by": {"kind": "group_officers"},
            "classification": "group",
        });
        let (status, answer) =
            app.api_send(ASSISTANT, reqwest::Method::POST, "/decisions", &body, None).await;
        assert_eq!(status, StatusCode::CREATED, "{answer}");
    }
    app.sign_in_as("leader").await;
    let links = |page: &scraper::Html| -> Vec<String> {
        select(page, "table a[href^='/decisions/']")
            .iter()
            .filter_map(|a| a.value().attr("href"))
            .map(str::to_owned)
            .collect()
    };
    let first = app.page("/decisions").await;
    assert_eq!(links(&first).len(), 100, "one page");
    let text = text_of(&first, "main");
    assert!(text.contains("The latest 100 decisions; more on the next page."), "{text}");
    assert!(text.contains("Ward surgery rota 099"), "the latest recorded on the first page: {text}");
    let next = select(&first, "nav.govuk-pagination a[rel='next']");
    let href = next.first().and_then(|a| a.value().attr("href")).expect("a link to the next page").to_owned();
    let second = app.page(&href).await;
    let rest = links(&second);
    assert_eq!(rest.len(), before, "the rest on the next page");
    assert!(links(&first).iter().all(|l| !rest.contains(l)), "no decision on both pages");
    let back = select(&second, "nav.govuk-pagination a[rel='prev']");
    assert_eq!(back.first().and_then(|a| a.value().attr("href")), Some("/decisions"));
    assert!(select(&second, "nav.govuk-pagination a[rel='next']").is_empty(), "the last page");
}
