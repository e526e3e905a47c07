//! Bluesky: `com.atproto.server.createSession` with an app password, then
//! `com.atproto.repo.createRecord` of an `app.bsky.feed.post`.
//!
//! Bluesky has no idempotency key, but the client may choose the record key.
//! Each post's key is made from its publication, network and scheduled time,
//! the same on every attempt, and the connector first asks for a record under
//! that key: a post that went out before a crash or a lost answer is found
//! and reported instead of posted again.

use std::sync::Arc;

use chrono::{SecondsFormat, Utc};
use serde::Deserialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tokio::sync::Mutex;

use super::{
    config::Secret,
    connector::{Delivered, DeliveryError, Post, base_url},
};

const COLLECTION: &str = "app.bsky.feed.post";

/// The group's Bluesky account.
#[derive(Debug, Clone)]
pub struct Bluesky {
    http: reqwest::Client,
    service: String,
    handle: String,
    password: Secret,
    session: Arc<Mutex<Option<Session>>>,
}

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Session {
    access_jwt: String,
    did: String,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session").field("did", &self.did).finish_non_exhaustive()
    }
}

#[derive(Deserialize)]
struct Created {
    uri: String,
}

#[derive(Deserialize)]
struct Existing {
    uri: String,
    value: Value,
}

#[derive(Deserialize)]
struct XrpcError {
    error: Option<String>,
    message: Option<String>,
}

impl XrpcError {
    fn detail(self) -> Option<String> {
        match (self.error, self.message) {
            (Some(e), Some(m)) => Some(format!("{e}: {m}")),
            (e, m) => e.or(m),
        }
    }
}

impl Bluesky {
    /// A connector posting as `handle` through the PDS at `service_url`.
    pub fn new(
        http: reqwest::Client,
        service_url: &str,
        handle: &str,
        password: Secret,
    ) -> anyhow::Result<Self> {
        Ok(Self {
            http,
            service: base_url("[bluesky] service_url", service_url)?,
            handle: handle.trim_start_matches('@').to_owned(),
            password,
            session: Arc::default(),
        })
    }

    /// Posts `post`, or finds it already posted under its record key.
    pub async fn deliver(&self, post: &Post) -> Result<Delivered, DeliveryError> {
        let session = self.session().await?;
        let rkey = record_key(post);
        let result = self.deliver_as(&session, post, &rkey).await;
        if result.is_err() {
            // The session may have expired: the next attempt logs in afresh.
            *self.session.lock().await = None;
        }
        result
    }

    async fn deliver_as(
        &self,
        session: &Session,
        post: &Post,
        rkey: &str,
    ) -> Result<Delivered, DeliveryError> {
        if let Some(existing) = self.existing(session, rkey).await? {
            if existing.value.get("text").and_then(Value::as_str) != Some(post.text.as_str()) {
                return Err(DeliveryError(format!(
                    "bluesky: record {rkey} already holds another post's text; not posting over it"
                )));
            }
            return Ok(self.delivered(existing.uri, rkey));
        }
        let record = json!({
            "$type": COLLECTION,
            "text": post.text,
            "createdAt": Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true),
            "facets": link_facets(&post.text),
        });
        let response = self
            .http
            .post(format!("{}/xrpc/com.atproto.repo.createRecord", self.service))
            .bearer_auth(&session.access_jwt)
            .json(&json!({"repo": session.did, "collection": COLLECTION, "rkey": rkey, "record": record}))
            .send()
            .await
            .map_err(|e| DeliveryError::transport("bluesky createRecord", &e))?;
        let status = response.status();
        if !status.is_success() {
            let detail = response.json::<XrpcError>().await.ok().and_then(XrpcError::detail);
            return Err(DeliveryError::status("bluesky createRecord", status, detail));
        }
        let created: Created =
            response.json().await.map_err(|e| DeliveryError::transport("bluesky createRecord", &e))?;
        Ok(self.delivered(created.uri, rkey))
    }

    fn delivered(&self, uri: String, rkey: &str) -> Delivered {
        Delivered { url: format!("https://bsky.app/profile/{}/post/{rkey}", self.handle), external_id: uri }
    }

    async fn existing(&self, session: &Session, rkey: &str) -> Result<Option<Existing>, DeliveryError> {
        let response = self
            .http
            .get(format!("{}/xrpc/com.atproto.repo.getRecord", self.service))
            .query(&[("repo", session.did.as_str()), ("collection", COLLECTION), ("rkey", rkey)])
            .bearer_auth(&session.access_jwt)
            .send()
            .await
            .map_err(|e| DeliveryError::transport("bluesky getRecord", &e))?;
        let status = response.status();
        if status.is_success() {
            let found =
                response.json().await.map_err(|e| DeliveryError::transport("bluesky getRecord", &e))?;
            return Ok(Some(found));
        }
        let error = response.json::<XrpcError>().await.ok();
        if status == reqwest::StatusCode::BAD_REQUEST
            && error.as_ref().and_then(|e| e.error.as_deref()) == Some("RecordNotFound")
        {
            return Ok(None);
        }
        Err(DeliveryError::status("bluesky getRecord", status, error.and_then(XrpcError::detail)))
    }

    async fn session(&self) -> Result<Session, DeliveryError> {
        let mut cached = self.session.lock().await;
        if let Some(session) = cached.as_ref() {
            return Ok(session.clone());
        }
        let response = self
            .http
            .post(format!("{}/xrpc/com.atproto.server.createSession", self.service))
            .json(&json!({"identifier": self.handle, "password": self.password.expose()}))
            .send()
            .await
            .map_err(|e| DeliveryError::transport("bluesky createSession", &e))?;
        let status = response.status();
        if !status.is_success() {
            let detail = response.json::<XrpcError>().await.ok().and_then(XrpcError::detail);
            return Err(DeliveryError::status("bluesky createSession", status, detail));
        }
        let session: Session =
            response.json().await.map_err(|e| DeliveryError::transport("bluesky createSession", &e))?;
        *cached = Some(session.clone());
        Ok(session)
    }
}

