//! The office's forms recording a donation (`/donations/new`) and correcting
//! one (`/donations/{id}/edit`: the whole donation as it should read, and
//! why, written only if nobody changed it since the form was shown). Amounts
//! are typed in pounds and read into pence exactly by `Pence`'s `FromStr`.

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, get, http::StatusCode, post, web};
use caucus_wire::donations::{
    CorrectDonationRequest, DonationKind, DonationPence, DonationView, DonorKind, DonorRequest,
    MAX_DONATION_PENCE, RecordDonationRequest,
};
use caucus_wire::{Mirror as _, NoteText, Pence, TitleText};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::api::ApiFailure;
use crate::pages::{
    DateParts, FieldErrors, OFFICE, Page, PageError, Posted, SentForm, State, answered, signed_in,
};
use crate::present::{wire_word, words};
use crate::render::{Section, holds_any};
use crate::session::{self, Person};

/// The form's fields, as the api points at them.
const FIELDS: &[(&str, &str, &str)] = &[
    ("/donor/name", "donor-name", "The donor's name"),
    ("/donor/kind", "donor-kind", "The kind of donor"),
    ("/donor/address", "donor-address", "The address"),
    ("/donor/organisation_id", "donor-name", "The donor's organisation:"),
    ("/amount_pence", "amount", "The amount"),
    ("/received_on", "received-day", "The day it was received"),
    ("/kind", "kind", "Cash or in kind:"),
    ("/description", "description", "What was given"),
    ("/notes", "notes", "The notes"),
    ("/reason", "reason", "Why it is corrected:"),
];

/// A donation's form as typed: a correction's also says why, and keeps the
/// organisation the donor is known as.
#[derive(Debug, Default)]
struct EntryForm {
    donor_name: String,
    donor_kind: String,
    address: String,
    /// Pounds, as typed.
    amount: String,
    received: DateParts,
    kind: String,
    description: String,
    notes: String,
    reason: String,
    organisation: String,
}

/// Some text, or none if only spaces were typed.
fn optional(text: &str) -> Option<String> {
    Some(text.trim().to_owned()).filter(|t| !t.is_empty())
}

/// A wire enum from its word, as a radio sends it.
fn chosen<T: serde::de::DeserializeOwned>(word: &str) -> Option<T> {
    serde_json::from_value(Value::String(word.to_owned())).ok()
}

/// The donation the form makes, whole, before a correction's reason.
struct Entered {
    received_on: chrono::NaiveDate,
    donor: DonorRequest,
    amount_pence: DonationPence,
    kind: DonationKind,
    description: Option<NoteText>,
    notes: Option<NoteText>,
}

impl EntryForm {
    /// The form showing `donation` as it stands, for correcting.
    fn of(donation: &DonationView) -> Self {
        let pounds = Pence::unsigned(donation.amount_pence).to_string();
        Self {
            donor_name: donation.donor.name.clone(),
            donor_kind: wire_word(donation.donor.kind),
            address: donation.donor.address.clone().unwrap_or_default(),
            // The field has its own £ before it.
            amount: pounds.trim_start_matches('£').to_owned(),
            received: DateParts::of(donation.received_on),
            kind: wire_word(donation.kind),
            description: donation.description.clone().unwrap_or_default(),
            notes: donation.notes.clone().unwrap_or_default(),
            reason: String::new(),
            organisation: donation.donor.organisation_id.map(|id| id.to_string()).unwrap_or_default(),
        }
    }

    fn sent(form: &SentForm) -> Self {
        Self {
            donor_name: form.text("donor_name").trim().to_owned(),
            donor_kind: form.text("donor_kind"),
            address: form.text("donor_address"),
            amount: form.text("amount").trim().to_owned(),
            received: form.date("received"),
            kind: form.text("kind"),
            description: form.text("description"),
            notes: form.text("notes"),
            reason: form.text("reason"),
            organisation: form.text("organisation_id"),
        }
    }

    /// The amount typed, in pence, or what is wrong with it: never through a float.
    fn pence(&self) -> Result<DonationPence, String> {
        if self.amount.is_empty() {
            return Err("Enter the amount".to_owned());
        }
        let pence = self
            .amount
            .parse::<Pence>()
            .map_err(|_| "The amount must be in pounds and pence, like 1,250 or 12.50".to_owned())?;
        let most = Pence::unsigned(u64::from(MAX_DONATION_PENCE));
        if pence.get() < 1 {
            Err(format!("The amount must be at least {}", Pence::new(1)))
        } else if pence > most {
            Err(format!("The amount must be at most {most}"))
        } else {
            Ok(DonationPence(pence.get()))
        }
    }

