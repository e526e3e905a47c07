//! Signed checkpoints of a group's chain in the C2SP `tlog-checkpoint` text
//! format, as a C2SP signed note (Ed25519):
//!
//! ```text
//! <origin>            e.g. caucus/newham-labour
//! <size>              how many events of the group's log it covers
//! <base64 hash>       the link hash of the last of them
//!
//! — <key name> <base64 signature>
//! ```
//!
//! A tlog checkpoint's third line is normally a Merkle tree root; Caucus's log
//! is a hash chain, so the line carries the chain's head instead, which commits
//! to every earlier event just the same.

use base64::{Engine as _, engine::general_purpose::STANDARD as BASE64};
use signed_note::{Note, Signer as _, StandardSigner, StandardVerifier, VerifierList};

use super::chain::LinkHash;

/// Why a checkpoint or key was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CheckpointError {
    /// The key text is not a signed-note key.
    #[error("not a signing key in signed-note form (PRIVATE+KEY+name+id+key)")]
    BadSigningKey,
    /// The verifier key text is not a signed-note verifier key.
    #[error("not a verifier key in signed-note form (name+id+key)")]
    BadVerifierKey,
    /// The note is malformed, or not signed by the given key.
    #[error("the checkpoint is not validly signed by this key: {0}")]
    BadSignature(String),
    /// The signed text is not a checkpoint.
    #[error("the signed text is not a checkpoint: {0}")]
    Malformed(&'static str),
}

/// A checkpoint's content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    /// Which log: `<key name>/<group>`.
    pub origin: String,
    /// How many events it covers.
    pub size: u64,
    /// The link hash of the last of them.
    pub head: LinkHash,
}

impl Checkpoint {
    fn text(&self) -> String {
        format!("{}\n{}\n{}\n", self.origin, self.size, BASE64.encode(self.head.0))
    }

    fn parse(text: &str) -> Result<Self, CheckpointError> {
        let mut lines = text.lines();
        let origin = lines.next().filter(|l| !l.is_empty()).ok_or(CheckpointError::Malformed("no origin"))?;
        let size =
            lines.next().and_then(|l| l.parse::<u64>().ok()).ok_or(CheckpointError::Malformed("no size"))?;
        let head = lines
            .next()
            .and_then(|l| BASE64.decode(l).ok())
            .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
            .ok_or(CheckpointError::Malformed("no 32-byte hash"))?;
        Ok(Self { origin: origin.to_owned(), size, head: LinkHash(head) })
    }
}

/// The origin line of `group`'s checkpoints under the key named `key_name`.
pub fn origin(key_name: &str, group: &str) -> String {
    format!("{key_name}/{group}")
}

/// The private key checkpoints are signed with. Its `Debug` never shows it.
pub struct CheckpointSigner {
    signer: StandardSigner,
    verifier_key: String,
}

impl std::fmt::Debug for CheckpointSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CheckpointSigner").field("verifier_key", &self.verifier_key).finish_non_exhaustive()
    }
}

impl CheckpointSigner {
    /// A signer from its signed-note private key text (`PRIVATE+KEY+name+id+key`).
    pub fn from_key_text(text: &str) -> Result<Self, CheckpointError> {
        let text = text.trim();
        let signer = StandardSigner::new(text).map_err(|_| CheckpointError::BadSigningKey)?;
        // PRIVATE+KEY+name+id+key: the key is the fifth field, and base64 may
        // itself contain `+`.
        let secret = text.splitn(5, '+').nth(4).ok_or(CheckpointError::BadSigningKey)?;
        let bytes = BASE64.decode(secret).map_err(|_| CheckpointError::BadSigningKey)?;
        let key = bytes.get(1..).and_then(|k| ed25519_dalek::SigningKey::try_from(k).ok());
        let key = key.ok_or(CheckpointError::BadSigningKey)?;
        let verifier_key = signed_note::new_ed25519_verifier_key(signer.name(), &key.verifying_key());
        Ok(Self { signer, verifier_key })
    }

