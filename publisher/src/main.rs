//! `caucus-publisher`: reports the public material in a Caucus event store,
//! and delivers the due social posts.

use clap::{Parser, Subcommand};

/// Report the public material the publisher can see in an event store.
#[derive(Debug, Parser)]
#[command(name = "caucus-publisher", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
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
