//! Application functions: the operations that span records (a reference to
//! another record, a free seat, an agenda item's link back, an election's
//! winner appointed, a slug no other page has). The routes call them after
//! parsing a request into domain values, and the sample loader calls the
//! same ones, so a rule that crosses records is checked once, whoever asks.
//! Nothing here knows about HTTP requests.

pub mod references;

use crate::domain::{Classification, GroupId, Role};
use crate::store::Database;

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
