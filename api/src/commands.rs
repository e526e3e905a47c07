//! What each `caucus` subcommand does.

use anyhow::Context;

use crate::audit_cli;
use crate::auth::TokenIssuer;
use crate::cli::Command;
use crate::configuration::{AuditSettings, AuthSettings, ServerSettings, StoreSettings};
use crate::sample;
use crate::startup::{Application, Settings, openapi_document};
use crate::store::{Database, projector::Projector};

/// Runs one subcommand to completion.
pub async fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Serve { store, auth, audit, server } => serve(&store, &auth, &audit, &server).await,
        Command::Demo { store, auth, audit, server } => demo(&store, &auth, &audit, &server).await,
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
                "rebuilt {} records from {} events in {:.2} s ({:.0} events/s)",
                report.records,
                report.events,
                report.seconds,
                report.events_per_second()
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
        master_key: Some(audit.master_key(&store.data_dir)?),
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
    app.run_until_stopped().await
}
