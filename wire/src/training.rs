//! `/courses` and `/training-records`: the group's catalogue of councillor
//! training, each member's completions with their evidence and training
//! needs, and what is expiring or expired.

use caucus_domain::training::{
    Course, CourseDraft, Evidence, Need, NeedDraft, NeedOutcome, NeedReason, TrainingRecord,
};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::common::{Cursor, DaysAhead, PageLimit, Stored, Unrecorded};
use crate::input::{NoteText, TitleText};
use crate::mirror::mirror;
use crate::{Fields, ParseRequest};

mirror! {
    /// Where a course stands.
    pub enum CourseStatus = caucus_domain::training::CourseStatus {
        /// In the catalogue.
        Offered,
        /// No longer offered; completions stand.
        Retired,
    }
    internal { Unlisted }
}

mirror! {
    /// How soon a training need should be met.
    pub enum Priority = caucus_domain::training::Priority {
        /// Before the member can do their work (a seat that requires it).
        High,
        /// Within the year.
        Medium,
        /// When a place comes up.
        Low,
    }
}

/// Why a member needs some training.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NeedReasonKind {
    /// A new seat on a body (give `body_id`).
    NewSeat,
    /// The member asked for it.
    OwnRequest,
    /// The member's annual review found it.
    AnnualReview,
}

/// Where a training need stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NeedStatus {
    /// Still to be met.
    Open,
    /// The member completed its course.
    Met,
    /// No longer needed.
    Withdrawn,
}

/// Record a member's training need.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordNeedRequest {
    /// The course of the catalogue that meets it; completing it meets the need.
    #[serde(default)]
    pub course_id: Option<Uuid>,
    /// What is needed, in words; required when no course is named.
    #[serde(default)]
    pub description: Option<NoteText>,
    /// How soon.
    pub priority: Priority,
    /// Why.
    pub reason: NeedReasonKind,
    /// The body of the new seat; required with `new_seat`, and only with it.
    #[serde(default)]
    pub body_id: Option<Uuid>,
}

impl ParseRequest for RecordNeedRequest {
    type Parsed = NeedDraft;

    fn parse_fields(&self, fields: &mut Fields) -> Option<NeedDraft> {
        let description = fields.check_optional("/description", self.description.as_ref());
        if self.course_id.is_none() && description == Some(None) {
            fields.reject("/description", "say what is needed, or name a course of the catalogue");
        }
        let reason = match (self.reason, self.body_id) {
            (NeedReasonKind::NewSeat, Some(body_id)) => Some(NeedReason::NewSeat { body_id }),
            (NeedReasonKind::NewSeat, None) => {
                fields.reject("/body_id", "name the body of the new seat");
                None
            }
            (_, Some(_)) => {
                fields.reject("/body_id", "a body is named only for a new seat");
                None
            }
            (NeedReasonKind::OwnRequest, None) => Some(NeedReason::OwnRequest),
            (NeedReasonKind::AnnualReview, None) => Some(NeedReason::AnnualReview),
        };
        Some(NeedDraft {
            course_id: self.course_id,
            description: description?,
            priority: self.priority.into(),
            reason: reason?,
        })
    }
}

/// Withdraw a training need that is no longer needed.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WithdrawNeedRequest {
    /// Why it is no longer needed.
    pub reason: NoteText,
}

/// A member's training need.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct NeedView {
    /// Its id.
    pub id: Uuid,
    /// The day it was recorded.
    pub recorded_on: NaiveDate,
    /// The course that meets it.
    pub course_id: Option<Uuid>,
    /// What is needed, in words.
    pub description: Option<String>,
    /// How soon.
    pub priority: Priority,
    /// Why.
    pub reason: NeedReasonKind,
    /// The body of the new seat.
    pub body_id: Option<Uuid>,
    /// Where it stands.
    pub status: NeedStatus,
    /// The day it was met or withdrawn.
    pub closed_on: Option<NaiveDate>,
    /// Why it was withdrawn.
    pub withdrawal_reason: Option<String>,
}

