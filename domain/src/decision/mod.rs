//! Group decisions: recorded, amended, rescinded or superseded, reported on and
//! implemented. The record of what the group decided is never rewritten: an
//! amendment is a new event with its reason, and the old text stays in history.

mod aggregate;
mod commands;
mod events;
mod upcasters;

pub use aggregate::{Amendment, Decision, DecisionError, DecisionStatus, MAX_PERCENT_COMPLETE, ProgressNote};
pub use commands::{DecisionCommand, DecisionDraft, ProgressReport};
pub use events::{DecisionEvent, ProgressStatus, TakenBy, Votes};
pub use upcasters::upcasters;
