//! The Caucus publisher. It reads the event store read-only and, in time, builds
//! the group's static website and social queue from approved, public events
//! (see issue "Publications with approval, the static website, and the social
//! post queue"). Today it reports what it would publish from: the public
//! records in the store.

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
    let db = caucus_api::store::Database::connect(&cli.store.store()?).await?;
    let counts = caucus_api::store::records::count_public_by_type(&db).await?;
    if counts.is_empty() {
        println!("no public records in the store");
    }
    for (record_type, count) in counts {
        println!("{record_type}: {count} public");
    }
    Ok(())
}
