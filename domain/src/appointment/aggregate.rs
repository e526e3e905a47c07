use chrono::NaiveDate;
use cqrs_es::{Aggregate, event_sink::EventSink};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::commands::{AppointmentCommand, Nomination};
use super::events::{AppointmentEvent, EndReason};
use crate::{Classification, DomainError, GroupId, Note, Record, RecordIndex, Refusal, Title};

/// Where an appointment stands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum AppointmentStatus {
    /// No nomination yet.
    #[default]
    Unnominated,
    /// Nominated, awaiting confirmation.
    Nominated,
    /// Confirmed and held.
    Current,
    /// Held, and now ended.
    Ended,
    /// Withdrawn before it was confirmed.
    Withdrawn,
}

impl AppointmentStatus {
    /// The stable word for it (its serde name too: both are the variant's name
    /// in snake case).
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// An appointment of a member to a body, as its events have built it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Appointment {
    /// The owning group; `None` until nominated.
    pub group_id: Option<GroupId>,
    /// Where it stands.
    pub status: AppointmentStatus,
    /// The body.
    pub body_id: Option<Uuid>,
    /// The member.
    pub member_id: Option<Uuid>,
    /// The post held on the body, e.g. `Chair`.
    pub role_title: Option<Title>,
    /// The first day of the term.
    pub term_starts_on: Option<NaiveDate>,
    /// The last day of the term, if it has one.
    pub term_ends_on: Option<NaiveDate>,
    /// Who may read it.
    pub classification: Option<Classification>,
    /// The day it was confirmed.
    pub confirmed_on: Option<NaiveDate>,
    /// The last day it was held.
    pub ended_on: Option<NaiveDate>,
    /// Why it ended.
    pub end_reason: Option<EndReason>,
    /// Anything more said when it ended.
    pub end_note: Option<Note>,
    /// Why the nomination was withdrawn.
    pub withdrawal_reason: Option<Note>,
}

