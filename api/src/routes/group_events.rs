//! `/group-events`: the group's seminars, away days, training sessions,
//! conferences and socials. Members take places (councillors their own; the
//! office anyone's), wait when it is full, and take up places offered from
//! the waiting list before the offer lapses; the office keeps the register.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use caucus_wire::{
    ListOrder, ParseRequest, ReadOn,
    group_events::{
        CancelGroupEventRequest, EventCapacityRequest, EventMemberRequest, GroupEventFilters, GroupEventPage,
        GroupEventView, PlanGroupEventRequest, RecordEventAttendanceRequest,
    },
};
use chrono::Utc;
use uuid::Uuid;

use super::{
    AppState, Routes,
    command::{self, RecordView, Write, record_command},
    listing::{self, PageParams},
};
use crate::app::{group_events, references};
use crate::auth::{Caller, Operation};
use crate::domain::{
    group_event::{EventKind, GroupEvent, GroupEventCommand, GroupEventStatus as Status},
    member::Member,
    tag,
};
use crate::http::{
    ApiError, CommandErrors, Fields, IdempotencyKey, IfMatch, JsonBody, ListErrors, Query, ReadErrors,
};
use crate::store::{
    command_bus::Expectation,
    records::{RecordFilter, StoredRecord},
};

impl RecordView for GroupEventView {
    type Record = GroupEvent;
    const NAME: &'static str = "group event";
    const COLLECTION: &'static str = "/group-events";

    fn from_stored(
        id: Uuid,
        record: GroupEvent,
        stored: &StoredRecord,
        on: ReadOn<'_>,
    ) -> Result<Self, ApiError> {
        GroupEventView::new(id, &record, command::stored(stored), on).map_err(ApiError::internal)
    }
}

pub fn configure(config: &mut Routes) {
    config
        .service(plan_group_event)
        .service(list_group_events)
        .service(get_group_event)
        .service(change_group_event_capacity)
        .service(register_for_group_event)
        .service(withdraw_from_group_event)
        .service(accept_group_event_place)
        .service(record_group_event_attendance)
        .service(cancel_group_event);
}

/// Plan an event.
#[utoipa::path(
    tag = "group events",
    operation_id = "plan_group_event",
    summary = "Put a group event in the diary: a seminar, away day, training session, conference or social, with its capacity and who is invited",
    request_body = PlanGroupEventRequest,
    params(("Idempotency-Key" = inline(Option<caucus_wire::IdempotencyKeyValue>), Header, description = "Retry safely: a repeat with the same key records nothing new")),
    responses((status = 201, description = "Planned", body = GroupEventView), CommandErrors),
    security(("bearer" = []))
)]
#[post("/group-events")]
async fn plan_group_event(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    key: IdempotencyKey,
    body: JsonBody<PlanGroupEventRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::PlanGroupEvent)?;
    let mut fields = Fields::new();
    let draft = body.value.parse_fields(&mut fields);
    if let Some(draft) = &draft {
        group_events::check_new(&command::scope(&state, &caller), draft, &mut fields).await?;
    }
    let draft = fields.finish(|| draft)?;
    let command = GroupEventCommand::PlanEvent { group_id: caller.group_id.clone(), draft: Box::new(draft) };
    command::execute::<GroupEventView>(Write::create(&state, &caller, &request, &key, &body.raw, command))
        .await
}

/// List events.
#[utoipa::path(
    tag = "group events",
    operation_id = "list_group_events",
    summary = "The group's events in the order they were planned, by status, kind, or a member's places",
    params(GroupEventFilters),
    responses((status = 200, description = "A page of events", body = GroupEventPage), ListErrors),
    security(("bearer" = []))
)]
#[get("/group-events")]
async fn list_group_events(
    state: web::Data<AppState>,
    caller: Caller,
    filters: Query<GroupEventFilters>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::ListGroupEvents)?;
    let paging = PageParams {
        cursor: filters.cursor.clone(),
        limit: filters.limit,
        as_of: filters.as_of,
        newest_first: ListOrder::newest_first(filters.order),
    };
    let statuses: Vec<&str> = filters.status.iter().map(|s| Status::from(*s).as_str()).collect();
    let mut tags = Vec::new();
    tags.extend(filters.member_id.map(|member| tag("member", member)));
    tags.extend(filters.kind.map(|kind| tag("kind", EventKind::from(kind).as_str())));
    let (items, next_cursor) = listing::page_of::<GroupEventView>(
        &state,
        &caller,
        &paging,
        RecordFilter { statuses: &statuses, tags: &tags, ..RecordFilter::default() },
    )
    .await?;
    Ok(HttpResponse::Ok().json(GroupEventPage { items, next_cursor }))
}

/// Read one event.
#[utoipa::path(
    tag = "group events",
    operation_id = "get_group_event",
    summary = "One event with its places, waiting list, offers and register; the ETag is its version",
    params(("id" = Uuid, Path, description = "The event's id"), command::AsOf),
    responses((status = 200, description = "The event", body = GroupEventView), ReadErrors),
    security(("bearer" = []))
)]
#[get("/group-events/{id}")]
async fn get_group_event(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    at: Query<command::AsOf>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::GetGroupEvent)?;
    command::read_one::<GroupEventView>(&state, &caller, *id, &at).await
}

