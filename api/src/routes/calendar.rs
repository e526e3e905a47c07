//! `/calendar.ics`: the meetings and group events as an iCalendar (RFC 5545)
//! feed that Outlook and Google Calendar can subscribe to. Without a token it
//! holds a group's public meetings and events only; with one, those the caller
//! may read. An event's own `.ics` is an invitation to add it. Calendar
//! clients cannot send headers, so the token may come as the `token` query
//! parameter; the request log records the route template, never the query, so
//! it is not logged.

use super::Routes;
use actix_web::{HttpRequest, HttpResponse, get, web};
use icalendar::{Calendar, Component, Event, EventLike, EventStatus};
use uuid::Uuid;

use caucus_wire::meetings::CalendarParams;

use super::AppState;
use crate::app::{Scope, meetings, references};
use crate::auth::{Caller, Operation, TokenError, header_token};
use crate::domain::{
    Classification, GroupId, Title,
    group_event::{GroupEvent, GroupEventStatus},
    meeting::{MeetingStatus, Venue},
};
use crate::http::{ApiError, ListErrors, Query, ReadErrors};
use crate::store::records;

pub fn configure(config: &mut Routes) {
    config.service(get_calendar).service(get_group_event_invitation);
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
    summary = "Meetings and group events as an iCalendar (RFC 5545) feed: a group's public ones without a token, those the caller may read with one",
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
    params: Query<CalendarParams>,
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
    let scope = Scope { db: &state.db, group_id: &group_id, readable };
    let mut calendar = Calendar::new();
    calendar.name(&format!("{group_id} meetings and events"));
    for (id, meeting, version) in meetings::all(&scope).await? {
        let (Some(title), Some(starts_at)) = (&meeting.title, meeting.starts_at) else { continue };
        let status = match meeting.status {
            MeetingStatus::Cancelled => EventStatus::Cancelled,
            MeetingStatus::Tentative => EventStatus::Tentative,
            _ => EventStatus::Confirmed,
        };
        let venue = Venue {
            starts_at,
            ends_at: meeting.ends_at,
            place: meeting.place.clone(),
            online_link: meeting.online_link.clone(),
        };
        calendar.push(entry(id, title, &venue, version, status));
    }
    for (id, event, version) in references::all::<GroupEvent>(&scope).await? {
        if let Some(entry) = event_entry(id, &event, version) {
            calendar.push(entry);
        }
    }
    Ok(ics(calendar))
}

/// One group event as an invitation to add to a calendar.
#[utoipa::path(
    tag = "group events",
    operation_id = "get_group_event_invitation",
    summary = "One group event as an iCalendar (RFC 5545) invitation to add to a calendar",
    params(("id" = Uuid, Path, description = "The event's id")),
    responses(
        (status = 200, description = "The invitation", content((String = "text/calendar"))),
        ReadErrors
    ),
    security(("bearer" = []))
)]
#[get("/group-events/{id}/invitation.ics")]
async fn get_group_event_invitation(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::GetGroupEventInvitation)?;
    let scope = Scope::new(&state.db, &caller.group_id, &caller.roles);
    let stored = records::find(
        &state.db,
        &caller.group_id,
        <GroupEvent as cqrs_es::Aggregate>::TYPE,
        &id.to_string(),
        &scope.readable,
    )
    .await?
    .ok_or(ApiError::NotFound("group event"))?;
    let event: GroupEvent = serde_json::from_str(&stored.state).map_err(ApiError::internal)?;
    let entry = event_entry(*id, &event, stored.version).ok_or(ApiError::NotFound("group event"))?;
    let mut calendar = Calendar::new();
    calendar.push(entry);
    Ok(ics(calendar))
}

fn ics(mut calendar: Calendar) -> HttpResponse {
    HttpResponse::Ok().content_type("text/calendar; charset=utf-8").body(calendar.done().to_string())
}

/// A group event as a calendar entry, once it is planned.
fn event_entry(id: Uuid, event: &GroupEvent, version: i64) -> Option<Event> {
    let (Some(title), Some(starts_at)) = (&event.title, event.starts_at) else { return None };
    let status = match event.status {
        GroupEventStatus::Cancelled => EventStatus::Cancelled,
        _ => EventStatus::Confirmed,
    };
    let venue = Venue {
        starts_at,
        ends_at: event.ends_at,
        place: event.place.clone(),
        online_link: event.online_link.clone(),
    };
    let mut entry = entry(id, title, &venue, version, status);
    if let Some(description) = &event.description {
        entry.description(description.as_str());
    }
    Some(entry)
}

/// A calendar entry for a record held at `venue`.
fn entry(id: Uuid, title: &Title, venue: &Venue, version: i64, status: EventStatus) -> Event {
    let mut entry = Event::new();
    entry
        .uid(&uid(id))
        .summary(title.as_str())
        .starts(venue.starts_at)
        // SEQUENCE is the record's version, which grows with every change.
        .sequence(u32::try_from(version).unwrap_or(u32::MAX))
        .status(status);
    if let Some(ends_at) = venue.ends_at {
        entry.ends(ends_at);
    }
    if let Some(place) = &venue.place {
        entry.location(place.as_str());
    }
    if let Some(link) = &venue.online_link {
        entry.url(link.as_str());
    }
    entry.done()
}

/// A meeting's or event's UID: stable for its life, so clients update it in place.
fn uid(id: Uuid) -> String {
    format!("{id}@caucus")
}
