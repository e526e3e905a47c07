//! An appointment: a member's seat on a body, from nomination to the end of
//! the term. Its page, and the office's steps with it: confirm or withdraw a
//! nomination, end a current appointment (the day and why). Nominating is
//! on the body's page, in `bodies`.

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use caucus_wire::appointments::{
    AppointmentStatus, AppointmentView, ConfirmAppointmentRequest, EndAppointmentRequest, EndReason,
    WithdrawAppointmentRequest,
};
use caucus_wire::bodies::BodyView;
use caucus_wire::members::MemberView;
use caucus_wire::{Mirror as _, NoteText};
use chrono::{NaiveDate, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use super::actions::given;
use super::query::DoneQuery;
use super::record::RecordForms;
use super::{
    DateParts, FieldErrors, MemberNames, OFFICE, Page, PageError, Posted, State, TextForm, signed_in,
};
use crate::present::{london_day, long_date, sentence, status_tag, tag_html, wire_word, words};
use crate::render::{Section, holds_any};
use crate::session::{self, Person};

/// How many days ahead a term's end counts as soon (as My work counts it).
const ENDING_SOON_DAYS: u64 = 30;

/// How an appointment's status reads, and the colour of its tag.
pub(super) fn status_words(status: AppointmentStatus) -> (&'static str, &'static str) {
    match status {
        AppointmentStatus::Nominated => ("Nominated", "govuk-tag--yellow"),
        AppointmentStatus::Current => ("Current", "govuk-tag--green"),
        AppointmentStatus::Ended => ("Ended", "govuk-tag--grey"),
        AppointmentStatus::Withdrawn => ("Withdrawn", "govuk-tag--grey"),
    }
}

/// Whether a held or nominated term ends within the next
/// [`ENDING_SOON_DAYS`] days of `today`.
pub(super) fn ending_soon(appointment: &AppointmentView, today: NaiveDate) -> bool {
    let holding = matches!(appointment.status, AppointmentStatus::Current | AppointmentStatus::Nominated);
    let horizon = today + chrono::Days::new(ENDING_SOON_DAYS);
    holding && appointment.term_ends_on.is_some_and(|end| end >= today && end <= horizon)
}

/// The term: "From 6 May 2026 to 5 May 2027".
pub(super) fn term(appointment: &AppointmentView) -> String {
    match appointment.term_ends_on {
        Some(end) => format!("From {} to {}", long_date(appointment.term_starts_on), long_date(end)),
        None => format!("From {}", long_date(appointment.term_starts_on)),
    }
}

/// A link to the appointment's page reading `text` (the member's name).
pub(super) fn appointment_link(appointment: &AppointmentView, text: &str) -> String {
    format!(
        "<a class=\"govuk-link\" href=\"/appointments/{}\">{}</a>",
        appointment.id,
        tera::escape_html(text)
    )
}

/// The fields of a form the api refused (see [`FieldErrors::from_problem`]),
/// each message a sentence: the api words a refusal on no one field (an end
/// before the term, a change that changes nothing) in lower case.
pub(super) fn refused_fields(problem: &caucus_wire::Problem, fields: &[(&str, &str, &str)]) -> FieldErrors {
    sentences(FieldErrors::from_problem(problem, fields))
}

/// `errors` with each message a sentence.
pub(super) fn sentences(mut errors: FieldErrors) -> FieldErrors {
    for (_, message) in &mut errors.errors {
        *message = sentence(message);
    }
    errors
}

/// The forms of an appointment's page as they are to be shown: empty with a
/// new key each, or one of them as it was sent and refused, with its key.
#[derive(Debug)]
struct AppointmentForms {
    errors: FieldErrors,
    /// The day it was confirmed (today unless typed), and the key.
    confirm: (DateParts, String),
    /// Why it is withdrawn.
    withdraw: TextForm,
    /// The last day held (today unless typed), why (a wire word), and the note.
    end: (DateParts, String, TextForm),
}

impl AppointmentForms {
    fn fresh() -> Self {
        let today = DateParts::of(london_day(Utc::now()));
        Self {
            errors: FieldErrors::default(),
            confirm: (today.clone(), session::random_hex()),
            withdraw: TextForm::fresh(),
            end: (today, String::new(), TextForm::fresh()),
        }
    }
}

/// The appointment, its body, and the member's name.
struct Loaded {
    appointment: AppointmentView,
    body: BodyView,
    member: String,
}

fn summary(loaded: &Loaded) -> Value {
    let Loaded { appointment: a, body, member } = loaded;
    let text = |key: &str, value: String| json!({"key": {"text": key}, "value": {"text": value}});
    let link = |key: &str, href: String, name: &str| {
        json!({"key": {"text": key}, "value": {"html": format!(
            "<a class=\"govuk-link\" href=\"{href}\">{}</a>", tera::escape_html(name)
        )}})
    };
    let mut status = status_tag(a.status, status_words);
    if ending_soon(a, london_day(Utc::now())) {
        status = format!("{status} {}", tag_html("Ending soon", "govuk-tag--orange"));
    }
    let mut rows = vec![
        link("Member", format!("/members/{}", a.member_id), member),
        link("Body", format!("/bodies/{}", body.id), &body.name),
        text("Post", a.role_title.clone().unwrap_or_else(|| "Member".to_owned())),
        text("Term", term(a)),
        json!({"key": {"text": "Status"}, "value": {"html": status}}),
        text("Nominated", long_date(nominated_on(a))),
    ];
    if let Some(on) = a.confirmed_on {
        rows.push(text("Confirmed", long_date(on)));
    }
    if let Some(on) = a.ended_on {
        rows.push(text("Last day held", long_date(on)));
    }
    if let Some(reason) = a.end_reason {
        rows.push(text("Why it ended", words(reason)));
    }
    if let Some(note) = &a.end_note {
        rows.push(text("Note", note.clone()));
    }
    if let Some(reason) = &a.withdrawal_reason {
        rows.push(text("Why it was withdrawn", reason.clone()));
    }
    rows.push(text("Who can read it", words(a.classification)));
    json!({"rows": rows})
}

/// The day the nomination was recorded, in London.
fn nominated_on(appointment: &AppointmentView) -> NaiveDate {
    chrono::DateTime::parse_from_rfc3339(&appointment.recorded_at)
        .map_or_else(|_| london_day(Utc::now()), |at| london_day(at.to_utc()))
}

fn render_appointment(
    state: &State,
    session: &Session,
    person: &Person,
    loaded: &Loaded,
    forms: AppointmentForms,
    banner: Option<&str>,
) -> Result<HttpResponse, PageError> {
    let a = &loaded.appointment;
    let errors = &forms.errors;
    let office = holds_any(person, OFFICE);
    let reasons: Vec<Value> = EndReason::ALL
        .iter()
        .map(|reason| {
            let value = wire_word(*reason);
            json!({"value": value, "text": words(*reason), "checked": value == forms.end.1})
        })
        .collect();
    let textarea = |id: &str, label: &str, form: &TextForm| {
        json!({
            "name": if id == "end-note" { "note" } else { "reason" }, "id": id, "rows": 3,
            "label": {"text": label, "classes": "govuk-label--s"},
            "value": form.text,
            "errorMessage": errors.message(id),
        })
    };
    let title = format!("{} on {}", loaded.member, loaded.body.name);
    let frame = state.frame(session, Some(person), Section::Bodies, title)?;
    state.page_with(
        errors.status(),
        &frame,
        "appointment.html",
        json!({
            "id": a.id,
            "body_id": loaded.body.id,
            "body_name": loaded.body.name,
            "summary": summary(loaded),
            "training_gaps": super::training::gap_warnings(&loaded.member, &a.training_gaps),
            "member_id": a.member_id,
            "error_summary": errors.summary(),
            "banner": banner.map(|text| json!({"type": "success", "text": text})),
            "may_settle": office && a.status == AppointmentStatus::Nominated,
            "may_end": office && a.status == AppointmentStatus::Current,
            "confirm_form": {
                "on": forms.confirm.0.input(
                    ("on", "confirm-on"), "The day it was confirmed",
                    Some("For example, the day of Annual Council: 21 5 2026"), errors,
                ),
                "key": forms.confirm.1,
            },
            "withdraw_form": {
                "reason": textarea("withdraw-reason", "Why it is withdrawn", &forms.withdraw),
                "key": forms.withdraw.key,
            },
            "end_form": {
                "on": forms.end.0.input(("on", "end-on"), "The last day it was held", Some("For example, 21 5 2026"), errors),
                "reason": {
                    "name": "reason", "idPrefix": "end-reason",
                    "fieldset": {"legend": {"text": "Why it ended", "classes": "govuk-fieldset__legend--s"}},
                    "items": reasons,
                    "errorMessage": errors.message("end-reason"),
                },
                "note": textarea("end-note", "Anything more to say (optional)", &forms.end.2),
                "key": forms.end.2.key,
            },
        }),
    )
}

impl RecordForms for AppointmentForms {
    const PATH: &'static str = "/appointments";
    type Loaded = Loaded;

    async fn load(
        (state, session, request): Page<'_>,
        person: &Person,
        id: Uuid,
    ) -> Result<Self::Loaded, PageError> {
        let appointment: AppointmentView =
            state.read(session, person, request, &format!("/appointments/{id}")).await?;
        let body: BodyView =
            state.read(session, person, request, &format!("/bodies/{}", appointment.body_id)).await?;
        let members: Vec<MemberView> = state.read_all(session, person, request, "/members?limit=200").await?;
        let member = MemberNames::of(&members).of_id(appointment.member_id);
        Ok(Loaded { appointment, body, member })
    }

    fn render(
        self,
        (state, session, _): Page<'_>,
        person: &Person,
        loaded: &Self::Loaded,
        banner: Option<&str>,
    ) -> Result<HttpResponse, PageError> {
        render_appointment(state, session, person, loaded, self, banner)
    }

    fn errors(&self) -> &FieldErrors {
        &self.errors
    }
}

/// What `?done=` says was just done, word by word.
const DONE: &[(&str, &str)] = &[
    ("nominated", "The member was nominated"),
    ("confirmed", "The appointment was confirmed"),
    ("withdrawn", "The nomination was withdrawn"),
    ("ended", "The appointment was ended"),
];

#[get("/appointments/{id}")]
pub(super) async fn appointment_page(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    query: web::Query<DoneQuery>,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let page = (&**state, &session, &request);
    AppointmentForms::fresh().shown(page, &person, *id, query.banner(DONE)).await
}

/// One form of an appointment's page sent to the api, as
/// [`RecordForms::send`] sends it, the api's errors read as sentences.
async fn send<B: serde::Serialize>(
    page: Page<'_>,
    person: &Person,
    step: (Uuid, &str, &str),
    body: (&B, &str),
    (fields, refused): (&[(&str, &str, &str)], impl FnOnce(FieldErrors) -> AppointmentForms),
) -> Result<HttpResponse, PageError> {
    let refused = |errors| refused(sentences(errors));
    AppointmentForms::send(page, person, step, body, (fields, refused)).await
}

#[post("/appointments/{id}/confirmation")]
pub(super) async fn confirm(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    Posted { person, form, key }: Posted,
) -> Result<HttpResponse, PageError> {
    let on = form.date("on");
    let refused = |errors: FieldErrors| AppointmentForms {
        errors,
        confirm: (on.clone(), key.clone()),
        ..AppointmentForms::fresh()
    };
    let page = (&**state, &session, &request);
    let day = match on.parse("The day it was confirmed") {
        Ok(day) => day,
        Err(message) => {
            let errors = FieldErrors { errors: vec![("confirm-on-day".to_owned(), message)] };
            return refused(errors).refused(page, &person, *id).await;
        }
    };
    let body = ConfirmAppointmentRequest { on: day };
    let fields = [("/on", "confirm-on-day", "The day it was confirmed")];
    send(page, &person, (*id, "confirmation", "confirmed"), (&body, &key), (&fields, refused)).await
}

#[post("/appointments/{id}/withdrawal")]
pub(super) async fn withdraw(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    Posted { person, form, key }: Posted,
) -> Result<HttpResponse, PageError> {
    let reason = form.text("reason");
    let refused = |errors: FieldErrors| AppointmentForms {
        errors,
        withdraw: TextForm { text: reason.clone(), key: key.clone() },
        ..AppointmentForms::fresh()
    };
    let body = WithdrawAppointmentRequest { reason: NoteText(reason.clone()) };
    let fields = [("/reason", "withdraw-reason", "The reason")];
    let page = (&**state, &session, &request);
    send(page, &person, (*id, "withdrawal", "withdrawn"), (&body, &key), (&fields, refused)).await
}

#[post("/appointments/{id}/end")]
pub(super) async fn end_appointment(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    Posted { person, form, key }: Posted,
) -> Result<HttpResponse, PageError> {
    let (on, reason, note) = (form.date("on"), form.text("reason"), form.text("note"));
    let refused = |errors: FieldErrors| AppointmentForms {
        errors,
        end: (on.clone(), reason.clone(), TextForm { text: note.clone(), key: key.clone() }),
        ..AppointmentForms::fresh()
    };
    let page = (&**state, &session, &request);
    let day = on.parse("The last day it was held");
    let why = serde_json::from_value::<EndReason>(Value::String(reason.clone())).ok();
    let mut errors = Vec::new();
    if let Err(message) = &day {
        errors.push(("end-on-day".to_owned(), message.clone()));
    }
    if why.is_none() {
        errors.push(("end-reason".to_owned(), "Select why it ended".to_owned()));
    }
    let (Ok(day), Some(why), true) = (day, why, errors.is_empty()) else {
        return refused(FieldErrors { errors }).refused(page, &person, *id).await;
    };
    let body = EndAppointmentRequest { on: day, reason: why, note: given(&note).map(NoteText) };
    let fields = [
        ("/on", "end-on-day", "The last day it was held"),
        ("/reason", "end-reason", "Why it ended"),
        ("/note", "end-note", "The note"),
    ];
    send(page, &person, (*id, "end", "ended"), (&body, &key), (&fields, refused)).await
}
