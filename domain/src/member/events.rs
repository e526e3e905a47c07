use std::fmt;

use chrono::NaiveDate;
use cqrs_es::DomainEvent;
use serde::{Deserialize, Serialize};

use crate::{GroupId, LongText, Note, Sealed, Title};

/// The longest email address accepted (RFC 5321's path limit), as sent.
pub const EMAIL_MAX: usize = 254;
/// The longest photo URL accepted, as sent.
pub const PHOTO_URL_MAX: usize = 2_000;

/// [`Email::parse`]'s rule but for the length, as a regular expression
/// (ECMA-262): one `@` with text either side, no white space or control
/// characters, white space around it allowed (it is trimmed).
pub const EMAIL_PATTERN: &str = concat!(
    r"^[\t\n\u000B\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*",
    r"[^@\u0000-\u0020\u007F-\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]+",
    r"@",
    r"[^@\u0000-\u0020\u007F-\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]+",
    r"[\t\n\u000B\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"
);

/// [`PhotoUrl::parse`]'s rule but for the length, as a regular expression
/// (ECMA-262): `https://` and something after it, no white space or control
/// characters, white space around it allowed (it is trimmed).
pub const PHOTO_URL_PATTERN: &str = concat!(
    r"^[\t\n\u000B\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*",
    r"https://",
    r"[^\u0000-\u0020\u007F-\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]+",
    r"[\t\n\u000B\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"
);

/// Why an email address was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    /// Not of the form `local@domain`.
    #[error("must be an email address: one '@' with text either side and no spaces")]
    Malformed,
    /// Longer than an email address can be.
    #[error("must be at most {max} characters, got {actual}")]
    TooLong {
        /// The limit.
        max: usize,
        /// The length given.
        actual: usize,
    },
}

/// A trimmed email address: one `@` with text either side, no whitespace or
/// control characters, at most 254 characters. Personal data.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    /// Trims `raw` and checks it looks like an email address.
    pub fn parse(raw: &str) -> Result<Self, EmailError> {
        let trimmed = raw.trim();
        let length = raw.chars().count();
        if length > EMAIL_MAX {
            return Err(EmailError::TooLong { max: EMAIL_MAX, actual: length });
        }
        let well_formed = trimmed
            .split_once('@')
            .is_some_and(|(local, domain)| !local.is_empty() && !domain.is_empty() && !domain.contains('@'))
            && !trimmed.chars().any(|c| c.is_whitespace() || c.is_control());
        if well_formed { Ok(Self(trimmed.to_owned())) } else { Err(EmailError::Malformed) }
    }

    /// The checked address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why a photo URL was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhotoUrlError {
    /// Not an `https://` URL.
    #[error("must be an https:// URL with no spaces")]
    NotHttps,
    /// Longer than the field allows.
    #[error("must be at most {max} characters, got {actual}")]
    TooLong {
        /// The limit.
        max: usize,
        /// The length given.
        actual: usize,
    },
}

/// A trimmed `https://` URL of a photo, with something after the scheme, no
/// whitespace or control characters, at most 2,000 characters.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PhotoUrl(String);

impl PhotoUrl {
    /// Trims `raw` and checks it is an `https://` URL.
    pub fn parse(raw: &str) -> Result<Self, PhotoUrlError> {
        let trimmed = raw.trim();
        let length = raw.chars().count();
        if length > PHOTO_URL_MAX {
            return Err(PhotoUrlError::TooLong { max: PHOTO_URL_MAX, actual: length });
        }
        let well_formed = trimmed.strip_prefix("https://").is_some_and(|rest| !rest.is_empty())
            && !trimmed.chars().any(|c| c.is_whitespace() || c.is_control());
        if well_formed { Ok(Self(trimmed.to_owned())) } else { Err(PhotoUrlError::NotHttps) }
    }

