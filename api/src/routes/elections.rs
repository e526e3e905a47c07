//! `/elections`: the group's elections to its posts, normally at the AGM. A
//! declared result appoints the winner to the post for the election's term,
//! through the appointment commands and under the post's seat lock, ending the
//! appointment of the holder they succeed.

use super::Routes;
use actix_web::{HttpMessage, HttpRequest, HttpResponse, get, post, web};
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use cqrs_es::Aggregate as _;

use caucus_wire::bodies::{BodyKind as BodyKindDto, BodyStatus as BodyStatusDto, BodyView};

use super::{
    AppState,
    classification::ClassificationDto,
    command::{self, RecordView, Write, record_command},
    listing::{self, PageParams},
    meetings::MeetingView,
};
use crate::app::references;
use crate::auth::{Caller, Operation};
use crate::domain::{
    Classification, Note,
    appointment::{Appointment, AppointmentCommand, AppointmentStatus, EndReason, Nomination},
    election::{Election, ElectionCommand, ElectionDraft, ElectionStatus},
};
use crate::http::{
    ApiError, CommandErrors, Fields, IdempotencyKey, IfMatch, JsonBody, ListErrors, ReadErrors,
};
use crate::store::{
    command_bus::{CommandContext, CommandError, Expectation},
    locks,
    records::{self, RecordFilter, RecordQuery, StoredRecord},
};

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

/// Where an election stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ElectionStatusDto {
    /// Taking nominations and votes.
    Open,
    /// The result has been declared.
    Declared,
    /// Called off.
    Cancelled,
}

impl ElectionStatusDto {
    fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Declared => "declared",
            Self::Cancelled => "cancelled",
        }
    }
}

/// Call an election for one of the group's posts.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenElectionRequest {
    /// The post: a body of kind `group_post` in the caller's group.
    pub body_id: Uuid,
    /// The meeting it is held at (normally the AGM).
    #[serde(default)]
    pub meeting_id: Option<Uuid>,
    /// Its title, e.g. `Chief Whip 2026/27`.
    pub title: String,
    /// The first day of the winner's term.
    pub term_starts_on: NaiveDate,
    /// The last day of the winner's term; not before its first day.
    #[serde(default)]
    pub term_ends_on: Option<NaiveDate>,
    /// Who may read it.
    pub classification: ClassificationDto,
}

/// A candidate.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CandidateRequest {
    /// The member: a current member of the group.
    pub member_id: Uuid,
}

/// One candidate's votes.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CandidateVotes {
    /// The candidate.
    pub member_id: Uuid,
    /// Their votes.
    pub votes: u32,
}

/// Count one round.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CountRoundRequest {
    /// Votes for every standing candidate, once each.
    pub votes: Vec<CandidateVotes>,
}

/// Declare the result.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeclareResultRequest {
    /// The day it was declared.
    pub on: NaiveDate,
}

/// Call an election off.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelElectionRequest {
    /// Why.
    pub reason: String,
}

/// The declared result.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OutcomeView {
    /// The winner.
    pub winner: Uuid,
    /// Whether nobody stood against them.
    pub uncontested: bool,
    /// The day it was declared.
    pub on: NaiveDate,
    /// The winner's appointment to the post.
    pub appointment_id: Uuid,
}

/// An election.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ElectionView {
    /// The election's id.
    pub id: Uuid,
    /// Its version; also its ETag.
    pub version: u64,
    /// Where it stands.
    pub status: ElectionStatusDto,
    /// The post.
    pub body_id: Uuid,
    /// The meeting it is held at.
    pub meeting_id: Option<Uuid>,
    /// Its title.
    pub title: String,
    /// The first day of the winner's term.
    pub term_starts_on: NaiveDate,
    /// The last day of the winner's term.
    pub term_ends_on: Option<NaiveDate>,
    /// Who may read it.
    pub classification: ClassificationDto,
    /// Standing candidates, in order of nomination.
    pub candidates: Vec<Uuid>,
    /// Candidates who withdrew.
    pub withdrawn: Vec<Uuid>,
    /// Each round's votes, in order.
    pub rounds: Vec<Vec<CandidateVotes>>,
    /// The declared result.
    pub outcome: Option<OutcomeView>,
    /// Why it was called off.
    pub cancellation_reason: Option<String>,
    /// When it was called (RFC 3339, UTC).
    pub recorded_at: String,
    /// When it last changed (RFC 3339, UTC).
    pub updated_at: String,
}

impl RecordView for ElectionView {
    type Record = Election;
    const NAME: &'static str = "election";
    const COLLECTION: &'static str = "/elections";

