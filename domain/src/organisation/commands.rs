use super::aggregate::{OrganisationKind, ResponseTargets};
use crate::{GroupId, Note, Title};

/// An organisation's details, already checked.
#[derive(Debug, Clone, PartialEq)]
pub struct OrganisationDetails {
    /// Its name, e.g. "Housing Repairs (Newham Council)".
    pub name: Title,
    /// A council service or an outside body.
    pub kind: OrganisationKind,
    /// How to reach it (a team mailbox, a councillor enquiry line): never a
    /// person's own details.
    pub contact: Option<Note>,
    /// How quickly it should answer.
    pub targets: ResponseTargets,
}

/// What a caller can ask of an organisation.
#[derive(Debug, Clone, PartialEq)]
pub enum OrganisationCommand {
    /// Add it to the group's list.
    RegisterOrganisation {
        /// The group it belongs to.
        group_id: GroupId,
        /// Its details.
        details: OrganisationDetails,
    },
    /// Change its details; referrals already made keep their targets.
    UpdateOrganisation {
        /// The new details.
        details: OrganisationDetails,
    },
    /// Stop referring cases to it (a service merged or closed).
    RetireOrganisation {
        /// Why.
        reason: Note,
    },
}
