//! Connecting to the configured store and keeping its schema current.

use std::{path::PathBuf, str::FromStr, time::Duration};

use sqlx::{
    PgPool, SqlitePool,
    postgres::{PgConnectOptions, PgPoolOptions},
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
};

/// Which store to open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreConfig {
    /// PostgreSQL at a connection URL (production).
    Postgres {
        /// The connection URL. Never logged: it may hold a password.
        url: String,
        /// The most connections this process opens.
        max_connections: u32,
    },
    /// An SQLite file (the embedded default).
    Sqlite {
        /// The database file; created if missing.
        path: PathBuf,
    },
}

/// Which kind of store is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// PostgreSQL.
    Postgres,
    /// SQLite.
    Sqlite,
}

/// A failure of the store itself (not of a command).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database could not be reached or refused a statement.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// A migration failed.
    #[error("database migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    /// A stored document could not be read back.
    #[error("stored data is unreadable: {0}")]
    Corrupt(#[from] serde_json::Error),
    /// Stored data breaks an invariant.
    #[error("stored data is inconsistent: {0}")]
    Inconsistent(String),
}

impl StoreError {
    /// Whether the store was merely busy or out of reach (SQLite's single
    /// writer, a pool exhausted, a connection lost or refused while the
    /// database restarts): the caller may retry, so this is not a server fault.
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Database(error) => is_transient(error),
            _ => false,
        }
    }
}

/// Whether PostgreSQL refused a value a request carried: a data exception
/// (SQLSTATE class 22, such as a NUL byte in text), so the request, not the
/// server, is at fault.
pub fn is_unstorable_value(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Database(db) => {
            db.try_downcast_ref::<sqlx::postgres::PgDatabaseError>().is_some()
                && db.code().is_some_and(|code| code.starts_with("22"))
        }
        _ => false,
    }
}

/// Whether a database error is one a retry shortly after can get past: see
/// [`StoreError::is_transient`].
pub fn is_transient(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::Protocol(_)
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(db) => {
            let Some(code) = db.code() else { return false };
            if db.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() {
                // BUSY (5) and LOCKED (6), with their extended codes.
                code.parse::<i32>().is_ok_and(|c| matches!(c & 0xff, 5 | 6))
            } else {
                // A connection lost or refused (class 08), the server shutting
                // down or starting (57P01-57P03), too many connections, a
                // deadlock or a serialization failure.
                code.starts_with("08")
                    || matches!(code.as_ref(), "57P01" | "57P02" | "57P03" | "53300" | "40P01" | "40001")
            }
        }
        _ => false,
    }
}

/// Whether a pool may write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    ReadWrite,
    ReadOnly,
}

/// An open connection pool to either store.
#[derive(Debug, Clone)]
pub enum Database {
    /// PostgreSQL.
    Postgres(PgPool),
    /// SQLite.
    Sqlite(SqlitePool),
}

/// Runs the same statement against whichever pool is open. The SQL must use
/// `$1`, `$2`, ... placeholders in order of first appearance, which both
/// PostgreSQL and SQLite accept.
macro_rules! on_pool {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            $crate::store::Database::Postgres($pool) => $body,
            $crate::store::Database::Sqlite($pool) => $body,
        }
    };
}
pub(crate) use on_pool;

/// How long a writer waits for SQLite's write lock (or any request for a
/// pooled connection) before giving up: long, so that a burst of writers
/// queues rather than fails.
pub const DEFAULT_STORE_WAIT: Duration = Duration::from_secs(30);

impl Database {
    /// Opens the configured store. SQLite files are created if missing and
    /// written with `synchronous=FULL`, so an acknowledged write survives a
    /// power cut, not only a crash.
    pub async fn connect(config: &StoreConfig) -> Result<Self, StoreError> {
        Self::connect_waiting(config, DEFAULT_STORE_WAIT).await
    }

    /// Like [`Database::connect`], a request waiting at most `wait` for SQLite's
    /// write lock or a pooled connection before the store is busy.
    pub async fn connect_waiting(config: &StoreConfig, wait: Duration) -> Result<Self, StoreError> {
        Self::open(config, Access::ReadWrite, wait).await
    }

    /// Opens the configured store for reading only: the store refuses any
    /// write, so a reader such as the publisher cannot change the record.
    pub async fn connect_read_only(config: &StoreConfig) -> Result<Self, StoreError> {
        Self::open(config, Access::ReadOnly, DEFAULT_STORE_WAIT).await
    }

    async fn open(config: &StoreConfig, access: Access, wait: Duration) -> Result<Self, StoreError> {
        let read_only = access == Access::ReadOnly;
        match config {
            StoreConfig::Postgres { url, max_connections } => {
                let mut options = PgConnectOptions::from_str(url)?.application_name("caucus");
                if read_only {
                    options = options.options([("default_transaction_read_only", "on")]);
                }
                let pool = PgPoolOptions::new()
                    .max_connections(*max_connections)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect_with(options)
                    .await?;
                Ok(Self::Postgres(pool))
            }
            StoreConfig::Sqlite { path } => {
                let options = SqliteConnectOptions::new()
                    .filename(path)
                    .read_only(read_only)
                    .create_if_missing(!read_only)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Full)
                    .busy_timeout(wait)
                    .foreign_keys(true);
                let pool = SqlitePoolOptions::new()
                    .max_connections(8)
                    .acquire_timeout(wait)
                    .connect_with(options)
                    .await?;
                Ok(Self::Sqlite(pool))
            }
        }
    }

    /// Which store this is.
    pub fn backend(&self) -> Backend {
        match self {
            Self::Postgres(_) => Backend::Postgres,
            Self::Sqlite(_) => Backend::Sqlite,
        }
    }

    /// Applies the migrations in `migrations/<backend>/` that have not run yet.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        match self {
            Self::Postgres(pool) => sqlx::migrate!("../migrations/postgres").run(pool).await?,
            Self::Sqlite(pool) => sqlx::migrate!("../migrations/sqlite").run(pool).await?,
        }
        Ok(())
    }

    /// Checks the store answers a trivial query.
    pub async fn ping(&self) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query("SELECT 1").execute(pool).await.map(|_| ()))?;
        Ok(())
    }

    /// Whether [`Database::close`] has been called.
    pub fn is_closed(&self) -> bool {
        on_pool!(self, pool => pool.is_closed())
    }

    /// Closes every connection, waiting for those in use.
    pub async fn close(&self) {
        on_pool!(self, pool => pool.close().await);
    }
}
