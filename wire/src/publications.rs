//! `/publications`: press releases, news, web pages, social posts and
//! newsletters through draft, approval and publication; what the publisher
//! records (receipts, delivery claims and outcomes) and the social queue.

use std::borrow::Cow;
use std::collections::BTreeMap;

use caucus_domain::{
    Record,
    publication::{
        Delivery, DeliveryOutcome, ImageRef, Publication, PublicationContent, Slug, SocialLimits, Verdict,
        parse_social_text, social_length,
    },
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{
    IntoParams, PartialSchema, ToSchema,
    openapi::{ObjectBuilder, RefOr, Schema, Type, schema::SchemaType},
};
use uuid::Uuid;

use crate::Fields;
use crate::common::{Classification, Cursor, ListOrder, PageLimit, Stored, Unrecorded};
use crate::input::{
    AltText, DocumentText, ImageUrlText, NoteText, SlugText, SocialText, SummaryText, Tags, TitleText,
};
use crate::mirror::mirror;

mirror! {
    /// What kind of publication.
    pub enum PublicationKind = caucus_domain::publication::PublicationKind {
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
}

mirror! {
    /// Where a publication stands.
    pub enum PublicationStatus = caucus_domain::publication::PublicationStatus {
        /// Being written.
        Draft,
        /// Waiting for approval.
        Submitted,
        /// Approved, not yet scheduled.
        Approved,
        /// Sent back with a note.
        Rejected,
        /// Approved and due to go out.
        Scheduled,
        /// Out.
        Published,
        /// Taken down.
        Withdrawn,
        /// Submitted but not approved before its requested time.
        Expired,
    }
}

mirror! {
    /// A social network the group posts to.
    pub enum Network = caucus_domain::publication::Network {
        /// Mastodon (the group's instance).
        Mastodon,
        /// Bluesky.
        Bluesky,
        /// X (formerly Twitter).
        X,
        /// Facebook.
        Facebook,
        /// LinkedIn.
        Linkedin,
    }
}

/// A social text's length as its network counts it, and the network's limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SocialLength {
    /// The length, in the network's own units.
    pub length: u64,
    /// The most the network accepts (Mastodon's is the group's instance's).
    pub max: u64,
}

mirror! {
    /// Where one network's delivery stands.
    pub enum DeliveryState = caucus_domain::publication::DeliveryState {
        /// Queued.
        Pending,
        /// Claimed by a publisher process.
        InFlight,
        /// Posted.
        Delivered,
        /// The last attempt failed; retried from `retry_at`.
        Failed,
    }
}

/// An image and its alternative text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Image {
    /// An absolute http(s) URL, or a path on the site (`/images/library.jpg`).
    pub url: ImageUrlText,
    /// What the image shows, for screen readers (required).
    pub alt: AltText,
}

/// A publication's editable content. Editing replaces all of it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublicationContentRequest {
    /// The headline.
    pub title: TitleText,
    /// A summary (the page's description).
    #[serde(default)]
    pub summary: Option<SummaryText>,
    /// The body in Markdown; every kind but a social post needs one to be submitted.
    #[serde(default)]
    pub body_markdown: Option<DocumentText>,
    /// The page's URL name; made from the title when absent (the title must
    /// then have a letter or digit).
    #[serde(default)]
    pub slug: Option<SlugText>,
    /// Tags.
    #[serde(default)]
    pub tags: Tags,
    /// An image.
    #[serde(default)]
    pub image: Option<Image>,
    /// The text to post on each network; checked against each network's limit at submission.
    #[serde(default)]
    pub social_text: BTreeMap<Network, SocialText>,
    /// When the author wants it out (RFC 3339): a submission not approved by then expires.
    #[serde(default)]
    pub publish_at: Option<DateTime<Utc>>,
}

/// Start a draft: its kind and byline, and the content's fields beside them.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DraftPublicationRequest {
    /// What kind of publication.
    pub kind: PublicationKind,
    /// The byline, e.g. `Cllr Amina Patel` or `Newham Labour Group`.
    pub author_name: TitleText,
    /// The member it is by, if a councillor wrote it.
    #[serde(default)]
    pub author_member_id: Option<Uuid>,
    /// The content.
    #[serde(flatten)]
    pub content: PublicationContentRequest,
}

