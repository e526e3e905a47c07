//! `/me`: who the api takes the caller to be.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// The caller as the api sees them: what their token grants, and the member
/// it acts as (a member's own id as subject, or the member linked to their
/// sign-in identity).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MeView {
    /// Who they act as: the member's id when they are one, else the token's
    /// subject.
    pub subject: String,
    /// Their group.
    pub group: String,
    /// Their roles in it, as Caucus names them.
    pub roles: Vec<String>,
    /// The member they are, if any.
    pub member_id: Option<Uuid>,
    /// That member's name.
    pub name: Option<String>,
}
