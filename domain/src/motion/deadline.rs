//! The council's deadline for motions and questions: received by a time of
//! day, a number of clear working days before the meeting, in the council's
//! own time zone (standing orders say "noon, seven clear working days before").

use chrono::{DateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

use crate::WorkingDays;

/// The rule a council's standing orders set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SubmissionDeadline {
    /// Clear working days between the deadline's day and the meeting's.
    pub clear_working_days: u8,
    /// The time of day on the deadline's day, in `zone`.
    pub at: NaiveTime,
    /// The council's time zone.
    pub zone: Tz,
}

impl Default for SubmissionDeadline {
    /// Noon, seven clear working days before, in London: a common standing order.
    fn default() -> Self {
        Self {
            clear_working_days: 7,
            at: NaiveTime::from_hms_opt(12, 0, 0).unwrap_or_default(),
            zone: chrono_tz::Europe::London,
        }
    }
}

impl SubmissionDeadline {
    /// The last instant a motion for a meeting starting at
    /// `meeting_starts_at` is accepted, counted in `calendar`'s working days.
    pub fn for_meeting(&self, meeting_starts_at: DateTime<Utc>, calendar: &WorkingDays) -> DateTime<Utc> {
        let meeting_day = meeting_starts_at.with_timezone(&self.zone).date_naive();
        // The day before the clear days may be a weekend or a bank holiday:
        // the deadline falls on the working day before it.
        let day =
            calendar.working_day_on_or_before(calendar.last_day_before(meeting_day, self.clear_working_days));
        let local = day.and_time(self.at);
        // A time that falls in a clock change's gap or overlap takes the earlier reading.
        match self.zone.from_local_datetime(&local) {
            chrono::LocalResult::Single(at) | chrono::LocalResult::Ambiguous(at, _) => at.with_timezone(&Utc),
            chrono::LocalResult::None => Utc.from_utc_datetime(&local),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().expect("instant")
    }

    #[test]
    fn noon_seven_clear_working_days_before_in_summer_time_is_eleven_utc() {
        // Full Council on Wednesday 15 July 2026 at 19:00 BST; clear days Mon 6 .. Tue 14,
        // the day before them a Sunday, so the deadline is Friday 3 July.
        let deadline =
            SubmissionDeadline::default().for_meeting(utc("2026-07-15T18:00:00Z"), &WorkingDays::default());
        assert_eq!(deadline, utc("2026-07-03T11:00:00Z"));
    }

    #[test]
    fn in_winter_noon_in_london_is_noon_utc() {
        // Monday 23 November 2026 at 19:00 GMT; clear days Thu 12 .. Fri 20.
        let deadline =
            SubmissionDeadline::default().for_meeting(utc("2026-11-23T19:00:00Z"), &WorkingDays::default());
        assert_eq!(deadline, utc("2026-11-11T12:00:00Z"));
    }

    #[test]
    fn the_meeting_day_is_the_councils_local_day() {
        // 23:30 UTC on Wednesday 15 July is 00:30 BST on Thursday 16 July: clear
        // days Tue 7 .. Wed 15, so the deadline is Monday 6 July, not Friday 3.
        let deadline =
            SubmissionDeadline::default().for_meeting(utc("2026-07-15T23:30:00Z"), &WorkingDays::default());
        assert_eq!(deadline, utc("2026-07-06T11:00:00Z"));
    }

    #[test]
    fn bank_holidays_are_not_clear_days_and_the_deadline_is_never_on_one() {
        // Full Council on Wednesday 6 January 2027 at 19:00 GMT. Seven clear
        // working days in England: Wed 23, Thu 24, Tue 29, Wed 30, Thu 31 Dec,
        // Mon 4, Tue 5 Jan (not Christmas, Boxing Day's substitute, New Year's
        // Day); the day before them, Tuesday 22 December, is the deadline.
        let meeting = utc("2027-01-06T19:00:00Z");
        let england = WorkingDays::default();
        assert_eq!(SubmissionDeadline::default().for_meeting(meeting, &england), utc("2026-12-22T12:00:00Z"));
        // Scotland also keeps 2 January (a Saturday in 2027, so Monday 4
        // January is its substitute): one clear day more to find.
        let scotland = WorkingDays::shipped(crate::Nation::Scotland);
        assert_eq!(
            SubmissionDeadline::default().for_meeting(meeting, &scotland),
            utc("2026-12-21T12:00:00Z")
        );
    }
}
