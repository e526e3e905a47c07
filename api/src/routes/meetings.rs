//! `/meetings`: the group's meetings and the council's it prepares for, with
//! their agendas, papers and despatch, attendance, minutes, and the decisions
//! and actions recorded from their items; `/late-papers` lists papers that
//! missed the despatch rule.

use super::Routes;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use caucus_wire::decisions::{DecisionView, RecordDecisionRequest, TakenBy as TakenByDto, Votes as VotesDto};

use caucus_wire::ParseRequest;
use caucus_wire::actions::{ActionView, CreateActionRequest};

use super::{
    AppState, actions,
    classification::ClassificationDto,
    command::{self, EmptyRequest, RecordView, Write, record_command},
    files,
    listing::{self, PageParams},
};
use crate::app::references;
use crate::auth::{Caller, Operation};
use cqrs_es::Aggregate as _;

use crate::domain::{
    Classification, Note, Title,
    action::{Action, ActionCommand},
    decision::{Decision, DecisionCommand, TakenBy},
    meeting::{
        AgendaItemDraft, Attendance, ItemStatus, LinkKind, Meeting, MeetingCommand, MeetingDraft,
        MeetingItemRef, MeetingKind, MeetingStatus, PaperDraft, RecordLink, Venue,
    },
    member::Member,
};
use crate::http::{
    ApiError, CommandErrors, Fields, IdempotencyKey, IfMatch, JsonBody, ListErrors, ReadErrors,
};
use crate::store::{
    command_bus::Expectation,
    records::{self, RecordFilter, RecordQuery, StoredRecord},
};

/// The despatch rule when a meeting does not set its own: five clear working days.
pub const DEFAULT_PAPERS_CLEAR_DAYS: u8 = 5;
/// The longest despatch rule a meeting can set.
const MAX_PAPERS_CLEAR_DAYS: u8 = 30;

pub fn configure(config: &mut Routes) {
    config
        .service(schedule_meeting)
        .service(list_meetings)
        .service(list_late_papers)
        .service(get_meeting)
        .service(reschedule_meeting)
        .service(confirm_meeting)
        .service(cancel_meeting)
        .service(mark_meeting_held)
        .service(add_agenda_item)
        .service(add_report_back_item)
        .service(reorder_agenda)
        .service(withdraw_agenda_item)
        .service(link_agenda_item)
        .service(attach_paper)
        .service(despatch_papers)
        .service(record_attendance)
        .service(record_minutes)
        .service(approve_minutes)
        .service(correct_minutes)
        .service(record_meeting_decision)
        .service(create_meeting_action);
}

/// What kind of meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MeetingKindDto {
    /// A meeting of the whole group.
    GroupMeeting,
    /// The group's annual general meeting.
    Agm,
    /// A meeting of the Group Officers.
    GroupOfficers,
    /// A meeting of one of the group's subordinate bodies.
    SubordinateBody,
    /// Full Council.
    FullCouncil,
    /// Cabinet.
    Cabinet,
    /// A scrutiny committee.
    Scrutiny,
    /// Another council committee.
    Committee,
}

impl From<MeetingKindDto> for MeetingKind {
    fn from(dto: MeetingKindDto) -> Self {
        match dto {
            MeetingKindDto::GroupMeeting => Self::GroupMeeting,
            MeetingKindDto::Agm => Self::Agm,
            MeetingKindDto::GroupOfficers => Self::GroupOfficers,
            MeetingKindDto::SubordinateBody => Self::SubordinateBody,
            MeetingKindDto::FullCouncil => Self::FullCouncil,
            MeetingKindDto::Cabinet => Self::Cabinet,
            MeetingKindDto::Scrutiny => Self::Scrutiny,
            MeetingKindDto::Committee => Self::Committee,
        }
    }
}

impl From<MeetingKind> for MeetingKindDto {
    fn from(kind: MeetingKind) -> Self {
        match kind {
            MeetingKind::GroupMeeting => Self::GroupMeeting,
            MeetingKind::Agm => Self::Agm,
            MeetingKind::GroupOfficers => Self::GroupOfficers,
            MeetingKind::SubordinateBody => Self::SubordinateBody,
            MeetingKind::FullCouncil => Self::FullCouncil,
            MeetingKind::Cabinet => Self::Cabinet,
            MeetingKind::Scrutiny => Self::Scrutiny,
            MeetingKind::Committee => Self::Committee,
        }
    }
}

/// Where a meeting stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MeetingStatusDto {
    /// In the diary, not yet confirmed.
    Tentative,
    /// Confirmed.
    Confirmed,
    /// Cancelled.
    Cancelled,
    /// It took place.
    Held,
}

impl MeetingStatusDto {
    fn as_str(self) -> &'static str {
        match self {
            Self::Tentative => "tentative",
            Self::Confirmed => "confirmed",
            Self::Cancelled => "cancelled",
            Self::Held => "held",
        }
    }
}

/// A member's attendance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AttendanceDto {
    /// Present.
    Present,
    /// Sent apologies.
    Apologies,
    /// Absent without apologies.
    Absent,
}

impl From<AttendanceDto> for Attendance {
    fn from(dto: AttendanceDto) -> Self {
        match dto {
            AttendanceDto::Present => Self::Present,
            AttendanceDto::Apologies => Self::Apologies,
            AttendanceDto::Absent => Self::Absent,
        }
    }
}

impl From<Attendance> for AttendanceDto {
    fn from(a: Attendance) -> Self {
        match a {
            Attendance::Present => Self::Present,
            Attendance::Apologies => Self::Apologies,
            Attendance::Absent => Self::Absent,
        }
    }
}

/// The kind of record an agenda item links to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LinkKindDto {
    /// A group decision.
    Decision,
    /// An action.
    Action,
    /// A forward plan item.
    ForwardPlanItem,
    /// A motion or question.
    Motion,
}

impl From<LinkKindDto> for LinkKind {
    fn from(dto: LinkKindDto) -> Self {
        match dto {
            LinkKindDto::Decision => Self::Decision,
            LinkKindDto::Action => Self::Action,
            LinkKindDto::ForwardPlanItem => Self::ForwardPlanItem,
            LinkKindDto::Motion => Self::Motion,
        }
    }
}

impl From<LinkKind> for LinkKindDto {
    fn from(kind: LinkKind) -> Self {
        match kind {
            LinkKind::Decision => Self::Decision,
            LinkKind::Action => Self::Action,
            LinkKind::ForwardPlanItem => Self::ForwardPlanItem,
            LinkKind::Motion => Self::Motion,
        }
    }
}

