use chrono::NaiveDate;
use cqrs_es::{Aggregate, event_sink::EventSink};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::commands::{DecisionCommand, ProgressReport};
use super::events::{DecisionEvent, ProgressStatus, TakenBy, Votes};
use crate::{Classification, DomainError, GroupId, LongText, Note, Record, RecordIndex, Refusal, Title};

/// The most a progress report can say is done, in percent.
pub const MAX_PERCENT_COMPLETE: u8 = 100;

/// Where a decision stands. Its word (`as_str`, the read model's status) is
/// its serde name: both are the variant's name in snake case.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum DecisionStatus {
    /// Not yet recorded.
    #[default]
    Unrecorded,
    /// In force, being implemented.
    InForce,
    /// Carried out.
    Implemented,
    /// Rescinded by the group.
    Rescinded,
    /// Replaced by a later decision.
    Superseded,
}

impl DecisionStatus {
    /// The status word, as stored in the read model.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// One amendment: the text it replaced and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Amendment {
    /// The text before the amendment.
    pub previous_text: LongText,
    /// Why it was amended.
    pub reason: Note,
}

/// One dated progress note.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProgressNote {
    /// The day the progress refers to.
    pub on: NaiveDate,
    /// What happened.
    pub note: Note,
    /// How it is going.
    pub status: ProgressStatus,
    /// How much is done, 0 to 100.
    pub percent_complete: u8,
}

/// A decision of the group, as its events have built it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    /// The owning group; `None` until recorded.
    pub group_id: Option<GroupId>,
    /// Where it stands.
    pub status: DecisionStatus,
    /// A short title.
    pub title: Option<Title>,
    /// The current text.
    pub text: Option<LongText>,
    /// The day it was taken.
    pub decided_on: Option<NaiveDate>,
    /// Where it was taken.
    pub taken_by: Option<TakenBy>,
    /// The recorded vote.
    pub votes: Option<Votes>,
    /// Who may read it.
    pub classification: Option<Classification>,
    /// When the group means to look at it again.
    pub review_on: Option<NaiveDate>,
    /// Amendments, oldest first.
    pub amendments: Vec<Amendment>,
    /// Progress notes, oldest first.
    pub progress: Vec<ProgressNote>,
    /// The day it was implemented.
    pub implemented_on: Option<NaiveDate>,
    /// Why it was rescinded or superseded.
    pub ended_reason: Option<Note>,
    /// The decision that superseded it.
    pub superseded_by: Option<Uuid>,
}

/// Why a decision command was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecisionError {
    /// The decision exists already.
    #[error("this decision has already been recorded")]
    AlreadyRecorded,
    /// The decision does not exist.
    #[error("no such decision")]
    NotRecorded,
    /// The decision is no longer in force.
    #[error("this decision is {0} and can no longer be changed")]
    NotInForce(&'static str),
    /// A vote with no votes in it.
    #[error("a recorded vote must count at least one vote")]
    EmptyVote,
    /// A review date before the decision.
    #[error("the review date must not be before the decision date")]
    ReviewBeforeDecision,
    /// An amendment that changes nothing.
    #[error("the amended text is the same as the current text")]
    AmendmentChangesNothing,
    /// A percentage over 100.
    #[error("percent complete must be between 0 and 100")]
    PercentOutOfRange,
}

impl DomainError for DecisionError {
    fn refusal(&self) -> Refusal {
        match self {
            Self::NotRecorded => Refusal::NotFound,
            Self::AlreadyRecorded | Self::NotInForce(_) => Refusal::Conflict,
            Self::EmptyVote
            | Self::ReviewBeforeDecision
            | Self::AmendmentChangesNothing
            | Self::PercentOutOfRange => Refusal::Invalid,
        }
    }
}

impl Decision {
    fn require_in_force(&self) -> Result<(), DecisionError> {
        match self.status {
            DecisionStatus::Unrecorded => Err(DecisionError::NotRecorded),
            DecisionStatus::InForce => Ok(()),
            ended => Err(DecisionError::NotInForce(ended.as_str())),
        }
    }
}

impl Aggregate for Decision {
    const TYPE: &'static str = "Decision";
    type Command = DecisionCommand;
    type Event = DecisionEvent;
    type Error = DecisionError;
    type Services = ();