    /// The donation the form makes, or the fields it cannot make one of.
    fn entered(&self, errors: &mut Vec<(String, String)>) -> Option<Entered> {
        let mut error = |id: &str, message: String| errors.push((id.to_owned(), message));
        if self.donor_name.is_empty() {
            error("donor-name", "Enter the donor's name".to_owned());
        }
        let donor_kind = chosen::<DonorKind>(&self.donor_kind);
        if donor_kind.is_none() {
            error("donor-kind", "Select the kind of donor".to_owned());
        }
        let amount = self.pence().map_err(|message| error("amount", message)).ok();
        let received_on = self
            .received
            .parse("The day it was received")
            .map_err(|message| error("received-day", message))
            .ok();
        let kind = chosen::<DonationKind>(&self.kind);
        let description = optional(&self.description);
        match kind {
            None => error("kind", "Select whether it was given as money or in kind".to_owned()),
            Some(DonationKind::InKind) if description.is_none() => {
                error("description", "Say what was given in kind".to_owned());
            }
            Some(_) => {}
        }
        Some(Entered {
            received_on: received_on?,
            donor: DonorRequest {
                kind: donor_kind?,
                name: TitleText(self.donor_name.clone()),
                address: optional(&self.address).map(NoteText),
                organisation_id: self.organisation.parse::<Uuid>().ok(),
            },
            amount_pence: amount?,
            // Only a donation in kind is described: one typed for money is dropped.
            description: description.filter(|_| kind == Some(DonationKind::InKind)).map(NoteText),
            kind: kind?,
            notes: optional(&self.notes).map(NoteText),
        })
    }

    fn record_request(&self) -> Result<RecordDonationRequest, FieldErrors> {
        let mut errors = Vec::new();
        match self.entered(&mut errors) {
            Some(e) if errors.is_empty() => Ok(RecordDonationRequest {
                received_on: e.received_on,
                donor: e.donor,
                amount_pence: e.amount_pence,
                kind: e.kind,
                description: e.description,
                notes: e.notes,
            }),
            _ => Err(FieldErrors { errors }),
        }
    }

    fn correct_request(&self) -> Result<CorrectDonationRequest, FieldErrors> {
        let mut errors = Vec::new();
        let entered = self.entered(&mut errors);
        let reason = optional(&self.reason);
        if reason.is_none() {
            errors.push(("reason".to_owned(), "Say why the donation is corrected".to_owned()));
        }
        match (entered, reason) {
            (Some(e), Some(reason)) if errors.is_empty() => Ok(CorrectDonationRequest {
                received_on: e.received_on,
                donor: e.donor,
                amount_pence: e.amount_pence,
                kind: e.kind,
                description: e.description,
                notes: e.notes,
                reason: NoteText(reason),
            }),
            _ => Err(FieldErrors { errors }),
        }
    }
}

/// The form's page: recording a donation (`at` none) or correcting donation
/// `at`'s `(id, version)`.
fn render_form(
    (state, session, _): Page<'_>,
    person: &Person,
    at: Option<(Uuid, u64)>,
    (form, errors, key): (&EntryForm, &FieldErrors, &str),
) -> Result<HttpResponse, PageError> {
    let input = |name: &str, id: &str, label: &str, value: &str, hint: Option<&str>| {
        json!({
            "name": name, "id": id,
            "label": {"text": label, "classes": "govuk-label--s"},
            "hint": hint.map(|text| json!({"text": text})),
            "value": value,
            "errorMessage": errors.message(id),
        })
    };
    let textarea = |name: &str, id: &str, label: &str, value: &str, hint: Option<&str>| {
        let mut area = input(name, id, label, value, hint);
        area["rows"] = json!(3);
        area
    };
    let radios = |name: &str, id: &str, legend: &str, items: Vec<(String, String)>, chosen: &str| {
        json!({
            "name": name, "idPrefix": id,
            "fieldset": {"legend": {"text": legend, "classes": "govuk-fieldset__legend--s"}},
            "items": items.into_iter().map(|(value, text)| {
                let checked = value == chosen;
                json!({"value": value, "text": text, "checked": checked})
            }).collect::<Vec<_>>(),
            "errorMessage": errors.message(id),
        })
    };
    let donor_kinds = DonorKind::ALL.iter().map(|k| (wire_word(*k), words(*k))).collect();
    let kinds = vec![
        (wire_word(DonationKind::Cash), "Money".to_owned()),
        (wire_word(DonationKind::InKind), "In kind: goods or services, at their value".to_owned()),
    ];
    let mut amount = input(
        "amount",
        "amount",
        "Amount, or for a donation in kind its value",
        &form.amount,
        Some(
            "In pounds and pence, for example 1,250 or 12.50. Donations over £500 need the donor's permissibility checked within 30 days.",
        ),
    );
    amount["classes"] = json!("govuk-input--width-10");
    amount["prefix"] = json!({"text": "£"});
    amount["inputmode"] = json!("decimal");
    amount["spellcheck"] = json!(false);
    let title = if at.is_some() { "Correct a donation" } else { "Record a donation" };
    let frame = state.frame(session, Some(person), Section::Donations, title)?;
    state.page_with(
        errors.status(),
        &frame,
        "donation-form.html",
        json!({
            "action": at.map_or_else(|| "/donations".to_owned(), |(id, _)| format!("/donations/{id}")),
            "back": at.map_or_else(|| "/donations".to_owned(), |(id, _)| format!("/donations/{id}")),
            "button": if at.is_some() { "Save the correction" } else { "Record the donation" },
            "version": at.map(|(_, version)| version),
            "organisation": form.organisation,
            "key": key,
            "error_summary": errors.summary(),
            "donor_name": input("donor_name", "donor-name", "Donor's name", &form.donor_name, Some("As the donor gave it: a person's full name, or a company's registered name")),
            "donor_kind": radios("donor_kind", "donor-kind", "Kind of donor", donor_kinds, &form.donor_kind),
            "address": textarea("donor_address", "donor-address", "Donor's address (optional)", &form.address, Some("As on the electoral register or at Companies House")),
            "amount": amount,
            "received": form.received.input(("received", "received"), "The day it was received", Some("For example, 27 3 2026"), errors),
            "kind": radios("kind", "kind", "Given as", kinds, &form.kind),
            "description": textarea("description", "description", "What was given (for a donation in kind)", &form.description, Some("For example, printing 2,000 leaflets")),
            "notes": textarea("notes", "notes", "Notes (optional)", &form.notes, None),
            "reason": at.map(|_| textarea("reason", "reason", "Why it is corrected", &form.reason, Some("For example, the cheque was for £600, not £400"))),
        }),
    )
}

