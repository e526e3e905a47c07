use chrono::{Days, NaiveDate};
use cqrs_es::{Aggregate, DomainEvent, event_sink::EventSink};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::steps::{Step, StepOwner};
use crate::{Classification, DomainError, GroupId, Note, Record, RecordIndex, Refusal, Title, tag};

/// The id of `member_id`'s induction: one per member, found without a lookup.
pub fn induction_id(member_id: Uuid) -> Uuid {
    Uuid::new_v5(&Uuid::NAMESPACE_URL, format!("caucus/induction/{member_id}").as_bytes())
}

/// Where a member's induction stands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum InductionStatus {
    /// Not started.
    #[default]
    NotStarted,
    /// Steps still to do.
    InProgress,
    /// Every step done.
    Complete,
}

impl InductionStatus {
    /// The stable word for it (its serde name too).
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// A step ticked off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepDone {
    /// The day it was done.
    pub on: NaiveDate,
    /// Who ticked it off (their sign-in subject: a member's id, or the office's).
    pub by: String,
    /// A note, e.g. where the register was sent.
    pub note: Option<Note>,
}

/// One step of a member's induction, as the group's steps stood the day they joined.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InductionStep {
    /// The configured step's number.
    pub number: u16,
    /// What to do.
    pub title: Title,
    /// Who sees it through.
    pub owner: StepOwner,
    /// The course of the training catalogue it is, if it is one.
    pub course_id: Option<Uuid>,
    /// The day it falls due: joining day plus the step's days.
    pub due_on: NaiveDate,
    /// Set once ticked off.
    pub done: Option<StepDone>,
}

/// What a caller can ask of a member's induction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InductionCommand {
    /// Start it from the group's steps as they stand.
    StartInduction {
        /// The group.
        group_id: GroupId,
        /// The member.
        member_id: Uuid,
        /// The day they joined.
        joined_on: NaiveDate,
        /// The group's current steps.
        steps: Vec<Step>,
    },
    /// Tick a step off. Ticking a step already done is refused (409): the
    /// first tick, its day and who made it stand.
    TickStep {
        /// Which step.
        number: u16,
        /// The day it was done.
        on: NaiveDate,
        /// Who ticks it off.
        by: String,
        /// A note.
        note: Option<Note>,
    },
}

/// Everything that can happen to a member's induction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum InductionEvent {
    /// The induction started with these steps.
    InductionStarted {
        /// The group.
        group_id: GroupId,
        /// The member.
        member_id: Uuid,
        /// The day they joined.
        joined_on: NaiveDate,
        /// Their steps, each with its due day.
        steps: Vec<InductionStep>,
    },
    /// A step was ticked off.
    InductionStepDone {
        /// Which.
        number: u16,
        /// When and by whom.
        done: StepDone,
    },
}

impl DomainEvent for InductionEvent {
    fn event_type(&self) -> String {
        match self {
            Self::InductionStarted { .. } => "InductionStarted",
            Self::InductionStepDone { .. } => "InductionStepDone",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        "1.0.0".to_owned()
    }
}

/// A member's induction, as its events have built it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Induction {
    /// The owning group.
    pub group_id: Option<GroupId>,
    /// The member.
    pub member_id: Option<Uuid>,
    /// The day they joined.
    pub joined_on: Option<NaiveDate>,
    /// Their steps, in number order.
    pub steps: Vec<InductionStep>,
}

/// Why an induction command was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InductionError {
    /// Started twice.
    #[error("this member's induction has already started")]
    AlreadyStarted,
    /// Not started.
    #[error("this member has no induction")]
    NotStarted,
    /// No step with that number in it.
    #[error("no such step in this induction")]
    NoSuchStep,
    /// Ticked twice.
    #[error("this step has already been ticked off")]
    AlreadyDone,
    /// Done before the member joined.
    #[error("a step cannot be done before the member joined")]
    BeforeJoining,
}

impl DomainError for InductionError {
    fn refusal(&self) -> Refusal {
        match self {
            Self::NotStarted | Self::NoSuchStep => Refusal::NotFound,
            Self::AlreadyStarted | Self::AlreadyDone => Refusal::Conflict,
            Self::BeforeJoining => Refusal::Invalid,
        }
    }

    fn fields(&self) -> Vec<(String, String)> {
        match self {
            Self::BeforeJoining => vec![("/done_on".to_owned(), self.to_string())],
            _ => Vec::new(),
        }
    }
}

impl Induction {
    /// Where it stands.
    pub fn status(&self) -> InductionStatus {
        if self.member_id.is_none() {
            InductionStatus::NotStarted
        } else if self.open_steps().next().is_some() {
            InductionStatus::InProgress
        } else {
            InductionStatus::Complete
        }
    }

    /// The steps not yet ticked off.
    pub fn open_steps(&self) -> impl Iterator<Item = &InductionStep> {
        self.steps.iter().filter(|s| s.done.is_none())
    }

    /// How many open steps are past their day on `today`.
    pub fn overdue_on(&self, today: NaiveDate) -> usize {
        self.open_steps().filter(|s| s.due_on < today).count()
    }
}

impl Aggregate for Induction {
    const TYPE: &'static str = "Induction";
    type Command = InductionCommand;
    type Event = InductionEvent;
    type Error = InductionError;
    type Services = ();

