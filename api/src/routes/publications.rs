//! `/publications` and `/social-queue`: press releases, news, web pages,
//! social posts and newsletters through drafting, approval and scheduling,
//! and what the publisher records back: receipts and per-network deliveries.

use std::collections::BTreeMap;

use super::Routes;
use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::{
    AppState,
    classification::ClassificationDto,
    command::{self, RecordView, Write, record_command},
    listing::PageParams,
};
use crate::app::publications;
use crate::auth::{Caller, Operation};
use crate::domain::publication::{
    self, Author, Delivery, DeliveryOutcome, DeliveryState, ImageRef, Network, Publication,
    PublicationCommand, PublicationContent, PublicationKind, PublicationStatus, Slug, parse_social_text,
    parse_tags,
};
use crate::domain::{Classification, Record};
use crate::http::{
    ApiError, CommandErrors, Fields, IdempotencyKey, IfMatch, JsonBody, ListErrors, ReadErrors,
};
use crate::store::{
    command_bus::Expectation,
    records::{self, Cursor, RecordFilter, RecordQuery, StoredRecord},
};

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

/// What kind of publication.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PublicationKindDto {
    /// A press release.
    PressRelease,
    /// A news article.
    NewsArticle,
    /// A content page (about, contact, ...).
    WebPage,
    /// A post for social networks.
    SocialPost,
    /// A newsletter.
    Newsletter,
}

impl From<PublicationKindDto> for PublicationKind {
    fn from(dto: PublicationKindDto) -> Self {
        match dto {
            PublicationKindDto::PressRelease => Self::PressRelease,
            PublicationKindDto::NewsArticle => Self::NewsArticle,
            PublicationKindDto::WebPage => Self::WebPage,
            PublicationKindDto::SocialPost => Self::SocialPost,
            PublicationKindDto::Newsletter => Self::Newsletter,
        }
    }
}

impl From<PublicationKind> for PublicationKindDto {
    fn from(kind: PublicationKind) -> Self {
        match kind {
            PublicationKind::PressRelease => Self::PressRelease,
            PublicationKind::NewsArticle => Self::NewsArticle,
            PublicationKind::WebPage => Self::WebPage,
            PublicationKind::SocialPost => Self::SocialPost,
            PublicationKind::Newsletter => Self::Newsletter,
        }
    }
}

/// Where a publication stands. `expired` is a submission whose requested
/// publish time passed before anyone approved it (computed when read).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PublicationStatusDto {
    /// Being written.
    Draft,
    /// Waiting for approval.
    Submitted,
    /// Approved, not yet scheduled.
    Approved,
    /// Sent back with a note.
    Rejected,
    /// Due to go out at `publish_at`.
    Scheduled,
    /// On the website.
    Published,
    /// Taken down.
    Withdrawn,
    /// Not approved before its requested publish time.
    Expired,
}

impl From<PublicationStatus> for PublicationStatusDto {
    fn from(status: PublicationStatus) -> Self {
        match status {
            PublicationStatus::Draft => Self::Draft,
            PublicationStatus::Submitted => Self::Submitted,
            PublicationStatus::Approved => Self::Approved,
            PublicationStatus::Rejected => Self::Rejected,
            PublicationStatus::Scheduled => Self::Scheduled,
            PublicationStatus::Published => Self::Published,
            PublicationStatus::Withdrawn => Self::Withdrawn,
            PublicationStatus::Expired => Self::Expired,
        }
    }
}

impl From<PublicationStatusDto> for PublicationStatus {
    fn from(dto: PublicationStatusDto) -> Self {
        match dto {
            PublicationStatusDto::Draft => Self::Draft,
            PublicationStatusDto::Submitted => Self::Submitted,
            PublicationStatusDto::Approved => Self::Approved,
            PublicationStatusDto::Rejected => Self::Rejected,
            PublicationStatusDto::Scheduled => Self::Scheduled,
            PublicationStatusDto::Published => Self::Published,
            PublicationStatusDto::Withdrawn => Self::Withdrawn,
            PublicationStatusDto::Expired => Self::Expired,
        }
    }
}

/// A social network.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum NetworkDto {
    /// Mastodon.
    Mastodon,
    /// Bluesky.
    Bluesky,
    /// X.
    X,
    /// Facebook.
    Facebook,
    /// LinkedIn.
    Linkedin,
}

impl From<NetworkDto> for Network {
    fn from(dto: NetworkDto) -> Self {
        match dto {
            NetworkDto::Mastodon => Self::Mastodon,
            NetworkDto::Bluesky => Self::Bluesky,
            NetworkDto::X => Self::X,
            NetworkDto::Facebook => Self::Facebook,
            NetworkDto::Linkedin => Self::Linkedin,
        }
    }
}

