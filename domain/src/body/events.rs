use chrono::NaiveDate;
use cqrs_es::DomainEvent;
use serde::{Deserialize, Serialize};

use crate::{Classification, GroupId, Note, Title};

/// What kind of body the group fills seats on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BodyKind {
    /// A committee of the council (Cabinet, a scrutiny or regulatory committee).
    CouncilCommittee,
    /// A body outside the council the council appoints to (a trust, a joint board).
    OutsideBody,
    /// One of the group's own posts (Leader, Chief Whip, ...).
    GroupPost,
}

/// What the group does when a member is nominated to, or confirmed on, a
/// body whose required courses they do not hold.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TrainingGate {
    /// Record it, showing the missing courses on the appointment and on My work.
    #[default]
    Warn,
    /// Refuse it until the member holds every course the body requires.
    Refuse,
}

/// Everything that can happen to a body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum BodyEvent {
    /// The group began filling seats on a body.
    BodyEstablished {
        /// The group that fills its seats.
        group_id: GroupId,
        /// The body's name.
        name: Title,
        /// What kind of body it is.
        kind: BodyKind,
        /// How many seats the group fills.
        seats: u16,
        /// What the body does.
        description: Option<Note>,
        /// Who may read it.
        classification: Classification,
        /// Whether missing training warns or refuses; bodies recorded before
        /// the gate existed warn.
        #[serde(default)]
        training_gate: TrainingGate,
    },
    /// The body's name, seats, description or training gate changed; only
    /// what changed is set.
    BodyUpdated {
        /// The new name.
        name: Option<Title>,
        /// The new number of seats.
        seats: Option<u16>,
        /// The new description.
        description: Option<Note>,
        /// The new training gate.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        training_gate: Option<TrainingGate>,
    },
    /// The body was dissolved, or the group no longer fills seats on it.
    BodyDissolved {
        /// The day it was dissolved.
        on: NaiveDate,
        /// Why.
        reason: Note,
    },
}

impl DomainEvent for BodyEvent {
    fn event_type(&self) -> String {
        match self {
            Self::BodyEstablished { .. } => "BodyEstablished",
            Self::BodyUpdated { .. } => "BodyUpdated",
            Self::BodyDissolved { .. } => "BodyDissolved",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        "1.0.0".to_owned()
    }
}
