//! Money and the financial year. Money is whole pence, never a float: every
//! sum is exact, and an operation that would overflow says so instead of
//! wrapping or rounding.

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// An amount of money in whole pence. Signed, because a balance (what is left
/// of a line overspent with an officer's override) can fall below zero; an
/// amount someone pays or is given is checked positive where it is taken in
/// ([`Pence::positive`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Pence(i64);

/// Why an amount of money was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    /// Zero or less where an amount must be paid or given.
    #[error("must be more than nothing")]
    NotPositive,
    /// A sum too large to hold.
    #[error("is too large")]
    Overflow,
}

impl Pence {
    /// Nothing.
    pub const ZERO: Self = Self(0);
    /// The largest amount taken in (£10 million), so that sums of many never overflow.
    pub const MAX_AMOUNT: i64 = 1_000_000_000;

    /// An amount of `pence`, positive or not.
    pub const fn new(pence: i64) -> Self {
        Self(pence)
    }

    /// An amount paid, given or allocated: more than nothing, at most [`Pence::MAX_AMOUNT`].
    pub fn positive(pence: i64) -> Result<Self, MoneyError> {
        match pence {
            p if p <= 0 => Err(MoneyError::NotPositive),
            p if p > Self::MAX_AMOUNT => Err(MoneyError::Overflow),
            p => Ok(Self(p)),
        }
    }

    /// An amount held unsigned (donations and hospitality are never below
    /// nothing), saturating far beyond any amount taken in.
    pub fn unsigned(pence: u64) -> Self {
        Self(i64::try_from(pence).unwrap_or(i64::MAX))
    }

    /// An amount of whole pounds.
    pub const fn pounds(pounds: i64) -> Self {
        Self(pounds * 100)
    }

    /// The number of pence.
    pub const fn get(self) -> i64 {
        self.0
    }

    /// The sum, or `None` if it would overflow.
    pub fn checked_add(self, other: Self) -> Option<Self> {
        self.0.checked_add(other.0).map(Self)
    }

    /// The difference, or `None` if it would overflow.
    pub fn checked_sub(self, other: Self) -> Option<Self> {
        self.0.checked_sub(other.0).map(Self)
    }

    /// The sum, [`MoneyError::Overflow`] if it would overflow.
    pub fn plus(self, other: Self) -> Result<Self, MoneyError> {
        self.checked_add(other).ok_or(MoneyError::Overflow)
    }

    /// The difference, [`MoneyError::Overflow`] if it would overflow.
    pub fn minus(self, other: Self) -> Result<Self, MoneyError> {
        self.checked_sub(other).ok_or(MoneyError::Overflow)
    }

    /// Whether this is below zero.
    pub const fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// `self` as a whole percentage of `whole`, rounded down (0 when `whole` is
    /// nothing): used only to compare with thresholds, never to show money.
    pub fn percent_of(self, whole: Self) -> i64 {
        if whole.0 <= 0 {
            return if self.0 > 0 { i64::MAX } else { 0 };
        }
        // i128 so that 100 × any i64 fits.
        ((i128::from(self.0) * 100) / i128::from(whole.0)).clamp(i128::from(i64::MIN), i128::from(i64::MAX))
            as i64
    }

    /// The sum of `amounts`, or `None` if it would overflow.
    pub fn sum<I: IntoIterator<Item = Self>>(amounts: I) -> Option<Self> {
        amounts.into_iter().try_fold(Self::ZERO, Self::checked_add)
    }
}

/// £1,234.56 (and -£1,234.56), by integer arithmetic.
impl fmt::Display for Pence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let magnitude = self.0.unsigned_abs();
        let (pounds, pence) = (magnitude / 100, magnitude % 100);
        write!(f, "{sign}£{}.{pence:02}", thousands(pounds))
    }
}

/// A count as people write it, its thousands set apart by commas:
/// `1,000,000`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    grouped
}

/// Why a sum of pounds as typed could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("write an amount of pounds, like 1,250 or 12.50")]
pub struct PoundsError;

/// Pounds as a person types them: "£1,234.56", "1234.5", "12" or "-3.10",
/// read exactly (no float): at most two places of pence, commas only as
/// thousands separators.
impl std::str::FromStr for Pence {
    type Err = PoundsError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        let (negative, text) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let text = text.strip_prefix('£').unwrap_or(text);
        let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
        let groups: Vec<&str> = whole.split(',').collect();
        let grouped_well = groups.len() == 1
            || (!groups[0].is_empty() && groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3));
        let digits = groups.concat();
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if digits.is_empty()
            || !grouped_well
            || !all_digits(&digits)
            || fraction.len() > 2
            || !all_digits(fraction)
        {
            return Err(PoundsError);
        }
        if text.ends_with('.') {
            return Err(PoundsError);
        }
        let pounds: i64 = digits.parse().map_err(|_| PoundsError)?;
        let pence: i64 = match fraction.len() {
            0 => 0,
            1 => fraction.parse::<i64>().map_err(|_| PoundsError)? * 10,
            _ => fraction.parse().map_err(|_| PoundsError)?,
        };
        let total = pounds.checked_mul(100).and_then(|p| p.checked_add(pence)).ok_or(PoundsError)?;
        Ok(Self(if negative { -total } else { total }))
    }
}

/// A financial year, 1 April to 31 March, named by the calendar year it starts in
/// (`FinancialYear(2026)` is 1 April 2026 to 31 March 2027, shown "2026-27").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FinancialYear(u16);

/// Why a financial year was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("must be a year from {} to {}", FinancialYear::FIRST, FinancialYear::LAST)]
pub struct FinancialYearError;

