//! A donation's page: its details, its permissibility check and its
//! corrections; for the office, the form recording the check while it is
//! still to be made (permissible, or impermissible and returned on a day),
//! and a link to correct the donation.

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use caucus_wire::donations::{DonationView, PermissibilityOutcome, RecordPermissibilityRequest};
use caucus_wire::{NoteText, Pence};
use chrono::Utc;
use serde_json::{Value, json};
use uuid::Uuid;

use super::{DONE, status_words};
use crate::pages::query::DoneQuery;
use crate::pages::record::RecordForms;
use crate::pages::{DateParts, FieldErrors, OFFICE, Page, PageError, Posted, State, signed_in};
use crate::present::{london_day, long_date, status_tag, words};
use crate::render::{Section, holds_any};
use crate::session::{self, Person};

/// The check form's fields, as the api points at them.
const CHECK_FIELDS: &[(&str, &str, &str)] = &[
    ("/outcome", "outcome", "The outcome"),
    ("/checked_on", "checked-day", "The day it was checked"),
    ("/returned_on", "returned-day", "The day it was returned"),
    ("/note", "check-note", "What was checked"),
];

/// The check form as typed (or fresh, dated today, with a new key), and
/// the errors it is shown with.
#[derive(Debug)]
pub(super) struct CheckForm {
    errors: FieldErrors,
    outcome: String,
    checked: DateParts,
    returned: DateParts,
    note: String,
    key: String,
}

impl CheckForm {
    fn fresh() -> Self {
        Self {
            errors: FieldErrors::default(),
            outcome: String::new(),
            checked: DateParts::of(london_day(Utc::now())),
            returned: DateParts::default(),
            note: String::new(),
            key: session::random_hex(),
        }
    }

    /// The request the form makes, or the fields it cannot make one of.
    fn request(&self) -> Result<RecordPermissibilityRequest, FieldErrors> {
        let mut errors = Vec::new();
        let outcome = match self.outcome.as_str() {
            "permissible" => Some(PermissibilityOutcome::Permissible),
            "returned" => Some(PermissibilityOutcome::Returned),
            _ => {
                errors.push(("outcome".to_owned(), "Select whether the donor is permissible".to_owned()));
                None
            }
        };
        let checked_on = self.checked.parse("The day it was checked");
        if let Err(message) = &checked_on {
            errors.push(("checked-day".to_owned(), message.clone()));
        }
        // The day returned is asked only of a returned donation; one typed
        // for a permissible donor is ignored.
        let returned_on = match outcome {
            Some(PermissibilityOutcome::Returned) => match self.returned.parse("The day it was returned") {
                Ok(day) => Some(day),
                Err(message) => {
                    errors.push(("returned-day".to_owned(), message));
                    None
                }
            },
            _ => None,
        };
        match (outcome, checked_on, errors.is_empty()) {
            (Some(outcome), Ok(checked_on), true) => Ok(RecordPermissibilityRequest {
                outcome,
                checked_on,
                returned_on,
                note: Some(self.note.trim().to_owned()).filter(|n| !n.is_empty()).map(NoteText),
            }),
            _ => Err(FieldErrors { errors }),
        }
    }

    /// The form's components' parameters.
    fn params(&self) -> Value {
        let errors = &self.errors;
        let outcomes = [
            (
                "permissible",
                "Permissible: the donation is kept",
                "The donor is on the electoral register, or a permissible company, union or body",
            ),
            (
                "returned",
                "Impermissible: the donation was returned",
                "It counts in no total. Say the day it was returned below",
            ),
        ];
        json!({
            "key": self.key,
            "outcome": {
                "name": "outcome", "idPrefix": "outcome",
                "fieldset": {"legend": {"text": "How did the check come out", "classes": "govuk-fieldset__legend--s"}},
                "items": outcomes.iter().map(|(value, text, hint)| json!({
                    "value": value, "text": text, "hint": {"text": hint}, "checked": self.outcome == *value,
                })).collect::<Vec<_>>(),
                "errorMessage": errors.message("outcome"),
            },
            "checked": self.checked.input(("checked", "checked"), "The day it was checked", Some("For example, 27 3 2026"), errors),
            "returned": self.returned.input(
                ("returned", "returned"),
                "The day it was returned (only if impermissible)",
                Some("For example, 27 3 2026"),
                errors,
            ),
            "note": {
                "name": "note", "id": "check-note", "rows": 3,
                "label": {"text": "What was checked (optional)", "classes": "govuk-label--s"},
                "hint": {"text": "For example, the electoral register, or Companies House"},
                "value": self.note,
                "errorMessage": errors.message("check-note"),
            },
        })
    }
}

