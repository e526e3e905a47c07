//! My work links each thing to see to to the page where it is done.

use scraper::Selector;

use crate::support::*;

#[tokio::test]
async fn my_work_links_approvals_and_scheduled_posts_to_their_publications_and_papers_to_their_meeting() {
    let app = start().await;
    let waiting = crate::publications::waiting_for_approval(&app, "Library saved").await;
    app.sign_in_as("leader").await;
    let home = app.page("/").await;
    let links = Selector::parse(".govuk-task-list a").expect("selector");
    let hrefs: Vec<(String, String)> = home
        .select(&links)
        .map(|a| {
            (
                a.text().collect::<String>().trim().to_owned(),
                a.value().attr("href").unwrap_or_default().to_owned(),
            )
        })
        .collect();
    assert!(
        hrefs.contains(&("Approve “Library saved”".to_owned(), format!("/publications/{waiting}"))),
        "the approval opens the publication: {hrefs:?}"
    );
    let work = app.api_get("demo-leader", "leader", "/my-work").await;
    for item in work["items"].as_array().expect("items") {
        let id = item["record_id"].as_str().expect("id");
        let expected = match item["kind"].as_str().expect("kind") {
            "scheduled" | "approval" => Some(format!("/publications/{id}")),
            "papers" => Some(format!("/meetings/{id}")),
            "term_ending" => Some(format!("/appointments/{id}")),
            _ => None,
        };
        if let Some(expected) = expected {
            assert!(hrefs.iter().any(|(_, href)| *href == expected), "{item} links to {expected}: {hrefs:?}");
        }
    }
    // The page it links to opens.
    app.page(&format!("/publications/{waiting}")).await;
}
