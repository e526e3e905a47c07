//! The api as the publisher uses it, with the publisher-role token: the due
//! social queue, delivery claims and outcomes (dispatching), and the
//! website's receipts (a site build).

use std::time::Duration;

use anyhow::{Context, bail};
use caucus_api::domain::publication::Network;
use chrono::{DateTime, Utc};
use reqwest::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};
use uuid::Uuid;

use super::{
    config::Secret,
    connector::{Delivered, DeliveryError, base_url},
};

/// How many times an outcome is sent before giving up (the answer may be lost).
const OUTCOME_TRIES: u32 = 3;

/// A client of the api, as the publisher.
#[derive(Debug, Clone)]
pub struct ApiClient {
    http: reqwest::Client,
    base: String,
    token: Secret,
}

/// One due item of the social queue.
#[derive(Debug, Clone, Deserialize)]
pub struct QueueItem {
    /// The publication.
    pub publication_id: Uuid,
    /// The network.
    pub network: Network,
    /// The text to post.
    pub text: String,
    /// Its scheduled time.
    pub publish_at: Option<DateTime<Utc>>,
}

#[derive(Deserialize)]
struct Queue {
    items: Vec<QueueItem>,
}

/// What a claim got.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// This process holds the delivery: post it, then record attempt `attempt`.
    Claimed {
        /// The attempt number to report.
        attempt: u32,
    },
    /// 409: another process claimed it, it was delivered, or another write to
    /// the publication came first; the api's explanation.
    Conflict(String),
    /// Any other refusal (the publication was withdrawn, ...).
    Refused(String),
}

/// How one attempt went, as recorded.
#[derive(Debug, Clone)]
pub enum Outcome<'a> {
    /// Posted.
    Delivered(&'a Delivered),
    /// Not posted; may be retried from `retry_at`.
    Failed(&'a DeliveryError, DateTime<Utc>),
}

impl ApiClient {
    /// A client of the api served at `api_url` (its root, e.g.
    /// `https://caucus.example.org`; a trailing `/api/v1` is accepted too).
    pub fn new(api_url: &str, token: Secret, timeout: Duration) -> anyhow::Result<Self> {
        let root = base_url("--api-url", api_url)?;
        let root = root.strip_suffix("/api/v1").unwrap_or(&root);
        let http = reqwest::Client::builder()
            .use_rustls_tls()
            .timeout(timeout)
            .user_agent(concat!("caucus-publisher/", env!("CARGO_PKG_VERSION")))
            .build()
            .context("cannot build the HTTP client")?;
        Ok(Self { http, base: format!("{root}/api/v1"), token })
    }

    /// The items a publisher may claim now, by due time.
    pub async fn due_queue(&self) -> anyhow::Result<Vec<QueueItem>> {
        let response = self
            .http
            .get(format!("{}/social-queue", self.base))
            .query(&[("due", "true")])
            .bearer_auth(self.token.expose())
            .send()
            .await
            .context("cannot reach the api for the social queue")?;
        let status = response.status();
        if !status.is_success() {
            bail!("the api refused the social queue: {status}: {}", problem_detail(response).await);
        }
        Ok(response.json::<Queue>().await.context("the api's social queue is unreadable")?.items)
    }

    /// Claims `network`'s delivery of publication `id`.
    pub async fn claim(&self, id: Uuid, network: Network) -> anyhow::Result<Claim> {
        let response = self
            .http
            .post(format!("{}/publications/{id}/deliveries/{}/claim", self.base, network.as_str()))
            .bearer_auth(self.token.expose())
            .send()
            .await
            .context("cannot reach the api to claim a delivery")?;
        let status = response.status();
        if status.is_success() {
            let publication: Value = response.json().await.context("the api's claim answer is unreadable")?;
            let attempt = publication["deliveries"][network.as_str()]["attempts"]
                .as_u64()
                .and_then(|a| u32::try_from(a).ok())
                .context("the api's claim answer has no attempt number")?;
            return Ok(Claim::Claimed { attempt });
        }
        let detail = problem_detail(response).await;
        Ok(if status == StatusCode::CONFLICT {
            Claim::Conflict(detail)
        } else {
            Claim::Refused(format!("{status}: {detail}"))
        })
    }

    /// Records how attempt `attempt` went. The request is retried a few
    /// times under one Idempotency-Key, so a lost answer records it once.
    pub async fn record(
        &self,
        id: Uuid,
        network: Network,
        attempt: u32,
        outcome: Outcome<'_>,
    ) -> anyhow::Result<()> {
        let body = match outcome {
            Outcome::Delivered(d) => json!({"attempt": attempt, "external_id": d.external_id, "url": d.url}),
            Outcome::Failed(e, retry_at) => json!({"attempt": attempt, "error": e.0, "retry_at": retry_at}),
        };
        let url = format!("{}/publications/{id}/deliveries/{}/outcome", self.base, network.as_str());
        let key = format!("caucus-outcome-{id}-{}-{attempt}", network.as_str());
        let mut tries = 0;
        loop {
            tries += 1;
            let sent = self
                .http
                .post(&url)
                .bearer_auth(self.token.expose())
                .header("Idempotency-Key", &key)
                .json(&body)
                .send()
                .await;
            let error = match sent {
                Ok(response) if response.status().is_success() => return Ok(()),
                Ok(response) if response.status().is_server_error() => {
                    anyhow::anyhow!("the api answered {}", response.status())
                }
                Ok(response) => {
                    let status = response.status();
                    bail!("the api refused the outcome: {status}: {}", problem_detail(response).await);
                }
                Err(e) => anyhow::Error::new(e).context("cannot reach the api to record an outcome"),
            };
            if tries == OUTCOME_TRIES {
                return Err(error);
            }
            tokio::time::sleep(Duration::from_secs(u64::from(tries))).await;
        }
    }
}

/// What recording a receipt did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReceiptAnswer {
    /// The api holds the receipt (recorded now, or already).
    Recorded,
    /// The api refused it; its status and explanation.
    Refused(String),
}

