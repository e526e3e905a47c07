use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use cqrs_es::{Aggregate, event_sink::EventSink};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::commands::{DeliveryOutcome, PublicationCommand};
use super::events::PublicationEvent;
use super::social_text::{self, OverLimit, SocialLimits};
use crate::{
    BoundedText, Classification, DomainError, GroupId, LongText, Note, Record, RecordIndex, Refusal,
    TextError, Title,
};

/// The record type of publications in the event store and the read model.
pub const TYPE: &str = "publication";

/// The label of a publication with a post still to deliver to a network:
/// the social queue reads those, not every publication ever sent.
pub fn owed_deliveries_tag() -> String {
    crate::record::tag("deliveries", "owed")
}

/// The channel name of the group's website in receipts.
pub const WEBSITE: &str = "website";

/// How long a delivery claim holds. A claim neither settled nor failed within
/// it (its process died) may be claimed again; connectors send an idempotency
/// key per publication and network, so a post that did go out is not doubled.
pub const CLAIM_LEASE: Duration = Duration::minutes(15);

/// What kind of publication.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, strum::IntoStaticStr,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum PublicationKind {
    /// A press release.
    PressRelease,
    /// A news article on the website.
    NewsArticle,
    /// A content page (about, contact, ...).
    WebPage,
    /// A post for social networks.
    SocialPost,
    /// A newsletter.
    Newsletter,
}

impl PublicationKind {
    /// Every kind.
    pub const ALL: [Self; 5] =
        [Self::PressRelease, Self::NewsArticle, Self::WebPage, Self::SocialPost, Self::Newsletter];

    /// The stable word for it (its serde name too: both are the variant's name
    /// in snake case).
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// Where a publication stands in its workflow.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, strum::IntoStaticStr,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum PublicationStatus {
    /// Being written; editable.
    Draft,
    /// Waiting for approval.
    Submitted,
    /// Approved, not yet scheduled.
    Approved,
    /// Sent back with a note; editable (an edit returns it to draft).
    Rejected,
    /// Approved and due to go out at `publish_at`.
    Scheduled,
    /// On the website (its first website receipt arrived).
    Published,
    /// Taken down, or stopped before it went out.
    Withdrawn,
    /// Submitted but not approved before its requested publish time. Computed
    /// at read time from a submitted publication and the clock, never recorded.
    Expired,
}

impl PublicationStatus {
    /// Every status.
    pub const ALL: [Self; 8] = [
        Self::Draft,
        Self::Submitted,
        Self::Approved,
        Self::Rejected,
        Self::Scheduled,
        Self::Published,
        Self::Withdrawn,
        Self::Expired,
    ];

    /// The stable word for it (its serde name too: both are the variant's name
    /// in snake case).
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// A social network the group posts to.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, strum::IntoStaticStr,
)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum Network {
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

impl Network {
    /// Every network.
    pub const ALL: [Self; 5] = [Self::Mastodon, Self::Bluesky, Self::X, Self::Facebook, Self::Linkedin];

    /// The stable word for it (its serde name too: both are the variant's name
    /// in snake case).
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// Parses the name back.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|n| n.as_str() == name)
    }
}

/// Why a piece of publication content was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ContentError {
    /// A text field's problem.
    #[error(transparent)]
    Text(#[from] TextError),
    /// A slug with characters other than lowercase letters, digits and hyphens.
    #[error(
        "a slug is 1 to 100 lowercase letters, digits and single hyphens, not starting or ending with one"
    )]
    BadSlug,
    /// An image URL that is neither absolute http(s) nor a site path.
    #[error("an image is an http(s) URL or a path starting with /, without spaces, up to 2,000 characters")]
    BadImageUrl,
    /// A URL that is not absolute http(s).
    #[error("must be an absolute http(s) URL without spaces, up to 2,000 characters")]
    BadUrl,
    /// Too many tags.
    #[error("at most {0} tags")]
    TooManyTags(usize),
}

/// The longest slug.
pub const SLUG_MAX: usize = 100;
/// [`Slug::parse`]'s rule as a regular expression (with [`SLUG_MAX`]).
pub const SLUG_PATTERN: &str = "^[a-z0-9]+(-[a-z0-9]+)*$";

/// The longest image URL, as sent (before trimming).
pub const IMAGE_URL_MAX: usize = 2_000;
/// [`ImageRef::parse`]'s rule for the URL as a regular expression (with
/// [`IMAGE_URL_MAX`]): an absolute http(s) URL with no white space or control
/// characters, or a path on the site (one `/`, then no white space), white
/// space around it allowed (it is trimmed).
pub const IMAGE_URL_PATTERN: &str = concat!(
    r"^[\t\n\u000B\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*",
    r"(https?://[^/\u0000-\u0020\u007F-\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]",
    r"[^\u0000-\u0020\u007F-\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*",
    r"|/([^/\t\n\u000B\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]",
    r"[^\t\n\u000B\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*)?)",
    r"[\t\n\u000B\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"
);

/// A URL-safe name for the publication's page, e.g. `library-saved`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Slug(String);

impl Slug {
    /// Checks `raw` is 1 to 100 of `[a-z0-9-]`, without leading, trailing or double hyphens.
    pub fn parse(raw: &str) -> Result<Self, ContentError> {
        let well_formed = (1..=SLUG_MAX).contains(&raw.len())
            && raw.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !raw.starts_with('-')
            && !raw.ends_with('-')
            && !raw.contains("--");
        if well_formed { Ok(Self(raw.to_owned())) } else { Err(ContentError::BadSlug) }
    }

    /// A slug made from a title: ASCII letters and digits kept (lowercased),
    /// everything else a single hyphen. `None` when nothing is left.
    pub fn from_title(title: &str) -> Option<Self> {
        let mut slug = String::new();
        for c in title.chars() {
            if c.is_ascii_alphanumeric() {
                if slug.len() >= 100 {
                    break;
                }
                slug.push(c.to_ascii_lowercase());
            } else if !slug.is_empty() && !slug.ends_with('-') {
                slug.push('-');
            }
        }
        Self::parse(slug.trim_end_matches('-')).ok()
    }

    /// The slug.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An image to show with the publication, with its alternative text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageRef {
    /// An absolute http(s) URL, or a path on the site (`/images/library.jpg`).
    pub url: String,
    /// What the image shows, for screen readers (required).
    pub alt: String,
}

impl ImageRef {
    /// Checks the URL's form and that the alternative text is present.
    pub fn parse(url: &str, alt: &str) -> Result<Self, ContentError> {
        let sent = url.chars().count();
        let url = url.trim();
        let absolute = is_http_url(url);
        let site_path = url.starts_with('/') && !url.starts_with("//");
        if sent > IMAGE_URL_MAX || !(absolute || site_path) || url.chars().any(char::is_whitespace) {
            return Err(ContentError::BadImageUrl);
        }
        let alt = BoundedText::<300>::parse(alt)?;
        Ok(Self { url: url.to_owned(), alt: alt.to_string() })
    }
}

