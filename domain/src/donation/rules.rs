//! The rules of donations that are numbers: when a permissibility check is
//! due, and how a donor's year total stands against the reporting threshold.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::tag;

/// Donations over this many pence need a permissibility check, and only they
/// count towards a donor's reportable total (the Electoral Commission's £500;
/// configurable, since it is set in law).
pub const DEFAULT_CHECK_THRESHOLD_PENCE: u64 = 50_000;
/// A donor's calendar-year total at or over this many pence must be reported
/// by a members association (£11,180 from 2024; configurable, since it is uprated).
pub const DEFAULT_REPORTING_THRESHOLD_PENCE: u64 = 1_118_000;
/// Days after receipt within which a permissibility check is due.
pub const CHECK_WITHIN_DAYS: u64 = 30;
/// The share of the reporting threshold, in percent, from which a donor's
/// year total is flagged as nearing it.
pub const WARNING_PERCENT: u64 = 80;
/// The largest single donation recorded, in pence (£10 million): anything
/// larger is a typing slip.
pub const MAX_DONATION_PENCE: u32 = 1_000_000_000;

/// The thresholds donations are judged by, in pence: both are set in law and
/// uprated, so a deployment configures them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Thresholds {
    /// A donor's calendar-year total at or over this must be reported.
    pub reporting_pence: u64,
    /// A donation over this needs a permissibility check within 30 days and
    /// is a relevant donation, counting towards its donor's reportable total.
    pub check_pence: u64,
}

impl Default for Thresholds {
    /// £11,180 and £500.
    fn default() -> Self {
        Self {
            reporting_pence: DEFAULT_REPORTING_THRESHOLD_PENCE,
            check_pence: DEFAULT_CHECK_THRESHOLD_PENCE,
        }
    }
}

/// Whether a donation of `amount_pence` is a relevant donation: one over
/// `threshold_pence` (PPERA 2000 Sch. 7 para 4: a donation of £500 or less is
/// disregarded, so under para 10 it is added to no donor's reportable total,
/// and it needs no permissibility check).
pub fn is_relevant(amount_pence: u64, threshold_pence: u64) -> bool {
    amount_pence > threshold_pence
}

/// The day a check of a donation of `amount_pence` received on `received_on`
/// is due, if it needs one: a relevant donation (see [`is_relevant`]), within 30 days.
pub fn check_due_on(received_on: NaiveDate, amount_pence: u64, threshold_pence: u64) -> Option<NaiveDate> {
    is_relevant(amount_pence, threshold_pence)
        .then(|| received_on.checked_add_days(Days::new(CHECK_WITHIN_DAYS)).unwrap_or(NaiveDate::MAX))
}

/// The key a donor's donations are added up under: the organisation's id when
/// the donor is one Caucus knows, else their name with case, spaces and
/// punctuation ignored (`Jane  Smith.` and `jane smith` are one donor).
pub fn donor_key(name: &str, organisation_id: Option<Uuid>) -> String {
    match organisation_id {
        Some(id) => tag("organisation", id),
        None => tag("donor", name),
    }
}

/// How a donor's year total stands against the reporting threshold.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, strum::IntoStaticStr,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum ReportingStanding {
    /// Below the warning line.
    Below,
    /// At or over [`WARNING_PERCENT`] of the threshold, below it.
    Nearing,
    /// At or over the threshold: to be reported.
    Reportable,
}

impl ReportingStanding {
    /// Where `total_pence` stands against `threshold_pence`, by integer
    /// arithmetic (no rounding: 80% of £11,180 is exactly £8,944).
    pub fn of(total_pence: u64, threshold_pence: u64) -> Self {
        if total_pence >= threshold_pence {
            Self::Reportable
        } else if u128::from(total_pence) * 100 >= u128::from(threshold_pence) * u128::from(WARNING_PERCENT) {
            Self::Nearing
        } else {
            Self::Below
        }
    }

    /// The smallest total flagged as nearing `threshold_pence`.
    pub fn warning_from(threshold_pence: u64) -> u64 {
        let scaled = u128::from(threshold_pence) * u128::from(WARNING_PERCENT);
        u64::try_from(scaled.div_ceil(100)).unwrap_or(u64::MAX)
    }

    /// The stable word for it (its serde name too).
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().expect("day")
    }

    #[test]
    fn a_check_is_due_thirty_days_after_a_donation_over_the_threshold_and_only_then() {
        assert_eq!(check_due_on(day("2026-12-15"), 50_001, 50_000), Some(day("2027-01-14")));
        assert_eq!(check_due_on(day("2026-12-15"), 50_000, 50_000), None, "£500 exactly needs none");
        assert_eq!(check_due_on(day("2026-12-15"), 1, 0), Some(day("2027-01-14")));
    }

    #[test]
    fn only_a_donation_over_the_threshold_is_relevant() {
        assert!(!is_relevant(50_000, 50_000), "£500 exactly is disregarded");
        assert!(is_relevant(50_001, 50_000), "£500.01 is relevant");
        assert!(!is_relevant(1, 50_000));
        assert!(is_relevant(1, 0), "a threshold of nothing makes every donation relevant");
    }

    #[test]
    fn a_year_total_nears_the_threshold_from_eighty_percent_and_is_reportable_at_it() {
        let threshold = DEFAULT_REPORTING_THRESHOLD_PENCE;
        assert_eq!(ReportingStanding::warning_from(threshold), 894_400);
        assert_eq!(ReportingStanding::of(894_399, threshold), ReportingStanding::Below);
        assert_eq!(ReportingStanding::of(894_400, threshold), ReportingStanding::Nearing);
        assert_eq!(ReportingStanding::of(1_117_999, threshold), ReportingStanding::Nearing);
        assert_eq!(ReportingStanding::of(1_118_000, threshold), ReportingStanding::Reportable);
        // A threshold whose 80% is not whole pence: the line is the pence above.
        assert_eq!(ReportingStanding::warning_from(1_001), 801);
        assert_eq!(ReportingStanding::of(800, 1_001), ReportingStanding::Below);
        assert_eq!(ReportingStanding::of(801, 1_001), ReportingStanding::Nearing);
        assert_eq!(ReportingStanding::of(u64::MAX - 1, u64::MAX), ReportingStanding::Nearing, "no overflow");
    }

    #[test]
    fn one_donor_is_one_key_however_their_name_is_typed_or_their_organisation() {
        assert_eq!(donor_key("Jane  Smith.", None), donor_key("jane smith", None));
        assert_ne!(donor_key("Jane Smith", None), donor_key("John Smith", None));
        let union = Uuid::from_u128(7);
        assert_eq!(donor_key("Unite", Some(union)), donor_key("Unite the Union", Some(union)));
    }
}
