use chrono::{DateTime, Utc};
use cqrs_es::DomainEvent;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::meeting::Attendance;
use crate::{Classification, GroupId, Note, Title};

/// What kind of event.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, strum::IntoStaticStr, strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum EventKind {
    /// A group seminar.
    Seminar,
    /// An away day.
    AwayDay,
    /// A training session.
    Training,
    /// A conference.
    Conference,
    /// A social.
    Social,
}

impl EventKind {
    /// The stable word for it (its serde name too).
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// Who is invited to an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "ids", rename_all = "snake_case")]
pub enum Invitees {
    /// Every member of the group.
    AllMembers,
    /// The members holding a seat on any of these bodies (committees,
    /// outside bodies, the group's posts).
    Bodies(Vec<Uuid>),
    /// These members.
    Members(Vec<Uuid>),
}

/// An outside organisation hosting or sponsoring an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Host {
    /// Its name.
    pub name: Title,
    /// The value of the hospitality per head, in pence, as declared.
    pub value_per_head_pence: u64,
}

/// An event as it was put in the diary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlannedEvent {
    /// The group.
    pub group_id: GroupId,
    /// What kind of event.
    pub kind: EventKind,
    /// Its title.
    pub title: Title,
    /// What it is for.
    pub description: Option<Note>,
    /// When it starts.
    pub starts_at: DateTime<Utc>,
    /// When it ends.
    pub ends_at: Option<DateTime<Utc>>,
    /// Where.
    pub place: Option<Title>,
    /// The link to join online.
    pub online_link: Option<Note>,
    /// The member organising it.
    pub organiser_id: Option<Uuid>,
    /// How many may come.
    pub capacity: Option<u32>,
    /// Who is invited.
    pub invitees: Invitees,
    /// The outside host or sponsor.
    pub host: Option<Host>,
    /// The courses it teaches.
    #[serde(default)]
    pub courses: Vec<Uuid>,
    /// Hours a freed place stays offered.
    pub offer_hours: u32,
    /// Who may read it.
    pub classification: Classification,
}

/// Everything that can happen to an event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum GroupEventEvent {
    /// The event was put in the diary.
    EventPlanned(Box<PlannedEvent>),
    /// The capacity changed.
    CapacityChanged {
        /// The new capacity.
        capacity: Option<u32>,
    },
    /// A member took a free place.
    MemberRegistered {
        /// The member.
        member_id: Uuid,
        /// When.
        at: DateTime<Utc>,
    },
    /// A member joined the end of the waiting list.
    JoinedWaitingList {
        /// The member.
        member_id: Uuid,
        /// When.
        at: DateTime<Utc>,
    },
    /// A free place was offered to the first on the waiting list.
    PlaceOffered {
        /// The member.
        member_id: Uuid,
        /// When.
        at: DateTime<Utc>,
        /// Until when they may take it up.
        until: DateTime<Utc>,
    },
    /// The member took up the place offered.
    OfferAccepted {
        /// The member.
        member_id: Uuid,
        /// When.
        at: DateTime<Utc>,
    },
    /// The member declined the place offered, and left the list.
    OfferDeclined {
        /// The member.
        member_id: Uuid,
        /// When.
        at: DateTime<Utc>,
    },
    /// The offer's time ran out: the member left the list.
    OfferLapsed {
        /// The member.
        member_id: Uuid,
        /// When the offer ran out.
        at: DateTime<Utc>,
    },
    /// The capacity fell: the offer was taken back and the member put back
    /// at the head of the waiting list.
    OfferWithdrawn {
        /// The member.
        member_id: Uuid,
    },
    /// The capacity fell below the places taken: the last registered went
    /// back to the head of the waiting list.
    MovedToWaitingList {
        /// The member.
        member_id: Uuid,
    },
    /// A registered member gave up their place.
    RegistrationWithdrawn {
        /// The member.
        member_id: Uuid,
        /// When.
        at: DateTime<Utc>,
    },
    /// A member left the waiting list.
    LeftWaitingList {
        /// The member.
        member_id: Uuid,
        /// When.
        at: DateTime<Utc>,
    },
    /// Attendance was recorded (a member's latest entry stands).
    AttendanceRecorded {
        /// Each member's attendance.
        entries: Vec<(Uuid, Attendance)>,
    },
    /// The event was called off.
    EventCancelled {
        /// Why.
        reason: Note,
    },
}

impl DomainEvent for GroupEventEvent {
    fn event_type(&self) -> String {
        match self {
            Self::EventPlanned(_) => "EventPlanned",
            Self::CapacityChanged { .. } => "CapacityChanged",
            Self::MemberRegistered { .. } => "MemberRegistered",
            Self::JoinedWaitingList { .. } => "JoinedWaitingList",
            Self::PlaceOffered { .. } => "PlaceOffered",
            Self::OfferAccepted { .. } => "OfferAccepted",
            Self::OfferDeclined { .. } => "OfferDeclined",
            Self::OfferLapsed { .. } => "OfferLapsed",
            Self::OfferWithdrawn { .. } => "OfferWithdrawn",
            Self::MovedToWaitingList { .. } => "MovedToWaitingList",
            Self::RegistrationWithdrawn { .. } => "RegistrationWithdrawn",
            Self::LeftWaitingList { .. } => "LeftWaitingList",
            Self::AttendanceRecorded { .. } => "AttendanceRecorded",
            Self::EventCancelled { .. } => "EventCancelled",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        "1.0.0".to_owned()
    }
}
