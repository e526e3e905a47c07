//! The Caucus publisher: reads the event store read-only and turns approved,
//! public material into the group's website. The site builder arrives with
//! the publications issue; today the publisher reports the public material it
//! can see, which is exactly what the site will be built from.

use caucus_api::store::{Database, StoreConfig, StoreError, records};

pub mod social;

/// How many public records of each type the store holds, by type name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicInventory {
    /// `(record type, count)`, sorted by type.
    pub counts: Vec<(String, i64)>,
}

/// Opens `store` read-only and counts the public records in it.
pub async fn inventory(store: &StoreConfig) -> Result<PublicInventory, StoreError> {
    let db = Database::connect_read_only(store).await?;
    let counts = records::count_public_by_type(&db).await?;
    db.close().await;
    Ok(PublicInventory { counts })
}