    async fn handle(
        &mut self,
        command: Self::Command,
        _services: &Self::Services,
        sink: &EventSink<Self>,
    ) -> Result<(), Self::Error> {
        let event = match command {
            DecisionCommand::RecordDecision { group_id, draft } => {
                if self.status != DecisionStatus::Unrecorded {
                    return Err(DecisionError::AlreadyRecorded);
                }
                if draft.votes.is_some_and(|v| v.r#for + v.against + v.abstain == 0) {
                    return Err(DecisionError::EmptyVote);
                }
                if draft.review_on.is_some_and(|review| review < draft.decided_on) {
                    return Err(DecisionError::ReviewBeforeDecision);
                }
                DecisionEvent::DecisionRecorded {
                    group_id,
                    title: draft.title,
                    text: draft.text,
                    decided_on: draft.decided_on,
                    taken_by: draft.taken_by,
                    votes: draft.votes,
                    classification: draft.classification,
                    review_on: draft.review_on,
                }
            }
            DecisionCommand::AmendDecision { text, reason } => {
                self.require_in_force()?;
                if self.text.as_ref() == Some(&text) {
                    return Err(DecisionError::AmendmentChangesNothing);
                }
                DecisionEvent::DecisionAmended { text, reason }
            }
            DecisionCommand::ReportDecisionProgress(ProgressReport {
                on,
                note,
                status,
                percent_complete,
            }) => {
                self.require_in_force()?;
                if percent_complete > MAX_PERCENT_COMPLETE {
                    return Err(DecisionError::PercentOutOfRange);
                }
                DecisionEvent::DecisionProgressReported { on, note, status, percent_complete }
            }
            DecisionCommand::MarkDecisionImplemented { on } => {
                self.require_in_force()?;
                DecisionEvent::DecisionImplemented { on }
            }
            DecisionCommand::RescindDecision { reason } => {
                self.require_in_force()?;
                DecisionEvent::DecisionRescinded { reason }
            }
            DecisionCommand::SupersedeDecision { by, reason } => {
                self.require_in_force()?;
                DecisionEvent::DecisionSuperseded { by, reason }
            }
        };
        sink.write(event, self).await;
        Ok(())
    }

    fn apply(&mut self, event: Self::Event) {
        match event {
            DecisionEvent::DecisionRecorded {
                group_id,
                title,
                text,
                decided_on,
                taken_by,
                votes,
                classification,
                review_on,
            } => {
                self.group_id = Some(group_id);
                self.status = DecisionStatus::InForce;
                self.title = Some(title);
                self.text = Some(text);
                self.decided_on = Some(decided_on);
                self.taken_by = Some(taken_by);
                self.votes = votes;
                self.classification = Some(classification);
                self.review_on = review_on;
            }
            DecisionEvent::DecisionAmended { text, reason } => {
                if let Some(previous_text) = self.text.replace(text) {
                    self.amendments.push(Amendment { previous_text, reason });
                }
            }
            DecisionEvent::DecisionProgressReported { on, note, status, percent_complete } => {
                self.progress.push(ProgressNote { on, note, status, percent_complete });
            }
            DecisionEvent::DecisionImplemented { on } => {
                self.status = DecisionStatus::Implemented;
                self.implemented_on = Some(on);
            }
            DecisionEvent::DecisionRescinded { reason } => {
                self.status = DecisionStatus::Rescinded;
                self.ended_reason = Some(reason);
            }
            DecisionEvent::DecisionSuperseded { by, reason } => {
                self.status = DecisionStatus::Superseded;
                self.superseded_by = Some(by);
                self.ended_reason = Some(reason);
            }
        }
    }
}

impl Record for Decision {
    fn group_id(&self) -> Option<&GroupId> {
        self.group_id.as_ref()
    }

    fn classification(&self) -> Classification {
        // An unrecorded decision has no readers to protect; the strictest class is
        // the safe answer if one is ever asked.
        self.classification.unwrap_or(Classification::Confidential)
    }

    fn status(&self) -> &'static str {
        self.status.as_str()
    }

    fn index(&self) -> RecordIndex {
        RecordIndex { due_on: self.review_on, ..RecordIndex::default() }
    }

    fn upcasters() -> Vec<Box<dyn cqrs_es::persist::EventUpcaster>> {
        super::upcasters()
    }
}

#[cfg(test)]
mod tests {
    use cqrs_es::test::TestFramework;

    use super::*;
    use crate::decision::DecisionDraft;

    type DecisionTest = TestFramework<Decision>;

    fn date(s: &str) -> NaiveDate {
        s.parse().expect("test date")
    }

