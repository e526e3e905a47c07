//! Working days: Monday to Friday without the bank holidays of the
//! deployment's nation. One calendar for the whole product: the papers
//! despatch rule, the motions deadline and casework's response targets all
//! count in it. The bank holidays of 2020 to 2030 ship with Caucus
//! (`data/bank-holidays.json`, in the format of GOV.UK's
//! `bank-holidays.json`); a file in that format extends or corrects them.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

/// The bank holidays that ship with Caucus, as GOV.UK publishes them.
const SHIPPED: &str = include_str!("../data/bank-holidays.json");

/// The nations with their own bank holidays, as GOV.UK divides them.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum Nation {
    /// England and Wales.
    #[default]
    EnglandAndWales,
    /// Scotland.
    Scotland,
    /// Northern Ireland.
    NorthernIreland,
}

impl Nation {
    /// Every nation.
    pub const ALL: [Self; 3] = [Self::EnglandAndWales, Self::Scotland, Self::NorthernIreland];

    /// Its name in GOV.UK's file (`england-and-wales`).
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// Why a bank holidays file was refused.
#[derive(Debug, thiserror::Error)]
pub enum CalendarError {
    /// Not GOV.UK's format.
    #[error("not a bank holidays file in GOV.UK's format: {0}")]
    Format(#[from] serde_json::Error),
    /// It does not list the nation's holidays.
    #[error("the file has no `{0}` division")]
    NoDivision(&'static str),
}

/// GOV.UK's `bank-holidays.json`: each division and its holidays.
#[derive(Debug, Deserialize)]
struct Divisions(BTreeMap<String, Division>);

#[derive(Debug, Deserialize)]
struct Division {
    events: Vec<Holiday>,
}

#[derive(Debug, Clone, Deserialize)]
struct Holiday {
    title: String,
    date: NaiveDate,
}

/// A nation's calendar of working days.
#[derive(Clone, PartialEq, Eq)]
pub struct WorkingDays {
    nation: Nation,
    holidays: BTreeMap<NaiveDate, String>,
}

impl fmt::Debug for WorkingDays {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WorkingDays")
            .field("nation", &self.nation)
            .field("holidays", &self.holidays.len())
            .finish()
    }
}

/// A day worked out as a number of working days after another: the day and
/// how it was counted, so a reader can check it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueDate {
    /// The day counting started from (not itself counted).
    pub from: NaiveDate,
    /// How many working days were counted.
    pub working_days: u16,
    /// The day it falls due.
    pub on: NaiveDate,
}

/// A day a count of working days passed over, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkippedDay {
    /// The day.
    pub on: NaiveDate,
    /// Its bank holiday's name, or the day of the week for a weekend.
    pub why: String,
}

impl Default for WorkingDays {
    /// England and Wales, with the bank holidays that ship with Caucus.
    fn default() -> Self {
        Self::shipped(Nation::default())
    }
}

impl WorkingDays {
    /// `nation`'s calendar with the bank holidays that ship with Caucus.
    pub fn shipped(nation: Nation) -> Self {
        let divisions: Divisions = serde_json::from_str(SHIPPED).unwrap_or(Divisions(BTreeMap::new()));
        let mut days = Self { nation, holidays: BTreeMap::new() };
        if let Some(division) = divisions.0.get(nation.as_str()) {
            days.holidays.extend(division.events.iter().map(|h| (h.date, h.title.clone())));
        }
        days
    }

    /// The calendar with a GOV.UK-format file's holidays for its nation: for
    /// each year the file covers, its list replaces the shipped one (a
    /// correction); other years are added (an extension).
    pub fn with_file(mut self, json: &str) -> Result<Self, CalendarError> {
        let mut divisions: Divisions = serde_json::from_str(json)?;
        let division = divisions
            .0
            .remove(self.nation.as_str())
            .ok_or(CalendarError::NoDivision(self.nation.as_str()))?;
        let years: BTreeSet<i32> = division.events.iter().map(|h| h.date.year()).collect();
        self.holidays.retain(|day, _| !years.contains(&day.year()));
        self.holidays.extend(division.events.into_iter().map(|h| (h.date, h.title)));
        Ok(self)
    }

    /// The nation whose holidays it keeps.
    pub fn nation(&self) -> Nation {
        self.nation
    }

    /// The bank holiday on `day`, if there is one.
    pub fn holiday(&self, day: NaiveDate) -> Option<&str> {
        self.holidays.get(&day).map(String::as_str)
    }

