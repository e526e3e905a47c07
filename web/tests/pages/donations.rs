//! Probity (issue 18): the donations register of a year as the api holds
//! it, each donor's total with its standing, a donation's page with its
//! permissibility check, the check linked from My work; a councillor is
//! told in words they may not see donors, and is offered no link to them.

use reqwest::StatusCode;

use crate::actions::select;
use crate::support::*;

const ASSISTANT: (&str, &str) = ("demo-assistant", "assistant");

#[tokio::test]
async fn the_register_lists_the_year_s_donations_and_totals_and_a_donation_its_check() {
    let app = start().await;
    app.sign_in_as("officer").await;
    let register = app.page("/donations").await;
    let held = app.api_get(ASSISTANT.0, ASSISTANT.1, "/donations-register").await;
    let links: Vec<String> = select(&register, "table a[href^='/donations/']")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .map(str::to_owned)
        .collect();
    let mut expected: Vec<String> = held["donations"]
        .as_array()
        .expect("donations")
        .iter()
        .map(|d| format!("/donations/{}", d["id"].as_str().expect("id")))
        .collect();
    let mut shown = links.clone();
    expected.sort_unstable();
    shown.sort_unstable();
    assert_eq!(shown, expected, "every donation of the year the api holds");
    let text = text_of(&register, "main");
    assert!(text.contains("£750.00") && text.contains("Check due") && text.contains("£11,180.00"), "{text}");
    assert!(text.contains("Stratford Print Works Ltd") && text.contains("Below"), "{text}");

    // The donation awaiting its check, as My work links to it.
    let waiting = held["donations"]
        .as_array()
        .expect("donations")
        .iter()
        .find(|d| d["status"] == "awaiting_check")
        .expect("one awaiting its check");
    let path = format!("/donations/{}", waiting["id"].as_str().expect("id"));
    let home = app.page("/").await;
    assert_eq!(select(&home, &format!("a[href='{path}']")).len(), 1, "My work links the check");
    let page = app.page(&path).await;
    let text = text_of(&page, "main");
    assert!(text.contains("To be made by") && text.contains("Unit 4, Carpenters Road"), "{text}");
}

#[tokio::test]
async fn a_councillor_sees_no_donor_and_is_told_why() {
    let app = start().await;
    app.sign_in_as("councillor").await;
    let home = app.page("/").await;
    assert!(select(&home, "a[href='/donations']").is_empty(), "no link to donations");
    let refused = app.get("/donations").await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let body = refused.text().await.expect("body");
    assert!(body.contains("Your role does not allow it"), "{body}");
}
