//! Opening a case: the resident (a new one, with their details and consent,
//! or the resident of a case the person reads, for their next case), where
//! and what it is, how it came in, and whose it is. A councillor opens their
//! own; the office chooses the councillor.

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, get, http::StatusCode, post, web};
use caucus_wire::casework::{
    CaseCategories, CaseView, Channel, ContactMethod, OpenCaseRequest, ResidentRequest,
};
use caucus_wire::members::{MemberStatus, MemberView};
use caucus_wire::{DocumentText, EmailText, NoteText, SlugText, TitleText};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use uuid::Uuid;

use super::case_lifecycle::word;
use super::case_steps::CASEWORKERS;
use super::{FieldErrors, PageError, SentForm, State, check_form, made, see_other, signed_in};
use crate::present::{wire_word, words};
use crate::render::{Section, holds_any};
use crate::session::{self, Person};

/// Where the api's refusal falls on the form.
const FIELDS: &[(&str, &str, &str)] = &[
    ("/resident/name", "resident-name", "The resident's name"),
    ("/resident/address", "resident-address", "The address"),
    ("/resident/email", "resident-email", "The email address"),
    ("/resident/phone", "resident-phone", "The phone number"),
    ("/resident/preferred_contact", "resident-contact", "How to contact them"),
    ("/resident_id", "resident-name", "The resident"),
    ("/ward", "ward", "The ward"),
    ("/category", "category", "The category"),
    ("/channel", "channel", "How it came in"),
    ("/summary", "summary", "What they ask"),
    ("/owner_id", "owner", "The councillor"),
];

/// The councillor the person is, if they open cases only as their own (the
/// assistant chooses whose a case is).
fn own_councillor(person: &Person) -> Option<Uuid> {
    if holds_any(person, &["assistant"]) { None } else { person.subject.parse().ok() }
}

/// The signed-in person if they work cases, else the page saying their role
/// does not (the api would refuse the form).
fn caseworker(state: &State, session: &Session, request: &HttpRequest) -> Result<Person, PageError> {
    let person = signed_in(session, request)?;
    if holds_any(&person, CASEWORKERS) {
        return Ok(person);
    }
    let advice = "Your role does not allow opening a case.";
    Err(state.message_page(session, Some(&person), StatusCode::FORBIDDEN, "You cannot do that", advice))
}

/// Radios of every value of a wire enum, `chosen` checked.
fn radios<T: caucus_wire::Mirror + Serialize + Copy>(
    (name, id): (&str, &str),
    legend: &str,
    chosen: &str,
    errors: &FieldErrors,
) -> Value {
    let items: Vec<Value> = T::ALL
        .iter()
        .map(|v| json!({"value": wire_word(*v), "text": words(*v), "checked": wire_word(*v) == chosen}))
        .collect();
    json!({
        "name": name, "idPrefix": id, "items": items,
        "fieldset": {"legend": {"text": legend, "classes": "govuk-fieldset__legend--s"}},
        "errorMessage": errors.message(id),
    })
}

/// A text field's parameters made a textarea's of `rows` rows.
fn textarea(mut params: Value, rows: u8) -> Value {
    params["rows"] = json!(rows);
    params
}

/// The resident already recorded whom a new case is for: the case the
/// person came from, the resident, and their name as that case shows it.
#[derive(Debug)]
struct Recorded {
    case_id: Uuid,
    resident_id: Uuid,
    name: String,
}

/// The resident of case `id`, as the person reads the case, and its ward.
async fn recorded(
    state: &State,
    session: &Session,
    person: &Person,
    request: &HttpRequest,
    id: Uuid,
) -> Result<(Recorded, String), PageError> {
    let case: CaseView = state.read(session, person, request, &format!("/cases/{id}")).await?;
    let name = case.resident.and_then(|r| r.name).unwrap_or_else(|| "The resident of this case".to_owned());
    Ok((Recorded { case_id: id, resident_id: case.resident_id, name }, case.ward))
}

fn render_new(
    state: &State,
    session: &Session,
    person: &Person,
    (categories, members, recorded): (&[String], &[MemberView], Option<&Recorded>),
    (form, errors): (&SentForm, FieldErrors),
) -> Result<HttpResponse, PageError> {
    let text = |(name, id): (&str, &str), label: &str, hint: Option<&str>| {
        json!({
            "name": name, "id": id,
            "label": {"text": label, "classes": "govuk-label--s"},
            "hint": hint.map(|h| json!({"text": h})),
            "value": form.text(name),
            "errorMessage": errors.message(id),
        })
    };
    let options = |chosen: &str, choices: Vec<(String, String)>| -> Vec<Value> {
        std::iter::once(json!({"value": "", "text": "Choose one"}))
            .chain(choices.into_iter().map(|(v, t)| json!({"selected": v == chosen, "value": v, "text": t})))
            .collect()
    };
    let mut current: Vec<&MemberView> = members.iter().filter(|m| m.status == MemberStatus::Member).collect();
    current.sort_by(|a, b| a.name.cmp(&b.name));
    let owner = own_councillor(person).is_none().then(|| {
        json!({
            "name": "owner_id", "id": "owner",
            "label": {"text": "Councillor", "classes": "govuk-label--s"},
            "hint": {"text": "The councillor whose case it is: only they, those they share it with and the office read it"},
            "items": options(&form.text("owner_id"), current.iter().map(|m| (m.id.to_string(), m.name.clone())).collect()),
            "errorMessage": errors.message("owner"),
        })
    });
    let key = match form.text("idempotency_key") {
        key if key.is_empty() => session::random_hex(),
        key => key,
    };
    let frame = state.frame(session, Some(person), Section::Cases, "Open a case")?;
    state.page_with(
        errors.status(),
        &frame,
        "case-form.html",
        json!({
            "key": key,
            "error_summary": errors.summary(),
            "recorded": recorded.map(|r| json!({"case_id": r.case_id, "resident_id": r.resident_id, "name": r.name})),
            "name": text(("name", "resident-name"), "Full name", None),
            "address": textarea(text(("address", "resident-address"), "Address (optional)", Some("With the postcode")), 3),
            "email": text(("email", "resident-email"), "Email address (optional)", None),
            "phone": text(("phone", "resident-phone"), "Phone number (optional)", None),
            "contact": radios::<ContactMethod>(("preferred_contact", "resident-contact"), "How they would like to be contacted", &form.text("preferred_contact"), &errors),
            "consent": {
                "name": "consent_to_share", "idPrefix": "resident-consent",
                "items": [{"value": "yes", "text": "They agree to their details being shared with the organisations their case is referred to",
                           "checked": form.text("consent_to_share") == "yes"}],
                "errorMessage": errors.message("resident-consent"),
            },
            "ward": text(("ward", "ward"), "Ward", None),
            "category": {
                "name": "category", "id": "category",
                "label": {"text": "Category", "classes": "govuk-label--s"},
                "items": options(&form.text("category"), categories.iter().map(|c| (c.clone(), words(c))).collect()),
                "errorMessage": errors.message("category"),
            },
            "channel": radios::<Channel>(("channel", "channel"), "How it came in", &form.text("channel"), &errors),
            "summary": textarea(text(("summary", "summary"), "What they ask", None), 5),
            "owner": owner,
        }),
    )
}

