use chrono::NaiveDate;
use uuid::Uuid;

use super::aggregate::{CaseFile, Channel, Outcome, ResidentUpdate, Retention, SpecialCategory};
use crate::{
    DueDate, GroupId, Sealed, Title, organisation::ResponseTargets, publication::Slug, resident::Erasure,
};

/// A new case, already checked, its texts sealed under the case's key.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseDraft {
    /// The resident who brought it.
    pub resident_id: Uuid,
    /// The ward it concerns.
    pub ward: Title,
    /// What it is about (one of the group's configured categories).
    pub category: Slug,
    /// How it came in.
    pub channel: Channel,
    /// What the resident asks, sealed.
    pub summary: Sealed,
    /// Special category data it holds, and the condition relied on.
    pub special_category: Option<SpecialCategory>,
    /// The councillor who owns it (the controller).
    pub owner_id: Uuid,
    /// Councillors it is shared with.
    pub shared_with: Vec<Uuid>,
    /// The day it came in.
    pub received_on: NaiveDate,
}

/// A referral to make, its due dates counted by the caller in working days.
#[derive(Debug, Clone, PartialEq)]
pub struct NewReferral {
    /// The organisation.
    pub organisation_id: Uuid,
    /// Its name when referred.
    pub organisation: Title,
    /// The targets it was referred under.
    pub targets: ResponseTargets,
    /// The day it was referred.
    pub referred_on: NaiveDate,
    /// When its acknowledgement is due.
    pub acknowledge_by: DueDate,
    /// When its reply is due.
    pub reply_by: DueDate,
    /// Whether the resident's details went with it (only with their consent).
    pub details_shared: bool,
    /// The organisation's reference, if it gave one at once.
    pub their_reference: Option<Title>,
}

/// What a caller can ask of a case.
#[derive(Debug, Clone, PartialEq)]
pub enum CaseCommand {
    /// Open a case.
    OpenCase {
        /// The group holding it.
        group_id: GroupId,
        /// Its content.
        draft: Box<CaseDraft>,
    },
    /// Record that the resident was told their enquiry is being dealt with.
    AcknowledgeCase {
        /// The day.
        on: NaiveDate,
    },
    /// Refer it to an organisation.
    ReferCase {
        /// The referral.
        referral: Box<NewReferral>,
    },
    /// Record that the organisation acknowledged the open referral.
    RecordReferralAcknowledged {
        /// The day.
        on: NaiveDate,
        /// Their reference for it.
        their_reference: Option<Title>,
    },
    /// Chase the open referral.
    ChaseReferral {
        /// The day.
        on: NaiveDate,
        /// What was said, sealed.
        note: Option<Sealed>,
        /// When the next chase is due.
        next_by: DueDate,
    },
    /// Record the organisation's answer to the open referral.
    RecordResponse {
        /// The day it came.
        on: NaiveDate,
        /// What it said, sealed.
        summary: Sealed,
    },
    /// Add a note.
    AddCaseNote {
        /// The day it refers to.
        on: NaiveDate,
        /// The note, sealed.
        text: Sealed,
    },
    /// Record what the resident was told (the organisation's answer, progress).
    TellResident {
        /// When, how and what.
        update: ResidentUpdate,
    },
    /// Attach a file, its bytes already stored sealed under the case's key.
    AttachCaseFile {
        /// The file.
        file: CaseFile,
    },
    /// Let another councillor read and work it.
    ShareCase {
        /// The councillor.
        member_id: Uuid,
    },
    /// Stop sharing it with a councillor.
    UnshareCase {
        /// The councillor.
        member_id: Uuid,
    },
    /// Pass it to another councillor, who becomes its owner.
    HandOverCase {
        /// The new owner.
        to: Uuid,
        /// Why, sealed.
        note: Option<Sealed>,
    },
    /// Record or clear its special category data.
    ClassifySpecialCategory {
        /// What it holds and the condition relied on; `None` if nothing.
        special_category: Option<SpecialCategory>,
    },
    /// Close it.
    CloseCase {
        /// The day.
        on: NaiveDate,
        /// How it ended.
        outcome: Outcome,
        /// A closing note, sealed.
        note: Option<Sealed>,
    },
    /// Reopen it.
    ReopenCase {
        /// The day.
        on: NaiveDate,
        /// Why, sealed.
        reason: Sealed,
    },
    /// Keep its personal data longer after closing than the deployment's period.
    KeepLonger {
        /// How long, and why.
        retention: Retention,
    },
    /// Record that its personal data is erased (its key is destroyed next).
    EraseCasePersonalData {
        /// Why.
        because: Erasure,
    },
}