/// The record type a link of `kind` points at in the read model.
fn record_type(kind: LinkKind) -> &'static str {
    match kind {
        LinkKind::Decision => Decision::TYPE,
        LinkKind::Action => Action::TYPE,
        LinkKind::ForwardPlanItem => "ForwardPlanItem",
        LinkKind::Motion => crate::domain::motion::Motion::TYPE,
    }
}

/// A link from an agenda item to another record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkDto {
    /// What kind of record.
    pub kind: LinkKindDto,
    /// Its id, in the caller's group.
    pub id: Uuid,
}

/// Put a meeting in the diary.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScheduleMeetingRequest {
    /// What kind of meeting.
    pub kind: MeetingKindDto,
    /// Its title, up to 200 characters.
    pub title: String,
    /// When it starts (RFC 3339).
    pub starts_at: DateTime<Utc>,
    /// When it is expected to end; not before it starts.
    #[serde(default)]
    pub ends_at: Option<DateTime<Utc>>,
    /// Where it is held, up to 200 characters. A place or an online link is required.
    #[serde(default)]
    pub place: Option<String>,
    /// The http(s) link to join online.
    #[serde(default)]
    pub online_link: Option<String>,
    /// Who may read it.
    pub classification: ClassificationDto,
    /// How many members present make it quorate.
    #[serde(default)]
    pub quorum: Option<u32>,
    /// The group's quorum rule as a fraction of its current members, e.g. `1/4`
    /// (rounded up); instead of `quorum`.
    #[serde(default)]
    pub quorum_fraction: Option<String>,
    /// Clear working days before the meeting by which papers are despatched
    /// (0 to 30, default 5).
    #[serde(default)]
    pub papers_clear_days: Option<u8>,
}

/// Move a meeting.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RescheduleMeetingRequest {
    /// When it now starts.
    pub starts_at: DateTime<Utc>,
    /// When it is now expected to end.
    #[serde(default)]
    pub ends_at: Option<DateTime<Utc>>,
    /// Where it is now held.
    #[serde(default)]
    pub place: Option<String>,
    /// The http(s) link to join online.
    #[serde(default)]
    pub online_link: Option<String>,
    /// Why it moved.
    #[serde(default)]
    pub reason: Option<String>,
}

/// Cancel a meeting.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelMeetingRequest {
    /// Why, up to 2,000 characters.
    pub reason: String,
}

/// Add an item at the end of the agenda.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddAgendaItemRequest {
    /// Its title.
    pub title: String,
    /// What it is about (Markdown), up to 50,000 characters.
    #[serde(default)]
    pub description: Option<String>,
    /// The member presenting it: a current member of the group.
    #[serde(default)]
    pub presenter_id: Option<Uuid>,
    /// Who may read it.
    pub classification: ClassificationDto,
    /// Records it concerns (decisions, actions, forward plan items, motions).
    #[serde(default)]
    pub links: Vec<LinkDto>,
}

/// Put the agenda in a new order.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReorderAgendaRequest {
    /// Every listed item's id, in the new order.
    pub order: Vec<Uuid>,
}

/// Take an item off the agenda.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WithdrawAgendaItemRequest {
    /// The item.
    pub item_id: Uuid,
    /// Why.
    pub reason: String,
}

/// Link an item to another record.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkAgendaItemRequest {
    /// The item.
    pub item_id: Uuid,
    /// The record.
    pub link: LinkDto,
}

/// Attach a paper to an item.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttachPaperRequest {
    /// The item.
    pub item_id: Uuid,
    /// The paper's title.
    pub title: String,
    /// Where it can be read: an http(s) URL. Give this or `file_id`.
    #[serde(default)]
    pub link: Option<String>,
    /// A file stored with `POST /files`, by its id. Give this or `link`.
    #[serde(default)]
    pub file_id: Option<String>,
    /// Who may read it.
    pub classification: ClassificationDto,
}

/// Despatch the papers not yet despatched.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DespatchPapersRequest {
    /// When they went out (default: now).
    #[serde(default)]
    pub at: Option<DateTime<Utc>>,
    /// To whom, e.g. `All group members`.
    pub to: Vec<String>,
}

/// One member's attendance.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttendanceEntryDto {
    /// The member.
    pub member_id: Uuid,
    /// Their attendance.
    pub attendance: AttendanceDto,
}

/// Record attendance.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordAttendanceRequest {
    /// Members and their attendance; a later entry replaces a member's earlier one.
    pub entries: Vec<AttendanceEntryDto>,
}

/// Write or redraft an item's minutes.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordMinutesRequest {
    /// The item.
    pub item_id: Uuid,
    /// The minutes or action notes (Markdown).
    pub text: String,
}

/// Record the approval of the minutes at a later meeting.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApproveMinutesRequest {
    /// The approving meeting: a later meeting of the group.
    pub meeting_id: Uuid,
    /// Its agenda item under which they were approved.
    #[serde(default)]
    pub item_id: Option<Uuid>,
    /// The day they were approved.
    pub on: NaiveDate,
}

/// Correct approved minutes.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CorrectMinutesRequest {
    /// The item.
    pub item_id: Uuid,
    /// The corrected minutes.
    pub text: String,
    /// Why.
    pub reason: String,
}

/// Record a decision taken under an agenda item.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordMeetingDecisionRequest {
    /// The item it was taken under.
    pub item_id: Uuid,
    /// A short title.
    pub title: String,
    /// The decision's text.
    pub text: String,
    /// The day it was taken (default: the meeting's day).
    #[serde(default)]
    pub decided_on: Option<NaiveDate>,
    /// The vote, where one was recorded.
    #[serde(default)]
    pub votes: Option<VotesDto>,
    /// Who may read it.
    pub classification: ClassificationDto,
    /// When the group means to look at it again.
    #[serde(default)]
    pub review_on: Option<NaiveDate>,
}

/// Agree an action under an agenda item.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateMeetingActionRequest {
    /// The item it was agreed under.
    pub item_id: Uuid,
    /// The action.
    pub action: CreateActionRequest,
}

/// A paper, with whether it missed the despatch rule.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PaperView {
    /// Its id within the meeting.
    pub id: Uuid,
    /// Its title.
    pub title: String,
    /// Where it can be read, for a linked paper.
    pub link: Option<String>,
    /// The stored file, for a paper stored with Caucus.
    pub file: Option<PaperFileView>,
    /// Who may read it.
    pub classification: ClassificationDto,
    /// When it was despatched.
    pub despatched_at: Option<DateTime<Utc>>,
    /// Despatched after the rule's day, or not yet despatched and past it.
    pub late: bool,
}

/// A correction of approved minutes.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MinutesCorrectionView {
    /// The text before the correction.
    pub previous_text: String,
    /// Why it was corrected.
    pub reason: String,
}

