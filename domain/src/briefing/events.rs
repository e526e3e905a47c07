use cqrs_es::DomainEvent;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{Classification, GroupId, LongText, Note, Title};

/// What kind of note.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BriefingKind {
    /// Background for members: the facts, the risks, the line to take.
    Briefing,
    /// What a member will say in the chamber.
    SpeakingNote,
}

/// What a note is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BriefingSubject {
    /// An item on a meeting's agenda.
    AgendaItem {
        /// The meeting.
        meeting_id: Uuid,
        /// The item.
        item_id: Uuid,
    },
    /// An item of the council's forward plan.
    ForwardPlanItem {
        /// The item.
        forward_plan_item_id: Uuid,
    },
    /// A motion or question.
    Motion {
        /// The motion.
        motion_id: Uuid,
    },
}

impl BriefingSubject {
    /// The record the note is about (for an agenda item, its meeting).
    pub fn record_id(self) -> Uuid {
        match self {
            Self::AgendaItem { meeting_id, .. } => meeting_id,
            Self::ForwardPlanItem { forward_plan_item_id } => forward_plan_item_id,
            Self::Motion { motion_id } => motion_id,
        }
    }
}

/// A note's first version, as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BriefingDraft {
    /// The group.
    pub group_id: GroupId,
    /// What kind of note.
    pub kind: BriefingKind,
    /// What it is about.
    pub subject: BriefingSubject,
    /// The member it is for (a speaking note's speaker).
    pub for_member_id: Option<Uuid>,
    /// Its title.
    pub title: Title,
    /// Its text (Markdown).
    pub body: LongText,
    /// Who may read it.
    pub classification: Classification,
}

/// Everything that can happen to a note.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum BriefingEvent {
    /// The first version was written.
    BriefingWritten(BriefingDraft),
    /// A new version replaced the current one.
    BriefingRevised {
        /// The new title.
        title: Title,
        /// The new text.
        body: LongText,
        /// What changed and why.
        reason: Option<Note>,
    },
    /// The note was withdrawn (it stays in the record).
    BriefingWithdrawn {
        /// Why.
        reason: Note,
    },
}

impl DomainEvent for BriefingEvent {
    fn event_type(&self) -> String {
        match self {
            Self::BriefingWritten(_) => "BriefingWritten",
            Self::BriefingRevised { .. } => "BriefingRevised",
            Self::BriefingWithdrawn { .. } => "BriefingWithdrawn",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        "1.0.0".to_owned()
    }
}
