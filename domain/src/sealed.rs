//! Personal data as events and records hold it: an opaque, sealed string.
//!
//! The domain never encrypts or decrypts: routes check the plaintext with the
//! domain's own types (`Email`, `Title`), seal it under the data subject's key
//! (`crate::personal`), and hand the aggregate a [`Sealed`] value. Destroying the
//! subject's key makes every copy unreadable (crypto-shredding) while the stored
//! payloads, and so the audit chain's hashes over them, stay as they were.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The prefix of a value sealed by the current scheme; anything else is a
/// plain value written before personal data was sealed.
pub const SEALED_PREFIX: &str = "sealed:v1:";

/// A personal-data field as stored: `sealed:v1:<key id>:<base64url nonce and
/// ciphertext>`, or, in events recorded before sealing, the plain value itself.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Sealed(String);

impl Sealed {
    /// Wraps a stored or freshly sealed string as it is.
    pub fn from_stored(stored: String) -> Self {
        Self(stored)
    }

    /// The stored string.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether the value is sealed (rather than plain, from before sealing).
    pub fn is_sealed(&self) -> bool {
        self.0.starts_with(SEALED_PREFIX)
    }
}

impl fmt::Debug for Sealed {
    // Never print the value: a plain one from before sealing is personal data.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.is_sealed() { "Sealed(..)" } else { "Sealed(plain ..)" })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_value_never_shows_its_content_when_debugged() {
        let plain = Sealed::from_stored("jane@example.org".into());
        assert!(!plain.is_sealed());
        assert!(!format!("{plain:?}").contains("jane"));
        let sealed = Sealed::from_stored("sealed:v1:id:AAAA".into());
        assert!(sealed.is_sealed());
        assert_eq!(serde_json::to_string(&sealed).expect("json"), "\"sealed:v1:id:AAAA\"");
    }
}
