//! What every write route does: run a command as the caller, at most once per
//! Idempotency-Key, and answer with the record as it now stands.

use actix_web::{HttpMessage, HttpRequest, HttpResponse, http::StatusCode};
use caucus_wire::ReadOn;
use chrono::{SecondsFormat, Utc};
use serde::Serialize;
use uuid::Uuid;

pub use caucus_wire::{AsOf, EmptyRequest};

use crate::auth::Caller;
use crate::domain::{Classification, DomainError, Record};
use crate::domain::{
    WorkingDays, case::CaseCategories, motion::SubmissionDeadline, publication::SocialLimits,
};
use crate::http::{ApiError, IdempotencyKey, Idempotent, with_etag};
use crate::personal::PersonalData;
use crate::store::{
    Database,
    chain::Chainer,
    command_bus::{CommandBus, CommandContext, Expectation},
    history,
    records::{self, StoredRecord},
};

/// Shared state of the api's handlers.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The store.
    pub db: Database,
    /// Runs commands.
    pub bus: CommandBus,
    /// Extends each group's hash chain (audit reads catch it up first).
    pub chainer: Chainer,
    /// The public key checkpoints are verified with, if checkpoints are signed.
    pub verifier_key: Option<String>,
    /// The limits social texts are checked against (Mastodon's is the instance's).
    pub social_limits: SocialLimits,
    /// The council's deadline for motions and questions (and its time zone).
    pub motion_deadline: SubmissionDeadline,
    /// The working days deadlines are counted in.
    pub working_days: WorkingDays,
    /// Seals and opens personal data with each subject's key.
    pub personal: PersonalData,
    /// The categories cases are filed under.
    pub case_categories: CaseCategories,
    /// Months after closing a case's personal data is kept by default.
    pub case_retention_months: u16,
    /// The value per head, in pence, at or over which hospitality must be registered.
    pub hospitality_threshold_pence: u64,
    /// The amount of spending, in pence, above which two different Group
    /// Officers must approve it.
    pub spending_second_approval_above_pence: u64,
    /// Probity (issue 18): the thresholds donations are judged by.
    pub donation_thresholds: crate::domain::donation::Thresholds,
}

impl AppState {
    /// The day it is in the council's time zone, and the working days
    /// counted in: what a view of a record is built against.
    pub fn read_on(&self) -> ReadOn<'_> {
        let now = Utc::now();
        ReadOn {
            now,
            today: now.with_timezone(&self.motion_deadline.zone).date_naive(),
            calendar: &self.working_days,
            social_limits: &self.social_limits,
            motion_deadline: &self.motion_deadline,
            hospitality_threshold_pence: self.hospitality_threshold_pence,
            case_retention_months: self.case_retention_months,
        }
    }
}

/// A record as a route shows it: built from the read model's row.
pub trait RecordView: Serialize + serde::de::DeserializeOwned + Sized {
    /// The aggregate behind it.
    type Record: Record<Services = ()>;
    /// Its name in messages ("decision").
    const NAME: &'static str;
    /// Its collection's path under the API prefix ("/decisions").
    const COLLECTION: &'static str;

    /// Builds the view from a stored row, as it reads `on` a day.
    fn from_stored(
        id: Uuid,
        record: Self::Record,
        stored: &StoredRecord,
        on: ReadOn<'_>,
    ) -> Result<Self, ApiError>;

    /// Removes the parts of the view a reader of only `readable` classifications
    /// may not see (e.g. a meeting's confidential agenda items). Most records are
    /// classified as a whole and have nothing to remove.
    fn redact(&mut self, _readable: &[Classification]) {}

    /// The view as `caller` may see it: e.g. personal data opened for the roles
    /// that may read it and redacted for the others. By default, as stored.
    fn reveal(self, state: &AppState, caller: &Caller) -> impl Future<Output = Result<Self, ApiError>> {
        let _ = (state, caller);
        async move { Ok(self) }
    }

