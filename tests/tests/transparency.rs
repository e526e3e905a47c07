//! The transparency page: the group's latest signed checkpoint, published as
//! `checkpoint.txt` only once it verifies with the group's key.

mod support;

use std::path::{Path, PathBuf};

use caucus_api::{
    audit::checkpoint,
    sample,
    store::{StoreConfig, chain},
};
use caucus_publisher::{BuildOptions, Mode, build_site, transparency::Transparency};
use chrono::Utc;

fn sample_site() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../publisher/sample-site")
}

fn options(store: &StoreConfig, out: &Path, verifier_key: Option<&str>) -> BuildOptions {
    BuildOptions {
        store: store.clone(),
        site: sample_site(),
        out: out.to_path_buf(),
        group: None,
        now: Some(Utc::now()),
        mode: Mode::Full,
        verifier_key: verifier_key.map(str::to_owned),
        receipts: None,
    }
}

fn read(out: &Path, path: &str) -> Option<String> {
    std::fs::read_to_string(out.join(path)).ok()
}

async fn the_published_checkpoint_verifies_with_the_key_and_names_the_chain_size(store: StoreConfig) {
    let (api, key) = support::start_signing_api(&store).await;
    let dir = tempfile::tempdir().expect("temp dir");

    // Before anything is recorded there is no checkpoint, and the site says so.
    let out = dir.path().join("empty");
    let report = build_site(&options(&store, &out, Some(&key))).await.expect("builds");
    assert!(matches!(report.transparency, Transparency::NoCheckpoint { .. }), "{:?}", report.transparency);
    assert_eq!(read(&out, "checkpoint.txt"), None);
    let page = read(&out, "transparency/index.html").expect("page");
    assert!(page.contains("No signed checkpoint has been published yet") && page.contains(&key), "{page}");

    assert!(sample::load_if_empty(&api.db, &api.bus).await.expect("sample loads"));
    let total = chain_everything(&api).await;

    let out = dir.path().join("site");
    let report = build_site(&options(&store, &out, Some(&key))).await.expect("builds");
    let Transparency::Published(published) = &report.transparency else {
        panic!("no checkpoint published: {:?}", report.transparency)
    };
    let note = read(&out, "checkpoint.txt").expect("checkpoint.txt");
    let opened = checkpoint::open(&note, &key).expect("checkpoint.txt verifies with the group's key");
    assert_eq!(opened.origin, format!("caucus-e2e/{}", sample::GROUP));
    assert_eq!(opened.size, total, "the checkpoint covers the whole chain");
    assert_eq!(published.size, total);
    let page = read(&out, "transparency/index.html").expect("page");
    for shown in [format!("<dt>Size</dt><dd>{total}:"), key.clone(), "caucus verify --export".to_owned()] {
        assert!(page.contains(&shown), "the page lacks {shown}: {page}");
    }
    let report = chain::verify_group(&api.db, sample::GROUP, Some(&key)).await.expect("verify");
    assert!(report.is_intact() && report.signed_size == Some(total), "{report:?}");

    // Without the key nothing is published, and the page says why.
    let out = dir.path().join("keyless");
    let report = build_site(&options(&store, &out, None)).await.expect("builds");
    assert!(matches!(report.transparency, Transparency::NoKey));
    assert_eq!(read(&out, "checkpoint.txt"), None);
    assert!(read(&out, "transparency/index.html").expect("page").contains("verifier key"));

    // A checkpoint that does not verify with the configured key stops the build.
    let (other, _) = checkpoint::CheckpointSigner::generate("someone-else").expect("key");
    let out = dir.path().join("wrong");
    let error = build_site(&options(&store, &out, Some(other.verifier_key()))).await.expect_err("refused");
    assert!(format!("{error:#}").contains("does not verify"), "{error:#}");
    assert!(!out.exists(), "nothing was published");
}

/// Has the api chain every event (an audit read catches the chain up, and
/// each pass that chains events signs a checkpoint); returns the chain's size.
async fn chain_everything(api: &support::Api) -> u64 {
    let response = reqwest::Client::new()
        .get(format!("{}/audit/verification", api.base))
        .bearer_auth(support::token("auditor", &["auditor"]))
        .send()
        .await
        .expect("get");
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap_or_default());
    let chained = chain::chained_count(&api.db, sample::GROUP).await.expect("count");
    let latest = chain::latest_checkpoint(&api.db, sample::GROUP).await.expect("checkpoint");
    assert_eq!(latest.map(|c| c.size), Some(chained), "the last chain pass signed the whole chain");
    u64::try_from(chained).expect("size")
}

#[tokio::test]
async fn the_published_checkpoint_verifies_with_the_key_and_names_the_chain_size_on_sqlite() {
    let dir = tempfile::tempdir().expect("temp dir");
    the_published_checkpoint_verifies_with_the_key_and_names_the_chain_size(StoreConfig::Sqlite {
        path: dir.path().join("caucus.sqlite3"),
    })
    .await;
}

#[tokio::test]
async fn the_published_checkpoint_verifies_with_the_key_and_names_the_chain_size_on_postgres() {
    the_published_checkpoint_verifies_with_the_key_and_names_the_chain_size(support::fresh_postgres().await)
        .await;
}
