//! The sample group loaded by `caucus demo`: a realistic Labour group on
//! Newham Council (its members, bodies and appointments, decisions,
//! actions, publications, meetings, forward plan, motions and briefings,
//! residents' cases, its seminars, training and conferences, and a new councillor's induction) so a newcomer sees the product with real-looking work in it. All
//! dates are relative to today, so the sample always has work overdue and
//! coming due.

mod actions;
mod bodies;
// The group's budget (issue 18).
mod budget;
mod casework;
mod council_business;
mod decisions;
mod donations;
mod events;
mod induction;
// The register of interests (issue 18).
mod interests;
mod meetings;
mod members;
mod publications;

use chrono::{Duration, Local, NaiveDate};
use uuid::Uuid;

use crate::app::Scope;
use crate::domain::{GroupId, LongText, Note, Record, Role, Title};
use crate::http::ApiError;
use crate::personal::PersonalData;
use crate::store::{
    Database, StoreError,
    command_bus::{CommandBus, CommandContext, Expectation},
};

/// The sample group's id.
pub const GROUP: &str = "newham-labour";
/// The sample group's name.
pub const GROUP_NAME: &str = "Newham Labour Group";

/// The id of the sample group's member number `n` (1-based, in the order of
/// the members table). Ids are UUID v5 of `newham-labour/member/N` in the OID
/// namespace, so appointments and actions can name members before loading.
pub fn sample_member_id(n: usize) -> Uuid {
    Uuid::new_v5(&Uuid::NAMESPACE_OID, format!("newham-labour/member/{n}").as_bytes())
}

fn title(s: &str) -> Title {
    Title::parse(s).unwrap_or_else(|e| panic!("sample title {s:?}: {e}"))
}

fn note(s: &str) -> Note {
    Note::parse(s).unwrap_or_else(|e| panic!("sample note {s:?}: {e}"))
}

fn long_text(s: &str) -> LongText {
    LongText::parse(s).unwrap_or_else(|e| panic!("sample text {s:?}: {e}"))
}

/// Runs the sample's commands as the group's assistant.
struct Loader<'a> {
    db: &'a Database,
    bus: &'a CommandBus,
    /// Seals the members' contact details, as the member routes do.
    personal: &'a PersonalData,
    context: CommandContext,
    today: NaiveDate,
}

impl Loader<'_> {
    /// The day `days_ago` days before today (negative: after).
    fn day(&self, days_ago: i64) -> NaiveDate {
        self.today - Duration::days(days_ago)
    }

    /// The records the loader's operations see: all of the group's.
    fn scope(&self) -> Scope<'_> {
        Scope::new(self.db, &self.context.group_id, &self.context.roles)
    }

    /// What an application function's refusal becomes: the sample is wrong.
    fn failed(what: &str) -> impl FnOnce(ApiError) -> StoreError + '_ {
        move |e| StoreError::Inconsistent(format!("sample {what}: {e}"))
    }

    /// Runs `commands` on record `id` in order: the first creates it.
    async fn run<A: Record<Services = ()>>(
        &self,
        id: Uuid,
        commands: Vec<A::Command>,
        what: &str,
    ) -> Result<(), StoreError> {
        for (n, command) in commands.into_iter().enumerate() {
            let expectation = if n == 0 { Expectation::New } else { Expectation::Existing(None) };
            self.step::<A>(id, command, expectation, what).await?;
        }
        Ok(())
    }

    /// Runs `commands` on the existing record `id` in order.
    async fn run_on<A: Record<Services = ()>>(
        &self,
        id: Uuid,
        commands: Vec<A::Command>,
        what: &str,
    ) -> Result<(), StoreError> {
        for command in commands {
            self.step::<A>(id, command, Expectation::Existing(None), what).await?;
        }
        Ok(())
    }

    /// Runs one command on record `id`.
    async fn step<A: Record<Services = ()>>(
        &self,
        id: Uuid,
        command: A::Command,
        expectation: Expectation,
        what: &str,
    ) -> Result<(), StoreError> {
        self.bus
            .execute::<A>(&id.to_string(), command, &self.context, expectation)
            .await
            .map(drop)
            .map_err(|e| StoreError::Inconsistent(format!("sample {what}: {e}")))
    }
}

/// Loads the sample group unless the store already holds events. Returns
/// whether it loaded. Members' keys are stored unwrapped: use
/// [`load_if_empty_with`] to wrap them under a server's master key.
pub async fn load_if_empty(db: &Database, bus: &CommandBus) -> Result<bool, StoreError> {
    load_if_empty_with(db, bus, &PersonalData::new(db.clone(), None)).await
}

/// Like [`load_if_empty`], sealing personal data with `personal`.
pub async fn load_if_empty_with(
    db: &Database,
    bus: &CommandBus,
    personal: &PersonalData,
) -> Result<bool, StoreError> {
    if crate::store::records::count_events(db).await? > 0 {
        return Ok(false);
    }
    let group_id = GroupId::parse(GROUP).map_err(|e| StoreError::Inconsistent(e.to_string()))?;
    let context = CommandContext {
        actor: "sample-loader".into(),
        roles: vec![Role::Assistant],
        group_id,
        request_id: "sample".into(),
        idempotency_key: None,
    };
    let loader = Loader { db, bus, personal, context, today: Local::now().date_naive() };
    induction::configure(&loader).await?;
    members::load(&loader).await?;
    induction::progress(&loader).await?;
    let bodies = bodies::load(&loader).await?;
    let decisions = decisions::load(&loader).await?;
    actions::load(&loader, &decisions).await?;
    publications::load(&loader).await?;
    let (next_council, next_council_at) = meetings::load(&loader, &decisions, &bodies).await?;
    council_business::load(&loader, next_council, next_council_at).await?;
    casework::load(&loader).await?;
    events::load(&loader, &bodies).await?;
    budget::load(&loader).await?;
    // The register of interests (issue 18).
    interests::load(&loader, &bodies).await?;
    // Probity (issue 18).
    donations::load(&loader).await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sample_member_ids_are_stable_and_distinct() {
        assert_eq!(sample_member_id(1), sample_member_id(1));
        assert_ne!(sample_member_id(1), sample_member_id(2));
        assert_eq!(sample_member_id(7).get_version_num(), 5);
    }
}
