//! `/elections`: the group's elections to its posts, normally at the AGM. A
//! declared result appoints the winner to the post for the election's term,
//! through the appointment commands and under the post's seat lock, ending the
//! appointment of the holder they succeed.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use caucus_wire::ReadOn;
use caucus_wire::{
    ParseRequest,
    elections::{
        CancelElectionRequest, CandidateRequest, CountRoundRequest, DeclareResultRequest, ElectionFilters,
        ElectionPage, ElectionView, OpenElectionRequest,
    },
};
use uuid::Uuid;

use super::{
    AppState, Routes,
    command::{self, RecordView, Write, record_command},
    listing::{self, PageParams},
};
use crate::app::{elections, references};
use crate::auth::{Caller, Operation};
use crate::domain::election::{Election, ElectionCommand, ElectionStatus};
use crate::http::{
    ApiError, CommandErrors, Fields, IdempotencyKey, IfMatch, JsonBody, ListErrors, Query, ReadErrors,
};
use crate::store::{
    command_bus::Expectation,
    records::{RecordFilter, StoredRecord},
};

impl RecordView for ElectionView {
    type Record = Election;
    const NAME: &'static str = "election";
    const COLLECTION: &'static str = "/elections";

    fn from_stored(
        id: Uuid,
        record: Election,
        stored: &StoredRecord,
        _on: ReadOn<'_>,
    ) -> Result<Self, ApiError> {
        ElectionView::new(id, record, command::stored(stored)).map_err(ApiError::internal)
    }
}

pub fn configure(config: &mut Routes) {
    config
        .service(open_election)
        .service(list_elections)
        .service(get_election)
        .service(nominate_candidate)
        .service(withdraw_candidate)
        .service(count_election_round)
        .service(declare_election_result)
        .service(cancel_election);
}

/// Call an election.
#[utoipa::path(
    tag = "elections",
    operation_id = "open_election",
    summary = "Call an election for one of the group's posts, for a term, optionally at a meeting (the AGM)",
    request_body = OpenElectionRequest,
    params(("Idempotency-Key" = inline(Option<caucus_wire::IdempotencyKeyValue>), Header, description = "Retry safely: a repeat with the same key records nothing new")),
    responses((status = 201, description = "Called", body = ElectionView), CommandErrors),
    security(("bearer" = []))
)]
#[post("/elections")]
async fn open_election(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    key: IdempotencyKey,
    body: JsonBody<OpenElectionRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::OpenElection)?;
    let mut fields = Fields::new();
    let draft = body.value.parse_fields(&mut fields);
    if let Some(draft) = &draft {
        elections::check_new(&command::scope(&state, &caller), draft, &mut fields).await?;
    }
    let draft = fields.finish(|| draft)?;
    let command = ElectionCommand::OpenElection { group_id: caller.group_id.clone(), draft: Box::new(draft) };
    command::execute::<ElectionView>(Write::create(&state, &caller, &request, &key, &body.raw, command)).await
}

/// List elections.
#[utoipa::path(
    tag = "elections",
    operation_id = "list_elections",
    summary = "Elections, oldest first, filtered by post or status",
    params(ElectionFilters),
    responses((status = 200, description = "A page of elections", body = ElectionPage), ListErrors),
    security(("bearer" = []))
)]
#[get("/elections")]
async fn list_elections(
    state: web::Data<AppState>,
    caller: Caller,
    filters: Query<ElectionFilters>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::ListElections)?;
    let paging =
        PageParams { cursor: filters.cursor.clone(), limit: filters.limit, as_of: None, newest_first: false };
    let statuses: Vec<&str> = filters.status.iter().map(|s| ElectionStatus::from(*s).as_str()).collect();
    let (items, next_cursor) = listing::page_of::<ElectionView>(
        &state,
        &caller,
        &paging,
        RecordFilter { statuses: &statuses, body_id: filters.body_id, ..RecordFilter::default() },
    )
    .await?;
    Ok(HttpResponse::Ok().json(ElectionPage { items, next_cursor }))
}

