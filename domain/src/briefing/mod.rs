//! Briefing and speaking notes: what the group's members are told ahead of an
//! agenda item, a forward plan item or a motion, versioned so that the note a
//! councillor spoke from can always be found again.

mod aggregate;
mod events;

pub use aggregate::{Briefing, BriefingCommand, BriefingError, BriefingStatus, BriefingVersion};
pub use events::{BriefingDraft, BriefingEvent, BriefingKind, BriefingSubject};
