//! A member's training needs on their training record: the table of them,
//! the form recording one (a course or a description, how soon, why) and
//! the form withdrawing an open one. Offered to the office for anyone and
//! to a councillor for themselves, as the api allows.

use caucus_wire::Mirror as _;
use caucus_wire::training::{
    NeedReasonKind, NeedStatus, NeedView, Priority, RecordNeedRequest, TrainingRecordView,
    WithdrawNeedRequest,
};
use caucus_wire::training_plan::PlanReasonKind;

use super::record::Forms;
use super::*;
use crate::pages::{made, see_other};

/// How a need's priority reads, and the colour of its tag.
pub(super) fn priority_words(priority: Priority) -> (&'static str, &'static str) {
    match priority {
        Priority::High => ("High", "govuk-tag--red"),
        Priority::Medium => ("Medium", "govuk-tag--yellow"),
        Priority::Low => ("Low", "govuk-tag--grey"),
    }
}

/// How a need's status reads, and the colour of its tag.
fn need_status_words(status: NeedStatus) -> (&'static str, &'static str) {
    match status {
        NeedStatus::Open => ("Open", "govuk-tag--blue"),
        NeedStatus::Met => ("Met", "govuk-tag--green"),
        NeedStatus::Withdrawn => ("Withdrawn", "govuk-tag--grey"),
    }
}

/// Why a member needs training, in words; a body's name follows those of a
/// seat ("A seat on", "A new seat on").
pub(super) fn reason_words(kind: PlanReasonKind) -> &'static str {
    match kind {
        PlanReasonKind::Seat => "A seat on",
        PlanReasonKind::Renewal => "Their completion lapses",
        PlanReasonKind::NewSeat => "A new seat on",
        PlanReasonKind::OwnRequest => "They asked for it",
        PlanReasonKind::AnnualReview => "Their annual review found it",
    }
}

/// A reason with its body's name, if it names one.
pub(super) fn reason_with_body(kind: PlanReasonKind, body: Option<&str>) -> String {
    match body {
        Some(name) => format!("{} {name}", reason_words(kind)),
        None => reason_words(kind).to_owned(),
    }
}

/// The reasons the record-a-need form offers, in its order.
const REASONS: [NeedReasonKind; 3] =
    [NeedReasonKind::OwnRequest, NeedReasonKind::AnnualReview, NeedReasonKind::NewSeat];

/// The record-a-need form's fields, as the api points at them.
const NEED_FIELDS: &[(&str, &str, &str)] = &[
    ("/course_id", "need-course", "The course"),
    ("/description", "need-description", "What is needed:"),
    ("/priority", "need-priority", "The priority"),
    ("/reason", "need-reason", "The reason"),
    ("/body_id", "need-body", "The body:"),
];

/// The record-a-need form as typed (wire words for the radios), and its key.
#[derive(Debug)]
pub(super) struct NeedForm {
    course: Option<Uuid>,
    description: String,
    priority: String,
    reason: String,
    body: Option<Uuid>,
    key: String,
}

/// The needs' forms of a record's page: recording one, and withdrawing
/// the one that was sent and refused (each other open need's form fresh).
#[derive(Debug)]
pub(super) struct NeedForms {
    record: NeedForm,
    withdraw: Option<(Uuid, TextForm)>,
}

impl NeedForms {
    pub(super) fn fresh() -> Self {
        let record = NeedForm {
            course: None,
            description: String::new(),
            priority: String::new(),
            reason: String::new(),
            body: None,
            key: session::random_hex(),
        };
        Self { record, withdraw: None }
    }
}

/// Whether `person` may record and withdraw `member`'s needs: the office
/// for anyone, a councillor for themselves (the api's rule).
pub(super) fn may_change(person: &Person, member: Uuid) -> bool {
    holds_any(person, OFFICE) || (holds_any(person, &["councillor"]) && person.subject == member.to_string())
}

/// The id of the withdrawal form of need `id`, where its error shows.
fn withdraw_id(id: Uuid) -> String {
    format!("withdraw-{id}")
}

