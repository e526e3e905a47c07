//! `/motions`: motions and questions for a council meeting, the group's own
//! and other groups', their whips and outcomes; the whip report.

use caucus_domain::motion::{MemberVote, Motion, MotionOrigin, MotionOutcome, Whip};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::Fields;
use crate::common::{
    ChosenClassification, Classification, Cursor, IdList, ListOrder, PageLimit, Stored, Unrecorded,
};
use crate::input::{DocumentText, NoteText, TitleText};
use crate::mirror::mirror;

mirror! {
    /// Motion or question.
    pub enum MotionKind = caucus_domain::motion::MotionKind {
        /// A motion, decided by a vote.
        Motion,
        /// A question to a member of the executive or a committee chair.
        Question,
    }
}

mirror! {
    /// Where a motion stands: before the meeting, `drafted`, `submitted` or
    /// `tabled`; after it, how it ended.
    pub enum MotionStatus = caucus_domain::motion::MotionStage {
        /// The group's draft.
        Drafted,
        /// Submitted to the council.
        Submitted,
        /// On the meeting's agenda.
        Tabled,
        /// Carried as moved.
        Carried,
        /// Carried as amended.
        Amended,
        /// Lost.
        Lost,
        /// Withdrawn.
        Withdrawn,
        /// A question answered.
        Answered,
        /// A question the meeting did not reach.
        NotReached,
    }
    internal { Unrecorded }
}

mirror! {
    /// The group's position on a motion.
    pub enum WhipPosition = caucus_domain::motion::WhipPosition {
        /// Vote for.
        For,
        /// Vote against.
        Against,
        /// Abstain.
        Abstain,
        /// Members vote as they choose.
        FreeVote,
    }
}

mirror! {
    /// One way to vote.
    pub enum VoteOption = caucus_domain::motion::VoteOption {
        /// For.
        Yes,
        /// Against.
        No,
        /// Abstained.
        Abstain,
        /// Absent.
        Absent,
    }
}

mirror! {
    /// How a motion or question ended.
    pub enum Outcome = caucus_domain::motion::OutcomeKind {
        /// A motion carried as moved.
        Carried,
        /// A motion carried as amended: give `amended_text`.
        Amended,
        /// A motion lost.
        Lost,
        /// Withdrawn by its mover.
        Withdrawn,
        /// A question answered: `answer` may give the written answer.
        Answered,
        /// A question the meeting did not reach.
        NotReached,
    }
}

/// Who brings a motion: one of the group's members (`proposer_id`, optional
/// `seconder_id`), or for another group's motion, its `mover` by name.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Origin {
    /// The group's member moving it (or asking the question).
    #[serde(default)]
    pub proposer_id: Option<Uuid>,
    /// The group's member seconding it.
    #[serde(default)]
    pub seconder_id: Option<Uuid>,
    /// For another group's motion: who moves it, e.g. `Cllr Jane Doe (Green)`.
    #[serde(default)]
    pub mover: Option<TitleText>,
}

/// Record a motion or question.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordMotionRequest {
    /// Motion or question.
    pub kind: MotionKind,
    /// Its title, up to 200 characters.
    pub title: TitleText,
    /// Its text, up to 50,000 characters.
    pub text: DocumentText,
    /// Who brings it: the group's own is a draft; another group's is recorded as tabled.
    pub origin: Origin,
    /// The council meeting it is for (Full Council, Cabinet, Scrutiny or a committee).
    pub meeting_id: Uuid,
    /// For a question: who it is put to, e.g. `Cabinet Member for Housing`.
    #[serde(default)]
    pub directed_to: Option<TitleText>,
    /// Who may read it.
    pub classification: ChosenClassification,
}

/// Revise a draft.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviseMotionRequest {
    /// The new title.
    pub title: TitleText,
    /// The new text.
    pub text: DocumentText,
    /// Why, up to 2,000 characters.
    #[serde(default)]
    pub reason: Option<NoteText>,
}

/// Set the whip.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WhipSetting {
    /// The position.
    pub position: WhipPosition,
    /// What members are told, up to 2,000 characters.
    #[serde(default)]
    pub note: Option<NoteText>,
}

/// The council's counts (Popolo VoteEvent `counts`).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VoteCounts {
    /// For.
    #[schema(maximum = 4294967295_u64)]
    pub yes: u32,
    /// Against.
    #[schema(maximum = 4294967295_u64)]
    pub no: u32,
    /// Abstained.
    #[schema(maximum = 4294967295_u64)]
    pub abstain: u32,
    /// Absent.
    #[schema(maximum = 4294967295_u64)]
    pub absent: u32,
}

/// How one of the group's members voted (Popolo `votes`).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordedVote {
    /// The member.
    pub member_id: Uuid,
    /// The vote.
    pub option: VoteOption,
}

