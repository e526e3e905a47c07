//! `/courses`, `/training-records` and `/training-expiries`: the group's
//! catalogue of councillor training, each member's completions (a
//! certificate recorded here; an event's register completes its courses
//! through `/group-events`) and training needs, and the courses lapsed or
//! lapsing.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use caucus_wire::{
    Input, ParseRequest, ReadOn,
    training::{
        AddCourseRequest, CourseFilters, CoursePage, CourseView, ExpiriesView, ExpiryParams, ExpiryView,
        RecordCompletionRequest, RecordNeedRequest, RetireCourseRequest, TrainingRecordView,
        WithdrawNeedRequest,
    },
    training_plan::{TrainingPlanParams, TrainingPlanView},
};
use chrono::Days;
use uuid::Uuid;

use super::{
    AppState, Routes,
    command::{self, RecordView, Write, record_command},
    listing::{self, PageParams},
};
use crate::app::{references, training};
use crate::auth::{Caller, Operation};
use crate::domain::{
    member::Member,
    tag,
    training::{
        Course, CourseCommand, CourseStatus, Evidence, TrainingCommand, TrainingRecord, training_record_id,
    },
};
use crate::http::{
    ApiError, CommandErrors, Fields, IdempotencyKey, IfMatch, JsonBody, ListErrors, PeriodErrors, Query,
    ReadErrors, report_as,
};
use crate::reports::{report_back::Period, training_plan};
use crate::store::records::{self, RecordFilter, RecordQuery, StoredRecord};

/// Days ahead lapsing courses are listed unless asked otherwise.
const DEFAULT_EXPIRY_DAYS: u16 = 60;

impl RecordView for CourseView {
    type Record = Course;
    const NAME: &'static str = "course";
    const COLLECTION: &'static str = "/courses";

    fn from_stored(
        id: Uuid,
        record: Course,
        stored: &StoredRecord,
        _on: ReadOn<'_>,
    ) -> Result<Self, ApiError> {
        CourseView::new(id, record, command::stored(stored)).map_err(ApiError::internal)
    }
}

impl RecordView for TrainingRecordView {
    type Record = TrainingRecord;
    const NAME: &'static str = "training record";
    const COLLECTION: &'static str = "/training-records";

    fn from_stored(
        id: Uuid,
        record: TrainingRecord,
        stored: &StoredRecord,
        on: ReadOn<'_>,
    ) -> Result<Self, ApiError> {
        let member_id = record
            .member_id
            .ok_or_else(|| ApiError::internal(anyhow::anyhow!("training record {id} has no member")))?;
        Ok(TrainingRecordView::new(member_id, Some((&record, stored.version as u64)), on.today))
    }
}

pub fn configure(config: &mut Routes) {
    config
        .service(add_course)
        .service(list_courses)
        .service(get_course)
        .service(retire_course)
        .service(get_training_record)
        .service(record_training_completion)
        .service(record_training_need)
        .service(withdraw_training_need)
        .service(list_training_expiries)
        .service(get_training_plan);
}

/// Add a course.
#[utoipa::path(
    tag = "training",
    operation_id = "add_course",
    summary = "Add a course to the group's training catalogue: how long a completion stays valid, and the bodies whose members must hold it",
    request_body = AddCourseRequest,
    params(("Idempotency-Key" = inline(Option<caucus_wire::IdempotencyKeyValue>), Header, description = "Retry safely: a repeat with the same key records nothing new")),
    responses((status = 201, description = "Added", body = CourseView), CommandErrors),
    security(("bearer" = []))
)]
#[post("/courses")]
async fn add_course(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    key: IdempotencyKey,
    body: JsonBody<AddCourseRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::AddCourse)?;
    let mut fields = Fields::new();
    let draft = body.value.parse_fields(&mut fields);
    if let Some(draft) = &draft {
        training::check_new_course(&command::scope(&state, &caller), draft, &mut fields).await?;
    }
    let draft = fields.finish(|| draft)?;
    let command = CourseCommand::AddCourse { group_id: caller.group_id.clone(), draft: Box::new(draft) };
    command::execute::<CourseView>(Write::create(&state, &caller, &request, &key, &body.raw, command)).await
}

