//! `/meetings`: the group's meetings and the council's it prepares for, with
//! their agendas (`agenda.rs`), papers and despatch (`papers.rs`), attendance
//! (`attendance.rs`), minutes (`minutes.rs`), and the decisions and actions
//! recorded from their items (`outcomes.rs`); `/late-papers` lists papers
//! that missed the despatch rule.

mod agenda;
mod attendance;
mod minutes;
mod outcomes;
mod papers;

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use caucus_wire::meetings::DEFAULT_PAPERS_CLEAR_DAYS;
use caucus_wire::meetings::{
    CancelMeetingRequest, LatePaperView, LatePapers, MeetingFilters, MeetingPage, MeetingView,
    RescheduleMeetingRequest, ScheduleMeetingRequest,
};
use caucus_wire::{IdList, ListOrder, ReadOn};
use uuid::Uuid;

use super::{
    AppState, Routes,
    command::{self, EmptyRequest, RecordView, Write, record_command},
    listing::{self, PageParams},
};
use crate::app::meetings;
use crate::auth::{Caller, Operation};
use crate::domain::{
    Classification,
    meeting::{Meeting, MeetingCommand, MeetingDraft, MeetingStatus},
    member::{Member, MemberStatus},
};
use crate::http::{
    ApiError, CommandErrors, Fields, IdempotencyKey, IfMatch, JsonBody, ListErrors, Query, ReadErrors,
};
use crate::store::records::{self, RecordFilter, RecordQuery, StoredRecord};

pub fn configure(config: &mut Routes) {
    config
        .service(schedule_meeting)
        .service(list_meetings)
        .service(list_late_papers)
        .service(get_meeting)
        .service(reschedule_meeting)
        .service(confirm_meeting)
        .service(cancel_meeting)
        .service(mark_meeting_held)
        .service(agenda::add_agenda_item)
        .service(agenda::add_report_back_item)
        .service(agenda::reorder_agenda)
        .service(agenda::withdraw_agenda_item)
        .service(agenda::link_agenda_item)
        .service(papers::attach_paper)
        .service(papers::despatch_papers)
        .service(attendance::record_attendance)
        .service(minutes::record_minutes)
        .service(minutes::approve_minutes)
        .service(minutes::correct_minutes)
        .service(outcomes::record_meeting_decision)
        .service(outcomes::create_meeting_action);
}

impl RecordView for MeetingView {
    type Record = Meeting;
    const NAME: &'static str = "meeting";
    const COLLECTION: &'static str = "/meetings";

    fn from_stored(
        id: Uuid,
        record: Meeting,
        stored: &StoredRecord,
        on: ReadOn<'_>,
    ) -> Result<Self, ApiError> {
        MeetingView::new(id, record, command::stored(stored), on).map_err(ApiError::internal)
    }

    fn redact(&mut self, readable: &[Classification]) {
        MeetingView::redact(self, readable);
    }
}

/// Parses `n/d` into a fraction with 0 < n <= d.
fn parse_fraction(raw: &str) -> Option<(u32, u32)> {
    let (n, d) = raw.trim().split_once('/')?;
    let (n, d): (u32, u32) = (n.trim().parse().ok()?, d.trim().parse().ok()?);
    (n > 0 && d > 0 && n <= d).then_some((n, d))
}

/// How many current members the group has.
async fn current_members(state: &AppState, caller: &Caller) -> Result<u32, ApiError> {
    let member = [MemberStatus::Member.as_str()];
    let query =
        RecordQuery::new(&caller.group_id, <Member as cqrs_es::Aggregate>::TYPE, &Classification::ALL)
            .filtered(RecordFilter { statuses: &member, ..RecordFilter::default() });
    Ok(records::list_all(&state.db, &query).await?.len() as u32)
}

