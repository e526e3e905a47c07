//! Application functions: the operations that span records (a reference to
//! another record, a free seat, an agenda item's link back, an election's
//! winner appointed, a slug no other page has). The routes call them after
//! parsing a request into domain values, and the sample loader calls the
//! same ones, so a rule that crosses records is checked once, whoever asks.
//! Nothing here knows about HTTP requests.

pub mod actions;
pub mod briefings;
pub mod case_erasure;
pub mod casework;
pub mod elections;
pub mod files;
pub mod group_events;
pub mod induction;
pub mod meetings;
pub mod members;
pub mod motions;
pub mod my_work;
pub mod publications;
pub mod references;
pub mod report_back;
pub mod seats;
pub mod training;
pub mod verification;
// The group's budget (issue 18).
pub mod budget;
// The register of interests (issue 18).
pub mod interests;
// Probity: donations to the group's funds (issue 18).
pub mod donations;

use uuid::Uuid;

use crate::domain::{Classification, DomainError, GroupId, Record, Role};
use crate::http::ApiError;
use crate::store::{
    Database,
    command_bus::{CommandBus, CommandContext, CommandError, Expectation},
};

/// Whose records an operation sees: one group's, of the classifications the
/// actor's roles may read.
#[derive(Debug, Clone)]
pub struct Scope<'a> {
    /// The store.
    pub db: &'a Database,
    /// The actor's group.
    pub group_id: &'a GroupId,
    /// What the actor may read.
    pub readable: Vec<Classification>,
}

impl<'a> Scope<'a> {
    /// The scope of an actor of `group_id` holding `roles`.
    pub fn new(db: &'a Database, group_id: &'a GroupId, roles: &[Role]) -> Self {
        Self { db, group_id, readable: Classification::readable_set(roles) }
    }
}

/// Runs one command on record `id` (a `what`, for messages). A create that
/// finds its record already made, retried under the Idempotency-Key it first
/// ran with, has done its work: its first attempt committed and never answered.
pub async fn run<A>(
    bus: &CommandBus,
    context: &CommandContext,
    id: Uuid,
    command: A::Command,
    expectation: Expectation,
    what: &'static str,
) -> Result<(), ApiError>
where
    A: Record<Services = ()>,
    A::Error: DomainError,
{
    match bus.execute::<A>(&id.to_string(), command, context, expectation).await {
        Ok(_) => Ok(()),
        Err(CommandError::AlreadyExists) if context.idempotency_key.is_some() => Ok(()),
        Err(error) => Err(ApiError::from_command(what, error)),
    }
}
