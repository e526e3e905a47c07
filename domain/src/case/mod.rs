//! Casework: a resident's enquiry to a councillor, worked by the office,
//! referred to the council or another organisation, chased, answered and
//! closed.
//!
//! The owning councillor is the data controller (ICO guidance for elected
//! representatives); the councillors it is shared with and the office read it
//! too, no one else. Every free text about the case (its summary, notes, chase
//! notes, the organisation's answer) is sealed under the case's own key, and
//! the resident's details under the resident's, so a case's personal data can
//! be erased when its retention runs out while what remains (category, ward,
//! organisation, dates, outcome) keeps the statistics true. Response targets
//! are counted in working days by the caller, with the calendar, and each due
//! date keeps how it was counted.

mod aggregate;
mod commands;
mod events;

pub use aggregate::{
    Case, CaseError, CaseNote, CaseStatus, Channel, Chase, Closure, LawfulCondition, Outcome, Referral,
    Reopening, Response, SpecialCategory, SpecialCategoryKind,
};
pub use commands::{CaseCommand, CaseDraft, NewReferral};
pub use events::CaseEvent;