/// Why an appointment command was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AppointmentError {
    /// The appointment exists already.
    #[error("this appointment has already been nominated")]
    AlreadyNominated,
    /// The appointment does not exist.
    #[error("no such appointment")]
    NotNominated,
    /// A term that ends before it starts.
    #[error("the term must not end before it starts")]
    TermEndsBeforeStart,
    /// Confirming or withdrawing something that is not a nomination.
    #[error("this appointment is {0}, not a pending nomination")]
    NotPending(&'static str),
    /// Ending something that is not current.
    #[error("this appointment is {0}, not current")]
    NotCurrent(&'static str),
    /// Ending an appointment that has ended.
    #[error("this appointment has already ended")]
    AlreadyEnded,
    /// An end before the term starts.
    #[error("an appointment cannot end before its term starts")]
    EndsBeforeStart,
}

impl DomainError for AppointmentError {
    fn refusal(&self) -> Refusal {
        match self {
            Self::NotNominated => Refusal::NotFound,
            Self::AlreadyNominated | Self::NotPending(_) | Self::NotCurrent(_) | Self::AlreadyEnded => {
                Refusal::Conflict
            }
            Self::TermEndsBeforeStart | Self::EndsBeforeStart => Refusal::Invalid,
        }
    }
}

impl Appointment {
    fn require_pending(&self) -> Result<(), AppointmentError> {
        match self.status {
            AppointmentStatus::Unnominated => Err(AppointmentError::NotNominated),
            AppointmentStatus::Nominated => Ok(()),
            other => Err(AppointmentError::NotPending(other.as_str())),
        }
    }

    fn require_current(&self) -> Result<(), AppointmentError> {
        match self.status {
            AppointmentStatus::Unnominated => Err(AppointmentError::NotNominated),
            AppointmentStatus::Current => Ok(()),
            AppointmentStatus::Ended => Err(AppointmentError::AlreadyEnded),
            other => Err(AppointmentError::NotCurrent(other.as_str())),
        }
    }
}

impl Aggregate for Appointment {
    const TYPE: &'static str = "Appointment";
    type Command = AppointmentCommand;
    type Event = AppointmentEvent;
    type Error = AppointmentError;
    type Services = ();

    async fn handle(
        &mut self,
        command: Self::Command,
        _services: &Self::Services,
        sink: &EventSink<Self>,
    ) -> Result<(), Self::Error> {
        let event = match command {
            AppointmentCommand::NominateMember { group_id, nomination } => {
                if self.status != AppointmentStatus::Unnominated {
                    return Err(AppointmentError::AlreadyNominated);
                }
                let Nomination {
                    body_id,
                    member_id,
                    role_title,
                    term_starts_on,
                    term_ends_on,
                    classification,
                } = *nomination;
                if term_ends_on.is_some_and(|end| end < term_starts_on) {
                    return Err(AppointmentError::TermEndsBeforeStart);
                }
                AppointmentEvent::MemberNominated {
                    group_id,
                    body_id,
                    member_id,
                    role_title,
                    term_starts_on,
                    term_ends_on,
                    classification,
                }
            }
            AppointmentCommand::ConfirmAppointment { on } => {
                self.require_pending()?;
                AppointmentEvent::AppointmentConfirmed { on }
            }
            AppointmentCommand::EndAppointment { on, reason, note } => {
                self.require_current()?;
                if self.term_starts_on.is_some_and(|start| on < start) {
                    return Err(AppointmentError::EndsBeforeStart);
                }
                AppointmentEvent::AppointmentEnded { on, reason, note }
            }
            AppointmentCommand::WithdrawNomination { reason } => {
                self.require_pending()?;
                AppointmentEvent::NominationWithdrawn { reason }
            }
        };
        sink.write(event, self).await;
        Ok(())
    }

    fn apply(&mut self, event: Self::Event) {
        match event {
            AppointmentEvent::MemberNominated {
                group_id,
                body_id,
                member_id,
                role_title,
                term_starts_on,
                term_ends_on,
                classification,
            } => {
                self.group_id = Some(group_id);
                self.status = AppointmentStatus::Nominated;
                self.body_id = Some(body_id);
                self.member_id = Some(member_id);
                self.role_title = role_title;
                self.term_starts_on = Some(term_starts_on);
                self.term_ends_on = term_ends_on;
                self.classification = Some(classification);
            }
            AppointmentEvent::AppointmentConfirmed { on } => {
                self.status = AppointmentStatus::Current;
                self.confirmed_on = Some(on);
            }
            AppointmentEvent::AppointmentEnded { on, reason, note } => {
                self.status = AppointmentStatus::Ended;
                self.ended_on = Some(on);
                self.end_reason = Some(reason);
                self.end_note = note;
            }
            AppointmentEvent::NominationWithdrawn { reason } => {
                self.status = AppointmentStatus::Withdrawn;
                self.withdrawal_reason = Some(reason);
            }
        }
    }
}

impl Record for Appointment {
    fn group_id(&self) -> Option<&GroupId> {
        self.group_id.as_ref()
    }

    fn classification(&self) -> Classification {
        // An unnominated appointment has no readers to protect; the strictest
        // class is the safe answer if one is ever asked.
        self.classification.unwrap_or(Classification::Confidential)
    }

    fn status(&self) -> &'static str {
        self.status.as_str()
    }

    fn index(&self) -> RecordIndex {
        RecordIndex {
            member_id: self.member_id,
            body_id: self.body_id,
            due_on: self.term_ends_on,
            ..RecordIndex::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use cqrs_es::test::TestFramework;

    use super::*;

    type AppointmentTest = TestFramework<Appointment>;

    fn date(s: &str) -> NaiveDate {
        s.parse().expect("test date")
    }

    fn note(s: &str) -> Note {
        Note::parse(s).expect("note")
    }

    fn group() -> GroupId {
        GroupId::parse("newham-labour").expect("group")
    }

    fn body_id() -> Uuid {
        Uuid::from_u128(1)
    }

    fn member_id() -> Uuid {
        Uuid::from_u128(2)
    }

    fn nomination() -> Nomination {
        Nomination {
            body_id: body_id(),
            member_id: member_id(),
            role_title: Some(Title::parse("Chair").expect("title")),
            term_starts_on: date("2026-05-20"),
            term_ends_on: Some(date("2027-05-19")),
            classification: Classification::Public,
        }
    }

    fn nominate(nomination: Nomination) -> AppointmentCommand {
        AppointmentCommand::NominateMember { group_id: group(), nomination: Box::new(nomination) }
    }

    fn nominated() -> AppointmentEvent {
        let n = nomination();
        AppointmentEvent::MemberNominated {
            group_id: group(),
            body_id: n.body_id,
            member_id: n.member_id,
            role_title: n.role_title,
            term_starts_on: n.term_starts_on,
            term_ends_on: n.term_ends_on,
            classification: n.classification,
        }
    }

    fn confirmed() -> AppointmentEvent {
        AppointmentEvent::AppointmentConfirmed { on: date("2026-05-20") }
    }

    fn ended() -> AppointmentEvent {
        AppointmentEvent::AppointmentEnded { on: date("2026-09-01"), reason: EndReason::Resigned, note: None }
    }

    fn end_on(on: &str) -> AppointmentCommand {
        AppointmentCommand::EndAppointment { on: date(on), reason: EndReason::Resigned, note: None }
    }

    #[test]
    fn nominating_a_member_emits_member_nominated() {
        AppointmentTest::with(())
            .given_no_previous_events()
            .when(nominate(nomination()))
            .then_expect_events(vec![nominated()]);
    }

    #[test]
    fn an_appointment_cannot_be_nominated_twice() {
        AppointmentTest::with(())
            .given(vec![nominated()])
            .when(nominate(nomination()))
            .then_expect_error(AppointmentError::AlreadyNominated);
    }

    #[test]
    fn a_term_ending_before_it_starts_is_refused() {
        let mut n = nomination();
        n.term_ends_on = Some(date("2026-05-19"));
        AppointmentTest::with(())
            .given_no_previous_events()
            .when(nominate(n))
            .then_expect_error(AppointmentError::TermEndsBeforeStart);
    }

    #[test]
    fn a_nomination_is_confirmed_then_ended() {
        AppointmentTest::with(())
            .given(vec![nominated()])
            .when(AppointmentCommand::ConfirmAppointment { on: date("2026-05-20") })
            .then_expect_events(vec![confirmed()]);
        AppointmentTest::with(())
            .given(vec![nominated(), confirmed()])
            .when(end_on("2026-09-01"))
            .then_expect_events(vec![AppointmentEvent::AppointmentEnded {
                on: date("2026-09-01"),
                reason: EndReason::Resigned,
                note: None,
            }]);
    }

    #[test]
    fn an_appointment_cannot_end_before_its_term_starts() {
        AppointmentTest::with(())
            .given(vec![nominated(), confirmed()])
            .when(end_on("2026-05-19"))
            .then_expect_error(AppointmentError::EndsBeforeStart);
    }

    #[test]
    fn an_appointment_cannot_end_twice() {
        AppointmentTest::with(())
            .given(vec![nominated(), confirmed(), ended()])
            .when(end_on("2026-10-01"))
            .then_expect_error(AppointmentError::AlreadyEnded);
    }

    #[test]
    fn a_nomination_that_was_not_confirmed_cannot_be_ended() {
        AppointmentTest::with(())
            .given(vec![nominated()])
            .when(end_on("2026-09-01"))
            .then_expect_error(AppointmentError::NotCurrent("nominated"));
    }

    #[test]
    fn only_a_pending_nomination_can_be_confirmed_or_withdrawn() {
        AppointmentTest::with(())
            .given(vec![nominated(), confirmed()])
            .when(AppointmentCommand::ConfirmAppointment { on: date("2026-05-21") })
            .then_expect_error(AppointmentError::NotPending("current"));
        AppointmentTest::with(())
            .given(vec![nominated(), confirmed()])
            .when(AppointmentCommand::WithdrawNomination { reason: note("too late") })
            .then_expect_error(AppointmentError::NotPending("current"));
        let withdrawn = AppointmentEvent::NominationWithdrawn { reason: note("Member stood down") };
        AppointmentTest::with(())
            .given(vec![nominated()])
            .when(AppointmentCommand::WithdrawNomination { reason: note("Member stood down") })
            .then_expect_events(vec![withdrawn.clone()]);
        AppointmentTest::with(())
            .given(vec![nominated(), withdrawn])
            .when(AppointmentCommand::ConfirmAppointment { on: date("2026-05-21") })
            .then_expect_error(AppointmentError::NotPending("withdrawn"));
    }

    #[test]
    fn commands_on_an_unnominated_appointment_are_not_found() {
        AppointmentTest::with(())
            .given_no_previous_events()
            .when(AppointmentCommand::ConfirmAppointment { on: date("2026-05-20") })
            .then_expect_error(AppointmentError::NotNominated);
    }

    #[test]
    fn the_index_names_the_member_the_body_and_the_end_of_the_term() {
        let mut appointment = Appointment::default();
        appointment.apply(nominated());
        assert_eq!(
            appointment.index(),
            RecordIndex {
                member_id: Some(member_id()),
                body_id: Some(body_id()),
                due_on: Some(date("2027-05-19")),
                subject_id: None,
                tags: Vec::new(),
            }
        );
        appointment.apply(confirmed());
        appointment.apply(ended());
        assert_eq!(appointment.status(), "ended");
        assert_eq!(appointment.end_reason, Some(EndReason::Resigned));
    }
}
