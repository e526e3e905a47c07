//! The Caucus publisher: reads the event store read-only and turns approved,
//! public material into the group's static website. [`build_site`] is a plain
//! linear pipeline: read the site folder, replay the group's events, select
//! what is public, plan every output file, write them atomically.

pub mod config;
mod feeds;
mod files;
pub mod key;
pub mod manifest;
pub mod markdown;
pub mod output;
mod papers;
pub mod public;
pub mod receipts;
pub mod render;
mod slug;
pub mod theme;
pub mod timings;
pub mod transparency;
pub mod watch;

use std::{path::PathBuf, sync::Arc};

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
    /// Where the build's time went.
    pub timings: timings::Timings,
}

/// What a running publisher keeps from one build to the next, so that a
/// rebuild costs what changed: the articles made from unchanged
/// publications and the manifests of the site's versions.
#[derive(Debug, Default)]
pub struct BuildCache {
    articles: public::ArticleCache,
    manifests: manifest::Manifests,
}

/// The site folder, read once: its config and its templates.
#[derive(Debug)]
pub struct SiteFolder {
    /// `config.toml`.
    pub config: Arc<config::SiteConfig>,
    /// The built-in theme with the folder's `templates/` over it.
    pub theme: Arc<theme::Theme>,
}

impl SiteFolder {
    /// Reads and checks the folder.
    pub fn load(site: &std::path::Path) -> anyhow::Result<Self> {
        Ok(Self {
            config: Arc::new(config::SiteConfig::load(site)?),
            theme: Arc::new(theme::Theme::load(site)?),
        })
    }

    /// The group the site is for: `chosen`, or the config's `group.id`.
    pub fn group(&self, chosen: Option<&str>) -> anyhow::Result<GroupId> {
        let id = chosen.unwrap_or(&self.config.group.id);
        GroupId::parse(id).with_context(|| format!("{id:?} is not a group id"))
    }
}

/// Builds the site of `options.group` from the store into `options.out`.
pub async fn build_site(options: &BuildOptions) -> anyhow::Result<BuildReport> {
    let folder = SiteFolder::load(&options.site)?;
    let group = folder.group(options.group.as_deref())?;
    let now = options.now.unwrap_or_else(Utc::now);
    let db = Database::connect_read_only(&options.store).await.context("cannot open the event store")?;
    let built = match replay::replay_group(&db, &group, Some(now)).await {
        Ok(records) => {
            build_from(&db, options, &folder, &group, &records, now, &mut BuildCache::default()).await
        }
        Err(error) => Err(anyhow::Error::new(error).context("cannot replay the event log")),
    };
    db.close().await;
    built
}

/// Builds the site from `records`, the group's records as at `now`, reading
/// the checkpoint and the papers' files from `db`, with what earlier builds
/// in this process left in `cache`.
async fn build_from(
    db: &Database,
    options: &BuildOptions,
    folder: &SiteFolder,
    group: &GroupId,
    records: &replay::GroupRecords,
    now: DateTime<Utc>,
    cache: &mut BuildCache,
) -> anyhow::Result<BuildReport> {
    let mut timings = timings::Timings::default();
    let config = folder.config.clone();
    let key = options.verifier_key.as_deref().or(config.transparency.verifier_key.as_deref());
    let transparency = transparency::read(db, group.as_str(), key, now).await?;
    timings.lap("checkpoint");
    let mut site = public::select_with(records, now, &mut cache.articles);
    timings.lap("select");
    let paper_files =
        papers::copy(db, group, &config, &mut site).await.context("cannot read the papers' stored files")?;
    timings.lap("papers");
    let (site, transparency) = (Arc::new(site), Arc::new(transparency));
    let writing = {
        let (config, site, transparency, theme) =
            (config.clone(), site.clone(), transparency.clone(), folder.theme.clone());
        let (out, mode, static_dir) = (options.out.clone(), options.mode, options.site.join("static"));
        let mut kept = std::mem::take(&mut cache.manifests);
        let (answer, writing) = tokio::sync::oneshot::channel();
        // Pages are made as they are written, from the plan that borrows the
        // site, so planning and writing run together on a blocking thread.
        tokio::task::spawn_blocking(move || {
            let mut timings = timings::Timings::default();
            let plan = render::Plan::new(&config, &site, &transparency);
            let mut jobs = Vec::new();
            let written = plan.jobs(&static_dir).and_then(|planned| {
                jobs = planned;
                jobs.extend(paper_files);
                timings.lap("plan");
                let globals = render::globals(&config);
                output::publish(&out, &jobs, (&theme, &globals), mode, &mut kept, &mut timings)
            });
            let _ = answer.send((written.map(|written| (written, timings)), kept));
            // The plan of a large site is thousands of closures and strings:
            // freed here, after the answer, not while the caller waits for it.
            drop(jobs);
        });
        writing
    };
    // Meanwhile, on this thread: which pages the api must be told about.
    let checking = std::time::Instant::now();
    let due = receipts::due(&config, &site, now);
    let checked = checking.elapsed();
    let (written, kept) = writing.await.context("the writer stopped")?;
    cache.manifests = kept;
    let (written, write_timings) = written?;
    timings.extend(write_timings);
    timings.add("receipts due (while writing)", checked);
    // Only now is every page up, so only now may the api be told so.
    let receipts = receipts::send(options.receipts.as_ref(), due).await;
    timings.lap("receipts");
    let report = BuildReport {
        version: written.version,
        files: written.files,
        rendered: written.rendered,
        counts: [site.councillors.len(), site.bodies.len(), site.decisions.len(), site.articles.len()],
        transparency: Arc::unwrap_or_clone(transparency),
        receipts,
        timings,
    };
    // A large site takes milliseconds to free: not while the caller waits.
    tokio::task::spawn_blocking(move || drop(site));
    Ok(report)
}
