//! `/registers` and `/interests-review`: each member's register of interests
//! (a councillor reads and keeps their own; the office and Group Officers
//! read and keep all; auditors read), its changes between two days, and the
//! assistant's review of likely omissions, each dismissable with a reason.

use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use caucus_wire::{
    EmptyRequest, ParseRequest, ReadOn,
    interests::{
        DismissReviewItemRequest, InterestEntryChangeView, InterestEntryRequest, InterestEntryView,
        InterestsReviewParams, InterestsReviewView, RegisterChangesParams, RegisterChangesView,
        RegisterClockView, RegisterListView, RegisterSummaryView, RegisterView, RemoveInterestEntryRequest,
    },
};
use chrono::Months;
use uuid::Uuid;

use super::{
    AppState, Routes,
    command::{self, RecordView, Write},
};
use crate::app::interests::{self, HospitalitySources};
use crate::app::references;
use crate::auth::{Caller, Operation};
use crate::domain::{
    Role,
    interests::{Register, RegisterChange, RegisterCommand, register_id},
    member::Member,
};
use crate::http::{
    ApiError, CommandErrors, Fields, IdempotencyKey, IfMatch, JsonBody, ListErrors, Query, ReadErrors,
    RecordPeriodErrors, report_as, with_etag,
};
use crate::reports::interests_review;
use crate::store::{history, records::StoredRecord};

impl RecordView for RegisterView {
    type Record = Register;
    const NAME: &'static str = "register of interests";
    const COLLECTION: &'static str = "/registers";

    fn from_stored(
        id: Uuid,
        record: Register,
        stored: &StoredRecord,
        _on: ReadOn<'_>,
    ) -> Result<Self, ApiError> {
        let member_id = record
            .member_id
            .ok_or_else(|| ApiError::internal(anyhow::anyhow!("register {id} has no member")))?;
        Ok(RegisterView::new(member_id, Some((&record, stored.version as u64))))
    }

    /// With its clocks as they stand today, from the records that start them.
    async fn reveal(self, state: &AppState, caller: &Caller) -> Result<Self, ApiError> {
        with_clocks(self, state, caller).await
    }
}

/// `view` with its member's clocks as they stand today.
async fn with_clocks(
    mut view: RegisterView,
    state: &AppState,
    caller: &Caller,
) -> Result<RegisterView, ApiError> {
    let on = state.read_on();
    let member_id = view.member_id;
    let sources =
        interests::sources(&command::scope(state, caller), on, Some(member_id), HospitalitySources::Read)
            .await?;
    view.clocks =
        sources.clocks(member_id).iter().map(|c| RegisterClockView::new(c, member_id, on.today)).collect();
    Ok(view)
}

pub fn configure(config: &mut Routes) {
    config
        .service(list_registers)
        .service(get_register)
        .service(register_interest_entry)
        .service(update_interest_entry)
        .service(remove_interest_entry)
        .service(confirm_register)
        .service(get_register_changes)
        .service(get_interests_review)
        .service(dismiss_interests_review_item);
}

/// The member `id` of the caller's group, or 404, whose register the caller
/// may `act` on: a councillor only their own (403); auditors read any.
async fn require_member(state: &AppState, caller: &Caller, id: Uuid, act: &str) -> Result<(), ApiError> {
    let auditing = act.starts_with("read") && caller.roles.contains(&Role::Auditor);
    if !auditing {
        caller.require_own(id, act)?;
    }
    let scope = command::scope(state, caller);
    let all = crate::app::Scope { readable: crate::domain::Classification::ALL.to_vec(), ..scope };
    references::find::<Member>(&all, id).await?.map(drop).ok_or(ApiError::NotFound("member"))
}

