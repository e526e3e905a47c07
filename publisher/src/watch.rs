//! `caucus-publisher watch`: keeps the site current. It replays the log once,
//! then keeps the group's records in memory and, each time new events are
//! committed, folds only those and rebuilds incrementally: an approved press
//! release is on the site within a poll interval, and the rebuild costs what
//! changed (a few pages, the feeds and the indexes), not the whole log and
//! site again.
//!
//! With no new events the site is still rebuilt once every `refresh`, as time
//! alone changes it: a scheduled publication goes live, a meeting moves from
//! upcoming to past. The template folder is read once, at start.

use std::time::{Duration, Instant};

use anyhow::Context;
use caucus_api::{
    domain::GroupId,
    store::{Database, replay::GroupReplay},
};
use chrono::Utc;
use rayon::prelude::*;

use crate::{BuildCache, BuildOptions, BuildReport, Mode, SiteFolder, build_from};

/// A running watch: the store, the group's records as far as they have been
/// read, and when the site was last built.
#[derive(Debug)]
pub struct Watcher {
    options: BuildOptions,
    folder: SiteFolder,
    group: GroupId,
    db: Database,
    replay: GroupReplay,
    /// What one rebuild keeps for the next.
    cache: BuildCache,
    refresh: Duration,
    last_build: Option<Instant>,
    /// Events have been folded that no successful build has shown yet.
    dirty: bool,
}

/// One rebuild.
#[derive(Debug, Clone)]
pub struct Rebuild {
    /// What the build did.
    pub report: BuildReport,
    /// The group's events read since the previous pass.
    pub events: u64,
    /// How long reading them took.
    pub reading: Duration,
    /// From the start of the pass (reading the new events) until the new
    /// site was in place and its receipts recorded.
    pub took: Duration,
}

impl Watcher {
    /// Opens the store read-only and reads the site folder; builds nothing yet.
    pub async fn start(mut options: BuildOptions, refresh: Duration) -> anyhow::Result<Self> {
        let folder = SiteFolder::load(&options.site)?;
        let group = folder.group(options.group.as_deref())?;
        let db = Database::connect_read_only(&options.store).await.context("cannot open the event store")?;
        options.mode = Mode::Incremental;
        options.now = None;
        Ok(Self {
            options,
            folder,
            replay: GroupReplay::new(group.clone()),
            cache: BuildCache::default(),
            group,
            db,
            refresh,
            last_build: None,
            dirty: false,
        })
    }

    /// Reads the events committed since the last pass and rebuilds the site
    /// if there were any of the group's, on the first pass, or once `refresh`
    /// has passed; `None` when nothing called for a build.
    pub async fn pass(&mut self) -> anyhow::Result<Option<Rebuild>> {
        let started = Instant::now();
        let events = match self.replay.catch_up(&self.db).await {
            Ok(events) => events,
            Err(error) => {
                // Some events may have been folded before the failure.
                self.dirty = true;
                return Err(anyhow::Error::new(error).context("cannot read the event log"));
            }
        };
        let reading = started.elapsed();
        self.dirty |= events > 0;
        let due = self.last_build.is_none_or(|at| at.elapsed() >= self.refresh);
        if !self.dirty && !due {
            return Ok(None);
        }
        let now = Utc::now();
        let report = build_from(
            &self.db,
            &self.options,
            &self.folder,
            &self.group,
            self.replay.records(),
            now,
            &mut self.cache,
        )
        .await?;
        // Only a build that succeeded has shown the events: a failed one is
        // tried again at the next pass.
        self.dirty = false;
        self.last_build = Some(Instant::now());
        let took = started.elapsed();
        self.prepare_next().await;
        Ok(Some(Rebuild { report, events, reading, took }))
    }

    /// With the new site up, and before the next event, what the next
    /// rebuild would otherwise do first: a spare version to update in place
    /// (see `output::prepare_spare`; without one, the first rebuild after the
    /// watcher starts would link every file of the site into a new version),
    /// and the articles' search index entries, which a start-up pass that
    /// changed nothing never made.
    async fn prepare_next(&mut self) {
        let (out, mut manifests) = (self.options.out.clone(), std::mem::take(&mut self.cache.manifests));
        let articles: Vec<_> = self.cache.articles.articles().cloned().collect();
        let preparing = tokio::task::spawn_blocking(move || {
            let prepared = crate::output::prepare_spare(&out, &mut manifests);
            // Made once per article version; only a check for the others.
            articles.par_iter().for_each(|article| crate::feeds::prepare(article));
            (prepared, manifests)
        });
        match preparing.await {
            Ok((prepared, manifests)) => {
                self.cache.manifests = manifests;
                if let Err(error) = prepared {
                    // Only the next rebuild's speed depends on it.
                    eprintln!("warning: no spare version prepared for the next rebuild: {error:#}");
                }
            }
            Err(error) => eprintln!("warning: the next rebuild was not prepared: {error}"),
        }
    }

    /// Closes the store.
    pub async fn stop(self) {
        self.db.close().await;
    }
}

/// Runs passes every `every` until Ctrl-C or SIGTERM, printing a line per
/// rebuild. A failed rebuild is reported and retried at the next pass; the
/// previous site stays up meanwhile.
pub async fn run(options: BuildOptions, every: Duration, refresh: Duration) -> anyhow::Result<()> {
    let mut watcher = Watcher::start(options, refresh).await?;
    let mut stop = std::pin::pin!(shutdown());
    loop {
        match watcher.pass().await {
            Ok(Some(rebuild)) => println!(
                "rebuilt in {} ms after {} new events: {} files ({} rendered); read events {:.1} ms, {}",
                rebuild.took.as_millis(),
                rebuild.events,
                rebuild.report.files,
                rebuild.report.rendered.len(),
                rebuild.reading.as_secs_f64() * 1000.0,
                rebuild.report.timings
            ),
            Ok(None) => {}
            Err(error) => eprintln!("error: the site was not rebuilt: {error:#}"),
        }
        tokio::select! {
            () = tokio::time::sleep(every) => {}
            () = &mut stop => break,
        }
    }
    watcher.stop().await;
    Ok(())
}

/// Resolves on Ctrl-C or, on Unix, SIGTERM.
async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}
