//! A read-only replay of one group's records straight from the event log, in
//! the projector's global order and through the same upcasters, into typed
//! records in memory. It needs no read model, so a reader that may not write
//! (the publisher, an auditor) sees exactly what the events say, optionally
//! only as they stood at an instant.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, Utc};
use cqrs_es::Aggregate;
use uuid::Uuid;

use super::{Database, GlobalPosition, StoreError, event_row::EventRow, log_reader::each_committed_event};
use crate::domain::{
    GroupId, Record,
    action::Action,
    appointment::Appointment,
    body::Body,
    briefing::Briefing,
    budget::Budget,
    case::Case,
    decision::Decision,
    donation::Donation,
    election::Election,
    forward_plan::ForwardPlanItem,
    group_event::GroupEvent,
    induction::{Induction, InductionSteps},
    meeting::Meeting,
    member::Member,
    motion::Motion,
    organisation::Organisation,
    publication::Publication,
    resident::Resident,
    training::{Course, TrainingRecord},
};
// The register of interests (issue 18).
use crate::domain::interests::Register;

/// One record as its events built it, with when it was first and last changed.
#[derive(Debug, Clone, PartialEq)]
pub struct Replayed<A> {
    /// The record's id.
    pub id: Uuid,
    /// The record's state.
    pub record: A,
    /// How many events built it (its version).
    pub version: i64,
    /// When its first event was recorded.
    pub created_at: DateTime<Utc>,
    /// When its latest event was recorded.
    pub updated_at: DateTime<Utc>,
}

/// Records of one type, by id: a `BTreeMap`, so iteration is always in one order.
pub type Records<A> = BTreeMap<Uuid, Replayed<A>>;

/// Every record of one group, as the log held them.
#[derive(Debug, Clone, Default)]
pub struct GroupRecords {
    /// Decisions.
    pub decisions: Records<Decision>,
    /// Actions.
    pub actions: Records<Action>,
    /// Members.
    pub members: Records<Member>,
    /// Bodies.
    pub bodies: Records<Body>,
    /// Appointments.
    pub appointments: Records<Appointment>,
    /// Publications.
    pub publications: Records<Publication>,
    /// Meetings.
    pub meetings: Records<Meeting>,
    /// The group's own events (seminars, away days, ...): the publisher
    /// shows the public ones, never who registered or came.
    pub group_events: Records<GroupEvent>,
    /// When the group's latest replayed event was recorded; `None` if it has none.
    pub last_recorded_at: Option<DateTime<Utc>>,
}

/// Replays the log and returns `group`'s records; with `as_of`, only events
/// recorded at or before that instant count.
pub async fn replay_group(
    db: &Database,
    group: &GroupId,
    as_of: Option<DateTime<Utc>>,
) -> Result<GroupRecords, StoreError> {
    let mut replay = GroupReplay::new(group.clone());
    replay.fold_committed(db, as_of).await?;
    Ok(replay.records.only(group))
}

/// One group's records folded from the log and kept current: a reader that
/// stays up (the publisher's `watch`) folds only the events committed since
/// its last pass instead of the whole log again.
#[derive(Debug, Clone)]
pub struct GroupReplay {
    group: GroupId,
    records: GroupRecords,
    /// The last event folded (or skipped).
    reached: GlobalPosition,
    /// Records that belong to another group: their later events are skipped.
    foreign: HashSet<Uuid>,
}

impl GroupReplay {
    /// Nothing folded yet.
    pub fn new(group: GroupId) -> Self {
        Self {
            group,
            records: GroupRecords::default(),
            reached: GlobalPosition::START,
            foreign: HashSet::new(),
        }
    }

    /// Folds the events committed since the last pass; returns how many of
    /// them were the group's.
    pub async fn catch_up(&mut self, db: &Database) -> Result<u64, StoreError> {
        self.fold_committed(db, None).await
    }

    /// The group's records as of the last pass.
    pub fn records(&self) -> &GroupRecords {
        &self.records
    }

