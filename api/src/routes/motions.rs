//! `/motions`: motions and questions for the council's meetings: the group's
//! own drafted, revised and submitted before the council's deadline, other
//! groups' recorded once tabled; the whip on each, the outcome with the
//! council's counts and the group's members' votes; and `/motions/whip-report`,
//! the members whose recorded vote differed from the whip.

use caucus_wire::{IdList, ListOrder, ReadOn};
use std::collections::{BTreeMap, BTreeSet};

use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use caucus_wire::{
    meetings::MeetingView,
    members::MemberView,
    motions::{
        MotionFilters, MotionKind, MotionPage, MotionView, RecordMotionRequest, RecordOutcomeRequest,
        ReviseMotionRequest, VoteOption, WhipDepartureView, WhipReport, WhipReportMember, WhipReportMotion,
        WhipReportParams, WhipReportTotal, WhipSetting,
    },
};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{
    AppState, Routes,
    command::{self, EmptyRequest, RecordView, Write, record_command},
    listing::{self, PageParams},
};
use crate::app::{
    motions::{self, OriginIds},
    references,
};
use crate::auth::{Caller, Operation};
use crate::domain::{
    member::Member,
    motion::{MemberVote, Motion, MotionCommand, MotionDraft, MotionStage, whipped_vote_tag},
};
use crate::http::{
    ApiError, CommandErrors, Fields, IdempotencyKey, IfMatch, JsonBody, ListErrors, PeriodErrors, Query,
    ReadErrors,
};
use crate::store::records::{RecordFilter, StoredRecord};

impl RecordView for MotionView {
    type Record = Motion;
    const NAME: &'static str = "motion";
    const COLLECTION: &'static str = "/motions";

    fn from_stored(
        id: Uuid,
        record: Motion,
        stored: &StoredRecord,
        _on: ReadOn<'_>,
    ) -> Result<Self, ApiError> {
        MotionView::new(id, record, command::stored(stored)).map_err(ApiError::internal)
    }
}

pub fn configure(config: &mut Routes) {
    config
        .service(record_motion)
        .service(list_motions)
        .service(get_whip_report)
        .service(get_motion)
        .service(revise_motion)
        .service(submit_motion)
        .service(table_motion)
        .service(set_whip)
        .service(record_motion_outcome);
}

/// Councillors record and revise only the motions they bring themselves; the
/// office (assistant, Leader, officers) works on any.
fn require_own_unless_office(caller: &Caller, proposer_id: Option<Uuid>) -> Result<(), ApiError> {
    if caller.works_in_the_office() || proposer_id.is_some_and(|p| p.to_string() == caller.subject) {
        Ok(())
    } else {
        Err(ApiError::Forbidden(
            "councillors may record and revise only the motions they bring themselves".into(),
        ))
    }
}

/// Record a motion or question.
#[utoipa::path(
    tag = "motions",
    operation_id = "record_motion",
    summary = "Record a motion or question for a council meeting: the group's own (proposer_id) as a draft, another group's (mover) as tabled",
    request_body = RecordMotionRequest,
    params(("Idempotency-Key" = inline(Option<caucus_wire::IdempotencyKeyValue>), Header, description = "Retry safely: a repeat with the same key records nothing new")),
    responses((status = 201, description = "Recorded", body = MotionView), CommandErrors),
    security(("bearer" = []))
)]
#[post("/motions")]
async fn record_motion(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    key: IdempotencyKey,
    body: JsonBody<RecordMotionRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::RecordMotion)?;
    let value = &body.value;
    require_own_unless_office(&caller, value.origin.proposer_id)?;
    let mut fields = Fields::new();
    let title = fields.check("/title", &value.title);
    let text = fields.check("/text", &value.text);
    let directed_to = fields.check_optional("/directed_to", value.directed_to.as_ref());
    if value.kind == MotionKind::Motion && value.directed_to.is_some() {
        fields.reject("/directed_to", "only a question is put to someone");
    }
    let mover = value.origin.mover.as_ref().map(|mover| fields.check("/origin/mover", mover));
    let scope = command::scope(&state, &caller);
    let ids = OriginIds {
        proposer_id: value.origin.proposer_id,
        seconder_id: value.origin.seconder_id,
        mover: mover.as_ref(),
    };
    let origin = motions::origin(&scope, ids, &mut fields).await?;
    motions::council_meeting(&scope, value.meeting_id, &mut fields).await?;
    let command = fields.finish(|| {
        Some(MotionCommand::RecordMotion(Box::new(MotionDraft {
            group_id: caller.group_id.clone(),
            kind: value.kind.into(),
            title: title?,
            text: text?,
            origin: origin?,
            meeting_id: value.meeting_id,
            directed_to: directed_to?,
            classification: value.classification.into(),
            case_ids: Vec::new(),
        })))
    })?;
    command::execute::<MotionView>(Write::create(&state, &caller, &request, &key, &body.raw, command)).await
}

