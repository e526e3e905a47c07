//! `/decisions`: the group's decisions register.

use super::Routes;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::{
    AppState,
    classification::ClassificationDto,
    command::{self, RecordView, Write, record_command},
    listing::{self, PageParams},
    meetings::MeetingItemRefDto,
};
use crate::auth::{Caller, Operation};
use crate::domain::decision::{
    Decision, DecisionCommand, DecisionDraft, DecisionStatus, ProgressReport, ProgressStatus, TakenBy, Votes,
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
        .service(record_decision)
        .service(list_decisions)
        .service(get_decision)
        .service(amend_decision)
        .service(report_decision_progress)
        .service(mark_decision_implemented)
        .service(rescind_decision)
        .service(supersede_decision);
}

/// Where a decision was taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum TakenByDto {
    /// At a meeting of the group.
    GroupMeeting {
        /// The meeting's reference, e.g. `Group meeting 2 March 2026`.
        meeting: String,
        /// The meeting and agenda item it was recorded from; set only by
        /// `POST /meetings/{id}/decisions`, which also links the item to it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        meeting_item: Option<MeetingItemRefDto>,
    },
    /// By the Group Officers between meetings.
    GroupOfficers,
}

/// A recorded vote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VotesDto {
    /// Votes in favour.
    #[serde(rename = "for")]
    pub in_favour: u32,
    /// Votes against.
    pub against: u32,
    /// Abstentions.
    pub abstain: u32,
}

/// How implementation is going.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProgressStatusDto {
    /// Not started.
    NotStarted,
    /// Going to plan.
    OnTrack,
    /// May miss its date.
    AtRisk,
    /// Cannot go on without help.
    Blocked,
}

/// Where a decision stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DecisionStatusDto {
    /// In force, being implemented.
    InForce,
    /// Carried out.
    Implemented,
    /// Rescinded.
    Rescinded,
    /// Replaced by a later decision.
    Superseded,
}

impl DecisionStatusDto {
    fn as_str(self) -> &'static str {
        match self {
            Self::InForce => "in_force",
            Self::Implemented => "implemented",
            Self::Rescinded => "rescinded",
            Self::Superseded => "superseded",
        }
    }
}

/// Record a decision the group has taken.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordDecisionRequest {
    /// A short title, up to 200 characters.
    pub title: String,
    /// The decision's text, up to 50,000 characters.
    pub text: String,
    /// The day it was taken.
    pub decided_on: NaiveDate,
    /// Where it was taken.
    pub taken_by: TakenByDto,
    /// The vote, where one was recorded.
    #[serde(default)]
    pub votes: Option<VotesDto>,
    /// Who may read it.
    pub classification: ClassificationDto,
    /// When the group means to look at it again.
    #[serde(default)]
    pub review_on: Option<NaiveDate>,
}

impl RecordDecisionRequest {
    pub(crate) fn parse(&self) -> Result<DecisionDraft, ApiError> {
        let mut fields = Fields::new();
        let title = fields.text("/title", &self.title);
        let text = fields.text("/text", &self.text);
        let taken_by = match &self.taken_by {
            TakenByDto::GroupMeeting { meeting, meeting_item } => {
                if meeting_item.is_some() {
                    fields.reject(
                        "/taken_by/meeting_item",
                        "record a decision from an agenda item with POST /meetings/{id}/decisions",
                    );
                }
                fields
                    .text("/taken_by/meeting", meeting)
                    .map(|meeting| TakenBy::GroupMeeting { meeting, meeting_item: None })
            }
            TakenByDto::GroupOfficers => Some(TakenBy::GroupOfficers),
        };
        if let Some(votes) = self.votes
            && votes.in_favour + votes.against + votes.abstain == 0
        {
            fields.reject("/votes", "a recorded vote must count at least one vote");
        }
        if let Some(review_on) = self.review_on {
            fields.not_before("/review_on", review_on, self.decided_on, "decided_on");
        }
        fields.finish(|| {
            Some(DecisionDraft {
                title: title?,
                text: text?,
                decided_on: self.decided_on,
                taken_by: taken_by?,
                votes: self.votes.map(|v| Votes {
                    r#for: v.in_favour,
                    against: v.against,
                    abstain: v.abstain,
                }),
                classification: self.classification.into(),
                review_on: self.review_on,
            })
        })
    }
}

