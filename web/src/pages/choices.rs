//! What forms offer to choose from, read so that a form's page costs the
//! same however long the group's history: the meetings still to come, not
//! every meeting ever held.

use actix_session::Session;
use actix_web::HttpRequest;
use caucus_wire::meetings::MeetingView;
use chrono::NaiveDate;

use super::{PageError, State};
use crate::session::Person;

/// The meetings on or after `day`, cancelled ones too, soonest first: one
/// api page (200), more than a group schedules in a year.
pub(super) async fn meetings_from(
    state: &State,
    (session, person, request): (&Session, &Person, &HttpRequest),
    day: NaiveDate,
) -> Result<Vec<MeetingView>, PageError> {
    let path = format!("/meetings?from={day}&limit={}", caucus_wire::PageLimit::MAX);
    let page: caucus_wire::meetings::MeetingPage = state.read(session, person, request, &path).await?;
    let mut meetings = page.items;
    meetings.sort_by_key(|m| m.starts_at);
    Ok(meetings)
}
