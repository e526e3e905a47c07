use cqrs_es::{Aggregate, DomainEvent, event_sink::EventSink};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{Classification, DomainError, GroupId, Record, RecordIndex, Refusal, Role, Title};

/// The id of `group_id`'s induction steps: one record per group, found without a lookup.
pub fn induction_steps_id(group_id: &GroupId) -> Uuid {
    Uuid::new_v5(&Uuid::NAMESPACE_URL, format!("caucus/induction-steps/{group_id}").as_bytes())
}

/// The longest after joining a step may fall due: a year.
pub const MAX_DUE_DAYS: u16 = 365;

/// Who sees a step through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum StepOwner {
    /// The new member themself.
    NewMember,
    /// Whoever holds a role (the office: `assistant`; the Leader; a Group Officer such as the Whip).
    Role {
        /// The role.
        role: Role,
    },
    /// A named member of the group.
    Member {
        /// The member.
        member_id: Uuid,
    },
}

/// The steps a group that has configured none inducts its new members with:
/// title, days after joining it is due, owner. The register of interests is
/// due within 28 days of election (Localism Act 2011, s. 30).
pub const DEFAULT_STEPS: [(&str, u16, StepOwner); 6] = [
    ("Meet the Leader and the Whip", 14, StepOwner::Role { role: Role::Leader }),
    ("Code of conduct training", 56, StepOwner::NewMember),
    ("IT and email set up", 7, StepOwner::Role { role: Role::Assistant }),
    ("Register of interests submitted to the Monitoring Officer", 28, StepOwner::NewMember),
    ("Casework and data protection briefing", 28, StepOwner::Role { role: Role::Assistant }),
    ("The group's standing orders", 14, StepOwner::Role { role: Role::Officer }),
];

/// [`DEFAULT_STEPS`] as steps numbered from 1.
pub fn default_steps() -> Vec<Step> {
    DEFAULT_STEPS
        .iter()
        .zip(1..)
        .map(|((title, days, owner), number)| Step {
            number,
            draft: StepDraft {
                title: Title::parse(title).expect("a default step's title is a title"),
                due_after_days: *days,
                owner: *owner,
                course_id: None,
            },
            retired: false,
        })
        .collect()
}

/// A step's content, already checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepDraft {
    /// What to do.
    pub title: Title,
    /// How many days after joining it falls due (0 to [`MAX_DUE_DAYS`]).
    pub due_after_days: u16,
    /// Who sees it through.
    pub owner: StepOwner,
    /// The course of the training catalogue it is, if it is one.
    pub course_id: Option<Uuid>,
}

/// One configured step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// Its number, from 1, never reused.
    pub number: u16,
    /// Its content.
    #[serde(flatten)]
    pub draft: StepDraft,
    /// Whether it was retired (new members no longer get it).
    pub retired: bool,
}

/// What a caller can ask of the group's steps. Each names the group: the
/// first command on a group that has configured none starts from the defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepsCommand {
    /// Add a step.
    AddStep {
        /// The group.
        group_id: GroupId,
        /// Its content.
        draft: Box<StepDraft>,
    },
    /// Change a step (inductions already started keep what they were given).
    ChangeStep {
        /// The group.
        group_id: GroupId,
        /// Which.
        number: u16,
        /// Its new content.
        draft: Box<StepDraft>,
    },
    /// Retire a step.
    RetireStep {
        /// The group.
        group_id: GroupId,
        /// Which.
        number: u16,
    },
}

/// Everything that can happen to the group's steps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum StepsEvent {
    /// The group began configuring its steps from these (the defaults).
    InductionStepsAdopted {
        /// The group.
        group_id: GroupId,
        /// The steps it started from.
        steps: Vec<Step>,
    },
    /// A step was added.
    InductionStepAdded {
        /// The step.
        step: Step,
    },
    /// A step was changed.
    InductionStepChanged {
        /// Which.
        number: u16,
        /// Its new content.
        draft: StepDraft,
    },
    /// A step was retired.
    InductionStepRetired {
        /// Which.
        number: u16,
    },
}

impl DomainEvent for StepsEvent {
    fn event_type(&self) -> String {
        match self {
            Self::InductionStepsAdopted { .. } => "InductionStepsAdopted",
            Self::InductionStepAdded { .. } => "InductionStepAdded",
            Self::InductionStepChanged { .. } => "InductionStepChanged",
            Self::InductionStepRetired { .. } => "InductionStepRetired",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        "1.0.0".to_owned()
    }
}

/// The group's induction steps, as their events have built them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InductionSteps {
    /// The owning group.
    pub group_id: Option<GroupId>,
    /// Every step, retired ones too, in number order.
    pub steps: Vec<Step>,
}

/// Why a steps command was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StepsError {
    /// No step with that number.
    #[error("no such induction step")]
    NoSuchStep,
    /// The step is retired.
    #[error("this induction step has been retired")]
    Retired,
    /// Due too long after joining.
    #[error("a step falls due 0 to {MAX_DUE_DAYS} days after joining")]
    BadDays,
}

impl DomainError for StepsError {
    fn refusal(&self) -> Refusal {
        match self {
            Self::NoSuchStep => Refusal::NotFound,
            Self::Retired => Refusal::Conflict,
            Self::BadDays => Refusal::Invalid,
        }
    }

    fn fields(&self) -> Vec<(String, String)> {
        match self {
            Self::BadDays => vec![("/due_after_days".to_owned(), self.to_string())],
            _ => Vec::new(),
        }
    }
}

