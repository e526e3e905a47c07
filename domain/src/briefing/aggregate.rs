use cqrs_es::{Aggregate, event_sink::EventSink};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::events::{BriefingDraft, BriefingEvent, BriefingKind, BriefingSubject};
use crate::{Classification, DomainError, GroupId, LongText, Note, Record, RecordIndex, Refusal, Title};

/// Where a note stands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum BriefingStatus {
    /// Not yet written.
    #[default]
    Unwritten,
    /// In use.
    Current,
    /// Withdrawn.
    Withdrawn,
}

impl BriefingStatus {
    /// The stable word for it (its serde name too: both are the variant's name
    /// in snake case).
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// One version of a note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BriefingVersion {
    /// 1 for the first, counting up.
    pub number: u32,
    /// The title.
    pub title: Title,
    /// The text (Markdown).
    pub body: LongText,
    /// What changed from the version before, and why.
    pub reason: Option<Note>,
}

/// A briefing or speaking note, as its events have built it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Briefing {
    /// The owning group.
    pub group_id: Option<GroupId>,
    /// Where it stands.
    pub status: BriefingStatus,
    /// What kind of note.
    pub kind: Option<BriefingKind>,
    /// What it is about.
    pub subject: Option<BriefingSubject>,
    /// The member it is for.
    pub for_member_id: Option<Uuid>,
    /// Who may read it.
    pub classification: Option<Classification>,
    /// The version in use.
    pub current: Option<BriefingVersion>,
    /// Earlier versions, oldest first.
    pub earlier_versions: Vec<BriefingVersion>,
    /// Why it was withdrawn.
    pub withdrawal_reason: Option<Note>,
}

/// What a caller can ask of a note.
#[derive(Debug, Clone, PartialEq)]
pub enum BriefingCommand {
    /// Write the first version.
    WriteBriefing(Box<BriefingDraft>),
    /// Replace the current version with a new one.
    ReviseBriefing {
        /// The new title.
        title: Title,
        /// The new text.
        body: LongText,
        /// What changed and why.
        reason: Option<Note>,
    },
    /// Withdraw it.
    WithdrawBriefing {
        /// Why.
        reason: Note,
    },
}

/// Why a note command was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BriefingError {
    /// Written twice.
    #[error("this note has already been written")]
    AlreadyWritten,
    /// No such note.
    #[error("no such briefing or speaking note")]
    NotWritten,
    /// Withdrawn notes do not change.
    #[error("the note has been withdrawn")]
    Withdrawn,
    /// A revision that changes nothing.
    #[error("the revision changes nothing")]
    RevisionChangesNothing,
}

impl DomainError for BriefingError {
    fn refusal(&self) -> Refusal {
        match self {
            Self::NotWritten => Refusal::NotFound,
            Self::AlreadyWritten | Self::Withdrawn => Refusal::Conflict,
            Self::RevisionChangesNothing => Refusal::Invalid,
        }
    }
}

impl Aggregate for Briefing {
    const TYPE: &'static str = "Briefing";
    type Command = BriefingCommand;
    type Event = BriefingEvent;
    type Error = BriefingError;
    type Services = ();

    async fn handle(
        &mut self,
        command: Self::Command,
        _services: &Self::Services,
        sink: &EventSink<Self>,
    ) -> Result<(), Self::Error> {
        let event = match (self.status, command) {
            (BriefingStatus::Unwritten, BriefingCommand::WriteBriefing(draft)) => {
                BriefingEvent::BriefingWritten(*draft)
            }
            (_, BriefingCommand::WriteBriefing(_)) => return Err(BriefingError::AlreadyWritten),
            (BriefingStatus::Unwritten, _) => return Err(BriefingError::NotWritten),
            (BriefingStatus::Withdrawn, _) => return Err(BriefingError::Withdrawn),
            (BriefingStatus::Current, BriefingCommand::ReviseBriefing { title, body, reason }) => {
                if self.current.as_ref().is_some_and(|v| v.title == title && v.body == body) {
                    return Err(BriefingError::RevisionChangesNothing);
                }
                BriefingEvent::BriefingRevised { title, body, reason }
            }
            (BriefingStatus::Current, BriefingCommand::WithdrawBriefing { reason }) => {
                BriefingEvent::BriefingWithdrawn { reason }
            }
        };
        sink.write(event, self).await;
        Ok(())
    }

