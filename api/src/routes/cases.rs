//! `/cases`: residents' enquiries, worked by the office and their councillor.
//! A case is read and worked only by those `Record::readable_by` lets in
//! (the assistant, its owner, the councillors it is shared with, and
//! auditors, who see its metadata only); to anyone else it does not exist.

use std::collections::HashMap;

use actix_web::{HttpRequest, HttpResponse, get, http::header, post, web};
use caucus_wire::{
    Input, ListOrder, ParseRequest, ReadOn,
    casework::{
        AwaitingHandoverView, CaseCategories as CategoriesView, CaseDayRequest, CaseFileParams, CaseFilters,
        CaseHandoversView, CaseNoteRequest, CasePage, CaseReaderRequest, CaseStatus as WireStatus, CaseView,
        ChaseReferralRequest, ClassifyCaseRequest, CloseCaseRequest, HandOverCaseRequest,
        KeepCaseLongerRequest, OpenCaseRequest, PersonalDataShown, RecordResponseRequest, ReferCaseRequest,
        ReferralAcknowledgedRequest, ReopenCaseRequest, ResidentView, TellResidentRequest,
    },
};
use cqrs_es::Aggregate as _;
use uuid::Uuid;

use super::{
    AppState, Routes,
    command::{self, RecordView, Write, record_command},
    listing::{self, PageParams},
};
use crate::app::{
    casework::{self, Referring},
    references,
};
use crate::auth::{Caller, Operation};
use crate::domain::{
    Classification,
    case::{Case, CaseCommand, CaseStatus, ResidentUpdate, shows_personal_data},
    resident::Resident,
    tag,
};
use crate::http::{
    ApiError, CommandErrors, Fields, IdempotencyKey, IfMatch, JsonBody, ListErrors, Query, ReadErrors, Upload,
};
use crate::personal::{OpenedBytes, Opener};
use crate::store::{
    case_files,
    records::{self, RecordFilter, StoredRecord},
};

impl RecordView for CaseView {
    type Record = Case;
    const NAME: &'static str = "case";
    const COLLECTION: &'static str = "/cases";

    fn from_stored(id: Uuid, record: Case, stored: &StoredRecord, on: ReadOn<'_>) -> Result<Self, ApiError> {
        // Still sealed: `reveal` opens or withholds its texts and adds the resident.
        CaseView::sealed(id, record, command::stored(stored), on).map_err(ApiError::internal)
    }

    async fn reveal(self, state: &AppState, caller: &Caller) -> Result<Self, ApiError> {
        let mut revealed = Self::reveal_all(vec![self], state, caller).await?;
        revealed.pop().ok_or_else(|| ApiError::internal(anyhow::anyhow!("a revealed case went missing")))
    }

    /// Opens the cases the caller may read the personal data of, with their
    /// residents, reading every resident and key the page needs at once; the
    /// others are withheld.
    async fn reveal_all(views: Vec<Self>, state: &AppState, caller: &Caller) -> Result<Vec<Self>, ApiError> {
        let shown = |view: &Self| {
            shows_personal_data(&caller.subject, &caller.roles, view.owner_id, &view.shared_with)
        };
        let resident_ids: Vec<String> =
            views.iter().filter(|v| shown(v)).map(|v| v.resident_id.to_string()).collect();
        let mut residents = HashMap::new();
        for stored in records::find_many(
            &state.db,
            &caller.group_id,
            Resident::TYPE,
            &resident_ids,
            &Classification::ALL,
        )
        .await?
        {
            residents.insert(
                stored.record_id.clone(),
                command::view_of::<ResidentView>(&stored, state.read_on())?,
            );
        }
        let case_ids: Vec<String> = views.iter().filter(|v| shown(v)).map(|v| v.id.to_string()).collect();
        let keys = case_ids.iter().chain(&resident_ids).map(String::as_str);
        let opener = state.personal.opener(keys).await?;
        let mut revealed = Vec::with_capacity(views.len());
        for view in views {
            if !shown(&view) {
                let mut withheld = open_with(&Opener::withholding(), view)?;
                if withheld.personal_data == PersonalDataShown::Shown {
                    withheld.personal_data = PersonalDataShown::Withheld;
                }
                revealed.push(withheld);
                continue;
            }
            // Opening the case opens the resident inside it, under the keys read above.
            let resident = residents.get(&view.resident_id.to_string()).cloned();
            revealed.push(open_with(&opener, Self { resident, ..view })?);
        }
        Ok(revealed)
    }
}