/// Every member's register, with counts.
#[utoipa::path(
    tag = "interests",
    operation_id = "list_registers",
    summary = "Every current member's register of interests with its counts: entries, interests, sensitive ones, and when it last changed",
    responses((status = 200, description = "The registers", body = RegisterListView), ListErrors),
    security(("bearer" = []))
)]
#[get("/registers")]
async fn list_registers(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::ListRegisters)?;
    let sources =
        interests::sources(&command::scope(&state, &caller), state.read_on(), None, HospitalitySources::Left)
            .await?;
    let items = sources
        .members
        .iter()
        .map(|(member_id, name)| {
            let register = sources.registers.get(member_id);
            let live: Vec<_> = register.iter().flat_map(|r| r.live()).collect();
            let count = |f: &dyn Fn(&&crate::domain::interests::Entry) -> bool| {
                live.iter().filter(|e| f(e)).count() as u32
            };
            let last_entry = live.iter().map(|e| e.updated_on);
            RegisterSummaryView {
                member_id: *member_id,
                member_name: name.clone(),
                entries: live.len() as u32,
                interests: count(&|e| e.draft.is_interest()),
                sensitive: count(&|e| e.draft.sensitive.is_some()),
                last_changed_on: last_entry.chain(register.and_then(|r| r.confirmed_on)).max(),
                confirmed_on: register.and_then(|r| r.confirmed_on),
            }
        })
        .collect();
    Ok(HttpResponse::Ok().json(RegisterListView { items }))
}

/// Read a member's register.
#[utoipa::path(
    tag = "interests",
    operation_id = "get_register",
    summary = "A member's register of interests (councillors: their own): its entries, those removed, its confirmation and dismissed review items; `as_of` reads it as it stood",
    params(("member_id" = Uuid, Path, description = "The member's id"), command::AsOf),
    responses((status = 200, description = "The register (empty before its first entry)", body = RegisterView), ReadErrors),
    security(("bearer" = []))
)]
#[get("/registers/{member_id}")]
async fn get_register(
    state: web::Data<AppState>,
    caller: Caller,
    member_id: web::Path<Uuid>,
    at: Query<command::AsOf>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::GetRegister)?;
    let member_id = *member_id;
    require_member(&state, &caller, member_id, "read a register of interests").await?;
    if at.as_of.is_some() {
        return command::read_one::<RegisterView>(&state, &caller, register_id(member_id), &at).await;
    }
    match command::find::<RegisterView>(&state, &caller, register_id(member_id)).await {
        Ok((view, version)) => Ok(with_etag(&mut HttpResponse::Ok(), version).json(view)),
        Err(ApiError::NotFound(_)) => {
            let empty = with_clocks(RegisterView::new(member_id, None), &state, &caller).await?;
            Ok(HttpResponse::Ok().json(empty))
        }
        Err(error) => Err(error),
    }
}

/// What every write to `member_id`'s register checks first (the caller may
/// `op`, on this member's register; the member exists), and the answer to a
/// repeated request, if it is one.
async fn register_write(
    (state, caller, request, key): (&AppState, &Caller, &HttpRequest, &IdempotencyKey),
    raw: &[u8],
    op: Operation,
    member_id: Uuid,
) -> Result<Option<HttpResponse>, ApiError> {
    caller.require(op)?;
    require_member(state, caller, member_id, "keep a register of interests").await?;
    command::replayed::<RegisterView>(state, caller, request, key, raw).await
}

/// Runs `change` on `member_id`'s register for the request, answering with the register.
async fn change_register(
    (state, caller, request, key): (&AppState, &Caller, &HttpRequest, &IdempotencyKey),
    raw: &[u8],
    member_id: Uuid,
    change: RegisterChange,
    if_match: Option<u64>,
) -> Result<HttpResponse, ApiError> {
    let scope = command::scope(state, caller);
    let command =
        RegisterCommand { group_id: caller.group_id.clone(), member_id, on: state.read_on().today, change };
    let write = Write::create(state, caller, request, key, raw, ()).on_existing(register_id(member_id), None);
    command::execute_operation::<RegisterView>(write, async |context| {
        interests::change(&scope, &state.bus, context, command, if_match).await
    })
    .await
}

