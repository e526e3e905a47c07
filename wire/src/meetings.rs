//! `/meetings`: group and council meetings, their agendas, papers,
//! attendance and minutes; `/late-papers`.

use caucus_domain::meeting::{ItemStatus as DomainItemStatus, Meeting};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::actions::CreateActionRequest;
use crate::common::{
    API_PREFIX, ChosenClassification, Classification, Cursor, IdList, ListOrder, PageLimit, ReadOn, Stored,
    Unrecorded,
};
use crate::decisions::Votes;
use crate::input::{DocumentText, Input, NoteText, OutOfRange, TitleText, number_input};
use crate::mirror::mirror;
use std::borrow::Cow;
use utoipa::{
    PartialSchema,
    openapi::{ObjectBuilder, RefOr, Schema, Type},
};

/// The despatch rule when a meeting does not set its own: five clear working days.
pub const DEFAULT_PAPERS_CLEAR_DAYS: u8 = 5;
/// The longest despatch rule a meeting can set.
pub const MAX_PAPERS_CLEAR_DAYS: u8 = 30;

number_input!(
    /// Clear working days before a meeting by which its papers are despatched.
    PapersClearDays => u8, 0u8, MAX_PAPERS_CLEAR_DAYS
);

/// The meeting and agenda item a decision or action was recorded from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MeetingItemRef {
    /// The meeting.
    pub meeting_id: Uuid,
    /// The agenda item.
    pub item_id: Uuid,
}

impl From<caucus_domain::meeting::MeetingItemRef> for MeetingItemRef {
    fn from(r: caucus_domain::meeting::MeetingItemRef) -> Self {
        Self { meeting_id: r.meeting_id, item_id: r.item_id }
    }
}

mirror! {
    /// What kind of meeting.
    pub enum MeetingKind = caucus_domain::meeting::MeetingKind {
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
}

mirror! {
    /// Where a meeting stands.
    pub enum MeetingStatus = caucus_domain::meeting::MeetingStatus {
        /// In the diary, not yet confirmed.
        Tentative,
        /// Confirmed.
        Confirmed,
        /// Called off.
        Cancelled,
        /// It took place.
        Held,
    }
    internal { Unscheduled }
}

mirror! {
    /// A member's attendance.
    pub enum Attendance = caucus_domain::meeting::Attendance {
        /// Present.
        Present,
        /// Sent apologies.
        Apologies,
        /// Absent without apologies.
        Absent,
    }
}

mirror! {
    /// What kind of record an agenda item links to.
    pub enum LinkKind = caucus_domain::meeting::LinkKind {
        /// A decision.
        Decision,
        /// An action.
        Action,
        /// A forward plan item.
        ForwardPlanItem,
        /// A motion or question.
        Motion,
    }
}

mirror! {
    /// Whether an agenda item is on the agenda.
    pub enum ItemStatus = caucus_domain::meeting::ItemStatus {
        /// On the agenda.
        Listed,
        /// Taken off it.
        Withdrawn,
    }
}

/// A link from an agenda item to another record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Link {
    /// What kind of record.
    pub kind: LinkKind,
    /// Its id, in the caller's group.
    pub id: Uuid,
}

/// Put a meeting in the diary.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScheduleMeetingRequest {
    /// What kind of meeting.
    pub kind: MeetingKind,
    /// Its title, up to 200 characters.
    pub title: TitleText,
    /// When it starts (RFC 3339).
    pub starts_at: DateTime<Utc>,
    /// When it is expected to end; not before it starts.
    #[serde(default)]
    pub ends_at: Option<DateTime<Utc>>,
    /// Where it is held, up to 200 characters. A place or an online link is required.
    #[serde(default)]
    pub place: Option<TitleText>,
    /// The http(s) link to join online.
    #[serde(default)]
    pub online_link: Option<String>,
    /// Who may read it.
    pub classification: ChosenClassification,
    /// How many members present make it quorate.
    #[serde(default)]
    #[schema(maximum = 4294967295_u64)]
    pub quorum: Option<u32>,
    /// The group's quorum rule as a fraction of its current members, e.g. `1/4`
    /// (rounded up); instead of `quorum`.
    #[serde(default)]
    pub quorum_fraction: Option<String>,
    /// Clear working days before the meeting by which papers are despatched
    /// (default 5).
    #[serde(default)]
    pub papers_clear_days: Option<PapersClearDays>,
}

/// Move a meeting.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RescheduleMeetingRequest {
    /// When it now starts.
    pub starts_at: DateTime<Utc>,
    /// When it is now expected to end.
    #[serde(default)]
    pub ends_at: Option<DateTime<Utc>>,
    /// Where it is now held.
    #[serde(default)]
    pub place: Option<TitleText>,
    /// The http(s) link to join online.
    #[serde(default)]
    pub online_link: Option<String>,
    /// Why it moved.
    #[serde(default)]
    pub reason: Option<NoteText>,
}

/// Cancel a meeting.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelMeetingRequest {
    /// Why, up to 2,000 characters.
    pub reason: NoteText,
}

