use cqrs_es::{Aggregate, event_sink::EventSink};
use serde::{Deserialize, Serialize};

use super::commands::{ResidentCommand, ResidentDetails};
use super::events::ResidentEvent;
use crate::{Classification, DomainError, GroupId, Record, Refusal, Sealed};

/// How a resident would like to be contacted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum ContactMethod {
    /// By email.
    #[default]
    Email,
    /// By telephone.
    Phone,
    /// By letter.
    Letter,
}

/// Why a resident's personal data was erased.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Erasure {
    /// They asked (UK GDPR Article 17).
    Request,
    /// Their last case's retention period ran out.
    Retention,
}

/// Where a resident's record stands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum ResidentStatus {
    /// Not yet recorded.
    #[default]
    Unrecorded,
    /// Their details are held.
    Recorded,
    /// Their personal data is erased.
    Erased,
}

impl ResidentStatus {
    /// The stable word for it (its serde name too).
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// A resident, as their events have built the record.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Resident {
    /// The group holding the record.
    pub group_id: Option<GroupId>,
    /// Where the record stands.
    pub status: ResidentStatus,
    /// Their name, sealed.
    pub name: Option<Sealed>,
    /// Their postal address, sealed.
    pub address: Option<Sealed>,
    /// Their email address, sealed.
    pub email: Option<Sealed>,
    /// Their telephone number, sealed.
    pub phone: Option<Sealed>,
    /// How they would like to be contacted.
    pub preferred_contact: ContactMethod,
    /// Whether they consent to their details being shared.
    pub consent_to_share: bool,
    /// Why their personal data was erased.
    pub erased_because: Option<Erasure>,
}

/// Why a resident command was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResidentError {
    /// Recorded already.
    #[error("this resident has already been recorded")]
    AlreadyRecorded,
    /// Not recorded.
    #[error("no such resident")]
    NotRecorded,
    /// Their personal data was erased.
    #[error("this resident's personal data was erased: nothing more can be recorded about them")]
    Erased,
    /// Consent is already as asked.
    #[error("the resident's consent is already recorded as that")]
    SameConsent,
}

impl DomainError for ResidentError {
    fn refusal(&self) -> Refusal {
        match self {
            Self::NotRecorded => Refusal::NotFound,
            Self::AlreadyRecorded | Self::Erased => Refusal::Conflict,
            Self::SameConsent => Refusal::Invalid,
        }
    }
}

impl Resident {
    /// Whether details can still be recorded for them.
    pub fn require_recorded(&self) -> Result<(), ResidentError> {
        match self.status {
            ResidentStatus::Unrecorded => Err(ResidentError::NotRecorded),
            ResidentStatus::Recorded => Ok(()),
            ResidentStatus::Erased => Err(ResidentError::Erased),
        }
    }

    fn hold(&mut self, details: ResidentDetails) {
        let ResidentDetails { name, address, email, phone, preferred_contact } = details;
        self.name = Some(name);
        self.address = address;
        self.email = email;
        self.phone = phone;
        self.preferred_contact = preferred_contact;
    }
}

impl Aggregate for Resident {
    const TYPE: &'static str = "Resident";
    type Command = ResidentCommand;
    type Event = ResidentEvent;
    type Error = ResidentError;
    type Services = ();