/// Register an entry.
#[utoipa::path(
    tag = "interests",
    operation_id = "register_interest_entry",
    summary = "Register an interest, or nothing to declare in a category (councillors: their own); an interest removes the category's nothing to declare; a gift naming a group event meets its hospitality task",
    request_body = InterestEntryRequest,
    params(
        ("member_id" = Uuid, Path, description = "The member's id"),
        ("Idempotency-Key" = inline(Option<caucus_wire::IdempotencyKeyValue>), Header, description = "Retry safely: a repeat with the same key records nothing new")
    ),
    responses((status = 200, description = "The register as it now stands", body = RegisterView), CommandErrors),
    security(("bearer" = []))
)]
#[post("/registers/{member_id}/entries")]
async fn register_interest_entry(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    key: IdempotencyKey,
    member_id: web::Path<Uuid>,
    body: JsonBody<InterestEntryRequest>,
) -> Result<HttpResponse, ApiError> {
    let member_id = *member_id;
    let write = (&**state, &caller, &request, &key);
    if let Some(replay) =
        register_write(write, &body.raw, Operation::RegisterInterestEntry, member_id).await?
    {
        return Ok(replay);
    }
    let draft = checked(&state, &caller, &body.value).await?;
    let entry_id = command::new_record_id(&caller, &key, &request);
    let change = RegisterChange::RegisterEntry { entry_id, draft };
    change_register((&state, &caller, &request, &key), &body.raw, member_id, change, None).await
}

/// The entry `value` asks for, its references checked (422 naming each field at fault).
async fn checked(
    state: &AppState,
    caller: &Caller,
    value: &InterestEntryRequest,
) -> Result<crate::domain::interests::EntryDraft, ApiError> {
    let mut fields = Fields::new();
    let draft = value.parse_fields(&mut fields);
    if let Some(draft) = &draft {
        interests::check_draft(&command::scope(state, caller), draft, &mut fields).await?;
    }
    Ok(fields.finish(|| draft)?)
}

/// Change an entry.
#[utoipa::path(
    tag = "interests",
    operation_id = "update_interest_entry",
    summary = "Say what an entry now says (councillors: their own); its updated day is today",
    request_body = InterestEntryRequest,
    params(
        ("member_id" = Uuid, Path, description = "The member's id"),
        ("entry_id" = Uuid, Path, description = "The entry's id"),
        ("If-Match" = inline(Option<caucus_wire::IfMatchValue>), Header, description = "The ETag you last read; a stale one is refused with 409"),
        ("Idempotency-Key" = inline(Option<caucus_wire::IdempotencyKeyValue>), Header, description = "Retry safely: a repeat with the same key records nothing new")
    ),
    responses((status = 200, description = "The register as it now stands", body = RegisterView), CommandErrors),
    security(("bearer" = []))
)]
#[put("/registers/{member_id}/entries/{entry_id}")]
async fn update_interest_entry(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    key: IdempotencyKey,
    if_match: IfMatch,
    path: web::Path<(Uuid, Uuid)>,
    body: JsonBody<InterestEntryRequest>,
) -> Result<HttpResponse, ApiError> {
    let (member_id, entry_id) = *path;
    let write = (&**state, &caller, &request, &key);
    if let Some(replay) = register_write(write, &body.raw, Operation::UpdateInterestEntry, member_id).await? {
        return Ok(replay);
    }
    let draft = checked(&state, &caller, &body.value).await?;
    let change = RegisterChange::UpdateEntry { entry_id, draft };
    change_register((&state, &caller, &request, &key), &body.raw, member_id, change, if_match.0).await
}

