//! Members of the group: the Popolo "person" with their membership of the
//! group. A member joins, keeps a profile (public facts and personal contact
//! details), and may leave; leaving is a new event, and the member's history
//! stays in the log.

mod aggregate;
mod commands;
mod events;

pub use aggregate::{Member, MemberError, MemberStatus};
pub use commands::{MemberCommand, MemberProfile, ProfileChanges};
pub use events::{Email, EmailError, MemberEvent, PhotoUrl, PhotoUrlError};
