use chrono::NaiveDate;

use super::events::{Email, PhotoUrl};
use crate::domain::{GroupId, LongText, Note, Title};

/// A new member's profile, already checked. Name, ward, photo and biography
/// are public facts; email and phone are personal data.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberProfile {
    /// Their name as it should be shown.
    pub name: Title,
    /// The ward they represent.
    pub ward: Title,
    /// Their email address.
    pub email: Option<Email>,
    /// Their telephone number.
    pub phone: Option<Title>,
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
    /// A new email address.
    pub email: Option<Email>,
    /// A new telephone number.
    pub phone: Option<Title>,
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
}
