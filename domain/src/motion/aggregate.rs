use chrono::{DateTime, Utc};
use cqrs_es::{Aggregate, event_sink::EventSink};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::events::{
    MotionDraft, MotionEvent, MotionKind, MotionOrigin, MotionOutcome, MotionStage, WhipPosition,
};
use super::votes::{self, MemberVote, VoteCounts, VoteOption, VotesError, WhipDeparture};
use crate::{Classification, DomainError, GroupId, LongText, Note, Record, RecordIndex, Refusal, Title};

/// Where a motion or question stands before the meeting deals with it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MotionStatus {
    /// Not yet recorded.
    #[default]
    Unrecorded,
    /// The group's draft.
    Drafted,
    /// Submitted to the council.
    Submitted,
    /// On the meeting's agenda.
    Tabled,
    /// The meeting dealt with it (see the outcome).
    Decided,
}

/// An earlier title and text of a draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MotionText {
    /// The title.
    pub title: Title,
    /// The text.
    pub text: LongText,
    /// Why it was replaced.
    pub replaced_because: Option<Note>,
}

/// The group's whip on a motion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Whip {
    /// The position.
    pub position: WhipPosition,
    /// What members are told.
    pub note: Option<Note>,
}

/// A motion or question, as its events have built it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Motion {
    /// The owning group.
    pub group_id: Option<GroupId>,
    /// Motion or question.
    pub kind: Option<MotionKind>,
    /// Where it stands.
    pub status: MotionStatus,
    /// Its title.
    pub title: Option<Title>,
    /// Its text.
    pub text: Option<LongText>,
    /// Earlier titles and texts of the draft, oldest first.
    pub earlier_texts: Vec<MotionText>,
    /// Who brings it.
    pub origin: Option<MotionOrigin>,
    /// The council meeting it is for.
    pub meeting_id: Option<Uuid>,
    /// For a question: who it is put to.
    pub directed_to: Option<Title>,
    /// The cases a question was drawn from (ids only).
    #[serde(default)]
    pub case_ids: Vec<Uuid>,
    /// Who may read it.
    pub classification: Option<Classification>,
    /// When the group submitted it.
    pub submitted_at: Option<DateTime<Utc>>,
    /// The deadline it was submitted against.
    pub deadline: Option<DateTime<Utc>>,
    /// The whip now.
    pub whip: Option<Whip>,
    /// Earlier whips, oldest first.
    pub earlier_whips: Vec<Whip>,
    /// How it ended.
    pub outcome: Option<MotionOutcome>,
    /// The council's counts.
    pub counts: Option<VoteCounts>,
    /// How the group's members voted.
    pub votes: Vec<MemberVote>,
}

impl Motion {
    /// Before the meeting, where it stands; after, how it ended.
    pub fn stage(&self) -> MotionStage {
        match (&self.status, &self.outcome) {
            (MotionStatus::Decided, Some(outcome)) => outcome.kind().into(),
            (MotionStatus::Unrecorded, _) => MotionStage::Unrecorded,
            (MotionStatus::Drafted, _) => MotionStage::Drafted,
            (MotionStatus::Submitted, _) => MotionStage::Submitted,
            (MotionStatus::Tabled, _) | (MotionStatus::Decided, None) => MotionStage::Tabled,
        }
    }

    /// The group's members whose recorded vote differed from the whip.
    pub fn departures_from_whip(&self) -> Vec<WhipDeparture> {
        match &self.whip {
            Some(whip) => votes::departures(whip.position, &self.votes),
            None => Vec::new(),
        }
    }

    /// The group's members recorded as absent from the vote.
    pub fn absentees(&self) -> Vec<Uuid> {
        self.votes.iter().filter(|v| v.option == VoteOption::Absent).map(|v| v.member_id).collect()
    }

    /// The member moving it, when it is the group's own.
    pub fn proposer_id(&self) -> Option<Uuid> {
        match self.origin {
            Some(MotionOrigin::Group { proposer_id, .. }) => Some(proposer_id),
            _ => None,
        }
    }

