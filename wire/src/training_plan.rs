//! `/training-plan`: the draft group training plan for a period, from the
//! members' open needs, the courses their seats require, the completions
//! that lapse, and the catalogue; for a group meeting's papers.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::report_back::ReportFormat;
use crate::training::{NeedReasonKind, Priority};

/// The period a plan covers.
#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct TrainingPlanParams {
    /// The first day (default: today).
    pub from: Option<NaiveDate>,
    /// The last day (default: a year after `from`, less a day); at most three years after `from`.
    pub to: Option<NaiveDate>,
    /// `json` (default) or `markdown`.
    #[param(inline)]
    pub format: Option<ReportFormat>,
}

/// Why a member is in the plan for a course.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PlanReasonKind {
    /// A body they sit on, or are nominated to, requires it.
    Seat,
    /// Their completion lapses by the end of the period.
    Renewal,
    /// A need recorded for a new seat.
    NewSeat,
    /// A need they asked for.
    OwnRequest,
    /// A need their annual review found.
    AnnualReview,
}

impl From<NeedReasonKind> for PlanReasonKind {
    fn from(kind: NeedReasonKind) -> Self {
        match kind {
            NeedReasonKind::NewSeat => Self::NewSeat,
            NeedReasonKind::OwnRequest => Self::OwnRequest,
            NeedReasonKind::AnnualReview => Self::AnnualReview,
        }
    }
}

/// One reason a member is in the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PlanReasonView {
    /// What kind of reason.
    pub kind: PlanReasonKind,
    /// The body, for a seat or a new seat.
    pub body_id: Option<Uuid>,
    /// The body's name.
    pub body_name: Option<String>,
    /// The day their completion lapses, or lapsed, for a seat or a renewal.
    pub lapses_on: Option<NaiveDate>,
    /// The recorded need.
    pub need_id: Option<Uuid>,
}

/// A member who needs a course.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TraineeView {
    /// The member.
    pub member_id: Uuid,
    /// Their name.
    pub name: String,
    /// The highest priority of their reasons.
    pub priority: Priority,
    /// Every reason, seats first.
    pub reasons: Vec<PlanReasonView>,
    /// The day they need it by, where a seat or a lapse says.
    pub needed_by: Option<NaiveDate>,
}

/// A session in the diary that teaches the course.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SuggestedSessionView {
    /// The group event.
    pub event_id: Uuid,
    /// Its title.
    pub title: String,
    /// When it starts.
    pub starts_at: DateTime<Utc>,
    /// Places neither taken nor offered; absent: no limit.
    pub places_left: Option<u32>,
}

/// A course of the catalogue, with who needs it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PlannedCourseView {
    /// The course.
    pub course_id: Uuid,
    /// Its title.
    pub title: String,
    /// How many places are needed: one per trainee.
    pub places: u32,
    /// Who needs it, highest priority and soonest first.
    pub trainees: Vec<TraineeView>,
    /// Sessions in the period that teach it, soonest first; none: one must be arranged.
    pub sessions: Vec<SuggestedSessionView>,
}

/// A need no course of the catalogue meets.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OtherNeedView {
    /// The need.
    pub need_id: Uuid,
    /// The member.
    pub member_id: Uuid,
    /// Their name.
    pub name: String,
    /// What is needed.
    pub description: String,
    /// How soon.
    pub priority: Priority,
    /// Why.
    pub reason: NeedReasonKind,
}

/// The draft group training plan.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TrainingPlanView {
    /// The first day it covers.
    pub from: NaiveDate,
    /// The last day it covers.
    pub to: NaiveDate,
    /// The day it was drafted.
    pub drafted_on: NaiveDate,
    /// Places needed across every course.
    pub places: u32,
    /// Courses needed, those with the most high-priority places first.
    pub courses: Vec<PlannedCourseView>,
    /// Needs outside the catalogue, highest priority first.
    pub other_needs: Vec<OtherNeedView>,
}
