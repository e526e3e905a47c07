//! Seats on a body: a nomination takes a seat, so a body takes nominations
//! only while it is active and has one free. The check and the command run
//! under one lock per body, so two nominations cannot both take the last seat.

use std::collections::HashMap;

use chrono::NaiveDate;
use uuid::Uuid;

use super::{Scope, references, run, training};
use crate::domain::{
    Classification,
    appointment::{Appointment, AppointmentCommand, AppointmentStatus, Nomination},
    body::{Body, BodyStatus, TrainingGate},
};
use crate::http::{ApiError, Fields};
use crate::store::{
    StoreError,
    command_bus::{CommandBus, CommandContext, Expectation},
    locks,
    records::{self, RecordFilter, RecordQuery},
};

/// The statuses of an appointment that take a seat: nominated to or held.
pub const HOLDING: [AppointmentStatus; 2] = [AppointmentStatus::Nominated, AppointmentStatus::Current];

/// The words of [`HOLDING`], as the read model filters on them.
pub fn holding_words() -> [&'static str; 2] {
    HOLDING.map(AppointmentStatus::as_str)
}

/// The lock every change to the seats of `body_id` runs under.
pub fn lock(body_id: Uuid) -> String {
    format!("body-seats:{body_id}")
}

/// The appointments that take a seat, on one body or all, readable by `readable`.
pub async fn holders(
    scope: &Scope<'_>,
    readable: &[Classification],
    body_id: Option<Uuid>,
) -> Result<Vec<records::StoredRecord>, StoreError> {
    let words = holding_words();
    records::list_all(
        scope.db,
        &RecordQuery::new(scope.group_id, <Appointment as cqrs_es::Aggregate>::TYPE, readable)
            .filtered(RecordFilter { statuses: &words, body_id, ..RecordFilter::default() }),
    )
    .await
}

/// How many seats of each body are held or nominated to, by body id. Every
/// appointment counts, whatever its classification: a seat is taken even if
/// the actor may not read who took it.
pub async fn filled(scope: &Scope<'_>, body_id: Option<Uuid>) -> Result<HashMap<Uuid, u16>, StoreError> {
    let mut filled = HashMap::new();
    for stored in holders(scope, &Classification::ALL, body_id).await? {
        let appointment: Appointment = serde_json::from_str(&stored.state)?;
        if let Some(body) = appointment.body_id {
            *filled.entry(body).or_insert(0_u16) += 1;
        }
    }
    Ok(filled)
}

/// Checks a nomination against other records: its member a current member
/// and its body one of the group's (else 422 naming the field), the body
/// active with a seat free and, where the body refuses missing training, the
/// member holding its courses on `today` (else 409).
pub async fn check_nomination(
    scope: &Scope<'_>,
    nomination: &Nomination,
    today: NaiveDate,
) -> Result<(), ApiError> {
    let mut fields = Fields::new();
    references::check_current_member(scope, nomination.member_id, "/member_id", &mut fields).await?;
    let body = references::find::<Body>(scope, nomination.body_id).await?;
    if body.is_none() {
        fields.reject("/body_id", "no such body in this group");
    }
    fields.finish(|| Some(()))?;
    let Some(body) = body else { return Ok(()) };
    if body.status != BodyStatus::Active {
        return Err(ApiError::Conflict("this body is dissolved and takes no nominations".into()));
    }
    let taken = filled(scope, Some(nomination.body_id)).await?.get(&nomination.body_id).copied().unwrap_or(0);
    if taken >= body.seats {
        return Err(ApiError::Conflict(format!(
            "every one of this body's {} seats is held or has a nomination",
            body.seats
        )));
    }
    check_training(scope, &body, (nomination.member_id, nomination.body_id), today).await
}

/// Checks a confirmation on `on` of appointment `id`: where its body refuses
/// missing training, the member must hold its courses that day (else 409).
/// An appointment not found is left for the command to answer.
pub async fn check_confirmation(scope: &Scope<'_>, id: Uuid, on: NaiveDate) -> Result<(), ApiError> {
    let Some(appointment) = references::find::<Appointment>(scope, id).await? else { return Ok(()) };
    let (Some(member_id), Some(body_id)) = (appointment.member_id, appointment.body_id) else {
        return Ok(());
    };
    match references::find::<Body>(scope, body_id).await? {
        Some(body) => check_training(scope, &body, (member_id, body_id), on).await,
        None => Ok(()),
    }
}

/// The refusing half of the committee-eligibility gate; the warning half is
/// every appointment answer's training gaps.
async fn check_training(
    scope: &Scope<'_>,
    body: &Body,
    (member_id, body_id): (Uuid, Uuid),
    on: NaiveDate,
) -> Result<(), ApiError> {
    if body.training_gate != TrainingGate::Refuse {
        return Ok(());
    }
    let gaps = training::gaps(scope, &[(member_id, body_id)], on).await?.pop().unwrap_or_default();
    if gaps.is_empty() {
        return Ok(());
    }
    let missing: Vec<String> = gaps.iter().map(training::Gap::describe).collect();
    let name = body.name.as_ref().map(ToString::to_string).unwrap_or_default();
    Err(ApiError::Conflict(format!(
        "{name} takes only members who hold the training it requires; this member lacks {}",
        missing.join("; ")
    )))
}

/// Nominates a member to a seat, as appointment `id`, on `today`: checked
/// and recorded under the body's lock.
pub async fn nominate(
    scope: &Scope<'_>,
    bus: &CommandBus,
    context: &CommandContext,
    (id, today): (Uuid, NaiveDate),
    nomination: Nomination,
) -> Result<(), ApiError> {
    locks::with_lock(scope.db, &lock(nomination.body_id), async {
        check_nomination(scope, &nomination, today).await?;
        let command = AppointmentCommand::NominateMember {
            group_id: context.group_id.clone(),
            nomination: Box::new(nomination),
        };
        run::<Appointment>(bus, context, id, command, Expectation::New, "appointment").await
    })
    .await
}
