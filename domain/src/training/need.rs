use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::Note;

/// How soon a need should be met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    /// Before the member can do their work (a seat that requires it).
    High,
    /// Within the year.
    Medium,
    /// When a place comes up.
    Low,
}

/// Why a member needs some training.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NeedReason {
    /// A new seat on a body.
    NewSeat {
        /// The body.
        body_id: Uuid,
    },
    /// The member asked for it.
    OwnRequest,
    /// The member's annual review found it.
    AnnualReview,
}

/// What a member needs, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NeedDraft {
    /// The course of the catalogue that meets it, if there is one.
    pub course_id: Option<Uuid>,
    /// What is needed, in words (required when no course meets it).
    pub description: Option<Note>,
    /// How soon.
    pub priority: Priority,
    /// Why.
    pub reason: NeedReason,
}

/// How a need was closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NeedOutcome {
    /// The member completed its course.
    Met,
    /// It is no longer needed.
    Withdrawn,
}

/// A closed need's outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NeedClosure {
    /// The day it closed.
    pub on: NaiveDate,
    /// How.
    pub outcome: NeedOutcome,
    /// Why it was withdrawn.
    pub note: Option<Note>,
}

/// A training need of a member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Need {
    /// Its id within the member's record.
    pub id: Uuid,
    /// The day it was recorded.
    pub recorded_on: NaiveDate,
    /// What, how soon and why.
    #[serde(flatten)]
    pub draft: NeedDraft,
    /// How it closed; `None` while open.
    pub closed: Option<NeedClosure>,
}

impl Need {
    /// Whether it is still to be met.
    pub fn is_open(&self) -> bool {
        self.closed.is_none()
    }
}
