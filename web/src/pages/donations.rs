//! Probity (issue 18): donations to the group's own funds, read-only for
//! now: a calendar year's register (each donation, and each donor's year
//! total against the reporting threshold) and a donation's page with its
//! permissibility check. Recording, correcting and checking go through the
//! api until their forms come.

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, get, web};
use caucus_wire::Pence;
use caucus_wire::donations::{
    DonationStatus, DonationView, DonationsRegisterView, FIRST_DONATION_YEAR, LAST_DONATION_YEAR,
    PermissibilityOutcome, ReportingStandingWord,
};
use chrono::{Datelike, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use super::{PageError, State, signed_in};
use crate::present::{long_date, status_tag, words};
use crate::render::Section;

/// How a donation's status reads, and the colour of its tag.
fn status_words(status: DonationStatus) -> (&'static str, &'static str) {
    match status {
        DonationStatus::Received => ("Received", "govuk-tag--grey"),
        DonationStatus::AwaitingCheck => ("Check due", "govuk-tag--yellow"),
        DonationStatus::Permissible => ("Permissible", "govuk-tag--green"),
        DonationStatus::Returned => ("Returned", "govuk-tag--red"),
    }
}

/// How a donor's year total stands, and the colour of its tag.
fn standing_words(standing: ReportingStandingWord) -> (&'static str, &'static str) {
    match standing {
        ReportingStandingWord::Below => ("Below", "govuk-tag--grey"),
        ReportingStandingWord::Nearing => ("Nearing", "govuk-tag--yellow"),
        ReportingStandingWord::Reportable => ("Reportable", "govuk-tag--red"),
    }
}

/// The register's query: the calendar year, as typed.
#[derive(Debug, serde::Deserialize)]
pub(super) struct YearQuery {
    year: Option<String>,
}

#[get("/donations")]
pub(super) async fn register(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    query: web::Query<YearQuery>,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    // A year the api does not keep is this year: the links only offer kept ones.
    let this_year = Utc::now().year();
    let year = query
        .year
        .as_deref()
        .and_then(|typed| typed.trim().parse::<i32>().ok())
        .filter(|y| (FIRST_DONATION_YEAR..=LAST_DONATION_YEAR).contains(y))
        .unwrap_or(this_year);
    let path = format!("/donations-register?year={year}");
    let register: DonationsRegisterView = state.read(&session, &person, &request, &path).await?;
    let donations: Vec<Value> = register
        .donations
        .iter()
        .map(|d| {
            let donor = format!(
                "<a class=\"govuk-link\" href=\"/donations/{}\">{}</a>",
                d.id,
                tera::escape_html(&d.donor_name)
            );
            json!([
                {"text": long_date(d.received_on)},
                {"html": donor},
                {"text": words(d.kind)},
                {"text": Pence::unsigned(d.amount_pence).to_string(), "format": "numeric"},
                {"html": status_tag(d.status, status_words)},
            ])
        })
        .collect();
    let donors: Vec<Value> = register
        .donors
        .iter()
        .map(|d| {
            json!([
                {"text": d.donor_name},
                {"text": words(d.donor_kind)},
                {"text": d.donations.to_string(), "format": "numeric"},
                {"text": Pence::unsigned(d.total_pence).to_string(), "format": "numeric"},
                {"html": status_tag(d.standing, standing_words)},
            ])
        })
        .collect();
    let thresholds = format!(
        "A donor's total for the year is reportable at {} and nearing it from {}. Donations over {} need the donor's permissibility checked within 30 days. A returned donation counts in no total.",
        Pence::unsigned(register.reporting_threshold_pence),
        Pence::unsigned(register.warning_from_pence),
        Pence::unsigned(register.check_threshold_pence),
    );
    let year_link = |y: i32| json!({"href": format!("/donations?year={y}"), "text": y.to_string()});
    let frame = state.frame(&session, Some(&person), Section::Donations, format!("Donations in {year}"))?;
    state.page(
        &frame,
        "donations.html",
        json!({
            "thresholds": thresholds,
            "total": format!("{} counted in {year}.", Pence::unsigned(register.total_pence)),
            "earlier": (year > FIRST_DONATION_YEAR).then(|| year_link(year - 1)),
            "later": (year < this_year.min(LAST_DONATION_YEAR)).then(|| year_link(year + 1)),
            "donations": {
                "caption": "Donations received",
                "captionClasses": "govuk-table__caption--m",
                "head": [
                    {"text": "Received"}, {"text": "Donor"}, {"text": "Kind"},
                    {"text": "Amount", "format": "numeric"}, {"text": "Status"},
                ],
                "rows": donations,
            },
            "donors": {
                "caption": "Each donor's total for the year",
                "captionClasses": "govuk-table__caption--m",
                "head": [
                    {"text": "Donor"}, {"text": "Kind of donor"}, {"text": "Donations", "format": "numeric"},
                    {"text": "Total", "format": "numeric"}, {"text": "Reporting"},
                ],
                "rows": donors,
            },
            "count": register.donations.len(),
        }),
    )
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

#[get("/donations/{id}")]
pub(super) async fn donation_page(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let donation: DonationView = state.read(&session, &person, &request, &format!("/donations/{id}")).await?;
    let text = |key: &str, value: String| json!({"key": {"text": key}, "value": {"text": value}});
    let mut rows = vec![
        json!({"key": {"text": "Status"}, "value": {"html": status_tag(donation.status, status_words)}}),
        text("Received", long_date(donation.received_on)),
        text("Kind of donor", words(donation.donor.kind)),
        text("Amount", Pence::unsigned(donation.amount_pence).to_string()),
        text("Given as", words(donation.kind)),
        text("Permissibility check", check_words(&donation)),
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
    let corrections: Vec<Value> =
        donation.corrections.iter().map(|c| json!([{"text": long_date(c.on)}, {"text": c.reason}])).collect();
    let frame = state.frame(&session, Some(&person), Section::Donations, donation.donor.name.clone())?;
    state.page(
        &frame,
        "donation.html",
        json!({
            "year": donation.year,
            "summary": {"rows": rows},
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