/// Schedule a meeting.
#[utoipa::path(
    tag = "meetings",
    operation_id = "schedule_meeting",
    summary = "Put a meeting in the diary (tentative until confirmed), with its quorum and papers-despatch rule",
    request_body = ScheduleMeetingRequest,
    params(("Idempotency-Key" = inline(Option<caucus_wire::IdempotencyKeyValue>), Header, description = "Retry safely: a repeat with the same key records nothing new")),
    responses((status = 201, description = "Scheduled", body = MeetingView), CommandErrors),
    security(("bearer" = []))
)]
#[post("/meetings")]
async fn schedule_meeting(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    key: IdempotencyKey,
    body: JsonBody<ScheduleMeetingRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::ScheduleMeeting)?;
    let draft = draft_meeting(&body.value, &state, &caller).await?;
    let command =
        MeetingCommand::ScheduleMeeting { group_id: caller.group_id.clone(), draft: Box::new(draft) };
    command::execute::<MeetingView>(Write::create(&state, &caller, &request, &key, &body.raw, command)).await
}

/// List meetings.
#[utoipa::path(
    tag = "meetings",
    operation_id = "list_meetings",
    summary = "Meetings the caller may see, filtered by status or date",
    params(MeetingFilters),
    responses((status = 200, description = "A page of meetings", body = MeetingPage), ListErrors),
    security(("bearer" = []))
)]
#[get("/meetings")]
async fn list_meetings(
    state: web::Data<AppState>,
    caller: Caller,
    filters: Query<MeetingFilters>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::ListMeetings)?;
    let paging = PageParams {
        cursor: filters.cursor.clone(),
        limit: filters.limit,
        as_of: None,
        newest_first: ListOrder::newest_first(filters.order),
    };
    let statuses: Vec<&str> = filters.status.iter().map(|s| MeetingStatus::from(*s).as_str()).collect();
    let record_ids = IdList::record_ids(filters.ids.as_ref());
    let (items, next_cursor) = listing::page_of::<MeetingView>(
        &state,
        &caller,
        &paging,
        RecordFilter {
            statuses: &statuses,
            due_on_or_after: filters.from,
            record_ids: &record_ids,
            due_on_or_before: filters.to,
            ..RecordFilter::default()
        },
    )
    .await?;
    Ok(HttpResponse::Ok().json(MeetingPage { items, next_cursor }))
}

/// Read one meeting.
#[utoipa::path(
    tag = "meetings",
    operation_id = "get_meeting",
    summary = "One meeting with its agenda, papers, attendance and minutes; the ETag is its version",
    params(("id" = Uuid, Path, description = "The meeting's id"), command::AsOf),
    responses((status = 200, description = "The meeting", body = MeetingView), ReadErrors),
    security(("bearer" = []))
)]
#[get("/meetings/{id}")]
async fn get_meeting(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    at: Query<command::AsOf>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::GetMeeting)?;
    command::read_one::<MeetingView>(&state, &caller, *id, &at).await
}

/// Late papers.
#[utoipa::path(
    tag = "meetings",
    operation_id = "list_late_papers",
    summary = "Papers of meetings not cancelled that were despatched after the despatch rule's day, or are past it and not yet despatched",
    responses((status = 200, description = "Late papers, by meeting date", body = LatePapers), ListErrors),
    security(("bearer" = []))
)]
#[get("/late-papers")]
async fn list_late_papers(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::ListLatePapers)?;
    let readable = Classification::readable_set(&caller.roles);
    let on = state.read_on();
    let mut items = Vec::new();
    for (meeting_id, meeting, _) in meetings::all(&command::scope(&state, &caller)).await? {
        let (Some(starts_at), Some(despatch_by), Some(title)) =
            (meeting.starts_at, meeting.despatch_by(on.calendar), meeting.title.as_ref())
        else {
            continue;
        };
        if meeting.status == MeetingStatus::Cancelled {
            continue;
        }
        for item in meeting.listed_items().filter(|i| readable.contains(&i.classification)) {
            for paper in item.papers.iter().filter(|p| readable.contains(&p.classification)) {
                if meeting.is_late(paper, on.today, on.calendar) {
                    items.push(LatePaperView {
                        meeting_id,
                        meeting_title: title.to_string(),
                        starts_at,
                        despatch_by,
                        item_id: item.id,
                        item_title: item.title.to_string(),
                        paper_id: paper.id,
                        paper_title: paper.title.to_string(),
                        despatched_at: paper.despatched_at,
                    });
                }
            }
        }
    }
    items.sort_by_key(|p| (p.starts_at, p.meeting_id));
    Ok(HttpResponse::Ok().json(LatePapers { items }))
}

