//! `caucus-publisher`: reports the public material in a Caucus event store.

use clap::Parser;

/// Report the public material the publisher can see in an event store.
#[derive(Debug, Parser)]
#[command(name = "caucus-publisher", version, about)]
struct Cli {
    #[command(flatten)]
    store: caucus_api::configuration::StoreSettings,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let inventory = caucus_publisher::inventory(&cli.store.store()?).await?;
    if inventory.counts.is_empty() {
        println!("no public records in the store");
    }
    for (record_type, count) in inventory.counts {
        println!("{record_type}: {count} public");
    }
    Ok(())
}
