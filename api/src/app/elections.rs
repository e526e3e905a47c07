//! An election to a group post: called for an active post of the group,
//! and, once declared, its winner appointed to the post for the term, ending
//! the appointment of the holder they succeed, under the post's seat lock.

use chrono::Days;
use uuid::Uuid;

use super::{Scope, references, run, seats};
use crate::domain::{
    Classification, Note,
    appointment::{Appointment, AppointmentCommand, AppointmentStatus, EndReason, Nomination},
    body::{Body, BodyKind, BodyStatus},
    election::{Election, ElectionCommand, ElectionDraft, ElectionStatus},
    meeting::Meeting,
};
use crate::http::{ApiError, Fields};
use crate::store::{
    StoreError,
    command_bus::{CommandBus, CommandContext, Expectation},
    locks,
};

/// Checks a new election's references: its post an active group post of the
/// group, its meeting one of the group's.
pub async fn check_new(
    scope: &Scope<'_>,
    draft: &ElectionDraft,
    fields: &mut Fields,
) -> Result<(), StoreError> {
    match references::find::<Body>(scope, draft.body_id).await? {
        Some(body) if body.kind != Some(BodyKind::GroupPost) => {
            fields.reject("/body_id", "elections are to the group's own posts (a body of kind group_post)");
        }
        Some(body) if body.status != BodyStatus::Active => {
            fields.reject("/body_id", "this post has been dissolved")
        }
        Some(_) => {}
        None => fields.reject("/body_id", "no such body in this group"),
    }
    if let Some(meeting_id) = draft.meeting_id {
        references::check_exists::<Meeting>(scope, meeting_id, "/meeting_id", "meeting", fields).await?;
    }
    Ok(())
}

/// The id of the appointment an election makes: derived from the election, so
/// a retried declaration finds the appointment it already made.
pub fn appointment_id_for(election_id: Uuid) -> Uuid {
    Uuid::new_v5(&Uuid::NAMESPACE_URL, format!("caucus/election/{election_id}/appointment").as_bytes())
}

/// Declares election `id`'s result on `on` and appoints the winner. The
/// candidates must still be members when it is declared. A declaration
/// retried under its Idempotency-Key after a failure completes what the first
/// attempt began: every step already done is skipped.
pub async fn declare(
    scope: &Scope<'_>,
    bus: &CommandBus,
    context: &CommandContext,
    id: Uuid,
    on: chrono::NaiveDate,
    expectation: Expectation,
) -> Result<(), ApiError> {
    let election = references::find::<Election>(scope, id).await?.ok_or(ApiError::NotFound("election"))?;
    let retried = election.status == ElectionStatus::Declared && context.idempotency_key.is_some();
    if !retried {
        if election.status == ElectionStatus::Open {
            let mut fields = Fields::new();
            for (n, candidate) in election.candidates.iter().enumerate() {
                let pointer = format!("/candidates/{n}");
                references::check_current_member(scope, *candidate, &pointer, &mut fields).await?;
            }
            fields.finish(|| Some(()))?;
        }
        let command = ElectionCommand::DeclareResult { on, appointment_id: appointment_id_for(id) };
        run::<Election>(bus, context, id, command, expectation, "election").await?;
    }
    let declared = references::find::<Election>(scope, id).await?.ok_or(ApiError::NotFound("election"))?;
    appoint_winner(scope, bus, context, &declared).await
}

/// Appoints the declared winner to the post for the election's term: under the
/// post's seat lock, ends (or withdraws) as many earlier holders as the post
/// needs to free a seat, the longest-serving first, then nominates and
/// confirms the winner. Every step is skipped if already done.
async fn appoint_winner(
    scope: &Scope<'_>,
    bus: &CommandBus,
    context: &CommandContext,
    election: &Election,
) -> Result<(), ApiError> {
    let (Some(outcome), Some(body_id), Some(term_starts_on)) =
        (&election.outcome, election.body_id, election.term_starts_on)
    else {
        return Ok(());
    };
    let post = references::find::<Body>(scope, body_id).await?.ok_or(ApiError::NotFound("body"))?;
    let title = election.title.as_ref().map(ToString::to_string).unwrap_or_default();
    locks::with_lock(scope.db, &seats::lock(body_id), async {
        let mut holders: Vec<(Uuid, Appointment)> =
            seats::holders(scope, &Classification::ALL, Some(body_id))
                .await?
                .iter()
                .map(|stored| {
                    let id = Uuid::parse_str(&stored.record_id).map_err(ApiError::internal)?;
                    Ok((id, serde_json::from_str(&stored.state).map_err(ApiError::internal)?))
                })
                .collect::<Result<_, ApiError>>()?;
        holders.retain(|(id, _)| *id != outcome.appointment_id);
        holders.sort_by_key(|(_, a)| a.term_starts_on);
        let excess = (holders.len() + 1).saturating_sub(usize::from(post.seats));
        let reason =
            Note::parse(&format!("Succeeded at the election: {title}")).map_err(ApiError::internal)?;
        for (id, holder) in holders.into_iter().take(excess) {
            let command = if holder.status == AppointmentStatus::Current {
                let day_before = term_starts_on.checked_sub_days(Days::new(1)).unwrap_or(term_starts_on);
                let on = holder.term_starts_on.map_or(day_before, |start| day_before.max(start));
                AppointmentCommand::EndAppointment {
                    on,
                    reason: EndReason::Replaced,
                    note: Some(reason.clone()),
                }
            } else {
                AppointmentCommand::WithdrawNomination { reason: reason.clone() }
            };
            run::<Appointment>(bus, context, id, command, Expectation::Existing(None), "appointment").await?;
        }
        // The winner's seat may be classified above the actor: look for it among all.
        let all = Scope { readable: Classification::ALL.to_vec(), ..scope.clone() };
        let appointment_id = outcome.appointment_id;
        if references::find::<Appointment>(&all, appointment_id).await?.is_none() {
            let nomination = Nomination {
                body_id,
                member_id: outcome.winner,
                role_title: None,
                term_starts_on,
                term_ends_on: election.term_ends_on,
                classification: election.classification.unwrap_or(Classification::Group),
            };
            let nominate = AppointmentCommand::NominateMember {
                group_id: context.group_id.clone(),
                nomination: Box::new(nomination),
            };
            run::<Appointment>(bus, context, appointment_id, nominate, Expectation::New, "appointment")
                .await?;
        }
        let appointment = references::find::<Appointment>(&all, appointment_id).await?;
        if appointment.is_some_and(|a| a.status == AppointmentStatus::Nominated) {
            let confirm = AppointmentCommand::ConfirmAppointment { on: outcome.on };
            run::<Appointment>(
                bus,
                context,
                appointment_id,
                confirm,
                Expectation::Existing(None),
                "appointment",
            )
            .await?;
        }
        Ok::<_, ApiError>(())
    })
    .await
}
