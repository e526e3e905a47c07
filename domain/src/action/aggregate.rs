use chrono::NaiveDate;
use cqrs_es::{Aggregate, event_sink::EventSink};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::commands::ActionCommand;
use super::events::ActionEvent;
use crate::{
    Classification, DomainError, GroupId, Note, Record, RecordIndex, Refusal, Title, meeting::MeetingItemRef,
};

/// Where an action stands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum ActionStatus {
    /// Not yet created.
    #[default]
    Uncreated,
    /// Being worked on.
    Open,
    /// Done.
    Completed,
    /// Dropped.
    Cancelled,
}

impl ActionStatus {
    /// The stable word for it (its serde name too: both are the variant's name
    /// in snake case).
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// One change of due date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reschedule {
    /// The due date before.
    pub from: NaiveDate,
    /// The due date after.
    pub to: NaiveDate,
    /// Why.
    pub reason: Note,
}

/// One progress note.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActionProgress {
    /// The day it refers to.
    pub on: NaiveDate,
    /// What happened.
    pub note: Note,
}

/// An action, as its events have built it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Action {
    /// The owning group.
    pub group_id: Option<GroupId>,
    /// Where it stands.
    pub status: ActionStatus,
    /// What is to be done.
    pub title: Option<Title>,
    /// More detail.
    pub description: Option<Note>,
    /// The member who owns it.
    pub owner_id: Option<Uuid>,
    /// Earlier owners, oldest first.
    pub previous_owners: Vec<Uuid>,
    /// When it is due.
    pub due_on: Option<NaiveDate>,
    /// Changes of due date, oldest first.
    pub reschedules: Vec<Reschedule>,
    /// The decision it implements.
    pub decision_id: Option<Uuid>,
    /// The meeting and agenda item it was agreed at.
    #[serde(default)]
    pub meeting_item: Option<MeetingItemRef>,
    /// Who may read it.
    pub classification: Option<Classification>,
    /// Progress notes, oldest first.
    pub progress: Vec<ActionProgress>,
    /// The day it was completed.
    pub completed_on: Option<NaiveDate>,
    /// The closing note or the reason for cancelling.
    pub closing_note: Option<Note>,
}

/// Why an action command was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ActionError {
    /// The action exists already.
    #[error("this action has already been created")]
    AlreadyCreated,
    /// The action does not exist.
    #[error("no such action")]
    NotCreated,
    /// The action is closed.
    #[error("this action is {0} and can no longer be changed")]
    Closed(&'static str),
    /// Reassigning to the current owner.
    #[error("the action is already owned by that member")]
    SameOwner,
    /// Rescheduling to the current date.
    #[error("the action is already due on that day")]
    SameDueDate,
}

impl DomainError for ActionError {
    fn refusal(&self) -> Refusal {
        match self {
            Self::NotCreated => Refusal::NotFound,
            Self::AlreadyCreated | Self::Closed(_) => Refusal::Conflict,
            Self::SameOwner | Self::SameDueDate => Refusal::Invalid,
        }
    }
}

impl Action {
    fn require_open(&self) -> Result<(), ActionError> {
        match self.status {
            ActionStatus::Uncreated => Err(ActionError::NotCreated),
            ActionStatus::Open => Ok(()),
            closed => Err(ActionError::Closed(closed.as_str())),
        }
    }

    /// Whether the action is open and its due date is before `today`.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.status == ActionStatus::Open && self.due_on.is_some_and(|due| due < today)
    }
}

impl Aggregate for Action {
    const TYPE: &'static str = "Action";
    type Command = ActionCommand;
    type Event = ActionEvent;
    type Error = ActionError;
    type Services = ();

    async fn handle(
        &mut self,
        command: Self::Command,
        _services: &Self::Services,
        sink: &EventSink<Self>,
    ) -> Result<(), Self::Error> {
        let event = match command {
            ActionCommand::CreateAction { group_id, draft } => {
                if self.status != ActionStatus::Uncreated {
                    return Err(ActionError::AlreadyCreated);
                }
                ActionEvent::ActionCreated {
                    group_id,
                    title: draft.title,
                    description: draft.description,
                    owner_id: draft.owner_id,
                    due_on: draft.due_on,
                    decision_id: draft.decision_id,
                    classification: draft.classification,
                    meeting_item: draft.meeting_item,
                }
            }
            ActionCommand::ReassignAction { owner_id, reason } => {
                self.require_open()?;
                if self.owner_id == Some(owner_id) {
                    return Err(ActionError::SameOwner);
                }
                ActionEvent::ActionReassigned { owner_id, reason }
            }
            ActionCommand::RescheduleAction { due_on, reason } => {
                self.require_open()?;
                if self.due_on == Some(due_on) {
                    return Err(ActionError::SameDueDate);
                }
                ActionEvent::ActionRescheduled { due_on, reason }
            }
            ActionCommand::NoteActionProgress { on, note } => {
                self.require_open()?;
                ActionEvent::ActionProgressNoted { on, note }
            }
            ActionCommand::CompleteAction { on, note } => {
                self.require_open()?;
                ActionEvent::ActionCompleted { on, note }
            }
            ActionCommand::CancelAction { reason } => {
                self.require_open()?;
                ActionEvent::ActionCancelled { reason }
            }
        };
        sink.write(event, self).await;
        Ok(())
    }