/// Ask for approval.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubmitPublicationRequest {}

/// Approve a submitted publication.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApprovePublicationRequest {}

/// Send a submission back.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RejectPublicationRequest {
    /// What to change, up to 2,000 characters (required).
    pub note: NoteText,
}

/// Schedule an approved publication.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SchedulePublicationRequest {
    /// When it goes public (RFC 3339); a time already passed publishes at once.
    pub publish_at: DateTime<Utc>,
}

/// Take a publication down.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WithdrawPublicationRequest {
    /// Why, up to 2,000 characters.
    pub reason: NoteText,
}

/// Record that the publication went out somewhere.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReceiptRequest {
    /// `website`, or a network: `mastodon`, `bluesky`, `x`, `facebook`, `linkedin`.
    pub channel: String,
    /// Where it can be seen (absolute http(s) URL).
    pub url: String,
    /// When it went out (RFC 3339; not in the future).
    pub at: DateTime<Utc>,
}

/// A delivery that posted.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeliveredOutcome {
    /// The attempt being reported (from the claim); checked when given.
    #[serde(default)]
    #[schema(maximum = 4294967295_u64)]
    pub attempt: Option<u32>,
    /// The network's id for the post.
    pub external_id: String,
    /// The post's URL.
    pub url: String,
}

/// A delivery that did not post.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FailedOutcome {
    /// The attempt being reported (from the claim); checked when given.
    #[serde(default)]
    #[schema(maximum = 4294967295_u64)]
    pub attempt: Option<u32>,
    /// What went wrong.
    pub error: String,
    /// When it may be claimed again.
    pub retry_at: DateTime<Utc>,
}

/// How a claimed delivery went: delivered (`external_id` and `url`) or
/// failed (`error` and `retry_at`).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum DeliveryOutcomeRequest {
    /// Posted.
    Delivered(DeliveredOutcome),
    /// Not posted.
    Failed(FailedOutcome),
}

impl DeliveryOutcomeRequest {
    /// The attempt it reports, if it names one.
    pub fn attempt(&self) -> Option<u32> {
        match self {
            Self::Delivered(DeliveredOutcome { attempt, .. })
            | Self::Failed(FailedOutcome { attempt, .. }) => *attempt,
        }
    }

    /// The outcome as the domain records it.
    pub fn outcome(&self) -> DeliveryOutcome {
        match self {
            Self::Delivered(DeliveredOutcome { external_id, url, .. }) => {
                DeliveryOutcome::Delivered { external_id: external_id.clone(), url: url.clone() }
            }
            Self::Failed(FailedOutcome { error, retry_at, .. }) => {
                DeliveryOutcome::Failed { error: error.clone(), retry_at: *retry_at }
            }
        }
    }
}

/// The byline of a publication.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AuthorView {
    /// The byline.
    pub name: String,
    /// The member it is by.
    pub member_id: Option<Uuid>,
    /// The token subject that created it (who may not approve it).
    pub subject: String,
}

/// A decision on a publication: who, when, and the note or reason.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct VerdictView {
    /// The token subject.
    pub by: String,
    /// When.
    pub at: DateTime<Utc>,
    /// The rejection note or withdrawal reason.
    pub note: Option<String>,
}

/// Where and when a publication went out.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ReceiptView {
    /// `website` or a network.
    pub channel: String,
    /// Where it can be seen.
    pub url: String,
    /// When it went out.
    pub at: DateTime<Utc>,
}

/// One network's delivery.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DeliveryView {
    /// Where it stands.
    pub state: DeliveryState,
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

