//! `/publications` and `/social-queue`: press releases, news, web pages,
//! social posts and newsletters through drafting, approval and scheduling,
//! and what the publisher records back: receipts and per-network deliveries.

use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use caucus_wire::publications::{
    ApprovePublicationRequest, DeliveryOutcomeRequest, DeliveryPath, DraftPublicationRequest,
    PublicationContentRequest, PublicationFilters, PublicationPage, PublicationView, QueueLimit,
    ReceiptRequest, RejectPublicationRequest, SchedulePublicationRequest, SocialQueue, SocialQueueFilters,
    SocialQueueItem, SubmitPublicationRequest, WithdrawPublicationRequest,
};
use caucus_wire::{ListOrder, ReadOn};
use chrono::Utc;
use uuid::Uuid;

use super::{
    AppState, Routes,
    command::{self, RecordView, Write, record_command},
    listing::PageParams,
};
use crate::app::{publications, references};
use crate::auth::{Caller, Operation};
use crate::domain::Classification;
use crate::domain::publication::{
    self, Author, DeliveryState, Network, Publication, PublicationCommand, PublicationKind, PublicationStatus,
};
use crate::http::{
    ApiError, CommandErrors, Fields, IdempotencyKey, IfMatch, JsonBody, ListErrors, Query, ReadErrors,
};
use crate::store::{
    command_bus::Expectation,
    records::{self, Cursor, RecordFilter, RecordQuery, StoredRecord},
};

impl RecordView for PublicationView {
    type Record = Publication;
    const NAME: &'static str = "publication";
    const COLLECTION: &'static str = "/publications";

    fn from_stored(
        id: Uuid,
        record: Publication,
        stored: &StoredRecord,
        on: ReadOn<'_>,
    ) -> Result<Self, ApiError> {
        PublicationView::new(id, &record, command::stored(stored), Utc::now(), on.social_limits)
            .map_err(ApiError::internal)
    }
}

pub fn configure(config: &mut Routes) {
    config
        .service(draft_publication)
        .service(list_publications)
        .service(get_publication)
        .service(edit_publication)
        .service(submit_publication)
        .service(approve_publication)
        .service(reject_publication)
        .service(schedule_publication)
        .service(withdraw_publication)
        .service(record_publication_receipt)
        .service(claim_publication_delivery)
        .service(record_publication_delivery_outcome)
        .service(list_social_queue);
}

/// Councillors draft, edit and submit only their own publications; the
/// office (assistant, Leader, officers) works on any.
async fn require_own_unless_office(state: &AppState, caller: &Caller, id: Uuid) -> Result<(), ApiError> {
    if caller.works_in_the_office() {
        return Ok(());
    }
    let scope = command::scope(state, caller);
    let publication =
        references::find::<Publication>(&scope, id).await?.ok_or(ApiError::NotFound("publication"))?;
    if publication.author_subject() == Some(caller.subject.as_str()) {
        Ok(())
    } else {
        Err(ApiError::Forbidden("councillors may change only the publications they drafted".into()))
    }
}

/// Start a draft.
#[utoipa::path(
    tag = "publications",
    operation_id = "draft_publication",
    summary = "Start a draft: a press release, news article, web page, social post or newsletter",
    request_body = DraftPublicationRequest,
    params(("Idempotency-Key" = inline(Option<caucus_wire::IdempotencyKeyValue>), Header, description = "Retry safely: a repeat with the same key records nothing new")),
    responses((status = 201, description = "Drafted", body = PublicationView), CommandErrors),
    security(("bearer" = []))
)]
#[post("/publications")]
async fn draft_publication(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    key: IdempotencyKey,
    body: JsonBody<DraftPublicationRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::DraftPublication)?;
    let value = &body.value;
    let mut fields = Fields::new();
    let author_name = fields.check("/author_name", &value.author_name);
    let content = value.content.parse_fields(&mut fields);
    let (name, content) = fields.finish(|| Some((author_name?, content?)))?;
    let command = PublicationCommand::DraftPublication {
        group_id: caller.group_id.clone(),
        kind: value.kind.into(),
        content: Box::new(content),
        author: Author { subject: caller.subject.clone(), name, member_id: value.author_member_id },
        at: Utc::now(),
    };
    command::execute::<PublicationView>(Write::create(&state, &caller, &request, &key, &body.raw, command))
        .await
}

