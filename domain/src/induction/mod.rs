//! The induction of new councillors: the group's configured steps (one
//! record per group; the defaults until the office configures its own) and
//! each member's checklist, a snapshot of those steps taken the day they
//! joined, each due a number of days after joining, with an owner.

mod checklist;
mod steps;

pub use checklist::{
    Induction, InductionCommand, InductionError, InductionEvent, InductionStatus, InductionStep, StepDone,
    induction_id,
};
pub use steps::{
    DEFAULT_STEPS, InductionSteps, MAX_DUE_DAYS, Step, StepDraft, StepOwner, StepsCommand, StepsError,
    StepsEvent, default_steps, induction_steps_id,
};
