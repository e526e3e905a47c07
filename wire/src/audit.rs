//! The audit routes' contract: a record's history, the group's audit log in
//! commit order, and what a verification of its hash chain found.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::borrow::Cow;
use utoipa::{
    IntoParams, PartialSchema, ToSchema,
    openapi::{ObjectBuilder, RefOr, Schema, Type},
};
use uuid::Uuid;

use crate::input::{Input, OutOfRange, TitleText, number_input};

/// A kind of record, as a history's path and the audit log name it: its
/// stored type, in lower case.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    ToSchema,
    strum::IntoStaticStr,
    strum::VariantArray,
)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum RecordType {
    /// A decision.
    Decision,
    /// An action.
    Action,
    /// A member.
    Member,
    /// A body.
    Body,
    /// An appointment.
    Appointment,
    /// A publication.
    Publication,
    /// A meeting.
    Meeting,
    /// An election.
    Election,
    /// A group event (seminar, away day, training, conference, social).
    GroupEvent,
    /// A course of the training catalogue.
    Course,
    /// A member's training record.
    TrainingRecord,
    /// The group's induction steps.
    InductionSteps,
    /// A member's induction.
    Induction,
    /// A forward plan item.
    ForwardPlanItem,
    /// A motion or question.
    Motion,
    /// A briefing or speaking note.
    Briefing,
    /// An organisation cases are referred to.
    Organisation,
    /// A resident who brought a case.
    Resident,
    /// A case.
    Case,
    /// A ledger's budget for a financial year.
    Budget,
    /// A member's register of interests.
    Register,
    /// A donation to the group's funds (probity, issue 18).
    Donation,
}

impl RecordType {
    /// Its word.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// The audit log's page size when none is asked for.
pub const DEFAULT_AUDIT_PAGE: u32 = 100;
/// The most entries one page of the audit log holds.
pub const MAX_AUDIT_PAGE: u32 = 1000;

number_input!(
    /// How many audit log entries one page holds.
    AuditLimit => u32, 1u32, MAX_AUDIT_PAGE
);

/// The largest log position a client names: positions count events from 1,
/// and JSON numbers are exact up to here.
pub const MAX_LOG_POSITION: i64 = (1 << 53) - 1;

number_input!(
    /// A position in the group's audit log.
    LogPosition => i64, 0i64, MAX_LOG_POSITION
);

/// One field an event changed.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ChangeView {
    /// The record's field.
    pub field: String,
    /// Its value before the event (`null`: none).
    pub before: Value,
    /// Its value after the event (`null`: none).
    pub after: Value,
}

/// One event of a record's history.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct HistoryEventView {
    /// Its sequence within the record (the record's version after it).
    pub sequence: i64,
    /// What happened (`DecisionAmended`, ...).
    pub event_type: String,
    /// The event's stored version.
    pub event_version: String,
    /// Who recorded it (token subject).
    pub actor: Option<String>,
    /// Their roles, comma-separated.
    pub roles: Option<String>,
    /// When it was recorded (RFC 3339, UTC).
    pub recorded_at: Option<String>,
    /// The HTTP request that carried it.
    pub request_id: Option<String>,
    /// Its position in the group's audit log, once chained (within a second).
    pub log_position: Option<i64>,
    /// Its link hash in the group's chain, once chained.
    pub hash: Option<String>,
    /// The event as stored.
    pub payload: Value,
    /// All of its metadata as stored.
    pub metadata: Value,
    /// What it changed in the record: each field before and after.
    pub changes: Vec<ChangeView>,
}

/// A record's history.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct HistoryView {
    /// The record type (`decision`, `action`, `member`, `body`, `appointment`, ...).
    pub record_type: String,
    /// The record's id.
    pub record_id: Uuid,
    /// Every event, oldest first.
    pub events: Vec<HistoryEventView>,
}

/// Filters and paging of the audit log.
#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AuditLogParams {
    /// Continue after this log position (the previous page's `next_after`).
    #[param(inline)]
    pub after: Option<LogPosition>,
    /// At most this many entries (default 100).
    #[param(inline)]
    pub limit: Option<AuditLimit>,
    /// Only events by this actor (token subject).
    #[param(inline)]
    pub actor: Option<TitleText>,
    /// Only events of this record type.
    #[param(inline)]
    pub record_type: Option<RecordType>,
    /// Only events of this record.
    pub record_id: Option<Uuid>,
    /// Only events recorded at or after this instant.
    pub from: Option<DateTime<Utc>>,
    /// Only events recorded before this instant.
    pub to: Option<DateTime<Utc>>,
}

