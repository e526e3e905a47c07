//! Receipts: a site build records, through the api, where each publication
//! it shows went out on the website; a second build records nothing new.

mod support;

use std::{
    collections::BTreeMap,
    path::{Path, PathBuf},
};

use caucus_api::{domain::GroupId, sample, store::StoreConfig, store::replay::replay_group};
use caucus_publisher::{
    BuildOptions, Mode, build_site,
    config::SiteConfig,
    public,
    receipts::ReceiptsReport,
    social::{ApiClient, ReceiptAnswer, Secret},
};
use chrono::Utc;
use serde_json::Value;
use uuid::Uuid;

fn sample_site() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../publisher/sample-site")
}

fn options(store: &StoreConfig, out: &Path, receipts: Option<ApiClient>) -> BuildOptions {
    BuildOptions {
        store: store.clone(),
        site: sample_site(),
        out: out.to_path_buf(),
        group: None,
        now: None,
        mode: Mode::Full,
        verifier_key: None,
        receipts,
    }
}

/// The website receipts at `url` that `GET /publications/{id}` shows, as
/// `(url, at)` (the sample's own are at another site's URLs).
async fn website_receipts(api: &support::Api, id: Uuid, url: &str) -> Vec<(String, String)> {
    let publication: Value = reqwest::Client::new()
        .get(format!("{}/publications/{id}", api.base))
        .bearer_auth(&api.token)
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    publication["receipts"]
        .as_array()
        .expect("receipts")
        .iter()
        .filter(|r| r["channel"] == "website" && r["url"] == url)
        .map(|r| (r["url"].as_str().expect("url").to_owned(), r["at"].as_str().expect("at").to_owned()))
        .collect()
}

async fn a_build_records_each_page_once(store: StoreConfig) {
    let api = support::start_api(&store).await;
    assert!(sample::load_if_empty(&api.db, &api.bus).await.expect("sample loads"));
    let dir = tempfile::tempdir().expect("temp dir");

    // The pages the site shows, by publication.
    let config = SiteConfig::load(&sample_site()).expect("config");
    let group = GroupId::parse(sample::GROUP).expect("group");
    let records = replay_group(&api.db, &group, None).await.expect("replay");
    let pages: BTreeMap<Uuid, String> = public::select(&records, Utc::now())
        .articles
        .iter()
        .map(|a| (a.id, format!("{}/{}", config.base(), a.path)))
        .collect();
    assert!(pages.len() >= 3, "the sample has live publications: {pages:?}");

    // Without an api the site is built and the report says nothing was recorded.
    let report = build_site(&options(&store, &dir.path().join("plain"), None)).await.expect("builds");
    assert_eq!(report.receipts, ReceiptsReport::NotConfigured { pending: pages.len() });
    for (id, url) in &pages {
        assert_eq!(website_receipts(&api, *id, url).await, []);
    }

    let token = support::token("site-builder", &["publisher"]);
    let client = || ApiClient::new(&api.base, Secret::new(token.clone()), std::time::Duration::from_secs(10));
    let out = dir.path().join("site");
    let report = build_site(&options(&store, &out, Some(client().expect("client")))).await.expect("builds");
    assert_eq!(report.receipts, ReceiptsReport::Sent { recorded: pages.len(), already: 0, failed: vec![] });
    let mut first = BTreeMap::new();
    for (id, url) in &pages {
        let receipts = website_receipts(&api, *id, url).await;
        assert_eq!(receipts.len(), 1, "{url}: {receipts:?}");
        assert_eq!(&receipts[0].0, url);
        first.insert(*id, (url, receipts));
    }

    // A second build finds them in the log and records none.
    let report = build_site(&options(&store, &out, Some(client().expect("client")))).await.expect("builds");
    assert_eq!(report.receipts, ReceiptsReport::Sent { recorded: 0, already: pages.len(), failed: vec![] });
    for (id, (url, receipts)) in &first {
        assert_eq!(&website_receipts(&api, *id, url).await, receipts);
    }

    // Sent again anyway (a build as of an instant before the receipt), under
    // the same Idempotency-Key with another time: still one receipt.
    let (id, (url, receipts)) = first.iter().next().expect("a page");
    let answer = client()
        .expect("client")
        .record_website_receipt(*id, url, Utc::now() - chrono::Duration::seconds(1))
        .await
        .expect("sent");
    assert_eq!(answer, ReceiptAnswer::Recorded);
    assert_eq!(&website_receipts(&api, *id, url).await, receipts);
}

#[tokio::test]
async fn a_build_records_each_page_once_on_sqlite() {
    let dir = tempfile::tempdir().expect("temp dir");
    a_build_records_each_page_once(StoreConfig::Sqlite { path: dir.path().join("caucus.sqlite3") }).await;
}

#[tokio::test]
async fn a_build_records_each_page_once_on_postgres() {
    a_build_records_each_page_once(support::fresh_postgres().await).await;
}
