use super::aggregate::{ContactMethod, Erasure};
use crate::{GroupId, Sealed};

/// A resident's details, each sealed under their key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResidentDetails {
    /// Their name.
    pub name: Sealed,
    /// Their postal address.
    pub address: Option<Sealed>,
    /// Their email address.
    pub email: Option<Sealed>,
    /// Their telephone number.
    pub phone: Option<Sealed>,
    /// How they would like to be contacted.
    pub preferred_contact: ContactMethod,
}

/// What a caller can ask of a resident's record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResidentCommand {
    /// Record a resident who has brought a case.
    RecordResident {
        /// The group holding the record.
        group_id: GroupId,
        /// Their details.
        details: ResidentDetails,
        /// Whether they agree to their details being shared with the
        /// organisations their cases are referred to.
        consent_to_share: bool,
    },
    /// Replace their details (all of them: sealed values cannot be compared).
    ChangeResidentDetails {
        /// The new details.
        details: ResidentDetails,
    },
    /// Record that they gave or withdrew consent to share their details.
    ChangeConsent {
        /// Whether they now consent.
        consent_to_share: bool,
    },
    /// Record that their personal data is erased (the key is destroyed next).
    ErasePersonalData {
        /// Why.
        because: Erasure,
    },
}
