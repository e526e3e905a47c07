//! `/briefings`: briefing and speaking notes against an agenda item, a forward
//! plan item or a motion, each revision kept as a numbered version.

use super::Routes;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use caucus_wire::meetings::MeetingView;

use super::{
    AppState,
    classification::ClassificationDto,
    command::{self, RecordView, Write, record_command},
    forward_plan::ForwardPlanItemView,
    listing::{self, PageParams},
    motions::MotionView,
};
use crate::app::references;
use crate::auth::{Caller, Operation};
use crate::domain::briefing::{
    Briefing, BriefingCommand, BriefingDraft, BriefingKind, BriefingStatus, BriefingSubject, BriefingVersion,
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
        .service(write_briefing)
        .service(list_briefings)
        .service(get_briefing)
        .service(revise_briefing)
        .service(withdraw_briefing);
}

/// What kind of note.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BriefingKindDto {
    /// Background for members: the facts, the risks, the line to take.
    Briefing,
    /// What a member will say in the chamber.
    SpeakingNote,
}

impl From<BriefingKindDto> for BriefingKind {
    fn from(kind: BriefingKindDto) -> Self {
        match kind {
            BriefingKindDto::Briefing => Self::Briefing,
            BriefingKindDto::SpeakingNote => Self::SpeakingNote,
        }
    }
}

impl From<BriefingKind> for BriefingKindDto {
    fn from(kind: BriefingKind) -> Self {
        match kind {
            BriefingKind::Briefing => Self::Briefing,
            BriefingKind::SpeakingNote => Self::SpeakingNote,
        }
    }
}

/// What a note is about: exactly one of an agenda item (`meeting_id` and
/// `item_id`), a forward plan item or a motion.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubjectDto {
    /// With `item_id`: the meeting.
    #[serde(default)]
    pub meeting_id: Option<Uuid>,
    /// With `meeting_id`: the agenda item.
    #[serde(default)]
    pub item_id: Option<Uuid>,
    /// A forward plan item.
    #[serde(default)]
    pub forward_plan_item_id: Option<Uuid>,
    /// A motion or question.
    #[serde(default)]
    pub motion_id: Option<Uuid>,
}

impl From<BriefingSubject> for SubjectDto {
    fn from(subject: BriefingSubject) -> Self {
        let none = Self { meeting_id: None, item_id: None, forward_plan_item_id: None, motion_id: None };
        match subject {
            BriefingSubject::AgendaItem { meeting_id, item_id } => {
                Self { meeting_id: Some(meeting_id), item_id: Some(item_id), ..none }
            }
            BriefingSubject::ForwardPlanItem { forward_plan_item_id } => {
                Self { forward_plan_item_id: Some(forward_plan_item_id), ..none }
            }
            BriefingSubject::Motion { motion_id } => Self { motion_id: Some(motion_id), ..none },
        }
    }
}

/// Write a note.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WriteBriefingRequest {
    /// What kind of note.
    pub kind: BriefingKindDto,
    /// What it is about.
    pub subject: SubjectDto,
    /// The member it is for (a speaking note's speaker).
    #[serde(default)]
    pub for_member_id: Option<Uuid>,
    /// Its title, up to 200 characters.
    pub title: String,
    /// Its text (Markdown), up to 50,000 characters.
    pub body: String,
    /// Who may read it.
    pub classification: ClassificationDto,
}

/// Revise a note.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviseBriefingRequest {
    /// The new title.
    pub title: String,
    /// The new text (Markdown).
    pub body: String,
    /// What changed and why, up to 2,000 characters.
    #[serde(default)]
    pub reason: Option<String>,
}

/// Withdraw a note.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WithdrawBriefingRequest {
    /// Why, up to 2,000 characters.
    pub reason: String,
}

/// Where a note stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BriefingStatusDto {
    /// In use.
    Current,
    /// Withdrawn.
    Withdrawn,
}

/// One version of a note.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BriefingVersionView {
    /// 1 for the first, counting up.
    pub number: u32,
    /// The title.
    pub title: String,
    /// The text (Markdown).
    pub body: String,
    /// What changed from the version before, and why.
    pub reason: Option<String>,
}

impl From<&BriefingVersion> for BriefingVersionView {
    fn from(v: &BriefingVersion) -> Self {
        Self {
            number: v.number,
            title: v.title.to_string(),
            body: v.body.to_string(),
            reason: v.reason.as_ref().map(ToString::to_string),
        }
    }
}