/// A link facet for each URL in `text`, at its UTF-8 byte offsets.
pub fn link_facets(text: &str) -> Vec<Value> {
    let mut finder = linkify::LinkFinder::new();
    finder.kinds(&[linkify::LinkKind::Url]);
    finder
        .links(text)
        .map(|link| {
            json!({
                "index": {"byteStart": link.start(), "byteEnd": link.end()},
                "features": [{"$type": "app.bsky.richtext.facet#link", "uri": link.as_str()}],
            })
        })
        .collect()
}

/// The post's record key: a TID (13 characters of base32-sortable) whose
/// time is the scheduled second plus a fraction, and whose clock id, both
/// taken from a hash of the publication and network, so every attempt
/// uses the same key and two posts almost never share one (and if they did,
/// the text check refuses to report the other's post as this one).
pub fn record_key(post: &Post) -> String {
    let hash = Sha256::new()
        .chain_update(post.publication_id.as_bytes())
        .chain_update(post.network.as_str().as_bytes())
        .finalize();
    let word = |at: usize| u64::from_be_bytes(hash[at..at + 8].try_into().unwrap_or_default());
    let second = post.publish_at.map_or(0, |at| at.timestamp().max(0) as u64);
    let micros = (second * 1_000_000 + word(0) % 1_000_000) & ((1 << 53) - 1);
    let clock = word(8) % 1024;
    encode_tid((micros << 10) | clock)
}

fn encode_tid(mut value: u64) -> String {
    const ALPHABET: &[u8; 32] = b"234567abcdefghijklmnopqrstuvwxyz";
    let mut out = [b'2'; 13];
    for slot in out.iter_mut().rev() {
        *slot = ALPHABET[(value & 31) as usize];
        value >>= 5;
    }
    out.iter().map(|&b| b as char).collect()
}

#[cfg(test)]
mod tests {
    use caucus_api::domain::publication::Network;
    use chrono::TimeZone;
    use uuid::Uuid;

    use super::*;

    fn post(id: Uuid, network: Network) -> Post {
        Post {
            publication_id: id,
            network,
            text: "t".into(),
            publish_at: Some(Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).single().expect("time")),
        }
    }

    #[test]
    fn the_record_key_is_a_tid_stable_per_post_and_distinct_between_posts() {
        let id = Uuid::new_v4();
        let key = record_key(&post(id, Network::Bluesky));
        assert_eq!(key.len(), 13);
        assert!(key.starts_with(|c: char| ('2'..='j').contains(&c)), "{key}: the top bit is zero");
        assert!(key.chars().all(|c| "234567abcdefghijklmnopqrstuvwxyz".contains(c)), "{key}");
        assert_eq!(key, record_key(&post(id, Network::Bluesky)));
        assert_ne!(key, record_key(&post(Uuid::new_v4(), Network::Bluesky)));
        assert_eq!(encode_tid(0), "2222222222222");
    }

    #[test]
    fn links_get_facets_at_byte_offsets() {
        let text = "Café news 📚 https://example.org/a and more";
        let facets = link_facets(text);
        assert_eq!(facets.len(), 1);
        let start = text.find("https").expect("link");
        assert_eq!(facets[0]["index"]["byteStart"], start);
        assert_eq!(facets[0]["index"]["byteEnd"], start + "https://example.org/a".len());
        assert_eq!(facets[0]["features"][0]["uri"], "https://example.org/a");
    }
}
