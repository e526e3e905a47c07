use chrono::NaiveDate;
use cqrs_es::{Aggregate, event_sink::EventSink};
use serde::{Deserialize, Serialize};

use super::commands::{MemberCommand, ProfileChanges};
use super::events::{MemberEvent, PhotoUrl, SignInLink};
use crate::{
    Classification, DomainError, GroupId, LongText, Note, Record, RecordIndex, Refusal, Sealed, Title, tag,
};

/// The label a member's record carries for the identity they sign in with.
pub const SIGN_IN_TAG: &str = "sign-in";

/// Where a member stands with the group.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum MemberStatus {
    /// Not yet joined.
    #[default]
    NotJoined,
    /// A member of the group.
    Member,
    /// Has left the group.
    Left,
}

impl MemberStatus {
    /// The stable word for it (its serde name too: both are the variant's name
    /// in snake case).
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// A member of the group, as their events have built them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Member {
    /// The owning group; `None` until joined.
    pub group_id: Option<GroupId>,
    /// Where they stand.
    pub status: MemberStatus,
    /// Their name as it should be shown.
    pub name: Option<Title>,
    /// The ward they represent.
    pub ward: Option<Title>,
    /// Their email address (personal data, sealed).
    pub email: Option<Sealed>,
    /// Their telephone number (personal data, sealed).
    pub phone: Option<Sealed>,
    /// A photo of them.
    pub photo_url: Option<PhotoUrl>,
    /// A short biography.
    pub biography: Option<LongText>,
    /// The day they left.
    pub left_on: Option<NaiveDate>,
    /// Why they left.
    pub left_reason: Option<Note>,
    /// Whether their personal data was erased (absent in rows written before erasure existed).
    #[serde(default)]
    pub personal_data_erased: bool,
    /// The identity they sign in with, if linked.
    #[serde(default)]
    pub sign_in: Option<SignInLink>,
}

/// Why a member command was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MemberError {
    /// The member has joined already.
    #[error("this member has already joined the group")]
    AlreadyJoined,
    /// The member does not exist.
    #[error("no such member")]
    NotJoined,
    /// The member has left already.
    #[error("this member has already left the group")]
    AlreadyLeft,
    /// A profile update that changes nothing.
    #[error("the profile update changes nothing")]
    ProfileChangesNothing,
    /// Personal data of a member whose personal data was erased.
    #[error("this member's personal data was erased: no new contact details can be recorded")]
    PersonalDataErased,
    /// The member's personal data was erased already.
    #[error("this member's personal data was erased already")]
    AlreadyErased,
    /// The member is linked to that identity already.
    #[error("this member is linked to that sign-in identity already")]
    AlreadyLinked,
    /// The member has no sign-in identity to unlink.
    #[error("this member has no sign-in identity linked")]
    NotLinked,
}

impl DomainError for MemberError {
    fn refusal(&self) -> Refusal {
        match self {
            Self::NotJoined => Refusal::NotFound,
            Self::AlreadyJoined
            | Self::AlreadyLeft
            | Self::PersonalDataErased
            | Self::AlreadyErased
            | Self::AlreadyLinked
            | Self::NotLinked => Refusal::Conflict,
            Self::ProfileChangesNothing => Refusal::Invalid,
        }
    }
}

/// `new` if it differs from `current`, else `None`.
fn changed<T: PartialEq>(new: Option<T>, current: Option<&T>) -> Option<T> {
    new.filter(|value| Some(value) != current)
}

impl Member {
    fn require_joined(&self) -> Result<(), MemberError> {
        match self.status {
            MemberStatus::NotJoined => Err(MemberError::NotJoined),
            MemberStatus::Member | MemberStatus::Left => Ok(()),
        }
    }

    /// The event for `changes`, keeping only the fields that really change.
    fn profile_update(&self, changes: ProfileChanges) -> Result<MemberEvent, MemberError> {
        let ProfileChanges { name, ward, email, phone, photo_url, biography } = changes;
        if self.personal_data_erased && (email.is_some() || phone.is_some()) {
            return Err(MemberError::PersonalDataErased);
        }
        let name = changed(name, self.name.as_ref());
        let ward = changed(ward, self.ward.as_ref());
        let email = changed(email, self.email.as_ref());
        let phone = changed(phone, self.phone.as_ref());
        let photo_url = changed(photo_url, self.photo_url.as_ref());
        let biography = changed(biography, self.biography.as_ref());
        let nothing = name.is_none()
            && ward.is_none()
            && email.is_none()
            && phone.is_none()
            && photo_url.is_none()
            && biography.is_none();
        if nothing {
            return Err(MemberError::ProfileChangesNothing);
        }
        Ok(MemberEvent::MemberProfileUpdated { name, ward, email, phone, photo_url, biography })
    }
}