impl From<Network> for NetworkDto {
    fn from(network: Network) -> Self {
        match network {
            Network::Mastodon => Self::Mastodon,
            Network::Bluesky => Self::Bluesky,
            Network::X => Self::X,
            Network::Facebook => Self::Facebook,
            Network::Linkedin => Self::Linkedin,
        }
    }
}

/// Where one network's delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStateDto {
    /// Queued.
    Pending,
    /// Claimed by a publisher process.
    InFlight,
    /// Posted.
    Delivered,
    /// The last attempt failed; retried from `retry_at`.
    Failed,
}

impl From<DeliveryState> for DeliveryStateDto {
    fn from(state: DeliveryState) -> Self {
        match state {
            DeliveryState::Pending => Self::Pending,
            DeliveryState::InFlight => Self::InFlight,
            DeliveryState::Delivered => Self::Delivered,
            DeliveryState::Failed => Self::Failed,
        }
    }
}

/// An image and its alternative text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImageDto {
    /// An absolute http(s) URL, or a path on the site (`/images/library.jpg`).
    pub url: String,
    /// What the image shows, for screen readers (required, up to 300 characters).
    pub alt: String,
}

/// A publication's editable content. Editing replaces all of it.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublicationContentRequest {
    /// The headline, up to 200 characters.
    pub title: String,
    /// A summary (the page's description), up to 500 characters.
    #[serde(default)]
    pub summary: Option<String>,
    /// The body in Markdown, up to 50,000 characters; every kind but a social post needs one to be submitted.
    #[serde(default)]
    pub body_markdown: Option<String>,
    /// The page's URL name (`[a-z0-9-]`); made from the title when absent.
    #[serde(default)]
    pub slug: Option<String>,
    /// Tags, up to 20 of up to 50 characters.
    #[serde(default)]
    pub tags: Vec<String>,
    /// An image.
    #[serde(default)]
    pub image: Option<ImageDto>,
    /// The text to post on each network; checked against each network's limit at submission.
    #[serde(default)]
    pub social_text: BTreeMap<NetworkDto, String>,
    /// When the author wants it out (RFC 3339): a submission not approved by then expires.
    #[serde(default)]
    pub publish_at: Option<DateTime<Utc>>,
}

impl PublicationContentRequest {
    fn parse(&self, fields: &mut Fields) -> Option<PublicationContent> {
        let title = fields.text("/title", &self.title);
        let summary = fields.optional_text("/summary", self.summary.as_deref());
        let body = fields.optional_text("/body_markdown", self.body_markdown.as_deref());
        let slug = match &self.slug {
            Some(raw) => Slug::parse(raw).map_err(|e| fields.reject("/slug", e.to_string())).ok(),
            None => {
                let derived = Slug::from_title(&self.title);
                if derived.is_none() && title.is_some() {
                    fields
                        .reject("/slug", "the title has no letters or digits to make a slug from: give one");
                }
                derived
            }
        };
        let tags = parse_tags(&self.tags).map_err(|e| fields.reject("/tags", e.to_string())).ok();
        let image = match &self.image {
            None => Some(None),
            Some(image) => ImageRef::parse(&image.url, &image.alt)
                .map(Some)
                .map_err(|e| fields.reject("/image", e.to_string()))
                .ok(),
        };
        let mut social_text = BTreeMap::new();
        for (network, raw) in &self.social_text {
            let network = Network::from(*network);
            match parse_social_text(raw) {
                Ok(text) => {
                    social_text.insert(network, text);
                }
                Err(e) => fields.reject(&format!("/social_text/{}", network.as_str()), e.to_string()),
            }
        }
        Some(PublicationContent {
            title: title?,
            summary: summary?,
            body_markdown: body?,
            slug: slug?,
            tags: tags?,
            image: image?,
            social_text,
            publish_at: self.publish_at,
        })
    }
}

/// Start a draft.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DraftPublicationRequest {
    /// What kind of publication.
    pub kind: PublicationKindDto,
    /// The byline, e.g. `Cllr Amina Patel` or `Newham Labour Group`.
    pub author_name: String,
    /// The member it is by, if a councillor wrote it.
    #[serde(default)]
    pub author_member_id: Option<Uuid>,
    /// The content.
    #[serde(flatten)]
    pub content: PublicationContentRequest,
}

/// Ask for approval.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubmitPublicationRequest {}

/// Approve a submitted publication.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApprovePublicationRequest {}