/// Amend a decision's text.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AmendDecisionRequest {
    /// The new text.
    pub text: String,
    /// Why it is amended, up to 2,000 characters.
    pub reason: String,
}

/// Report progress on implementing a decision.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportProgressRequest {
    /// The day the progress refers to.
    pub on: NaiveDate,
    /// What happened.
    pub note: String,
    /// How it is going.
    pub status: ProgressStatusDto,
    /// How much is done, 0 to 100.
    pub percent_complete: u8,
}

/// Mark a decision implemented.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MarkImplementedRequest {
    /// The day it was completed.
    pub on: NaiveDate,
}

/// Rescind a decision.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RescindDecisionRequest {
    /// Why.
    pub reason: String,
}

/// Supersede a decision with a later one.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SupersedeDecisionRequest {
    /// The id of the decision that replaces it (in the same group).
    pub by: Uuid,
    /// Why.
    pub reason: String,
}

/// One amendment.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AmendmentView {
    /// The text before the amendment.
    pub previous_text: String,
    /// Why it was amended.
    pub reason: String,
}

/// One progress note.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProgressNoteView {
    /// The day it refers to.
    pub on: NaiveDate,
    /// What happened.
    pub note: String,
    /// How it is going.
    pub status: ProgressStatusDto,
    /// How much is done.
    pub percent_complete: u8,
}

/// A decision of the group.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DecisionView {
    /// The decision's id.
    pub id: Uuid,
    /// Its version; also its ETag.
    pub version: u64,
    /// Where it stands.
    pub status: DecisionStatusDto,
    /// A short title.
    pub title: String,
    /// The current text.
    pub text: String,
    /// The day it was taken.
    pub decided_on: NaiveDate,
    /// Where it was taken.
    pub taken_by: TakenByDto,
    /// The recorded vote.
    pub votes: Option<VotesDto>,
    /// Who may read it.
    pub classification: ClassificationDto,
    /// When the group means to look at it again.
    pub review_on: Option<NaiveDate>,
    /// Amendments, oldest first.
    pub amendments: Vec<AmendmentView>,
    /// Progress notes, oldest first.
    pub progress: Vec<ProgressNoteView>,
    /// The day it was implemented.
    pub implemented_on: Option<NaiveDate>,
    /// Why it was rescinded or superseded.
    pub ended_reason: Option<String>,
    /// The decision that superseded it.
    pub superseded_by: Option<Uuid>,
    /// When it was recorded (RFC 3339, UTC).
    pub recorded_at: String,
    /// When it last changed (RFC 3339, UTC).
    pub updated_at: String,
}

fn progress_status_dto(status: ProgressStatus) -> ProgressStatusDto {
    match status {
        ProgressStatus::NotStarted => ProgressStatusDto::NotStarted,
        ProgressStatus::OnTrack => ProgressStatusDto::OnTrack,
        ProgressStatus::AtRisk => ProgressStatusDto::AtRisk,
        ProgressStatus::Blocked => ProgressStatusDto::Blocked,
    }
}

impl From<ProgressStatusDto> for ProgressStatus {
    fn from(dto: ProgressStatusDto) -> Self {
        match dto {
            ProgressStatusDto::NotStarted => Self::NotStarted,
            ProgressStatusDto::OnTrack => Self::OnTrack,
            ProgressStatusDto::AtRisk => Self::AtRisk,
            ProgressStatusDto::Blocked => Self::Blocked,
        }
    }
}

impl RecordView for DecisionView {
    type Record = Decision;
    const NAME: &'static str = "decision";
    const COLLECTION: &'static str = "/decisions";