impl Aggregate for Member {
    const TYPE: &'static str = "Member";
    type Command = MemberCommand;
    type Event = MemberEvent;
    type Error = MemberError;
    type Services = ();

    async fn handle(
        &mut self,
        command: Self::Command,
        _services: &Self::Services,
        sink: &EventSink<Self>,
    ) -> Result<(), Self::Error> {
        let event = match command {
            MemberCommand::JoinGroup { group_id, profile } => {
                if self.status != MemberStatus::NotJoined {
                    return Err(MemberError::AlreadyJoined);
                }
                MemberEvent::MemberJoined {
                    group_id,
                    name: profile.name,
                    ward: profile.ward,
                    email: profile.email,
                    phone: profile.phone,
                    photo_url: profile.photo_url,
                    biography: profile.biography,
                }
            }
            MemberCommand::UpdateMemberProfile(changes) => {
                self.require_joined()?;
                self.profile_update(*changes)?
            }
            MemberCommand::LeaveGroup { on, reason } => {
                self.require_joined()?;
                if self.status == MemberStatus::Left {
                    return Err(MemberError::AlreadyLeft);
                }
                MemberEvent::MemberLeft { on, reason }
            }
            MemberCommand::ErasePersonalData => {
                self.require_joined()?;
                if self.personal_data_erased {
                    return Err(MemberError::AlreadyErased);
                }
                MemberEvent::MemberPersonalDataErased {}
            }
            MemberCommand::LinkSignIn(link) => {
                self.require_joined()?;
                if self.personal_data_erased {
                    return Err(MemberError::PersonalDataErased);
                }
                if self.sign_in.as_ref().is_some_and(|current| current.lookup == link.lookup) {
                    return Err(MemberError::AlreadyLinked);
                }
                MemberEvent::MemberSignInLinked { link }
            }
            MemberCommand::UnlinkSignIn => {
                self.require_joined()?;
                if self.sign_in.is_none() {
                    return Err(MemberError::NotLinked);
                }
                MemberEvent::MemberSignInUnlinked {}
            }
        };
        sink.write(event, self).await;
        Ok(())
    }

    fn apply(&mut self, event: Self::Event) {
        match event {
            MemberEvent::MemberJoined { group_id, name, ward, email, phone, photo_url, biography } => {
                self.group_id = Some(group_id);
                self.status = MemberStatus::Member;
                self.name = Some(name);
                self.ward = Some(ward);
                self.email = email;
                self.phone = phone;
                self.photo_url = photo_url;
                self.biography = biography;
            }
            MemberEvent::MemberProfileUpdated { name, ward, email, phone, photo_url, biography } => {
                self.name = name.or(self.name.take());
                self.ward = ward.or(self.ward.take());
                self.email = email.or(self.email.take());
                self.phone = phone.or(self.phone.take());
                self.photo_url = photo_url.or(self.photo_url.take());
                self.biography = biography.or(self.biography.take());
            }
            MemberEvent::MemberLeft { on, reason } => {
                self.status = MemberStatus::Left;
                self.left_on = Some(on);
                self.left_reason = Some(reason);
            }
            MemberEvent::MemberPersonalDataErased {} => {
                self.personal_data_erased = true;
                self.email = None;
                self.phone = None;
                self.sign_in = None;
            }
            MemberEvent::MemberSignInLinked { link } => self.sign_in = Some(link),
            MemberEvent::MemberSignInUnlinked {} => self.sign_in = None,
        }
    }
}

impl Record for Member {
    fn group_id(&self) -> Option<&GroupId> {
        self.group_id.as_ref()
    }

    fn classification(&self) -> Classification {
        // The profile is public, but the contact details are personal data: the
        // record as a whole is for the group, and routes redact the contacts
        // further for roles that may not see them.
        Classification::Group
    }