/// List publications.
#[utoipa::path(
    tag = "publications",
    operation_id = "list_publications",
    summary = "The publications register, oldest first, filtered by status or kind",
    params(PublicationFilters),
    responses((status = 200, description = "A page of publications", body = PublicationPage), ListErrors),
    security(("bearer" = []))
)]
#[get("/publications")]
async fn list_publications(
    state: web::Data<AppState>,
    caller: Caller,
    filters: Query<PublicationFilters>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::ListPublications)?;
    let paging = PageParams {
        cursor: filters.cursor.clone(),
        limit: filters.limit,
        as_of: None,
        newest_first: ListOrder::newest_first(filters.order),
    };
    let (after, limit) = paging.parse()?;
    let now = Utc::now();
    let wanted = filters.status.map(PublicationStatus::from);
    // `expired` is stored as `submitted`: narrow in the database by the
    // recorded status, then by the status as of now and the kind here.
    let stored_status = wanted.map(|s| match s {
        PublicationStatus::Expired => PublicationStatus::Submitted.as_str(),
        other => other.as_str(),
    });
    let statuses: Vec<&str> = stored_status.into_iter().collect();
    let kind = filters.kind.map(PublicationKind::from);
    let readable = Classification::readable_set(&caller.roles);
    let mut query = RecordQuery {
        after,
        limit,
        newest_first: paging.newest_first,
        ..RecordQuery::new(&caller.group_id, publication::TYPE, &readable)
    }
    .filtered(RecordFilter { statuses: &statuses, ..RecordFilter::default() });
    let mut items = Vec::new();
    let mut next_cursor = None;
    // Filling a page may take several reads when the filters drop rows.
    'pages: loop {
        let page = records::list(&state.db, &query).await?;
        let rows = page.records.len();
        for (row, stored) in page.records.iter().enumerate() {
            let id = Uuid::parse_str(&stored.record_id).map_err(ApiError::internal)?;
            let publication: Publication = serde_json::from_str(&stored.state).map_err(ApiError::internal)?;
            let keep = wanted.is_none_or(|s| publication.status_at(now) == s)
                && kind.is_none_or(|k| publication.kind() == Some(k));
            if keep {
                let view = PublicationView::new(
                    id,
                    &publication,
                    command::stored(stored),
                    now,
                    &state.social_limits,
                );
                items.push(view.map_err(ApiError::internal)?);
                if items.len() == limit as usize {
                    let more = row + 1 < rows || page.next.is_some();
                    next_cursor = more.then(|| Cursor::after(stored).encode());
                    break 'pages;
                }
            }
        }
        match page.next {
            Some(next) => query.after = Some(next),
            None => break,
        }
    }
    Ok(HttpResponse::Ok().json(PublicationPage { items, next_cursor }))
}

/// Read one publication.
#[utoipa::path(
    tag = "publications",
    operation_id = "get_publication",
    summary = "One publication, with where and when it went out (receipts) and each network's delivery; the ETag is its version",
    params(("id" = Uuid, Path, description = "The publication's id"), command::AsOf),
    responses((status = 200, description = "The publication", body = PublicationView), ReadErrors),
    security(("bearer" = []))
)]
#[get("/publications/{id}")]
async fn get_publication(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    at: Query<command::AsOf>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::GetPublication)?;
    command::read_one::<PublicationView>(&state, &caller, *id, &at).await
}

record_command!(
    PublicationView,
    PublicationCommand,
    "publications",
    edit_publication,
    EditPublication,
    put,
    "/publications/{id}/content",
    "Replace the content of a draft or a rejected publication (a rejected one returns to draft)",
    PublicationContentRequest,
    |caller, state, value, id| {
        require_own_unless_office(&state, &caller, id).await?;
        let mut fields = Fields::new();
        let content = value.parse_fields(&mut fields);
        fields.finish(|| {
            Some(PublicationCommand::EditPublication { content: Box::new(content?), at: Utc::now() })
        })
    }
);

record_command!(
    PublicationView,
    PublicationCommand,
    "publications",
    submit_publication,
    SubmitPublication,
    post,
    "/publications/{id}/submission",
    "Submit a draft for approval; each social text is checked against its network's limit (a 422 names the network and by how much)",
    SubmitPublicationRequest,
    |caller, state, value, id| {
        let _ = value;
        require_own_unless_office(&state, &caller, id).await?;
        Ok::<_, ApiError>(PublicationCommand::SubmitPublication {
            by: caller.subject.clone(),
            limits: state.social_limits,
            at: Utc::now(),
        })
    }
);

record_command!(
    PublicationView,
    PublicationCommand,
    "publications",
    approve_publication,
    ApprovePublication,
    post,
    "/publications/{id}/approval",
    "Approve a submission (the Leader or a Group Officer, never its author); one not approved before its requested time has expired (409)",
    ApprovePublicationRequest,
    |caller, state, value, id| {
        let _ = (value, &state, id);
        Ok::<_, ApiError>(PublicationCommand::ApprovePublication {
            by: caller.subject.clone(),
            at: Utc::now(),
        })
    }
);