/// A period a report-back item covers.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
pub struct PeriodView {
    /// The first day.
    pub from: NaiveDate,
    /// The last day.
    pub to: NaiveDate,
}

/// Whether an agenda item is on the agenda.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ItemStatusDto {
    /// On the agenda.
    Listed,
    /// Taken off it.
    Withdrawn,
}

/// An agenda item.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AgendaItemView {
    /// Its id within the meeting.
    pub id: Uuid,
    /// Its number on the agenda (listed items only, from 1).
    pub number: Option<u32>,
    /// Its title.
    pub title: String,
    /// What it is about (Markdown).
    pub description: Option<String>,
    /// The member presenting it.
    pub presenter_id: Option<Uuid>,
    /// Who may read it.
    pub classification: ClassificationDto,
    /// Listed or withdrawn.
    pub status: ItemStatusDto,
    /// Why it was withdrawn.
    pub withdrawal_reason: Option<String>,
    /// Records it concerns or that were recorded from it.
    pub links: Vec<LinkDto>,
    /// Its papers.
    pub papers: Vec<PaperView>,
    /// Its minutes or action notes.
    pub minutes: Option<String>,
    /// Corrections made after approval, oldest first.
    pub corrections: Vec<MinutesCorrectionView>,
    /// For a report-back item, the period its digest covers.
    pub report_back: Option<PeriodView>,
}

/// A paper's stored file.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PaperFileView {
    /// The file's id (its SHA-256).
    pub id: String,
    /// Its file name.
    pub name: String,
    /// Its media type.
    pub media_type: String,
    /// Its size in bytes.
    pub size: u64,
    /// Where to download it.
    pub url: String,
}

/// One despatch of papers.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DespatchView {
    /// When.
    pub at: DateTime<Utc>,
    /// To whom.
    pub to: Vec<String>,
    /// The papers sent.
    pub paper_ids: Vec<Uuid>,
}

/// One member's attendance.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AttendanceView {
    /// The member.
    pub member_id: Uuid,
    /// Their attendance.
    pub attendance: AttendanceDto,
}

/// Where the minutes were approved.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MinutesApprovalView {
    /// The approving meeting.
    pub meeting_id: Uuid,
    /// Its item.
    pub item_id: Option<Uuid>,
    /// The day.
    pub on: NaiveDate,
}

/// A move of the meeting.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReschedulingView {
    /// When it was to start before.
    pub previous_starts_at: DateTime<Utc>,
    /// Why it moved.
    pub reason: Option<String>,
}

/// A meeting (Open Civic Data's Event).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MeetingView {
    /// The meeting's id.
    pub id: Uuid,
    /// Its version; also its ETag.
    pub version: u64,
    /// What kind of meeting.
    pub kind: MeetingKindDto,
    /// Where it stands.
    pub status: MeetingStatusDto,
    /// Its title.
    pub title: String,
    /// When it starts.
    pub starts_at: DateTime<Utc>,
    /// When it is expected to end.
    pub ends_at: Option<DateTime<Utc>>,
    /// Where it is held.
    pub place: Option<String>,
    /// The link to join online.
    pub online_link: Option<String>,
    /// Who may read it.
    pub classification: ClassificationDto,
    /// How many members present make it quorate.
    pub quorum: Option<u32>,
    /// How many members were recorded present.
    pub present: u32,
    /// Whether enough members were present (when a quorum applies and attendance was taken).
    pub quorate: Option<bool>,
    /// Clear working days before the meeting by which papers are despatched.
    pub papers_clear_days: u8,
    /// The last day papers can be despatched under that rule.
    pub despatch_by: NaiveDate,
    /// Earlier times it was moved from.
    pub reschedulings: Vec<ReschedulingView>,
    /// Why it was cancelled.
    pub cancellation_reason: Option<String>,
    /// The agenda in order; withdrawn items last. Items and papers the caller
    /// may not read are left out.
    pub items: Vec<AgendaItemView>,
    /// Despatches of papers, oldest first.
    pub despatches: Vec<DespatchView>,
    /// Attendance by member.
    pub attendance: Vec<AttendanceView>,
    /// Where the minutes were approved; once set, minutes change only by a visible correction.
    pub minutes_approved: Option<MinutesApprovalView>,
    /// When it was scheduled (RFC 3339, UTC).
    pub recorded_at: String,
    /// When it last changed (RFC 3339, UTC).
    pub updated_at: String,
}

fn status_dto(status: MeetingStatus) -> Option<MeetingStatusDto> {
    match status {
        MeetingStatus::Unscheduled => None,
        MeetingStatus::Tentative => Some(MeetingStatusDto::Tentative),
        MeetingStatus::Confirmed => Some(MeetingStatusDto::Confirmed),
        MeetingStatus::Cancelled => Some(MeetingStatusDto::Cancelled),
        MeetingStatus::Held => Some(MeetingStatusDto::Held),
    }
}

impl RecordView for MeetingView {
    type Record = Meeting;
    const NAME: &'static str = "meeting";
    const COLLECTION: &'static str = "/meetings";

