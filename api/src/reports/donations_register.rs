//! The donations register of a calendar year: every donation received in it
//! (returned ones included, marked as counting in no total; those of £500 or
//! less, not relevant donations, marked as not counting towards reporting),
//! and each donor's year total and reportable total, the latter judged
//! against the reporting threshold. Pure: the records in, the register out,
//! as JSON or CSV.

use std::collections::BTreeMap;

use crate::domain::Pence;
use caucus_wire::donations::{DonationsRegisterLine, DonationsRegisterView, DonorTotalView};
use chrono::{DateTime, Datelike, Utc};
use uuid::Uuid;

use crate::domain::donation::{CheckOutcome, Donation, ReportingStanding, Thresholds};

/// The register of `year` from `donations` (any year's: the others are left
/// out), as they stood at `as_of` if they were read as of an instant.
pub fn build(
    donations: &[(Uuid, Donation)],
    (year, as_of): (i32, Option<DateTime<Utc>>),
    thresholds: Thresholds,
) -> DonationsRegisterView {
    let mut lines: Vec<DonationsRegisterLine> = donations
        .iter()
        .filter_map(|(id, donation)| {
            let draft = donation.draft.as_ref().filter(|d| d.received_on.year() == year)?;
            let status = donation.status.try_into().ok()?;
            let returned_on = match donation.check.as_ref().map(|c| c.outcome) {
                Some(CheckOutcome::ImpermissibleReturned { returned_on }) => Some(returned_on),
                _ => None,
            };
            let line = DonationsRegisterLine {
                id: *id,
                received_on: draft.received_on,
                donor_name: draft.donor.name.to_string(),
                donor_kind: draft.donor.kind.into(),
                donor_address: draft.donor.address.as_ref().map(ToString::to_string),
                donor_key: draft.donor.key(),
                amount_pence: draft.amount_pence,
                kind: draft.kind.into(),
                description: draft.description.as_ref().map(ToString::to_string),
                status,
                check_due_on: donation.check_due_on,
                checked_on: donation.check.as_ref().map(|c| c.checked_on),
                returned_on,
                counts_in_totals: donation.counts_in_totals(),
                counts_towards_reporting: donation.counts_towards_reporting(thresholds.check_pence),
            };
            Some(line)
        })
        .collect();
    lines.sort_by_key(|line| (line.received_on, line.id));

    // Added up by donor key; the name and kind shown are the latest donation's.
    let mut totals: BTreeMap<String, DonorTotalView> = BTreeMap::new();
    for line in lines.iter().filter(|line| line.counts_in_totals) {
        let total = totals.entry(line.donor_key.clone()).or_insert_with(|| DonorTotalView {
            donor_key: line.donor_key.clone(),
            donor_name: line.donor_name.clone(),
            donor_kind: line.donor_kind,
            donations: 0,
            total_pence: 0,
            reportable_pence: 0,
            standing: ReportingStanding::Below.into(),
        });
        total.donor_name.clone_from(&line.donor_name);
        total.donor_kind = line.donor_kind;
        total.donations += 1;
        total.total_pence = total.total_pence.saturating_add(line.amount_pence);
        if line.counts_towards_reporting {
            total.reportable_pence = total.reportable_pence.saturating_add(line.amount_pence);
        }
    }
    let mut donors: Vec<DonorTotalView> = totals
        .into_values()
        .map(|mut total| {
            total.standing = ReportingStanding::of(total.reportable_pence, thresholds.reporting_pence).into();
            total
        })
        .collect();
    donors.sort_by(|a, b| {
        (b.reportable_pence, b.total_pence)
            .cmp(&(a.reportable_pence, a.total_pence))
            .then_with(|| a.donor_key.cmp(&b.donor_key))
    });
    let total_pence = donors.iter().fold(0u64, |sum, d| sum.saturating_add(d.total_pence));
    DonationsRegisterView {
        year,
        reporting_threshold_pence: thresholds.reporting_pence,
        warning_from_pence: ReportingStanding::warning_from(thresholds.reporting_pence),
        check_threshold_pence: thresholds.check_pence,
        as_of,
        donations: lines,
        donors,
        total_pence,
    }
}

/// A text cell as a spreadsheet should take it: one that starts like a
/// formula is prefixed with an apostrophe, so opening the register never runs
/// what a donor's name says.
fn cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}") } else { text.to_owned() }
}

fn word(value: impl serde::Serialize) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

