//! `/bodies`: the bodies the group fills seats on, who holds their seats, and
//! the vacancies register.

use std::collections::HashMap;

use super::Routes;
use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::{
    AppState,
    appointments::{self, AppointmentView},
    classification::ClassificationDto,
    command::{self, RecordView, Write, record_command},
    listing::{self, PageParams},
};
use crate::auth::{Caller, Operation};
use crate::domain::{
    Classification,
    body::{Body, BodyChanges, BodyCommand, BodyKind, BodyStatus, MAX_SEATS},
};
use crate::http::{
    ApiError, CommandErrors, Fields, IdempotencyKey, IfMatch, JsonBody, ListErrors, ReadErrors,
};
use crate::store::{
    command_bus::Expectation,
    records::{self, RecordFilter, RecordQuery, StoredRecord},
};

pub fn configure(config: &mut Routes) {
    config
        .service(establish_body)
        .service(list_bodies)
        .service(get_body)
        .service(update_body)
        .service(dissolve_body)
        .service(list_body_holders)
        .service(list_vacancies);
}

/// What kind of body it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BodyKindDto {
    /// A committee of the council (Cabinet, a scrutiny or regulatory committee).
    CouncilCommittee,
    /// A body outside the council that the council appoints to.
    OutsideBody,
    /// One of the group's own posts (Leader, Chief Whip, ...).
    GroupPost,
}

impl From<BodyKindDto> for BodyKind {
    fn from(dto: BodyKindDto) -> Self {
        match dto {
            BodyKindDto::CouncilCommittee => Self::CouncilCommittee,
            BodyKindDto::OutsideBody => Self::OutsideBody,
            BodyKindDto::GroupPost => Self::GroupPost,
        }
    }
}

impl From<BodyKind> for BodyKindDto {
    fn from(kind: BodyKind) -> Self {
        match kind {
            BodyKind::CouncilCommittee => Self::CouncilCommittee,
            BodyKind::OutsideBody => Self::OutsideBody,
            BodyKind::GroupPost => Self::GroupPost,
        }
    }
}

/// Where a body stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BodyStatusDto {
    /// The group fills seats on it.
    Active,
    /// Dissolved.
    Dissolved,
}

impl BodyStatusDto {
    fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Dissolved => "dissolved",
        }
    }
}

/// Establish a body the group fills seats on.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EstablishBodyRequest {
    /// The body's name, up to 200 characters.
    pub name: String,
    /// What kind of body it is.
    pub kind: BodyKindDto,
    /// How many seats the group fills, 1 to 100.
    pub seats: u16,
    /// What the body does, up to 2,000 characters.
    #[serde(default)]
    pub description: Option<String>,
    /// Who may read it.
    pub classification: ClassificationDto,
}

impl EstablishBodyRequest {
    fn parse(&self, caller: &Caller) -> Result<BodyCommand, ApiError> {
        let mut fields = Fields::new();
        let name = fields.text("/name", &self.name);
        let seats = fields.range("/seats", self.seats, 1, MAX_SEATS);
        let description = fields.optional_text("/description", self.description.as_deref());
        Ok(fields.finish(|| {
            Some(BodyCommand::EstablishBody {
                group_id: caller.group_id.clone(),
                name: name?,
                kind: self.kind.into(),
                seats: seats?,
                description: description?,
                classification: self.classification.into(),
            })
        })?)
    }
}

/// Change a body's name, seats or description; absent fields stay as they are.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateBodyRequest {
    /// A new name, up to 200 characters.
    #[serde(default)]
    pub name: Option<String>,
    /// A new number of seats, 1 to 100.
    #[serde(default)]
    pub seats: Option<u16>,
    /// A new description, up to 2,000 characters.
    #[serde(default)]
    pub description: Option<String>,
}

/// Dissolve a body.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DissolveBodyRequest {
    /// The day it was dissolved.
    pub on: NaiveDate,
    /// Why, up to 2,000 characters.
    pub reason: String,
}

/// A body the group fills seats on.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BodyView {
    /// The body's id.
    pub id: Uuid,
    /// Its version; also its ETag.
    pub version: u64,
    /// Where it stands.
    pub status: BodyStatusDto,
    /// The body's name.
    pub name: String,
    /// What kind of body it is.
    pub kind: BodyKindDto,
    /// How many seats the group fills.
    pub seats: u16,
    /// What the body does.
    pub description: Option<String>,
    /// Who may read it.
    pub classification: ClassificationDto,
    /// The day it was dissolved.
    pub dissolved_on: Option<NaiveDate>,
    /// Why it was dissolved.
    pub dissolution_reason: Option<String>,
    /// When it was established (RFC 3339, UTC).
    pub recorded_at: String,
    /// When it last changed (RFC 3339, UTC).
    pub updated_at: String,
}