    fn from_stored(id: Uuid, m: Meeting, stored: &StoredRecord) -> Result<Self, ApiError> {
        let unscheduled =
            || ApiError::internal(anyhow::anyhow!("meeting {id} in the read model is unscheduled"));
        let today = Utc::now().date_naive();
        let status = status_dto(m.status).ok_or_else(unscheduled)?;
        let despatch_by = m.despatch_by().ok_or_else(unscheduled)?;
        let mut number = 0;
        // Listed items in agenda order, then withdrawn ones.
        let withdrawn = m.items.iter().filter(|item| item.status == ItemStatus::Withdrawn);
        let items = m
            .listed_items()
            .chain(withdrawn)
            .map(|item| {
                let listed = item.status == ItemStatus::Listed;
                if listed {
                    number += 1;
                }
                AgendaItemView {
                    id: item.id,
                    number: listed.then_some(number),
                    title: item.title.to_string(),
                    description: item.description.as_ref().map(ToString::to_string),
                    presenter_id: item.presenter_id,
                    classification: item.classification.into(),
                    status: if listed { ItemStatusDto::Listed } else { ItemStatusDto::Withdrawn },
                    withdrawal_reason: item.withdrawal_reason.as_ref().map(ToString::to_string),
                    links: item.links.iter().map(|l| LinkDto { kind: l.kind.into(), id: l.id }).collect(),
                    papers: item
                        .papers
                        .iter()
                        .map(|p| PaperView {
                            id: p.id,
                            title: p.title.to_string(),
                            link: p.link.as_ref().map(ToString::to_string),
                            file: p.file.as_ref().map(|f| PaperFileView {
                                id: f.sha256.clone(),
                                name: f.name.to_string(),
                                media_type: f.media_type.to_string(),
                                size: f.size,
                                url: format!("{}/files/{}", super::API_PREFIX, f.sha256),
                            }),
                            classification: p.classification.into(),
                            despatched_at: p.despatched_at,
                            late: m.is_late(p, today),
                        })
                        .collect(),
                    minutes: item.minutes.as_ref().map(ToString::to_string),
                    corrections: item
                        .corrections
                        .iter()
                        .map(|c| MinutesCorrectionView {
                            previous_text: c.previous_text.to_string(),
                            reason: c.reason.to_string(),
                        })
                        .collect(),
                    report_back: item.report_back.map(|(from, to)| PeriodView { from, to }),
                }
            })
            .collect();
        let present = m.present();
        let attendance_taken = !m.attendance.is_empty();
        Ok(Self {
            id,
            version: stored.version as u64,
            kind: m.kind.ok_or_else(unscheduled)?.into(),
            status,
            title: m.title.as_ref().ok_or_else(unscheduled)?.to_string(),
            starts_at: m.starts_at.ok_or_else(unscheduled)?,
            ends_at: m.ends_at,
            place: m.place.as_ref().map(ToString::to_string),
            online_link: m.online_link.as_ref().map(ToString::to_string),
            classification: m.classification.ok_or_else(unscheduled)?.into(),
            quorum: m.quorum,
            present,
            quorate: m.quorum.filter(|_| attendance_taken).map(|q| present >= q),
            papers_clear_days: m.papers_clear_days,
            despatch_by,
            reschedulings: m
                .reschedulings
                .iter()
                .map(|r| ReschedulingView {
                    previous_starts_at: r.previous_starts_at,
                    reason: r.reason.as_ref().map(ToString::to_string),
                })
                .collect(),
            cancellation_reason: m.cancellation_reason.as_ref().map(ToString::to_string),
            items,
            despatches: m
                .despatches
                .iter()
                .map(|d| DespatchView {
                    at: d.at,
                    to: d.to.iter().map(ToString::to_string).collect(),
                    paper_ids: d.paper_ids.clone(),
                })
                .collect(),
            attendance: m
                .attendance
                .iter()
                .map(|(member_id, a)| AttendanceView { member_id: *member_id, attendance: (*a).into() })
                .collect(),
            minutes_approved: m.minutes_approved.map(|a| MinutesApprovalView {
                meeting_id: a.meeting_id,
                item_id: a.item_id,
                on: a.on,
            }),
            recorded_at: stored.created_at.clone(),
            updated_at: stored.updated_at.clone(),
        })
    }

    fn redact(&mut self, readable: &[Classification]) {
        let may_read = |c: ClassificationDto| readable.contains(&c.into());
        self.items.retain(|item| may_read(item.classification));
        for item in &mut self.items {
            item.papers.retain(|paper| may_read(paper.classification));
        }
        let papers: Vec<Uuid> = self.items.iter().flat_map(|i| i.papers.iter().map(|p| p.id)).collect();
        for despatch in &mut self.despatches {
            despatch.paper_ids.retain(|id| papers.contains(id));
        }
    }
}

/// A page of meetings.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MeetingPage {
    /// The meetings, in the order they were scheduled.
    pub items: Vec<MeetingView>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// Filters for the meetings list.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct MeetingFilters {
    /// Only meetings in this status.
    pub status: Option<MeetingStatusDto>,
    /// Only meetings on or after this day.
    pub from: Option<NaiveDate>,
    /// Only meetings on or before this day.
    pub to: Option<NaiveDate>,
    /// Continue from the `next_cursor` of the previous page.
    #[param(inline)]
    pub cursor: Option<caucus_wire::Cursor>,
    /// Page size, 1 to 200 (default 50).
    #[param(inline)]
    pub limit: Option<caucus_wire::PageLimit>,
}

/// A paper that missed the despatch rule.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LatePaperView {
    /// The meeting.
    pub meeting_id: Uuid,
    /// The meeting's title.
    pub meeting_title: String,
    /// When the meeting starts.
    pub starts_at: DateTime<Utc>,
    /// The last day its papers could be despatched.
    pub despatch_by: NaiveDate,
    /// The agenda item.
    pub item_id: Uuid,
    /// The item's title.
    pub item_title: String,
    /// The paper.
    pub paper_id: Uuid,
    /// The paper's title.
    pub paper_title: String,
    /// When it was despatched, if it has been.
    pub despatched_at: Option<DateTime<Utc>>,
}

/// Late papers.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LatePapers {
    /// Late papers, by meeting date.
    pub items: Vec<LatePaperView>,
}

fn link_text(fields: &mut Fields, pointer: &str, raw: Option<&str>) -> Option<Option<Note>> {
    if let Some(raw) = raw {
        let trimmed = raw.trim();
        if !(trimmed.starts_with("https://") || trimmed.starts_with("http://")) || trimmed.contains(' ') {
            fields.reject(pointer, "must be an http or https URL");
            return None;
        }
    }
    fields.optional_text(pointer, raw)
}

fn parse_venue(
    fields: &mut Fields,
    starts_at: DateTime<Utc>,
    ends_at: Option<DateTime<Utc>>,
    place: Option<&str>,
    online_link: Option<&str>,
) -> Option<Venue> {
    let place = fields.optional_text("/place", place);
    let online_link = link_text(fields, "/online_link", online_link);
    if ends_at.is_some_and(|end| end < starts_at) {
        fields.reject("/ends_at", "must not be before starts_at");
    }
    if matches!((&place, &online_link), (Some(None), Some(None))) {
        fields.reject("/place", "a meeting needs a place or an online link");
    }
    Some(Venue { starts_at, ends_at, place: place?, online_link: online_link? })
}

/// Parses `n/d` into a fraction with 0 < n <= d.
fn parse_fraction(raw: &str) -> Option<(u32, u32)> {
    let (n, d) = raw.trim().split_once('/')?;
    let (n, d): (u32, u32) = (n.trim().parse().ok()?, d.trim().parse().ok()?);
    (n > 0 && d > 0 && n <= d).then_some((n, d))
}

/// How many current members the group has.
async fn current_members(state: &AppState, caller: &Caller) -> Result<u32, ApiError> {
    let query = RecordQuery::new(&caller.group_id, Member::TYPE, &Classification::ALL)
        .filtered(RecordFilter { statuses: &["member"], ..RecordFilter::default() });
    Ok(records::list_all(&state.db, &query).await?.len() as u32)
}

