//! Receipts: after a build has swapped the new site in, each publication it
//! shows is recorded through the api as out on the website at its page's URL
//! (`POST /publications/{id}/receipts`, role `publisher`). A page the replay
//! already shows as receipted at that URL is skipped, and every request
//! carries an Idempotency-Key made from the publication and the URL, so no
//! (publication, URL) is ever recorded twice. Without an api the build still
//! works and says that receipts were not recorded.

use chrono::{DateTime, Utc};

use crate::{
    config::SiteConfig,
    public::PublicSite,
    social::{ApiClient, ReceiptAnswer},
};

/// What a build did about receipts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReceiptsReport {
    /// No api was configured: `pending` pages went unrecorded.
    NotConfigured {
        /// Pages the api does not show as receipted.
        pending: usize,
    },
    /// The api was asked.
    Sent {
        /// Receipts recorded by this build.
        recorded: usize,
        /// Pages already receipted at their URL.
        already: usize,
        /// `(url, why)` of each receipt not recorded.
        failed: Vec<(String, String)>,
    },
}

impl ReceiptsReport {
    /// A line for the build's report.
    pub fn summary(&self) -> String {
        match self {
            Self::NotConfigured { pending } => format!(
                "receipts not recorded ({pending} pages): no api configured (--api-url and --token-file, \
                 or CAUCUS_API_URL and CAUCUS_PUBLISHER_TOKEN_FILE)"
            ),
            Self::Sent { recorded, already, failed } if failed.is_empty() => {
                format!("receipts: {recorded} recorded, {already} already recorded")
            }
            Self::Sent { recorded, already, failed } => {
                let reasons: Vec<String> = failed.iter().map(|(url, why)| format!("{url}: {why}")).collect();
                format!(
                    "receipts: {recorded} recorded, {already} already recorded, {} NOT recorded ({})",
                    failed.len(),
                    reasons.join("; ")
                )
            }
        }
    }

    /// Whether some receipt could not be recorded.
    pub fn has_failures(&self) -> bool {
        matches!(self, Self::Sent { failed, .. } if !failed.is_empty())
    }
}

/// The pages a build shows that the api does not yet show as out at their
/// URL: worked out while the site is written, sent once it is up.
#[derive(Debug, Clone, Default)]
pub struct Due {
    /// `(publication, URL)` of each page to record.
    pending: Vec<(uuid::Uuid, String)>,
    /// Pages already receipted at their URL.
    already: usize,
    /// The time the receipts give.
    at: DateTime<Utc>,
}

/// The receipts due for `site`: every publication on it not yet receipted
/// at its URL, as out since `at` (the build's time, or the wall clock if
/// that is earlier: a receipt may not be in the future).
pub fn due(config: &SiteConfig, site: &PublicSite, at: DateTime<Utc>) -> Due {
    let at = at.min(Utc::now());
    let mut due = Due { at, ..Due::default() };
    let base = config.base();
    for article in &site.articles {
        let is_this_page = |url: &str| {
            url.strip_prefix(base).and_then(|rest| rest.strip_prefix('/')) == Some(article.path.as_str())
        };
        if article.website_receipts.iter().any(|url| is_this_page(url)) {
            due.already += 1;
        } else if article.published_at <= at {
            due.pending.push((article.id, format!("{base}/{}", article.path)));
        }
    }
    due
}

/// Records the `due` receipts through `api`, once every page is up.
pub async fn send(api: Option<&ApiClient>, due: Due) -> ReceiptsReport {
    let Due { pending, already, at } = due;
    let Some(api) = api else {
        return ReceiptsReport::NotConfigured { pending: pending.len() };
    };
    let (mut recorded, mut failed) = (0, Vec::new());
    for (id, url) in pending {
        match api.record_website_receipt(id, &url, at).await {
            Ok(ReceiptAnswer::Recorded) => recorded += 1,
            Ok(ReceiptAnswer::Refused(why)) => failed.push((url, why)),
            Err(error) => failed.push((url, format!("{error:#}"))),
        }
    }
    ReceiptsReport::Sent { recorded, already, failed }
}
