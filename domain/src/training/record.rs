use chrono::{Months, NaiveDate};
use cqrs_es::{Aggregate, DomainEvent, event_sink::EventSink};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::need::{Need, NeedClosure, NeedDraft, NeedOutcome};
use crate::{Classification, DomainError, GroupId, Note, Record, RecordIndex, Refusal, tag};

/// The id of `member_id`'s training record: one per member, found without a lookup.
pub fn training_record_id(member_id: Uuid) -> Uuid {
    Uuid::new_v5(&Uuid::NAMESPACE_URL, format!("caucus/training-record/{member_id}").as_bytes())
}

/// What shows a course was completed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Evidence {
    /// The attendance register of a group event that taught it.
    Register {
        /// The event.
        event_id: Uuid,
    },
    /// A certificate stored with Caucus.
    Certificate {
        /// The stored file's id.
        file_id: String,
    },
}

/// One completion of a course.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Completion {
    /// The course.
    pub course_id: Uuid,
    /// The day it was completed.
    pub completed_on: NaiveDate,
    /// The last day it counts; `None`: for good.
    pub valid_until: Option<NaiveDate>,
    /// What shows it.
    pub evidence: Evidence,
}

impl Completion {
    /// Whether it still counts on `day`.
    pub fn valid_on(&self, day: NaiveDate) -> bool {
        self.valid_until.is_none_or(|until| day <= until)
    }
}

/// What a caller can ask of a training record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrainingCommand {
    /// Record a completed course (opening the member's record on the first).
    RecordCompletion {
        /// The group.
        group_id: GroupId,
        /// The member.
        member_id: Uuid,
        /// The course.
        course_id: Uuid,
        /// The day.
        completed_on: NaiveDate,
        /// How many months the course's completions stay valid.
        valid_for_months: Option<u16>,
        /// What shows it.
        evidence: Evidence,
    },
    /// Record a training need (opening the member's record if it has none).
    RecordNeed {
        /// The group.
        group_id: GroupId,
        /// The member.
        member_id: Uuid,
        /// The need's id.
        need_id: Uuid,
        /// The day it was recorded.
        recorded_on: NaiveDate,
        /// What, how soon and why.
        draft: NeedDraft,
    },
    /// Withdraw an open need: no longer needed.
    WithdrawNeed {
        /// The need.
        need_id: Uuid,
        /// The day.
        on: NaiveDate,
        /// Why.
        note: Note,
    },
}

/// Everything that can happen to a training record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum TrainingEvent {
    /// The member's record was opened.
    TrainingRecordOpened {
        /// The group.
        group_id: GroupId,
        /// The member.
        member_id: Uuid,
    },
    /// A course was completed.
    CourseCompleted {
        /// What was completed, and until when it counts.
        completion: Completion,
    },
    /// A training need was recorded.
    NeedRecorded {
        /// The need, open.
        need: Need,
    },
    /// A need was met by a completion of its course, or withdrawn.
    NeedClosed {
        /// The need.
        need_id: Uuid,
        /// How and when.
        closure: NeedClosure,
    },
}

impl DomainEvent for TrainingEvent {
    fn event_type(&self) -> String {
        match self {
            Self::TrainingRecordOpened { .. } => "TrainingRecordOpened",
            Self::CourseCompleted { .. } => "CourseCompleted",
            Self::NeedRecorded { .. } => "NeedRecorded",
            Self::NeedClosed { .. } => "NeedClosed",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        "1.0.0".to_owned()
    }
}

/// A member's training record, as its events have built it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrainingRecord {
    /// The owning group.
    pub group_id: Option<GroupId>,
    /// The member.
    pub member_id: Option<Uuid>,
    /// Every completion, in the order recorded.
    pub completions: Vec<Completion>,
    /// Every need, open and closed, in the order recorded.
    #[serde(default)]
    pub needs: Vec<Need>,
}

/// Why a training command was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TrainingError {
    /// A record for another member under this member's id.
    #[error("this training record is another member's")]
    OtherMember,
    /// A need this record does not have.
    #[error("no such training need")]
    NoSuchNeed,
    /// A need met or withdrawn already.
    #[error("this training need is already closed")]
    NeedClosed,
    /// A need id used already.
    #[error("a training need with this id is recorded already")]
    NeedRecordedAlready,
}

impl DomainError for TrainingError {
    fn refusal(&self) -> Refusal {
        match self {
            Self::NoSuchNeed => Refusal::NotFound,
            Self::OtherMember | Self::NeedClosed | Self::NeedRecordedAlready => Refusal::Conflict,
        }
    }
}

impl TrainingRecord {
    /// The member's latest completion of `course_id`.
    pub fn latest(&self, course_id: Uuid) -> Option<&Completion> {
        self.completions.iter().filter(|c| c.course_id == course_id).max_by_key(|c| c.completed_on)
    }

