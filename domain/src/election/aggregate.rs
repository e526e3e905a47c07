use chrono::NaiveDate;
use cqrs_es::{Aggregate, event_sink::EventSink};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::commands::ElectionCommand;
use super::events::ElectionEvent;
use crate::{Classification, DomainError, GroupId, Note, Record, RecordIndex, Refusal, Title};

/// Where an election stands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum ElectionStatus {
    /// Not yet called.
    #[default]
    Uncalled,
    /// Taking nominations and votes.
    Open,
    /// The result has been declared.
    Declared,
    /// Called off.
    Cancelled,
}

impl ElectionStatus {
    /// The stable word for it (its serde name too: both are the variant's name
    /// in snake case).
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// The declared result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    /// The winner.
    pub winner: Uuid,
    /// Whether nobody stood against them.
    pub uncontested: bool,
    /// The day it was declared.
    pub on: NaiveDate,
    /// The winner's appointment to the post.
    pub appointment_id: Uuid,
}

/// An election, as its events have built it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Election {
    /// The owning group.
    pub group_id: Option<GroupId>,
    /// Where it stands.
    pub status: ElectionStatus,
    /// The post.
    pub body_id: Option<Uuid>,
    /// The meeting it is held at.
    pub meeting_id: Option<Uuid>,
    /// Its title.
    pub title: Option<Title>,
    /// The first day of the winner's term.
    pub term_starts_on: Option<NaiveDate>,
    /// The last day of the winner's term.
    pub term_ends_on: Option<NaiveDate>,
    /// Who may read it.
    pub classification: Option<Classification>,
    /// Standing candidates, in order of nomination.
    pub candidates: Vec<Uuid>,
    /// Candidates who withdrew.
    pub withdrawn: Vec<Uuid>,
    /// Each round's votes, in order.
    pub rounds: Vec<Vec<(Uuid, u32)>>,
    /// The declared result.
    pub outcome: Option<Outcome>,
    /// Why it was called off.
    pub cancellation_reason: Option<Note>,
}

/// Why an election command was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ElectionError {
    /// Called twice.
    #[error("this election has already been called")]
    AlreadyOpened,
    /// No such election.
    #[error("no such election")]
    NotOpened,
    /// Declared or cancelled.
    #[error("this election is {0}")]
    Closed(&'static str),
    /// A term that ends before it starts.
    #[error("the term must not end before it starts")]
    TermEndsBeforeStart,
    /// Nominated twice.
    #[error("this member is already a candidate")]
    AlreadyNominated,
    /// Not a standing candidate.
    #[error("member {0} is not a standing candidate")]
    NotACandidate(Uuid),
    /// Votes after a round, for a candidate not in it: or an empty round.
    #[error("a round must count votes for every standing candidate, once each")]
    BadRound,
    /// A round with no votes.
    #[error("a round must count at least one vote")]
    EmptyRound,
    /// Nobody stood.
    #[error("nobody is standing")]
    NoCandidates,
    /// A contested election with no round counted yet.
    #[error("the election is contested: count a round of votes first")]
    NoVotes,
    /// Nobody has a majority of the last round.
    #[error("no candidate has a majority of the last round's votes: count another round")]
    NoMajority,
}

impl DomainError for ElectionError {
    fn refusal(&self) -> Refusal {
        match self {
            Self::NotOpened => Refusal::NotFound,
            Self::AlreadyOpened
            | Self::Closed(_)
            | Self::AlreadyNominated
            | Self::NoCandidates
            | Self::NoVotes
            | Self::NoMajority => Refusal::Conflict,
            Self::TermEndsBeforeStart | Self::NotACandidate(_) | Self::BadRound | Self::EmptyRound => {
                Refusal::Invalid
            }
        }
    }
}

impl Election {
    fn require_open(&self) -> Result<(), ElectionError> {
        match self.status {
            ElectionStatus::Uncalled => Err(ElectionError::NotOpened),
            ElectionStatus::Open => Ok(()),
            closed => Err(ElectionError::Closed(closed.as_str())),
        }
    }

