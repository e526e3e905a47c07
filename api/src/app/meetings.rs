//! Meetings across records: an agenda item's links name records of the
//! group, and a decision or action recorded from an item names the meeting
//! and item while the item links back to it, in two commits, the link
//! idempotent, so a retry completes a link a failed attempt missed.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::{Scope, references, run};
use crate::domain::{
    Title,
    action::{Action, ActionCommand, ActionDraft},
    decision::{Decision, DecisionCommand, DecisionDraft, TakenBy},
    forward_plan::ForwardPlanItem,
    meeting::{
        ItemStatus, LinkKind, Meeting, MeetingCommand, MeetingItemRef, MeetingKind, MeetingStatus, RecordLink,
    },
    motion::Motion,
};
use crate::http::{ApiError, Fields};
use crate::store::{
    StoreError,
    command_bus::{CommandBus, CommandContext, Expectation},
};

/// Every meeting in the scope, with its state and version.
pub async fn all(scope: &Scope<'_>) -> Result<Vec<(Uuid, Meeting, i64)>, StoreError> {
    references::all::<Meeting>(scope).await
}

/// Records a field error at each link's pointer unless it names a record of
/// its kind in the scope.
pub async fn check_links(
    scope: &Scope<'_>,
    links: &[(String, RecordLink)],
    fields: &mut Fields,
) -> Result<(), StoreError> {
    for (pointer, link) in links {
        let found = match link.kind {
            LinkKind::Decision => references::find::<Decision>(scope, link.id).await?.is_some(),
            LinkKind::Action => references::find::<Action>(scope, link.id).await?.is_some(),
            LinkKind::ForwardPlanItem => references::find::<ForwardPlanItem>(scope, link.id).await?.is_some(),
            LinkKind::Motion => references::find::<Motion>(scope, link.id).await?.is_some(),
        };
        if !found {
            fields.reject(pointer, "no such record of that kind in this group");
        }
    }
    Ok(())
}

/// The meeting a record is made from under `item_id`: the item must be
/// listed and the meeting not cancelled.
pub async fn meeting_for_item(
    scope: &Scope<'_>,
    meeting_id: Uuid,
    item_id: Uuid,
) -> Result<Meeting, ApiError> {
    let meeting =
        references::find::<Meeting>(scope, meeting_id).await?.ok_or(ApiError::NotFound("meeting"))?;
    if meeting.status == MeetingStatus::Cancelled {
        return Err(ApiError::Conflict("this meeting is cancelled".into()));
    }
    match meeting.items.iter().find(|i| i.id == item_id) {
        Some(item) if item.status == ItemStatus::Listed => Ok(meeting),
        Some(_) => Err(ApiError::Conflict(format!("agenda item {item_id} has been withdrawn"))),
        None => Err(ApiError::invalid_field("/item_id", "no such agenda item on this meeting")),
    }
}

/// How a decision recorded from a meeting names it: its title and day.
fn reference(meeting: &Meeting) -> Result<Title, ApiError> {
    let title = meeting.title.as_ref().map(ToString::to_string).unwrap_or_default();
    let day = meeting.starts_at.map(|at| at.date_naive().to_string()).unwrap_or_default();
    Title::parse(&format!("{title} ({day})")).map_err(|e| ApiError::invalid_field("/item_id", e.to_string()))
}

/// The day a meeting was held, the default day of what is recorded at it.
pub fn day_of(meeting: &Meeting) -> Option<NaiveDate> {
    meeting.starts_at.map(|at| at.date_naive())
}

/// Records decision `id` as taken under the meeting's item: it names the
/// meeting and item, and the item links back to it.
#[allow(clippy::too_many_arguments)]
pub async fn record_decision(
    scope: &Scope<'_>,
    bus: &CommandBus,
    context: &CommandContext,
    meeting_id: Uuid,
    item_id: Uuid,
    id: Uuid,
    mut draft: DecisionDraft,
) -> Result<(), ApiError> {
    let meeting = meeting_for_item(scope, meeting_id, item_id).await?;
    draft.taken_by = TakenBy::GroupMeeting {
        meeting: reference(&meeting)?,
        meeting_item: Some(MeetingItemRef { meeting_id, item_id }),
    };
    let command =
        DecisionCommand::RecordDecision { group_id: context.group_id.clone(), draft: Box::new(draft) };
    run::<Decision>(bus, context, id, command, Expectation::New, "decision").await?;
    link_back(bus, context, meeting_id, item_id, RecordLink { kind: LinkKind::Decision, id }).await
}

/// Creates action `id` as agreed under the meeting's item: it names the
/// meeting and item, and the item links back to it.
#[allow(clippy::too_many_arguments)]
pub async fn create_action(
    scope: &Scope<'_>,
    bus: &CommandBus,
    context: &CommandContext,
    meeting_id: Uuid,
    item_id: Uuid,
    id: Uuid,
    mut draft: ActionDraft,
) -> Result<(), ApiError> {
    meeting_for_item(scope, meeting_id, item_id).await?;
    draft.meeting_item = Some(MeetingItemRef { meeting_id, item_id });
    let command = ActionCommand::CreateAction { group_id: context.group_id.clone(), draft: Box::new(draft) };
    run::<Action>(bus, context, id, command, Expectation::New, "action").await?;
    link_back(bus, context, meeting_id, item_id, RecordLink { kind: LinkKind::Action, id }).await
}

/// Links the meeting's item to a record made from it. Linking is itself
/// idempotent, so a retried request that replays the record's creation links
/// again harmlessly.
async fn link_back(
    bus: &CommandBus,
    context: &CommandContext,
    meeting_id: Uuid,
    item_id: Uuid,
    link: RecordLink,
) -> Result<(), ApiError> {
    let command = MeetingCommand::LinkRecord { item_id, link };
    run::<Meeting>(bus, context, meeting_id, command, Expectation::Existing(None), "meeting").await
}

/// The day of the group meeting before `meeting_id`, if there is one: the
/// latest group meeting, not cancelled, that starts before `starts_at`.
pub fn previous_group_meeting(
    meetings: &[(Uuid, Meeting, i64)],
    meeting_id: Uuid,
    starts_at: DateTime<Utc>,
) -> Option<NaiveDate> {
    meetings
        .iter()
        .filter(|(id, m, _)| {
            *id != meeting_id
                && m.kind == Some(MeetingKind::GroupMeeting)
                && m.status != MeetingStatus::Cancelled
                && m.starts_at.is_some_and(|at| at < starts_at)
        })
        .filter_map(|(_, m, _)| m.starts_at)
        .max()
        .map(|at| at.date_naive())
}
