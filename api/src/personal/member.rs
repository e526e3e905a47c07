//! Sealing a member's contact details: the one helper the member routes and the
//! sample loader share, so every way a member is recorded seals alike.

use uuid::Uuid;

use super::{PersonalData, PersonalDataError};
use crate::domain::{Sealed, Title, member::Email};

/// The field name an email is sealed under (its name in events and records).
pub const EMAIL: &str = "email";
/// The field name a telephone number is sealed under.
pub const PHONE: &str = "phone";

/// A member's checked contact details, sealed under their key.
pub async fn seal_contact(
    personal: &PersonalData,
    member: Uuid,
    email: Option<&Email>,
    phone: Option<&Title>,
) -> Result<(Option<Sealed>, Option<Sealed>), PersonalDataError> {
    let subject = member.to_string();
    let email = match email {
        Some(email) => Some(personal.seal(&subject, EMAIL, email.as_str()).await?),
        None => None,
    };
    let phone = match phone {
        Some(phone) => Some(personal.seal(&subject, PHONE, phone.as_str()).await?),
        None => None,
    };
    Ok((email, phone))
}
