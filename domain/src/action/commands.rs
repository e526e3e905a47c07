use chrono::NaiveDate;
use uuid::Uuid;

use crate::{Classification, GroupId, Note, Title, meeting::MeetingItemRef};

/// The content of a new action, already checked.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionDraft {
    /// What is to be done.
    pub title: Title,
    /// More detail.
    pub description: Option<Note>,
    /// The member who owns it.
    pub owner_id: Uuid,
    /// When it is due.
    pub due_on: NaiveDate,
    /// The decision it implements, if any.
    pub decision_id: Option<Uuid>,
    /// The meeting and agenda item it was agreed at, if any.
    pub meeting_item: Option<MeetingItemRef>,
    /// Who may read it.
    pub classification: Classification,
}

/// What a caller can ask of an action.
#[derive(Debug, Clone, PartialEq)]
pub enum ActionCommand {
    /// Agree a new action.
    CreateAction {
        /// The group it belongs to.
        group_id: GroupId,
        /// Its content.
        draft: Box<ActionDraft>,
    },
    /// Pass it to another member.
    ReassignAction {
        /// The new owner.
        owner_id: Uuid,
        /// Why.
        reason: Option<Note>,
    },
    /// Move its due date, saying why.
    RescheduleAction {
        /// The new due date.
        due_on: NaiveDate,
        /// Why.
        reason: Note,
    },
    /// Note progress.
    NoteActionProgress {
        /// The day the note refers to.
        on: NaiveDate,
        /// What happened.
        note: Note,
    },
    /// Mark it done.
    CompleteAction {
        /// The day it was done.
        on: NaiveDate,
        /// A closing note.
        note: Option<Note>,
    },
    /// Drop it.
    CancelAction {
        /// Why.
        reason: Note,
    },
}
