//! An action names its owner, who must be a current member of the group,
//! and optionally the decision it implements, one of the group's.

use super::{Scope, references};
use uuid::Uuid;

use crate::domain::decision::Decision;
use crate::http::Fields;
use crate::store::StoreError;

/// Records a field error for each reference of a new action (its owner,
/// its decision) that is not in the scope.
pub async fn check_references(
    scope: &Scope<'_>,
    owner_id: Uuid,
    decision_id: Option<Uuid>,
    fields: &mut Fields,
) -> Result<(), StoreError> {
    references::check_current_member(scope, owner_id, "/owner_id", fields).await?;
    if let Some(decision_id) = decision_id {
        references::check_exists::<Decision>(scope, decision_id, "/decision_id", "decision", fields).await?;
    }
    Ok(())
}