/// Add an item at the end of the agenda.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddAgendaItemRequest {
    /// Its title.
    pub title: TitleText,
    /// What it is about (Markdown), up to 50,000 characters.
    #[serde(default)]
    pub description: Option<DocumentText>,
    /// The member presenting it: a current member of the group.
    #[serde(default)]
    pub presenter_id: Option<Uuid>,
    /// Who may read it.
    pub classification: ChosenClassification,
    /// Records it concerns (decisions, actions, forward plan items, motions).
    #[serde(default)]
    pub links: Vec<Link>,
}

/// Put the agenda in a new order.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReorderAgendaRequest {
    /// Every listed item's id, in the new order.
    pub order: Vec<Uuid>,
}

/// Take an item off the agenda.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WithdrawAgendaItemRequest {
    /// The item.
    pub item_id: Uuid,
    /// Why.
    pub reason: NoteText,
}

/// Link an item to another record.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkAgendaItemRequest {
    /// The item.
    pub item_id: Uuid,
    /// The record.
    pub link: Link,
}

/// Attach a paper to an item.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttachPaperRequest {
    /// The item.
    pub item_id: Uuid,
    /// The paper's title.
    pub title: TitleText,
    /// Where it can be read: an http(s) URL. Give this or `file_id`.
    #[serde(default)]
    pub link: Option<String>,
    /// A file stored with `POST /files`, by its id. Give this or `link`.
    #[serde(default)]
    pub file_id: Option<String>,
    /// Who may read it.
    pub classification: ChosenClassification,
}

/// Despatch the papers not yet despatched.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DespatchPapersRequest {
    /// When they went out (default: now).
    #[serde(default)]
    pub at: Option<DateTime<Utc>>,
    /// To whom, e.g. `All group members`: at least one.
    #[schema(min_items = 1)]
    pub to: Vec<TitleText>,
}

/// One member's attendance.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttendanceEntry {
    /// The member.
    pub member_id: Uuid,
    /// Their attendance.
    pub attendance: Attendance,
}

/// Record attendance.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordAttendanceRequest {
    /// Members and their attendance, at least one; a later entry replaces a member's earlier one.
    #[schema(min_items = 1)]
    pub entries: Vec<AttendanceEntry>,
}

/// Write or redraft an item's minutes.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordMinutesRequest {
    /// The item.
    pub item_id: Uuid,
    /// The minutes or action notes (Markdown).
    pub text: DocumentText,
}

/// Record the approval of the minutes at a later meeting.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
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
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CorrectMinutesRequest {
    /// The item.
    pub item_id: Uuid,
    /// The corrected minutes.
    pub text: DocumentText,
    /// Why.
    pub reason: NoteText,
}

/// Record a decision taken under an agenda item.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordMeetingDecisionRequest {
    /// The item it was taken under.
    pub item_id: Uuid,
    /// A short title.
    pub title: TitleText,
    /// The decision's text.
    pub text: DocumentText,
    /// The day it was taken (default: the meeting's day).
    #[serde(default)]
    pub decided_on: Option<NaiveDate>,
    /// The vote, where one was recorded.
    #[serde(default)]
    pub votes: Option<Votes>,
    /// Who may read it.
    pub classification: ChosenClassification,
    /// When the group means to look at it again.
    #[serde(default)]
    pub review_on: Option<NaiveDate>,
}

/// Agree an action under an agenda item.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateMeetingActionRequest {
    /// The item it was agreed under.
    pub item_id: Uuid,
    /// The action.
    pub action: CreateActionRequest,
}

/// Add a report-back item.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddReportBackItemRequest {
    /// The item's title (default `Report back`).
    #[serde(default)]
    pub title: Option<TitleText>,
    /// Who may read it (default: the meeting's classification).
    #[serde(default)]
    pub classification: Option<ChosenClassification>,
}

/// A paper, with whether it missed the despatch rule.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
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
    pub classification: Classification,
    /// When it was despatched.
    pub despatched_at: Option<DateTime<Utc>>,
    /// Despatched after the rule's day, or not yet despatched and past it.
    pub late: bool,
}

/// A correction of approved minutes.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MinutesCorrectionView {
    /// The text before the correction.
    pub previous_text: String,
    /// Why it was corrected.
    pub reason: String,
}

/// A period a report-back item covers.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
pub struct PeriodView {
    /// The first day.
    pub from: NaiveDate,
    /// The last day.
    pub to: NaiveDate,
}

/// An agenda item.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
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
    pub classification: Classification,
    /// Listed or withdrawn.
    pub status: ItemStatus,
    /// Why it was withdrawn.
    pub withdrawal_reason: Option<String>,
    /// Records it concerns or that were recorded from it.
    pub links: Vec<Link>,
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
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
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
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DespatchView {
    /// When.
    pub at: DateTime<Utc>,
    /// To whom.
    pub to: Vec<String>,
    /// The papers sent.
    pub paper_ids: Vec<Uuid>,
}

/// One member's attendance.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AttendanceView {
    /// The member.
    pub member_id: Uuid,
    /// Their attendance.
    pub attendance: Attendance,
}

