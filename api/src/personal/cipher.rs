//! The cryptography of personal data, pure: ChaCha20-Poly1305 (RustCrypto)
//! with a random 96-bit nonce per value. A field is bound to its subject and
//! its name as associated data, so a sealed email cannot be passed off as
//! another member's, or as a phone number. Data keys are wrapped the same way
//! under the master key, bound to their subject.

use std::fmt;

use base64::{Engine as _, engine::general_purpose::URL_SAFE_NO_PAD};
use chacha20poly1305::{
    ChaCha20Poly1305, Key, Nonce,
    aead::{Aead, AeadCore, KeyInit, OsRng, Payload},
};

use crate::domain::{SEALED_PREFIX, Sealed};

/// The length of a nonce (96 bits).
const NONCE_LEN: usize = 12;

/// A 256-bit ChaCha20-Poly1305 key: a subject's data key or the master key.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretKey([u8; 32]);

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey(..)")
    }
}

impl SecretKey {
    /// A fresh random key.
    pub fn generate() -> Self {
        Self(ChaCha20Poly1305::generate_key(&mut OsRng).into())
    }

    /// The key written as base64url (the form key files and key rows hold).
    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.0)
    }

    /// Reads a key written by [`SecretKey::encode`] (surrounding whitespace allowed).
    pub fn decode(text: &str) -> Option<Self> {
        let bytes = URL_SAFE_NO_PAD.decode(text.trim()).ok()?;
        Some(Self(bytes.try_into().ok()?))
    }

    fn cipher(&self) -> ChaCha20Poly1305 {
        ChaCha20Poly1305::new(&Key::from(self.0))
    }

    /// `nonce || ciphertext` of `plaintext` bound to `aad`.
    fn encrypt_raw(&self, plaintext: &[u8], aad: &[u8]) -> Vec<u8> {
        let nonce = ChaCha20Poly1305::generate_nonce(&mut OsRng);
        let ciphertext = self.cipher().encrypt(&nonce, Payload { msg: plaintext, aad }).unwrap_or_default();
        let mut out = nonce.to_vec();
        out.extend(ciphertext);
        out
    }

    /// The plaintext of what [`Self::encrypt_raw`] made, if this key and `aad` open it.
    fn decrypt_raw(&self, bytes: &[u8], aad: &[u8]) -> Option<Vec<u8>> {
        if bytes.len() < NONCE_LEN {
            return None;
        }
        let (nonce, ciphertext) = bytes.split_at(NONCE_LEN);
        let nonce = Nonce::from(<[u8; NONCE_LEN]>::try_from(nonce).ok()?);
        self.cipher().decrypt(&nonce, Payload { msg: ciphertext, aad }).ok()
    }

    /// [`Self::encrypt_raw`] in base64url.
    fn encrypt(&self, plaintext: &[u8], aad: &[u8]) -> String {
        URL_SAFE_NO_PAD.encode(self.encrypt_raw(plaintext, aad))
    }

    fn decrypt(&self, encoded: &str, aad: &[u8]) -> Option<Vec<u8>> {
        self.decrypt_raw(&URL_SAFE_NO_PAD.decode(encoded).ok()?, aad)
    }
}

/// What a sealed field is bound to: the scheme, its subject and its name.
fn field_aad(subject: &str, field: &str) -> Vec<u8> {
    format!("caucus/personal-data/v1\n{subject}\n{field}").into_bytes()
}

/// Seals `plaintext`, field `field` of subject `subject`, under the subject's key.
pub fn seal(key: &SecretKey, subject: &str, field: &str, plaintext: &str) -> Sealed {
    let body = key.encrypt(plaintext.as_bytes(), &field_aad(subject, field));
    Sealed::from_stored(format!("{SEALED_PREFIX}{subject}:{body}"))
}

/// The subject whose key a sealed value needs; `None` for a plain value.
pub fn subject_of(sealed: &Sealed) -> Option<&str> {
    let rest = sealed.as_str().strip_prefix(SEALED_PREFIX)?;
    rest.rsplit_once(':').map(|(subject, _)| subject)
}

/// Opens field `field` sealed by [`seal`]; `None` if the key, the subject or
/// the field is not the one it was sealed with, or it was tampered with.
pub fn open(key: &SecretKey, field: &str, sealed: &Sealed) -> Option<String> {
    let rest = sealed.as_str().strip_prefix(SEALED_PREFIX)?;
    let (subject, body) = rest.rsplit_once(':')?;
    String::from_utf8(key.decrypt(body, &field_aad(subject, field))?).ok()
}

