use chrono::NaiveDate;
use cqrs_es::DomainEvent;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{Classification, GroupId, Note, Title};

/// Everything that can happen to an election.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ElectionEvent {
    /// An election for a post was called.
    ElectionOpened {
        /// The group.
        group_id: GroupId,
        /// The post (a body of kind group post).
        body_id: Uuid,
        /// The meeting it is held at (normally the AGM).
        meeting_id: Option<Uuid>,
        /// Its title, e.g. `Chief Whip 2026/27`.
        title: Title,
        /// The first day of the winner's term.
        term_starts_on: NaiveDate,
        /// The last day of the winner's term.
        term_ends_on: Option<NaiveDate>,
        /// Who may read it.
        classification: Classification,
    },
    /// A member was nominated.
    CandidateNominated {
        /// The member.
        member_id: Uuid,
    },
    /// A candidate withdrew.
    CandidateWithdrew {
        /// The member.
        member_id: Uuid,
    },
    /// The votes of one round were counted.
    RoundCounted {
        /// Votes per candidate.
        votes: Vec<(Uuid, u32)>,
    },
    /// The result was declared, and the winner's appointment made.
    ResultDeclared {
        /// The winner.
        winner: Uuid,
        /// Whether nobody stood against them.
        uncontested: bool,
        /// The day.
        on: NaiveDate,
        /// The appointment of the winner to the post.
        appointment_id: Uuid,
    },
    /// The election was called off.
    ElectionCancelled {
        /// Why.
        reason: Note,
    },
}

impl DomainEvent for ElectionEvent {
    fn event_type(&self) -> String {
        match self {
            Self::ElectionOpened { .. } => "ElectionOpened",
            Self::CandidateNominated { .. } => "CandidateNominated",
            Self::CandidateWithdrew { .. } => "CandidateWithdrew",
            Self::RoundCounted { .. } => "RoundCounted",
            Self::ResultDeclared { .. } => "ResultDeclared",
            Self::ElectionCancelled { .. } => "ElectionCancelled",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        "1.0.0".to_owned()
    }
}