/// Record the outcome.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordOutcomeRequest {
    /// How it ended.
    pub outcome: Outcome,
    /// With `amended`: the text as carried.
    #[serde(default)]
    pub amended_text: Option<DocumentText>,
    /// With `answered`: the answer, where given in writing.
    #[serde(default)]
    pub answer: Option<DocumentText>,
    /// The council's counts, for a motion voted on.
    #[serde(default)]
    pub counts: Option<VoteCounts>,
    /// How the group's members voted, where recorded.
    #[serde(default)]
    pub votes: Vec<RecordedVote>,
}

/// An earlier text of a draft.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct EarlierTextView {
    /// The title.
    pub title: String,
    /// The text.
    pub text: String,
    /// Why it was replaced.
    pub replaced_because: Option<String>,
}

/// A motion or question.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MotionView {
    /// Its id.
    pub id: Uuid,
    /// Its version; also its ETag.
    pub version: u64,
    /// Motion or question.
    pub kind: MotionKind,
    /// Where it stands, or how it ended.
    pub status: MotionStatus,
    /// Its title.
    pub title: String,
    /// Its text.
    pub text: String,
    /// Earlier texts of the draft, oldest first.
    pub earlier_texts: Vec<EarlierTextView>,
    /// Who brings it.
    pub origin: Origin,
    /// The council meeting it is for.
    pub meeting_id: Uuid,
    /// For a question: who it is put to.
    pub directed_to: Option<String>,
    /// The cases a question was drawn from (ids only: never their residents).
    pub case_ids: Vec<Uuid>,
    /// Who may read it.
    pub classification: Classification,
    /// When the group submitted it.
    pub submitted_at: Option<DateTime<Utc>>,
    /// The deadline it was submitted against.
    pub deadline: Option<DateTime<Utc>>,
    /// The whip now.
    pub whip: Option<WhipSetting>,
    /// Earlier whips, oldest first.
    pub earlier_whips: Vec<WhipSetting>,
    /// With `amended`: the text as carried.
    pub amended_text: Option<String>,
    /// With `answered`: the written answer.
    pub answer: Option<String>,
    /// The council's counts.
    pub counts: Option<VoteCounts>,
    /// How the group's members voted.
    pub votes: Vec<RecordedVote>,
    /// The group's members whose recorded vote differed from the whip.
    pub departures_from_whip: Vec<RecordedVote>,
    /// When it was recorded (RFC 3339, UTC).
    pub recorded_at: String,
    /// When it last changed (RFC 3339, UTC).
    pub updated_at: String,
}

/// A page of motions.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MotionPage {
    /// The motions, in the order they were recorded.
    pub items: Vec<MotionView>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// Filters for the motions register.
#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct MotionFilters {
    /// Only these records (up to 200 ids, separated by commas): the ones a
    /// page names. Ask for a `limit` as large as the list to have them all at once.
    #[param(inline)]
    pub ids: Option<IdList>,
    /// Only those for this meeting.
    pub meeting_id: Option<Uuid>,
    /// Only those this member of the group brings.
    pub proposer_id: Option<Uuid>,
    /// Only those in this status.
    pub status: Option<MotionStatus>,
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

/// Which motions the whip report covers.
#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct WhipReportParams {
    /// Only motions for meetings on or after this day.
    pub from: Option<NaiveDate>,
    /// Only motions for meetings on or before this day.
    pub to: Option<NaiveDate>,
}

/// A member in the whip report.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct WhipReportMember {
    /// The member.
    pub member_id: Uuid,
    /// Their name, where the caller may read it.
    pub name: Option<String>,
}

/// A member's recorded vote against the whip.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct WhipDepartureView {
    /// Who.
    #[serde(flatten)]
    pub member: WhipReportMember,
    /// How they voted.
    pub voted: VoteOption,
}

/// One motion in the whip report.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct WhipReportMotion {
    /// The motion.
    pub motion_id: Uuid,
    /// Its title.
    pub title: String,
    /// The meeting.
    pub meeting_id: Uuid,
    /// When the meeting was.
    pub meeting_starts_at: DateTime<Utc>,
    /// How it ended.
    pub status: MotionStatus,
    /// The whip.
    pub whip: WhipPosition,
    /// Members whose recorded vote differed from the whip.
    pub departures: Vec<WhipDepartureView>,
    /// Members recorded as absent.
    pub absent: Vec<WhipReportMember>,
}

/// One member's record across the motions in the report.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct WhipReportTotal {
    /// Who.
    #[serde(flatten)]
    pub member: WhipReportMember,
    /// Votes against the whip.
    pub departures: u32,
    /// Votes missed.
    pub absences: u32,
}

/// Who voted against the whip.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct WhipReport {
    /// Whipped motions with recorded votes, in meeting order.
    pub motions: Vec<WhipReportMotion>,
    /// Members with any departure or absence, most departures first.
    pub members: Vec<WhipReportTotal>,
}

impl From<&MotionOrigin> for Origin {
    fn from(origin: &MotionOrigin) -> Self {
        match origin {
            MotionOrigin::Group { proposer_id, seconder_id } => {
                Self { proposer_id: Some(*proposer_id), seconder_id: *seconder_id, mover: None }
            }
            MotionOrigin::Other { mover } => {
                Self { proposer_id: None, seconder_id: None, mover: Some(mover.to_string().into()) }
            }
        }
    }
}

