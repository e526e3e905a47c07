//! `/motions`: motions and questions for the council's meetings: the group's
//! own drafted, revised and submitted before the council's deadline, other
//! groups' recorded once tabled; the whip on each, the outcome with the
//! council's counts and the group's members' votes; and `/motions/whip-report`,
//! the members whose recorded vote differed from the whip.

use std::collections::{BTreeMap, btree_map::Entry};

use super::Routes;
use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use caucus_wire::members::MemberView;

use caucus_wire::meetings::{MeetingKind as MeetingKindDto, MeetingView};

use super::{
    AppState,
    classification::ClassificationDto,
    command::{self, EmptyRequest, RecordView, Write, record_command},
    listing::{self, PageParams},
};
use crate::app::references;
use crate::auth::{Caller, Operation};
use crate::domain::motion::{
    MemberVote, Motion, MotionCommand, MotionDraft, MotionKind, MotionOrigin, MotionOutcome, MotionStatus,
    VoteCounts, VoteOption, Whip, WhipPosition,
};
use crate::http::{
    ApiError, CommandErrors, Fields, IdempotencyKey, IfMatch, JsonBody, ListErrors, ReadErrors,
};
use crate::store::{
    command_bus::Expectation,
    records::{RecordFilter, StoredRecord},
};

pub fn configure(config: &mut Routes) {
    config
        .service(record_motion)
        .service(list_motions)
        .service(get_whip_report)
        .service(get_motion)
        .service(revise_motion)
        .service(submit_motion)
        .service(table_motion)
        .service(set_whip)
        .service(record_motion_outcome);
}

/// Motion or question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MotionKindDto {
    /// A motion, decided by a vote.
    Motion,
    /// A question to a member of the executive or a committee chair.
    Question,
}

impl From<MotionKindDto> for MotionKind {
    fn from(kind: MotionKindDto) -> Self {
        match kind {
            MotionKindDto::Motion => Self::Motion,
            MotionKindDto::Question => Self::Question,
        }
    }
}

impl From<MotionKind> for MotionKindDto {
    fn from(kind: MotionKind) -> Self {
        match kind {
            MotionKind::Motion => Self::Motion,
            MotionKind::Question => Self::Question,
        }
    }
}

/// Where a motion stands: before the meeting, `drafted`, `submitted` or
/// `tabled`; after it, how it ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MotionStatusDto {
    /// The group's draft.
    Drafted,
    /// Submitted to the council.
    Submitted,
    /// On the meeting's agenda.
    Tabled,
    /// Carried as moved.
    Carried,
    /// Carried as amended.
    Amended,
    /// Lost.
    Lost,
    /// Withdrawn.
    Withdrawn,
    /// A question answered.
    Answered,
    /// A question the meeting did not reach.
    NotReached,
}

impl MotionStatusDto {
    fn as_str(self) -> &'static str {
        match self {
            Self::Drafted => "drafted",
            Self::Submitted => "submitted",
            Self::Tabled => "tabled",
            Self::Carried => "carried",
            Self::Amended => "amended",
            Self::Lost => "lost",
            Self::Withdrawn => "withdrawn",
            Self::Answered => "answered",
            Self::NotReached => "not_reached",
        }
    }

    fn of(motion: &Motion) -> Option<Self> {
        Some(match (motion.status, &motion.outcome) {
            (MotionStatus::Unrecorded, _) => return None,
            (MotionStatus::Drafted, _) => Self::Drafted,
            (MotionStatus::Submitted, _) => Self::Submitted,
            (MotionStatus::Tabled, _) | (MotionStatus::Decided, None) => Self::Tabled,
            (MotionStatus::Decided, Some(outcome)) => match outcome {
                MotionOutcome::Carried => Self::Carried,
                MotionOutcome::Amended { .. } => Self::Amended,
                MotionOutcome::Lost => Self::Lost,
                MotionOutcome::Withdrawn => Self::Withdrawn,
                MotionOutcome::Answered { .. } => Self::Answered,
                MotionOutcome::NotReached => Self::NotReached,
            },
        })
    }
}

