//! The transparency page's input: the group's latest signed checkpoint, read
//! from the store's `chain_checkpoints` and checked against the group's
//! verifier key before the site may show it. A checkpoint the key does not
//! verify, or one of another group or size than its row says, stops the
//! build: publishing it would ask residents to trust a claim the publisher
//! could not check itself.

use anyhow::{Context, bail};
use base64::{Engine as _, engine::general_purpose::STANDARD as BASE64};
use caucus_api::{
    audit::checkpoint,
    store::{Database, chain},
};
use chrono::{DateTime, Utc};
use serde::Serialize;

/// What the transparency page can say.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Transparency {
    /// A checkpoint, verified with the key.
    Published(PublishedCheckpoint),
    /// The key is known but no checkpoint was signed by the build time.
    NoCheckpoint {
        /// The verifier key.
        verifier_key: String,
    },
    /// No verifier key is configured, so no checkpoint is published.
    NoKey,
}

/// A verified checkpoint, as the page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct PublishedCheckpoint {
    /// The signed note, exactly as stored: `checkpoint.txt`.
    pub note: String,
    /// Its origin line: `<key name>/<group>`.
    pub origin: String,
    /// How many events of the group's log it covers.
    pub size: u64,
    /// The link hash of the last of them, base64 (as in the note).
    pub head: String,
    /// The same hash in hex (as `caucus export` writes it).
    pub head_hex: String,
    /// When it was signed, RFC 3339.
    pub signed_at: String,
    /// When it was signed, for people, e.g. `23 November 2026, 18:46:26 UTC`.
    pub signed: String,
    /// The key it verifies with.
    pub verifier_key: String,
}

impl Transparency {
    /// A line for the build's report.
    pub fn summary(&self) -> String {
        match self {
            Self::Published(c) => format!("checkpoint published: {} events, signed {}", c.size, c.signed_at),
            Self::NoCheckpoint { .. } => {
                "no signed checkpoint yet: /checkpoint.txt not published (the api signs one once its \
                 audit key is set and events are chained)"
                    .to_owned()
            }
            Self::NoKey => "no verifier key configured (--verifier-key, CAUCUS_VERIFIER_KEY or \
                            [transparency] verifier_key): checkpoint not published"
                .to_owned(),
        }
    }
}

/// The latest checkpoint of `group` signed at or before `now`, checked with
/// `verifier_key`.
pub async fn read(
    db: &Database,
    group: &str,
    verifier_key: Option<&str>,
    now: DateTime<Utc>,
) -> anyhow::Result<Transparency> {
    let Some(key) = verifier_key.map(str::trim).filter(|k| !k.is_empty()) else {
        return Ok(Transparency::NoKey);
    };
    let stored = chain::checkpoints(db, group).await.context("cannot read the signed checkpoints")?;
    // Signed by the build time, so a build with a fixed `--now` is the same
    // however many checkpoints were signed since.
    let latest = stored
        .into_iter()
        .filter(|c| DateTime::parse_from_rfc3339(&c.signed_at).is_ok_and(|at| at <= now))
        .max_by_key(|c| c.size);
    let Some(latest) = latest else {
        return Ok(Transparency::NoCheckpoint { verifier_key: key.to_owned() });
    };
    let signed = DateTime::parse_from_rfc3339(&latest.signed_at)
        .map(|at| at.with_timezone(&Utc).format("%-d %B %Y, %H:%M:%S UTC").to_string())
        .unwrap_or_else(|_| latest.signed_at.clone());
    let opened = checkpoint::open(&latest.note, key).with_context(|| {
        format!("the latest checkpoint ({} events) does not verify with the verifier key", latest.size)
    })?;
    if !opened.origin.ends_with(&format!("/{group}")) {
        bail!("the latest checkpoint is of {:?}, not of the group {group}", opened.origin);
    }
    if i64::try_from(opened.size).ok() != Some(latest.size) || opened.head.to_hex() != latest.hash {
        bail!("the latest checkpoint's note does not match its stored size and hash");
    }
    Ok(Transparency::Published(PublishedCheckpoint {
        note: latest.note,
        origin: opened.origin,
        size: opened.size,
        head: BASE64.encode(opened.head.0),
        head_hex: opened.head.to_hex(),
        signed_at: latest.signed_at,
        signed,
        verifier_key: key.to_owned(),
    }))
}
