//! Who may read a record: every record carries one classification.

use serde::{Deserialize, Serialize};

use super::role::Role;

/// How widely a record may be read, from `public` (may be published) to
/// `confidential` (the assistant and the Leader only).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, strum::IntoStaticStr,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Classification {
    /// May be published once approved.
    Public,
    /// Every member of the group.
    Group,
    /// Group Officers and the assistant.
    Officers,
    /// Named roles only: the assistant, the Leader and auditors.
    Confidential,
    /// Casework: the assistant by role, a case's owner and the councillors it
    /// is shared with by the case's own check, auditors its metadata only.
    /// Never chosen for another record.
    Casework,
}

impl Classification {
    /// Every classification, widest first.
    pub const ALL: [Self; 5] =
        [Self::Public, Self::Group, Self::Officers, Self::Confidential, Self::Casework];

    /// The stable word for it (its serde name too: both are the variant's name
    /// in snake case).
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// Parses the stored name back.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == name)
    }

    /// Whether a caller holding `roles` may read a record of this classification.
    pub fn readable_by(self, roles: &[Role]) -> bool {
        roles.iter().any(|role| role.reads(self))
    }

    /// The classifications a caller holding `roles` may read.
    pub fn readable_set(roles: &[Role]) -> Vec<Self> {
        Self::ALL.into_iter().filter(|c| c.readable_by(roles)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn councillors_never_read_officers_or_confidential_records() {
        let readable = Classification::readable_set(&[Role::Councillor]);
        assert_eq!(readable, vec![Classification::Public, Classification::Group]);
    }

    #[test]
    fn officers_read_officers_records_but_not_confidential_ones() {
        assert!(Classification::Officers.readable_by(&[Role::Officer]));
        assert!(!Classification::Confidential.readable_by(&[Role::Officer]));
    }

    #[test]
    fn assistant_and_auditor_read_everything() {
        for role in [Role::Assistant, Role::Auditor] {
            assert_eq!(Classification::readable_set(&[role]).len(), 5, "{role:?}");
        }
    }

    #[test]
    fn the_leader_reads_everything_but_casework() {
        let readable = Classification::readable_set(&[Role::Leader]);
        assert_eq!(readable.len(), 4);
        assert!(!readable.contains(&Classification::Casework));
        for role in [Role::Officer, Role::Councillor, Role::Publisher] {
            assert!(!Classification::Casework.readable_by(&[role]), "{role:?}");
        }
    }

    #[test]
    fn names_round_trip() {
        for c in Classification::ALL {
            assert_eq!(Classification::parse(c.as_str()), Some(c));
        }
    }
}
