use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use cqrs_es::{Aggregate, event_sink::EventSink};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::commands::GroupEventCommand;
use super::events::{EventKind, GroupEventEvent, Host, Invitees, PlannedEvent};
use crate::meeting::Attendance;
use crate::{Classification, DomainError, GroupId, Note, Record, RecordIndex, Refusal, Title, tag};

/// The value per head, in pence, at or over which a member registers
/// hospitality, unless the group sets its own (£50, as the LGA model code).
pub const DEFAULT_HOSPITALITY_THRESHOLD_PENCE: u64 = 5_000;

/// Days a member has to register hospitality they received (Localism Act
/// 2011 s.30 and the code of conduct).
pub const HOSPITALITY_REGISTRATION_DAYS: i64 = 28;

/// Where an event stands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum GroupEventStatus {
    /// Not yet planned.
    #[default]
    Unplanned,
    /// In the diary, taking registrations.
    Planned,
    /// Its attendance has been recorded.
    Held,
    /// Called off.
    Cancelled,
}

impl GroupEventStatus {
    /// The stable word for it (its serde name too).
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// A member's place, or place on the waiting list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    /// The member.
    pub member_id: Uuid,
    /// Since when.
    pub since: DateTime<Utc>,
}

/// A freed place offered to a member from the waiting list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offer {
    /// The member.
    pub member_id: Uuid,
    /// When it was offered.
    pub at: DateTime<Utc>,
    /// Until when they may take it up.
    pub until: DateTime<Utc>,
}

/// An event, as its events have built it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GroupEvent {
    /// The owning group.
    pub group_id: Option<GroupId>,
    /// Where it stands.
    pub status: GroupEventStatus,
    /// What kind of event.
    pub kind: Option<EventKind>,
    /// Its title.
    pub title: Option<Title>,
    /// What it is for.
    pub description: Option<Note>,
    /// When it starts.
    pub starts_at: Option<DateTime<Utc>>,
    /// When it ends.
    pub ends_at: Option<DateTime<Utc>>,
    /// Where.
    pub place: Option<Title>,
    /// The link to join online.
    pub online_link: Option<Note>,
    /// The member organising it.
    pub organiser_id: Option<Uuid>,
    /// How many may come; `None`: no limit.
    pub capacity: Option<u32>,
    /// Who is invited.
    pub invitees: Option<Invitees>,
    /// The outside host or sponsor.
    pub host: Option<Host>,
    /// The courses it teaches: attending completes them.
    pub courses: Vec<Uuid>,
    /// Hours a freed place stays offered.
    pub offer_hours: u32,
    /// Who may read it.
    pub classification: Option<Classification>,
    /// Members with a place, in the order they took it.
    pub registered: Vec<Place>,
    /// Members waiting for a place, first first.
    pub waiting: Vec<Place>,
    /// Places offered and not yet taken up, declined or lapsed.
    pub offers: Vec<Offer>,
    /// The attendance register: each member's latest entry.
    pub attendance: Vec<(Uuid, Attendance)>,
    /// Why it was called off.
    pub cancellation_reason: Option<Note>,
}

/// Why an event command was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GroupEventError {
    /// Planned twice.
    #[error("this event is already in the diary")]
    AlreadyPlanned,
    /// No such event.
    #[error("no such event")]
    NotPlanned,
    /// Held or cancelled.
    #[error("this event is {0}")]
    Closed(&'static str),
    /// An end before the start.
    #[error("the event must not end before it starts")]
    EndsBeforeStart,
    /// A capacity of nobody.
    #[error("the capacity must be at least 1 (or none, for no limit)")]
    NoCapacity,
    /// Registering once it has started.
    #[error("registration closed when the event started")]
    Started,
    /// Attendance before the start.
    #[error("attendance can be recorded once the event has started")]
    NotStarted,
    /// Registered, waiting or offered a place already.
    #[error("this member is already registered or on the waiting list")]
    AlreadyRegistered,
    /// Neither registered nor waiting.
    #[error("member {0} is not registered for this event or on its waiting list")]
    NotRegistered(Uuid),
    /// No offer to accept.
    #[error("no place is being offered to member {0}: the offer may have lapsed")]
    NoOffer(Uuid),
    /// An empty register.
    #[error("the register must record at least one member")]
    EmptyRegister,
}

