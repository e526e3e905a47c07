//! `/group-events`: the group's seminars, away days, training sessions,
//! conferences and socials, with their places, waiting lists and registers.

use caucus_domain::group_event::{GroupEvent, GroupEventDraft, Host, Invitees};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::common::{
    ChosenClassification, Classification, Cursor, ListOrder, PageLimit, ReadOn, Stored, Unrecorded,
};
use crate::input::{NoteText, TitleText};
use crate::meetings::{Attendance, AttendanceEntry};
use crate::mirror::mirror;
use crate::{Fields, ParseRequest};

/// Hours a freed place stays offered unless the event says otherwise.
pub const DEFAULT_OFFER_HOURS: u32 = 48;

mirror! {
    /// What kind of event.
    pub enum EventKind = caucus_domain::group_event::EventKind {
        /// A group seminar.
        Seminar,
        /// An away day.
        AwayDay,
        /// A training session.
        Training,
        /// A conference.
        Conference,
        /// A social.
        Social,
    }
}

mirror! {
    /// Where an event stands.
    pub enum GroupEventStatus = caucus_domain::group_event::GroupEventStatus {
        /// In the diary, taking registrations.
        Planned,
        /// Its attendance has been recorded.
        Held,
        /// Called off.
        Cancelled,
    }
    internal { Unplanned }
}

/// Who is invited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Invited {
    /// Every member of the group.
    AllMembers,
    /// The members holding a seat on the bodies in `invited_ids`
    /// (committees, outside bodies, the group's posts).
    Bodies,
    /// The members in `invited_ids`.
    Members,
}

/// The outside organisation hosting or sponsoring an event.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HostRequest {
    /// Its name.
    pub name: TitleText,
    /// The value of the hospitality per head, in pence (0 if none).
    pub value_per_head_pence: u64,
}

/// Put an event in the diary.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanGroupEventRequest {
    /// What kind of event.
    pub kind: EventKind,
    /// Its title, up to 200 characters.
    pub title: TitleText,
    /// What it is for, the programme; up to 2,000 characters.
    #[serde(default)]
    pub description: Option<NoteText>,
    /// When it starts (RFC 3339).
    pub starts_at: DateTime<Utc>,
    /// When it ends; not before it starts.
    #[serde(default)]
    pub ends_at: Option<DateTime<Utc>>,
    /// Where, up to 200 characters. A place or an online link is required.
    #[serde(default)]
    pub place: Option<TitleText>,
    /// The http(s) link to join online.
    #[serde(default)]
    pub online_link: Option<String>,
    /// The member organising it: a current member of the group.
    #[serde(default)]
    pub organiser_id: Option<Uuid>,
    /// How many may come, at least 1; absent: no limit.
    #[serde(default)]
    #[schema(minimum = 1, maximum = 4294967295_u64)]
    pub capacity: Option<u32>,
    /// Who is invited.
    pub invited: Invited,
    /// The bodies or members invited (for `bodies` and `members`; empty for `all_members`).
    #[serde(default)]
    pub invited_ids: Vec<Uuid>,
    /// The outside organisation hosting or sponsoring it.
    #[serde(default)]
    pub host: Option<HostRequest>,
    /// The courses it teaches (courses of the group's catalogue): attending completes them.
    #[serde(default)]
    pub course_ids: Vec<Uuid>,
    /// Hours a member offered a freed place has to take it up, 1 to 336 (default 48).
    #[serde(default)]
    #[schema(minimum = 1, maximum = 336)]
    pub offer_hours: Option<u32>,
    /// Who may read it.
    pub classification: ChosenClassification,
}

impl ParseRequest for PlanGroupEventRequest {
    type Parsed = GroupEventDraft;

