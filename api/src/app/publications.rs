//! A publication's slug is its page's address: two live pages under one slug
//! would overwrite each other on the site, so scheduling checks, under one
//! lock per group, that no other scheduled or published publication has it.

use uuid::Uuid;

use super::{Scope, references, run};
use crate::domain::{
    Classification,
    publication::{self, Publication, PublicationCommand, PublicationStatus},
};
use crate::http::ApiError;
use crate::store::{
    command_bus::{CommandBus, CommandContext, Expectation},
    locks,
    records::{self, RecordFilter, RecordQuery},
};

/// Refuses (409) when another scheduled or published publication of the
/// group has the same slug as publication `id`.
pub async fn check_slug_is_free(scope: &Scope<'_>, id: Uuid) -> Result<(), ApiError> {
    let this = references::find::<Publication>(scope, id).await?.ok_or(ApiError::NotFound("publication"))?;
    let slug = this.slug();
    let statuses = [PublicationStatus::Scheduled.as_str(), PublicationStatus::Published.as_str()];
    let readable = [Classification::Public];
    let query = RecordQuery::new(scope.group_id, publication::TYPE, &readable)
        .filtered(RecordFilter { statuses: &statuses, ..RecordFilter::default() });
    for stored in records::list_all(scope.db, &query).await? {
        let other: Publication = serde_json::from_str(&stored.state).map_err(ApiError::internal)?;
        if other.slug() == slug && stored.record_id != id.to_string() {
            return Err(ApiError::Conflict(format!(
                "the slug `{slug}` is already used by publication {}, which is {}: edit this one's slug first",
                stored.record_id,
                other.status().as_str()
            )));
        }
    }
    Ok(())
}

/// Schedules publication `id` (`command` is its `SchedulePublication`), its
/// slug checked free under the group's slug lock.
pub async fn schedule(
    scope: &Scope<'_>,
    bus: &CommandBus,
    context: &CommandContext,
    id: Uuid,
    command: PublicationCommand,
    expectation: Expectation,
) -> Result<(), ApiError> {
    locks::with_lock(scope.db, &format!("publication-slugs:{}", scope.group_id), async {
        check_slug_is_free(scope, id).await?;
        run::<Publication>(bus, context, id, command, expectation, "publication").await
    })
    .await
}
