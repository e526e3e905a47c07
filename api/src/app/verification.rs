//! Verifying a group's hash chain in the background: reading every event of
//! a log of millions takes longer than a request should, so the request
//! starts it, and `store::verifications` keeps how far it has got for any
//! process to answer.

use caucus_wire::audit::VerificationView;

use crate::store::{
    Database, StoreError,
    chain::{self, Chainer},
    verifications,
};

/// The verification of `group`'s chain running now, or one that `by` starts:
/// up to the last event chained once the chain has caught up, checked on a
/// task of this process against the checkpoints (opened with
/// `verifier_key`, when the group has one).
pub async fn start(
    db: &Database,
    chainer: &Chainer,
    group: &str,
    by: &str,
    verifier_key: Option<String>,
) -> Result<VerificationView, StoreError> {
    if let Some(running) = verifications::running(db, group).await? {
        return Ok(running);
    }
    chainer.catch_up().await?;
    let events = chain::chained_count(db, group).await?;
    let view = verifications::start(db, group, by, events).await?;
    let (db, group, id) = (db.clone(), group.to_owned(), view.id.to_string());
    actix_web::rt::spawn(async move {
        // How far it has got is for people watching: a busy store missing
        // one count does not stop the verification.
        let progress = async |checked| {
            if let Err(error) = verifications::checked(&db, &id, checked).await {
                tracing::warn!(error = %error, verification = %id, "a verification's progress was not recorded");
            }
            Ok(())
        };
        let report = chain::verify_group_until(&db, &group, verifier_key.as_deref(), events, progress).await;
        if let Err(error) = &report {
            tracing::error!(error = %error, verification = %id, "a verification of the chain broke off");
        }
        if let Err(error) = verifications::finish(&db, &id, report.ok().as_ref()).await {
            tracing::error!(error = %error, verification = %id, "a verification's end was not recorded");
        }
    });
    Ok(view)
}