    /// A new random key named `name`; returns the signer and its private key
    /// text, to be stored.
    pub fn generate(name: &str) -> Result<(Self, String), CheckpointError> {
        if !signed_note::is_key_name_valid(name) {
            return Err(CheckpointError::BadSigningKey);
        }
        let key = ed25519_dalek::SigningKey::from_bytes(&rand::random::<[u8; 32]>());
        let public = [&[1_u8][..], key.verifying_key().as_bytes()].concat();
        let private = [&[1_u8][..], key.as_bytes()].concat();
        let text = format!(
            "PRIVATE+KEY+{name}+{:08x}+{}",
            signed_note::key_id(name, &public),
            BASE64.encode(private)
        );
        Ok((Self::from_key_text(&text)?, text))
    }

    /// The key's name.
    pub fn name(&self) -> &str {
        self.signer.name()
    }

    /// The public verifier key anyone may use to check checkpoints
    /// (`name+id+key`).
    pub fn verifier_key(&self) -> &str {
        &self.verifier_key
    }

    /// Signs a checkpoint of `group`'s log at `size` events whose last link is
    /// `head`; returns the signed note's text.
    pub fn sign(&self, group: &str, size: u64, head: LinkHash) -> Result<String, CheckpointError> {
        let checkpoint = Checkpoint { origin: origin(self.name(), group), size, head };
        let mut note = Note::new(checkpoint.text().as_bytes(), &[])
            .map_err(|e| CheckpointError::BadSignature(e.to_string()))?;
        note.add_sigs(&[&self.signer]).map_err(|e| CheckpointError::BadSignature(e.to_string()))?;
        String::from_utf8(note.to_bytes()).map_err(|_| CheckpointError::Malformed("not UTF-8"))
    }
}

/// Checks that `note` is a checkpoint signed by `verifier_key`, and returns it.
pub fn open(note: &str, verifier_key: &str) -> Result<Checkpoint, CheckpointError> {
    let verifier = StandardVerifier::new(verifier_key.trim()).map_err(|_| CheckpointError::BadVerifierKey)?;
    let note = Note::from_bytes(note.as_bytes()).map_err(|e| CheckpointError::BadSignature(e.to_string()))?;
    note.verify(&VerifierList::new(vec![Box::new(verifier)]))
        .map_err(|e| CheckpointError::BadSignature(e.to_string()))?;
    let text = std::str::from_utf8(note.text()).map_err(|_| CheckpointError::Malformed("not UTF-8"))?;
    Checkpoint::parse(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signed_checkpoint_opens_with_the_public_key_and_says_what_was_signed() {
        let (signer, private) = CheckpointSigner::generate("caucus").expect("key");
        let note = signer.sign("newham-labour", 42, LinkHash([7; 32])).expect("sign");
        assert!(note.starts_with("caucus/newham-labour\n42\n"), "{note}");
        assert!(note.contains("\n\n\u{2014} caucus "), "{note}");
        let opened = open(&note, signer.verifier_key()).expect("opens");
        assert_eq!(
            opened,
            Checkpoint { origin: "caucus/newham-labour".into(), size: 42, head: LinkHash([7; 32]) }
        );
        // The stored private key text gives the same signer back.
        let again = CheckpointSigner::from_key_text(&private).expect("reload");
        assert_eq!(again.verifier_key(), signer.verifier_key());
        assert!(!format!("{again:?}").contains(&private));
    }

    #[test]
    fn a_changed_checkpoint_or_another_key_is_refused() {
        let (signer, _) = CheckpointSigner::generate("caucus").expect("key");
        let (other, _) = CheckpointSigner::generate("caucus").expect("key");
        let note = signer.sign("g", 3, LinkHash([1; 32])).expect("sign");
        assert!(matches!(open(&note, other.verifier_key()), Err(CheckpointError::BadSignature(_))));
        let forged = note.replacen("\n3\n", "\n4\n", 1);
        assert!(matches!(open(&forged, signer.verifier_key()), Err(CheckpointError::BadSignature(_))));
        assert_eq!(open(&note, "nonsense").expect_err("refused"), CheckpointError::BadVerifierKey);
    }
}
