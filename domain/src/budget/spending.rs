use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::lines::LineCode;
use crate::{Note, Pence, Title};

/// Where a piece of spending stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum SpendStatus {
    /// Proposed, awaiting a Group Officer's approval.
    Proposed,
    /// Approved once where two different approvers are needed.
    AwaitingSecondApproval,
    /// Approved: committed, not yet paid.
    Approved,
    /// Refused by a Group Officer.
    Rejected,
    /// Paid, with the receipt.
    Paid,
}

impl SpendStatus {
    /// The stable word for it (its serde name too).
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// Spending as proposed, already checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpendDraft {
    /// The line it is paid from.
    pub line: LineCode,
    /// How much.
    pub amount: Pence,
    /// Who is paid.
    pub payee: Title,
    /// What for.
    pub purpose: Note,
    /// The quote or invoice, a file stored with Caucus (its id).
    pub quote_file_id: Option<String>,
}

/// A Group Officer's approval.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Approval {
    /// Who approved (their token's subject).
    pub by: String,
    /// When.
    pub on: NaiveDate,
    /// Why it was approved past the line's allocation, when it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub override_reason: Option<Note>,
}

/// A Group Officer's rejection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejection {
    /// Who rejected it.
    pub by: String,
    /// When.
    pub on: NaiveDate,
    /// Why.
    pub reason: Note,
}

/// The payment of approved spending.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payment {
    /// Who recorded it.
    pub by: String,
    /// The day it was paid.
    pub paid_on: NaiveDate,
    /// The receipt, a file stored with Caucus (its id).
    pub receipt_file_id: String,
}

/// One piece of spending against a line of the budget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Spend {
    /// Its number within the budget, from 1.
    pub number: u16,
    /// What, how much, to whom.
    pub draft: SpendDraft,
    /// Who proposed it (their token's subject).
    pub proposed_by: String,
    /// When.
    pub proposed_on: NaiveDate,
    /// Why it was proposed past the line's allocation, when a Group Officer did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub override_reason: Option<Note>,
    /// How many different Group Officers must approve it (1, or 2 above the
    /// group's threshold when it was proposed).
    pub approvals_needed: u8,
    /// The approvals given.
    #[serde(default)]
    pub approvals: Vec<Approval>,
    /// Its rejection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rejection: Option<Rejection>,
    /// Its payment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment: Option<Payment>,
    /// The budget's version when it last changed: its ETag, so a Group
    /// Officer approves what they read and other spending does not stale it.
    pub changed_at: u64,
}

impl Spend {
    /// Where it stands, from its facts.
    pub fn status(&self) -> SpendStatus {
        if self.payment.is_some() {
            SpendStatus::Paid
        } else if self.rejection.is_some() {
            SpendStatus::Rejected
        } else if self.approvals.len() >= usize::from(self.approvals_needed) {
            SpendStatus::Approved
        } else if self.approvals.is_empty() {
            SpendStatus::Proposed
        } else {
            SpendStatus::AwaitingSecondApproval
        }
    }

    /// Whether it still waits for an approval.
    pub fn is_pending(&self) -> bool {
        matches!(self.status(), SpendStatus::Proposed | SpendStatus::AwaitingSecondApproval)
    }
}
