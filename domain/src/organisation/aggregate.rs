use cqrs_es::{Aggregate, event_sink::EventSink};
use serde::{Deserialize, Serialize};

use super::commands::{OrganisationCommand, OrganisationDetails};
use super::events::OrganisationEvent;
use crate::{Classification, DomainError, GroupId, Note, Record, Refusal, Title};

/// Whether an organisation is part of the council or outside it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, strum::IntoStaticStr, strum::EnumString,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum OrganisationKind {
    /// A department or service of the council.
    CouncilService,
    /// Anyone else: a housing association, the police, a utility.
    OutsideBody,
}

/// Where an organisation stands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum OrganisationStatus {
    /// Not yet registered.
    #[default]
    Unregistered,
    /// Cases may be referred to it.
    Active,
    /// No longer referred to.
    Retired,
}

impl OrganisationStatus {
    /// The stable word for it (its serde name too).
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// The most working days a target may be: half a year.
pub const MAX_TARGET_DAYS: u16 = 130;

/// How quickly an organisation should answer, in working days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResponseTargets {
    /// From referral to its acknowledgement.
    pub acknowledge: u16,
    /// From referral to its reply.
    pub reply: u16,
    /// From one chase (or the missed reply) to the next.
    pub chase_every: u16,
}

impl Default for ResponseTargets {
    /// Acknowledge within 1 working day, reply within 10, chase every 5.
    fn default() -> Self {
        Self { acknowledge: 1, reply: 10, chase_every: 5 }
    }
}

impl ResponseTargets {
    /// Checks each target is 1 to [`MAX_TARGET_DAYS`] working days and the
    /// acknowledgement is due no later than the reply.
    pub fn new(acknowledge: u16, reply: u16, chase_every: u16) -> Result<Self, OrganisationError> {
        let in_range = |days: u16| (1..=MAX_TARGET_DAYS).contains(&days);
        if !(in_range(acknowledge) && in_range(reply) && in_range(chase_every)) {
            return Err(OrganisationError::TargetOutOfRange);
        }
        if acknowledge > reply {
            return Err(OrganisationError::AcknowledgeAfterReply);
        }
        Ok(Self { acknowledge, reply, chase_every })
    }
}

/// An organisation, as its events have built it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Organisation {
    /// The owning group.
    pub group_id: Option<GroupId>,
    /// Where it stands.
    pub status: OrganisationStatus,
    /// Its name.
    pub name: Option<Title>,
    /// A council service or an outside body.
    pub kind: Option<OrganisationKind>,
    /// How to reach it.
    pub contact: Option<Note>,
    /// How quickly it should answer.
    pub targets: ResponseTargets,
    /// Why it was retired.
    pub retired_because: Option<Note>,
}

/// Why an organisation command was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OrganisationError {
    /// Registered already.
    #[error("this organisation has already been registered")]
    AlreadyRegistered,
    /// Not registered.
    #[error("no such organisation")]
    NotRegistered,
    /// Retired: nothing more is referred to it.
    #[error("this organisation is retired")]
    Retired,
    /// A target outside 1 to 130 working days.
    #[error("each response target must be 1 to {MAX_TARGET_DAYS} working days")]
    TargetOutOfRange,
    /// The acknowledgement due after the reply.
    #[error("the acknowledgement target must not be longer than the reply target")]
    AcknowledgeAfterReply,
    /// An update that changes nothing.
    #[error("nothing to change: the details are as they were")]
    Unchanged,
}

impl DomainError for OrganisationError {
    fn refusal(&self) -> Refusal {
        match self {
            Self::NotRegistered => Refusal::NotFound,
            Self::AlreadyRegistered | Self::Retired => Refusal::Conflict,
            Self::TargetOutOfRange | Self::AcknowledgeAfterReply | Self::Unchanged => Refusal::Invalid,
        }
    }

    fn fields(&self) -> Vec<(String, String)> {
        match self {
            Self::TargetOutOfRange | Self::AcknowledgeAfterReply => {
                vec![("/targets".to_owned(), self.to_string())]
            }
            _ => Vec::new(),
        }
    }
}

impl Organisation {
    /// Whether cases may be referred to it now.
    pub fn require_active(&self) -> Result<(), OrganisationError> {
        match self.status {
            OrganisationStatus::Unregistered => Err(OrganisationError::NotRegistered),
            OrganisationStatus::Active => Ok(()),
            OrganisationStatus::Retired => Err(OrganisationError::Retired),
        }
    }

    fn details(&self) -> Option<OrganisationDetails> {
        Some(OrganisationDetails {
            name: self.name.clone()?,
            kind: self.kind?,
            contact: self.contact.clone(),
            targets: self.targets,
        })
    }
}

