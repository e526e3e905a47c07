//! What every connector shares: the post to deliver, what a delivery gives
//! back, and which connector serves which network.

use std::collections::BTreeMap;

use anyhow::bail;
use caucus_api::domain::publication::Network;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{bluesky::Bluesky, mastodon::Mastodon, webhook::Webhook};

/// One network's post of one publication.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Post {
    /// The publication.
    pub publication_id: Uuid,
    /// The network it is for.
    pub network: Network,
    /// The text to post.
    pub text: String,
    /// The publication's scheduled time (Bluesky's record key is made from it).
    pub publish_at: Option<DateTime<Utc>>,
}

impl Post {
    /// The same for every attempt of this post, so a network (or a webhook
    /// receiver) that remembers keys recognises a repeat after a crash or a
    /// timeout: `caucus-<publication id>-<network>`.
    pub fn idempotency_key(&self) -> String {
        format!("caucus-{}-{}", self.publication_id, self.network.as_str())
    }
}

/// A post the network accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivered {
    /// The network's id for it.
    pub external_id: String,
    /// Where it can be seen.
    pub url: String,
}

/// Why a delivery failed. The message is recorded in the api, so it never
/// holds a token or a response body that might echo one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct DeliveryError(pub String);

impl DeliveryError {
    /// A transport error, without the URL's query (reqwest prints the URL).
    pub fn transport(what: &str, error: &reqwest::Error) -> Self {
        let kind = if error.is_timeout() {
            "timed out"
        } else if error.is_connect() {
            "could not connect"
        } else if error.is_decode() {
            "answered with an unreadable body"
        } else {
            "request failed"
        };
        Self(format!("{what}: {kind}"))
    }

    /// A refusal: the status and, when the network says, its short error.
    pub fn status(what: &str, status: reqwest::StatusCode, detail: Option<String>) -> Self {
        match detail {
            Some(detail) => Self(format!("{what}: {status}: {}", truncate(&detail, 200))),
            None => Self(format!("{what}: {status}")),
        }
    }
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        text.chars().take(max).chain(std::iter::once('…')).collect()
    }
}

/// A configured connector.
#[derive(Debug, Clone)]
pub enum Connector {
    /// The Mastodon statuses API.
    Mastodon(Mastodon),
    /// Bluesky's createRecord.
    Bluesky(Bluesky),
    /// A signed JSON POST.
    Webhook(Webhook),
}

impl Connector {
    /// Posts `post`.
    pub async fn deliver(&self, post: &Post) -> Result<Delivered, DeliveryError> {
        match self {
            Self::Mastodon(c) => c.deliver(post).await,
            Self::Bluesky(c) => c.deliver(post).await,
            Self::Webhook(c) => c.deliver(post).await,
        }
    }
}

/// The connector of each configured network.
#[derive(Debug, Clone, Default)]
pub struct Connectors(BTreeMap<Network, Connector>);

impl Connectors {
    /// Adds `network`'s connector; one per network.
    pub fn insert(&mut self, network: Network, connector: Connector) -> anyhow::Result<()> {
        if self.0.contains_key(&network) {
            bail!("two connectors are configured for {}", network.as_str());
        }
        self.0.insert(network, connector);
        Ok(())
    }

    /// `network`'s connector.
    pub fn get(&self, network: Network) -> Option<&Connector> {
        self.0.get(&network)
    }

    /// The networks with a connector.
    pub fn networks(&self) -> impl Iterator<Item = Network> + '_ {
        self.0.keys().copied()
    }
}

/// `base` without a trailing slash, checked to be an http(s) URL.
pub(super) fn base_url(what: &str, base: &str) -> anyhow::Result<String> {
    let parsed =
        reqwest::Url::parse(base).map_err(|e| anyhow::anyhow!("{what}: `{base}` is not a URL: {e}"))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        bail!("{what}: `{base}` is not an http(s) URL");
    }
    Ok(base.trim_end_matches('/').to_owned())
}
