//! Donations across records: a donor named as an organisation must be one of
//! the group's; a donation is received no later than today; the register
//! reads a calendar year's donations together, now or as of an instant. The route and the sample
//! loader record a donation through [`record`] alike.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::{Scope, references, run};
use crate::domain::{
    donation::{Donation, DonationCommand, DonationDraft, Thresholds},
    organisation::Organisation,
    tag,
};
use crate::http::{ApiError, Fields};
use crate::store::{
    StoreError,
    command_bus::{CommandBus, CommandContext, Expectation},
    rebuild::records_as_of,
    records::{self, RecordFilter, RecordQuery},
};

/// Checks what a donation names beyond itself: its donor's organisation is
/// the group's, and it was not received after `today`.
pub async fn check_draft(
    scope: &Scope<'_>,
    draft: &DonationDraft,
    today: NaiveDate,
    fields: &mut Fields,
) -> Result<(), StoreError> {
    if let Some(organisation) = draft.donor.organisation_id {
        let pointer = "/donor/organisation_id";
        references::check_exists::<Organisation>(scope, organisation, pointer, "organisation", fields)
            .await?;
    }
    if draft.received_on > today {
        fields.reject("/received_on", "must not be after today");
    }
    Ok(())
}

/// Records donation `id` after checking it (see [`check_draft`]).
pub async fn record(
    scope: &Scope<'_>,
    (bus, context): (&CommandBus, &CommandContext),
    (id, draft): (Uuid, DonationDraft),
    (thresholds, today): (Thresholds, NaiveDate),
) -> Result<(), ApiError> {
    let mut fields = Fields::new();
    check_draft(scope, &draft, today, &mut fields).await?;
    fields.finish(|| Some(()))?;
    let command = DonationCommand::RecordDonation {
        group_id: scope.group_id.clone(),
        draft: Box::new(draft),
        check_threshold_pence: thresholds.check_pence,
    };
    run::<Donation>(bus, context, id, command, Expectation::New, "donation").await
}

/// The donations received in calendar year `year` that the scope reads, with
/// their ids: as they stand, or (with `as_of`) as the group's events recorded
/// by then made them.
pub async fn of_year(
    scope: &Scope<'_>,
    year: i32,
    as_of: Option<DateTime<Utc>>,
) -> Result<Vec<(Uuid, Donation)>, StoreError> {
    let tags = [tag("year", year)];
    let query = RecordQuery::new(scope.group_id, <Donation as cqrs_es::Aggregate>::TYPE, &scope.readable)
        .filtered(RecordFilter { tags: &tags, ..RecordFilter::default() });
    let found = match as_of {
        None => records::list_all(scope.db, &query).await?,
        Some(as_of) => {
            let replayed = records_as_of(scope.db, scope.group_id, as_of).await?;
            records::list_in_memory(&replayed, &RecordQuery { limit: u32::MAX, ..query }).records
        }
    };
    found.iter().map(references::parsed::<Donation>).collect()
}
