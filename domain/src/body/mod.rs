//! The bodies the group fills seats on (Popolo's organizations and posts): the
//! council's committees, outside bodies, and the group's own posts. A body says
//! how many seats the group fills; who holds them are appointments.

mod aggregate;
mod commands;
mod events;

pub use aggregate::{Body, BodyError, BodyStatus, MAX_SEATS};
pub use commands::{BodyChanges, BodyCommand};
pub use events::{BodyEvent, BodyKind, TrainingGate};
