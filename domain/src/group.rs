//! The tenant: one party group on one council.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The identifier of a group (tenant), e.g. `newham-labour`: lowercase letters,
/// digits and hyphens, 1 to 64 characters. Every record belongs to exactly one.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct GroupId(String);

/// Why a group id was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a group id is 1 to 64 lowercase letters, digits or hyphens")]
pub struct GroupIdError;

impl GroupId {
    /// Checks `raw` is a well-formed group id.
    pub fn parse(raw: &str) -> Result<Self, GroupIdError> {
        let well_formed = (1..=64).contains(&raw.len())
            && raw.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if well_formed { Ok(Self(raw.to_owned())) } else { Err(GroupIdError) }
    }

    /// The id as stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for GroupId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for GroupId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_accepted() {
        assert!(GroupId::parse("newham-labour").is_ok());
    }

    #[test]
    fn uppercase_spaces_and_empty_ids_are_refused() {
        for bad in ["", "Newham", "newham labour", &"a".repeat(65)] {
            assert_eq!(GroupId::parse(bad), Err(GroupIdError), "{bad:?}");
        }
    }
}