    /// [`RecordView::reveal`] of a page of views, in their order; a view
    /// that reveals from other records overrides it to read them together.
    fn reveal_all(
        views: Vec<Self>,
        state: &AppState,
        caller: &Caller,
    ) -> impl Future<Output = Result<Vec<Self>, ApiError>> {
        async move {
            let mut revealed = Vec::with_capacity(views.len());
            for view in views {
                revealed.push(view.reveal(state, caller).await?);
            }
            Ok(revealed)
        }
    }
}

/// Reads one record the caller may see, or 404.
pub async fn find<V: RecordView>(state: &AppState, caller: &Caller, id: Uuid) -> Result<(V, u64), ApiError> {
    let (view, version) = find_sealed::<V>(state, caller, id).await?;
    Ok((view.reveal(state, caller).await?, version))
}

/// Like [`find`], but with the record's personal data still sealed (not yet
/// revealed): what may be stored, as an Idempotency-Key's answer is.
async fn find_sealed<V: RecordView>(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
) -> Result<(V, u64), ApiError> {
    let readable = Classification::readable_set(&caller.roles);
    // Every classification is fetched: whether the caller may read the record
    // is the record's to say (a case lets its own councillors read it).
    let stored = records::find(
        &state.db,
        &caller.group_id,
        <V::Record as cqrs_es::Aggregate>::TYPE,
        &id.to_string(),
        &Classification::ALL,
    )
    .await?
    .ok_or(ApiError::NotFound(V::NAME))?;
    let mut view =
        visible_view_of::<V>(&stored, caller, state.read_on())?.ok_or(ApiError::NotFound(V::NAME))?;
    view.redact(&readable);
    Ok((view, stored.version as u64))
}

/// The answer to a GET of one record: now, with its version as the ETag, or
/// as it stood at `at.as_of`.
pub async fn read_one<V: RecordView>(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
    at: &AsOf,
) -> Result<HttpResponse, ApiError> {
    let Some(as_of) = at.as_of else {
        let (view, version) = find::<V>(state, caller, id).await?;
        return Ok(with_etag(&mut HttpResponse::Ok(), version).json(view));
    };
    let until = as_of.to_rfc3339_opts(SecondsFormat::Micros, true);
    let record_type = <V::Record as cqrs_es::Aggregate>::TYPE;
    let readable = Classification::readable_set(&caller.roles);
    let stored = match history::record_as_of(&state.db, record_type, &id.to_string(), &until).await? {
        Some((group, stored)) if group == caller.group_id.as_str() => stored,
        _ => return Err(ApiError::NotFound(V::NAME)),
    };
    let mut view =
        visible_view_of::<V>(&stored, caller, state.read_on())?.ok_or(ApiError::NotFound(V::NAME))?;
    view.redact(&readable);
    Ok(HttpResponse::Ok().json(view.reveal(state, caller).await?))
}

/// What casework's operations work with, from the state.
pub fn desk(state: &AppState) -> crate::app::casework::Desk<'_> {
    crate::app::casework::Desk {
        bus: &state.bus,
        personal: &state.personal,
        calendar: &state.working_days,
        today: state.read_on().today,
        categories: state.case_categories.as_slice(),
    }
}

/// The records the caller's operations see.
pub fn scope<'a>(state: &'a AppState, caller: &'a Caller) -> crate::app::Scope<'a> {
    crate::app::Scope::new(&state.db, &caller.group_id, &caller.roles)
}

/// What the store says of a record beside its state, as the contract's views take it.
pub fn stored(record: &StoredRecord) -> caucus_wire::Stored<'_> {
    caucus_wire::Stored {
        version: record.version as u64,
        created_at: &record.created_at,
        updated_at: &record.updated_at,
    }
}

/// Builds the view of a stored row as it reads `on` a day.
pub fn view_of<V: RecordView>(stored: &StoredRecord, on: ReadOn<'_>) -> Result<V, ApiError> {
    let id = Uuid::parse_str(&stored.record_id).map_err(ApiError::internal)?;
    let record: V::Record = serde_json::from_str(&stored.state).map_err(ApiError::internal)?;
    V::from_stored(id, record, stored, on)
}

