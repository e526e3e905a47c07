//! `/members`: the group's councillors, their profiles, departures, erasure
//! of their personal data and subject access.

use caucus_domain::{
    Title,
    member::{Email, Member, MemberProfile, ProfileChanges},
};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::common::{Cursor, IdList, PageLimit, Stored, Unrecorded};
use crate::input::{DocumentText, EmailText, NoteText, PhotoUrlText, TitleText};
use crate::mirror::mirror;
use crate::{Fields, ParseRequest};

mirror! {
    /// Where a member stands with the group.
    pub enum MemberStatus = caucus_domain::member::MemberStatus {
        /// A member of the group.
        Member,
        /// Has left the group.
        Left,
    }
    internal { NotJoined }
}

/// A member's contact details, checked but not yet sealed: the api seals
/// them under the member's own key before they reach an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    /// Their email address.
    pub email: Option<Email>,
    /// Their telephone number.
    pub phone: Option<Title>,
}

/// Add a councillor to the group.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddMemberRequest {
    /// Their name as it should be shown.
    pub name: TitleText,
    /// The ward they represent.
    pub ward: TitleText,
    /// Their email address (personal data).
    #[serde(default)]
    pub email: Option<EmailText>,
    /// Their telephone number (personal data).
    #[serde(default)]
    pub phone: Option<TitleText>,
    /// An `https://` URL of a photo of them.
    #[serde(default)]
    pub photo_url: Option<PhotoUrlText>,
    /// A short biography.
    #[serde(default)]
    pub biography: Option<DocumentText>,
}

impl ParseRequest for AddMemberRequest {
    type Parsed = (MemberProfile, Contact);

    fn parse_fields(&self, fields: &mut Fields) -> Option<Self::Parsed> {
        let name = fields.check("/name", &self.name);
        let ward = fields.check("/ward", &self.ward);
        let email = fields.check_optional("/email", self.email.as_ref());
        let phone = fields.check_optional("/phone", self.phone.as_ref());
        let photo_url = fields.check_optional("/photo_url", self.photo_url.as_ref());
        let biography = fields.check_optional("/biography", self.biography.as_ref());
        let profile = MemberProfile {
            name: name?,
            ward: ward?,
            email: None,
            phone: None,
            photo_url: photo_url?,
            biography: biography?,
        };
        Some((profile, Contact { email: email?, phone: phone? }))
    }
}

/// Link a member to the identity they sign in with at the council's
/// identity provider, so its tokens act as them (their own actions, cases
/// and drafts); any earlier link is replaced.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkMemberSignInRequest {
    /// The provider's issuer, exactly as its tokens' `iss` claim
    /// (`https://login.microsoftonline.com/<tenant>/v2.0`).
    pub issuer: TitleText,
    /// Their subject there, exactly as its tokens' `sub` claim.
    pub subject: TitleText,
}

/// A sign-in identity, checked: its issuer and subject.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignInIdentity {
    /// The issuer.
    pub issuer: String,
    /// The subject.
    pub subject: String,
}

impl ParseRequest for LinkMemberSignInRequest {
    type Parsed = SignInIdentity;

    fn parse_fields(&self, fields: &mut Fields) -> Option<Self::Parsed> {
        let issuer = fields.check("/issuer", &self.issuer);
        let subject = fields.check("/subject", &self.subject);
        Some(SignInIdentity { issuer: issuer?.to_string(), subject: subject?.to_string() })
    }
}

/// Change parts of a member's profile: absent fields stay as they are, and
/// an update that changes nothing is refused.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateMemberProfileRequest {
    /// A new name.
    #[serde(default)]
    pub name: Option<TitleText>,
    /// A new ward.
    #[serde(default)]
    pub ward: Option<TitleText>,
    /// A new email address.
    #[serde(default)]
    pub email: Option<EmailText>,
    /// A new telephone number.
    #[serde(default)]
    pub phone: Option<TitleText>,
    /// A new `https://` photo URL.
    #[serde(default)]
    pub photo_url: Option<PhotoUrlText>,
    /// A new biography.
    #[serde(default)]
    pub biography: Option<DocumentText>,
}

impl ParseRequest for UpdateMemberProfileRequest {
    type Parsed = (ProfileChanges, Contact);

    fn parse_fields(&self, fields: &mut Fields) -> Option<Self::Parsed> {
        let name = fields.check_optional("/name", self.name.as_ref());
        let ward = fields.check_optional("/ward", self.ward.as_ref());
        let email = fields.check_optional("/email", self.email.as_ref());
        let phone = fields.check_optional("/phone", self.phone.as_ref());
        let photo_url = fields.check_optional("/photo_url", self.photo_url.as_ref());
        let biography = fields.check_optional("/biography", self.biography.as_ref());
        let changes = ProfileChanges {
            name: name?,
            ward: ward?,
            email: None,
            phone: None,
            photo_url: photo_url?,
            biography: biography?,
        };
        Some((changes, Contact { email: email?, phone: phone? }))
    }
}