/// The register as CSV: one row per donation, whether it counts towards
/// reporting, with its donor's year total, reportable total and standing;
/// amounts in pence and in pounds.
pub fn to_csv(register: &DonationsRegisterView) -> Result<String, csv::Error> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record([
        "id",
        "received_on",
        "donor_name",
        "donor_kind",
        "donor_address",
        "donor_key",
        "kind",
        "description",
        "amount_pence",
        "amount",
        "status",
        "check_due_on",
        "checked_on",
        "returned_on",
        "counts_in_totals",
        "counts_towards_reporting",
        "donor_year_total_pence",
        "donor_year_total",
        "donor_reportable_pence",
        "donor_reportable",
        "donor_standing",
    ])?;
    let day = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    for line in &register.donations {
        let donor = register.donors.iter().find(|d| d.donor_key == line.donor_key);
        let total = donor.map_or(0, |d| d.total_pence);
        let reportable = donor.map_or(0, |d| d.reportable_pence);
        out.write_record([
            line.id.to_string(),
            line.received_on.to_string(),
            cell(&line.donor_name),
            word(line.donor_kind),
            cell(line.donor_address.as_deref().unwrap_or_default()),
            line.donor_key.clone(),
            word(line.kind),
            cell(line.description.as_deref().unwrap_or_default()),
            line.amount_pence.to_string(),
            Pence::unsigned(line.amount_pence).to_string(),
            word(line.status),
            day(line.check_due_on),
            day(line.checked_on),
            day(line.returned_on),
            line.counts_in_totals.to_string(),
            line.counts_towards_reporting.to_string(),
            total.to_string(),
            Pence::unsigned(total).to_string(),
            reportable.to_string(),
            Pence::unsigned(reportable).to_string(),
            donor.map(|d| word(d.standing)).unwrap_or_default(),
        ])?;
    }
    let bytes = out.into_inner().map_err(|e| csv::Error::from(e.into_error()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{
        GroupId, Note, Title,
        donation::{DonationDraft, DonationEvent, DonationKind, Donor, DonorKind, PermissibilityCheck},
    };
    use cqrs_es::Aggregate;

    fn donation(name: &str, pence: u64, on: &str, returned: bool) -> (Uuid, Donation) {
        let received_on: chrono::NaiveDate = on.parse().expect("day");
        let draft = DonationDraft {
            received_on,
            donor: Donor {
                kind: DonorKind::Individual,
                name: Title::parse(name).expect("name"),
                address: None,
                organisation_id: None,
            },
            amount_pence: pence,
            kind: DonationKind::Cash,
            description: None,
            notes: None,
        };
        let mut record = Donation::default();
        let check_due_on = crate::domain::donation::check_due_on(received_on, pence, 50_000);
        let group_id = GroupId::parse("newham-labour").expect("group");
        record.apply(DonationEvent::DonationRecorded { group_id, draft, check_due_on });
        if returned {
            let outcome =
                crate::domain::donation::CheckOutcome::ImpermissibleReturned { returned_on: received_on };
            let check = PermissibilityCheck {
                outcome,
                checked_on: received_on,
                by: "t".into(),
                note: Some(Note::parse("Not on the electoral register").expect("note")),
            };
            record.apply(DonationEvent::PermissibilityChecked { check });
        }
        (Uuid::now_v7(), record)
    }

    #[test]
    fn a_donor_s_total_is_the_year_s_donations_that_count_and_its_standing() {
        let donations = [
            donation("Jane Smith", 600_000, "2026-01-01", false),
            donation("jane  smith", 300_000, "2026-12-31", false),
            donation("Jane Smith", 500_000, "2026-06-01", true),
            donation("Jane Smith", 900_000, "2025-12-31", false),
            donation("=cmd()", 10_000, "2026-03-01", false),
        ];
        let register = build(&donations, (2026, None), Thresholds::default());
        assert_eq!(register.donations.len(), 4, "the year's, returned included");
        let jane = &register.donors[0];
        assert_eq!(
            (jane.donor_key.as_str(), jane.donations, jane.total_pence),
            ("donor:jane-smith", 2, 900_000)
        );
        assert_eq!(ReportingStanding::from(jane.standing), ReportingStanding::Nearing);
        assert_eq!(register.total_pence, 910_000);
        let csv = to_csv(&register).expect("csv");
        assert_eq!(csv.lines().count(), 5);
        assert!(csv.contains(",'=cmd(),"), "{csv}");
        assert!(csv.contains("900000,\"£9,000.00\",900000,\"£9,000.00\",nearing"), "{csv}");
    }

    #[test]
    fn a_donation_of_500_pounds_or_less_stays_in_the_register_but_counts_towards_no_reportable_total() {
        let donations = [
            donation("Jane Smith", 1_000_000, "2026-01-10", false),
            // £500 exactly, many times: each disregarded, however many (Sch. 7 para 10).
            donation("Jane Smith", 50_000, "2026-02-10", false),
            donation("Jane Smith", 50_000, "2026-03-10", false),
            donation("Jane Smith", 50_000, "2026-04-10", false),
            donation("Jane Smith", 50_001, "2026-05-10", false),
            donation("Bob Jones", 40_000, "2026-05-11", false),
        ];
        let register = build(&donations, (2026, None), Thresholds::default());
        assert_eq!(register.donations.len(), 6, "every donation is listed");
        let counting: Vec<bool> = register.donations.iter().map(|d| d.counts_towards_reporting).collect();
        assert_eq!(counting, [true, false, false, false, true, false]);
        assert!(register.donations.iter().all(|d| d.counts_in_totals), "all kept");
        let jane = &register.donors[0];
        assert_eq!((jane.donations, jane.total_pence, jane.reportable_pence), (5, 1_200_001, 1_050_001));
        assert_eq!(
            ReportingStanding::from(jane.standing),
            ReportingStanding::Nearing,
            "£12,000.01 given, but £10,500.01 of relevant donations: not yet reportable"
        );
        let bob = &register.donors[1];
        assert_eq!((bob.total_pence, bob.reportable_pence), (40_000, 0));
        assert_eq!(ReportingStanding::from(bob.standing), ReportingStanding::Below);
        assert_eq!(register.total_pence, 1_240_001, "the group's donations, whatever their size");

        // The limit is the configured check threshold.
        let lower = Thresholds { check_pence: 20_000, ..Thresholds::default() };
        let register = build(&donations, (2026, None), lower);
        assert!(register.donations.iter().all(|d| d.counts_towards_reporting));
        assert_eq!(ReportingStanding::from(register.donors[0].standing), ReportingStanding::Reportable);

        let csv = to_csv(&register).expect("csv");
        let header = csv.lines().next().expect("header");
        assert!(header.contains("counts_in_totals,counts_towards_reporting"), "{header}");
        let bob_row = csv.lines().find(|l| l.contains("Bob Jones")).expect("bob");
        assert!(bob_row.contains("true,true,40000,£400.00,40000,£400.00,below"), "{bob_row}");
    }
}
