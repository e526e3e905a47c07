//! Who attended a meeting; the meeting shows whether it was quorate.

use actix_web::{HttpRequest, HttpResponse, post, web};
use caucus_wire::meetings::{MeetingView, RecordAttendanceRequest};
use uuid::Uuid;

use super::super::{
    AppState,
    command::{self, Write, record_command},
};
use crate::app::references;
use crate::auth::{Caller, Operation};
use crate::domain::meeting::MeetingCommand;
use crate::http::{ApiError, CommandErrors, Fields, IdempotencyKey, IfMatch, JsonBody};

record_command!(
    MeetingView,
    MeetingCommand,
    "meetings",
    record_attendance,
    RecordAttendance,
    post,
    "/meetings/{id}/attendance",
    "Record members present, sending apologies or absent; the meeting shows whether it was quorate",
    RecordAttendanceRequest,
    |caller, state, value, id| {
        let mut fields = Fields::new();
        if value.entries.is_empty() {
            fields.reject("/entries", "must list at least one member");
        }
        for (n, entry) in value.entries.iter().enumerate() {
            let pointer = format!("/entries/{n}/member_id");
            references::check_current_member(
                &command::scope(&state, &caller),
                entry.member_id,
                &pointer,
                &mut fields,
            )
            .await?;
        }
        fields.finish(|| {
            Some(MeetingCommand::RecordAttendance {
                entries: value.entries.iter().map(|e| (e.member_id, e.attendance.into())).collect(),
            })
        })
    }
);
