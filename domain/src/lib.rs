//! The domain: the group's records as event-sourced aggregates. Nothing here
//! knows about HTTP, SQL or JSON Web Tokens (see ARCHITECTURE.md).

mod calendar;
mod classification;
mod group;
mod money;
mod record;
mod role;
mod sealed;
mod stored_file;
mod text;

pub mod action;
pub mod appointment;
pub mod body;
pub mod briefing;
pub mod budget;
pub mod case;
pub mod decision;
pub mod election;
pub mod forward_plan;
pub mod group_event;
pub mod induction;
pub mod meeting;
pub mod member;
pub mod motion;
pub mod organisation;
pub mod publication;
pub mod resident;
pub mod training;
// The register of interests (issue 18, probity).
pub mod interests;
// Probity: donations to the group's funds (issue 18).
pub mod donation;

pub use calendar::{CalendarError, DueDate, Nation, SkippedDay, WorkingDays};
pub use classification::Classification;
pub use group::{GroupId, GroupIdError};
pub use money::{FinancialYear, FinancialYearError, MoneyError, Pence, PoundsError, thousands};
pub use record::{DomainError, Fact, Record, RecordIndex, Refusal, tag};
pub use role::Role;
pub use sealed::{SEALED_PREFIX, Sealed};
pub use stored_file::{FILE_NAME_PATTERN, FileName, FileNameError, StoredFile};
pub use text::{BoundedText, LongText, Note, TEXT_PATTERN, TextError, Title};
