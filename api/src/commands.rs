//! What each `caucus` subcommand does.

use anyhow::Context;

use crate::app::case_erasure;
use crate::audit_cli;
use crate::auth::TokenIssuer;
use crate::cli::{CaseworkCommand, Command};
use crate::configuration::{AuditSettings, AuthSettings, ServerSettings, StoreSettings};
use crate::sample;
use crate::startup::{Application, Settings, openapi_document};
use crate::store::{Database, projector::Projector};

/// Runs one subcommand to completion.
pub async fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Serve { store, auth, audit, server } => serve(&store, &auth, &audit, &server).await,
        Command::Demo { store, auth, audit, server } => demo(&store, &auth, &audit, &server).await,
        Command::Casework { action: CaseworkCommand::Retention { dry_run, store, server } } => {
            let db = Database::connect(&store.store()?).await?;
            db.migrate().await?;
            let bus = crate::store::command_bus::CommandBus::new(db.clone());
            let personal = crate::personal::PersonalData::new(db.clone(), None);
            let today = server.today();
            let swept = case_erasure::sweep(
                &db,
                &bus,
                &personal,
                (today, server.case_retention_months),
                "caucus-casework-retention",
                dry_run,
            )
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
            let verb = if dry_run { "due for erasure" } else { "erased" };
            for item in &swept {
                let case = &item.case;
                let resident = if item.resident_erased { ", and its resident's details" } else { "" };
                println!(
                    "{} case {} (closed {}, due {}): {verb}{resident}",
                    case.group_id, case.case_id, case.closed_on, case.erase_on
                );
            }
            println!("{} case(s) {verb} as of {today}", swept.len());
            Ok(())
        }
        Command::Migrate { store } => {
            let db = Database::connect(&store.store()?).await?;
            db.migrate().await?;
            println!("migrations applied");
            Ok(())
        }
        Command::Replay { store } => {
            let db = Database::connect(&store.store()?).await?;
            db.migrate().await?;
            let report = Projector::rebuild(db).await?;
            println!(
                "rebuilt {} records from {} events in {:.2} s ({:.0} events/s; reading and folding \
                 {:.2} s, writing {:.2} s, indexing {:.2} s, swapping in {:.2} s)",
                report.records,
                report.events,
                report.seconds,
                report.events_per_second(),
                report.fold_seconds,
                report.write_seconds,
                report.index_seconds,
                report.swap_seconds
            );
            Ok(())
        }
        Command::Token { subject, group, roles, ttl, store, auth } => {
            let secret = auth.signing_secret(&store.data_dir)?;
            let issuer = TokenIssuer::shared_secret(&secret, &auth.jwt_issuer, &auth.jwt_audience);
            let roles: Vec<&str> = roles.iter().map(String::as_str).collect();
            println!("{}", issuer.mint(&subject, &group, &roles, ttl)?);
            Ok(())
        }
        Command::Openapi => {
            println!("{}", openapi_document().to_pretty_json()?);
            Ok(())
        }
        Command::Export { group, out, store } => audit_cli::export(&store, &group, out.as_deref()).await,
        Command::Verify { group, export, key, store, audit } => {
            let key = match key {
                Some(key) => key,
                None => audit.signer(&store.data_dir)?.verifier_key().to_owned(),
            };
            let report = match export {
                Some(path) => audit_cli::verify_file(&path, &key)?,
                None => audit_cli::verify_store(&store, &group, &key).await?,
            };
            audit_cli::print_report(&report);
            if !report.is_intact() {
                std::process::exit(1);
            }
            Ok(())
        }
        Command::AuditKey { store, audit } => {
            println!("{}", audit.signer(&store.data_dir)?.verifier_key());
            Ok(())
        }
    }
}