impl RecordView for BodyView {
    type Record = Body;
    const NAME: &'static str = "body";
    const COLLECTION: &'static str = "/bodies";

    fn from_stored(id: Uuid, b: Body, stored: &StoredRecord) -> Result<Self, ApiError> {
        let unestablished =
            || ApiError::internal(anyhow::anyhow!("body {id} in the read model is unestablished"));
        let status = match b.status {
            BodyStatus::Unestablished => return Err(unestablished()),
            BodyStatus::Active => BodyStatusDto::Active,
            BodyStatus::Dissolved => BodyStatusDto::Dissolved,
        };
        Ok(Self {
            id,
            version: stored.version as u64,
            status,
            name: b.name.ok_or_else(unestablished)?.to_string(),
            kind: b.kind.ok_or_else(unestablished)?.into(),
            seats: b.seats,
            description: b.description.map(|d| d.to_string()),
            classification: b.classification.ok_or_else(unestablished)?.into(),
            dissolved_on: b.dissolved_on,
            dissolution_reason: b.dissolution_reason.map(|r| r.to_string()),
            recorded_at: stored.created_at.clone(),
            updated_at: stored.updated_at.clone(),
        })
    }
}

/// A page of the bodies register.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BodyPage {
    /// The bodies, oldest first.
    pub items: Vec<BodyView>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// Filters for the bodies register.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct BodyFilters {
    /// Only bodies in this status.
    pub status: Option<BodyStatusDto>,
    /// Continue from the `next_cursor` of the previous page.
    #[param(inline)]
    pub cursor: Option<caucus_wire::Cursor>,
    /// Page size, 1 to 200 (default 50).
    #[param(inline)]
    pub limit: Option<caucus_wire::PageLimit>,
    /// The register as it stood at this instant, rebuilt from the events recorded by then.
    pub as_of: Option<DateTime<Utc>>,
}

/// Who holds, or is nominated to, the seats of one body.
#[derive(Debug, Clone, Serialize, ToSchema)]
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
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VacancyView {
    /// The body's id.
    pub body_id: Uuid,
    /// The body's name.
    pub name: String,
    /// What kind of body it is.
    pub kind: BodyKindDto,
    /// How many seats the group fills.
    pub seats: u16,
    /// How many seats are held or have a nomination.
    pub filled: u16,
    /// How many seats are free.
    pub vacant: u16,
}

/// The vacancies register.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VacancyList {
    /// Active bodies with free seats, in the order they were established.
    pub items: Vec<VacancyView>,
}

/// How many seats of each body are held or nominated to, by body id. Every
/// appointment counts, whatever its classification: a seat is taken even if
/// the caller may not read who took it.
pub(crate) async fn filled_seats(
    state: &AppState,
    caller: &Caller,
    body_id: Option<Uuid>,
) -> Result<HashMap<Uuid, u16>, ApiError> {
    let holders = records::list_all(
        &state.db,
        &RecordQuery::new(
            &caller.group_id,
            <crate::domain::appointment::Appointment as cqrs_es::Aggregate>::TYPE,
            &Classification::ALL,
        )
        .filtered(RecordFilter {
            statuses: appointments::HOLDING,
            body_id,
            ..RecordFilter::default()
        }),
    )
    .await?;
    let mut filled = HashMap::new();
    for stored in &holders {
        let appointment = command::view_of::<AppointmentView>(stored)?;
        *filled.entry(appointment.body_id).or_insert(0_u16) += 1;
    }
    Ok(filled)
}

/// Establish a body.
#[utoipa::path(
    tag = "bodies",
    operation_id = "establish_body",
    summary = "Establish a body the group fills seats on: a committee, an outside body or a group post",
    request_body = EstablishBodyRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retry safely: a repeat with the same key records nothing new")),
    responses((status = 201, description = "Established", body = BodyView), CommandErrors),
    security(("bearer" = []))
)]
#[post("/bodies")]
async fn establish_body(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    key: IdempotencyKey,
    body: JsonBody<EstablishBodyRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::EstablishBody)?;
    let command = body.value.parse(&caller)?;
    command::execute::<BodyView>(Write::create(&state, &caller, &request, &key, &body.raw, command)).await
}

/// List bodies.
#[utoipa::path(
    tag = "bodies",
    operation_id = "list_bodies",
    summary = "The bodies register, oldest first, filtered by status",
    params(BodyFilters),
    responses((status = 200, description = "A page of bodies", body = BodyPage), ListErrors),
    security(("bearer" = []))
)]
#[get("/bodies")]
async fn list_bodies(
    state: web::Data<AppState>,
    caller: Caller,
    filters: web::Query<BodyFilters>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::ListBodies)?;
    let paging = PageParams { cursor: filters.cursor.clone(), limit: filters.limit, as_of: filters.as_of };
    let statuses: Vec<&str> = filters.status.iter().map(|s| s.as_str()).collect();
    let (items, next_cursor) = listing::page_of::<BodyView>(
        &state,
        &caller,
        &paging,
        RecordFilter { statuses: &statuses, ..RecordFilter::default() },
    )
    .await?;
    Ok(HttpResponse::Ok().json(BodyPage { items, next_cursor }))
}

