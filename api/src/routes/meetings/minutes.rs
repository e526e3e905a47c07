//! A meeting's minutes: written and redrafted, approved at a later meeting,
//! then changed only by a visible correction.

use actix_web::{HttpRequest, HttpResponse, post, web};
use caucus_wire::meetings::{
    ApproveMinutesRequest, CorrectMinutesRequest, MeetingView, RecordMinutesRequest,
};
use uuid::Uuid;

use super::super::{
    AppState,
    command::{self, Write, record_command},
};
use crate::auth::{Caller, Operation};
use crate::domain::meeting::MeetingCommand;
use crate::http::{ApiError, CommandErrors, Fields, IdempotencyKey, IfMatch, JsonBody};

record_command!(
    MeetingView,
    MeetingCommand,
    "meetings",
    record_minutes,
    RecordMinutes,
    post,
    "/meetings/{id}/minutes",
    "Write or redraft an item's minutes or action notes, until they are approved",
    RecordMinutesRequest,
    |caller, state, value, id| {
        let mut fields = Fields::new();
        let text = fields.check("/text", &value.text);
        fields.finish(|| Some(MeetingCommand::RecordMinutes { item_id: value.item_id, text: text? }))
    }
);

record_command!(
    MeetingView,
    MeetingCommand,
    "meetings",
    approve_minutes,
    ApproveMinutes,
    post,
    "/meetings/{id}/minutes-approval",
    "Record that a later meeting approved the minutes; they never change afterwards",
    ApproveMinutesRequest,
    |caller, state, value, id| {
        let mut fields = Fields::new();
        let (this, _) = command::find::<MeetingView>(&state, &caller, id).await?;
        if value.meeting_id == id {
            fields.reject("/meeting_id", "a meeting cannot approve its own minutes");
        } else {
            match command::find::<MeetingView>(&state, &caller, value.meeting_id).await {
                Ok((approving, _)) => {
                    if approving.starts_at <= this.starts_at {
                        fields.reject("/meeting_id", "minutes are approved at a later meeting");
                    }
                    if let Some(item) = value.item_id
                        && !approving.items.iter().any(|i| i.id == item)
                    {
                        fields.reject("/item_id", "no such agenda item on the approving meeting");
                    }
                }
                Err(ApiError::NotFound(_)) => fields.reject("/meeting_id", "no such meeting in this group"),
                Err(other) => return Err(other),
            }
        }
        fields.finish(|| {
            Some(MeetingCommand::ApproveMinutes {
                meeting_id: value.meeting_id,
                item_id: value.item_id,
                on: value.on,
            })
        })
    }
);

record_command!(
    MeetingView,
    MeetingCommand,
    "meetings",
    correct_minutes,
    CorrectMinutes,
    post,
    "/meetings/{id}/minutes-corrections",
    "Correct approved minutes, giving a reason; the approved text stays visible in the item's corrections",
    CorrectMinutesRequest,
    |caller, state, value, id| {
        let mut fields = Fields::new();
        let text = fields.check("/text", &value.text);
        let reason = fields.check("/reason", &value.reason);
        fields.finish(|| {
            Some(MeetingCommand::CorrectMinutes { item_id: value.item_id, text: text?, reason: reason? })
        })
    }
);
