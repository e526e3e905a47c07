//! `/decisions`: the group's decisions register.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use caucus_wire::ParseRequest;
use caucus_wire::decisions::{
    AmendDecisionRequest, DecisionFilters, DecisionPage, DecisionView, MarkImplementedRequest,
    RecordDecisionRequest, ReportProgressRequest, RescindDecisionRequest, SupersedeDecisionRequest,
};
use caucus_wire::{IdList, ListOrder, ReadOn};
use uuid::Uuid;

use super::{
    AppState, Routes,
    command::{self, RecordView, Write, record_command},
    listing::{self, PageParams},
};
use crate::auth::{Caller, Operation};
use crate::domain::decision::{Decision, DecisionCommand, DecisionStatus};
use crate::http::{
    ApiError, CommandErrors, Fields, IdempotencyKey, IfMatch, JsonBody, ListErrors, Query, ReadErrors,
};
use crate::store::records::{RecordFilter, StoredRecord};

impl RecordView for DecisionView {
    type Record = Decision;
    const NAME: &'static str = "decision";
    const COLLECTION: &'static str = "/decisions";

    fn from_stored(
        id: Uuid,
        record: Decision,
        stored: &StoredRecord,
        _on: ReadOn<'_>,
    ) -> Result<Self, ApiError> {
        DecisionView::new(id, record, command::stored(stored)).map_err(ApiError::internal)
    }
}

pub fn configure(config: &mut Routes) {
    config
        .service(record_decision)
        .service(list_decisions)
        .service(get_decision)
        .service(amend_decision)
        .service(report_decision_progress)
        .service(mark_decision_implemented)
        .service(rescind_decision)
        .service(supersede_decision);
}

/// Record a decision.
#[utoipa::path(
    tag = "decisions",
    operation_id = "record_decision",
    summary = "Record a decision the group has taken",
    request_body = RecordDecisionRequest,
    params(("Idempotency-Key" = inline(Option<caucus_wire::IdempotencyKeyValue>), Header, description = "Retry safely: a repeat with the same key records nothing new")),
    responses((status = 201, description = "Recorded", body = DecisionView), CommandErrors),
    security(("bearer" = []))
)]
#[post("/decisions")]
async fn record_decision(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    key: IdempotencyKey,
    body: JsonBody<RecordDecisionRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::RecordDecision)?;
    let draft = body.value.parse()?;
    let command =
        DecisionCommand::RecordDecision { group_id: caller.group_id.clone(), draft: Box::new(draft) };
    command::execute::<DecisionView>(Write::create(&state, &caller, &request, &key, &body.raw, command)).await
}

/// List decisions.
#[utoipa::path(
    tag = "decisions",
    operation_id = "list_decisions",
    summary = "The decisions register, oldest first, filtered by status or review date",
    params(DecisionFilters),
    responses((status = 200, description = "A page of decisions", body = DecisionPage), ListErrors),
    security(("bearer" = []))
)]
#[get("/decisions")]
async fn list_decisions(
    state: web::Data<AppState>,
    caller: Caller,
    filters: Query<DecisionFilters>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::ListDecisions)?;
    let paging = PageParams {
        cursor: filters.cursor.clone(),
        limit: filters.limit,
        as_of: filters.as_of,
        newest_first: ListOrder::newest_first(filters.order),
    };
    let statuses: Vec<&str> = filters.status.iter().map(|s| DecisionStatus::from(*s).as_str()).collect();
    let record_ids = IdList::record_ids(filters.ids.as_ref());
    let (items, next_cursor) = listing::page_of::<DecisionView>(
        &state,
        &caller,
        &paging,
        RecordFilter {
            statuses: &statuses,
            due_on_or_before: filters.review_due_by,
            record_ids: &record_ids,
            ..RecordFilter::default()
        },
    )
    .await?;
    Ok(HttpResponse::Ok().json(DecisionPage { items, next_cursor }))
}

/// Read one decision.
#[utoipa::path(
    tag = "decisions",
    operation_id = "get_decision",
    summary = "One decision, with its amendments and progress; the ETag is its version",
    params(("id" = Uuid, Path, description = "The decision's id"), command::AsOf),
    responses((status = 200, description = "The decision", body = DecisionView), ReadErrors),
    security(("bearer" = []))
)]
#[get("/decisions/{id}")]
async fn get_decision(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    at: Query<command::AsOf>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::GetDecision)?;
    command::read_one::<DecisionView>(&state, &caller, *id, &at).await
}

record_command!(
    DecisionView,
    DecisionCommand,
    "decisions",
    amend_decision,
    AmendDecision,
    post,
    "/decisions/{id}/amendments",
    "Amend a decision's text, giving a reason; the old text stays in its history",
    AmendDecisionRequest,
    |caller, state, value, id| {
        let mut fields = Fields::new();
        let text = fields.check("/text", &value.text);
        let reason = fields.check("/reason", &value.reason);
        fields.finish(|| Some(DecisionCommand::AmendDecision { text: text?, reason: reason? }))
    }
);

record_command!(
    DecisionView,
    DecisionCommand,
    "decisions",
    report_decision_progress,
    ReportDecisionProgress,
    post,
    "/decisions/{id}/progress",
    "Report progress on implementing a decision",
    ReportProgressRequest,
    |caller, state, value, id| { value.parse().map(DecisionCommand::ReportDecisionProgress) }
);

record_command!(
    DecisionView,
    DecisionCommand,
    "decisions",
    mark_decision_implemented,
    MarkDecisionImplemented,
    post,
    "/decisions/{id}/implementation",
    "Mark a decision implemented",
    MarkImplementedRequest,
    |caller, state, value, id| {
        Ok::<_, ApiError>(DecisionCommand::MarkDecisionImplemented { on: value.on })
    }
);

record_command!(
    DecisionView,
    DecisionCommand,
    "decisions",
    rescind_decision,
    RescindDecision,
    post,
    "/decisions/{id}/rescission",
    "Rescind a decision",
    RescindDecisionRequest,
    |caller, state, value, id| {
        let mut fields = Fields::new();
        let reason = fields.check("/reason", &value.reason);
        fields.finish(|| Some(DecisionCommand::RescindDecision { reason: reason? }))
    }
);

record_command!(
    DecisionView,
    DecisionCommand,
    "decisions",
    supersede_decision,
    SupersedeDecision,
    post,
    "/decisions/{id}/supersession",
    "Supersede a decision with a later one of the same group",
    SupersedeDecisionRequest,
    |caller, state, value, id| {
        let mut fields = Fields::new();
        let reason = fields.check("/reason", &value.reason);
        // The replacement must be another decision this caller can see in their group.
        if value.by == id {
            fields.reject("/by", "a decision cannot supersede itself");
        } else {
            match command::find::<DecisionView>(&state, &caller, value.by).await {
                Ok(_) => {}
                Err(ApiError::NotFound(_)) => fields.reject("/by", "no such decision in this group"),
                Err(other) => return Err(other),
            }
        }
        fields.finish(|| Some(DecisionCommand::SupersedeDecision { by: value.by, reason: reason? }))
    }
);