    fn draft() -> DecisionDraft {
        DecisionDraft {
            title: Title::parse("Oppose the closure of Canning Town library").expect("title"),
            text: LongText::parse("The group will oppose the closure at Cabinet.").expect("text"),
            decided_on: date("2026-03-02"),
            taken_by: TakenBy::GroupMeeting {
                meeting: Title::parse("Group meeting").expect("t"),
                meeting_item: None,
            },
            votes: Some(Votes { r#for: 40, against: 3, abstain: 2 }),
            classification: Classification::Group,
            review_on: Some(date("2026-06-01")),
        }
    }

    fn recorded() -> DecisionEvent {
        let d = draft();
        DecisionEvent::DecisionRecorded {
            group_id: GroupId::parse("newham-labour").expect("group"),
            title: d.title,
            text: d.text,
            decided_on: d.decided_on,
            taken_by: d.taken_by,
            votes: d.votes,
            classification: d.classification,
            review_on: d.review_on,
        }
    }

    fn note(s: &str) -> Note {
        Note::parse(s).expect("note")
    }

    #[test]
    fn recording_a_decision_emits_decision_recorded() {
        DecisionTest::with(())
            .given_no_previous_events()
            .when(DecisionCommand::RecordDecision {
                group_id: GroupId::parse("newham-labour").expect("group"),
                draft: Box::new(draft()),
            })
            .then_expect_events(vec![recorded()]);
    }

    #[test]
    fn a_decision_cannot_be_recorded_twice() {
        DecisionTest::with(())
            .given(vec![recorded()])
            .when(DecisionCommand::RecordDecision {
                group_id: GroupId::parse("newham-labour").expect("group"),
                draft: Box::new(draft()),
            })
            .then_expect_error(DecisionError::AlreadyRecorded);
    }

    #[test]
    fn a_vote_with_no_votes_is_refused() {
        let mut d = draft();
        d.votes = Some(Votes { r#for: 0, against: 0, abstain: 0 });
        DecisionTest::with(())
            .given_no_previous_events()
            .when(DecisionCommand::RecordDecision {
                group_id: GroupId::parse("newham-labour").expect("group"),
                draft: Box::new(d),
            })
            .then_expect_error(DecisionError::EmptyVote);
    }

    #[test]
    fn a_review_date_before_the_decision_is_refused() {
        let mut d = draft();
        d.review_on = Some(date("2026-01-01"));
        DecisionTest::with(())
            .given_no_previous_events()
            .when(DecisionCommand::RecordDecision {
                group_id: GroupId::parse("newham-labour").expect("group"),
                draft: Box::new(d),
            })
            .then_expect_error(DecisionError::ReviewBeforeDecision);
    }

    #[test]
    fn amending_keeps_the_old_text_in_the_amendment_history() {
        let new_text = LongText::parse("The group will oppose the closure at Full Council.").expect("text");
        let mut decision = Decision::default();
        decision.apply(recorded());
        decision.apply(DecisionEvent::DecisionAmended {
            text: new_text.clone(),
            reason: note("Moved to Full Council"),
        });
        assert_eq!(decision.text, Some(new_text));
        assert_eq!(decision.amendments.len(), 1);
        assert_eq!(decision.amendments[0].previous_text, draft().text);
    }

    #[test]
    fn an_amendment_that_changes_nothing_is_refused() {
        DecisionTest::with(())
            .given(vec![recorded()])
            .when(DecisionCommand::AmendDecision { text: draft().text, reason: note("no-op") })
            .then_expect_error(DecisionError::AmendmentChangesNothing);
    }

    #[test]
    fn progress_over_one_hundred_percent_is_refused() {
        DecisionTest::with(())
            .given(vec![recorded()])
            .when(DecisionCommand::ReportDecisionProgress(ProgressReport {
                on: date("2026-03-10"),
                note: note("Letter sent"),
                status: ProgressStatus::OnTrack,
                percent_complete: 101,
            }))
            .then_expect_error(DecisionError::PercentOutOfRange);
    }

    #[test]
    fn a_rescinded_decision_cannot_be_amended_or_implemented() {
        let rescinded = DecisionEvent::DecisionRescinded { reason: note("Overtaken by events") };
        DecisionTest::with(())
            .given(vec![recorded(), rescinded.clone()])
            .when(DecisionCommand::MarkDecisionImplemented { on: date("2026-04-01") })
            .then_expect_error(DecisionError::NotInForce("rescinded"));
        DecisionTest::with(())
            .given(vec![recorded(), rescinded])
            .when(DecisionCommand::AmendDecision {
                text: LongText::parse("new").expect("text"),
                reason: note("late"),
            })
            .then_expect_error(DecisionError::NotInForce("rescinded"));
    }

    #[test]
    fn superseding_records_the_replacement() {
        let by = Uuid::now_v7();
        DecisionTest::with(())
            .given(vec![recorded()])
            .when(DecisionCommand::SupersedeDecision { by, reason: note("Replaced") })
            .then_expect_events(vec![DecisionEvent::DecisionSuperseded { by, reason: note("Replaced") }]);
    }

    #[test]
    fn commands_on_an_unrecorded_decision_are_not_found() {
        DecisionTest::with(())
            .given_no_previous_events()
            .when(DecisionCommand::RescindDecision { reason: note("x") })
            .then_expect_error(DecisionError::NotRecorded);
    }
}
