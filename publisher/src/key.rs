//! Page keys: a digest of everything one output file is made from, computed
//! without making it. The writer compares a file's key (with the theme and
//! the site config, which every page shares) against the previous build's,
//! and renders only the files whose key changed; so a page's key must take in
//! every input its content reads, and its content nothing else.

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::public::Article;

/// A key being built: each part is length-delimited, so no two different
/// sequences of parts give the same bytes.
#[derive(Clone)]
pub struct Key(Sha256);

/// A finished key.
pub type Digest32 = [u8; 32];

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Key(..)")
    }
}

impl Key {
    /// A key for one kind of file (a template's name, `bytes`, ...).
    pub fn new(kind: &str) -> Self {
        Self(Sha256::new()).text(kind)
    }

    /// Adds a string.
    pub fn text(mut self, text: &str) -> Self {
        self.0.update((text.len() as u64).to_le_bytes());
        self.0.update(text.as_bytes());
        self
    }

    /// Adds bytes.
    pub fn bytes(mut self, bytes: &[u8]) -> Self {
        self.0.update((bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
        self
    }

    /// Adds a value by its JSON form: for small inputs (a councillor, the
    /// meetings), where serialising costs less than keeping a version.
    pub fn json<T: Serialize + ?Sized>(self, value: &T) -> Self {
        // Serialising plain data into memory cannot fail; if it ever did, an
        // empty part would only make the page render again.
        let bytes = serde_json::to_vec(value).unwrap_or_default();
        self.bytes(&bytes)
    }

    /// Adds an article by identity and version rather than by content: an
    /// [`Article`] is made from its publication record at one version and
    /// the section and slug it was given, so these four name its content
    /// without reading its body.
    pub fn article(self, article: &Article) -> Self {
        self.bytes(article.id.as_bytes())
            .bytes(&article.version.to_le_bytes())
            .text(article.kind.as_str())
            .text(&article.slug)
    }

    /// The digest.
    pub fn finish(self) -> Digest32 {
        self.0.finalize().into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_delimited_so_moving_a_boundary_changes_the_key() {
        assert_ne!(Key::new("t").text("ab").text("c").finish(), Key::new("t").text("a").text("bc").finish());
        assert_eq!(Key::new("t").text("ab").finish(), Key::new("t").text("ab").finish());
    }
}
