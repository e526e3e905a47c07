//! `/report-back`: the digest of a period for a group meeting's papers.

use actix_web::{HttpResponse, get, web};
use caucus_wire::report_back::{
    ActionItemView, AppointmentChangeView, CaseworkCountsView, DecisionTakenView, ProgressItemView,
    ReportBackParams, ReportBackView,
};

use super::{AppState, Routes, command};
use crate::auth::{Caller, Operation};
use crate::http::{ApiError, PeriodErrors, Query, report_as};
use crate::reports::report_back::{self, ActionItem, AppointmentChange, Period, ReportBack};

pub fn configure(config: &mut Routes) {
    config.service(get_report_back);
}

fn change_view(c: AppointmentChange) -> AppointmentChangeView {
    {
        AppointmentChangeView {
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

fn report_view(r: ReportBack) -> ReportBackView {
    {
        ReportBackView {
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
            appointments_changed: r.appointments_changed.into_iter().map(change_view).collect(),
            casework: CaseworkCountsView {
                opened: r.casework.opened,
                closed: r.casework.closed,
                open: r.casework.open,
                overdue: r.casework.overdue,
            },
        }
    }
}

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
        PeriodErrors
    ),
    security(("bearer" = []))
)]
#[get("/report-back")]
async fn get_report_back(
    state: web::Data<AppState>,
    caller: Caller,
    params: Query<ReportBackParams>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::GetReportBack)?;
    let period = Period::asked(params.from, params.to, state.read_on().today)
        .map_err(|e| ApiError::invalid_field("/to", e))?;
    let scope = command::scope(&state, &caller);
    let report = crate::app::report_back::build(&scope, period, &state.working_days).await?;
    let written = || report_back::to_markdown(&report, caller.group_id.as_str());
    Ok(report_as(params.format, || report_view(report.clone()), written))
}
