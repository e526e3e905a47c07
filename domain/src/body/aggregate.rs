use chrono::NaiveDate;
use cqrs_es::{Aggregate, event_sink::EventSink};
use serde::{Deserialize, Serialize};

use super::commands::{BodyChanges, BodyCommand};
use super::events::{BodyEvent, BodyKind, TrainingGate};
use crate::{Classification, DomainError, GroupId, Note, Record, Refusal, Title};

/// The most seats the group can fill on one body.
pub const MAX_SEATS: u16 = 100;

/// Where a body stands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum BodyStatus {
    /// Not yet established.
    #[default]
    Unestablished,
    /// The group fills seats on it.
    Active,
    /// Dissolved.
    Dissolved,
}

impl BodyStatus {
    /// The stable word for it (its serde name too: both are the variant's name
    /// in snake case).
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// A body the group fills seats on, as its events have built it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Body {
    /// The owning group; `None` until established.
    pub group_id: Option<GroupId>,
    /// Where it stands.
    pub status: BodyStatus,
    /// The body's name.
    pub name: Option<Title>,
    /// What kind of body it is.
    pub kind: Option<BodyKind>,
    /// How many seats the group fills.
    pub seats: u16,
    /// What the body does.
    pub description: Option<Note>,
    /// Who may read it.
    pub classification: Option<Classification>,
    /// Whether missing training warns or refuses.
    pub training_gate: TrainingGate,
    /// The day it was dissolved.
    pub dissolved_on: Option<NaiveDate>,
    /// Why it was dissolved.
    pub dissolution_reason: Option<Note>,
}

/// Why a body command was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BodyError {
    /// The body exists already.
    #[error("this body has already been established")]
    AlreadyEstablished,
    /// The body does not exist.
    #[error("no such body")]
    NotEstablished,
    /// The body has been dissolved.
    #[error("this body is dissolved and can no longer be changed")]
    Dissolved,
    /// A number of seats outside 1 to 100.
    #[error("a body must have between 1 and 100 seats")]
    SeatsOutOfRange,
    /// An update that changes nothing.
    #[error("the update changes nothing")]
    UpdateChangesNothing,
}

impl DomainError for BodyError {
    fn refusal(&self) -> Refusal {
        match self {
            Self::NotEstablished => Refusal::NotFound,
            Self::AlreadyEstablished | Self::Dissolved => Refusal::Conflict,
            Self::SeatsOutOfRange | Self::UpdateChangesNothing => Refusal::Invalid,
        }
    }
}

fn check_seats(seats: u16) -> Result<u16, BodyError> {
    if (1..=MAX_SEATS).contains(&seats) { Ok(seats) } else { Err(BodyError::SeatsOutOfRange) }
}

impl Body {
    fn require_active(&self) -> Result<(), BodyError> {
        match self.status {
            BodyStatus::Unestablished => Err(BodyError::NotEstablished),
            BodyStatus::Active => Ok(()),
            BodyStatus::Dissolved => Err(BodyError::Dissolved),
        }
    }
}

impl Aggregate for Body {
    const TYPE: &'static str = "Body";
    type Command = BodyCommand;
    type Event = BodyEvent;
    type Error = BodyError;
    type Services = ();

