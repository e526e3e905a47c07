//! The group's events: who they may name (an organiser, the bodies or members
//! invited) and who may take a place at one (a current member it invites).

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use uuid::Uuid;

use super::{Scope, references, run, seats, training};
use crate::domain::{
    Classification,
    appointment::Appointment,
    body::Body,
    group_event::{GroupEvent, GroupEventCommand, GroupEventDraft, Invitees},
    meeting::Attendance,
    training::{Course, Evidence},
};
use crate::http::{ApiError, Fields};
use crate::store::{
    StoreError,
    command_bus::{CommandBus, CommandContext, Expectation},
};

/// Checks a new event's references: its organiser a current member, the
/// bodies or members it invites and the courses it teaches the group's.
pub async fn check_new(
    scope: &Scope<'_>,
    draft: &GroupEventDraft,
    fields: &mut Fields,
) -> Result<(), StoreError> {
    if let Some(organiser) = draft.organiser_id {
        references::check_current_member(scope, organiser, "/organiser_id", fields).await?;
    }
    match &draft.invitees {
        Invitees::AllMembers => {}
        Invitees::Bodies(ids) => {
            for (index, id) in ids.iter().enumerate() {
                let pointer = format!("/invited_ids/{index}");
                references::check_exists::<Body>(scope, *id, &pointer, "body", fields).await?;
            }
        }
        Invitees::Members(ids) => {
            for (index, id) in ids.iter().enumerate() {
                references::check_current_member(scope, *id, &format!("/invited_ids/{index}"), fields)
                    .await?;
            }
        }
    }
    for (index, course) in draft.courses.iter().enumerate() {
        references::check_exists::<Course>(scope, *course, &format!("/course_ids/{index}"), "course", fields)
            .await?;
    }
    Ok(())
}

/// Records event `id`'s register, then, for a training event, completes its
/// courses for every member the register shows present, on the day it was
/// held in `zone`, the register their evidence. A retry completes whatever
/// its first attempt did not (a register completes a course once).
pub async fn record_attendance(
    scope: &Scope<'_>,
    (bus, context): (&CommandBus, &CommandContext),
    (id, expectation): (Uuid, Expectation),
    (entries, at): (Vec<(Uuid, Attendance)>, DateTime<Utc>),
    zone: Tz,
) -> Result<(), ApiError> {
    let command = GroupEventCommand::RecordAttendance { entries, at };
    run::<GroupEvent>(bus, context, id, command, expectation, "group event").await?;
    let event = references::find::<GroupEvent>(scope, id).await?.ok_or(ApiError::NotFound("group event"))?;
    let Some(held_on) = event.held_on(zone) else { return Ok(()) };
    let present = event.attendance.iter().filter(|(_, a)| *a == Attendance::Present).map(|(m, _)| *m);
    for member in present {
        for course in &event.courses {
            let evidence = Evidence::Register { event_id: id };
            training::complete(scope, bus, context, (member, *course), (held_on, evidence)).await?;
        }
    }
    Ok(())
}

/// Checks `member_id` may take a place at `event`: a current member, and
/// invited (named, or holding or nominated to a seat on a body invited).
pub async fn check_invited(
    scope: &Scope<'_>,
    event: &GroupEvent,
    member_id: Uuid,
    fields: &mut Fields,
) -> Result<(), StoreError> {
    references::check_current_member(scope, member_id, "/member_id", fields).await?;
    let invited = match &event.invitees {
        None | Some(Invitees::AllMembers) => true,
        Some(Invitees::Members(ids)) => ids.contains(&member_id),
        Some(Invitees::Bodies(ids)) => {
            let mut seated = false;
            for body_id in ids {
                for stored in seats::holders(scope, &Classification::ALL, Some(*body_id)).await? {
                    let appointment: Appointment = serde_json::from_str(&stored.state)?;
                    seated |= appointment.member_id == Some(member_id);
                }
            }
            seated
        }
    };
    if !invited {
        fields.reject("/member_id", "this member is not invited to this event");
    }
    Ok(())
}
