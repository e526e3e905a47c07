use cqrs_es::DomainEvent;
use serde::{Deserialize, Serialize};

use super::aggregate::{ContactMethod, Erasure};
use crate::{GroupId, Sealed};

/// Everything that can happen to a resident's record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ResidentEvent {
    /// A resident was recorded.
    ResidentRecorded {
        /// The group holding the record.
        group_id: GroupId,
        /// Their name, sealed.
        name: Sealed,
        /// Their postal address, sealed.
        address: Option<Sealed>,
        /// Their email address, sealed.
        email: Option<Sealed>,
        /// Their telephone number, sealed.
        phone: Option<Sealed>,
        /// How they would like to be contacted.
        preferred_contact: ContactMethod,
        /// Whether they consent to their details being shared.
        consent_to_share: bool,
    },
    /// Their details were replaced.
    ResidentDetailsChanged {
        /// Their name, sealed.
        name: Sealed,
        /// Their postal address, sealed.
        address: Option<Sealed>,
        /// Their email address, sealed.
        email: Option<Sealed>,
        /// Their telephone number, sealed.
        phone: Option<Sealed>,
        /// How they would like to be contacted.
        preferred_contact: ContactMethod,
    },
    /// They gave or withdrew consent to share their details.
    ResidentConsentChanged {
        /// Whether they now consent.
        consent_to_share: bool,
    },
    /// Their personal data was erased: their key is destroyed.
    ResidentPersonalDataErased {
        /// Why.
        because: Erasure,
    },
}

impl DomainEvent for ResidentEvent {
    fn event_type(&self) -> String {
        match self {
            Self::ResidentRecorded { .. } => "ResidentRecorded",
            Self::ResidentDetailsChanged { .. } => "ResidentDetailsChanged",
            Self::ResidentConsentChanged { .. } => "ResidentConsentChanged",
            Self::ResidentPersonalDataErased { .. } => "ResidentPersonalDataErased",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        "1.0.0".to_owned()
    }
}