    fn is_the_groups(&self) -> bool {
        matches!(self.origin, Some(MotionOrigin::Group { .. }))
    }
}

/// What a caller can ask of a motion or question.
#[derive(Debug, Clone, PartialEq)]
pub enum MotionCommand {
    /// Record one: the group's own as a draft, another's as tabled.
    RecordMotion(Box<MotionDraft>),
    /// Revise the draft.
    ReviseMotion {
        /// The new title.
        title: Title,
        /// The new text.
        text: LongText,
        /// Why.
        reason: Option<Note>,
    },
    /// Submit it to the council, at `at`, against `deadline`.
    SubmitMotion {
        /// Now.
        at: DateTime<Utc>,
        /// The council's deadline for its meeting.
        deadline: DateTime<Utc>,
    },
    /// Record that the council tabled it.
    TableMotion,
    /// Agree (or change) the whip; the same whip again records nothing.
    SetWhip {
        /// The position.
        position: WhipPosition,
        /// What members are told.
        note: Option<Note>,
    },
    /// Record how the meeting dealt with it.
    RecordOutcome {
        /// How it ended.
        outcome: MotionOutcome,
        /// The council's counts, where voted.
        counts: Option<VoteCounts>,
        /// How the group's members voted, where recorded.
        votes: Vec<MemberVote>,
    },
}

/// Why a motion command was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MotionError {
    /// Recorded twice.
    #[error("this motion has already been recorded")]
    AlreadyRecorded,
    /// No such motion.
    #[error("no such motion")]
    NotRecorded,
    /// Only a draft's text can change.
    #[error(
        "only a draft can be revised; once submitted the text is the council's (an amendment goes with the outcome)"
    )]
    NotADraft,
    /// A revision that changes nothing.
    #[error("the revision changes nothing")]
    RevisionChangesNothing,
    /// Only the group's own drafts are submitted by it.
    #[error("only a draft of the group's own is submitted by the group")]
    NotSubmittable,
    /// Too late for the council's deadline.
    #[error("the council's deadline for this meeting passed at {deadline}")]
    DeadlinePassed {
        /// The deadline.
        deadline: DateTime<Utc>,
    },
    /// Tabled before it was submitted, or twice.
    #[error("only a submitted motion can be tabled")]
    NotSubmitted,
    /// The meeting has dealt with it already.
    #[error("the meeting has already dealt with this {0}; its outcome stands")]
    AlreadyDecided(&'static str),
    /// An outcome that does not fit the kind (a question carried, a motion answered).
    #[error("a {kind} cannot be {outcome}")]
    OutcomeDoesNotFit {
        /// Motion or question.
        kind: &'static str,
        /// The outcome.
        outcome: &'static str,
    },
    /// A draft can only be withdrawn: nothing else happens to it at a meeting.
    #[error("a draft never reached the meeting: it can only be withdrawn")]
    DraftNotAtMeeting,
    /// Questions are not voted on, so have no whip.
    #[error("a question is not voted on, so it has no whip")]
    QuestionsHaveNoWhip,
    /// Counts or votes with an outcome that was not a vote.
    #[error("counts and votes go only with an outcome that was voted on (carried, amended, lost)")]
    NotAVote,
    /// A member's vote given twice.
    #[error("member {0} is given more than one vote")]
    MemberVotedTwice(Uuid),
    /// More of the group's votes than the council counted.
    #[error("{recorded} of the group's members are recorded as {option}, but the council counted {counted}")]
    MoreVotesThanCounted {
        /// The option.
        option: &'static str,
        /// The group's votes for it.
        recorded: u32,
        /// The council's count.
        counted: u32,
    },
}

