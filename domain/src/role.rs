//! The roles a token can carry, as DOMAIN.md names them.

use serde::{Deserialize, Serialize};

use super::classification::Classification;

/// A caller's role within their group.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, strum::IntoStaticStr,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Role {
    /// The Political Assistant: runs the office.
    Assistant,
    /// The Group Leader: approves what goes public in the group's name.
    Leader,
    /// A Group Officer (Deputy Leader, Chief Whip, Secretary, Treasurer).
    Officer,
    /// A member of the group.
    Councillor,
    /// Reads everything and replays history; changes nothing.
    Auditor,
    /// The publisher service: reads approved public material.
    Publisher,
}

impl Role {
    /// Every role.
    pub const ALL: [Self; 6] =
        [Self::Assistant, Self::Leader, Self::Officer, Self::Councillor, Self::Auditor, Self::Publisher];

    /// The stable word for it (its serde name too: both are the variant's name
    /// in snake case).
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// Parses a claim value.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == name)
    }

    /// Whether this role may read records of `classification`.
    pub fn reads(self, classification: Classification) -> bool {
        use Classification::*;
        match self {
            Self::Assistant | Self::Auditor => true,
            // A case is its councillor's: the Leader reads one only as its
            // owner or when it is shared with them, which the case checks.
            Self::Leader => classification != Casework,
            Self::Officer => matches!(classification, Public | Group | Officers),
            Self::Councillor => matches!(classification, Public | Group),
            Self::Publisher => classification == Public,
        }
    }
}
