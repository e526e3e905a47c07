//! `/induction-steps` and `/inductions`: the steps the group inducts new
//! councillors with (the defaults until the office configures its own), and
//! each member's checklist, started when they join (`POST /members`) or by
//! the office for a member who joined before, ticked off by the office or
//! the member.

use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use caucus_wire::{
    EmptyRequest, ParseRequest, ReadOn,
    induction::{
        InductionListView, InductionStepsView, InductionView, StartInductionRequest, StepRequest,
        TickStepRequest,
    },
};
use uuid::Uuid;

use super::{
    AppState, Routes,
    command::{self, RecordView, Write},
};
use crate::app::{induction, references};
use crate::auth::{Caller, Operation};
use crate::domain::{
    induction::{Induction, InductionCommand, InductionStatus, InductionSteps, StepsCommand, induction_id},
    member::Member,
};
use crate::http::{
    ApiError, CommandErrors, Fields, IdempotencyKey, IfMatch, JsonBody, ListErrors, Query, ReadErrors,
    with_etag,
};
use crate::store::records::{self, RecordFilter, RecordQuery, StoredRecord};

impl RecordView for InductionView {
    type Record = Induction;
    const NAME: &'static str = "induction";
    const COLLECTION: &'static str = "/inductions";

    fn from_stored(
        id: Uuid,
        record: Induction,
        stored: &StoredRecord,
        on: ReadOn<'_>,
    ) -> Result<Self, ApiError> {
        InductionView::new(id, &record, stored.version as u64, on.today)
            .ok_or_else(|| ApiError::internal(anyhow::anyhow!("induction {id} has not started")))
    }
}

impl RecordView for InductionStepsView {
    type Record = InductionSteps;
    const NAME: &'static str = "induction steps";
    const COLLECTION: &'static str = "/induction-steps";

    fn from_stored(
        id: Uuid,
        record: InductionSteps,
        stored: &StoredRecord,
        _on: ReadOn<'_>,
    ) -> Result<Self, ApiError> {
        Ok(InductionStepsView::new(id, Some((&record, stored.version as u64))))
    }
}

pub fn configure(config: &mut Routes) {
    config
        .service(get_induction_steps)
        .service(add_induction_step)
        .service(change_induction_step)
        .service(retire_induction_step)
        .service(list_inductions)
        .service(get_induction)
        .service(start_induction)
        .service(tick_induction_step);
}

/// The group's steps.
#[utoipa::path(
    tag = "induction",
    operation_id = "get_induction_steps",
    summary = "The steps a member joining today is given, each due a number of days after joining, with its owner; the defaults (meet the Leader and the Whip, code of conduct training, IT and email, the register of interests within 28 days, casework and data protection, standing orders) until the group configures its own",
    responses((status = 200, description = "The steps", body = InductionStepsView), ReadErrors),
    security(("bearer" = []))
)]
#[get("/induction-steps")]
async fn get_induction_steps(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::GetInductionSteps)?;
    let scope = command::scope(&state, &caller);
    let configured = induction::configured(&scope).await?;
    let id = crate::domain::induction::induction_steps_id(&caller.group_id);
    let view = InductionStepsView::new(id, configured.as_ref().map(|(steps, version)| (steps, *version)));
    Ok(with_etag(&mut HttpResponse::Ok(), view.version).json(view))
}

/// Runs a command on the group's steps and answers with them as they now stand.
async fn configure_steps(
    (state, caller, request, key): (&AppState, &Caller, &HttpRequest, &IdempotencyKey),
    body: &[u8],
    command: StepsCommand,
    if_match: Option<u64>,
) -> Result<HttpResponse, ApiError> {
    let id = crate::domain::induction::induction_steps_id(&caller.group_id);
    let write = Write::create(state, caller, request, key, body, ()).on_existing(id, None);
    let scope = command::scope(state, caller);
    command::execute_operation::<InductionStepsView>(write, async |context| {
        induction::configure(&scope, &state.bus, context, command, if_match).await
    })
    .await
}

/// Add a step.
#[utoipa::path(
    tag = "induction",
    operation_id = "add_induction_step",
    summary = "Add a step new members are inducted with (the first change starts from the defaults); inductions already started keep theirs",
    request_body = StepRequest,
    params(
        ("If-Match" = inline(Option<caucus_wire::IfMatchValue>), Header, description = "The ETag you last read; a stale one is refused with 409"),
        ("Idempotency-Key" = inline(Option<caucus_wire::IdempotencyKeyValue>), Header, description = "Retry safely: a repeat with the same key records nothing new")
    ),
    responses((status = 200, description = "The steps as they now stand", body = InductionStepsView), CommandErrors),
    security(("bearer" = []))
)]
#[post("/induction-steps")]
async fn add_induction_step(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    key: IdempotencyKey,
    if_match: IfMatch,
    body: JsonBody<StepRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::AddInductionStep)?;
    let draft = checked(&state, &caller, &body.value).await?;
    let command = StepsCommand::AddStep { group_id: caller.group_id.clone(), draft: Box::new(draft) };
    configure_steps((&state, &caller, &request, &key), &body.raw, command, if_match.0).await
}

