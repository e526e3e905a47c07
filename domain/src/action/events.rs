use chrono::NaiveDate;
use cqrs_es::DomainEvent;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{Classification, GroupId, Note, Title, meeting::MeetingItemRef};

/// Everything that can happen to an action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ActionEvent {
    /// An action was agreed.
    ActionCreated {
        /// The group it belongs to.
        group_id: GroupId,
        /// What is to be done.
        title: Title,
        /// More detail.
        description: Option<Note>,
        /// The member who owns it.
        owner_id: Uuid,
        /// When it is due.
        due_on: NaiveDate,
        /// The decision it implements, if any.
        decision_id: Option<Uuid>,
        /// Who may read it.
        classification: Classification,
        /// The meeting and agenda item it was agreed at, if any (absent in
        /// events written before meetings existed).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        meeting_item: Option<MeetingItemRef>,
    },
    /// The action passed to another member.
    ActionReassigned {
        /// The new owner.
        owner_id: Uuid,
        /// Why, if a reason was given.
        reason: Option<Note>,
    },
    /// The due date moved.
    ActionRescheduled {
        /// The new due date.
        due_on: NaiveDate,
        /// Why it moved.
        reason: Note,
    },
    /// Progress was noted.
    ActionProgressNoted {
        /// The day the note refers to.
        on: NaiveDate,
        /// What happened.
        note: Note,
    },
    /// The action was done.
    ActionCompleted {
        /// The day it was done.
        on: NaiveDate,
        /// A closing note.
        note: Option<Note>,
    },
    /// The action was dropped.
    ActionCancelled {
        /// Why.
        reason: Note,
    },
}

impl DomainEvent for ActionEvent {
    fn event_type(&self) -> String {
        match self {
            Self::ActionCreated { .. } => "ActionCreated",
            Self::ActionReassigned { .. } => "ActionReassigned",
            Self::ActionRescheduled { .. } => "ActionRescheduled",
            Self::ActionProgressNoted { .. } => "ActionProgressNoted",
            Self::ActionCompleted { .. } => "ActionCompleted",
            Self::ActionCancelled { .. } => "ActionCancelled",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        "1.0.0".to_owned()
    }
}