/// Builds the server from its settings.
async fn application(
    store: &StoreSettings,
    auth: &AuthSettings,
    audit: &AuditSettings,
    server: &ServerSettings,
) -> anyhow::Result<Application> {
    let settings = Settings {
        checkpoints: audit.policy(&store.data_dir)?,
        social_limits: server.social_limits(),
        motion_deadline: server.motion_deadline(),
        working_days: server.working_days()?,
        case_categories: server.case_categories()?,
        case_retention_months: Some(server.case_retention_months),
        hospitality_threshold_pence: Some(server.hospitality_threshold_pence),
        spending_second_approval_above_pence: Some(server.spending_second_approval_above_pence),
        donation_reporting_threshold_pence: Some(server.donation_reporting_threshold_pence),
        donation_check_threshold_pence: Some(server.donation_check_threshold_pence),
        enquiry_thanks_url: server.enquiry_thanks_url.clone(),
        enquiries_per_hour: Some(server.enquiries_per_hour),
        trusted_proxies: server.trusted_proxies.clone(),
        master_key: Some(audit.master_key(&store.data_dir)?),
        store_wait: None,
    };
    Application::build_with(
        &store.store()?,
        auth.auth_config(&store.data_dir)?,
        server.bind,
        server.workers,
        settings,
    )
    .await
}

async fn serve(
    store: &StoreSettings,
    auth: &AuthSettings,
    audit: &AuditSettings,
    server: &ServerSettings,
) -> anyhow::Result<()> {
    let app = application(store, auth, audit, server).await?;
    tracing::info!(address = %app.address(), "serving the Caucus API");
    app.run_until_stopped().await
}

async fn demo(
    store: &StoreSettings,
    auth: &AuthSettings,
    audit: &AuditSettings,
    server: &ServerSettings,
) -> anyhow::Result<()> {
    let app = application(store, auth, audit, server).await?;
    let loaded = sample::load_if_empty_with(app.database(), app.command_bus(), app.personal_data())
        .await
        .context("cannot load the sample group")?;
    let secret = auth.signing_secret(&store.data_dir)?;
    let issuer = TokenIssuer::shared_secret(&secret, &auth.jwt_issuer, &auth.jwt_audience);
    let token = issuer.mint("demo-assistant", sample::GROUP, &["assistant"], 8 * 3600)?;
    let base = format!("http://{}", app.address());
    println!();
    if loaded {
        println!("Loaded the sample group: {}.", sample::GROUP_NAME);
    } else {
        println!("The store already holds data; the sample group was not loaded again.");
    }
    println!("API docs (Swagger UI): {base}/docs/");
    println!("OpenAPI document:      {base}/openapi.json");
    println!("A token for the Political Assistant (valid 8 hours):");
    println!();
    println!("  export TOKEN={token}");
    println!("  curl -H \"Authorization: Bearer $TOKEN\" {base}/api/v1/decisions");
    println!();
    println!(
        "Other roles: cargo run -p caucus-api -- token --role leader (or officer, councillor, auditor, publisher)"
    );
    println!("Press Ctrl-C to stop.");
    // The publisher records where each page went out through the api, as a
    // deployment would: with its own role's token, passed in its environment
    // (never on a command line, where `ps` would show it).
    let receipts = DemoApi {
        url: base.clone(),
        publisher_token: issuer.mint("demo-publisher", sample::GROUP, &["publisher"], 3600)?,
    };
    // Chain the sample (signing its first checkpoint) before the site is
    // built, so the site's transparency page has one to publish.
    app.audit_chain().catch_up().await.context("cannot chain the sample group's events")?;
    let site_store = store.clone();
    tokio::spawn(async move { build_demo_site(&site_store, &receipts).await });
    println!("Web client: http://{DEMO_WEB_BIND}/ (sign in as any of the sample group's people)");
    let _web = start_demo_web(&base, &secret, auth);
    app.run_until_stopped().await
}

/// Where the demo's publisher records its receipts.
struct DemoApi {
    /// The api's root URL.
    url: String,
    /// A token of the `publisher` role.
    publisher_token: String,
}

/// The sample group's site folder, in the source tree the demo was built from.
const SAMPLE_SITE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../publisher/sample-site");

