//! Erasing casework's personal data by destroying keys: a case's when its
//! retention runs out or its resident asks, and the resident's own once no
//! case of theirs still keeps personal data. Each erasure is an event first
//! (who, when, why), then the key's destruction, so a retry after a crash
//! between the two completes it. What remains of a case (category, ward,
//! organisation, dates, outcome) keeps the statistics true, and the stored
//! payloads, so the audit chain, never change.

use chrono::NaiveDate;
use uuid::Uuid;

use super::{Scope, references::find_any, run};
use crate::domain::{
    GroupId, Role,
    case::{Case, CaseCommand, CaseStatus},
    resident::{Erasure, Resident, ResidentCommand, ResidentStatus},
};
use crate::http::ApiError;
use crate::personal::PersonalData;
use crate::store::{
    Database, StoreError,
    command_bus::{CommandBus, CommandContext, Expectation},
    records,
};
use cqrs_es::Aggregate as _;

/// A closed case whose personal data falls due for erasure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueCase {
    /// Its group.
    pub group_id: GroupId,
    /// The case.
    pub case_id: Uuid,
    /// Its resident.
    pub resident_id: Uuid,
    /// The day it closed.
    pub closed_on: NaiveDate,
    /// The day its personal data fell due for erasure.
    pub erase_on: NaiveDate,
}

/// Every closed case in every group whose personal data is due for erasure
/// on `today`, `default_months` after closing unless it keeps its own period.
pub async fn due_for_erasure(
    db: &Database,
    today: NaiveDate,
    default_months: u16,
) -> Result<Vec<DueCase>, StoreError> {
    let mut due = Vec::new();
    for (group, stored) in records::in_every_group(db, Case::TYPE, CaseStatus::Closed.as_str()).await? {
        let case: Case = serde_json::from_str(&stored.state)?;
        let (Some(erase_on), Some(closure), Some(resident_id)) =
            (case.erase_on(default_months), case.closure.as_ref(), case.resident_id)
        else {
            continue;
        };
        if erase_on > today {
            continue;
        }
        let inconsistent = |e: String| StoreError::Inconsistent(format!("case {}: {e}", stored.record_id));
        due.push(DueCase {
            group_id: GroupId::parse(&group).map_err(|e| inconsistent(e.to_string()))?,
            case_id: Uuid::parse_str(&stored.record_id).map_err(|e| inconsistent(e.to_string()))?,
            resident_id,
            closed_on: closure.on,
            erase_on,
        });
    }
    Ok(due)
}

/// Erases case `id`'s personal data: the event, then its key. Idempotent:
/// a case erased already (its key perhaps not yet destroyed, after a crash
/// between the two) has only its key destroyed.
pub async fn erase_case(
    scope: &Scope<'_>,
    bus: &CommandBus,
    personal: &PersonalData,
    context: &CommandContext,
    id: Uuid,
    because: Erasure,
) -> Result<(), ApiError> {
    let case = find_any::<Case>(scope, id).await?.ok_or(ApiError::NotFound("case"))?;
    if case.erased_because.is_none() {
        let command = CaseCommand::EraseCasePersonalData { because };
        run::<Case>(bus, context, id, command, Expectation::Existing(None), "case").await?;
    }
    personal.erase(&id.to_string()).await?;
    Ok(crate::store::case_files::remove_all(scope.db, &id.to_string()).await?)
}

/// Erases resident `id`'s details if none of their cases still keeps
/// personal data; whether they are (now or already) erased.
pub async fn erase_resident_if_unused(
    scope: &Scope<'_>,
    bus: &CommandBus,
    personal: &PersonalData,
    context: &CommandContext,
    id: Uuid,
    because: Erasure,
) -> Result<bool, ApiError> {
    for stored in super::casework::cases_of_resident(scope, id).await? {
        let case: Case = serde_json::from_str(&stored.state).map_err(ApiError::internal)?;
        if case.erased_because.is_none() {
            return Ok(false);
        }
    }
    let resident = find_any::<Resident>(scope, id).await?;
    if resident.as_ref().is_some_and(|r| r.status == ResidentStatus::Recorded) {
        let command = ResidentCommand::ErasePersonalData { because };
        run::<Resident>(bus, context, id, command, Expectation::Existing(None), "resident").await?;
    }
    personal.erase(&id.to_string()).await?;
    Ok(true)
}

/// Erases resident `id` on their request: every case of theirs, then them.
pub async fn erase_resident(
    scope: &Scope<'_>,
    bus: &CommandBus,
    personal: &PersonalData,
    context: &CommandContext,
    id: Uuid,
) -> Result<(), ApiError> {
    for stored in super::casework::cases_of_resident(scope, id).await? {
        let case = Uuid::parse_str(&stored.record_id).map_err(ApiError::internal)?;
        erase_case(scope, bus, personal, context, case, Erasure::Request).await?;
    }
    erase_resident_if_unused(scope, bus, personal, context, id, Erasure::Request).await?;
    Ok(())
}

/// What one sweep erased, or with `dry_run` would erase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Swept {
    /// The case.
    pub case: DueCase,
    /// Whether its resident's details were erased with it (no other case of
    /// theirs keeps personal data).
    pub resident_erased: bool,
}

/// Erases every case due on `today` (or, with `dry_run`, only finds them),
/// and the residents left with no case keeping personal data. The sweep acts
/// as the assistant of each case's group, as `actor`.
pub async fn sweep(
    db: &Database,
    bus: &CommandBus,
    personal: &PersonalData,
    (today, default_months): (NaiveDate, u16),
    actor: &str,
    dry_run: bool,
) -> Result<Vec<Swept>, ApiError> {
    let mut swept = Vec::new();
    for case in due_for_erasure(db, today, default_months).await? {
        if dry_run {
            swept.push(Swept { case, resident_erased: false });
            continue;
        }
        let context = CommandContext {
            actor: actor.to_owned(),
            roles: vec![Role::Assistant],
            group_id: case.group_id.clone(),
            request_id: format!("retention-{today}"),
            idempotency_key: None,
        };
        let scope = Scope::new(db, &case.group_id, &context.roles);
        erase_case(&scope, bus, personal, &context, case.case_id, Erasure::Retention).await?;
        let resident_erased =
            erase_resident_if_unused(&scope, bus, personal, &context, case.resident_id, Erasure::Retention)
                .await?;
        swept.push(Swept { case, resident_erased });
    }
    Ok(swept)
}

/// How often `caucus serve` sweeps, the first time this long after it starts.
pub const SWEEP_INTERVAL: std::time::Duration = std::time::Duration::from_secs(24 * 3600);

/// Sweeps every [`SWEEP_INTERVAL`] for as long as the server runs, today
/// being the day in `zone`; a failed sweep is logged and tried again at the
/// next interval.
pub fn sweep_daily(
    db: Database,
    bus: CommandBus,
    personal: PersonalData,
    zone: chrono_tz::Tz,
    default_months: u16,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut interval =
            tokio::time::interval_at(tokio::time::Instant::now() + SWEEP_INTERVAL, SWEEP_INTERVAL);
        loop {
            interval.tick().await;
            let today = chrono::Utc::now().with_timezone(&zone).date_naive();
            match sweep(&db, &bus, &personal, (today, default_months), "caucus-retention-sweep", false).await
            {
                Ok(swept) => tracing::info!(erased = swept.len(), "casework retention sweep"),
                Err(error) => {
                    tracing::warn!(%error, "casework retention sweep failed; trying again at the next interval")
                }
            }
        }
    })
}