/// List motions and questions.
#[utoipa::path(
    tag = "motions",
    operation_id = "list_motions",
    summary = "Motions and questions, by meeting, proposer or status",
    params(MotionFilters),
    responses((status = 200, description = "A page of motions", body = MotionPage), ListErrors),
    security(("bearer" = []))
)]
#[get("/motions")]
async fn list_motions(
    state: web::Data<AppState>,
    caller: Caller,
    filters: Query<MotionFilters>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::ListMotions)?;
    let paging = PageParams {
        cursor: filters.cursor.clone(),
        limit: filters.limit,
        as_of: None,
        newest_first: ListOrder::newest_first(filters.order),
    };
    let statuses: Vec<&str> = filters.status.iter().map(|s| MotionStage::from(*s).as_str()).collect();
    let record_ids = IdList::record_ids(filters.ids.as_ref());
    let (items, next_cursor) = listing::page_of::<MotionView>(
        &state,
        &caller,
        &paging,
        RecordFilter {
            statuses: &statuses,
            member_id: filters.proposer_id,
            record_ids: &record_ids,
            subject_id: filters.meeting_id,
            ..RecordFilter::default()
        },
    )
    .await?;
    Ok(HttpResponse::Ok().json(MotionPage { items, next_cursor }))
}

/// Read one motion.
#[utoipa::path(
    tag = "motions",
    operation_id = "get_motion",
    summary = "One motion or question, with its whip, outcome, counts and votes; the ETag is its version",
    params(("id" = Uuid, Path, description = "The motion's id"), command::AsOf),
    responses((status = 200, description = "The motion", body = MotionView), ReadErrors),
    security(("bearer" = []))
)]
#[get("/motions/{id}")]
async fn get_motion(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    at: Query<command::AsOf>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::GetMotion)?;
    command::read_one::<MotionView>(&state, &caller, *id, &at).await
}

record_command!(
    MotionView,
    MotionCommand,
    "motions",
    revise_motion,
    ReviseMotion,
    post,
    "/motions/{id}/revisions",
    "Revise a draft motion's title and text; the earlier text stays in its history",
    ReviseMotionRequest,
    |caller, state, value, id| {
        let (motion, _) = command::find::<MotionView>(&state, &caller, id).await?;
        require_own_unless_office(&caller, motion.origin.proposer_id)?;
        let mut fields = Fields::new();
        let title = fields.check("/title", &value.title);
        let text = fields.check("/text", &value.text);
        let reason = fields.check_optional("/reason", value.reason.as_ref());
        fields.finish(|| Some(MotionCommand::ReviseMotion { title: title?, text: text?, reason: reason? }))
    }
);

record_command!(
    MotionView,
    MotionCommand,
    "motions",
    submit_motion,
    SubmitMotion,
    post,
    "/motions/{id}/submission",
    "Submit the group's draft to the council; refused with 409 naming the deadline once the council's deadline for its meeting has passed",
    EmptyRequest,
    |caller, state, value, id| {
        let _: &EmptyRequest = value;
        let (motion, _) = command::find::<MotionView>(&state, &caller, id).await?;
        let (meeting, _) = command::find::<MeetingView>(&state, &caller, motion.meeting_id).await?;
        let deadline = state.motion_deadline.for_meeting(meeting.starts_at, &state.working_days);
        Ok::<_, ApiError>(MotionCommand::SubmitMotion { at: Utc::now(), deadline })
    }
);

record_command!(
    MotionView,
    MotionCommand,
    "motions",
    table_motion,
    TableMotion,
    post,
    "/motions/{id}/tabling",
    "Record that the council put the group's submitted motion or question on the meeting's agenda",
    EmptyRequest,
    |caller, state, value, id| {
        let _ = (&caller, &state, value, id);
        Ok::<_, ApiError>(MotionCommand::TableMotion)
    }
);

record_command!(
    MotionView,
    MotionCommand,
    "motions",
    set_whip,
    SetWhip,
    put,
    "/motions/{id}/whip",
    "Set (or change) the group's whip on a motion: for, against, abstain or a free vote; earlier whips stay in its history",
    WhipSetting,
    |caller, state, value, id| {
        let _ = (&caller, &state, id);
        let mut fields = Fields::new();
        let note = fields.check_optional("/note", value.note.as_ref());
        fields.finish(|| Some(MotionCommand::SetWhip { position: value.position.into(), note: note? }))
    }
);

record_command!(
    MotionView,
    MotionCommand,
    "motions",
    record_motion_outcome,
    RecordMotionOutcome,
    post,
    "/motions/{id}/outcome",
    "Record how the meeting dealt with a motion (carried, amended, lost, withdrawn, with the council's counts and the group's members' votes) or a question (answered, not reached, withdrawn)",
    RecordOutcomeRequest,
    |caller, state, value, id| {
        let _ = id;
        let mut fields = Fields::new();
        let outcome = value.outcome(&mut fields);
        let scope = command::scope(&state, &caller);
        for (n, vote) in value.votes.iter().enumerate() {
            let pointer = format!("/votes/{n}/member_id");
            references::check_exists::<Member>(&scope, vote.member_id, &pointer, "member", &mut fields)
                .await?;
        }
        fields.finish(|| {
            Some(MotionCommand::RecordOutcome {
                outcome: outcome?,
                counts: value.counts.map(Into::into),
                votes: value
                    .votes
                    .iter()
                    .map(|v| MemberVote { member_id: v.member_id, option: v.option.into() })
                    .collect(),
            })
        })
    }
);

