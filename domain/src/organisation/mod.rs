//! Organisations a case is referred to: a council service (Housing Repairs,
//! Highways) or an outside body (a housing association, the police, Transport
//! for London, a utility), with its contact and its response targets in working
//! days. A referral copies the targets it was made under, so changing them
//! later never moves a date already promised.

mod aggregate;
mod commands;
mod events;

pub use aggregate::{
    MAX_TARGET_DAYS, Organisation, OrganisationError, OrganisationKind, OrganisationStatus, ResponseTargets,
};
pub use commands::{OrganisationCommand, OrganisationDetails};
pub use events::OrganisationEvent;
