//! The draft group training plan for a period, as the api drafts it: per
//! course who needs it and why, how many places, and the sessions in the
//! diary that teach it (or that one must be arranged); the needs no course
//! meets; and the plan as Markdown for a group meeting's papers.

use caucus_wire::training_plan::{PlanReasonKind, PlanReasonView, PlannedCourseView, TrainingPlanView};
use chrono::Utc;

use super::needs::{priority_words, reason_with_body};
use super::*;
use crate::pages::period::Period;
use crate::present::{london_day, london_time};

/// A reason a member is in the plan, in words, with its body and the day
/// their completion lapses (or lapsed, before `today`) where it says them.
fn reason_text(reason: &PlanReasonView, today: NaiveDate) -> String {
    let base = reason_with_body(reason.kind, reason.body_name.as_deref());
    match (reason.kind, reason.lapses_on) {
        (PlanReasonKind::Renewal, Some(on)) => format!("{base} on {}", long_date(on)),
        (_, Some(on)) if on < today => format!("{base} (completion lapsed on {})", long_date(on)),
        (_, Some(on)) => format!("{base} (completion lapses on {})", long_date(on)),
        (_, None) => base,
    }
}

/// A link to a member's training record.
fn member_link(id: Uuid, name: &str) -> String {
    format!("<a class=\"govuk-link\" href=\"/members/{id}/training\">{}</a>", tera::escape_html(name))
}

/// A course of the plan drafted on `today`: its table of trainees, its
/// places and its sessions.
fn course_part(course: &PlannedCourseView, today: NaiveDate) -> Value {
    let rows: Vec<Value> = course
        .trainees
        .iter()
        .map(|t| {
            let why: Vec<String> = t.reasons.iter().map(|r| reason_text(r, today)).collect();
            json!([
                {"html": member_link(t.member_id, &t.name)},
                {"html": status_tag(t.priority, priority_words)},
                {"text": why.join("; ")},
                {"text": t.needed_by.map_or_else(|| "Not set".to_owned(), long_date)},
            ])
        })
        .collect();
    let sessions: Vec<Value> = course
        .sessions
        .iter()
        .map(|s| {
            let left = s.places_left.map_or_else(
                || "no limit on places".to_owned(),
                |n| format!("{n} {} left", if n == 1 { "place" } else { "places" }),
            );
            json!({"id": s.event_id, "title": s.title, "when": london_time(s.starts_at), "left": left})
        })
        .collect();
    json!({
        "id": course.course_id,
        "title": course.title,
        "places": course.places,
        "places_words": format!("{} {}", course.places, if course.places == 1 { "place" } else { "places" }),
        "sessions": sessions,
        "table": {
            "caption": format!("Who needs {}", course.title),
            "captionClasses": "govuk-visually-hidden",
            "head": [{"text": "Member"}, {"text": "Priority"}, {"text": "Why"}, {"text": "Needed by"}],
            "rows": rows,
        },
    })
}

#[get("/training-plan")]
pub(in crate::pages) async fn plan_page(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    query: web::Query<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let mut period = Period::typed(&query);
    let plan: TrainingPlanView = period.read((&state, &session, &request), &person, "/training-plan").await?;
    let (from, to) =
        period.inputs(Some((plan.from, plan.to)), ("For example, 7 12 2026", "For example, 6 12 2027"));
    let courses: Vec<Value> = plan.courses.iter().map(|c| course_part(c, plan.drafted_on)).collect();
    let others: Vec<Value> = plan
        .other_needs
        .iter()
        .map(|n| {
            json!([
                {"html": member_link(n.member_id, &n.name)},
                {"text": n.description},
                {"html": status_tag(n.priority, priority_words)},
                {"text": reason_with_body(n.reason.into(), None)},
            ])
        })
        .collect();
    let download = format!("/training-plan.md?from={}&to={}", plan.from, plan.to);
    let frame = state.frame(&session, Some(&person), Section::Training, "Draft training plan")?;
    state.page_with(
        period.errors.status(),
        &frame,
        "training-plan.html",
        json!({
            "error_summary": period.errors.summary(),
            "from": from,
            "to": to,
            "period": format!("{} to {}", long_date(plan.from), long_date(plan.to)),
            "drafted_on": long_date(plan.drafted_on),
            "places": plan.places,
            "courses": courses,
            "others": (!others.is_empty()).then(|| json!({
                "caption": "Needs outside the catalogue",
                "captionClasses": "govuk-visually-hidden",
                "head": [{"text": "Member"}, {"text": "Need"}, {"text": "Priority"}, {"text": "Why"}],
                "rows": others,
            })),
            "download": download,
            "may_arrange": holds_any(&person, OFFICE),
        }),
    )
}

/// The Markdown download's period, as the page's link gives it.
#[derive(Debug, serde::Deserialize)]
pub(in crate::pages) struct PeriodQuery {
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
}

/// The plan as the api writes it in Markdown, saved under the day it
/// starts: for a group meeting's papers.
#[get("/training-plan.md")]
pub(in crate::pages) async fn plan_markdown(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    query: web::Query<PeriodQuery>,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let path = Period::path("/training-plan", (query.from, query.to), &[("format", "markdown")]);
    let name = format!("training-plan-{}.md", query.from.unwrap_or_else(|| london_day(Utc::now())));
    state.download_as(&session, &person, &request, &path, &name).await
}
