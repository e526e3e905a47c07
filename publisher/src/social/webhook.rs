//! A generic webhook: the post as JSON, signed with HMAC-SHA256 over the exact
//! body bytes (`X-Caucus-Signature: sha256=<hex>`), with the post's
//! `Idempotency-Key`. The receiver answers 2xx with `{"id": .., "url": ..}`
//! for the post it made; anything else is a failure, retried with the same
//! key, so a receiver that remembers keys never posts twice.

use chrono::{SecondsFormat, Utc};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use super::{
    config::Secret,
    connector::{Delivered, DeliveryError, Post, base_url},
};

/// The signature header.
pub const SIGNATURE_HEADER: &str = "X-Caucus-Signature";

/// A webhook endpoint.
#[derive(Debug, Clone)]
pub struct Webhook {
    http: reqwest::Client,
    url: String,
    key: Secret,
}

/// What the webhook receives.
#[derive(Debug, Serialize)]
struct Payload<'a> {
    publication_id: uuid::Uuid,
    network: &'a str,
    text: &'a str,
    publish_at: Option<String>,
    idempotency_key: String,
    sent_at: String,
}

#[derive(Deserialize)]
struct Answer {
    id: Option<serde_json::Value>,
    url: Option<String>,
}

/// `sha256=<hex>` of the HMAC-SHA256 of `body` under `key`.
pub fn signature(key: &[u8], body: &[u8]) -> String {
    // HMAC takes a key of any length: `new_from_slice` cannot fail for it.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!());
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

impl Webhook {
    /// A connector posting to `url`, signing with `key`.
    pub fn new(http: reqwest::Client, url: &str, key: Secret) -> anyhow::Result<Self> {
        base_url("[webhook] url", url)?;
        Ok(Self { http, url: url.to_owned(), key })
    }

    /// POSTs the post.
    pub async fn deliver(&self, post: &Post) -> Result<Delivered, DeliveryError> {
        let payload = Payload {
            publication_id: post.publication_id,
            network: post.network.as_str(),
            text: &post.text,
            publish_at: post.publish_at.map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true)),
            idempotency_key: post.idempotency_key(),
            sent_at: Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true),
        };
        let body = serde_json::to_vec(&payload).map_err(|e| DeliveryError(format!("webhook: {e}")))?;
        let response = self
            .http
            .post(&self.url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header(SIGNATURE_HEADER, signature(self.key.expose().as_bytes(), &body))
            .header("Idempotency-Key", post.idempotency_key())
            .body(body)
            .send()
            .await
            .map_err(|e| DeliveryError::transport("webhook", &e))?;
        let status = response.status();
        if !status.is_success() {
            return Err(DeliveryError::status("webhook", status, None));
        }
        let answer: Answer = response.json().await.map_err(|e| DeliveryError::transport("webhook", &e))?;
        let id = match answer.id {
            Some(serde_json::Value::String(id)) => Some(id),
            Some(serde_json::Value::Number(n)) => Some(n.to_string()),
            _ => None,
        };
        match (id, answer.url) {
            (Some(external_id), Some(url)) => Ok(Delivered { external_id, url }),
            _ => Err(DeliveryError(format!("webhook: {status} without the post's `id` and `url`"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_rfc_4231_hmac_sha256() {
        // RFC 4231 test case 2.
        assert_eq!(
            signature(b"Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
