//! `/bodies`: the bodies the group fills seats on, who holds their seats, and
//! the vacancies register.

use caucus_domain::{
    GroupId,
    body::{Body, BodyChanges, BodyCommand},
};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::appointments::AppointmentView;
use crate::common::{ChosenClassification, Classification, Cursor, PageLimit, Stored, Unrecorded};
use crate::input::{NoteText, Seats, TitleText};
use crate::mirror::mirror;
use crate::{Fields, Invalid, ParseRequest};

mirror! {
    /// What kind of body it is.
    pub enum BodyKind = caucus_domain::body::BodyKind {
        /// A committee of the council (Cabinet, a scrutiny or regulatory committee).
        CouncilCommittee,
        /// A body outside the council that the council appoints to.
        OutsideBody,
        /// One of the group's own posts (Leader, Chief Whip, ...).
        GroupPost,
    }
}

mirror! {
    /// What the group does when a member is nominated to, or confirmed on, the
    /// body without holding every course it requires.
    pub enum TrainingGate = caucus_domain::body::TrainingGate {
        /// Record it; the appointment and My work show the missing courses.
        Warn,
        /// Refuse it (409) until the member holds them.
        Refuse,
    }
}

mirror! {
    /// Where a body stands.
    pub enum BodyStatus = caucus_domain::body::BodyStatus {
        /// The group fills seats on it.
        Active,
        /// Dissolved.
        Dissolved,
    }
    internal { Unestablished }
}

/// Establish a body the group fills seats on.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EstablishBodyRequest {
    /// The body's name.
    pub name: TitleText,
    /// What kind of body it is.
    pub kind: BodyKind,
    /// How many seats the group fills.
    pub seats: Seats,
    /// What the body does.
    #[serde(default)]
    pub description: Option<NoteText>,
    /// Who may read it.
    pub classification: ChosenClassification,
    /// Whether missing training warns (the default) or refuses.
    #[serde(default)]
    pub training_gate: Option<TrainingGate>,
}

impl EstablishBodyRequest {
    /// The command establishing the body for `group_id`.
    pub fn parse(&self, group_id: GroupId) -> Result<BodyCommand, Invalid> {
        let mut fields = Fields::new();
        let name = fields.check("/name", &self.name);
        let seats = fields.check("/seats", &self.seats);
        let description = fields.check_optional("/description", self.description.as_ref());
        fields.finish(|| {
            Some(BodyCommand::EstablishBody {
                group_id,
                name: name?,
                kind: self.kind.into(),
                seats: seats?,
                description: description?,
                classification: self.classification.into(),
                training_gate: self.training_gate.unwrap_or(TrainingGate::Warn).into(),
            })
        })
    }
}

/// Change a body's name, seats, description or training gate; absent fields
/// stay as they are.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateBodyRequest {
    /// A new name.
    #[serde(default)]
    pub name: Option<TitleText>,
    /// A new number of seats.
    #[serde(default)]
    pub seats: Option<Seats>,
    /// A new description.
    #[serde(default)]
    pub description: Option<NoteText>,
    /// Whether missing training now warns or refuses.
    #[serde(default)]
    pub training_gate: Option<TrainingGate>,
}

impl ParseRequest for UpdateBodyRequest {
    type Parsed = BodyChanges;

    fn parse_fields(&self, fields: &mut Fields) -> Option<BodyChanges> {
        let name = fields.check_optional("/name", self.name.as_ref());
        let seats = fields.check_optional("/seats", self.seats.as_ref());
        let description = fields.check_optional("/description", self.description.as_ref());
        Some(BodyChanges {
            name: name?,
            seats: seats?,
            description: description?,
            training_gate: self.training_gate.map(Into::into),
        })
    }
}

/// Dissolve a body.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DissolveBodyRequest {
    /// The day it was dissolved.
    pub on: NaiveDate,
    /// Why.
    pub reason: NoteText,
}

/// A body the group fills seats on.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct BodyView {
    /// The body's id.
    pub id: Uuid,
    /// Its version; also its ETag.
    pub version: u64,
    /// Where it stands.
    pub status: BodyStatus,
    /// The body's name.
    pub name: String,
    /// What kind of body it is.
    pub kind: BodyKind,
    /// How many seats the group fills.
    pub seats: u16,
    /// What the body does.
    pub description: Option<String>,
    /// Who may read it.
    pub classification: Classification,
    /// Whether missing training warns or refuses.
    pub training_gate: TrainingGate,
    /// The day it was dissolved.
    pub dissolved_on: Option<NaiveDate>,
    /// Why it was dissolved.
    pub dissolution_reason: Option<String>,
    /// When it was established (RFC 3339, UTC).
    pub recorded_at: String,
    /// When it last changed (RFC 3339, UTC).
    pub updated_at: String,
}

impl BodyView {
    /// The body as the contract shows it.
    pub fn new(id: Uuid, b: Body, stored: Stored<'_>) -> Result<Self, Unrecorded> {
        let unestablished = || Unrecorded { record: "body", id };
        Ok(Self {
            id,
            version: stored.version,
            status: b.status.try_into().map_err(|_| unestablished())?,
            name: b.name.ok_or_else(unestablished)?.to_string(),
            kind: b.kind.ok_or_else(unestablished)?.into(),
            seats: b.seats,
            description: b.description.map(|d| d.to_string()),
            classification: b.classification.ok_or_else(unestablished)?.into(),
            training_gate: b.training_gate.into(),
            dissolved_on: b.dissolved_on,
            dissolution_reason: b.dissolution_reason.map(|r| r.to_string()),
            recorded_at: stored.created_at.to_owned(),
            updated_at: stored.updated_at.to_owned(),
        })
    }
}

/// A page of the bodies register.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct BodyPage {
    /// The bodies, oldest first.
    pub items: Vec<BodyView>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// Filters for the bodies register.
#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct BodyFilters {
    /// Only bodies in this status.
    #[param(inline)]
    pub status: Option<BodyStatus>,
    /// Continue from the `next_cursor` of the previous page.
    #[param(inline)]
    pub cursor: Option<Cursor>,
    /// Page size, 1 to 200 (default 50).
    #[param(inline)]
    pub limit: Option<PageLimit>,
    /// The register as it stood at this instant, rebuilt from the events recorded by then.
    pub as_of: Option<DateTime<Utc>>,
}

/// Who holds, or is nominated to, the seats of one body.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct BodyHolders {
    /// The body's id.
    pub body_id: Uuid,
    /// How many seats the group fills.
    pub seats: u16,
    /// How many seats have neither a current appointment nor a nomination.
    pub vacant: u16,
    /// The current and nominated appointments, oldest first.
    pub items: Vec<AppointmentView>,
}

/// One active body with at least one seat free.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct VacancyView {
    /// The body's id.
    pub body_id: Uuid,
    /// The body's name.
    pub name: String,
    /// What kind of body it is.
    pub kind: BodyKind,
    /// How many seats the group fills.
    pub seats: u16,
    /// How many seats are held or have a nomination.
    pub filled: u16,
    /// How many seats are free.
    pub vacant: u16,
}

/// The vacancies register.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct VacancyList {
    /// Active bodies with free seats, in the order they were established.
    pub items: Vec<VacancyView>,
}
