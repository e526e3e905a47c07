//! Bodies: the committees, outside bodies and group posts the group fills
//! seats on. The register with each body's seats, holders and vacancies;
//! every vacant seat across the bodies; one body with its holders (terms
//! ending soon tagged), its nominations waiting for confirmation and its
//! past holders, with the office's forms to nominate a member, change the
//! body and dissolve it (behind a page of its own); and the form to
//! establish one. An appointment's own steps (confirm, withdraw, end) are on
//! its page, in `appointments`.

use std::collections::HashMap;

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, get, http::StatusCode, post, web};
use caucus_wire::appointments::{AppointmentView, NominateAppointmentRequest};
use caucus_wire::bodies::{
    BodyHolders, BodyKind, BodyStatus, BodyView, DissolveBodyRequest, EstablishBodyRequest, TrainingGate,
    UpdateBodyRequest, VacancyList,
};
use caucus_wire::members::{MemberStatus, MemberView};
use caucus_wire::{ChosenClassification, Mirror as _, NoteText, Seats, TitleText};
use chrono::Utc;
use serde_json::{Value, json};
use uuid::Uuid;

use super::actions::given;
use super::appointments::{
    appointment_link, ending_soon, refused_fields, sentences, status_words as appointment_words, term,
};
use super::query::DoneQuery;
use super::record::RecordForms;
use super::{
    DateParts, FieldErrors, MemberNames, OFFICE, Page, PageError, Posted, SentForm, State, TextForm,
    classification_radios, see_other, send, signed_in,
};
use crate::api::ApiFailure;
use crate::present::{london_day, long_date, status_tag, tag_html, wire_word, words};
use crate::render::{Section, holds_any};
use crate::session::{self, Person};

/// How a body's status reads, and the colour of its tag.
fn status_words(status: BodyStatus) -> (&'static str, &'static str) {
    match status {
        BodyStatus::Active => ("Active", "govuk-tag--green"),
        BodyStatus::Dissolved => ("Dissolved", "govuk-tag--grey"),
    }
}

/// A count of vacant seats as a tag: red while there are any.
fn vacant_tag(vacant: u16) -> String {
    match vacant {
        0 => "None".to_owned(),
        n => tag_html(&format!("{n} vacant"), "govuk-tag--red"),
    }
}

fn body_link(id: Uuid, name: &str) -> String {
    format!("<a class=\"govuk-link\" href=\"/bodies/{id}\">{}</a>", tera::escape_html(name))
}

/// Whether the person runs the office, who changes bodies and their seats
/// (the api checks again: this only decides which forms to offer).
fn office(person: &Person) -> bool {
    holds_any(person, OFFICE)
}

