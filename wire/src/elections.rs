//! `/elections`: the group's elections to its posts, normally at the AGM.

use caucus_domain::election::{Election, ElectionDraft};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::common::{ChosenClassification, Classification, Cursor, PageLimit, Stored, Unrecorded};
use crate::input::{NoteText, TitleText};
use crate::mirror::mirror;
use crate::{Fields, ParseRequest};

mirror! {
    /// Where an election stands.
    pub enum ElectionStatus = caucus_domain::election::ElectionStatus {
        /// Taking nominations and votes.
        Open,
        /// The result has been declared.
        Declared,
        /// Called off.
        Cancelled,
    }
    internal { Uncalled }
}

/// Call an election for one of the group's posts.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenElectionRequest {
    /// The post: an active body of kind `group_post` in the caller's group.
    pub body_id: Uuid,
    /// The meeting it is held at (normally the AGM), in the caller's group.
    #[serde(default)]
    pub meeting_id: Option<Uuid>,
    /// Its title, e.g. `Chief Whip 2026/27`.
    pub title: TitleText,
    /// The first day of the winner's term.
    pub term_starts_on: NaiveDate,
    /// The last day of the winner's term; not before its first day.
    #[serde(default)]
    pub term_ends_on: Option<NaiveDate>,
    /// Who may read it.
    pub classification: ChosenClassification,
}

impl ParseRequest for OpenElectionRequest {
    type Parsed = ElectionDraft;

    fn parse_fields(&self, fields: &mut Fields) -> Option<ElectionDraft> {
        let title = fields.check("/title", &self.title);
        if let Some(end) = self.term_ends_on {
            fields.not_before("/term_ends_on", end, self.term_starts_on, "term_starts_on");
        }
        Some(ElectionDraft {
            body_id: self.body_id,
            meeting_id: self.meeting_id,
            title: title?,
            term_starts_on: self.term_starts_on,
            term_ends_on: self.term_ends_on,
            classification: self.classification.into(),
        })
    }
}

/// A candidate.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CandidateRequest {
    /// The member: a current member of the group.
    pub member_id: Uuid,
}

/// One candidate's votes.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CandidateVotes {
    /// The candidate.
    pub member_id: Uuid,
    /// Their votes.
    #[schema(maximum = 4294967295_u64)]
    pub votes: u32,
}

/// Count one round.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CountRoundRequest {
    /// Votes for every standing candidate, once each.
    pub votes: Vec<CandidateVotes>,
}

/// Declare the result.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeclareResultRequest {
    /// The day it was declared.
    pub on: NaiveDate,
}

/// Call an election off.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelElectionRequest {
    /// Why.
    pub reason: NoteText,
}

/// The declared result.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OutcomeView {
    /// The winner.
    pub winner: Uuid,
    /// Whether nobody stood against them.
    pub uncontested: bool,
    /// The day it was declared.
    pub on: NaiveDate,
    /// The winner's appointment to the post.
    pub appointment_id: Uuid,
}

/// An election.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ElectionView {
    /// The election's id.
    pub id: Uuid,
    /// Its version; also its ETag.
    pub version: u64,
    /// Where it stands.
    pub status: ElectionStatus,
    /// The post.
    pub body_id: Uuid,
    /// The meeting it is held at.
    pub meeting_id: Option<Uuid>,
    /// Its title.
    pub title: String,
    /// The first day of the winner's term.
    pub term_starts_on: NaiveDate,
    /// The last day of the winner's term.
    pub term_ends_on: Option<NaiveDate>,
    /// Who may read it.
    pub classification: Classification,
    /// Standing candidates, in order of nomination.
    pub candidates: Vec<Uuid>,
    /// Candidates who withdrew.
    pub withdrawn: Vec<Uuid>,
    /// Each round's votes, in order.
    pub rounds: Vec<Vec<CandidateVotes>>,
    /// The declared result.
    pub outcome: Option<OutcomeView>,
    /// Why it was called off.
    pub cancellation_reason: Option<String>,
    /// When it was called (RFC 3339, UTC).
    pub recorded_at: String,
    /// When it last changed (RFC 3339, UTC).
    pub updated_at: String,
}

impl ElectionView {
    /// The election as the contract shows it.
    pub fn new(id: Uuid, e: Election, stored: Stored<'_>) -> Result<Self, Unrecorded> {
        let uncalled = || Unrecorded { record: "election", id };
        Ok(Self {
            id,
            version: stored.version,
            status: e.status.try_into().map_err(|_| uncalled())?,
            body_id: e.body_id.ok_or_else(uncalled)?,
            meeting_id: e.meeting_id,
            title: e.title.as_ref().ok_or_else(uncalled)?.to_string(),
            term_starts_on: e.term_starts_on.ok_or_else(uncalled)?,
            term_ends_on: e.term_ends_on,
            classification: e.classification.ok_or_else(uncalled)?.into(),
            candidates: e.candidates,
            withdrawn: e.withdrawn,
            rounds: e
                .rounds
                .iter()
                .map(|round| {
                    round
                        .iter()
                        .map(|(member_id, votes)| CandidateVotes { member_id: *member_id, votes: *votes })
                        .collect()
                })
                .collect(),
            outcome: e.outcome.map(|o| OutcomeView {
                winner: o.winner,
                uncontested: o.uncontested,
                on: o.on,
                appointment_id: o.appointment_id,
            }),
            cancellation_reason: e.cancellation_reason.as_ref().map(ToString::to_string),
            recorded_at: stored.created_at.to_owned(),
            updated_at: stored.updated_at.to_owned(),
        })
    }
}

/// A page of elections.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ElectionPage {
    /// The elections, oldest first.
    pub items: Vec<ElectionView>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// Filters for the elections list.
#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ElectionFilters {
    /// Only elections to this post.
    pub body_id: Option<Uuid>,
    /// Only elections in this status.
    #[param(inline)]
    pub status: Option<ElectionStatus>,
    /// Continue from the `next_cursor` of the previous page.
    #[param(inline)]
    pub cursor: Option<Cursor>,
    /// Page size, 1 to 200 (default 50).
    #[param(inline)]
    pub limit: Option<PageLimit>,
}