impl ScheduleMeetingRequest {
    async fn parse(&self, state: &AppState, caller: &Caller) -> Result<MeetingDraft, ApiError> {
        let mut fields = Fields::new();
        let title = fields.text("/title", &self.title);
        let venue = parse_venue(
            &mut fields,
            self.starts_at,
            self.ends_at,
            self.place.as_deref(),
            self.online_link.as_deref(),
        );
        let papers_clear_days = self.papers_clear_days.unwrap_or(DEFAULT_PAPERS_CLEAR_DAYS);
        fields.range("/papers_clear_days", papers_clear_days, 0, MAX_PAPERS_CLEAR_DAYS);
        let quorum = match (&self.quorum, &self.quorum_fraction) {
            (Some(_), Some(_)) => {
                fields.reject("/quorum_fraction", "give either quorum or quorum_fraction, not both");
                None
            }
            (Some(quorum), None) => Some(*quorum),
            (None, Some(raw)) => match parse_fraction(raw) {
                Some((n, d)) => Some((current_members(state, caller).await? * n).div_ceil(d)),
                None => {
                    fields.reject("/quorum_fraction", "must be a fraction like 1/4, at most 1");
                    None
                }
            },
            (None, None) => None,
        };
        Ok(fields.finish(|| {
            Some(MeetingDraft {
                kind: self.kind.into(),
                title: title?,
                venue: venue?,
                classification: self.classification.into(),
                quorum,
                papers_clear_days,
            })
        })?)
    }
}

/// Schedule a meeting.
#[utoipa::path(
    tag = "meetings",
    operation_id = "schedule_meeting",
    summary = "Put a meeting in the diary (tentative until confirmed), with its quorum and papers-despatch rule",
    request_body = ScheduleMeetingRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retry safely: a repeat with the same key records nothing new")),
    responses((status = 201, description = "Scheduled", body = MeetingView), CommandErrors),
    security(("bearer" = []))
)]
#[post("/meetings")]
async fn schedule_meeting(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    key: IdempotencyKey,
    body: JsonBody<ScheduleMeetingRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::ScheduleMeeting)?;
    let draft = body.value.parse(&state, &caller).await?;
    let command =
        MeetingCommand::ScheduleMeeting { group_id: caller.group_id.clone(), draft: Box::new(draft) };
    command::execute::<MeetingView>(Write::create(&state, &caller, &request, &key, &body.raw, command)).await
}

/// List meetings.
#[utoipa::path(
    tag = "meetings",
    operation_id = "list_meetings",
    summary = "Meetings the caller may see, filtered by status or date",
    params(MeetingFilters),
    responses((status = 200, description = "A page of meetings", body = MeetingPage), ListErrors),
    security(("bearer" = []))
)]
#[get("/meetings")]
async fn list_meetings(
    state: web::Data<AppState>,
    caller: Caller,
    filters: web::Query<MeetingFilters>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::ListMeetings)?;
    let paging = PageParams { cursor: filters.cursor.clone(), limit: filters.limit, as_of: None };
    let statuses: Vec<&str> = filters.status.iter().map(|s| s.as_str()).collect();
    let (items, next_cursor) = listing::page_of::<MeetingView>(
        &state,
        &caller,
        &paging,
        RecordFilter {
            statuses: &statuses,
            due_on_or_after: filters.from,
            due_on_or_before: filters.to,
            ..RecordFilter::default()
        },
    )
    .await?;
    Ok(HttpResponse::Ok().json(MeetingPage { items, next_cursor }))
}

/// Read one meeting.
#[utoipa::path(
    tag = "meetings",
    operation_id = "get_meeting",
    summary = "One meeting with its agenda, papers, attendance and minutes; the ETag is its version",
    params(("id" = Uuid, Path, description = "The meeting's id"), command::AsOf),
    responses((status = 200, description = "The meeting", body = MeetingView), ReadErrors),
    security(("bearer" = []))
)]
#[get("/meetings/{id}")]
async fn get_meeting(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    at: web::Query<command::AsOf>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::GetMeeting)?;
    command::read_one::<MeetingView>(&state, &caller, *id, &at).await
}

/// Every meeting the caller may see, with its state.
pub(crate) async fn all_meetings(
    state: &AppState,
    caller: &Caller,
) -> Result<Vec<(Uuid, Meeting)>, ApiError> {
    let readable = Classification::readable_set(&caller.roles);
    let meetings = all_meetings_of(state, &caller.group_id, &readable).await?;
    Ok(meetings.into_iter().map(|(id, meeting, _)| (id, meeting)).collect())
}

/// Every meeting of `group_id` in the `readable` classifications, with its
/// state and version.
pub(crate) async fn all_meetings_of(
    state: &AppState,
    group_id: &crate::domain::GroupId,
    readable: &[Classification],
) -> Result<Vec<(Uuid, Meeting, i64)>, ApiError> {
    let query = RecordQuery::new(group_id, Meeting::TYPE, readable);
    records::list_all(&state.db, &query)
        .await?
        .iter()
        .map(|stored| {
            let id = Uuid::parse_str(&stored.record_id).map_err(ApiError::internal)?;
            let meeting: Meeting = serde_json::from_str(&stored.state).map_err(ApiError::internal)?;
            Ok((id, meeting, stored.version))
        })
        .collect()
}

/// Late papers.
#[utoipa::path(
    tag = "meetings",
    operation_id = "list_late_papers",
    summary = "Papers of meetings not cancelled that were despatched after the despatch rule's day, or are past it and not yet despatched",
    responses((status = 200, description = "Late papers, by meeting date", body = LatePapers), ListErrors),
    security(("bearer" = []))
)]
#[get("/late-papers")]
async fn list_late_papers(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::ListLatePapers)?;
    let readable = Classification::readable_set(&caller.roles);
    let today = Utc::now().date_naive();
    let mut items = Vec::new();
    for (meeting_id, meeting) in all_meetings(&state, &caller).await? {
        let (Some(starts_at), Some(despatch_by), Some(title)) =
            (meeting.starts_at, meeting.despatch_by(), meeting.title.as_ref())
        else {
            continue;
        };
        if meeting.status == MeetingStatus::Cancelled {
            continue;
        }
        for item in meeting.listed_items().filter(|i| readable.contains(&i.classification)) {
            for paper in item.papers.iter().filter(|p| readable.contains(&p.classification)) {
                if meeting.is_late(paper, today) {
                    items.push(LatePaperView {
                        meeting_id,
                        meeting_title: title.to_string(),
                        starts_at,
                        despatch_by,
                        item_id: item.id,
                        item_title: item.title.to_string(),
                        paper_id: paper.id,
                        paper_title: paper.title.to_string(),
                        despatched_at: paper.despatched_at,
                    });
                }
            }
        }
    }
    items.sort_by_key(|p| (p.starts_at, p.meeting_id));
    Ok(HttpResponse::Ok().json(LatePapers { items }))
}

