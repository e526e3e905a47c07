//! Members' sign-in identities: one identity acts as one member of a group.

use chrono::NaiveDate;
use uuid::Uuid;

use super::Scope;
use crate::auth::links::{linked_member, lookup};
use crate::domain::member::{Member, MemberCommand, SignInLink};
use crate::http::ApiError;
use crate::personal::PersonalData;
use crate::store::command_bus::{CommandBus, CommandContext, Expectation};

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

/// Adds member `id` to the group with the `JoinGroup` command and starts
/// their induction as joining on `joined_on`, in one operation: a retry
/// under the same Idempotency-Key finishes whichever half is missing.
pub async fn join(
    scope: &Scope<'_>,
    bus: &CommandBus,
    context: &CommandContext,
    id: Uuid,
    join: MemberCommand,
    joined_on: NaiveDate,
) -> Result<(), ApiError> {
    super::run::<Member>(bus, context, id, join, Expectation::New, "member").await?;
    if !super::induction::started(scope, id).await? {
        super::induction::start(scope, bus, context, id, joined_on).await?;
    }
    Ok(())
}