fn bytes_aad(subject: &str, name: &str) -> Vec<u8> {
    format!("caucus/personal-bytes/v1\n{subject}\n{name}").into_bytes()
}

/// `plaintext` (a file of `subject`'s, named `name` among theirs) sealed
/// under `key`: the nonce, then the ciphertext, bound to both names.
pub fn seal_bytes(key: &SecretKey, subject: &str, name: &str, plaintext: &[u8]) -> Vec<u8> {
    key.encrypt_raw(plaintext, &bytes_aad(subject, name))
}

/// What [`seal_bytes`] sealed, if `key` opens it as `subject`'s `name`.
pub fn open_bytes(key: &SecretKey, subject: &str, name: &str, sealed: &[u8]) -> Option<Vec<u8>> {
    key.decrypt_raw(sealed, &bytes_aad(subject, name))
}

fn wrap_aad(subject: &str) -> Vec<u8> {
    format!("caucus/subject-key/v1\n{subject}").into_bytes()
}

/// A subject's data key as its row stores it: wrapped under `master` if there
/// is one (`wrapped:<base64url>`), or as it is (`plain:<base64url>`).
pub fn store_key(master: Option<&SecretKey>, subject: &str, key: &SecretKey) -> String {
    match master {
        Some(master) => format!("wrapped:{}", master.encrypt(&key.0, &wrap_aad(subject))),
        None => format!("plain:{}", key.encode()),
    }
}

/// Why a stored data key could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    /// Wrapped, but no master key is configured.
    #[error("the key of subject {0} is wrapped, but no master key is configured")]
    NoMasterKey(String),
    /// Not a key this process can read (another master key, or corrupt).
    #[error("the key of subject {0} cannot be unwrapped with the configured master key")]
    Unreadable(String),
}

/// Reads a stored data key written by [`store_key`]. A plain key is read with
/// or without a master key, so keys stored before one was configured still work.
pub fn load_key(master: Option<&SecretKey>, subject: &str, stored: &str) -> Result<SecretKey, KeyError> {
    let unreadable = || KeyError::Unreadable(subject.to_owned());
    if let Some(plain) = stored.strip_prefix("plain:") {
        return SecretKey::decode(plain).ok_or_else(unreadable);
    }
    let wrapped = stored.strip_prefix("wrapped:").ok_or_else(unreadable)?;
    let master = master.ok_or_else(|| KeyError::NoMasterKey(subject.to_owned()))?;
    let bytes = master.decrypt(wrapped, &wrap_aad(subject)).ok_or_else(unreadable)?;
    Ok(SecretKey(bytes.try_into().map_err(|_| unreadable())?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_field_opens_with_its_key_subject_and_name_only() {
        let key = SecretKey::generate();
        let sealed = seal(&key, "member-1", "email", "jane@example.org");
        assert!(sealed.is_sealed());
        assert!(!sealed.as_str().contains("jane"));
        assert_eq!(subject_of(&sealed), Some("member-1"));
        assert_eq!(open(&key, "email", &sealed).as_deref(), Some("jane@example.org"));
        assert_eq!(open(&key, "phone", &sealed), None, "bound to its field");
        assert_eq!(open(&SecretKey::generate(), "email", &sealed), None, "bound to its key");
        let moved = Sealed::from_stored(sealed.as_str().replace("member-1", "member-2"));
        assert_eq!(open(&key, "email", &moved), None, "bound to its subject");
    }

    #[test]
    fn sealing_twice_gives_different_values() {
        let key = SecretKey::generate();
        assert_ne!(seal(&key, "s", "email", "a@b"), seal(&key, "s", "email", "a@b"));
    }

    #[test]
    fn a_wrapped_key_needs_its_master_key_and_a_plain_one_does_not() {
        let (master, key) = (SecretKey::generate(), SecretKey::generate());
        let wrapped = store_key(Some(&master), "s", &key);
        assert!(!wrapped.contains(&key.encode()));
        assert_eq!(load_key(Some(&master), "s", &wrapped), Ok(key.clone()));
        assert_eq!(load_key(None, "s", &wrapped), Err(KeyError::NoMasterKey("s".into())));
        assert_eq!(load_key(Some(&master), "t", &wrapped), Err(KeyError::Unreadable("t".into())));
        assert_eq!(load_key(Some(&master), "s", &store_key(None, "s", &key)), Ok(key));
    }

    #[test]
    fn keys_round_trip_through_text_and_never_print() {
        let key = SecretKey::generate();
        assert_eq!(SecretKey::decode(&format!(" {}\n", key.encode())), Some(key.clone()));
        assert_eq!(format!("{key:?}"), "SecretKey(..)");
        assert_eq!(SecretKey::decode("short"), None);
    }
}
