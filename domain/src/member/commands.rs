use chrono::NaiveDate;

use super::events::{PhotoUrl, SignInLink};
use crate::{GroupId, LongText, Note, Sealed, Title};

/// A new member's profile, already checked. Name, ward, photo and biography
/// are public facts; email and phone are personal data, sealed by the caller
/// under the member's key once checked (`Email`, `Title`).
#[derive(Debug, Clone, PartialEq)]
pub struct MemberProfile {
    /// Their name as it should be shown.
    pub name: Title,
    /// The ward they represent.
    pub ward: Title,
    /// Their email address, sealed.
    pub email: Option<Sealed>,
    /// Their telephone number, sealed.
    pub phone: Option<Sealed>,
    /// A photo of them.
    pub photo_url: Option<PhotoUrl>,
    /// A short biography.
    pub biography: Option<LongText>,
}

/// Changes to a member's profile, already checked: absent fields stay as they are.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProfileChanges {
    /// A new name.
    pub name: Option<Title>,
    /// A new ward.
    pub ward: Option<Title>,
    /// A new email address, sealed. Sealing uses a fresh nonce, so the caller
    /// leaves out a value equal to the current one.
    pub email: Option<Sealed>,
    /// A new telephone number, sealed (left out if unchanged, as the email).
    pub phone: Option<Sealed>,
    /// A new photo.
    pub photo_url: Option<PhotoUrl>,
    /// A new biography.
    pub biography: Option<LongText>,
}

/// What a caller can ask of a member.
#[derive(Debug, Clone, PartialEq)]
pub enum MemberCommand {
    /// Add a councillor to the group.
    JoinGroup {
        /// The group they join.
        group_id: GroupId,
        /// Their profile.
        profile: Box<MemberProfile>,
    },
    /// Change parts of the member's profile.
    UpdateMemberProfile(Box<ProfileChanges>),
    /// Record that the member left the group.
    LeaveGroup {
        /// The day they left.
        on: NaiveDate,
        /// Why.
        reason: Note,
    },
    /// Erase the member's personal data (their key is destroyed after the event).
    ErasePersonalData,
    /// Link the member to the identity they sign in with (the caller has
    /// checked that no other member holds it).
    LinkSignIn(SignInLink),
    /// Unlink the member's sign-in identity.
    UnlinkSignIn,
}
