//! Appointments (Popolo's memberships): one member holding a seat or post on a
//! body for a term. A nomination is confirmed (e.g. at Annual Council) or
//! withdrawn; a current appointment ends with a reason. Nothing is rewritten:
//! the register keeps who held every seat, and when.

mod aggregate;
mod commands;
mod events;

pub use aggregate::{Appointment, AppointmentError, AppointmentStatus};
pub use commands::{AppointmentCommand, Nomination};
pub use events::{AppointmentEvent, EndReason};
