use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::events::{EventKind, Host, Invitees};
use crate::meeting::{Attendance, Venue};
use crate::{Classification, GroupId, Note, Title};

/// The content of a new event, already checked.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupEventDraft {
    /// What kind of event.
    pub kind: EventKind,
    /// Its title.
    pub title: Title,
    /// What it is for, the programme.
    pub description: Option<Note>,
    /// When and where.
    pub venue: Venue,
    /// The member organising it.
    pub organiser_id: Option<Uuid>,
    /// How many may come; `None`: no limit.
    pub capacity: Option<u32>,
    /// Who is invited.
    pub invitees: Invitees,
    /// The outside organisation hosting or sponsoring it.
    pub host: Option<Host>,
    /// The courses it teaches: attending completes them.
    pub courses: Vec<Uuid>,
    /// How long a member offered a freed place has to take it up.
    pub offer_hours: u32,
    /// Who may read it.
    pub classification: Classification,
}

/// What a caller can ask of an event. Every command but the first carries
/// the time it is made, so offers whose time has run out lapse first.
#[derive(Debug, Clone, PartialEq)]
pub enum GroupEventCommand {
    /// Put an event in the diary.
    PlanEvent {
        /// The group.
        group_id: GroupId,
        /// Its content.
        draft: Box<GroupEventDraft>,
    },
    /// Change how many may come: fewer moves the last registered to the
    /// head of the waiting list, more offers places to the first on it.
    ChangeCapacity {
        /// The new capacity; `None`: no limit.
        capacity: Option<u32>,
        /// Now.
        at: DateTime<Utc>,
    },
    /// Register a member: a place if one is free, else the waiting list.
    Register {
        /// The member.
        member_id: Uuid,
        /// Now.
        at: DateTime<Utc>,
    },
    /// A member withdraws: gives up their place (offered to the next on the
    /// list), leaves the waiting list, or declines a place offered.
    Withdraw {
        /// The member.
        member_id: Uuid,
        /// Now.
        at: DateTime<Utc>,
    },
    /// A member takes up the place offered to them.
    AcceptOffer {
        /// The member.
        member_id: Uuid,
        /// Now.
        at: DateTime<Utc>,
    },
    /// Record who came, once the event has started.
    RecordAttendance {
        /// Each member's attendance.
        entries: Vec<(Uuid, Attendance)>,
        /// Now.
        at: DateTime<Utc>,
    },
    /// Call the event off.
    CancelEvent {
        /// Why.
        reason: Note,
        /// Now.
        at: DateTime<Utc>,
    },
}