/// A donation's permissibility check, in words.
fn check_words(donation: &DonationView) -> String {
    match (&donation.check, donation.check_due_on) {
        (Some(check), _) => match (check.outcome, check.returned_on) {
            (PermissibilityOutcome::Returned, Some(returned)) => format!(
                "Impermissible: checked on {}, returned on {}",
                long_date(check.checked_on),
                long_date(returned)
            ),
            _ => format!("Permissible: checked on {}", long_date(check.checked_on)),
        },
        (None, Some(due)) if donation.check_overdue => format!("Overdue: it was due by {}", long_date(due)),
        (None, Some(due)) => format!("To be made by {}", long_date(due)),
        (None, None) => "Not needed".to_owned(),
    }
}

impl RecordForms for CheckForm {
    const PATH: &'static str = "/donations";
    type Loaded = DonationView;

    async fn load(
        (state, session, request): Page<'_>,
        person: &Person,
        id: Uuid,
    ) -> Result<DonationView, PageError> {
        state.read(session, person, request, &format!("/donations/{id}")).await
    }

    fn render(
        self,
        (state, session, _): Page<'_>,
        person: &Person,
        donation: &DonationView,
        banner: Option<&str>,
    ) -> Result<HttpResponse, PageError> {
        let text = |key: &str, value: String| json!({"key": {"text": key}, "value": {"text": value}});
        let mut rows = vec![
            json!({"key": {"text": "Status"}, "value": {"html": status_tag(donation.status, status_words)}}),
            text("Received", long_date(donation.received_on)),
            text("Kind of donor", words(donation.donor.kind)),
            text("Amount", Pence::unsigned(donation.amount_pence).to_string()),
            text("Given as", words(donation.kind)),
            text("Permissibility check", check_words(donation)),
        ];
        if let Some(address) = &donation.donor.address {
            rows.insert(3, text("Address", address.clone()));
        }
        if let Some(description) = &donation.description {
            rows.push(text("What was given", description.clone()));
        }
        if let Some(note) = donation.check.as_ref().and_then(|c| c.note.clone()) {
            rows.push(text("What was checked", note));
        }
        if let Some(notes) = &donation.notes {
            rows.push(text("Notes", notes.clone()));
        }
        let corrections: Vec<Value> = donation
            .corrections
            .iter()
            .map(|c| json!([{"text": long_date(c.on)}, {"text": c.reason}]))
            .collect();
        let office = holds_any(person, OFFICE);
        // The check is recorded once; a donation needing none has no form.
        let checkable = office && donation.check.is_none() && donation.check_due_on.is_some();
        let frame = state.frame(session, Some(person), Section::Donations, donation.donor.name.clone())?;
        state.page_with(
            self.errors.status(),
            &frame,
            "donation.html",
            json!({
                "id": donation.id,
                "year": donation.year,
                "banner": banner.map(|text| json!({"type": "success", "text": text})),
                "error_summary": self.errors.summary(),
                "summary": {"rows": rows},
                "office": office,
                "check": checkable.then(|| self.params()),
                "corrections": {
                    "caption": "Corrections",
                    "captionClasses": "govuk-table__caption--m",
                    "head": [{"text": "Corrected on"}, {"text": "Why"}],
                    "rows": corrections,
                },
                "corrected": !donation.corrections.is_empty(),
            }),
        )
    }

    fn errors(&self) -> &FieldErrors {
        &self.errors
    }
}

#[get("/donations/{id}")]
pub(in crate::pages) async fn donation_page(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    query: web::Query<DoneQuery>,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let page = (&**state, &session, &request);
    CheckForm::fresh().shown(page, &person, *id, query.banner(DONE)).await
}

#[post("/donations/{id}/permissibility")]
pub(in crate::pages) async fn record_check(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    Posted { person, form, key }: Posted,
) -> Result<HttpResponse, PageError> {
    let (id, page) = (*id, (&**state, &session, &request));
    let typed = CheckForm {
        errors: FieldErrors::default(),
        outcome: form.text("outcome"),
        checked: form.date("checked"),
        returned: form.date("returned"),
        note: form.text("note"),
        key: key.clone(),
    };
    let body = match typed.request() {
        Ok(body) => body,
        Err(errors) => return CheckForm { errors, ..typed }.refused(page, &person, id).await,
    };
    let refused = |errors| CheckForm { errors, ..typed };
    CheckForm::send(page, &person, (id, "permissibility", "checked"), (&body, &key), (CHECK_FIELDS, refused))
        .await
}
