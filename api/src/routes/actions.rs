//! `/actions`: who is doing what by when; overdue and due-soon lists.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use caucus_wire::{IdList, ListOrder, ReadOn};
use caucus_wire::{
    Input, ParseRequest,
    actions::{
        ActionFilters, ActionPage, ActionProgressRequest, ActionStatus as WireStatus, ActionView,
        CancelActionRequest, CompleteActionRequest, CreateActionRequest, ReassignActionRequest,
        RescheduleActionRequest,
    },
};
use chrono::{Days, NaiveDate};
use uuid::Uuid;

use super::{
    AppState, Routes,
    command::{self, RecordView, Write, record_command},
    listing::{self, PageParams},
};
use crate::app::{self, references};
use crate::auth::{Caller, Operation};
use crate::domain::action::{Action, ActionCommand, ActionStatus};
use crate::http::{
    ApiError, CommandErrors, Fields, IdempotencyKey, IfMatch, JsonBody, ListErrors, Query, ReadErrors,
};
use crate::store::records::{RecordFilter, StoredRecord};

impl RecordView for ActionView {
    type Record = Action;
    const NAME: &'static str = "action";
    const COLLECTION: &'static str = "/actions";

    fn from_stored(
        id: Uuid,
        record: Action,
        stored: &StoredRecord,
        on: ReadOn<'_>,
    ) -> Result<Self, ApiError> {
        ActionView::new(id, record, command::stored(stored), on).map_err(ApiError::internal)
    }
}

pub fn configure(config: &mut Routes) {
    config
        .service(create_action)
        .service(list_actions)
        .service(get_action)
        .service(reassign_action)
        .service(reschedule_action)
        .service(report_action_progress)
        .service(complete_action)
        .service(cancel_action);
}

/// Create an action.
#[utoipa::path(
    tag = "actions",
    operation_id = "create_action",
    summary = "Agree an action: an owner, a due date, and optionally the decision it implements",
    request_body = CreateActionRequest,
    params(("Idempotency-Key" = inline(Option<caucus_wire::IdempotencyKeyValue>), Header, description = "Retry safely: a repeat with the same key records nothing new")),
    responses((status = 201, description = "Created", body = ActionView), CommandErrors),
    security(("bearer" = []))
)]
#[post("/actions")]
async fn create_action(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    key: IdempotencyKey,
    body: JsonBody<CreateActionRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::CreateAction)?;
    let mut fields = Fields::new();
    let draft = body.value.parse_fields(&mut fields);
    let scope = command::scope(&state, &caller);
    app::actions::check_references(&scope, body.value.owner_id, body.value.decision_id, &mut fields).await?;
    let draft = fields.finish(|| draft)?;
    let command = ActionCommand::CreateAction { group_id: caller.group_id.clone(), draft: Box::new(draft) };
    command::execute::<ActionView>(Write::create(&state, &caller, &request, &key, &body.raw, command)).await
}

/// List actions.
#[utoipa::path(
    tag = "actions",
    operation_id = "list_actions",
    summary = "Actions, oldest first: per owner, by status, overdue, or coming due",
    params(ActionFilters),
    responses((status = 200, description = "A page of actions", body = ActionPage), ListErrors),
    security(("bearer" = []))
)]
#[get("/actions")]
async fn list_actions(
    state: web::Data<AppState>,
    caller: Caller,
    filters: Query<ActionFilters>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::ListActions)?;
    let paging = PageParams {
        cursor: filters.cursor.clone(),
        limit: filters.limit,
        as_of: filters.as_of,
        newest_first: ListOrder::newest_first(filters.order),
    };
    // Overdue and coming due are judged on the day the register is read as of.
    let today = filters.as_of.map_or_else(|| state.read_on().today, |at| at.date_naive());
    let mut statuses: Vec<&str> = filters.status.iter().map(|s| ActionStatus::from(*s).as_str()).collect();
    let (mut due_on_or_after, mut due_on_or_before) = (None, None);
    if filters.overdue == Some(true) {
        due_on_or_before = today.pred_opt();
    }
    if let Some(days) = filters.due_within_days {
        let days = days.parse().map_err(|e| ApiError::BadRequest(format!("due_within_days {e}")))?;
        due_on_or_after = Some(today);
        let horizon = today.checked_add_days(Days::new(u64::from(days))).unwrap_or(NaiveDate::MAX);
        due_on_or_before = Some(due_on_or_before.map_or(horizon, |d: NaiveDate| d.min(horizon)));
    }
    if due_on_or_before.is_some() {
        // Only open actions fall due: with another status, nothing matches.
        if filters.status.is_some_and(|s| s != WireStatus::Open) {
            return Ok(HttpResponse::Ok().json(ActionPage { items: Vec::new(), next_cursor: None }));
        }
        statuses = vec![ActionStatus::Open.as_str()];
    }
    let record_ids = IdList::record_ids(filters.ids.as_ref());
    let (mut items, next_cursor) = listing::page_of::<ActionView>(
        &state,
        &caller,
        &paging,
        RecordFilter {
            statuses: &statuses,
            member_id: filters.owner_id,
            record_ids: &record_ids,
            subject_id: filters.decision_id,
            due_on_or_before,
            due_on_or_after,
            ..RecordFilter::default()
        },
    )
    .await?;
    if filters.as_of.is_some() {
        for item in &mut items {
            item.overdue = item.status == WireStatus::Open && item.due_on < today;
        }
    }
    Ok(HttpResponse::Ok().json(ActionPage { items, next_cursor }))
}