    fn parse_fields(&self, fields: &mut Fields) -> Option<GroupEventDraft> {
        let title = fields.check("/title", &self.title);
        let description = fields.check_optional("/description", self.description.as_ref());
        let venue =
            fields.venue(self.starts_at, self.ends_at, self.place.as_ref(), self.online_link.as_deref());
        let capacity = match self.capacity {
            Some(0) => {
                fields.reject("/capacity", "must be at least 1 (or absent, for no limit)");
                None
            }
            capacity => Some(capacity),
        };
        let offer_hours =
            fields.range("/offer_hours", self.offer_hours.unwrap_or(DEFAULT_OFFER_HOURS), 1, 336);
        let ids = self.invited_ids.clone();
        let invitees = match (self.invited, ids.is_empty()) {
            (Invited::AllMembers, true) => Some(Invitees::AllMembers),
            (Invited::AllMembers, false) => {
                fields.reject("/invited_ids", "must be empty when all members are invited");
                None
            }
            (Invited::Bodies | Invited::Members, true) => {
                fields.reject("/invited_ids", "name at least one body or member");
                None
            }
            (Invited::Bodies, false) => Some(Invitees::Bodies(ids)),
            (Invited::Members, false) => Some(Invitees::Members(ids)),
        };
        let host = match &self.host {
            None => Some(None),
            Some(host) => fields
                .check("/host/name", &host.name)
                .map(|name| Some(Host { name, value_per_head_pence: host.value_per_head_pence })),
        };
        Some(GroupEventDraft {
            kind: self.kind.into(),
            title: title?,
            description: description?,
            venue: venue?,
            organiser_id: self.organiser_id,
            capacity: capacity?,
            invitees: invitees?,
            host: host?,
            courses: self.course_ids.clone(),
            offer_hours: offer_hours?,
            classification: self.classification.into(),
        })
    }
}

/// Change how many may come.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EventCapacityRequest {
    /// The new capacity, at least 1; absent or null: no limit.
    #[serde(default)]
    #[schema(minimum = 1, maximum = 4294967295_u64)]
    pub capacity: Option<u32>,
}

/// A member registering, withdrawing or taking up a place.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EventMemberRequest {
    /// The member: councillors may name only themselves.
    pub member_id: Uuid,
}

/// Record who came.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordEventAttendanceRequest {
    /// Members and their attendance, at least one; a later entry replaces a member's earlier one.
    #[schema(min_items = 1)]
    pub entries: Vec<AttendanceEntry>,
}

/// Call an event off.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelGroupEventRequest {
    /// Why, up to 2,000 characters.
    pub reason: NoteText,
}

/// A member's place, or place on the waiting list.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
pub struct EventPlaceView {
    /// The member.
    pub member_id: Uuid,
    /// Since when (RFC 3339).
    pub since: DateTime<Utc>,
}

/// A freed place offered to a member from the waiting list.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
pub struct EventOfferView {
    /// The member.
    pub member_id: Uuid,
    /// When it was offered.
    pub offered_at: DateTime<Utc>,
    /// Until when they may take it up: after that it passes to the next.
    pub until: DateTime<Utc>,
}

/// The outside host or sponsor.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct HostView {
    /// Its name.
    pub name: String,
    /// The value of the hospitality per head, in pence.
    pub value_per_head_pence: u64,
}

/// Hospitality the members who came must register.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct HospitalityView {
    /// The members who came.
    pub member_ids: Vec<Uuid>,
    /// The day by which each must register it (28 days after the event).
    pub register_by: NaiveDate,
}

/// An event.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct GroupEventView {
    /// The event's id.
    pub id: Uuid,
    /// Its version; also its ETag.
    pub version: u64,
    /// Where it stands.
    pub status: GroupEventStatus,
    /// What kind of event.
    pub kind: EventKind,
    /// Its title.
    pub title: String,
    /// What it is for.
    pub description: Option<String>,
    /// When it starts.
    pub starts_at: DateTime<Utc>,
    /// When it ends.
    pub ends_at: Option<DateTime<Utc>>,
    /// Where.
    pub place: Option<String>,
    /// The link to join online.
    pub online_link: Option<String>,
    /// The member organising it.
    pub organiser_id: Option<Uuid>,
    /// How many may come; absent: no limit.
    pub capacity: Option<u32>,
    /// Places neither taken nor offered; absent: no limit.
    pub places_left: Option<u32>,
    /// Who is invited.
    pub invited: Invited,
    /// The bodies or members invited.
    pub invited_ids: Vec<Uuid>,
    /// The outside host or sponsor.
    pub host: Option<HostView>,
    /// The courses it teaches: attending completes them.
    pub course_ids: Vec<Uuid>,
    /// Hours a freed place stays offered.
    pub offer_hours: u32,
    /// Who may read it.
    pub classification: Classification,
    /// Members with a place, in the order they took it.
    pub registered: Vec<EventPlaceView>,
    /// Members waiting for a place, first first.
    pub waiting: Vec<EventPlaceView>,
    /// Places offered from the waiting list and not yet taken up.
    pub offers: Vec<EventOfferView>,
    /// The attendance register.
    pub attendance: Vec<AttendanceEntry>,
    /// Hospitality at or over the group's threshold that those who came must register.
    pub hospitality: Option<HospitalityView>,
    /// Why it was called off.
    pub cancellation_reason: Option<String>,
    /// When it was planned (RFC 3339, UTC).
    pub recorded_at: String,
    /// When it last changed (RFC 3339, UTC).
    pub updated_at: String,
}

