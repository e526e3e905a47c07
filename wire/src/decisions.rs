//! `/decisions`: the group's decisions register.

use caucus_domain::decision::{
    self as domain, Decision, DecisionDraft, ProgressReport, Votes as DomainVotes,
};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::common::{
    ChosenClassification, Classification, Cursor, IdList, ListOrder, PageLimit, Stored, Unrecorded,
};
use crate::input::{DocumentText, NoteText, PercentComplete, TitleText};
use crate::meetings::MeetingItemRef;
use crate::mirror::mirror;
use crate::{Fields, ParseRequest};

/// Where a decision was taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum TakenBy {
    /// At a meeting of the group.
    GroupMeeting {
        /// The meeting's reference, e.g. `Group meeting 2 March 2026`.
        meeting: TitleText,
        /// The meeting and agenda item it was recorded from; set only by
        /// `POST /meetings/{id}/decisions`, which also links the item to it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        meeting_item: Option<MeetingItemRef>,
    },
    /// By the Group Officers between meetings.
    GroupOfficers,
}

impl From<domain::TakenBy> for TakenBy {
    fn from(taken_by: domain::TakenBy) -> Self {
        match taken_by {
            domain::TakenBy::GroupMeeting { meeting, meeting_item } => Self::GroupMeeting {
                meeting: meeting.to_string().into(),
                meeting_item: meeting_item.map(Into::into),
            },
            domain::TakenBy::GroupOfficers => Self::GroupOfficers,
        }
    }
}

/// A recorded vote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Votes {
    /// Votes in favour.
    #[serde(rename = "for")]
    #[schema(maximum = 4294967295_u64)]
    pub in_favour: u32,
    /// Votes against.
    #[schema(maximum = 4294967295_u64)]
    pub against: u32,
    /// Abstentions.
    #[schema(maximum = 4294967295_u64)]
    pub abstain: u32,
}

impl From<Votes> for DomainVotes {
    fn from(v: Votes) -> Self {
        Self { r#for: v.in_favour, against: v.against, abstain: v.abstain }
    }
}

impl From<DomainVotes> for Votes {
    fn from(v: DomainVotes) -> Self {
        Self { in_favour: v.r#for, against: v.against, abstain: v.abstain }
    }
}

mirror! {
    /// How implementation is going.
    pub enum ProgressStatus = caucus_domain::decision::ProgressStatus {
        /// Not started.
        NotStarted,
        /// Going to plan.
        OnTrack,
        /// May miss its date.
        AtRisk,
        /// Cannot go on without help.
        Blocked,
    }
}

mirror! {
    /// Where a decision stands.
    pub enum DecisionStatus = caucus_domain::decision::DecisionStatus {
        /// In force, being implemented.
        InForce,
        /// Carried out.
        Implemented,
        /// Rescinded.
        Rescinded,
        /// Replaced by a later decision.
        Superseded,
    }
    internal { Unrecorded }
}

/// Record a decision the group has taken.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordDecisionRequest {
    /// A short title.
    pub title: TitleText,
    /// The decision's text.
    pub text: DocumentText,
    /// The day it was taken.
    pub decided_on: NaiveDate,
    /// Where it was taken.
    pub taken_by: TakenBy,
    /// The vote, where one was recorded; it must count at least one vote.
    #[serde(default)]
    pub votes: Option<Votes>,
    /// Who may read it.
    pub classification: ChosenClassification,
    /// When the group means to look at it again: not before `decided_on`.
    #[serde(default)]
    pub review_on: Option<NaiveDate>,
}

impl ParseRequest for RecordDecisionRequest {
    type Parsed = DecisionDraft;

    fn parse_fields(&self, fields: &mut Fields) -> Option<DecisionDraft> {
        let title = fields.check("/title", &self.title);
        let text = fields.check("/text", &self.text);
        let taken_by = match &self.taken_by {
            TakenBy::GroupMeeting { meeting, meeting_item } => {
                if meeting_item.is_some() {
                    fields.reject(
                        "/taken_by/meeting_item",
                        "record a decision from an agenda item with POST /meetings/{id}/decisions",
                    );
                }
                fields
                    .check("/taken_by/meeting", meeting)
                    .map(|meeting| domain::TakenBy::GroupMeeting { meeting, meeting_item: None })
            }
            TakenBy::GroupOfficers => Some(domain::TakenBy::GroupOfficers),
        };
        if let Some(votes) = self.votes
            && votes.in_favour + votes.against + votes.abstain == 0
        {
            fields.reject("/votes", "a recorded vote must count at least one vote");
        }
        if let Some(review_on) = self.review_on {
            fields.not_before("/review_on", review_on, self.decided_on, "decided_on");
        }
        Some(DecisionDraft {
            title: title?,
            text: text?,
            decided_on: self.decided_on,
            taken_by: taken_by?,
            votes: self.votes.map(Into::into),
            classification: self.classification.into(),
            review_on: self.review_on,
        })
    }
}

/// Amend a decision's text.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AmendDecisionRequest {
    /// The new text.
    pub text: DocumentText,
    /// Why it is amended.
    pub reason: NoteText,
}