/// Read one action.
#[utoipa::path(
    tag = "actions",
    operation_id = "get_action",
    summary = "One action, with its history of owners, dates and progress; the ETag is its version",
    params(("id" = Uuid, Path, description = "The action's id"), command::AsOf),
    responses((status = 200, description = "The action", body = ActionView), ReadErrors),
    security(("bearer" = []))
)]
#[get("/actions/{id}")]
async fn get_action(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    at: Query<command::AsOf>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::GetAction)?;
    command::read_one::<ActionView>(&state, &caller, *id, &at).await
}

/// Councillors may update their own actions only; the group's officers and
/// the assistant may update any. A councillor's token subject is their member id.
async fn require_owner_or_manager(state: &AppState, caller: &Caller, id: Uuid) -> Result<(), ApiError> {
    if caller.works_in_the_office() {
        return Ok(());
    }
    let (action, _) = command::find::<ActionView>(state, caller, id).await?;
    if action.owner_id.to_string() == caller.subject {
        Ok(())
    } else {
        Err(ApiError::Forbidden("councillors may update only the actions they own".into()))
    }
}

record_command!(
    ActionView,
    ActionCommand,
    "actions",
    reassign_action,
    ReassignAction,
    post,
    "/actions/{id}/reassignment",
    "Pass an action to another member",
    ReassignActionRequest,
    |caller, state, value, id| {
        let mut fields = Fields::new();
        let reason = fields.check_optional("/reason", value.reason.as_ref());
        let scope = command::scope(&state, &caller);
        references::check_current_member(&scope, value.owner_id, "/owner_id", &mut fields).await?;
        fields.finish(|| Some(ActionCommand::ReassignAction { owner_id: value.owner_id, reason: reason? }))
    }
);

record_command!(
    ActionView,
    ActionCommand,
    "actions",
    reschedule_action,
    RescheduleAction,
    post,
    "/actions/{id}/reschedule",
    "Move an action's due date, saying why",
    RescheduleActionRequest,
    |caller, state, value, id| {
        let mut fields = Fields::new();
        let reason = fields.check("/reason", &value.reason);
        fields.finish(|| Some(ActionCommand::RescheduleAction { due_on: value.due_on, reason: reason? }))
    }
);

record_command!(
    ActionView,
    ActionCommand,
    "actions",
    report_action_progress,
    ReportActionProgress,
    post,
    "/actions/{id}/progress",
    "Note progress on an action (councillors: on their own actions)",
    ActionProgressRequest,
    |caller, state, value, id| {
        require_owner_or_manager(&state, &caller, id).await?;
        let mut fields = Fields::new();
        let note = fields.check("/note", &value.note);
        fields.finish(|| Some(ActionCommand::NoteActionProgress { on: value.on, note: note? }))
    }
);

record_command!(
    ActionView,
    ActionCommand,
    "actions",
    complete_action,
    CompleteAction,
    post,
    "/actions/{id}/completion",
    "Mark an action done (councillors: their own actions)",
    CompleteActionRequest,
    |caller, state, value, id| {
        require_owner_or_manager(&state, &caller, id).await?;
        let mut fields = Fields::new();
        let note = fields.check_optional("/note", value.note.as_ref());
        fields.finish(|| Some(ActionCommand::CompleteAction { on: value.on, note: note? }))
    }
);

record_command!(
    ActionView,
    ActionCommand,
    "actions",
    cancel_action,
    CancelAction,
    post,
    "/actions/{id}/cancellation",
    "Drop an action, saying why",
    CancelActionRequest,
    |caller, state, value, id| {
        let mut fields = Fields::new();
        let reason = fields.check("/reason", &value.reason);
        fields.finish(|| Some(ActionCommand::CancelAction { reason: reason? }))
    }
);
