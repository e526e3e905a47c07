//! `/induction-steps` and `/inductions`: the steps the group inducts new
//! councillors with, and each new member's checklist.

use caucus_domain::induction::{Induction, InductionStep, InductionSteps, Step, StepDraft, StepOwner};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::input::{NoteText, TitleText};
use crate::mirror::mirror;
use crate::{Fields, ParseRequest};

mirror! {
    /// A role that may own a step.
    pub enum OwnerRole = caucus_domain::Role {
        /// The office (the Political Assistant).
        Assistant,
        /// The Group Leader.
        Leader,
        /// A Group Officer (the Whip, the Secretary).
        Officer,
    }
    internal { Councillor, Auditor, Publisher }
}

mirror! {
    /// Where a member's induction stands.
    pub enum InductionStatus = caucus_domain::induction::InductionStatus {
        /// Steps still to do.
        InProgress,
        /// Every step done.
        Complete,
    }
    internal { NotStarted }
}

/// Who sees a step through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum StepOwnerView {
    /// The new member themself.
    NewMember,
    /// Whoever holds a role.
    Role {
        /// The role.
        role: OwnerRole,
    },
    /// A named member of the group.
    Member {
        /// The member.
        member_id: Uuid,
    },
}

impl StepOwnerView {
    fn new(owner: StepOwner) -> Option<Self> {
        Some(match owner {
            StepOwner::NewMember => Self::NewMember,
            StepOwner::Role { role } => Self::Role { role: role.try_into().ok()? },
            StepOwner::Member { member_id } => Self::Member { member_id },
        })
    }
}

impl From<StepOwnerView> for StepOwner {
    fn from(owner: StepOwnerView) -> Self {
        match owner {
            StepOwnerView::NewMember => Self::NewMember,
            StepOwnerView::Role { role } => Self::Role { role: role.into() },
            StepOwnerView::Member { member_id } => Self::Member { member_id },
        }
    }
}

/// A step to add, or a step's new content.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StepRequest {
    /// What to do, e.g. `Meet the Leader and the Whip`.
    pub title: TitleText,
    /// How many days after joining it falls due, 0 to 365.
    #[schema(minimum = 0, maximum = 365)]
    pub due_after_days: u16,
    /// Who sees it through.
    pub owner: StepOwnerView,
    /// The course of the training catalogue it is, if it is one.
    #[serde(default)]
    pub course_id: Option<Uuid>,
}

impl ParseRequest for StepRequest {
    type Parsed = StepDraft;

    fn parse_fields(&self, fields: &mut Fields) -> Option<StepDraft> {
        let title = fields.check("/title", &self.title);
        let max = caucus_domain::induction::MAX_DUE_DAYS;
        let days = fields.range("/due_after_days", self.due_after_days, 0, max);
        Some(StepDraft {
            title: title?,
            due_after_days: days?,
            owner: self.owner.into(),
            course_id: self.course_id,
        })
    }
}

/// One configured step.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct StepView {
    /// Its number (used in paths; never reused).
    pub number: u16,
    /// What to do.
    pub title: String,
    /// How many days after joining it falls due.
    pub due_after_days: u16,
    /// Who sees it through.
    pub owner: StepOwnerView,
    /// The course of the training catalogue it is.
    pub course_id: Option<Uuid>,
}

impl StepView {
    fn new(step: &Step) -> Option<Self> {
        Some(Self {
            number: step.number,
            title: step.draft.title.to_string(),
            due_after_days: step.draft.due_after_days,
            owner: StepOwnerView::new(step.draft.owner)?,
            course_id: step.draft.course_id,
        })
    }
}

/// The steps new members are inducted with.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct InductionStepsView {
    /// The group's steps' record id (derived from the group's), for their history.
    pub id: Uuid,
    /// Its version (0 while the defaults stand); also its ETag.
    pub version: u64,
    /// Whether the group has configured its own (false: the defaults).
    pub configured: bool,
    /// The steps a member joining today is given, in number order.
    pub steps: Vec<StepView>,
}

impl InductionStepsView {
    /// The group's steps (none configured: the defaults) as the contract shows them.
    pub fn new(id: Uuid, record: Option<(&InductionSteps, u64)>) -> Self {
        let steps = InductionSteps::current(record.map(|(r, _)| r));
        Self {
            id,
            version: record.map_or(0, |(_, v)| v),
            configured: record.is_some(),
            steps: steps.iter().filter_map(StepView::new).collect(),
        }
    }
}

/// Start a member's induction (for one who joined before inductions were kept).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StartInductionRequest {
    /// The day they joined; steps fall due counted from it.
    pub joined_on: NaiveDate,
}

/// Tick a step off.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TickStepRequest {
    /// The day it was done (default today; not before joining, not in the future).
    #[serde(default)]
    pub done_on: Option<NaiveDate>,
    /// A note, up to 2,000 characters.
    #[serde(default)]
    pub note: Option<NoteText>,
}

/// One step of a member's induction.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct InductionStepView {
    /// The configured step's number.
    pub number: u16,
    /// What to do.
    pub title: String,
    /// Who sees it through.
    pub owner: StepOwnerView,
    /// The course of the training catalogue it is.
    pub course_id: Option<Uuid>,
    /// The day it falls due.
    pub due_on: NaiveDate,
    /// Whether it is not done and its day has passed.
    pub overdue: bool,
    /// The day it was ticked off.
    pub done_on: Option<NaiveDate>,
    /// Who ticked it off (a member's id, or the office's sign-in subject).
    pub done_by: Option<String>,
    /// The note made when it was ticked off.
    pub note: Option<String>,
}

impl InductionStepView {
    fn new(step: &InductionStep, today: NaiveDate) -> Option<Self> {
        Some(Self {
            number: step.number,
            title: step.title.to_string(),
            owner: StepOwnerView::new(step.owner)?,
            course_id: step.course_id,
            due_on: step.due_on,
            overdue: step.done.is_none() && step.due_on < today,
            done_on: step.done.as_ref().map(|d| d.on),
            done_by: step.done.as_ref().map(|d| d.by.clone()),
            note: step.done.as_ref().and_then(|d| d.note.as_ref()).map(ToString::to_string),
        })
    }
}

/// A member's induction.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct InductionView {
    /// The induction's own id (derived from the member's), for its history.
    pub id: Uuid,
    /// The member.
    pub member_id: Uuid,
    /// Its version; also its ETag.
    pub version: u64,
    /// Where it stands.
    pub status: InductionStatus,
    /// The day they joined.
    pub joined_on: NaiveDate,
    /// How many steps are done.
    pub done: usize,
    /// How many open steps are past their day.
    pub overdue: usize,
    /// Its steps, in number order.
    pub steps: Vec<InductionStepView>,
}

impl InductionView {
    /// The induction as the contract shows it on `today`; `None` before it started.
    pub fn new(id: Uuid, induction: &Induction, version: u64, today: NaiveDate) -> Option<Self> {
        Some(Self {
            id,
            member_id: induction.member_id?,
            version,
            status: induction.status().try_into().ok()?,
            joined_on: induction.joined_on?,
            done: induction.steps.iter().filter(|s| s.done.is_some()).count(),
            overdue: induction.overdue_on(today),
            steps: induction.steps.iter().filter_map(|s| InductionStepView::new(s, today)).collect(),
        })
    }
}

/// Inductions still in progress.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct InductionListView {
    /// The day it was read for.
    pub today: NaiveDate,
    /// Each in progress, most overdue steps first, then earliest joined.
    pub items: Vec<InductionView>,
}