record_command!(
    MeetingView,
    MeetingCommand,
    "meetings",
    reschedule_meeting,
    RescheduleMeeting,
    post,
    "/meetings/{id}/rescheduling",
    "Move a meeting to a new time or place, saying why; the earlier time stays in its history",
    RescheduleMeetingRequest,
    |caller, state, value, id| {
        let mut fields = Fields::new();
        let venue = parse_venue(
            &mut fields,
            value.starts_at,
            value.ends_at,
            value.place.as_deref(),
            value.online_link.as_deref(),
        );
        let reason = fields.optional_text("/reason", value.reason.as_deref());
        fields.finish(|| Some(MeetingCommand::RescheduleMeeting { venue: venue?, reason: reason? }))
    }
);

record_command!(
    MeetingView,
    MeetingCommand,
    "meetings",
    confirm_meeting,
    ConfirmMeeting,
    post,
    "/meetings/{id}/confirmation",
    "Confirm a tentative meeting",
    EmptyRequest,
    |caller, state, _value, id| Ok::<_, ApiError>(MeetingCommand::ConfirmMeeting)
);

record_command!(
    MeetingView,
    MeetingCommand,
    "meetings",
    cancel_meeting,
    CancelMeeting,
    post,
    "/meetings/{id}/cancellation",
    "Cancel a meeting, giving the reason",
    CancelMeetingRequest,
    |caller, state, value, id| {
        let mut fields = Fields::new();
        let reason = fields.text("/reason", &value.reason);
        fields.finish(|| Some(MeetingCommand::CancelMeeting { reason: reason? }))
    }
);

record_command!(
    MeetingView,
    MeetingCommand,
    "meetings",
    mark_meeting_held,
    MarkMeetingHeld,
    post,
    "/meetings/{id}/held",
    "Record that a meeting took place; its agenda is then closed and its minutes can be written",
    EmptyRequest,
    |caller, state, _value, id| Ok::<_, ApiError>(MeetingCommand::MarkMeetingHeld)
);

/// Checks that every link names a record of its kind in the caller's group.
async fn check_links(
    state: &AppState,
    caller: &Caller,
    links: &[(String, LinkDto)],
    fields: &mut Fields,
) -> Result<(), ApiError> {
    let readable = Classification::readable_set(&caller.roles);
    for (pointer, link) in links {
        let kind: LinkKind = link.kind.into();
        let found =
            records::find(&state.db, &caller.group_id, record_type(kind), &link.id.to_string(), &readable)
                .await?;
        if found.is_none() {
            fields.reject(pointer, "no such record of that kind in this group");
        }
    }
    Ok(())
}

record_command!(
    MeetingView,
    MeetingCommand,
    "meetings",
    add_agenda_item,
    AddAgendaItem,
    post,
    "/meetings/{id}/items",
    "Add an item at the end of a meeting's agenda, with its presenter and links to related records",
    AddAgendaItemRequest,
    |caller, state, value, id| {
        let mut fields = Fields::new();
        let title = fields.text("/title", &value.title);
        let description = fields.optional_text("/description", value.description.as_deref());
        if let Some(presenter) = value.presenter_id {
            references::check_current_member(
                &command::scope(&state, &caller),
                presenter,
                "/presenter_id",
                &mut fields,
            )
            .await?;
        }
        let pointed: Vec<(String, LinkDto)> =
            value.links.iter().enumerate().map(|(n, l)| (format!("/links/{n}"), *l)).collect();
        check_links(&state, &caller, &pointed, &mut fields).await?;
        fields.finish(|| {
            Some(MeetingCommand::AddAgendaItem {
                item_id: Uuid::now_v7(),
                item: Box::new(AgendaItemDraft {
                    title: title?,
                    description: description?,
                    presenter_id: value.presenter_id,
                    classification: value.classification.into(),
                    links: value.links.iter().map(|l| RecordLink { kind: l.kind.into(), id: l.id }).collect(),
                    report_back: None,
                }),
            })
        })
    }
);

record_command!(
    MeetingView,
    MeetingCommand,
    "meetings",
    reorder_agenda,
    ReorderAgenda,
    post,
    "/meetings/{id}/agenda-order",
    "Put a meeting's agenda in a new order: every listed item's id, once each",
    ReorderAgendaRequest,
    |caller, state, value, id| Ok::<_, ApiError>(MeetingCommand::ReorderAgenda {
        order: value.order.clone()
    })
);

record_command!(
    MeetingView,
    MeetingCommand,
    "meetings",
    withdraw_agenda_item,
    WithdrawAgendaItem,
    post,
    "/meetings/{id}/item-withdrawals",
    "Take an item off a meeting's agenda, giving the reason",
    WithdrawAgendaItemRequest,
    |caller, state, value, id| {
        let mut fields = Fields::new();
        let reason = fields.text("/reason", &value.reason);
        fields.finish(|| Some(MeetingCommand::WithdrawAgendaItem { item_id: value.item_id, reason: reason? }))
    }
);

record_command!(
    MeetingView,
    MeetingCommand,
    "meetings",
    link_agenda_item,
    LinkAgendaItem,
    post,
    "/meetings/{id}/links",
    "Link an agenda item to a decision, action, forward plan item or motion of the group",
    LinkAgendaItemRequest,
    |caller, state, value, id| {
        let mut fields = Fields::new();
        check_links(&state, &caller, &[("/link/id".to_owned(), value.link)], &mut fields).await?;
        fields.finish(|| {
            Some(MeetingCommand::LinkRecord {
                item_id: value.item_id,
                link: RecordLink { kind: value.link.kind.into(), id: value.link.id },
            })
        })
    }
);

record_command!(
    MeetingView,
    MeetingCommand,
    "meetings",
    attach_paper,
    AttachPaper,
    post,
    "/meetings/{id}/papers",
    "Attach a paper to an agenda item: a link, or a file stored with POST /files that everyone who may read the paper may read",
    AttachPaperRequest,
    |caller, state, value, id| {
        let mut fields = Fields::new();
        let title = fields.text("/title", &value.title);
        let link = link_text(&mut fields, "/link", value.link.as_deref());
        let classification: Classification = value.classification.into();
        let file = match &value.file_id {
            None => None,
            Some(file_id) => match files::referable(&state, &caller, file_id).await? {
                None => {
                    fields.reject("/file_id", "no such file in this group");
                    None
                }
                Some((file, file_classification)) => {
                    let shut_out = crate::domain::Role::ALL.iter().any(|role| {
                        classification.readable_by(&[*role]) && !file_classification.readable_by(&[*role])
                    });
                    if shut_out {
                        fields.reject(
                            "/file_id",
                            format!(
                                "the file is classified {}: some who may read this {} paper could not open it",
                                file_classification.as_str(),
                                classification.as_str()
                            ),
                        );
                    }
                    Some(file)
                }
            },
        };
        if value.link.is_some() == value.file_id.is_some() {
            fields.reject("/link", "give either link or file_id");
        }
        fields.finish(|| {
            Some(MeetingCommand::AttachPaper {
                item_id: value.item_id,
                paper_id: Uuid::now_v7(),
                paper: PaperDraft { title: title?, link: link?, file, classification },
            })
        })
    }
);

