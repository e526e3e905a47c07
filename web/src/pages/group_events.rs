//! Group events: the list (what is coming up first, by status and kind), and
//! the screens split by job: an event's page with its places and forms
//! (`event`) and what they send (`writes`), and the office's form to plan
//! one (`plan`).

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, get, web};
use caucus_wire::Mirror as _;
use caucus_wire::group_events::{EventKind, GroupEventStatus, GroupEventView};
use chrono::Utc;
use serde::Deserialize;
use serde_json::{Value, json};

use super::paging::Listed;
use super::query::{showing, status_filter};
use super::{OFFICE, PageError, State, signed_in};
use crate::present::{london_span, status_tag, wire_word};
use crate::render::{Section, holds_any};

mod event;
mod plan;
mod writes;

pub(super) use event::{event_page, invitation};
pub(super) use plan::{new_page, plan_event};
pub(super) use writes::{accept, cancel, change_capacity, record_attendance, register, withdraw};

/// How a status reads, and the colour of its tag.
fn status_words(status: GroupEventStatus) -> (&'static str, &'static str) {
    match status {
        GroupEventStatus::Planned => ("Planned", "govuk-tag--blue"),
        GroupEventStatus::Held => ("Held", "govuk-tag--green"),
        GroupEventStatus::Cancelled => ("Cancelled", "govuk-tag--red"),
    }
}

/// What kind of event, as the office calls it.
fn kind_words(kind: EventKind) -> &'static str {
    match kind {
        EventKind::Seminar => "Seminar",
        EventKind::AwayDay => "Away day",
        EventKind::Training => "Training session",
        EventKind::Conference => "Conference",
        EventKind::Social => "Social",
    }
}

/// When an event is, in London's time.
fn when(event: &GroupEventView) -> String {
    london_span(event.starts_at, event.ends_at)
}

/// Where an event is: its place, else "Online".
fn where_words(event: &GroupEventView) -> String {
    match (&event.place, &event.online_link) {
        (Some(place), Some(_)) => format!("{place}, and online"),
        (Some(place), None) => place.clone(),
        (None, _) => "Online".to_owned(),
    }
}

/// How full it is: "10 of 10 places taken, 2 waiting", or "3 coming" with
/// no limit. An offered place counts as taken: it is held for someone.
fn places_words(event: &GroupEventView) -> String {
    let taken = event.registered.len() + event.offers.len();
    let mut words = match event.capacity {
        Some(capacity) => format!("{taken} of {capacity} places taken"),
        None => format!("{taken} coming, no limit"),
    };
    if !event.waiting.is_empty() {
        words.push_str(&format!(", {} waiting", event.waiting.len()));
    }
    words
}

/// Whether an event is still to come: planned and not yet over.
fn upcoming(event: &GroupEventView, now: chrono::DateTime<Utc>) -> bool {
    event.status == GroupEventStatus::Planned && event.ends_at.unwrap_or(event.starts_at) >= now
}

/// The list's query: the status and kind its filters chose.
#[derive(Debug, Deserialize)]
pub(super) struct EventsQuery {
    status: Option<String>,
    kind: Option<String>,
    cursor: Option<String>,
}

/// A wire word typed in a query as `T`: `None` for all, or a word we do not know.
fn chosen<T: serde::de::DeserializeOwned>(word: Option<&str>) -> Option<T> {
    let word = word.filter(|w| !w.is_empty())?;
    serde_json::from_value(Value::String(word.to_owned())).ok()
}

/// The table of `events`.
fn events_table(events: &[&GroupEventView], caption: &str) -> Value {
    let rows: Vec<Value> = events
        .iter()
        .map(|e| {
            let link = format!(
                "<a class=\"govuk-link\" href=\"/group-events/{}\">{}</a><span class=\"govuk-body-s govuk-!-display-block govuk-!-margin-top-1 govuk-!-margin-bottom-0\">{}</span>",
                e.id,
                tera::escape_html(&e.title),
                kind_words(e.kind),
            );
            json!([
                {"html": link},
                {"text": when(e)},
                {"text": where_words(e)},
                {"text": places_words(e)},
                {"html": status_tag(e.status, status_words)},
            ])
        })
        .collect();
    json!({
        "caption": caption,
        "captionClasses": "govuk-table__caption--m",
        "head": [{"text": "Event"}, {"text": "When"}, {"text": "Where"}, {"text": "Places"}, {"text": "Status"}],
        "rows": rows,
    })
}

#[get("/group-events")]
pub(super) async fn list(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    query: web::Query<EventsQuery>,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let status: Option<GroupEventStatus> = chosen(query.status.as_deref());
    let kind: Option<EventKind> = chosen(query.kind.as_deref());
    let mut chosen_filters = Vec::new();
    if let Some(status) = status {
        chosen_filters.push(format!("status={}", wire_word(status)));
    }
    if let Some(kind) = kind {
        chosen_filters.push(format!("kind={}", wire_word(kind)));
    }
    let here = match chosen_filters.is_empty() {
        true => "/group-events".to_owned(),
        false => format!("/group-events?{}", chosen_filters.join("&")),
    };
    chosen_filters.push("order=newest".to_owned());
    let path = format!("/group-events?{}", chosen_filters.join("&"));
    let listed: Listed<GroupEventView> =
        state.read_listed((&session, &person, &request), &path, query.cursor.as_deref()).await?;
    let (pagination, more) = (listed.pagination(&here), listed.has_more());
    let events = listed.items;
    let now = Utc::now();
    let (mut coming, mut past): (Vec<&GroupEventView>, Vec<&GroupEventView>) =
        events.iter().partition(|e| upcoming(e, now));
    coming.sort_by_key(|e| e.starts_at);
    past.sort_by_key(|e| std::cmp::Reverse(e.starts_at));
    let mut kinds = vec![json!({"value": "", "text": "All", "selected": kind.is_none()})];
    kinds.extend(
        EventKind::ALL
            .iter()
            .map(|k| json!({"value": wire_word(*k), "text": kind_words(*k), "selected": kind == Some(*k)})),
    );
    let filtered = match (status, kind) {
        (None, None) => None,
        (status, kind) => Some(
            [status.map(|s| status_words(s).0), kind.map(kind_words)]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(", "),
        ),
    };
    let frame = state.frame(&session, Some(&person), Section::Events, "Events")?;
    state.page(
        &frame,
        "group-events.html",
        json!({
            "status": status_filter(GroupEventStatus::ALL, status_words, status),
            "kind": {"name": "kind", "id": "kind", "label": {"text": "Kind"}, "items": kinds},
            "showing": showing(events.len(), ("event", "events"), filtered.as_deref(), more),
            "pagination": pagination,
            "upcoming": (!coming.is_empty()).then(|| events_table(&coming, "Coming up")),
            "past": (!past.is_empty()).then(|| events_table(&past, "Past and called off")),
            "may_plan": holds_any(&person, OFFICE),
        }),
    )
}