/// Who brings a motion: one of the group's members (`proposer_id`, optional
/// `seconder_id`), or for another group's motion, its `mover` by name.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OriginDto {
    /// The group's member moving it (or asking the question).
    #[serde(default)]
    pub proposer_id: Option<Uuid>,
    /// The group's member seconding it.
    #[serde(default)]
    pub seconder_id: Option<Uuid>,
    /// For another group's motion: who moves it, e.g. `Cllr Jane Doe (Green)`.
    #[serde(default)]
    pub mover: Option<String>,
}

impl From<&MotionOrigin> for OriginDto {
    fn from(origin: &MotionOrigin) -> Self {
        match origin {
            MotionOrigin::Group { proposer_id, seconder_id } => {
                Self { proposer_id: Some(*proposer_id), seconder_id: *seconder_id, mover: None }
            }
            MotionOrigin::Other { mover } => {
                Self { proposer_id: None, seconder_id: None, mover: Some(mover.to_string()) }
            }
        }
    }
}

/// Record a motion or question.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordMotionRequest {
    /// Motion or question.
    pub kind: MotionKindDto,
    /// Its title, up to 200 characters.
    pub title: String,
    /// Its text, up to 50,000 characters.
    pub text: String,
    /// Who brings it: the group's own is a draft; another group's is recorded as tabled.
    pub origin: OriginDto,
    /// The council meeting it is for (Full Council, Cabinet, Scrutiny or a committee).
    pub meeting_id: Uuid,
    /// For a question: who it is put to, e.g. `Cabinet Member for Housing`.
    #[serde(default)]
    pub directed_to: Option<String>,
    /// Who may read it.
    pub classification: ClassificationDto,
}

/// Revise a draft.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviseMotionRequest {
    /// The new title.
    pub title: String,
    /// The new text.
    pub text: String,
    /// Why, up to 2,000 characters.
    #[serde(default)]
    pub reason: Option<String>,
}

/// The group's position on a motion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WhipPositionDto {
    /// Vote for.
    For,
    /// Vote against.
    Against,
    /// Abstain.
    Abstain,
    /// Members vote as they choose.
    FreeVote,
}

impl From<WhipPositionDto> for WhipPosition {
    fn from(p: WhipPositionDto) -> Self {
        match p {
            WhipPositionDto::For => Self::For,
            WhipPositionDto::Against => Self::Against,
            WhipPositionDto::Abstain => Self::Abstain,
            WhipPositionDto::FreeVote => Self::FreeVote,
        }
    }
}

impl From<WhipPosition> for WhipPositionDto {
    fn from(p: WhipPosition) -> Self {
        match p {
            WhipPosition::For => Self::For,
            WhipPosition::Against => Self::Against,
            WhipPosition::Abstain => Self::Abstain,
            WhipPosition::FreeVote => Self::FreeVote,
        }
    }
}

/// Set the whip.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WhipDto {
    /// The position.
    pub position: WhipPositionDto,
    /// What members are told, up to 2,000 characters.
    #[serde(default)]
    pub note: Option<String>,
}

/// One way to vote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum VoteOptionDto {
    /// For.
    Yes,
    /// Against.
    No,
    /// Abstained.
    Abstain,
    /// Not there for the vote.
    Absent,
}

impl From<VoteOptionDto> for VoteOption {
    fn from(o: VoteOptionDto) -> Self {
        match o {
            VoteOptionDto::Yes => Self::Yes,
            VoteOptionDto::No => Self::No,
            VoteOptionDto::Abstain => Self::Abstain,
            VoteOptionDto::Absent => Self::Absent,
        }
    }
}

impl From<VoteOption> for VoteOptionDto {
    fn from(o: VoteOption) -> Self {
        match o {
            VoteOption::Yes => Self::Yes,
            VoteOption::No => Self::No,
            VoteOption::Abstain => Self::Abstain,
            VoteOption::Absent => Self::Absent,
        }
    }
}

