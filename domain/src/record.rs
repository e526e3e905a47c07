//! What every aggregate in Caucus shares: it belongs to one group, carries a
//! classification, and exposes the few fields that lists filter on.

use chrono::NaiveDate;
use cqrs_es::Aggregate;
use cqrs_es::persist::EventUpcaster;
use uuid::Uuid;

use super::{classification::Classification, group::GroupId, role::Role};

/// An aggregate that is one of the group's records.
pub trait Record: Aggregate {
    /// The group that owns the record; `None` until the first event.
    fn group_id(&self) -> Option<&GroupId>;

    /// Who may read the record.
    fn classification(&self) -> Classification;

    /// Whether a caller holding `roles`, whose token's subject is `subject`,
    /// may read it: by its classification, and for a record with readers of
    /// its own (a case is its councillor's), as one of them.
    fn readable_by(&self, subject: &str, roles: &[Role]) -> bool {
        let _ = subject;
        self.classification().readable_by(roles)
    }

    /// Whether its writer chooses its classification, and so must choose one
    /// they read. Casework records are always `casework`: who reads them is
    /// their own affair (a councillor may open a case for a colleague).
    const WRITER_CLASSIFIES: bool = true;

    /// The record's lifecycle state as a stable lowercase word (e.g. `open`).
    fn status(&self) -> &'static str;

    /// The columns that registers filter and sort on.
    fn index(&self) -> RecordIndex {
        RecordIndex::default()
    }

    /// Whether records of this type state [`Fact`]s: a type that never does
    /// costs its writes nothing for them.
    const HAS_FACTS: bool = false;

    /// What the record states for reports to count, as it now stands (see
    /// [`Fact`]); empty unless [`Record::HAS_FACTS`].
    fn facts(&self) -> Vec<Fact> {
        Vec::new()
    }

    /// Upcasters that bring old versions of this record's events up to date.
    fn upcasters() -> Vec<Box<dyn EventUpcaster>> {
        Vec::new()
    }
}

/// Columns pulled out of a record's state so lists can filter in the database.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordIndex {
    /// The member the record is about or owned by.
    pub member_id: Option<Uuid>,
    /// The body the record concerns.
    pub body_id: Option<Uuid>,
    /// The date the record falls due or ends.
    pub due_on: Option<NaiveDate>,
    /// The record this one is about (a motion's meeting, a briefing's motion).
    pub subject_id: Option<Uuid>,
    /// Labels a register filters on beyond those columns, each made by
    /// [`tag`] (`reader:<member id>`, `ward:<name>`).
    pub tags: Vec<String>,
}

/// One thing a record states for reports to count in the database rather than
/// by reading every record: "case X was opened on D in category C" is the
/// fact `opened.category` on D with value C. A report of a period counts a
/// fact's values over the days in it; a fact without a day holds for as long
/// as the record states it (a case that is open).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact {
    /// What it states (`opened.category`).
    pub name: &'static str,
    /// The day it happened or falls due, if it has one.
    pub day: Option<NaiveDate>,
    /// What is counted (a category, an organisation's id).
    pub value: String,
    /// The day a duration counted by it began (a referral, for its answer).
    pub since: Option<NaiveDate>,
}

impl Fact {
    /// The fact `name` on `day` with `value`.
    pub fn on(name: &'static str, day: Option<NaiveDate>, value: impl Into<String>) -> Self {
        Self { name, day, value: value.into(), since: None }
    }
}

/// A label of a record's index: `kind:value`, the value lowercased with every
/// run of characters other than ASCII letters and digits made one hyphen, so a
/// label never holds a space or a pattern character of SQL's `LIKE`.
pub fn tag(kind: &str, value: impl std::fmt::Display) -> String {
    let mut label = format!("{kind}:");
    let start = label.len();
    for c in value.to_string().chars() {
        if c.is_ascii_alphanumeric() {
            label.push(c.to_ascii_lowercase());
        } else if label.len() > start && !label.ends_with('-') {
            label.push('-');
        }
    }
    if label.ends_with('-') {
        label.pop();
    }
    label
}

/// How a domain error should be understood by a caller: every aggregate error
/// says which of these it is, and the HTTP edge maps them to status codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The command does not make sense in the record's current state.
    Conflict,
    /// The command's content is invalid.
    Invalid,
    /// The command refers to a record that does not exist.
    NotFound,
    /// The caller may call the operation, but not on this record (e.g. the
    /// author approving their own publication).
    Forbidden,
}

/// Implemented by every aggregate's error type.
pub trait DomainError: std::error::Error {
    /// The kind of refusal.
    fn refusal(&self) -> Refusal;

    /// The fields an `Invalid` refusal is about, as `(JSON Pointer, detail)`
    /// pairs, when the error can name them (e.g. `/social_text/x`).
    fn fields(&self) -> Vec<(String, String)> {
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use super::tag;

    #[test]
    fn a_tag_is_lowercase_letters_digits_and_single_hyphens() {
        assert_eq!(tag("ward", "Canning Town (North)"), "ward:canning-town-north");
        assert_eq!(tag("reader", uuid::Uuid::from_u128(1)), "reader:00000000-0000-0000-0000-000000000001");
        assert_eq!(tag("ward", "100% _Stratford_"), "ward:100-stratford");
    }
}
