//! A motion's references: the group's own is brought by current members of
//! the group (a proposer and a different seconder), and every motion goes to
//! one of the council's meetings that the group records.

use uuid::Uuid;

use super::{Scope, references};
use crate::domain::{
    Title,
    meeting::{Meeting, MeetingKind},
    motion::MotionOrigin,
};
use crate::http::Fields;
use crate::store::StoreError;

/// Who brings a motion, as a request names them.
#[derive(Debug, Clone, Copy)]
pub struct OriginIds<'a> {
    /// The group's member who moves it.
    pub proposer_id: Option<Uuid>,
    /// The group's member who seconds it.
    pub seconder_id: Option<Uuid>,
    /// For another group's motion, its mover, checked.
    pub mover: Option<&'a Option<Title>>,
}

/// The origin, if it is one of the two forms and its members are current;
/// else field errors under `/origin`.
pub async fn origin(
    scope: &Scope<'_>,
    ids: OriginIds<'_>,
    fields: &mut Fields,
) -> Result<Option<MotionOrigin>, StoreError> {
    Ok(match (ids.proposer_id, ids.mover) {
        (Some(proposer_id), None) => {
            references::check_current_member(scope, proposer_id, "/origin/proposer_id", fields).await?;
            if let Some(seconder) = ids.seconder_id {
                if seconder == proposer_id {
                    fields.reject("/origin/seconder_id", "the seconder must be another member");
                }
                references::check_current_member(scope, seconder, "/origin/seconder_id", fields).await?;
            }
            Some(MotionOrigin::Group { proposer_id, seconder_id: ids.seconder_id })
        }
        (None, Some(mover)) => {
            if ids.seconder_id.is_some() {
                fields.reject("/origin/seconder_id", "another group's seconder is not recorded");
            }
            mover.clone().map(|mover| MotionOrigin::Other { mover })
        }
        _ => {
            fields.reject("/origin", "give either proposer_id (the group's own) or mover (another group's)");
            None
        }
    })
}

/// The council meeting a motion goes to; a field error at `/meeting_id` if
/// it is not one of the group's meetings or is the group's own.
pub async fn council_meeting(
    scope: &Scope<'_>,
    meeting_id: Uuid,
    fields: &mut Fields,
) -> Result<Option<Meeting>, StoreError> {
    let Some(meeting) = references::find::<Meeting>(scope, meeting_id).await? else {
        fields.reject("/meeting_id", "no such meeting in this group");
        return Ok(None);
    };
    if meeting.kind.is_none_or(MeetingKind::is_the_groups) {
        fields.reject("/meeting_id", "motions and questions go to a council meeting, not the group's own");
    }
    Ok(Some(meeting))
}
