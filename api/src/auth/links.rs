//! Members linked to the identity they sign in with: a token whose `iss` and
//! `sub` a member is linked to acts as that member, so "their own" checks
//! (a councillor's actions, cases, drafts) hold for provider tokens whose
//! subject is not a member id.

use sha2::{Digest as _, Sha256};
use uuid::Uuid;

use crate::domain::{
    Classification, GroupId,
    member::{Member, SIGN_IN_TAG},
    tag,
};
use crate::store::{
    Database, StoreError,
    records::{self, RecordFilter, RecordQuery},
};

/// The key a sign-in identity is found by: a digest of its issuer and
/// subject, so the read model holds neither in the clear.
pub fn lookup(issuer: &str, subject: &str) -> String {
    hex::encode(Sha256::digest(format!("{issuer}\n{subject}").as_bytes()))
}

/// Finds the member a sign-in identity is linked to.
#[derive(Debug, Clone)]
pub struct SignInLinks {
    db: Database,
}

impl SignInLinks {
    /// Links kept in `db`.
    pub fn new(db: Database) -> Self {
        Self { db }
    }

    /// The member of `group` linked to `issuer` and `subject`, if one is.
    pub async fn member(
        &self,
        group: &GroupId,
        issuer: &str,
        subject: &str,
    ) -> Result<Option<Uuid>, StoreError> {
        linked_member(&self.db, group, &lookup(issuer, subject)).await
    }
}

/// The member of `group` whose sign-in identity has the lookup key `key`.
pub async fn linked_member(db: &Database, group: &GroupId, key: &str) -> Result<Option<Uuid>, StoreError> {
    let tags = [tag(SIGN_IN_TAG, key)];
    let readable = &Classification::ALL;
    let query = RecordQuery::new(group, <Member as cqrs_es::Aggregate>::TYPE, readable)
        .filtered(RecordFilter { tags: &tags, ..RecordFilter::default() });
    let found = records::list_all(db, &query).await?;
    Ok(found.first().and_then(|record| Uuid::parse_str(&record.record_id).ok()))
}
