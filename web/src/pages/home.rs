//! My work, the landing page: everything the signed-in person must see to,
//! soonest first, as the api's `/my-work` gives it.

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, get, web};
use caucus_wire::my_work::{MyWorkView, WorkKind};
use serde_json::{Value, json};

use super::{PageError, State, signed_in};
use crate::present::{long_date, words};
use crate::render::Section;

/// Where the web client shows a record the api names at `url`, if it has a
/// screen for its kind.
fn page_of(kind: WorkKind, url: &str) -> Option<String> {
    let id = url.rsplit('/').next()?;
    let screen = match kind {
        WorkKind::Case => "cases",
        WorkKind::Papers => "meetings",
        WorkKind::Approval | WorkKind::Scheduled => "publications",
        WorkKind::Action => "actions",
        WorkKind::TermEnding | WorkKind::Training => "appointments",
        WorkKind::Deadline => "motions",
        WorkKind::Position => "forward-plan",
        WorkKind::Election => "elections",
        WorkKind::PlaceOffered | WorkKind::Hospitality => "group-events",
        WorkKind::Induction => "inductions",
        WorkKind::PermissibilityCheck => "donations",
        WorkKind::SpendingApproval => "budgets",
        WorkKind::RegisterOfInterests => "registers",
    };
    Some(format!("/{screen}/{id}"))
}

#[get("/")]
pub(super) async fn home(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let work: MyWorkView = state.read(&session, &person, &request, "/my-work").await?;
    let items: Vec<Value> = work
        .items
        .iter()
        .map(|item| {
            let due = item.due_on.map(long_date);
            let (status, colour) = match (&due, item.overdue) {
                (Some(due), true) => (format!("Overdue since {due}"), "govuk-tag--red"),
                (Some(due), false) => (format!("Due {due}"), "govuk-tag--blue"),
                (None, _) => ("To do".to_owned(), "govuk-tag--grey"),
            };
            let mut entry = json!({
                "title": {"text": item.title},
                "hint": {"text": words(item.kind)},
                "status": {"tag": {"text": status, "classes": colour}},
            });
            if let Some(href) = page_of(item.kind, &item.url) {
                entry["href"] = json!(href);
            }
            entry
        })
        .collect();
    let more: Vec<String> = work.more.iter().map(|kind| words(kind).to_lowercase()).collect();
    let frame = state.frame(&session, Some(&person), Section::Home, "My work")?;
    state.page(
        &frame,
        "home.html",
        json!({
            "tasks": {"idPrefix": "work", "items": items},
            "count": work.items.len(),
            "more": more,
        }),
    )
}
