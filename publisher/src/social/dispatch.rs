//! One dispatch pass: read the due queue, and for each item claim it, post it
//! through its network's connector, and record the outcome.
//!
//! Claim first, post second, record third. A claim is a command on the
//! publication, so only one process ever holds an item; a 409 means another
//! process has it or was writing the same publication, and the queue is read
//! again to tell which. If this process dies after posting and before
//! recording, the claim lapses after the api's 15-minute lease and the next
//! attempt posts again under the same idempotency key (Mastodon), the same
//! record key (Bluesky) or the same `Idempotency-Key` header (webhook).

use std::{fmt, time::Duration};

use caucus_api::domain::publication::Network;
use chrono::{DateTime, Utc};
use rand::Rng;
use uuid::Uuid;

use super::{
    api::{ApiClient, Claim, Outcome, QueueItem},
    backoff::Backoff,
    connector::{Connectors, Post},
};

/// How many times a claim that lost a race on the publication's version is
/// tried again while the item is still due.
const CLAIM_ROUNDS: u32 = 5;

/// Delivers due social posts.
#[derive(Debug, Clone)]
pub struct Dispatcher {
    api: ApiClient,
    connectors: Connectors,
    backoff: Backoff,
}

/// One item's fate in a pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fate {
    /// Posted and recorded, with the post's URL.
    Delivered(String),
    /// Failed and recorded, to be retried from the time given.
    Failed(String, DateTime<Utc>),
    /// No connector for the network: left queued, not claimed.
    NoConnector,
    /// Claimed by another process, already delivered, or refused by the api.
    NotClaimed(String),
    /// Posted (or tried) but the outcome could not be recorded: it stays in
    /// flight until the lease lapses, and is then retried under the same
    /// idempotency key.
    Unrecorded(String),
}

/// What a pass did, item by item.
#[derive(Debug, Clone, Default)]
pub struct DispatchReport {
    /// `(publication, network, fate)` in queue order.
    pub items: Vec<(Uuid, Network, Fate)>,
}

impl DispatchReport {
    /// How many items were delivered.
    pub fn delivered(&self) -> usize {
        self.items.iter().filter(|(_, _, f)| matches!(f, Fate::Delivered(_))).count()
    }

    /// Whether an outcome was left unrecorded.
    pub fn has_unrecorded(&self) -> bool {
        self.items.iter().any(|(_, _, f)| matches!(f, Fate::Unrecorded(_)))
    }
}

impl fmt::Display for DispatchReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.items.is_empty() {
            return writeln!(f, "no social posts due");
        }
        for (id, network, fate) in &self.items {
            let network = network.as_str();
            match fate {
                Fate::Delivered(url) => writeln!(f, "{network} {id}: delivered: {url}")?,
                Fate::Failed(error, at) => writeln!(f, "{network} {id}: failed, retry from {at}: {error}")?,
                Fate::NoConnector => writeln!(f, "{network} {id}: no connector configured; left queued")?,
                Fate::NotClaimed(why) => writeln!(f, "{network} {id}: not claimed: {why}")?,
                Fate::Unrecorded(why) => writeln!(f, "{network} {id}: OUTCOME NOT RECORDED: {why}")?,
            }
        }
        Ok(())
    }
}

impl Dispatcher {
    /// A dispatcher using `api` and `connectors`, retrying failures on `backoff`.
    pub fn new(api: ApiClient, connectors: Connectors, backoff: Backoff) -> Self {
        Self { api, connectors, backoff }
    }

    /// One pass over the due queue.
    pub async fn run_once(&self) -> anyhow::Result<DispatchReport> {
        let mut report = DispatchReport::default();
        for item in self.api.due_queue().await? {
            let fate = self.dispatch(&item).await;
            report.items.push((item.publication_id, item.network, fate));
        }
        Ok(report)
    }

    async fn dispatch(&self, item: &QueueItem) -> Fate {
        let Some(connector) = self.connectors.get(item.network) else {
            return Fate::NoConnector;
        };
        let attempt = match self.claim(item).await {
            Ok(attempt) => attempt,
            Err(fate) => return fate,
        };
        let post = Post {
            publication_id: item.publication_id,
            network: item.network,
            text: item.text.clone(),
            publish_at: item.publish_at,
        };
        let (outcome, fate) = match connector.deliver(&post).await {
            Ok(delivered) => {
                let fate = Fate::Delivered(delivered.url.clone());
                (self.record(item, attempt, Outcome::Delivered(&delivered)).await, fate)
            }
            Err(error) => {
                let retry_at = self.backoff.retry_at(attempt, Utc::now());
                let fate = Fate::Failed(error.0.clone(), retry_at);
                (self.record(item, attempt, Outcome::Failed(&error, retry_at)).await, fate)
            }
        };
        match outcome {
            Ok(()) => fate,
            Err(error) => {
                let what = match fate {
                    Fate::Delivered(url) => format!("posted as {url}"),
                    _ => "the post failed".to_owned(),
                };
                tracing::error!(
                    publication = %item.publication_id, network = item.network.as_str(),
                    "{what} but the outcome was not recorded: {error:#}"
                );
                Fate::Unrecorded(format!("{what}; {error:#}"))
            }
        }
    }

    async fn record(&self, item: &QueueItem, attempt: u32, outcome: Outcome<'_>) -> anyhow::Result<()> {
        self.api.record(item.publication_id, item.network, attempt, outcome).await
    }

    /// Claims the item; a 409 is retried while the queue still shows it due
    /// (another write to the publication came first), and given up when it
    /// no longer does (another process has it).
    async fn claim(&self, item: &QueueItem) -> Result<u32, Fate> {
        for round in 1..=CLAIM_ROUNDS {
            let why = match self.api.claim(item.publication_id, item.network).await {
                Ok(Claim::Claimed { attempt }) => return Ok(attempt),
                Ok(Claim::Refused(why)) => return Err(Fate::NotClaimed(why)),
                Ok(Claim::Conflict(why)) => why,
                // The claim may have committed: if so, the item waits out the lease.
                Err(error) => return Err(Fate::NotClaimed(format!("{error:#}"))),
            };
            let still_due = match self.api.due_queue().await {
                Ok(queue) => {
                    queue.iter().any(|i| i.publication_id == item.publication_id && i.network == item.network)
                }
                Err(error) => return Err(Fate::NotClaimed(format!("{why}; then {error:#}"))),
            };
            if !still_due {
                return Err(Fate::NotClaimed(format!("claimed elsewhere: {why}")));
            }
            if round == CLAIM_ROUNDS {
                return Err(Fate::NotClaimed(format!("still contended after {CLAIM_ROUNDS} tries: {why}")));
            }
            let pause = rand::rng().random_range(20..200);
            tokio::time::sleep(Duration::from_millis(pause)).await;
        }
        unreachable!("the last round returns")
    }
}