#[get("/bodies")]
pub(super) async fn list(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let bodies: Vec<BodyView> = state.read_all(&session, &person, &request, "/bodies?limit=200").await?;
    let vacancies: VacancyList = state.read(&session, &person, &request, "/vacancies").await?;
    let current: Vec<AppointmentView> =
        state.read_all(&session, &person, &request, "/appointments?limit=200&status=current").await?;
    let mut held: HashMap<Uuid, u16> = HashMap::new();
    for appointment in &current {
        *held.entry(appointment.body_id).or_default() += 1;
    }
    let vacant: HashMap<Uuid, u16> = vacancies.items.iter().map(|v| (v.body_id, v.vacant)).collect();
    let numeric = |n: u16| json!({"text": n.to_string(), "format": "numeric"});
    let active: Vec<Value> = bodies
        .iter()
        .filter(|b| b.status == BodyStatus::Active)
        .map(|body| {
            let holding = held.get(&body.id).copied().unwrap_or(0);
            let free = vacant.get(&body.id).copied().unwrap_or(0);
            // The seats neither held nor free wait for a nomination's confirmation.
            let waiting = body.seats.saturating_sub(holding).saturating_sub(free);
            let held_text = match waiting {
                0 => holding.to_string(),
                n => format!("{holding}, and {n} nominated"),
            };
            json!([
                {"html": body_link(body.id, &body.name)},
                {"text": words(body.kind)},
                numeric(body.seats),
                {"text": held_text, "format": "numeric"},
                {"html": vacant_tag(free)},
            ])
        })
        .collect();
    let dissolved: Vec<Value> = bodies
        .iter()
        .filter(|b| b.status == BodyStatus::Dissolved)
        .map(|body| {
            json!([
                {"html": body_link(body.id, &body.name)},
                {"text": words(body.kind)},
                {"text": body.dissolved_on.map(long_date).unwrap_or_default()},
            ])
        })
        .collect();
    let seats_vacant: u16 = vacancies.items.iter().map(|v| v.vacant).sum();
    let frame = state.frame(&session, Some(&person), Section::Bodies, "Bodies")?;
    state.page(
        &frame,
        "bodies.html",
        json!({
            "may_establish": office(&person),
            "vacancies": match (seats_vacant, vacancies.items.len()) {
                (0, _) => "Every seat is held or has a nomination.".to_owned(),
                (1, _) => "1 seat is vacant.".to_owned(),
                (n, 1) => format!("{n} seats are vacant, on 1 body."),
                (n, bodies) => format!("{n} seats are vacant, on {bodies} bodies."),
            },
            "active": (!active.is_empty()).then(|| json!({
                "caption": "Bodies the group fills seats on",
                "captionClasses": "govuk-table__caption--m",
                "head": [
                    {"text": "Body"}, {"text": "Kind"}, {"text": "Seats", "format": "numeric"},
                    {"text": "Held", "format": "numeric"}, {"text": "Vacant"},
                ],
                "rows": active,
            })),
            "dissolved": (!dissolved.is_empty()).then(|| json!({
                "caption": "Dissolved bodies",
                "captionClasses": "govuk-table__caption--m",
                "head": [{"text": "Body"}, {"text": "Kind"}, {"text": "Dissolved"}],
                "rows": dissolved,
            })),
        }),
    )
}

#[get("/vacancies")]
pub(super) async fn vacancies_page(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let vacancies: VacancyList = state.read(&session, &person, &request, "/vacancies").await?;
    let may_nominate = office(&person);
    let rows: Vec<Value> = vacancies
        .items
        .iter()
        .map(|v| {
            let mut row = vec![
                json!({"html": body_link(v.body_id, &v.name)}),
                json!({"text": words(v.kind)}),
                json!({"text": v.seats.to_string(), "format": "numeric"}),
                json!({"text": v.filled.to_string(), "format": "numeric"}),
                json!({"html": vacant_tag(v.vacant)}),
            ];
            if may_nominate {
                row.push(json!({"html": format!(
                    "<a class=\"govuk-link\" href=\"/bodies/{}#nominate\">Nominate<span class=\"govuk-visually-hidden\"> a member to {}</span></a>",
                    v.body_id,
                    tera::escape_html(&v.name),
                )}));
            }
            Value::Array(row)
        })
        .collect();
    let mut head = vec![
        json!({"text": "Body"}),
        json!({"text": "Kind"}),
        json!({"text": "Seats", "format": "numeric"}),
        json!({"text": "Held or nominated", "format": "numeric"}),
        json!({"text": "Vacant"}),
    ];
    if may_nominate {
        head.push(json!({"html": "<span class=\"govuk-visually-hidden\">Nominate</span>"}));
    }
    let frame = state.frame(&session, Some(&person), Section::Bodies, "Vacancies")?;
    state.page(
        &frame,
        "bodies-vacancies.html",
        json!({
            "table": (!rows.is_empty()).then(|| json!({"head": head, "rows": rows})),
        }),
    )
}

/// A body's nomination form as it is to be shown: empty with a new key, or
/// as it was sent and refused, with its key.
#[derive(Debug)]
struct NominationForm {
    errors: FieldErrors,
    member: String,
    role_title: String,
    starts: DateParts,
    ends: DateParts,
    classification: String,
    key: String,
}

impl NominationForm {
    /// Empty: the term starting today, readable by anyone once published
    /// (who sits on a council's committees is public).
    fn fresh() -> Self {
        Self {
            errors: FieldErrors::default(),
            member: String::new(),
            role_title: String::new(),
            starts: DateParts::of(london_day(Utc::now())),
            ends: DateParts::default(),
            classification: wire_word(ChosenClassification::Public),
            key: session::random_hex(),
        }
    }
}