    /// Each course's latest completion, in the order first completed.
    pub fn held(&self) -> Vec<&Completion> {
        let mut courses: Vec<Uuid> = Vec::new();
        for completion in &self.completions {
            if !courses.contains(&completion.course_id) {
                courses.push(completion.course_id);
            }
        }
        courses.into_iter().filter_map(|course| self.latest(course)).collect()
    }

    /// The needs still to be met.
    pub fn open_needs(&self) -> impl Iterator<Item = &Need> {
        self.needs.iter().filter(|need| need.is_open())
    }

    /// Opens the record for `member_id` if it is not yet open.
    async fn open(
        &mut self,
        (group_id, member_id): (GroupId, Uuid),
        sink: &EventSink<Self>,
    ) -> Result<(), TrainingError> {
        match self.member_id {
            None => sink.write(TrainingEvent::TrainingRecordOpened { group_id, member_id }, self).await,
            Some(owner) if owner != member_id => return Err(TrainingError::OtherMember),
            Some(_) => {}
        }
        Ok(())
    }
}

impl Aggregate for TrainingRecord {
    const TYPE: &'static str = "TrainingRecord";
    type Command = TrainingCommand;
    type Event = TrainingEvent;
    type Error = TrainingError;
    type Services = ();

    async fn handle(
        &mut self,
        command: TrainingCommand,
        _: &(),
        sink: &EventSink<Self>,
    ) -> Result<(), TrainingError> {
        match command {
            TrainingCommand::RecordCompletion {
                group_id,
                member_id,
                course_id,
                completed_on,
                valid_for_months,
                evidence,
            } => {
                self.open((group_id, member_id), sink).await?;
                // A register read twice (attendance corrected) completes the course once.
                let known =
                    self.completions.iter().any(|c| c.course_id == course_id && c.evidence == evidence);
                if known {
                    return Ok(());
                }
                let valid_until = valid_for_months.map(|months| {
                    completed_on.checked_add_months(Months::new(u32::from(months))).unwrap_or(NaiveDate::MAX)
                });
                let completion = Completion { course_id, completed_on, valid_until, evidence };
                sink.write(TrainingEvent::CourseCompleted { completion }, self).await;
                // Completing a course meets every open need for it.
                let met: Vec<Uuid> = self
                    .open_needs()
                    .filter(|need| need.draft.course_id == Some(course_id))
                    .map(|need| need.id)
                    .collect();
                for need_id in met {
                    let closure = NeedClosure { on: completed_on, outcome: NeedOutcome::Met, note: None };
                    sink.write(TrainingEvent::NeedClosed { need_id, closure }, self).await;
                }
            }
            TrainingCommand::RecordNeed { group_id, member_id, need_id, recorded_on, draft } => {
                self.open((group_id, member_id), sink).await?;
                if self.needs.iter().any(|need| need.id == need_id) {
                    return Err(TrainingError::NeedRecordedAlready);
                }
                let need = Need { id: need_id, recorded_on, draft, closed: None };
                sink.write(TrainingEvent::NeedRecorded { need }, self).await;
            }
            TrainingCommand::WithdrawNeed { need_id, on, note } => {
                let need =
                    self.needs.iter().find(|need| need.id == need_id).ok_or(TrainingError::NoSuchNeed)?;
                if !need.is_open() {
                    return Err(TrainingError::NeedClosed);
                }
                let closure = NeedClosure { on, outcome: NeedOutcome::Withdrawn, note: Some(note) };
                sink.write(TrainingEvent::NeedClosed { need_id, closure }, self).await;
            }
        }
        Ok(())
    }

    fn apply(&mut self, event: TrainingEvent) {
        match event {
            TrainingEvent::TrainingRecordOpened { group_id, member_id } => {
                self.group_id = Some(group_id);
                self.member_id = Some(member_id);
            }
            TrainingEvent::CourseCompleted { completion } => self.completions.push(completion),
            TrainingEvent::NeedRecorded { need } => self.needs.push(need),
            TrainingEvent::NeedClosed { need_id, closure } => {
                if let Some(need) = self.needs.iter_mut().find(|need| need.id == need_id) {
                    need.closed = Some(closure);
                }
            }
        }
    }
}

impl Record for TrainingRecord {
    fn group_id(&self) -> Option<&GroupId> {
        self.group_id.as_ref()
    }

    /// The group knows who may sit where: training is the group's business.
    fn classification(&self) -> Classification {
        Classification::Group
    }

