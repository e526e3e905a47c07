//! Elections: the list as the api holds it, open ones first; the assistant
//! calls an election, nominates two candidates, records a round and declares
//! the result, and the api agrees; a refused round and an unconfirmed
//! cancellation are explained at their fields; a councillor sees no forms.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::actions::{fields_of, form, html, select, send, with};
use crate::support::*;

const ASSISTANT: (&str, &str) = ("demo-assistant", "assistant");

async fn election(app: &Running, id: &str) -> Value {
    app.api_get(ASSISTANT.0, ASSISTANT.1, &format!("/elections/{id}")).await
}

/// The sample group's open election (Chief Whip, two candidates).
async fn sample_election(app: &Running) -> Value {
    let all = app.api_get(ASSISTANT.0, ASSISTANT.1, "/elections?status=open").await;
    all["items"][0].clone()
}

/// The values a select offers, without its prompt.
fn options(page: &scraper::Html, select_id: &str) -> Vec<String> {
    select(page, &format!("select#{select_id} option"))
        .iter()
        .filter_map(|o| o.value().attr("value"))
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn the_list_shows_every_election_the_api_holds_open_first_with_its_status() {
    let app = start().await;
    let open = sample_election(&app).await;
    // A second election, called off: listed after the open one.
    let body = json!({
        "body_id": open["body_id"], "title": "Chief Whip by-election",
        "term_starts_on": "2026-01-05", "classification": "group",
    });
    let (status, called) = app.api_send(ASSISTANT, Method::POST, "/elections", &body, None).await;
    assert_eq!(status, StatusCode::CREATED, "{called}");
    let cancelled = called["id"].as_str().expect("id");
    let path = format!("/elections/{cancelled}/cancellation");
    let (status, _) =
        app.api_send(ASSISTANT, Method::POST, &path, &json!({"reason": "Nobody came"}), None).await;
    assert_eq!(status, StatusCode::OK);

    app.sign_in_as("councillor").await;
    let list = app.page("/elections").await;
    let listed: Vec<String> = select(&list, "table a[href^='/elections/']")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .map(|h| h.trim_start_matches("/elections/").to_owned())
        .collect();
    assert_eq!(listed, vec![open["id"].as_str().expect("id").to_owned(), cancelled.to_owned()]);
    let rows = text_list(&list, "tbody tr");
    assert!(
        rows[0].contains("Open") && rows[0].contains("Chief Whip") && rows[0].contains("2 candidates"),
        "{rows:?}"
    );
    assert!(rows[1].contains("Cancelled") && rows[1].contains("term from 5 January 2026"), "{rows:?}");
    assert!(text_of(&list, "main").contains("2 elections, 1 open."));
    assert!(select(&list, "main a[href='/elections/new']").is_empty(), "a councillor calls no election");
    assert!(!select(&list, ".govuk-service-navigation a[href='/elections']").is_empty(), "in the navigation");
}

#[tokio::test]
async fn the_assistant_calls_an_election_nominates_two_counts_a_round_and_declares_the_result() {
    let app = start().await;
    app.sign_in_as("assistant").await;
    let page = app.page("/elections").await;
    assert!(!select(&page, "main a[href='/elections/new']").is_empty());
    let page = app.page("/elections/new").await;
    let post = options(&page, "post").into_iter().next().expect("a group post");
    let fields = fields_of(&form(&page, "/elections"));
    let fields = with(with(fields, "title", "Group Secretary 2027/28"), "body_id", &post);
    let fields = with(
        with(with(fields, "term_starts_on-day", "21"), "term_starts_on-month", "5"),
        "term_starts_on-year",
        "2027",
    );
    let sent = send(&app, "/elections", &fields).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER, "{}", sent.text().await.unwrap_or_default());
    let location = sent.headers()["location"].to_str().expect("location").to_owned();
    let id = location.trim_start_matches("/elections/").trim_end_matches("?done=opened").to_owned();
    let called = election(&app, &id).await;
    assert_eq!(called["title"], "Group Secretary 2027/28", "{called}");
    assert_eq!(called["status"], "open");
    assert_eq!(called["body_id"], post.as_str());
    assert_eq!(called["term_starts_on"], "2027-05-21");
    let shown = app.page(&location).await;
    assert!(text_of(&shown, ".govuk-notification-banner").contains("The election was called"));
    assert!(text_of(&shown, "main").contains("Nobody is standing."));

    // Two nominations, each from the page as it then stands.
    let path = format!("/elections/{id}/nominations");
    let mut nominated = Vec::new();
    for _ in 0..2 {
        let page = app.page(&format!("/elections/{id}")).await;
        let member = options(&page, "nominate-member").into_iter().next().expect("a member");
        let sent = send(&app, &path, &with(fields_of(&form(&page, &path)), "member_id", &member)).await;
        assert_eq!(sent.status(), StatusCode::SEE_OTHER);
        nominated.push(member);
    }
    let standing = election(&app, &id).await;
    assert_eq!(standing["candidates"], json!(nominated), "{standing}");

    // A round: 9 votes to 4.
    let page = app.page(&format!("/elections/{id}?done=nominated")).await;
    assert_eq!(select(&page, "main ul.govuk-list--bullet li").len(), 2, "both candidates listed");
    let path = format!("/elections/{id}/rounds");
    let fields = fields_of(&form(&page, &path));
    let fields =
        with(with(fields, &format!("votes-{}", nominated[0]), "9"), &format!("votes-{}", nominated[1]), "4");
    let sent = send(&app, &path, &fields).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let counted = election(&app, &id).await;
    assert_eq!(
        counted["rounds"],
        json!([[{"member_id": nominated[0], "votes": 9}, {"member_id": nominated[1], "votes": 4}]]),
        "{counted}"
    );
    let page = app.page(&format!("/elections/{id}?done=counted")).await;
    let votes = text_of(&page, "main table");
    assert!(votes.contains("Round 1") && votes.contains('9') && votes.contains("13"), "{votes}");

    // Declared today: the first candidate, with a majority, appointed.
    let path = format!("/elections/{id}/result");
    let sent = send(&app, &path, &fields_of(&form(&page, &path))).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let declared = election(&app, &id).await;
    assert_eq!(declared["status"], "declared", "{declared}");
    assert_eq!(declared["outcome"]["winner"], nominated[0].as_str());
    assert_eq!(declared["outcome"]["uncontested"], false);
    let page = app.page(&format!("/elections/{id}?done=declared")).await;
    assert!(text_of(&page, ".govuk-notification-banner").contains("declared"));
    assert!(text_of(&page, "main .govuk-summary-list").contains("Elected"));
    assert!(select(&page, "main form").is_empty(), "a declared election takes no more writes");

    // Its history leads back to it.
    let history = app.page(&format!("/history/election/{id}")).await;
    assert!(!select(&history, &format!("a[href='/elections/{id}']")).is_empty());
}