/// Remove an entry.
#[utoipa::path(
    tag = "interests",
    operation_id = "remove_interest_entry",
    summary = "Take an entry off the register, saying why (councillors: their own); it stays in the register's history",
    request_body = RemoveInterestEntryRequest,
    params(
        ("member_id" = Uuid, Path, description = "The member's id"),
        ("entry_id" = Uuid, Path, description = "The entry's id"),
        ("If-Match" = inline(Option<caucus_wire::IfMatchValue>), Header, description = "The ETag you last read; a stale one is refused with 409"),
        ("Idempotency-Key" = inline(Option<caucus_wire::IdempotencyKeyValue>), Header, description = "Retry safely: a repeat with the same key records nothing new")
    ),
    responses((status = 200, description = "The register as it now stands", body = RegisterView), CommandErrors),
    security(("bearer" = []))
)]
#[post("/registers/{member_id}/entries/{entry_id}/removal")]
async fn remove_interest_entry(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    key: IdempotencyKey,
    if_match: IfMatch,
    path: web::Path<(Uuid, Uuid)>,
    body: JsonBody<RemoveInterestEntryRequest>,
) -> Result<HttpResponse, ApiError> {
    let (member_id, entry_id) = *path;
    let write = (&**state, &caller, &request, &key);
    if let Some(replay) = register_write(write, &body.raw, Operation::RemoveInterestEntry, member_id).await? {
        return Ok(replay);
    }
    let mut fields = Fields::new();
    let reason = fields.check("/reason", &body.value.reason);
    let change = fields.finish(|| Some(RegisterChange::RemoveEntry { entry_id, reason: reason? }))?;
    change_register((&state, &caller, &request, &key), &body.raw, member_id, change, if_match.0).await
}

/// Confirm a register unchanged.
#[utoipa::path(
    tag = "interests",
    operation_id = "confirm_register",
    summary = "The member confirms their register unchanged (councillors: their own): its entries no longer count as unchanged for a year",
    request_body = EmptyRequest,
    params(
        ("member_id" = Uuid, Path, description = "The member's id"),
        ("If-Match" = inline(Option<caucus_wire::IfMatchValue>), Header, description = "The ETag you last read; a stale one is refused with 409"),
        ("Idempotency-Key" = inline(Option<caucus_wire::IdempotencyKeyValue>), Header, description = "Retry safely: a repeat with the same key records nothing new")
    ),
    responses((status = 200, description = "The register as it now stands", body = RegisterView), CommandErrors),
    security(("bearer" = []))
)]
#[post("/registers/{member_id}/confirmation")]
async fn confirm_register(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    key: IdempotencyKey,
    if_match: IfMatch,
    member_id: web::Path<Uuid>,
    body: JsonBody<EmptyRequest>,
) -> Result<HttpResponse, ApiError> {
    let member_id = *member_id;
    let write = (&**state, &caller, &request, &key);
    if let Some(replay) = register_write(write, &body.raw, Operation::ConfirmRegister, member_id).await? {
        return Ok(replay);
    }
    change_register(
        (&state, &caller, &request, &key),
        &body.raw,
        member_id,
        RegisterChange::Confirm,
        if_match.0,
    )
    .await
}

/// What changed on a register between two days.
#[utoipa::path(
    tag = "interests",
    operation_id = "get_register_changes",
    summary = "The year-on-year diff of a member's register (councillors: their own): entries added, changed and removed between the end of `from` (default: a year before `to`) and the end of `to` (default: today)",
    params(("member_id" = Uuid, Path, description = "The member's id"), RegisterChangesParams),
    responses((status = 200, description = "The changes", body = RegisterChangesView), RecordPeriodErrors),
    security(("bearer" = []))
)]
#[get("/registers/{member_id}/changes")]
async fn get_register_changes(
    state: web::Data<AppState>,
    caller: Caller,
    member_id: web::Path<Uuid>,
    params: Query<RegisterChangesParams>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::GetRegisterChanges)?;
    let member_id = *member_id;
    require_member(&state, &caller, member_id, "read a register of interests").await?;
    let to = params.to.unwrap_or(state.read_on().today);
    let from = match params.from {
        Some(from) => from,
        None => to.checked_sub_months(Months::new(12)).unwrap_or(to),
    };
    if to < from {
        return Err(ApiError::invalid_field("/to", "must not be before from"));
    }
    let zone = state.motion_deadline.zone;
    let id = register_id(member_id).to_string();
    let kind = <Register as cqrs_es::Aggregate>::TYPE;
    let mut stood = Vec::new();
    for day in [from, to] {
        let at = history::record_as_of(&state.db, kind, &id, &interests::end_of(day, zone)).await?;
        let register: Register = match at {
            Some((group, stored)) if group == caller.group_id.as_str() => {
                serde_json::from_str(&stored.state).map_err(ApiError::internal)?
            }
            _ => Register::default(),
        };
        stood.push(register);
    }
    let changes = stood[1].changes_from(&stood[0]);
    Ok(HttpResponse::Ok().json(RegisterChangesView {
        member_id,
        from,
        to,
        added: changes.added.iter().map(InterestEntryView::from).collect(),
        changed: changes
            .changed
            .iter()
            .map(|(before, after)| InterestEntryChangeView { before: before.into(), after: after.into() })
            .collect(),
        removed: changes.removed.iter().map(InterestEntryView::from).collect(),
    }))
}

