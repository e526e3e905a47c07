//! Audit routes: a record's history, the group's audit log in commit order,
//! its export as JSON Lines, a live verification of its hash chain, and the
//! latest signed checkpoint.

use super::Routes;
use actix_web::{HttpResponse, get, web};
use chrono::{DateTime, SecondsFormat, Utc};
use futures::StreamExt as _;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::AppState;
use crate::audit::verify::VerifyReport;
use crate::auth::{Caller, Operation};
use crate::domain::Classification;
use crate::http::{ApiError, ListErrors, ReadErrors};
use crate::store::{
    chain::{self, LogEntry, LogFilter},
    history, projector, records,
};

pub fn configure(config: &mut Routes) {
    config
        .service(get_record_history)
        .service(list_audit_log)
        .service(export_audit_log)
        .service(verify_audit_log)
        .service(get_audit_checkpoint);
}

/// The most entries one page of the audit log holds.
const MAX_PAGE: u32 = 1000;

/// One field an event changed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ChangeView {
    /// The record's field.
    pub field: String,
    /// Its value before the event (`null`: none).
    pub before: Value,
    /// Its value after the event (`null`: none).
    pub after: Value,
}

/// One event of a record's history.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HistoryEventView {
    /// Its sequence within the record (the record's version after it).
    pub sequence: i64,
    /// What happened (`DecisionAmended`, ...).
    pub event_type: String,
    /// The event's stored version.
    pub event_version: String,
    /// Who recorded it (token subject).
    pub actor: Option<String>,
    /// Their roles, comma-separated.
    pub roles: Option<String>,
    /// When it was recorded (RFC 3339, UTC).
    pub recorded_at: Option<String>,
    /// The HTTP request that carried it.
    pub request_id: Option<String>,
    /// Its position in the group's audit log, once chained (within a second).
    pub log_position: Option<i64>,
    /// Its link hash in the group's chain, once chained.
    pub hash: Option<String>,
    /// The event as stored.
    pub payload: Value,
    /// All of its metadata as stored.
    pub metadata: Value,
    /// What it changed in the record: each field before and after.
    pub changes: Vec<ChangeView>,
}

/// A record's history.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HistoryView {
    /// The record type (`decision`, `action`, `member`, `body`, `appointment`, ...).
    pub record_type: String,
    /// The record's id.
    pub record_id: Uuid,
    /// Every event, oldest first.
    pub events: Vec<HistoryEventView>,
}

fn metadata_field(metadata: &Value, key: &str) -> Option<String> {
    metadata.get(key).and_then(Value::as_str).map(str::to_owned)
}

/// Every event of one record with who, when and what it changed
#[utoipa::path(
    tag = "audit",
    operation_id = "get_record_history",
    params(
        ("record_type" = String, Path, description = "The record type: decision, action, member, body, appointment, ..."),
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

/// Filters and paging of the audit log.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AuditLogParams {
    /// Continue after this log position (the previous page's `next_after`).
    pub after: Option<u64>,
    /// At most this many entries (default 100, at most 1000).
    pub limit: Option<u32>,
    /// Only events by this actor (token subject).
    pub actor: Option<String>,
    /// Only events of this record type (`decision`, ...).
    pub record_type: Option<String>,
    /// Only events of this record.
    pub record_id: Option<Uuid>,
    /// Only events recorded at or after this instant.
    pub from: Option<DateTime<Utc>>,
    /// Only events recorded before this instant.
    pub to: Option<DateTime<Utc>>,
}

/// One entry of the audit log.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuditEntryView {
    /// Its position in the group's log: commit order, from 1, no gaps.
    pub position: i64,
    /// The record type.
    pub record_type: String,
    /// The record's id.
    pub record_id: String,
    /// Its sequence within the record.
    pub sequence: i64,
    /// What happened.
    pub event_type: Option<String>,
    /// The event's stored version.
    pub event_version: Option<String>,
    /// Who recorded it.
    pub actor: String,
    /// When (RFC 3339, UTC).
    pub recorded_at: String,
    /// Its link hash in the group's chain.
    pub hash: String,
    /// The event as stored (`null` if the log no longer has it: run a verification).
    pub payload: Value,
    /// Its metadata as stored.
    pub metadata: Value,
}

/// A page of the audit log.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuditLogPage {
    /// Entries in log order.
    pub entries: Vec<AuditEntryView>,
    /// Pass as `after` for the next page; absent on the last page.
    pub next_after: Option<i64>,
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
    params: web::Query<AuditLogParams>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::ListAuditLog)?;
    let limit = params.limit.unwrap_or(100);
    if !(1..=MAX_PAGE).contains(&limit) {
        return Err(ApiError::BadRequest(format!("limit must be between 1 and {MAX_PAGE}")));
    }
    let record_type = match &params.record_type {
        Some(name) => Some(
            projector::record_type_named(name)
                .ok_or_else(|| ApiError::BadRequest(format!("there is no record type called {name}")))?,
        ),
        None => None,
    };
    let filter = LogFilter {
        actor: params.actor.clone(),
        record_type: record_type.map(str::to_owned),
        record_id: params.record_id.map(|id| id.to_string()),
        from: params.from.map(instant),
        until: params.to.map(instant),
    };
    state.chainer.catch_up().await?;
    let after = i64::try_from(params.after.unwrap_or(0)).unwrap_or(i64::MAX);
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
