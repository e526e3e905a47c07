//! The main journeys end to end in a real browser (Playwright driving
//! Debian's Chromium, `tests/a11y/journeys.mjs`) against a real api and web
//! client on loopback, on each store: the Leader approves a press release at
//! phone width; the Political Assistant prepares a meeting, adds a paper and
//! despatches the papers; a refused form's error summary leads to its field;
//! a stale edit is shown and applied again; a councillor works with
//! JavaScript off, and reports progress on their own action (and cannot
//! touch another's); an auditor opens a record as it stood; and a councillor
//! follows a deep link, signs in through the council's OpenID provider (its
//! own login and consent pages) and lands there as the member they are linked
//! to, then signs out, at the provider too, and is asked who they are on
//! signing in again.
//!
//! One api and web client per store, and one node process with one Chromium
//! running every journey in its own browser context (its own cookies), in the
//! order of [`JOURNEYS`]. Each journey changes only records no other one
//! reads, so the order does not matter to the outcome. They run when
//! `CAUCUS_A11Y_CHROMIUM` names Chromium (as `.ci/run` arranges, with `npm ci`
//! in `tests/a11y`); the sign-in journey also needs `CAUCUS_OIDC_PROVIDER_DIR`
//! (see `oidc.rs`), and is left out, saying so, without it.

use caucus_api::auth::KeySource;
use caucus_web::config::OidcSettings;

use crate::{
    oidc::{WithProvider, link_member, provider_dir, start_with_provider},
    support::*,
};

/// The journeys, run in this order on the same api and web client.
const JOURNEYS: &[&str] = &[
    "leader-approves-at-phone-width",
    "assistant-prepares-a-meeting",
    "a-refused-form-leads-to-its-field",
    "a-stale-edit-is-shown-and-applied-again",
    "javascript-off",
    "a-councillor-reports-progress-on-their-own-action",
    "an-auditor-opens-a-record-as-it-stood",
];

/// The journey through the OpenID provider, and who signs in there.
const THROUGH_THE_PROVIDER: &str = "signing-in-through-the-provider";
const PROVIDER_LOGIN: &str = "cllr.begum";
const PROVIDER_NAME: &str = "Amina Begum";

async fn run_journeys(store: Store) {
    let Some(chromium) = std::env::var_os("CAUCUS_A11Y_CHROMIUM") else {
        println!("skipped: set CAUCUS_A11Y_CHROMIUM (as .ci/run does) to run the journeys in a browser");
        return;
    };
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/a11y/journeys.mjs");
    let provided = match provider_dir() {
        Some(dir) => Some(start_with_provider(&dir, store).await),
        None => None,
    };
    let plain;
    let app = match &provided {
        Some(WithProvider { app, .. }) => app,
        None => {
            let keys = KeySource::SharedSecret(SECRET.as_bytes().to_vec());
            plain = start_on(store, keys, "127.0.0.1:0", OidcSettings::default()).await;
            &plain
        }
    };
    // For the Leader to find on My work.
    crate::publications::waiting_for_approval(app, "Library saved").await;

    let mut command = tokio::process::Command::new("node");
    command.arg(&script).args(["--web", &app.web]).arg("--chromium").arg(&chromium);
    command.args(["--api", &app.api, "--token", &api_token("demo-officer", "officer")]);
    command.args(JOURNEYS);
    if let Some(WithProvider { issuer, .. }) = &provided {
        // Not the first councillor: the provider calls `cllr.begum` by that
        // councillor's name, and the page must show the linked member's.
        let (_, member) = link_member(app, issuer, PROVIDER_LOGIN, 1).await;
        assert_ne!(member, PROVIDER_NAME, "a member the provider's name cannot be mistaken for");
        command.args(["--login", PROVIDER_LOGIN, "--member", &member, THROUGH_THE_PROVIDER]);
    }
    let output = command.output().await.unwrap_or_else(|e| panic!("node did not start: {e}"));
    let said =
        format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    let failed: Vec<&str> = said.lines().filter(|line| line.contains(" failed: ")).collect();
    assert!(output.status.success(), "on {store:?}: {}\n\n{said}", failed.join("\n"));
    println!("{said}");
}

#[tokio::test]
async fn the_main_journeys_work_in_a_browser_on_sqlite() {
    run_journeys(Store::Sqlite).await;
}

#[tokio::test]
async fn the_main_journeys_work_in_a_browser_on_postgres() {
    run_journeys(Store::Postgres).await;
}
