//! The register of interests: one register per member of their disclosable
//! pecuniary interests (SI 2012/1464), the LGA model code's other registrable
//! interests and the gifts and hospitality they received, each entry with the
//! days it was registered and last updated; the 28-day clocks of the
//! Localism Act 2011 s.30 computed from the register and the records that
//! start them; and the review items dismissed on it.

mod clocks;
mod entry;
mod register;

pub use clocks::{Clock, ClockCause, ClockSources, REGISTRATION_DAYS, clocks};
pub use entry::{Category, Detail, Entry, EntryDraft, Gift, Removal, RemovalReason, Whose};
pub use register::{
    Dismissal, Register, RegisterChange, RegisterChanges, RegisterCommand, RegisterError, RegisterEvent,
    register_id,
};