fn open_with<T: serde::Serialize + serde::de::DeserializeOwned>(
    opener: &Opener,
    view: T,
) -> Result<T, ApiError> {
    opener.open_view(view).map_err(ApiError::internal)
}

pub fn configure(config: &mut Routes) {
    config
        .service(list_case_categories)
        .service(open_case)
        .service(list_cases)
        .service(get_case)
        .service(acknowledge_case)
        .service(refer_case)
        .service(record_referral_acknowledged)
        .service(chase_referral)
        .service(record_referral_response)
        .service(add_case_note)
        .service(tell_resident)
        .service(share_case)
        .service(unshare_case)
        .service(hand_over_case)
        .service(classify_case)
        .service(close_case)
        .service(reopen_case)
        .service(keep_case_longer)
        .service(attach_case_file)
        .service(get_case_file)
        .service(list_case_handovers);
}

/// The case `id` if the caller may read it, else 404: checked before anything
/// is sealed for it.
async fn visible(state: &AppState, caller: &Caller, id: Uuid) -> Result<Case, ApiError> {
    casework::visible_case(&command::scope(state, caller), &caller.subject, &caller.roles, id).await
}

/// The categories cases are filed under.
#[utoipa::path(
    tag = "casework",
    operation_id = "list_case_categories",
    summary = "The categories a case may be filed under (configured per deployment)",
    responses((status = 200, description = "The categories", body = CategoriesView), ReadErrors),
    security(("bearer" = []))
)]
#[get("/case-categories")]
async fn list_case_categories(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::ListCaseCategories)?;
    let categories = state.case_categories.as_slice().iter().map(|c| c.as_str().to_owned()).collect();
    Ok(HttpResponse::Ok().json(CategoriesView { categories }))
}

/// Open a case.
#[utoipa::path(
    tag = "casework",
    operation_id = "open_case",
    summary = "Open a case for a resident already recorded or a new one; a councillor opens only cases they own or share",
    request_body = OpenCaseRequest,
    params(("Idempotency-Key" = inline(Option<caucus_wire::IdempotencyKeyValue>), Header, description = "Retry safely: a repeat with the same key records nothing new")),
    responses((status = 201, description = "Opened", body = CaseView), CommandErrors),
    security(("bearer" = []))
)]
#[post("/cases")]
async fn open_case(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    key: IdempotencyKey,
    body: JsonBody<OpenCaseRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::OpenCase)?;
    let opening = body.value.parse()?;
    let write = Write::create(&state, &caller, &request, &key, &body.raw, ());
    let id = write.id;
    command::execute_operation::<CaseView>(write, async |context| {
        casework::open_case(&command::scope(&state, &caller), command::desk(&state), context, id, opening)
            .await
    })
    .await
}

