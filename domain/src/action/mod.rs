//! Actions: who is doing what by when, from a decision or free-standing. An
//! action is re-dated only with a reason, so "it slipped, and why" is on record.

mod aggregate;
mod commands;
mod events;

pub use aggregate::{Action, ActionError, ActionProgress, ActionStatus, Reschedule};
pub use commands::{ActionCommand, ActionDraft};
pub use events::ActionEvent;
