//! The draft group training plan for a period, as the api drafts it: per
//! course who needs it and why, how many places, and the sessions in the
//! diary that teach it (or that one must be arranged); the needs no course
//! meets; and the plan as Markdown for a group meeting's papers.

use caucus_wire::training_plan::{PlanReasonKind, PlanReasonView, PlannedCourseView, TrainingPlanView};
use chrono::Utc;

use super::needs::{priority_words, reason_with_body};
use super::*;
use crate::api::ApiFailure;
use crate::pages::{DateParts, SentForm};
use crate::present::{london_day, london_time};

/// The period's date inputs: (field name, id, legend).
const FROM: (&str, &str, &str) = ("from", "from", "From");
const TO: (&str, &str, &str) = ("to", "to", "To");

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

/// The plan's query as the period form sends it: the date inputs' parts.
fn period_typed(query: &[(String, String)]) -> (DateParts, DateParts) {
    let sent = SentForm(query.to_vec());
    (sent.date(FROM.0), sent.date(TO.0))
}

/// The day of a date input, `None` if blank, or what is wrong with it at
/// its first field.
fn day_of(
    parts: &DateParts,
    (_, id, called): (&str, &str, &str),
    errors: &mut FieldErrors,
) -> Option<NaiveDate> {
    if parts.is_blank() {
        return None;
    }
    parts
        .parse(&format!("The {} date", called.to_lowercase()))
        .map_err(|m| errors.errors.push((format!("{id}-day"), m)))
        .ok()
}

/// The api's path of the plan for `from`..`to` (each the api's default
/// if absent), in `format`.
fn plan_path(from: Option<NaiveDate>, to: Option<NaiveDate>, format: Option<&str>) -> String {
    let mut query: Vec<(&str, String)> = Vec::new();
    query.extend(from.map(|d| ("from", d.to_string())));
    query.extend(to.map(|d| ("to", d.to_string())));
    query.extend(format.map(|f| ("format", f.to_owned())));
    let query = serde_urlencoded::to_string(query).unwrap_or_default();
    if query.is_empty() { "/training-plan".to_owned() } else { format!("/training-plan?{query}") }
}

#[get("/training-plan")]
pub(in crate::pages) async fn plan_page(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    query: web::Query<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let (from_typed, to_typed) = period_typed(&query);
    let mut errors = FieldErrors::default();
    let from = day_of(&from_typed, FROM, &mut errors);
    let to = day_of(&to_typed, TO, &mut errors);
    // A period the api refuses (to before from) is said at the dates, and
    // the default period shown meanwhile.
    let asked: Result<TrainingPlanView, ApiFailure> = if errors.errors.is_empty() {
        state.api.get(&person.token, &plan_path(from, to, None)).await
    } else {
        state.api.get(&person.token, &plan_path(None, None, None)).await
    };
    let plan = match asked {
        Err(ApiFailure::Refused(problem)) if problem.status == 422 => {
            let said = problem.errors.first().map_or(&problem.detail, |e| &e.detail);
            let message = format!("Check the dates: {said}");
            errors.errors.push(("from-day".to_owned(), message));
            state.read(&session, &person, &request, &plan_path(None, None, None)).await?
        }
        asked => asked.map_err(|failure| state.refusal(&session, &person, &request, &failure))?,
    };
    // The inputs hold what was typed if it was refused, else the plan's period.
    let (from_parts, to_parts) = if errors.errors.is_empty() {
        (DateParts::of(plan.from), DateParts::of(plan.to))
    } else {
        (from_typed, to_typed)
    };
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
        errors.status(),
        &frame,
        "training-plan.html",
        json!({
            "error_summary": errors.summary(),
            "from": from_parts.input((FROM.0, FROM.1), FROM.2, Some("For example, 7 12 2026"), &errors),
            "to": to_parts.input((TO.0, TO.1), TO.2, Some("For example, 6 12 2027"), &errors),
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
    let path = plan_path(query.from, query.to, Some("markdown"));
    let name = format!("training-plan-{}.md", query.from.unwrap_or_else(|| london_day(Utc::now())));
    state.download_as(&session, &person, &request, &path, &name).await
}