/// What a body's page shows: the body, who holds or is nominated to its
/// seats, who held them, and the members (for names and the nomination).
struct Loaded {
    body: BodyView,
    holders: BodyHolders,
    past: Vec<AppointmentView>,
    members: Vec<MemberView>,
}

/// The summary of a body, with change links for the office while it is
/// active.
fn summary(body: &BodyView, vacant: u16, may_change: bool) -> Value {
    let change = |hidden: &str| {
        may_change.then(|| {
            json!({"items": [{
                "href": format!("/bodies/{}/edit", body.id), "text": "Change", "visuallyHiddenText": hidden,
            }]})
        })
    };
    let mut rows = vec![
        json!({"key": {"text": "Name"}, "value": {"text": body.name}, "actions": change("name")}),
        json!({"key": {"text": "Kind"}, "value": {"text": words(body.kind)}}),
        json!({"key": {"text": "Seats"}, "value": {"text": body.seats.to_string()}, "actions": change("seats")}),
        json!({"key": {"text": "Vacant seats"}, "value": {"html": vacant_tag(vacant)}}),
        json!({"key": {"text": "Status"}, "value": {"html": status_tag(body.status, status_words)}}),
        json!({
            "key": {"text": "What it does"},
            "value": {"text": body.description.clone().unwrap_or_else(|| "Not given".to_owned())},
            "actions": change("what it does"),
        }),
        json!({"key": {"text": "Who can read it"}, "value": {"text": words(body.classification)}}),
        json!({
            "key": {"text": "When a member lacks its training"},
            "value": {"text": gate_words(body.training_gate)},
            "actions": change("when a member lacks its training"),
        }),
    ];
    if let Some(on) = body.dissolved_on {
        rows.push(json!({"key": {"text": "Dissolved"}, "value": {"text": long_date(on)}}));
    }
    if let Some(reason) = &body.dissolution_reason {
        rows.push(json!({"key": {"text": "Why it was dissolved"}, "value": {"text": reason}}));
    }
    json!({"rows": rows})
}

