//! Councillor training across records: a course names the group's bodies; a
//! completion names a course of the catalogue (whose validity it takes) and
//! its evidence, a certificate the group holds or an event's register.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::{Scope, files, references, run, seats};
use crate::domain::{
    Classification,
    appointment::Appointment,
    body::Body,
    group_event::GroupEvent,
    member::{Member, MemberStatus},
    training::{
        Course, CourseDraft, CourseStatus, Evidence, NeedDraft, NeedReason, TrainingCommand, TrainingRecord,
        training_record_id,
    },
};
use crate::http::{ApiError, Fields};
use crate::reports::training_plan;
use crate::store::{
    StoreError,
    command_bus::{CommandBus, CommandContext, Expectation},
    records,
};

/// Checks a new course's bodies are the group's.
pub async fn check_new_course(
    scope: &Scope<'_>,
    draft: &CourseDraft,
    fields: &mut Fields,
) -> Result<(), StoreError> {
    for (index, body) in draft.required_for.iter().enumerate() {
        references::check_exists::<Body>(scope, *body, &format!("/required_for/{index}"), "body", fields)
            .await?;
    }
    Ok(())
}

/// Checks a certificate is a file of the group the actor may read.
pub async fn check_certificate(
    scope: &Scope<'_>,
    file_id: &str,
    fields: &mut Fields,
) -> Result<(), ApiError> {
    if files::referable(scope, file_id).await?.is_none() {
        fields.reject("/certificate_file_id", "no such file in this group");
    }
    Ok(())
}

/// A course a body requires that a member on it does not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    /// The course.
    pub course_id: Uuid,
    /// Its title.
    pub title: String,
    /// The last day their latest completion counted; `None`: never completed.
    pub lapsed_on: Option<NaiveDate>,
}

impl Gap {
    /// The course and when it lapsed, as a refusal names it.
    pub fn describe(&self) -> String {
        match self.lapsed_on {
            Some(day) => format!("{} (lapsed on {})", self.title, day.format("%-d %B %Y")),
            None => format!("{} (never completed)", self.title),
        }
    }
}

/// The bodies some offered course of the catalogue is required for.
pub async fn required_bodies(scope: &Scope<'_>) -> Result<BTreeSet<Uuid>, StoreError> {
    Ok(references::all::<Course>(scope)
        .await?
        .into_iter()
        .filter(|(_, course, _)| course.status == CourseStatus::Offered)
        .flat_map(|(_, course, _)| course.required_for)
        .collect())
}

/// For each `(member, body)` seat, the courses of the catalogue the body
/// requires that the member does not hold valid on `today`, in seat order.
pub async fn gaps(
    scope: &Scope<'_>,
    seats: &[(Uuid, Uuid)],
    today: NaiveDate,
) -> Result<Vec<Vec<Gap>>, StoreError> {
    let courses: Vec<(Uuid, Course)> = references::all::<Course>(scope)
        .await?
        .into_iter()
        .filter(|(_, course, _)| course.status == CourseStatus::Offered && !course.required_for.is_empty())
        .map(|(id, course, _)| (id, course))
        .collect();
    if courses.is_empty() {
        return Ok(vec![Vec::new(); seats.len()]);
    }
    let ids: Vec<String> = seats.iter().map(|(member, _)| training_record_id(*member).to_string()).collect();
    let mut held = HashMap::new();
    let kind = <TrainingRecord as cqrs_es::Aggregate>::TYPE;
    for stored in records::find_many(scope.db, scope.group_id, kind, &ids, &Classification::ALL).await? {
        let (_, record) = references::parsed::<TrainingRecord>(&stored)?;
        if let Some(member) = record.member_id {
            held.insert(member, record);
        }
    }
    Ok(seats
        .iter()
        .map(|(member, body)| {
            let record = held.get(member);
            courses
                .iter()
                .filter(|(_, course)| course.required_for.contains(body))
                .filter_map(|(course_id, course)| {
                    let latest = record.and_then(|r| r.latest(*course_id));
                    if latest.is_some_and(|c| c.valid_on(today)) {
                        return None;
                    }
                    let title = course.title.as_ref().map(ToString::to_string).unwrap_or_default();
                    Some(Gap { course_id: *course_id, title, lapsed_on: latest.and_then(|c| c.valid_until) })
                })
                .collect()
        })
        .collect())
}