/// Record that a member left the group.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RemoveMemberRequest {
    /// The day they left.
    pub on: NaiveDate,
    /// Why.
    pub reason: NoteText,
}

/// Erase a member's personal data: no body.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EraseMemberPersonalDataRequest {}

/// A member of the group.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MemberView {
    /// The member's id.
    pub id: Uuid,
    /// Its version; also its ETag.
    pub version: u64,
    /// Where they stand with the group.
    pub status: MemberStatus,
    /// Their name as it should be shown.
    pub name: String,
    /// The ward they represent.
    pub ward: String,
    /// Their email address; `null` if none was given, if the caller's roles may
    /// not see personal data (councillors and the publisher), or once erased.
    pub email: Option<String>,
    /// Their telephone number; `null` if none was given, if the caller's roles
    /// may not see personal data (councillors and the publisher), or once erased.
    pub phone: Option<String>,
    /// Whether their personal data was erased: their key is destroyed, and their
    /// contact details are unreadable everywhere.
    pub personal_data_erased: bool,
    /// An `https://` URL of a photo of them.
    pub photo_url: Option<String>,
    /// A short biography.
    pub biography: Option<String>,
    /// The day they left the group.
    pub left_on: Option<NaiveDate>,
    /// Why they left.
    pub left_reason: Option<String>,
    /// The identity provider (its issuer) they are linked to for signing
    /// in, if they are; the subject there is personal data and not shown.
    pub sign_in_issuer: Option<String>,
    /// When they were added (RFC 3339, UTC).
    pub recorded_at: String,
    /// When the record last changed (RFC 3339, UTC).
    pub updated_at: String,
}

impl MemberView {
    /// The member as stored: `email` and `phone` still sealed, for the api to
    /// open or withhold by the reader's roles.
    pub fn sealed(id: Uuid, m: Member, stored: Stored<'_>) -> Result<Self, Unrecorded> {
        let unjoined = || Unrecorded { record: "member", id };
        Ok(Self {
            id,
            version: stored.version,
            status: m.status.try_into().map_err(|_| unjoined())?,
            name: m.name.ok_or_else(unjoined)?.to_string(),
            ward: m.ward.ok_or_else(unjoined)?.to_string(),
            email: m.email.map(|e| e.as_str().to_owned()),
            phone: m.phone.map(|p| p.as_str().to_owned()),
            personal_data_erased: m.personal_data_erased,
            photo_url: m.photo_url.map(|u| u.to_string()),
            biography: m.biography.map(|b| b.to_string()),
            left_on: m.left_on,
            left_reason: m.left_reason.map(|r| r.to_string()),
            sign_in_issuer: m.sign_in.map(|link| link.issuer),
            recorded_at: stored.created_at.to_owned(),
            updated_at: stored.updated_at.to_owned(),
        })
    }
}

/// A page of the members list.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MemberPage {
    /// The members, oldest first.
    pub items: Vec<MemberView>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// Filters for the members list.
#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct MemberFilters {
    /// Only members in this status.
    #[param(inline)]
    pub status: Option<MemberStatus>,
    /// Only these records (up to 200 ids, separated by commas): the ones a
    /// page names. Ask for a `limit` as large as the list to have them all at once.
    #[param(inline)]
    pub ids: Option<IdList>,
    /// Continue from the `next_cursor` of the previous page.
    #[param(inline)]
    pub cursor: Option<Cursor>,
    /// Page size, 1 to 200 (default 50).
    #[param(inline)]
    pub limit: Option<PageLimit>,
    /// The register as it stood at this instant, rebuilt from the events recorded by then.
    pub as_of: Option<DateTime<Utc>>,
}

/// A record that refers to the member (an action they own, an appointment they hold).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ReferringRecordView {
    /// The record's type (`Action`, `Appointment`).
    pub record_type: String,
    /// Its id.
    pub record_id: String,
    /// Its status word.
    pub status: String,
    /// Its version.
    pub version: i64,
    /// The record as the read model holds it, personal data opened.
    pub state: Value,
}

/// One event of the member's record, personal data opened.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SubjectEventView {
    /// Its sequence within the member's record.
    pub sequence: i64,
    /// The event's type.
    pub event_type: String,
    /// Who, when, in which roles, on which request.
    pub metadata: Value,
    /// The event, its sealed fields opened while the member's key exists
    /// (`null` once erased).
    pub payload: Value,
}

/// Everything the group holds about one member (a subject access export).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SubjectAccessView {
    /// The member's id (the data subject).
    pub subject_id: Uuid,
    /// When this export was made (RFC 3339, UTC).
    pub generated_at: String,
    /// Whether their personal data was erased.
    pub personal_data_erased: bool,
    /// Their record.
    pub member: MemberView,
    /// The records that name them: actions they own, appointments they hold,
    /// meetings they attended or presented at, motions they moved, seconded or
    /// voted on, notes written for them, elections they stood in, ...
    pub referring_records: Vec<ReferringRecordView>,
    /// Every event of their record, oldest first.
    pub events: Vec<SubjectEventView>,
}
