//! The event log's global order.

use serde::{Deserialize, Serialize};

/// Where an event stands in the log's global order. On PostgreSQL the order is
/// (writing transaction id, insert position), which a reader can follow without
/// skipping an event that commits late; on SQLite the single writer makes the
/// insert position alone a commit order, and the transaction id is always 0.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct GlobalPosition {
    /// The writing transaction (PostgreSQL `xid8`), or 0 on SQLite.
    pub transaction_id: i64,
    /// The insert position.
    pub position: i64,
}

impl GlobalPosition {
    /// Before the first event.
    pub const START: Self = Self { transaction_id: 0, position: 0 };
}