/// Another of Caucus's programs, `name`: the binary beside this one if it is
/// built, else through `cargo run` when this one runs under cargo; `None` if
/// neither.
fn sibling_program(name: &str) -> Option<tokio::process::Command> {
    let beside = std::env::current_exe()
        .ok()
        .map(|exe| exe.with_file_name(format!("{name}{}", std::env::consts::EXE_SUFFIX)))
        .filter(|exe| exe.is_file());
    match (beside, std::env::var_os("CARGO")) {
        (Some(program), _) => Some(tokio::process::Command::new(program)),
        (None, Some(cargo)) => {
            let mut command = tokio::process::Command::new(cargo);
            command.args(["run", "--quiet", "-p", name, "--"]);
            // `cargo run` gave this process the api package's CARGO_PKG_* and
            // CARGO_MANIFEST_DIR; build scripts (ring's) watch those, so passing
            // them on would rebuild half the dependencies.
            for (variable, _) in std::env::vars_os() {
                let variable_str = variable.to_string_lossy();
                let set_by_cargo_run = ["CARGO_PKG_", "CARGO_MANIFEST_", "CARGO_CRATE_", "CARGO_BIN_"]
                    .iter()
                    .any(|prefix| variable_str.starts_with(prefix))
                    || variable_str == "CARGO_PRIMARY_PACKAGE"
                    || variable_str == "CARGO_RUSTC_CURRENT_DIR";
                if set_by_cargo_run {
                    command.env_remove(&variable);
                }
            }
            Some(command)
        }
        (None, None) => None,
    }
}

/// Where the demo's web client listens.
const DEMO_WEB_BIND: &str = "127.0.0.1:8081";

/// Starts the web client on the demo's api, offering the sample group's
/// people at sign-in (it is given the development secret, in its
/// environment); it stops with the demo.
fn start_demo_web(api_url: &str, secret: &[u8], auth: &AuthSettings) -> Option<tokio::process::Child> {
    let Some(mut command) = sibling_program("caucus-web") else {
        println!("Start the web client with: cargo run -p caucus-web (see README.md)");
        return None;
    };
    command
        .env("CAUCUS_WEB_BIND", DEMO_WEB_BIND)
        .env("CAUCUS_WEB_API_URL", api_url)
        .env("CAUCUS_WEB_GROUP_NAME", sample::GROUP_NAME)
        .env("CAUCUS_WEB_DEV_SECRET", String::from_utf8_lossy(secret).as_ref())
        .env("CAUCUS_WEB_DEV_ISSUER", &auth.jwt_issuer)
        .env("CAUCUS_WEB_DEV_AUDIENCE", &auth.jwt_audience)
        .env("CAUCUS_WEB_DEV_GROUP", sample::GROUP)
        .stdin(std::process::Stdio::null())
        .kill_on_drop(true);
    match command.spawn() {
        Ok(child) => Some(child),
        Err(error) => {
            println!("The web client did not start: {error}");
            None
        }
    }
}

/// Builds the sample group's website with the publisher, a separate program
/// (it depends on this crate, so this crate cannot call it as a library): the
/// `caucus-publisher` binary beside this one if it is built, else through
/// `cargo run` when the demo itself runs under cargo, else it prints the
/// command to run.
async fn build_demo_site(store: &StoreSettings, api: &DemoApi) {
    let out = store.data_dir.join("site");
    let mut args: Vec<std::ffi::OsString> = vec!["build".into(), "--site".into(), SAMPLE_SITE.into()];
    args.extend(["--out".into(), out.clone().into_os_string()]);
    args.extend(["--data-dir".into(), store.data_dir.clone().into_os_string()]);
    let Some(mut command) = sibling_program("caucus-publisher") else {
        println!("Build the sample website with:");
        println!(
            "  cargo run -p caucus-publisher -- build --site publisher/sample-site --out {}",
            out.display()
        );
        return;
    };
    if let Some(url) = &store.database_url {
        command.env("CAUCUS_DATABASE_URL", url);
    }
    command.env("CAUCUS_API_URL", &api.url).env("CAUCUS_PUBLISHER_TOKEN", &api.publisher_token);
    println!("Building the sample group's website...");
    match command.args(&args).stdin(std::process::Stdio::null()).status().await {
        Ok(status) if status.success() => {
            println!("Website: serve it with `python3 -m http.server --directory {} 8000`", out.display());
            println!("         and open http://127.0.0.1:8000/ (the sample site's base_url)");
        }
        Ok(status) => println!("The website was not built (the publisher exited with {status})."),
        Err(error) => println!("The website was not built: cannot run the publisher: {error}"),
    }
}
