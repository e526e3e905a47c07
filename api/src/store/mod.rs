//! Persistence: the event log (through cqrs-es), the projector that turns it into
//! read models, and the shared tables every api process uses.

mod append;
mod database;
mod event_row;
mod event_store;
mod fresh_table;
mod log_export;
mod log_reader;
mod position;

pub mod case_files;
pub mod chain;
pub mod command_bus;
pub mod facts;
pub mod files;
pub mod history;
pub mod idempotency;
pub mod locks;
pub mod projector;
pub mod rebuild;
pub mod records;
pub mod replay;
pub mod subject_keys;
pub mod verifications;

pub use database::{
    Backend, DEFAULT_STORE_WAIT, Database, StoreConfig, StoreError, is_transient, is_unstorable_value,
};
pub use position::GlobalPosition;
