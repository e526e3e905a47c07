//! The induction of new councillors across records: a step names a member of
//! the group or a course of the catalogue; a member's induction is started
//! from the group's steps as they stand the day they join (the defaults
//! while the group has configured none), which `members::join` does in the
//! same operation as the joining, as the route and the sample loader both
//! call it.

use chrono::NaiveDate;
use uuid::Uuid;

use super::{Scope, references, run};
use crate::domain::{
    induction::{
        Induction, InductionCommand, InductionSteps, StepDraft, StepOwner, StepsCommand, induction_id,
        induction_steps_id,
    },
    member::Member,
    training::Course,
};
use crate::http::{ApiError, Fields};
use crate::store::{
    StoreError,
    command_bus::{CommandBus, CommandContext, Expectation},
};

/// Checks a step's named owner is a member of the group and its course is in the catalogue.
pub async fn check_step(scope: &Scope<'_>, draft: &StepDraft, fields: &mut Fields) -> Result<(), StoreError> {
    if let StepOwner::Member { member_id } = draft.owner {
        references::check_exists::<Member>(scope, member_id, "/owner/member_id", "member", fields).await?;
    }
    if let Some(course) = draft.course_id {
        references::check_exists::<Course>(scope, course, "/course_id", "course", fields).await?;
    }
    Ok(())
}

/// The group's configured steps with their version, if it has configured any.
pub async fn configured(scope: &Scope<'_>) -> Result<Option<(InductionSteps, u64)>, StoreError> {
    let id = induction_steps_id(scope.group_id).to_string();
    let kind = <InductionSteps as cqrs_es::Aggregate>::TYPE;
    match crate::store::records::find(
        scope.db,
        scope.group_id,
        kind,
        &id,
        &crate::domain::Classification::ALL,
    )
    .await?
    {
        Some(stored) => Ok(Some((serde_json::from_str(&stored.state)?, stored.version as u64))),
        None => Ok(None),
    }
}

/// Runs `command` on the group's steps: the first creates them from the
/// defaults; later ones must match `if_match` when it is given.
pub async fn configure(
    scope: &Scope<'_>,
    bus: &CommandBus,
    context: &CommandContext,
    command: StepsCommand,
    if_match: Option<u64>,
) -> Result<(), ApiError> {
    let expectation = match configured(scope).await? {
        Some(_) => Expectation::Existing(if_match),
        None => Expectation::New,
    };
    let id = induction_steps_id(scope.group_id);
    run::<InductionSteps>(bus, context, id, command, expectation, "induction steps").await
}

/// Starts `member_id`'s induction as joining on `joined_on`, from the group's
/// steps as they stand (409 if it has started already).
pub async fn start(
    scope: &Scope<'_>,
    bus: &CommandBus,
    context: &CommandContext,
    member_id: Uuid,
    joined_on: NaiveDate,
) -> Result<(), ApiError> {
    let configured = configured(scope).await?;
    let steps = InductionSteps::current(configured.as_ref().map(|(steps, _)| steps));
    let command =
        InductionCommand::StartInduction { group_id: scope.group_id.clone(), member_id, joined_on, steps };
    run::<Induction>(bus, context, induction_id(member_id), command, Expectation::New, "induction").await
}

/// Whether `member_id`'s induction has started.
pub async fn started(scope: &Scope<'_>, member_id: Uuid) -> Result<bool, StoreError> {
    Ok(references::find_any::<Induction>(scope, induction_id(member_id)).await?.is_some())
}