/// The council's counts (Popolo VoteEvent `counts`).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VoteCountsDto {
    /// For.
    pub yes: u32,
    /// Against.
    pub no: u32,
    /// Abstained.
    pub abstain: u32,
    /// Absent.
    pub absent: u32,
}

/// How one of the group's members voted (Popolo `votes`).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberVoteDto {
    /// The member.
    pub member_id: Uuid,
    /// The vote.
    pub option: VoteOptionDto,
}

/// How the meeting dealt with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeDto {
    /// A motion carried as moved.
    Carried,
    /// A motion carried as amended (give `amended_text`).
    Amended,
    /// A motion lost.
    Lost,
    /// Withdrawn by its mover.
    Withdrawn,
    /// A question answered (give `answer` if it was in writing).
    Answered,
    /// A question the meeting did not reach.
    NotReached,
}

/// Record the outcome.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordOutcomeRequest {
    /// How it ended.
    pub outcome: OutcomeDto,
    /// With `amended`: the text as carried.
    #[serde(default)]
    pub amended_text: Option<String>,
    /// With `answered`: the answer, where given in writing.
    #[serde(default)]
    pub answer: Option<String>,
    /// The council's counts, for a motion voted on.
    #[serde(default)]
    pub counts: Option<VoteCountsDto>,
    /// How the group's members voted, where recorded.
    #[serde(default)]
    pub votes: Vec<MemberVoteDto>,
}

/// An earlier text of a draft.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EarlierTextView {
    /// The title.
    pub title: String,
    /// The text.
    pub text: String,
    /// Why it was replaced.
    pub replaced_because: Option<String>,
}

/// A motion or question.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MotionView {
    /// Its id.
    pub id: Uuid,
    /// Its version; also its ETag.
    pub version: u64,
    /// Motion or question.
    pub kind: MotionKindDto,
    /// Where it stands, or how it ended.
    pub status: MotionStatusDto,
    /// Its title.
    pub title: String,
    /// Its text.
    pub text: String,
    /// Earlier texts of the draft, oldest first.
    pub earlier_texts: Vec<EarlierTextView>,
    /// Who brings it.
    pub origin: OriginDto,
    /// The council meeting it is for.
    pub meeting_id: Uuid,
    /// For a question: who it is put to.
    pub directed_to: Option<String>,
    /// Who may read it.
    pub classification: ClassificationDto,
    /// When the group submitted it.
    pub submitted_at: Option<DateTime<Utc>>,
    /// The deadline it was submitted against.
    pub deadline: Option<DateTime<Utc>>,
    /// The whip now.
    pub whip: Option<WhipDto>,
    /// Earlier whips, oldest first.
    pub earlier_whips: Vec<WhipDto>,
    /// With `amended`: the text as carried.
    pub amended_text: Option<String>,
    /// With `answered`: the written answer.
    pub answer: Option<String>,
    /// The council's counts.
    pub counts: Option<VoteCountsDto>,
    /// How the group's members voted.
    pub votes: Vec<MemberVoteDto>,
    /// The group's members whose recorded vote differed from the whip.
    pub departures_from_whip: Vec<MemberVoteDto>,
    /// When it was recorded (RFC 3339, UTC).
    pub recorded_at: String,
    /// When it last changed (RFC 3339, UTC).
    pub updated_at: String,
}

fn whip_view(whip: &Whip) -> WhipDto {
    WhipDto { position: whip.position.into(), note: whip.note.as_ref().map(ToString::to_string) }
}

fn vote_view(vote: &MemberVote) -> MemberVoteDto {
    MemberVoteDto { member_id: vote.member_id, option: vote.option.into() }
}

impl RecordView for MotionView {
    type Record = Motion;
    const NAME: &'static str = "motion";
    const COLLECTION: &'static str = "/motions";