    async fn handle(
        &mut self,
        command: Self::Command,
        _services: &Self::Services,
        sink: &EventSink<Self>,
    ) -> Result<(), Self::Error> {
        let event = match command {
            BodyCommand::EstablishBody {
                group_id,
                name,
                kind,
                seats,
                description,
                classification,
                training_gate,
            } => {
                if self.status != BodyStatus::Unestablished {
                    return Err(BodyError::AlreadyEstablished);
                }
                let seats = check_seats(seats)?;
                BodyEvent::BodyEstablished {
                    group_id,
                    name,
                    kind,
                    seats,
                    description,
                    classification,
                    training_gate,
                }
            }
            BodyCommand::UpdateBody(BodyChanges { name, seats, description, training_gate }) => {
                self.require_active()?;
                if let Some(seats) = seats {
                    check_seats(seats)?;
                }
                // Only what differs from the current state is recorded.
                let name = name.filter(|n| self.name.as_ref() != Some(n));
                let seats = seats.filter(|s| *s != self.seats);
                let description = description.filter(|d| self.description.as_ref() != Some(d));
                let training_gate = training_gate.filter(|g| *g != self.training_gate);
                if name.is_none() && seats.is_none() && description.is_none() && training_gate.is_none() {
                    return Err(BodyError::UpdateChangesNothing);
                }
                BodyEvent::BodyUpdated { name, seats, description, training_gate }
            }
            BodyCommand::DissolveBody { on, reason } => {
                self.require_active()?;
                BodyEvent::BodyDissolved { on, reason }
            }
        };
        sink.write(event, self).await;
        Ok(())
    }

    fn apply(&mut self, event: Self::Event) {
        match event {
            BodyEvent::BodyEstablished {
                group_id,
                name,
                kind,
                seats,
                description,
                classification,
                training_gate,
            } => {
                self.group_id = Some(group_id);
                self.status = BodyStatus::Active;
                self.name = Some(name);
                self.kind = Some(kind);
                self.seats = seats;
                self.description = description;
                self.classification = Some(classification);
                self.training_gate = training_gate;
            }
            BodyEvent::BodyUpdated { name, seats, description, training_gate } => {
                if name.is_some() {
                    self.name = name;
                }
                if let Some(seats) = seats {
                    self.seats = seats;
                }
                if description.is_some() {
                    self.description = description;
                }
                if let Some(gate) = training_gate {
                    self.training_gate = gate;
                }
            }
            BodyEvent::BodyDissolved { on, reason } => {
                self.status = BodyStatus::Dissolved;
                self.dissolved_on = Some(on);
                self.dissolution_reason = Some(reason);
            }
        }
    }
}

impl Record for Body {
    fn group_id(&self) -> Option<&GroupId> {
        self.group_id.as_ref()
    }

    fn classification(&self) -> Classification {
        // An unestablished body has no readers to protect; the strictest class is
        // the safe answer if one is ever asked.
        self.classification.unwrap_or(Classification::Confidential)
    }

    fn status(&self) -> &'static str {
        self.status.as_str()
    }
}

#[cfg(test)]
mod tests {
    use cqrs_es::test::TestFramework;

    use super::*;

    type BodyTest = TestFramework<Body>;

    fn title(s: &str) -> Title {
        Title::parse(s).expect("title")
    }

    fn note(s: &str) -> Note {
        Note::parse(s).expect("note")
    }

    fn group() -> GroupId {
        GroupId::parse("newham-labour").expect("group")
    }

    fn establish(seats: u16) -> BodyCommand {
        BodyCommand::EstablishBody {
            group_id: group(),
            name: title("Licensing Committee"),
            kind: BodyKind::CouncilCommittee,
            seats,
            description: Some(note("Licences for premises, taxis and gambling.")),
            classification: Classification::Public,
            training_gate: TrainingGate::Warn,
        }
    }

    fn established() -> BodyEvent {
        BodyEvent::BodyEstablished {
            group_id: group(),
            name: title("Licensing Committee"),
            kind: BodyKind::CouncilCommittee,
            seats: 10,
            description: Some(note("Licences for premises, taxis and gambling.")),
            classification: Classification::Public,
            training_gate: TrainingGate::Warn,
        }
    }

    fn dissolved() -> BodyEvent {
        BodyEvent::BodyDissolved { on: "2026-05-20".parse().expect("date"), reason: note("Merged") }
    }

    #[test]
    fn establishing_a_body_emits_body_established() {
        BodyTest::with(())
            .given_no_previous_events()
            .when(establish(10))
            .then_expect_events(vec![established()]);
    }