/// Send a submission back.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RejectPublicationRequest {
    /// What to change, up to 2,000 characters (required).
    pub note: String,
}

/// Schedule an approved publication.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SchedulePublicationRequest {
    /// When it goes public (RFC 3339); a time already passed publishes at once.
    pub publish_at: DateTime<Utc>,
}

/// Take a publication down.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WithdrawPublicationRequest {
    /// Why, up to 2,000 characters.
    pub reason: String,
}

/// Record that the publication went out somewhere.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReceiptRequest {
    /// `website`, or a network: `mastodon`, `bluesky`, `x`, `facebook`, `linkedin`.
    pub channel: String,
    /// Where it can be seen (absolute http(s) URL).
    pub url: String,
    /// When it went out (RFC 3339; not in the future).
    pub at: DateTime<Utc>,
}

/// How a claimed delivery went: either `external_id` and `url`, or `error` and `retry_at`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeliveryOutcomeRequest {
    /// The attempt being reported (from the claim); checked when given.
    #[serde(default)]
    pub attempt: Option<u32>,
    /// Delivered: the network's id for the post.
    #[serde(default)]
    pub external_id: Option<String>,
    /// Delivered: the post's URL.
    #[serde(default)]
    pub url: Option<String>,
    /// Failed: what went wrong.
    #[serde(default)]
    pub error: Option<String>,
    /// Failed: when it may be claimed again.
    #[serde(default)]
    pub retry_at: Option<DateTime<Utc>>,
}

impl DeliveryOutcomeRequest {
    fn parse(&self) -> Result<DeliveryOutcome, ApiError> {
        match (&self.external_id, &self.url, &self.error, self.retry_at) {
            (Some(external_id), Some(url), None, None) => {
                Ok(DeliveryOutcome::Delivered { external_id: external_id.clone(), url: url.clone() })
            }
            (None, None, Some(error), Some(retry_at)) => {
                Ok(DeliveryOutcome::Failed { error: error.clone(), retry_at })
            }
            _ => Err(ApiError::Unprocessable {
                detail: "an outcome is either {external_id, url} (delivered) or {error, retry_at} (failed)"
                    .into(),
                errors: Vec::new(),
            }),
        }
    }
}

/// The byline of a publication.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuthorView {
    /// The byline.
    pub name: String,
    /// The member it is by.
    pub member_id: Option<Uuid>,
    /// The token subject that created it (who may not approve it).
    pub subject: String,
}

/// A decision on a publication: who, when, and the note or reason.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VerdictView {
    /// The token subject.
    pub by: String,
    /// When.
    pub at: DateTime<Utc>,
    /// The rejection note or withdrawal reason.
    pub note: Option<String>,
}

/// Where and when a publication went out.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReceiptView {
    /// `website` or a network.
    pub channel: String,
    /// Where it can be seen.
    pub url: String,
    /// When it went out.
    pub at: DateTime<Utc>,
}

/// One network's delivery.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DeliveryView {
    /// Where it stands.
    pub state: DeliveryStateDto,
    /// Claims so far.
    pub attempts: u32,
    /// When the current or last claim was made.
    pub claimed_at: Option<DateTime<Utc>>,
    /// The network's id for the post.
    pub external_id: Option<String>,
    /// The post's URL.
    pub url: Option<String>,
    /// When it was delivered.
    pub delivered_at: Option<DateTime<Utc>>,
    /// The last failure.
    pub last_error: Option<String>,
    /// When a failed delivery may be claimed again.
    pub retry_at: Option<DateTime<Utc>>,
}

impl From<&Delivery> for DeliveryView {
    fn from(d: &Delivery) -> Self {
        Self {
            state: d.state.into(),
            attempts: d.attempts,
            claimed_at: d.claimed_at,
            external_id: d.external_id.clone(),
            url: d.url.clone(),
            delivered_at: d.delivered_at,
            last_error: d.last_error.clone(),
            retry_at: d.retry_at,
        }
    }
}

