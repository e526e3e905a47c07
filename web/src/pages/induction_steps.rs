//! The group's induction steps, which members joining from now on are given
//! (the defaults until the office changes them): the list, and the office's
//! forms adding, changing and retiring a step. Inductions already started
//! keep the steps they started with.

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, get, http::StatusCode, post, web};
use caucus_wire::induction::{InductionStepsView, OwnerRole, StepOwnerView, StepRequest, StepView};
use caucus_wire::members::{MemberStatus, MemberView};
use caucus_wire::training::{CourseStatus, CourseView};
use caucus_wire::{EmptyRequest, TitleText};
use serde_json::{Value, json};
use uuid::Uuid;

use super::induction::owner_words;
use super::query::DoneQuery;
use super::{
    FieldErrors, MemberNames, OFFICE, Page, PageError, Posted, State, answered, see_other, signed_in,
};
use crate::api::ApiFailure;
use crate::render::{Section, holds_any};
use crate::session::{self, Person};

/// A step's form as typed: its title, days, owner (`new_member`, a role's
/// word, or a member's id) and course (empty for none).
#[derive(Debug, Default)]
struct StepForm {
    title: String,
    days: String,
    owner: String,
    course: String,
}

/// The roles a step may be owned by, as the owner list offers them.
const ROLES: &[(&str, OwnerRole)] =
    &[("assistant", OwnerRole::Assistant), ("leader", OwnerRole::Leader), ("officer", OwnerRole::Officer)];

impl StepForm {
    /// The form showing `step` as it stands.
    fn of(step: &StepView) -> Self {
        let owner = match step.owner {
            StepOwnerView::NewMember => "new_member".to_owned(),
            StepOwnerView::Role { role } => ROLES
                .iter()
                .find(|(_, r)| *r == role)
                .map_or_else(String::new, |(word, _)| (*word).to_owned()),
            StepOwnerView::Member { member_id } => member_id.to_string(),
        };
        Self {
            title: step.title.clone(),
            days: step.due_after_days.to_string(),
            owner,
            course: step.course_id.map(|c| c.to_string()).unwrap_or_default(),
        }
    }

    fn sent(form: &super::SentForm) -> Self {
        Self {
            title: form.text("title").trim().to_owned(),
            days: form.text("due_after_days").trim().to_owned(),
            owner: form.text("owner"),
            course: form.text("course_id"),
        }
    }

    /// The request the form makes, or the fields it cannot make one of.
    fn request(&self) -> Result<StepRequest, FieldErrors> {
        let mut errors = Vec::new();
        let days = self.days.parse::<u16>().ok().filter(|d| *d <= 365);
        if days.is_none() {
            let message = if self.days.is_empty() {
                "Enter how many days after joining it is due"
            } else {
                "The days after joining must be a whole number from 0 to 365"
            };
            errors.push(("due-after-days".to_owned(), message.to_owned()));
        }
        let owner = match self.owner.as_str() {
            "new_member" => Some(StepOwnerView::NewMember),
            word => ROLES
                .iter()
                .find(|(w, _)| *w == word)
                .map(|(_, role)| StepOwnerView::Role { role: *role })
                .or_else(|| word.parse().ok().map(|member_id| StepOwnerView::Member { member_id })),
        };
        if owner.is_none() {
            errors.push(("owner".to_owned(), "Select who sees the step through".to_owned()));
        }
        let course_id = match self.course.as_str() {
            "" => Ok(None),
            id => id.parse::<Uuid>().map(Some),
        };
        if course_id.is_err() {
            errors.push(("course-id".to_owned(), "Select a course from the list".to_owned()));
        }
        match (days, owner, course_id) {
            (Some(due_after_days), Some(owner), Ok(course_id)) if errors.is_empty() => {
                Ok(StepRequest { title: TitleText(self.title.clone()), due_after_days, owner, course_id })
            }
            _ => Err(FieldErrors { errors }),
        }
    }
}

/// The step form's fields, as the api points at them.
const FIELDS: &[(&str, &str, &str)] = &[
    ("/title", "title", "The step"),
    ("/due_after_days", "due-after-days", "The days after joining"),
    ("/owner", "owner", "Who sees it through"),
    ("/course_id", "course-id", "The course"),
];

