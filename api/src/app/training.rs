//! Councillor training across records: a course names the group's bodies; a
//! completion names a course of the catalogue (whose validity it takes) and
//! its evidence, a certificate the group holds or an event's register.

use chrono::NaiveDate;
use uuid::Uuid;

use super::{Scope, files, references, run};
use crate::domain::{
    body::Body,
    training::{Course, CourseDraft, Evidence, TrainingCommand, TrainingRecord, training_record_id},
};
use crate::http::{ApiError, Fields};
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
    let id = training_record_id(member_id);
    let kept = records::find(
        scope.db,
        scope.group_id,
        <TrainingRecord as cqrs_es::Aggregate>::TYPE,
        &id.to_string(),
        &scope.readable,
    )
    .await?
    .is_some();
    let command = TrainingCommand::RecordCompletion {
        group_id: scope.group_id.clone(),
        member_id,
        course_id,
        completed_on,
        valid_for_months: course.valid_for_months,
        evidence,
    };
    let expectation = if kept { Expectation::Existing(None) } else { Expectation::New };
    run::<TrainingRecord>(bus, context, id, command, expectation, "training record").await
}
