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
    verify::{ChainProblem, ChainVerifier, StoredLink, VerifyReport},
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

/// One line of an export as written: JSON text with its newline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportText {
    text: String,
    event: bool,
}

impl ExportText {
    /// The line, newline included.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The line, newline included.
    pub fn into_string(self) -> String {
        self.text
    }

    /// Whether it is an event line (not the header or a checkpoint).
    pub fn is_event(&self) -> bool {
        self.event
    }
}

impl From<&ExportLine> for ExportText {
    fn from(line: &ExportLine) -> Self {
        Self { text: line.to_line(), event: matches!(line, ExportLine::Event { .. }) }
    }
}

/// An event's fields as stored, for [`event_text`].
#[derive(Debug, Clone, Copy)]
pub struct StoredEventText<'a> {
    /// Its position in the group's log.
    pub position: u64,
    /// The record type.
    pub record_type: &'a str,
    /// The record's id.
    pub record_id: &'a str,
    /// Its sequence within the record.
    pub sequence: u64,
    /// The event's type name.
    pub event_type: &'a str,
    /// The event's version.
    pub event_version: &'a str,
    /// The payload, JSON text as stored.
    pub payload: &'a str,
    /// The metadata, JSON text as stored.
    pub metadata: &'a str,
    /// The link hash (hex).
    pub hash: &'a str,
}

/// The event line [`ExportLine::Event`] would write, made from the stored
/// text: the payload and metadata are copied as they are rather than parsed
/// and written again, which is most of an export's work. A verifier parses
/// them either way, so the hash it computes is the same.
pub fn event_text(event: &StoredEventText<'_>) -> ExportText {
    /// A field's value: a number, a string to quote, or stored JSON as is.
    enum Part<'a> {
        Number(u64),
        Text(&'a str),
        Json(&'a str),
    }
    let fields = [
        ("type", Part::Text("event")),
        ("position", Part::Number(event.position)),
        ("record_type", Part::Text(event.record_type)),
        ("record_id", Part::Text(event.record_id)),
        ("sequence", Part::Number(event.sequence)),
        ("event_type", Part::Text(event.event_type)),
        ("event_version", Part::Text(event.event_version)),
        ("payload", Part::Json(event.payload)),
        ("metadata", Part::Json(event.metadata)),
        ("hash", Part::Text(event.hash)),
    ];
    let mut text = String::with_capacity(event.payload.len() + event.metadata.len() + 256);
    for (n, (name, part)) in fields.into_iter().enumerate() {
        text.push(if n == 0 { '{' } else { ',' });
        // Quoting a string into JSON cannot fail.
        text.push_str(&serde_json::to_string(name).unwrap_or_default());
        text.push(':');
        match part {
            Part::Number(number) => text.push_str(&number.to_string()),
            Part::Text(value) => text.push_str(&serde_json::to_string(value).unwrap_or_default()),
            Part::Json(stored) => text.push_str(stored.trim()),
        }
    }
    text.push_str("}\n");
    ExportText { text, event: true }
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
                        bad_checkpoint.get_or_insert(ChainProblem::BadCheckpoint {
                            checkpoint_size: size,
                            reason: "it is not a checkpoint of this group's log at this size".into(),
                        });
                    }
                    Err(error) => {
                        bad_checkpoint.get_or_insert(ChainProblem::BadCheckpoint {
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

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn an_event_line_written_from_stored_text_is_the_line_the_event_writes() {
        let event = ChainedEvent {
            position: 7,
            record_type: "Decision".into(),
            record_id: "id with \"quotes\"".into(),
            sequence: 2,
            event_type: "DecisionRecorded".into(),
            event_version: "1.0".into(),
            payload: json!({ "title": "Café \"Nero\" </script>\n", "votes": [1, 2.5, null] }),
            metadata: json!({ "actor": "pa-1", "roles": ["assistant"] }),
        };
        let hash = "ab".repeat(32);
        let expected = ExportLine::Event { event: event.clone(), hash: hash.clone() };
        let (payload, metadata) = (event.payload.to_string(), event.metadata.to_string());
        let stored = StoredEventText {
            position: event.position,
            record_type: &event.record_type,
            record_id: &event.record_id,
            sequence: event.sequence,
            event_type: &event.event_type,
            event_version: &event.event_version,
            payload: &payload,
            metadata: &metadata,
            hash: &hash,
        };
        let text = event_text(&stored);
        assert!(text.is_event());
        assert_eq!(text.as_str(), expected.to_line());

        // Stored text laid out differently still reads back as the same event.
        let spaced = r#" { "title" : "Café \"Nero\" </script>\n", "votes" : [1, 2.5, null] } "#;
        let text = event_text(&StoredEventText { payload: spaced, ..stored });
        let read: ExportLine = serde_json::from_str(text.as_str()).expect("parses");
        assert_eq!(read, expected);
    }
}
