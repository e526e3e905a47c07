//! The group's budget: for each ledger (council-provided resources, the
//! group's own funds) and financial year, one budget of lines with their
//! allocations, money moved between them, and the spending proposed, approved
//! (by one or two Group Officers, never the proposer), rejected and paid
//! against them. One record per ledger and year, so that every rule over a
//! line's money (the 80% warning, the 100% refusal, money moved never below
//! what is spent) is checked against all of it at once.

mod aggregate;
mod lines;
mod spending;

/// Spending above this many pence needs two different Group Officers'
/// approvals unless the group configures otherwise (£500).
pub const DEFAULT_SECOND_APPROVAL_ABOVE_PENCE: u64 = 50_000;

pub use aggregate::{Budget, BudgetCommand, BudgetError, BudgetEvent, Transfer, budget_id};
pub use lines::{Category, LINE_CODE_PATTERN, Ledger, Line, LineCode, LineCodeError, LineUse, UseLevel};
pub use spending::{Approval, Payment, Rejection, Spend, SpendDraft, SpendStatus};