/// Whether `url` is an absolute http(s) URL without whitespace, up to 2,000 characters.
pub fn is_http_url(url: &str) -> bool {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    rest.is_some_and(|r| !r.is_empty() && !r.starts_with('/'))
        && url.chars().count() <= 2_000
        && !url.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// A summary: up to 500 characters (it becomes the page's description).
pub type Summary = BoundedText<500>;
/// A tag: up to 50 characters.
pub type Tag = BoundedText<50>;
/// The most tags a publication carries.
pub const MAX_TAGS: usize = 20;

/// Checks and normalises tags: trimmed, non-empty, deduplicated in order.
pub fn parse_tags(raw: &[String]) -> Result<Vec<String>, ContentError> {
    if raw.len() > MAX_TAGS {
        return Err(ContentError::TooManyTags(MAX_TAGS));
    }
    let mut tags: Vec<String> = Vec::with_capacity(raw.len());
    for tag in raw {
        let tag = Tag::parse(tag)?.to_string();
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    Ok(tags)
}

/// A social post's text for one network: trimmed, non-empty, without control
/// characters. Its length is checked against the network at submission.
pub fn parse_social_text(raw: &str) -> Result<String, ContentError> {
    Ok(BoundedText::<100_000>::parse(raw)?.to_string())
}

/// The editable content of a publication, already checked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicationContent {
    /// The headline.
    pub title: Title,
    /// A short summary (the page's description); empty when none.
    #[serde(default)]
    pub summary: Option<Summary>,
    /// The body, in Markdown; required for every kind but social posts at submission.
    #[serde(default)]
    pub body_markdown: Option<LongText>,
    /// The page's URL name.
    pub slug: Slug,
    /// Tags, in order.
    #[serde(default)]
    pub tags: Vec<String>,
    /// An image.
    #[serde(default)]
    pub image: Option<ImageRef>,
    /// The text to post on each network.
    #[serde(default)]
    pub social_text: BTreeMap<Network, String>,
    /// When the author wants it out: approval after this time is too late.
    #[serde(default)]
    pub publish_at: Option<DateTime<Utc>>,
}

/// Who wrote a publication.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Author {
    /// The token subject that created it: that caller may never approve it.
    pub subject: String,
    /// The byline.
    pub name: Title,
    /// The member it is by, when the author is a councillor.
    #[serde(default)]
    pub member_id: Option<Uuid>,
}

/// Who decided, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    /// The caller's token subject.
    pub by: String,
    /// When.
    pub at: DateTime<Utc>,
    /// The note (a rejection) or reason (a withdrawal); none for an approval.
    #[serde(default)]
    pub note: Option<Note>,
}

/// A record that something made the publication public somewhere.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    /// `website` or a network's name.
    pub channel: String,
    /// Where it can be seen.
    pub url: String,
    /// When it went out.
    pub at: DateTime<Utc>,
}

/// Where one network's delivery stands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum DeliveryState {
    /// Queued: waiting for its time and a claim.
    #[default]
    Pending,
    /// Claimed by a publisher process, which is posting it.
    InFlight,
    /// Posted.
    Delivered,
    /// The last attempt failed; it may be claimed again from `retry_at`.
    Failed,
}

impl DeliveryState {
    /// The stable word for it (its serde name too: both are the variant's name
    /// in snake case).
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// One network's delivery of a social text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    /// Where it stands.
    pub state: DeliveryState,
    /// How many claims so far.
    pub attempts: u32,
    /// When the current or last claim was made.
    pub claimed_at: Option<DateTime<Utc>>,
    /// The network's id for the post, once delivered.
    pub external_id: Option<String>,
    /// The post's URL, once delivered.
    pub url: Option<String>,
    /// When it was delivered.
    pub delivered_at: Option<DateTime<Utc>>,
    /// The last failure's message.
    pub last_error: Option<String>,
    /// When a failed delivery may be claimed again.
    pub retry_at: Option<DateTime<Utc>>,
}

impl Delivery {
    /// Whether a publisher may claim it at `now` (the publication being live):
    /// pending, failed with its retry time reached, or in flight with its claim
    /// older than [`CLAIM_LEASE`].
    pub fn is_claimable_at(&self, now: DateTime<Utc>) -> bool {
        match self.state {
            DeliveryState::Pending => true,
            DeliveryState::Failed => self.retry_at.is_none_or(|retry| retry <= now),
            DeliveryState::InFlight => self.claimed_at.is_none_or(|claimed| claimed + CLAIM_LEASE <= now),
            DeliveryState::Delivered => false,
        }
    }
}

/// A publication (press release, news article, web page, social post or
/// newsletter), as its events have built it.
///
/// Classification: a publication is `public` exactly while it is
/// `scheduled` or `published`, and `group` in every other state (draft,
/// submitted, expired, approved but unscheduled, rejected, withdrawn). So the
/// publisher, which reads only `public` records, never sees content that was
/// not approved, and a withdrawal takes the record out of its sight, so the
/// next build drops the page. A scheduled publication is `public` before its
/// time so that the publisher can find it when the time comes: readers of
/// public records must still ask [`Publication::is_live_at`] before showing
/// it (an embargoed press release is scheduled, not yet live).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Publication {
    group_id: Option<GroupId>,
    kind: Option<PublicationKind>,
    status: Option<PublicationStatus>,
    content: Option<PublicationContent>,
    author: Option<Author>,
    publish_at: Option<DateTime<Utc>>,
    created_at: Option<DateTime<Utc>>,
    submitted_at: Option<DateTime<Utc>>,
    approval: Option<Verdict>,
    rejection: Option<Verdict>,
    withdrawal: Option<Verdict>,
    published_at: Option<DateTime<Utc>>,
    updated_at: Option<DateTime<Utc>>,
    receipts: Vec<Receipt>,
    deliveries: BTreeMap<Network, Delivery>,
}