/// The group's categories and members, for the form's choices.
async fn load_choices(
    state: &State,
    session: &Session,
    person: &Person,
    request: &HttpRequest,
) -> Result<(Vec<String>, Vec<MemberView>), PageError> {
    let categories: CaseCategories = state.read(session, person, request, "/case-categories").await?;
    let members: Vec<MemberView> = state.read_all(session, person, request, "/members?limit=200").await?;
    Ok((categories.categories, members))
}

/// `/cases/new?from_case=`: the case whose resident the new one is for.
#[derive(Debug, Deserialize)]
pub(super) struct NewCaseQuery {
    from_case: Option<Uuid>,
}

#[get("/cases/new")]
pub(super) async fn new_page(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    query: web::Query<NewCaseQuery>,
) -> Result<HttpResponse, PageError> {
    let person = caseworker(&state, &session, &request)?;
    let (categories, members) = load_choices(&state, &session, &person, &request).await?;
    let mut form = SentForm::default();
    let resident = match query.from_case {
        Some(id) => {
            let (resident, ward) = recorded(&state, &session, &person, &request, id).await?;
            // The same ward, most likely: the resident's.
            form.0.push(("ward".to_owned(), ward));
            Some(resident)
        }
        None => None,
    };
    let choices = (categories.as_slice(), members.as_slice(), resident.as_ref());
    render_new(&state, &session, &person, choices, (&form, FieldErrors::default()))
}

/// The api's request for the form as sent, or the choices left unmade.
fn opening(person: &Person, form: &SentForm) -> Result<OpenCaseRequest, FieldErrors> {
    let optional = |name: &str| Some(form.text(name)).filter(|t| !t.trim().is_empty());
    let mut errors = Vec::new();
    let channel: Option<Channel> = word(&form.text("channel"));
    if channel.is_none() {
        errors.push(("channel".to_owned(), "Select how it came in".to_owned()));
    }
    let owner = own_councillor(person).or_else(|| form.text("owner_id").parse().ok());
    if owner.is_none() {
        errors.push(("owner".to_owned(), "Select the councillor whose case it is".to_owned()));
    }
    let (Some(channel), Some(owner_id), true) = (channel, owner, errors.is_empty()) else {
        return Err(FieldErrors { errors });
    };
    let resident_id: Option<Uuid> = form.text("resident_id").parse().ok();
    Ok(OpenCaseRequest {
        resident_id,
        resident: resident_id.is_none().then(|| ResidentRequest {
            name: TitleText(form.text("name")),
            address: optional("address").map(NoteText),
            email: optional("email").map(EmailText),
            phone: optional("phone").map(TitleText),
            preferred_contact: word(&form.text("preferred_contact")),
            consent_to_share: form.text("consent_to_share") == "yes",
        }),
        ward: TitleText(form.text("ward")),
        category: SlugText(form.text("category")),
        channel,
        summary: DocumentText(form.text("summary")),
        special_category: None,
        owner_id,
        shared_with: Vec::new(),
        received_on: None,
    })
}

#[post("/cases")]
pub(super) async fn open(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let person = caseworker(&state, &session, &request)?;
    let form = SentForm::of(form);
    check_form(&session, &form.text("csrf"))?;
    let errors = match opening(&person, &form) {
        Err(errors) => errors,
        Ok(body) => {
            let key = form.text("idempotency_key");
            let sent = state.api.post(&person.token, "/cases", &body, &key).await;
            match made::<CaseView>((&state, &session, &request), &person, sent, FIELDS)? {
                Ok(case) => return Ok(see_other(&format!("/cases/{}?done=opened", case.id))),
                Err(errors) => errors,
            }
        }
    };
    let (categories, members) = load_choices(&state, &session, &person, &request).await?;
    let resident = match form.text("from_case").parse() {
        Ok(id) => Some(recorded(&state, &session, &person, &request, id).await?.0),
        Err(_) => None,
    };
    let choices = (categories.as_slice(), members.as_slice(), resident.as_ref());
    render_new(&state, &session, &person, choices, (&form, errors))
}
