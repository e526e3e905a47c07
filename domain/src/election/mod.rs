//! Group elections, held at the AGM: an election for one of the group's posts,
//! its nominations, the votes in each round, and the declared result. Declaring
//! the result appoints the winner to the post (the route runs the appointment
//! commands), so the post's history of holders stays in its appointments.

mod aggregate;
mod commands;
mod events;

pub use aggregate::{Election, ElectionError, ElectionStatus, Outcome};
pub use commands::{ElectionCommand, ElectionDraft};
pub use events::ElectionEvent;
