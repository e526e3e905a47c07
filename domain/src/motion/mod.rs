//! Motions and questions for the council's meetings: the group's own, drafted,
//! checked against the council's submission deadline and submitted, and other
//! groups' once tabled; the group's agreed position on each (the whip); and
//! the outcome with the council's vote counts (Popolo's VoteEvent) and, where
//! recorded, how each of the group's members voted.

mod aggregate;
mod deadline;
mod events;
mod votes;

pub use aggregate::{Motion, MotionCommand, MotionError, MotionStatus, MotionText, Whip, whipped_vote_tag};
pub use deadline::SubmissionDeadline;
pub use events::{
    MotionDraft, MotionEvent, MotionKind, MotionOrigin, MotionOutcome, MotionStage, OutcomeKind, WhipPosition,
};
pub use votes::{MemberVote, VoteCounts, VoteOption, WhipDeparture};
