//! A reference to a file the group stored with Caucus (a paper's PDF): named by
//! the SHA-256 of its content, so the event that attaches it commits the hash
//! chain to exactly those bytes.

use serde::{Deserialize, Serialize};

use super::Title;

/// A stored file, as a record refers to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredFile {
    /// The SHA-256 of its content, 64 lowercase hex digits: its id.
    pub sha256: String,
    /// Its file name, e.g. `budget-briefing.pdf`.
    pub name: Title,
    /// Its media type, e.g. `application/pdf`.
    pub media_type: Title,
    /// Its size in bytes.
    pub size: u64,
}

impl StoredFile {
    /// Whether `id` looks like a stored file's id.
    pub fn is_id(id: &str) -> bool {
        id.len() == 64 && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    }
}