    fn apply(&mut self, event: Self::Event) {
        match event {
            ActionEvent::ActionCreated {
                group_id,
                title,
                description,
                owner_id,
                due_on,
                decision_id,
                classification,
                meeting_item,
            } => {
                self.group_id = Some(group_id);
                self.status = ActionStatus::Open;
                self.title = Some(title);
                self.description = description;
                self.owner_id = Some(owner_id);
                self.due_on = Some(due_on);
                self.decision_id = decision_id;
                self.meeting_item = meeting_item;
                self.classification = Some(classification);
            }
            ActionEvent::ActionReassigned { owner_id, .. } => {
                if let Some(previous) = self.owner_id.replace(owner_id) {
                    self.previous_owners.push(previous);
                }
            }
            ActionEvent::ActionRescheduled { due_on, reason } => {
                if let Some(from) = self.due_on.replace(due_on) {
                    self.reschedules.push(Reschedule { from, to: due_on, reason });
                }
            }
            ActionEvent::ActionProgressNoted { on, note } => {
                self.progress.push(ActionProgress { on, note });
            }
            ActionEvent::ActionCompleted { on, note } => {
                self.status = ActionStatus::Completed;
                self.completed_on = Some(on);
                self.closing_note = note;
            }
            ActionEvent::ActionCancelled { reason } => {
                self.status = ActionStatus::Cancelled;
                self.closing_note = Some(reason);
            }
        }
    }
}

impl Record for Action {
    fn group_id(&self) -> Option<&GroupId> {
        self.group_id.as_ref()
    }

    fn classification(&self) -> Classification {
        self.classification.unwrap_or(Classification::Confidential)
    }

    fn status(&self) -> &'static str {
        self.status.as_str()
    }

    fn index(&self) -> RecordIndex {
        RecordIndex {
            member_id: self.owner_id,
            due_on: self.due_on,
            subject_id: self.decision_id,
            ..RecordIndex::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use cqrs_es::test::TestFramework;

    use super::*;
    use crate::action::ActionDraft;

    type ActionTest = TestFramework<Action>;

    fn date(s: &str) -> NaiveDate {
        s.parse().expect("test date")
    }

    fn note(s: &str) -> Note {
        Note::parse(s).expect("note")
    }

    fn owner() -> Uuid {
        Uuid::from_u128(1)
    }

    fn created() -> ActionEvent {
        ActionEvent::ActionCreated {
            group_id: GroupId::parse("newham-labour").expect("group"),
            title: Title::parse("Write to the Cabinet Member").expect("title"),
            description: None,
            owner_id: owner(),
            due_on: date("2026-03-20"),
            decision_id: None,
            classification: Classification::Group,
            meeting_item: None,
        }
    }

    #[test]
    fn creating_an_action_emits_action_created() {
        let draft = ActionDraft {
            title: Title::parse("Write to the Cabinet Member").expect("title"),
            description: None,
            owner_id: owner(),
            due_on: date("2026-03-20"),
            decision_id: None,
            classification: Classification::Group,
            meeting_item: None,
        };
        ActionTest::with(())
            .given_no_previous_events()
            .when(ActionCommand::CreateAction {
                group_id: GroupId::parse("newham-labour").expect("group"),
                draft: Box::new(draft),
            })
            .then_expect_events(vec![created()]);
    }

    #[test]
    fn rescheduling_keeps_the_old_date_and_the_reason() {
        let mut action = Action::default();
        action.apply(created());
        action.apply(ActionEvent::ActionRescheduled {
            due_on: date("2026-04-10"),
            reason: note("Waiting on officers"),
        });
        assert_eq!(action.due_on, Some(date("2026-04-10")));
        assert_eq!(
            action.reschedules,
            vec![Reschedule {
                from: date("2026-03-20"),
                to: date("2026-04-10"),
                reason: note("Waiting on officers")
            }]
        );
    }

    #[test]
    fn rescheduling_to_the_same_day_is_refused() {
        ActionTest::with(())
            .given(vec![created()])
            .when(ActionCommand::RescheduleAction { due_on: date("2026-03-20"), reason: note("no change") })
            .then_expect_error(ActionError::SameDueDate);
    }

    #[test]
    fn reassigning_to_the_current_owner_is_refused() {
        ActionTest::with(())
            .given(vec![created()])
            .when(ActionCommand::ReassignAction { owner_id: owner(), reason: None })
            .then_expect_error(ActionError::SameOwner);
    }

    #[test]
    fn a_completed_action_cannot_be_cancelled() {
        ActionTest::with(())
            .given(vec![created(), ActionEvent::ActionCompleted { on: date("2026-03-18"), note: None }])
            .when(ActionCommand::CancelAction { reason: note("too late") })
            .then_expect_error(ActionError::Closed("completed"));
    }

    #[test]
    fn an_open_action_past_its_due_date_is_overdue() {
        let mut action = Action::default();
        action.apply(created());
        assert!(!action.is_overdue(date("2026-03-20")));
        assert!(action.is_overdue(date("2026-03-21")));
        action.apply(ActionEvent::ActionCompleted { on: date("2026-03-25"), note: None });
        assert!(!action.is_overdue(date("2026-03-26")), "a completed action is never overdue");
    }
}