    fn from_stored(id: Uuid, m: Motion, stored: &StoredRecord) -> Result<Self, ApiError> {
        let unrecorded = || ApiError::internal(anyhow::anyhow!("motion {id} is unrecorded"));
        let (amended_text, answer) = match &m.outcome {
            Some(MotionOutcome::Amended { text }) => (Some(text.to_string()), None),
            Some(MotionOutcome::Answered { answer }) => (None, answer.as_ref().map(ToString::to_string)),
            _ => (None, None),
        };
        Ok(Self {
            id,
            version: stored.version as u64,
            kind: m.kind.ok_or_else(unrecorded)?.into(),
            status: MotionStatusDto::of(&m).ok_or_else(unrecorded)?,
            title: m.title.as_ref().ok_or_else(unrecorded)?.to_string(),
            text: m.text.as_ref().ok_or_else(unrecorded)?.to_string(),
            earlier_texts: m
                .earlier_texts
                .iter()
                .map(|t| EarlierTextView {
                    title: t.title.to_string(),
                    text: t.text.to_string(),
                    replaced_because: t.replaced_because.as_ref().map(ToString::to_string),
                })
                .collect(),
            origin: m.origin.as_ref().ok_or_else(unrecorded)?.into(),
            meeting_id: m.meeting_id.ok_or_else(unrecorded)?,
            directed_to: m.directed_to.as_ref().map(ToString::to_string),
            classification: m.classification.ok_or_else(unrecorded)?.into(),
            submitted_at: m.submitted_at,
            deadline: m.deadline,
            whip: m.whip.as_ref().map(whip_view),
            earlier_whips: m.earlier_whips.iter().map(whip_view).collect(),
            amended_text,
            answer,
            counts: m.counts.map(|c| VoteCountsDto {
                yes: c.yes,
                no: c.no,
                abstain: c.abstain,
                absent: c.absent,
            }),
            votes: m.votes.iter().map(vote_view).collect(),
            departures_from_whip: m
                .departures_from_whip()
                .iter()
                .map(|d| MemberVoteDto { member_id: d.member_id, option: d.voted.into() })
                .collect(),
            recorded_at: stored.created_at.clone(),
            updated_at: stored.updated_at.clone(),
        })
    }
}

/// A page of motions.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MotionPage {
    /// The motions, in the order they were recorded.
    pub items: Vec<MotionView>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// Filters for the motions register.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct MotionFilters {
    /// Only those for this meeting.
    pub meeting_id: Option<Uuid>,
    /// Only those this member of the group brings.
    pub proposer_id: Option<Uuid>,
    /// Only those in this status.
    pub status: Option<MotionStatusDto>,
    /// Continue from the `next_cursor` of the previous page.
    #[param(inline)]
    pub cursor: Option<caucus_wire::Cursor>,
    /// Page size, 1 to 200 (default 50).
    #[param(inline)]
    pub limit: Option<caucus_wire::PageLimit>,
}

/// Councillors record and revise only the motions they bring themselves; the
/// office (assistant, Leader, officers) works on any.
fn require_own_unless_office(caller: &Caller, proposer_id: Option<Uuid>) -> Result<(), ApiError> {
    if caller.works_in_the_office() || proposer_id.is_some_and(|p| p.to_string() == caller.subject) {
        Ok(())
    } else {
        Err(ApiError::Forbidden(
            "councillors may record and revise only the motions they bring themselves".into(),
        ))
    }
}

/// Checks the origin; its members must be current members of the group.
async fn parse_origin(
    state: &AppState,
    caller: &Caller,
    origin: &OriginDto,
    fields: &mut Fields,
) -> Result<Option<MotionOrigin>, ApiError> {
    match (origin.proposer_id, &origin.mover) {
        (Some(proposer_id), None) => {
            references::check_current_member(
                &command::scope(state, caller),
                proposer_id,
                "/origin/proposer_id",
                fields,
            )
            .await?;
            if let Some(seconder) = origin.seconder_id {
                if seconder == proposer_id {
                    fields.reject("/origin/seconder_id", "the seconder must be another member");
                }
                references::check_current_member(
                    &command::scope(state, caller),
                    seconder,
                    "/origin/seconder_id",
                    fields,
                )
                .await?;
            }
            Ok(Some(MotionOrigin::Group { proposer_id, seconder_id: origin.seconder_id }))
        }
        (None, Some(mover)) => {
            if origin.seconder_id.is_some() {
                fields.reject("/origin/seconder_id", "another group's seconder is not recorded");
            }
            Ok(fields.text("/origin/mover", mover).map(|mover| MotionOrigin::Other { mover }))
        }
        _ => {
            fields.reject("/origin", "give either proposer_id (the group's own) or mover (another group's)");
            Ok(None)
        }
    }
}

