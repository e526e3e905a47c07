//! The Caucus publisher: reads the event store read-only and turns approved,
//! public material into the group's static website. [`build_site`] is a plain
//! linear pipeline: read the site folder, replay the group's events, select
//! what is public, plan every output file, write them atomically.

pub mod config;
mod feeds;
mod files;
pub mod markdown;
pub mod output;
mod papers;
pub mod public;
pub mod receipts;
pub mod render;
mod slug;
pub mod theme;
pub mod transparency;

use std::path::PathBuf;

use anyhow::Context;
use caucus_api::{
    domain::GroupId,
    store::{Database, StoreConfig, StoreError, records, replay},
};
use chrono::{DateTime, Utc};

pub use output::Mode;

pub mod social;

/// How many public records of each type the store holds, by type name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicInventory {
    /// `(record type, count)`, sorted by type.
    pub counts: Vec<(String, i64)>,
}

/// Opens `store` read-only and counts the public records in it.
pub async fn inventory(store: &StoreConfig) -> Result<PublicInventory, StoreError> {
    let db = Database::connect_read_only(store).await?;
    let counts = records::count_public_by_type(&db).await?;
    db.close().await;
    Ok(PublicInventory { counts })
}

/// What to build.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The event store, opened read-only.
    pub store: StoreConfig,
    /// The site folder: `config.toml`, optional `templates/` and `static/`.
    pub site: PathBuf,
    /// Where the site goes: a symlink the build swaps to the new version.
    pub out: PathBuf,
    /// The group whose site it is; the config's `group.id` if unset.
    pub group: Option<String>,
    /// The build time: events recorded after it are ignored and publications
    /// are shown if live at it. Unset means now. Fix it for reproducible builds.
    pub now: Option<DateTime<Utc>>,
    /// Render everything, or only what changed since the last build.
    pub mode: Mode,
    /// The group's verifier key, which the published checkpoint must verify
    /// with; the config's `[transparency] verifier_key` if unset.
    pub verifier_key: Option<String>,
    /// The api to record the website's receipts through (publisher role);
    /// none means the build records none and says so.
    pub receipts: Option<social::ApiClient>,
}

/// What a build did.
#[derive(Debug, Clone)]
pub struct BuildReport {
    /// The version folder the site now points at.
    pub version: PathBuf,
    /// How many files the site has.
    pub files: usize,
    /// The files rendered anew (all of them in a full build), sorted.
    pub rendered: Vec<String>,
    /// The site's pages count by kind: councillors, bodies, decisions, articles.
    pub counts: [usize; 4],
    /// Whether a checkpoint was published, and if not, why.
    pub transparency: transparency::Transparency,
    /// The receipts recorded for the publications the site shows.
    pub receipts: receipts::ReceiptsReport,
}

/// Builds the site of `options.group` from the store into `options.out`.
pub async fn build_site(options: &BuildOptions) -> anyhow::Result<BuildReport> {
    let config = config::SiteConfig::load(&options.site)?;
    let theme = theme::Theme::load(&options.site)?;
    let group_id = options.group.as_deref().unwrap_or(&config.group.id);
    let group = GroupId::parse(group_id).with_context(|| format!("{group_id:?} is not a group id"))?;
    let now = options.now.unwrap_or_else(Utc::now);

    let db = Database::connect_read_only(&options.store).await.context("cannot open the event store")?;
    let records = replay::replay_group(&db, &group, Some(now)).await;
    let key = options.verifier_key.as_deref().or(config.transparency.verifier_key.as_deref());
    let transparency = transparency::read(&db, group.as_str(), key, now).await;
    let records = records.context("cannot replay the event log")?;
    let transparency = transparency?;

    let mut site = public::select(&records, now);
    let paper_files = papers::copy(&db, &group, &config, &mut site).await;
    db.close().await;
    let mut jobs = render::plan(&config, &site, &transparency, &options.site.join("static"))?;
    jobs.extend(paper_files.context("cannot read the papers' stored files")?);
    let globals = render::globals(&config);
    let out = options.out.clone();
    let mode = options.mode;
    let written = tokio::task::spawn_blocking(move || output::publish(&out, &jobs, &theme, &globals, mode))
        .await
        .context("the writer stopped")??;
    // Only now is every page up, so only now may the api be told so.
    let receipts = receipts::record(options.receipts.as_ref(), &config, &site, &records, now).await;
    Ok(BuildReport {
        version: written.version,
        files: written.files,
        rendered: written.rendered,
        counts: [site.councillors.len(), site.bodies.len(), site.decisions.len(), site.articles.len()],
        transparency,
        receipts,
    })
}
