//! Audit routes: a record's history, the group's audit log in commit order,
//! its export as JSON Lines, a verification of its hash chain (at once, or
//! run in the background and read as it goes), and the latest signed
//! checkpoint.

use actix_web::{HttpResponse, get, http::header, post, web};
use caucus_wire::{
    Input,
    audit::{
        AuditEntryView, AuditLogPage, AuditLogParams, ChangeView, DEFAULT_AUDIT_PAGE, HistoryEventView,
        HistoryView, VerificationView, VerifyReport,
    },
};
use chrono::{DateTime, SecondsFormat, Utc};
use futures::StreamExt as _;
use serde_json::Value;
use uuid::Uuid;

use super::{API_PREFIX, AppState, Routes};
use crate::auth::{Caller, Operation};
use crate::domain::Classification;
use crate::http::{ApiError, ListErrors, Query, ReadErrors};
use crate::store::{
    chain::{self, LogEntry, LogFilter},
    history, projector, records, verifications,
};

pub fn configure(config: &mut Routes) {
    config
        .service(get_record_history)
        .service(list_audit_log)
        .service(export_audit_log)
        .service(verify_audit_log)
        .service(verify_audit_log_in_background)
        .service(get_audit_verification)
        .service(get_audit_checkpoint);
}

fn metadata_field(metadata: &Value, key: &str) -> Option<String> {
    metadata.get(key).and_then(Value::as_str).map(str::to_owned)
}

/// Every event of one record with who, when and what it changed
#[utoipa::path(
    tag = "audit",
    operation_id = "get_record_history",
    params(
        ("record_type" = inline(caucus_wire::audit::RecordType), Path, description = "The record type"),
        ("id" = Uuid, Path, description = "The record's id")
    ),
    responses((status = 200, description = "The record's events, oldest first", body = HistoryView), ReadErrors),
    security(("bearer" = []))
)]
#[get("/history/{record_type}/{id}")]
async fn get_record_history(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::GetRecordHistory)?;
    let (name, id) = path.into_inner();
    let record_type = projector::record_type_named(&name).ok_or(ApiError::NotFound("record"))?;
    let readable = Classification::readable_set(&caller.roles);
    records::find(&state.db, &caller.group_id, record_type, &id.to_string(), &readable)
        .await?
        .ok_or(ApiError::NotFound("record"))?;
    let events = history::history(&state.db, record_type, &id.to_string())
        .await?
        .into_iter()
        .map(|entry| HistoryEventView {
            sequence: entry.sequence,
            actor: metadata_field(&entry.metadata, "actor"),
            roles: metadata_field(&entry.metadata, "roles"),
            recorded_at: metadata_field(&entry.metadata, "recorded_at"),
            request_id: metadata_field(&entry.metadata, "request_id"),
            event_type: entry.event_type,
            event_version: entry.event_version,
            log_position: entry.log_position,
            hash: entry.hash,
            payload: entry.payload,
            metadata: entry.metadata,
            changes: entry
                .changes
                .into_iter()
                .map(|c| ChangeView { field: c.field, before: c.before, after: c.after })
                .collect(),
        })
        .collect();
    Ok(HttpResponse::Ok().json(HistoryView {
        record_type: record_type.to_lowercase(),
        record_id: id,
        events,
    }))
}

fn entry_view(entry: LogEntry) -> Result<AuditEntryView, ApiError> {
    let parse = |json: Option<String>| -> Result<Value, ApiError> {
        json.map(|j| serde_json::from_str(&j).map_err(ApiError::internal))
            .transpose()
            .map(Option::unwrap_or_default)
    };
    Ok(AuditEntryView {
        position: entry.log_position,
        record_type: entry.aggregate_type.to_lowercase(),
        record_id: entry.aggregate_id,
        sequence: entry.sequence,
        event_type: entry.event_type,
        event_version: entry.event_version,
        actor: entry.actor,
        recorded_at: entry.recorded_at,
        hash: entry.hash,
        payload: parse(entry.payload)?,
        metadata: parse(entry.metadata)?,
    })
}

fn instant(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// The group's events in commit order, filtered and paged by position
#[utoipa::path(
    tag = "audit",
    operation_id = "list_audit_log",
    params(AuditLogParams),
    responses((status = 200, description = "A page of the audit log", body = AuditLogPage), ListErrors),
    security(("bearer" = []))
)]
#[get("/audit/log")]
async fn list_audit_log(
    state: web::Data<AppState>,
    caller: Caller,
    params: Query<AuditLogParams>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::ListAuditLog)?;
    let limit = match params.limit {
        None => DEFAULT_AUDIT_PAGE,
        Some(limit) => limit.parse().map_err(|e| ApiError::BadRequest(format!("limit {e}")))?,
    };
    let record_type = match params.record_type {
        Some(kind) => Some(
            projector::record_type_named(kind.as_str())
                .ok_or_else(|| ApiError::internal(anyhow::anyhow!("no projection for {}", kind.as_str())))?,
        ),
        None => None,
    };
    let filter = LogFilter {
        actor: match &params.actor {
            Some(actor) => {
                Some(actor.parse().map_err(|e| ApiError::BadRequest(format!("actor {e}")))?.to_string())
            }
            None => None,
        },
        record_type: record_type.map(str::to_owned),
        record_id: params.record_id.map(|id| id.to_string()),
        from: params.from.map(instant),
        until: params.to.map(instant),
    };
    state.chainer.catch_up().await?;
    let after = match params.after {
        None => 0,
        Some(after) => after.parse().map_err(|e| ApiError::BadRequest(format!("after {e}")))?,
    };
    let mut entries =
        chain::read_log(&state.db, caller.group_id.as_str(), after, i64::from(limit) + 1, &filter).await?;
    let more = entries.len() > limit as usize;
    entries.truncate(limit as usize);
    let next_after = if more { entries.last().map(|e| e.log_position) } else { None };
    let entries = entries.into_iter().map(entry_view).collect::<Result<_, _>>()?;
    Ok(HttpResponse::Ok().json(AuditLogPage { entries, next_after }))
}

