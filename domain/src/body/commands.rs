use chrono::NaiveDate;

use super::events::{BodyKind, TrainingGate};
use crate::{Classification, GroupId, Note, Title};

/// What an update changes; an absent field stays as it is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BodyChanges {
    /// A new name.
    pub name: Option<Title>,
    /// A new number of seats.
    pub seats: Option<u16>,
    /// A new description.
    pub description: Option<Note>,
    /// Whether missing training now warns or refuses.
    pub training_gate: Option<TrainingGate>,
}

/// What a caller can ask of a body.
#[derive(Debug, Clone, PartialEq)]
pub enum BodyCommand {
    /// Start recording a body the group fills seats on.
    EstablishBody {
        /// The group filling its seats.
        group_id: GroupId,
        /// The body's name.
        name: Title,
        /// What kind of body it is.
        kind: BodyKind,
        /// How many seats the group fills, 1 to 100.
        seats: u16,
        /// What the body does.
        description: Option<Note>,
        /// Who may read it.
        classification: Classification,
        /// Whether missing training warns or refuses.
        training_gate: TrainingGate,
    },
    /// Rename the body, change its seats, its description or its training gate.
    UpdateBody(BodyChanges),
    /// Dissolve it.
    DissolveBody {
        /// The day it was dissolved.
        on: NaiveDate,
        /// Why.
        reason: Note,
    },
}
