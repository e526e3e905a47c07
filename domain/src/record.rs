//! What every aggregate in Caucus shares: it belongs to one group, carries a
//! classification, and exposes the few fields that lists filter on.

use chrono::NaiveDate;
use cqrs_es::Aggregate;
use cqrs_es::persist::EventUpcaster;
use uuid::Uuid;

use super::{classification::Classification, group::GroupId};

/// An aggregate that is one of the group's records.
pub trait Record: Aggregate {
    /// The group that owns the record; `None` until the first event.
    fn group_id(&self) -> Option<&GroupId>;

    /// Who may read the record.
    fn classification(&self) -> Classification;

    /// The record's lifecycle state as a stable lowercase word (e.g. `open`).
    fn status(&self) -> &'static str;

    /// The columns that registers filter and sort on.
    fn index(&self) -> RecordIndex {
        RecordIndex::default()
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
