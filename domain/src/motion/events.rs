use chrono::{DateTime, Utc};
use cqrs_es::DomainEvent;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::votes::{MemberVote, VoteCounts};
use crate::{Classification, GroupId, LongText, Note, Title};

/// A motion (put to the vote) or a question (answered).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum MotionKind {
    /// A motion, decided by a vote.
    Motion,
    /// A question to a member of the executive or a committee chair.
    Question,
}

impl MotionKind {
    /// The stable word for it (its serde name too: both are the variant's name
    /// in snake case).
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// Who brings the motion or question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MotionOrigin {
    /// One of the group's members, who the group submits it for.
    Group {
        /// The member moving it (or asking the question).
        proposer_id: Uuid,
        /// The member seconding it, if any.
        seconder_id: Option<Uuid>,
    },
    /// Another group or councillor: the group records it once tabled, to set
    /// its whip and record the vote.
    Other {
        /// Who moves it, e.g. `Cllr Jane Doe (Green)`.
        mover: Title,
    },
}

/// The group's agreed position on a motion: how its members are whipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WhipPosition {
    /// Vote for.
    For,
    /// Vote against.
    Against,
    /// Abstain.
    Abstain,
    /// A free vote: members vote as they choose.
    FreeVote,
}

/// How a motion or question ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MotionOutcome {
    /// A motion carried as moved.
    Carried,
    /// A motion carried as amended, with the text as carried.
    Amended {
        /// The text the council carried.
        text: LongText,
    },
    /// A motion lost.
    Lost,
    /// Withdrawn by its mover.
    Withdrawn,
    /// A question answered, with the answer where it was given in writing.
    Answered {
        /// The answer.
        answer: Option<LongText>,
    },
    /// A question the meeting did not reach in its time.
    NotReached,
}

/// How a motion or question ended, without what went with it: the word of
/// an outcome (its serde name too: both are the variant's name in snake case).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum OutcomeKind {
    /// Carried as moved.
    Carried,
    /// Carried as amended.
    Amended,
    /// Lost.
    Lost,
    /// Withdrawn.
    Withdrawn,
    /// A question answered.
    Answered,
    /// A question the meeting did not reach.
    NotReached,
}

impl OutcomeKind {
    /// The stable word for it.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// Where a motion stands: before the meeting, `drafted`, `submitted` or
/// `tabled`; after it, how it ended. The record's status word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum MotionStage {
    /// Not yet recorded.
    Unrecorded,
    /// The group's draft.
    Drafted,
    /// Submitted to the council.
    Submitted,
    /// On the meeting's agenda (or dealt with, its outcome not yet recorded).
    Tabled,
    /// Carried as moved.
    Carried,
    /// Carried as amended.
    Amended,
    /// Lost.
    Lost,
    /// Withdrawn.
    Withdrawn,
    /// A question answered.
    Answered,
    /// A question the meeting did not reach.
    NotReached,
}

impl MotionStage {
    /// The stable word for it.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

impl From<OutcomeKind> for MotionStage {
    fn from(kind: OutcomeKind) -> Self {
        match kind {
            OutcomeKind::Carried => Self::Carried,
            OutcomeKind::Amended => Self::Amended,
            OutcomeKind::Lost => Self::Lost,
            OutcomeKind::Withdrawn => Self::Withdrawn,
            OutcomeKind::Answered => Self::Answered,
            OutcomeKind::NotReached => Self::NotReached,
        }
    }
}

impl MotionOutcome {
    /// What kind of outcome it is.
    pub fn kind(&self) -> OutcomeKind {
        match self {
            Self::Carried => OutcomeKind::Carried,
            Self::Amended { .. } => OutcomeKind::Amended,
            Self::Lost => OutcomeKind::Lost,
            Self::Withdrawn => OutcomeKind::Withdrawn,
            Self::Answered { .. } => OutcomeKind::Answered,
            Self::NotReached => OutcomeKind::NotReached,
        }
    }

    /// The stable lowercase word, used as the record's status once decided.
    pub fn as_str(&self) -> &'static str {
        self.kind().as_str()
    }

    /// Whether the outcome came from a vote (so counts and votes may go with it).
    pub fn is_a_vote(&self) -> bool {
        matches!(self, Self::Carried | Self::Amended { .. } | Self::Lost)
    }

    /// Whether a record of `kind` can end this way.
    pub fn fits(&self, kind: MotionKind) -> bool {
        match self {
            Self::Withdrawn => true,
            Self::Carried | Self::Amended { .. } | Self::Lost => kind == MotionKind::Motion,
            Self::Answered { .. } | Self::NotReached => kind == MotionKind::Question,
        }
    }
}

/// A motion or question as the group records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MotionDraft {
    /// The group.
    pub group_id: GroupId,
    /// Motion or question.
    pub kind: MotionKind,
    /// Its title.
    pub title: Title,
    /// Its text.
    pub text: LongText,
    /// Who brings it.
    pub origin: MotionOrigin,
    /// The council meeting it is for.
    pub meeting_id: Uuid,
    /// For a question: who it is put to.
    pub directed_to: Option<Title>,
    /// Who may read it.
    pub classification: Classification,
    /// The cases a question was drawn from (overdue casework with one
    /// organisation): their ids only, never their residents. Absent in events
    /// recorded before casework.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub case_ids: Vec<Uuid>,
}

/// Everything that can happen to a motion or question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum MotionEvent {
    /// The group recorded a motion or question: its own as a draft, another's as tabled.
    MotionRecorded(MotionDraft),
    /// The draft's text was revised.
    MotionRevised {
        /// The new title.
        title: Title,
        /// The new text.
        text: LongText,
        /// Why.
        reason: Option<Note>,
    },
    /// The group submitted it to the council, before the deadline.
    MotionSubmitted {
        /// When.
        submitted_at: DateTime<Utc>,
        /// The deadline it met.
        deadline: DateTime<Utc>,
    },
    /// The council put it on the meeting's agenda.
    MotionTabled {},
    /// The group agreed (or changed) its whip.
    WhipSet {
        /// The position.
        position: WhipPosition,
        /// What members are told, e.g. the line to take.
        note: Option<Note>,
    },
    /// The meeting dealt with it.
    OutcomeRecorded {
        /// How it ended.
        outcome: MotionOutcome,
        /// The council's counts, where voted.
        counts: Option<VoteCounts>,
        /// How the group's members voted, where recorded.
        votes: Vec<MemberVote>,
    },
}

impl DomainEvent for MotionEvent {
    fn event_type(&self) -> String {
        match self {
            Self::MotionRecorded(_) => "MotionRecorded",
            Self::MotionRevised { .. } => "MotionRevised",
            Self::MotionSubmitted { .. } => "MotionSubmitted",
            Self::MotionTabled { .. } => "MotionTabled",
            Self::WhipSet { .. } => "WhipSet",
            Self::OutcomeRecorded { .. } => "OutcomeRecorded",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        "1.0.0".to_owned()
    }
}
