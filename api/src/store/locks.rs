//! Named locks that hold a check of one record and a command on another
//! together, where no single stream's optimistic concurrency can: two
//! nominations to the last seat on a body are two new appointment streams, so
//! only a lock on the body makes "one wins" true.
//!
//! On PostgreSQL the lock is a transaction-scoped advisory lock, shared by
//! every api process; it is released when its transaction ends, even if the
//! process dies. SQLite's file belongs to one process, so an in-process mutex
//! does the same there.

use std::future::Future;

use sqlx::{Postgres, Transaction};
use tokio::sync::{Mutex, MutexGuard};

use super::{Database, StoreError};

/// One mutex for every named lock on SQLite: its writes are serial anyway.
static SQLITE_LOCK: Mutex<()> = Mutex::const_new(());

enum Held {
    Postgres(Transaction<'static, Postgres>),
    Sqlite(MutexGuard<'static, ()>),
}

/// Runs `work` while holding the lock called `name`.
pub async fn with_lock<T, E, F>(db: &Database, name: &str, work: F) -> Result<T, E>
where
    E: From<StoreError>,
    F: Future<Output = Result<T, E>>,
{
    let held = match db {
        Database::Postgres(pool) => {
            let mut tx = pool.begin().await.map_err(StoreError::from)?;
            sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
                .bind(name)
                .execute(&mut *tx)
                .await
                .map_err(StoreError::from)?;
            Held::Postgres(tx)
        }
        Database::Sqlite(_) => Held::Sqlite(SQLITE_LOCK.lock().await),
    };
    let result = work.await;
    match held {
        // Nothing was written in the lock's transaction; ending it frees the lock.
        Held::Postgres(tx) => tx.rollback().await.map_err(StoreError::from)?,
        Held::Sqlite(guard) => drop(guard),
    }
    result
}
