//! The export format: JSON Lines, one object per line, tagged by `type`.
//!
//! ```text
//! {"type":"header","format":"caucus-log/1","group":"newham-labour","events":1234}
//! {"type":"checkpoint","size":1200,"note":"caucus/newham-labour\n1200\n...\n\n— caucus ...\n"}
//! {"type":"event","position":1,"record_type":"Decision",...,"hash":"9f2c..."}
//! ```
//!
//! Checkpoints come before the events, so a verifier reading the file once,
//! top to bottom, knows which heads to hold the chain to.

use std::io::BufRead;

use serde::{Deserialize, Serialize};

use super::{
    chain::{ChainedEvent, LinkHash},
    checkpoint::{self, Checkpoint},
    verify::{ChainVerifier, Problem, StoredLink, VerifyReport},
};

/// The format's name and version.
pub const FORMAT: &str = "caucus-log/1";

/// One line of an export.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ExportLine {
    /// The first line.
    Header {
        /// [`FORMAT`].
        format: String,
        /// Whose log.
        group: String,
        /// How many events follow.
        events: u64,
    },
    /// A signed checkpoint of the log.
    Checkpoint {
        /// How many events it covers.
        size: u64,
        /// The signed note.
        note: String,
    },
    /// One event with its link hash.
    Event {
        /// The event.
        #[serde(flatten)]
        event: ChainedEvent,
        /// Its link hash (hex).
        hash: String,
    },
}

impl ExportLine {
    /// The line as JSON text with its newline.
    pub fn to_line(&self) -> String {
        // An `ExportLine` always serialises: its maps have string keys.
        let mut line = serde_json::to_string(self).unwrap_or_default();
        line.push('\n');
        line
    }
}

/// Why an export could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// Reading failed.
    #[error("cannot read the export: {0}")]
    Io(#[from] std::io::Error),
    /// A line is not part of the format.
    #[error("line {line} is not a caucus-log/1 line: {reason}")]
    Malformed {
        /// The 1-based line number.
        line: usize,
        /// Why.
        reason: String,
    },
}

/// Verifies an export read from `input` against the group's public
/// `verifier_key` (signed-note form), without any store.
pub fn verify_export(input: impl BufRead, verifier_key: &str) -> Result<VerifyReport, ExportError> {
    let mut lines = input.lines().enumerate();
    let mut group = None;
    let mut checkpoints: Vec<Checkpoint> = Vec::new();
    let mut bad_checkpoint = None;
    let mut verifier: Option<ChainVerifier> = None;
    for (index, line) in lines.by_ref() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let parsed: ExportLine = serde_json::from_str(&line)
            .map_err(|e| ExportError::Malformed { line: index + 1, reason: e.to_string() })?;
        match parsed {
            ExportLine::Header { format, group: name, .. } => {
                if format != FORMAT {
                    return Err(ExportError::Malformed {
                        line: index + 1,
                        reason: format!("format {format}"),
                    });
                }
                group = Some(name);
            }
            ExportLine::Checkpoint { size, note } => {
                let Some(group) = &group else {
                    return Err(ExportError::Malformed { line: index + 1, reason: "no header first".into() });
                };
                match checkpoint::open(&note, verifier_key) {
                    Ok(opened) if opened.size == size && opened.origin.ends_with(&format!("/{group}")) => {
                        checkpoints.push(opened)
                    }
                    Ok(_) => {
                        bad_checkpoint.get_or_insert(Problem::BadCheckpoint {
                            checkpoint_size: size,
                            reason: "it is not a checkpoint of this group's log at this size".into(),
                        });
                    }
                    Err(error) => {
                        bad_checkpoint.get_or_insert(Problem::BadCheckpoint {
                            checkpoint_size: size,
                            reason: error.to_string(),
                        });
                    }
                }
            }
            ExportLine::Event { event, hash } => {
                let verifier =
                    verifier.get_or_insert_with(|| ChainVerifier::new(&checkpoints, bad_checkpoint.take()));
                verifier.check(&StoredLink {
                    position: event.position,
                    hash: LinkHash::from_hex(&hash),
                    event: Some(event),
                });
                if verifier.failed() {
                    break;
                }
            }
        }
    }
    if group.is_none() {
        return Err(ExportError::Malformed { line: 1, reason: "no header".into() });
    }
    let verifier = verifier.unwrap_or_else(|| ChainVerifier::new(&checkpoints, bad_checkpoint.take()));
    Ok(verifier.finish())
}