/// List courses.
#[utoipa::path(
    tag = "training",
    operation_id = "list_courses",
    summary = "The training catalogue in the order courses were added, by status or the body that requires them",
    params(CourseFilters),
    responses((status = 200, description = "A page of courses", body = CoursePage), ListErrors),
    security(("bearer" = []))
)]
#[get("/courses")]
async fn list_courses(
    state: web::Data<AppState>,
    caller: Caller,
    filters: Query<CourseFilters>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::ListCourses)?;
    let paging = PageParams {
        cursor: filters.cursor.clone(),
        limit: filters.limit,
        as_of: filters.as_of,
        newest_first: false,
    };
    let statuses: Vec<&str> = filters.status.iter().map(|s| CourseStatus::from(*s).as_str()).collect();
    let tags: Vec<String> = filters.required_for.iter().map(|body| tag("body", body)).collect();
    let filter = RecordFilter { statuses: &statuses, tags: &tags, ..RecordFilter::default() };
    let (items, next_cursor) = listing::page_of::<CourseView>(&state, &caller, &paging, filter).await?;
    Ok(HttpResponse::Ok().json(CoursePage { items, next_cursor }))
}

/// Read one course.
#[utoipa::path(
    tag = "training",
    operation_id = "get_course",
    summary = "One course of the catalogue; the ETag is its version",
    params(("id" = Uuid, Path, description = "The course's id"), command::AsOf),
    responses((status = 200, description = "The course", body = CourseView), ReadErrors),
    security(("bearer" = []))
)]
#[get("/courses/{id}")]
async fn get_course(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    at: Query<command::AsOf>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::GetCourse)?;
    command::read_one::<CourseView>(&state, &caller, *id, &at).await
}

record_command!(
    CourseView,
    CourseCommand,
    "training",
    retire_course,
    RetireCourse,
    post,
    "/courses/{id}/retirement",
    "Take a course out of the catalogue, giving the reason; completions of it stand",
    RetireCourseRequest,
    |caller, state, value, id| {
        let mut fields = Fields::new();
        let reason = fields.check("/reason", &value.reason);
        fields.finish(|| Some(CourseCommand::RetireCourse { reason: reason? }))
    }
);

/// The member `id` of the caller's group, or 404; a councillor may write
/// only to their own record (403).
async fn require_member(state: &AppState, caller: &Caller, id: Uuid) -> Result<(), ApiError> {
    caller.require_own(id, "record training and training needs")?;
    let scope = command::scope(state, caller);
    references::find::<Member>(&scope, id).await?.map(drop).ok_or(ApiError::NotFound("member"))
}

/// Read a member's training record.
#[utoipa::path(
    tag = "training",
    operation_id = "get_training_record",
    summary = "A member's training: each course's latest completion (valid today or not) and every completion with its evidence",
    params(("member_id" = Uuid, Path, description = "The member's id"), command::AsOf),
    responses((status = 200, description = "The record (empty before the first completion)", body = TrainingRecordView), ReadErrors),
    security(("bearer" = []))
)]
#[get("/training-records/{member_id}")]
async fn get_training_record(
    state: web::Data<AppState>,
    caller: Caller,
    member_id: web::Path<Uuid>,
    at: Query<command::AsOf>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::GetTrainingRecord)?;
    let member_id = *member_id;
    let scope = command::scope(&state, &caller);
    references::find::<Member>(&scope, member_id).await?.ok_or(ApiError::NotFound("member"))?;
    match command::read_one::<TrainingRecordView>(&state, &caller, training_record_id(member_id), &at).await {
        Err(ApiError::NotFound(_)) => {
            Ok(HttpResponse::Ok().json(TrainingRecordView::new(member_id, None, state.read_on().today)))
        }
        answer => answer,
    }
}

