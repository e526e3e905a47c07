use cqrs_es::DomainEvent;
use serde::{Deserialize, Serialize};

use super::aggregate::{OrganisationKind, ResponseTargets};
use crate::{GroupId, Note, Title};

/// Everything that can happen to an organisation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum OrganisationEvent {
    /// It was added to the group's list.
    OrganisationRegistered {
        /// The group it belongs to.
        group_id: GroupId,
        /// Its name.
        name: Title,
        /// A council service or an outside body.
        kind: OrganisationKind,
        /// How to reach it.
        contact: Option<Note>,
        /// How quickly it should answer.
        targets: ResponseTargets,
    },
    /// Its details changed.
    OrganisationUpdated {
        /// Its name.
        name: Title,
        /// A council service or an outside body.
        kind: OrganisationKind,
        /// How to reach it.
        contact: Option<Note>,
        /// How quickly it should answer.
        targets: ResponseTargets,
    },
    /// No more cases are referred to it.
    OrganisationRetired {
        /// Why.
        reason: Note,
    },
}

impl DomainEvent for OrganisationEvent {
    fn event_type(&self) -> String {
        match self {
            Self::OrganisationRegistered { .. } => "OrganisationRegistered",
            Self::OrganisationUpdated { .. } => "OrganisationUpdated",
            Self::OrganisationRetired { .. } => "OrganisationRetired",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        "1.0.0".to_owned()
    }
}
