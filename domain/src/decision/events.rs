use chrono::NaiveDate;
use cqrs_es::DomainEvent;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{Classification, GroupId, LongText, Note, Title, meeting::MeetingItemRef};

/// Where a decision was taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TakenBy {
    /// At a meeting of the group, named by the meeting's reference.
    GroupMeeting {
        /// The meeting's reference, e.g. `AGM 2026` or a meeting id.
        meeting: Title,
        /// The meeting and agenda item it was recorded from, when it was
        /// recorded from one (absent in events written before meetings existed).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        meeting_item: Option<MeetingItemRef>,
    },
    /// By the Group Officers between meetings.
    GroupOfficers,
}

/// A recorded vote on a decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Votes {
    /// Votes in favour.
    pub r#for: u32,
    /// Votes against.
    pub against: u32,
    /// Abstentions.
    pub abstain: u32,
}

/// How implementation of a decision is going.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProgressStatus {
    /// Work has not started.
    NotStarted,
    /// Work is going to plan.
    OnTrack,
    /// Work may miss its date.
    AtRisk,
    /// Work cannot go on without help.
    Blocked,
}

/// Everything that can happen to a decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum DecisionEvent {
    /// The group took a decision.
    DecisionRecorded {
        /// The group that took it.
        group_id: GroupId,
        /// A short title.
        title: Title,
        /// The decision's text.
        text: LongText,
        /// The day it was taken.
        decided_on: NaiveDate,
        /// Where it was taken.
        taken_by: TakenBy,
        /// The vote, where one was recorded.
        votes: Option<Votes>,
        /// Who may read it.
        classification: Classification,
        /// When the group means to look at it again.
        review_on: Option<NaiveDate>,
    },
    /// The decision's text was changed; the old text stays in the event history.
    DecisionAmended {
        /// The new text.
        text: LongText,
        /// Why it was amended.
        reason: Note,
    },
    /// Progress on implementing the decision was reported (version 2 added
    /// `percent_complete`; see the upcasters).
    DecisionProgressReported {
        /// The day the progress refers to.
        on: NaiveDate,
        /// What happened.
        note: Note,
        /// How it is going.
        status: ProgressStatus,
        /// How much is done, 0 to 100.
        percent_complete: u8,
    },
    /// The decision has been carried out.
    DecisionImplemented {
        /// The day it was completed.
        on: NaiveDate,
    },
    /// The group rescinded the decision.
    DecisionRescinded {
        /// Why.
        reason: Note,
    },
    /// A later decision replaced this one.
    DecisionSuperseded {
        /// The decision that replaces it.
        by: Uuid,
        /// Why.
        reason: Note,
    },
}

impl DomainEvent for DecisionEvent {
    fn event_type(&self) -> String {
        match self {
            Self::DecisionRecorded { .. } => "DecisionRecorded",
            Self::DecisionAmended { .. } => "DecisionAmended",
            Self::DecisionProgressReported { .. } => "DecisionProgressReported",
            Self::DecisionImplemented { .. } => "DecisionImplemented",
            Self::DecisionRescinded { .. } => "DecisionRescinded",
            Self::DecisionSuperseded { .. } => "DecisionSuperseded",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        match self {
            Self::DecisionProgressReported { .. } => "2.0.0",
            _ => "1.0.0",
        }
        .to_owned()
    }
}
