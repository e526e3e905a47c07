//! The main journeys end to end in a real browser (Playwright driving
//! Debian's Chromium, `tests/a11y/journeys.mjs`) against a real api and web
//! client on loopback, on each store: the Leader approves a press release at
//! phone width; the Political Assistant prepares a meeting, adds a paper and
//! despatches the papers; a refused form's error summary leads to its field;
//! a stale edit is shown and applied again; a councillor works with
//! JavaScript off, and reports progress on their own action (and cannot
//! touch another's); an auditor opens a record as it stood. They run when `CAUCUS_A11Y_CHROMIUM` names Chromium (as
//! `.ci/run` arranges, with `npm ci` in `tests/a11y`).

use caucus_api::auth::KeySource;
use caucus_web::config::OidcSettings;

use crate::support::*;

/// The journeys, each run on a fresh api and web client.
const JOURNEYS: &[&str] = &[
    "leader-approves-at-phone-width",
    "assistant-prepares-a-meeting",
    "a-refused-form-leads-to-its-field",
    "a-stale-edit-is-shown-and-applied-again",
    "javascript-off",
    "a-councillor-reports-progress-on-their-own-action",
    "an-auditor-opens-a-record-as-it-stood",
];

async fn run_journeys(store: Store) {
    let Some(chromium) = std::env::var_os("CAUCUS_A11Y_CHROMIUM") else {
        println!("skipped: set CAUCUS_A11Y_CHROMIUM (as .ci/run does) to run the journeys in a browser");
        return;
    };
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/a11y/journeys.mjs");
    for journey in JOURNEYS {
        let keys = KeySource::SharedSecret(SECRET.as_bytes().to_vec());
        let app = start_on(store, keys, "127.0.0.1:0", OidcSettings::default()).await;
        if *journey == "leader-approves-at-phone-width" {
            crate::publications::waiting_for_approval(&app, "Library saved").await;
        }
        let mut command = tokio::process::Command::new("node");
        command.arg(&script).args(["--web", &app.web]).arg("--chromium").arg(&chromium);
        command.args(["--api", &app.api, "--token", &api_token("demo-officer", "officer")]).arg(journey);
        let output = command.output().await.unwrap_or_else(|e| panic!("node did not start: {e}"));
        let said =
            format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
        assert!(output.status.success(), "{journey} on {store:?}:\n{said}");
        println!("{said}");
    }
}

#[tokio::test]
async fn the_main_journeys_work_in_a_browser_on_sqlite() {
    run_journeys(Store::Sqlite).await;
}

#[tokio::test]
async fn the_main_journeys_work_in_a_browser_on_postgres() {
    run_journeys(Store::Postgres).await;
}
