//! `/appointments`: members' seats on bodies, from nomination to the end of
//! the term.

use caucus_domain::appointment::{Appointment, Nomination};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::common::{ChosenClassification, Classification, Cursor, DaysAhead, PageLimit, Stored, Unrecorded};
use crate::input::NoteText;
use crate::input::TitleText;
use crate::mirror::mirror;
use crate::training::TrainingGapView;
use crate::{Fields, ParseRequest};

mirror! {
    /// Where an appointment stands.
    pub enum AppointmentStatus = caucus_domain::appointment::AppointmentStatus {
        /// Nominated, awaiting confirmation.
        Nominated,
        /// Confirmed and held.
        Current,
        /// Held, and now ended.
        Ended,
        /// Withdrawn before it was confirmed.
        Withdrawn,
    }
    internal { Unnominated }
}

mirror! {
    /// Why an appointment ended.
    pub enum EndReason = caucus_domain::appointment::EndReason {
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
}

/// Nominate a member to a seat on a body.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NominateAppointmentRequest {
    /// The body: active, in the caller's group, with a seat free.
    pub body_id: Uuid,
    /// The member: a current member of the group.
    pub member_id: Uuid,
    /// The post held on the body, e.g. `Chair` or `Vice-Chair`.
    #[serde(default)]
    pub role_title: Option<TitleText>,
    /// The first day of the term.
    pub term_starts_on: NaiveDate,
    /// The last day of the term, if it has one; not before its first day.
    #[serde(default)]
    pub term_ends_on: Option<NaiveDate>,
    /// Who may read it.
    pub classification: ChosenClassification,
}

impl ParseRequest for NominateAppointmentRequest {
    type Parsed = Nomination;

    fn parse_fields(&self, fields: &mut Fields) -> Option<Nomination> {
        let role_title = fields.check_optional("/role_title", self.role_title.as_ref());
        if let Some(term_ends_on) = self.term_ends_on {
            fields.not_before("/term_ends_on", term_ends_on, self.term_starts_on, "term_starts_on");
        }
        Some(Nomination {
            body_id: self.body_id,
            member_id: self.member_id,
            role_title: role_title?,
            term_starts_on: self.term_starts_on,
            term_ends_on: self.term_ends_on,
            classification: self.classification.into(),
        })
    }
}

/// Confirm a nomination.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfirmAppointmentRequest {
    /// The day it was confirmed (e.g. the day of Annual Council).
    pub on: NaiveDate,
}

/// End a current appointment.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EndAppointmentRequest {
    /// The last day it was held; not before the term starts.
    pub on: NaiveDate,
    /// Why it ended.
    pub reason: EndReason,
    /// Anything more to say.
    #[serde(default)]
    pub note: Option<NoteText>,
}

/// Withdraw a nomination.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WithdrawAppointmentRequest {
    /// Why.
    pub reason: NoteText,
}

/// An appointment of a member to a body.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AppointmentView {
    /// The appointment's id.
    pub id: Uuid,
    /// Its version; also its ETag.
    pub version: u64,
    /// Where it stands.
    pub status: AppointmentStatus,
    /// The body.
    pub body_id: Uuid,
    /// The member.
    pub member_id: Uuid,
    /// The post held on the body, e.g. `Chair`.
    pub role_title: Option<String>,
    /// The first day of the term.
    pub term_starts_on: NaiveDate,
    /// The last day of the term, if it has one.
    pub term_ends_on: Option<NaiveDate>,
    /// Who may read it.
    pub classification: Classification,
    /// The day it was confirmed.
    pub confirmed_on: Option<NaiveDate>,
    /// The last day it was held.
    pub ended_on: Option<NaiveDate>,
    /// Why it ended.
    pub end_reason: Option<EndReason>,
    /// Anything more said when it ended.
    pub end_note: Option<String>,
    /// Why the nomination was withdrawn.
    pub withdrawal_reason: Option<String>,
    /// For a nomination or a seat held: the courses the body requires that the
    /// member does not hold today (never completed, or lapsed).
    pub training_gaps: Vec<TrainingGapView>,
    /// When it was nominated (RFC 3339, UTC).
    pub recorded_at: String,
    /// When it last changed (RFC 3339, UTC).
    pub updated_at: String,
}

impl AppointmentView {
    /// The appointment as the contract shows it.
    pub fn new(id: Uuid, a: Appointment, stored: Stored<'_>) -> Result<Self, Unrecorded> {
        let unnominated = || Unrecorded { record: "appointment", id };
        Ok(Self {
            id,
            version: stored.version,
            status: a.status.try_into().map_err(|_| unnominated())?,
            body_id: a.body_id.ok_or_else(unnominated)?,
            member_id: a.member_id.ok_or_else(unnominated)?,
            role_title: a.role_title.map(|t| t.to_string()),
            term_starts_on: a.term_starts_on.ok_or_else(unnominated)?,
            term_ends_on: a.term_ends_on,
            classification: a.classification.ok_or_else(unnominated)?.into(),
            confirmed_on: a.confirmed_on,
            ended_on: a.ended_on,
            end_reason: a.end_reason.map(Into::into),
            end_note: a.end_note.map(|n| n.to_string()),
            withdrawal_reason: a.withdrawal_reason.map(|r| r.to_string()),
            training_gaps: Vec::new(),
            recorded_at: stored.created_at.to_owned(),
            updated_at: stored.updated_at.to_owned(),
        })
    }
}

/// A page of the appointments register.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AppointmentPage {
    /// The appointments, oldest first.
    pub items: Vec<AppointmentView>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// Filters for the appointments register.
#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AppointmentFilters {
    /// Only appointments to this body.
    pub body_id: Option<Uuid>,
    /// Only appointments of this member.
    pub member_id: Option<Uuid>,
    /// Only appointments in this status.
    #[param(inline)]
    pub status: Option<AppointmentStatus>,
    /// Only appointments whose term ends between today and this many days from
    /// today; unless `status` is given, only nominated and current ones.
    #[param(inline)]
    pub ending_within_days: Option<DaysAhead>,
    /// Continue from the `next_cursor` of the previous page.
    #[param(inline)]
    pub cursor: Option<Cursor>,
    /// Page size, 1 to 200 (default 50).
    #[param(inline)]
    pub limit: Option<PageLimit>,
    /// The register as it stood at this instant, rebuilt from the events recorded by then.
    pub as_of: Option<DateTime<Utc>>,
}