/// One entry of the audit log.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AuditEntryView {
    /// Its position in the group's log: commit order, from 1, no gaps.
    pub position: i64,
    /// The record type.
    pub record_type: String,
    /// The record's id.
    pub record_id: String,
    /// Its sequence within the record.
    pub sequence: i64,
    /// What happened.
    pub event_type: Option<String>,
    /// The event's stored version.
    pub event_version: Option<String>,
    /// Who recorded it.
    pub actor: String,
    /// When (RFC 3339, UTC).
    pub recorded_at: String,
    /// Its link hash in the group's chain.
    pub hash: String,
    /// The event as stored (`null` if the log no longer has it: run a verification).
    pub payload: Value,
    /// Its metadata as stored.
    pub metadata: Value,
}

/// A page of the audit log.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AuditLogPage {
    /// Entries in log order.
    pub entries: Vec<AuditEntryView>,
    /// Pass as `after` for the next page; absent on the last page.
    pub next_after: Option<i64>,
}

/// The first thing found wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ChainProblem {
    /// A position is missing from the chain (a row was deleted).
    Gap {
        /// The missing position.
        position: u64,
    },
    /// The chain names an event the log no longer has.
    MissingEvent {
        /// Its position.
        position: u64,
    },
    /// The event at a position does not hash to the stored link: its content,
    /// metadata or place in the order was changed.
    HashMismatch {
        /// The position.
        position: u64,
    },
    /// A signed checkpoint covers more events than the log now has: the tail
    /// was cut off.
    Truncated {
        /// The first missing position.
        position: u64,
        /// The checkpoint's size.
        checkpoint_size: u64,
    },
    /// The chain, recomputed, does not reach the head a checkpoint signed: the
    /// chain was rewritten somewhere up to that size.
    CheckpointMismatch {
        /// The first position that could have been changed (after the last
        /// checkpoint that still matches).
        position: u64,
        /// The checkpoint's size.
        checkpoint_size: u64,
    },
    /// A stored checkpoint's signature does not verify.
    BadCheckpoint {
        /// The checkpoint's size as stored.
        checkpoint_size: u64,
        /// Why.
        reason: String,
    },
}

impl ChainProblem {
    /// The first position the problem concerns.
    pub fn position(&self) -> u64 {
        match self {
            Self::Gap { position }
            | Self::MissingEvent { position }
            | Self::HashMismatch { position }
            | Self::Truncated { position, .. }
            | Self::CheckpointMismatch { position, .. } => *position,
            Self::BadCheckpoint { checkpoint_size, .. } => *checkpoint_size,
        }
    }
}

impl std::fmt::Display for ChainProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Gap { position } => write!(f, "position {position} is missing from the chain"),
            Self::MissingEvent { position } => write!(f, "the event at position {position} is missing"),
            Self::HashMismatch { position } => {
                write!(
                    f,
                    "the event at position {position} does not match its link hash: it was changed or moved"
                )
            }
            Self::Truncated { position, checkpoint_size } => write!(
                f,
                "the log ends before position {position}, but a signed checkpoint covers {checkpoint_size} events"
            ),
            Self::CheckpointMismatch { position, checkpoint_size } => write!(
                f,
                "the chain does not reach the head signed at size {checkpoint_size}: rewritten from position {position} on at the latest"
            ),
            Self::BadCheckpoint { checkpoint_size, reason } => {
                write!(f, "the checkpoint at size {checkpoint_size} does not verify: {reason}")
            }
        }
    }
}

/// What a verification found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct VerifyReport {
    /// How many events were checked.
    pub events: u64,
    /// How many signed checkpoints were checked against the chain.
    pub checkpoints: u64,
    /// The largest size a valid checkpoint covers, if any.
    pub signed_size: Option<u64>,
    /// The first problem, or none: the log is intact.
    pub problem: Option<ChainProblem>,
}

impl VerifyReport {
    /// Whether the log is intact.
    pub fn is_intact(&self) -> bool {
        self.problem.is_none()
    }
}

/// Where a verification run in the background stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum VerificationState {
    /// Still reading the log.
    Running,
    /// Finished: `report` says what it found.
    Done,
    /// Broke off before it finished (the service restarted or the store
    /// failed): start another.
    Stopped,
}

/// A verification of the group's hash chain run in the background.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct VerificationView {
    /// Its id.
    pub id: Uuid,
    /// Where it stands.
    pub state: VerificationState,
    /// Who started it (the token subject).
    pub started_by: String,
    /// When.
    pub started_at: DateTime<Utc>,
    /// How many events the log held when it started: those it checks.
    pub events: u64,
    /// How many of them it has checked so far.
    pub checked: u64,
    /// When it finished, once it has.
    pub finished_at: Option<DateTime<Utc>>,
    /// What it found, once done.
    pub report: Option<VerifyReport>,
}
