//! `/report-back`: the digest of a period for a group meeting's papers.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// The longest period one report covers, in days.
pub const MAX_PERIOD_DAYS: i64 = 3 * 366;

/// How the report is returned.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReportFormat {
    /// JSON (`application/json`).
    #[default]
    Json,
    /// Markdown ready for a meeting's papers (`text/markdown`).
    Markdown,
}

/// The period of a report back.
#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ReportBackParams {
    /// The first day (default: 30 days before `to`).
    pub from: Option<NaiveDate>,
    /// The last day (default: today, UTC).
    pub to: Option<NaiveDate>,
    /// `json` (default) or `markdown`.
    #[param(inline)]
    pub format: Option<ReportFormat>,
}

/// Casework in a report back: counts only.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
pub struct CaseworkCountsView {
    /// Cases received in the period.
    pub opened: u32,
    /// Cases closed in the period.
    pub closed: u32,
    /// Cases open at the end of the period.
    pub open: u32,
    /// Of those, how many had something past due.
    pub overdue: u32,
}

/// A decision taken in the period.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DecisionTakenView {
    /// The decision's id.
    pub id: Uuid,
    /// Its title.
    pub title: String,
    /// The day it was taken.
    pub decided_on: NaiveDate,
    /// Its status now.
    pub status: String,
}

/// A progress note dated in the period.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ProgressItemView {
    /// The decision's or action's id.
    pub id: Uuid,
    /// `decision` or `action`.
    pub kind: String,
    /// Its title.
    pub title: String,
    /// The day of the note.
    pub on: NaiveDate,
    /// The note.
    pub note: String,
    /// Percent complete (decisions).
    pub percent_complete: Option<u8>,
}

/// An action as the report lists it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ActionItemView {
    /// The action's id.
    pub id: Uuid,
    /// Its title.
    pub title: String,
    /// The owner's member id.
    pub owner_id: Uuid,
    /// The owner's name, where known.
    pub owner: Option<String>,
    /// When it is or was due.
    pub due_on: NaiveDate,
    /// When it was completed.
    pub completed_on: Option<NaiveDate>,
}

/// An appointment confirmed or ended in the period.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AppointmentChangeView {
    /// The appointment's id.
    pub id: Uuid,
    /// The member's id.
    pub member_id: Uuid,
    /// The member's name, where known.
    pub member: Option<String>,
    /// The body's id.
    pub body_id: Uuid,
    /// The body's name, where known.
    pub body: Option<String>,
    /// `confirmed`, or `ended: <reason>`.
    pub change: String,
    /// The day of the change.
    pub on: NaiveDate,
}

/// The report back for a period.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ReportBackView {
    /// The first day.
    pub from: NaiveDate,
    /// The last day.
    pub to: NaiveDate,
    /// Decisions taken in the period.
    pub decisions_taken: Vec<DecisionTakenView>,
    /// Progress notes dated in the period.
    pub progress_reported: Vec<ProgressItemView>,
    /// Actions completed in the period.
    pub actions_completed: Vec<ActionItemView>,
    /// Open actions due before the end of the period, by owner.
    pub overdue: Vec<ActionItemView>,
    /// Open actions due within 14 days after the period.
    pub coming_due: Vec<ActionItemView>,
    /// Appointments confirmed or ended in the period.
    pub appointments_changed: Vec<AppointmentChangeView>,
    /// Casework's counts (the casework report has the rest; no case is named).
    pub casework: CaseworkCountsView,
}