impl ApiClient {
    /// Records that publication `id` is on the website at `url` since `at`,
    /// under an Idempotency-Key made from the publication and the URL, so
    /// the same page is receipted once however often it is sent.
    pub async fn record_website_receipt(
        &self,
        id: Uuid,
        url: &str,
        at: DateTime<Utc>,
    ) -> anyhow::Result<ReceiptAnswer> {
        let key = website_receipt_key(id, url);
        let response = self
            .http
            .post(format!("{}/publications/{id}/receipts", self.base))
            .bearer_auth(self.token.expose())
            .header("Idempotency-Key", &key)
            .json(&json!({"channel": "website", "url": url, "at": at}))
            .send()
            .await
            .context("cannot reach the api to record a receipt")?;
        let status = response.status();
        if status.is_success() {
            return Ok(ReceiptAnswer::Recorded);
        }
        let detail = problem_detail(response).await;
        // The key was used before with another time (a build as of an earlier
        // instant than that receipt): the api may well hold it already.
        if status == StatusCode::UNPROCESSABLE_ENTITY && self.has_website_receipt(id, url).await? {
            return Ok(ReceiptAnswer::Recorded);
        }
        Ok(ReceiptAnswer::Refused(format!("{status}: {detail}")))
    }

    /// Whether publication `id` shows a website receipt at `url`.
    async fn has_website_receipt(&self, id: Uuid, url: &str) -> anyhow::Result<bool> {
        let response = self
            .http
            .get(format!("{}/publications/{id}", self.base))
            .bearer_auth(self.token.expose())
            .send()
            .await
            .context("cannot reach the api to read a publication")?;
        if !response.status().is_success() {
            return Ok(false);
        }
        let publication: Value = response.json().await.context("the api's publication is unreadable")?;
        Ok(publication["receipts"]
            .as_array()
            .is_some_and(|rs| rs.iter().any(|r| r["channel"] == "website" && r["url"] == url)))
    }
}

/// The Idempotency-Key of publication `id`'s website receipt at `url`: the
/// same for every build, different for every page.
pub fn website_receipt_key(id: Uuid, url: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(url.as_bytes());
    format!("caucus-website-{id}-{}", hex::encode(&digest[..16]))
}

/// A problem's `detail`, or nothing.
async fn problem_detail(response: reqwest::Response) -> String {
    response
        .json::<Value>()
        .await
        .ok()
        .and_then(|p| p["detail"].as_str().map(str::to_owned))
        .unwrap_or_default()
}
