//! Councillor training: the group's catalogue of courses (each with how long
//! a completion stays valid, and the bodies whose members must hold it), and
//! each member's training record of completions with their evidence and of
//! the needs the member or the office recorded.

mod course;
mod need;
mod record;

pub use course::{
    Course, CourseCommand, CourseDraft, CourseError, CourseEvent, CourseStatus, MAX_VALID_MONTHS,
};
pub use need::{Need, NeedClosure, NeedDraft, NeedOutcome, NeedReason, Priority};
pub use record::{
    Completion, Evidence, TrainingCommand, TrainingError, TrainingEvent, TrainingRecord, training_record_id,
};