record_command!(
    MeetingView,
    MeetingCommand,
    "meetings",
    reschedule_meeting,
    RescheduleMeeting,
    post,
    "/meetings/{id}/rescheduling",
    "Move a meeting to a new time or place, saying why; the earlier time stays in its history",
    RescheduleMeetingRequest,
    |caller, state, value, id| {
        let mut fields = Fields::new();
        let venue =
            fields.venue(value.starts_at, value.ends_at, value.place.as_ref(), value.online_link.as_deref());
        let reason = fields.check_optional("/reason", value.reason.as_ref());
        fields.finish(|| Some(MeetingCommand::RescheduleMeeting { venue: venue?, reason: reason? }))
    }
);

record_command!(
    MeetingView,
    MeetingCommand,
    "meetings",
    confirm_meeting,
    ConfirmMeeting,
    post,
    "/meetings/{id}/confirmation",
    "Confirm a tentative meeting",
    EmptyRequest,
    |caller, state, _value, id| Ok::<_, ApiError>(MeetingCommand::ConfirmMeeting)
);

record_command!(
    MeetingView,
    MeetingCommand,
    "meetings",
    cancel_meeting,
    CancelMeeting,
    post,
    "/meetings/{id}/cancellation",
    "Cancel a meeting, giving the reason",
    CancelMeetingRequest,
    |caller, state, value, id| {
        let mut fields = Fields::new();
        let reason = fields.check("/reason", &value.reason);
        fields.finish(|| Some(MeetingCommand::CancelMeeting { reason: reason? }))
    }
);

record_command!(
    MeetingView,
    MeetingCommand,
    "meetings",
    mark_meeting_held,
    MarkMeetingHeld,
    post,
    "/meetings/{id}/held",
    "Record that a meeting took place; its agenda is then closed and its minutes can be written",
    EmptyRequest,
    |caller, state, _value, id| Ok::<_, ApiError>(MeetingCommand::MarkMeetingHeld)
);

/// A new meeting's content, its quorum worked out from a fraction of the
/// group's current members if it is given as one.
async fn draft_meeting(
    value: &ScheduleMeetingRequest,
    state: &AppState,
    caller: &Caller,
) -> Result<MeetingDraft, ApiError> {
    {
        let mut fields = Fields::new();
        let title = fields.check("/title", &value.title);
        let venue =
            fields.venue(value.starts_at, value.ends_at, value.place.as_ref(), value.online_link.as_deref());
        let papers_clear_days = match &value.papers_clear_days {
            None => Some(DEFAULT_PAPERS_CLEAR_DAYS),
            Some(days) => fields.check("/papers_clear_days", days),
        };
        let quorum = match (&value.quorum, &value.quorum_fraction) {
            (Some(_), Some(_)) => {
                fields.reject("/quorum_fraction", "give either quorum or quorum_fraction, not both");
                None
            }
            (Some(quorum), None) => Some(*quorum),
            (None, Some(raw)) => match parse_fraction(raw) {
                Some((n, d)) => Some((current_members(state, caller).await? * n).div_ceil(d)),
                None => {
                    fields.reject("/quorum_fraction", "must be a fraction like 1/4, at most 1");
                    None
                }
            },
            (None, None) => None,
        };
        Ok(fields.finish(|| {
            Some(MeetingDraft {
                kind: value.kind.into(),
                title: title?,
                venue: venue?,
                classification: value.classification.into(),
                quorum,
                papers_clear_days: papers_clear_days?,
            })
        })?)
    }
}