/// List cases.
#[utoipa::path(
    tag = "casework",
    operation_id = "list_cases",
    summary = "Cases, oldest first: a councillor's own and shared ones, by status, category, ward, organisation, overdue or coming due",
    params(CaseFilters),
    responses((status = 200, description = "A page of cases", body = CasePage), ListErrors),
    security(("bearer" = []))
)]
#[get("/cases")]
async fn list_cases(
    state: web::Data<AppState>,
    caller: Caller,
    filters: Query<CaseFilters>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::ListCases)?;
    let paging = PageParams {
        cursor: filters.cursor.clone(),
        limit: filters.limit,
        as_of: filters.as_of,
        newest_first: ListOrder::newest_first(filters.order),
    };
    let on = state.read_on();
    let today = filters.as_of.map_or(on.today, |at| at.date_naive());
    let mut tags = Vec::new();
    if !Classification::Casework.readable_by(&caller.roles) {
        // Not the office nor an auditor: only the cases they are a reader of.
        let Ok(member) = Uuid::parse_str(&caller.subject) else {
            return Ok(HttpResponse::Ok().json(CasePage { items: Vec::new(), next_cursor: None }));
        };
        tags.push(tag("reader", member));
    }
    if let Some(member) = filters.member_id {
        tags.push(tag("reader", member));
    }
    let bad = |name: &str, error: String| ApiError::BadRequest(format!("{name}: {error}"));
    if let Some(category) = &filters.category {
        let category = category.parse().map_err(|e| bad("category", e.to_string()))?;
        tags.push(tag("category", category.as_str()));
    }
    if let Some(ward) = &filters.ward {
        let ward = ward.parse().map_err(|e| bad("ward", e.to_string()))?;
        tags.push(tag("ward", ward.as_str()));
    }
    let statuses: Vec<&str> = filters.status.iter().map(|s| CaseStatus::from(*s).as_str()).collect();
    let (mut due_on_or_after, mut due_on_or_before) = (None, None);
    if filters.overdue == Some(true) {
        due_on_or_before = today.pred_opt();
    }
    if let Some(days) = filters.due_within_working_days {
        let days = days.parse().map_err(|e| bad("due_within_working_days", e.to_string()))?;
        due_on_or_after = Some(today);
        let horizon = on.calendar.add_working_days(today, u32::from(days));
        due_on_or_before = Some(due_on_or_before.map_or(horizon, |d: chrono::NaiveDate| d.min(horizon)));
    }
    let filter = RecordFilter {
        statuses: &statuses,
        body_id: filters.organisation_id,
        subject_id: filters.resident_id,
        tags: &tags,
        due_on_or_before,
        due_on_or_after,
        ..RecordFilter::default()
    };
    let (mut items, next_cursor) = listing::page_of_classifications::<CaseView>(
        &state,
        &caller,
        &paging,
        &[Classification::Casework],
        filter,
    )
    .await?;
    if filters.as_of.is_some() {
        for item in &mut items {
            item.overdue =
                item.status != WireStatus::Closed && item.next_due_on.is_some_and(|due| due < today);
        }
    }
    Ok(HttpResponse::Ok().json(CasePage { items, next_cursor }))
}

/// Read one case.
#[utoipa::path(
    tag = "casework",
    operation_id = "get_case",
    summary = "One case with its resident, referrals and due dates (with the days each skipped); the ETag is its version",
    params(("id" = Uuid, Path, description = "The case's id"), command::AsOf),
    responses((status = 200, description = "The case", body = CaseView), ReadErrors),
    security(("bearer" = []))
)]
#[get("/cases/{id}")]
async fn get_case(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    at: Query<command::AsOf>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::GetCase)?;
    command::read_one::<CaseView>(&state, &caller, *id, &at).await
}

/// Attach a file to a case.
#[utoipa::path(
    tag = "casework",
    operation_id = "attach_case_file",
    summary = "Attach a file (the request body, up to 20 MiB, with its Content-Type) to a case: stored sealed under the case's key, read only by the case's readers",
    params(
        ("id" = Uuid, Path, description = "The case's id"),
        CaseFileParams,
        ("If-Match" = inline(Option<caucus_wire::IfMatchValue>), Header, description = "The ETag you last read; a stale one is refused with 409"),
        ("Idempotency-Key" = inline(Option<caucus_wire::IdempotencyKeyValue>), Header, description = "Retry safely: a repeat with the same key records nothing new")
    ),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The file's bytes; Content-Type names its media type"),
    responses((status = 200, description = "The case as it now stands", body = CaseView), CommandErrors),
    security(("bearer" = []))
)]
#[post("/cases/{id}/files")]
async fn attach_case_file(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    key: IdempotencyKey,
    if_match: IfMatch,
    id: web::Path<Uuid>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::AttachCaseFile)?;
    // Read after the role check, so a caller who may not attach hears 403 whatever they sent.
    let params = web::Query::<CaseFileParams>::from_query(request.query_string())
        .map_err(|e| ApiError::BadRequest(format!("the query is not valid: {e}")))?;
    let name = params.name.parse().map_err(|e| ApiError::invalid_field("/name", e.to_string()))?.into_title();
    let upload = Upload::read(&request, payload).await?;
    let (id, version) = (*id, if_match.0);
    let write = Write::create(&state, &caller, &request, &key, &upload.content, ()).on_existing(id, version);
    let file = casework::Attachment { name, upload: &upload };
    command::execute_operation::<CaseView>(write, async |context| {
        casework::attach_file(
            &command::scope(&state, &caller),
            command::desk(&state),
            context,
            (id, version),
            file,
        )
        .await
    })
    .await
}

