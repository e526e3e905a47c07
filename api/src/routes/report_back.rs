//! `/report-back`: the digest of a period for a group meeting's papers.

use std::collections::HashMap;

use super::Routes;
use actix_web::{HttpResponse, get, web};
use chrono::{Days, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::AppState;
use crate::auth::{Caller, Operation};
use crate::domain::{
    Classification, Record, action::Action, appointment::Appointment, body::Body, decision::Decision,
    member::Member,
};
use crate::http::{ApiError, ListErrors};
use crate::reports::report_back::{self, ActionItem, AppointmentChange, Period, ReportBack, Sources};
use crate::store::records::{self, RecordQuery, StoredRecord};

pub fn configure(config: &mut Routes) {
    config.service(get_report_back);
}

/// How the report is returned.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReportFormat {
    /// JSON (`application/json`).
    #[default]
    Json,
    /// Markdown ready for a meeting's papers (`text/markdown`).
    Markdown,
}

/// The period of a report back.
#[derive(Debug, Clone, Deserialize, IntoParams)]
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

/// A decision taken in the period.
#[derive(Debug, Clone, Serialize, ToSchema)]
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
#[derive(Debug, Clone, Serialize, ToSchema)]
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
#[derive(Debug, Clone, Serialize, ToSchema)]
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
#[derive(Debug, Clone, Serialize, ToSchema)]
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

impl From<AppointmentChange> for AppointmentChangeView {
    fn from(c: AppointmentChange) -> Self {
        Self {
            id: c.id,
            member_id: c.member_id,
            member: c.member,
            body_id: c.body_id,
            body: c.body,
            change: c.change,
            on: c.on,
        }
    }
}

/// The report back for a period.
#[derive(Debug, Clone, Serialize, ToSchema)]
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
}

fn action_view(a: ActionItem) -> ActionItemView {
    ActionItemView {
        id: a.id,
        title: a.title,
        owner_id: a.owner_id,
        owner: a.owner,
        due_on: a.due_on,
        completed_on: a.completed_on,
    }
}

impl From<ReportBack> for ReportBackView {
    fn from(r: ReportBack) -> Self {
        Self {
            from: r.period.from,
            to: r.period.to,
            decisions_taken: r
                .decisions_taken
                .into_iter()
                .map(|d| DecisionTakenView {
                    id: d.id,
                    title: d.title,
                    decided_on: d.decided_on,
                    status: d.status.to_owned(),
                })
                .collect(),
            progress_reported: r
                .progress_reported
                .into_iter()
                .map(|p| ProgressItemView {
                    id: p.id,
                    kind: p.kind.to_owned(),
                    title: p.title,
                    on: p.on,
                    note: p.note,
                    percent_complete: p.percent_complete,
                })
                .collect(),
            actions_completed: r.actions_completed.into_iter().map(action_view).collect(),
            overdue: r.overdue.into_iter().map(action_view).collect(),
            coming_due: r.coming_due.into_iter().map(action_view).collect(),
            appointments_changed: r.appointments_changed.into_iter().map(Into::into).collect(),
        }
    }
}

/// Loads every record of `A` the caller may read, with its id.
async fn load_all<A: Record>(
    state: &AppState,
    caller: &Caller,
    readable: &[Classification],
) -> Result<Vec<(Uuid, A)>, ApiError> {
    let query = RecordQuery::new(&caller.group_id, A::TYPE, readable);
    let stored = records::list_all(&state.db, &query).await?;
    stored.iter().map(parse_record).collect()
}

fn parse_record<A: Record>(stored: &StoredRecord) -> Result<(Uuid, A), ApiError> {
    let id = Uuid::parse_str(&stored.record_id).map_err(ApiError::internal)?;
    let record = serde_json::from_str(&stored.state).map_err(ApiError::internal)?;
    Ok((id, record))
}

/// The longest period one report covers.
const MAX_PERIOD_DAYS: i64 = 3 * 366;

/// The report back for a period.
#[utoipa::path(
    tag = "report-back",
    operation_id = "get_report_back",
    summary = "What the group decided, reported, completed, which appointments changed, and what is overdue or coming due, for a period",
    params(ReportBackParams),
    responses(
        (status = 200, description = "The report: JSON, or Markdown with `format=markdown`", content(
            (ReportBackView = "application/json"),
            (String = "text/markdown")
        )),
        ListErrors
    ),
    security(("bearer" = []))
)]
#[get("/report-back")]
async fn get_report_back(
    state: web::Data<AppState>,
    caller: Caller,
    params: web::Query<ReportBackParams>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::GetReportBack)?;
    let to = params.to.unwrap_or_else(|| Utc::now().date_naive());
    let from = params.from.unwrap_or_else(|| to.checked_sub_days(Days::new(30)).unwrap_or(to));
    if from > to {
        return Err(ApiError::BadRequest("from must not be after to".into()));
    }
    if (to - from).num_days() > MAX_PERIOD_DAYS {
        return Err(ApiError::BadRequest(format!("a report covers at most {MAX_PERIOD_DAYS} days")));
    }
    let report = build_report(&state, &caller, Period { from, to }).await?;
    Ok(match params.format.unwrap_or_default() {
        ReportFormat::Json => HttpResponse::Ok().json(ReportBackView::from(report)),
        ReportFormat::Markdown => HttpResponse::Ok()
            .content_type("text/markdown; charset=utf-8")
            .body(report_back::to_markdown(&report, caller.group_id.as_str())),
    })
}

/// The report back for `period`, from the records the caller may read.
pub(crate) async fn build_report(
    state: &AppState,
    caller: &Caller,
    period: Period,
) -> Result<ReportBack, ApiError> {
    let readable = Classification::readable_set(&caller.roles);
    let decisions: Vec<(Uuid, Decision)> = load_all(state, caller, &readable).await?;
    let actions: Vec<(Uuid, Action)> = load_all(state, caller, &readable).await?;
    let members: Vec<(Uuid, Member)> = load_all(state, caller, &readable).await?;
    let names: HashMap<Uuid, String> = members
        .into_iter()
        .filter_map(|(id, member)| member.name.map(|name| (id, name.to_string())))
        .collect();
    let appointments: Vec<(Uuid, Appointment)> = load_all(state, caller, &readable).await?;
    let bodies: HashMap<Uuid, String> = load_all::<Body>(state, caller, &readable)
        .await?
        .into_iter()
        .filter_map(|(id, body)| body.name.map(|name| (id, name.to_string())))
        .collect();
    Ok(report_back::build(
        period,
        Sources {
            decisions: &decisions,
            actions: &actions,
            appointments: &appointments,
            names: &names,
            bodies: &bodies,
        },
    ))
}