    fn status(&self) -> &'static str {
        self.status.as_str()
    }

    fn index(&self) -> RecordIndex {
        RecordIndex {
            tags: self.sign_in.iter().map(|link| tag(SIGN_IN_TAG, &link.lookup)).collect(),
            ..RecordIndex::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use cqrs_es::test::TestFramework;

    use super::*;
    use crate::member::MemberProfile;

    type MemberTest = TestFramework<Member>;

    fn title(s: &str) -> Title {
        Title::parse(s).expect("title")
    }

    fn sealed(s: &str) -> Sealed {
        Sealed::from_stored(s.to_owned())
    }

    fn note(s: &str) -> Note {
        Note::parse(s).expect("note")
    }

    fn profile() -> MemberProfile {
        MemberProfile {
            name: title("Rokhsana Fiaz"),
            ward: title("Custom House"),
            email: Some(sealed("sealed:v1:fiaz:email")),
            phone: Some(sealed("sealed:v1:fiaz:phone")),
            photo_url: Some(PhotoUrl::parse("https://example.org/fiaz.jpg").expect("url")),
            biography: Some(LongText::parse("Councillor for Custom House since 2014.").expect("text")),
        }
    }

    fn group_id() -> GroupId {
        GroupId::parse("newham-labour").expect("group")
    }

    fn joined() -> MemberEvent {
        let p = profile();
        MemberEvent::MemberJoined {
            group_id: group_id(),
            name: p.name,
            ward: p.ward,
            email: p.email,
            phone: p.phone,
            photo_url: p.photo_url,
            biography: p.biography,
        }
    }

    fn left() -> MemberEvent {
        MemberEvent::MemberLeft { on: "2026-05-01".parse().expect("date"), reason: note("Resigned the whip") }
    }

    #[test]
    fn joining_the_group_emits_member_joined() {
        MemberTest::with(())
            .given_no_previous_events()
            .when(MemberCommand::JoinGroup { group_id: group_id(), profile: Box::new(profile()) })
            .then_expect_events(vec![joined()]);
    }

    #[test]
    fn a_member_cannot_join_twice() {
        MemberTest::with(())
            .given(vec![joined()])
            .when(MemberCommand::JoinGroup { group_id: group_id(), profile: Box::new(profile()) })
            .then_expect_error(MemberError::AlreadyJoined);
    }

    #[test]
    fn a_profile_update_records_only_the_fields_that_change() {
        MemberTest::with(())
            .given(vec![joined()])
            .when(MemberCommand::UpdateMemberProfile(Box::new(ProfileChanges {
                name: Some(title("Rokhsana Fiaz")),
                ward: Some(title("Canning Town South")),
                ..ProfileChanges::default()
            })))
            .then_expect_events(vec![MemberEvent::MemberProfileUpdated {
                name: None,
                ward: Some(title("Canning Town South")),
                email: None,
                phone: None,
                photo_url: None,
                biography: None,
            }]);
    }

    #[test]
    fn a_profile_update_that_changes_nothing_is_refused() {
        MemberTest::with(())
            .given(vec![joined()])
            .when(MemberCommand::UpdateMemberProfile(Box::default()))
            .then_expect_error(MemberError::ProfileChangesNothing);
        let same = profile();
        MemberTest::with(())
            .given(vec![joined()])
            .when(MemberCommand::UpdateMemberProfile(Box::new(ProfileChanges {
                name: Some(same.name),
                email: same.email,
                ..ProfileChanges::default()
            })))
            .then_expect_error(MemberError::ProfileChangesNothing);
    }

    #[test]
    fn an_update_keeps_the_fields_it_does_not_mention() {
        let mut member = Member::default();
        member.apply(joined());
        member.apply(MemberEvent::MemberProfileUpdated {
            name: None,
            ward: None,
            email: None,
            phone: Some(sealed("sealed:v1:fiaz:phone2")),
            photo_url: None,
            biography: None,
        });
        assert_eq!(member.phone, Some(sealed("sealed:v1:fiaz:phone2")));
        assert_eq!(member.email, profile().email);
        assert_eq!(member.ward, Some(title("Custom House")));
    }

    #[test]
    fn leaving_the_group_emits_member_left() {
        MemberTest::with(())
            .given(vec![joined()])
            .when(MemberCommand::LeaveGroup {
                on: "2026-05-01".parse().expect("date"),
                reason: note("Resigned the whip"),
            })
            .then_expect_events(vec![left()]);
    }

    #[test]
    fn a_member_who_has_left_cannot_leave_again() {
        MemberTest::with(())
            .given(vec![joined(), left()])
            .when(MemberCommand::LeaveGroup {
                on: "2026-06-01".parse().expect("date"),
                reason: note("Again"),
            })
            .then_expect_error(MemberError::AlreadyLeft);
    }

    #[test]
    fn commands_on_a_member_who_never_joined_are_not_found() {
        MemberTest::with(())
            .given_no_previous_events()
            .when(MemberCommand::LeaveGroup { on: "2026-05-01".parse().expect("date"), reason: note("x") })
            .then_expect_error(MemberError::NotJoined);
        MemberTest::with(())
            .given_no_previous_events()
            .when(MemberCommand::UpdateMemberProfile(Box::new(ProfileChanges {
                ward: Some(title("Stratford")),
                ..ProfileChanges::default()
            })))
            .then_expect_error(MemberError::NotJoined);
    }

    #[test]
    fn erasing_personal_data_emits_an_event_once_and_clears_the_contact_details() {
        MemberTest::with(())
            .given(vec![joined()])
            .when(MemberCommand::ErasePersonalData)
            .then_expect_events(vec![MemberEvent::MemberPersonalDataErased {}]);
        MemberTest::with(())
            .given(vec![joined(), MemberEvent::MemberPersonalDataErased {}])
            .when(MemberCommand::ErasePersonalData)
            .then_expect_error(MemberError::AlreadyErased);
        MemberTest::with(())
            .given_no_previous_events()
            .when(MemberCommand::ErasePersonalData)
            .then_expect_error(MemberError::NotJoined);
        let mut member = Member::default();
        member.apply(joined());
        member.apply(MemberEvent::MemberPersonalDataErased {});
        assert_eq!((member.email, member.phone, member.personal_data_erased), (None, None, true));
        assert_eq!(member.name, Some(title("Rokhsana Fiaz")), "the public profile stays");
    }

    #[test]
    fn no_new_contact_details_are_recorded_after_erasure() {
        MemberTest::with(())
            .given(vec![joined(), MemberEvent::MemberPersonalDataErased {}])
            .when(MemberCommand::UpdateMemberProfile(Box::new(ProfileChanges {
                email: Some(sealed("sealed:v1:fiaz:new")),
                ..ProfileChanges::default()
            })))
            .then_expect_error(MemberError::PersonalDataErased);
        MemberTest::with(())
            .given(vec![joined(), MemberEvent::MemberPersonalDataErased {}])
            .when(MemberCommand::UpdateMemberProfile(Box::new(ProfileChanges {
                ward: Some(title("Beckton")),
                ..ProfileChanges::default()
            })))
            .then_expect_events(vec![MemberEvent::MemberProfileUpdated {
                name: None,
                ward: Some(title("Beckton")),
                email: None,
                phone: None,
                photo_url: None,
                biography: None,
            }]);
    }

    fn link(subject: &str) -> SignInLink {
        SignInLink {
            issuer: "https://login.example.org".into(),
            subject: sealed(&format!("sealed:v1:fiaz:{subject}")),
            lookup: format!("digest-of-{subject}"),
        }
    }

    #[test]
    fn a_sign_in_identity_is_linked_replaced_unlinked_and_gone_with_erasure() {
        MemberTest::with(())
            .given(vec![joined()])
            .when(MemberCommand::LinkSignIn(link("a")))
            .then_expect_events(vec![MemberEvent::MemberSignInLinked { link: link("a") }]);
        MemberTest::with(())
            .given(vec![joined(), MemberEvent::MemberSignInLinked { link: link("a") }])
            .when(MemberCommand::LinkSignIn(link("a")))
            .then_expect_error(MemberError::AlreadyLinked);
        MemberTest::with(())
            .given(vec![joined(), MemberEvent::MemberSignInLinked { link: link("a") }])
            .when(MemberCommand::LinkSignIn(link("b")))
            .then_expect_events(vec![MemberEvent::MemberSignInLinked { link: link("b") }]);
        MemberTest::with(())
            .given(vec![joined()])
            .when(MemberCommand::UnlinkSignIn)
            .then_expect_error(MemberError::NotLinked);
        MemberTest::with(())
            .given(vec![joined(), MemberEvent::MemberPersonalDataErased {}])
            .when(MemberCommand::LinkSignIn(link("a")))
            .then_expect_error(MemberError::PersonalDataErased);
        let mut member = Member::default();
        member.apply(joined());
        member.apply(MemberEvent::MemberSignInLinked { link: link("a") });
        assert_eq!(member.index().tags, vec![tag(SIGN_IN_TAG, "digest-of-a")], "found by the digest");
        member.apply(MemberEvent::MemberPersonalDataErased {});
        assert_eq!((member.index().tags, member.sign_in), (Vec::new(), None), "erasure ends the link");
    }

    #[test]
    fn a_member_is_readable_by_the_group_and_reports_their_status() {
        let mut member = Member::default();
        member.apply(joined());
        assert_eq!((member.classification(), member.status()), (Classification::Group, "member"));
        member.apply(left());
        assert_eq!(member.status(), "left");
    }
}