/// A need as a table row: what, how soon, why, when, where it stands.
fn row(need: &NeedView, courses: &[CourseView], bodies: &[BodyView]) -> Value {
    let what = match (need.course_id, &need.description) {
        (Some(course), _) => course_named(courses, course),
        (None, Some(text)) => tera::escape_html(text),
        (None, None) => "Not said".to_owned(),
    };
    let body =
        need.body_id.map(|id| bodies.iter().find(|b| b.id == id).map_or("a body", |b| b.name.as_str()));
    let mut status = status_tag(need.status, need_status_words);
    if let Some(reason) = &need.withdrawal_reason {
        status.push_str(&format!(
            "<p class=\"govuk-body-s govuk-!-margin-top-1 govuk-!-margin-bottom-0\">{}</p>",
            tera::escape_html(reason)
        ));
    }
    json!([
        {"html": what},
        {"html": status_tag(need.priority, priority_words)},
        {"text": reason_with_body(need.reason.into(), body)},
        {"text": long_date(need.recorded_on)},
        {"html": status},
    ])
}

/// The needs' part of a record's page: the table, and the forms if
/// `may_change`.
pub(super) fn section(
    forms: &NeedForms,
    (record, courses, bodies): (&TrainingRecordView, &[CourseView], &[BodyView]),
    errors: &FieldErrors,
    may_change: bool,
) -> Value {
    let rows: Vec<Value> = record.needs.iter().rev().map(|n| row(n, courses, bodies)).collect();
    let withdraw: Vec<Value> = record
        .needs
        .iter()
        .filter(|n| n.status == NeedStatus::Open)
        .map(|need| {
            let id = withdraw_id(need.id);
            let (text, key) = match &forms.withdraw {
                Some((refused, form)) if *refused == need.id => (form.text.clone(), form.key.clone()),
                _ => (String::new(), session::random_hex()),
            };
            let what = match (need.course_id, &need.description) {
                (Some(course), _) => courses.iter().find(|c| c.id == course).map(|c| c.title.clone()),
                (None, text) => text.clone(),
            };
            json!({
                "need_id": need.id,
                "what": what.unwrap_or_else(|| "this need".to_owned()),
                "key": key,
                "reason": {
                    "name": "reason", "id": id, "rows": 2,
                    "label": {"text": "Why it is no longer needed", "classes": "govuk-label--s"},
                    "value": text,
                    "errorMessage": errors.message(&id),
                },
            })
        })
        .collect();
    let form = &forms.record;
    let offered = courses.iter().filter(|c| c.status == CourseStatus::Offered);
    let course_items: Vec<Value> = std::iter::once(json!({"value": "", "text": "None: describe it below"}))
        .chain(
            offered.map(|c| json!({"value": c.id, "text": c.title, "selected": form.course == Some(c.id)})),
        )
        .collect();
    let live = bodies.iter().filter(|b| b.status != BodyStatus::Dissolved);
    let body_items: Vec<Value> = std::iter::once(json!({"value": "", "text": "Choose a body"}))
        .chain(live.map(|b| json!({"value": b.id, "text": b.name, "selected": form.body == Some(b.id)})))
        .collect();
    let priority_items: Vec<Value> = Priority::ALL
        .iter()
        .map(|p| {
            let value = crate::present::wire_word(*p);
            let hint = match p {
                Priority::High => "Before they can do their work",
                Priority::Medium => "Within the year",
                Priority::Low => "When a place comes up",
            };
            json!({
                "value": value, "text": priority_words(*p).0, "hint": {"text": hint},
                "checked": value == form.priority,
            })
        })
        .collect();
    let reason_items: Vec<Value> = REASONS
        .iter()
        .map(|r| {
            let value = crate::present::wire_word(*r);
            // A new seat's body is chosen below.
            let body = (*r == NeedReasonKind::NewSeat).then_some("a body");
            json!({"value": value, "text": reason_with_body((*r).into(), body), "checked": value == form.reason})
        })
        .collect();
    json!({
        "table": (!rows.is_empty()).then(|| json!({
            "caption": "Training needs",
            "captionClasses": "govuk-visually-hidden",
            "head": [
                {"text": "Need"}, {"text": "Priority"}, {"text": "Why"},
                {"text": "Recorded"}, {"text": "Status"},
            ],
            "rows": rows,
        })),
        "may_change": may_change,
        "withdraw": withdraw,
        "form": {
            "course": {
                "name": "course_id", "id": "need-course",
                "label": {"text": "Course", "classes": "govuk-label--s"},
                "hint": {"text": "Completing it meets the need."},
                "items": course_items,
                "errorMessage": errors.message("need-course"),
            },
            "description": {
                "name": "description", "id": "need-description", "rows": 3,
                "label": {"text": "What is needed", "classes": "govuk-label--s"},
                "hint": {"text": "If no course of the catalogue meets it."},
                "value": form.description,
                "errorMessage": errors.message("need-description"),
            },
            "priority": {
                "name": "priority", "idPrefix": "need-priority",
                "fieldset": {"legend": {"text": "Priority", "classes": "govuk-fieldset__legend--s"}},
                "items": priority_items,
                "errorMessage": errors.message("need-priority"),
            },
            "reason": {
                "name": "reason", "idPrefix": "need-reason",
                "fieldset": {"legend": {"text": "Why it is needed", "classes": "govuk-fieldset__legend--s"}},
                "items": reason_items,
                "errorMessage": errors.message("need-reason"),
            },
            "body": {
                "name": "body_id", "id": "need-body",
                "label": {"text": "Body of the new seat", "classes": "govuk-label--s"},
                "hint": {"text": "Only for a new seat."},
                "items": body_items,
                "errorMessage": errors.message("need-body"),
            },
            "key": form.key,
        },
    })
}

