//! `/actions`: who is doing what by when; overdue and due-soon lists.

use caucus_domain::action::{Action, ActionDraft};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::common::{
    ChosenClassification, Classification, Cursor, DaysAhead, IdList, ListOrder, PageLimit, ReadOn, Stored,
    Unrecorded,
};
use crate::input::{NoteText, TitleText};
use crate::meetings::MeetingItemRef;
use crate::mirror::mirror;
use crate::{Fields, ParseRequest};

mirror! {
    /// Where an action stands.
    pub enum ActionStatus = caucus_domain::action::ActionStatus {
        /// Being worked on.
        Open,
        /// Done.
        Completed,
        /// Dropped.
        Cancelled,
    }
    internal { Uncreated }
}

/// Agree a new action.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateActionRequest {
    /// What is to be done.
    pub title: TitleText,
    /// More detail.
    #[serde(default)]
    pub description: Option<NoteText>,
    /// The member who owns it: a current member of the group.
    pub owner_id: Uuid,
    /// When it is due.
    pub due_on: NaiveDate,
    /// The decision it implements (in the same group), if any.
    #[serde(default)]
    pub decision_id: Option<Uuid>,
    /// Who may read it.
    pub classification: ChosenClassification,
}

impl ParseRequest for CreateActionRequest {
    type Parsed = ActionDraft;

    fn parse_fields(&self, fields: &mut Fields) -> Option<ActionDraft> {
        let title = fields.check("/title", &self.title);
        let description = fields.check_optional("/description", self.description.as_ref());
        Some(ActionDraft {
            title: title?,
            description: description?,
            owner_id: self.owner_id,
            due_on: self.due_on,
            decision_id: self.decision_id,
            classification: self.classification.into(),
            meeting_item: None,
        })
    }
}

/// Pass an action to another member.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReassignActionRequest {
    /// The new owner: a current member of the group.
    pub owner_id: Uuid,
    /// Why.
    #[serde(default)]
    pub reason: Option<NoteText>,
}

/// Move an action's due date.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RescheduleActionRequest {
    /// The new due date.
    pub due_on: NaiveDate,
    /// Why it moved (required: a slipped date is explained on the record).
    pub reason: NoteText,
}

/// Note progress on an action.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionProgressRequest {
    /// The day the note refers to.
    pub on: NaiveDate,
    /// What happened.
    pub note: NoteText,
}

/// Mark an action done.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompleteActionRequest {
    /// The day it was done.
    pub on: NaiveDate,
    /// A closing note.
    #[serde(default)]
    pub note: Option<NoteText>,
}

/// Drop an action.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelActionRequest {
    /// Why.
    pub reason: NoteText,
}

/// One change of due date.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RescheduleView {
    /// The due date before.
    pub from: NaiveDate,
    /// The due date after.
    pub to: NaiveDate,
    /// Why.
    pub reason: String,
}

/// One progress note.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ActionProgressView {
    /// The day it refers to.
    pub on: NaiveDate,
    /// What happened.
    pub note: String,
}

/// An action.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ActionView {
    /// The action's id.
    pub id: Uuid,
    /// Its version; also its ETag.
    pub version: u64,
    /// Where it stands.
    pub status: ActionStatus,
    /// Whether it is open and past its due date (as of the day it is read for).
    pub overdue: bool,
    /// What is to be done.
    pub title: String,
    /// More detail.
    pub description: Option<String>,
    /// The member who owns it.
    pub owner_id: Uuid,
    /// Earlier owners, oldest first.
    pub previous_owners: Vec<Uuid>,
    /// When it is due.
    pub due_on: NaiveDate,
    /// Changes of due date, oldest first.
    pub reschedules: Vec<RescheduleView>,
    /// The decision it implements.
    pub decision_id: Option<Uuid>,
    /// The meeting and agenda item it was agreed at.
    pub meeting_item: Option<MeetingItemRef>,
    /// Who may read it.
    pub classification: Classification,
    /// Progress notes, oldest first.
    pub progress: Vec<ActionProgressView>,
    /// The day it was completed.
    pub completed_on: Option<NaiveDate>,
    /// The closing note, or why it was cancelled.
    pub closing_note: Option<String>,
    /// When it was created (RFC 3339, UTC).
    pub created_at: String,
    /// When it last changed (RFC 3339, UTC).
    pub updated_at: String,
}

impl ActionView {
    /// The action as the contract shows it on the day it is read (which decides `overdue`).
    pub fn new(id: Uuid, a: Action, stored: Stored<'_>, on: ReadOn<'_>) -> Result<Self, Unrecorded> {
        let uncreated = || Unrecorded { record: "action", id };
        let overdue = a.is_overdue(on.today);
        Ok(Self {
            id,
            version: stored.version,
            status: a.status.try_into().map_err(|_| uncreated())?,
            overdue,
            title: a.title.ok_or_else(uncreated)?.to_string(),
            description: a.description.map(|d| d.to_string()),
            owner_id: a.owner_id.ok_or_else(uncreated)?,
            previous_owners: a.previous_owners,
            due_on: a.due_on.ok_or_else(uncreated)?,
            reschedules: a
                .reschedules
                .into_iter()
                .map(|r| RescheduleView { from: r.from, to: r.to, reason: r.reason.to_string() })
                .collect(),
            decision_id: a.decision_id,
            meeting_item: a.meeting_item.map(Into::into),
            classification: a.classification.ok_or_else(uncreated)?.into(),
            progress: a
                .progress
                .into_iter()
                .map(|p| ActionProgressView { on: p.on, note: p.note.to_string() })
                .collect(),
            completed_on: a.completed_on,
            closing_note: a.closing_note.map(|n| n.to_string()),
            created_at: stored.created_at.to_owned(),
            updated_at: stored.updated_at.to_owned(),
        })
    }
}

/// A page of actions.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ActionPage {
    /// The actions, oldest first.
    pub items: Vec<ActionView>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// Filters for the actions list. `overdue` and `due_within_days` list open
/// actions only: with either, another `status` lists nothing.
#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ActionFilters {
    /// Only these records (up to 200 ids, separated by commas): the ones a
    /// page names. Ask for a `limit` as large as the list to have them all at once.
    #[param(inline)]
    pub ids: Option<IdList>,
    /// Only actions owned by this member.
    pub owner_id: Option<Uuid>,
    /// Only actions carrying out this decision.
    pub decision_id: Option<Uuid>,
    /// Only actions in this status.
    #[param(inline)]
    pub status: Option<ActionStatus>,
    /// Only open actions past their due date.
    pub overdue: Option<bool>,
    /// Only open actions due between today and this many days from now.
    #[param(inline)]
    pub due_within_days: Option<DaysAhead>,
    /// Continue from the `next_cursor` of the previous page.
    #[param(inline)]
    pub cursor: Option<Cursor>,
    /// Page size, 1 to 200 (default 50).
    #[param(inline)]
    pub limit: Option<PageLimit>,
    /// Which end of the register to start from (default `oldest`).
    #[param(inline)]
    pub order: Option<ListOrder>,
    /// The register as it stood at this instant, rebuilt from the events recorded by then.
    pub as_of: Option<DateTime<Utc>>,
}