    async fn handle(
        &mut self,
        command: Self::Command,
        _services: &Self::Services,
        sink: &EventSink<Self>,
    ) -> Result<(), Self::Error> {
        let event = match command {
            ResidentCommand::RecordResident { group_id, details, consent_to_share } => {
                if self.status != ResidentStatus::Unrecorded {
                    return Err(ResidentError::AlreadyRecorded);
                }
                let ResidentDetails { name, address, email, phone, preferred_contact } = details;
                ResidentEvent::ResidentRecorded {
                    group_id,
                    name,
                    address,
                    email,
                    phone,
                    preferred_contact,
                    consent_to_share,
                }
            }
            ResidentCommand::ChangeResidentDetails { details } => {
                self.require_recorded()?;
                let ResidentDetails { name, address, email, phone, preferred_contact } = details;
                ResidentEvent::ResidentDetailsChanged { name, address, email, phone, preferred_contact }
            }
            ResidentCommand::ChangeConsent { consent_to_share } => {
                self.require_recorded()?;
                if self.consent_to_share == consent_to_share {
                    return Err(ResidentError::SameConsent);
                }
                ResidentEvent::ResidentConsentChanged { consent_to_share }
            }
            ResidentCommand::ErasePersonalData { because } => {
                self.require_recorded()?;
                ResidentEvent::ResidentPersonalDataErased { because }
            }
        };
        sink.write(event, self).await;
        Ok(())
    }

    fn apply(&mut self, event: Self::Event) {
        match event {
            ResidentEvent::ResidentRecorded {
                group_id,
                name,
                address,
                email,
                phone,
                preferred_contact,
                consent_to_share,
            } => {
                self.group_id = Some(group_id);
                self.status = ResidentStatus::Recorded;
                self.hold(ResidentDetails { name, address, email, phone, preferred_contact });
                self.consent_to_share = consent_to_share;
            }
            ResidentEvent::ResidentDetailsChanged { name, address, email, phone, preferred_contact } => {
                self.hold(ResidentDetails { name, address, email, phone, preferred_contact });
            }
            ResidentEvent::ResidentConsentChanged { consent_to_share } => {
                self.consent_to_share = consent_to_share;
            }
            ResidentEvent::ResidentPersonalDataErased { because } => {
                self.status = ResidentStatus::Erased;
                self.erased_because = Some(because);
                self.consent_to_share = false;
            }
        }
    }
}

impl Record for Resident {
    fn group_id(&self) -> Option<&GroupId> {
        self.group_id.as_ref()
    }

    /// A resident is read through their cases, by those cases' readers.
    fn classification(&self) -> Classification {
        Classification::Casework
    }

    const WRITER_CLASSIFIES: bool = false;

    fn status(&self) -> &'static str {
        self.status.as_str()
    }
}

#[cfg(test)]
mod tests {
    use cqrs_es::test::TestFramework;

    use super::*;

    type ResidentTest = TestFramework<Resident>;

    fn sealed(field: &str) -> Sealed {
        Sealed::from_stored(format!("sealed:v1:resident:{field}"))
    }

    fn recorded() -> ResidentEvent {
        ResidentEvent::ResidentRecorded {
            group_id: GroupId::parse("newham-labour").expect("group"),
            name: sealed("name"),
            address: Some(sealed("address")),
            email: None,
            phone: Some(sealed("phone")),
            preferred_contact: ContactMethod::Phone,
            consent_to_share: true,
        }
    }

    #[test]
    fn an_erased_resident_takes_no_new_details() {
        ResidentTest::with(())
            .given(vec![recorded(), ResidentEvent::ResidentPersonalDataErased { because: Erasure::Request }])
            .when(ResidentCommand::ChangeResidentDetails {
                details: ResidentDetails {
                    name: sealed("name"),
                    address: None,
                    email: None,
                    phone: None,
                    preferred_contact: ContactMethod::Letter,
                },
            })
            .then_expect_error(ResidentError::Erased);
    }

    #[test]
    fn erasure_withdraws_consent_to_share() {
        let mut resident = Resident::default();
        resident.apply(recorded());
        assert!(resident.consent_to_share);
        resident.apply(ResidentEvent::ResidentPersonalDataErased { because: Erasure::Retention });
        assert!(!resident.consent_to_share);
        assert_eq!(resident.status(), "erased");
        assert_eq!(resident.classification(), Classification::Casework);
    }

    #[test]
    fn consent_already_as_asked_is_refused() {
        ResidentTest::with(())
            .given(vec![recorded()])
            .when(ResidentCommand::ChangeConsent { consent_to_share: true })
            .then_expect_error(ResidentError::SameConsent);
    }
}