#[tokio::test]
async fn a_refused_round_and_an_unconfirmed_cancellation_are_explained_at_their_fields() {
    let app = start().await;
    let open = sample_election(&app).await;
    let id = open["id"].as_str().expect("id");
    let first = open["candidates"][0].as_str().expect("a candidate");
    app.sign_in_as("officer").await;
    let page = app.page(&format!("/elections/{id}")).await;

    let path = format!("/elections/{id}/rounds");
    let fields = fields_of(&form(&page, &path));
    let key = fields.iter().find(|(n, _)| n == "idempotency_key").map(|(_, v)| v.clone()).expect("key");
    let refused = send(&app, &path, &with(fields, &format!("votes-{first}"), "lots")).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = html(refused).await;
    assert!(!select(&refused, &format!(".govuk-error-summary a[href='#round-{first}']")).is_empty());
    assert!(text_of(&refused, &format!("#round-{first}-error")).contains("whole number"));
    let kept = fields_of(&form(&refused, &path));
    assert!(kept.contains(&("idempotency_key".to_owned(), key)), "the refused form keeps its key");
    assert!(kept.contains(&(format!("votes-{first}"), "lots".to_owned())), "and what was typed");

    // Every count zero: the api's refusal, at the first count.
    let zeros: Vec<(String, String)> = kept
        .into_iter()
        .map(|(n, v)| if n.starts_with("votes-") { (n, "0".to_owned()) } else { (n, v) })
        .collect();
    let refused = send(&app, &path, &zeros).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = html(refused).await;
    assert!(text_of(&refused, ".govuk-error-summary").contains("at least one vote"));

    // Called off only once confirmed.
    let path = format!("/elections/{id}/cancellation");
    let fields = with(fields_of(&form(&page, &path)), "reason", "Postponed to the next AGM");
    let refused = send(&app, &path, &fields).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = html(refused).await;
    assert!(!select(&refused, ".govuk-error-summary a[href='#cancel-confirm']").is_empty());
    assert_eq!(election(&app, id).await["status"], "open", "nothing was sent");
    let sent = send(&app, &path, &with(fields, "confirm", "yes")).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let cancelled = election(&app, id).await;
    assert_eq!(cancelled["status"], "cancelled");
    assert_eq!(cancelled["cancellation_reason"], "Postponed to the next AGM");
}

#[tokio::test]
async fn a_councillor_and_an_auditor_see_the_election_but_no_forms() {
    let app = start().await;
    let id = sample_election(&app).await["id"].as_str().expect("id").to_owned();
    for role in ["councillor", "auditor"] {
        app.sign_in_as(role).await;
        let page = app.page(&format!("/elections/{id}")).await;
        assert!(text_of(&page, "h1").contains("Chief Whip"), "{role}");
        assert_eq!(select(&page, "main ul.govuk-list--bullet li").len(), 2, "{role} sees the candidates");
        assert!(select(&page, "main form").is_empty(), "{role} is offered no form");
    }
}
