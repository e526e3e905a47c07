use chrono::NaiveDate;
use cqrs_es::{Aggregate, event_sink::EventSink};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::events::ForwardPlanEvent;
use crate::{Classification, DomainError, GroupId, Note, Record, RecordIndex, Refusal, Title};

/// What the council's forward plan says about one coming decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanEntry {
    /// The decision's title.
    pub title: Title,
    /// Who takes it (e.g. `Cabinet`, `Cabinet Member for Finance`).
    pub decision_maker: Title,
    /// When it is expected.
    pub expected_on: NaiveDate,
    /// Whether it is a key decision.
    pub key_decision: bool,
    /// The wards it affects.
    pub wards: Vec<Title>,
    /// The portfolio it falls in.
    pub portfolio: Option<Title>,
    /// The council's reference for it.
    pub reference: Option<Title>,
}

/// Where a forward plan item stands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum ForwardPlanStatus {
    /// Not yet entered.
    #[default]
    Unentered,
    /// Tracked, no position agreed yet.
    Tracked,
    /// The group has agreed its position.
    PositionAgreed,
}

impl ForwardPlanStatus {
    /// The stable word for it (its serde name too: both are the variant's name
    /// in snake case).
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// A forward plan item, as its events have built it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ForwardPlanItem {
    /// The owning group.
    pub group_id: Option<GroupId>,
    /// Where it stands.
    pub status: ForwardPlanStatus,
    /// What the forward plan says now.
    pub entry: Option<PlanEntry>,
    /// Earlier versions of the entry, oldest first.
    pub previous_entries: Vec<PlanEntry>,
    /// Who may read it.
    pub classification: Option<Classification>,
    /// The group's position.
    pub position: Option<Note>,
    /// Briefing actions.
    pub briefing_actions: Vec<Uuid>,
}

/// What a caller can ask of a forward plan item.
#[derive(Debug, Clone, PartialEq)]
pub enum ForwardPlanCommand {
    /// Enter an item.
    EnterForwardPlanItem {
        /// The group.
        group_id: GroupId,
        /// What the forward plan says.
        entry: Box<PlanEntry>,
        /// Who may read it.
        classification: Classification,
    },
    /// Record the council's change to the item.
    UpdateForwardPlanItem {
        /// What the forward plan now says.
        entry: Box<PlanEntry>,
    },
    /// Record the group's position.
    AgreeGroupPosition {
        /// The position.
        position: Note,
    },
    /// Link a briefing action; linking twice changes nothing.
    LinkBriefingAction {
        /// The action.
        action_id: Uuid,
    },
}

/// Why a forward plan command was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ForwardPlanError {
    /// Entered twice.
    #[error("this forward plan item has already been entered")]
    AlreadyEntered,
    /// No such item.
    #[error("no such forward plan item")]
    NotEntered,
    /// An update that changes nothing.
    #[error("the update changes nothing")]
    UpdateChangesNothing,
}

impl DomainError for ForwardPlanError {
    fn refusal(&self) -> Refusal {
        match self {
            Self::NotEntered => Refusal::NotFound,
            Self::AlreadyEntered => Refusal::Conflict,
            Self::UpdateChangesNothing => Refusal::Invalid,
        }
    }
}

impl Aggregate for ForwardPlanItem {
    const TYPE: &'static str = "ForwardPlanItem";
    type Command = ForwardPlanCommand;
    type Event = ForwardPlanEvent;
    type Error = ForwardPlanError;
    type Services = ();