/// A briefing or speaking note.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BriefingView {
    /// Its id.
    pub id: Uuid,
    /// Its record version; also its ETag.
    pub version: u64,
    /// What kind of note.
    pub kind: BriefingKindDto,
    /// Where it stands.
    pub status: BriefingStatusDto,
    /// What it is about.
    pub subject: SubjectDto,
    /// The member it is for.
    pub for_member_id: Option<Uuid>,
    /// Who may read it.
    pub classification: ClassificationDto,
    /// The version in use.
    pub current: BriefingVersionView,
    /// Earlier versions, oldest first.
    pub earlier_versions: Vec<BriefingVersionView>,
    /// Why it was withdrawn.
    pub withdrawal_reason: Option<String>,
    /// When it was first written (RFC 3339, UTC).
    pub recorded_at: String,
    /// When it last changed (RFC 3339, UTC).
    pub updated_at: String,
}

impl RecordView for BriefingView {
    type Record = Briefing;
    const NAME: &'static str = "briefing";
    const COLLECTION: &'static str = "/briefings";

    fn from_stored(id: Uuid, b: Briefing, stored: &StoredRecord) -> Result<Self, ApiError> {
        let unwritten = || ApiError::internal(anyhow::anyhow!("briefing {id} is unwritten"));
        let status = match b.status {
            BriefingStatus::Unwritten => return Err(unwritten()),
            BriefingStatus::Current => BriefingStatusDto::Current,
            BriefingStatus::Withdrawn => BriefingStatusDto::Withdrawn,
        };
        Ok(Self {
            id,
            version: stored.version as u64,
            kind: b.kind.ok_or_else(unwritten)?.into(),
            status,
            subject: b.subject.ok_or_else(unwritten)?.into(),
            for_member_id: b.for_member_id,
            classification: b.classification.ok_or_else(unwritten)?.into(),
            current: b.current.as_ref().ok_or_else(unwritten)?.into(),
            earlier_versions: b.earlier_versions.iter().map(Into::into).collect(),
            withdrawal_reason: b.withdrawal_reason.as_ref().map(ToString::to_string),
            recorded_at: stored.created_at.clone(),
            updated_at: stored.updated_at.clone(),
        })
    }
}

/// A page of notes.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BriefingPage {
    /// The notes, in the order they were written.
    pub items: Vec<BriefingView>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// Filters for notes.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct BriefingFilters {
    /// Only notes about this record: a meeting (its agenda items), a forward plan item or a motion.
    pub about: Option<Uuid>,
    /// Only notes for this member.
    pub for_member_id: Option<Uuid>,
    /// Continue from the `next_cursor` of the previous page.
    #[param(inline)]
    pub cursor: Option<caucus_wire::Cursor>,
    /// Page size, 1 to 200 (default 50).
    #[param(inline)]
    pub limit: Option<caucus_wire::PageLimit>,
}

/// Checks the subject names exactly one record of the caller's group.
async fn parse_subject(
    state: &AppState,
    caller: &Caller,
    subject: &SubjectDto,
    fields: &mut Fields,
) -> Result<Option<BriefingSubject>, ApiError> {
    let missing = |fields: &mut Fields, pointer: &str, what: &str| {
        fields.reject(pointer, format!("no such {what} in this group"));
        Ok(None)
    };
    match (subject.meeting_id, subject.item_id, subject.forward_plan_item_id, subject.motion_id) {
        (Some(meeting_id), Some(item_id), None, None) => {
            match command::find::<MeetingView>(state, caller, meeting_id).await {
                Ok((meeting, _)) if meeting.items.iter().any(|item| item.id == item_id) => {
                    Ok(Some(BriefingSubject::AgendaItem { meeting_id, item_id }))
                }
                Ok(_) => missing(fields, "/subject/item_id", "agenda item of that meeting"),
                Err(ApiError::NotFound(_)) => missing(fields, "/subject/meeting_id", "meeting"),
                Err(other) => Err(other),
            }
        }
        (None, None, Some(id), None) => match command::find::<ForwardPlanItemView>(state, caller, id).await {
            Ok(_) => Ok(Some(BriefingSubject::ForwardPlanItem { forward_plan_item_id: id })),
            Err(ApiError::NotFound(_)) => {
                missing(fields, "/subject/forward_plan_item_id", "forward plan item")
            }
            Err(other) => Err(other),
        },
        (None, None, None, Some(id)) => match command::find::<MotionView>(state, caller, id).await {
            Ok(_) => Ok(Some(BriefingSubject::Motion { motion_id: id })),
            Err(ApiError::NotFound(_)) => missing(fields, "/subject/motion_id", "motion"),
            Err(other) => Err(other),
        },
        _ => {
            fields.reject(
                "/subject",
                "give exactly one of: meeting_id with item_id, forward_plan_item_id, motion_id",
            );
            Ok(None)
        }
    }
}