fn render_body(
    state: &State,
    session: &Session,
    person: &Person,
    loaded: &Loaded,
    form: NominationForm,
    banner: Option<&str>,
) -> Result<HttpResponse, PageError> {
    let Loaded { body, holders, past, members } = loaded;
    let names = MemberNames::of(members);
    let today = london_day(Utc::now());
    let may_change = office(person) && body.status == BodyStatus::Active;
    let post = |a: &AppointmentView| a.role_title.clone().unwrap_or_else(|| "Member".to_owned());
    let (current, nominated): (Vec<&AppointmentView>, Vec<&AppointmentView>) =
        holders.items.iter().partition(|a| a.status == caucus_wire::appointments::AppointmentStatus::Current);
    let current_rows: Vec<Value> = current
        .iter()
        .map(|a| {
            let soon = if ending_soon(a, today) {
                tag_html("Ending soon", "govuk-tag--orange")
            } else {
                String::new()
            };
            json!([
                {"html": appointment_link(a, &names.of_id(a.member_id))},
                {"text": post(a)},
                {"text": term(a)},
                {"html": soon},
            ])
        })
        .collect();
    let nominated_rows: Vec<Value> = nominated
        .iter()
        .map(|a| {
            json!([
                {"html": appointment_link(a, &names.of_id(a.member_id))},
                {"text": post(a)},
                {"text": term(a)},
                {"html": status_tag(a.status, appointment_words)},
            ])
        })
        .collect();
    let past_rows: Vec<Value> = past
        .iter()
        .map(|a| {
            let until = a.ended_on.map_or_else(String::new, |on| format!("Until {}", long_date(on)));
            let why = a.end_reason.map(words).unwrap_or_default();
            json!([
                {"html": appointment_link(a, &names.of_id(a.member_id))},
                {"text": post(a)},
                {"text": until},
                {"text": why},
            ])
        })
        .collect();
    let table = |caption: &str, head: Value, rows: Vec<Value>| {
        (!rows.is_empty()).then(|| {
            json!({"caption": caption, "captionClasses": "govuk-table__caption--m", "head": head, "rows": rows})
        })
    };
    let errors = &form.errors;
    // Current members without a seat on it already (held or nominated).
    let seated: Vec<Uuid> = holders.items.iter().map(|a| a.member_id).collect();
    let mut choices: Vec<&MemberView> =
        members.iter().filter(|m| m.status == MemberStatus::Member && !seated.contains(&m.id)).collect();
    choices.sort_by(|a, b| a.name.cmp(&b.name));
    let member_items: Vec<Value> = std::iter::once(json!({"value": "", "text": "Choose a member"}))
        .chain(choices.iter().map(|m| {
            let value = m.id.to_string();
            json!({"value": value, "text": m.name, "selected": value == form.member})
        }))
        .collect();
    let frame = state.frame(session, Some(person), Section::Bodies, body.name.clone())?;
    state.page_with(
        errors.status(),
        &frame,
        "body.html",
        json!({
            "id": body.id,
            "kind": words(body.kind),
            "summary": summary(body, holders.vacant, may_change),
            "error_summary": errors.summary(),
            "banner": banner.map(|text| json!({"type": "success", "text": text})),
            "current": table(
                "Who holds its seats",
                json!([{"text": "Member"}, {"text": "Post"}, {"text": "Term"}, {"html": "<span class=\"govuk-visually-hidden\">Ending soon</span>"}]),
                current_rows,
            ),
            "nominated": table(
                "Nominations waiting for confirmation",
                json!([{"text": "Member"}, {"text": "Post"}, {"text": "Term"}, {"text": "Status"}]),
                nominated_rows,
            ),
            "past": table(
                "Past holders",
                json!([{"text": "Member"}, {"text": "Post"}, {"text": "Held"}, {"text": "Why it ended"}]),
                past_rows,
            ),
            "may_change": may_change,
            "may_nominate": may_change && holders.vacant > 0,
            "nominate": {
                "key": form.key,
                "member": {
                    "name": "member_id", "id": "nominate-member",
                    "label": {"text": "Member", "classes": "govuk-label--s"},
                    "items": member_items,
                    "errorMessage": errors.message("nominate-member"),
                },
                "role_title": {
                    "name": "role_title", "id": "nominate-role",
                    "label": {"text": "Post on the body (optional)", "classes": "govuk-label--s"},
                    "hint": {"text": "For example, Chair or Vice-Chair"},
                    "value": form.role_title,
                    "errorMessage": errors.message("nominate-role"),
                },
                "starts": form.starts.input(
                    ("term_starts_on", "nominate-starts"), "The term starts", Some("For example, 21 5 2026"), errors,
                ),
                "ends": form.ends.input(
                    ("term_ends_on", "nominate-ends"), "The term ends (optional)",
                    Some("Leave blank if the term has no end date"), errors,
                ),
                "classification": classification_radios(&form.classification, errors),
            },
        }),
    )
}

impl RecordForms for NominationForm {
    const PATH: &'static str = "/bodies";
    type Loaded = Loaded;

    async fn load(
        (state, session, request): Page<'_>,
        person: &Person,
        id: Uuid,
    ) -> Result<Self::Loaded, PageError> {
        let body: BodyView = state.read(session, person, request, &format!("/bodies/{id}")).await?;
        let holders: BodyHolders =
            state.read(session, person, request, &format!("/bodies/{id}/holders")).await?;
        let mut past: Vec<AppointmentView> = state
            .read_all(session, person, request, &format!("/appointments?limit=200&status=ended&body_id={id}"))
            .await?;
        // The latest to leave first.
        past.sort_by_key(|a| std::cmp::Reverse(a.ended_on));
        let members: Vec<MemberView> = state.read_all(session, person, request, "/members?limit=200").await?;
        Ok(Loaded { body, holders, past, members })
    }

    fn render(
        self,
        (state, session, _): Page<'_>,
        person: &Person,
        loaded: &Self::Loaded,
        banner: Option<&str>,
    ) -> Result<HttpResponse, PageError> {
        render_body(state, session, person, loaded, self, banner)
    }

    fn errors(&self) -> &FieldErrors {
        &self.errors
    }
}

/// What `?done=` says was just done, word by word.
const DONE: &[(&str, &str)] = &[
    ("established", "The body was established"),
    ("changed", "The body was changed"),
    ("dissolved", "The body was dissolved"),
];

