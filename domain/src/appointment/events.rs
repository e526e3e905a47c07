use chrono::NaiveDate;
use cqrs_es::DomainEvent;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{Classification, GroupId, Note, Title};

/// Why an appointment ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndReason {
    /// The member resigned the seat.
    Resigned,
    /// The group put another member in the seat.
    Replaced,
    /// The term ran out.
    TermExpired,
    /// The member was removed.
    Removed,
    /// The member died.
    Died,
}

impl EndReason {
    /// The reason in words.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Resigned => "resigned",
            Self::Replaced => "replaced",
            Self::TermExpired => "term expired",
            Self::Removed => "removed",
            Self::Died => "died",
        }
    }
}

/// Everything that can happen to an appointment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum AppointmentEvent {
    /// The group nominated a member to a seat on a body.
    MemberNominated {
        /// The group making the nomination.
        group_id: GroupId,
        /// The body.
        body_id: Uuid,
        /// The member.
        member_id: Uuid,
        /// The post held on the body, e.g. `Chair`.
        role_title: Option<Title>,
        /// The first day of the term.
        term_starts_on: NaiveDate,
        /// The last day of the term, if it has one.
        term_ends_on: Option<NaiveDate>,
        /// Who may read it.
        classification: Classification,
    },
    /// The appointment was confirmed (e.g. at Annual Council).
    AppointmentConfirmed {
        /// The day it was confirmed.
        on: NaiveDate,
    },
    /// The appointment ended.
    AppointmentEnded {
        /// The last day it was held.
        on: NaiveDate,
        /// Why it ended.
        reason: EndReason,
        /// Anything more to say.
        note: Option<Note>,
    },
    /// The nomination was withdrawn before it was confirmed.
    NominationWithdrawn {
        /// Why.
        reason: Note,
    },
}

impl DomainEvent for AppointmentEvent {
    fn event_type(&self) -> String {
        match self {
            Self::MemberNominated { .. } => "MemberNominated",
            Self::AppointmentConfirmed { .. } => "AppointmentConfirmed",
            Self::AppointmentEnded { .. } => "AppointmentEnded",
            Self::NominationWithdrawn { .. } => "NominationWithdrawn",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        "1.0.0".to_owned()
    }
}