impl GroupEventView {
    /// The event as the contract shows it `on` a day: its offers settled as
    /// at then, its hospitality weighed against the group's threshold.
    pub fn new(id: Uuid, event: &GroupEvent, stored: Stored<'_>, on: ReadOn<'_>) -> Result<Self, Unrecorded> {
        let unplanned = || Unrecorded { record: "group event", id };
        let e = event.as_at(on.now);
        let (invited, invited_ids) = match e.invitees.clone().ok_or_else(unplanned)? {
            Invitees::AllMembers => (Invited::AllMembers, Vec::new()),
            Invitees::Bodies(ids) => (Invited::Bodies, ids),
            Invitees::Members(ids) => (Invited::Members, ids),
        };
        let place =
            |p: &caucus_domain::group_event::Place| EventPlaceView { member_id: p.member_id, since: p.since };
        Ok(Self {
            id,
            version: stored.version,
            status: e.status.try_into().map_err(|_| unplanned())?,
            kind: e.kind.ok_or_else(unplanned)?.into(),
            title: e.title.as_ref().ok_or_else(unplanned)?.to_string(),
            description: e.description.as_ref().map(ToString::to_string),
            starts_at: e.starts_at.ok_or_else(unplanned)?,
            ends_at: e.ends_at,
            place: e.place.as_ref().map(ToString::to_string),
            online_link: e.online_link.as_ref().map(ToString::to_string),
            organiser_id: e.organiser_id,
            capacity: e.capacity,
            places_left: e.places_left(),
            invited,
            invited_ids,
            host: e
                .host
                .as_ref()
                .map(|h| HostView { name: h.name.to_string(), value_per_head_pence: h.value_per_head_pence }),
            course_ids: e.courses.clone(),
            offer_hours: e.offer_hours,
            classification: e.classification.ok_or_else(unplanned)?.into(),
            registered: e.registered.iter().map(place).collect(),
            waiting: e.waiting.iter().map(place).collect(),
            offers: e
                .offers
                .iter()
                .map(|o| EventOfferView { member_id: o.member_id, offered_at: o.at, until: o.until })
                .collect(),
            attendance: e
                .attendance
                .iter()
                .map(|(member_id, a)| AttendanceEntry {
                    member_id: *member_id,
                    attendance: Attendance::from(*a),
                })
                .collect(),
            hospitality: e
                .hospitality_to_register(on.hospitality_threshold_pence, on.motion_deadline.zone)
                .map(|(member_ids, register_by)| HospitalityView { member_ids, register_by }),
            cancellation_reason: e.cancellation_reason.as_ref().map(ToString::to_string),
            recorded_at: stored.created_at.to_owned(),
            updated_at: stored.updated_at.to_owned(),
        })
    }
}

/// A page of events.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct GroupEventPage {
    /// The events, soonest first.
    pub items: Vec<GroupEventView>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// Filters for the events list.
#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct GroupEventFilters {
    /// Only events in this status.
    #[param(inline)]
    pub status: Option<GroupEventStatus>,
    /// Only events of this kind.
    #[param(inline)]
    pub kind: Option<EventKind>,
    /// Only events this member holds or waits for a place at, is offered one, or is on the register of.
    pub member_id: Option<Uuid>,
    /// Continue from the `next_cursor` of the previous page.
    #[param(inline)]
    pub cursor: Option<Cursor>,
    /// Page size, 1 to 200 (default 50).
    #[param(inline)]
    pub limit: Option<PageLimit>,
    /// Which end of the register to start from (default `oldest`).
    #[param(inline)]
    pub order: Option<ListOrder>,
    /// The events as it stood at this instant, rebuilt from the events recorded by then.
    pub as_of: Option<DateTime<Utc>>,
}