#[get("/bodies/{id}")]
pub(super) async fn body_page(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    query: web::Query<DoneQuery>,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let page = (&**state, &session, &request);
    NominationForm::fresh().shown(page, &person, *id, query.banner(DONE)).await
}

/// A date the form's own check refused, at its first field.
fn date_error(id: &str, message: String) -> (String, String) {
    (format!("{id}-day"), message)
}

#[post("/bodies/{id}/nominations")]
pub(super) async fn nominate(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    Posted { person, form: sent, key }: Posted,
) -> Result<HttpResponse, PageError> {
    let mut form = NominationForm {
        errors: FieldErrors::default(),
        member: sent.text("member_id"),
        role_title: sent.text("role_title"),
        starts: sent.date("term_starts_on"),
        ends: sent.date("term_ends_on"),
        classification: sent.text("classification"),
        key: key.clone(),
    };
    let member = form.member.parse::<Uuid>().ok();
    let starts = form.starts.parse("The start of the term");
    let ends = if form.ends.is_blank() { Ok(None) } else { form.ends.parse("The end of the term").map(Some) };
    let classification =
        serde_json::from_value::<ChosenClassification>(Value::String(form.classification.clone())).ok();
    let mut errors = Vec::new();
    if member.is_none() {
        errors.push(("nominate-member".to_owned(), "Select the member to nominate".to_owned()));
    }
    if let Err(message) = &starts {
        errors.push(date_error("nominate-starts", message.clone()));
    }
    if let Err(message) = &ends {
        errors.push(date_error("nominate-ends", message.clone()));
    }
    if classification.is_none() {
        errors.push(("classification".to_owned(), "Select who can read it".to_owned()));
    }
    let (Some(member_id), Ok(term_starts_on), Ok(term_ends_on), Some(classification), true) =
        (member, starts, ends, classification, errors.is_empty())
    else {
        form.errors = FieldErrors { errors };
        return form.refused((&state, &session, &request), &person, *id).await;
    };
    let body = NominateAppointmentRequest {
        body_id: *id,
        member_id,
        role_title: given(&form.role_title).map(TitleText),
        term_starts_on,
        term_ends_on,
        classification,
    };
    let fields = [
        ("/member_id", "nominate-member", "The member"),
        ("/role_title", "nominate-role", "The post"),
        ("/term_starts_on", "nominate-starts-day", "The start of the term"),
        ("/term_ends_on", "nominate-ends-day", "The end of the term"),
        ("/classification", "classification", "Who can read it"),
    ];
    let to = |made: AppointmentView| format!("/appointments/{}?done=nominated", made.id);
    let key = form.key.clone();
    let page = (&**state, &session, &request);
    let again = |errors| NominationForm { errors: sentences(errors), ..form }.refused(page, &person, *id);
    send(page, &person, ("/appointments", &body, &key), to, (&fields, again)).await
}

/// A body's details as typed: a new body's, or a change to one.
#[derive(Debug, Default)]
struct BodyForm {
    name: String,
    kind: String,
    seats: String,
    description: String,
    classification: String,
    training_gate: String,
}

/// What the body does with a member who lacks its required training, in words.
fn gate_words(gate: TrainingGate) -> &'static str {
    match gate {
        TrainingGate::Warn => "Warn, and record the seat",
        TrainingGate::Refuse => "Refuse the seat until they hold it",
    }
}

impl BodyForm {
    fn of(body: &BodyView) -> Self {
        Self {
            name: body.name.clone(),
            kind: wire_word(body.kind),
            seats: body.seats.to_string(),
            description: body.description.clone().unwrap_or_default(),
            classification: String::new(),
            training_gate: wire_word(body.training_gate),
        }
    }

    fn sent(sent: &SentForm) -> Self {
        Self {
            name: sent.text("name"),
            kind: sent.text("kind"),
            seats: sent.text("seats"),
            description: sent.text("description"),
            classification: sent.text("classification"),
            training_gate: sent.text("training_gate"),
        }
    }

    /// The gate chosen; a form that lost the field keeps the api's default.
    fn training_gate(&self) -> Option<TrainingGate> {
        serde_json::from_value(Value::String(self.training_gate.clone())).ok()
    }