impl DomainError for GroupEventError {
    fn refusal(&self) -> Refusal {
        match self {
            Self::NotPlanned => Refusal::NotFound,
            Self::AlreadyPlanned
            | Self::Closed(_)
            | Self::Started
            | Self::NotStarted
            | Self::AlreadyRegistered
            | Self::NoOffer(_) => Refusal::Conflict,
            Self::EndsBeforeStart | Self::NoCapacity | Self::NotRegistered(_) | Self::EmptyRegister => {
                Refusal::Invalid
            }
        }
    }

    fn fields(&self) -> Vec<(String, String)> {
        let pointer = match self {
            Self::EndsBeforeStart => "/ends_at",
            Self::NoCapacity => "/capacity",
            Self::NotRegistered(_) => "/member_id",
            Self::EmptyRegister => "/entries",
            _ => return Vec::new(),
        };
        vec![(pointer.to_owned(), self.to_string())]
    }
}

impl GroupEvent {
    fn require_planned(&self) -> Result<(), GroupEventError> {
        match self.status {
            GroupEventStatus::Unplanned => Err(GroupEventError::NotPlanned),
            GroupEventStatus::Planned => Ok(()),
            closed => Err(GroupEventError::Closed(closed.as_str())),
        }
    }

    fn has_started(&self, at: DateTime<Utc>) -> bool {
        self.starts_at.is_some_and(|start| at >= start)
    }

    /// Places neither taken nor offered; `None`: no limit.
    pub fn places_left(&self) -> Option<u32> {
        let taken = (self.registered.len() + self.offers.len()) as u32;
        self.capacity.map(|capacity| capacity.saturating_sub(taken))
    }

    /// Whether `member_id` has a place, is waiting, or is offered one.
    pub fn holds_any_place(&self, member_id: Uuid) -> bool {
        self.registered.iter().chain(&self.waiting).any(|p| p.member_id == member_id)
            || self.offers.iter().any(|o| o.member_id == member_id)
    }

    /// Places neither taken nor offered (without a limit, always some).
    fn free_places(&self) -> usize {
        let Some(capacity) = self.capacity else { return usize::MAX };
        (capacity as usize).saturating_sub(self.registered.len() + self.offers.len())
    }

    fn record(&mut self, pending: &mut Vec<GroupEventEvent>, event: GroupEventEvent) {
        self.apply(event.clone());
        pending.push(event);
    }

    /// Offers each free place to the next on the waiting list, at `at`.
    fn offer_free_places(&mut self, at: DateTime<Utc>, pending: &mut Vec<GroupEventEvent>) {
        while self.free_places() > 0 {
            let Some(next) = self.waiting.first() else { break };
            let until = at + Duration::hours(i64::from(self.offer_hours));
            let event = GroupEventEvent::PlaceOffered { member_id: next.member_id, at, until };
            self.record(pending, event);
        }
    }

    /// Lets every offer whose time ran out by `at` lapse, in the order they
    /// ran out, offering each place on to the next on the list as it did.
    fn lapse_offers(&mut self, at: DateTime<Utc>, pending: &mut Vec<GroupEventEvent>) {
        while let Some(offer) = self.offers.iter().filter(|o| o.until <= at).min_by_key(|o| o.until).copied()
        {
            let lapsed = GroupEventEvent::OfferLapsed { member_id: offer.member_id, at: offer.until };
            self.record(pending, lapsed);
            self.offer_free_places(offer.until, pending);
        }
    }

    /// The event as it stands at `at`: offers that have run out by then
    /// lapsed, and their places offered on. What a reader is shown.
    pub fn as_at(&self, at: DateTime<Utc>) -> Self {
        let mut settled = self.clone();
        if settled.status == GroupEventStatus::Planned {
            settled.lapse_offers(at, &mut Vec::new());
        }
        settled
    }

