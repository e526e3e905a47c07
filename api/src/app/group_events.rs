//! The group's events: who they may name (an organiser, the bodies or members
//! invited) and who may take a place at one (a current member it invites).

use uuid::Uuid;

use super::{Scope, references, seats};
use crate::domain::{
    Classification,
    appointment::Appointment,
    body::Body,
    group_event::{GroupEvent, GroupEventDraft, Invitees},
};
use crate::http::Fields;
use crate::store::StoreError;

/// Checks a new event's references: its organiser a current member, the
/// bodies or members it invites the group's.
pub async fn check_new(
    scope: &Scope<'_>,
    draft: &GroupEventDraft,
    fields: &mut Fields,
) -> Result<(), StoreError> {
    if let Some(organiser) = draft.organiser_id {
        references::check_current_member(scope, organiser, "/organiser_id", fields).await?;
    }
    match &draft.invitees {
        Invitees::AllMembers => {}
        Invitees::Bodies(ids) => {
            for (index, id) in ids.iter().enumerate() {
                let pointer = format!("/invited_ids/{index}");
                references::check_exists::<Body>(scope, *id, &pointer, "body", fields).await?;
            }
        }
        Invitees::Members(ids) => {
            for (index, id) in ids.iter().enumerate() {
                references::check_current_member(scope, *id, &format!("/invited_ids/{index}"), fields)
                    .await?;
            }
        }
    }
    Ok(())
}

/// Checks `member_id` may take a place at `event`: a current member, and
/// invited (named, or holding or nominated to a seat on a body invited).
pub async fn check_invited(
    scope: &Scope<'_>,
    event: &GroupEvent,
    member_id: Uuid,
    fields: &mut Fields,
) -> Result<(), StoreError> {
    references::check_current_member(scope, member_id, "/member_id", fields).await?;
    let invited = match &event.invitees {
        None | Some(Invitees::AllMembers) => true,
        Some(Invitees::Members(ids)) => ids.contains(&member_id),
        Some(Invitees::Bodies(ids)) => {
            let mut seated = false;
            for body_id in ids {
                for stored in seats::holders(scope, &Classification::ALL, Some(*body_id)).await? {
                    let appointment: Appointment = serde_json::from_str(&stored.state)?;
                    seated |= appointment.member_id == Some(member_id);
                }
            }
            seated
        }
    };
    if !invited {
        fields.reject("/member_id", "this member is not invited to this event");
    }
    Ok(())
}