/// Finds the council meeting a motion is for.
async fn council_meeting(
    state: &AppState,
    caller: &Caller,
    meeting_id: Uuid,
    fields: &mut Fields,
) -> Result<Option<MeetingView>, ApiError> {
    match command::find::<MeetingView>(state, caller, meeting_id).await {
        Ok((meeting, _)) => {
            let council = matches!(
                meeting.kind,
                MeetingKindDto::FullCouncil
                    | MeetingKindDto::Cabinet
                    | MeetingKindDto::Scrutiny
                    | MeetingKindDto::Committee
            );
            if !council {
                fields.reject(
                    "/meeting_id",
                    "motions and questions go to a council meeting, not the group's own",
                );
            }
            Ok(Some(meeting))
        }
        Err(ApiError::NotFound(_)) => {
            fields.reject("/meeting_id", "no such meeting in this group");
            Ok(None)
        }
        Err(other) => Err(other),
    }
}

/// Record a motion or question.
#[utoipa::path(
    tag = "motions",
    operation_id = "record_motion",
    summary = "Record a motion or question for a council meeting: the group's own (proposer_id) as a draft, another group's (mover) as tabled",
    request_body = RecordMotionRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retry safely: a repeat with the same key records nothing new")),
    responses((status = 201, description = "Recorded", body = MotionView), CommandErrors),
    security(("bearer" = []))
)]
#[post("/motions")]
async fn record_motion(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    key: IdempotencyKey,
    body: JsonBody<RecordMotionRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::RecordMotion)?;
    let value = &body.value;
    require_own_unless_office(&caller, value.origin.proposer_id)?;
    let mut fields = Fields::new();
    let title = fields.text("/title", &value.title);
    let text = fields.text("/text", &value.text);
    let directed_to = fields.optional_text("/directed_to", value.directed_to.as_deref());
    if value.kind == MotionKindDto::Motion && value.directed_to.is_some() {
        fields.reject("/directed_to", "only a question is put to someone");
    }
    let origin = parse_origin(&state, &caller, &value.origin, &mut fields).await?;
    council_meeting(&state, &caller, value.meeting_id, &mut fields).await?;
    let command = fields.finish(|| {
        Some(MotionCommand::RecordMotion(Box::new(MotionDraft {
            group_id: caller.group_id.clone(),
            kind: value.kind.into(),
            title: title?,
            text: text?,
            origin: origin?,
            meeting_id: value.meeting_id,
            directed_to: directed_to?,
            classification: value.classification.into(),
        })))
    })?;
    command::execute::<MotionView>(Write::create(&state, &caller, &request, &key, &body.raw, command)).await
}

/// List motions and questions.
#[utoipa::path(
    tag = "motions",
    operation_id = "list_motions",
    summary = "Motions and questions, by meeting, proposer or status",
    params(MotionFilters),
    responses((status = 200, description = "A page of motions", body = MotionPage), ListErrors),
    security(("bearer" = []))
)]
#[get("/motions")]
async fn list_motions(
    state: web::Data<AppState>,
    caller: Caller,
    filters: web::Query<MotionFilters>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::ListMotions)?;
    let paging = PageParams { cursor: filters.cursor.clone(), limit: filters.limit, as_of: None };
    let statuses: Vec<&str> = filters.status.iter().map(|s| s.as_str()).collect();
    let (items, next_cursor) = listing::page_of::<MotionView>(
        &state,
        &caller,
        &paging,
        RecordFilter {
            statuses: &statuses,
            member_id: filters.proposer_id,
            subject_id: filters.meeting_id,
            ..RecordFilter::default()
        },
    )
    .await?;
    Ok(HttpResponse::Ok().json(MotionPage { items, next_cursor }))
}

