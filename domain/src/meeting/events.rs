use chrono::{DateTime, NaiveDate, Utc};
use cqrs_es::DomainEvent;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{Classification, GroupId, LongText, Note, StoredFile, Title};

/// What kind of meeting it is: the group's own, or the council's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum MeetingKind {
    /// A meeting of the whole group.
    GroupMeeting,
    /// The group's annual general meeting, where its elections are held.
    Agm,
    /// A meeting of the Group Officers.
    GroupOfficers,
    /// A meeting of one of the group's subordinate bodies.
    SubordinateBody,
    /// A meeting of Full Council.
    FullCouncil,
    /// A meeting of the Cabinet.
    Cabinet,
    /// A meeting of a scrutiny committee.
    Scrutiny,
    /// A meeting of another council committee.
    Committee,
}

impl MeetingKind {
    /// The stable word for it (its serde name too: both are the variant's name
    /// in snake case).
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// Whether the group holds it (as opposed to the council).
    pub fn is_the_groups(self) -> bool {
        matches!(self, Self::GroupMeeting | Self::Agm | Self::GroupOfficers | Self::SubordinateBody)
    }
}

/// The kind of record an agenda item is linked to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    /// A group decision.
    Decision,
    /// An action.
    Action,
    /// A forward plan item.
    ForwardPlanItem,
    /// A motion or question.
    Motion,
}

/// A reference to one item of one meeting, kept on a record made from it
/// (a decision or an action), so the link shows from both sides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingItemRef {
    /// The meeting.
    pub meeting_id: Uuid,
    /// The agenda item.
    pub item_id: Uuid,
}

/// A link from an agenda item to another record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordLink {
    /// What kind of record.
    pub kind: LinkKind,
    /// Its id.
    pub id: Uuid,
}

/// Whether an agenda item is still on the agenda.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    /// On the agenda.
    #[default]
    Listed,
    /// Taken off the agenda.
    Withdrawn,
}

/// A member's attendance at a meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Attendance {
    /// Present.
    Present,
    /// Sent apologies.
    Apologies,
    /// Absent without apologies.
    Absent,
}

/// Everything that can happen to a meeting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum MeetingEvent {
    /// The meeting was put in the diary (tentatively).
    MeetingScheduled {
        /// The group it belongs to.
        group_id: GroupId,
        /// What kind of meeting.
        kind: MeetingKind,
        /// Its title.
        title: Title,
        /// When it starts.
        starts_at: DateTime<Utc>,
        /// When it is expected to end.
        ends_at: Option<DateTime<Utc>>,
        /// Where it is held.
        place: Option<Title>,
        /// The link to join online.
        online_link: Option<Note>,
        /// Who may read it.
        classification: Classification,
        /// How many members present make it quorate, if a quorum applies.
        quorum: Option<u32>,
        /// Clear working days before the meeting by which papers are despatched.
        papers_clear_days: u8,
    },
    /// The meeting moved.
    MeetingRescheduled {
        /// When it now starts.
        starts_at: DateTime<Utc>,
        /// When it is now expected to end.
        ends_at: Option<DateTime<Utc>>,
        /// Where it is now held.
        place: Option<Title>,
        /// The link to join online.
        online_link: Option<Note>,
        /// Why it moved.
        reason: Option<Note>,
    },
    /// The meeting was confirmed.
    MeetingConfirmed,
    /// The meeting was cancelled.
    MeetingCancelled {
        /// Why.
        reason: Note,
    },
    /// The meeting took place.
    MeetingHeld,
    /// An item was added at the end of the agenda.
    AgendaItemAdded {
        /// The item's id within the meeting.
        item_id: Uuid,
        /// Its title.
        title: Title,
        /// What it is about (Markdown).
        description: Option<LongText>,
        /// The member presenting it.
        presenter_id: Option<Uuid>,
        /// Who may read it.
        classification: Classification,
        /// Records it concerns.
        links: Vec<RecordLink>,
        /// For a report-back item, the period its digest covers.
        #[serde(default)]
        report_back: Option<(NaiveDate, NaiveDate)>,
    },
    /// The agenda was put in a new order (every listed item's id, in order).
    AgendaReordered {
        /// The item ids in their new order.
        order: Vec<Uuid>,
    },
    /// An item was taken off the agenda.
    AgendaItemWithdrawn {
        /// The item.
        item_id: Uuid,
        /// Why.
        reason: Note,
    },
    /// An item was linked to another record (e.g. a decision recorded from it).
    AgendaItemLinked {
        /// The item.
        item_id: Uuid,
        /// The record.
        link: RecordLink,
    },
    /// A paper was attached to an item.
    PaperAttached {
        /// The item.
        item_id: Uuid,
        /// The paper's id within the meeting.
        paper_id: Uuid,
        /// Its title.
        title: Title,
        /// Where it can be read, unless it is a stored file.
        #[serde(default)]
        link: Option<Note>,
        /// The stored file it is (added later: absent from older events).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        file: Option<StoredFile>,
        /// Who may read it.
        classification: Classification,
    },
    /// Papers not yet despatched were sent out.
    PapersDespatched {
        /// When.
        at: DateTime<Utc>,
        /// To whom (e.g. `All group members`).
        to: Vec<Title>,
        /// The papers sent.
        paper_ids: Vec<Uuid>,
    },
    /// Attendance was recorded for some members (a later entry for a member replaces theirs).
    AttendanceRecorded {
        /// Each member and their attendance.
        entries: Vec<(Uuid, Attendance)>,
    },
    /// The minutes (or action notes) of an item were written or redrafted before approval.
    MinutesRecorded {
        /// The item.
        item_id: Uuid,
        /// The minutes (Markdown).
        text: LongText,
    },
    /// The minutes were approved at a later meeting; from now on they never change.
    MinutesApproved {
        /// The meeting that approved them.
        meeting_id: Uuid,
        /// The item of that meeting under which they were approved.
        item_id: Option<Uuid>,
        /// The day.
        on: NaiveDate,
    },
    /// Approved minutes were corrected: the approved text stays in the history.
    MinutesCorrected {
        /// The item.
        item_id: Uuid,
        /// The corrected minutes.
        text: LongText,
        /// Why.
        reason: Note,
    },
}

impl DomainEvent for MeetingEvent {
    fn event_type(&self) -> String {
        match self {
            Self::MeetingScheduled { .. } => "MeetingScheduled",
            Self::MeetingRescheduled { .. } => "MeetingRescheduled",
            Self::MeetingConfirmed => "MeetingConfirmed",
            Self::MeetingCancelled { .. } => "MeetingCancelled",
            Self::MeetingHeld => "MeetingHeld",
            Self::AgendaItemAdded { .. } => "AgendaItemAdded",
            Self::AgendaReordered { .. } => "AgendaReordered",
            Self::AgendaItemWithdrawn { .. } => "AgendaItemWithdrawn",
            Self::AgendaItemLinked { .. } => "AgendaItemLinked",
            Self::PaperAttached { .. } => "PaperAttached",
            Self::PapersDespatched { .. } => "PapersDespatched",
            Self::AttendanceRecorded { .. } => "AttendanceRecorded",
            Self::MinutesRecorded { .. } => "MinutesRecorded",
            Self::MinutesApproved { .. } => "MinutesApproved",
            Self::MinutesCorrected { .. } => "MinutesCorrected",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        "1.0.0".to_owned()
    }
}
