//! The casework report of a period: counts only, never a resident's personal
//! data or a case's texts, so the whole group (and its report back) may see
//! it. What was opened and closed, by category, ward and outcome; what is open
//! with each organisation and how much of it is late; how long each
//! organisation took to answer, in working days; the longest overdue.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use uuid::Uuid;

use super::report_back::Period;
use crate::domain::{WorkingDays, case::facts as case_facts};
use crate::store::facts::{Count, DueCount};

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
    /// Its name.
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

/// What the report is built from: the facts cases state (`Case::facts`), as
/// the store counts them.
#[derive(Debug, Clone, Default)]
pub struct CaseworkFacts {
    /// `opened.*` and `closed.*` facts in the period, counted by value.
    pub counted: Vec<Count>,
    /// `open` facts by the organisation waited on (empty: none), with how
    /// many fall due before the day the report is read.
    pub waiting: Vec<DueCount>,
    /// `answered` facts in the period: organisation, referred, answered.
    pub answers: Vec<(Uuid, NaiveDate, NaiveDate)>,
    /// The open cases due longest before the day the report is read.
    pub longest_overdue: Vec<Overdue>,
    /// Organisations' names by id.
    pub organisation_names: HashMap<Uuid, String>,
}

/// An open case past due, as the report names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overdue {
    /// The case.
    pub case_id: Uuid,
    /// Its category.
    pub category: String,
    /// Its ward.
    pub ward: String,
    /// The organisation it waits on.
    pub organisation_id: Uuid,
    /// The day its next step fell due.
    pub due_on: NaiveDate,
}

fn tallies(counted: &[Count], fact: &str) -> Vec<Tally> {
    counted
        .iter()
        .filter(|c| c.fact == fact)
        .map(|c| Tally { name: c.value.clone(), count: count(c.count) })
        .collect()
}

fn count(n: i64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn total(tallies: &[Tally]) -> u32 {
    tallies.iter().map(|t| t.count).sum()
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

/// Builds the report of `period` from the facts of the group's cases, as read
/// on `today`, counting in `calendar`'s working days.
pub fn build(
    period: Period,
    today: NaiveDate,
    calendar: &WorkingDays,
    facts: CaseworkFacts,
) -> CaseworkReport {
    let opened_by_category = tallies(&facts.counted, case_facts::OPENED_CATEGORY);
    let closed_by_category = tallies(&facts.counted, case_facts::CLOSED_CATEGORY);
    let name = |id: &Uuid| facts.organisation_names.get(id).cloned().unwrap_or_default();
    let mut organisations: BTreeMap<Uuid, (u32, u32, Vec<u32>)> = BTreeMap::new();
    for waiting in &facts.waiting {
        if let Ok(id) = Uuid::parse_str(&waiting.value) {
            let entry = organisations.entry(id).or_default();
            (entry.0, entry.1) = (count(waiting.count), count(waiting.past_due));
        }
    }
    for (id, referred_on, answered_on) in &facts.answers {
        organisations
            .entry(*id)
            .or_default()
            .2
            .push(calendar.working_days_between(*referred_on, *answered_on));
    }
    let mut organisations: Vec<OrganisationLoad> = organisations
        .into_iter()
        .map(|(organisation_id, (open, overdue, answers))| OrganisationLoad {
            organisation_id,
            organisation: name(&organisation_id),
            open,
            overdue,
            answered: u32::try_from(answers.len()).unwrap_or(u32::MAX),
            median_working_days_to_answer: median(answers),
        })
        .collect();
    organisations
        .sort_by(|a, b| (&a.organisation, a.organisation_id).cmp(&(&b.organisation, b.organisation_id)));
    let longest_overdue = facts
        .longest_overdue
        .iter()
        .take(LONGEST_OVERDUE)
        .map(|case| OverdueCase {
            case_id: case.case_id,
            category: case.category.clone(),
            ward: case.ward.clone(),
            organisation: name(&case.organisation_id),
            due_on: case.due_on,
            working_days_overdue: calendar.working_days_between(case.due_on, today),
        })
        .collect();
    CaseworkReport {
        period,
        today,
        opened: total(&opened_by_category),
        closed: total(&closed_by_category),
        open: facts.waiting.iter().map(|w| count(w.count)).sum(),
        overdue: facts.waiting.iter().map(|w| count(w.past_due)).sum(),
        opened_by_category,
        opened_by_ward: tallies(&facts.counted, case_facts::OPENED_WARD),
        closed_by_category,
        closed_by_outcome: tallies(&facts.counted, case_facts::CLOSED_OUTCOME),
        organisations,
        longest_overdue,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    fn counted(fact: &str, value: &str, count: i64) -> Count {
        Count { fact: fact.into(), value: value.into(), count }
    }

    #[test]
    fn the_report_counts_facts_and_never_names_a_resident() {
        let calendar = WorkingDays::default();
        let repairs = Uuid::from_u128(5);
        let facts = CaseworkFacts {
            counted: vec![
                counted(case_facts::OPENED_CATEGORY, "repairs", 2),
                counted(case_facts::OPENED_WARD, "Beckton", 1),
                counted(case_facts::OPENED_WARD, "Canning Town North", 1),
                counted(case_facts::CLOSED_CATEGORY, "repairs", 1),
                counted(case_facts::CLOSED_OUTCOME, "resolved", 1),
            ],
            waiting: vec![
                DueCount { value: String::new(), count: 1, past_due: 0 },
                DueCount { value: repairs.to_string(), count: 1, past_due: 1 },
            ],
            // Referred 2 April, answered 20 April: ten working days, Easter passed over.
            answers: vec![(repairs, date("2026-04-02"), date("2026-04-20"))],
            longest_overdue: vec![Overdue {
                case_id: Uuid::from_u128(2),
                category: "repairs".into(),
                ward: "Canning Town North".into(),
                organisation_id: repairs,
                due_on: date("2026-04-14"),
            }],
            organisation_names: HashMap::from([(repairs, "Housing Repairs".to_owned())]),
        };
        let period = Period { from: date("2026-04-01"), to: date("2026-04-30") };
        let report = build(period, date("2026-05-01"), &calendar, facts);
        assert_eq!((report.opened, report.closed, report.open, report.overdue), (2, 1, 2, 1));
        assert_eq!(report.opened_by_category, vec![Tally { name: "repairs".into(), count: 2 }]);
        assert_eq!(report.opened_by_ward.len(), 2);
        assert_eq!(report.closed_by_outcome, vec![Tally { name: "resolved".into(), count: 1 }]);
        let housing = &report.organisations[0];
        assert_eq!(housing.organisation, "Housing Repairs");
        assert_eq!((housing.open, housing.overdue, housing.answered), (1, 1, 1));
        assert_eq!(housing.median_working_days_to_answer, Some(10.0));
        // Its acknowledgement was due on 14 April; read on 1 May.
        assert_eq!(report.longest_overdue[0].case_id, Uuid::from_u128(2));
        assert_eq!(report.longest_overdue[0].working_days_overdue, 13);
        assert_eq!(report.longest_overdue[0].organisation, "Housing Repairs");
    }

    #[test]
    fn the_median_of_an_even_count_is_the_mean_of_the_middle_two() {
        assert_eq!(median(vec![4, 1, 3, 10]), Some(3.5));
        assert_eq!(median(vec![]), None);
    }
}
