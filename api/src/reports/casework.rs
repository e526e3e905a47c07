//! The casework report of a period: counts only, never a resident's personal
//! data or a case's texts, so the whole group (and its report back) may see
//! it. What was opened and closed, by category, ward and outcome; what is open
//! with each organisation and how much of it is late; how long each
//! organisation took to answer, in working days; the longest overdue.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use uuid::Uuid;

use super::report_back::Period;
use crate::domain::{WorkingDays, case::Case};

/// How many of the longest overdue cases the report lists.
pub const LONGEST_OVERDUE: usize = 10;

/// A count under a name (a category, a ward, an outcome).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally {
    /// The name.
    pub name: String,
    /// How many.
    pub count: u32,
}

/// One organisation's open referrals, as the report is read.
#[derive(Debug, Clone, PartialEq)]
pub struct OrganisationLoad {
    /// The organisation.
    pub organisation_id: Uuid,
    /// Its name (as the latest referral recorded it).
    pub organisation: String,
    /// Open referrals with it.
    pub open: u32,
    /// Of those, how many have something past due.
    pub overdue: u32,
    /// Answers to referrals received in the period.
    pub answered: u32,
    /// The median working days from referral to answer, of those answers.
    pub median_working_days_to_answer: Option<f64>,
}

/// An open case with something past due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverdueCase {
    /// The case.
    pub case_id: Uuid,
    /// Its category.
    pub category: String,
    /// Its ward.
    pub ward: String,
    /// The organisation it waits on.
    pub organisation: String,
    /// The day something fell due.
    pub due_on: NaiveDate,
    /// Working days since then, to the day the report is read.
    pub working_days_overdue: u32,
}

/// The casework report.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseworkReport {
    /// The period.
    pub period: Period,
    /// The day it was read on (what is open and overdue is as of then).
    pub today: NaiveDate,
    /// Cases received in the period.
    pub opened: u32,
    /// Cases closed in the period.
    pub closed: u32,
    /// Cases open today.
    pub open: u32,
    /// Open cases with something past due today.
    pub overdue: u32,
    /// Cases received in the period, by category.
    pub opened_by_category: Vec<Tally>,
    /// Cases received in the period, by ward.
    pub opened_by_ward: Vec<Tally>,
    /// Cases closed in the period, by category.
    pub closed_by_category: Vec<Tally>,
    /// Cases closed in the period, by outcome.
    pub closed_by_outcome: Vec<Tally>,
    /// Open referrals and answer times, by organisation (by name).
    pub organisations: Vec<OrganisationLoad>,
    /// The longest overdue open cases, the longest first.
    pub longest_overdue: Vec<OverdueCase>,
}

fn tallies(counts: BTreeMap<String, u32>) -> Vec<Tally> {
    counts.into_iter().map(|(name, count)| Tally { name, count }).collect()
}

fn median(mut values: Vec<u32>) -> Option<f64> {
    values.sort_unstable();
    let n = values.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(f64::from(values[n / 2])),
        _ => Some((f64::from(values[n / 2 - 1]) + f64::from(values[n / 2])) / 2.0),
    }
}