impl DomainError for MotionError {
    fn refusal(&self) -> Refusal {
        match self {
            Self::NotRecorded => Refusal::NotFound,
            Self::AlreadyRecorded
            | Self::NotADraft
            | Self::NotSubmittable
            | Self::DeadlinePassed { .. }
            | Self::NotSubmitted
            | Self::AlreadyDecided(_)
            | Self::DraftNotAtMeeting => Refusal::Conflict,
            Self::RevisionChangesNothing
            | Self::OutcomeDoesNotFit { .. }
            | Self::QuestionsHaveNoWhip
            | Self::NotAVote
            | Self::MemberVotedTwice(_)
            | Self::MoreVotesThanCounted { .. } => Refusal::Invalid,
        }
    }

    fn fields(&self) -> Vec<(String, String)> {
        let pointer = match self {
            Self::OutcomeDoesNotFit { .. } => "/outcome",
            Self::NotAVote => "/counts",
            Self::MemberVotedTwice(_) | Self::MoreVotesThanCounted { .. } => "/votes",
            Self::QuestionsHaveNoWhip => "/position",
            _ => return Vec::new(),
        };
        vec![(pointer.to_owned(), self.to_string())]
    }
}

impl From<VotesError> for MotionError {
    fn from(error: VotesError) -> Self {
        match error {
            VotesError::MemberTwice(member) => Self::MemberVotedTwice(member),
            VotesError::MoreThanCounted { option, recorded, counted } => {
                Self::MoreVotesThanCounted { option: option.as_str(), recorded, counted }
            }
        }
    }
}

impl Motion {
    fn kind_word(&self) -> &'static str {
        self.kind.unwrap_or(MotionKind::Motion).as_str()
    }

    fn check_outcome(
        &self,
        outcome: &MotionOutcome,
        counts: Option<&VoteCounts>,
        votes: &[MemberVote],
    ) -> Result<(), MotionError> {
        if self.status == MotionStatus::Decided {
            return Err(MotionError::AlreadyDecided(self.kind_word()));
        }
        let kind = self.kind.unwrap_or(MotionKind::Motion);
        if !outcome.fits(kind) {
            return Err(MotionError::OutcomeDoesNotFit { kind: kind.as_str(), outcome: outcome.as_str() });
        }
        if self.status == MotionStatus::Drafted && *outcome != MotionOutcome::Withdrawn {
            return Err(MotionError::DraftNotAtMeeting);
        }
        if !outcome.is_a_vote() && (counts.is_some() || !votes.is_empty()) {
            return Err(MotionError::NotAVote);
        }
        votes::check_votes(counts, votes)?;
        Ok(())
    }
}

impl Aggregate for Motion {
    const TYPE: &'static str = "Motion";
    type Command = MotionCommand;
    type Event = MotionEvent;
    type Error = MotionError;
    type Services = ();

    async fn handle(
        &mut self,
        command: Self::Command,
        _services: &Self::Services,
        sink: &EventSink<Self>,
    ) -> Result<(), Self::Error> {
        let recording = matches!(command, MotionCommand::RecordMotion(_));
        if !recording && self.status == MotionStatus::Unrecorded {
            return Err(MotionError::NotRecorded);
        }
        let event = match command {
            MotionCommand::RecordMotion(draft) => {
                if self.status != MotionStatus::Unrecorded {
                    return Err(MotionError::AlreadyRecorded);
                }
                MotionEvent::MotionRecorded(*draft)
            }
            MotionCommand::ReviseMotion { title, text, reason } => {
                if self.status != MotionStatus::Drafted {
                    return Err(MotionError::NotADraft);
                }
                if self.title.as_ref() == Some(&title) && self.text.as_ref() == Some(&text) {
                    return Err(MotionError::RevisionChangesNothing);
                }
                MotionEvent::MotionRevised { title, text, reason }
            }
            MotionCommand::SubmitMotion { at, deadline } => {
                if self.status == MotionStatus::Decided {
                    return Err(MotionError::AlreadyDecided(self.kind_word()));
                }
                if self.status != MotionStatus::Drafted || !self.is_the_groups() {
                    return Err(MotionError::NotSubmittable);
                }
                if at > deadline {
                    return Err(MotionError::DeadlinePassed { deadline });
                }
                MotionEvent::MotionSubmitted { submitted_at: at, deadline }
            }
            MotionCommand::TableMotion => {
                if self.status == MotionStatus::Decided {
                    return Err(MotionError::AlreadyDecided(self.kind_word()));
                }
                if self.status != MotionStatus::Submitted {
                    return Err(MotionError::NotSubmitted);
                }
                MotionEvent::MotionTabled {}
            }
            MotionCommand::SetWhip { position, note } => {
                if self.status == MotionStatus::Decided {
                    return Err(MotionError::AlreadyDecided(self.kind_word()));
                }
                if self.kind == Some(MotionKind::Question) {
                    return Err(MotionError::QuestionsHaveNoWhip);
                }
                let whip = Whip { position, note };
                if self.whip.as_ref() == Some(&whip) {
                    return Ok(());
                }
                MotionEvent::WhipSet { position: whip.position, note: whip.note }
            }
            MotionCommand::RecordOutcome { outcome, counts, votes } => {
                self.check_outcome(&outcome, counts.as_ref(), &votes)?;
                MotionEvent::OutcomeRecorded { outcome, counts, votes }
            }
        };
        sink.write(event, self).await;
        Ok(())
    }