impl InductionSteps {
    /// The steps a member joining now is given: the configured ones not
    /// retired, or the defaults if the group has configured none.
    pub fn current(this: Option<&Self>) -> Vec<Step> {
        match this.filter(|s| s.group_id.is_some()) {
            Some(configured) => configured.steps.iter().filter(|s| !s.retired).cloned().collect(),
            None => default_steps(),
        }
    }

    fn open_step(&self, number: u16) -> Result<&Step, StepsError> {
        match self.steps.iter().find(|s| s.number == number) {
            None => Err(StepsError::NoSuchStep),
            Some(step) if step.retired => Err(StepsError::Retired),
            Some(step) => Ok(step),
        }
    }
}

impl Aggregate for InductionSteps {
    const TYPE: &'static str = "InductionSteps";
    type Command = StepsCommand;
    type Event = StepsEvent;
    type Error = StepsError;
    type Services = ();

    async fn handle(
        &mut self,
        command: StepsCommand,
        _: &(),
        sink: &EventSink<Self>,
    ) -> Result<(), StepsError> {
        let (StepsCommand::AddStep { group_id, .. }
        | StepsCommand::ChangeStep { group_id, .. }
        | StepsCommand::RetireStep { group_id, .. }) = &command;
        if let StepsCommand::AddStep { draft, .. } | StepsCommand::ChangeStep { draft, .. } = &command
            && draft.due_after_days > MAX_DUE_DAYS
        {
            return Err(StepsError::BadDays);
        }
        if self.group_id.is_none() {
            let adopted =
                StepsEvent::InductionStepsAdopted { group_id: group_id.clone(), steps: default_steps() };
            sink.write(adopted, self).await;
        }
        let event = match command {
            StepsCommand::AddStep { draft, .. } => {
                let number = self.steps.iter().map(|s| s.number).max().unwrap_or(0) + 1;
                StepsEvent::InductionStepAdded { step: Step { number, draft: *draft, retired: false } }
            }
            StepsCommand::ChangeStep { number, draft, .. } => {
                self.open_step(number)?;
                StepsEvent::InductionStepChanged { number, draft: *draft }
            }
            StepsCommand::RetireStep { number, .. } => {
                self.open_step(number)?;
                StepsEvent::InductionStepRetired { number }
            }
        };
        sink.write(event, self).await;
        Ok(())
    }

    fn apply(&mut self, event: StepsEvent) {
        match event {
            StepsEvent::InductionStepsAdopted { group_id, steps } => {
                self.group_id = Some(group_id);
                self.steps = steps;
            }
            StepsEvent::InductionStepAdded { step } => self.steps.push(step),
            StepsEvent::InductionStepChanged { number, draft } => {
                if let Some(step) = self.steps.iter_mut().find(|s| s.number == number) {
                    step.draft = draft;
                }
            }
            StepsEvent::InductionStepRetired { number } => {
                if let Some(step) = self.steps.iter_mut().find(|s| s.number == number) {
                    step.retired = true;
                }
            }
        }
    }
}

impl Record for InductionSteps {
    fn group_id(&self) -> Option<&GroupId> {
        self.group_id.as_ref()
    }

    /// How the group inducts its members is the group's business.
    fn classification(&self) -> Classification {
        Classification::Group
    }

    fn status(&self) -> &'static str {
        "configured"
    }

    fn index(&self) -> RecordIndex {
        RecordIndex::default()
    }
}

#[cfg(test)]
mod tests {
    use cqrs_es::test::TestFramework;

    use super::*;

    fn group() -> GroupId {
        GroupId::parse("newham-labour").expect("group")
    }

    fn draft(days: u16) -> Box<StepDraft> {
        Box::new(StepDraft {
            title: Title::parse("Ward walkabout").expect("title"),
            due_after_days: days,
            owner: StepOwner::NewMember,
            course_id: None,
        })
    }

    #[test]
    fn induction_defaults_until_configured_then_the_first_change_starts_from_them() {
        assert_eq!(InductionSteps::current(None).len(), 6);
        let register =
            InductionSteps::current(None).into_iter().find(|s| s.draft.title.as_str().contains("interests"));
        assert_eq!(register.map(|s| s.draft.due_after_days), Some(28));
        let events = TestFramework::<InductionSteps>::with(())
            .given_no_previous_events()
            .when(StepsCommand::AddStep { group_id: group(), draft: draft(10) })
            .inspect_result()
            .expect("added");
        let mut steps = InductionSteps::default();
        events.into_iter().for_each(|e| steps.apply(e));
        let current = InductionSteps::current(Some(&steps));
        assert_eq!(current.len(), 7);
        assert_eq!(current.last().map(|s| s.number), Some(7));
    }

    #[test]
    fn induction_steps_refuse_a_retired_step_and_a_year_and_more() {
        let adopted = StepsEvent::InductionStepsAdopted { group_id: group(), steps: default_steps() };
        TestFramework::<InductionSteps>::with(())
            .given(vec![adopted.clone(), StepsEvent::InductionStepRetired { number: 2 }])
            .when(StepsCommand::RetireStep { group_id: group(), number: 2 })
            .then_expect_error(StepsError::Retired);
        TestFramework::<InductionSteps>::with(())
            .given(vec![adopted])
            .when(StepsCommand::AddStep { group_id: group(), draft: draft(366) })
            .then_expect_error(StepsError::BadDays);
    }
}