    /// The checked URL.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PhotoUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for PhotoUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The identity a member signs in with at the council's identity provider:
/// its issuer, their subject there (personal data, sealed), and the lookup
/// key a token's `iss` and `sub` are matched by (a digest of both, so the
/// read model holds no identifier in the clear).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInLink {
    /// The identity provider's issuer URL.
    pub issuer: String,
    /// Their subject at that provider, sealed.
    pub subject: Sealed,
    /// The digest of issuer and subject that tokens are matched by.
    pub lookup: String,
}

/// Everything that can happen to a member.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum MemberEvent {
    /// A councillor joined the group.
    MemberJoined {
        /// The group they joined.
        group_id: GroupId,
        /// Their name as it should be shown.
        name: Title,
        /// The ward they represent.
        ward: Title,
        /// Their email address (personal data, sealed).
        email: Option<Sealed>,
        /// Their telephone number (personal data, sealed).
        phone: Option<Sealed>,
        /// A photo of them.
        photo_url: Option<PhotoUrl>,
        /// A short biography.
        biography: Option<LongText>,
    },
    /// Parts of the member's profile changed; absent fields stayed as they were.
    MemberProfileUpdated {
        /// The new name.
        name: Option<Title>,
        /// The new ward.
        ward: Option<Title>,
        /// The new email address (sealed).
        email: Option<Sealed>,
        /// The new telephone number (sealed).
        phone: Option<Sealed>,
        /// The new photo.
        photo_url: Option<PhotoUrl>,
        /// The new biography.
        biography: Option<LongText>,
    },
    /// The member left the group.
    MemberLeft {
        /// The day they left.
        on: NaiveDate,
        /// Why.
        reason: Note,
    },
    /// The member's personal data was erased: their key is destroyed, so every
    /// sealed copy of their contact details is unreadable from now on.
    MemberPersonalDataErased {},
    /// The member was linked to the identity they sign in with, replacing
    /// any earlier link: tokens for it act as this member.
    MemberSignInLinked {
        /// The identity.
        link: SignInLink,
    },
    /// The member's sign-in identity was unlinked: its tokens no longer act
    /// as this member.
    MemberSignInUnlinked {},
}

impl DomainEvent for MemberEvent {
    fn event_type(&self) -> String {
        match self {
            Self::MemberJoined { .. } => "MemberJoined",
            Self::MemberProfileUpdated { .. } => "MemberProfileUpdated",
            Self::MemberLeft { .. } => "MemberLeft",
            Self::MemberPersonalDataErased { .. } => "MemberPersonalDataErased",
            Self::MemberSignInLinked { .. } => "MemberSignInLinked",
            Self::MemberSignInUnlinked { .. } => "MemberSignInUnlinked",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        "1.0.0".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_email_address_is_trimmed_and_kept() {
        assert_eq!(
            Email::parse("  cllr.smith@newham.gov.uk ").map(|e| e.to_string()),
            Ok("cllr.smith@newham.gov.uk".into())
        );
    }

    #[test]
    fn an_email_address_needs_one_at_sign_with_text_either_side() {
        for bad in ["", "smith", "@newham.gov.uk", "smith@", "a@b@c", "cllr smith@newham.gov.uk"] {
            assert_eq!(Email::parse(bad), Err(EmailError::Malformed), "{bad:?}");
        }
    }

    #[test]
    fn an_overlong_email_address_names_the_limit() {
        let long = format!("{}@newham.gov.uk", "a".repeat(250));
        assert_eq!(Email::parse(&long), Err(EmailError::TooLong { max: 254, actual: 264 }));
    }

    #[test]
    fn a_photo_url_must_use_https() {
        assert!(PhotoUrl::parse("https://www.newham.gov.uk/photo.jpg").is_ok());
        for bad in ["http://www.newham.gov.uk/photo.jpg", "https://", "photo.jpg", "https://a b"] {
            assert_eq!(PhotoUrl::parse(bad), Err(PhotoUrlError::NotHttps), "{bad:?}");
        }
    }

    #[test]
    fn an_overlong_photo_url_names_the_limit() {
        let long = format!("https://{}", "a".repeat(1_993));
        assert_eq!(PhotoUrl::parse(&long), Err(PhotoUrlError::TooLong { max: 2_000, actual: 2_001 }));
    }
}
