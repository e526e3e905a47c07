//! A reference to a file the group stored with Caucus (a paper's PDF): named by
//! the SHA-256 of its content, so the event that attaches it commits the hash
//! chain to exactly those bytes.

use serde::{Deserialize, Serialize};

use super::{TextError, Title};

/// [`FileName::parse`]'s rule as a regular expression (with a title's
/// length): a title with no `/` or `\\`.
pub const FILE_NAME_PATTERN: &str = concat!(
    r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F/\\]*",
    r"[^\u0000-\u0020\u007F-\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000/\\]",
    r"[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F/\\]*$"
);

/// A stored file's name: a title, without folders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileName(Title);

/// Why a file name was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileNameError {
    /// Not a title.
    #[error(transparent)]
    Text(#[from] TextError),
    /// A path rather than a name.
    #[error("a file name, without folders")]
    Folders,
}

impl FileName {
    /// Checks `raw` is a title with no `/` or `\\`.
    pub fn parse(raw: &str) -> Result<Self, FileNameError> {
        let title = Title::parse(raw)?;
        if title.as_str().contains(['/', '\\']) {
            return Err(FileNameError::Folders);
        }
        Ok(Self(title))
    }

    /// The name as a title.
    pub fn into_title(self) -> Title {
        self.0
    }
}

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
