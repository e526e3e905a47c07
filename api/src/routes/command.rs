//! What every write route does: run a command as the caller, at most once per
//! Idempotency-Key, and answer with the record as it now stands.

use actix_web::{HttpMessage, HttpRequest, HttpResponse, http::StatusCode};
use serde::Serialize;
use uuid::Uuid;

use crate::auth::Caller;
use crate::domain::{Classification, DomainError, Record};
use crate::http::{ApiError, IdempotencyKey, Idempotent};
use crate::store::{
    Database,
    command_bus::{CommandBus, CommandContext, Expectation},
    records::{self, StoredRecord},
};

/// Shared state of the api's handlers.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The store.
    pub db: Database,
    /// Runs commands.
    pub bus: CommandBus,
}

/// A record as a route shows it: built from the read model's row.
pub trait RecordView: Serialize + Sized {
    /// The aggregate behind it.
    type Record: Record<Services = ()>;
    /// Its name in messages ("decision").
    const NAME: &'static str;
    /// Its collection's path under the API prefix ("/decisions").
    const COLLECTION: &'static str;

    /// Builds the view from a stored row.
    fn from_stored(id: Uuid, record: Self::Record, stored: &StoredRecord) -> Result<Self, ApiError>;
}

/// Reads one record the caller may see, or 404.
pub async fn find<V: RecordView>(state: &AppState, caller: &Caller, id: Uuid) -> Result<(V, u64), ApiError> {
    let readable = Classification::readable_set(&caller.roles);
    let stored = records::find(
        &state.db,
        &caller.group_id,
        <V::Record as cqrs_es::Aggregate>::TYPE,
        &id.to_string(),
        &readable,
    )
    .await?
    .ok_or(ApiError::NotFound(V::NAME))?;
    view_of::<V>(&stored).map(|view| (view, stored.version as u64))
}

/// Builds the view of a stored row.
pub fn view_of<V: RecordView>(stored: &StoredRecord) -> Result<V, ApiError> {
    let id = Uuid::parse_str(&stored.record_id).map_err(ApiError::internal)?;
    let record: V::Record = serde_json::from_str(&stored.state).map_err(ApiError::internal)?;
    V::from_stored(id, record, stored)
}

/// One write: who, on what, with which command.
#[derive(Debug)]
pub struct Write<'a, C> {
    /// Shared state.
    pub state: &'a AppState,
    /// The caller.
    pub caller: &'a Caller,
    /// The HTTP request (for the request id and the idempotency fingerprint).
    pub request: &'a HttpRequest,
    /// The raw body (for the idempotency fingerprint).
    pub body: &'a [u8],
    /// The client's Idempotency-Key.
    pub key: &'a IdempotencyKey,
    /// The record.
    pub id: Uuid,
    /// The command.
    pub command: C,
    /// What the caller expects of the record.
    pub expectation: Expectation,
}

impl<C> Write<'_, C> {
    fn context(&self) -> CommandContext {
        let request_id = self
            .request
            .extensions()
            .get::<tracing_actix_web::RequestId>()
            .map_or_else(|| Uuid::new_v4().to_string(), ToString::to_string);
        CommandContext {
            actor: self.caller.subject.clone(),
            roles: self.caller.roles.clone(),
            group_id: self.caller.group_id.clone(),
            request_id,
            idempotency_key: self.key.0.clone(),
        }
    }
}

/// Runs `write` and answers with the record as it now stands: 201 with a
/// Location for a new record, 200 otherwise; the ETag is its version.
pub async fn execute<V>(
    write: Write<'_, <V::Record as cqrs_es::Aggregate>::Command>,
) -> Result<HttpResponse, ApiError>
where
    V: RecordView,
    <V::Record as cqrs_es::Aggregate>::Error: DomainError,
{
    execute_checked::<V>(write, async { Ok(()) }).await
}

/// Like [`execute`], but first runs `check`, a test of other records the
/// command depends on (e.g. a free seat on a body). The check runs inside the
/// Idempotency-Key's claim: a replayed request answers as the first one did,
/// without checking again.
pub async fn execute_checked<V>(
    write: Write<'_, <V::Record as cqrs_es::Aggregate>::Command>,
    check: impl Future<Output = Result<(), ApiError>>,
) -> Result<HttpResponse, ApiError>
where
    V: RecordView,
    <V::Record as cqrs_es::Aggregate>::Error: DomainError,
{
    let context = write.context();
    let Write { state, caller, request, body, key, id, command, expectation } = write;
    Idempotent::run(&state.db, caller, key, (request, body), async {
        check.await?;
        state
            .bus
            .execute::<V::Record>(&id.to_string(), command, &context, expectation)
            .await
            .map_err(|e| ApiError::from_command(V::NAME, e))?;
        let (view, version) = find::<V>(state, caller, id).await?;
        let created = expectation == Expectation::New;
        let status = if created { StatusCode::CREATED } else { StatusCode::OK };
        let answer = Idempotent::new(status, &view)?.versioned(version);
        Ok(if created {
            answer.located_at(format!("{}{}/{id}", super::API_PREFIX, V::COLLECTION))
        } else {
            answer
        })
    })
    .await
}
