//! Social posts: `caucus-publisher dispatch` delivers the due items of the
//! api's social queue through a connector per network (Mastodon, Bluesky, a
//! generic webhook) and records each outcome back through the api, where it
//! becomes the delivery's state and a receipt.
//!
//! Unlike the site builder, which reads the store, the dispatcher talks to the
//! api: claims and outcomes are commands, and the publisher never writes to
//! the store itself.

mod api;
mod backoff;
mod bluesky;
mod config;
mod connector;
mod dispatch;
mod mastodon;
mod webhook;

use std::path::PathBuf;

use anyhow::{Context, bail};

pub use api::{ApiClient, Claim, Outcome, QueueItem, ReceiptAnswer, website_receipt_key};
pub use backoff::Backoff;
pub use bluesky::{Bluesky, link_facets, record_key};
pub use config::{BlueskyConfig, DispatchConfig, MastodonConfig, Secret, SocialConfig, WebhookConfig};
pub use connector::{Connector, Connectors, Delivered, DeliveryError, Post};
pub use dispatch::{DispatchReport, Dispatcher, Fate};
pub use mastodon::Mastodon;
pub use webhook::{SIGNATURE_HEADER, Webhook, signature};

/// The environment variable holding the publisher-role token.
pub const TOKEN_ENV: &str = "CAUCUS_PUBLISHER_TOKEN";

/// `caucus-publisher dispatch`.
#[derive(Debug, Clone, clap::Args)]
pub struct DispatchArgs {
    /// The api's root URL, e.g. `https://caucus.example.org`. The token (role
    /// `publisher`) is read from CAUCUS_PUBLISHER_TOKEN, never from a flag.
    #[arg(long, env = "CAUCUS_API_URL")]
    pub api_url: String,
    /// A `social.toml` naming the networks; without it, the environment does
    /// (CAUCUS_MASTODON_URL, CAUCUS_BLUESKY_HANDLE, CAUCUS_WEBHOOK_URL, ...).
    #[arg(long, env = "CAUCUS_SOCIAL_CONFIG")]
    pub config: Option<PathBuf>,
}

/// Runs one dispatch pass and prints what it did; fails if an outcome could
/// not be recorded, so a scheduler notices.
pub async fn run(args: DispatchArgs) -> anyhow::Result<()> {
    let env = |name: &str| std::env::var(name).ok();
    let config = match &args.config {
        Some(path) => SocialConfig::from_file(path)?,
        None => SocialConfig::from_env(env),
    };
    let token = env(TOKEN_ENV)
        .filter(|t| !t.is_empty())
        .map(Secret::new)
        .with_context(|| format!("set {TOKEN_ENV} to a token with the publisher role"))?;
    let connectors = config.connectors(env)?;
    let timeout = std::time::Duration::from_secs(config.dispatch.timeout_seconds.max(1));
    let api = ApiClient::new(&args.api_url, token, timeout)?;
    let report = Dispatcher::new(api, connectors, config.backoff()).run_once().await?;
    print!("{report}");
    if report.has_unrecorded() {
        bail!("some outcomes were not recorded: they stay claimed until the lease lapses");
    }
    Ok(())
}