    /// The day the event is held, in `zone`.
    pub fn held_on(&self, zone: Tz) -> Option<NaiveDate> {
        self.starts_at.map(|at| at.with_timezone(&zone).date_naive())
    }

    /// The members who came to an event whose host declared hospitality
    /// worth at least `threshold_pence` a head, and the day by which each
    /// must register it: 28 days after the event.
    pub fn hospitality_to_register(&self, threshold_pence: u64, zone: Tz) -> Option<(Vec<Uuid>, NaiveDate)> {
        self.host.as_ref().filter(|h| h.value_per_head_pence >= threshold_pence)?;
        let last_day = self.ends_at.or(self.starts_at)?.with_timezone(&zone).date_naive();
        let came: Vec<Uuid> =
            self.attendance.iter().filter(|(_, a)| *a == Attendance::Present).map(|(m, _)| *m).collect();
        (!came.is_empty()).then(|| (came, last_day + Duration::days(HOSPITALITY_REGISTRATION_DAYS)))
    }

    fn change(
        &mut self,
        command: GroupEventCommand,
        pending: &mut Vec<GroupEventEvent>,
    ) -> Result<(), GroupEventError> {
        use GroupEventEvent as E;
        match command {
            GroupEventCommand::PlanEvent { group_id, draft } => {
                if self.status != GroupEventStatus::Unplanned {
                    return Err(GroupEventError::AlreadyPlanned);
                }
                let venue = draft.venue;
                if venue.ends_at.is_some_and(|end| end < venue.starts_at) {
                    return Err(GroupEventError::EndsBeforeStart);
                }
                if draft.capacity == Some(0) {
                    return Err(GroupEventError::NoCapacity);
                }
                let planned = E::EventPlanned(Box::new(PlannedEvent {
                    group_id,
                    kind: draft.kind,
                    title: draft.title,
                    description: draft.description,
                    starts_at: venue.starts_at,
                    ends_at: venue.ends_at,
                    place: venue.place,
                    online_link: venue.online_link,
                    organiser_id: draft.organiser_id,
                    capacity: draft.capacity,
                    invitees: draft.invitees,
                    host: draft.host,
                    courses: draft.courses,
                    offer_hours: draft.offer_hours,
                    classification: draft.classification,
                }));
                self.record(pending, planned);
            }
            GroupEventCommand::ChangeCapacity { capacity, at } => {
                self.require_planned()?;
                if capacity == Some(0) {
                    return Err(GroupEventError::NoCapacity);
                }
                self.record(pending, E::CapacityChanged { capacity });
                while let Some(limit) = self.capacity.map(|c| c as usize) {
                    if self.registered.len() + self.offers.len() <= limit {
                        break;
                    }
                    // Offers go back first: nobody has counted on them yet.
                    let event = match (self.offers.last(), self.registered.last()) {
                        (Some(offer), _) => E::OfferWithdrawn { member_id: offer.member_id },
                        (None, Some(place)) => E::MovedToWaitingList { member_id: place.member_id },
                        (None, None) => break,
                    };
                    self.record(pending, event);
                }
                self.offer_free_places(at, pending);
            }
            GroupEventCommand::Register { member_id, at } => {
                self.require_planned()?;
                if self.has_started(at) {
                    return Err(GroupEventError::Started);
                }
                if self.holds_any_place(member_id) {
                    return Err(GroupEventError::AlreadyRegistered);
                }
                let event = if self.free_places() == 0 || !self.waiting.is_empty() {
                    E::JoinedWaitingList { member_id, at }
                } else {
                    E::MemberRegistered { member_id, at }
                };
                self.record(pending, event);
            }
            GroupEventCommand::Withdraw { member_id, at } => {
                self.require_planned()?;
                let event = if self.registered.iter().any(|p| p.member_id == member_id) {
                    E::RegistrationWithdrawn { member_id, at }
                } else if self.waiting.iter().any(|p| p.member_id == member_id) {
                    E::LeftWaitingList { member_id, at }
                } else if self.offers.iter().any(|o| o.member_id == member_id) {
                    E::OfferDeclined { member_id, at }
                } else {
                    return Err(GroupEventError::NotRegistered(member_id));
                };
                self.record(pending, event);
                self.offer_free_places(at, pending);
            }
            GroupEventCommand::AcceptOffer { member_id, at } => {
                self.require_planned()?;
                if !self.offers.iter().any(|o| o.member_id == member_id) {
                    return Err(GroupEventError::NoOffer(member_id));
                }
                self.record(pending, E::OfferAccepted { member_id, at });
            }
            GroupEventCommand::RecordAttendance { entries, at } => {
                if self.status != GroupEventStatus::Held {
                    self.require_planned()?;
                }
                if !self.has_started(at) {
                    return Err(GroupEventError::NotStarted);
                }
                if entries.is_empty() {
                    return Err(GroupEventError::EmptyRegister);
                }
                self.record(pending, E::AttendanceRecorded { entries });
            }
            GroupEventCommand::CancelEvent { reason, .. } => {
                self.require_planned()?;
                self.record(pending, E::EventCancelled { reason });
            }
        }
        Ok(())
    }
}

