//! `/meetings`: group and council meetings, their agendas, papers,
//! attendance and minutes.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// The meeting and agenda item a decision or action was recorded from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MeetingItemRef {
    /// The meeting.
    pub meeting_id: Uuid,
    /// The agenda item.
    pub item_id: Uuid,
}

impl From<caucus_domain::meeting::MeetingItemRef> for MeetingItemRef {
    fn from(r: caucus_domain::meeting::MeetingItemRef) -> Self {
        Self { meeting_id: r.meeting_id, item_id: r.item_id }
    }
}
