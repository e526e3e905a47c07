//! The papers-despatch rule: papers go out a number of clear working days
//! before the meeting. A clear day excludes both the day of despatch and the
//! day of the meeting; a working day is Monday to Friday.

use chrono::{Datelike, Days, NaiveDate, Weekday};

/// Monday to Friday.
pub fn is_working_day(day: NaiveDate) -> bool {
    !matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The last day papers can be despatched for a meeting on `meeting_day` and
/// still leave `clear_working_days` clear working days before it.
pub fn despatch_by(meeting_day: NaiveDate, clear_working_days: u8) -> NaiveDate {
    let mut day = meeting_day;
    let mut counted = 0;
    // Walk back over the clear days; the despatch day is the one before the
    // earliest of them.
    while counted < clear_working_days {
        day = day.checked_sub_days(Days::new(1)).unwrap_or(day);
        if is_working_day(day) {
            counted += 1;
        }
    }
    day.checked_sub_days(Days::new(1)).unwrap_or(day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    #[test]
    fn five_clear_working_days_before_a_wednesday_is_the_tuesday_of_the_week_before() {
        // Wednesday 11 March 2026: clear days Wed 4, Thu 5, Fri 6, Mon 9, Tue 10.
        assert_eq!(despatch_by(date("2026-03-11"), 5), date("2026-03-03"));
    }

    #[test]
    fn weekends_are_not_working_days() {
        // Monday 9 March 2026: clear days Mon 2 .. Fri 6 (the weekend of 7-8 does not count).
        assert_eq!(despatch_by(date("2026-03-09"), 5), date("2026-03-01"));
    }

    #[test]
    fn no_clear_days_means_the_day_before() {
        assert_eq!(despatch_by(date("2026-03-11"), 0), date("2026-03-10"));
    }
}
