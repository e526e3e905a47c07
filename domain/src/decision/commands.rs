use chrono::NaiveDate;
use uuid::Uuid;

use super::events::{ProgressStatus, TakenBy, Votes};
use crate::{Classification, GroupId, LongText, Note, Title};

/// The content of a new decision, already checked.
#[derive(Debug, Clone, PartialEq)]
pub struct DecisionDraft {
    /// A short title.
    pub title: Title,
    /// The decision's text.
    pub text: LongText,
    /// The day it was taken.
    pub decided_on: NaiveDate,
    /// Where it was taken.
    pub taken_by: TakenBy,
    /// The vote, where one was recorded.
    pub votes: Option<Votes>,
    /// Who may read it.
    pub classification: Classification,
    /// When the group means to look at it again.
    pub review_on: Option<NaiveDate>,
}

/// A progress report on implementing a decision.
#[derive(Debug, Clone, PartialEq)]
pub struct ProgressReport {
    /// The day the progress refers to.
    pub on: NaiveDate,
    /// What happened.
    pub note: Note,
    /// How it is going.
    pub status: ProgressStatus,
    /// How much is done, 0 to 100.
    pub percent_complete: u8,
}

/// What a caller can ask of a decision.
#[derive(Debug, Clone, PartialEq)]
pub enum DecisionCommand {
    /// Record a decision the group has taken.
    RecordDecision {
        /// The group taking it.
        group_id: GroupId,
        /// Its content.
        draft: Box<DecisionDraft>,
    },
    /// Change the decision's text, giving a reason.
    AmendDecision {
        /// The new text.
        text: LongText,
        /// Why.
        reason: Note,
    },
    /// Report progress on implementing it.
    ReportDecisionProgress(ProgressReport),
    /// Mark it implemented.
    MarkDecisionImplemented {
        /// The day it was completed.
        on: NaiveDate,
    },
    /// Rescind it.
    RescindDecision {
        /// Why.
        reason: Note,
    },
    /// Replace it with a later decision.
    SupersedeDecision {
        /// The decision that replaces it.
        by: Uuid,
        /// Why.
        reason: Note,
    },
}
