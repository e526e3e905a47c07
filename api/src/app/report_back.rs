//! The report back of a period, gathered from the records the actor may read.

use std::collections::HashMap;

use uuid::Uuid;

use super::{Scope, references};
use crate::domain::{
    WorkingDays, action::Action, appointment::Appointment, body::Body, decision::Decision, member::Member,
};
use crate::reports::report_back::{self, CaseworkCounts, Period, ReportBack, Sources};
use crate::store::StoreError;

/// The report back for `period`, casework counted in `calendar`'s working days.
pub async fn build(
    scope: &Scope<'_>,
    period: Period,
    calendar: &WorkingDays,
) -> Result<ReportBack, StoreError> {
    // Open and overdue as the period ends, as for actions.
    let day_after = period.day_after();
    let cases = super::casework::report_facts(scope, period, day_after).await?;
    let cases = crate::reports::casework::build(period, day_after, calendar, cases);
    let decisions: Vec<(Uuid, Decision)> = states(references::all(scope).await?);
    let actions: Vec<(Uuid, Action)> = states(references::all(scope).await?);
    let appointments: Vec<(Uuid, Appointment)> = states(references::all(scope).await?);
    let names: HashMap<Uuid, String> = references::all::<Member>(scope)
        .await?
        .into_iter()
        .filter_map(|(id, member, _)| member.name.map(|name| (id, name.to_string())))
        .collect();
    let bodies: HashMap<Uuid, String> = references::all::<Body>(scope)
        .await?
        .into_iter()
        .filter_map(|(id, body, _)| body.name.map(|name| (id, name.to_string())))
        .collect();
    Ok(report_back::build(
        period,
        Sources {
            decisions: &decisions,
            actions: &actions,
            appointments: &appointments,
            names: &names,
            bodies: &bodies,
            casework: CaseworkCounts {
                opened: cases.opened,
                closed: cases.closed,
                open: cases.open,
                overdue: cases.overdue,
            },
        },
    ))
}

/// The records without their versions.
fn states<A>(records: Vec<(Uuid, A, i64)>) -> Vec<(Uuid, A)> {
    records.into_iter().map(|(id, record, _)| (id, record)).collect()
}
