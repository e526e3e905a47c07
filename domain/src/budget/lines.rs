use serde::{Deserialize, Serialize};

use crate::{Pence, Title};

/// Which of the group's money a budget is: the two are kept strictly apart.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, strum::IntoStaticStr,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Ledger {
    /// Resources the council provides for the group's office: public money,
    /// which may not pay for anything party political.
    Council,
    /// The group's own funds: subscriptions, donations, event income.
    Group,
}

impl Ledger {
    /// Both ledgers, council first.
    pub const ALL: [Self; 2] = [Self::Council, Self::Group];

    /// The stable word for it (its serde name too).
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// What a budget line pays for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Category {
    /// Support for the group's staff (the Political Assistant's office).
    StaffingSupport,
    /// Computers, phones, software.
    ItEquipment,
    /// Councillors' and staff training.
    Training,
    /// Printing of material that is not party political (group reports, casework letters).
    Printing,
    /// Stationery, postage, subscriptions to publications.
    OfficeCosts,
    /// Travel on council business.
    Travel,
    /// Leaflets, canvassing material, election literature.
    CampaignMaterial,
    /// Party conferences, fundraisers, social events of the party.
    PartyEvents,
    /// Affiliation fees and subscriptions to the party and its bodies.
    PartySubscriptions,
    /// Anything else.
    Other,
}

impl Category {
    /// The stable word for it (its serde name too).
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// Whether it is party political, and so may not be paid for with the
    /// council's resources (Local Government Act 1986 s.2, and the council's
    /// terms for the group's support).
    pub fn is_party_political(self) -> bool {
        matches!(self, Self::CampaignMaterial | Self::PartyEvents | Self::PartySubscriptions)
    }
}

/// [`LineCode::parse`]'s rule as a regular expression.
pub const LINE_CODE_PATTERN: &str = "^[a-z0-9][a-z0-9-]{0,31}$";

/// A budget line's short code, unique within its budget, e.g. `it` or
/// `printing-2`: lowercase letters, digits and hyphens, at most 32.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct LineCode(String);

/// Why a line code was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("must be 1 to 32 lowercase letters, digits and hyphens, starting with a letter or digit")]
pub struct LineCodeError;

impl LineCode {
    /// Checks `raw` against [`LINE_CODE_PATTERN`].
    pub fn parse(raw: &str) -> Result<Self, LineCodeError> {
        let mut chars = raw.chars();
        let first_ok = chars.next().is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
        let rest_ok = chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if first_ok && rest_ok && raw.len() <= 32 { Ok(Self(raw.to_owned())) } else { Err(LineCodeError) }
    }

    /// The code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for LineCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A line of a budget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    /// Its code.
    pub code: LineCode,
    /// Its name, e.g. `IT equipment and software`.
    pub name: Title,
    /// What it pays for.
    pub category: Category,
    /// What it may spend in the year.
    pub allocation: Pence,
}

/// How far a line's money is used: what a warning or a refusal is decided on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineUse {
    /// The line's allocation.
    pub allocation: Pence,
    /// Approved and not yet paid.
    pub committed: Pence,
    /// Paid.
    pub paid: Pence,
}

/// How near its allocation a line's use is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, strum::IntoStaticStr,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum UseLevel {
    /// Up to 80%.
    Within,
    /// Past 80% and up to 100%: a warning.
    PastWarning,
    /// Past 100%: refused without a Group Officer's override.
    OverAllocation,
}

impl LineUse {
    /// The share past which proposing or approving answers with a warning.
    pub const WARNING_PERCENT: i64 = 80;

    /// Committed and paid together; `None` on overflow.
    pub fn used(self) -> Option<Pence> {
        self.committed.checked_add(self.paid)
    }

    /// What is left: the allocation less what is committed and paid (below
    /// zero when overspent by an override).
    pub fn remaining(self) -> Option<Pence> {
        self.allocation.checked_sub(self.used()?)
    }

    /// The level the line would be at with `more` committed too. Past 80%
    /// means strictly more than 80% of the allocation, in whole pence: £800.01
    /// of £1,000 is past it, £800.00 is not.
    pub fn level_with(self, more: Pence) -> UseLevel {
        let Some(used) = self.used().and_then(|used| used.checked_add(more)) else {
            return UseLevel::OverAllocation;
        };
        // Compared as used × 100 > allocation × 80 in i128: exact, no rounding.
        let (used, allocation) = (i128::from(used.get()), i128::from(self.allocation.get()));
        if used > allocation {
            UseLevel::OverAllocation
        } else if used * 100 > allocation * i128::from(Self::WARNING_PERCENT) {
            UseLevel::PastWarning
        } else {
            UseLevel::Within
        }
    }
}
