//! `/residents`: a resident's own record, for the assistant who keeps it:
//! their details, everything held about them (subject access), and erasure on
//! request. Councillors see their residents on their cases.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use caucus_wire::{
    EmptyRequest, ParseRequest, ReadOn,
    casework::{
        CaseView, ResidentConsentRequest, ResidentEventView, ResidentRequest, ResidentSubjectAccessView,
        ResidentView,
    },
};
use cqrs_es::Aggregate as _;
use uuid::Uuid;

use super::{
    AppState, Routes,
    command::{self, RecordView, Write, record_command},
};
use crate::app::{case_erasure, casework as case_seal};
use crate::auth::{Caller, Operation};
use crate::domain::{
    case::Case,
    resident::{Resident, ResidentCommand},
};
use crate::http::{ApiError, CommandErrors, IdempotencyKey, IfMatch, JsonBody, Query, ReadErrors};
use crate::personal::subjects_in_json;
use crate::store::{history, records::StoredRecord};

impl RecordView for ResidentView {
    type Record = Resident;
    const NAME: &'static str = "resident";
    const COLLECTION: &'static str = "/residents";

    fn from_stored(
        id: Uuid,
        record: Resident,
        stored: &StoredRecord,
        _on: ReadOn<'_>,
    ) -> Result<Self, ApiError> {
        // Still sealed: `reveal` opens them for the office.
        ResidentView::sealed(id, record, command::stored(stored)).map_err(ApiError::internal)
    }

    async fn reveal(self, state: &AppState, _caller: &Caller) -> Result<Self, ApiError> {
        // Only the office reaches a resident's own record (the policy says so).
        let opener = state.personal.opener([self.id.to_string().as_str()]).await?;
        opener.open_view(self).map_err(ApiError::internal)
    }
}

pub fn configure(config: &mut Routes) {
    config
        .service(get_resident)
        .service(change_resident_details)
        .service(change_resident_consent)
        .service(get_resident_subject_access)
        .service(erase_resident_personal_data);
}

/// Read one resident.
#[utoipa::path(
    tag = "casework",
    operation_id = "get_resident",
    summary = "One resident's details (the assistant only: councillors see their residents on their cases); the ETag is its version",
    params(("id" = Uuid, Path, description = "The resident's id"), command::AsOf),
    responses((status = 200, description = "The resident", body = ResidentView), ReadErrors),
    security(("bearer" = []))
)]
#[get("/residents/{id}")]
async fn get_resident(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    at: Query<command::AsOf>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::GetResident)?;
    command::read_one::<ResidentView>(&state, &caller, *id, &at).await
}

/// A resident's subject access export.
#[utoipa::path(
    tag = "casework",
    operation_id = "get_resident_subject_access",
    summary = "Everything held about one resident: their record, their cases, and every event of them, with their personal data opened while its keys exist",
    params(("id" = Uuid, Path, description = "The resident's id")),
    responses((status = 200, description = "The subject access export", body = ResidentSubjectAccessView), ReadErrors),
    security(("bearer" = []))
)]
#[get("/residents/{id}/subject-access")]
async fn get_resident_subject_access(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::GetResidentSubjectAccess)?;
    let id = *id;
    let (resident, _) = command::find::<ResidentView>(&state, &caller, id).await?;
    let mut cases = Vec::new();
    let mut records = vec![(Resident::TYPE, id)];
    for stored in case_seal::cases_of_resident(&command::scope(&state, &caller), id).await? {
        let case_id = Uuid::parse_str(&stored.record_id).map_err(ApiError::internal)?;
        records.push((Case::TYPE, case_id));
        let view = command::view_of::<CaseView>(&stored, state.read_on())?;
        cases.push(view.reveal(&state, &caller).await?);
    }
    let mut events = Vec::new();
    for (record_type, record_id) in records {
        for entry in history::history(&state.db, record_type, &record_id.to_string()).await? {
            events.push(ResidentEventView {
                record_type: record_type.to_lowercase(),
                record_id,
                sequence: entry.sequence,
                event_type: entry.event_type,
                metadata: entry.metadata,
                payload: entry.payload,
            });
        }
    }
    let mut subjects = Vec::new();
    events.iter().for_each(|e| subjects_in_json(&e.payload, &mut subjects));
    let opener = state.personal.opener(subjects.iter().map(String::as_str)).await?;
    events.iter_mut().for_each(|e| opener.open_json(&mut e.payload));
    let generated_at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    Ok(HttpResponse::Ok().json(ResidentSubjectAccessView {
        subject_id: id,
        generated_at,
        resident,
        cases,
        events,
    }))
}

/// Erase a resident's personal data on their request.
#[utoipa::path(
    tag = "casework",
    operation_id = "erase_resident_personal_data",
    summary = "Erase a resident's personal data on their request: their details and every case's texts, by destroying the keys; what remains keeps the statistics",
    request_body = EmptyRequest,
    params(
        ("id" = Uuid, Path, description = "The resident's id"),
        ("Idempotency-Key" = inline(Option<caucus_wire::IdempotencyKeyValue>), Header, description = "Retry safely: a repeat with the same key records nothing new")
    ),
    responses((status = 200, description = "The resident as it now stands", body = ResidentView), CommandErrors),
    security(("bearer" = []))
)]
#[post("/residents/{id}/erasure")]
async fn erase_resident_personal_data(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    key: IdempotencyKey,
    id: web::Path<Uuid>,
    body: JsonBody<EmptyRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::EraseResidentPersonalData)?;
    let id = *id;
    command::find::<ResidentView>(&state, &caller, id).await?;
    let write = Write::create(&state, &caller, &request, &key, &body.raw, ()).on_existing(id, None);
    command::execute_operation::<ResidentView>(write, async |context| {
        case_erasure::erase_resident(
            &command::scope(&state, &caller),
            &state.bus,
            &state.personal,
            context,
            id,
        )
        .await
    })
    .await
}

record_command!(
    ResidentView,
    ResidentCommand,
    "casework",
    change_resident_details,
    ChangeResidentDetails,
    post,
    "/residents/{id}/details",
    "Replace a resident's details (every field: what is left out is removed), sealed under their key",
    ResidentRequest,
    |caller, state, value, id| {
        let contact = value.parse()?;
        let details = case_seal::seal_resident(&state.personal, id, &contact).await?;
        Ok::<_, ApiError>(ResidentCommand::ChangeResidentDetails { details })
    }
);

record_command!(
    ResidentView,
    ResidentCommand,
    "casework",
    change_resident_consent,
    ChangeResidentConsent,
    post,
    "/residents/{id}/consent",
    "Record that a resident gave or withdrew consent to their details being shared with the organisations their cases go to",
    ResidentConsentRequest,
    |caller, state, value, id| {
        Ok::<_, ApiError>(ResidentCommand::ChangeConsent { consent_to_share: value.consent_to_share })
    }
);
