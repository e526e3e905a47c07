//! `/casework-report`: the counts of a period's casework, for the whole group.

use actix_web::{HttpResponse, get, web};
use caucus_wire::casework::{
    CaseworkReportParams, CaseworkReportView, OrganisationLoadView, OverdueCaseView, TallyView,
};

use super::{AppState, Routes, command};
use crate::app::casework;
use crate::auth::{Caller, Operation};
use crate::http::{ApiError, PeriodErrors, Query};
use crate::reports::{
    casework::{self as report, CaseworkReport, Tally},
    report_back::Period,
};

pub fn configure(config: &mut Routes) {
    config.service(get_casework_report);
}

fn tally_views(tallies: Vec<Tally>) -> Vec<TallyView> {
    tallies.into_iter().map(|t| TallyView { name: t.name, count: t.count }).collect()
}

fn report_view(r: CaseworkReport) -> CaseworkReportView {
    CaseworkReportView {
        from: r.period.from,
        to: r.period.to,
        today: r.today,
        opened: r.opened,
        closed: r.closed,
        open: r.open,
        overdue: r.overdue,
        opened_by_category: tally_views(r.opened_by_category),
        opened_by_ward: tally_views(r.opened_by_ward),
        closed_by_category: tally_views(r.closed_by_category),
        closed_by_outcome: tally_views(r.closed_by_outcome),
        organisations: r
            .organisations
            .into_iter()
            .map(|o| OrganisationLoadView {
                organisation_id: o.organisation_id,
                organisation: o.organisation,
                open: o.open,
                overdue: o.overdue,
                answered: o.answered,
                median_working_days_to_answer: o.median_working_days_to_answer,
            })
            .collect(),
        longest_overdue: r
            .longest_overdue
            .into_iter()
            .map(|c| OverdueCaseView {
                case_id: c.case_id,
                category: c.category,
                ward: c.ward,
                organisation: c.organisation,
                due_on: c.due_on,
                working_days_overdue: c.working_days_overdue,
            })
            .collect(),
    }
}

/// The casework report of a period.
#[utoipa::path(
    tag = "casework",
    operation_id = "get_casework_report",
    summary = "Casework in a period, as counts only: opened and closed by category, ward and outcome, open and overdue by organisation, median working days to an answer, the longest overdue",
    params(CaseworkReportParams),
    responses((status = 200, description = "The report", body = CaseworkReportView), PeriodErrors),
    security(("bearer" = []))
)]
#[get("/casework-report")]
async fn get_casework_report(
    state: web::Data<AppState>,
    caller: Caller,
    params: Query<CaseworkReportParams>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::GetCaseworkReport)?;
    let on = state.read_on();
    let period =
        Period::asked(params.from, params.to, on.today).map_err(|e| ApiError::invalid_field("/to", e))?;
    let facts = casework::report_facts(&command::scope(&state, &caller), period, on.today).await?;
    Ok(HttpResponse::Ok().json(report_view(report::build(period, on.today, on.calendar, facts))))
}
