//! Text newtypes: a value of one of these types has been trimmed and checked, so
//! nothing downstream holds an unchecked string.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Why a piece of text was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    /// Nothing but whitespace where text is required.
    #[error("must not be empty")]
    Empty,
    /// Longer than the field allows.
    #[error("must be at most {max} characters, got {actual}")]
    TooLong {
        /// The limit.
        max: usize,
        /// The length given.
        actual: usize,
    },
    /// Contains control characters other than newlines and tabs.
    #[error("must not contain control characters")]
    ControlCharacters,
}

/// Trimmed, non-empty text of at most `MAX` characters.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct BoundedText<const MAX: usize>(String);

/// [`BoundedText::parse`]'s rule but for the length, as a regular expression
/// (ECMA-262, as JSON Schema's `pattern`): no control characters but tabs and
/// line breaks (Unicode's `Cc`: U+0000 to U+001F, U+007F to U+009F), and at
/// least one character that is neither one of those nor white space (Unicode's
/// `White_Space`, which `str::trim` removes).
pub const TEXT_PATTERN: &str = concat!(
    r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*",
    r"[^\u0000-\u0020\u007F-\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]",
    r"[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$"
);

impl<const MAX: usize> BoundedText<MAX> {
    /// The most characters the text may have, as sent (before trimming).
    pub const MAX: usize = MAX;

    /// Checks `raw` is at most `MAX` characters, free of control characters
    /// other than line breaks and tabs and not blank, and trims it.
    pub fn parse(raw: &str) -> Result<Self, TextError> {
        let length = raw.chars().count();
        if length > MAX {
            return Err(TextError::TooLong { max: MAX, actual: length });
        }
        if raw.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
            return Err(TextError::ControlCharacters);
        }
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(TextError::Empty);
        }
        Ok(Self(trimmed.to_owned()))
    }

    /// The checked text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<const MAX: usize> fmt::Debug for BoundedText<MAX> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl<const MAX: usize> fmt::Display for BoundedText<MAX> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A title or name: one line, up to 200 characters.
pub type Title = BoundedText<200>;
/// A short note or reason: up to 2,000 characters.
pub type Note = BoundedText<2_000>;
/// A document's text (a decision, a biography): up to 50,000 characters.
pub type LongText = BoundedText<50_000>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_trimmed() {
        assert_eq!(Title::parse("  Budget  ").map(|t| t.to_string()), Ok("Budget".into()));
    }

    #[test]
    fn blank_text_is_refused() {
        assert_eq!(Title::parse(" \n\t "), Err(TextError::Empty));
    }

    #[test]
    fn overlong_text_names_the_limit() {
        let long = "x".repeat(201);
        assert_eq!(Title::parse(&long), Err(TextError::TooLong { max: 200, actual: 201 }));
    }

    #[test]
    fn the_limit_is_on_the_text_as_sent() {
        assert!(Title::parse(&format!("{} ", "x".repeat(199))).is_ok());
        assert_eq!(
            Title::parse(&format!(" {} ", "x".repeat(199))),
            Err(TextError::TooLong { max: 200, actual: 201 })
        );
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        assert!(Title::parse(&"é".repeat(200)).is_ok());
    }

    #[test]
    fn control_characters_are_refused_but_newlines_kept() {
        assert_eq!(Note::parse("a\u{0007}b"), Err(TextError::ControlCharacters));
        assert!(Note::parse("line one\nline two").is_ok());
    }
}