    fn from_stored(id: Uuid, e: Election, stored: &StoredRecord) -> Result<Self, ApiError> {
        let uncalled = || ApiError::internal(anyhow::anyhow!("election {id} in the read model is uncalled"));
        let status = match e.status {
            ElectionStatus::Uncalled => return Err(uncalled()),
            ElectionStatus::Open => ElectionStatusDto::Open,
            ElectionStatus::Declared => ElectionStatusDto::Declared,
            ElectionStatus::Cancelled => ElectionStatusDto::Cancelled,
        };
        Ok(Self {
            id,
            version: stored.version as u64,
            status,
            body_id: e.body_id.ok_or_else(uncalled)?,
            meeting_id: e.meeting_id,
            title: e.title.as_ref().ok_or_else(uncalled)?.to_string(),
            term_starts_on: e.term_starts_on.ok_or_else(uncalled)?,
            term_ends_on: e.term_ends_on,
            classification: e.classification.ok_or_else(uncalled)?.into(),
            candidates: e.candidates.clone(),
            withdrawn: e.withdrawn.clone(),
            rounds: e
                .rounds
                .iter()
                .map(|round| {
                    round
                        .iter()
                        .map(|(member_id, votes)| CandidateVotes { member_id: *member_id, votes: *votes })
                        .collect()
                })
                .collect(),
            outcome: e.outcome.map(|o| OutcomeView {
                winner: o.winner,
                uncontested: o.uncontested,
                on: o.on,
                appointment_id: o.appointment_id,
            }),
            cancellation_reason: e.cancellation_reason.as_ref().map(ToString::to_string),
            recorded_at: stored.created_at.clone(),
            updated_at: stored.updated_at.clone(),
        })
    }
}

/// A page of elections.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ElectionPage {
    /// The elections, oldest first.
    pub items: Vec<ElectionView>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// Filters for the elections list.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ElectionFilters {
    /// Only elections to this post.
    pub body_id: Option<Uuid>,
    /// Only elections in this status.
    pub status: Option<ElectionStatusDto>,
    /// Continue from the `next_cursor` of the previous page.
    #[param(inline)]
    pub cursor: Option<caucus_wire::Cursor>,
    /// Page size, 1 to 200 (default 50).
    #[param(inline)]
    pub limit: Option<caucus_wire::PageLimit>,
}

/// Call an election.
#[utoipa::path(
    tag = "elections",
    operation_id = "open_election",
    summary = "Call an election for one of the group's posts, for a term, optionally at a meeting (the AGM)",
    request_body = OpenElectionRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retry safely: a repeat with the same key records nothing new")),
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
    let value = &body.value;
    let mut fields = Fields::new();
    let title = fields.text("/title", &value.title);
    if let Some(end) = value.term_ends_on {
        fields.not_before("/term_ends_on", end, value.term_starts_on, "term_starts_on");
    }
    match command::find::<BodyView>(&state, &caller, value.body_id).await {
        Ok((body, _)) if body.kind != BodyKindDto::GroupPost => {
            fields.reject("/body_id", "elections are to the group's own posts (a body of kind group_post)");
        }
        Ok((body, _)) if body.status != BodyStatusDto::Active => {
            fields.reject("/body_id", "this post has been dissolved");
        }
        Ok(_) => {}
        Err(ApiError::NotFound(_)) => fields.reject("/body_id", "no such body in this group"),
        Err(other) => return Err(other),
    }
    if let Some(meeting_id) = value.meeting_id {
        match command::find::<MeetingView>(&state, &caller, meeting_id).await {
            Ok(_) => {}
            Err(ApiError::NotFound(_)) => fields.reject("/meeting_id", "no such meeting in this group"),
            Err(other) => return Err(other),
        }
    }
    let draft = fields.finish(|| {
        Some(ElectionDraft {
            body_id: value.body_id,
            meeting_id: value.meeting_id,
            title: title?,
            term_starts_on: value.term_starts_on,
            term_ends_on: value.term_ends_on,
            classification: value.classification.into(),
        })
    })?;
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
    filters: web::Query<ElectionFilters>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::ListElections)?;
    let paging = PageParams { cursor: filters.cursor.clone(), limit: filters.limit, as_of: None };
    let statuses: Vec<&str> = filters.status.iter().map(|s| s.as_str()).collect();
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
    at: web::Query<command::AsOf>,
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
        let reason = fields.text("/reason", &value.reason);
        fields.finish(|| Some(ElectionCommand::CancelElection { reason: reason? }))
    }
);

/// The id of the appointment an election makes: derived from the election, so
/// a retried declaration finds the appointment it already made.
fn appointment_id_for(election_id: Uuid) -> Uuid {
    Uuid::new_v5(&Uuid::NAMESPACE_URL, format!("caucus/election/{election_id}/appointment").as_bytes())
}

pub(crate) fn context_of(caller: &Caller, request: &HttpRequest) -> CommandContext {
    let request_id = request
        .extensions()
        .get::<tracing_actix_web::RequestId>()
        .map_or_else(|| Uuid::new_v4().to_string(), ToString::to_string);
    CommandContext {
        actor: caller.subject.clone(),
        roles: caller.roles.clone(),
        group_id: caller.group_id.clone(),
        request_id,
        idempotency_key: None,
    }
}

fn appointment_error(error: CommandError<crate::domain::appointment::AppointmentError>) -> ApiError {
    ApiError::from_command("appointment", error)
}

