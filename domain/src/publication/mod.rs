//! Publications: press releases, news articles, web pages, social posts and
//! newsletters. Nothing goes out in the group's name without approval:
//! draft -> submitted -> approved or rejected (with a note) -> scheduled ->
//! published (when the publisher's website receipt arrives) -> withdrawn.
//! The Leader or a Group Officer approves, never the author; a submission not
//! approved before its requested publish time expires. Social texts are
//! checked against each network's limit at submission ([`social_text`]).
//! What went out, where and when, comes back as receipts and per-network
//! deliveries, so no social post is delivered twice.

mod aggregate;
mod commands;
mod events;
pub mod social_text;

pub use aggregate::{
    Author, CLAIM_LEASE, ContentError, Delivery, DeliveryState, IMAGE_URL_MAX, IMAGE_URL_PATTERN, ImageRef,
    MAX_TAGS, Network, Publication, PublicationContent, PublicationError, PublicationKind, PublicationStatus,
    Receipt, SLUG_MAX, SLUG_PATTERN, Slug, Summary, TYPE, Verdict, WEBSITE, is_http_url, owed_deliveries_tag,
    parse_social_text, parse_tags,
};
pub use commands::{DeliveryOutcome, PublicationCommand};
pub use events::PublicationEvent;
pub use social_text::{OverLimit, SocialLimits, length as social_length};