    fn apply(&mut self, event: Self::Event) {
        match event {
            BriefingEvent::BriefingWritten(BriefingDraft {
                group_id,
                kind,
                subject,
                for_member_id,
                title,
                body,
                classification,
            }) => {
                self.group_id = Some(group_id);
                self.status = BriefingStatus::Current;
                self.kind = Some(kind);
                self.subject = Some(subject);
                self.for_member_id = for_member_id;
                self.classification = Some(classification);
                self.current = Some(BriefingVersion { number: 1, title, body, reason: None });
            }
            BriefingEvent::BriefingRevised { title, body, reason } => {
                let number = self.current.as_ref().map_or(1, |v| v.number + 1);
                if let Some(earlier) = self.current.replace(BriefingVersion { number, title, body, reason }) {
                    self.earlier_versions.push(earlier);
                }
            }
            BriefingEvent::BriefingWithdrawn { reason } => {
                self.status = BriefingStatus::Withdrawn;
                self.withdrawal_reason = Some(reason);
            }
        }
    }
}

impl Record for Briefing {
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
            member_id: self.for_member_id,
            subject_id: self.subject.map(BriefingSubject::record_id),
            ..RecordIndex::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use cqrs_es::test::TestFramework;

    use super::*;

    type BriefingTest = TestFramework<Briefing>;

    fn text(s: &str) -> LongText {
        LongText::parse(s).expect("text")
    }

    fn written() -> BriefingEvent {
        BriefingEvent::BriefingWritten(BriefingDraft {
            group_id: GroupId::parse("newham-labour").expect("group"),
            kind: BriefingKind::SpeakingNote,
            subject: BriefingSubject::Motion { motion_id: Uuid::from_u128(3) },
            for_member_id: Some(Uuid::from_u128(1)),
            title: Title::parse("Libraries: seconder's speech").expect("title"),
            body: text("Thank you, Mr Mayor."),
            classification: Classification::Group,
        })
    }

    #[test]
    fn revisions_number_the_versions_and_keep_the_earlier_ones() {
        let mut note = Briefing::default();
        note.apply(written());
        note.apply(BriefingEvent::BriefingRevised {
            title: Title::parse("Libraries: seconder's speech").expect("title"),
            body: text("Thank you, Madam Mayor."),
            reason: Some(Note::parse("New Mayor").expect("reason")),
        });
        assert_eq!(note.current.as_ref().map(|v| v.number), Some(2));
        assert_eq!(
            note.earlier_versions.iter().map(|v| v.body.to_string()).collect::<Vec<_>>(),
            vec!["Thank you, Mr Mayor."]
        );
        assert_eq!(note.index().subject_id, Some(Uuid::from_u128(3)));
    }

    #[test]
    fn a_revision_that_changes_nothing_is_refused() {
        BriefingTest::with(())
            .given(vec![written()])
            .when(BriefingCommand::ReviseBriefing {
                title: Title::parse("Libraries: seconder's speech").expect("title"),
                body: text("Thank you, Mr Mayor."),
                reason: None,
            })
            .then_expect_error(BriefingError::RevisionChangesNothing);
    }

    #[test]
    fn a_withdrawn_note_does_not_change() {
        BriefingTest::with(())
            .given(vec![
                written(),
                BriefingEvent::BriefingWithdrawn { reason: Note::parse("Superseded").expect("r") },
            ])
            .when(BriefingCommand::ReviseBriefing {
                title: Title::parse("Libraries").expect("title"),
                body: text("New."),
                reason: None,
            })
            .then_expect_error(BriefingError::Withdrawn);
    }
}