/// The whip report.
#[utoipa::path(
    tag = "motions",
    operation_id = "get_whip_report",
    summary = "The group's members whose recorded vote differed from the whip, motion by motion and in total, for meetings in a period",
    params(WhipReportParams),
    responses((status = 200, description = "The report", body = WhipReport), PeriodErrors),
    security(("bearer" = []))
)]
#[get("/motions/whip-report")]
async fn get_whip_report(
    state: web::Data<AppState>,
    caller: Caller,
    params: Query<WhipReportParams>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::GetWhipReport)?;
    if let (Some(from), Some(to)) = (params.from, params.to)
        && from > to
    {
        return Err(ApiError::invalid_field("/to", "must not be before from"));
    }
    let mut meetings: BTreeMap<Uuid, DateTime<Utc>> = BTreeMap::new();
    // Only motions with a whip and recorded votes are in the report.
    let whipped = [whipped_vote_tag()];
    let motions: Vec<MotionView> = if params.from.is_none() && params.to.is_none() {
        listing::all_where::<MotionView>(
            &state,
            &caller,
            RecordFilter { tags: &whipped, ..RecordFilter::default() },
        )
        .await?
    } else {
        // The period's meetings, then only their motions: a year's report
        // reads a year, however many the group has had before.
        let filter = RecordFilter {
            due_on_or_after: params.from,
            due_on_or_before: params.to,
            ..RecordFilter::default()
        };
        let held: Vec<MeetingView> = listing::all_where(&state, &caller, filter).await?;
        meetings.extend(held.iter().map(|m| (m.id, m.starts_at)));
        let ids: Vec<String> = held.iter().map(|m| m.id.to_string()).collect();
        let mut found = Vec::new();
        for chunk in ids.chunks(listing::IDS_PER_READ) {
            let filter = RecordFilter { subject_ids: chunk, tags: &whipped, ..RecordFilter::default() };
            found.extend(listing::all_where::<MotionView>(&state, &caller, filter).await?);
        }
        found
    };
    // The meetings not read yet and the members named, each register read
    // once for them all. One the caller may not read (or erased) is left
    // out: a motion at such a meeting, a member without a name.
    let unread: BTreeSet<Uuid> =
        motions.iter().map(|m| m.meeting_id).filter(|id| !meetings.contains_key(id)).collect();
    let unread: Vec<Uuid> = unread.into_iter().collect();
    meetings.extend(
        listing::all_named::<MeetingView>(&state, &caller, &unread)
            .await?
            .into_iter()
            .map(|m| (m.id, m.starts_at)),
    );
    let voters: BTreeSet<Uuid> = motions.iter().flat_map(|m| m.votes.iter().map(|v| v.member_id)).collect();
    let voters: Vec<Uuid> = voters.into_iter().collect();
    let names: BTreeMap<Uuid, String> = listing::all_named::<MemberView>(&state, &caller, &voters)
        .await?
        .into_iter()
        .map(|m| (m.id, m.name))
        .collect();
    let member = |id: Uuid| WhipReportMember { member_id: id, name: names.get(&id).cloned() };
    let mut report = WhipReport { motions: Vec::new(), members: Vec::new() };
    let mut totals: BTreeMap<Uuid, (u32, u32)> = BTreeMap::new();
    for motion in motions {
        let Some(whip) = &motion.whip else { continue };
        let Some(&starts_at) = meetings.get(&motion.meeting_id) else { continue };
        let day = starts_at.date_naive();
        if params.from.is_some_and(|from| day < from) || params.to.is_some_and(|to| day > to) {
            continue;
        }
        let mut departures = Vec::new();
        for d in &motion.departures_from_whip {
            totals.entry(d.member_id).or_default().0 += 1;
            departures.push(WhipDepartureView { member: member(d.member_id), voted: d.option });
        }
        let mut absent = Vec::new();
        for v in motion.votes.iter().filter(|v| v.option == VoteOption::Absent) {
            totals.entry(v.member_id).or_default().1 += 1;
            absent.push(member(v.member_id));
        }
        report.motions.push(WhipReportMotion {
            motion_id: motion.id,
            title: motion.title,
            meeting_id: motion.meeting_id,
            meeting_starts_at: starts_at,
            status: motion.status,
            whip: whip.position,
            departures,
            absent,
        });
    }
    report.motions.sort_by_key(|m| (m.meeting_starts_at, m.motion_id));
    report.members = totals
        .into_iter()
        .map(|(id, (departures, absences))| WhipReportTotal { member: member(id), departures, absences })
        .collect();
    report
        .members
        .sort_by(|a, b| b.departures.cmp(&a.departures).then(a.member.member_id.cmp(&b.member.member_id)));
    Ok(HttpResponse::Ok().json(report))
}