record_command!(
    MeetingView,
    MeetingCommand,
    "meetings",
    despatch_papers,
    DespatchPapers,
    post,
    "/meetings/{id}/despatches",
    "Despatch every paper not yet despatched, recording when and to whom; papers after the rule's day are flagged late",
    DespatchPapersRequest,
    |caller, state, value, id| {
        let mut fields = Fields::new();
        let to: Vec<Option<Title>> =
            value.to.iter().enumerate().map(|(n, to)| fields.text(&format!("/to/{n}"), to)).collect();
        if value.to.is_empty() {
            fields.reject("/to", "must name at least one recipient");
        }
        fields.finish(|| {
            Some(MeetingCommand::DespatchPapers {
                at: value.at.unwrap_or_else(Utc::now),
                to: to.into_iter().collect::<Option<Vec<_>>>()?,
            })
        })
    }
);

record_command!(
    MeetingView,
    MeetingCommand,
    "meetings",
    record_attendance,
    RecordAttendance,
    post,
    "/meetings/{id}/attendance",
    "Record members present, sending apologies or absent; the meeting shows whether it was quorate",
    RecordAttendanceRequest,
    |caller, state, value, id| {
        let mut fields = Fields::new();
        if value.entries.is_empty() {
            fields.reject("/entries", "must list at least one member");
        }
        for (n, entry) in value.entries.iter().enumerate() {
            let pointer = format!("/entries/{n}/member_id");
            references::check_current_member(
                &command::scope(&state, &caller),
                entry.member_id,
                &pointer,
                &mut fields,
            )
            .await?;
        }
        fields.finish(|| {
            Some(MeetingCommand::RecordAttendance {
                entries: value.entries.iter().map(|e| (e.member_id, e.attendance.into())).collect(),
            })
        })
    }
);

record_command!(
    MeetingView,
    MeetingCommand,
    "meetings",
    record_minutes,
    RecordMinutes,
    post,
    "/meetings/{id}/minutes",
    "Write or redraft an item's minutes or action notes, until they are approved",
    RecordMinutesRequest,
    |caller, state, value, id| {
        let mut fields = Fields::new();
        let text = fields.text("/text", &value.text);
        fields.finish(|| Some(MeetingCommand::RecordMinutes { item_id: value.item_id, text: text? }))
    }
);

record_command!(
    MeetingView,
    MeetingCommand,
    "meetings",
    approve_minutes,
    ApproveMinutes,
    post,
    "/meetings/{id}/minutes-approval",
    "Record that a later meeting approved the minutes; they never change afterwards",
    ApproveMinutesRequest,
    |caller, state, value, id| {
        let mut fields = Fields::new();
        let (this, _) = command::find::<MeetingView>(&state, &caller, id).await?;
        if value.meeting_id == id {
            fields.reject("/meeting_id", "a meeting cannot approve its own minutes");
        } else {
            match command::find::<MeetingView>(&state, &caller, value.meeting_id).await {
                Ok((approving, _)) => {
                    if approving.starts_at <= this.starts_at {
                        fields.reject("/meeting_id", "minutes are approved at a later meeting");
                    }
                    if let Some(item) = value.item_id
                        && !approving.items.iter().any(|i| i.id == item)
                    {
                        fields.reject("/item_id", "no such agenda item on the approving meeting");
                    }
                }
                Err(ApiError::NotFound(_)) => fields.reject("/meeting_id", "no such meeting in this group"),
                Err(other) => return Err(other),
            }
        }
        fields.finish(|| {
            Some(MeetingCommand::ApproveMinutes {
                meeting_id: value.meeting_id,
                item_id: value.item_id,
                on: value.on,
            })
        })
    }
);

record_command!(
    MeetingView,
    MeetingCommand,
    "meetings",
    correct_minutes,
    CorrectMinutes,
    post,
    "/meetings/{id}/minutes-corrections",
    "Correct approved minutes, giving a reason; the approved text stays visible in the item's corrections",
    CorrectMinutesRequest,
    |caller, state, value, id| {
        let mut fields = Fields::new();
        let text = fields.text("/text", &value.text);
        let reason = fields.text("/reason", &value.reason);
        fields.finish(|| {
            Some(MeetingCommand::CorrectMinutes { item_id: value.item_id, text: text?, reason: reason? })
        })
    }
);

/// Finds the meeting and checks a record can be made from its item: the item
/// is listed and the meeting not cancelled.
async fn meeting_for_item(
    state: &AppState,
    caller: &Caller,
    meeting_id: Uuid,
    item_id: Uuid,
) -> Result<MeetingView, ApiError> {
    let (meeting, _) = command::find::<MeetingView>(state, caller, meeting_id).await?;
    if meeting.status == MeetingStatusDto::Cancelled {
        return Err(ApiError::Conflict("this meeting is cancelled".into()));
    }
    match meeting.items.iter().find(|i| i.id == item_id) {
        Some(item) if item.status == ItemStatusDto::Listed => Ok(meeting),
        Some(_) => Err(ApiError::Conflict(format!("agenda item {item_id} has been withdrawn"))),
        None => Err(ApiError::invalid_field("/item_id", "no such agenda item on this meeting")),
    }
}

/// Links the meeting's item to a record made from it. Runs without an
/// Idempotency-Key: linking is itself idempotent, so a retried request that
/// replays the record's creation links again harmlessly.
async fn link_back(
    state: &AppState,
    caller: &Caller,
    request: &HttpRequest,
    meeting_id: Uuid,
    item_id: Uuid,
    link: RecordLink,
) -> Result<(), ApiError> {
    command::execute::<MeetingView>(Write {
        state,
        caller,
        request,
        body: &[],
        key: &IdempotencyKey(None),
        id: meeting_id,
        command: MeetingCommand::LinkRecord { item_id, link },
        expectation: Expectation::Existing(None),
    })
    .await
    .map(|_| ())
}