impl FinancialYear {
    /// The earliest year Caucus accepts.
    pub const FIRST: u16 = 2000;
    /// The latest year Caucus accepts.
    pub const LAST: u16 = 2100;

    /// The financial year starting in April of `year`.
    pub fn starting(year: u16) -> Result<Self, FinancialYearError> {
        if (Self::FIRST..=Self::LAST).contains(&year) { Ok(Self(year)) } else { Err(FinancialYearError) }
    }

    /// The financial year `day` falls in: before 1 April, the one that began the
    /// April before.
    pub fn containing(day: NaiveDate) -> Self {
        let year = u16::try_from(day.year()).unwrap_or(Self::FIRST).clamp(Self::FIRST, Self::LAST);
        if day.month() < 4 { Self(year.saturating_sub(1).max(Self::FIRST)) } else { Self(year) }
    }

    /// The calendar year it starts in.
    pub const fn year(self) -> u16 {
        self.0
    }

    /// Its first day, 1 April.
    pub fn starts(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(i32::from(self.0), 4, 1).unwrap_or(NaiveDate::MIN)
    }

    /// Its last day, 31 March of the next calendar year.
    pub fn ends(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(i32::from(self.0) + 1, 3, 31).unwrap_or(NaiveDate::MAX)
    }

    /// Whether `day` falls within it.
    pub fn contains(self, day: NaiveDate) -> bool {
        (self.starts()..=self.ends()).contains(&day)
    }
}

/// "2026-27".
impl fmt::Display for FinancialYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:02}", self.0, (self.0 + 1) % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("day")
    }

    #[test]
    fn counts_set_their_thousands_apart() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn pence_show_as_pounds_with_thousands_by_integer_arithmetic() {
        assert_eq!(Pence::new(0).to_string(), "£0.00");
        assert_eq!(Pence::new(7).to_string(), "£0.07");
        assert_eq!(Pence::new(123_456).to_string(), "£1,234.56");
        assert_eq!(Pence::new(100_000_000).to_string(), "£1,000,000.00");
        assert_eq!(Pence::new(-50).to_string(), "-£0.50");
        assert_eq!(Pence::new(i64::MIN).to_string(), "-£92,233,720,368,547,758.08");
    }

    #[test]
    fn sums_of_pence_never_round() {
        // Ten lots of 10p are exactly £1, where ten 0.1s in floating point are not 1.
        let ten_pence = Pence::new(10);
        assert_eq!(Pence::sum(std::iter::repeat_n(ten_pence, 10)), Some(Pence::pounds(1)));
        assert_eq!(Pence::new(33_333).checked_add(Pence::new(33_334)), Some(Pence::new(66_667)));
        assert_eq!(Pence::new(i64::MAX).checked_add(Pence::new(1)), None);
        assert_eq!(Pence::new(5).minus(Pence::new(7)), Ok(Pence::new(-2)));
    }

    #[test]
    fn an_amount_taken_in_is_positive_and_bounded() {
        assert_eq!(Pence::positive(0), Err(MoneyError::NotPositive));
        assert_eq!(Pence::positive(-1), Err(MoneyError::NotPositive));
        assert_eq!(Pence::positive(Pence::MAX_AMOUNT + 1), Err(MoneyError::Overflow));
        assert_eq!(Pence::positive(1).map(Pence::get), Ok(1));
    }

    #[test]
    fn percentages_round_down() {
        assert_eq!(Pence::new(79_999).percent_of(Pence::new(100_000)), 79);
        assert_eq!(Pence::new(80_000).percent_of(Pence::new(100_000)), 80);
        assert_eq!(Pence::new(1).percent_of(Pence::ZERO), i64::MAX);
    }

    #[test]
    fn the_financial_year_turns_between_31_march_and_1_april() {
        assert_eq!(FinancialYear::containing(day(2026, 3, 31)), FinancialYear(2025));
        assert_eq!(FinancialYear::containing(day(2026, 4, 1)), FinancialYear(2026));
        assert_eq!(FinancialYear::containing(day(2027, 1, 1)), FinancialYear(2026));
        let year = FinancialYear::starting(2026).expect("year");
        assert_eq!(year.starts(), day(2026, 4, 1));
        assert_eq!(year.ends(), day(2027, 3, 31));
        assert!(year.contains(day(2027, 3, 31)));
        assert!(!year.contains(day(2027, 4, 1)));
        assert_eq!(year.to_string(), "2026-27");
        assert_eq!(FinancialYear::starting(1999), Err(FinancialYearError));
    }

    #[test]
    fn pounds_as_typed_are_read_exactly() {
        let read = |text: &str| text.parse::<Pence>().map(Pence::get);
        assert_eq!(read("£1,234.56"), Ok(123_456));
        assert_eq!(read("1234.5"), Ok(123_450));
        assert_eq!(read(" 12 "), Ok(1_200));
        assert_eq!(read("0.07"), Ok(7));
        assert_eq!(read("-£3.10"), Ok(-310));
        assert_eq!(read("11,180"), Ok(1_118_000));
        // 0.1 + 0.2 is not 0.30000000000000004 here.
        assert_eq!(read("0.30"), Ok(30));
        for wrong in ["", "£", "12.", "1.234", "1,23", ",123", "12,34.00", "1e3", "12 pounds", "--1", "1.-5"]
        {
            assert_eq!(read(wrong), Err(PoundsError), "{wrong:?}");
        }
    }

    #[test]
    fn amounts_read_back_as_they_are_shown() {
        for pence in [0, 5, 99, 100, 123_456, 1_000_000_000, -42] {
            let shown = Pence::new(pence).to_string();
            assert_eq!(shown.parse::<Pence>().map(Pence::get), Ok(pence), "{shown}");
        }
    }
}