/// A publication.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PublicationView {
    /// Its id.
    pub id: Uuid,
    /// Its version; also its ETag.
    pub version: u64,
    /// What kind of publication.
    pub kind: PublicationKind,
    /// Where it stands now (`expired` computed from the clock).
    pub status: PublicationStatus,
    /// Whether the public may see it now.
    pub live: bool,
    /// `public` while scheduled or published, `group` otherwise.
    pub classification: Classification,
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
    pub image: Option<Image>,
    /// The author.
    pub author: AuthorView,
    /// The text for each network.
    pub social_text: BTreeMap<Network, String>,
    /// Each network's text's length as that network counts it (X's
    /// weighted characters, Bluesky's graphemes, ...), beside its limit:
    /// what a client shows while drafting, counted as submission checks it.
    pub social_lengths: BTreeMap<Network, SocialLength>,
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
    pub deliveries: BTreeMap<Network, DeliveryView>,
    /// When it was drafted (RFC 3339, UTC).
    pub recorded_at: String,
    /// When its content or status last changed.
    pub updated_at: Option<DateTime<Utc>>,
}

/// A page of publications.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PublicationPage {
    /// The publications, oldest first.
    pub items: Vec<PublicationView>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// Filters for the publications register.
#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PublicationFilters {
    /// Only publications in this status (as of now: `expired` is computed).
    pub status: Option<PublicationStatus>,
    /// Only publications of this kind.
    pub kind: Option<PublicationKind>,
    /// Continue from the `next_cursor` of the previous page.
    #[param(inline)]
    pub cursor: Option<Cursor>,
    /// Page size, 1 to 200 (default 50).
    #[param(inline)]
    pub limit: Option<PageLimit>,
    /// Which end of the register to start from (default `oldest`).
    #[param(inline)]
    pub order: Option<ListOrder>,
}

/// The path of one network's delivery.
#[derive(Debug, Clone, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct DeliveryPath {
    /// The publication's id.
    pub id: Uuid,
    /// The network.
    pub network: Network,
}

/// One network's queued post.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SocialQueueItem {
    /// The publication.
    pub publication_id: Uuid,
    /// Its version (its ETag).
    pub version: u64,
    /// The network.
    pub network: Network,
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
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SocialQueue {
    /// Undelivered posts of scheduled and published publications, by due time.
    pub items: Vec<SocialQueueItem>,
    /// Whether other publications' posts wait beyond these (only when a
    /// `limit` was given): they are listed once these go out, or with a
    /// larger limit.
    pub more: bool,
}

/// How many publications' posts to list from the head of the social queue:
/// 1 to [`QueueLimit::MAX`]; the whole queue when absent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct QueueLimit(pub u32);

impl QueueLimit {
    /// The most publications one read of the queue lists.
    pub const MAX: u32 = 500;

    /// The checked limit, `None` for the whole queue.
    pub fn get(limit: Option<Self>) -> Result<Option<u32>, String> {
        match limit {
            None => Ok(None),
            Some(Self(limit)) if (1..=Self::MAX).contains(&limit) => Ok(Some(limit)),
            Some(_) => Err(format!("limit must be between 1 and {}", Self::MAX)),
        }
    }
}

impl PartialSchema for QueueLimit {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::Integer)
            .description(Some(format!(
                "At most this many publications' posts, the soonest due first, 1 to {}; the whole queue when absent.",
                Self::MAX
            )))
            .minimum(Some(1))
            .maximum(Some(i64::from(Self::MAX)))
            .into()
    }
}

impl ToSchema for QueueLimit {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("QueueLimit")
    }
}

/// Filters for the social queue.
#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SocialQueueFilters {
    /// Only items a publisher may claim now.
    pub due: Option<bool>,
    /// Only this network's items.
    pub network: Option<Network>,
    /// Only the posts of this many publications from the head of the queue,
    /// 1 to 500; the whole queue when absent.
    #[param(inline)]
    pub limit: Option<QueueLimit>,
}

