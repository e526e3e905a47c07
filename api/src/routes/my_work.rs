//! `/my-work`: what the caller must see to, soonest first.

use actix_web::{HttpResponse, get, web};
use caucus_wire::{
    API_PREFIX,
    my_work::{MyWorkView, WorkItemView, WorkKind as WireKind},
};

use super::{AppState, Routes, command};
use crate::app::my_work::{self, WorkKind};
use crate::auth::{Caller, Operation};
use crate::http::{ApiError, ReadErrors};

pub fn configure(config: &mut Routes) {
    config.service(get_my_work);
}

/// A kind of work as the wire spells it, and where its records are read.
fn wire_kind(kind: WorkKind) -> (WireKind, &'static str) {
    match kind {
        WorkKind::Action => (WireKind::Action, "actions"),
        WorkKind::Approval => (WireKind::Approval, "publications"),
        WorkKind::Case => (WireKind::Case, "cases"),
        WorkKind::TermEnding => (WireKind::TermEnding, "appointments"),
        WorkKind::Papers => (WireKind::Papers, "meetings"),
        WorkKind::Scheduled => (WireKind::Scheduled, "publications"),
        WorkKind::Position => (WireKind::Position, "forward-plan-items"),
        WorkKind::Election => (WireKind::Election, "elections"),
        WorkKind::Deadline => (WireKind::Deadline, "motions"),
        WorkKind::PlaceOffered => (WireKind::PlaceOffered, "group-events"),
        WorkKind::Hospitality => (WireKind::Hospitality, "group-events"),
        WorkKind::Training => (WireKind::Training, "appointments"),
        WorkKind::Induction => (WireKind::Induction, "inductions"),
        WorkKind::PermissibilityCheck => (WireKind::PermissibilityCheck, "donations"),
        WorkKind::RegisterOfInterests => (WireKind::RegisterOfInterests, "registers"),
        WorkKind::SpendingApproval => (WireKind::SpendingApproval, "budgets"),
    }
}

/// What the caller must see to.
#[utoipa::path(
    tag = "my-work",
    operation_id = "get_my_work",
    summary = "Everything the caller must see to, soonest first: their actions past due or due within a week, publications waiting for their approval, cases they work with a step past due or due within five working days, terms ending within 30 days, papers to despatch for meetings within 14 days (late once their day has passed), publications going out within 7 days, forward plan decisions within 30 days without a group position, elections open, drafted motions and questions whose submission deadline is within 14 days, induction steps past due or due within a week (a member's own, those they or their role own; the office's, every one), donations whose permissibility check is still to be made (for those who record it), spending awaiting an approval the caller may give (never their own proposal or one they approved already); each kind only for the roles that may act on it",
    responses((status = 200, description = "The caller's work", body = MyWorkView), ReadErrors),
    security(("bearer" = []))
)]
#[get("/my-work")]
async fn get_my_work(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::GetMyWork)?;
    let on = state.read_on();
    let actor = (caller.subject.as_str(), caller.roles.as_slice());
    let work = my_work::my_work(&command::scope(&state, &caller), actor, on).await?;
    let items = work
        .items
        .into_iter()
        .map(|item| {
            let (kind, collection) = wire_kind(item.kind);
            WorkItemView {
                kind,
                title: item.title,
                due_on: item.due_on,
                overdue: item.overdue,
                record_id: item.record_id,
                url: format!("{API_PREFIX}/{collection}/{}", item.record_id),
            }
        })
        .collect();
    let more = work.more.into_iter().map(|kind| wire_kind(kind).0).collect();
    Ok(HttpResponse::Ok().json(MyWorkView { today: on.today, items, more }))
}