/// Where the minutes were approved.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MinutesApprovalView {
    /// The approving meeting.
    pub meeting_id: Uuid,
    /// Its item.
    pub item_id: Option<Uuid>,
    /// The day.
    pub on: NaiveDate,
}

/// A move of the meeting.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ReschedulingView {
    /// When it was to start before.
    pub previous_starts_at: DateTime<Utc>,
    /// Why it moved.
    pub reason: Option<String>,
}

/// A meeting (Open Civic Data's Event).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MeetingView {
    /// The meeting's id.
    pub id: Uuid,
    /// Its version; also its ETag.
    pub version: u64,
    /// What kind of meeting.
    pub kind: MeetingKind,
    /// Where it stands.
    pub status: MeetingStatus,
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
    pub classification: Classification,
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
    /// For a meeting of the council (motions and questions go to these, not
    /// to the group's own): the council's deadline for them, by its standing
    /// rule and working days.
    pub motions_due_by: Option<DateTime<Utc>>,
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

impl MeetingView {
    /// The meeting as the contract shows it on the day it is read (which
    /// decides which papers are late), every item and paper in it: see
    /// [`MeetingView::redact`].
    pub fn new(id: Uuid, m: Meeting, stored: Stored<'_>, on: ReadOn<'_>) -> Result<Self, Unrecorded> {
        let unscheduled = || Unrecorded { record: "meeting", id };
        let status = m.status.try_into().map_err(|_| unscheduled())?;
        let despatch_by = m.despatch_by(on.calendar).ok_or_else(unscheduled)?;
        let starts_at = m.starts_at.ok_or_else(unscheduled)?;
        let motions_due_by = m
            .kind
            .filter(|kind| !kind.is_the_groups())
            .map(|_| on.motion_deadline.for_meeting(starts_at, on.calendar));
        let mut number = 0;
        // Listed items in agenda order, then withdrawn ones.
        let withdrawn = m.items.iter().filter(|item| item.status == DomainItemStatus::Withdrawn);
        let items = m
            .listed_items()
            .chain(withdrawn)
            .map(|item| {
                let listed = item.status == DomainItemStatus::Listed;
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
                    status: item.status.into(),
                    withdrawal_reason: item.withdrawal_reason.as_ref().map(ToString::to_string),
                    links: item.links.iter().map(|l| Link { kind: l.kind.into(), id: l.id }).collect(),
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
                                url: format!("{API_PREFIX}/files/{}", f.sha256),
                            }),
                            classification: p.classification.into(),
                            despatched_at: p.despatched_at,
                            late: m.is_late(p, on.today, on.calendar),
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
            version: stored.version,
            kind: m.kind.ok_or_else(unscheduled)?.into(),
            status,
            title: m.title.as_ref().ok_or_else(unscheduled)?.to_string(),
            starts_at,
            ends_at: m.ends_at,
            place: m.place.as_ref().map(ToString::to_string),
            online_link: m.online_link.as_ref().map(ToString::to_string),
            classification: m.classification.ok_or_else(unscheduled)?.into(),
            quorum: m.quorum,
            present,
            quorate: m.quorum.filter(|_| attendance_taken).map(|q| present >= q),
            papers_clear_days: m.papers_clear_days,
            despatch_by,
            motions_due_by,
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
            recorded_at: stored.created_at.to_owned(),
            updated_at: stored.updated_at.to_owned(),
        })
    }

    /// Leaves out the items and papers a reader of only `readable`
    /// classifications may not see, and their papers from the despatches.
    pub fn redact(&mut self, readable: &[caucus_domain::Classification]) {
        let may_read = |c: Classification| readable.contains(&c.into());
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
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MeetingPage {
    /// The meetings, in the order they were scheduled.
    pub items: Vec<MeetingView>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// Filters for the meetings list.
#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct MeetingFilters {
    /// Only these records (up to 200 ids, separated by commas): the ones a
    /// page names. Ask for a `limit` as large as the list to have them all at once.
    #[param(inline)]
    pub ids: Option<IdList>,
    /// Only meetings in this status.
    pub status: Option<MeetingStatus>,
    /// Only meetings on or after this day.
    pub from: Option<NaiveDate>,
    /// Only meetings on or before this day.
    pub to: Option<NaiveDate>,
    /// Continue from the `next_cursor` of the previous page.
    #[param(inline)]
    pub cursor: Option<Cursor>,
    /// Page size, 1 to 200 (default 50).
    #[param(inline)]
    pub limit: Option<PageLimit>,
    /// Which end of the register to start from (default `oldest`).
    #[param(inline)]
    pub order: Option<ListOrder>,
}

/// A paper that missed the despatch rule.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
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
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LatePapers {
    /// Late papers, by meeting date.
    pub items: Vec<LatePaperView>,
}

/// Whose calendar.
#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CalendarParams {
    /// Without a token: the group whose public meetings to list.
    pub group: Option<String>,
    /// A bearer token, for calendar clients that cannot send an Authorization header.
    pub token: Option<String>,
}