    async fn fold_committed(
        &mut self,
        db: &Database,
        as_of: Option<DateTime<Utc>>,
    ) -> Result<u64, StoreError> {
        let Self { group, records, reached, foreign } = self;
        let mut folded = 0;
        let from = *reached;
        // `reached` moves with each event folded, so a pass that fails part
        // way resumes after the last event it folded, never folding one twice.
        let last = each_committed_event(db, from, |event| {
            let position = event.global_position();
            let recorded_at = recorded_at(&event)?;
            if as_of.is_some_and(|as_of| recorded_at > as_of) {
                *reached = position;
                return Ok(());
            }
            let kept = match event.aggregate_type {
                Decision::TYPE => fold(&mut records.decisions, group, foreign, event, recorded_at),
                Action::TYPE => fold(&mut records.actions, group, foreign, event, recorded_at),
                Member::TYPE => fold(&mut records.members, group, foreign, event, recorded_at),
                Body::TYPE => fold(&mut records.bodies, group, foreign, event, recorded_at),
                Appointment::TYPE => fold(&mut records.appointments, group, foreign, event, recorded_at),
                Publication::TYPE => fold(&mut records.publications, group, foreign, event, recorded_at),
                Meeting::TYPE => fold(&mut records.meetings, group, foreign, event, recorded_at),
                GroupEvent::TYPE => fold(&mut records.group_events, group, foreign, event, recorded_at),
                // Nothing of these is published: elections reach the site through the
                // appointments they make, the forward plan is the council's own,
                // motions, whips and briefings are the group's working papers, and
                // training records and inductions are the members' own.
                Election::TYPE | ForwardPlanItem::TYPE | Motion::TYPE | Briefing::TYPE => Ok(false),
                Course::TYPE | TrainingRecord::TYPE => Ok(false),
                InductionSteps::TYPE | Induction::TYPE => Ok(false),
                // Casework never reaches the website, nor anything else public.
                Organisation::TYPE | Resident::TYPE | Case::TYPE => Ok(false),
                // The group's money is its own business and its Treasurer's report.
                Budget::TYPE => Ok(false),
                // The register of interests is the council's to publish, never the group's.
                Register::TYPE => Ok(false),
                // Probity (issue 18): the group's funds and its donors are never published.
                Donation::TYPE => Ok(false),
                other => Err(StoreError::Inconsistent(format!("no replay for record type {other}"))),
            }?;
            if kept {
                folded += 1;
                records.last_recorded_at = records.last_recorded_at.max(Some(recorded_at));
            }
            *reached = position;
            Ok(())
        })
        .await?;
        *reached = last;
        Ok(folded)
    }
}

impl GroupRecords {
    /// Keeps `group`'s records only: a record's group is the one its own
    /// events name, so another group's records never come through.
    fn only(mut self, group: &GroupId) -> Self {
        retain_group(&mut self.decisions, group);
        retain_group(&mut self.actions, group);
        retain_group(&mut self.members, group);
        retain_group(&mut self.bodies, group);
        retain_group(&mut self.appointments, group);
        retain_group(&mut self.publications, group);
        retain_group(&mut self.meetings, group);
        retain_group(&mut self.group_events, group);
        self.last_recorded_at = [
            latest(&self.decisions),
            latest(&self.actions),
            latest(&self.members),
            latest(&self.bodies),
            latest(&self.appointments),
            latest(&self.publications),
            latest(&self.meetings),
            latest(&self.group_events),
        ]
        .into_iter()
        .flatten()
        .max();
        self
    }
}

fn retain_group<A: Record>(records: &mut Records<A>, group: &GroupId) {
    records.retain(|_, replayed| replayed.record.group_id() == Some(group));
}

fn latest<A>(records: &Records<A>) -> Option<DateTime<Utc>> {
    records.values().map(|r| r.updated_at).max()
}

/// Folds `event` into its record; returns whether the record is `group`'s.
/// A record that turns out to be another group's is dropped and remembered,
/// so the fold never holds more than one group's records for long.
fn fold<A: Record>(
    records: &mut Records<A>,
    group: &GroupId,
    foreign: &mut HashSet<Uuid>,
    event: EventRow<'_>,
    recorded_at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let id = Uuid::parse_str(event.aggregate_id).map_err(|_| {
        StoreError::Inconsistent(format!("{} id {} is not a UUID", A::TYPE, event.aggregate_id))
    })?;
    if foreign.contains(&id) {
        return Ok(false);
    }
    let version = event.sequence;
    let decoded = event.decode::<A>()?;
    let replayed = records.entry(id).or_insert_with(|| Replayed {
        id,
        record: A::default(),
        version: 0,
        created_at: recorded_at,
        updated_at: recorded_at,
    });
    replayed.record.apply(decoded);
    replayed.version = version;
    replayed.updated_at = recorded_at;
    match replayed.record.group_id() {
        Some(owner) if owner != group => {
            records.remove(&id);
            foreign.insert(id);
            Ok(false)
        }
        _ => Ok(true),
    }
}

fn recorded_at(event: &EventRow<'_>) -> Result<DateTime<Utc>, StoreError> {
    let raw = event.recorded_at()?;
    DateTime::parse_from_rfc3339(&raw)
        .map(|at| at.with_timezone(&Utc))
        .map_err(|_| StoreError::Inconsistent(format!("event recorded at {raw:?}, not an RFC 3339 time")))
}
