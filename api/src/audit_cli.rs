//! The audit subcommands of `caucus`: export a group's log, verify it in the
//! store or in an export file.

use std::{
    fs::File,
    io::{BufReader, BufWriter, Write},
    path::Path,
};

use anyhow::Context;
use futures::StreamExt as _;
use indicatif::{ProgressBar, ProgressStyle};

use crate::audit::{export::verify_export, verify::VerifyReport};
use crate::configuration::StoreSettings;
use crate::store::{Database, chain};

/// Writes `group`'s log to `out` (standard output if none), with a progress
/// bar on a terminal. The store is opened read-only: the export holds what is
/// chained (everything but the last second or so of a running server).
pub async fn export(store: &StoreSettings, group: &str, out: Option<&Path>) -> anyhow::Result<()> {
    let db = Database::connect_read_only(&store.store()?).await?;
    let total = chain::chained_count(&db, group).await?;
    let mut writer: Box<dyn Write> = match out {
        Some(path) => Box::new(BufWriter::new(
            File::create(path).with_context(|| format!("cannot create {}", path.display()))?,
        )),
        None => Box::new(BufWriter::new(std::io::stdout().lock())),
    };
    // indicatif draws only when standard error is a terminal.
    let progress = ProgressBar::new(total as u64).with_style(
        ProgressStyle::with_template("{spinner} {pos}/{len} events {bar:40} {per_sec} eta {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let started = std::time::Instant::now();
    let mut lines = std::pin::pin!(chain::export(db.clone(), group.to_owned()));
    let mut events = 0_u64;
    while let Some(line) = lines.next().await {
        let line = line?;
        if line.is_event() {
            events += 1;
            progress.inc(1);
        }
        writer.write_all(line.as_str().as_bytes())?;
    }
    writer.flush()?;
    progress.finish_and_clear();
    let seconds = started.elapsed().as_secs_f64();
    eprintln!(
        "exported {events} events of {group} in {seconds:.2} s ({:.0} events/s)",
        events as f64 / seconds.max(1e-9)
    );
    db.close().await;
    Ok(())
}

/// Verifies `group`'s log in the store against checkpoints signed by `key`.
pub async fn verify_store(store: &StoreSettings, group: &str, key: &str) -> anyhow::Result<VerifyReport> {
    let db = Database::connect_read_only(&store.store()?).await?;
    let report = chain::verify_group(&db, group, Some(key)).await?;
    db.close().await;
    Ok(report)
}

/// Verifies an export file against checkpoints signed by `key`.
pub fn verify_file(path: &Path, key: &str) -> anyhow::Result<VerifyReport> {
    let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    Ok(verify_export(BufReader::new(file), key)?)
}

/// Prints a verification's verdict for a person.
pub fn print_report(report: &VerifyReport) {
    match &report.problem {
        None => println!(
            "intact: {} events, {} signed checkpoints (the latest covers {})",
            report.events,
            report.checkpoints,
            report.signed_size.map_or_else(|| "nothing".to_owned(), |s| format!("{s} events")),
        ),
        Some(problem) => println!("NOT INTACT at position {}: {problem}", problem.position()),
    }
}
