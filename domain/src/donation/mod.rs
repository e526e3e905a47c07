//! Donations to the group's own funds: one record per donation (its donor,
//! amount in pence, day received, cash or in kind), the permissibility check
//! a donation over the Electoral Commission's threshold needs within 30 days,
//! and the rules a donor's calendar-year total is judged by against the
//! reporting threshold for a members association.

mod aggregate;
mod rules;

pub use aggregate::{
    CheckOutcome, Correction, Donation, DonationCommand, DonationDraft, DonationError, DonationEvent,
    DonationKind, DonationStatus, Donor, DonorKind, PermissibilityCheck,
};
pub use rules::{
    CHECK_WITHIN_DAYS, DEFAULT_CHECK_THRESHOLD_PENCE, DEFAULT_REPORTING_THRESHOLD_PENCE, MAX_DONATION_PENCE,
    ReportingStanding, Thresholds, WARNING_PERCENT, check_due_on, donor_key, is_relevant,
};