/// Builds the view of a stored row as it reads `on` a day, if `caller` may
/// read the record (`Record::readable_by`); `None` otherwise.
pub fn visible_view_of<V: RecordView>(
    stored: &StoredRecord,
    caller: &Caller,
    on: ReadOn<'_>,
) -> Result<Option<V>, ApiError> {
    let id = Uuid::parse_str(&stored.record_id).map_err(ApiError::internal)?;
    let record: V::Record = serde_json::from_str(&stored.state).map_err(ApiError::internal)?;
    if !record.readable_by(&caller.subject, &caller.roles) {
        return Ok(None);
    }
    V::from_stored(id, record, stored, on).map(Some)
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

impl<'a, C> Write<'a, C> {
    /// A write that creates a new record, its id from [`new_record_id`].
    pub fn create(
        state: &'a AppState,
        caller: &'a Caller,
        request: &'a HttpRequest,
        key: &'a IdempotencyKey,
        body: &'a [u8],
        command: C,
    ) -> Self {
        let id = new_record_id(caller, key, request);
        Self { state, caller, request, body, key, id, command, expectation: Expectation::New }
    }

    /// The same write, made to the existing record `id` at `version` (from
    /// `If-Match`; `None`: whatever its version).
    pub fn on_existing(self, id: Uuid, version: Option<u64>) -> Self {
        Self { id, expectation: Expectation::Existing(version), ..self }
    }

    fn context(&self) -> CommandContext {
        context_of(self.caller, self.request, self.key.0.clone())
    }
}

/// Who runs a command, on which request, under which Idempotency-Key.
pub fn context_of(caller: &Caller, request: &HttpRequest, idempotency_key: Option<String>) -> CommandContext {
    let request_id = request
        .extensions()
        .get::<tracing_actix_web::RequestId>()
        .map_or_else(|| Uuid::new_v4().to_string(), ToString::to_string);
    CommandContext {
        actor: caller.subject.clone(),
        roles: caller.roles.clone(),
        group_id: caller.group_id.clone(),
        request_id,
        idempotency_key,
    }
}

/// The id of a record a POST creates. With an Idempotency-Key the id is
/// derived from the caller, the key and the route, so a retry that finds the
/// key's claim abandoned (its first attempt crashed after committing) lands on
/// the same record instead of creating a second one; without a key it is a
/// fresh time-ordered id.
pub fn new_record_id(caller: &Caller, key: &IdempotencyKey, request: &HttpRequest) -> Uuid {
    match &key.0 {
        Some(key) => {
            let name = format!("caucus/{}/{}/{}/{}", caller.group_id, caller.subject, request.path(), key);
            Uuid::new_v5(&Uuid::NAMESPACE_URL, name.as_bytes())
        }
        None => Uuid::now_v7(),
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
    let Write { state, caller, request, body, key, id, command, expectation } = write;
    let write = Write { state, caller, request, body, key, id, command: (), expectation };
    execute_operation::<V>(write, async |context| {
        crate::app::run::<V::Record>(&state.bus, context, id, command, expectation, V::NAME).await
    })
    .await
}

/// Like [`execute`], but the write is `operation`, an application function
/// run with the write's context: checks of other records (a free seat), a
/// lock, several commands. It runs inside the Idempotency-Key's claim, so a
/// replayed request answers as the first one did without running it again.
pub async fn execute_operation<V: RecordView>(
    write: Write<'_, ()>,
    operation: impl AsyncFnOnce(&CommandContext) -> Result<(), ApiError>,
) -> Result<HttpResponse, ApiError> {
    let context = write.context();
    let Write { state, caller, request, body, key, id, expectation, .. } = write;
    // The answer kept for a replay holds the record with its personal data
    // sealed; it is revealed for the caller each time it is sent.
    let reveal = async |body: String| reveal_stored::<V>(state, caller, body).await;
    Idempotent::run(&state.db, caller, key, (request, body), reveal, async {
        operation(&context).await?;
        // A councillor who hands a case over, or stops sharing it with
        // themselves, has done it and may no longer read it.
        let (view, version) = match find_sealed::<V>(state, caller, id).await {
            Err(ApiError::NotFound(_)) => return Ok(Idempotent::no_content()),
            found => found?,
        };
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

/// An answer stored under an Idempotency-Key (its personal data sealed), as
/// `caller` is shown it.
async fn reveal_stored<V: RecordView>(
    state: &AppState,
    caller: &Caller,
    body: String,
) -> Result<String, ApiError> {
    if body.is_empty() {
        return Ok(body);
    }
    let view: V = serde_json::from_str(&body).map_err(ApiError::internal)?;
    serde_json::to_string(&view.reveal(state, caller).await?).map_err(ApiError::internal)
}

/// The answer already given to this request under its Idempotency-Key, if
/// any: what a retry gets before its body is checked against the records.
pub async fn replayed<V: RecordView>(
    state: &AppState,
    caller: &Caller,
    request: &HttpRequest,
    key: &IdempotencyKey,
    body: &[u8],
) -> Result<Option<HttpResponse>, ApiError> {
    let reveal = async |body: String| reveal_stored::<V>(state, caller, body).await;
    Idempotent::replay(&state.db, caller, key, (request, body), reveal).await
}

/// Defines a route (POST, or PATCH for an edit) that runs one command on an existing record: checks
/// the caller's role, parses the body with `$build` (which sees the caller,
/// the state, the parsed body and the record id), and answers with the record
/// as it now stands; `no_longer_yours` documents the 204 of a command after
/// which the caller may no longer read the record. The calling module imports the names the expansion uses
/// (`post` or `patch`, `web`, `HttpRequest`, `HttpResponse`, `Uuid`, `Caller`, `Operation`,
/// `AppState`, `IdempotencyKey`, `IfMatch`, `JsonBody`, `ApiError`,
/// `CommandErrors`, `Write`, `command`), so utoipa can read the
/// handler's signature as written.
macro_rules! record_command {
    (
        $view:ty, $command:ty, $tag:literal,
        $handler:ident, $op:ident, $method:ident, $path:literal, $summary:literal, $request:ty,
        $(no_longer_yours = $gone:literal,)?
        |$caller:ident, $state:ident, $value:ident, $id:ident| $build:expr
    ) => {
        #[doc = $summary]
        #[utoipa::path(
            tag = $tag,
            operation_id = stringify!($handler),
            summary = $summary,
            request_body = $request,
            params(
                ("id" = Uuid, Path, description = "The record's id"),
                ("If-Match" = inline(Option<caucus_wire::IfMatchValue>), Header, description = "The ETag you last read; a stale one is refused with 409"),
                ("Idempotency-Key" = inline(Option<caucus_wire::IdempotencyKeyValue>), Header, description = "Retry safely: a repeat with the same key records nothing new")
            ),
            responses(
                (status = 200, description = "The record as it now stands", body = $view),
                $((status = 204, description = $gone),)?
                CommandErrors
            ),
            security(("bearer" = []))
        )]
        #[$method($path)]
        pub(super) async fn $handler(
            $state: web::Data<AppState>,
            $caller: Caller,
            request: HttpRequest,
            key: IdempotencyKey,
            if_match: IfMatch,
            id: web::Path<Uuid>,
            body: JsonBody<$request>,
        ) -> Result<HttpResponse, ApiError> {
            $caller.require(Operation::$op)?;
            if let Some(replay) = command::replayed::<$view>(&$state, &$caller, &request, &key, &body.raw).await? {
                return Ok(replay);
            }
            let $value = &body.value;
            let $id = *id;
            let command: $command = $build?;
            let write = Write::create(&$state, &$caller, &request, &key, &body.raw, command);
            command::execute::<$view>(write.on_existing($id, if_match.0)).await
        }
    };
}
pub(crate) use record_command;