    fn from_stored(id: Uuid, d: Decision, stored: &StoredRecord) -> Result<Self, ApiError> {
        let unrecorded =
            || ApiError::internal(anyhow::anyhow!("decision {id} in the read model is unrecorded"));
        let status = match d.status {
            DecisionStatus::Unrecorded => return Err(unrecorded()),
            DecisionStatus::InForce => DecisionStatusDto::InForce,
            DecisionStatus::Implemented => DecisionStatusDto::Implemented,
            DecisionStatus::Rescinded => DecisionStatusDto::Rescinded,
            DecisionStatus::Superseded => DecisionStatusDto::Superseded,
        };
        Ok(Self {
            id,
            version: stored.version as u64,
            status,
            title: d.title.ok_or_else(unrecorded)?.to_string(),
            text: d.text.ok_or_else(unrecorded)?.to_string(),
            decided_on: d.decided_on.ok_or_else(unrecorded)?,
            taken_by: match d.taken_by.ok_or_else(unrecorded)? {
                TakenBy::GroupMeeting { meeting, meeting_item } => TakenByDto::GroupMeeting {
                    meeting: meeting.to_string(),
                    meeting_item: meeting_item.map(Into::into),
                },
                TakenBy::GroupOfficers => TakenByDto::GroupOfficers,
            },
            votes: d.votes.map(|v| VotesDto { in_favour: v.r#for, against: v.against, abstain: v.abstain }),
            classification: d.classification.ok_or_else(unrecorded)?.into(),
            review_on: d.review_on,
            amendments: d
                .amendments
                .into_iter()
                .map(|a| AmendmentView {
                    previous_text: a.previous_text.to_string(),
                    reason: a.reason.to_string(),
                })
                .collect(),
            progress: d
                .progress
                .into_iter()
                .map(|p| ProgressNoteView {
                    on: p.on,
                    note: p.note.to_string(),
                    status: progress_status_dto(p.status),
                    percent_complete: p.percent_complete,
                })
                .collect(),
            implemented_on: d.implemented_on,
            ended_reason: d.ended_reason.map(|r| r.to_string()),
            superseded_by: d.superseded_by,
            recorded_at: stored.created_at.clone(),
            updated_at: stored.updated_at.clone(),
        })
    }
}

/// A page of the decisions register.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DecisionPage {
    /// The decisions, oldest first.
    pub items: Vec<DecisionView>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// Filters for the decisions register.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DecisionFilters {
    /// Only decisions in this status.
    pub status: Option<DecisionStatusDto>,
    /// Only decisions due for review on or before this day.
    pub review_due_by: Option<NaiveDate>,
    /// Continue from the `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size, 1 to 200 (default 50).
    pub limit: Option<u32>,
    /// The register as it stood at this instant, rebuilt from the events recorded by then.
    pub as_of: Option<DateTime<Utc>>,
}

/// Record a decision.
#[utoipa::path(
    tag = "decisions",
    operation_id = "record_decision",
    summary = "Record a decision the group has taken",
    request_body = RecordDecisionRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retry safely: a repeat with the same key records nothing new")),
    responses((status = 201, description = "Recorded", body = DecisionView), CommandErrors),
    security(("bearer" = []))
)]
#[post("/decisions")]
async fn record_decision(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    key: IdempotencyKey,
    body: JsonBody<RecordDecisionRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::RecordDecision)?;
    let draft = body.value.parse()?;
    let command =
        DecisionCommand::RecordDecision { group_id: caller.group_id.clone(), draft: Box::new(draft) };
    command::execute::<DecisionView>(Write::create(&state, &caller, &request, &key, &body.raw, command)).await
}

/// List decisions.
#[utoipa::path(
    tag = "decisions",
    operation_id = "list_decisions",
    summary = "The decisions register, oldest first, filtered by status or review date",
    params(DecisionFilters),
    responses((status = 200, description = "A page of decisions", body = DecisionPage), ListErrors),
    security(("bearer" = []))
)]
#[get("/decisions")]
async fn list_decisions(
    state: web::Data<AppState>,
    caller: Caller,
    filters: web::Query<DecisionFilters>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::ListDecisions)?;
    let paging = PageParams { cursor: filters.cursor.clone(), limit: filters.limit, as_of: filters.as_of };
    let statuses: Vec<&str> = filters.status.iter().map(|s| s.as_str()).collect();
    let (items, next_cursor) = listing::page_of::<DecisionView>(
        &state,
        &caller,
        &paging,
        RecordFilter {
            statuses: &statuses,
            due_on_or_before: filters.review_due_by,
            ..RecordFilter::default()
        },
    )
    .await?;
    Ok(HttpResponse::Ok().json(DecisionPage { items, next_cursor }))
}