/// Read one body.
#[utoipa::path(
    tag = "bodies",
    operation_id = "get_body",
    summary = "One body; the ETag is its version",
    params(("id" = Uuid, Path, description = "The body's id"), command::AsOf),
    responses((status = 200, description = "The body", body = BodyView), ReadErrors),
    security(("bearer" = []))
)]
#[get("/bodies/{id}")]
async fn get_body(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    at: web::Query<command::AsOf>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::GetBody)?;
    command::read_one::<BodyView>(&state, &caller, *id, &at).await
}

/// Who holds a body's seats.
#[utoipa::path(
    tag = "bodies",
    operation_id = "list_body_holders",
    summary = "The current and nominated appointments to one body, with its free seats",
    params(("id" = Uuid, Path, description = "The body's id")),
    responses((status = 200, description = "The body's holders", body = BodyHolders), ReadErrors),
    security(("bearer" = []))
)]
#[get("/bodies/{id}/holders")]
async fn list_body_holders(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::ListBodyHolders)?;
    let (body, _) = command::find::<BodyView>(&state, &caller, *id).await?;
    let readable = Classification::readable_set(&caller.roles);
    let holders = records::list_all(
        &state.db,
        &RecordQuery::new(
            &caller.group_id,
            <crate::domain::appointment::Appointment as cqrs_es::Aggregate>::TYPE,
            &readable,
        )
        .filtered(RecordFilter {
            statuses: appointments::HOLDING,
            body_id: Some(body.id),
            ..RecordFilter::default()
        }),
    )
    .await?;
    let items: Vec<AppointmentView> =
        holders.iter().map(command::view_of::<AppointmentView>).collect::<Result<_, _>>()?;
    let filled = filled_seats(&state, &caller, Some(body.id)).await?.get(&body.id).copied().unwrap_or(0);
    Ok(HttpResponse::Ok().json(BodyHolders {
        body_id: body.id,
        seats: body.seats,
        vacant: body.seats.saturating_sub(filled),
        items,
    }))
}

/// The vacancies register.
#[utoipa::path(
    tag = "bodies",
    operation_id = "list_vacancies",
    summary = "Every active body with a seat that has neither a current appointment nor a nomination",
    responses((status = 200, description = "The bodies with free seats", body = VacancyList), ListErrors),
    security(("bearer" = []))
)]
#[get("/vacancies")]
async fn list_vacancies(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::ListVacancies)?;
    let readable = Classification::readable_set(&caller.roles);
    let bodies = records::list_all(
        &state.db,
        &RecordQuery::new(&caller.group_id, <Body as cqrs_es::Aggregate>::TYPE, &readable).filtered(
            RecordFilter { statuses: &[BodyStatusDto::Active.as_str()], ..RecordFilter::default() },
        ),
    )
    .await?;
    let filled = filled_seats(&state, &caller, None).await?;
    let mut items = Vec::new();
    for stored in &bodies {
        let body = command::view_of::<BodyView>(stored)?;
        let taken = filled.get(&body.id).copied().unwrap_or(0);
        if taken < body.seats {
            items.push(VacancyView {
                body_id: body.id,
                name: body.name,
                kind: body.kind,
                seats: body.seats,
                filled: taken,
                vacant: body.seats - taken,
            });
        }
    }
    Ok(HttpResponse::Ok().json(VacancyList { items }))
}

record_command!(
    BodyView,
    BodyCommand,
    "bodies",
    update_body,
    UpdateBody,
    patch,
    "/bodies/{id}",
    "Rename a body, change its seats or its description; a change that changes nothing is refused",
    UpdateBodyRequest,
    |caller, state, value, id| {
        let mut fields = Fields::new();
        let name = fields.optional_text("/name", value.name.as_deref());
        let seats = match value.seats {
            None => Some(None),
            Some(seats) => fields.range("/seats", seats, 1, MAX_SEATS).map(Some),
        };
        let description = fields.optional_text("/description", value.description.as_deref());
        fields.finish(|| {
            Some(BodyCommand::UpdateBody(BodyChanges {
                name: name?,
                seats: seats?,
                description: description?,
            }))
        })
    }
);

record_command!(
    BodyView,
    BodyCommand,
    "bodies",
    dissolve_body,
    DissolveBody,
    post,
    "/bodies/{id}/dissolution",
    "Dissolve a body",
    DissolveBodyRequest,
    |caller, state, value, id| {
        let mut fields = Fields::new();
        let reason = fields.text("/reason", &value.reason);
        fields.finish(|| Some(BodyCommand::DissolveBody { on: value.on, reason: reason? }))
    }
);
