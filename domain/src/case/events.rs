use chrono::NaiveDate;
use cqrs_es::DomainEvent;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::aggregate::{CaseFile, Channel, Outcome, ResidentUpdate, SpecialCategory};
use crate::{
    DueDate, GroupId, Note, Sealed, Title, organisation::ResponseTargets, publication::Slug,
    resident::Erasure,
};

/// Everything that can happen to a case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum CaseEvent {
    /// A case was opened.
    CaseOpened {
        /// The group holding it.
        group_id: GroupId,
        /// The resident who brought it.
        resident_id: Uuid,
        /// The ward it concerns.
        ward: Title,
        /// What it is about.
        category: Slug,
        /// How it came in.
        channel: Channel,
        /// What the resident asks, sealed.
        summary: Sealed,
        /// Special category data it holds.
        special_category: Option<SpecialCategory>,
        /// The owning councillor.
        owner_id: Uuid,
        /// Councillors it is shared with.
        shared_with: Vec<Uuid>,
        /// The day it came in.
        received_on: NaiveDate,
    },
    /// The resident was told it is being dealt with.
    CaseAcknowledged {
        /// The day.
        on: NaiveDate,
    },
    /// It was referred to an organisation.
    CaseReferred {
        /// The organisation.
        organisation_id: Uuid,
        /// Its name when referred.
        organisation: Title,
        /// The targets it was referred under.
        targets: ResponseTargets,
        /// The day.
        referred_on: NaiveDate,
        /// When the acknowledgement is due.
        acknowledge_by: DueDate,
        /// When the reply is due.
        reply_by: DueDate,
        /// Whether the resident's details went with it.
        details_shared: bool,
        /// The organisation's reference.
        their_reference: Option<Title>,
    },
    /// The organisation acknowledged the open referral.
    ReferralAcknowledged {
        /// The day.
        on: NaiveDate,
        /// Their reference.
        their_reference: Option<Title>,
    },
    /// The open referral was chased.
    ReferralChased {
        /// The day.
        on: NaiveDate,
        /// What was said, sealed.
        note: Option<Sealed>,
        /// When the next chase is due.
        next_by: DueDate,
    },
    /// The organisation answered the open referral.
    ReferralAnswered {
        /// The day.
        on: NaiveDate,
        /// What it said, sealed.
        summary: Sealed,
    },
    /// A note was added.
    CaseNoteAdded {
        /// The day it refers to.
        on: NaiveDate,
        /// The note, sealed.
        text: Sealed,
    },
    /// The resident was told something of their case.
    ResidentTold {
        /// When, how and what.
        update: ResidentUpdate,
    },
    /// A file was attached.
    CaseFileAttached {
        /// The file.
        file: CaseFile,
    },
    /// It was shared with a councillor.
    CaseShared {
        /// The councillor.
        member_id: Uuid,
    },
    /// It is no longer shared with a councillor.
    CaseUnshared {
        /// The councillor.
        member_id: Uuid,
    },
    /// It passed to another owner.
    CaseHandedOver {
        /// The new owner.
        to: Uuid,
        /// Why, sealed.
        note: Option<Sealed>,
    },
    /// Its special category data was recorded or cleared.
    SpecialCategoryClassified {
        /// What it holds; `None` if nothing.
        special_category: Option<SpecialCategory>,
    },
    /// It was closed.
    CaseClosed {
        /// The day.
        on: NaiveDate,
        /// How it ended.
        outcome: Outcome,
        /// A closing note, sealed.
        note: Option<Sealed>,
    },
    /// It was reopened.
    CaseReopened {
        /// The day.
        on: NaiveDate,
        /// Why, sealed.
        reason: Sealed,
    },
    /// Its personal data is kept longer after closing.
    CaseRetentionSet {
        /// Months after closing.
        months: u16,
        /// Why.
        reason: Note,
    },
    /// Its personal data was erased: its key is destroyed.
    CasePersonalDataErased {
        /// Why.
        because: Erasure,
    },
}

impl DomainEvent for CaseEvent {
    fn event_type(&self) -> String {
        match self {
            Self::CaseOpened { .. } => "CaseOpened",
            Self::CaseAcknowledged { .. } => "CaseAcknowledged",
            Self::CaseReferred { .. } => "CaseReferred",
            Self::ReferralAcknowledged { .. } => "ReferralAcknowledged",
            Self::ReferralChased { .. } => "ReferralChased",
            Self::ReferralAnswered { .. } => "ReferralAnswered",
            Self::CaseNoteAdded { .. } => "CaseNoteAdded",
            Self::CaseFileAttached { .. } => "CaseFileAttached",
            Self::ResidentTold { .. } => "ResidentTold",
            Self::CaseShared { .. } => "CaseShared",
            Self::CaseUnshared { .. } => "CaseUnshared",
            Self::CaseHandedOver { .. } => "CaseHandedOver",
            Self::SpecialCategoryClassified { .. } => "SpecialCategoryClassified",
            Self::CaseClosed { .. } => "CaseClosed",
            Self::CaseReopened { .. } => "CaseReopened",
            Self::CaseRetentionSet { .. } => "CaseRetentionSet",
            Self::CasePersonalDataErased { .. } => "CasePersonalDataErased",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        "1.0.0".to_owned()
    }
}