    fn apply(&mut self, event: Self::Event) {
        match event {
            MotionEvent::MotionRecorded(MotionDraft {
                group_id,
                kind,
                title,
                text,
                origin,
                meeting_id,
                directed_to,
                classification,
                case_ids,
            }) => {
                // Another group's motion reaches the group once it is on the agenda.
                self.status = match origin {
                    MotionOrigin::Group { .. } => MotionStatus::Drafted,
                    MotionOrigin::Other { .. } => MotionStatus::Tabled,
                };
                self.group_id = Some(group_id);
                self.kind = Some(kind);
                self.title = Some(title);
                self.text = Some(text);
                self.origin = Some(origin);
                self.meeting_id = Some(meeting_id);
                self.directed_to = directed_to;
                self.classification = Some(classification);
                self.case_ids = case_ids;
            }
            MotionEvent::MotionRevised { title, text, reason } => {
                if let (Some(old_title), Some(old_text)) =
                    (self.title.replace(title), self.text.replace(text))
                {
                    self.earlier_texts.push(MotionText {
                        title: old_title,
                        text: old_text,
                        replaced_because: reason,
                    });
                }
            }
            MotionEvent::MotionSubmitted { submitted_at, deadline } => {
                self.status = MotionStatus::Submitted;
                self.submitted_at = Some(submitted_at);
                self.deadline = Some(deadline);
            }
            MotionEvent::MotionTabled {} => self.status = MotionStatus::Tabled,
            MotionEvent::WhipSet { position, note } => {
                if let Some(earlier) = self.whip.replace(Whip { position, note }) {
                    self.earlier_whips.push(earlier);
                }
            }
            MotionEvent::OutcomeRecorded { outcome, counts, votes } => {
                self.status = MotionStatus::Decided;
                self.outcome = Some(outcome);
                self.counts = counts;
                self.votes = votes;
            }
        }
    }
}

impl Record for Motion {
    fn group_id(&self) -> Option<&GroupId> {
        self.group_id.as_ref()
    }

    fn classification(&self) -> Classification {
        self.classification.unwrap_or(Classification::Confidential)
    }

    /// Before the meeting, where it stands; after, how it ended (`carried`, ...).
    fn status(&self) -> &'static str {
        self.stage().as_str()
    }

    fn index(&self) -> RecordIndex {
        let whipped_vote = self.whip.is_some() && !self.votes.is_empty();
        RecordIndex {
            member_id: self.proposer_id(),
            subject_id: self.meeting_id,
            tags: if whipped_vote { vec![whipped_vote_tag()] } else { Vec::new() },
            ..RecordIndex::default()
        }
    }
}