/// Report progress on implementing a decision.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportProgressRequest {
    /// The day the progress refers to.
    pub on: NaiveDate,
    /// What happened.
    pub note: NoteText,
    /// How it is going.
    pub status: ProgressStatus,
    /// How much is done.
    pub percent_complete: PercentComplete,
}

impl ParseRequest for ReportProgressRequest {
    type Parsed = ProgressReport;

    fn parse_fields(&self, fields: &mut Fields) -> Option<ProgressReport> {
        let note = fields.check("/note", &self.note);
        let percent = fields.check("/percent_complete", &self.percent_complete);
        Some(ProgressReport {
            on: self.on,
            note: note?,
            status: self.status.into(),
            percent_complete: percent?,
        })
    }
}

/// Mark a decision implemented.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MarkImplementedRequest {
    /// The day it was completed.
    pub on: NaiveDate,
}

/// Rescind a decision.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RescindDecisionRequest {
    /// Why.
    pub reason: NoteText,
}

/// Supersede a decision with a later one.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SupersedeDecisionRequest {
    /// The id of the decision that replaces it: another decision of the same group.
    pub by: Uuid,
    /// Why.
    pub reason: NoteText,
}

/// One amendment.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AmendmentView {
    /// The text before the amendment.
    pub previous_text: String,
    /// Why it was amended.
    pub reason: String,
}

/// One progress note.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ProgressNoteView {
    /// The day it refers to.
    pub on: NaiveDate,
    /// What happened.
    pub note: String,
    /// How it is going.
    pub status: ProgressStatus,
    /// How much is done, in percent.
    pub percent_complete: u8,
}

/// A decision of the group.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DecisionView {
    /// The decision's id.
    pub id: Uuid,
    /// Its version; also its ETag.
    pub version: u64,
    /// Where it stands.
    pub status: DecisionStatus,
    /// A short title.
    pub title: String,
    /// The current text.
    pub text: String,
    /// The day it was taken.
    pub decided_on: NaiveDate,
    /// Where it was taken.
    pub taken_by: TakenBy,
    /// The recorded vote.
    pub votes: Option<Votes>,
    /// Who may read it.
    pub classification: Classification,
    /// When the group means to look at it again.
    pub review_on: Option<NaiveDate>,
    /// Amendments, oldest first.
    pub amendments: Vec<AmendmentView>,
    /// Progress notes, oldest first.
    pub progress: Vec<ProgressNoteView>,
    /// The day it was implemented.
    pub implemented_on: Option<NaiveDate>,
    /// Why it was rescinded or superseded.
    pub ended_reason: Option<String>,
    /// The decision that superseded it.
    pub superseded_by: Option<Uuid>,
    /// When it was recorded (RFC 3339, UTC).
    pub recorded_at: String,
    /// When it last changed (RFC 3339, UTC).
    pub updated_at: String,
}

impl DecisionView {
    /// The decision as the contract shows it.
    pub fn new(id: Uuid, d: Decision, stored: Stored<'_>) -> Result<Self, Unrecorded> {
        let unrecorded = || Unrecorded { record: "decision", id };
        Ok(Self {
            id,
            version: stored.version,
            status: d.status.try_into().map_err(|_| unrecorded())?,
            title: d.title.ok_or_else(unrecorded)?.to_string(),
            text: d.text.ok_or_else(unrecorded)?.to_string(),
            decided_on: d.decided_on.ok_or_else(unrecorded)?,
            taken_by: d.taken_by.ok_or_else(unrecorded)?.into(),
            votes: d.votes.map(Into::into),
            classification: d.classification.ok_or_else(unrecorded)?.into(),
            review_on: d.review_on,
            amendments: d
                .amendments
                .into_iter()
                .map(|a| AmendmentView {
                    previous_text: a.previous_text.to_string(),
                    reason: a.reason.to_string(),
                })
                .collect(),
            progress: d
                .progress
                .into_iter()
                .map(|p| ProgressNoteView {
                    on: p.on,
                    note: p.note.to_string(),
                    status: p.status.into(),
                    percent_complete: p.percent_complete,
                })
                .collect(),
            implemented_on: d.implemented_on,
            ended_reason: d.ended_reason.map(|r| r.to_string()),
            superseded_by: d.superseded_by,
            recorded_at: stored.created_at.to_owned(),
            updated_at: stored.updated_at.to_owned(),
        })
    }
}

/// A page of the decisions register.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DecisionPage {
    /// The decisions, oldest first.
    pub items: Vec<DecisionView>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// Filters for the decisions register.
#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DecisionFilters {
    /// Only these records (up to 200 ids, separated by commas): the ones a
    /// page names. Ask for a `limit` as large as the list to have them all at once.
    #[param(inline)]
    pub ids: Option<IdList>,
    /// Only decisions in this status.
    #[param(inline)]
    pub status: Option<DecisionStatus>,
    /// Only decisions due for review on or before this day.
    pub review_due_by: Option<NaiveDate>,
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