/// Read one motion.
#[utoipa::path(
    tag = "motions",
    operation_id = "get_motion",
    summary = "One motion or question, with its whip, outcome, counts and votes; the ETag is its version",
    params(("id" = Uuid, Path, description = "The motion's id"), command::AsOf),
    responses((status = 200, description = "The motion", body = MotionView), ReadErrors),
    security(("bearer" = []))
)]
#[get("/motions/{id}")]
async fn get_motion(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    at: web::Query<command::AsOf>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::GetMotion)?;
    command::read_one::<MotionView>(&state, &caller, *id, &at).await
}

record_command!(
    MotionView,
    MotionCommand,
    "motions",
    revise_motion,
    ReviseMotion,
    post,
    "/motions/{id}/revisions",
    "Revise a draft motion's title and text; the earlier text stays in its history",
    ReviseMotionRequest,
    |caller, state, value, id| {
        let (motion, _) = command::find::<MotionView>(&state, &caller, id).await?;
        require_own_unless_office(&caller, motion.origin.proposer_id)?;
        let mut fields = Fields::new();
        let title = fields.text("/title", &value.title);
        let text = fields.text("/text", &value.text);
        let reason = fields.optional_text("/reason", value.reason.as_deref());
        fields.finish(|| Some(MotionCommand::ReviseMotion { title: title?, text: text?, reason: reason? }))
    }
);

record_command!(
    MotionView,
    MotionCommand,
    "motions",
    submit_motion,
    SubmitMotion,
    post,
    "/motions/{id}/submission",
    "Submit the group's draft to the council; refused with 409 naming the deadline once the council's deadline for its meeting has passed",
    EmptyRequest,
    |caller, state, value, id| {
        let _: &EmptyRequest = value;
        let (motion, _) = command::find::<MotionView>(&state, &caller, id).await?;
        let (meeting, _) = command::find::<MeetingView>(&state, &caller, motion.meeting_id).await?;
        let deadline = state.motion_deadline.for_meeting(meeting.starts_at);
        Ok::<_, ApiError>(MotionCommand::SubmitMotion { at: Utc::now(), deadline })
    }
);

record_command!(
    MotionView,
    MotionCommand,
    "motions",
    table_motion,
    TableMotion,
    post,
    "/motions/{id}/tabling",
    "Record that the council put the group's submitted motion or question on the meeting's agenda",
    EmptyRequest,
    |caller, state, value, id| {
        let _ = (&caller, &state, value, id);
        Ok::<_, ApiError>(MotionCommand::TableMotion)
    }
);

record_command!(
    MotionView,
    MotionCommand,
    "motions",
    set_whip,
    SetWhip,
    put,
    "/motions/{id}/whip",
    "Set (or change) the group's whip on a motion: for, against, abstain or a free vote; earlier whips stay in its history",
    WhipDto,
    |caller, state, value, id| {
        let _ = (&caller, &state, id);
        let mut fields = Fields::new();
        let note = fields.optional_text("/note", value.note.as_deref());
        fields.finish(|| Some(MotionCommand::SetWhip { position: value.position.into(), note: note? }))
    }
);

record_command!(
    MotionView,
    MotionCommand,
    "motions",
    record_motion_outcome,
    RecordMotionOutcome,
    post,
    "/motions/{id}/outcome",
    "Record how the meeting dealt with a motion (carried, amended, lost, withdrawn, with the council's counts and the group's members' votes) or a question (answered, not reached, withdrawn)",
    RecordOutcomeRequest,
    |caller, state, value, id| {
        let _ = id;
        let mut fields = Fields::new();
        let outcome = parse_outcome(value, &mut fields);
        for (n, vote) in value.votes.iter().enumerate() {
            let pointer = format!("/votes/{n}/member_id");
            match command::find::<MemberView>(&state, &caller, vote.member_id).await {
                Ok(_) => {}
                Err(ApiError::NotFound(_)) => fields.reject(&pointer, "no such member in this group"),
                Err(other) => return Err(other),
            }
        }
        fields.finish(|| {
            Some(MotionCommand::RecordOutcome {
                outcome: outcome?,
                counts: value.counts.map(|c| VoteCounts {
                    yes: c.yes,
                    no: c.no,
                    abstain: c.abstain,
                    absent: c.absent,
                }),
                votes: value
                    .votes
                    .iter()
                    .map(|v| MemberVote { member_id: v.member_id, option: v.option.into() })
                    .collect(),
            })
        })
    }
);

