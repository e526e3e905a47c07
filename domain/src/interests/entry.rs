use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{Note, Title};

/// What an entry of the register is about.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, strum::IntoStaticStr,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Category {
    /// DPI: any employment, office, trade, profession or vocation carried on for profit or gain.
    EmploymentOfficeTradeProfession,
    /// DPI: payment or other financial benefit towards the member's expenses as a member or at elections.
    Sponsorship,
    /// DPI: a contract for goods, services or works with the authority not fully discharged.
    Contracts,
    /// DPI: a beneficial interest in land in the authority's area.
    Land,
    /// DPI: a licence to occupy land in the area for a month or longer.
    Licences,
    /// DPI: a tenancy where the landlord is the authority and the tenant a body with a beneficial interest.
    CorporateTenancies,
    /// DPI: a beneficial interest in securities of a body with a place of business or land in the area.
    Securities,
    /// Other registrable interest: a body the member was appointed to by the authority.
    AppointedBody,
    /// Other registrable interest: a body exercising functions of a public nature.
    PublicFunctionBody,
    /// Other registrable interest: a charity.
    Charity,
    /// Other registrable interest: a body directed to influencing opinion or policy (a party, a trade union).
    OpinionBody,
    /// A gift or hospitality at or over the group's threshold.
    GiftsHospitality,
}

impl Category {
    /// Every category, in the order the register lists them.
    pub const ALL: [Self; 12] = [
        Self::EmploymentOfficeTradeProfession,
        Self::Sponsorship,
        Self::Contracts,
        Self::Land,
        Self::Licences,
        Self::CorporateTenancies,
        Self::Securities,
        Self::AppointedBody,
        Self::PublicFunctionBody,
        Self::Charity,
        Self::OpinionBody,
        Self::GiftsHospitality,
    ];

    /// The stable word for it (its serde name too).
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// Whether it is one of the seven disclosable pecuniary interests, which
    /// cover the member's spouse, civil partner or cohabitee too.
    pub fn is_pecuniary(self) -> bool {
        matches!(
            self,
            Self::EmploymentOfficeTradeProfession
                | Self::Sponsorship
                | Self::Contracts
                | Self::Land
                | Self::Licences
                | Self::CorporateTenancies
                | Self::Securities
        )
    }

    /// Whether an entry of it may name one of the group's bodies.
    pub fn names_a_body(self) -> bool {
        matches!(self, Self::AppointedBody | Self::PublicFunctionBody | Self::OpinionBody | Self::Charity)
    }
}

/// Whose interest it is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Whose {
    /// The member's own.
    #[default]
    Member,
    /// Their spouse, civil partner or cohabitee's (pecuniary interests only).
    Partner,
}

/// A gift or hospitality received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gift {
    /// Its value, in pence.
    pub value_pence: u64,
    /// Who gave it.
    pub giver: Title,
    /// The day it was received.
    pub received_on: NaiveDate,
    /// The group event it was received at, if it was one: the entry meets that event's hospitality task.
    pub event_id: Option<Uuid>,
}

/// What an entry says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Detail {
    /// The member has nothing to declare in the category.
    NothingToDeclare,
    /// An interest.
    Interest {
        /// What it is, in the member's words.
        description: Note,
        /// The group's body it is, when it is one (an outside body, a group post).
        body_id: Option<Uuid>,
        /// The organisation of Caucus's register it is, when it is one.
        organisation_id: Option<Uuid>,
        /// For gifts and hospitality: what, from whom, when.
        gift: Option<Gift>,
    },
}

/// An entry as the member gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryDraft {
    /// Its category.
    pub category: Category,
    /// Whose interest.
    pub whose: Whose,
    /// What it says.
    pub detail: Detail,
    /// Set when it is withheld from publication (Localism Act 2011 s.32):
    /// the Monitoring Officer's agreement, as a note.
    pub sensitive: Option<Note>,
}

impl EntryDraft {
    /// The body the entry names, if any.
    pub fn body_id(&self) -> Option<Uuid> {
        match &self.detail {
            Detail::Interest { body_id, .. } => *body_id,
            Detail::NothingToDeclare => None,
        }
    }

    /// The gift the entry records, if any.
    pub fn gift(&self) -> Option<&Gift> {
        match &self.detail {
            Detail::Interest { gift, .. } => gift.as_ref(),
            Detail::NothingToDeclare => None,
        }
    }

    /// Whether it declares an interest (rather than nothing to declare).
    pub fn is_interest(&self) -> bool {
        matches!(self.detail, Detail::Interest { .. })
    }
}

/// Why an entry was taken off the register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RemovalReason {
    /// The member or the office gave a reason (the interest ended).
    Given {
        /// The reason.
        note: Note,
    },
    /// A "nothing to declare" entry made untrue by an interest registered in its category.
    Superseded {
        /// The entry that did.
        by: Uuid,
    },
}

/// An entry's removal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Removal {
    /// The day.
    pub on: NaiveDate,
    /// Why.
    pub reason: RemovalReason,
}

/// One entry of a register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Its id.
    pub id: Uuid,
    /// What it says now.
    pub draft: EntryDraft,
    /// The day it was registered.
    pub registered_on: NaiveDate,
    /// The day it last changed (its registration day until it does).
    pub updated_on: NaiveDate,
    /// Set once it is taken off the register.
    pub removed: Option<Removal>,
}

impl Entry {
    /// Whether it is on the register.
    pub fn is_live(&self) -> bool {
        self.removed.is_none()
    }
}
