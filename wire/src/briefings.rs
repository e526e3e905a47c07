//! `/briefings`: briefing and speaking notes against an agenda item, a forward
//! plan item or a motion, each revision kept as a numbered version.

use caucus_domain::briefing::{Briefing, BriefingSubject, BriefingVersion};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::common::{ChosenClassification, Classification, Cursor, ListOrder, PageLimit, Stored, Unrecorded};
use crate::input::{DocumentText, NoteText, TitleText};
use crate::mirror::mirror;

mirror! {
    /// What kind of note.
    pub enum BriefingKind = caucus_domain::briefing::BriefingKind {
        /// A briefing for members.
        Briefing,
        /// A speaking note for one member.
        SpeakingNote,
    }
}

mirror! {
    /// Where a note stands.
    pub enum BriefingStatus = caucus_domain::briefing::BriefingStatus {
        /// In use.
        Current,
        /// Withdrawn.
        Withdrawn,
    }
    internal { Unwritten }
}

/// What a note is about: exactly one of an agenda item (`meeting_id` and
/// `item_id`), a forward plan item or a motion.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Subject {
    /// With `item_id`: the meeting.
    #[serde(default)]
    pub meeting_id: Option<Uuid>,
    /// With `meeting_id`: the agenda item.
    #[serde(default)]
    pub item_id: Option<Uuid>,
    /// A forward plan item.
    #[serde(default)]
    pub forward_plan_item_id: Option<Uuid>,
    /// A motion or question.
    #[serde(default)]
    pub motion_id: Option<Uuid>,
}

/// Write a note.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WriteBriefingRequest {
    /// What kind of note.
    pub kind: BriefingKind,
    /// What it is about.
    pub subject: Subject,
    /// The member it is for (a speaking note's speaker).
    #[serde(default)]
    pub for_member_id: Option<Uuid>,
    /// Its title, up to 200 characters.
    pub title: TitleText,
    /// Its text (Markdown), up to 50,000 characters.
    pub body: DocumentText,
    /// Who may read it.
    pub classification: ChosenClassification,
}

/// Revise a note.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviseBriefingRequest {
    /// The new title.
    pub title: TitleText,
    /// The new text (Markdown).
    pub body: DocumentText,
    /// What changed and why, up to 2,000 characters.
    #[serde(default)]
    pub reason: Option<NoteText>,
}

/// Withdraw a note.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WithdrawBriefingRequest {
    /// Why, up to 2,000 characters.
    pub reason: NoteText,
}

/// One version of a note.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct BriefingVersionView {
    /// 1 for the first, counting up.
    pub number: u32,
    /// The title.
    pub title: String,
    /// The text (Markdown).
    pub body: String,
    /// What changed from the version before, and why.
    pub reason: Option<String>,
}

/// A briefing or speaking note.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct BriefingView {
    /// Its id.
    pub id: Uuid,
    /// Its record version; also its ETag.
    pub version: u64,
    /// What kind of note.
    pub kind: BriefingKind,
    /// Where it stands.
    pub status: BriefingStatus,
    /// What it is about.
    pub subject: Subject,
    /// The member it is for.
    pub for_member_id: Option<Uuid>,
    /// Who may read it.
    pub classification: Classification,
    /// The version in use.
    pub current: BriefingVersionView,
    /// Earlier versions, oldest first.
    pub earlier_versions: Vec<BriefingVersionView>,
    /// Why it was withdrawn.
    pub withdrawal_reason: Option<String>,
    /// When it was first written (RFC 3339, UTC).
    pub recorded_at: String,
    /// When it last changed (RFC 3339, UTC).
    pub updated_at: String,
}

/// A page of notes.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct BriefingPage {
    /// The notes, in the order they were written.
    pub items: Vec<BriefingView>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// Filters for notes.
#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct BriefingFilters {
    /// Only notes about this record: a meeting (its agenda items), a forward plan item or a motion.
    pub about: Option<Uuid>,
    /// Only notes for this member.
    pub for_member_id: Option<Uuid>,
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

impl From<BriefingSubject> for Subject {
    fn from(subject: BriefingSubject) -> Self {
        let none = Self { meeting_id: None, item_id: None, forward_plan_item_id: None, motion_id: None };
        match subject {
            BriefingSubject::AgendaItem { meeting_id, item_id } => {
                Self { meeting_id: Some(meeting_id), item_id: Some(item_id), ..none }
            }
            BriefingSubject::ForwardPlanItem { forward_plan_item_id } => {
                Self { forward_plan_item_id: Some(forward_plan_item_id), ..none }
            }
            BriefingSubject::Motion { motion_id } => Self { motion_id: Some(motion_id), ..none },
        }
    }
}

impl From<&BriefingVersion> for BriefingVersionView {
    fn from(v: &BriefingVersion) -> Self {
        Self {
            number: v.number,
            title: v.title.to_string(),
            body: v.body.to_string(),
            reason: v.reason.as_ref().map(ToString::to_string),
        }
    }
}

impl BriefingView {
    /// The note as the contract shows it.
    pub fn new(id: Uuid, b: Briefing, stored: Stored<'_>) -> Result<Self, Unrecorded> {
        let unwritten = || Unrecorded { record: "briefing", id };
        Ok(Self {
            id,
            version: stored.version,
            kind: b.kind.ok_or_else(unwritten)?.into(),
            status: b.status.try_into().map_err(|_| unwritten())?,
            subject: b.subject.ok_or_else(unwritten)?.into(),
            for_member_id: b.for_member_id,
            classification: b.classification.ok_or_else(unwritten)?.into(),
            current: b.current.as_ref().ok_or_else(unwritten)?.into(),
            earlier_versions: b.earlier_versions.iter().map(Into::into).collect(),
            withdrawal_reason: b.withdrawal_reason.as_ref().map(ToString::to_string),
            recorded_at: stored.created_at.to_owned(),
            updated_at: stored.updated_at.to_owned(),
        })
    }
}
