//! The claims Caucus requires in a token.

use serde::{Deserialize, Serialize};

use crate::domain::{GroupId, Role};

/// The claims of a Caucus token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// Subject: who the caller is (a stable user id).
    pub sub: String,
    /// Issuer.
    pub iss: String,
    /// Audience.
    pub aud: String,
    /// Expiry, seconds since the epoch.
    pub exp: u64,
    /// Issued at, seconds since the epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iat: Option<u64>,
    /// Not before, seconds since the epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nbf: Option<u64>,
    /// The caller's group (tenant).
    pub group: String,
    /// The caller's roles within the group.
    pub roles: Vec<String>,
}

/// Why a token was refused. The messages go back to the caller, so they say
/// what is wrong without echoing the token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// No `Authorization: Bearer` header.
    #[error("a bearer token is required")]
    Missing,
    /// The token failed verification (signature, expiry, issuer, audience, ...).
    #[error("the token is not valid: {0}")]
    Invalid(String),
    /// The token names a key this server does not know.
    #[error("the token's key id is not known")]
    UnknownKey,
    /// The `group` claim is malformed.
    #[error("the token's group claim is malformed")]
    BadGroup,
    /// A role claim names no Caucus role, or there is none.
    #[error("the token's roles claim must list known roles")]
    BadRoles,
    /// An identity provider's genuine token names no group Caucus can use.
    #[error("the identity provider's token names no Caucus group")]
    NoGroup,
    /// An identity provider's genuine token grants no Caucus role.
    #[error("the identity provider's token grants no Caucus role")]
    NoRole,
    /// The identity provider's keys have not been fetched yet and cannot be
    /// now: the token can be checked once they are.
    #[error("the identity provider's signing keys cannot be fetched; retry in {retry_after_seconds} seconds")]
    ProviderUnavailable {
        /// When a fetch will next be attempted.
        retry_after_seconds: u64,
    },
}

impl Claims {
    /// The group and roles the claims grant.
    pub fn grants(&self) -> Result<(GroupId, Vec<Role>), TokenError> {
        let group = GroupId::parse(&self.group).map_err(|_| TokenError::BadGroup)?;
        let roles: Option<Vec<Role>> = self.roles.iter().map(|r| Role::parse(r)).collect();
        match roles {
            Some(roles) if !roles.is_empty() => Ok((group, roles)),
            _ => Err(TokenError::BadRoles),
        }
    }
}