/// The group's whole log as JSON Lines, verifiable offline
#[utoipa::path(
    tag = "audit",
    operation_id = "export_audit_log",
    description = "A header line, the signed checkpoints, then every event with its link hash, one JSON \
                   object per line (format `caucus-log/1`). `caucus verify --export FILE --key KEY` checks \
                   it without the store.",
    responses(
        (status = 200, description = "The log as JSON Lines", content_type = "application/x-ndjson", body = String),
        ListErrors
    ),
    security(("bearer" = []))
)]
#[get("/audit/export")]
async fn export_audit_log(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::ExportAuditLog)?;
    state.chainer.catch_up().await?;
    let lines = chain::export(state.db.clone(), caller.group_id.to_string()).map(|line| {
        line.map(|line| web::Bytes::from(line.into_string())).map_err(|error| {
            // The status line is gone by now: log the cause and cut the stream,
            // which a reader sees as a truncated export that fails to verify.
            tracing::error!(error = %error, "the export stopped");
            ApiError::from(error)
        })
    });
    Ok(HttpResponse::Ok().content_type("application/x-ndjson").streaming(lines))
}

/// Checks the group's hash chain and signed checkpoints in the live store
#[utoipa::path(
    tag = "audit",
    operation_id = "verify_audit_log",
    description = "Reads every event of the log before it answers: on a log of a million events that is some \
                   seconds, longer than many proxies wait. `POST /audit/verifications` runs the same check in the \
                   background and says how far it has got.",
    responses((status = 200, description = "What the check found; `problem` names the first bad position", body = VerifyReport), ListErrors),
    security(("bearer" = []))
)]
#[get("/audit/verification")]
async fn verify_audit_log(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::VerifyAuditLog)?;
    state.chainer.catch_up().await?;
    let report =
        chain::verify_group(&state.db, caller.group_id.as_str(), state.verifier_key.as_deref()).await?;
    Ok(HttpResponse::Ok().json(report))
}

/// Starts verifying the group's hash chain and signed checkpoints in the background
#[utoipa::path(
    tag = "audit",
    operation_id = "verify_audit_log_in_background",
    description = "Verifying reads every event of the log, which on a log of millions takes longer than a \
                   request should: this answers at once, and the verification's own address (its `Location`) \
                   says how far it has got until its `state` is `done`, with the report. While one is \
                   running for the group, the answer is that one rather than another.",
    responses(
        (status = 202, description = "Verifying: read it at its Location", body = VerificationView,
         headers(("Location" = String, description = "The verification"))),
        ListErrors
    ),
    security(("bearer" = []))
)]
#[post("/audit/verifications")]
async fn verify_audit_log_in_background(
    state: web::Data<AppState>,
    caller: Caller,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::VerifyAuditLogInBackground)?;
    let view = crate::app::verification::start(
        &state.db,
        &state.chainer,
        caller.group_id.as_str(),
        &caller.subject,
        state.verifier_key.clone(),
    )
    .await?;
    Ok(HttpResponse::Accepted()
        .insert_header((header::LOCATION, format!("{API_PREFIX}/audit/verifications/{}", view.id)))
        .json(view))
}

/// A verification of the group's hash chain: how far it has got, and once done what it found
#[utoipa::path(
    tag = "audit",
    operation_id = "get_audit_verification",
    params(("verification_id" = Uuid, Path, description = "The verification's id")),
    responses((status = 200, description = "Where it stands", body = VerificationView), ReadErrors),
    security(("bearer" = []))
)]
#[get("/audit/verifications/{verification_id}")]
async fn get_audit_verification(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::GetAuditVerification)?;
    let view = verifications::find(&state.db, caller.group_id.as_str(), &id.to_string())
        .await?
        .ok_or(ApiError::NotFound("verification"))?;
    Ok(HttpResponse::Ok().json(view))
}

/// The latest signed checkpoint of the group's log
#[utoipa::path(
    tag = "audit",
    operation_id = "get_audit_checkpoint",
    description = "A C2SP tlog-checkpoint signed note (Ed25519): the origin, how many events it covers and \
                   the chain's head hash, then the signature line. The `Caucus-Verifier-Key` header carries \
                   the public key to check it with.",
    responses(
        (status = 200, description = "The signed note", content_type = "text/plain", body = String),
        ReadErrors
    ),
    security(("bearer" = []))
)]
#[get("/audit/checkpoint")]
async fn get_audit_checkpoint(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::GetAuditCheckpoint)?;
    let latest = chain::latest_checkpoint(&state.db, caller.group_id.as_str())
        .await?
        .ok_or(ApiError::NotFound("checkpoint"))?;
    let mut response = HttpResponse::Ok();
    response.content_type("text/plain; charset=utf-8");
    if let Some(key) = &state.verifier_key {
        response.insert_header(("Caucus-Verifier-Key", key.as_str()));
    }
    Ok(response.body(latest.note))
}