/// Records that `member_id` completed `course_id` on `completed_on`, shown by
/// `evidence`; valid for as long as the course says. A course not in the
/// catalogue is a field error at `/course_id`.
pub async fn complete(
    scope: &Scope<'_>,
    bus: &CommandBus,
    context: &CommandContext,
    (member_id, course_id): (Uuid, Uuid),
    (completed_on, evidence): (NaiveDate, Evidence),
) -> Result<(), ApiError> {
    let Some(course) = references::find::<Course>(scope, course_id).await? else {
        return Err(ApiError::invalid_field("/course_id", "no such course in this group"));
    };
    let expectation = opening(scope, member_id).await?;
    let command = TrainingCommand::RecordCompletion {
        group_id: scope.group_id.clone(),
        member_id,
        course_id,
        completed_on,
        valid_for_months: course.valid_for_months,
        evidence,
    };
    run::<TrainingRecord>(
        bus,
        context,
        training_record_id(member_id),
        command,
        expectation,
        "training record",
    )
    .await
}

/// How a write to `member_id`'s training record finds it: its first write
/// opens it.
async fn opening(scope: &Scope<'_>, member_id: Uuid) -> Result<Expectation, StoreError> {
    let kind = <TrainingRecord as cqrs_es::Aggregate>::TYPE;
    let id = training_record_id(member_id).to_string();
    let kept = records::find(scope.db, scope.group_id, kind, &id, &scope.readable).await?.is_some();
    Ok(if kept { Expectation::Existing(None) } else { Expectation::New })
}

/// What the draft training plan is drafted from, as the scope reads it, with
/// events settled as at `now`.
pub async fn plan_sources(
    scope: &Scope<'_>,
    now: DateTime<Utc>,
) -> Result<training_plan::Sources, StoreError> {
    let courses = references::all::<Course>(scope)
        .await?
        .into_iter()
        .filter(|(_, course, _)| course.status == CourseStatus::Offered)
        .map(|(id, course, _)| (id, course))
        .collect();
    let members = references::all::<Member>(scope)
        .await?
        .into_iter()
        .filter(|(_, member, _)| member.status == MemberStatus::Member)
        .map(|(id, member, _)| (id, member.name.map(|n| n.to_string()).unwrap_or_default()))
        .collect();
    let records = references::all::<TrainingRecord>(scope).await?.into_iter().map(|(_, r, _)| r).collect();
    let mut seats = Vec::new();
    for stored in seats::holders(scope, &scope.readable, None).await? {
        let (_, appointment) = references::parsed::<Appointment>(&stored)?;
        if let (Some(member), Some(body)) = (appointment.member_id, appointment.body_id) {
            seats.push((member, body));
        }
    }
    let bodies = references::all::<Body>(scope)
        .await?
        .into_iter()
        .map(|(id, body, _)| (id, body.name.map(|n| n.to_string()).unwrap_or_default()))
        .collect();
    let events = references::all::<GroupEvent>(scope)
        .await?
        .into_iter()
        .map(|(id, e, _)| (id, e.as_at(now)))
        .collect();
    Ok(training_plan::Sources { courses, members, records, seats, bodies, events })
}

/// Checks a need's course and body are the group's.
pub async fn check_need(scope: &Scope<'_>, draft: &NeedDraft, fields: &mut Fields) -> Result<(), StoreError> {
    if let Some(course) = draft.course_id {
        references::check_exists::<Course>(scope, course, "/course_id", "course", fields).await?;
    }
    if let NeedReason::NewSeat { body_id } = draft.reason {
        references::check_exists::<Body>(scope, body_id, "/body_id", "body", fields).await?;
    }
    Ok(())
}

/// Records `member_id`'s training need `need_id`, on `recorded_on`.
pub async fn record_need(
    scope: &Scope<'_>,
    (bus, context): (&CommandBus, &CommandContext),
    member_id: Uuid,
    (need_id, recorded_on, draft): (Uuid, NaiveDate, NeedDraft),
) -> Result<(), ApiError> {
    let expectation = opening(scope, member_id).await?;
    let command = TrainingCommand::RecordNeed {
        group_id: scope.group_id.clone(),
        member_id,
        need_id,
        recorded_on,
        draft,
    };
    run::<TrainingRecord>(
        bus,
        context,
        training_record_id(member_id),
        command,
        expectation,
        "training record",
    )
    .await
}
