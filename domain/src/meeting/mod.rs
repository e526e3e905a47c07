//! Meetings: the group's own (group meetings, the AGM, Group Officers,
//! subordinate bodies) and the council's that the group prepares for (Full
//! Council, Cabinet, Scrutiny, committees), in the shape of Open Civic Data's
//! Event: when and where, an agenda of items with papers, the despatch of
//! papers, attendance, and minutes that never change once approved.

mod aggregate;
mod commands;
mod events;

pub use aggregate::{
    AgendaItem, Despatch, Meeting, MeetingError, MeetingStatus, MinutesApproval, Paper, Rescheduling,
};
pub use commands::{AgendaItemDraft, MeetingCommand, MeetingDraft, PaperDraft, Venue};
pub use events::{Attendance, ItemStatus, LinkKind, MeetingEvent, MeetingItemRef, MeetingKind, RecordLink};