impl Aggregate for GroupEvent {
    const TYPE: &'static str = "GroupEvent";
    type Command = GroupEventCommand;
    type Event = GroupEventEvent;
    type Error = GroupEventError;
    type Services = ();

    async fn handle(
        &mut self,
        command: Self::Command,
        _services: &Self::Services,
        sink: &EventSink<Self>,
    ) -> Result<(), Self::Error> {
        let mut next = self.clone();
        let mut pending = Vec::new();
        let at = match &command {
            GroupEventCommand::PlanEvent { .. } => None,
            GroupEventCommand::ChangeCapacity { at, .. }
            | GroupEventCommand::Register { at, .. }
            | GroupEventCommand::Withdraw { at, .. }
            | GroupEventCommand::AcceptOffer { at, .. }
            | GroupEventCommand::RecordAttendance { at, .. }
            | GroupEventCommand::CancelEvent { at, .. } => Some(*at),
        };
        if let Some(at) = at.filter(|_| next.status == GroupEventStatus::Planned) {
            next.lapse_offers(at, &mut pending);
        }
        next.change(command, &mut pending)?;
        for event in pending {
            sink.write(event, self).await;
        }
        Ok(())
    }

    fn apply(&mut self, event: Self::Event) {
        use GroupEventEvent as E;
        let leave = |places: &mut Vec<Place>, member_id: Uuid| places.retain(|p| p.member_id != member_id);
        match event {
            E::EventPlanned(planned) => {
                let PlannedEvent {
                    group_id,
                    kind,
                    title,
                    description,
                    starts_at,
                    ends_at,
                    place,
                    online_link,
                    organiser_id,
                    capacity,
                    invitees,
                    host,
                    courses,
                    offer_hours,
                    classification,
                } = *planned;
                self.group_id = Some(group_id);
                self.status = GroupEventStatus::Planned;
                self.kind = Some(kind);
                self.title = Some(title);
                self.description = description;
                self.starts_at = Some(starts_at);
                self.ends_at = ends_at;
                self.place = place;
                self.online_link = online_link;
                self.organiser_id = organiser_id;
                self.capacity = capacity;
                self.invitees = Some(invitees);
                self.host = host;
                self.courses = courses;
                self.offer_hours = offer_hours;
                self.classification = Some(classification);
            }
            E::CapacityChanged { capacity } => self.capacity = capacity,
            E::MemberRegistered { member_id, at } => self.registered.push(Place { member_id, since: at }),
            E::JoinedWaitingList { member_id, at } => self.waiting.push(Place { member_id, since: at }),
            E::PlaceOffered { member_id, at, until } => {
                leave(&mut self.waiting, member_id);
                self.offers.push(Offer { member_id, at, until });
            }
            E::OfferAccepted { member_id, at } => {
                self.offers.retain(|o| o.member_id != member_id);
                self.registered.push(Place { member_id, since: at });
            }
            E::OfferDeclined { member_id, .. } | E::OfferLapsed { member_id, .. } => {
                self.offers.retain(|o| o.member_id != member_id);
            }
            E::OfferWithdrawn { member_id } => {
                if let Some(offer) = self.offers.iter().find(|o| o.member_id == member_id).copied() {
                    self.offers.retain(|o| o.member_id != member_id);
                    self.waiting.insert(0, Place { member_id, since: offer.at });
                }
            }
            E::MovedToWaitingList { member_id } => {
                if let Some(place) = self.registered.iter().find(|p| p.member_id == member_id).copied() {
                    leave(&mut self.registered, member_id);
                    self.waiting.insert(0, place);
                }
            }
            E::RegistrationWithdrawn { member_id, .. } => leave(&mut self.registered, member_id),
            E::LeftWaitingList { member_id, .. } => leave(&mut self.waiting, member_id),
            E::AttendanceRecorded { entries } => {
                self.status = GroupEventStatus::Held;
                for (member_id, attendance) in entries {
                    match self.attendance.iter_mut().find(|(m, _)| *m == member_id) {
                        Some(entry) => entry.1 = attendance,
                        None => self.attendance.push((member_id, attendance)),
                    }
                }
            }
            E::EventCancelled { reason } => {
                self.status = GroupEventStatus::Cancelled;
                self.cancellation_reason = Some(reason);
            }
        }
    }
}