    /// Whether `day` is a working day: Monday to Friday, not a bank holiday.
    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) && !self.holidays.contains_key(&day)
    }

    /// The working day `count` working days after `from` (`from` itself not
    /// counted; 0: `from`).
    pub fn add_working_days(&self, from: NaiveDate, count: u32) -> NaiveDate {
        let mut day = from;
        let mut counted = 0;
        while counted < count {
            day = day.checked_add_days(Days::new(1)).unwrap_or(day);
            if self.is_working_day(day) {
                counted += 1;
            }
        }
        day
    }

    /// The last day something can go out for a meeting on `meeting_day` and
    /// still leave `clear` clear working days before it: a clear day excludes
    /// both the day it goes out and the meeting's day.
    pub fn last_day_before(&self, meeting_day: NaiveDate, clear: u8) -> NaiveDate {
        let mut day = meeting_day;
        let mut counted = 0;
        // Walk back over the clear days; the day it goes out is the one
        // before the earliest of them.
        while counted < clear {
            day = day.checked_sub_days(Days::new(1)).unwrap_or(day);
            if self.is_working_day(day) {
                counted += 1;
            }
        }
        day.checked_sub_days(Days::new(1)).unwrap_or(day)
    }

    /// The day `working_days` working days after `from`, kept with how it was
    /// worked out (a response target counted from the day a case was referred).
    pub fn due(&self, from: NaiveDate, working_days: u16) -> DueDate {
        DueDate { from, working_days, on: self.add_working_days(from, u32::from(working_days)) }
    }

    /// How many working days there are after `from` up to and including
    /// `to` (0 when `to` is not after `from`): how long something took.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        let days =
            from.iter_days().skip(1).take_while(|day| *day <= to).filter(|day| self.is_working_day(*day));
        u32::try_from(days.count()).unwrap_or(u32::MAX)
    }

    /// The days after `from` up to and including `to` that are not working
    /// days, and why: what a due date skipped.
    pub fn skipped(&self, from: NaiveDate, to: NaiveDate) -> Vec<SkippedDay> {
        from.iter_days()
            .skip(1)
            .take_while(|day| *day <= to)
            .filter_map(|on| {
                if let Some(name) = self.holiday(on) {
                    Some(SkippedDay { on, why: name.to_owned() })
                } else if matches!(on.weekday(), Weekday::Sat | Weekday::Sun) {
                    Some(SkippedDay { on, why: on.format("%A").to_string() })
                } else {
                    None
                }
            })
            .collect()
    }

    /// The working day on or before `day`.
    pub fn working_day_on_or_before(&self, day: NaiveDate) -> NaiveDate {
        let mut day = day;
        while !self.is_working_day(day) {
            day = day.checked_sub_days(Days::new(1)).unwrap_or(day);
        }
        day
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    #[test]
    fn the_working_days_between_two_days_leave_out_weekends_and_bank_holidays() {
        let england = WorkingDays::shipped(Nation::EnglandAndWales);
        // Thursday 2 April 2026 to Tuesday 7 April: only the Tuesday counts.
        assert_eq!(england.working_days_between(date("2026-04-02"), date("2026-04-07")), 1);
        let due = england.due(date("2026-04-02"), 10);
        assert_eq!(england.working_days_between(due.from, due.on), 10);
        assert_eq!(england.working_days_between(date("2026-04-07"), date("2026-04-02")), 0);
    }

    #[test]
    fn a_due_date_says_which_days_it_skipped() {
        let england = WorkingDays::shipped(Nation::EnglandAndWales);
        // Referred on Thursday 2026-04-02: Good Friday, the weekend and Easter
        // Monday are passed over, so one working day is Tuesday 7 April.
        let due = england.due(date("2026-04-02"), 1);
        assert_eq!(due.on, date("2026-04-07"));
        let skipped = england.skipped(due.from, due.on);
        let named: Vec<(String, &str)> = skipped.iter().map(|d| (d.on.to_string(), d.why.as_str())).collect();
        assert_eq!(
            named,
            vec![
                ("2026-04-03".into(), "Good Friday"),
                ("2026-04-04".into(), "Saturday"),
                ("2026-04-05".into(), "Sunday"),
                ("2026-04-06".into(), "Easter Monday"),
            ]
        );
    }

    #[test]
    fn nations_are_named_as_govuk_names_their_divisions() {
        for nation in Nation::ALL {
            assert_eq!(nation.as_str().parse::<Nation>().ok(), Some(nation));
            assert!(WorkingDays::shipped(nation).holidays.len() > 80, "{nation:?} has 2020 to 2030");
        }
        assert_eq!("northern-ireland".parse::<Nation>().ok(), Some(Nation::NorthernIreland));
        assert!("wales".parse::<Nation>().is_err());
    }

    #[test]
    fn easter_christmas_and_boxing_day_are_not_working_days_with_their_substitutes() {
        let days = WorkingDays::shipped(Nation::EnglandAndWales);
        for holiday in ["2026-04-03", "2026-04-06", "2026-12-25", "2026-12-28", "2027-12-27", "2027-12-28"] {
            assert!(!days.is_working_day(date(holiday)), "{holiday}");
        }
        assert_eq!(days.holiday(date("2027-12-28")), Some("Boxing Day"));
        assert!(days.is_working_day(date("2026-12-29")));
    }

    #[test]
    fn scotland_keeps_the_second_of_january_and_not_easter_monday() {
        let scotland = WorkingDays::shipped(Nation::Scotland);
        assert!(!scotland.is_working_day(date("2026-01-02")));
        assert!(scotland.is_working_day(date("2026-04-06")), "Easter Monday is worked in Scotland");
        assert!(
            !scotland.is_working_day(date("2026-08-03")),
            "Scotland's summer holiday is August's first Monday"
        );
        assert!(WorkingDays::shipped(Nation::EnglandAndWales).is_working_day(date("2026-01-02")));
    }

    #[test]
    fn northern_ireland_keeps_the_twelfth_on_a_monday_when_it_falls_at_a_weekend() {
        let ni = WorkingDays::shipped(Nation::NorthernIreland);
        // 12 July 2026 is a Sunday: its substitute is Monday 13 July.
        assert!(!ni.is_working_day(date("2026-07-13")));
        assert!(!ni.is_working_day(date("2026-03-17")), "St Patrick's Day");
        assert!(WorkingDays::shipped(Nation::EnglandAndWales).is_working_day(date("2026-07-13")));
    }

    #[test]
    fn five_clear_working_days_skip_the_weekend_and_exclude_both_ends() {
        let days = WorkingDays::default();
        // Wednesday 11 March 2026: clear days Wed 4, Thu 5, Fri 6, Mon 9, Tue 10.
        assert_eq!(days.last_day_before(date("2026-03-11"), 5), date("2026-03-03"));
        // Monday 9 March 2026: clear days Mon 2 .. Fri 6; the weekend of 7-8 does not count.
        assert_eq!(days.last_day_before(date("2026-03-09"), 5), date("2026-03-01"));
        // No clear days: the day before.
        assert_eq!(days.last_day_before(date("2026-03-11"), 0), date("2026-03-10"));
    }

    #[test]
    fn the_clear_days_skip_the_bank_holiday() {
        let days = WorkingDays::default();
        // A meeting on Tuesday 7 April 2026, the day after Easter Monday: the
        // five clear working days are Fri 27, Mon 30, Tue 31 March, Wed 1 and
        // Thu 2 April (not Good Friday nor Easter Monday), so papers go out by
        // Thursday 26 March; counting weekends only, it was Monday 30 March.
        assert_eq!(days.last_day_before(date("2026-04-07"), 5), date("2026-03-26"));
        assert_eq!(days.last_day_before(date("2026-03-25"), 5), date("2026-03-17"));
    }

    #[test]
    fn working_days_are_added_over_weekends_and_holidays() {
        let days = WorkingDays::default();
        // Thursday 24 December 2026 + 1: Friday 25 and Monday 28 are holidays.
        assert_eq!(days.add_working_days(date("2026-12-24"), 1), date("2026-12-29"));
        assert_eq!(days.add_working_days(date("2026-12-24"), 0), date("2026-12-24"));
    }

    #[test]
    fn a_file_in_govuks_format_corrects_the_years_it_covers_and_extends_others() {
        let file = r#"{"england-and-wales": {"division": "england-and-wales", "events": [
            {"title": "A new holiday", "date": "2031-06-02", "notes": "", "bunting": true},
            {"title": "Moved", "date": "2026-05-05", "notes": "", "bunting": true}]}}"#;
        let days = WorkingDays::default().with_file(file).expect("file");
        assert!(!days.is_working_day(date("2031-06-02")));
        assert!(!days.is_working_day(date("2026-05-05")));
        assert!(days.is_working_day(date("2026-05-04")), "the file's 2026 replaces the shipped 2026");
        let refused = WorkingDays::shipped(Nation::Scotland).with_file(file);
        assert!(matches!(refused, Err(CalendarError::NoDivision("scotland"))));
    }
}