impl Aggregate for Organisation {
    const TYPE: &'static str = "Organisation";
    type Command = OrganisationCommand;
    type Event = OrganisationEvent;
    type Error = OrganisationError;
    type Services = ();

    async fn handle(
        &mut self,
        command: Self::Command,
        _services: &Self::Services,
        sink: &EventSink<Self>,
    ) -> Result<(), Self::Error> {
        let event = match command {
            OrganisationCommand::RegisterOrganisation { group_id, details } => {
                if self.status != OrganisationStatus::Unregistered {
                    return Err(OrganisationError::AlreadyRegistered);
                }
                let OrganisationDetails { name, kind, contact, targets } = details;
                OrganisationEvent::OrganisationRegistered { group_id, name, kind, contact, targets }
            }
            OrganisationCommand::UpdateOrganisation { details } => {
                self.require_active()?;
                if self.details().as_ref() == Some(&details) {
                    return Err(OrganisationError::Unchanged);
                }
                let OrganisationDetails { name, kind, contact, targets } = details;
                OrganisationEvent::OrganisationUpdated { name, kind, contact, targets }
            }
            OrganisationCommand::RetireOrganisation { reason } => {
                self.require_active()?;
                OrganisationEvent::OrganisationRetired { reason }
            }
        };
        sink.write(event, self).await;
        Ok(())
    }

    fn apply(&mut self, event: Self::Event) {
        match event {
            OrganisationEvent::OrganisationRegistered { group_id, name, kind, contact, targets } => {
                self.group_id = Some(group_id);
                self.status = OrganisationStatus::Active;
                self.name = Some(name);
                self.kind = Some(kind);
                self.contact = contact;
                self.targets = targets;
            }
            OrganisationEvent::OrganisationUpdated { name, kind, contact, targets } => {
                self.name = Some(name);
                self.kind = Some(kind);
                self.contact = contact;
                self.targets = targets;
            }
            OrganisationEvent::OrganisationRetired { reason } => {
                self.status = OrganisationStatus::Retired;
                self.retired_because = Some(reason);
            }
        }
    }
}

impl Record for Organisation {
    fn group_id(&self) -> Option<&GroupId> {
        self.group_id.as_ref()
    }

    /// The list of organisations is the whole group's working knowledge.
    fn classification(&self) -> Classification {
        Classification::Group
    }

    fn status(&self) -> &'static str {
        self.status.as_str()
    }
}

#[cfg(test)]
mod tests {
    use cqrs_es::test::TestFramework;

    use super::*;

    type OrganisationTest = TestFramework<Organisation>;

    fn details() -> OrganisationDetails {
        OrganisationDetails {
            name: Title::parse("Housing Repairs").expect("name"),
            kind: OrganisationKind::CouncilService,
            contact: Some(Note::parse("members.enquiries@newham.gov.uk").expect("contact")),
            targets: ResponseTargets::default(),
        }
    }

    fn registered() -> OrganisationEvent {
        let OrganisationDetails { name, kind, contact, targets } = details();
        OrganisationEvent::OrganisationRegistered {
            group_id: GroupId::parse("newham-labour").expect("group"),
            name,
            kind,
            contact,
            targets,
        }
    }

    #[test]
    fn the_default_targets_are_one_ten_and_five_working_days() {
        assert_eq!(ResponseTargets::default(), ResponseTargets { acknowledge: 1, reply: 10, chase_every: 5 });
    }

    #[test]
    fn targets_are_one_to_130_working_days_and_acknowledgement_comes_first() {
        assert!(ResponseTargets::new(1, 130, 5).is_ok());
        assert_eq!(ResponseTargets::new(0, 10, 5), Err(OrganisationError::TargetOutOfRange));
        assert_eq!(ResponseTargets::new(1, 131, 5), Err(OrganisationError::TargetOutOfRange));
        assert_eq!(ResponseTargets::new(11, 10, 5), Err(OrganisationError::AcknowledgeAfterReply));
    }

    #[test]
    fn an_update_that_changes_nothing_is_refused() {
        OrganisationTest::with(())
            .given(vec![registered()])
            .when(OrganisationCommand::UpdateOrganisation { details: details() })
            .then_expect_error(OrganisationError::Unchanged);
    }

    #[test]
    fn a_retired_organisation_takes_no_more_referrals() {
        let mut organisation = Organisation::default();
        organisation.apply(registered());
        assert_eq!(organisation.require_active(), Ok(()));
        organisation.apply(OrganisationEvent::OrganisationRetired {
            reason: Note::parse("Merged into Housing Services").expect("reason"),
        });
        assert_eq!(organisation.require_active(), Err(OrganisationError::Retired));
        assert_eq!(organisation.status(), "retired");
    }
}