fn parse_outcome(value: &RecordOutcomeRequest, fields: &mut Fields) -> Option<MotionOutcome> {
    if value.outcome != OutcomeDto::Amended && value.amended_text.is_some() {
        fields.reject("/amended_text", "goes only with the outcome amended");
    }
    if value.outcome != OutcomeDto::Answered && value.answer.is_some() {
        fields.reject("/answer", "goes only with the outcome answered");
    }
    Some(match value.outcome {
        OutcomeDto::Carried => MotionOutcome::Carried,
        OutcomeDto::Lost => MotionOutcome::Lost,
        OutcomeDto::Withdrawn => MotionOutcome::Withdrawn,
        OutcomeDto::NotReached => MotionOutcome::NotReached,
        OutcomeDto::Amended => match &value.amended_text {
            Some(text) => MotionOutcome::Amended { text: fields.text::<50_000>("/amended_text", text)? },
            None => {
                fields.reject("/amended_text", "give the text as the council carried it");
                return None;
            }
        },
        OutcomeDto::Answered => MotionOutcome::Answered {
            answer: fields.optional_text::<50_000>("/answer", value.answer.as_deref())?,
        },
    })
}

/// Which motions the whip report covers.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct WhipReportParams {
    /// Only motions for meetings on or after this day.
    pub from: Option<NaiveDate>,
    /// Only motions for meetings on or before this day.
    pub to: Option<NaiveDate>,
}

/// A member in the whip report.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WhipReportMember {
    /// The member.
    pub member_id: Uuid,
    /// Their name, where the caller may read it.
    pub name: Option<String>,
}

/// A member's recorded vote against the whip.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WhipDepartureView {
    /// Who.
    #[serde(flatten)]
    pub member: WhipReportMember,
    /// How they voted.
    pub voted: VoteOptionDto,
}

/// One motion in the whip report.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WhipReportMotion {
    /// The motion.
    pub motion_id: Uuid,
    /// Its title.
    pub title: String,
    /// The meeting.
    pub meeting_id: Uuid,
    /// When the meeting was.
    pub meeting_starts_at: DateTime<Utc>,
    /// How it ended.
    pub status: MotionStatusDto,
    /// The whip.
    pub whip: WhipPositionDto,
    /// Members whose recorded vote differed from the whip.
    pub departures: Vec<WhipDepartureView>,
    /// Members recorded as absent.
    pub absent: Vec<WhipReportMember>,
}

/// One member's record across the motions in the report.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WhipReportTotal {
    /// Who.
    #[serde(flatten)]
    pub member: WhipReportMember,
    /// Votes against the whip.
    pub departures: u32,
    /// Votes missed.
    pub absences: u32,
}

/// Who voted against the whip.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WhipReport {
    /// Whipped motions with recorded votes, in meeting order.
    pub motions: Vec<WhipReportMotion>,
    /// Members with any departure or absence, most departures first.
    pub members: Vec<WhipReportTotal>,
}