/// A step's content, checked against the group's members and catalogue.
async fn checked(
    state: &AppState,
    caller: &Caller,
    value: &StepRequest,
) -> Result<crate::domain::induction::StepDraft, ApiError> {
    let mut fields = Fields::new();
    let draft = value.parse_fields(&mut fields);
    if let Some(draft) = &draft {
        induction::check_step(&command::scope(state, caller), draft, &mut fields).await?;
    }
    Ok(fields.finish(|| draft)?)
}

/// A step's number as a path names it: steps are numbered within `u16`,
/// so a larger number names no step.
fn step_number(number: u32) -> Result<u16, ApiError> {
    u16::try_from(number).map_err(|_| ApiError::NotFound("induction step"))
}

/// Change a step.
#[utoipa::path(
    tag = "induction",
    operation_id = "change_induction_step",
    summary = "Change a step's title, days, owner or course for members joining from now on; inductions already started keep theirs",
    request_body = StepRequest,
    params(
        ("number" = u32, Path, description = "The step's number"),
        ("If-Match" = inline(Option<caucus_wire::IfMatchValue>), Header, description = "The ETag you last read; a stale one is refused with 409"),
        ("Idempotency-Key" = inline(Option<caucus_wire::IdempotencyKeyValue>), Header, description = "Retry safely: a repeat with the same key records nothing new")
    ),
    responses((status = 200, description = "The steps as they now stand", body = InductionStepsView), CommandErrors),
    security(("bearer" = []))
)]
#[put("/induction-steps/{number}")]
async fn change_induction_step(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    key: IdempotencyKey,
    if_match: IfMatch,
    number: web::Path<u32>,
    body: JsonBody<StepRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::ChangeInductionStep)?;
    let draft = checked(&state, &caller, &body.value).await?;
    let command = StepsCommand::ChangeStep {
        group_id: caller.group_id.clone(),
        number: step_number(*number)?,
        draft: Box::new(draft),
    };
    configure_steps((&state, &caller, &request, &key), &body.raw, command, if_match.0).await
}

/// Retire a step.
#[utoipa::path(
    tag = "induction",
    operation_id = "retire_induction_step",
    summary = "Retire a step: members joining from now on are not given it; inductions already started keep it",
    request_body = EmptyRequest,
    params(
        ("number" = u32, Path, description = "The step's number"),
        ("If-Match" = inline(Option<caucus_wire::IfMatchValue>), Header, description = "The ETag you last read; a stale one is refused with 409"),
        ("Idempotency-Key" = inline(Option<caucus_wire::IdempotencyKeyValue>), Header, description = "Retry safely: a repeat with the same key records nothing new")
    ),
    responses((status = 200, description = "The steps as they now stand", body = InductionStepsView), CommandErrors),
    security(("bearer" = []))
)]
#[post("/induction-steps/{number}/retirement")]
async fn retire_induction_step(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    key: IdempotencyKey,
    if_match: IfMatch,
    number: web::Path<u32>,
    body: JsonBody<EmptyRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::RetireInductionStep)?;
    let command =
        StepsCommand::RetireStep { group_id: caller.group_id.clone(), number: step_number(*number)? };
    configure_steps((&state, &caller, &request, &key), &body.raw, command, if_match.0).await
}

/// Inductions in progress.
#[utoipa::path(
    tag = "induction",
    operation_id = "list_inductions",
    summary = "Members' inductions still in progress, with how many steps are done and overdue: most overdue first, then earliest joined",
    responses((status = 200, description = "The inductions", body = InductionListView), ListErrors),
    security(("bearer" = []))
)]
#[get("/inductions")]
async fn list_inductions(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::ListInductions)?;
    let today = state.read_on().today;
    let scope = command::scope(&state, &caller);
    let open = [InductionStatus::InProgress.as_str()];
    let query = RecordQuery::new(&caller.group_id, <Induction as cqrs_es::Aggregate>::TYPE, &scope.readable)
        .filtered(RecordFilter { statuses: &open, ..RecordFilter::default() });
    let mut items = Vec::new();
    for stored in records::list_all(&state.db, &query).await? {
        let (id, induction) = references::parsed::<Induction>(&stored)?;
        items.extend(InductionView::new(id, &induction, stored.version as u64, today));
    }
    items.sort_by_key(|item| (std::cmp::Reverse(item.overdue), item.joined_on, item.member_id));
    Ok(HttpResponse::Ok().json(InductionListView { today, items }))
}

