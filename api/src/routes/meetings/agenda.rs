//! A meeting's agenda: items added (with their presenter and links), a
//! "Report back" item made from the digest since the previous group meeting,
//! reordered, withdrawn and linked.

use actix_web::{HttpRequest, HttpResponse, post, web};
use caucus_wire::meetings::{
    AddAgendaItemRequest, AddReportBackItemRequest, LinkAgendaItemRequest, MeetingKind, MeetingView,
    ReorderAgendaRequest, WithdrawAgendaItemRequest,
};
use uuid::Uuid;

use super::super::{
    AppState,
    command::{self, Write, record_command},
};
use crate::app::{meetings, references, report_back};
use crate::auth::{Caller, Operation};
use crate::domain::meeting::{AgendaItemDraft, LinkKind, MeetingCommand, RecordLink};
use crate::http::{ApiError, CommandErrors, Fields, IdempotencyKey, IfMatch, JsonBody};
use crate::reports::report_back::{Period, to_markdown};

/// How far back a group's first report back looks, when there is no earlier group meeting.
const FIRST_REPORT_DAYS: u64 = 30;

record_command!(
    MeetingView,
    MeetingCommand,
    "meetings",
    add_agenda_item,
    AddAgendaItem,
    post,
    "/meetings/{id}/items",
    "Add an item at the end of a meeting's agenda, with its presenter and links to related records",
    AddAgendaItemRequest,
    |caller, state, value, id| {
        let mut fields = Fields::new();
        let title = fields.check("/title", &value.title);
        let description = fields.check_optional("/description", value.description.as_ref());
        if let Some(presenter) = value.presenter_id {
            references::check_current_member(
                &command::scope(&state, &caller),
                presenter,
                "/presenter_id",
                &mut fields,
            )
            .await?;
        }
        let links: Vec<RecordLink> =
            value.links.iter().map(|l| RecordLink { kind: l.kind.into(), id: l.id }).collect();
        let pointed: Vec<(String, RecordLink)> =
            links.iter().enumerate().map(|(n, l)| (format!("/links/{n}"), *l)).collect();
        meetings::check_links(&command::scope(&state, &caller), &pointed, &mut fields).await?;
        fields.finish(|| {
            Some(MeetingCommand::AddAgendaItem {
                item_id: Uuid::now_v7(),
                item: Box::new(AgendaItemDraft {
                    title: title?,
                    description: description?,
                    presenter_id: value.presenter_id,
                    classification: value.classification.into(),
                    links,
                    report_back: None,
                }),
            })
        })
    }
);

record_command!(
    MeetingView,
    MeetingCommand,
    "meetings",
    reorder_agenda,
    ReorderAgenda,
    post,
    "/meetings/{id}/agenda-order",
    "Put a meeting's agenda in a new order: every listed item's id, once each",
    ReorderAgendaRequest,
    |caller, state, value, id| Ok::<_, ApiError>(MeetingCommand::ReorderAgenda {
        order: value.order.clone()
    })
);

record_command!(
    MeetingView,
    MeetingCommand,
    "meetings",
    withdraw_agenda_item,
    WithdrawAgendaItem,
    post,
    "/meetings/{id}/item-withdrawals",
    "Take an item off a meeting's agenda, giving the reason",
    WithdrawAgendaItemRequest,
    |caller, state, value, id| {
        let mut fields = Fields::new();
        let reason = fields.check("/reason", &value.reason);
        fields.finish(|| Some(MeetingCommand::WithdrawAgendaItem { item_id: value.item_id, reason: reason? }))
    }
);

record_command!(
    MeetingView,
    MeetingCommand,
    "meetings",
    link_agenda_item,
    LinkAgendaItem,
    post,
    "/meetings/{id}/links",
    "Link an agenda item to a decision, action, forward plan item or motion of the group",
    LinkAgendaItemRequest,
    |caller, state, value, id| {
        let mut fields = Fields::new();
        let link = RecordLink { kind: value.link.kind.into(), id: value.link.id };
        let scope = command::scope(&state, &caller);
        meetings::check_links(&scope, &[("/link/id".to_owned(), link)], &mut fields).await?;
        fields.finish(|| Some(MeetingCommand::LinkRecord { item_id: value.item_id, link }))
    }
);

record_command!(
    MeetingView,
    MeetingCommand,
    "meetings",
    add_report_back_item,
    AddReportBackItem,
    post,
    "/meetings/{id}/report-back-items",
    "Add a \"Report back\" item to a group meeting: the digest since the previous group meeting (decisions, progress, overdue actions by owner), stored as Markdown as it stands now",
    AddReportBackItemRequest,
    |caller, state, value, id| {
        let (meeting, _) = command::find::<MeetingView>(&state, &caller, id).await?;
        if meeting.kind != MeetingKind::GroupMeeting {
            return Err(ApiError::Conflict("a report-back item goes on a group meeting's agenda".into()));
        }
        let to = meeting.starts_at.date_naive();
        let scope = command::scope(&state, &caller);
        let all = meetings::all(&scope).await?;
        let from = meetings::previous_group_meeting(&all, id, meeting.starts_at)
            .unwrap_or_else(|| to.checked_sub_days(chrono::Days::new(FIRST_REPORT_DAYS)).unwrap_or(to));
        let report = report_back::build(&scope, Period { from, to }, &state.working_days).await?;
        let markdown = to_markdown(&report, caller.group_id.as_str());
        let mut fields = Fields::new();
        let title = match &value.title {
            Some(title) => fields.check("/title", title),
            None => crate::domain::Title::parse("Report back").ok(),
        };
        let description = crate::domain::LongText::parse(&markdown).map_err(|e| {
            ApiError::Conflict(format!("the report back is too long for an agenda item: {e}"))
        })?;
        let links = report
            .decisions_taken
            .iter()
            .map(|d| RecordLink { kind: LinkKind::Decision, id: d.id })
            .collect();
        fields.finish(|| {
            Some(MeetingCommand::AddAgendaItem {
                item_id: Uuid::now_v7(),
                item: Box::new(AgendaItemDraft {
                    title: title?,
                    description: Some(description),
                    presenter_id: None,
                    classification: value.classification.map_or(meeting.classification.into(), Into::into),
                    links,
                    report_back: Some((from, to)),
                }),
            })
        })
    }
);