/// Write a note.
#[utoipa::path(
    tag = "briefings",
    operation_id = "write_briefing",
    summary = "Write a briefing or speaking note on an agenda item, a forward plan item or a motion",
    request_body = WriteBriefingRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retry safely: a repeat with the same key records nothing new")),
    responses((status = 201, description = "Written", body = BriefingView), CommandErrors),
    security(("bearer" = []))
)]
#[post("/briefings")]
async fn write_briefing(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    key: IdempotencyKey,
    body: JsonBody<WriteBriefingRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::WriteBriefing)?;
    let value = &body.value;
    let mut fields = Fields::new();
    let title = fields.text("/title", &value.title);
    let text = fields.text("/body", &value.body);
    let subject = parse_subject(&state, &caller, &value.subject, &mut fields).await?;
    if let Some(member) = value.for_member_id {
        references::check_current_member(
            &command::scope(&state, &caller),
            member,
            "/for_member_id",
            &mut fields,
        )
        .await?;
    }
    let command = fields.finish(|| {
        Some(BriefingCommand::WriteBriefing(Box::new(BriefingDraft {
            group_id: caller.group_id.clone(),
            kind: value.kind.into(),
            subject: subject?,
            for_member_id: value.for_member_id,
            title: title?,
            body: text?,
            classification: value.classification.into(),
        })))
    })?;
    command::execute::<BriefingView>(Write::create(&state, &caller, &request, &key, &body.raw, command)).await
}

/// List notes.
#[utoipa::path(
    tag = "briefings",
    operation_id = "list_briefings",
    summary = "Briefing and speaking notes, about one record or for one member",
    params(BriefingFilters),
    responses((status = 200, description = "A page of notes", body = BriefingPage), ListErrors),
    security(("bearer" = []))
)]
#[get("/briefings")]
async fn list_briefings(
    state: web::Data<AppState>,
    caller: Caller,
    filters: web::Query<BriefingFilters>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::ListBriefings)?;
    let paging = PageParams { cursor: filters.cursor.clone(), limit: filters.limit, as_of: None };
    let (items, next_cursor) = listing::page_of::<BriefingView>(
        &state,
        &caller,
        &paging,
        RecordFilter {
            member_id: filters.for_member_id,
            subject_id: filters.about,
            ..RecordFilter::default()
        },
    )
    .await?;
    Ok(HttpResponse::Ok().json(BriefingPage { items, next_cursor }))
}

/// Read one note.
#[utoipa::path(
    tag = "briefings",
    operation_id = "get_briefing",
    summary = "One briefing or speaking note with every earlier version; the ETag is its record version",
    params(("id" = Uuid, Path, description = "The note's id"), command::AsOf),
    responses((status = 200, description = "The note", body = BriefingView), ReadErrors),
    security(("bearer" = []))
)]
#[get("/briefings/{id}")]
async fn get_briefing(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    at: web::Query<command::AsOf>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::GetBriefing)?;
    command::read_one::<BriefingView>(&state, &caller, *id, &at).await
}

record_command!(
    BriefingView,
    BriefingCommand,
    "briefings",
    revise_briefing,
    ReviseBriefing,
    post,
    "/briefings/{id}/versions",
    "Write a new version of a note; the earlier versions stay, numbered",
    ReviseBriefingRequest,
    |caller, state, value, id| {
        let _ = (&caller, &state, id);
        let mut fields = Fields::new();
        let title = fields.text("/title", &value.title);
        let text = fields.text("/body", &value.body);
        let reason = fields.optional_text("/reason", value.reason.as_deref());
        fields
            .finish(|| Some(BriefingCommand::ReviseBriefing { title: title?, body: text?, reason: reason? }))
    }
);

record_command!(
    BriefingView,
    BriefingCommand,
    "briefings",
    withdraw_briefing,
    WithdrawBriefing,
    post,
    "/briefings/{id}/withdrawal",
    "Withdraw a note; it stays in the record with the reason",
    WithdrawBriefingRequest,
    |caller, state, value, id| {
        let _ = (&caller, &state, id);
        let mut fields = Fields::new();
        let reason = fields.text("/reason", &value.reason);
        fields.finish(|| Some(BriefingCommand::WithdrawBriefing { reason: reason? }))
    }
);
