//! `/organisations`: the council services and outside bodies cases are
//! referred to, with their response targets in working days.

use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use caucus_wire::{
    ParseRequest, ReadOn,
    casework::{DraftCouncilQuestionRequest, MAX_QUESTION_CASES},
    motions::MotionView,
    organisations::{
        OrganisationFilters, OrganisationPage, OrganisationRequest, OrganisationView,
        RetireOrganisationRequest,
    },
};
use uuid::Uuid;

use super::{
    AppState, Routes,
    command::{self, RecordView, Write, record_command},
    listing::{self, PageParams},
};
use crate::app::casework::{self, QuestionAsked};
use crate::auth::{Caller, Operation};
use crate::domain::organisation::{Organisation, OrganisationCommand, OrganisationStatus};
use crate::http::{
    ApiError, CommandErrors, Fields, IdempotencyKey, IfMatch, JsonBody, ListErrors, Query, ReadErrors,
};
use crate::store::records::{RecordFilter, StoredRecord};

impl RecordView for OrganisationView {
    type Record = Organisation;
    const NAME: &'static str = "organisation";
    const COLLECTION: &'static str = "/organisations";

    fn from_stored(
        id: Uuid,
        record: Organisation,
        stored: &StoredRecord,
        _on: ReadOn<'_>,
    ) -> Result<Self, ApiError> {
        OrganisationView::new(id, record, command::stored(stored)).map_err(ApiError::internal)
    }
}

pub fn configure(config: &mut Routes) {
    config
        .service(register_organisation)
        .service(list_organisations)
        .service(get_organisation)
        .service(update_organisation)
        .service(retire_organisation)
        .service(draft_council_question);
}

/// Register an organisation.
#[utoipa::path(
    tag = "casework",
    operation_id = "register_organisation",
    summary = "Add a council service or outside body that cases are referred to, with its response targets in working days",
    request_body = OrganisationRequest,
    params(("Idempotency-Key" = inline(Option<caucus_wire::IdempotencyKeyValue>), Header, description = "Retry safely: a repeat with the same key records nothing new")),
    responses((status = 201, description = "Registered", body = OrganisationView), CommandErrors),
    security(("bearer" = []))
)]
#[post("/organisations")]
async fn register_organisation(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    key: IdempotencyKey,
    body: JsonBody<OrganisationRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::RegisterOrganisation)?;
    let details = body.value.parse()?;
    let command = OrganisationCommand::RegisterOrganisation { group_id: caller.group_id.clone(), details };
    command::execute::<OrganisationView>(Write::create(&state, &caller, &request, &key, &body.raw, command))
        .await
}

/// List organisations.
#[utoipa::path(
    tag = "casework",
    operation_id = "list_organisations",
    summary = "The organisations cases are referred to, oldest first",
    params(OrganisationFilters),
    responses((status = 200, description = "A page of organisations", body = OrganisationPage), ListErrors),
    security(("bearer" = []))
)]
#[get("/organisations")]
async fn list_organisations(
    state: web::Data<AppState>,
    caller: Caller,
    filters: Query<OrganisationFilters>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::ListOrganisations)?;
    let paging = PageParams {
        cursor: filters.cursor.clone(),
        limit: filters.limit,
        as_of: filters.as_of,
        newest_first: false,
    };
    let statuses: Vec<&str> = filters.status.iter().map(|s| OrganisationStatus::from(*s).as_str()).collect();
    let filter = RecordFilter { statuses: &statuses, ..RecordFilter::default() };
    let (items, next_cursor) = listing::page_of::<OrganisationView>(&state, &caller, &paging, filter).await?;
    Ok(HttpResponse::Ok().json(OrganisationPage { items, next_cursor }))
}

/// Read one organisation.
#[utoipa::path(
    tag = "casework",
    operation_id = "get_organisation",
    summary = "One organisation; the ETag is its version",
    params(("id" = Uuid, Path, description = "The organisation's id"), command::AsOf),
    responses((status = 200, description = "The organisation", body = OrganisationView), ReadErrors),
    security(("bearer" = []))
)]
#[get("/organisations/{id}")]
async fn get_organisation(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    at: Query<command::AsOf>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::GetOrganisation)?;
    command::read_one::<OrganisationView>(&state, &caller, *id, &at).await
}

record_command!(
    OrganisationView,
    OrganisationCommand,
    "casework",
    update_organisation,
    UpdateOrganisation,
    patch,
    "/organisations/{id}",
    "Replace an organisation's details; referrals already made keep the targets they were made under",
    OrganisationRequest,
    |caller, state, value, id| {
        value.parse().map(|details| OrganisationCommand::UpdateOrganisation { details })
    }
);

record_command!(
    OrganisationView,
    OrganisationCommand,
    "casework",
    retire_organisation,
    RetireOrganisation,
    post,
    "/organisations/{id}/retirement",
    "Stop referring cases to an organisation, saying why",
    RetireOrganisationRequest,
    |caller, state, value, id| {
        let mut fields = Fields::new();
        let reason = fields.check("/reason", &value.reason);
        fields.finish(|| Some(OrganisationCommand::RetireOrganisation { reason: reason? }))
    }
);

/// Draft a council question from overdue casework.
#[utoipa::path(
    tag = "casework",
    operation_id = "draft_council_question",
    summary = "Draft a question to the Cabinet Member about the cases overdue with an organisation: a draft motion of kind question, counting and dating them, naming no resident, linked to the cases",
    request_body = DraftCouncilQuestionRequest,
    params(
        ("id" = Uuid, Path, description = "The organisation's id"),
        ("Idempotency-Key" = inline(Option<caucus_wire::IdempotencyKeyValue>), Header, description = "Retry safely: a repeat with the same key records nothing new")
    ),
    responses((status = 201, description = "The draft question", body = MotionView), CommandErrors),
    security(("bearer" = []))
)]
#[post("/organisations/{id}/council-questions")]
async fn draft_council_question(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    key: IdempotencyKey,
    id: web::Path<Uuid>,
    body: JsonBody<DraftCouncilQuestionRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::DraftCouncilQuestion)?;
    let value = &body.value;
    let mut fields = Fields::new();
    let directed_to = fields.check("/directed_to", &value.directed_to);
    if value.case_ids.as_ref().is_some_and(|ids| ids.len() > MAX_QUESTION_CASES) {
        fields.reject("/case_ids", format!("at most {MAX_QUESTION_CASES} cases"));
    }
    let asked = fields.finish(|| {
        Some(QuestionAsked {
            organisation_id: *id,
            meeting_id: value.meeting_id,
            proposer_id: value.proposer_id,
            directed_to: directed_to?,
            case_ids: value.case_ids.clone(),
        })
    })?;
    let desk = command::desk(&state);
    let write = Write::create(&state, &caller, &request, &key, &body.raw, ());
    let question = write.id;
    command::execute_operation::<MotionView>(write, async |context| {
        casework::draft_council_question(&command::scope(&state, &caller), desk, context, question, asked)
            .await
    })
    .await
}