impl PublicationContentRequest {
    /// The content, every field checked (a missing slug made from the title).
    pub fn parse_fields(&self, fields: &mut Fields) -> Option<PublicationContent> {
        let title = fields.check("/title", &self.title);
        let summary = fields.check_optional("/summary", self.summary.as_ref());
        let body = fields.check_optional("/body_markdown", self.body_markdown.as_ref());
        let slug = match &self.slug {
            Some(slug) => fields.check("/slug", slug),
            None => {
                let derived = Slug::from_title(&self.title.0);
                if derived.is_none() && title.is_some() {
                    fields
                        .reject("/slug", "the title has no letters or digits to make a slug from: give one");
                }
                derived
            }
        };
        let tags = fields.check("/tags", &self.tags);
        let image = match &self.image {
            None => Some(None),
            Some(image) => ImageRef::parse(&image.url.0, &image.alt.0)
                .map(Some)
                .map_err(|e| fields.reject("/image", e.to_string()))
                .ok(),
        };
        let mut social_text = BTreeMap::new();
        for (network, raw) in &self.social_text {
            let network = caucus_domain::publication::Network::from(*network);
            match parse_social_text(&raw.0) {
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

/// The draft's schema: its own fields and the content's in one object, as
/// the body is sent (utoipa would state the flattened content as an `allOf`
/// whose two parts each forbid the other's fields).
impl PartialSchema for DraftPublicationRequest {
    fn schema() -> RefOr<Schema> {
        let RefOr::T(Schema::Object(mut object)) = PublicationContentRequest::schema() else {
            unreachable!("the content's schema is an object")
        };
        object.description =
            Some("Start a draft: its kind and byline, and the content's fields beside them.".to_owned());
        let own = [
            ("kind", utoipa::openapi::Ref::from_schema_name(PublicationKind::name()).into()),
            ("author_name", utoipa::openapi::Ref::from_schema_name(TitleText::name()).into()),
            (
                "author_member_id",
                ObjectBuilder::new()
                    .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
                    .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
                        utoipa::openapi::KnownFormat::Uuid,
                    )))
                    .description(Some("The member it is by, if a councillor wrote it."))
                    .into(),
            ),
        ];
        for (name, schema) in own {
            object.properties.insert(name.to_owned(), schema);
        }
        object.required.extend(["kind".to_owned(), "author_name".to_owned()]);
        RefOr::T(Schema::Object(object))
    }
}

impl ToSchema for DraftPublicationRequest {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("DraftPublicationRequest")
    }

    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        schemas.push((PublicationContentRequest::name().into(), PublicationContentRequest::schema()));
        PublicationContentRequest::schemas(schemas);
        schemas.push((PublicationKind::name().into(), PublicationKind::schema()));
        schemas.push((TitleText::name().into(), TitleText::schema()));
    }
}

fn verdict(v: Option<&Verdict>) -> Option<VerdictView> {
    v.map(|v| VerdictView { by: v.by.clone(), at: v.at, note: v.note.as_ref().map(ToString::to_string) })
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

impl PublicationView {
    /// The publication as the contract shows it at `now` (which decides
    /// whether it is live or has expired), its social texts counted against
    /// `limits`.
    pub fn new(
        id: Uuid,
        p: &Publication,
        stored: Stored<'_>,
        now: DateTime<Utc>,
        limits: &SocialLimits,
    ) -> Result<Self, Unrecorded> {
        let uncreated = || Unrecorded { record: "publication", id };
        let content = p.content().ok_or_else(uncreated)?;
        Ok(Self {
            id,
            version: stored.version,
            kind: p.kind().ok_or_else(uncreated)?.into(),
            status: p.status_at(now).into(),
            live: p.is_live_at(now),
            classification: Record::classification(p).into(),
            title: p.title().to_owned(),
            summary: content.summary.as_ref().map(ToString::to_string),
            body_markdown: content.body_markdown.as_ref().map(ToString::to_string),
            slug: p.slug().to_owned(),
            tags: p.tags().to_vec(),
            image: p.image().map(|i| Image { url: ImageUrlText(i.url.clone()), alt: i.alt.clone().into() }),
            author: AuthorView {
                name: p.author_name().to_owned(),
                member_id: p.author_member_id(),
                subject: p.author_subject().unwrap_or_default().to_owned(),
            },
            social_text: p.social_text().iter().map(|(n, t)| ((*n).into(), t.clone())).collect(),
            social_lengths: p
                .social_text()
                .iter()
                .map(|(n, t)| {
                    let length = social_length(*n, t) as u64;
                    ((*n).into(), SocialLength { length, max: limits.max(*n) as u64 })
                })
                .collect(),
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
            recorded_at: stored.created_at.to_owned(),
            updated_at: p.updated_at(),
        })
    }
}
