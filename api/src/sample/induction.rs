//! The sample group's induction: its steps (the defaults, the code of
//! conduct step tied to the catalogue's course) and a new councillor who
//! joined three weeks ago, half their steps ticked off, the standing orders
//! overdue and the register of interests due within the week.

use crate::app::induction;
use crate::domain::induction::{Induction, InductionCommand, InductionSteps, StepsCommand};
use crate::store::StoreError;

use super::{Loader, note, sample_member_id};

/// The sample member who joined three weeks ago (Harjit Singh Gill).
pub(super) const NEW_MEMBER: usize = 18;
/// How many days ago they joined.
pub(super) const JOINED_DAYS_AGO: i64 = 21;

/// Ties the code of conduct step to the catalogue's course: before the
/// members join, so the new member's induction is made from it.
pub(super) async fn configure(loader: &Loader<'_>) -> Result<(), StoreError> {
    let group_id = loader.context.group_id.clone();
    let mut step = InductionSteps::current(None)
        .into_iter()
        .nth(1)
        .map(|s| s.draft)
        .ok_or_else(|| StoreError::Inconsistent("sample induction: no code of conduct step".into()))?;
    step.course_id = Some(super::events::course_id(0));
    let command = StepsCommand::ChangeStep { group_id, number: 2, draft: Box::new(step) };
    induction::configure(&loader.scope(), loader.bus, &loader.context, command, None)
        .await
        .map_err(Loader::failed("induction steps"))
}

/// Ticks off half the new member's steps: meeting the Leader, IT and email,
/// and the casework briefing.
pub(super) async fn progress(loader: &Loader<'_>) -> Result<(), StoreError> {
    let member = sample_member_id(NEW_MEMBER);
    let ticks = [(1, 10, None), (3, 19, Some("Laptop and council email set up.")), (5, 15, None)];
    let commands = ticks
        .into_iter()
        .map(|(number, days_ago, text)| InductionCommand::TickStep {
            number,
            on: loader.day(days_ago),
            by: loader.context.actor.clone(),
            note: text.map(note),
        })
        .collect();
    loader.run_on::<Induction>(crate::domain::induction::induction_id(member), commands, "induction").await
}
