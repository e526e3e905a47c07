//! The register of interests across records: an entry names the group's
//! bodies, organisations and events; the clocks and the review are made from
//! the members' registers, their inductions, their seats on outside bodies
//! and group posts, and the hospitality of the events they came to. The
//! routes, My work and the sample loader all call these.

use std::collections::HashMap;

use caucus_wire::ReadOn;
use chrono::{Days, NaiveDate};
use uuid::Uuid;

use super::{Scope, references, run};
use crate::domain::{
    Classification,
    appointment::{Appointment, AppointmentStatus},
    body::{Body, BodyKind},
    group_event::{GroupEvent, GroupEventStatus, HOSPITALITY_REGISTRATION_DAYS},
    induction::Induction,
    interests::{Detail, EntryDraft, Register, RegisterCommand, register_id},
    member::{Member, MemberStatus},
    organisation::Organisation,
    tag,
};
use crate::http::{ApiError, Fields};
use crate::reports::interests_review::{Hospitality, Seat, Sources};
use crate::store::{
    StoreError,
    command_bus::{CommandBus, CommandContext, Expectation},
    records::RecordFilter,
};

/// Checks the body, organisation and event an entry names are the group's.
pub async fn check_draft(
    scope: &Scope<'_>,
    draft: &EntryDraft,
    fields: &mut Fields,
) -> Result<(), StoreError> {
    if let Detail::Interest { body_id, organisation_id, gift, .. } = &draft.detail {
        if let Some(body) = body_id {
            references::check_exists::<Body>(scope, *body, "/body_id", "body", fields).await?;
        }
        if let Some(organisation) = organisation_id {
            let pointer = "/organisation_id";
            references::check_exists::<Organisation>(scope, *organisation, pointer, "organisation", fields)
                .await?;
        }
        if let Some(event) = gift.as_ref().and_then(|g| g.event_id) {
            references::check_exists::<GroupEvent>(scope, event, "/gift/event_id", "group event", fields)
                .await?;
        }
    }
    Ok(())
}

/// `member_id`'s register, if it was ever opened, with its version.
pub async fn register_of(scope: &Scope<'_>, member_id: Uuid) -> Result<Option<(Register, u64)>, StoreError> {
    let id = register_id(member_id).to_string();
    let kind = <Register as cqrs_es::Aggregate>::TYPE;
    match crate::store::records::find(scope.db, scope.group_id, kind, &id, &Classification::ALL).await? {
        Some(stored) => Ok(Some((serde_json::from_str(&stored.state)?, stored.version as u64))),
        None => Ok(None),
    }
}

/// Runs `command` on its member's register, opening it on the first; an
/// existing register must be at `if_match` when it is given.
pub async fn change(
    scope: &Scope<'_>,
    bus: &CommandBus,
    context: &CommandContext,
    command: RegisterCommand,
    if_match: Option<u64>,
) -> Result<(), ApiError> {
    let id = register_id(command.member_id);
    let expectation = match register_of(scope, command.member_id).await? {
        Some(_) => Expectation::Existing(if_match),
        None => Expectation::New,
    };
    run::<Register>(bus, context, id, command, expectation, "register of interests").await
}

/// Whether the clocks' sources include the hospitality of events held: the
/// register and its review count it; My work leaves it to the events' own
/// items, and need not read every event the group has held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HospitalitySources {
    Read,
    Left,
}

