//! `/actions`: who is doing what by when; overdue and due-soon lists.

use super::Routes;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{DateTime, Days, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use caucus_wire::decisions::DecisionView;

use super::{
    AppState,
    classification::ClassificationDto,
    command::{self, RecordView, Write, record_command},
    listing::{self, PageParams},
    meetings::MeetingItemRefDto,
    members,
};
use crate::auth::{Caller, Operation};
use crate::domain::action::{Action, ActionCommand, ActionDraft, ActionStatus};
use crate::http::{
    ApiError, CommandErrors, Fields, IdempotencyKey, IfMatch, JsonBody, ListErrors, ReadErrors,
};
use crate::store::{
    command_bus::Expectation,
    records::{RecordFilter, StoredRecord},
};

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

/// Where an action stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActionStatusDto {
    /// Being worked on.
    Open,
    /// Done.
    Completed,
    /// Dropped.
    Cancelled,
}

impl ActionStatusDto {
    fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Completed => "completed",
            Self::Cancelled => "cancelled",
        }
    }
}

/// Agree a new action.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateActionRequest {
    /// What is to be done, up to 200 characters.
    pub title: String,
    /// More detail, up to 2,000 characters.
    #[serde(default)]
    pub description: Option<String>,
    /// The member who owns it: a current member of the group.
    pub owner_id: Uuid,
    /// When it is due.
    pub due_on: NaiveDate,
    /// The decision it implements (in the same group), if any.
    #[serde(default)]
    pub decision_id: Option<Uuid>,
    /// Who may read it.
    pub classification: ClassificationDto,
}

/// Pass an action to another member.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReassignActionRequest {
    /// The new owner.
    pub owner_id: Uuid,
    /// Why.
    #[serde(default)]
    pub reason: Option<String>,
}

/// Move an action's due date.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RescheduleActionRequest {
    /// The new due date.
    pub due_on: NaiveDate,
    /// Why it moved (required: a slipped date is explained on the record).
    pub reason: String,
}

/// Note progress on an action.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionProgressRequest {
    /// The day the note refers to.
    pub on: NaiveDate,
    /// What happened.
    pub note: String,
}

/// Mark an action done.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompleteActionRequest {
    /// The day it was done.
    pub on: NaiveDate,
    /// A closing note.
    #[serde(default)]
    pub note: Option<String>,
}

/// Drop an action.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelActionRequest {
    /// Why.
    pub reason: String,
}

/// One change of due date.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RescheduleView {
    /// The due date before.
    pub from: NaiveDate,
    /// The due date after.
    pub to: NaiveDate,
    /// Why.
    pub reason: String,
}

/// One progress note.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ActionProgressView {
    /// The day it refers to.
    pub on: NaiveDate,
    /// What happened.
    pub note: String,
}

/// An action.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ActionView {
    /// The action's id.
    pub id: Uuid,
    /// Its version; also its ETag.
    pub version: u64,
    /// Where it stands.
    pub status: ActionStatusDto,
    /// Whether it is open and past its due date (as of today, UTC).
    pub overdue: bool,
    /// What is to be done.
    pub title: String,
    /// More detail.
    pub description: Option<String>,
    /// The member who owns it.
    pub owner_id: Uuid,
    /// Earlier owners, oldest first.
    pub previous_owners: Vec<Uuid>,
    /// When it is due.
    pub due_on: NaiveDate,
    /// Changes of due date, oldest first.
    pub reschedules: Vec<RescheduleView>,
    /// The decision it implements.
    pub decision_id: Option<Uuid>,
    /// The meeting and agenda item it was agreed at.
    pub meeting_item: Option<MeetingItemRefDto>,
    /// Who may read it.
    pub classification: ClassificationDto,
    /// Progress notes, oldest first.
    pub progress: Vec<ActionProgressView>,
    /// The day it was completed.
    pub completed_on: Option<NaiveDate>,
    /// The closing note, or why it was cancelled.
    pub closing_note: Option<String>,
    /// When it was created (RFC 3339, UTC).
    pub created_at: String,
    /// When it last changed (RFC 3339, UTC).
    pub updated_at: String,
}

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

impl RecordView for ActionView {
    type Record = Action;
    const NAME: &'static str = "action";
    const COLLECTION: &'static str = "/actions";

    fn from_stored(id: Uuid, a: Action, stored: &StoredRecord) -> Result<Self, ApiError> {
        let uncreated = || ApiError::internal(anyhow::anyhow!("action {id} in the read model is uncreated"));
        let overdue = a.is_overdue(today());
        let status = match a.status {
            ActionStatus::Uncreated => return Err(uncreated()),
            ActionStatus::Open => ActionStatusDto::Open,
            ActionStatus::Completed => ActionStatusDto::Completed,
            ActionStatus::Cancelled => ActionStatusDto::Cancelled,
        };
        Ok(Self {
            id,
            version: stored.version as u64,
            status,
            overdue,
            title: a.title.ok_or_else(uncreated)?.to_string(),
            description: a.description.map(|d| d.to_string()),
            owner_id: a.owner_id.ok_or_else(uncreated)?,
            previous_owners: a.previous_owners,
            due_on: a.due_on.ok_or_else(uncreated)?,
            reschedules: a
                .reschedules
                .into_iter()
                .map(|r| RescheduleView { from: r.from, to: r.to, reason: r.reason.to_string() })
                .collect(),
            decision_id: a.decision_id,
            meeting_item: a.meeting_item.map(Into::into),
            classification: a.classification.ok_or_else(uncreated)?.into(),
            progress: a
                .progress
                .into_iter()
                .map(|p| ActionProgressView { on: p.on, note: p.note.to_string() })
                .collect(),
            completed_on: a.completed_on,
            closing_note: a.closing_note.map(|n| n.to_string()),
            created_at: stored.created_at.clone(),
            updated_at: stored.updated_at.clone(),
        })
    }
}

