//! `/briefings`: briefing and speaking notes against an agenda item, a forward
//! plan item or a motion, each revision kept as a numbered version.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use caucus_wire::briefings::{
    BriefingFilters, BriefingPage, BriefingView, ReviseBriefingRequest, WithdrawBriefingRequest,
    WriteBriefingRequest,
};
use caucus_wire::{ListOrder, ReadOn};
use uuid::Uuid;

use super::{
    AppState, Routes,
    command::{self, RecordView, Write, record_command},
    listing::{self, PageParams},
};
use crate::app::{
    briefings::{self, SubjectIds},
    references,
};
use crate::auth::{Caller, Operation};
use crate::domain::briefing::{Briefing, BriefingCommand, BriefingDraft};
use crate::http::{
    ApiError, CommandErrors, Fields, IdempotencyKey, IfMatch, JsonBody, ListErrors, Query, ReadErrors,
};
use crate::store::records::{RecordFilter, StoredRecord};

impl RecordView for BriefingView {
    type Record = Briefing;
    const NAME: &'static str = "briefing";
    const COLLECTION: &'static str = "/briefings";

    fn from_stored(
        id: Uuid,
        record: Briefing,
        stored: &StoredRecord,
        _on: ReadOn<'_>,
    ) -> Result<Self, ApiError> {
        BriefingView::new(id, record, command::stored(stored)).map_err(ApiError::internal)
    }
}

pub fn configure(config: &mut Routes) {
    config
        .service(write_briefing)
        .service(list_briefings)
        .service(get_briefing)
        .service(revise_briefing)
        .service(withdraw_briefing);
}

/// Write a note.
#[utoipa::path(
    tag = "briefings",
    operation_id = "write_briefing",
    summary = "Write a briefing or speaking note on an agenda item, a forward plan item or a motion",
    request_body = WriteBriefingRequest,
    params(("Idempotency-Key" = inline(Option<caucus_wire::IdempotencyKeyValue>), Header, description = "Retry safely: a repeat with the same key records nothing new")),
    responses((status = 201, description = "Written", body = BriefingView), CommandErrors),
    security(("bearer" = []))
)]
#[post("/briefings")]
async fn write_briefing(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    key: IdempotencyKey,
    body: JsonBody<WriteBriefingRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::WriteBriefing)?;
    let value = &body.value;
    let mut fields = Fields::new();
    let title = fields.check("/title", &value.title);
    let text = fields.check("/body", &value.body);
    let scope = command::scope(&state, &caller);
    let s = value.subject;
    let ids = SubjectIds {
        meeting_id: s.meeting_id,
        item_id: s.item_id,
        forward_plan_item_id: s.forward_plan_item_id,
        motion_id: s.motion_id,
    };
    let subject = briefings::subject(&scope, ids, &mut fields).await?;
    if let Some(member) = value.for_member_id {
        references::check_current_member(&scope, member, "/for_member_id", &mut fields).await?;
    }
    let command = fields.finish(|| {
        Some(BriefingCommand::WriteBriefing(Box::new(BriefingDraft {
            group_id: caller.group_id.clone(),
            kind: value.kind.into(),
            subject: subject?,
            for_member_id: value.for_member_id,
            title: title?,
            body: text?,
            classification: value.classification.into(),
        })))
    })?;
    command::execute::<BriefingView>(Write::create(&state, &caller, &request, &key, &body.raw, command)).await
}

/// List notes.
#[utoipa::path(
    tag = "briefings",
    operation_id = "list_briefings",
    summary = "Briefing and speaking notes, about one record or for one member",
    params(BriefingFilters),
    responses((status = 200, description = "A page of notes", body = BriefingPage), ListErrors),
    security(("bearer" = []))
)]
#[get("/briefings")]
async fn list_briefings(
    state: web::Data<AppState>,
    caller: Caller,
    filters: Query<BriefingFilters>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::ListBriefings)?;
    let paging = PageParams {
        cursor: filters.cursor.clone(),
        limit: filters.limit,
        as_of: None,
        newest_first: ListOrder::newest_first(filters.order),
    };
    let (items, next_cursor) = listing::page_of::<BriefingView>(
        &state,
        &caller,
        &paging,
        RecordFilter {
            member_id: filters.for_member_id,
            subject_id: filters.about,
            ..RecordFilter::default()
        },
    )
    .await?;
    Ok(HttpResponse::Ok().json(BriefingPage { items, next_cursor }))
}

/// Read one note.
#[utoipa::path(
    tag = "briefings",
    operation_id = "get_briefing",
    summary = "One briefing or speaking note with every earlier version; the ETag is its record version",
    params(("id" = Uuid, Path, description = "The note's id"), command::AsOf),
    responses((status = 200, description = "The note", body = BriefingView), ReadErrors),
    security(("bearer" = []))
)]
#[get("/briefings/{id}")]
async fn get_briefing(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    at: Query<command::AsOf>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::GetBriefing)?;
    command::read_one::<BriefingView>(&state, &caller, *id, &at).await
}

record_command!(
    BriefingView,
    BriefingCommand,
    "briefings",
    revise_briefing,
    ReviseBriefing,
    post,
    "/briefings/{id}/versions",
    "Write a new version of a note; the earlier versions stay, numbered",
    ReviseBriefingRequest,
    |caller, state, value, id| {
        let _ = (&caller, &state, id);
        let mut fields = Fields::new();
        let title = fields.check("/title", &value.title);
        let text = fields.check("/body", &value.body);
        let reason = fields.check_optional("/reason", value.reason.as_ref());
        fields
            .finish(|| Some(BriefingCommand::ReviseBriefing { title: title?, body: text?, reason: reason? }))
    }
);

record_command!(
    BriefingView,
    BriefingCommand,
    "briefings",
    withdraw_briefing,
    WithdrawBriefing,
    post,
    "/briefings/{id}/withdrawal",
    "Withdraw a note; it stays in the record with the reason",
    WithdrawBriefingRequest,
    |caller, state, value, id| {
        let _ = (&caller, &state, id);
        let mut fields = Fields::new();
        let reason = fields.check("/reason", &value.reason);
        fields.finish(|| Some(BriefingCommand::WithdrawBriefing { reason: reason? }))
    }
);
