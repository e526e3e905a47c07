//! What each link of a group's hash chain covers, and how it is hashed.
//!
//! A link is `SHA-256(DOMAIN || JCS(entry))`, where the entry holds the event's
//! position in its group's log, the previous link's hash, the record type and
//! id, the event's sequence, type and version, its payload and its metadata,
//! canonicalised by RFC 8785 (JSON Canonicalization Scheme) so the hash does
//! not depend on how a store spelled the JSON. The domain string keeps these
//! hashes from ever colliding with a hash of something else.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// Separates the chain's hashes from any other use of SHA-256.
pub const DOMAIN: &[u8] = b"caucus/event-chain/v1\n";

/// A link's hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LinkHash(pub [u8; 32]);

impl LinkHash {
    /// What the first event of a log chains to.
    pub const GENESIS: Self = Self([0; 32]);

    /// Lowercase hex, as stored and exported.
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    /// Parses lowercase or uppercase hex.
    pub fn from_hex(text: &str) -> Option<Self> {
        let mut bytes = [0; 32];
        hex::decode_to_slice(text, &mut bytes).ok()?;
        Some(Self(bytes))
    }
}

/// One event as the chain sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChainedEvent {
    /// Its position in the group's log, from 1, in commit order.
    pub position: u64,
    /// The record type (`Decision`, ...).
    pub record_type: String,
    /// The record's id.
    pub record_id: String,
    /// Its sequence within the record.
    pub sequence: u64,
    /// The event's type name.
    pub event_type: String,
    /// The event's version.
    pub event_version: String,
    /// The event as stored.
    pub payload: Value,
    /// Who, when, in which role and group, on which request.
    pub metadata: Value,
}

impl ChainedEvent {
    /// The link hash of this event after `previous`.
    pub fn link(&self, previous: &LinkHash) -> LinkHash {
        let entry = json!({
            "position": self.position,
            "previous": previous.to_hex(),
            "record_type": self.record_type,
            "record_id": self.record_id,
            "sequence": self.sequence,
            "event_type": self.event_type,
            "event_version": self.event_version,
            "payload": self.payload,
            "metadata": self.metadata,
        });
        // Serialising a `Value` cannot fail: its keys are strings and its
        // numbers finite.
        let canonical = serde_json_canonicalizer::to_vec(&entry).unwrap_or_default();
        let mut hasher = Sha256::new();
        hasher.update(DOMAIN);
        hasher.update(&canonical);
        LinkHash(hasher.finalize().into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event() -> ChainedEvent {
        ChainedEvent {
            position: 1,
            record_type: "Decision".into(),
            record_id: "d1".into(),
            sequence: 1,
            event_type: "DecisionRecorded".into(),
            event_version: "2".into(),
            payload: json!({"b": 1, "a": [1, 2]}),
            metadata: json!({"actor": "pa"}),
        }
    }

    #[test]
    fn the_hash_ignores_key_order_and_spacing() {
        let mut respelled = event();
        respelled.payload = serde_json::from_str(r#"{ "a" : [1,2], "b":1 }"#).expect("json");
        assert_eq!(event().link(&LinkHash::GENESIS), respelled.link(&LinkHash::GENESIS));
    }

    #[test]
    fn every_field_and_the_previous_link_change_the_hash() {
        let base = event().link(&LinkHash::GENESIS);
        let changes: [fn(&mut ChainedEvent); 8] = [
            |e| e.position = 2,
            |e| e.record_type = "Action".into(),
            |e| e.record_id = "d2".into(),
            |e| e.sequence = 2,
            |e| e.event_type = "DecisionAmended".into(),
            |e| e.event_version = "1".into(),
            |e| e.payload = json!({"b": 2, "a": [1, 2]}),
            |e| e.metadata = json!({"actor": "leader"}),
        ];
        for change in changes {
            let mut changed = event();
            change(&mut changed);
            assert_ne!(changed.link(&LinkHash::GENESIS), base);
        }
        assert_ne!(event().link(&LinkHash([1; 32])), base);
    }

    #[test]
    fn hex_round_trips() {
        let hash = event().link(&LinkHash::GENESIS);
        assert_eq!(LinkHash::from_hex(&hash.to_hex()), Some(hash));
        assert_eq!(LinkHash::from_hex("zz"), None);
    }
}