/// What the step pages read: the steps, the members (owners) and the
/// catalogue (a step may be a course).
async fn loaded(
    (state, session, request): Page<'_>,
    person: &Person,
) -> Result<(InductionStepsView, Vec<MemberView>, Vec<CourseView>), PageError> {
    let steps = state.read(session, person, request, "/induction-steps").await?;
    let members = state.read_all(session, person, request, "/members?limit=200").await?;
    let courses = state.read_all(session, person, request, "/courses?limit=200").await?;
    Ok((steps, members, courses))
}

/// A course's title, or the id if the catalogue no longer lists it.
fn course_title(courses: &[CourseView], id: Uuid) -> String {
    courses.iter().find(|c| c.id == id).map_or_else(|| id.to_string(), |c| c.title.clone())
}

#[get("/induction-steps")]
pub(super) async fn list(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    query: web::Query<DoneQuery>,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let (steps, members, courses) = loaded((&state, &session, &request), &person).await?;
    let names = MemberNames::of(&members);
    let office = holds_any(&person, OFFICE);
    let rows: Vec<Value> = steps
        .steps
        .iter()
        .map(|s| {
            let course = s.course_id.map(|c| course_title(&courses, c)).unwrap_or_else(|| "None".to_owned());
            let hidden =
                format!("<span class=\"govuk-visually-hidden\">: {}</span>", tera::escape_html(&s.title));
            let link = format!(
                "<a class=\"govuk-link\" href=\"/induction-steps/{}/edit\">Change{hidden}</a>",
                s.number
            );
            json!({
                "number": s.number,
                "cells": [
                    {"text": s.title},
                    {"text": days_words(s.due_after_days)},
                    {"text": owner_words(s.owner, &names)},
                    {"text": course},
                ],
                "change": link,
                "retire": format!("Retire{hidden}"),
            })
        })
        .collect();
    let frame = state.frame(&session, Some(&person), Section::Training, "Induction steps")?;
    state.page(
        &frame,
        "induction-steps.html",
        json!({
            "configured": steps.configured,
            "rows": rows,
            "office": office,
            "version": steps.version,
            "key": session::random_hex(),
            "banner": query.banner(DONE).map(|text| json!({"type": "success", "text": text})),
        }),
    )
}

/// When a step falls due, in words.
fn days_words(days: u16) -> String {
    match days {
        0 => "On joining".to_owned(),
        1 => "1 day after joining".to_owned(),
        n => format!("{n} days after joining"),
    }
}

/// What `?done=` says was just done, word by word.
const DONE: &[(&str, &str)] = &[
    ("added", "The step was added"),
    ("changed", "The step was changed"),
    ("retired", "The step was retired"),
];

/// The step form's page: adding one (`number` none) or changing step `number`.
fn render_form(
    (state, session, _): Page<'_>,
    person: &Person,
    (members, courses): (&[MemberView], &[CourseView]),
    (number, version, form): (Option<u16>, u64, &StepForm),
    (errors, key): (&FieldErrors, &str),
) -> Result<HttpResponse, PageError> {
    let title = if number.is_some() { "Change an induction step" } else { "Add an induction step" };
    let mut owners = vec![
        json!({"value": "", "text": "Choose who sees it through"}),
        json!({"value": "new_member", "text": "The new member"}),
    ];
    let names = MemberNames::of(members);
    owners.extend(ROLES.iter().map(|(word, role)| {
        json!({"value": word, "text": owner_words(StepOwnerView::Role { role: *role }, &names)})
    }));
    let mut current: Vec<&MemberView> = members.iter().filter(|m| m.status == MemberStatus::Member).collect();
    current.sort_by(|a, b| a.name.cmp(&b.name));
    owners.extend(current.iter().map(|m| json!({"value": m.id, "text": m.name})));
    for option in &mut owners {
        option["selected"] =
            json!(option["value"].as_str() == Some(form.owner.as_str()) && !form.owner.is_empty());
    }
    let offered = courses.iter().filter(|c| c.status == CourseStatus::Offered);
    let course_items: Vec<Value> =
        std::iter::once(json!({"value": "", "text": "Not a course"}))
            .chain(offered.map(
                |c| json!({"value": c.id, "text": c.title, "selected": form.course == c.id.to_string()}),
            ))
            .collect();
    let frame = state.frame(session, Some(person), Section::Training, title)?;
    let action = number.map_or_else(|| "/induction-steps".to_owned(), |n| format!("/induction-steps/{n}"));
    state.page_with(
        errors.status(),
        &frame,
        "induction-step-form.html",
        json!({
            "action": action,
            "button": if number.is_some() { "Save the step" } else { "Add the step" },
            "version": version,
            "key": key,
            "error_summary": errors.summary(),
            "title": {
                "name": "title", "id": "title",
                "label": {"text": "Step", "classes": "govuk-label--s"},
                "hint": {"text": "For example, Meet the Leader and the Whip"},
                "value": form.title,
                "errorMessage": errors.message("title"),
            },
            "days": {
                "name": "due_after_days", "id": "due-after-days",
                "label": {"text": "Due how many days after joining", "classes": "govuk-label--s"},
                "hint": {"text": "A whole number from 0 (on joining) to 365"},
                "classes": "govuk-input--width-3",
                "inputmode": "numeric",
                "spellcheck": false,
                "value": form.days,
                "errorMessage": errors.message("due-after-days"),
            },
            "owner": {
                "name": "owner", "id": "owner",
                "label": {"text": "Who sees it through", "classes": "govuk-label--s"},
                "items": owners,
                "errorMessage": errors.message("owner"),
            },
            "course": {
                "name": "course_id", "id": "course-id",
                "label": {"text": "The course it is (optional)", "classes": "govuk-label--s"},
                "hint": {"text": "If the step is a course of the training catalogue"},
                "items": course_items,
                "errorMessage": errors.message("course-id"),
            },
        }),
    )
}