/// A publication.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicationView {
    /// Its id.
    pub id: Uuid,
    /// Its version; also its ETag.
    pub version: u64,
    /// What kind of publication.
    pub kind: PublicationKindDto,
    /// Where it stands now (`expired` computed from the clock).
    pub status: PublicationStatusDto,
    /// Whether the public may see it now.
    pub live: bool,
    /// `public` while scheduled or published, `group` otherwise.
    pub classification: ClassificationDto,
    /// The headline.
    pub title: String,
    /// The summary.
    pub summary: Option<String>,
    /// The body in Markdown.
    pub body_markdown: Option<String>,
    /// The page's URL name.
    pub slug: String,
    /// Tags.
    pub tags: Vec<String>,
    /// The image.
    pub image: Option<ImageDto>,
    /// The author.
    pub author: AuthorView,
    /// The text for each network.
    pub social_text: BTreeMap<NetworkDto, String>,
    /// The scheduled time once scheduled; the requested time before.
    pub publish_at: Option<DateTime<Utc>>,
    /// When the website published it.
    pub published_at: Option<DateTime<Utc>>,
    /// When it was last submitted.
    pub submitted_at: Option<DateTime<Utc>>,
    /// Who approved it, and when.
    pub approval: Option<VerdictView>,
    /// The last rejection and its note.
    pub rejection: Option<VerdictView>,
    /// The withdrawal and its reason.
    pub withdrawal: Option<VerdictView>,
    /// Where and when it went out, oldest first.
    pub receipts: Vec<ReceiptView>,
    /// Each network's delivery, once scheduled.
    pub deliveries: BTreeMap<NetworkDto, DeliveryView>,
    /// When it was drafted (RFC 3339, UTC).
    pub recorded_at: String,
    /// When its content or status last changed.
    pub updated_at: Option<DateTime<Utc>>,
}

fn verdict(v: Option<&crate::domain::publication::Verdict>) -> Option<VerdictView> {
    v.map(|v| VerdictView { by: v.by.clone(), at: v.at, note: v.note.as_ref().map(ToString::to_string) })
}

impl PublicationView {
    fn build(id: Uuid, p: &Publication, stored: &StoredRecord, now: DateTime<Utc>) -> Result<Self, ApiError> {
        let uncreated =
            || ApiError::internal(anyhow::anyhow!("publication {id} in the read model is not drafted"));
        let content = p.content().ok_or_else(uncreated)?;
        Ok(Self {
            id,
            version: stored.version as u64,
            kind: p.kind().ok_or_else(uncreated)?.into(),
            status: p.status_at(now).into(),
            live: p.is_live_at(now),
            classification: Record::classification(p).into(),
            title: p.title().to_owned(),
            summary: content.summary.as_ref().map(ToString::to_string),
            body_markdown: content.body_markdown.as_ref().map(ToString::to_string),
            slug: p.slug().to_owned(),
            tags: p.tags().to_vec(),
            image: p.image().map(|i| ImageDto { url: i.url.clone(), alt: i.alt.clone() }),
            author: AuthorView {
                name: p.author_name().to_owned(),
                member_id: p.author_member_id(),
                subject: p.author_subject().unwrap_or_default().to_owned(),
            },
            social_text: p.social_text().iter().map(|(n, t)| ((*n).into(), t.clone())).collect(),
            publish_at: p.publish_at(),
            published_at: p.published_at(),
            submitted_at: p.submitted_at(),
            approval: verdict(p.approval()),
            rejection: verdict(p.rejection()),
            withdrawal: verdict(p.withdrawal()),
            receipts: p
                .receipts()
                .iter()
                .map(|r| ReceiptView { channel: r.channel.clone(), url: r.url.clone(), at: r.at })
                .collect(),
            deliveries: p.deliveries().iter().map(|(n, d)| ((*n).into(), d.into())).collect(),
            recorded_at: stored.created_at.clone(),
            updated_at: p.updated_at(),
        })
    }
}

impl RecordView for PublicationView {
    type Record = Publication;
    const NAME: &'static str = "publication";
    const COLLECTION: &'static str = "/publications";

    fn from_stored(id: Uuid, p: Publication, stored: &StoredRecord) -> Result<Self, ApiError> {
        Self::build(id, &p, stored, Utc::now())
    }
}

/// A page of publications.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicationPage {
    /// The publications, oldest first.
    pub items: Vec<PublicationView>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// Filters for the publications register.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PublicationFilters {
    /// Only publications in this status (as of now: `expired` is computed).
    pub status: Option<PublicationStatusDto>,
    /// Only publications of this kind.
    pub kind: Option<PublicationKindDto>,
    /// Continue from the `next_cursor` of the previous page.
    #[param(inline)]
    pub cursor: Option<caucus_wire::Cursor>,
    /// Page size, 1 to 200 (default 50).
    #[param(inline)]
    pub limit: Option<caucus_wire::PageLimit>,
}

/// Reads the publication's state as the caller may see it, or 404.
async fn load(state: &AppState, caller: &Caller, id: Uuid) -> Result<Publication, ApiError> {
    let readable = Classification::readable_set(&caller.roles);
    let stored = records::find(&state.db, &caller.group_id, publication::TYPE, &id.to_string(), &readable)
        .await?
        .ok_or(ApiError::NotFound("publication"))?;
    serde_json::from_str(&stored.state).map_err(ApiError::internal)
}

