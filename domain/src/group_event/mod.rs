//! The group's own events: seminars, away days, training sessions, conferences
//! and socials. Members register (or the office registers them) up to the
//! event's capacity; past it they join a waiting list, and a place that comes
//! free is offered to the first on the list for a limited time, then to the
//! next. After the event its attendance register is the evidence of who came.

mod aggregate;
mod commands;
mod events;

pub use aggregate::{
    DEFAULT_HOSPITALITY_THRESHOLD_PENCE, GroupEvent, GroupEventError, GroupEventStatus,
    HOSPITALITY_REGISTRATION_DAYS, Offer, Place,
};
pub use commands::{GroupEventCommand, GroupEventDraft};
pub use events::{EventKind, GroupEventEvent, Host, Invitees, PlannedEvent};