impl From<&Need> for NeedView {
    fn from(need: &Need) -> Self {
        let (reason, body_id) = match need.draft.reason {
            NeedReason::NewSeat { body_id } => (NeedReasonKind::NewSeat, Some(body_id)),
            NeedReason::OwnRequest => (NeedReasonKind::OwnRequest, None),
            NeedReason::AnnualReview => (NeedReasonKind::AnnualReview, None),
        };
        let status = match need.closed.as_ref().map(|c| c.outcome) {
            None => NeedStatus::Open,
            Some(NeedOutcome::Met) => NeedStatus::Met,
            Some(NeedOutcome::Withdrawn) => NeedStatus::Withdrawn,
        };
        Self {
            id: need.id,
            recorded_on: need.recorded_on,
            course_id: need.draft.course_id,
            description: need.draft.description.as_ref().map(ToString::to_string),
            priority: need.draft.priority.into(),
            reason,
            body_id,
            status,
            closed_on: need.closed.as_ref().map(|c| c.on),
            withdrawal_reason: need.closed.as_ref().and_then(|c| c.note.as_ref()).map(ToString::to_string),
        }
    }
}

/// Add a course to the catalogue.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddCourseRequest {
    /// Its title, e.g. `Planning: probity and the planning code`.
    pub title: TitleText,
    /// What it covers, up to 2,000 characters.
    #[serde(default)]
    pub description: Option<NoteText>,
    /// How many months a completion stays valid, 1 to 120; absent: for good.
    #[serde(default)]
    #[schema(minimum = 1, maximum = 120)]
    pub valid_for_months: Option<u16>,
    /// The bodies whose members must hold it (bodies of the group).
    #[serde(default)]
    pub required_for: Vec<Uuid>,
}

impl ParseRequest for AddCourseRequest {
    type Parsed = CourseDraft;

    fn parse_fields(&self, fields: &mut Fields) -> Option<CourseDraft> {
        let title = fields.check("/title", &self.title);
        let description = fields.check_optional("/description", self.description.as_ref());
        let valid_for_months = match self.valid_for_months {
            None => Some(None),
            Some(months) => {
                let max = caucus_domain::training::MAX_VALID_MONTHS;
                fields.range("/valid_for_months", months, 1, max).map(Some)
            }
        };
        Some(CourseDraft {
            title: title?,
            description: description?,
            valid_for_months: valid_for_months?,
            required_for: self.required_for.clone(),
        })
    }
}

/// Take a course out of the catalogue.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RetireCourseRequest {
    /// Why, up to 2,000 characters.
    pub reason: NoteText,
}

/// A course.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CourseView {
    /// The course's id.
    pub id: Uuid,
    /// Its version; also its ETag.
    pub version: u64,
    /// Where it stands.
    pub status: CourseStatus,
    /// Its title.
    pub title: String,
    /// What it covers.
    pub description: Option<String>,
    /// Months a completion stays valid; absent: for good.
    pub valid_for_months: Option<u16>,
    /// The bodies whose members must hold it.
    pub required_for: Vec<Uuid>,
    /// Why it was retired.
    pub retirement_reason: Option<String>,
    /// When it was added (RFC 3339, UTC).
    pub recorded_at: String,
    /// When it last changed (RFC 3339, UTC).
    pub updated_at: String,
}

impl CourseView {
    /// The course as the contract shows it.
    pub fn new(id: Uuid, c: Course, stored: Stored<'_>) -> Result<Self, Unrecorded> {
        let unlisted = || Unrecorded { record: "course", id };
        Ok(Self {
            id,
            version: stored.version,
            status: c.status.try_into().map_err(|_| unlisted())?,
            title: c.title.as_ref().ok_or_else(unlisted)?.to_string(),
            description: c.description.as_ref().map(ToString::to_string),
            valid_for_months: c.valid_for_months,
            required_for: c.required_for,
            retirement_reason: c.retirement_reason.as_ref().map(ToString::to_string),
            recorded_at: stored.created_at.to_owned(),
            updated_at: stored.updated_at.to_owned(),
        })
    }
}

/// A page of courses.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CoursePage {
    /// The courses, in the order they were added.
    pub items: Vec<CourseView>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// Filters for the catalogue.
#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CourseFilters {
    /// Only courses in this status.
    #[param(inline)]
    pub status: Option<CourseStatus>,
    /// Only courses this body requires.
    pub required_for: Option<Uuid>,
    /// Continue from the `next_cursor` of the previous page.
    #[param(inline)]
    pub cursor: Option<Cursor>,
    /// Page size, 1 to 200 (default 50).
    #[param(inline)]
    pub limit: Option<PageLimit>,
    /// The catalogue as it stood at this instant, rebuilt from the events recorded by then.
    pub as_of: Option<DateTime<Utc>>,
}