/// Record a decision from an agenda item.
#[utoipa::path(
    tag = "meetings",
    operation_id = "record_meeting_decision",
    summary = "Record a decision taken under an agenda item: the decision names the meeting and item, and the item links to the decision",
    request_body = RecordMeetingDecisionRequest,
    params(
        ("id" = Uuid, Path, description = "The meeting's id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Retry safely: a repeat with the same key records nothing new")
    ),
    responses((status = 201, description = "Recorded", body = DecisionView), CommandErrors),
    security(("bearer" = []))
)]
#[post("/meetings/{id}/decisions")]
async fn record_meeting_decision(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    key: IdempotencyKey,
    id: web::Path<Uuid>,
    body: JsonBody<RecordMeetingDecisionRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::RecordMeetingDecision)?;
    let (meeting_id, value) = (*id, &body.value);
    let meeting = meeting_for_item(&state, &caller, meeting_id, value.item_id).await?;
    let reference = format!("{} ({})", meeting.title, meeting.starts_at.date_naive());
    let request_as_decision = RecordDecisionRequest {
        title: value.title.clone().into(),
        text: value.text.clone().into(),
        decided_on: value.decided_on.unwrap_or_else(|| meeting.starts_at.date_naive()),
        taken_by: TakenByDto::GroupMeeting { meeting: reference.clone().into(), meeting_item: None },
        votes: value.votes,
        classification: value.classification,
        review_on: value.review_on,
    };
    let mut draft = request_as_decision.parse()?;
    let meeting_title =
        Title::parse(&reference).map_err(|e| ApiError::invalid_field("/item_id", e.to_string()))?;
    draft.taken_by = TakenBy::GroupMeeting {
        meeting: meeting_title,
        meeting_item: Some(MeetingItemRef { meeting_id, item_id: value.item_id }),
    };
    let command =
        DecisionCommand::RecordDecision { group_id: caller.group_id.clone(), draft: Box::new(draft) };
    let write = Write::create(&state, &caller, &request, &key, &body.raw, command);
    let decision_id = write.id;
    let answer = command::execute::<DecisionView>(write).await?;
    let link = RecordLink { kind: LinkKind::Decision, id: decision_id };
    link_back(&state, &caller, &request, meeting_id, value.item_id, link).await?;
    Ok(answer)
}

/// Agree an action from an agenda item.
#[utoipa::path(
    tag = "meetings",
    operation_id = "create_meeting_action",
    summary = "Agree an action under an agenda item: the action names the meeting and item, and the item links to the action",
    request_body = CreateMeetingActionRequest,
    params(
        ("id" = Uuid, Path, description = "The meeting's id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Retry safely: a repeat with the same key records nothing new")
    ),
    responses((status = 201, description = "Created", body = ActionView), CommandErrors),
    security(("bearer" = []))
)]
#[post("/meetings/{id}/actions")]
async fn create_meeting_action(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    key: IdempotencyKey,
    id: web::Path<Uuid>,
    body: JsonBody<CreateMeetingActionRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::CreateMeetingAction)?;
    let (meeting_id, value) = (*id, &body.value);
    meeting_for_item(&state, &caller, meeting_id, value.item_id).await?;
    let mut draft = actions::parse_action(&state, &caller, &value.action).await?;
    draft.meeting_item = Some(MeetingItemRef { meeting_id, item_id: value.item_id });
    let command = ActionCommand::CreateAction { group_id: caller.group_id.clone(), draft: Box::new(draft) };
    let write = Write::create(&state, &caller, &request, &key, &body.raw, command);
    let action_id = write.id;
    let answer = command::execute::<ActionView>(write).await?;
    let link = RecordLink { kind: LinkKind::Action, id: action_id };
    link_back(&state, &caller, &request, meeting_id, value.item_id, link).await?;
    Ok(answer)
}

/// Add a report-back item.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddReportBackItemRequest {
    /// The item's title (default `Report back`).
    #[serde(default)]
    pub title: Option<String>,
    /// Who may read it (default: the meeting's classification).
    #[serde(default)]
    pub classification: Option<ClassificationDto>,
}

/// The day of the group meeting before `meeting`, if there is one: the latest
/// group meeting, not cancelled, that starts before it.
fn previous_group_meeting(
    meetings: &[(Uuid, Meeting)],
    meeting_id: Uuid,
    starts_at: DateTime<Utc>,
) -> Option<NaiveDate> {
    meetings
        .iter()
        .filter(|(id, m)| {
            *id != meeting_id
                && m.kind == Some(MeetingKind::GroupMeeting)
                && m.status != MeetingStatus::Cancelled
                && m.starts_at.is_some_and(|at| at < starts_at)
        })
        .filter_map(|(_, m)| m.starts_at)
        .max()
        .map(|at| at.date_naive())
}

/// How far back a group's first report back looks, when there is no earlier group meeting.
const FIRST_REPORT_DAYS: u64 = 30;

record_command!(
    MeetingView,
    MeetingCommand,
    "meetings",
    add_report_back_item,
    AddReportBackItem,
    post,
    "/meetings/{id}/report-back-items",
    "Add a \"Report back\" item to a group meeting: the digest since the previous group meeting (decisions, progress, overdue actions by owner), stored as Markdown as it stands now",
    AddReportBackItemRequest,
    |caller, state, value, id| {
        let (meeting, _) = command::find::<MeetingView>(&state, &caller, id).await?;
        if meeting.kind != MeetingKindDto::GroupMeeting {
            return Err(ApiError::Conflict("a report-back item goes on a group meeting's agenda".into()));
        }
        let to = meeting.starts_at.date_naive();
        let meetings = all_meetings(&state, &caller).await?;
        let from = previous_group_meeting(&meetings, id, meeting.starts_at)
            .unwrap_or_else(|| to.checked_sub_days(chrono::Days::new(FIRST_REPORT_DAYS)).unwrap_or(to));
        let report = super::report_back::build_report(
            &state,
            &caller,
            crate::reports::report_back::Period { from, to },
        )
        .await?;
        let markdown = crate::reports::report_back::to_markdown(&report, caller.group_id.as_str());
        let mut fields = Fields::new();
        let title = fields.text("/title", value.title.as_deref().unwrap_or("Report back"));
        let description = crate::domain::LongText::parse(&markdown).map_err(|e| {
            ApiError::Conflict(format!("the report back is too long for an agenda item: {e}"))
        })?;
        let links = report
            .decisions_taken
            .iter()
            .map(|d| RecordLink { kind: LinkKind::Decision, id: d.id })
            .collect();
        fields.finish(|| {
            Some(MeetingCommand::AddAgendaItem {
                item_id: Uuid::now_v7(),
                item: Box::new(AgendaItemDraft {
                    title: title?,
                    description: Some(description),
                    presenter_id: None,
                    classification: value.classification.unwrap_or(meeting.classification).into(),
                    links,
                    report_back: Some((from, to)),
                }),
            })
        })
    }
);