#[get("/induction-steps/new")]
pub(super) async fn new_page(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let page = (&**state, &session, &request);
    let (steps, members, courses) = loaded(page, &person).await?;
    let form = StepForm { owner: "new_member".to_owned(), ..StepForm::default() };
    let key = session::random_hex();
    render_form(
        page,
        &person,
        (&members, &courses),
        (None, steps.version, &form),
        (&FieldErrors::default(), &key),
    )
}

#[get("/induction-steps/{number}/edit")]
pub(super) async fn edit_page(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    number: web::Path<u16>,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let page = (&**state, &session, &request);
    let (steps, members, courses) = loaded(page, &person).await?;
    let Some(step) = steps.steps.iter().find(|s| s.number == *number) else {
        let advice = "The group has no such induction step, or it was retired.";
        return Err(state.message_page(
            &session,
            Some(&person),
            StatusCode::NOT_FOUND,
            "Page not found",
            advice,
        ));
    };
    let key = session::random_hex();
    let at = (Some(*number), steps.version, &StepForm::of(step));
    render_form(page, &person, (&members, &courses), at, (&FieldErrors::default(), &key))
}

/// A step's form sent: added (`number` none) or step `number` changed, if the
/// steps are still at the version the form was shown with.
async fn save(
    page: Page<'_>,
    number: Option<u16>,
    Posted { person, form, key }: Posted,
) -> Result<HttpResponse, PageError> {
    let (state, ..) = page;
    let version = form.version()?;
    let typed = StepForm::sent(&form);
    let again = async |errors: FieldErrors| {
        let (_, members, courses) = loaded(page, &person).await?;
        render_form(page, &person, (&members, &courses), (number, version, &typed), (&errors, &key))
    };
    let body = match typed.request() {
        Ok(body) => body,
        Err(errors) => return again(errors).await,
    };
    let (sent, done): (Result<InductionStepsView, ApiFailure>, _) = match number {
        None => (state.api.post(&person.token, "/induction-steps", &body, &key).await, "added"),
        Some(n) => {
            let path = format!("/induction-steps/{n}");
            (state.api.put(&person.token, &path, &body, Some(version), &key).await, "changed")
        }
    };
    let to = |_| format!("/induction-steps?done={done}");
    answered(page, &person, sent, to, (FIELDS, again)).await
}

#[post("/induction-steps")]
pub(super) async fn add(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    posted: Posted,
) -> Result<HttpResponse, PageError> {
    save((&state, &session, &request), None, posted).await
}

#[post("/induction-steps/{number}")]
pub(super) async fn change(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    number: web::Path<u16>,
    posted: Posted,
) -> Result<HttpResponse, PageError> {
    save((&state, &session, &request), Some(*number), posted).await
}

#[post("/induction-steps/{number}/retirement")]
pub(super) async fn retire(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    number: web::Path<u16>,
    Posted { person, key, .. }: Posted,
) -> Result<HttpResponse, PageError> {
    let path = format!("/induction-steps/{number}/retirement");
    let sent: Result<InductionStepsView, ApiFailure> =
        state.api.post(&person.token, &path, &EmptyRequest {}, &key).await;
    match sent {
        Ok(_) => Ok(see_other("/induction-steps?done=retired")),
        Err(failure) => Err(state.refusal(&session, &person, &request, &failure)),
    }
}
