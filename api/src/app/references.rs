//! A record naming another: the other must exist in the actor's group (and
//! be readable by them), and a member named as an owner or holder must still
//! be in the group. A missing reference is a field error at its pointer.

use uuid::Uuid;

use super::Scope;
use crate::domain::{
    Classification, Record,
    member::{Member, MemberStatus},
};
use crate::http::Fields;
use crate::store::{StoreError, records};

/// The record of type `A` with `id` in the scope, as it now stands.
pub async fn find<A: Record>(scope: &Scope<'_>, id: Uuid) -> Result<Option<A>, StoreError> {
    let stored = records::find(scope.db, scope.group_id, A::TYPE, &id.to_string(), &scope.readable).await?;
    Ok(match stored {
        Some(stored) => Some(serde_json::from_str(&stored.state)?),
        None => None,
    })
}

/// The record of type `A` with `id` in the scope's group, whatever its
/// classification: for an operation whose caller's access is decided by the
/// record itself (a case) or needs no reading of it (casework's counts).
pub async fn find_any<A: Record>(scope: &Scope<'_>, id: Uuid) -> Result<Option<A>, StoreError> {
    let stored =
        records::find(scope.db, scope.group_id, A::TYPE, &id.to_string(), &Classification::ALL).await?;
    Ok(match stored {
        Some(stored) => Some(serde_json::from_str(&stored.state)?),
        None => None,
    })
}

/// Every record of type `A` in the scope, with its id and version.
pub async fn all<A: Record>(scope: &Scope<'_>) -> Result<Vec<(Uuid, A, i64)>, StoreError> {
    all_matching(scope, records::RecordFilter::default()).await
}

/// Every record of type `A` in the scope that `filter` keeps, with its id
/// and version.
pub async fn all_matching<A: Record>(
    scope: &Scope<'_>,
    filter: records::RecordFilter<'_>,
) -> Result<Vec<(Uuid, A, i64)>, StoreError> {
    let query = records::RecordQuery::new(scope.group_id, A::TYPE, &scope.readable).filtered(filter);
    let mut found = Vec::new();
    for stored in records::list_all(scope.db, &query).await? {
        let (id, record) = parsed(&stored)?;
        found.push((id, record, stored.version));
    }
    Ok(found)
}

/// A stored row as its record, with the record's id.
pub fn parsed<A: Record>(stored: &records::StoredRecord) -> Result<(Uuid, A), StoreError> {
    let id = Uuid::parse_str(&stored.record_id)
        .map_err(|e| StoreError::Inconsistent(format!("{} {}: {e}", A::TYPE, stored.record_id)))?;
    Ok((id, serde_json::from_str(&stored.state)?))
}

/// Records a field error at `pointer` unless a record of type `A` with `id`
/// is in the scope; `what` names it ("decision").
pub async fn check_exists<A: Record>(
    scope: &Scope<'_>,
    id: Uuid,
    pointer: &str,
    what: &str,
    fields: &mut Fields,
) -> Result<(), StoreError> {
    if find::<A>(scope, id).await?.is_none() {
        fields.reject(pointer, format!("no such {what} in this group"));
    }
    Ok(())
}

/// Records a field error at `pointer` unless `id` is a current member of the
/// scope's group.
pub async fn check_current_member(
    scope: &Scope<'_>,
    id: Uuid,
    pointer: &str,
    fields: &mut Fields,
) -> Result<(), StoreError> {
    match find::<Member>(scope, id).await? {
        Some(member) if member.status == MemberStatus::Member => {}
        Some(_) => fields.reject(pointer, "this member has left the group"),
        None => fields.reject(pointer, "no such member in this group"),
    }
    Ok(())
}
