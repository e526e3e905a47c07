//! Probity (issue 18): donations to the group's own funds: a calendar
//! year's register (each donation, whether it counts towards reporting, and
//! each donor's year total and reportable total against the reporting
//! threshold), now or as it stood at the end of a day. A donation's page
//! with its permissibility check and the check's form is in
//! `donations/donation.rs`; the forms recording and correcting a donation
//! are in `donations/entry.rs`.

mod donation;
mod entry;

pub(super) use donation::{donation_page, record_check};
pub(super) use entry::{correct, edit_page, new_page, record};

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, get, web};
use caucus_wire::Pence;
use caucus_wire::donations::{
    DonationStatus, DonationsRegisterView, FIRST_DONATION_YEAR, LAST_DONATION_YEAR, ReportingStandingWord,
};
use chrono::{Datelike, NaiveDate, Utc};
use serde_json::{Value, json};

use super::{DateParts, FieldErrors, OFFICE, PageError, State, signed_in};
use crate::present::{london_day, london_day_end, long_date, status_tag, words};
use crate::render::{Section, holds_any};

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

/// What `?done=` says was just done, word by word (on a donation's page).
const DONE: &[(&str, &str)] = &[
    ("recorded", "The donation was recorded"),
    ("corrected", "The donation was corrected"),
    ("checked", "The permissibility check was recorded"),
];

/// The register's query: the calendar year, and the day to see it as it
/// stood at the end of (a GOV.UK date input), as typed.
#[derive(Debug, Default, serde::Deserialize)]
pub(super) struct RegisterQuery {
    year: Option<String>,
    #[serde(rename = "as_of-day", default)]
    day: String,
    #[serde(rename = "as_of-month", default)]
    month: String,
    #[serde(rename = "as_of-year", default)]
    as_of_year: String,
}

impl RegisterQuery {
    /// The day typed, none if nothing was, or why it is not one (at the
    /// date input's first field).
    fn day(&self, today: NaiveDate) -> Result<Option<NaiveDate>, (String, String)> {
        let typed =
            DateParts { day: self.day.clone(), month: self.month.clone(), year: self.as_of_year.clone() };
        if typed.is_blank() {
            return Ok(None);
        }
        let at_field = |message: String| ("as_of-day".to_owned(), message);
        match typed.parse("The date") {
            Ok(day) if day > today => Err(at_field("The date must be today or in the past".to_owned())),
            Ok(day) if day.year() < FIRST_DONATION_YEAR => {
                Err(at_field(format!("The date must be in {FIRST_DONATION_YEAR} or later")))
            }
            Ok(day) => Ok(Some(day)),
            Err(message) => Err(at_field(message)),
        }
    }

    /// The year asked for: a year the api does not keep is this year (the
    /// links only offer kept ones).
    fn year(&self, this_year: i32) -> i32 {
        self.year
            .as_deref()
            .and_then(|typed| typed.trim().parse::<i32>().ok())
            .filter(|y| (FIRST_DONATION_YEAR..=LAST_DONATION_YEAR).contains(y))
            .unwrap_or(this_year)
    }
}

#[get("/donations")]
pub(super) async fn register(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    query: web::Query<RegisterQuery>,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let today = london_day(Utc::now());
    let this_year = today.year();
    let mut errors = FieldErrors::default();
    // A day chosen shows its year's register as it stood at the end of that day.
    let stood_on = query.day(today).unwrap_or_else(|error| {
        errors.errors.push(error);
        None
    });
    let year = stood_on.map_or_else(|| query.year(this_year), |day| day.year());
    let path = match stood_on {
        None => format!("/donations-register?year={year}"),
        Some(day) => {
            let at = london_day_end(day).to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
            let query =
                serde_urlencoded::to_string([("year", year.to_string()), ("as_of", at)]).unwrap_or_default();
            format!("/donations-register?{query}")
        }
    };
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
                {"text": if d.counts_towards_reporting { "Yes" } else { "No" }},
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
                {"text": Pence::unsigned(d.reportable_pence).to_string(), "format": "numeric"},
                {"html": status_tag(d.standing, standing_words)},
            ])
        })
        .collect();
    let check = Pence::unsigned(register.check_threshold_pence);
    let thresholds = format!(
        "A donor's reportable total for the year is reportable at {} and nearing it from {}. Only donations over {check} count towards it: smaller ones are listed but are not relevant donations. Donations over {check} need the donor's permissibility checked within 30 days. A returned donation counts in no total.",
        Pence::unsigned(register.reporting_threshold_pence),
        Pence::unsigned(register.warning_from_pence),
    );
    let year_link = |y: i32| json!({"href": format!("/donations?year={y}"), "text": y.to_string()});
    let title = match stood_on {
        Some(day) => format!("Donations in {year} as they stood on {}", long_date(day)),
        None => format!("Donations in {year}"),
    };
    let shown = stood_on.map_or_else(DateParts::default, DateParts::of);
    let typed = if errors.errors.is_empty() {
        shown
    } else {
        DateParts { day: query.day.clone(), month: query.month.clone(), year: query.as_of_year.clone() }
    };
    let frame = state.frame(&session, Some(&person), Section::Donations, title)?;
    state.page_with(
        errors.status(),
        &frame,
        "donations.html",
        json!({
            "thresholds": thresholds,
            "total": format!("{} counted in {year}.", Pence::unsigned(register.total_pence)),
            "office": holds_any(&person, OFFICE),
            "error_summary": errors.summary(),
            "as_of": typed.input(
                ("as_of", "as_of"),
                "See the register as it stood on",
                Some("For example, 27 3 2026. It shows the register of that day's year at the end of the day."),
                &errors,
            ),
            "stood": stood_on.is_some(),
            "earlier": (year > FIRST_DONATION_YEAR).then(|| year_link(year - 1)),
            "later": (year < this_year.min(LAST_DONATION_YEAR)).then(|| year_link(year + 1)),
            "donations": {
                "caption": "Donations received",
                "captionClasses": "govuk-table__caption--m",
                "head": [
                    {"text": "Received"}, {"text": "Donor"}, {"text": "Kind"},
                    {"text": "Amount", "format": "numeric"}, {"text": "Status"},
                    {"text": "Counts towards reporting"},
                ],
                "rows": donations,
            },
            "donors": {
                "caption": "Each donor's total for the year",
                "captionClasses": "govuk-table__caption--m",
                "head": [
                    {"text": "Donor"}, {"text": "Kind of donor"}, {"text": "Donations", "format": "numeric"},
                    {"text": "Total", "format": "numeric"}, {"text": "Reportable total", "format": "numeric"},
                    {"text": "Reporting"},
                ],
                "rows": donors,
            },
            "count": register.donations.len(),
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(day: &str, month: &str, year: &str) -> RegisterQuery {
        RegisterQuery {
            day: day.into(),
            month: month.into(),
            as_of_year: year.into(),
            ..RegisterQuery::default()
        }
    }

    #[test]
    fn the_day_to_see_the_register_on_is_checked_as_govuk_asks() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 7).expect("day");
        assert_eq!(query("", "", "").day(today), Ok(None));
        assert_eq!(query("3", "3", "2026").day(today), Ok(NaiveDate::from_ymd_opt(2026, 3, 3)));
        let error = |q: RegisterQuery| q.day(today).expect_err("refused");
        assert_eq!(error(query("8", "12", "2026")).1, "The date must be today or in the past");
        assert_eq!(error(query("31", "2", "2026")).1, "The date must be a real date");
        assert_eq!(error(query("3", "", "2026")).1, "The date must include a month");
        assert_eq!(error(query("3", "3", "1999")).0, "as_of-day");
    }
}