/// The label of a motion with a whip and the group's recorded votes: the
/// whip report reads those, not every motion and question of its meetings.
pub fn whipped_vote_tag() -> String {
    crate::record::tag("whip", "voted")
}

#[cfg(test)]
mod tests {
    use cqrs_es::test::TestFramework;

    use super::*;

    type MotionTest = TestFramework<Motion>;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().expect("instant")
    }

    fn recorded(kind: MotionKind, origin: MotionOrigin) -> MotionEvent {
        MotionEvent::MotionRecorded(MotionDraft {
            group_id: GroupId::parse("newham-labour").expect("group"),
            kind,
            title: Title::parse("Save our libraries").expect("title"),
            text: LongText::parse("This council resolves to keep every library open.").expect("text"),
            origin,
            meeting_id: Uuid::from_u128(9),
            directed_to: None,
            classification: Classification::Public,
            case_ids: Vec::new(),
        })
    }

    fn ours() -> MotionOrigin {
        MotionOrigin::Group { proposer_id: Uuid::from_u128(1), seconder_id: None }
    }

    fn theirs() -> MotionOrigin {
        MotionOrigin::Other { mover: Title::parse("Cllr Jane Doe (Green)").expect("mover") }
    }

    fn submitted() -> MotionEvent {
        MotionEvent::MotionSubmitted {
            submitted_at: at("2026-07-01T09:00:00Z"),
            deadline: at("2026-07-03T11:00:00Z"),
        }
    }

    #[test]
    fn a_submission_after_the_deadline_is_refused_naming_it() {
        let deadline = at("2026-07-03T11:00:00Z");
        MotionTest::with(())
            .given(vec![recorded(MotionKind::Motion, ours())])
            .when(MotionCommand::SubmitMotion { at: at("2026-07-03T11:00:01Z"), deadline })
            .then_expect_error(MotionError::DeadlinePassed { deadline });
    }

    #[test]
    fn a_submission_on_the_deadline_is_in_time() {
        let deadline = at("2026-07-03T11:00:00Z");
        MotionTest::with(())
            .given(vec![recorded(MotionKind::Motion, ours())])
            .when(MotionCommand::SubmitMotion { at: deadline, deadline })
            .then_expect_events(vec![MotionEvent::MotionSubmitted { submitted_at: deadline, deadline }]);
    }

    #[test]
    fn another_groups_motion_arrives_tabled_and_is_not_submitted_by_us() {
        let mut motion = Motion::default();
        motion.apply(recorded(MotionKind::Motion, theirs()));
        assert_eq!(motion.status(), "tabled");
        MotionTest::with(())
            .given(vec![recorded(MotionKind::Motion, theirs())])
            .when(MotionCommand::SubmitMotion {
                at: at("2026-07-01T09:00:00Z"),
                deadline: at("2026-07-03T11:00:00Z"),
            })
            .then_expect_error(MotionError::NotSubmittable);
    }

    #[test]
    fn a_submitted_text_is_fixed() {
        MotionTest::with(())
            .given(vec![recorded(MotionKind::Motion, ours()), submitted()])
            .when(MotionCommand::ReviseMotion {
                title: Title::parse("Save our libraries").expect("title"),
                text: LongText::parse("Another text.").expect("text"),
                reason: None,
            })
            .then_expect_error(MotionError::NotADraft);
    }

    #[test]
    fn a_question_cannot_be_carried_nor_whipped() {
        let question = recorded(MotionKind::Question, ours());
        MotionTest::with(())
            .given(vec![question.clone(), submitted(), MotionEvent::MotionTabled {}])
            .when(MotionCommand::RecordOutcome {
                outcome: MotionOutcome::Carried,
                counts: None,
                votes: vec![],
            })
            .then_expect_error(MotionError::OutcomeDoesNotFit { kind: "question", outcome: "carried" });
        MotionTest::with(())
            .given(vec![question])
            .when(MotionCommand::SetWhip { position: WhipPosition::For, note: None })
            .then_expect_error(MotionError::QuestionsHaveNoWhip);
    }

    #[test]
    fn a_draft_can_only_be_withdrawn() {
        MotionTest::with(())
            .given(vec![recorded(MotionKind::Motion, ours())])
            .when(MotionCommand::RecordOutcome { outcome: MotionOutcome::Lost, counts: None, votes: vec![] })
            .then_expect_error(MotionError::DraftNotAtMeeting);
    }

    #[test]
    fn an_outcome_stands_once_recorded() {
        let outcome =
            MotionEvent::OutcomeRecorded { outcome: MotionOutcome::Lost, counts: None, votes: vec![] };
        MotionTest::with(())
            .given(vec![recorded(MotionKind::Motion, theirs()), outcome])
            .when(MotionCommand::RecordOutcome {
                outcome: MotionOutcome::Carried,
                counts: None,
                votes: vec![],
            })
            .then_expect_error(MotionError::AlreadyDecided("motion"));
    }

    #[test]
    fn the_same_whip_twice_records_nothing_and_a_change_keeps_the_old_one() {
        let whip = MotionEvent::WhipSet { position: WhipPosition::Against, note: None };
        MotionTest::with(())
            .given(vec![recorded(MotionKind::Motion, theirs()), whip.clone()])
            .when(MotionCommand::SetWhip { position: WhipPosition::Against, note: None })
            .then_expect_events(vec![]);
        let mut motion = Motion::default();
        motion.apply(recorded(MotionKind::Motion, theirs()));
        motion.apply(whip);
        motion.apply(MotionEvent::WhipSet { position: WhipPosition::FreeVote, note: None });
        assert_eq!(motion.earlier_whips.len(), 1);
        assert_eq!(motion.whip.map(|w| w.position), Some(WhipPosition::FreeVote));
    }

    #[test]
    fn departures_use_the_whip_in_force_at_the_vote() {
        let mut motion = Motion::default();
        motion.apply(recorded(MotionKind::Motion, theirs()));
        motion.apply(MotionEvent::WhipSet { position: WhipPosition::Against, note: None });
        motion.apply(MotionEvent::OutcomeRecorded {
            outcome: MotionOutcome::Lost,
            counts: Some(VoteCounts { yes: 3, no: 50, abstain: 1, absent: 6 }),
            votes: vec![
                MemberVote { member_id: Uuid::from_u128(1), option: VoteOption::No },
                MemberVote { member_id: Uuid::from_u128(2), option: VoteOption::Yes },
                MemberVote { member_id: Uuid::from_u128(3), option: VoteOption::Absent },
            ],
        });
        let rebels: Vec<Uuid> = motion.departures_from_whip().iter().map(|d| d.member_id).collect();
        assert_eq!(rebels, vec![Uuid::from_u128(2)]);
        assert_eq!(motion.absentees(), vec![Uuid::from_u128(3)]);
        assert_eq!(motion.status(), "lost");
    }

    #[test]
    fn only_a_whipped_vote_is_labelled_for_the_whip_report() {
        let voted = |whip: Option<WhipPosition>| {
            let mut motion = Motion::default();
            motion.apply(recorded(MotionKind::Motion, theirs()));
            if let Some(position) = whip {
                motion.apply(MotionEvent::WhipSet { position, note: None });
            }
            motion
        };
        let outcome = MotionEvent::OutcomeRecorded {
            outcome: MotionOutcome::Carried,
            counts: Some(VoteCounts { yes: 40, no: 10, abstain: 0, absent: 10 }),
            votes: vec![MemberVote { member_id: Uuid::from_u128(1), option: VoteOption::Yes }],
        };
        let mut whipped = voted(Some(WhipPosition::For));
        assert!(whipped.index().tags.is_empty(), "no votes yet");
        whipped.apply(outcome.clone());
        assert_eq!(whipped.index().tags, [whipped_vote_tag()]);
        let mut unwhipped = voted(None);
        unwhipped.apply(outcome);
        assert!(unwhipped.index().tags.is_empty(), "votes, but no whip to depart from");
    }
}