    /// The seats typed, or what is wrong with them.
    fn seats(&self) -> Result<Seats, (String, String)> {
        self.seats.trim().parse::<i64>().map(Seats).map_err(|_| {
            let message = if self.seats.trim().is_empty() {
                "Enter how many seats the group fills"
            } else {
                "The number of seats must be a whole number, like 5"
            };
            ("seats".to_owned(), message.to_owned())
        })
    }

    /// The fields both forms have: name, seats and description.
    fn fields(&self, errors: &FieldErrors) -> Value {
        json!({
            "name": {
                "name": "name", "id": "name",
                "label": {"text": "Name", "classes": "govuk-label--s"},
                "value": self.name,
                "errorMessage": errors.message("name"),
            },
            "seats": {
                "name": "seats", "id": "seats",
                "label": {"text": "Seats", "classes": "govuk-label--s"},
                "hint": {"text": "How many seats the group fills on it, from 1 to 100"},
                "inputmode": "numeric", "spellcheck": false,
                "classes": "govuk-input--width-3",
                "value": self.seats,
                "errorMessage": errors.message("seats"),
            },
            "description": {
                "name": "description", "id": "description", "rows": 3,
                "label": {"text": "What it does (optional)", "classes": "govuk-label--s"},
                "value": self.description,
                "errorMessage": errors.message("description"),
            },
            "training_gate": {
                "name": "training_gate", "idPrefix": "training_gate",
                "fieldset": {"legend": {
                    "text": "When a member lacks the training this body requires",
                    "classes": "govuk-fieldset__legend--s",
                }},
                "hint": {"text": "Courses name the bodies that require them, in the training catalogue"},
                "items": TrainingGate::ALL.iter().map(|gate| {
                    let value = wire_word(*gate);
                    json!({"value": value, "text": gate_words(*gate), "checked": value == self.training_gate})
                }).collect::<Vec<_>>(),
                "errorMessage": errors.message("training_gate"),
            },
        })
    }
}

/// The form's fields as the api names them.
const BODY_FIELDS: &[(&str, &str, &str)] = &[
    ("/name", "name", "The name"),
    ("/kind", "kind", "The kind of body"),
    ("/seats", "seats", "The number of seats"),
    ("/description", "description", "What it does"),
    ("/classification", "classification", "Who can read it"),
    ("/training_gate", "training_gate", "When a member lacks the training"),
];

fn render_new(
    state: &State,
    session: &Session,
    person: &Person,
    (form, errors, key): (&BodyForm, FieldErrors, String),
) -> Result<HttpResponse, PageError> {
    let kinds: Vec<Value> = BodyKind::ALL
        .iter()
        .map(|kind| {
            let value = wire_word(*kind);
            json!({"value": value, "text": words(*kind), "checked": value == form.kind})
        })
        .collect();
    let frame = state.frame(session, Some(person), Section::Bodies, "Establish a body")?;
    state.page_with(
        errors.status(),
        &frame,
        "body-form.html",
        json!({
            "action": "/bodies",
            "back": "/bodies",
            "button": "Establish body",
            "key": key,
            "error_summary": errors.summary(),
            "fields": form.fields(&errors),
            "kind": {
                "name": "kind", "idPrefix": "kind",
                "fieldset": {"legend": {"text": "Kind of body", "classes": "govuk-fieldset__legend--s"}},
                "items": kinds,
                "errorMessage": errors.message("kind"),
            },
            "classification": classification_radios(&form.classification, &errors),
        }),
    )
}

#[get("/bodies/new")]
pub(super) async fn new_page(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let form = BodyForm {
        classification: wire_word(ChosenClassification::Public),
        training_gate: wire_word(TrainingGate::Warn),
        ..BodyForm::default()
    };
    render_new(&state, &session, &person, (&form, FieldErrors::default(), session::random_hex()))
}