/// Download a case's file.
#[utoipa::path(
    tag = "casework",
    operation_id = "get_case_file",
    summary = "A file attached to a case, for those who may read the case's personal data",
    params(
        ("id" = Uuid, Path, description = "The case's id"),
        ("file" = String, Path, description = "The file's SHA-256")
    ),
    responses((status = 200, description = "The file", content_type = "application/octet-stream", body = Vec<u8>), ReadErrors),
    security(("bearer" = []))
)]
#[get("/cases/{id}/files/{file}")]
async fn get_case_file(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(Uuid, String)>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::GetCaseFile)?;
    let (id, sha256) = path.into_inner();
    let case = visible(&state, &caller, id).await?;
    let readers = case.shared_with.clone();
    let file = case
        .files
        .into_iter()
        .find(|f| f.sha256 == sha256)
        .filter(|_| {
            case.owner_id
                .is_some_and(|owner| shows_personal_data(&caller.subject, &caller.roles, owner, &readers))
        })
        .ok_or(ApiError::NotFound("file"))?;
    let case_key = id.to_string();
    let sealed = case_files::sealed_content(&state.db, &caller.group_id, &case_key, &sha256)
        .await?
        .ok_or(ApiError::NotFound("file"))?;
    let content = match state.personal.open_bytes(&case_key, &sha256, &sealed).await? {
        OpenedBytes::Readable(content) => content,
        OpenedBytes::Erased => return Err(ApiError::NotFound("file")),
        OpenedBytes::Unreadable => {
            return Err(ApiError::internal(anyhow::anyhow!(
                "case {id}'s file {sha256} does not open with its key"
            )));
        }
    };
    let opener = state.personal.opener([case_key.as_str()]).await?;
    let name = opener.open("name", &file.name).readable().unwrap_or_else(|| format!("{sha256}.bin"));
    Ok(HttpResponse::Ok()
        .content_type(file.media_type.as_str())
        .insert_header(header::ContentDisposition::attachment(name))
        .insert_header((header::ETAG, format!("\"{sha256}\"")))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(content))
}

record_command!(
    CaseView,
    CaseCommand,
    "casework",
    refer_case,
    ReferCase,
    post,
    "/cases/{id}/referrals",
    "Refer a case to an organisation: its acknowledgement and reply fall due in the organisation's working days",
    ReferCaseRequest,
    |caller, state, value, id| {
        let mut fields = Fields::new();
        let their_reference = fields.check_optional("/their_reference", value.their_reference.as_ref());
        let referring = fields.finish(|| {
            Some(Referring {
                organisation_id: value.organisation_id,
                share_details: value.share_details,
                their_reference: their_reference?,
                on: value.on,
            })
        })?;
        let actor = (caller.subject.as_str(), caller.roles.as_slice());
        casework::referral(&command::scope(&state, &caller), command::desk(&state), actor, id, referring)
            .await
    }
);

record_command!(
    CaseView,
    CaseCommand,
    "casework",
    chase_referral,
    ChaseReferral,
    post,
    "/cases/{id}/chases",
    "Chase the open referral: the next chase falls due the organisation's chase interval in working days later",
    ChaseReferralRequest,
    |caller, state, value, id| {
        let mut fields = Fields::new();
        let note = fields.check_optional("/note", value.note.as_ref());
        let note = fields.finish(|| note)?;
        let actor = (caller.subject.as_str(), caller.roles.as_slice());
        let step = (value.on, note.as_ref().map(|n| n.as_str()));
        casework::chase(&command::scope(&state, &caller), command::desk(&state), actor, id, step).await
    }
);

record_command!(
    CaseView,
    CaseCommand,
    "casework",
    acknowledge_case,
    AcknowledgeCase,
    post,
    "/cases/{id}/acknowledgement",
    "Record that the resident was told their case is being dealt with",
    CaseDayRequest,
    |caller, state, value, id| {
        visible(&state, &caller, id).await?;
        Ok::<_, ApiError>(CaseCommand::AcknowledgeCase { on: value.on.unwrap_or(state.read_on().today) })
    }
);