/// Builds the report of `period` from every case of the group, as read on
/// `today`, counting in `calendar`'s working days.
pub fn build(
    period: Period,
    today: NaiveDate,
    calendar: &WorkingDays,
    cases: &[(Uuid, Case)],
) -> CaseworkReport {
    let text = |value: Option<String>| value.unwrap_or_default();
    let mut report = CaseworkReport {
        period,
        today,
        opened: 0,
        closed: 0,
        open: 0,
        overdue: 0,
        opened_by_category: Vec::new(),
        opened_by_ward: Vec::new(),
        closed_by_category: Vec::new(),
        closed_by_outcome: Vec::new(),
        organisations: Vec::new(),
        longest_overdue: Vec::new(),
    };
    let (mut opened_by_category, mut opened_by_ward) = (BTreeMap::new(), BTreeMap::new());
    let (mut closed_by_category, mut closed_by_outcome) = (BTreeMap::new(), BTreeMap::new());
    let mut organisations: BTreeMap<Uuid, (String, u32, u32, Vec<u32>)> = BTreeMap::new();
    for (id, case) in cases {
        let category = text(case.category.as_ref().map(|c| c.as_str().to_owned()));
        let ward = text(case.ward.as_ref().map(ToString::to_string));
        if case.received_on.is_some_and(|day| period.contains(day)) {
            report.opened += 1;
            *opened_by_category.entry(category.clone()).or_insert(0) += 1;
            *opened_by_ward.entry(ward.clone()).or_insert(0) += 1;
        }
        if let Some(closure) = case.closure.as_ref().filter(|c| period.contains(c.on)) {
            report.closed += 1;
            *closed_by_category.entry(category.clone()).or_insert(0) += 1;
            let outcome: &'static str = closure.outcome.into();
            *closed_by_outcome.entry(outcome.to_owned()).or_insert(0) += 1;
        }
        for referral in &case.referrals {
            let entry = organisations
                .entry(referral.organisation_id)
                .or_insert_with(|| (referral.organisation.to_string(), 0, 0, Vec::new()));
            entry.0 = referral.organisation.to_string();
            if let Some(answer) = referral.response.as_ref().filter(|a| period.contains(a.on)) {
                entry.3.push(calendar.working_days_between(referral.referred_on, answer.on));
            }
        }
        if case.closure.is_some() {
            continue;
        }
        report.open += 1;
        let Some(referral) = case.open_referral() else { continue };
        let entry = organisations.entry(referral.organisation_id).or_default();
        entry.1 += 1;
        if let Some(due_on) = case.next_due_on().filter(|due| *due < today) {
            entry.2 += 1;
            report.overdue += 1;
            report.longest_overdue.push(OverdueCase {
                case_id: *id,
                category,
                ward,
                organisation: referral.organisation.to_string(),
                due_on,
                working_days_overdue: calendar.working_days_between(due_on, today),
            });
        }
    }
    report.opened_by_category = tallies(opened_by_category);
    report.opened_by_ward = tallies(opened_by_ward);
    report.closed_by_category = tallies(closed_by_category);
    report.closed_by_outcome = tallies(closed_by_outcome);
    report.organisations = organisations
        .into_iter()
        .map(|(organisation_id, (organisation, open, overdue, answers))| OrganisationLoad {
            organisation_id,
            organisation,
            open,
            overdue,
            answered: u32::try_from(answers.len()).unwrap_or(u32::MAX),
            median_working_days_to_answer: median(answers),
        })
        .collect();
    report
        .organisations
        .sort_by(|a, b| (&a.organisation, a.organisation_id).cmp(&(&b.organisation, b.organisation_id)));
    report.longest_overdue.sort_by_key(|c| (std::cmp::Reverse(c.working_days_overdue), c.due_on, c.case_id));
    report.longest_overdue.truncate(LONGEST_OVERDUE);
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{
        GroupId, Sealed, Title,
        case::{CaseEvent, Channel, Outcome},
        organisation::ResponseTargets,
        publication::Slug,
    };

    fn date(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    fn case(category: &str, ward: &str, received: &str) -> Case {
        let mut case = Case::default();
        case.apply(CaseEvent::CaseOpened {
            group_id: GroupId::parse("newham-labour").expect("group"),
            resident_id: Uuid::from_u128(9),
            ward: Title::parse(ward).expect("ward"),
            category: Slug::parse(category).expect("category"),
            channel: Channel::Email,
            summary: Sealed::from_stored("sealed:v1:x:y".into()),
            special_category: None,
            owner_id: Uuid::from_u128(1),
            shared_with: vec![],
            received_on: date(received),
        });
        case
    }

    fn refer(case: &mut Case, organisation: u128, name: &str, on: &str) {
        let calendar = WorkingDays::default();
        let targets = ResponseTargets::default();
        case.apply(CaseEvent::CaseReferred {
            organisation_id: Uuid::from_u128(organisation),
            organisation: Title::parse(name).expect("name"),
            targets,
            referred_on: date(on),
            acknowledge_by: calendar.due(date(on), targets.acknowledge),
            reply_by: calendar.due(date(on), targets.reply),
            details_shared: false,
            their_reference: None,
        });
    }

    use cqrs_es::Aggregate as _;

    #[test]
    fn the_report_counts_and_never_names_a_resident() {
        let calendar = WorkingDays::default();
        let mut answered = case("repairs", "Beckton", "2026-04-01");
        refer(&mut answered, 5, "Housing Repairs", "2026-04-02");
        // Answered on 20 April: ten working days (Easter passed over).
        answered.apply(CaseEvent::ReferralAnswered {
            on: date("2026-04-20"),
            summary: Sealed::from_stored("sealed:v1:x:z".into()),
        });
        answered.apply(CaseEvent::CaseClosed {
            on: date("2026-04-21"),
            outcome: Outcome::Resolved,
            note: None,
        });
        let mut late = case("repairs", "Canning Town North", "2026-04-10");
        refer(&mut late, 5, "Housing Repairs", "2026-04-13");
        let quiet = case("parking", "Beckton", "2026-03-01");
        let cases =
            vec![(Uuid::from_u128(1), answered), (Uuid::from_u128(2), late), (Uuid::from_u128(3), quiet)];
        let period = Period { from: date("2026-04-01"), to: date("2026-04-30") };
        let report = build(period, date("2026-05-01"), &calendar, &cases);
        assert_eq!((report.opened, report.closed, report.open, report.overdue), (2, 1, 2, 1));
        assert_eq!(report.opened_by_category, vec![Tally { name: "repairs".into(), count: 2 }]);
        assert_eq!(report.opened_by_ward.len(), 2);
        assert_eq!(report.closed_by_outcome, vec![Tally { name: "resolved".into(), count: 1 }]);
        let repairs = &report.organisations[0];
        assert_eq!((repairs.open, repairs.overdue, repairs.answered), (1, 1, 1));
        assert_eq!(repairs.median_working_days_to_answer, Some(10.0));
        // Referred 13 April: its acknowledgement was due the 14th; read on 1 May.
        assert_eq!(report.longest_overdue[0].case_id, Uuid::from_u128(2));
        assert_eq!(report.longest_overdue[0].due_on, date("2026-04-14"));
        assert_eq!(report.longest_overdue[0].working_days_overdue, 13);
    }

    #[test]
    fn the_median_of_an_even_count_is_the_mean_of_the_middle_two() {
        assert_eq!(median(vec![4, 1, 3, 10]), Some(3.5));
        assert_eq!(median(vec![]), None);
    }
}