/// The page saying only the office records and corrects donations, if
/// `person` is not of it (the api refuses them too).
fn office_only(state: &State, session: &Session, person: &Person) -> Result<(), PageError> {
    if holds_any(person, OFFICE) {
        return Ok(());
    }
    let advice = "Only Group Officers, the Leader and the Political Assistant record and correct donations.";
    Err(state.message_page(session, Some(person), StatusCode::FORBIDDEN, "You cannot do that", advice))
}

#[get("/donations/new")]
pub(in crate::pages) async fn new_page(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    office_only(&state, &session, &person)?;
    let form = EntryForm {
        donor_kind: wire_word(DonorKind::Individual),
        kind: wire_word(DonationKind::Cash),
        ..EntryForm::default()
    };
    let page = (&**state, &session, &request);
    render_form(page, &person, None, (&form, &FieldErrors::default(), &session::random_hex()))
}

#[post("/donations")]
pub(in crate::pages) async fn record(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    Posted { person, form, key }: Posted,
) -> Result<HttpResponse, PageError> {
    office_only(&state, &session, &person)?;
    let page = (&**state, &session, &request);
    let typed = EntryForm { organisation: String::new(), ..EntryForm::sent(&form) };
    let again = async |errors: FieldErrors| render_form(page, &person, None, (&typed, &errors, &key));
    let body = match typed.record_request() {
        Ok(body) => body,
        Err(errors) => return again(errors).await,
    };
    let sent: Result<DonationView, ApiFailure> =
        state.api.post(&person.token, "/donations", &body, &key).await;
    let to = |made: DonationView| format!("/donations/{}?done=recorded", made.id);
    answered(page, &person, sent, to, (FIELDS, again)).await
}

#[get("/donations/{id}/edit")]
pub(in crate::pages) async fn edit_page(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    office_only(&state, &session, &person)?;
    let donation: DonationView = state.read(&session, &person, &request, &format!("/donations/{id}")).await?;
    let page = (&**state, &session, &request);
    let at = Some((donation.id, donation.version));
    render_form(
        page,
        &person,
        at,
        (&EntryForm::of(&donation), &FieldErrors::default(), &session::random_hex()),
    )
}

#[post("/donations/{id}")]
pub(in crate::pages) async fn correct(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    Posted { person, form, key }: Posted,
) -> Result<HttpResponse, PageError> {
    office_only(&state, &session, &person)?;
    let (id, page) = (*id, (&**state, &session, &request));
    let version = form.version()?;
    let typed = EntryForm::sent(&form);
    let again =
        async |errors: FieldErrors| render_form(page, &person, Some((id, version)), (&typed, &errors, &key));
    let body = match typed.correct_request() {
        Ok(body) => body,
        Err(errors) => return again(errors).await,
    };
    let path = format!("/donations/{id}");
    let sent: Result<DonationView, ApiFailure> =
        state.api.put(&person.token, &path, &body, Some(version), &key).await;
    let to = |made: DonationView| format!("/donations/{}?done=corrected", made.id);
    answered(page, &person, sent, to, (FIELDS, again)).await
}