    /// Who has won, if the election can be declared now: the sole candidate
    /// when uncontested (with whether it was), or the candidate with more
    /// than half of the last round's votes.
    pub fn winner(&self) -> Result<(Uuid, bool), ElectionError> {
        self.require_open()?;
        match self.candidates.as_slice() {
            [] => Err(ElectionError::NoCandidates),
            [only] if self.rounds.is_empty() => Ok((*only, true)),
            _ => {
                let last = self.rounds.last().ok_or(ElectionError::NoVotes)?;
                let total: u32 = last.iter().map(|(_, n)| n).sum();
                last.iter()
                    .find(|(candidate, n)| self.candidates.contains(candidate) && n * 2 > total)
                    .map(|(candidate, _)| (*candidate, false))
                    .ok_or(ElectionError::NoMajority)
            }
        }
    }
}

impl Aggregate for Election {
    const TYPE: &'static str = "Election";
    type Command = ElectionCommand;
    type Event = ElectionEvent;
    type Error = ElectionError;
    type Services = ();

    async fn handle(
        &mut self,
        command: Self::Command,
        _services: &Self::Services,
        sink: &EventSink<Self>,
    ) -> Result<(), Self::Error> {
        let event = match command {
            ElectionCommand::OpenElection { group_id, draft } => {
                if self.status != ElectionStatus::Uncalled {
                    return Err(ElectionError::AlreadyOpened);
                }
                if draft.term_ends_on.is_some_and(|end| end < draft.term_starts_on) {
                    return Err(ElectionError::TermEndsBeforeStart);
                }
                ElectionEvent::ElectionOpened {
                    group_id,
                    body_id: draft.body_id,
                    meeting_id: draft.meeting_id,
                    title: draft.title,
                    term_starts_on: draft.term_starts_on,
                    term_ends_on: draft.term_ends_on,
                    classification: draft.classification,
                }
            }
            ElectionCommand::NominateCandidate { member_id } => {
                self.require_open()?;
                if self.candidates.contains(&member_id) {
                    return Err(ElectionError::AlreadyNominated);
                }
                ElectionEvent::CandidateNominated { member_id }
            }
            ElectionCommand::WithdrawCandidate { member_id } => {
                self.require_open()?;
                if !self.candidates.contains(&member_id) {
                    return Err(ElectionError::NotACandidate(member_id));
                }
                ElectionEvent::CandidateWithdrew { member_id }
            }
            ElectionCommand::CountRound { votes } => {
                self.require_open()?;
                if self.candidates.is_empty() {
                    return Err(ElectionError::NoCandidates);
                }
                let mut named: Vec<Uuid> = votes.iter().map(|(c, _)| *c).collect();
                named.sort();
                named.dedup();
                if let Some((stranger, _)) = votes.iter().find(|(c, _)| !self.candidates.contains(c)) {
                    return Err(ElectionError::NotACandidate(*stranger));
                }
                if named.len() != votes.len() || named.len() != self.candidates.len() {
                    return Err(ElectionError::BadRound);
                }
                if votes.iter().all(|(_, n)| *n == 0) {
                    return Err(ElectionError::EmptyRound);
                }
                ElectionEvent::RoundCounted { votes }
            }
            ElectionCommand::DeclareResult { on, appointment_id } => {
                let (winner, uncontested) = self.winner()?;
                ElectionEvent::ResultDeclared { winner, uncontested, on, appointment_id }
            }
            ElectionCommand::CancelElection { reason } => {
                self.require_open()?;
                ElectionEvent::ElectionCancelled { reason }
            }
        };
        sink.write(event, self).await;
        Ok(())
    }

    fn apply(&mut self, event: Self::Event) {
        match event {
            ElectionEvent::ElectionOpened {
                group_id,
                body_id,
                meeting_id,
                title,
                term_starts_on,
                term_ends_on,
                classification,
            } => {
                self.group_id = Some(group_id);
                self.status = ElectionStatus::Open;
                self.body_id = Some(body_id);
                self.meeting_id = meeting_id;
                self.title = Some(title);
                self.term_starts_on = Some(term_starts_on);
                self.term_ends_on = term_ends_on;
                self.classification = Some(classification);
            }
            ElectionEvent::CandidateNominated { member_id } => self.candidates.push(member_id),
            ElectionEvent::CandidateWithdrew { member_id } => {
                self.candidates.retain(|c| *c != member_id);
                self.withdrawn.push(member_id);
            }
            ElectionEvent::RoundCounted { votes } => self.rounds.push(votes),
            ElectionEvent::ResultDeclared { winner, uncontested, on, appointment_id } => {
                self.status = ElectionStatus::Declared;
                self.outcome = Some(Outcome { winner, uncontested, on, appointment_id });
            }
            ElectionEvent::ElectionCancelled { reason } => {
                self.status = ElectionStatus::Cancelled;
                self.cancellation_reason = Some(reason);
            }
        }
    }
}