record_command!(
    PublicationView,
    PublicationCommand,
    "publications",
    reject_publication,
    RejectPublication,
    post,
    "/publications/{id}/rejection",
    "Send a submission back with a note; its author may edit it again",
    RejectPublicationRequest,
    |caller, state, value, id| {
        let _ = (&state, id);
        let mut fields = Fields::new();
        let note = fields.check("/note", &value.note);
        fields.finish(|| {
            Some(PublicationCommand::RejectPublication {
                by: caller.subject.clone(),
                note: note?,
                at: Utc::now(),
            })
        })
    }
);

/// Schedule a publication.
#[utoipa::path(
    tag = "publications",
    operation_id = "schedule_publication",
    summary = "Schedule an approved publication to go out at a time (or move a scheduled one); its slug must not be another scheduled or published publication's (409)",
    request_body = SchedulePublicationRequest,
    params(
        ("id" = Uuid, Path, description = "The record's id"),
        ("If-Match" = inline(Option<caucus_wire::IfMatchValue>), Header, description = "The ETag you last read; a stale one is refused with 409"),
        ("Idempotency-Key" = inline(Option<caucus_wire::IdempotencyKeyValue>), Header, description = "Retry safely: a repeat with the same key records nothing new")
    ),
    responses((status = 200, description = "The record as it now stands", body = PublicationView), CommandErrors),
    security(("bearer" = []))
)]
#[post("/publications/{id}/schedule")]
async fn schedule_publication(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    key: IdempotencyKey,
    if_match: IfMatch,
    id: web::Path<Uuid>,
    body: JsonBody<SchedulePublicationRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::SchedulePublication)?;
    let id = *id;
    let command = PublicationCommand::SchedulePublication {
        by: caller.subject.clone(),
        publish_at: body.value.publish_at,
        at: Utc::now(),
    };
    let write = Write::create(&state, &caller, &request, &key, &body.raw, ()).on_existing(id, if_match.0);
    command::execute_operation::<PublicationView>(write, async |context| {
        let scope = command::scope(&state, &caller);
        publications::schedule(&scope, &state.bus, context, id, command, Expectation::Existing(if_match.0))
            .await
    })
    .await
}

record_command!(
    PublicationView,
    PublicationCommand,
    "publications",
    withdraw_publication,
    WithdrawPublication,
    post,
    "/publications/{id}/withdrawal",
    "Withdraw a publication, giving a reason: the page comes down at the next site build",
    WithdrawPublicationRequest,
    |caller, state, value, id| {
        let _ = (&state, id);
        let mut fields = Fields::new();
        let reason = fields.check("/reason", &value.reason);
        fields.finish(|| {
            Some(PublicationCommand::WithdrawPublication {
                by: caller.subject.clone(),
                reason: reason?,
                at: Utc::now(),
            })
        })
    }
);

/// How far ahead of the server's clock a receipt's time may be (clock skew).
const RECEIPT_SKEW: chrono::Duration = chrono::Duration::minutes(5);

record_command!(
    PublicationView,
    PublicationCommand,
    "publications",
    record_publication_receipt,
    RecordPublicationReceipt,
    post,
    "/publications/{id}/receipts",
    "Record where and when the publication went out (the publisher); the first website receipt marks it published; repeating a (channel, url) changes nothing",
    ReceiptRequest,
    |caller, state, value, id| {
        let _ = (&state, &caller, id);
        if value.at > Utc::now() + RECEIPT_SKEW {
            return Err(ApiError::invalid_field("/at", "must not be in the future"));
        }
        Ok::<_, ApiError>(PublicationCommand::RecordReceipt {
            channel: value.channel.clone(),
            url: value.url.clone(),
            at: value.at,
        })
    }
);

/// Claim one network's delivery.
#[utoipa::path(
    tag = "publications",
    operation_id = "claim_publication_delivery",
    summary = "Claim the delivery of a live publication's text to one network, so no other process posts it (a second claim while it is in flight or delivered is a 409)",
    description = "A 409 saying another change was saved first is a race with another write to the same publication (for example a claim for another network): read the social queue again and retry if the item is still due.",
    params(
        DeliveryPath,
        ("Idempotency-Key" = inline(Option<caucus_wire::IdempotencyKeyValue>), Header, description = "Retry safely: a repeat with the same key records nothing new")
    ),
    responses((status = 200, description = "Claimed: `deliveries.{network}.attempts` is this attempt's number", body = PublicationView), CommandErrors),
    security(("bearer" = []))
)]
#[post("/publications/{id}/deliveries/{network}/claim")]
async fn claim_publication_delivery(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    key: IdempotencyKey,
    path: web::Path<DeliveryPath>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::ClaimPublicationDelivery)?;
    let command = PublicationCommand::ClaimDelivery { network: path.network.into(), at: Utc::now() };
    command::execute::<PublicationView>(
        Write::create(&state, &caller, &request, &key, &[], command).on_existing(path.id, None),
    )
    .await
}