    async fn handle(
        &mut self,
        command: InductionCommand,
        _: &(),
        sink: &EventSink<Self>,
    ) -> Result<(), InductionError> {
        let event = match command {
            InductionCommand::StartInduction { group_id, member_id, joined_on, steps } => {
                if self.member_id.is_some() {
                    return Err(InductionError::AlreadyStarted);
                }
                let steps = steps
                    .into_iter()
                    .map(|step| InductionStep {
                        number: step.number,
                        due_on: joined_on
                            .checked_add_days(Days::new(u64::from(step.draft.due_after_days)))
                            .unwrap_or(NaiveDate::MAX),
                        title: step.draft.title,
                        owner: step.draft.owner,
                        course_id: step.draft.course_id,
                        done: None,
                    })
                    .collect();
                InductionEvent::InductionStarted { group_id, member_id, joined_on, steps }
            }
            InductionCommand::TickStep { number, on, by, note } => {
                let Some(joined_on) = self.joined_on else { return Err(InductionError::NotStarted) };
                let step =
                    self.steps.iter().find(|s| s.number == number).ok_or(InductionError::NoSuchStep)?;
                if step.done.is_some() {
                    return Err(InductionError::AlreadyDone);
                }
                if on < joined_on {
                    return Err(InductionError::BeforeJoining);
                }
                InductionEvent::InductionStepDone { number, done: StepDone { on, by, note } }
            }
        };
        sink.write(event, self).await;
        Ok(())
    }

    fn apply(&mut self, event: InductionEvent) {
        match event {
            InductionEvent::InductionStarted { group_id, member_id, joined_on, steps } => {
                self.group_id = Some(group_id);
                self.member_id = Some(member_id);
                self.joined_on = Some(joined_on);
                self.steps = steps;
            }
            InductionEvent::InductionStepDone { number, done } => {
                if let Some(step) = self.steps.iter_mut().find(|s| s.number == number) {
                    step.done = Some(done);
                }
            }
        }
    }
}

impl Record for Induction {
    fn group_id(&self) -> Option<&GroupId> {
        self.group_id.as_ref()
    }

    /// The group sees its new members through together, as it does training.
    fn classification(&self) -> Classification {
        Classification::Group
    }

    fn status(&self) -> &'static str {
        self.status().as_str()
    }

    /// Its member, the day its first open step falls due, and a tag for
    /// each owner of an open step (`owner:<member>`, `owner-role:<role>`).
    fn index(&self) -> RecordIndex {
        let mut tags: Vec<String> = Vec::new();
        for step in self.open_steps() {
            let owner = match step.owner {
                StepOwner::NewMember => continue,
                StepOwner::Role { role } => tag("owner-role", role.as_str()),
                StepOwner::Member { member_id } => tag("owner", member_id),
            };
            if !tags.contains(&owner) {
                tags.push(owner);
            }
        }
        RecordIndex {
            member_id: self.member_id,
            due_on: self.open_steps().map(|s| s.due_on).min(),
            tags,
            ..RecordIndex::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use cqrs_es::test::TestFramework;

    use super::super::steps::default_steps;
    use super::*;

    const MEMBER: Uuid = Uuid::from_u128(1);

    fn day(text: &str) -> NaiveDate {
        text.parse().expect("day")
    }

    fn started() -> InductionEvent {
        let mut induction = Induction::default();
        let command = InductionCommand::StartInduction {
            group_id: GroupId::parse("newham-labour").expect("group"),
            member_id: MEMBER,
            joined_on: day("2026-05-08"),
            steps: default_steps(),
        };
        let runtime = tokio::runtime::Builder::new_current_thread().build().expect("runtime");
        let mut events = runtime.block_on(async {
            let sink = EventSink::default();
            induction.handle(command, &(), &sink).await.expect("started");
            sink.collect().await
        });
        events.remove(0)
    }

    #[test]
    fn induction_steps_fall_due_their_days_after_joining() {
        let InductionEvent::InductionStarted { steps, .. } = started() else { panic!("not started") };
        let register = steps.iter().find(|s| s.title.as_str().contains("interests")).expect("register");
        assert_eq!(register.due_on, day("2026-06-05"), "28 days after 8 May");
        assert!(steps.iter().all(|s| s.done.is_none()));
    }

    #[test]
    fn induction_step_ticked_twice_or_before_joining_is_refused() {
        let tick =
            |on: &str| InductionCommand::TickStep { number: 1, on: day(on), by: "x".into(), note: None };
        let done = InductionEvent::InductionStepDone {
            number: 1,
            done: StepDone { on: day("2026-05-10"), by: "x".into(), note: None },
        };
        TestFramework::<Induction>::with(())
            .given(vec![started(), done])
            .when(tick("2026-05-11"))
            .then_expect_error(InductionError::AlreadyDone);
        TestFramework::<Induction>::with(())
            .given(vec![started()])
            .when(tick("2026-05-07"))
            .then_expect_error(InductionError::BeforeJoining);
        TestFramework::<Induction>::with(())
            .given(vec![started()])
            .when(InductionCommand::TickStep { number: 9, on: day("2026-05-09"), by: "x".into(), note: None })
            .then_expect_error(InductionError::NoSuchStep);
    }
}