/// Read one decision.
#[utoipa::path(
    tag = "decisions",
    operation_id = "get_decision",
    summary = "One decision, with its amendments and progress; the ETag is its version",
    params(("id" = Uuid, Path, description = "The decision's id"), command::AsOf),
    responses((status = 200, description = "The decision", body = DecisionView), ReadErrors),
    security(("bearer" = []))
)]
#[get("/decisions/{id}")]
async fn get_decision(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    at: web::Query<command::AsOf>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::GetDecision)?;
    command::read_one::<DecisionView>(&state, &caller, *id, &at).await
}

record_command!(
    DecisionView,
    DecisionCommand,
    "decisions",
    amend_decision,
    AmendDecision,
    post,
    "/decisions/{id}/amendments",
    "Amend a decision's text, giving a reason; the old text stays in its history",
    AmendDecisionRequest,
    |caller, state, value, id| {
        let mut fields = Fields::new();
        let text = fields.text("/text", &value.text);
        let reason = fields.text("/reason", &value.reason);
        fields.finish(|| Some(DecisionCommand::AmendDecision { text: text?, reason: reason? }))
    }
);

record_command!(
    DecisionView,
    DecisionCommand,
    "decisions",
    report_decision_progress,
    ReportDecisionProgress,
    post,
    "/decisions/{id}/progress",
    "Report progress on implementing a decision",
    ReportProgressRequest,
    |caller, state, value, id| {
        let mut fields = Fields::new();
        let note = fields.text("/note", &value.note);
        let percent = fields.range("/percent_complete", value.percent_complete, 0, 100);
        fields.finish(|| {
            Some(DecisionCommand::ReportDecisionProgress(ProgressReport {
                on: value.on,
                note: note?,
                status: value.status.into(),
                percent_complete: percent?,
            }))
        })
    }
);

record_command!(
    DecisionView,
    DecisionCommand,
    "decisions",
    mark_decision_implemented,
    MarkDecisionImplemented,
    post,
    "/decisions/{id}/implementation",
    "Mark a decision implemented",
    MarkImplementedRequest,
    |caller, state, value, id| {
        Ok::<_, ApiError>(DecisionCommand::MarkDecisionImplemented { on: value.on })
    }
);

record_command!(
    DecisionView,
    DecisionCommand,
    "decisions",
    rescind_decision,
    RescindDecision,
    post,
    "/decisions/{id}/rescission",
    "Rescind a decision",
    RescindDecisionRequest,
    |caller, state, value, id| {
        let mut fields = Fields::new();
        let reason = fields.text("/reason", &value.reason);
        fields.finish(|| Some(DecisionCommand::RescindDecision { reason: reason? }))
    }
);

record_command!(
    DecisionView,
    DecisionCommand,
    "decisions",
    supersede_decision,
    SupersedeDecision,
    post,
    "/decisions/{id}/supersession",
    "Supersede a decision with a later one of the same group",
    SupersedeDecisionRequest,
    |caller, state, value, id| {
        let mut fields = Fields::new();
        let reason = fields.text("/reason", &value.reason);
        // The replacement must be another decision this caller can see in their group.
        if value.by == id {
            fields.reject("/by", "a decision cannot supersede itself");
        } else {
            match command::find::<DecisionView>(&state, &caller, value.by).await {
                Ok(_) => {}
                Err(ApiError::NotFound(_)) => fields.reject("/by", "no such decision in this group"),
                Err(other) => return Err(other),
            }
        }
        fields.finish(|| Some(DecisionCommand::SupersedeDecision { by: value.by, reason: reason? }))
    }
);
