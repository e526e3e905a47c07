//! Residents: the people who bring casework to the group. Each is a data
//! subject of their own: every detail that identifies them is sealed under
//! their key before it reaches a command, so events, the read model, history,
//! the audit log and exports hold only sealed values, and destroying the key
//! erases them everywhere at once. A resident with several cases is one record.

mod aggregate;
mod commands;
mod events;

pub use aggregate::{ContactMethod, Erasure, Resident, ResidentError, ResidentStatus};
pub use commands::{ResidentCommand, ResidentDetails};
pub use events::ResidentEvent;
