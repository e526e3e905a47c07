//! Mastodon: `POST /api/v1/statuses` with the account's token.
//!
//! Every attempt of one post sends the same `Idempotency-Key`; Mastodon keeps
//! a key for an hour and answers a repeat with the status it already made, so
//! a retry after a timeout or a crash between posting and recording does not
//! post twice as long as it comes within that hour.

use serde::Deserialize;
use serde_json::json;

use super::{
    config::Secret,
    connector::{Delivered, DeliveryError, Post, base_url},
};

/// The group's Mastodon account.
#[derive(Debug, Clone)]
pub struct Mastodon {
    http: reqwest::Client,
    instance: String,
    token: Secret,
}

#[derive(Deserialize)]
struct Status {
    id: String,
    url: Option<String>,
    uri: Option<String>,
}

#[derive(Deserialize)]
struct Refusal {
    error: Option<String>,
}

impl Mastodon {
    /// A connector posting to `instance_url` with `token`.
    pub fn new(http: reqwest::Client, instance_url: &str, token: Secret) -> anyhow::Result<Self> {
        Ok(Self { http, instance: base_url("[mastodon] instance_url", instance_url)?, token })
    }

    /// Posts a public status.
    pub async fn deliver(&self, post: &Post) -> Result<Delivered, DeliveryError> {
        let response = self
            .http
            .post(format!("{}/api/v1/statuses", self.instance))
            .bearer_auth(self.token.expose())
            .header("Idempotency-Key", post.idempotency_key())
            .json(&json!({"status": post.text, "visibility": "public"}))
            .send()
            .await
            .map_err(|e| DeliveryError::transport("mastodon", &e))?;
        let status = response.status();
        if !status.is_success() {
            let detail = response.json::<Refusal>().await.ok().and_then(|r| r.error);
            return Err(DeliveryError::status("mastodon", status, detail));
        }
        let created: Status = response.json().await.map_err(|e| DeliveryError::transport("mastodon", &e))?;
        // `url` is the HTML page; `uri` (the ActivityPub id) when an instance omits it.
        let url = created.url.or(created.uri).ok_or_else(|| {
            DeliveryError(format!("mastodon: status {} was created without a URL", created.id))
        })?;
        Ok(Delivered { external_id: created.id, url })
    }
}