/// A radio's wire word as the wire enum `T`, if it is one.
fn chosen<T: serde::de::DeserializeOwned>(word: &str) -> Option<T> {
    serde_json::from_value(Value::String(word.to_owned())).ok()
}

#[post("/members/{id}/training/needs")]
pub(in crate::pages) async fn record_need(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    Posted { person, form, key }: Posted,
) -> Result<HttpResponse, PageError> {
    let (id, page) = (*id, (&**state, &session, &request));
    let typed = NeedForm {
        course: form.text("course_id").parse().ok(),
        description: form.text("description").trim().to_owned(),
        priority: form.text("priority"),
        reason: form.text("reason"),
        body: form.text("body_id").parse().ok(),
        key,
    };
    let priority: Option<Priority> = chosen(&typed.priority);
    let reason: Option<NeedReasonKind> = chosen(&typed.reason);
    let mut errors = Vec::new();
    if priority.is_none() {
        errors.push(("need-priority".to_owned(), "Select the priority".to_owned()));
    }
    if reason.is_none() {
        errors.push(("need-reason".to_owned(), "Select why it is needed".to_owned()));
    }
    let refused = |errors: FieldErrors, typed: NeedForm| {
        let needs = NeedForms { record: typed, withdraw: None };
        Forms::with_needs(errors, needs).refused(page, &person, id)
    };
    let (Some(priority), Some(reason)) = (priority, reason) else {
        return refused(FieldErrors { errors }, typed).await;
    };
    let body = RecordNeedRequest {
        course_id: typed.course,
        description: (!typed.description.is_empty()).then(|| NoteText(typed.description.clone())),
        priority,
        reason,
        // Only a new seat names a body: one chosen for another reason is not sent.
        body_id: typed.body.filter(|_| reason == NeedReasonKind::NewSeat),
    };
    let sent: Result<TrainingRecordView, _> =
        state.api.post(&person.token, &format!("/training-records/{id}/needs"), &body, &typed.key).await;
    match made(page, &person, sent, NEED_FIELDS)? {
        Ok(_) => Ok(see_other(&format!("/members/{id}/training?done=need-recorded"))),
        Err(errors) => refused(errors, typed).await,
    }
}

#[post("/members/{id}/training/needs/{need}/withdrawal")]
pub(in crate::pages) async fn withdraw_need(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    path: web::Path<(Uuid, Uuid)>,
    Posted { person, form, key }: Posted,
) -> Result<HttpResponse, PageError> {
    let (id, need) = path.into_inner();
    let page = (&**state, &session, &request);
    let reason = form.text("reason");
    let body = WithdrawNeedRequest { reason: NoteText(reason.clone()) };
    let field = withdraw_id(need);
    let fields = [("/reason", field.as_str(), "The reason")];
    let sent: Result<TrainingRecordView, _> = state
        .api
        .post(&person.token, &format!("/training-records/{id}/needs/{need}/withdrawal"), &body, &key)
        .await;
    match made(page, &person, sent, &fields)? {
        Ok(_) => Ok(see_other(&format!("/members/{id}/training?done=need-withdrawn"))),
        Err(errors) => {
            let mut needs = NeedForms::fresh();
            needs.withdraw = Some((need, TextForm { text: reason, key }));
            Forms::with_needs(errors, needs).refused(page, &person, id).await
        }
    }
}
