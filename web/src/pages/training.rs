//! Councillor training: the catalogue of courses (how long a completion
//! stays valid, the bodies whose members must hold it), a course's page and
//! the office's retiring one. Adding a course is in `training/adding.rs`, a
//! member's training record is in `training/record.rs`, the lapsed and lapsing
//! courses in `training/expiries.rs`, a member's needs in `training/needs.rs`,
//! the draft group training plan in `training/plan.rs`.

mod adding;
mod expiries;
mod needs;
mod plan;
mod record;

pub(super) use adding::{add, new_page};
pub(super) use expiries::expiries_page;
pub(super) use needs::{record_need, withdraw_need};
pub(super) use plan::{plan_markdown, plan_page};
pub(super) use record::{certificate_file, record_completion, record_page};

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use caucus_wire::bodies::{BodyStatus, BodyView};
use caucus_wire::training::{
    AddCourseRequest, CourseStatus, CourseView, RetireCourseRequest, TrainingGapView,
};
use caucus_wire::{NoteText, TitleText};
use chrono::NaiveDate;
use serde_json::{Value, json};
use uuid::Uuid;

use super::actions::given;
use super::query::DoneQuery;
use super::record::RecordForms;
use super::{FieldErrors, OFFICE, Page, PageError, Posted, State, TextForm, send, signed_in};
use crate::present::{long_date, status_tag};
use crate::render::{Section, holds_any};
use crate::session::{self, Person};

/// How many days ahead a completion's lapse counts as soon: the api's
/// default for `/training-expiries`, so the record and the list agree.
const LAPSING_DAYS: u16 = 60;

/// How a course's status reads, and the colour of its tag.
fn status_words(status: CourseStatus) -> (&'static str, &'static str) {
    match status {
        CourseStatus::Offered => ("Offered", "govuk-tag--blue"),
        CourseStatus::Retired => ("Retired", "govuk-tag--grey"),
    }
}

/// Where a completion stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Standing {
    /// It counts, and will for a while yet.
    Valid,
    /// It counts, but lapses within [`LAPSING_DAYS`].
    Lapsing,
    /// It no longer counts.
    Lapsed,
}

impl Standing {
    /// Where a completion valid `until` (none: for good), counting today
    /// or not (`valid`, as the api says), stands on `today`.
    fn of(valid: bool, until: Option<NaiveDate>, today: NaiveDate) -> Self {
        let soon = today + chrono::Days::new(u64::from(LAPSING_DAYS));
        match until {
            _ if !valid => Self::Lapsed,
            Some(until) if until <= soon => Self::Lapsing,
            _ => Self::Valid,
        }
    }
}

/// How a completion's standing reads, and the colour of its tag.
fn standing_words(standing: Standing) -> (&'static str, &'static str) {
    match standing {
        Standing::Valid => ("Valid", "govuk-tag--green"),
        Standing::Lapsing => ("Lapsing", "govuk-tag--orange"),
        Standing::Lapsed => ("Lapsed", "govuk-tag--red"),
    }
}

/// How long a completion stays valid, in words: "12 months", "For good".
fn valid_for(months: Option<u16>) -> String {
    match months {
        Some(1) => "1 month".to_owned(),
        Some(months) => format!("{months} months"),
        None => "For good".to_owned(),
    }
}

/// A link to the course's page, reading its title.
fn course_link(course: &CourseView) -> String {
    format!(
        "<a class=\"govuk-link\" href=\"/courses/{}\">{}</a>",
        course.id,
        tera::escape_html(&course.title)
    )
}

/// The course `id` among `courses` as a link, or "A course" if it is not
/// one the person can read.
fn course_named(courses: &[CourseView], id: Uuid) -> String {
    courses.iter().find(|c| c.id == id).map_or_else(|| "A course".to_owned(), course_link)
}

/// The bodies a course is required for, as links by name ("None" if none).
fn required_for(course: &CourseView, bodies: &[BodyView]) -> String {
    let named: Vec<String> = course
        .required_for
        .iter()
        .map(|id| match bodies.iter().find(|b| b.id == *id) {
            Some(body) => {
                format!("<a class=\"govuk-link\" href=\"/bodies/{id}\">{}</a>", tera::escape_html(&body.name))
            }
            None => "A body you cannot see".to_owned(),
        })
        .collect();
    if named.is_empty() { "None".to_owned() } else { named.join(", ") }
}

/// The catalogue and the bodies, as every course page reads them.
async fn catalogue(
    (state, session, request): Page<'_>,
    person: &Person,
) -> Result<(Vec<CourseView>, Vec<BodyView>), PageError> {
    let courses: Vec<CourseView> = state.read_all(session, person, request, "/courses?limit=200").await?;
    let bodies: Vec<BodyView> = state.read_all(session, person, request, "/bodies?limit=200").await?;
    Ok((courses, bodies))
}