/// The review of the registers.
#[utoipa::path(
    tag = "interests",
    operation_id = "get_interests_review",
    summary = "The review of the registers of interests: each member's likely omissions found from Caucus's own records (outside bodies, group posts, sponsored hospitality, 28-day clocks run out, entries unchanged for a year), with the evidence",
    params(InterestsReviewParams),
    responses(
        (status = 200, description = "The review: JSON, or Markdown with `format=markdown`", content(
            (InterestsReviewView = "application/json"),
            (String = "text/markdown")
        )),
        ListErrors
    ),
    security(("bearer" = []))
)]
#[get("/interests-review")]
async fn get_interests_review(
    state: web::Data<AppState>,
    caller: Caller,
    params: Query<InterestsReviewParams>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::GetInterestsReview)?;
    let on = state.read_on();
    let sources =
        interests::sources(&command::scope(&state, &caller), on, None, HospitalitySources::Read).await?;
    let review = interests_review::build(&sources, on.today);
    let written = || interests_review::to_markdown(&review, caller.group_id.as_str());
    Ok(report_as(params.format, || &review, written))
}

/// Dismiss an item of the review.
#[utoipa::path(
    tag = "interests",
    operation_id = "dismiss_interests_review_item",
    summary = "Dismiss an item of the review as no omission, with the reason; recorded on the member's register, it no longer shows",
    request_body = DismissReviewItemRequest,
    params(
        ("item_id" = Uuid, Path, description = "The review item's id"),
        ("Idempotency-Key" = inline(Option<caucus_wire::IdempotencyKeyValue>), Header, description = "Retry safely: a repeat with the same key records nothing new")
    ),
    responses((status = 200, description = "The member's register as it now stands", body = RegisterView), CommandErrors),
    security(("bearer" = []))
)]
#[post("/interests-review/{item_id}/dismissal")]
async fn dismiss_interests_review_item(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    key: IdempotencyKey,
    item_id: web::Path<Uuid>,
    body: JsonBody<DismissReviewItemRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::DismissInterestsReviewItem)?;
    if let Some(replay) =
        command::replayed::<RegisterView>(&state, &caller, &request, &key, &body.raw).await?
    {
        return Ok(replay);
    }
    let mut fields = Fields::new();
    let reason = fields.check("/reason", &body.value.reason);
    let reason = fields.finish(|| reason)?;
    let on = state.read_on();
    let sources =
        interests::sources(&command::scope(&state, &caller), on, None, HospitalitySources::Read).await?;
    let review: InterestsReviewView = interests_review::build(&sources, on.today);
    let item = review.items.iter().find(|i| i.id == *item_id).ok_or(ApiError::NotFound("review item"))?;
    let change = RegisterChange::DismissReviewItem { item_id: item.id, reason, by: caller.subject.clone() };
    change_register((&state, &caller, &request, &key), &body.raw, item.member_id, change, None).await
}
