//! The TypeScript client in `clients/typescript` is generated from the
//! committed OpenAPI document and works against a live api (issue 14, point 5).
//!
//! With `CAUCUS_TS_CLIENT` set (`.ci/run` sets it after `npm ci` in that
//! folder), this test generates the types afresh with openapi-typescript and
//! fails if they differ from the committed `src/schema.d.ts`, generates a
//! client with `@hey-api/openapi-ts` too, type-checks and compiles the example
//! with `tsc`, and runs it with node against a running api on each store.

mod support;

use std::{
    path::{Path, PathBuf},
    process::Command,
};

use caucus_api::store::StoreConfig;

fn client_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../clients/typescript")
}

/// Runs a program of the client's `node_modules/.bin`, failing with its output.
fn npx(dir: &Path, program: &str, args: &[&str]) {
    let output = Command::new(dir.join("node_modules/.bin").join(program))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
    assert!(
        output.status.success(),
        "{program} {args:?} failed:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

async fn run_example(dir: &Path, store: &StoreConfig) {
    let api = support::start_api(store).await;
    let base = api.base.trim_end_matches("/api/v1").to_owned();
    let output = tokio::process::Command::new("node")
        .arg("dist/example.js")
        .current_dir(dir)
        .env("CAUCUS_URL", &base)
        .env("CAUCUS_ASSISTANT_TOKEN", support::token("pa", &["assistant"]))
        .env("CAUCUS_LEADER_TOKEN", support::token("leader", &["leader"]))
        .output()
        .await
        .expect("run node");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "the example failed:\n{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("drafted, submitted, approved by the Leader, scheduled"), "{stdout}");
}

#[tokio::test]
async fn the_typescript_client_is_generated_from_the_document_and_runs_a_real_flow() {
    if std::env::var_os("CAUCUS_TS_CLIENT").is_none() {
        return;
    }
    let dir = client_dir();
    let fresh = tempfile::tempdir().expect("temp dir");
    let generated = fresh.path().join("schema.d.ts");
    let generated_arg = generated.to_str().expect("utf-8 path");
    npx(&dir, "openapi-typescript", &["../../openapi/openapi.json", "-o", generated_arg]);
    let committed = std::fs::read_to_string(dir.join("src/schema.d.ts")).expect("committed types");
    assert!(
        std::fs::read_to_string(&generated).expect("generated types") == committed,
        "clients/typescript/src/schema.d.ts is stale: run `npm run generate` in clients/typescript and commit it"
    );
    let hey_api = fresh.path().join("hey-api");
    npx(&dir, "openapi-ts", &["-i", "../../openapi/openapi.json", "-o", hey_api.to_str().expect("utf-8")]);
    assert!(hey_api.join("types.gen.ts").is_file(), "@hey-api/openapi-ts wrote its types");
    npx(&dir, "tsc", &["--noEmit"]);
    npx(&dir, "tsc", &[]);

    let sqlite = tempfile::tempdir().expect("temp dir");
    run_example(&dir, &StoreConfig::Sqlite { path: sqlite.path().join("caucus.sqlite3") }).await;
    run_example(&dir, &support::fresh_postgres().await).await;
}
