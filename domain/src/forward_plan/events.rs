use cqrs_es::DomainEvent;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::aggregate::PlanEntry;
use crate::{Classification, GroupId, Note};

/// Everything that can happen to a forward plan item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ForwardPlanEvent {
    /// The item was entered (or imported) from the council's forward plan.
    ForwardPlanItemEntered {
        /// The group tracking it.
        group_id: GroupId,
        /// What the forward plan says.
        entry: PlanEntry,
        /// Who may read it.
        classification: Classification,
    },
    /// The council changed the item in its forward plan.
    ForwardPlanItemUpdated {
        /// What the forward plan now says.
        entry: PlanEntry,
    },
    /// The group agreed its position on the item.
    GroupPositionAgreed {
        /// The position.
        position: Note,
    },
    /// A briefing action was linked to the item.
    BriefingActionLinked {
        /// The action.
        action_id: Uuid,
    },
}

impl DomainEvent for ForwardPlanEvent {
    fn event_type(&self) -> String {
        match self {
            Self::ForwardPlanItemEntered { .. } => "ForwardPlanItemEntered",
            Self::ForwardPlanItemUpdated { .. } => "ForwardPlanItemUpdated",
            Self::GroupPositionAgreed { .. } => "GroupPositionAgreed",
            Self::BriefingActionLinked { .. } => "BriefingActionLinked",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        "1.0.0".to_owned()
    }
}