    #[test]
    fn a_body_cannot_be_established_twice() {
        BodyTest::with(())
            .given(vec![established()])
            .when(establish(10))
            .then_expect_error(BodyError::AlreadyEstablished);
    }

    #[test]
    fn a_body_needs_between_1_and_100_seats() {
        for seats in [0, 101] {
            BodyTest::with(())
                .given_no_previous_events()
                .when(establish(seats))
                .then_expect_error(BodyError::SeatsOutOfRange);
        }
        BodyTest::with(())
            .given(vec![established()])
            .when(BodyCommand::UpdateBody(BodyChanges { seats: Some(0), ..BodyChanges::default() }))
            .then_expect_error(BodyError::SeatsOutOfRange);
    }

    #[test]
    fn an_update_records_only_what_changed() {
        BodyTest::with(())
            .given(vec![established()])
            .when(BodyCommand::UpdateBody(BodyChanges {
                name: Some(title("Licensing Committee")),
                seats: Some(11),
                description: None,
                training_gate: Some(TrainingGate::Warn),
            }))
            .then_expect_events(vec![BodyEvent::BodyUpdated {
                name: None,
                seats: Some(11),
                description: None,
                training_gate: None,
            }]);
    }

    #[test]
    fn an_update_that_changes_nothing_is_refused() {
        BodyTest::with(())
            .given(vec![established()])
            .when(BodyCommand::UpdateBody(BodyChanges {
                name: Some(title("Licensing Committee")),
                seats: Some(10),
                description: None,
                training_gate: Some(TrainingGate::Warn),
            }))
            .then_expect_error(BodyError::UpdateChangesNothing);
        BodyTest::with(())
            .given(vec![established()])
            .when(BodyCommand::UpdateBody(BodyChanges::default()))
            .then_expect_error(BodyError::UpdateChangesNothing);
    }

    #[test]
    fn a_body_recorded_before_the_training_gate_warns() {
        let stored = serde_json::json!({"BodyEstablished": {
            "group_id": "newham-labour", "name": "Licensing Committee", "kind": "council_committee",
            "seats": 10, "description": null, "classification": "public"
        }});
        let mut body = Body::default();
        body.apply(serde_json::from_value(stored).expect("an event recorded before the gate"));
        assert_eq!(body.training_gate, TrainingGate::Warn);
    }

    #[test]
    fn renaming_and_dissolving_change_the_state() {
        let mut body = Body::default();
        body.apply(established());
        body.apply(BodyEvent::BodyUpdated {
            name: Some(title("Licensing Board")),
            seats: None,
            description: None,
            training_gate: Some(TrainingGate::Refuse),
        });
        assert_eq!(body.name, Some(title("Licensing Board")));
        assert_eq!(body.training_gate, TrainingGate::Refuse);
        assert_eq!(body.seats, 10);
        body.apply(dissolved());
        assert_eq!(body.status(), "dissolved");
        assert_eq!(body.dissolution_reason, Some(note("Merged")));
    }

    #[test]
    fn a_dissolved_body_cannot_be_updated_or_dissolved_again() {
        BodyTest::with(())
            .given(vec![established(), dissolved()])
            .when(BodyCommand::UpdateBody(BodyChanges { seats: Some(3), ..BodyChanges::default() }))
            .then_expect_error(BodyError::Dissolved);
        BodyTest::with(())
            .given(vec![established(), dissolved()])
            .when(BodyCommand::DissolveBody {
                on: "2026-06-01".parse().expect("date"),
                reason: note("again"),
            })
            .then_expect_error(BodyError::Dissolved);
    }

    #[test]
    fn commands_on_an_unestablished_body_are_not_found() {
        BodyTest::with(())
            .given_no_previous_events()
            .when(BodyCommand::DissolveBody { on: "2026-06-01".parse().expect("date"), reason: note("x") })
            .then_expect_error(BodyError::NotEstablished);
    }
}