/// A page of actions.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ActionPage {
    /// The actions, oldest first.
    pub items: Vec<ActionView>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// Filters for the actions list. `overdue` and `due_within_days` imply
/// `status=open`.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ActionFilters {
    /// Only actions owned by this member.
    pub owner_id: Option<Uuid>,
    /// Only actions in this status.
    pub status: Option<ActionStatusDto>,
    /// Only open actions past their due date.
    pub overdue: Option<bool>,
    /// Only open actions due between today and this many days from now.
    pub due_within_days: Option<u16>,
    /// Continue from the `next_cursor` of the previous page.
    #[param(inline)]
    pub cursor: Option<caucus_wire::Cursor>,
    /// Page size, 1 to 200 (default 50).
    #[param(inline)]
    pub limit: Option<caucus_wire::PageLimit>,
    /// The register as it stood at this instant, rebuilt from the events recorded by then.
    pub as_of: Option<DateTime<Utc>>,
}

/// Create an action.
#[utoipa::path(
    tag = "actions",
    operation_id = "create_action",
    summary = "Agree an action: an owner, a due date, and optionally the decision it implements",
    request_body = CreateActionRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retry safely: a repeat with the same key records nothing new")),
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
    let draft = parse_action(&state, &caller, &body.value).await?;
    let command = ActionCommand::CreateAction { group_id: caller.group_id.clone(), draft: Box::new(draft) };
    command::execute::<ActionView>(Write::create(&state, &caller, &request, &key, &body.raw, command)).await
}

/// Checks a new action: its fields, its owner (a current member) and its
/// decision (in the caller's group).
pub(crate) async fn parse_action(
    state: &AppState,
    caller: &Caller,
    value: &CreateActionRequest,
) -> Result<ActionDraft, ApiError> {
    let mut fields = Fields::new();
    let title = fields.text("/title", &value.title);
    let description = fields.optional_text("/description", value.description.as_deref());
    members::check_current_member(state, caller, value.owner_id, "/owner_id", &mut fields).await?;
    if let Some(decision_id) = value.decision_id {
        match command::find::<DecisionView>(state, caller, decision_id).await {
            Ok(_) => {}
            Err(ApiError::NotFound(_)) => fields.reject("/decision_id", "no such decision in this group"),
            Err(other) => return Err(other),
        }
    }
    Ok(fields.finish(|| {
        Some(ActionDraft {
            title: title?,
            description: description?,
            owner_id: value.owner_id,
            due_on: value.due_on,
            decision_id: value.decision_id,
            classification: value.classification.into(),
            meeting_item: None,
        })
    })?)
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
    filters: web::Query<ActionFilters>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::ListActions)?;
    let paging = PageParams { cursor: filters.cursor.clone(), limit: filters.limit, as_of: filters.as_of };
    // Overdue and coming due are judged on the day the register is read as of.
    let today = filters.as_of.map_or_else(today, |at| at.date_naive());
    let mut statuses: Vec<&str> = filters.status.iter().map(|s| s.as_str()).collect();
    let (mut due_on_or_after, mut due_on_or_before) = (None, None);
    if filters.overdue == Some(true) {
        due_on_or_before = today.pred_opt();
    }
    if let Some(days) = filters.due_within_days {
        due_on_or_after = Some(today);
        let horizon = today.checked_add_days(Days::new(u64::from(days))).unwrap_or(NaiveDate::MAX);
        due_on_or_before = Some(due_on_or_before.map_or(horizon, |d: NaiveDate| d.min(horizon)));
    }
    if due_on_or_before.is_some() {
        if filters.status.is_some_and(|s| s != ActionStatusDto::Open) {
            return Err(ApiError::BadRequest("overdue and due_within_days list open actions only".into()));
        }
        statuses = vec![ActionStatusDto::Open.as_str()];
    }
    let (mut items, next_cursor) = listing::page_of::<ActionView>(
        &state,
        &caller,
        &paging,
        RecordFilter {
            statuses: &statuses,
            member_id: filters.owner_id,
            due_on_or_before,
            due_on_or_after,
            ..RecordFilter::default()
        },
    )
    .await?;
    if filters.as_of.is_some() {
        for item in &mut items {
            item.overdue = item.status == ActionStatusDto::Open && item.due_on < today;
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
    at: web::Query<command::AsOf>,
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
        let reason = fields.optional_text("/reason", value.reason.as_deref());
        members::check_current_member(&state, &caller, value.owner_id, "/owner_id", &mut fields).await?;
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
        let reason = fields.text("/reason", &value.reason);
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
        let note = fields.text("/note", &value.note);
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
        let note = fields.optional_text("/note", value.note.as_deref());
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
        let reason = fields.text("/reason", &value.reason);
        fields.finish(|| Some(ActionCommand::CancelAction { reason: reason? }))
    }
);
