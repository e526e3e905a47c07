use chrono::NaiveDate;
use uuid::Uuid;

use super::events::EndReason;
use crate::{Classification, GroupId, Note, Title};

/// The content of a nomination, already checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Nomination {
    /// The body.
    pub body_id: Uuid,
    /// The member.
    pub member_id: Uuid,
    /// The post held on the body, e.g. `Chair` or `Vice-Chair`.
    pub role_title: Option<Title>,
    /// The first day of the term.
    pub term_starts_on: NaiveDate,
    /// The last day of the term, if it has one.
    pub term_ends_on: Option<NaiveDate>,
    /// Who may read it.
    pub classification: Classification,
}

/// What a caller can ask of an appointment.
#[derive(Debug, Clone, PartialEq)]
pub enum AppointmentCommand {
    /// Nominate a member to a seat on a body.
    NominateMember {
        /// The group making the nomination.
        group_id: GroupId,
        /// Its content.
        nomination: Box<Nomination>,
    },
    /// Confirm the nomination.
    ConfirmAppointment {
        /// The day it was confirmed.
        on: NaiveDate,
    },
    /// End a current appointment.
    EndAppointment {
        /// The last day it was held.
        on: NaiveDate,
        /// Why it ended.
        reason: EndReason,
        /// Anything more to say.
        note: Option<Note>,
    },
    /// Withdraw a nomination that has not been confirmed.
    WithdrawNomination {
        /// Why.
        reason: Note,
    },
}