impl Record for Election {
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
            body_id: self.body_id,
            member_id: self.outcome.map(|o| o.winner),
            due_on: self.term_starts_on,
            ..RecordIndex::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use cqrs_es::test::TestFramework;

    use super::*;

    type ElectionTest = TestFramework<Election>;

    fn opened() -> ElectionEvent {
        ElectionEvent::ElectionOpened {
            group_id: GroupId::parse("newham-labour").expect("group"),
            body_id: Uuid::from_u128(100),
            meeting_id: None,
            title: Title::parse("Chief Whip 2026/27").expect("title"),
            term_starts_on: "2026-05-20".parse().expect("date"),
            term_ends_on: None,
            classification: Classification::Group,
        }
    }

    fn on() -> NaiveDate {
        "2026-05-12".parse().expect("date")
    }

    const A: Uuid = Uuid::from_u128(1);
    const B: Uuid = Uuid::from_u128(2);
    const C: Uuid = Uuid::from_u128(3);
    const SEAT: Uuid = Uuid::from_u128(50);

    fn nominated(member_id: Uuid) -> ElectionEvent {
        ElectionEvent::CandidateNominated { member_id }
    }

    #[test]
    fn a_sole_candidate_is_elected_uncontested() {
        ElectionTest::with(())
            .given(vec![opened(), nominated(A)])
            .when(ElectionCommand::DeclareResult { on: on(), appointment_id: SEAT })
            .then_expect_events(vec![ElectionEvent::ResultDeclared {
                winner: A,
                uncontested: true,
                on: on(),
                appointment_id: SEAT,
            }]);
    }

    #[test]
    fn a_contested_election_needs_a_majority_so_may_take_rounds() {
        let first = ElectionEvent::RoundCounted { votes: vec![(A, 20), (B, 18), (C, 7)] };
        ElectionTest::with(())
            .given(vec![opened(), nominated(A), nominated(B), nominated(C), first.clone()])
            .when(ElectionCommand::DeclareResult { on: on(), appointment_id: SEAT })
            .then_expect_error(ElectionError::NoMajority);
        let eliminated = ElectionEvent::CandidateWithdrew { member_id: C };
        let second = ElectionEvent::RoundCounted { votes: vec![(A, 24), (B, 21)] };
        ElectionTest::with(())
            .given(vec![opened(), nominated(A), nominated(B), nominated(C), first, eliminated, second])
            .when(ElectionCommand::DeclareResult { on: on(), appointment_id: SEAT })
            .then_expect_events(vec![ElectionEvent::ResultDeclared {
                winner: A,
                uncontested: false,
                on: on(),
                appointment_id: SEAT,
            }]);
    }

    #[test]
    fn a_round_counts_every_standing_candidate_once() {
        ElectionTest::with(())
            .given(vec![opened(), nominated(A), nominated(B)])
            .when(ElectionCommand::CountRound { votes: vec![(A, 3)] })
            .then_expect_error(ElectionError::BadRound);
        ElectionTest::with(())
            .given(vec![opened(), nominated(A), nominated(B)])
            .when(ElectionCommand::CountRound { votes: vec![(A, 3), (C, 2)] })
            .then_expect_error(ElectionError::NotACandidate(C));
    }

    #[test]
    fn a_declared_election_takes_no_more_nominations() {
        let declared =
            ElectionEvent::ResultDeclared { winner: A, uncontested: true, on: on(), appointment_id: SEAT };
        ElectionTest::with(())
            .given(vec![opened(), nominated(A), declared])
            .when(ElectionCommand::NominateCandidate { member_id: B })
            .then_expect_error(ElectionError::Closed("declared"));
    }
}
