//! `/forward-plan-items`: the council's forward plan of executive decisions,
//! the group's position on each, and its briefing actions.

use caucus_domain::forward_plan::{ForwardPlanItem, PlanEntry as DomainEntry};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use utoipa::{
    IntoParams, PartialSchema, ToSchema,
    openapi::{ObjectBuilder, RefOr, Schema, Type},
};
use uuid::Uuid;

use crate::common::{
    ChosenClassification, Classification, Cursor, IdList, ListOrder, PageLimit, Stored, Unrecorded,
};
use crate::input::{Input, NoteText, OutOfRange, TitleText, number_input};
use crate::mirror::mirror;
use crate::{Fields, ParseRequest};

/// The furthest ahead `due_within_days` looks: two years.
pub const MAX_DUE_WITHIN_DAYS: u16 = 731;

number_input!(
    /// How many days ahead an expected decision is looked for.
    DueWithinDays => u16, 0u16, MAX_DUE_WITHIN_DAYS
);

mirror! {
    /// Where a forward plan item stands.
    pub enum ForwardPlanStatus = caucus_domain::forward_plan::ForwardPlanStatus {
        /// Tracked, no position agreed yet.
        Tracked,
        /// The group has agreed its position.
        PositionAgreed,
    }
    internal { Unentered }
}

/// What the council's forward plan says about one coming decision.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanEntry {
    /// The decision's title.
    pub title: TitleText,
    /// Who takes it, e.g. `Cabinet`.
    pub decision_maker: TitleText,
    /// When it is expected.
    pub expected_on: NaiveDate,
    /// Whether it is a key decision.
    pub key_decision: bool,
    /// The wards it affects.
    #[serde(default)]
    pub wards: Vec<TitleText>,
    /// The portfolio it falls in.
    #[serde(default)]
    pub portfolio: Option<TitleText>,
    /// The council's reference for it.
    #[serde(default)]
    pub reference: Option<TitleText>,
}

/// Enter a forward plan item.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EnterForwardPlanItemRequest {
    /// What the forward plan says.
    pub entry: PlanEntry,
    /// Who may read it (the forward plan itself is public).
    pub classification: ChosenClassification,
}

/// Record the group's position.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgreePositionRequest {
    /// The position.
    pub position: NoteText,
}

/// Link a briefing action.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkBriefingActionRequest {
    /// The action, in the caller's group.
    pub action_id: Uuid,
}

/// A forward plan item.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ForwardPlanItemView {
    /// The item's id.
    pub id: Uuid,
    /// Its version; also its ETag.
    pub version: u64,
    /// Where it stands.
    pub status: ForwardPlanStatus,
    /// What the forward plan says now.
    pub entry: PlanEntry,
    /// Earlier versions of the entry, oldest first.
    pub previous_entries: Vec<PlanEntry>,
    /// Who may read it.
    pub classification: Classification,
    /// The group's position.
    pub position: Option<String>,
    /// Briefing actions.
    pub briefing_actions: Vec<Uuid>,
    /// When it was entered (RFC 3339, UTC).
    pub recorded_at: String,
    /// When it last changed (RFC 3339, UTC).
    pub updated_at: String,
}

/// A page of forward plan items.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ForwardPlanPage {
    /// The items, in the order they were entered.
    pub items: Vec<ForwardPlanItemView>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// Filters for the forward plan.
#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ForwardPlanFilters {
    /// Only these records (up to 200 ids, separated by commas): the ones a
    /// page names. Ask for a `limit` as large as the list to have them all at once.
    #[param(inline)]
    pub ids: Option<IdList>,
    /// Only items in this status.
    pub status: Option<ForwardPlanStatus>,
    /// Only items expected between today and this many days from today.
    #[param(inline)]
    pub due_within_days: Option<DueWithinDays>,
    /// Continue from the `next_cursor` of the previous page.
    #[param(inline)]
    pub cursor: Option<Cursor>,
    /// Page size, 1 to 200 (default 50).
    #[param(inline)]
    pub limit: Option<PageLimit>,
    /// Which end of the register to start from (default `oldest`).
    #[param(inline)]
    pub order: Option<ListOrder>,
}

/// What an import did.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ImportReport {
    /// The items entered, in the order of the file's rows.
    pub entered: Vec<Uuid>,
}

/// Who may read imported items.
#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ImportParams {
    /// Who may read the items (default public).
    pub classification: Option<ChosenClassification>,
}

impl ParseRequest for PlanEntry {
    type Parsed = DomainEntry;

    fn parse_fields(&self, fields: &mut Fields) -> Option<DomainEntry> {
        let title = fields.check("/title", &self.title);
        let decision_maker = fields.check("/decision_maker", &self.decision_maker);
        let wards: Vec<_> = self
            .wards
            .iter()
            .enumerate()
            .map(|(n, ward)| fields.check(&format!("/wards/{n}"), ward))
            .collect();
        let portfolio = fields.check_optional("/portfolio", self.portfolio.as_ref());
        let reference = fields.check_optional("/reference", self.reference.as_ref());
        Some(DomainEntry {
            title: title?,
            decision_maker: decision_maker?,
            expected_on: self.expected_on,
            key_decision: self.key_decision,
            wards: wards.into_iter().collect::<Option<_>>()?,
            portfolio: portfolio?,
            reference: reference?,
        })
    }
}

impl From<&DomainEntry> for PlanEntry {
    fn from(e: &DomainEntry) -> Self {
        Self {
            title: e.title.to_string().into(),
            decision_maker: e.decision_maker.to_string().into(),
            expected_on: e.expected_on,
            key_decision: e.key_decision,
            wards: e.wards.iter().map(|w| w.to_string().into()).collect(),
            portfolio: e.portfolio.as_ref().map(|p| p.to_string().into()),
            reference: e.reference.as_ref().map(|r| r.to_string().into()),
        }
    }
}

impl ForwardPlanItemView {
    /// The item as the contract shows it.
    pub fn new(id: Uuid, f: ForwardPlanItem, stored: Stored<'_>) -> Result<Self, Unrecorded> {
        let unentered = || Unrecorded { record: "forward plan item", id };
        Ok(Self {
            id,
            version: stored.version,
            status: f.status.try_into().map_err(|_| unentered())?,
            entry: f.entry.as_ref().ok_or_else(unentered)?.into(),
            previous_entries: f.previous_entries.iter().map(Into::into).collect(),
            classification: f.classification.ok_or_else(unentered)?.into(),
            position: f.position.as_ref().map(ToString::to_string),
            briefing_actions: f.briefing_actions,
            recorded_at: stored.created_at.to_owned(),
            updated_at: stored.updated_at.to_owned(),
        })
    }
}
