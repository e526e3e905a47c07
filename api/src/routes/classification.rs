//! The classification as the API shows it (the contract's), under the name
//! the route modules not yet moved to the contract use.

pub use caucus_wire::Classification as ClassificationDto;