/// Report how a claimed delivery went.
#[utoipa::path(
    tag = "publications",
    operation_id = "record_publication_delivery_outcome",
    summary = "Report a claimed delivery: delivered (external id and URL, also a receipt) or failed (error, and when to retry)",
    request_body = DeliveryOutcomeRequest,
    params(
        DeliveryPath,
        ("Idempotency-Key" = inline(Option<caucus_wire::IdempotencyKeyValue>), Header, description = "Retry safely: a repeat with the same key records nothing new")
    ),
    responses((status = 200, description = "The publication with the delivery's new state", body = PublicationView), CommandErrors),
    security(("bearer" = []))
)]
#[post("/publications/{id}/deliveries/{network}/outcome")]
async fn record_publication_delivery_outcome(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    key: IdempotencyKey,
    path: web::Path<DeliveryPath>,
    body: JsonBody<DeliveryOutcomeRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::RecordPublicationDeliveryOutcome)?;
    let command = PublicationCommand::RecordDeliveryOutcome {
        network: path.network.into(),
        attempt: body.value.attempt(),
        outcome: body.value.outcome(),
        at: Utc::now(),
    };
    command::execute::<PublicationView>(
        Write::create(&state, &caller, &request, &key, &body.raw, command).on_existing(path.id, None),
    )
    .await
}

/// The social queue.
#[utoipa::path(
    tag = "publications",
    operation_id = "list_social_queue",
    summary = "Social posts not yet delivered, per network, of scheduled and published publications: which are due now, which wait for their time or a retry",
    params(SocialQueueFilters),
    responses((status = 200, description = "The queue, by due time", body = SocialQueue), ListErrors),
    security(("bearer" = []))
)]
#[get("/social-queue")]
async fn list_social_queue(
    state: web::Data<AppState>,
    caller: Caller,
    filters: Query<SocialQueueFilters>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::ListSocialQueue)?;
    let now = Utc::now();
    let readable = Classification::readable_set(&caller.roles);
    let statuses = [PublicationStatus::Scheduled.as_str(), PublicationStatus::Published.as_str()];
    // Only those with a post still owed: the queue stays the size of what is
    // waiting, however many publications went out before.
    let owed = [publication::owed_deliveries_tag()];
    let limit = QueueLimit::get(filters.limit).map_err(ApiError::BadRequest)?;
    // A post is due only once its publication's `publish_at` has passed, so
    // due posts are all of publications due (`due_on`) on or before today.
    let due_by = (filters.due == Some(true)).then(|| now.date_naive());
    let query = RecordQuery {
        // No limit asked for: the whole queue (one short of the most, as
        // the read asks for one more to tell whether there are more).
        limit: limit.unwrap_or(u32::MAX - 1),
        ..RecordQuery::new(&caller.group_id, publication::TYPE, &readable).filtered(RecordFilter {
            statuses: &statuses,
            tags: &owed,
            due_on_or_before: due_by,
            ..RecordFilter::default()
        })
    };
    let (head, more) = records::soonest_due(&state.db, &query).await?;
    let mut items = Vec::new();
    for stored in head {
        let id = Uuid::parse_str(&stored.record_id).map_err(ApiError::internal)?;
        let publication: Publication = serde_json::from_str(&stored.state).map_err(ApiError::internal)?;
        let due_now = publication.due_deliveries(now);
        for (network, delivery) in publication.deliveries() {
            let network_wanted = filters.network.is_none_or(|n| Network::from(n) == *network);
            let due = due_now.contains(network);
            if delivery.state == DeliveryState::Delivered
                || !network_wanted
                || (filters.due == Some(true) && !due)
            {
                continue;
            }
            items.push(SocialQueueItem {
                publication_id: id,
                version: stored.version as u64,
                network: (*network).into(),
                text: publication.social_text().get(network).cloned().unwrap_or_default(),
                title: publication.title().to_owned(),
                publish_at: publication.publish_at(),
                due,
                delivery: delivery.into(),
            });
        }
    }
    items.sort_by(|a, b| {
        (a.publish_at, a.publication_id, a.network).cmp(&(b.publish_at, b.publication_id, b.network))
    });
    Ok(HttpResponse::Ok().json(SocialQueue { items, more }))
}
