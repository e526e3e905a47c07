//! A note is about one record of the group: an agenda item of one of its
//! meetings, a forward plan item or a motion.

use uuid::Uuid;

use super::{Scope, references};
use crate::domain::{
    briefing::BriefingSubject, forward_plan::ForwardPlanItem, meeting::Meeting, motion::Motion,
};
use crate::http::Fields;
use crate::store::StoreError;

/// What a note names as its subject.
#[derive(Debug, Clone, Copy)]
pub struct SubjectIds {
    /// With `item_id`: the meeting.
    pub meeting_id: Option<Uuid>,
    /// With `meeting_id`: the agenda item.
    pub item_id: Option<Uuid>,
    /// A forward plan item.
    pub forward_plan_item_id: Option<Uuid>,
    /// A motion or question.
    pub motion_id: Option<Uuid>,
}

/// The subject, if the ids name exactly one record of the scope's group;
/// else a field error under `/subject`.
pub async fn subject(
    scope: &Scope<'_>,
    ids: SubjectIds,
    fields: &mut Fields,
) -> Result<Option<BriefingSubject>, StoreError> {
    let mut missing = |pointer: &str, what: &str| {
        fields.reject(pointer, format!("no such {what} in this group"));
        None
    };
    Ok(match (ids.meeting_id, ids.item_id, ids.forward_plan_item_id, ids.motion_id) {
        (Some(meeting_id), Some(item_id), None, None) => {
            match references::find::<Meeting>(scope, meeting_id).await? {
                Some(meeting) if meeting.items.iter().any(|item| item.id == item_id) => {
                    Some(BriefingSubject::AgendaItem { meeting_id, item_id })
                }
                Some(_) => missing("/subject/item_id", "agenda item of that meeting"),
                None => missing("/subject/meeting_id", "meeting"),
            }
        }
        (None, None, Some(id), None) => match references::find::<ForwardPlanItem>(scope, id).await? {
            Some(_) => Some(BriefingSubject::ForwardPlanItem { forward_plan_item_id: id }),
            None => missing("/subject/forward_plan_item_id", "forward plan item"),
        },
        (None, None, None, Some(id)) => match references::find::<Motion>(scope, id).await? {
            Some(_) => Some(BriefingSubject::Motion { motion_id: id }),
            None => missing("/subject/motion_id", "motion"),
        },
        _ => {
            fields.reject(
                "/subject",
                "give exactly one of: meeting_id with item_id, forward_plan_item_id, motion_id",
            );
            None
        }
    })
}
