//! Assets and the headers every page carries.

use reqwest::StatusCode;
use scraper::{Html, Selector};

use crate::support::start;

#[tokio::test]
async fn assets_are_cached_for_a_year_under_hashed_names_and_pages_forbid_inline_script() {
    let app = start().await;
    let page = app.get("/sign-in").await;
    let policy = page.headers()["content-security-policy"].to_str().expect("header").to_owned();
    assert!(policy.contains("script-src 'self'") && !policy.contains("unsafe-inline"), "{policy}");
    let page = Html::parse_document(&page.text().await.expect("body"));
    let stylesheet = Selector::parse("link[rel='stylesheet']").expect("selector");
    let href =
        page.select(&stylesheet).next().and_then(|l| l.value().attr("href")).expect("stylesheet").to_owned();
    assert!(href.starts_with("/assets/govuk-frontend-") && href.ends_with(".min.css"), "{href}");
    let css = app
        .browser
        .get(format!("{}{href}", app.web))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .expect("css");
    assert_eq!(css.status(), StatusCode::OK);
    assert_eq!(css.headers()["cache-control"], "public, max-age=31536000, immutable");
    assert_eq!(css.headers()["content-encoding"], "gzip", "compressed");
    assert_eq!(app.get("/assets/govuk-frontend-000000000000.min.css").await.status(), StatusCode::NOT_FOUND);

    // The licence the footer links to is cached as long, so its name changes with it too.
    let footer = Selector::parse(".govuk-footer__meta a[href^='/assets/']").expect("selector");
    let licence =
        page.select(&footer).next().and_then(|a| a.value().attr("href")).expect("licence").to_owned();
    assert!(licence.starts_with("/assets/govuk-frontend-licence-") && licence.ends_with(".txt"), "{licence}");
    let text = app.get(&licence).await;
    assert_eq!(text.status(), StatusCode::OK);
    assert!(text.text().await.expect("licence").contains("MIT"), "GOV.UK Frontend's licence");
}