/// Read one election.
#[utoipa::path(
    tag = "elections",
    operation_id = "get_election",
    summary = "One election with its candidates, rounds and result; the ETag is its version",
    params(("id" = Uuid, Path, description = "The election's id"), command::AsOf),
    responses((status = 200, description = "The election", body = ElectionView), ReadErrors),
    security(("bearer" = []))
)]
#[get("/elections/{id}")]
async fn get_election(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    at: Query<command::AsOf>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::GetElection)?;
    command::read_one::<ElectionView>(&state, &caller, *id, &at).await
}

record_command!(
    ElectionView,
    ElectionCommand,
    "elections",
    nominate_candidate,
    NominateCandidate,
    post,
    "/elections/{id}/nominations",
    "Nominate a current member of the group as a candidate",
    CandidateRequest,
    |caller, state, value, id| {
        let mut fields = Fields::new();
        references::check_current_member(
            &command::scope(&state, &caller),
            value.member_id,
            "/member_id",
            &mut fields,
        )
        .await?;
        fields.finish(|| Some(ElectionCommand::NominateCandidate { member_id: value.member_id }))
    }
);

record_command!(
    ElectionView,
    ElectionCommand,
    "elections",
    withdraw_candidate,
    WithdrawCandidate,
    post,
    "/elections/{id}/withdrawals",
    "A candidate withdraws (or is eliminated before another round)",
    CandidateRequest,
    |caller, state, value, id| Ok::<_, ApiError>(ElectionCommand::WithdrawCandidate {
        member_id: value.member_id
    })
);

record_command!(
    ElectionView,
    ElectionCommand,
    "elections",
    count_election_round,
    CountElectionRound,
    post,
    "/elections/{id}/rounds",
    "Record one round's votes for every standing candidate",
    CountRoundRequest,
    |caller, state, value, id| {
        Ok::<_, ApiError>(ElectionCommand::CountRound {
            votes: value.votes.iter().map(|v| (v.member_id, v.votes)).collect(),
        })
    }
);

record_command!(
    ElectionView,
    ElectionCommand,
    "elections",
    cancel_election,
    CancelElection,
    post,
    "/elections/{id}/cancellation",
    "Call an election off, giving the reason",
    CancelElectionRequest,
    |caller, state, value, id| {
        let mut fields = Fields::new();
        let reason = fields.check("/reason", &value.reason);
        fields.finish(|| Some(ElectionCommand::CancelElection { reason: reason? }))
    }
);

/// Declare the result of an election.
#[utoipa::path(
    tag = "elections",
    operation_id = "declare_election_result",
    summary = "Declare the result (the sole candidate, or the one with a majority of the last round) and appoint the winner to the post for the election's term",
    request_body = DeclareResultRequest,
    params(
        ("id" = Uuid, Path, description = "The election's id"),
        ("If-Match" = inline(Option<caucus_wire::IfMatchValue>), Header, description = "The ETag you last read; a stale one is refused with 409"),
        ("Idempotency-Key" = inline(Option<caucus_wire::IdempotencyKeyValue>), Header, description = "Retry safely: a repeat with the same key records nothing new")
    ),
    responses((status = 200, description = "The election as it now stands", body = ElectionView), CommandErrors),
    security(("bearer" = []))
)]
#[post("/elections/{id}/result")]
async fn declare_election_result(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    key: IdempotencyKey,
    if_match: IfMatch,
    id: web::Path<Uuid>,
    body: JsonBody<DeclareResultRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::DeclareElectionResult)?;
    let id = *id;
    let write = Write::create(&state, &caller, &request, &key, &body.raw, ()).on_existing(id, if_match.0);
    command::execute_operation::<ElectionView>(write, async |context| {
        let scope = command::scope(&state, &caller);
        elections::declare(&scope, &state.bus, context, id, body.value.on, Expectation::Existing(if_match.0))
            .await
    })
    .await
}
