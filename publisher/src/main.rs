//! `caucus-publisher`: builds a group's static website from a Caucus event
//! store, reports the public material in it, and delivers the due social posts.

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use clap::{Parser, Subcommand};

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
        /// The site folder: config.toml, optional templates/ and static/.
        #[arg(long)]
        site: PathBuf,
        /// Where to put the site: a symlink swapped atomically to each new build.
        #[arg(long)]
        out: PathBuf,
        /// The group whose site it is (default: the config's group.id).
        #[arg(long)]
        group: Option<String>,
        /// Build as at this instant (RFC 3339), for reproducible output.
        #[arg(long)]
        now: Option<DateTime<Utc>>,
        /// Re-render only the files whose inputs changed since the last build.
        #[arg(long)]
        incremental: bool,
        /// The group's verifier key (`name+id+key`, as `caucus audit-key` prints
        /// it): the transparency page publishes the latest checkpoint only if it
        /// verifies with it. Default: the site config's `[transparency]
        /// verifier_key`, else the development key in the data directory.
        #[arg(long, env = "CAUCUS_VERIFIER_KEY")]
        verifier_key: Option<String>,
        #[command(flatten)]
        store: caucus_api::configuration::StoreSettings,
    },
    /// Count the public records in the store.
    Inventory {
        #[command(flatten)]
        store: caucus_api::configuration::StoreSettings,
    },
    /// Deliver the due social posts through the configured networks (one pass).
    Dispatch(caucus_publisher::social::DispatchArgs),
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::Build { site, out, group, now, incremental, verifier_key, store } => {
            let mode =
                if incremental { caucus_publisher::Mode::Incremental } else { caucus_publisher::Mode::Full };
            let configured = caucus_publisher::config::SiteConfig::load(&site)?.transparency.verifier_key;
            let verifier_key = match verifier_key.or(configured) {
                Some(key) => Some(key),
                None => caucus_api::configuration::development_verifier_key(&store.data_dir)?,
            };
            let options = caucus_publisher::BuildOptions {
                store: store.store()?,
                site,
                out: out.clone(),
                group,
                now,
                mode,
                verifier_key,
            };
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
            println!("site: {}/index.html", out.display());
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