record_command!(
    CaseView,
    CaseCommand,
    "casework",
    record_referral_acknowledged,
    RecordReferralAcknowledged,
    post,
    "/cases/{id}/referral-acknowledgement",
    "Record that the organisation acknowledged the open referral, with its reference",
    ReferralAcknowledgedRequest,
    |caller, state, value, id| {
        visible(&state, &caller, id).await?;
        let mut fields = Fields::new();
        let their_reference = fields.check_optional("/their_reference", value.their_reference.as_ref());
        let on = value.on.unwrap_or(state.read_on().today);
        fields.finish(|| {
            Some(CaseCommand::RecordReferralAcknowledged { on, their_reference: their_reference? })
        })
    }
);

record_command!(
    CaseView,
    CaseCommand,
    "casework",
    record_referral_response,
    RecordReferralResponse,
    post,
    "/cases/{id}/response",
    "Record the organisation's answer to the open referral",
    RecordResponseRequest,
    |caller, state, value, id| {
        visible(&state, &caller, id).await?;
        let mut fields = Fields::new();
        let summary = fields.check("/summary", &value.summary);
        let summary = fields.finish(|| summary)?;
        let summary = casework::seal(&state.personal, id, "summary", summary.as_str()).await?;
        Ok::<_, ApiError>(CaseCommand::RecordResponse {
            on: value.on.unwrap_or(state.read_on().today),
            summary,
        })
    }
);

record_command!(
    CaseView,
    CaseCommand,
    "casework",
    add_case_note,
    AddCaseNote,
    post,
    "/cases/{id}/notes",
    "Add a note to a case",
    CaseNoteRequest,
    |caller, state, value, id| {
        visible(&state, &caller, id).await?;
        let mut fields = Fields::new();
        let text = fields.check("/text", &value.text);
        let text = fields.finish(|| text)?;
        let text = casework::seal(&state.personal, id, "text", text.as_str()).await?;
        Ok::<_, ApiError>(CaseCommand::AddCaseNote { on: value.on.unwrap_or(state.read_on().today), text })
    }
);

record_command!(
    CaseView,
    CaseCommand,
    "casework",
    tell_resident,
    TellResident,
    post,
    "/cases/{id}/resident-updates",
    "Record what the resident was told of their case (the organisation's answer, progress) and how",
    TellResidentRequest,
    |caller, state, value, id| {
        visible(&state, &caller, id).await?;
        let mut fields = Fields::new();
        let note = fields.check("/note", &value.note);
        let note = fields.finish(|| note)?;
        let update = ResidentUpdate {
            on: value.on.unwrap_or(state.read_on().today),
            how: value.how.into(),
            note: casework::seal(&state.personal, id, "note", note.as_str()).await?,
        };
        Ok::<_, ApiError>(CaseCommand::TellResident { update })
    }
);

record_command!(
    CaseView,
    CaseCommand,
    "casework",
    share_case,
    ShareCase,
    post,
    "/cases/{id}/sharing",
    "Share a case with a councillor (a ward colleague), who may then read and work it",
    CaseReaderRequest,
    |caller, state, value, id| {
        visible(&state, &caller, id).await?;
        let mut fields = Fields::new();
        let scope = command::scope(&state, &caller);
        references::check_current_member(&scope, value.member_id, "/member_id", &mut fields).await?;
        fields.finish(|| Some(CaseCommand::ShareCase { member_id: value.member_id }))
    }
);

record_command!(
    CaseView,
    CaseCommand,
    "casework",
    unshare_case,
    UnshareCase,
    post,
    "/cases/{id}/unsharing",
    "Stop sharing a case with a councillor",
    CaseReaderRequest,
    no_longer_yours = "Done: the case is no longer shared with you, so you may not read it",
    |caller, state, value, id| {
        visible(&state, &caller, id).await?;
        Ok::<_, ApiError>(CaseCommand::UnshareCase { member_id: value.member_id })
    }
);