/// Record a completion with its certificate.
#[utoipa::path(
    tag = "training",
    operation_id = "record_training_completion",
    summary = "Record a course a member completed, with the certificate stored as its evidence (councillors: their own); valid for as long as the course says",
    request_body = RecordCompletionRequest,
    params(
        ("member_id" = Uuid, Path, description = "The member's id"),
        ("Idempotency-Key" = inline(Option<caucus_wire::IdempotencyKeyValue>), Header, description = "Retry safely: a repeat with the same key records nothing new")
    ),
    responses((status = 200, description = "The record as it now stands", body = TrainingRecordView), CommandErrors),
    security(("bearer" = []))
)]
#[post("/training-records/{member_id}/completions")]
async fn record_training_completion(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    key: IdempotencyKey,
    member_id: web::Path<Uuid>,
    body: JsonBody<RecordCompletionRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::RecordTrainingCompletion)?;
    let member_id = *member_id;
    require_member(&state, &caller, member_id).await?;
    let scope = command::scope(&state, &caller);
    let value = &body.value;
    let mut fields = Fields::new();
    training::check_certificate(&scope, &value.certificate_file_id, &mut fields).await?;
    if value.completed_on > state.read_on().today {
        fields.reject("/completed_on", "must not be in the future");
    }
    fields.finish(|| Some(()))?;
    let evidence = Evidence::Certificate { file_id: value.certificate_file_id.clone() };
    let write = Write::create(&state, &caller, &request, &key, &body.raw, ())
        .on_existing(training_record_id(member_id), None);
    command::execute_operation::<TrainingRecordView>(write, async |context| {
        let done = (value.completed_on, evidence);
        training::complete(&scope, &state.bus, context, (member_id, value.course_id), done).await
    })
    .await
}

/// Record a training need.
#[utoipa::path(
    tag = "training",
    operation_id = "record_training_need",
    summary = "Record a member's training need, with its priority and reason (councillors: their own); completing its course meets it",
    request_body = RecordNeedRequest,
    params(
        ("member_id" = Uuid, Path, description = "The member's id"),
        ("Idempotency-Key" = inline(Option<caucus_wire::IdempotencyKeyValue>), Header, description = "Retry safely: a repeat with the same key records nothing new")
    ),
    responses((status = 200, description = "The record as it now stands", body = TrainingRecordView), CommandErrors),
    security(("bearer" = []))
)]
#[post("/training-records/{member_id}/needs")]
async fn record_training_need(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    key: IdempotencyKey,
    member_id: web::Path<Uuid>,
    body: JsonBody<RecordNeedRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::RecordTrainingNeed)?;
    let member_id = *member_id;
    require_member(&state, &caller, member_id).await?;
    if let Some(replay) =
        command::replayed::<TrainingRecordView>(&state, &caller, &request, &key, &body.raw).await?
    {
        return Ok(replay);
    }
    let draft = body.value.parse()?;
    let scope = command::scope(&state, &caller);
    let mut fields = Fields::new();
    training::check_need(&scope, &draft, &mut fields).await?;
    fields.finish(|| Some(()))?;
    let write = Write::create(&state, &caller, &request, &key, &body.raw, ())
        .on_existing(training_record_id(member_id), None);
    let need = (Uuid::now_v7(), state.read_on().today, draft);
    command::execute_operation::<TrainingRecordView>(write, async |context| {
        training::record_need(&scope, (&state.bus, context), member_id, need).await
    })
    .await
}

