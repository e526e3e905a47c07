use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::events::{Attendance, MeetingKind, RecordLink};
use crate::{Classification, GroupId, LongText, Note, StoredFile, Title};

/// When and where a meeting is held.
#[derive(Debug, Clone, PartialEq)]
pub struct Venue {
    /// When it starts.
    pub starts_at: DateTime<Utc>,
    /// When it is expected to end.
    pub ends_at: Option<DateTime<Utc>>,
    /// Where it is held.
    pub place: Option<Title>,
    /// The link to join online.
    pub online_link: Option<Note>,
}

/// The content of a new meeting, already checked.
#[derive(Debug, Clone, PartialEq)]
pub struct MeetingDraft {
    /// What kind of meeting.
    pub kind: MeetingKind,
    /// Its title.
    pub title: Title,
    /// When and where.
    pub venue: Venue,
    /// Who may read it.
    pub classification: Classification,
    /// How many members present make it quorate.
    pub quorum: Option<u32>,
    /// Clear working days before the meeting by which papers are despatched.
    pub papers_clear_days: u8,
}

/// A new agenda item, already checked.
#[derive(Debug, Clone, PartialEq)]
pub struct AgendaItemDraft {
    /// Its title.
    pub title: Title,
    /// What it is about (Markdown).
    pub description: Option<LongText>,
    /// The member presenting it.
    pub presenter_id: Option<Uuid>,
    /// Who may read it.
    pub classification: Classification,
    /// Records it concerns.
    pub links: Vec<RecordLink>,
    /// For a report-back item, the period its digest covers.
    pub report_back: Option<(NaiveDate, NaiveDate)>,
}

/// A paper to attach to an item, already checked.
#[derive(Debug, Clone, PartialEq)]
pub struct PaperDraft {
    /// Its title.
    pub title: Title,
    /// Where it can be read (an http or https URL), unless it is a stored file.
    pub link: Option<Note>,
    /// The stored file it is, unless it is a link.
    pub file: Option<StoredFile>,
    /// Who may read it.
    pub classification: Classification,
}

/// What a caller can ask of a meeting.
#[derive(Debug, Clone, PartialEq)]
pub enum MeetingCommand {
    /// Put a meeting in the diary.
    ScheduleMeeting {
        /// The group.
        group_id: GroupId,
        /// Its content.
        draft: Box<MeetingDraft>,
    },
    /// Move it.
    RescheduleMeeting {
        /// When and where it now is.
        venue: Venue,
        /// Why.
        reason: Option<Note>,
    },
    /// Confirm it.
    ConfirmMeeting,
    /// Cancel it.
    CancelMeeting {
        /// Why.
        reason: Note,
    },
    /// Record that it took place.
    MarkMeetingHeld,
    /// Add an item at the end of the agenda.
    AddAgendaItem {
        /// The new item's id.
        item_id: Uuid,
        /// Its content.
        item: Box<AgendaItemDraft>,
    },
    /// Put the listed items in a new order.
    ReorderAgenda {
        /// Every listed item's id, in the new order.
        order: Vec<Uuid>,
    },
    /// Take an item off the agenda.
    WithdrawAgendaItem {
        /// The item.
        item_id: Uuid,
        /// Why.
        reason: Note,
    },
    /// Link an item to another record; linking twice changes nothing.
    LinkRecord {
        /// The item.
        item_id: Uuid,
        /// The record.
        link: RecordLink,
    },
    /// Attach a paper to an item.
    AttachPaper {
        /// The item.
        item_id: Uuid,
        /// The new paper's id.
        paper_id: Uuid,
        /// The paper.
        paper: PaperDraft,
    },
    /// Despatch every paper not yet despatched.
    DespatchPapers {
        /// When.
        at: DateTime<Utc>,
        /// To whom.
        to: Vec<Title>,
    },
    /// Record members' attendance.
    RecordAttendance {
        /// Each member and their attendance.
        entries: Vec<(Uuid, Attendance)>,
    },
    /// Write or redraft an item's minutes, before they are approved.
    RecordMinutes {
        /// The item.
        item_id: Uuid,
        /// The minutes.
        text: LongText,
    },
    /// Record that a later meeting approved the minutes.
    ApproveMinutes {
        /// The approving meeting.
        meeting_id: Uuid,
        /// Its item under which they were approved.
        item_id: Option<Uuid>,
        /// The day.
        on: NaiveDate,
    },
    /// Correct approved minutes, giving a reason.
    CorrectMinutes {
        /// The item.
        item_id: Uuid,
        /// The corrected minutes.
        text: LongText,
        /// Why.
        reason: Note,
    },
}
