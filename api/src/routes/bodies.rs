//! `/bodies`: the bodies the group fills seats on, who holds their seats, and
//! the vacancies register.

use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use caucus_wire::ReadOn;
use caucus_wire::{
    ParseRequest,
    appointments::AppointmentView,
    bodies::{
        BodyFilters, BodyHolders, BodyPage, BodyView, DissolveBodyRequest, EstablishBodyRequest,
        UpdateBodyRequest, VacancyList, VacancyView,
    },
};
use uuid::Uuid;

use super::{
    AppState, Routes,
    command::{self, RecordView, Write, record_command},
    listing::{self, PageParams},
};
use crate::app::seats;
use crate::auth::{Caller, Operation};
use crate::domain::{
    Classification,
    body::{Body, BodyCommand, BodyStatus},
};
use crate::http::{
    ApiError, CommandErrors, Fields, IdempotencyKey, IfMatch, JsonBody, ListErrors, Query, ReadErrors,
};
use crate::store::records::{self, RecordFilter, RecordQuery, StoredRecord};

impl RecordView for BodyView {
    type Record = Body;
    const NAME: &'static str = "body";
    const COLLECTION: &'static str = "/bodies";

    fn from_stored(id: Uuid, record: Body, stored: &StoredRecord, _on: ReadOn<'_>) -> Result<Self, ApiError> {
        BodyView::new(id, record, command::stored(stored)).map_err(ApiError::internal)
    }
}

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

/// Establish a body.
#[utoipa::path(
    tag = "bodies",
    operation_id = "establish_body",
    summary = "Establish a body the group fills seats on: a committee, an outside body or a group post",
    request_body = EstablishBodyRequest,
    params(("Idempotency-Key" = inline(Option<caucus_wire::IdempotencyKeyValue>), Header, description = "Retry safely: a repeat with the same key records nothing new")),
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
    let command = body.value.parse(caller.group_id.clone())?;
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
    filters: Query<BodyFilters>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::ListBodies)?;
    let paging = PageParams {
        cursor: filters.cursor.clone(),
        limit: filters.limit,
        as_of: filters.as_of,
        newest_first: false,
    };
    let statuses: Vec<&str> = filters.status.iter().map(|s| BodyStatus::from(*s).as_str()).collect();
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
    at: Query<command::AsOf>,
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
    let scope = command::scope(&state, &caller);
    let holders = seats::holders(&scope, &scope.readable, Some(body.id)).await?;
    let items: Vec<AppointmentView> = holders
        .iter()
        .map(|h| command::view_of::<AppointmentView>(h, state.read_on()))
        .collect::<Result<_, _>>()?;
    let filled = seats::filled(&scope, Some(body.id)).await?.get(&body.id).copied().unwrap_or(0);
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
        &RecordQuery::new(&caller.group_id, <Body as cqrs_es::Aggregate>::TYPE, &readable)
            .filtered(RecordFilter { statuses: &[BodyStatus::Active.as_str()], ..RecordFilter::default() }),
    )
    .await?;
    let filled = seats::filled(&command::scope(&state, &caller), None).await?;
    let mut items = Vec::new();
    for stored in &bodies {
        let body = command::view_of::<BodyView>(stored, state.read_on())?;
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
    |caller, state, value, id| { value.parse().map(BodyCommand::UpdateBody) }
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
        let reason = fields.check("/reason", &value.reason);
        fields.finish(|| Some(BodyCommand::DissolveBody { on: value.on, reason: reason? }))
    }
);