/// The whip report.
#[utoipa::path(
    tag = "motions",
    operation_id = "get_whip_report",
    summary = "The group's members whose recorded vote differed from the whip, motion by motion and in total, for meetings in a period",
    params(WhipReportParams),
    responses((status = 200, description = "The report", body = WhipReport), ListErrors),
    security(("bearer" = []))
)]
#[get("/motions/whip-report")]
async fn get_whip_report(
    state: web::Data<AppState>,
    caller: Caller,
    params: web::Query<WhipReportParams>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::GetWhipReport)?;
    if let (Some(from), Some(to)) = (params.from, params.to)
        && from > to
    {
        return Err(ApiError::BadRequest("from must not be after to".into()));
    }
    let motions: Vec<MotionView> = listing::all_of::<MotionView>(&state, &caller).await?;
    let mut names: BTreeMap<Uuid, Option<String>> = BTreeMap::new();
    let mut meetings: BTreeMap<Uuid, Option<DateTime<Utc>>> = BTreeMap::new();
    let mut report = WhipReport { motions: Vec::new(), members: Vec::new() };
    let mut totals: BTreeMap<Uuid, (u32, u32)> = BTreeMap::new();
    for motion in motions {
        let Some(whip) = &motion.whip else { continue };
        if motion.votes.is_empty() {
            continue;
        }
        let starts_at = match meetings.get(&motion.meeting_id) {
            Some(at) => *at,
            None => {
                let at = match command::find::<MeetingView>(&state, &caller, motion.meeting_id).await {
                    Ok((meeting, _)) => Some(meeting.starts_at),
                    Err(ApiError::NotFound(_)) => None,
                    Err(other) => return Err(other),
                };
                meetings.insert(motion.meeting_id, at);
                at
            }
        };
        let Some(starts_at) = starts_at else { continue };
        let day = starts_at.date_naive();
        if params.from.is_some_and(|from| day < from) || params.to.is_some_and(|to| day > to) {
            continue;
        }
        let mut member = async |id: Uuid| -> Result<WhipReportMember, ApiError> {
            if let Entry::Vacant(slot) = names.entry(id) {
                slot.insert(match command::find::<MemberView>(&state, &caller, id).await {
                    Ok((m, _)) => Some(m.name),
                    Err(ApiError::NotFound(_)) => None,
                    Err(other) => return Err(other),
                });
            }
            Ok(WhipReportMember { member_id: id, name: names.get(&id).cloned().flatten() })
        };
        let mut departures = Vec::new();
        for d in &motion.departures_from_whip {
            totals.entry(d.member_id).or_default().0 += 1;
            departures.push(WhipDepartureView { member: member(d.member_id).await?, voted: d.option });
        }
        let mut absent = Vec::new();
        for v in motion.votes.iter().filter(|v| v.option == VoteOptionDto::Absent) {
            totals.entry(v.member_id).or_default().1 += 1;
            absent.push(member(v.member_id).await?);
        }
        report.motions.push(WhipReportMotion {
            motion_id: motion.id,
            title: motion.title,
            meeting_id: motion.meeting_id,
            meeting_starts_at: starts_at,
            status: motion.status,
            whip: whip.position,
            departures,
            absent,
        });
    }
    report.motions.sort_by_key(|m| (m.meeting_starts_at, m.motion_id));
    report.members = totals
        .into_iter()
        .map(|(id, (departures, absences))| WhipReportTotal {
            member: WhipReportMember { member_id: id, name: names.get(&id).cloned().flatten() },
            departures,
            absences,
        })
        .collect();
    report
        .members
        .sort_by(|a, b| b.departures.cmp(&a.departures).then(a.member.member_id.cmp(&b.member.member_id)));
    Ok(HttpResponse::Ok().json(report))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(json: serde_json::Value) -> RecordOutcomeRequest {
        serde_json::from_value(json).expect("request")
    }

    #[test]
    fn an_amendment_needs_its_text_and_stray_texts_are_named() {
        let mut fields = Fields::new();
        assert_eq!(parse_outcome(&outcome(serde_json::json!({"outcome": "amended"})), &mut fields), None);
        assert!(fields.finish(|| Some(())).is_err());
        let mut fields = Fields::new();
        parse_outcome(&outcome(serde_json::json!({"outcome": "lost", "answer": "No."})), &mut fields);
        let err = fields.finish(|| Some(())).expect_err("a stray answer");
        assert!(format!("{err:?}").contains("/answer"), "{err:?}");
    }
}
