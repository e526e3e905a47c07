//! Decisions and actions recorded from a meeting's agenda item: the record
//! names the meeting and item, and the item links back to it.

use actix_web::{HttpRequest, HttpResponse, post, web};
use caucus_wire::{
    ParseRequest,
    actions::ActionView,
    decisions::{DecisionView, RecordDecisionRequest, TakenBy},
    meetings::{CreateMeetingActionRequest, RecordMeetingDecisionRequest},
};
use uuid::Uuid;

use super::super::{
    AppState,
    command::{self, Write},
};
use crate::app::{actions, meetings};
use crate::auth::{Caller, Operation};
use crate::http::{ApiError, CommandErrors, Fields, IdempotencyKey, JsonBody};

/// Record a decision from an agenda item.
#[utoipa::path(
    tag = "meetings",
    operation_id = "record_meeting_decision",
    summary = "Record a decision taken under an agenda item: the decision names the meeting and item, and the item links to the decision",
    request_body = RecordMeetingDecisionRequest,
    params(
        ("id" = Uuid, Path, description = "The meeting's id"),
        ("Idempotency-Key" = inline(Option<caucus_wire::IdempotencyKeyValue>), Header, description = "Retry safely: a repeat with the same key records nothing new")
    ),
    responses((status = 201, description = "Recorded", body = DecisionView), CommandErrors),
    security(("bearer" = []))
)]
#[post("/meetings/{id}/decisions")]
pub(super) async fn record_meeting_decision(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    key: IdempotencyKey,
    id: web::Path<Uuid>,
    body: JsonBody<RecordMeetingDecisionRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::RecordMeetingDecision)?;
    let (meeting_id, value) = (*id, &body.value);
    let scope = command::scope(&state, &caller);
    let meeting = meetings::meeting_for_item(&scope, meeting_id, value.item_id).await?;
    let held_on = meetings::day_of(&meeting).ok_or(ApiError::NotFound("meeting"))?;
    let draft = RecordDecisionRequest {
        title: value.title.clone(),
        text: value.text.clone(),
        decided_on: value.decided_on.unwrap_or(held_on),
        // Where it was taken is the meeting's item: `record_decision` sets it.
        taken_by: TakenBy::GroupOfficers,
        votes: value.votes,
        classification: value.classification,
        review_on: value.review_on,
    }
    .parse()?;
    let write = Write::create(&state, &caller, &request, &key, &body.raw, ());
    let id = write.id;
    command::execute_operation::<DecisionView>(write, async |context| {
        meetings::record_decision(&scope, &state.bus, context, meeting_id, value.item_id, id, draft).await
    })
    .await
}

/// Agree an action from an agenda item.
#[utoipa::path(
    tag = "meetings",
    operation_id = "create_meeting_action",
    summary = "Agree an action under an agenda item: the action names the meeting and item, and the item links to the action",
    request_body = CreateMeetingActionRequest,
    params(
        ("id" = Uuid, Path, description = "The meeting's id"),
        ("Idempotency-Key" = inline(Option<caucus_wire::IdempotencyKeyValue>), Header, description = "Retry safely: a repeat with the same key records nothing new")
    ),
    responses((status = 201, description = "Created", body = ActionView), CommandErrors),
    security(("bearer" = []))
)]
#[post("/meetings/{id}/actions")]
pub(super) async fn create_meeting_action(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    key: IdempotencyKey,
    id: web::Path<Uuid>,
    body: JsonBody<CreateMeetingActionRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::CreateMeetingAction)?;
    let (meeting_id, value) = (*id, &body.value);
    let scope = command::scope(&state, &caller);
    meetings::meeting_for_item(&scope, meeting_id, value.item_id).await?;
    let mut fields = Fields::new();
    let entered = fields.enter("/action");
    let draft = value.action.parse_fields(&mut fields);
    actions::check_references(&scope, value.action.owner_id, value.action.decision_id, &mut fields).await?;
    fields.leave(entered);
    let draft = fields.finish(|| draft)?;
    let write = Write::create(&state, &caller, &request, &key, &body.raw, ());
    let id = write.id;
    command::execute_operation::<ActionView>(write, async |context| {
        meetings::create_action(&scope, &state.bus, context, meeting_id, value.item_id, id, draft).await
    })
    .await
}
