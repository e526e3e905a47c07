//! Forward plan items: the council's published list of coming executive (key)
//! decisions, as the group tracks them: its position on each, and the briefing
//! actions that prepare members for it.

mod aggregate;
mod events;

pub use aggregate::{ForwardPlanCommand, ForwardPlanError, ForwardPlanItem, ForwardPlanStatus, PlanEntry};
pub use events::ForwardPlanEvent;