    async fn handle(
        &mut self,
        command: Self::Command,
        _services: &Self::Services,
        sink: &EventSink<Self>,
    ) -> Result<(), Self::Error> {
        if !matches!(command, ForwardPlanCommand::EnterForwardPlanItem { .. })
            && self.status == ForwardPlanStatus::Unentered
        {
            return Err(ForwardPlanError::NotEntered);
        }
        let event = match command {
            ForwardPlanCommand::EnterForwardPlanItem { group_id, entry, classification } => {
                if self.status != ForwardPlanStatus::Unentered {
                    return Err(ForwardPlanError::AlreadyEntered);
                }
                ForwardPlanEvent::ForwardPlanItemEntered { group_id, entry: *entry, classification }
            }
            ForwardPlanCommand::UpdateForwardPlanItem { entry } => {
                if self.entry.as_ref() == Some(&entry) {
                    return Err(ForwardPlanError::UpdateChangesNothing);
                }
                ForwardPlanEvent::ForwardPlanItemUpdated { entry: *entry }
            }
            ForwardPlanCommand::AgreeGroupPosition { position } => {
                ForwardPlanEvent::GroupPositionAgreed { position }
            }
            ForwardPlanCommand::LinkBriefingAction { action_id } => {
                if self.briefing_actions.contains(&action_id) {
                    return Ok(());
                }
                ForwardPlanEvent::BriefingActionLinked { action_id }
            }
        };
        sink.write(event, self).await;
        Ok(())
    }

    fn apply(&mut self, event: Self::Event) {
        match event {
            ForwardPlanEvent::ForwardPlanItemEntered { group_id, entry, classification } => {
                self.group_id = Some(group_id);
                self.status = ForwardPlanStatus::Tracked;
                self.entry = Some(entry);
                self.classification = Some(classification);
            }
            ForwardPlanEvent::ForwardPlanItemUpdated { entry } => {
                if let Some(previous) = self.entry.replace(entry) {
                    self.previous_entries.push(previous);
                }
            }
            ForwardPlanEvent::GroupPositionAgreed { position } => {
                self.status = ForwardPlanStatus::PositionAgreed;
                self.position = Some(position);
            }
            ForwardPlanEvent::BriefingActionLinked { action_id } => self.briefing_actions.push(action_id),
        }
    }
}

impl Record for ForwardPlanItem {
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
        RecordIndex { due_on: self.entry.as_ref().map(|e| e.expected_on), ..RecordIndex::default() }
    }
}

#[cfg(test)]
mod tests {
    use cqrs_es::test::TestFramework;

    use super::*;

    type PlanTest = TestFramework<ForwardPlanItem>;

    fn entry(decision_maker: &str) -> PlanEntry {
        PlanEntry {
            title: Title::parse("Library service review").expect("title"),
            decision_maker: Title::parse(decision_maker).expect("maker"),
            expected_on: "2026-04-14".parse().expect("date"),
            key_decision: true,
            wards: vec![Title::parse("Canning Town North").expect("ward")],
            portfolio: None,
            reference: None,
        }
    }

    fn entered() -> ForwardPlanEvent {
        ForwardPlanEvent::ForwardPlanItemEntered {
            group_id: GroupId::parse("newham-labour").expect("group"),
            entry: entry("Cabinet"),
            classification: Classification::Public,
        }
    }

    #[test]
    fn an_update_that_changes_nothing_is_refused() {
        PlanTest::with(())
            .given(vec![entered()])
            .when(ForwardPlanCommand::UpdateForwardPlanItem { entry: Box::new(entry("Cabinet")) })
            .then_expect_error(ForwardPlanError::UpdateChangesNothing);
    }

    #[test]
    fn an_update_keeps_the_previous_entry() {
        let mut item = ForwardPlanItem::default();
        item.apply(entered());
        item.apply(ForwardPlanEvent::ForwardPlanItemUpdated { entry: entry("Full Council") });
        assert_eq!(item.previous_entries, vec![entry("Cabinet")]);
    }

    #[test]
    fn linking_an_action_twice_records_nothing() {
        let action_id = Uuid::from_u128(7);
        PlanTest::with(())
            .given(vec![entered(), ForwardPlanEvent::BriefingActionLinked { action_id }])
            .when(ForwardPlanCommand::LinkBriefingAction { action_id })
            .then_expect_events(vec![]);
    }

    #[test]
    fn commands_on_an_item_not_entered_are_not_found() {
        PlanTest::with(())
            .given_no_previous_events()
            .when(ForwardPlanCommand::AgreeGroupPosition { position: Note::parse("Oppose").expect("note") })
            .then_expect_error(ForwardPlanError::NotEntered);
    }
}