/// Appoints the declared winner to the post for the election's term: under the
/// post's seat lock, ends (or withdraws) as many earlier holders as the post
/// needs to free a seat, the longest-serving first, then nominates and
/// confirms the winner. Every step is skipped if already done, so a retry
/// completes what a failed attempt began.
async fn appoint_winner(
    state: &AppState,
    caller: &Caller,
    request: &HttpRequest,
    election: &ElectionView,
) -> Result<(), ApiError> {
    let Some(outcome) = &election.outcome else { return Ok(()) };
    let context = context_of(caller, request);
    let (post, _) = command::find::<BodyView>(state, caller, election.body_id).await?;
    let term_starts_on = election.term_starts_on;
    locks::with_lock(&state.db, &format!("body-seats:{}", election.body_id), async {
        let all = Classification::ALL;
        let holding = crate::app::seats::holding_words();
        let query = RecordQuery::new(&caller.group_id, Appointment::TYPE, &all).filtered(RecordFilter {
            statuses: &holding,
            body_id: Some(election.body_id),
            ..RecordFilter::default()
        });
        let mut holders: Vec<(Uuid, Appointment)> = records::list_all(&state.db, &query)
            .await?
            .iter()
            .map(|stored| {
                let id = Uuid::parse_str(&stored.record_id).map_err(ApiError::internal)?;
                Ok((id, serde_json::from_str(&stored.state).map_err(ApiError::internal)?))
            })
            .collect::<Result<_, ApiError>>()?;
        holders.retain(|(id, _)| *id != outcome.appointment_id);
        holders.sort_by_key(|(_, a)| a.term_starts_on);
        let excess = (holders.len() + 1).saturating_sub(usize::from(post.seats));
        let reason = Note::parse(&format!("Succeeded at the election: {}", election.title))
            .map_err(ApiError::internal)?;
        for (id, holder) in holders.into_iter().take(excess) {
            let command = if holder.status == AppointmentStatus::Current {
                let day_before = term_starts_on.checked_sub_days(Days::new(1)).unwrap_or(term_starts_on);
                let on = holder.term_starts_on.map_or(day_before, |start| day_before.max(start));
                AppointmentCommand::EndAppointment {
                    on,
                    reason: EndReason::Replaced,
                    note: Some(reason.clone()),
                }
            } else {
                AppointmentCommand::WithdrawNomination { reason: reason.clone() }
            };
            state
                .bus
                .execute::<Appointment>(&id.to_string(), command, &context, Expectation::Existing(None))
                .await
                .map_err(appointment_error)?;
        }
        let id = outcome.appointment_id.to_string();
        let nomination = Nomination {
            body_id: election.body_id,
            member_id: outcome.winner,
            role_title: None,
            term_starts_on,
            term_ends_on: election.term_ends_on,
            classification: election.classification.into(),
        };
        let nominate = AppointmentCommand::NominateMember {
            group_id: caller.group_id.clone(),
            nomination: Box::new(nomination),
        };
        match state.bus.execute::<Appointment>(&id, nominate, &context, Expectation::New).await {
            Ok(_) | Err(CommandError::AlreadyExists) => {}
            Err(error) => return Err(appointment_error(error)),
        }
        let appointment = records::find(&state.db, &caller.group_id, Appointment::TYPE, &id, &all).await?;
        if appointment.is_some_and(|a| a.status == "nominated") {
            let confirm = AppointmentCommand::ConfirmAppointment { on: outcome.on };
            state
                .bus
                .execute::<Appointment>(&id, confirm, &context, Expectation::Existing(None))
                .await
                .map_err(appointment_error)?;
        }
        Ok::<_, ApiError>(())
    })
    .await
}

/// Declare the result of an election.
#[utoipa::path(
    tag = "elections",
    operation_id = "declare_election_result",
    summary = "Declare the result (the sole candidate, or the one with a majority of the last round) and appoint the winner to the post for the election's term",
    request_body = DeclareResultRequest,
    params(
        ("id" = Uuid, Path, description = "The election's id"),
        ("If-Match" = Option<String>, Header, description = "The ETag you last read; a stale one is refused with 409"),
        ("Idempotency-Key" = Option<String>, Header, description = "Retry safely: a repeat with the same key records nothing new")
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
    // The winner must still be a member of the group when declared.
    let (election, _) = command::find::<ElectionView>(&state, &caller, id).await?;
    if election.status == ElectionStatusDto::Open {
        let mut fields = Fields::new();
        for (n, candidate) in election.candidates.iter().enumerate() {
            references::check_current_member(
                &command::scope(&state, &caller),
                *candidate,
                &format!("/candidates/{n}"),
                &mut fields,
            )
            .await?;
        }
        fields.finish(|| Some(()))?;
    }
    let command =
        ElectionCommand::DeclareResult { on: body.value.on, appointment_id: appointment_id_for(id) };
    let answer = command::execute::<ElectionView>(Write {
        state: &state,
        caller: &caller,
        request: &request,
        body: &body.raw,
        key: &key,
        id,
        command,
        expectation: Expectation::Existing(if_match.0),
    })
    .await?;
    let (declared, _) = command::find::<ElectionView>(&state, &caller, id).await?;
    appoint_winner(&state, &caller, &request, &declared).await?;
    Ok(answer)
}
