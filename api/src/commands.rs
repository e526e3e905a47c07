//! What each `caucus` subcommand does.

use anyhow::Context;

use crate::auth::TokenIssuer;
use crate::cli::Command;
use crate::configuration::{AuthSettings, ServerSettings, StoreSettings};
use crate::sample;
use crate::startup::{Application, openapi_document};
use crate::store::{Database, projector::Projector};

/// Runs one subcommand to completion.
pub async fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Serve { store, auth, server } => serve(&store, &auth, &server).await,
        Command::Demo { store, auth, server } => demo(&store, &auth, &server).await,
        Command::Migrate { store } => {
            let db = Database::connect(&store.store()?).await?;
            db.migrate().await?;
            println!("migrations applied");
            Ok(())
        }
        Command::RebuildViews { store } => {
            let db = Database::connect(&store.store()?).await?;
            db.migrate().await?;
            let started = std::time::Instant::now();
            let events = Projector::rebuild(db).await?;
            let seconds = started.elapsed().as_secs_f64();
            println!("rebuilt the read models from {events} events in {seconds:.2} s");
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
    }
}

async fn serve(store: &StoreSettings, auth: &AuthSettings, server: &ServerSettings) -> anyhow::Result<()> {
    let app = Application::build_with(
        &store.store()?,
        auth.auth_config(&store.data_dir)?,
        server.bind,
        server.workers,
        server.social_limits(),
    )
    .await?;
    tracing::info!(address = %app.address(), "serving the Caucus API");
    app.run_until_stopped().await
}

async fn demo(store: &StoreSettings, auth: &AuthSettings, server: &ServerSettings) -> anyhow::Result<()> {
    let app = Application::build_with(
        &store.store()?,
        auth.auth_config(&store.data_dir)?,
        server.bind,
        server.workers,
        server.social_limits(),
    )
    .await?;
    let loaded = sample::load_if_empty(app.database(), app.command_bus())
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
