//! Members' sign-in identities: one identity acts as one member of a group.

use uuid::Uuid;

use super::Scope;
use crate::auth::links::{linked_member, lookup};
use crate::domain::member::SignInLink;
use crate::http::ApiError;
use crate::personal::PersonalData;

/// The field a member's sealed sign-in subject is sealed as.
pub const SIGN_IN_SUBJECT: &str = "sign_in_subject";

/// The link of `member` to the identity `issuer` and `subject`, its subject
/// sealed under the member's key; a 409 if another member of the group holds
/// that identity (it must be unlinked there first, so a token never has two
/// members to act as).
pub async fn sign_in_link(
    scope: &Scope<'_>,
    personal: &PersonalData,
    member: Uuid,
    issuer: &str,
    subject: &str,
) -> Result<SignInLink, ApiError> {
    let key = lookup(issuer, subject);
    if let Some(holder) = linked_member(scope.db, scope.group_id, &key).await?
        && holder != member
    {
        return Err(ApiError::Conflict(format!(
            "that sign-in identity is linked to member {holder} already: unlink it there first"
        )));
    }
    let sealed = personal.seal(&member.to_string(), SIGN_IN_SUBJECT, subject).await?;
    Ok(SignInLink { issuer: issuer.to_owned(), subject: sealed, lookup: key })
}