record_command!(
    CaseView,
    CaseCommand,
    "casework",
    hand_over_case,
    HandOverCase,
    post,
    "/cases/{id}/handover",
    "Hand a case to another councillor, who becomes its owner (when a councillor leaves, or by agreement)",
    HandOverCaseRequest,
    no_longer_yours = "Done: the case is the other councillor's now, and you may no longer read it",
    |caller, state, value, id| {
        visible(&state, &caller, id).await?;
        let mut fields = Fields::new();
        let note = fields.check_optional("/note", value.note.as_ref());
        let scope = command::scope(&state, &caller);
        references::check_current_member(&scope, value.to, "/to", &mut fields).await?;
        let note = fields.finish(|| note)?;
        let note =
            casework::seal_optional(&state.personal, id, "note", note.as_ref().map(|n| n.as_str())).await?;
        Ok::<_, ApiError>(CaseCommand::HandOverCase { to: value.to, note })
    }
);

record_command!(
    CaseView,
    CaseCommand,
    "casework",
    classify_case,
    ClassifyCase,
    post,
    "/cases/{id}/special-category",
    "Record the special category data a case holds and the condition relied on, or clear it",
    ClassifyCaseRequest,
    |caller, state, value, id| {
        visible(&state, &caller, id).await?;
        value.parse().map(|special_category| CaseCommand::ClassifySpecialCategory { special_category })
    }
);

record_command!(
    CaseView,
    CaseCommand,
    "casework",
    close_case,
    CloseCase,
    post,
    "/cases/{id}/closure",
    "Close a case with its outcome",
    CloseCaseRequest,
    |caller, state, value, id| {
        visible(&state, &caller, id).await?;
        let mut fields = Fields::new();
        let note = fields.check_optional("/note", value.note.as_ref());
        let note = fields.finish(|| note)?;
        let note =
            casework::seal_optional(&state.personal, id, "note", note.as_ref().map(|n| n.as_str())).await?;
        let on = value.on.unwrap_or(state.read_on().today);
        Ok::<_, ApiError>(CaseCommand::CloseCase { on, outcome: value.outcome.into(), note })
    }
);

record_command!(
    CaseView,
    CaseCommand,
    "casework",
    reopen_case,
    ReopenCase,
    post,
    "/cases/{id}/reopening",
    "Reopen a closed case, saying why",
    ReopenCaseRequest,
    |caller, state, value, id| {
        visible(&state, &caller, id).await?;
        let mut fields = Fields::new();
        let reason = fields.check("/reason", &value.reason);
        let reason = fields.finish(|| reason)?;
        let reason = casework::seal(&state.personal, id, "reason", reason.as_str()).await?;
        Ok::<_, ApiError>(CaseCommand::ReopenCase { on: value.on.unwrap_or(state.read_on().today), reason })
    }
);

record_command!(
    CaseView,
    CaseCommand,
    "casework",
    keep_case_longer,
    KeepCaseLonger,
    post,
    "/cases/{id}/retention",
    "Keep a case's personal data longer after it closes than the deployment's period, saying why",
    KeepCaseLongerRequest,
    |caller, state, value, id| {
        visible(&state, &caller, id).await?;
        let retention = value.parse()?;
        if retention.months <= state.case_retention_months {
            let detail =
                format!("must be longer than the deployment's {} months", state.case_retention_months);
            return Err(caucus_wire::Invalid::field("/months", detail).into());
        }
        Ok::<_, ApiError>(CaseCommand::KeepLonger { retention })
    }
);

/// Cases waiting for a new owner.
#[utoipa::path(
    tag = "casework",
    operation_id = "list_case_handovers",
    summary = "Open cases whose owner has left the group, by former owner: each must be handed to another councillor or closed",
    responses((status = 200, description = "The cases waiting", body = CaseHandoversView), ReadErrors),
    security(("bearer" = []))
)]
#[get("/case-handovers")]
async fn list_case_handovers(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::ListCaseHandovers)?;
    let mut items = Vec::new();
    for waiting in casework::awaiting_handover(&command::scope(&state, &caller)).await? {
        let mut cases = Vec::with_capacity(waiting.cases.len());
        for stored in &waiting.cases {
            if let Some(view) = command::visible_view_of::<CaseView>(stored, &caller, state.read_on())? {
                cases.push(view.reveal(&state, &caller).await?);
            }
        }
        items.push(AwaitingHandoverView {
            member_id: waiting.member_id,
            name: waiting.name,
            left_on: waiting.left_on,
            cases,
        });
    }
    Ok(HttpResponse::Ok().json(CaseHandoversView { items }))
}