/// Why a publication command was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PublicationError {
    /// The publication exists already.
    #[error("this publication has already been created")]
    AlreadyCreated,
    /// The publication does not exist.
    #[error("no such publication")]
    NotCreated,
    /// The workflow does not allow the step from the current status.
    #[error("cannot {action} a publication that is {status}")]
    WrongStatus {
        /// The step asked for.
        action: &'static str,
        /// The current status.
        status: &'static str,
    },
    /// Approval after the requested publish time.
    #[error(
        "this submission has expired: it was not approved before its requested publish time {publish_at}; \
         reject it so the author can revise it"
    )]
    Expired {
        /// The requested publish time.
        publish_at: DateTime<Utc>,
    },
    /// The author asked to approve their own publication.
    #[error("the author of a publication may not approve it: another Leader or Group Officer must")]
    AuthorCannotApprove,
    /// Submitting with a requested publish time already passed.
    #[error("the requested publish time {publish_at} has already passed; edit it before submitting")]
    PublishTimePassed {
        /// The requested time.
        publish_at: DateTime<Utc>,
    },
    /// A social post without any network's text.
    #[error("a social post needs text for at least one network")]
    NoSocialText,
    /// A kind that needs a body, without one.
    #[error("a {0} needs a body before it is submitted")]
    MissingBody(&'static str),
    /// One or more social texts over their network's limit.
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    SocialTextTooLong(Vec<OverLimit>),
    /// A receipt or claim before the publication is live.
    #[error("this publication is not live: it is {status}{}", .publish_at.map(|t| format!(" and due at {t}")).unwrap_or_default())]
    NotLive {
        /// The current status.
        status: &'static str,
        /// When it is due.
        publish_at: Option<DateTime<Utc>>,
    },
    /// A receipt channel that is neither the website nor a network.
    #[error("a receipt's channel is `website` or a network: mastodon, bluesky, x, facebook, linkedin")]
    UnknownChannel,
    /// A receipt or outcome URL that is not absolute http(s).
    #[error("the url must be an absolute http(s) URL")]
    BadUrl,
    /// A claim or outcome for a network the publication has no text for.
    #[error("this publication has no {} text to deliver", .0.as_str())]
    NoTextFor(Network),
    /// A claim of a delivery another process is making.
    #[error("the {} delivery is in flight (attempt {attempt}, claimed at {claimed_at})", .network.as_str())]
    DeliveryInFlight {
        /// The network.
        network: Network,
        /// The attempt in flight.
        attempt: u32,
        /// When it was claimed.
        claimed_at: DateTime<Utc>,
    },
    /// A claim or outcome of a delivery already made.
    #[error("the {} delivery has already been made", .0.as_str())]
    AlreadyDelivered(Network),
    /// A claim of a failed delivery before its retry time.
    #[error("the {} delivery may be retried from {retry_at}", .network.as_str())]
    RetryNotYet {
        /// The network.
        network: Network,
        /// When it may be claimed again.
        retry_at: DateTime<Utc>,
    },
    /// An outcome of a delivery nobody claimed (or an older attempt's).
    #[error("the {} delivery is not claimed by attempt {attempt}", .network.as_str())]
    NotClaimed {
        /// The network.
        network: Network,
        /// The attempt reported.
        attempt: u32,
    },
    /// An outcome with an empty field.
    #[error("{0} must not be empty")]
    EmptyOutcome(&'static str),
}

impl DomainError for PublicationError {
    fn refusal(&self) -> Refusal {
        match self {
            Self::NotCreated => Refusal::NotFound,
            Self::AuthorCannotApprove => Refusal::Forbidden,
            Self::AlreadyCreated
            | Self::WrongStatus { .. }
            | Self::Expired { .. }
            | Self::NotLive { .. }
            | Self::DeliveryInFlight { .. }
            | Self::AlreadyDelivered(_)
            | Self::RetryNotYet { .. }
            | Self::NotClaimed { .. } => Refusal::Conflict,
            Self::PublishTimePassed { .. }
            | Self::NoSocialText
            | Self::MissingBody(_)
            | Self::SocialTextTooLong(_)
            | Self::UnknownChannel
            | Self::BadUrl
            | Self::NoTextFor(_)
            | Self::EmptyOutcome(_) => Refusal::Invalid,
        }
    }

    fn fields(&self) -> Vec<(String, String)> {
        match self {
            Self::SocialTextTooLong(over) => {
                over.iter().map(|o| (format!("/social_text/{}", o.network.as_str()), o.to_string())).collect()
            }
            Self::NoSocialText => vec![("/social_text".to_owned(), self.to_string())],
            Self::MissingBody(_) => vec![("/body_markdown".to_owned(), self.to_string())],
            Self::PublishTimePassed { .. } => vec![("/publish_at".to_owned(), self.to_string())],
            _ => Vec::new(),
        }
    }
}

impl Publication {
    /// What kind of publication; `None` before it is drafted.
    pub fn kind(&self) -> Option<PublicationKind> {
        self.kind
    }

    fn content_str(&self, pick: impl Fn(&PublicationContent) -> Option<&str>) -> &str {
        self.content.as_ref().and_then(pick).unwrap_or("")
    }

    /// The headline.
    pub fn title(&self) -> &str {
        self.content_str(|c| Some(c.title.as_str()))
    }

    /// The summary; empty when none.
    pub fn summary(&self) -> &str {
        self.content_str(|c| c.summary.as_ref().map(|s| s.as_str()))
    }

    /// The body in Markdown (unsanitised: render it through a sanitiser).
    pub fn body_markdown(&self) -> &str {
        self.content_str(|c| c.body_markdown.as_ref().map(|b| b.as_str()))
    }

    /// The page's URL name.
    pub fn slug(&self) -> &str {
        self.content_str(|c| Some(c.slug.as_str()))
    }

    /// Tags, in order.
    pub fn tags(&self) -> &[String] {
        self.content.as_ref().map_or(&[], |c| &c.tags)
    }

    /// The image, if any.
    pub fn image(&self) -> Option<&ImageRef> {
        self.content.as_ref().and_then(|c| c.image.as_ref())
    }

    /// The byline.
    pub fn author_name(&self) -> &str {
        self.author.as_ref().map_or("", |a| a.name.as_str())
    }

    /// The member the publication is by, if any.
    pub fn author_member_id(&self) -> Option<Uuid> {
        self.author.as_ref().and_then(|a| a.member_id)
    }

    /// The token subject that created it.
    pub fn author_subject(&self) -> Option<&str> {
        self.author.as_ref().map(|a| a.subject.as_str())
    }

    /// The status as recorded. A submitted publication whose requested time
    /// has passed is still `Submitted` here; [`Self::status_at`] says `Expired`.
    pub fn status(&self) -> PublicationStatus {
        self.status.unwrap_or(PublicationStatus::Draft)
    }

    /// The status at `now`: the recorded one, except that a submission whose
    /// requested publish time has passed is `Expired`.
    pub fn status_at(&self, now: DateTime<Utc>) -> PublicationStatus {
        match self.status() {
            PublicationStatus::Submitted if self.publish_at.is_some_and(|t| t <= now) => {
                PublicationStatus::Expired
            }
            status => status,
        }
    }

    /// When it goes (or went) public: the scheduled time once scheduled, the
    /// author's requested time before that.
    pub fn publish_at(&self) -> Option<DateTime<Utc>> {
        self.publish_at
    }

    /// When its first website receipt says the page went up.
    pub fn published_at(&self) -> Option<DateTime<Utc>> {
        self.published_at
    }

    /// When it was drafted.
    pub fn created_at(&self) -> Option<DateTime<Utc>> {
        self.created_at
    }

    /// When it was last submitted.
    pub fn submitted_at(&self) -> Option<DateTime<Utc>> {
        self.submitted_at
    }

    /// The last event that changed its content or status.
    pub fn updated_at(&self) -> Option<DateTime<Utc>> {
        self.updated_at
    }

    /// Who approved it, and when.
    pub fn approval(&self) -> Option<&Verdict> {
        self.approval.as_ref()
    }

    /// The last rejection, with its note (kept after the item returns to draft).
    pub fn rejection(&self) -> Option<&Verdict> {
        self.rejection.as_ref()
    }

    /// Who withdrew it, when and why.
    pub fn withdrawal(&self) -> Option<&Verdict> {
        self.withdrawal.as_ref()
    }

    /// The text to post on each network.
    pub fn social_text(&self) -> &BTreeMap<Network, String> {
        static EMPTY: BTreeMap<Network, String> = BTreeMap::new();
        self.content.as_ref().map_or(&EMPTY, |c| &c.social_text)
    }

    /// The checked content, once drafted.
    pub fn content(&self) -> Option<&PublicationContent> {
        self.content.as_ref()
    }

    /// True when the public may see it at `now`: scheduled with `publish_at`
    /// reached, or published; never when draft, submitted, expired, approved
    /// but unscheduled, rejected or withdrawn.
    pub fn is_live_at(&self, now: DateTime<Utc>) -> bool {
        match self.status() {
            PublicationStatus::Scheduled => self.publish_at.is_some_and(|t| t <= now),
            PublicationStatus::Published => true,
            _ => false,
        }
    }

    /// Where and when it went out, oldest first.
    pub fn receipts(&self) -> &[Receipt] {
        &self.receipts
    }

    /// Each network's delivery, from the moment it is scheduled.
    pub fn deliveries(&self) -> &BTreeMap<Network, Delivery> {
        &self.deliveries
    }

    /// The networks whose delivery a publisher may claim at `now`.
    pub fn due_deliveries(&self, now: DateTime<Utc>) -> Vec<Network> {
        if !self.is_live_at(now) {
            return Vec::new();
        }
        self.deliveries.iter().filter(|(_, d)| d.is_claimable_at(now)).map(|(n, _)| *n).collect()
    }

    fn wrong(&self, action: &'static str) -> PublicationError {
        if self.status.is_none() {
            PublicationError::NotCreated
        } else {
            PublicationError::WrongStatus { action, status: self.status().as_str() }
        }
    }

    fn require(&self, action: &'static str, allowed: &[PublicationStatus]) -> Result<(), PublicationError> {
        match self.status {
            Some(status) if allowed.contains(&status) => Ok(()),
            _ => Err(self.wrong(action)),
        }
    }

    fn check_submission(&self, limits: &SocialLimits, at: DateTime<Utc>) -> Result<(), PublicationError> {
        let (Some(kind), Some(content)) = (self.kind, &self.content) else {
            return Err(PublicationError::NotCreated);
        };
        if kind == PublicationKind::SocialPost && content.social_text.is_empty() {
            return Err(PublicationError::NoSocialText);
        }
        if kind != PublicationKind::SocialPost && content.body_markdown.is_none() {
            return Err(PublicationError::MissingBody(kind.as_str()));
        }
        let over: Vec<OverLimit> = content
            .social_text
            .iter()
            .filter_map(|(network, text)| social_text::check(*network, text, limits).err())
            .collect();
        if !over.is_empty() {
            return Err(PublicationError::SocialTextTooLong(over));
        }
        if let Some(publish_at) = self.publish_at.filter(|t| *t <= at) {
            return Err(PublicationError::PublishTimePassed { publish_at });
        }
        Ok(())
    }

    fn delivery(&self, network: Network) -> Result<&Delivery, PublicationError> {
        self.deliveries.get(&network).ok_or(PublicationError::NoTextFor(network))
    }

    fn require_live(&self, at: DateTime<Utc>) -> Result<(), PublicationError> {
        if self.status.is_none() {
            return Err(PublicationError::NotCreated);
        }
        if self.is_live_at(at) {
            Ok(())
        } else {
            Err(PublicationError::NotLive {
                status: self.status_at(at).as_str(),
                publish_at: self.publish_at,
            })
        }
    }

    fn receipt(&self, channel: &str, url: &str, at: DateTime<Utc>) -> Vec<PublicationEvent> {
        if self.receipts.iter().any(|r| r.channel == channel && r.url == url) {
            return Vec::new();
        }
        let mut events =
            vec![PublicationEvent::ReceiptRecorded { channel: channel.to_owned(), url: url.to_owned(), at }];
        if channel == WEBSITE && self.status() == PublicationStatus::Scheduled {
            events.push(PublicationEvent::PublicationPublished { at });
        }
        events
    }

    fn decide(&self, command: PublicationCommand) -> Result<Vec<PublicationEvent>, PublicationError> {
        use PublicationStatus::*;
        let event = match command {
            PublicationCommand::DraftPublication { group_id, kind, content, author, at } => {
                if self.status.is_some() {
                    return Err(PublicationError::AlreadyCreated);
                }
                PublicationEvent::PublicationDrafted { group_id, kind, content: *content, author, at }
            }
            PublicationCommand::EditPublication { content, at } => {
                self.require("edit", &[Draft, Rejected])?;
                PublicationEvent::PublicationEdited { content: *content, at }
            }
            PublicationCommand::SubmitPublication { by, limits, at } => {
                self.require("submit", &[Draft])?;
                self.check_submission(&limits, at)?;
                PublicationEvent::PublicationSubmitted { by, at }
            }
            PublicationCommand::ApprovePublication { by, at } => {
                self.require("approve", &[Submitted])?;
                if self.author_subject() == Some(by.as_str()) {
                    return Err(PublicationError::AuthorCannotApprove);
                }
                if let Some(publish_at) = self.publish_at.filter(|t| *t <= at) {
                    return Err(PublicationError::Expired { publish_at });
                }
                PublicationEvent::PublicationApproved { by, at }
            }
            PublicationCommand::RejectPublication { by, note, at } => {
                self.require("reject", &[Submitted])?;
                PublicationEvent::PublicationRejected { by, note, at }
            }
            PublicationCommand::SchedulePublication { by, publish_at, at } => {
                self.require("schedule", &[Approved, Scheduled])?;
                PublicationEvent::PublicationScheduled { by, publish_at, at }
            }
            PublicationCommand::WithdrawPublication { by, reason, at } => {
                self.require("withdraw", &[Approved, Scheduled, Published])?;
                PublicationEvent::PublicationWithdrawn { by, reason, at }
            }
            PublicationCommand::RecordReceipt { channel, url, at } => {
                if channel != WEBSITE && Network::parse(&channel).is_none() {
                    return Err(PublicationError::UnknownChannel);
                }
                if !is_http_url(&url) {
                    return Err(PublicationError::BadUrl);
                }
                if self.receipts.iter().any(|r| r.channel == channel && r.url == url) {
                    return Ok(Vec::new());
                }
                self.require_live(at)?;
                return Ok(self.receipt(&channel, &url, at));
            }
            PublicationCommand::ClaimDelivery { network, at } => {
                let delivery = self.delivery(network)?;
                self.require_live(at)?;
                match delivery.state {
                    DeliveryState::Delivered => return Err(PublicationError::AlreadyDelivered(network)),
                    _ if delivery.is_claimable_at(at) => {}
                    DeliveryState::Failed => {
                        return Err(PublicationError::RetryNotYet {
                            network,
                            retry_at: delivery.retry_at.unwrap_or(at),
                        });
                    }
                    _ => {
                        return Err(PublicationError::DeliveryInFlight {
                            network,
                            attempt: delivery.attempts,
                            claimed_at: delivery.claimed_at.unwrap_or(at),
                        });
                    }
                }
                PublicationEvent::DeliveryClaimed { network, attempt: delivery.attempts + 1, at }
            }
            PublicationCommand::RecordDeliveryOutcome { network, attempt, outcome, at } => {
                let delivery = self.delivery(network)?;
                let current = delivery.attempts;
                match delivery.state {
                    DeliveryState::Delivered => return Err(PublicationError::AlreadyDelivered(network)),
                    DeliveryState::InFlight if attempt.is_none_or(|a| a == current) => {}
                    _ => {
                        return Err(PublicationError::NotClaimed {
                            network,
                            attempt: attempt.unwrap_or(current),
                        });
                    }
                }
                return match outcome {
                    DeliveryOutcome::Delivered { external_id, url } => {
                        if external_id.trim().is_empty() {
                            return Err(PublicationError::EmptyOutcome("external_id"));
                        }
                        if !is_http_url(&url) {
                            return Err(PublicationError::BadUrl);
                        }
                        let mut events = vec![PublicationEvent::DeliverySucceeded {
                            network,
                            attempt: current,
                            external_id,
                            url: url.clone(),
                            at,
                        }];
                        events.extend(self.receipt(network.as_str(), &url, at));
                        Ok(events)
                    }
                    DeliveryOutcome::Failed { error, retry_at } => {
                        if error.trim().is_empty() {
                            return Err(PublicationError::EmptyOutcome("error"));
                        }
                        Ok(vec![PublicationEvent::DeliveryFailed {
                            network,
                            attempt: current,
                            error,
                            retry_at,
                            at,
                        }])
                    }
                };
            }
        };
        Ok(vec![event])
    }
}

impl Aggregate for Publication {
    const TYPE: &'static str = TYPE;
    type Command = PublicationCommand;
    type Event = PublicationEvent;
    type Error = PublicationError;
    type Services = ();

    async fn handle(
        &mut self,
        command: Self::Command,
        _services: &Self::Services,
        sink: &EventSink<Self>,
    ) -> Result<(), Self::Error> {
        for event in self.decide(command)? {
            sink.write(event, self).await;
        }
        Ok(())
    }

    fn apply(&mut self, event: Self::Event) {
        use PublicationStatus::*;
        match event {
            PublicationEvent::PublicationDrafted { group_id, kind, content, author, at } => {
                self.group_id = Some(group_id);
                self.kind = Some(kind);
                self.status = Some(Draft);
                self.publish_at = content.publish_at;
                self.content = Some(content);
                self.author = Some(author);
                self.created_at = Some(at);
                self.updated_at = Some(at);
            }
            PublicationEvent::PublicationEdited { content, at } => {
                self.status = Some(Draft);
                self.publish_at = content.publish_at;
                self.content = Some(content);
                self.updated_at = Some(at);
            }
            PublicationEvent::PublicationSubmitted { at, .. } => {
                self.status = Some(Submitted);
                self.submitted_at = Some(at);
                self.updated_at = Some(at);
            }
            PublicationEvent::PublicationApproved { by, at } => {
                self.status = Some(Approved);
                self.approval = Some(Verdict { by, at, note: None });
                self.updated_at = Some(at);
            }
            PublicationEvent::PublicationRejected { by, note, at } => {
                self.status = Some(Rejected);
                self.rejection = Some(Verdict { by, at, note: Some(note) });
                self.updated_at = Some(at);
            }
            PublicationEvent::PublicationScheduled { publish_at, at, .. } => {
                self.status = Some(Scheduled);
                self.publish_at = Some(publish_at);
                let networks: Vec<Network> = self
                    .content
                    .as_ref()
                    .map(|c| c.social_text.keys().copied().collect())
                    .unwrap_or_default();
                for network in networks {
                    self.deliveries.entry(network).or_default();
                }
                self.updated_at = Some(at);
            }
            PublicationEvent::PublicationPublished { at } => {
                self.status = Some(Published);
                self.published_at.get_or_insert(at);
                self.updated_at = Some(at);
            }
            PublicationEvent::PublicationWithdrawn { by, reason, at } => {
                self.status = Some(Withdrawn);
                self.withdrawal = Some(Verdict { by, at, note: Some(reason) });
                self.updated_at = Some(at);
            }
            PublicationEvent::ReceiptRecorded { channel, url, at } => {
                self.receipts.push(Receipt { channel, url, at });
            }
            PublicationEvent::DeliveryClaimed { network, attempt, at } => {
                let delivery = self.deliveries.entry(network).or_default();
                delivery.state = DeliveryState::InFlight;
                delivery.attempts = attempt;
                delivery.claimed_at = Some(at);
            }
            PublicationEvent::DeliverySucceeded { network, external_id, url, at, .. } => {
                let delivery = self.deliveries.entry(network).or_default();
                delivery.state = DeliveryState::Delivered;
                delivery.external_id = Some(external_id);
                delivery.url = Some(url);
                delivery.delivered_at = Some(at);
                delivery.retry_at = None;
            }
            PublicationEvent::DeliveryFailed { network, error, retry_at, .. } => {
                let delivery = self.deliveries.entry(network).or_default();
                delivery.state = DeliveryState::Failed;
                delivery.last_error = Some(error);
                delivery.retry_at = Some(retry_at);
            }
        }
    }
}

impl Record for Publication {
    fn group_id(&self) -> Option<&GroupId> {
        self.group_id.as_ref()
    }

    /// `public` while scheduled or published, `group` otherwise: see the type's documentation.
    fn classification(&self) -> Classification {
        match self.status {
            Some(PublicationStatus::Scheduled | PublicationStatus::Published) => Classification::Public,
            _ => Classification::Group,
        }
    }

    fn status(&self) -> &'static str {
        self.status().as_str()
    }

    fn index(&self) -> RecordIndex {
        let owed = self.deliveries.values().any(|d| d.state != DeliveryState::Delivered);
        RecordIndex {
            member_id: self.author_member_id(),
            due_on: self.publish_at.map(|t| t.date_naive()),
            tags: if owed { vec![owed_deliveries_tag()] } else { Vec::new() },
            ..RecordIndex::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use cqrs_es::test::TestFramework;

    use super::*;

    type PublicationTest = TestFramework<Publication>;

    const AUTHOR: &str = "assistant-1";
    const LEADER: &str = "leader-1";

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().expect("test time")
    }

    fn note(s: &str) -> Note {
        Note::parse(s).expect("note")
    }

    fn content(publish_at: Option<&str>) -> PublicationContent {
        PublicationContent {
            title: Title::parse("Library saved").expect("title"),
            summary: Some(Summary::parse("The Cabinet drops the closure.").expect("summary")),
            body_markdown: Some(LongText::parse("The **library** stays open.").expect("body")),
            slug: Slug::parse("library-saved").expect("slug"),
            tags: vec!["libraries".into()],
            image: None,
            social_text: BTreeMap::from([
                (
                    Network::Mastodon,
                    "The library stays open! https://newhamlabour.org.uk/news/library-saved".into(),
                ),
                (Network::X, "The library stays open!".into()),
            ]),
            publish_at: publish_at.map(at),
        }
    }

    fn drafted(kind: PublicationKind, publish_at: Option<&str>) -> PublicationEvent {
        PublicationEvent::PublicationDrafted {
            group_id: GroupId::parse("newham-labour").expect("group"),
            kind,
            content: content(publish_at),
            author: Author {
                subject: AUTHOR.into(),
                name: Title::parse("Newham Labour Group").expect("name"),
                member_id: None,
            },
            at: at("2026-03-01T09:00:00Z"),
        }
    }

    fn submitted() -> PublicationEvent {
        PublicationEvent::PublicationSubmitted { by: AUTHOR.into(), at: at("2026-03-01T10:00:00Z") }
    }

    fn approved() -> PublicationEvent {
        PublicationEvent::PublicationApproved { by: LEADER.into(), at: at("2026-03-01T11:00:00Z") }
    }

    fn scheduled(publish_at: &str) -> PublicationEvent {
        PublicationEvent::PublicationScheduled {
            by: AUTHOR.into(),
            publish_at: at(publish_at),
            at: at("2026-03-01T12:00:00Z"),
        }
    }

    fn through_scheduling() -> Vec<PublicationEvent> {
        vec![
            drafted(PublicationKind::PressRelease, Some("2026-03-02T09:00:00Z")),
            submitted(),
            approved(),
            scheduled("2026-03-02T09:00:00Z"),
        ]
    }

    fn state(events: Vec<PublicationEvent>) -> Publication {
        let mut publication = Publication::default();
        for event in events {
            publication.apply(event);
        }
        publication
    }

    #[test]
    fn drafting_records_the_content_and_author() {
        PublicationTest::with(())
            .given_no_previous_events()
            .when(PublicationCommand::DraftPublication {
                group_id: GroupId::parse("newham-labour").expect("group"),
                kind: PublicationKind::PressRelease,
                content: Box::new(content(Some("2026-03-02T09:00:00Z"))),
                author: Author {
                    subject: AUTHOR.into(),
                    name: Title::parse("Newham Labour Group").expect("name"),
                    member_id: None,
                },
                at: at("2026-03-01T09:00:00Z"),
            })
            .then_expect_events(vec![drafted(PublicationKind::PressRelease, Some("2026-03-02T09:00:00Z"))]);
    }

    #[test]
    fn a_draft_is_group_only_and_not_live() {
        let draft = state(vec![drafted(PublicationKind::NewsArticle, None)]);
        assert_eq!(draft.status(), PublicationStatus::Draft);
        assert_eq!(Record::classification(&draft), Classification::Group);
        assert!(!draft.is_live_at(at("2030-01-01T00:00:00Z")));
        assert_eq!(draft.title(), "Library saved");
        assert_eq!(draft.slug(), "library-saved");
    }

    #[test]
    fn the_author_may_not_approve_their_own_publication() {
        PublicationTest::with(())
            .given(vec![drafted(PublicationKind::PressRelease, None), submitted()])
            .when(PublicationCommand::ApprovePublication {
                by: AUTHOR.into(),
                at: at("2026-03-01T11:00:00Z"),
            })
            .then_expect_error(PublicationError::AuthorCannotApprove);
    }

    #[test]
    fn another_approver_may_approve() {
        PublicationTest::with(())
            .given(vec![drafted(PublicationKind::PressRelease, Some("2026-03-02T09:00:00Z")), submitted()])
            .when(PublicationCommand::ApprovePublication {
                by: LEADER.into(),
                at: at("2026-03-01T11:00:00Z"),
            })
            .then_expect_events(vec![approved()]);
    }

    #[test]
    fn approving_after_the_requested_time_is_refused_as_expired() {
        let events = vec![drafted(PublicationKind::PressRelease, Some("2026-03-02T09:00:00Z")), submitted()];
        assert_eq!(state(events.clone()).status_at(at("2026-03-02T09:00:00Z")), PublicationStatus::Expired);
        assert_eq!(state(events.clone()).status_at(at("2026-03-02T08:59:59Z")), PublicationStatus::Submitted);
        PublicationTest::with(())
            .given(events)
            .when(PublicationCommand::ApprovePublication {
                by: LEADER.into(),
                at: at("2026-03-02T09:30:00Z"),
            })
            .then_expect_error(PublicationError::Expired { publish_at: at("2026-03-02T09:00:00Z") });
    }

    #[test]
    fn an_expired_submission_can_be_rejected_and_revised() {
        let rejected = PublicationEvent::PublicationRejected {
            by: LEADER.into(),
            note: note("Too late; re-date it."),
            at: at("2026-03-03T09:00:00Z"),
        };
        PublicationTest::with(())
            .given(vec![drafted(PublicationKind::PressRelease, Some("2026-03-02T09:00:00Z")), submitted()])
            .when(PublicationCommand::RejectPublication {
                by: LEADER.into(),
                note: note("Too late; re-date it."),
                at: at("2026-03-03T09:00:00Z"),
            })
            .then_expect_events(vec![rejected.clone()]);
        let mut revised = state(vec![
            drafted(PublicationKind::PressRelease, Some("2026-03-02T09:00:00Z")),
            submitted(),
            rejected,
        ]);
        revised.apply(PublicationEvent::PublicationEdited {
            content: content(Some("2026-03-10T09:00:00Z")),
            at: at("2026-03-03T10:00:00Z"),
        });
        assert_eq!(revised.status(), PublicationStatus::Draft);
        assert_eq!(
            revised.rejection().and_then(|r| r.note.as_ref()).map(|n| n.as_str()),
            Some("Too late; re-date it.")
        );
    }

    #[test]
    fn content_is_editable_only_in_draft_or_rejected() {
        PublicationTest::with(())
            .given(vec![drafted(PublicationKind::PressRelease, None), submitted()])
            .when(PublicationCommand::EditPublication {
                content: Box::new(content(None)),
                at: at("2026-03-01T10:30:00Z"),
            })
            .then_expect_error(PublicationError::WrongStatus { action: "edit", status: "submitted" });
    }

    #[test]
    fn submission_checks_each_networks_limit_and_names_the_overrun() {
        let mut long = content(None);
        long.social_text.insert(Network::X, "a".repeat(290));
        long.social_text.insert(Network::Bluesky, "b".repeat(300));
        let events = vec![
            drafted(PublicationKind::SocialPost, None),
            PublicationEvent::PublicationEdited { content: long, at: at("2026-03-01T09:30:00Z") },
        ];
        let error = state(events.clone())
            .decide(PublicationCommand::SubmitPublication {
                by: AUTHOR.into(),
                limits: SocialLimits::default(),
                at: at("2026-03-01T10:00:00Z"),
            })
            .expect_err("too long");
        assert_eq!(
            error.to_string(),
            "the x text is 10 weighted characters over the limit of 280 (290 counted)"
        );
        assert_eq!(error.fields(), vec![("/social_text/x".to_owned(), error.to_string())]);
        assert_eq!(error.refusal(), Refusal::Invalid);
    }

    #[test]
    fn a_social_post_needs_some_text_and_an_article_a_body() {
        let mut bare = content(None);
        bare.social_text.clear();
        bare.body_markdown = None;
        let submit = PublicationCommand::SubmitPublication {
            by: AUTHOR.into(),
            limits: SocialLimits::default(),
            at: at("2026-03-01T10:00:00Z"),
        };
        let edited = PublicationEvent::PublicationEdited { content: bare, at: at("2026-03-01T09:30:00Z") };
        PublicationTest::with(())
            .given(vec![drafted(PublicationKind::SocialPost, None), edited.clone()])
            .when(submit.clone())
            .then_expect_error(PublicationError::NoSocialText);
        PublicationTest::with(())
            .given(vec![drafted(PublicationKind::NewsArticle, None), edited])
            .when(submit)
            .then_expect_error(PublicationError::MissingBody("news_article"));
    }

    #[test]
    fn submitting_with_a_past_publish_time_is_refused() {
        PublicationTest::with(())
            .given(vec![drafted(PublicationKind::PressRelease, Some("2026-03-01T08:00:00Z"))])
            .when(PublicationCommand::SubmitPublication {
                by: AUTHOR.into(),
                limits: SocialLimits::default(),
                at: at("2026-03-01T10:00:00Z"),
            })
            .then_expect_error(PublicationError::PublishTimePassed {
                publish_at: at("2026-03-01T08:00:00Z"),
            });
    }

    #[test]
    fn a_scheduled_publication_is_public_and_live_from_its_time() {
        let publication = state(through_scheduling());
        assert_eq!(Record::classification(&publication), Classification::Public);
        assert!(!publication.is_live_at(at("2026-03-02T08:59:59Z")), "embargoed until its time");
        assert!(publication.is_live_at(at("2026-03-02T09:00:00Z")));
        assert_eq!(publication.deliveries().len(), 2, "one queued delivery per network with text");
        assert!(publication.due_deliveries(at("2026-03-02T08:00:00Z")).is_empty());
        assert_eq!(
            publication.due_deliveries(at("2026-03-02T09:00:00Z")),
            vec![Network::Mastodon, Network::X]
        );
    }

    #[test]
    fn the_first_website_receipt_publishes_and_repeats_change_nothing() {
        let receipt = PublicationCommand::RecordReceipt {
            channel: WEBSITE.into(),
            url: "https://newhamlabour.org.uk/news/library-saved/".into(),
            at: at("2026-03-02T09:01:00Z"),
        };
        let recorded = PublicationEvent::ReceiptRecorded {
            channel: WEBSITE.into(),
            url: "https://newhamlabour.org.uk/news/library-saved/".into(),
            at: at("2026-03-02T09:01:00Z"),
        };
        let published = PublicationEvent::PublicationPublished { at: at("2026-03-02T09:01:00Z") };
        PublicationTest::with(())
            .given(through_scheduling())
            .when(receipt.clone())
            .then_expect_events(vec![recorded.clone(), published.clone()]);
        let mut events = through_scheduling();
        events.extend([recorded, published]);
        PublicationTest::with(()).given(events.clone()).when(receipt).then_expect_events(vec![]);
        let publication = state(events);
        assert_eq!(publication.status(), PublicationStatus::Published);
        assert_eq!(publication.published_at(), Some(at("2026-03-02T09:01:00Z")));
    }

    #[test]
    fn a_receipt_before_the_publication_is_live_is_refused() {
        PublicationTest::with(())
            .given(through_scheduling())
            .when(PublicationCommand::RecordReceipt {
                channel: WEBSITE.into(),
                url: "https://newhamlabour.org.uk/news/library-saved/".into(),
                at: at("2026-03-02T08:00:00Z"),
            })
            .then_expect_error(PublicationError::NotLive {
                status: "scheduled",
                publish_at: Some(at("2026-03-02T09:00:00Z")),
            });
    }

    #[test]
    fn a_delivery_in_flight_cannot_be_claimed_again_until_its_lease_ends() {
        let mut events = through_scheduling();
        events.push(PublicationEvent::DeliveryClaimed {
            network: Network::X,
            attempt: 1,
            at: at("2026-03-02T09:00:00Z"),
        });
        PublicationTest::with(())
            .given(events.clone())
            .when(PublicationCommand::ClaimDelivery { network: Network::X, at: at("2026-03-02T09:05:00Z") })
            .then_expect_error(PublicationError::DeliveryInFlight {
                network: Network::X,
                attempt: 1,
                claimed_at: at("2026-03-02T09:00:00Z"),
            });
        PublicationTest::with(())
            .given(events)
            .when(PublicationCommand::ClaimDelivery { network: Network::X, at: at("2026-03-02T09:15:00Z") })
            .then_expect_events(vec![PublicationEvent::DeliveryClaimed {
                network: Network::X,
                attempt: 2,
                at: at("2026-03-02T09:15:00Z"),
            }]);
    }

    #[test]
    fn a_delivered_item_records_a_receipt_and_is_never_claimed_again() {
        let mut events = through_scheduling();
        events.push(PublicationEvent::DeliveryClaimed {
            network: Network::X,
            attempt: 1,
            at: at("2026-03-02T09:00:00Z"),
        });
        let url = "https://x.com/newhamlabour/status/1";
        PublicationTest::with(())
            .given(events.clone())
            .when(PublicationCommand::RecordDeliveryOutcome {
                network: Network::X,
                attempt: Some(1),
                outcome: DeliveryOutcome::Delivered { external_id: "1".into(), url: url.into() },
                at: at("2026-03-02T09:00:02Z"),
            })
            .then_expect_events(vec![
                PublicationEvent::DeliverySucceeded {
                    network: Network::X,
                    attempt: 1,
                    external_id: "1".into(),
                    url: url.into(),
                    at: at("2026-03-02T09:00:02Z"),
                },
                PublicationEvent::ReceiptRecorded {
                    channel: "x".into(),
                    url: url.into(),
                    at: at("2026-03-02T09:00:02Z"),
                },
            ]);
        events.push(PublicationEvent::DeliverySucceeded {
            network: Network::X,
            attempt: 1,
            external_id: "1".into(),
            url: url.into(),
            at: at("2026-03-02T09:00:02Z"),
        });
        PublicationTest::with(())
            .given(events)
            .when(PublicationCommand::ClaimDelivery { network: Network::X, at: at("2026-03-03T00:00:00Z") })
            .then_expect_error(PublicationError::AlreadyDelivered(Network::X));
    }

    #[test]
    fn a_publication_is_labelled_as_owing_posts_until_every_network_has_its_own() {
        let mut publication = Publication::default();
        for event in through_scheduling() {
            publication.apply(event);
        }
        let networks: Vec<Network> = publication.deliveries().keys().copied().collect();
        assert!(!networks.is_empty(), "the scheduled publication goes to a network");
        for (n, network) in networks.iter().enumerate() {
            assert_eq!(publication.index().tags, vec![owed_deliveries_tag()], "before {network:?}");
            publication.apply(PublicationEvent::DeliveryClaimed {
                network: *network,
                attempt: 1,
                at: at("2026-03-02T09:00:00Z"),
            });
            publication.apply(PublicationEvent::DeliverySucceeded {
                network: *network,
                attempt: 1,
                external_id: n.to_string(),
                url: format!("https://example.org/{n}"),
                at: at("2026-03-02T09:00:02Z"),
            });
        }
        assert!(publication.index().tags.is_empty(), "nothing owed once every post went out");
    }

    #[test]
    fn a_failed_delivery_waits_for_its_retry_time() {
        let mut events = through_scheduling();
        events.push(PublicationEvent::DeliveryClaimed {
            network: Network::Mastodon,
            attempt: 1,
            at: at("2026-03-02T09:00:00Z"),
        });
        events.push(PublicationEvent::DeliveryFailed {
            network: Network::Mastodon,
            attempt: 1,
            error: "503 from the instance".into(),
            retry_at: at("2026-03-02T09:10:00Z"),
            at: at("2026-03-02T09:00:01Z"),
        });
        PublicationTest::with(())
            .given(events.clone())
            .when(PublicationCommand::ClaimDelivery {
                network: Network::Mastodon,
                at: at("2026-03-02T09:05:00Z"),
            })
            .then_expect_error(PublicationError::RetryNotYet {
                network: Network::Mastodon,
                retry_at: at("2026-03-02T09:10:00Z"),
            });
        PublicationTest::with(())
            .given(events)
            .when(PublicationCommand::ClaimDelivery {
                network: Network::Mastodon,
                at: at("2026-03-02T09:10:00Z"),
            })
            .then_expect_events(vec![PublicationEvent::DeliveryClaimed {
                network: Network::Mastodon,
                attempt: 2,
                at: at("2026-03-02T09:10:00Z"),
            }]);
    }

    #[test]
    fn an_outcome_from_a_superseded_attempt_is_refused() {
        let mut events = through_scheduling();
        events.push(PublicationEvent::DeliveryClaimed {
            network: Network::X,
            attempt: 1,
            at: at("2026-03-02T09:00:00Z"),
        });
        events.push(PublicationEvent::DeliveryClaimed {
            network: Network::X,
            attempt: 2,
            at: at("2026-03-02T09:20:00Z"),
        });
        PublicationTest::with(())
            .given(events)
            .when(PublicationCommand::RecordDeliveryOutcome {
                network: Network::X,
                attempt: Some(1),
                outcome: DeliveryOutcome::Failed {
                    error: "timeout".into(),
                    retry_at: at("2026-03-02T09:30:00Z"),
                },
                at: at("2026-03-02T09:21:00Z"),
            })
            .then_expect_error(PublicationError::NotClaimed { network: Network::X, attempt: 1 });
    }

    #[test]
    fn withdrawing_takes_it_out_of_public_sight() {
        let mut events = through_scheduling();
        events.push(PublicationEvent::PublicationWithdrawn {
            by: LEADER.into(),
            reason: note("Superseded by events"),
            at: at("2026-03-05T09:00:00Z"),
        });
        let publication = state(events);
        assert_eq!(publication.status(), PublicationStatus::Withdrawn);
        assert_eq!(Record::classification(&publication), Classification::Group);
        assert!(!publication.is_live_at(at("2026-03-06T00:00:00Z")));
        assert!(publication.due_deliveries(at("2026-03-06T00:00:00Z")).is_empty());
    }

    #[test]
    fn a_draft_cannot_be_withdrawn_or_scheduled() {
        PublicationTest::with(())
            .given(vec![drafted(PublicationKind::WebPage, None)])
            .when(PublicationCommand::SchedulePublication {
                by: LEADER.into(),
                publish_at: at("2026-03-02T09:00:00Z"),
                at: at("2026-03-01T10:00:00Z"),
            })
            .then_expect_error(PublicationError::WrongStatus { action: "schedule", status: "draft" });
    }

    #[test]
    fn state_round_trips_through_json_with_network_keys() {
        let publication = state(through_scheduling());
        let json = serde_json::to_string(&publication).expect("json");
        assert!(json.contains("\"mastodon\":"), "{json}");
        let back: Publication = serde_json::from_str(&json).expect("parse");
        assert_eq!(back, publication);
    }

    #[test]
    fn slugs_are_checked_and_derived_from_titles() {
        assert!(Slug::parse("library-saved").is_ok());
        for bad in ["", "Library", "a--b", "-a", "a-", "a b"] {
            assert_eq!(Slug::parse(bad), Err(ContentError::BadSlug), "{bad:?}");
        }
        assert_eq!(
            Slug::from_title("Library saved: Cabinet U-turn!").map(|s| s.as_str().to_owned()),
            Some("library-saved-cabinet-u-turn".into())
        );
        assert_eq!(Slug::from_title("図書館"), None);
    }

    #[test]
    fn images_need_a_url_and_alt_text() {
        assert!(ImageRef::parse("/images/library.jpg", "The library's front door").is_ok());
        assert!(ImageRef::parse("https://cdn.example/l.jpg", "Library").is_ok());
        assert_eq!(ImageRef::parse("javascript:alert(1)", "x"), Err(ContentError::BadImageUrl));
        assert_eq!(ImageRef::parse("/a.jpg", "  "), Err(ContentError::Text(TextError::Empty)));
    }
}
