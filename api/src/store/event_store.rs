//! Loading a record through cqrs-es's persisted event store, over either
//! backend, with the record's upcasters. Appending is `store::append`'s job: it
//! writes the read-model row in the same transaction.
//!
//! Only `new_event_store` is used: cqrs-es 0.5's snapshot and aggregate stores
//! apply each event twice before saving (see ARCHITECTURE.md).

use cqrs_es::{
    AggregateError, EventStore as _,
    persist::{EventStoreAggregateContext, PersistedEventStore},
};
use postgres_es::PostgresEventRepository;
use sqlite_es::SqliteEventRepository;

use super::Database;
use crate::domain::Record;

/// The event store for one aggregate type.
pub(crate) enum AggregateEvents<A: Record> {
    Postgres(PersistedEventStore<PostgresEventRepository, A>),
    Sqlite(PersistedEventStore<SqliteEventRepository, A>),
}

impl<A: Record> AggregateEvents<A> {
    pub(crate) fn new(db: &Database) -> Self {
        match db {
            Database::Postgres(pool) => Self::Postgres(
                PersistedEventStore::new_event_store(PostgresEventRepository::new(pool.clone()))
                    .with_upcasters(A::upcasters()),
            ),
            Database::Sqlite(pool) => Self::Sqlite(
                PersistedEventStore::new_event_store(SqliteEventRepository::new(pool.clone()))
                    .with_upcasters(A::upcasters()),
            ),
        }
    }

    pub(crate) async fn load(
        &self,
        id: &str,
    ) -> Result<EventStoreAggregateContext<A>, AggregateError<A::Error>> {
        match self {
            Self::Postgres(store) => store.load_aggregate(id).await,
            Self::Sqlite(store) => store.load_aggregate(id).await,
        }
    }
}