#[post("/bodies")]
pub(super) async fn establish(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    Posted { person, form: sent, key }: Posted,
) -> Result<HttpResponse, PageError> {
    let form = BodyForm::sent(&sent);
    let kind = serde_json::from_value::<BodyKind>(Value::String(form.kind.clone())).ok();
    let seats = form.seats();
    let classification =
        serde_json::from_value::<ChosenClassification>(Value::String(form.classification.clone())).ok();
    let mut errors = Vec::new();
    if kind.is_none() {
        errors.push(("kind".to_owned(), "Select the kind of body".to_owned()));
    }
    if let Err(error) = &seats {
        errors.push(error.clone());
    }
    if classification.is_none() {
        errors.push(("classification".to_owned(), "Select who can read it".to_owned()));
    }
    let (Some(kind), Ok(seats), Some(classification), true) =
        (kind, seats, classification, errors.is_empty())
    else {
        return render_new(&state, &session, &person, (&form, FieldErrors { errors }, key));
    };
    let body = EstablishBodyRequest {
        name: TitleText(form.name.clone()),
        kind,
        seats,
        description: given(&form.description).map(NoteText),
        classification,
        training_gate: form.training_gate(),
    };
    let to = |made: BodyView| format!("/bodies/{}?done=established", made.id);
    let again = async |errors: FieldErrors| {
        let errors = sentences(errors);
        render_new(&state, &session, &person, (&form, errors, key.clone()))
    };
    let page = (&**state, &session, &request);
    send(page, &person, ("/bodies", &body, &key), to, (BODY_FIELDS, again)).await
}

/// The edit form: the body as it is now, and, if the form was sent and
/// refused, what was typed, why, and whether someone changed it meanwhile.
struct Edit<'a> {
    body: &'a BodyView,
    form: BodyForm,
    errors: FieldErrors,
    key: String,
    /// Someone else changed the body after the form was shown.
    changed_meanwhile: bool,
}

fn render_edit(
    state: &State,
    session: &Session,
    person: &Person,
    edit: Edit<'_>,
) -> Result<HttpResponse, PageError> {
    let Edit { body, form, errors, key, changed_meanwhile } = edit;
    let status = if changed_meanwhile { StatusCode::CONFLICT } else { errors.status() };
    let frame = state.frame(session, Some(person), Section::Bodies, format!("Change {}", body.name))?;
    state.page_with(
        status,
        &frame,
        "body-form.html",
        json!({
            "action": format!("/bodies/{}/edit", body.id),
            "back": format!("/bodies/{}", body.id),
            "button": "Save changes",
            "key": key,
            "version": body.version,
            "error_summary": errors.summary(),
            "changed_meanwhile": changed_meanwhile.then(|| json!({
                "name": body.name,
                "seats": body.seats,
                "description": body.description.as_deref().unwrap_or("Not given"),
                "training_gate": gate_words(body.training_gate),
            })),
            "fields": form.fields(&errors),
        }),
    )
}

/// The body, or the page saying it can no longer be changed.
async fn active_body(
    state: &State,
    session: &Session,
    person: &Person,
    request: &HttpRequest,
    id: Uuid,
) -> Result<BodyView, PageError> {
    let body: BodyView = state.read(session, person, request, &format!("/bodies/{id}")).await?;
    if body.status == BodyStatus::Active {
        return Ok(body);
    }
    Err(state.message_page(
        session,
        Some(person),
        StatusCode::CONFLICT,
        "That could not be done",
        "This body is dissolved and can no longer be changed.",
    ))
}

#[get("/bodies/{id}/edit")]
pub(super) async fn edit_page(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let body = active_body(&state, &session, &person, &request, *id).await?;
    let edit = Edit {
        body: &body,
        form: BodyForm::of(&body),
        errors: FieldErrors::default(),
        key: session::random_hex(),
        changed_meanwhile: false,
    };
    render_edit(&state, &session, &person, edit)
}