    fn status(&self) -> &'static str {
        "kept"
    }

    /// Its member, the first day one of its completions lapses after, a tag
    /// for each course held, and one for each course with an open need.
    fn index(&self) -> RecordIndex {
        let held = self.held();
        let needed = self.open_needs().filter_map(|need| need.draft.course_id).map(|c| tag("need", c));
        RecordIndex {
            member_id: self.member_id,
            due_on: held.iter().filter_map(|c| c.valid_until).min(),
            tags: held.iter().map(|c| tag("course", c.course_id)).chain(needed).collect(),
            ..RecordIndex::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MEMBER: Uuid = Uuid::from_u128(1);
    const COURSE: Uuid = Uuid::from_u128(10);

    fn day(text: &str) -> NaiveDate {
        text.parse().expect("day")
    }

    fn complete(
        record: &mut TrainingRecord,
        on: &str,
        months: Option<u16>,
        evidence: Evidence,
    ) -> Vec<TrainingEvent> {
        let command = TrainingCommand::RecordCompletion {
            group_id: GroupId::parse("newham-labour").expect("group"),
            member_id: MEMBER,
            course_id: COURSE,
            completed_on: day(on),
            valid_for_months: months,
            evidence,
        };
        let runtime = tokio::runtime::Builder::new_current_thread().build().expect("runtime");
        runtime.block_on(async {
            let sink = EventSink::default();
            record.handle(command, &(), &sink).await.expect("recorded");
            sink.collect().await
        })
    }

    #[test]
    fn validity_runs_in_calendar_months_and_a_month_end_stays_in_its_month() {
        let mut record = TrainingRecord::default();
        let certificate = Evidence::Certificate { file_id: "a".repeat(64) };
        complete(&mut record, "2026-01-31", Some(1), certificate);
        assert_eq!(record.latest(COURSE).and_then(|c| c.valid_until), Some(day("2026-02-28")));
        complete(&mut record, "2027-08-31", Some(18), Evidence::Register { event_id: Uuid::from_u128(5) });
        let latest = record.latest(COURSE).expect("held");
        assert_eq!(latest.valid_until, Some(day("2029-02-28")));
        assert!(latest.valid_on(day("2029-02-28")) && !latest.valid_on(day("2029-03-01")));
        assert_eq!(record.held().len(), 1, "the latest completion of a course stands");
    }

    #[test]
    fn the_same_register_completes_a_course_once() {
        let mut record = TrainingRecord::default();
        let register = Evidence::Register { event_id: Uuid::from_u128(5) };
        assert_eq!(complete(&mut record, "2026-06-10", None, register.clone()).len(), 2, "opened, completed");
        assert!(complete(&mut record, "2026-06-10", None, register).is_empty());
        assert_eq!(record.completions.len(), 1);
    }

    fn run(
        record: &mut TrainingRecord,
        command: TrainingCommand,
    ) -> Result<Vec<TrainingEvent>, TrainingError> {
        let runtime = tokio::runtime::Builder::new_current_thread().build().expect("runtime");
        runtime.block_on(async {
            let sink = EventSink::default();
            record.handle(command, &(), &sink).await?;
            Ok(sink.collect().await)
        })
    }

    fn need(id: u128, course_id: Option<Uuid>) -> TrainingCommand {
        TrainingCommand::RecordNeed {
            group_id: GroupId::parse("newham-labour").expect("group"),
            member_id: MEMBER,
            need_id: Uuid::from_u128(id),
            recorded_on: day("2026-05-01"),
            draft: crate::training::NeedDraft {
                course_id,
                description: None,
                priority: crate::training::Priority::High,
                reason: crate::training::NeedReason::NewSeat { body_id: Uuid::from_u128(7) },
            },
        }
    }

    #[test]
    fn completing_a_course_meets_the_open_needs_for_it_and_no_other() {
        let mut record = TrainingRecord::default();
        assert_eq!(run(&mut record, need(1, Some(COURSE))).expect("recorded").len(), 2, "opened, recorded");
        run(&mut record, need(2, Some(Uuid::from_u128(11)))).expect("recorded");
        assert_eq!(run(&mut record, need(1, Some(COURSE))), Err(TrainingError::NeedRecordedAlready));
        complete(&mut record, "2026-06-10", Some(12), Evidence::Register { event_id: Uuid::from_u128(5) });
        let met = record.needs[0].closed.as_ref().expect("met");
        assert_eq!((met.outcome, met.on), (NeedOutcome::Met, day("2026-06-10")));
        assert_eq!(record.open_needs().map(|n| n.id).collect::<Vec<_>>(), [Uuid::from_u128(2)]);
        assert_eq!(record.index().tags, [tag("course", COURSE), tag("need", Uuid::from_u128(11))]);
    }

    #[test]
    fn a_need_is_withdrawn_once() {
        let mut record = TrainingRecord::default();
        run(&mut record, need(1, None)).expect("recorded");
        let withdraw = |id: u128| TrainingCommand::WithdrawNeed {
            need_id: Uuid::from_u128(id),
            on: day("2026-05-02"),
            note: Note::parse("Left the committee").expect("note"),
        };
        assert_eq!(run(&mut record, withdraw(9)), Err(TrainingError::NoSuchNeed));
        run(&mut record, withdraw(1)).expect("withdrawn");
        assert_eq!(record.needs[0].closed.as_ref().map(|c| c.outcome), Some(NeedOutcome::Withdrawn));
        assert_eq!(run(&mut record, withdraw(1)), Err(TrainingError::NeedClosed));
    }
}