/// Withdraw a training need.
#[utoipa::path(
    tag = "training",
    operation_id = "withdraw_training_need",
    summary = "Withdraw an open training need that is no longer needed, saying why (councillors: their own)",
    request_body = WithdrawNeedRequest,
    params(
        ("member_id" = Uuid, Path, description = "The member's id"),
        ("need_id" = Uuid, Path, description = "The need's id"),
        ("If-Match" = inline(Option<caucus_wire::IfMatchValue>), Header, description = "The ETag you last read; a stale one is refused with 409"),
        ("Idempotency-Key" = inline(Option<caucus_wire::IdempotencyKeyValue>), Header, description = "Retry safely: a repeat with the same key records nothing new")
    ),
    responses((status = 200, description = "The record as it now stands", body = TrainingRecordView), CommandErrors),
    security(("bearer" = []))
)]
#[post("/training-records/{member_id}/needs/{need_id}/withdrawal")]
async fn withdraw_training_need(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    key: IdempotencyKey,
    if_match: IfMatch,
    path: web::Path<(Uuid, Uuid)>,
    body: JsonBody<WithdrawNeedRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::WithdrawTrainingNeed)?;
    let (member_id, need_id) = *path;
    require_member(&state, &caller, member_id).await?;
    if let Some(replay) =
        command::replayed::<TrainingRecordView>(&state, &caller, &request, &key, &body.raw).await?
    {
        return Ok(replay);
    }
    let mut fields = Fields::new();
    let note = fields.check("/reason", &body.value.reason);
    let command = fields
        .finish(|| Some(TrainingCommand::WithdrawNeed { need_id, on: state.read_on().today, note: note? }))?;
    let write = Write::create(&state, &caller, &request, &key, &body.raw, command);
    command::execute::<TrainingRecordView>(write.on_existing(training_record_id(member_id), if_match.0)).await
}

/// Courses lapsed or lapsing.
#[utoipa::path(
    tag = "training",
    operation_id = "list_training_expiries",
    summary = "Courses members hold that have lapsed or lapse within N days (default 60), lapsed first, then soonest",
    params(ExpiryParams),
    responses((status = 200, description = "The lapses", body = ExpiriesView), ListErrors),
    security(("bearer" = []))
)]
#[get("/training-expiries")]
async fn list_training_expiries(
    state: web::Data<AppState>,
    caller: Caller,
    params: Query<ExpiryParams>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::ListTrainingExpiries)?;
    let within = match params.within_days {
        Some(days) => days.parse().map_err(|e| ApiError::BadRequest(format!("within_days {e}")))?,
        None => DEFAULT_EXPIRY_DAYS,
    };
    let today = state.read_on().today;
    let until = today.checked_add_days(Days::new(u64::from(within)));
    let scope = command::scope(&state, &caller);
    let query =
        RecordQuery::new(&caller.group_id, <TrainingRecord as cqrs_es::Aggregate>::TYPE, &scope.readable)
            .filtered(RecordFilter { due_on_or_before: until, ..RecordFilter::default() });
    let mut items = Vec::new();
    for stored in records::list_all(&state.db, &query).await? {
        let (_, record) = references::parsed::<TrainingRecord>(&stored)?;
        let Some(member_id) = record.member_id else { continue };
        for held in record.held() {
            let Some(valid_until) = held.valid_until.filter(|day| Some(*day) <= until) else { continue };
            items.push(ExpiryView {
                member_id,
                course_id: held.course_id,
                valid_until,
                expired: valid_until < today,
            });
        }
    }
    items.sort_by_key(|item| (item.valid_until, item.member_id));
    Ok(HttpResponse::Ok().json(ExpiriesView { today, items }))
}

/// The draft group training plan.
#[utoipa::path(
    tag = "training",
    operation_id = "get_training_plan",
    summary = "The draft group training plan for a period (default: the year from today): which courses, for whom and why, how many places, and the sessions in the diary that teach them",
    params(TrainingPlanParams),
    responses(
        (status = 200, description = "The plan: JSON, or Markdown with `format=markdown`", content(
            (TrainingPlanView = "application/json"),
            (String = "text/markdown")
        )),
        PeriodErrors
    ),
    security(("bearer" = []))
)]
#[get("/training-plan")]
async fn get_training_plan(
    state: web::Data<AppState>,
    caller: Caller,
    params: Query<TrainingPlanParams>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::GetTrainingPlan)?;
    let on = state.read_on();
    // Well-formed days that make no period are the request's content at fault.
    let period =
        Period::ahead(params.from, params.to, on.today).map_err(|e| ApiError::invalid_field("/to", e))?;
    let sources = training::plan_sources(&command::scope(&state, &caller), on.now).await?;
    let plan = training_plan::build(&sources, period, on.today, on.now);
    let written = || training_plan::to_markdown(&plan, caller.group_id.as_str());
    Ok(report_as(params.format, || &plan, written))
}
