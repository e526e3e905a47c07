//! `/my-work`: everything the caller must see to, soonest first, from one
//! operation so every client shows the same list.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// A kind of work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WorkKind {
    /// An action of theirs (for the office, anyone's) past due or due within a week.
    Action,
    /// A publication waiting for their approval.
    Approval,
    /// A case they work whose next step is past due or due within five working days.
    Case,
    /// An appointment whose term ends within 30 days.
    TermEnding,
    /// A meeting within 14 days with papers not yet despatched (overdue:
    /// late papers, its despatch day passed).
    Papers,
    /// A publication scheduled to go out within 7 days.
    Scheduled,
    /// A forward plan decision due within 30 days with no group position.
    Position,
    /// An election open for nominations and votes (due: the day of its meeting).
    Election,
    /// A drafted motion or question whose submission deadline is within 14
    /// days (due: the deadline's day; a deadline passed drops it).
    Deadline,
    /// A place at a group event offered to them from its waiting list (due:
    /// the day the offer lapses).
    PlaceOffered,
    /// Hospitality at or over the group's threshold received at a group
    /// event, to register within 28 days (for the office: everyone's).
    Hospitality,
    /// A seat, nominated or held, on a body that requires training the
    /// member lacks (due: the day it lapsed, else the term's first day).
    Training,
    /// A step of a new member's induction past due or due within a week:
    /// every step of their own for the member, steps they or their role own, and
    /// for the office every one (its record: the member inducted, read at
    /// `/inductions/{member_id}`).
    Induction,
    /// A donation over the check threshold whose permissibility check is
    /// still to be made, due 30 days after it was received (for those who
    /// keep the group's funds; its record: the donation).
    PermissibilityCheck,
    /// A 28-day clock of the register of interests not yet met, due or run
    /// out: from joining the group, from an appointment to an outside body (the
    /// member's own; for the office everyone's; its record: the member, read at
    /// `/registers/{member_id}`).
    RegisterOfInterests,
    /// Spending awaiting an approval the caller may give: for Group Officers,
    /// never spending they proposed or approved already (awaiting a second
    /// approver); undated; its record: the budget, read at `/budgets/{id}`.
    SpendingApproval,
}

/// One thing to see to.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct WorkItemView {
    /// What kind of work it is.
    pub kind: WorkKind,
    /// What it is called (never a resident's personal data).
    pub title: String,
    /// When it falls due, if it does.
    pub due_on: Option<NaiveDate>,
    /// Whether that day has passed.
    pub overdue: bool,
    /// The record's id.
    pub record_id: Uuid,
    /// Where the record is read in the api.
    pub url: String,
}

/// The caller's work.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MyWorkView {
    /// The day it was read for.
    pub today: NaiveDate,
    /// What to see to, soonest first (undated last).
    pub items: Vec<WorkItemView>,
    /// Kinds with more items than are listed (50 of each at most): their
    /// registers have the rest.
    pub more: Vec<WorkKind>,
}