/// The members (all current ones, or only `only`), their registers and what
/// starts their clocks, as `on` a day. Every classification is read: the
/// caller is entitled to the members' registers it is asked for, and only
/// their own items leave here.
pub async fn sources(
    scope: &Scope<'_>,
    on: ReadOn<'_>,
    only: Option<Uuid>,
    hospitality: HospitalitySources,
) -> Result<Sources, StoreError> {
    let all = Scope { readable: Classification::ALL.to_vec(), ..scope.clone() };
    let wanted = |member: Uuid| only.is_none_or(|m| m == member);
    let mut sources = Sources::default();
    for (id, member, _) in references::all::<Member>(&all).await? {
        if member.status == MemberStatus::Member && wanted(id) {
            let name = member.name.map(|n| n.to_string()).unwrap_or_default();
            sources.members.push((id, name));
        }
    }
    sources.members.sort_by(|a, b| (&a.1, a.0).cmp(&(&b.1, b.0)));
    for (_, register, _) in references::all::<Register>(&all).await? {
        if let Some(member) = register.member_id.filter(|m| wanted(*m)) {
            sources.registers.insert(member, register);
        }
    }
    for (_, induction, _) in references::all::<Induction>(&all).await? {
        if let (Some(member), Some(joined_on)) = (induction.member_id, induction.joined_on)
            && wanted(member)
        {
            sources.joined.insert(member, joined_on);
        }
    }
    let bodies: HashMap<Uuid, Body> =
        references::all::<Body>(&all).await?.into_iter().map(|(id, body, _)| (id, body)).collect();
    for (appointment_id, appointment, _) in references::all::<Appointment>(&all).await? {
        let (Some(member_id), Some(body_id)) = (appointment.member_id, appointment.body_id) else { continue };
        if appointment.status != AppointmentStatus::Current || !wanted(member_id) {
            continue;
        }
        let Some(body) = bodies.get(&body_id) else { continue };
        let Some(kind) = body.kind.filter(|k| matches!(k, BodyKind::OutsideBody | BodyKind::GroupPost))
        else {
            continue;
        };
        // The interest arises when the seat is taken: its term's start, or its confirmation if later.
        let Some(starts_on) = appointment.term_starts_on.into_iter().chain(appointment.confirmed_on).max()
        else {
            continue;
        };
        let body_name = body.name.as_ref().map(ToString::to_string).unwrap_or_default();
        sources.seats.push(Seat { appointment_id, member_id, body_id, body_name, kind, starts_on });
    }
    if hospitality == HospitalitySources::Left {
        return Ok(sources);
    }
    let zone = on.motion_deadline.zone;
    // Held events, and only those naming the one member if one is asked for.
    let held = [GroupEventStatus::Held.as_str()];
    let came = only.map(|member| vec![tag("member", member)]).unwrap_or_default();
    let filter = RecordFilter { statuses: &held, tags: &came, ..RecordFilter::default() };
    for (event_id, event, _) in references::all_matching::<GroupEvent>(&all, filter).await? {
        let Some((came, due)) = event.hospitality_to_register(on.hospitality_threshold_pence, zone) else {
            continue;
        };
        let came: Vec<Uuid> = came.into_iter().filter(|m| wanted(*m)).collect();
        if came.is_empty() {
            continue;
        }
        let held_on =
            due.checked_sub_days(Days::new(HOSPITALITY_REGISTRATION_DAYS.unsigned_abs())).unwrap_or(due);
        let host = event.host.as_ref();
        sources.hospitality.push(Hospitality {
            event_id,
            title: event.title.as_ref().map(ToString::to_string).unwrap_or_default(),
            host: host.map(|h| h.name.to_string()).unwrap_or_default(),
            value_per_head_pence: host.map_or(0, |h| h.value_per_head_pence),
            held_on,
            came,
        });
    }
    Ok(sources)
}

/// The instant `day` ends in `zone`, as RFC 3339: a register as it stood that day is read `as_of` it.
pub fn end_of(day: NaiveDate, zone: chrono_tz::Tz) -> String {
    use chrono::TimeZone;
    let next = day.succ_opt().unwrap_or(day).and_hms_opt(0, 0, 0).unwrap_or_default();
    let at = zone.from_local_datetime(&next).earliest().map(|t| t.with_timezone(&chrono::Utc));
    at.unwrap_or_else(|| next.and_utc()).to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}