#[get("/courses")]
pub(super) async fn list(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let (mut courses, bodies) = catalogue((&state, &session, &request), &person).await?;
    // Offered first, each part in the order the courses were added.
    courses.sort_by_key(|c| c.status == CourseStatus::Retired);
    let rows: Vec<Value> = courses
        .iter()
        .map(|c| {
            json!([
                {"html": course_link(c)},
                {"text": valid_for(c.valid_for_months)},
                {"html": required_for(c, &bodies)},
                {"html": status_tag(c.status, status_words)},
            ])
        })
        .collect();
    let frame = state.frame(&session, Some(&person), Section::Training, "Training courses")?;
    state.page(
        &frame,
        "courses.html",
        json!({
            "table": {
                "caption": "Courses",
                "captionClasses": "govuk-visually-hidden",
                "head": [{"text": "Course"}, {"text": "Valid for"}, {"text": "Required for"}, {"text": "Status"}],
                "rows": rows,
            },
            "count": courses.len(),
            "may_add": holds_any(&person, OFFICE),
        }),
    )
}

/// The retirement form of a course's page: empty with a new key, or as it
/// was sent and refused.
#[derive(Debug)]
struct CourseForms {
    errors: FieldErrors,
    retire: TextForm,
}

impl CourseForms {
    fn fresh() -> Self {
        Self { errors: FieldErrors::default(), retire: TextForm::fresh() }
    }
}

impl RecordForms for CourseForms {
    const PATH: &'static str = "/courses";
    type Loaded = (CourseView, Vec<BodyView>);

    async fn load(
        (state, session, request): Page<'_>,
        person: &Person,
        id: Uuid,
    ) -> Result<Self::Loaded, PageError> {
        let course: CourseView = state.read(session, person, request, &format!("/courses/{id}")).await?;
        let bodies: Vec<BodyView> = state.read_all(session, person, request, "/bodies?limit=200").await?;
        Ok((course, bodies))
    }

    fn render(
        self,
        (state, session, _): Page<'_>,
        person: &Person,
        (course, bodies): &Self::Loaded,
        banner: Option<&str>,
    ) -> Result<HttpResponse, PageError> {
        let text = |key: &str, value: String| json!({"key": {"text": key}, "value": {"text": value}});
        let mut rows = vec![
            json!({"key": {"text": "Status"}, "value": {"html": status_tag(course.status, status_words)}}),
            text("Valid for", valid_for(course.valid_for_months)),
            json!({"key": {"text": "Required for"}, "value": {"html": required_for(course, bodies)}}),
        ];
        if let Some(description) = &course.description {
            rows.push(text("What it covers", description.clone()));
        }
        if let Some(reason) = &course.retirement_reason {
            rows.push(text("Why it was retired", reason.clone()));
        }
        let errors = &self.errors;
        let frame = state.frame(session, Some(person), Section::Training, course.title.clone())?;
        state.page_with(
            errors.status(),
            &frame,
            "course.html",
            json!({
                "id": course.id,
                "summary": {"rows": rows},
                "error_summary": errors.summary(),
                "banner": banner.map(|text| json!({"type": "success", "text": text})),
                "may_retire": holds_any(person, OFFICE) && course.status == CourseStatus::Offered,
                "retire_form": {
                    "reason": {
                        "name": "reason", "id": "retire-reason", "rows": 3,
                        "label": {"text": "Why it is retired", "classes": "govuk-label--s"},
                        "hint": {"text": "Completions of it still stand."},
                        "value": self.retire.text,
                        "errorMessage": errors.message("retire-reason"),
                    },
                    "key": self.retire.key,
                },
            }),
        )
    }

    fn errors(&self) -> &FieldErrors {
        &self.errors
    }
}

/// What `?done=` says was just done, word by word.
const DONE: &[(&str, &str)] = &[("added", "The course was added"), ("retired", "The course was retired")];

#[get("/courses/{id}")]
pub(super) async fn course_page(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    query: web::Query<DoneQuery>,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let page = (&**state, &session, &request);
    CourseForms::fresh().shown(page, &person, *id, query.banner(DONE)).await
}

#[post("/courses/{id}/retirement")]
pub(super) async fn retire(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    Posted { person, form, key }: Posted,
) -> Result<HttpResponse, PageError> {
    let reason = form.text("reason");
    let refused = |errors: FieldErrors| CourseForms {
        errors,
        retire: TextForm { text: reason.clone(), key: key.clone() },
    };
    let body = RetireCourseRequest { reason: NoteText(reason.clone()) };
    let fields = [("/reason", "retire-reason", "The reason")];
    let page = (&**state, &session, &request);
    CourseForms::send(page, &person, (*id, "retirement", "retired"), (&body, &key), (&fields, refused)).await
}

/// The GOV.UK warning texts of a seat's training gaps: "Cllr X needs
/// training: Planning (lapsed on 3 December 2026)", or "(never completed)".
pub(super) fn gap_warnings(member: &str, gaps: &[TrainingGapView]) -> Vec<Value> {
    gaps.iter()
        .map(|gap| {
            let when = gap
                .lapsed_on
                .map_or_else(|| "never completed".to_owned(), |on| format!("lapsed on {}", long_date(on)));
            let text = format!("{member} needs training: {} ({when})", gap.course_title);
            json!({"text": text, "iconFallbackText": "Warning"})
        })
        .collect()
}

/// The last day a completion counts, or "For good".
fn valid_until(until: Option<NaiveDate>) -> String {
    until.map_or_else(|| "For good".to_owned(), long_date)
}
