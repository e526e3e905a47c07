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
    Case, CaseError, CaseFile, CaseNote, CaseStatus, Channel, Chase, Closure, LawfulCondition,
    MAX_RETENTION_MONTHS, Outcome, Referral, Reopening, ResidentUpdate, Response, Retention, SpecialCategory,
    SpecialCategoryKind, facts, is_own_reader, shows_personal_data,
};
pub use commands::{CaseCommand, CaseDraft, NewReferral};
pub use events::CaseEvent;

use crate::publication::Slug;

/// How many months after a case closes its personal data is kept, unless the
/// deployment or the case says otherwise: two years.
pub const DEFAULT_RETENTION_MONTHS: u16 = 24;

/// The categories cases are filed under: the deployment's own, or
/// [`DEFAULT_CATEGORIES`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseCategories(Vec<Slug>);

impl Default for CaseCategories {
    fn default() -> Self {
        Self(DEFAULT_CATEGORIES.iter().filter_map(|name| Slug::parse(name).ok()).collect())
    }
}

impl CaseCategories {
    /// The categories named, each once, in order; `None` if none is named.
    pub fn new(names: Vec<Slug>) -> Option<Self> {
        let mut unique: Vec<Slug> = Vec::with_capacity(names.len());
        for name in names {
            if !unique.contains(&name) {
                unique.push(name);
            }
        }
        (!unique.is_empty()).then_some(Self(unique))
    }

    /// The categories, in order.
    pub fn as_slice(&self) -> &[Slug] {
        &self.0
    }
}

/// The categories a case is filed under unless the deployment configures its own.
pub const DEFAULT_CATEGORIES: [&str; 12] = [
    "housing",
    "repairs",
    "highways",
    "waste",
    "parking",
    "planning",
    "council-tax-and-benefits",
    "anti-social-behaviour",
    "social-care",
    "schools",
    "environment",
    "other",
];
