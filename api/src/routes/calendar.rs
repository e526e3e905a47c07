//! `/calendar.ics`: the meetings as an iCalendar (RFC 5545) feed that Outlook
//! and Google Calendar can subscribe to. Without a token it holds a group's
//! public meetings only; with one, the meetings the caller may read. Calendar
//! clients cannot send headers, so the token may come as the `token` query
//! parameter; the request log records the route template, never the query, so
//! it is not logged.

use super::Routes;
use actix_web::{HttpRequest, HttpResponse, get, web};
use icalendar::{Calendar, Component, Event, EventLike, EventStatus};
use uuid::Uuid;

use caucus_wire::meetings::CalendarParams;

use super::AppState;
use crate::app::{Scope, meetings};
use crate::auth::{Caller, Operation, TokenError, header_token};
use crate::domain::{Classification, GroupId, meeting::MeetingStatus};
use crate::http::{ApiError, ListErrors};

pub fn configure(config: &mut Routes) {
    config.service(get_calendar);
}

/// The caller from the Authorization header or the `token` parameter, if either is given.
async fn optional_caller(request: &HttpRequest, params: &CalendarParams) -> Result<Option<Caller>, ApiError> {
    match header_token(request)?.or(params.token.as_deref()) {
        Some(token) => Caller::from_token(request, token).await.map(Some),
        None => Ok(None),
    }
}

/// The meetings calendar.
#[utoipa::path(
    tag = "meetings",
    operation_id = "get_calendar",
    summary = "Meetings as an iCalendar (RFC 5545) feed: a group's public meetings without a token, the caller's readable meetings with one",
    params(CalendarParams),
    responses(
        (status = 200, description = "The calendar", content((String = "text/calendar"))),
        ListErrors
    ),
    security((), ("bearer" = []))
)]
#[get("/calendar.ics")]
async fn get_calendar(
    state: web::Data<AppState>,
    request: HttpRequest,
    params: web::Query<CalendarParams>,
) -> Result<HttpResponse, ApiError> {
    let (group_id, readable) = match optional_caller(&request, &params).await? {
        Some(caller) => {
            caller.require(Operation::GetCalendar)?;
            (caller.group_id.clone(), Classification::readable_set(&caller.roles))
        }
        None => {
            let group = params.group.as_deref().ok_or(ApiError::Unauthorized(TokenError::Missing))?;
            let group = GroupId::parse(group).map_err(|e| ApiError::BadRequest(format!("group: {e}")))?;
            (group, vec![Classification::Public])
        }
    };
    let mut calendar = Calendar::new();
    calendar.name(&format!("{group_id} meetings"));
    for (id, meeting, version) in
        meetings::all(&Scope { db: &state.db, group_id: &group_id, readable }).await?
    {
        let (Some(title), Some(starts_at)) = (&meeting.title, meeting.starts_at) else { continue };
        let mut event = Event::new();
        event
            .uid(&uid(id))
            .summary(title.as_str())
            .starts(starts_at)
            // SEQUENCE is the record's version, which grows with every change.
            .sequence(u32::try_from(version).unwrap_or(u32::MAX))
            .status(match meeting.status {
                MeetingStatus::Cancelled => EventStatus::Cancelled,
                MeetingStatus::Tentative => EventStatus::Tentative,
                _ => EventStatus::Confirmed,
            });
        if let Some(ends_at) = meeting.ends_at {
            event.ends(ends_at);
        }
        if let Some(place) = &meeting.place {
            event.location(place.as_str());
        }
        if let Some(link) = &meeting.online_link {
            event.url(link.as_str());
        }
        calendar.push(event.done());
    }
    Ok(HttpResponse::Ok().content_type("text/calendar; charset=utf-8").body(calendar.done().to_string()))
}

/// A meeting's UID: stable for the meeting's life, so clients update it in place.
fn uid(id: Uuid) -> String {
    format!("{id}@caucus")
}