#[post("/bodies/{id}/edit")]
pub(super) async fn save_edit(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    Posted { person, form: sent, key }: Posted,
) -> Result<HttpResponse, PageError> {
    let version = sent.version()?;
    let form = BodyForm::sent(&sent);
    let seats = match form.seats() {
        Ok(seats) => seats,
        Err(error) => {
            let body = active_body(&state, &session, &person, &request, *id).await?;
            let edit = Edit {
                body: &body,
                form,
                errors: FieldErrors { errors: vec![error] },
                key,
                changed_meanwhile: false,
            };
            return render_edit(&state, &session, &person, edit);
        }
    };
    // Every field is sent: the api records only what differs.
    let change = UpdateBodyRequest {
        name: Some(TitleText(form.name.clone())),
        seats: Some(seats),
        description: given(&form.description).map(NoteText),
        training_gate: form.training_gate(),
    };
    let path = format!("/bodies/{id}");
    let saved: Result<BodyView, ApiFailure> =
        state.api.patch(&person.token, &path, &change, Some(version), &key).await;
    let problem = match saved {
        Ok(_) => return Ok(see_other(&format!("/bodies/{id}?done=changed"))),
        Err(ApiFailure::Refused(problem)) if matches!(problem.status, 409 | 422) => problem,
        Err(failure) => return Err(state.refusal(&session, &person, &request, &failure)),
    };
    let body = active_body(&state, &session, &person, &request, *id).await?;
    let changed_meanwhile = problem.status == 409 && body.version != version;
    if problem.status == 409 && !changed_meanwhile {
        return Err(state.refusal(&session, &person, &request, &ApiFailure::Refused(problem)));
    }
    let errors =
        if problem.status == 422 { refused_fields(&problem, BODY_FIELDS) } else { FieldErrors::default() };
    // A new key: what was refused recorded nothing, and the next save is
    // against the version shown now.
    let edit = Edit { body: &body, form, errors, key: session::random_hex(), changed_meanwhile };
    render_edit(&state, &session, &person, edit)
}

fn render_dissolve(
    state: &State,
    session: &Session,
    person: &Person,
    body: &BodyView,
    (on, reason, errors): (&DateParts, &TextForm, FieldErrors),
) -> Result<HttpResponse, PageError> {
    let frame = state.frame(session, Some(person), Section::Bodies, format!("Dissolve {}", body.name))?;
    state.page_with(
        errors.status(),
        &frame,
        "body-dissolve.html",
        json!({
            "id": body.id,
            "name": body.name,
            "key": reason.key,
            "error_summary": errors.summary(),
            "on": on.input(("on", "dissolved-on"), "The day it was dissolved", Some("For example, 21 5 2026"), &errors),
            "reason": {
                "name": "reason", "id": "dissolve-reason", "rows": 3,
                "label": {"text": "Why it was dissolved", "classes": "govuk-label--s"},
                "value": reason.text,
                "errorMessage": errors.message("dissolve-reason"),
            },
        }),
    )
}

#[get("/bodies/{id}/dissolve")]
pub(super) async fn dissolve_page(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let body = active_body(&state, &session, &person, &request, *id).await?;
    let today = DateParts::of(london_day(Utc::now()));
    render_dissolve(&state, &session, &person, &body, (&today, &TextForm::fresh(), FieldErrors::default()))
}

#[post("/bodies/{id}/dissolution")]
pub(super) async fn dissolve(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    Posted { person, form: sent, key }: Posted,
) -> Result<HttpResponse, PageError> {
    let on = sent.date("on");
    let reason = TextForm { text: sent.text("reason"), key: key.clone() };
    let day = match on.parse("The day it was dissolved") {
        Ok(day) => day,
        Err(message) => {
            let mut errors = vec![date_error("dissolved-on", message)];
            if reason.text.trim().is_empty() {
                errors.push(("dissolve-reason".to_owned(), "Enter why it was dissolved".to_owned()));
            }
            let body = active_body(&state, &session, &person, &request, *id).await?;
            return render_dissolve(&state, &session, &person, &body, (&on, &reason, FieldErrors { errors }));
        }
    };
    let request_body = DissolveBodyRequest { on: day, reason: NoteText(reason.text.clone()) };
    let path = format!("/bodies/{id}/dissolution");
    let fields = [("/on", "dissolved-on-day", "The day"), ("/reason", "dissolve-reason", "The reason")];
    let to = |_: BodyView| format!("/bodies/{id}?done=dissolved");
    let again = async |errors| {
        let body = active_body(&state, &session, &person, &request, *id).await?;
        render_dissolve(&state, &session, &person, &body, (&on, &reason, sentences(errors)))
    };
    let page = (&**state, &session, &request);
    send(page, &person, (&path, &request_body, &reason.key), to, (&fields, again)).await
}
