use chrono::NaiveDate;
use uuid::Uuid;

use crate::{Classification, GroupId, Note, Title};

/// The content of a new election, already checked.
#[derive(Debug, Clone, PartialEq)]
pub struct ElectionDraft {
    /// The post (a body of kind group post).
    pub body_id: Uuid,
    /// The meeting it is held at.
    pub meeting_id: Option<Uuid>,
    /// Its title.
    pub title: Title,
    /// The first day of the winner's term.
    pub term_starts_on: NaiveDate,
    /// The last day of the winner's term.
    pub term_ends_on: Option<NaiveDate>,
    /// Who may read it.
    pub classification: Classification,
}

/// What a caller can ask of an election.
#[derive(Debug, Clone, PartialEq)]
pub enum ElectionCommand {
    /// Call an election for a post.
    OpenElection {
        /// The group.
        group_id: GroupId,
        /// Its content.
        draft: Box<ElectionDraft>,
    },
    /// Nominate a member.
    NominateCandidate {
        /// The member.
        member_id: Uuid,
    },
    /// A candidate withdraws.
    WithdrawCandidate {
        /// The member.
        member_id: Uuid,
    },
    /// Record one round's votes.
    CountRound {
        /// Votes per standing candidate.
        votes: Vec<(Uuid, u32)>,
    },
    /// Declare the result: the sole candidate, or the one with a majority of
    /// the last round's votes.
    DeclareResult {
        /// The day.
        on: NaiveDate,
        /// The winner's appointment to the post.
        appointment_id: Uuid,
    },
    /// Call the election off.
    CancelElection {
        /// Why.
        reason: Note,
    },
}