impl Record for GroupEvent {
    fn group_id(&self) -> Option<&GroupId> {
        self.group_id.as_ref()
    }

    fn classification(&self) -> Classification {
        self.classification.unwrap_or(Classification::Confidential)
    }

    fn status(&self) -> &'static str {
        self.status.as_str()
    }

    /// Its organiser and day; tagged with everyone holding a place, waiting
    /// or offered one, and everyone on the register, so a member's events
    /// are one query.
    fn index(&self) -> RecordIndex {
        let places = self.registered.iter().chain(&self.waiting).map(|p| p.member_id);
        let offered = self.offers.iter().map(|o| o.member_id);
        let came = self.attendance.iter().map(|(m, _)| *m);
        let mut tags: Vec<String> = places.chain(offered).chain(came).map(|m| tag("member", m)).collect();
        tags.sort();
        tags.dedup();
        tags.extend(self.kind.map(|k| tag("kind", k.as_str())));
        RecordIndex {
            member_id: self.organiser_id,
            due_on: self.starts_at.map(|at| at.date_naive()),
            tags,
            ..RecordIndex::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::group_event::GroupEventDraft;
    use crate::meeting::Venue;

    const A: Uuid = Uuid::from_u128(1);
    const B: Uuid = Uuid::from_u128(2);
    const C: Uuid = Uuid::from_u128(3);
    const D: Uuid = Uuid::from_u128(4);

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().expect("time")
    }

    fn event(capacity: Option<u32>) -> GroupEvent {
        let draft = GroupEventDraft {
            kind: EventKind::Seminar,
            title: Title::parse("Housing policy seminar").expect("title"),
            description: None,
            venue: Venue {
                starts_at: at("2026-06-10T18:00:00Z"),
                ends_at: Some(at("2026-06-10T20:00:00Z")),
                place: None,
                online_link: None,
            },
            organiser_id: None,
            capacity,
            invitees: Invitees::AllMembers,
            host: Some(Host { name: Title::parse("Peabody").expect("name"), value_per_head_pence: 6_500 }),
            courses: Vec::new(),
            offer_hours: 48,
            classification: Classification::Group,
        };
        let mut planned = GroupEvent::default();
        let group_id = GroupId::parse("newham-labour").expect("group");
        run(&mut planned, GroupEventCommand::PlanEvent { group_id, draft: Box::new(draft) })
            .expect("planned");
        planned
    }

    /// Runs `command` as the command bus does; the events it recorded.
    fn run(
        event: &mut GroupEvent,
        command: GroupEventCommand,
    ) -> Result<Vec<GroupEventEvent>, GroupEventError> {
        let runtime = tokio::runtime::Builder::new_current_thread().build().expect("runtime");
        runtime.block_on(async {
            let sink = EventSink::default();
            event.handle(command, &(), &sink).await?;
            Ok(sink.collect().await)
        })
    }

    fn register(event: &mut GroupEvent, member_id: Uuid, when: &str) {
        run(event, GroupEventCommand::Register { member_id, at: at(when) }).expect("registered");
    }

    fn members(places: &[Place]) -> Vec<Uuid> {
        places.iter().map(|p| p.member_id).collect()
    }

    #[test]
    fn past_capacity_members_wait_and_a_freed_place_is_offered_to_the_first_waiting() {
        let mut seminar = event(Some(1));
        register(&mut seminar, A, "2026-06-01T09:00:00Z");
        register(&mut seminar, B, "2026-06-01T10:00:00Z");
        register(&mut seminar, C, "2026-06-01T11:00:00Z");
        assert_eq!(members(&seminar.registered), [A]);
        assert_eq!(members(&seminar.waiting), [B, C]);

        let freed =
            run(&mut seminar, GroupEventCommand::Withdraw { member_id: A, at: at("2026-06-02T09:00:00Z") });
        assert_eq!(
            freed.expect("withdrew").last(),
            Some(&GroupEventEvent::PlaceOffered {
                member_id: B,
                at: at("2026-06-02T09:00:00Z"),
                until: at("2026-06-04T09:00:00Z"),
            })
        );
        // Someone new joins behind those already waiting, not in the offered place.
        register(&mut seminar, D, "2026-06-02T10:00:00Z");
        assert_eq!(members(&seminar.waiting), [C, D]);
        run(&mut seminar, GroupEventCommand::AcceptOffer { member_id: B, at: at("2026-06-03T09:00:00Z") })
            .expect("accepted");
        assert_eq!(members(&seminar.registered), [B]);
        assert!(seminar.offers.is_empty());
    }

    #[test]
    fn an_offer_not_taken_up_lapses_and_the_place_passes_to_the_next_in_turn() {
        let mut seminar = event(Some(1));
        for (member, when) in
            [(A, "2026-06-01T09:00:00Z"), (B, "2026-06-01T10:00:00Z"), (C, "2026-06-01T11:00:00Z")]
        {
            register(&mut seminar, member, when);
        }
        run(&mut seminar, GroupEventCommand::Withdraw { member_id: A, at: at("2026-06-02T09:00:00Z") })
            .expect("withdrew");

        // Three days on, B's offer ran out after two, and C's runs for two from then.
        let later = seminar.as_at(at("2026-06-05T09:00:00Z"));
        assert_eq!(
            later.offers,
            [Offer { member_id: C, at: at("2026-06-04T09:00:00Z"), until: at("2026-06-06T09:00:00Z") }]
        );
        assert!(!later.holds_any_place(B), "B left the list when their offer lapsed");

        let refused = run(
            &mut seminar,
            GroupEventCommand::AcceptOffer { member_id: B, at: at("2026-06-05T09:00:00Z") },
        );
        assert_eq!(refused, Err(GroupEventError::NoOffer(B)));
        let accepted = run(
            &mut seminar,
            GroupEventCommand::AcceptOffer { member_id: C, at: at("2026-06-05T09:00:00Z") },
        )
        .expect("accepted");
        assert_eq!(
            accepted,
            [
                GroupEventEvent::OfferLapsed { member_id: B, at: at("2026-06-04T09:00:00Z") },
                GroupEventEvent::PlaceOffered {
                    member_id: C,
                    at: at("2026-06-04T09:00:00Z"),
                    until: at("2026-06-06T09:00:00Z"),
                },
                GroupEventEvent::OfferAccepted { member_id: C, at: at("2026-06-05T09:00:00Z") },
            ],
            "the lapse is recorded when it happened, before the acceptance"
        );
        assert_eq!(members(&seminar.registered), [C]);
    }

    #[test]
    fn declining_an_offer_passes_it_on_at_once() {
        let mut seminar = event(Some(1));
        for (member, when) in
            [(A, "2026-06-01T09:00:00Z"), (B, "2026-06-01T10:00:00Z"), (C, "2026-06-01T11:00:00Z")]
        {
            register(&mut seminar, member, when);
        }
        run(&mut seminar, GroupEventCommand::Withdraw { member_id: A, at: at("2026-06-02T09:00:00Z") })
            .expect("freed");
        run(&mut seminar, GroupEventCommand::Withdraw { member_id: B, at: at("2026-06-02T12:00:00Z") })
            .expect("declined");
        assert_eq!(
            seminar.offers.iter().map(|o| (o.member_id, o.at)).collect::<Vec<_>>(),
            [(C, at("2026-06-02T12:00:00Z"))]
        );
    }

    #[test]
    fn fewer_places_send_the_last_registered_to_the_head_of_the_list_and_more_offer_them_back() {
        let mut seminar = event(Some(3));
        for (member, when) in [
            (A, "2026-06-01T09:00:00Z"),
            (B, "2026-06-01T10:00:00Z"),
            (C, "2026-06-01T11:00:00Z"),
            (D, "2026-06-01T12:00:00Z"),
        ] {
            register(&mut seminar, member, when);
        }
        run(
            &mut seminar,
            GroupEventCommand::ChangeCapacity { capacity: Some(2), at: at("2026-06-02T09:00:00Z") },
        )
        .expect("reduced");
        assert_eq!(members(&seminar.registered), [A, B]);
        assert_eq!(members(&seminar.waiting), [C, D], "C, registered last, waits first");

        run(
            &mut seminar,
            GroupEventCommand::ChangeCapacity { capacity: None, at: at("2026-06-03T09:00:00Z") },
        )
        .expect("unlimited");
        assert_eq!(seminar.offers.iter().map(|o| o.member_id).collect::<Vec<_>>(), [C, D]);
        assert!(seminar.waiting.is_empty());
    }

    #[test]
    fn registration_closes_when_it_starts_and_the_register_opens() {
        let mut seminar = event(None);
        register(&mut seminar, A, "2026-06-01T09:00:00Z");
        let early = GroupEventCommand::RecordAttendance {
            entries: vec![(A, Attendance::Present)],
            at: at("2026-06-10T17:00:00Z"),
        };
        assert_eq!(run(&mut seminar, early), Err(GroupEventError::NotStarted));
        let late = GroupEventCommand::Register { member_id: B, at: at("2026-06-10T18:30:00Z") };
        assert_eq!(run(&mut seminar, late), Err(GroupEventError::Started));
        let register_taken = GroupEventCommand::RecordAttendance {
            entries: vec![(A, Attendance::Present), (B, Attendance::Apologies)],
            at: at("2026-06-10T21:00:00Z"),
        };
        run(&mut seminar, register_taken).expect("recorded");
        assert_eq!(seminar.status, GroupEventStatus::Held);
        let corrected = GroupEventCommand::RecordAttendance {
            entries: vec![(B, Attendance::Present)],
            at: at("2026-06-11T09:00:00Z"),
        };
        run(&mut seminar, corrected).expect("corrected");
        assert_eq!(seminar.attendance, [(A, Attendance::Present), (B, Attendance::Present)]);
    }

    #[test]
    fn hospitality_at_or_over_the_threshold_is_to_be_registered_within_28_days_by_those_who_came() {
        let mut seminar = event(None);
        let register_taken = GroupEventCommand::RecordAttendance {
            entries: vec![(A, Attendance::Present), (B, Attendance::Absent)],
            at: at("2026-06-10T21:00:00Z"),
        };
        run(&mut seminar, register_taken).expect("recorded");
        let zone = chrono_tz::Europe::London;
        assert_eq!(
            seminar.hospitality_to_register(5_000, zone),
            Some((vec![A], "2026-07-08".parse().expect("day")))
        );
        assert_eq!(seminar.hospitality_to_register(6_501, zone), None, "under the threshold");
    }
}