/// Record a course completed, with a certificate as its evidence.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordCompletionRequest {
    /// The course: one in the group's catalogue.
    pub course_id: Uuid,
    /// The day it was completed.
    pub completed_on: NaiveDate,
    /// The certificate, stored first with `POST /files`.
    pub certificate_file_id: String,
}

/// What shows a course was completed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceKind {
    /// The attendance register of a group event that taught it.
    Register,
    /// A certificate stored with Caucus.
    Certificate,
}

/// One completion.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CompletionView {
    /// The course.
    pub course_id: Uuid,
    /// The day it was completed.
    pub completed_on: NaiveDate,
    /// The last day it counts; absent: for good.
    pub valid_until: Option<NaiveDate>,
    /// Whether it counts today.
    pub valid: bool,
    /// What shows it.
    pub evidence: EvidenceKind,
    /// The event whose register shows it.
    pub event_id: Option<Uuid>,
    /// The certificate's stored file.
    pub file_id: Option<String>,
}

impl CompletionView {
    fn new(c: &caucus_domain::training::Completion, today: NaiveDate) -> Self {
        let (evidence, event_id, file_id) = match &c.evidence {
            Evidence::Register { event_id } => (EvidenceKind::Register, Some(*event_id), None),
            Evidence::Certificate { file_id } => (EvidenceKind::Certificate, None, Some(file_id.clone())),
        };
        Self {
            course_id: c.course_id,
            completed_on: c.completed_on,
            valid_until: c.valid_until,
            valid: c.valid_on(today),
            evidence,
            event_id,
            file_id,
        }
    }
}

/// A member's training record.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TrainingRecordView {
    /// The record's own id (one per member, derived from theirs): what the
    /// audit log and `/history/training-record/{id}` name it by.
    pub id: Uuid,
    /// The member.
    pub member_id: Uuid,
    /// Its version (0 before the first completion); also its ETag.
    pub version: u64,
    /// Each course's latest completion.
    pub held: Vec<CompletionView>,
    /// Every completion, in the order recorded.
    pub completions: Vec<CompletionView>,
    /// Every training need, open and closed, in the order recorded.
    pub needs: Vec<NeedView>,
}

impl TrainingRecordView {
    /// `member_id`'s record as the contract shows it on `today` (none yet: empty).
    pub fn new(member_id: Uuid, record: Option<(&TrainingRecord, u64)>, today: NaiveDate) -> Self {
        let id = caucus_domain::training::training_record_id(member_id);
        let Some((record, version)) = record else {
            return Self {
                id,
                member_id,
                version: 0,
                held: Vec::new(),
                completions: Vec::new(),
                needs: Vec::new(),
            };
        };
        Self {
            id,
            member_id,
            version,
            held: record.held().into_iter().map(|c| CompletionView::new(c, today)).collect(),
            completions: record.completions.iter().map(|c| CompletionView::new(c, today)).collect(),
            needs: record.needs.iter().map(NeedView::from).collect(),
        }
    }
}

/// A course a body requires that the member on it does not hold today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TrainingGapView {
    /// The course.
    pub course_id: Uuid,
    /// Its title.
    pub course_title: String,
    /// The day their last completion of it lapsed after; absent: never completed.
    pub lapsed_on: Option<NaiveDate>,
}

/// A course a member holds that has lapsed or lapses soon.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ExpiryView {
    /// The member.
    pub member_id: Uuid,
    /// The course.
    pub course_id: Uuid,
    /// The last day it counts.
    pub valid_until: NaiveDate,
    /// Whether that day has passed.
    pub expired: bool,
}

/// Courses lapsed or lapsing.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ExpiriesView {
    /// The day it was read for.
    pub today: NaiveDate,
    /// Lapsed and lapsing courses, soonest first (lapsed first of all).
    pub items: Vec<ExpiryView>,
}

/// Which lapses to list.
#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ExpiryParams {
    /// Courses lapsing within this many days (default 60); lapsed ones are always listed.
    #[param(inline)]
    pub within_days: Option<DaysAhead>,
}