record_command!(
    GroupEventView,
    GroupEventCommand,
    "group events",
    change_group_event_capacity,
    ChangeGroupEventCapacity,
    post,
    "/group-events/{id}/capacity",
    "Change how many may come: fewer sends the last registered to the head of the waiting list, more offers places to the first on it",
    EventCapacityRequest,
    |caller, state, value, id| {
        let mut fields = Fields::new();
        if value.capacity == Some(0) {
            fields.reject("/capacity", "must be at least 1 (or null, for no limit)");
        }
        fields.finish(|| Some(GroupEventCommand::ChangeCapacity { capacity: value.capacity, at: Utc::now() }))
    }
);

record_command!(
    GroupEventView,
    GroupEventCommand,
    "group events",
    register_for_group_event,
    RegisterForGroupEvent,
    post,
    "/group-events/{id}/registrations",
    "Register an invited member (councillors: themselves): a place if one is free, else the end of the waiting list",
    EventMemberRequest,
    |caller, state, value, id| {
        caller.require_own(value.member_id, "register, withdraw or take up a place")?;
        let scope = command::scope(&state, &caller);
        let event =
            references::find::<GroupEvent>(&scope, id).await?.ok_or(ApiError::NotFound("group event"))?;
        let mut fields = Fields::new();
        group_events::check_invited(&scope, &event, value.member_id, &mut fields).await?;
        fields.finish(|| Some(GroupEventCommand::Register { member_id: value.member_id, at: Utc::now() }))
    }
);

record_command!(
    GroupEventView,
    GroupEventCommand,
    "group events",
    withdraw_from_group_event,
    WithdrawFromGroupEvent,
    post,
    "/group-events/{id}/withdrawals",
    "A member (councillors: themselves) gives up their place, which is offered to the first waiting, leaves the waiting list, or declines a place offered",
    EventMemberRequest,
    |caller, state, value, id| {
        caller.require_own(value.member_id, "register, withdraw or take up a place")?;
        Ok::<_, ApiError>(GroupEventCommand::Withdraw { member_id: value.member_id, at: Utc::now() })
    }
);

record_command!(
    GroupEventView,
    GroupEventCommand,
    "group events",
    accept_group_event_place,
    AcceptGroupEventPlace,
    post,
    "/group-events/{id}/acceptances",
    "A member (councillors: themselves) takes up the place offered to them before the offer lapses",
    EventMemberRequest,
    |caller, state, value, id| {
        caller.require_own(value.member_id, "register, withdraw or take up a place")?;
        Ok::<_, ApiError>(GroupEventCommand::AcceptOffer { member_id: value.member_id, at: Utc::now() })
    }
);

/// Record an event's attendance.
#[utoipa::path(
    tag = "group events",
    operation_id = "record_group_event_attendance",
    summary = "Record who came, once the event has started: the register is the evidence of attendance, and completes a training event's courses for those present",
    request_body = RecordEventAttendanceRequest,
    params(
        ("id" = Uuid, Path, description = "The event's id"),
        ("If-Match" = inline(Option<caucus_wire::IfMatchValue>), Header, description = "The ETag you last read; a stale one is refused with 409"),
        ("Idempotency-Key" = inline(Option<caucus_wire::IdempotencyKeyValue>), Header, description = "Retry safely: a repeat with the same key records nothing new")
    ),
    responses((status = 200, description = "The event as it now stands", body = GroupEventView), CommandErrors),
    security(("bearer" = []))
)]
#[post("/group-events/{id}/attendance")]
async fn record_group_event_attendance(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    key: IdempotencyKey,
    if_match: IfMatch,
    id: web::Path<Uuid>,
    body: JsonBody<RecordEventAttendanceRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::RecordGroupEventAttendance)?;
    let id = *id;
    let scope = command::scope(&state, &caller);
    let mut fields = Fields::new();
    for (index, entry) in body.value.entries.iter().enumerate() {
        let pointer = format!("/entries/{index}/member_id");
        references::check_exists::<Member>(&scope, entry.member_id, &pointer, "member", &mut fields).await?;
    }
    let entries: Vec<_> = body.value.entries.iter().map(|e| (e.member_id, e.attendance.into())).collect();
    let entries = fields.finish(|| Some(entries))?;
    let write = Write::create(&state, &caller, &request, &key, &body.raw, ()).on_existing(id, if_match.0);
    let zone = state.motion_deadline.zone;
    command::execute_operation::<GroupEventView>(write, async |context| {
        let target = (id, Expectation::Existing(if_match.0));
        group_events::record_attendance(&scope, (&state.bus, context), target, (entries, Utc::now()), zone)
            .await
    })
    .await
}

record_command!(
    GroupEventView,
    GroupEventCommand,
    "group events",
    cancel_group_event,
    CancelGroupEvent,
    post,
    "/group-events/{id}/cancellation",
    "Call an event off, giving the reason",
    CancelGroupEventRequest,
    |caller, state, value, id| {
        let mut fields = Fields::new();
        let reason = fields.check("/reason", &value.reason);
        fields.finish(|| Some(GroupEventCommand::CancelEvent { reason: reason?, at: Utc::now() }))
    }
);