/// The member `id` of the caller's group, or 404.
async fn require_member(state: &AppState, caller: &Caller, id: Uuid) -> Result<(), ApiError> {
    let scope = command::scope(state, caller);
    references::find::<Member>(&scope, id).await?.map(drop).ok_or(ApiError::NotFound("member"))
}

/// Read a member's induction.
#[utoipa::path(
    tag = "induction",
    operation_id = "get_induction",
    summary = "A member's induction: each step with its owner and due day, overdue or ticked off (when, by whom, with a note); 404 if it has not started",
    params(("member_id" = Uuid, Path, description = "The member's id"), command::AsOf),
    responses((status = 200, description = "The induction", body = InductionView), ReadErrors),
    security(("bearer" = []))
)]
#[get("/inductions/{member_id}")]
async fn get_induction(
    state: web::Data<AppState>,
    caller: Caller,
    member_id: web::Path<Uuid>,
    at: Query<command::AsOf>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::GetInduction)?;
    require_member(&state, &caller, *member_id).await?;
    command::read_one::<InductionView>(&state, &caller, induction_id(*member_id), &at).await
}

/// Start a member's induction.
#[utoipa::path(
    tag = "induction",
    operation_id = "start_induction",
    summary = "Start the induction of a member who joined before inductions were kept, from the group's steps as they stand, due counted from the day they joined (members added with POST /members start theirs on joining); 409 if it has started",
    request_body = StartInductionRequest,
    params(
        ("member_id" = Uuid, Path, description = "The member's id"),
        ("Idempotency-Key" = inline(Option<caucus_wire::IdempotencyKeyValue>), Header, description = "Retry safely: a repeat with the same key records nothing new")
    ),
    responses((status = 200, description = "The induction", body = InductionView), CommandErrors),
    security(("bearer" = []))
)]
#[post("/inductions/{member_id}")]
async fn start_induction(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    key: IdempotencyKey,
    member_id: web::Path<Uuid>,
    body: JsonBody<StartInductionRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::StartInduction)?;
    let member_id = *member_id;
    require_member(&state, &caller, member_id).await?;
    if body.value.joined_on > state.read_on().today {
        return Err(ApiError::invalid_field("/joined_on", "must not be in the future"));
    }
    let scope = command::scope(&state, &caller);
    let write = Write::create(&state, &caller, &request, &key, &body.raw, ())
        .on_existing(induction_id(member_id), None);
    command::execute_operation::<InductionView>(write, async |context| {
        induction::start(&scope, &state.bus, context, member_id, body.value.joined_on).await
    })
    .await
}

/// Tick a step off.
#[utoipa::path(
    tag = "induction",
    operation_id = "tick_induction_step",
    summary = "Tick a step of a member's induction off, on a day (default today) with an optional note: the office for anyone, a councillor their own; a step already ticked off is a 409 (the first tick stands)",
    request_body = TickStepRequest,
    params(
        ("member_id" = Uuid, Path, description = "The member's id"),
        ("number" = u32, Path, description = "The step's number"),
        ("If-Match" = inline(Option<caucus_wire::IfMatchValue>), Header, description = "The ETag you last read; a stale one is refused with 409"),
        ("Idempotency-Key" = inline(Option<caucus_wire::IdempotencyKeyValue>), Header, description = "Retry safely: a repeat with the same key records nothing new")
    ),
    responses((status = 200, description = "The induction as it now stands", body = InductionView), CommandErrors),
    security(("bearer" = []))
)]
#[post("/inductions/{member_id}/steps/{number}/done")]
async fn tick_induction_step(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    key: IdempotencyKey,
    if_match: IfMatch,
    path: web::Path<(Uuid, u32)>,
    body: JsonBody<TickStepRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::TickInductionStep)?;
    let (member_id, number) = *path;
    let number = step_number(number)?;
    caller.require_own(member_id, "tick off induction steps")?;
    if let Some(replay) =
        command::replayed::<InductionView>(&state, &caller, &request, &key, &body.raw).await?
    {
        return Ok(replay);
    }
    require_member(&state, &caller, member_id).await?;
    let today = state.read_on().today;
    let mut fields = Fields::new();
    let on = body.value.done_on.unwrap_or(today);
    if on > today {
        fields.reject("/done_on", "must not be in the future");
    }
    let note = fields.check_optional("/note", body.value.note.as_ref());
    let note = fields.finish(|| note)?;
    let command = InductionCommand::TickStep { number, on, by: caller.subject.clone(), note };
    let write = Write::create(&state, &caller, &request, &key, &body.raw, command);
    command::execute::<InductionView>(write.on_existing(induction_id(member_id), if_match.0)).await
}
