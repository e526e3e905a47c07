//! The social queue and scheduling: the queue shows each delivery the api
//! holds, a failed one with why and when it is tried again; the assistant schedules an approved publication for a London day
//! and time (a time already past refused at its field), the api holds it, and
//! the queue shows its post waiting; a councillor finds neither the form nor
//! the queue.

use chrono::{Datelike as _, TimeZone as _};
use reqwest::StatusCode;
use serde_json::json;

use crate::actions::{fields_of, form, html, select, send, with};
use crate::support::*;

const ASSISTANT: (&str, &str) = ("demo-assistant", "assistant");

/// A press release with a Bluesky post, approved by the Leader through the api.
pub(crate) async fn approved(app: &Running) -> String {
    approved_titled(app, "Ward surgeries extended").await
}

/// A press release titled `title`, approved as [`approved`] is.
async fn approved_titled(app: &Running, title: &str) -> String {
    let id = crate::publications::waiting_for_approval(app, title).await;
    let path = format!("/publications/{id}/approval");
    let (status, body) =
        app.api_send(("demo-leader", "leader"), reqwest::Method::POST, &path, &json!({}), None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    id
}

/// The publication ids the queue page links to, one per delivery.
fn queued(page: &scraper::Html) -> Vec<String> {
    select(page, "tbody a[href^='/publications/']")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .map(|h| h.trim_start_matches("/publications/").to_owned())
        .collect()
}

#[tokio::test]
async fn scheduling_lands_in_the_api_and_the_queue_shows_its_delivery() {
    let app = start().await;
    let id = approved(&app).await;
    app.sign_in_as("assistant").await;

    // The queue shows what the api holds: the sample's post scheduled for tomorrow.
    let list = app.page("/publications").await;
    assert!(!select(&list, "main a[href='/social-queue']").is_empty(), "linked from Publications");
    let queue = app.page("/social-queue").await;
    let held = app.api_get(ASSISTANT.0, ASSISTANT.1, "/social-queue").await;
    let held: Vec<String> = held["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["publication_id"].as_str().expect("id").to_owned())
        .collect();
    assert!(!held.is_empty(), "the sample has a post waiting");
    assert_eq!(queued(&queue), held);
    assert!(!queued(&queue).contains(&id), "not yet scheduled");

    // The publisher fails to post one that is due: its attempts and why, and when it tries again.
    let due = app.api_get(ASSISTANT.0, ASSISTANT.1, "/social-queue?due=true").await;
    let first = &due["items"][0];
    let (failed, network) =
        (first["publication_id"].as_str().expect("id"), first["network"].as_str().expect("network"));
    let publisher = ("demo-publisher", "publisher");
    let path = format!("/publications/{failed}/deliveries/{network}");
    let (status, claimed) =
        app.api_send(publisher, reqwest::Method::POST, &format!("{path}/claim"), &json!({}), None).await;
    assert_eq!(status, StatusCode::OK, "{claimed}");
    let retry = chrono::Utc::now() + chrono::Duration::hours(2);
    let outcome = json!({"attempt": 1, "error": "the network answered 503", "retry_at": retry});
    let (status, body) =
        app.api_send(publisher, reqwest::Method::POST, &format!("{path}/outcome"), &outcome, None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let queue = app.page("/social-queue").await;
    let row = select(&queue, "tbody tr")
        .into_iter()
        .map(|r| r.text().collect::<String>())
        .find(|text| text.contains("Failed"))
        .expect("the failed delivery");
    assert!(row.contains("the network answered 503") && row.contains("Tries again"), "{row}");

    // A time already past: refused at the field.
    let path = format!("/publications/{id}");
    let page = app.page(&path).await;
    let action = format!("{path}/schedule");
    let fields = fields_of(&form(&page, &action));
    let fields = with(fields, "publish_at-day", "1");
    let fields = with(fields, "publish_at-month", "1");
    let fields = with(fields, "publish_at-year", "2020");
    let fields = with(fields, "publish_at-time", "9am");
    let refused = send(&app, &action, &fields).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = html(refused).await;
    assert!(!select(&refused, ".govuk-error-summary a[href='#schedule-on-day']").is_empty());
    assert!(text_of(&refused, "#schedule-on-error").contains("must be in the future"));
    assert_eq!(
        app.api_get(ASSISTANT.0, ASSISTANT.1, &format!("/publications/{id}")).await["status"],
        "approved"
    );

    // Ten days ahead at 9:30am London time.
    let day = chrono::Utc::now().date_naive() + chrono::Duration::days(10);
    let fields = fields_of(&form(&refused, &action));
    let fields = with(fields, "publish_at-day", &day.day().to_string());
    let fields = with(fields, "publish_at-month", &day.month().to_string());
    let fields = with(fields, "publish_at-year", &day.year().to_string());
    let fields = with(fields, "publish_at-time", "9:30am");
    let sent = send(&app, &action, &fields).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER, "{}", sent.text().await.unwrap_or_default());
    let scheduled = app.api_get(ASSISTANT.0, ASSISTANT.1, &format!("/publications/{id}")).await;
    assert_eq!(scheduled["status"], "scheduled", "{scheduled}");
    let expected = chrono_tz::Europe::London
        .from_local_datetime(&day.and_hms_opt(9, 30, 0).expect("time"))
        .single()
        .expect("one instant")
        .with_timezone(&chrono::Utc);
    let publish_at: chrono::DateTime<chrono::Utc> =
        scheduled["publish_at"].as_str().expect("publish_at").parse().expect("instant");
    assert_eq!(publish_at, expected);
    let shown = app.page(&format!("{path}?done=scheduled")).await;
    assert!(text_of(&shown, ".govuk-notification-banner").contains("It was scheduled"));

    // The queue now shows its Bluesky post, waiting for its time.
    let queue = app.page("/social-queue").await;
    let row = select(&queue, "tbody tr")
        .into_iter()
        .find(|r| r.html().contains(&format!("/publications/{id}")))
        .map(|r| r.text().collect::<String>())
        .expect("its delivery");
    assert!(row.contains("Bluesky") && row.contains("Waiting") && row.contains("9:30am"), "{row}");
}

#[tokio::test]
async fn a_councillor_sees_no_schedule_form_and_no_queue() {
    let app = start().await;
    let id = approved(&app).await;
    app.sign_in_as("councillor").await;
    let page = app.page(&format!("/publications/{id}")).await;
    assert!(select(&page, "main form").is_empty(), "no office form for a councillor");
    let list = app.page("/publications").await;
    assert!(select(&list, "main a[href='/social-queue']").is_empty());
    let queue = app.get("/social-queue").await;
    assert_eq!(queue.status(), StatusCode::FORBIDDEN, "the api keeps the queue to the office");
}

#[tokio::test]
async fn a_long_queue_lists_the_posts_due_soonest_and_says_more_wait() {
    let app = start().await;
    // A hundred and one going out a day apart from tomorrow: one more than
    // the page lists.
    let mut ids = Vec::new();
    for n in 1..=101 {
        let id = approved_titled(&app, &format!("Ward newsletter {n:03}")).await;
        let at = (chrono::Utc::now() + chrono::Duration::days(n)).to_rfc3339();
        let path = format!("/publications/{id}/schedule");
        let (status, body) =
            app.api_send(ASSISTANT, reqwest::Method::POST, &path, &json!({"publish_at": at}), None).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        ids.push(id);
    }
    app.sign_in_as("assistant").await;
    let queue = app.page("/social-queue").await;
    let listed = queued(&queue);
    assert!(listed.contains(&ids[0]), "tomorrow's is listed");
    assert!(!listed.contains(&ids[100]), "the latest to go waits beyond the page");
    let text = text_of(&queue, "main");
    assert!(text.contains("the 100 publications due soonest. More are waiting"), "{text}");
}
