//! Members of the group: the Popolo "person" with their membership of the
//! group. A member joins, keeps a profile (public facts and personal contact
//! details), and may leave; leaving is a new event, and the member's history
//! stays in the log.

mod aggregate;
mod commands;
mod events;

pub use aggregate::{Member, MemberError, MemberStatus, SIGN_IN_TAG};
pub use commands::{MemberCommand, MemberProfile, ProfileChanges};
pub use events::{
    EMAIL_MAX, EMAIL_PATTERN, Email, EmailError, MemberEvent, PHOTO_URL_MAX, PHOTO_URL_PATTERN, PhotoUrl,
    PhotoUrlError, SignInLink,
};
