//! `caucus-publisher`: builds a group's static website from a Caucus event
//! store, reports the public material in it, and delivers the due social posts.

use std::{path::PathBuf, time::Duration};

use caucus_publisher::BuildOptions;
use chrono::{DateTime, Utc};
use clap::{Parser, Subcommand};

// A rebuild makes and frees hundreds of thousands of small strings on every
// core; mimalloc's per-thread heaps do that faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Build a Caucus group's public website from its event store.
#[derive(Debug, Parser)]
#[command(name = "caucus-publisher", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build the site from the store's public, approved material.
    Build {
        #[command(flatten)]
        site: SiteArgs,
        /// Build as at this instant (RFC 3339), for reproducible output.
        #[arg(long)]
        now: Option<DateTime<Utc>>,
        /// Re-render only the files whose inputs changed since the last build.
        #[arg(long)]
        incremental: bool,
    },
    /// Keep the site current: build it, then rebuild incrementally whenever
    /// new events are committed, until stopped (Ctrl-C or SIGTERM).
    Watch {
        #[command(flatten)]
        site: SiteArgs,
        /// How often to look for new events, in milliseconds.
        #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(10..))]
        poll_ms: u64,
        /// Rebuild at least this often (seconds) even without new events, so
        /// scheduled publications go live and meetings move to "past".
        #[arg(long, default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..))]
        refresh_secs: u64,
    },
    /// Count the public records in the store.
    Inventory {
        #[command(flatten)]
        store: caucus_api::configuration::StoreSettings,
    },
    /// Deliver the due social posts through the configured networks (one pass).
    Dispatch(caucus_publisher::social::DispatchArgs),
}

/// What `build` and `watch` share: the site folder, the output, the store,
/// the key the checkpoint must verify with and the api for receipts.
#[derive(Debug, clap::Args)]
struct SiteArgs {
    /// The site folder: config.toml, optional templates/ and static/.
    #[arg(long)]
    site: PathBuf,
    /// Where to put the site: a symlink swapped atomically to each new build.
    #[arg(long)]
    out: PathBuf,
    /// The group whose site it is (default: the config's group.id).
    #[arg(long)]
    group: Option<String>,
    /// The group's verifier key (`name+id+key`, as `caucus audit-key` prints
    /// it): the transparency page publishes the latest checkpoint only if it
    /// verifies with it. Default: the site config's `[transparency]
    /// verifier_key`, else the development key in the data directory.
    #[arg(long, env = "CAUCUS_VERIFIER_KEY")]
    verifier_key: Option<String>,
    /// The api's root URL, to record where each publication went out on
    /// the site (receipts). Without it no receipts are recorded.
    #[arg(long, env = "CAUCUS_API_URL")]
    api_url: Option<String>,
    /// A file holding a token with the publisher role, for the receipts.
    #[arg(long, env = "CAUCUS_PUBLISHER_TOKEN_FILE")]
    token_file: Option<PathBuf>,
    #[command(flatten)]
    store: caucus_api::configuration::StoreSettings,
}

impl SiteArgs {
    /// The build's options, for a build as at `now` (unset: the wall clock).
    fn options(
        self,
        now: Option<DateTime<Utc>>,
        mode: caucus_publisher::Mode,
    ) -> anyhow::Result<BuildOptions> {
        let configured = caucus_publisher::config::SiteConfig::load(&self.site)?.transparency.verifier_key;
        let verifier_key = match self.verifier_key.or(configured) {
            Some(key) => Some(key),
            None => caucus_api::configuration::development_verifier_key(&self.store.data_dir)?,
        };
        Ok(BuildOptions {
            store: self.store.store()?,
            receipts: receipts_client(self.api_url.as_deref(), self.token_file.as_deref())?,
            site: self.site,
            out: self.out,
            group: self.group,
            now,
            mode,
            verifier_key,
        })
    }
}

/// The api client for receipts: the URL, and the token from the token file
/// (or, as `dispatch` reads it, CAUCUS_PUBLISHER_TOKEN).
fn receipts_client(
    api_url: Option<&str>,
    token_file: Option<&std::path::Path>,
) -> anyhow::Result<Option<caucus_publisher::social::ApiClient>> {
    use anyhow::Context as _;
    let Some(api_url) = api_url else {
        if token_file.is_some() {
            anyhow::bail!("--token-file is for receipts: give --api-url too");
        }
        return Ok(None);
    };
    // The token is read, never printed: `Secret` has no readable Debug.
    let token = match token_file {
        Some(file) => std::fs::read_to_string(file)
            .with_context(|| format!("cannot read the token file {}", file.display()))?,
        None => std::env::var(caucus_publisher::social::TOKEN_ENV).map_err(|_| {
            anyhow::anyhow!(
                "receipts need a publisher-role token: --token-file (CAUCUS_PUBLISHER_TOKEN_FILE) or {}",
                caucus_publisher::social::TOKEN_ENV
            )
        })?,
    };
    let token = caucus_publisher::social::Secret::new(token.trim());
    let client =
        caucus_publisher::social::ApiClient::new(api_url, token, std::time::Duration::from_secs(20))?;
    Ok(Some(client))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::Build { site, now, incremental } => {
            let mode =
                if incremental { caucus_publisher::Mode::Incremental } else { caucus_publisher::Mode::Full };
            let options = site.options(now, mode)?;
            let out = options.out.clone();
            let report = caucus_publisher::build_site(&options).await?;
            let [councillors, bodies, decisions, articles] = report.counts;
            println!(
                "built {} files ({} rendered): {councillors} councillors, {bodies} bodies, \
                 {decisions} decisions, {articles} articles",
                report.files,
                report.rendered.len()
            );
            match &report.transparency {
                caucus_publisher::transparency::Transparency::Published(_) => {
                    println!("{}", report.transparency.summary());
                }
                _ => eprintln!("warning: {}", report.transparency.summary()),
            }
            let receipts = report.receipts.summary();
            match report.receipts {
                caucus_publisher::receipts::ReceiptsReport::Sent { .. } => println!("{receipts}"),
                caucus_publisher::receipts::ReceiptsReport::NotConfigured { .. } => {
                    eprintln!("warning: {receipts}");
                }
            }
            println!("site: {}/index.html", out.display());
            if report.receipts.has_failures() {
                anyhow::bail!(
                    "the site was built, but some receipts were not recorded: the next build retries them"
                );
            }
        }
        Command::Watch { site, poll_ms, refresh_secs } => {
            let (every, refresh) = (Duration::from_millis(poll_ms), Duration::from_secs(refresh_secs));
            let options = site.options(None, caucus_publisher::Mode::Incremental)?;
            println!("watching the store; the site is at {}/index.html", options.out.display());
            caucus_publisher::watch::run(options, every, refresh).await?;
        }
        Command::Inventory { store } => {
            let inventory = caucus_publisher::inventory(&store.store()?).await?;
            if inventory.counts.is_empty() {
                println!("no public records in the store");
            }
            for (record_type, count) in inventory.counts {
                println!("{record_type}: {count} public");
            }
        }
        Command::Dispatch(args) => caucus_publisher::social::run(args).await?,
    }
    Ok(())
}