/// Councillors draft, edit and submit only their own publications; the
/// office (assistant, Leader, officers) works on any.
async fn require_own_unless_office(state: &AppState, caller: &Caller, id: Uuid) -> Result<(), ApiError> {
    if caller.works_in_the_office() {
        return Ok(());
    }
    let publication = load(state, caller, id).await?;
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
    params(("Idempotency-Key" = Option<String>, Header, description = "Retry safely: a repeat with the same key records nothing new")),
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
    let author_name = fields.text("/author_name", &value.author_name);
    let content = value.content.parse(&mut fields);
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
    filters: web::Query<PublicationFilters>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::ListPublications)?;
    let paging = PageParams { cursor: filters.cursor.clone(), limit: filters.limit, as_of: None };
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
    let mut query =
        RecordQuery { after, limit, ..RecordQuery::new(&caller.group_id, publication::TYPE, &readable) }
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
                items.push(PublicationView::build(id, &publication, stored, now)?);
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
    at: web::Query<command::AsOf>,
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
        let content = value.parse(&mut fields);
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
        let note = fields.text("/note", &value.note);
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
        ("If-Match" = Option<String>, Header, description = "The ETag you last read; a stale one is refused with 409"),
        ("Idempotency-Key" = Option<String>, Header, description = "Retry safely: a repeat with the same key records nothing new")
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
    let write = Write {
        state: &state,
        caller: &caller,
        request: &request,
        body: &body.raw,
        key: &key,
        id,
        command: (),
        expectation: Expectation::Existing(if_match.0),
    };
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
        let reason = fields.text("/reason", &value.reason);
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

/// The path of one network's delivery.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct DeliveryPath {
    /// The publication's id.
    pub id: Uuid,
    /// The network.
    pub network: NetworkDto,
}

/// Claim one network's delivery.
#[utoipa::path(
    tag = "publications",
    operation_id = "claim_publication_delivery",
    summary = "Claim the delivery of a live publication's text to one network, so no other process posts it (a second claim while it is in flight or delivered is a 409)",
    description = "A 409 saying another change was saved first is a race with another write to the same publication (for example a claim for another network): read the social queue again and retry if the item is still due.",
    params(
        DeliveryPath,
        ("Idempotency-Key" = Option<String>, Header, description = "Retry safely: a repeat with the same key records nothing new")
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
    command::execute::<PublicationView>(Write {
        state: &state,
        caller: &caller,
        request: &request,
        body: &[],
        key: &key,
        id: path.id,
        command,
        expectation: Expectation::Existing(None),
    })
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
        ("Idempotency-Key" = Option<String>, Header, description = "Retry safely: a repeat with the same key records nothing new")
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
        attempt: body.value.attempt,
        outcome: body.value.parse()?,
        at: Utc::now(),
    };
    command::execute::<PublicationView>(Write {
        state: &state,
        caller: &caller,
        request: &request,
        body: &body.raw,
        key: &key,
        id: path.id,
        command,
        expectation: Expectation::Existing(None),
    })
    .await
}

/// One network's queued post.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SocialQueueItem {
    /// The publication.
    pub publication_id: Uuid,
    /// Its version (its ETag).
    pub version: u64,
    /// The network.
    pub network: NetworkDto,
    /// The text to post.
    pub text: String,
    /// The publication's title (for staff).
    pub title: String,
    /// When it is due.
    pub publish_at: Option<DateTime<Utc>>,
    /// Whether a publisher may claim it now.
    pub due: bool,
    /// The delivery's state.
    pub delivery: DeliveryView,
}

/// The social queue.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SocialQueue {
    /// Undelivered posts of scheduled and published publications, by due time.
    pub items: Vec<SocialQueueItem>,
}

/// Filters for the social queue.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SocialQueueFilters {
    /// Only items a publisher may claim now.
    pub due: Option<bool>,
    /// Only this network's items.
    pub network: Option<NetworkDto>,
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
    filters: web::Query<SocialQueueFilters>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::ListSocialQueue)?;
    let now = Utc::now();
    let readable = Classification::readable_set(&caller.roles);
    let statuses = [PublicationStatus::Scheduled.as_str(), PublicationStatus::Published.as_str()];
    let query = RecordQuery::new(&caller.group_id, publication::TYPE, &readable)
        .filtered(RecordFilter { statuses: &statuses, ..RecordFilter::default() });
    let mut items = Vec::new();
    for stored in records::list_all(&state.db, &query).await? {
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
    Ok(HttpResponse::Ok().json(SocialQueue { items }))
}