impl From<&Whip> for WhipSetting {
    fn from(whip: &Whip) -> Self {
        Self { position: whip.position.into(), note: whip.note.as_ref().map(|n| n.to_string().into()) }
    }
}

impl From<VoteCounts> for caucus_domain::motion::VoteCounts {
    fn from(c: VoteCounts) -> Self {
        Self { yes: c.yes, no: c.no, abstain: c.abstain, absent: c.absent }
    }
}

impl From<&MemberVote> for RecordedVote {
    fn from(vote: &MemberVote) -> Self {
        Self { member_id: vote.member_id, option: vote.option.into() }
    }
}

impl RecordOutcomeRequest {
    /// The outcome, its text checked: `amended_text` goes with `amended`
    /// only (and must), `answer` with `answered` only.
    pub fn outcome(&self, fields: &mut Fields) -> Option<MotionOutcome> {
        if self.outcome != Outcome::Amended && self.amended_text.is_some() {
            fields.reject("/amended_text", "goes only with the outcome amended");
        }
        if self.outcome != Outcome::Answered && self.answer.is_some() {
            fields.reject("/answer", "goes only with the outcome answered");
        }
        Some(match self.outcome {
            Outcome::Carried => MotionOutcome::Carried,
            Outcome::Lost => MotionOutcome::Lost,
            Outcome::Withdrawn => MotionOutcome::Withdrawn,
            Outcome::NotReached => MotionOutcome::NotReached,
            Outcome::Amended => match &self.amended_text {
                Some(text) => MotionOutcome::Amended { text: fields.check("/amended_text", text)? },
                None => {
                    fields.reject("/amended_text", "give the text as the council carried it");
                    return None;
                }
            },
            Outcome::Answered => {
                MotionOutcome::Answered { answer: fields.check_optional("/answer", self.answer.as_ref())? }
            }
        })
    }
}

impl MotionView {
    /// The motion as the contract shows it.
    pub fn new(id: Uuid, m: Motion, stored: Stored<'_>) -> Result<Self, Unrecorded> {
        let unrecorded = || Unrecorded { record: "motion", id };
        let (amended_text, answer) = match &m.outcome {
            Some(MotionOutcome::Amended { text }) => (Some(text.to_string()), None),
            Some(MotionOutcome::Answered { answer }) => (None, answer.as_ref().map(ToString::to_string)),
            _ => (None, None),
        };
        Ok(Self {
            id,
            version: stored.version,
            kind: m.kind.ok_or_else(unrecorded)?.into(),
            status: m.stage().try_into().map_err(|_| unrecorded())?,
            title: m.title.as_ref().ok_or_else(unrecorded)?.to_string(),
            text: m.text.as_ref().ok_or_else(unrecorded)?.to_string(),
            earlier_texts: m
                .earlier_texts
                .iter()
                .map(|t| EarlierTextView {
                    title: t.title.to_string(),
                    text: t.text.to_string(),
                    replaced_because: t.replaced_because.as_ref().map(ToString::to_string),
                })
                .collect(),
            origin: m.origin.as_ref().ok_or_else(unrecorded)?.into(),
            meeting_id: m.meeting_id.ok_or_else(unrecorded)?,
            directed_to: m.directed_to.as_ref().map(ToString::to_string),
            case_ids: m.case_ids.clone(),
            classification: m.classification.ok_or_else(unrecorded)?.into(),
            submitted_at: m.submitted_at,
            deadline: m.deadline,
            whip: m.whip.as_ref().map(Into::into),
            earlier_whips: m.earlier_whips.iter().map(Into::into).collect(),
            amended_text,
            answer,
            counts: m.counts.map(|c| VoteCounts {
                yes: c.yes,
                no: c.no,
                abstain: c.abstain,
                absent: c.absent,
            }),
            votes: m.votes.iter().map(Into::into).collect(),
            departures_from_whip: m
                .departures_from_whip()
                .iter()
                .map(|d| RecordedVote { member_id: d.member_id, option: d.voted.into() })
                .collect(),
            recorded_at: stored.created_at.to_owned(),
            updated_at: stored.updated_at.to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(json: serde_json::Value) -> RecordOutcomeRequest {
        serde_json::from_value(json).expect("request")
    }

    #[test]
    fn an_amendment_needs_its_text_and_stray_texts_are_named() {
        let mut fields = Fields::new();
        assert_eq!(outcome(serde_json::json!({"outcome": "amended"})).outcome(&mut fields), None);
        assert!(fields.finish(|| Some(())).is_err());
        let mut fields = Fields::new();
        outcome(serde_json::json!({"outcome": "lost", "answer": "No."})).outcome(&mut fields);
        let err = fields.finish(|| Some(())).expect_err("a stray answer");
        assert!(format!("{err:?}").contains("/answer"), "{err:?}");
    }
}
