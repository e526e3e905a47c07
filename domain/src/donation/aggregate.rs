use chrono::{Datelike, NaiveDate};
use cqrs_es::{Aggregate, DomainEvent, event_sink::EventSink};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::rules::{check_due_on, donor_key, is_relevant};
use crate::{Classification, DomainError, GroupId, Note, Record, RecordIndex, Refusal, Title, tag};

/// Who a donor is, as the Electoral Commission's categories of donor go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum DonorKind {
    /// A person.
    Individual,
    /// A company.
    Company,
    /// A trade union.
    TradeUnion,
    /// An unincorporated association.
    UnincorporatedAssociation,
    /// Anyone else (a friendly society, a limited liability partnership, ...).
    Other,
}

/// Who gave a donation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Donor {
    /// What kind of donor.
    pub kind: DonorKind,
    /// Their name.
    pub name: Title,
    /// Their address, as the register records it.
    pub address: Option<Note>,
    /// The organisation Caucus already knows them as, if any.
    pub organisation_id: Option<Uuid>,
}

impl Donor {
    /// The key their donations are added up under (see [`donor_key`]).
    pub fn key(&self) -> String {
        donor_key(self.name.as_str(), self.organisation_id)
    }
}

/// What was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum DonationKind {
    /// Money.
    Cash,
    /// Goods or services, at their value.
    InKind,
}

/// A donation as recorded, already checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DonationDraft {
    /// The day it was received.
    pub received_on: NaiveDate,
    /// Who gave it.
    pub donor: Donor,
    /// Its amount (in kind: its value), in pence.
    pub amount_pence: u64,
    /// Money or in kind.
    pub kind: DonationKind,
    /// What was given in kind.
    pub description: Option<Note>,
    /// Anything else worth keeping.
    pub notes: Option<Note>,
}

/// How a permissibility check came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum CheckOutcome {
    /// The donor is permissible: the donation is kept.
    Permissible,
    /// The donor is not permissible: the donation was returned.
    ImpermissibleReturned {
        /// The day it was returned.
        returned_on: NaiveDate,
    },
}

/// A permissibility check made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PermissibilityCheck {
    /// How it came out.
    #[serde(flatten)]
    pub outcome: CheckOutcome,
    /// The day it was made.
    pub checked_on: NaiveDate,
    /// Who recorded it (their token's subject).
    pub by: String,
    /// What was checked (the register of companies, the electoral register).
    pub note: Option<Note>,
}

/// A correction of a donation's details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Correction {
    /// The day it was corrected.
    pub on: NaiveDate,
    /// Why.
    pub reason: Note,
}

/// Where a donation stands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum DonationStatus {
    /// Not yet recorded.
    #[default]
    Unrecorded,
    /// Received; needs no check.
    Received,
    /// Over the threshold, its permissibility check still to be made.
    AwaitingCheck,
    /// Checked and kept.
    Permissible,
    /// Found impermissible and returned: it counts in no total.
    Returned,
}

impl DonationStatus {
    /// The stable word for it (its serde name too).
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// What a caller can ask of a donation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DonationCommand {
    /// Record a donation received.
    RecordDonation {
        /// The group.
        group_id: GroupId,
        /// The donation.
        draft: Box<DonationDraft>,
        /// Donations over this many pence need a permissibility check.
        check_threshold_pence: u64,
    },
    /// Correct a donation's details, saying why.
    CorrectDonation {
        /// The donation as it should read.
        draft: Box<DonationDraft>,
        /// Why, and when.
        correction: Correction,
        /// Donations over this many pence need a permissibility check.
        check_threshold_pence: u64,
    },
    /// Record its permissibility check.
    RecordPermissibility {
        /// The check.
        check: PermissibilityCheck,
    },
}

/// Everything that can happen to a donation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum DonationEvent {
    /// A donation was recorded.
    DonationRecorded {
        /// The group.
        group_id: GroupId,
        /// The donation.
        draft: DonationDraft,
        /// The day its permissibility check is due, if it needs one.
        check_due_on: Option<NaiveDate>,
    },
    /// Its details were corrected.
    DonationCorrected {
        /// The donation as it now reads.
        draft: DonationDraft,
        /// Why, and when.
        correction: Correction,
        /// The day its permissibility check is due, if it now needs one.
        check_due_on: Option<NaiveDate>,
    },
    /// Its permissibility check was made.
    PermissibilityChecked {
        /// The check.
        check: PermissibilityCheck,
    },
}

impl DomainEvent for DonationEvent {
    fn event_type(&self) -> String {
        match self {
            Self::DonationRecorded { .. } => "DonationRecorded",
            Self::DonationCorrected { .. } => "DonationCorrected",
            Self::PermissibilityChecked { .. } => "PermissibilityChecked",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        "1.0.0".to_owned()
    }
}

/// A donation, as its events have built it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Donation {
    /// The owning group.
    pub group_id: Option<GroupId>,
    /// Where it stands.
    pub status: DonationStatus,
    /// The donation as it now reads.
    pub draft: Option<DonationDraft>,
    /// The day its permissibility check is due, if it needs one.
    pub check_due_on: Option<NaiveDate>,
    /// Its permissibility check, once made.
    pub check: Option<PermissibilityCheck>,
    /// Every correction, in order.
    pub corrections: Vec<Correction>,
}

/// Why a donation command was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DonationError {
    /// Recorded twice.
    #[error("this donation is already recorded")]
    AlreadyRecorded,
    /// No such donation.
    #[error("no such donation")]
    NotRecorded,
    /// A donation of nothing.
    #[error("a donation is worth at least 1p")]
    NoAmount,
    /// In kind, without saying what.
    #[error("say what was given in kind")]
    InKindUndescribed,
    /// A description of a cash donation.
    #[error("only a donation in kind is described")]
    CashDescribed,
    /// Checked twice.
    #[error("this donation's permissibility check is recorded already: correct the donation instead")]
    AlreadyChecked,
    /// A check before the donation came.
    #[error("a permissibility check cannot be made before the donation was received")]
    CheckedBeforeReceived,
    /// Returned before it came, or before the check found it impermissible.
    #[error("a donation is returned on or after the day it was received and checked")]
    ReturnedTooSoon,
    /// Received after it was checked (a correction moving the day).
    #[error("this donation was checked before that day: it cannot have been received after")]
    ReceivedAfterCheck,
}

impl DomainError for DonationError {
    fn refusal(&self) -> Refusal {
        match self {
            Self::NotRecorded => Refusal::NotFound,
            Self::AlreadyRecorded | Self::AlreadyChecked => Refusal::Conflict,
            Self::NoAmount
            | Self::InKindUndescribed
            | Self::CashDescribed
            | Self::CheckedBeforeReceived
            | Self::ReturnedTooSoon
            | Self::ReceivedAfterCheck => Refusal::Invalid,
        }
    }

    fn fields(&self) -> Vec<(String, String)> {
        let pointer = match self {
            Self::NoAmount => "/amount_pence",
            Self::InKindUndescribed | Self::CashDescribed => "/description",
            Self::CheckedBeforeReceived => "/checked_on",
            Self::ReturnedTooSoon => "/returned_on",
            Self::ReceivedAfterCheck => "/received_on",
            Self::AlreadyRecorded | Self::NotRecorded | Self::AlreadyChecked => return Vec::new(),
        };
        vec![(pointer.to_owned(), self.to_string())]
    }
}

impl DonationDraft {
    /// Checks what a donation must say of itself.
    fn check(&self) -> Result<(), DonationError> {
        if self.amount_pence == 0 {
            return Err(DonationError::NoAmount);
        }
        match (self.kind, &self.description) {
            (DonationKind::InKind, None) => Err(DonationError::InKindUndescribed),
            (DonationKind::Cash, Some(_)) => Err(DonationError::CashDescribed),
            _ => Ok(()),
        }
    }
}

impl Donation {
    /// Whether it counts in its donor's totals: a returned donation does not.
    pub fn counts_in_totals(&self) -> bool {
        self.draft.is_some() && self.status != DonationStatus::Returned
    }

    /// Whether it counts towards its donor's reportable total: kept (see
    /// [`Donation::counts_in_totals`]) and a relevant donation, over
    /// `check_threshold_pence` (see [`is_relevant`]). Judged by the threshold
    /// configured now, as the register is read.
    pub fn counts_towards_reporting(&self, check_threshold_pence: u64) -> bool {
        self.counts_in_totals()
            && self.draft.as_ref().is_some_and(|d| is_relevant(d.amount_pence, check_threshold_pence))
    }

    /// The calendar year it was received in.
    pub fn year(&self) -> Option<i32> {
        self.draft.as_ref().map(|d| d.received_on.year())
    }

    /// The day its check is due while it awaits one.
    pub fn check_awaited_until(&self) -> Option<NaiveDate> {
        self.check_due_on.filter(|_| self.status == DonationStatus::AwaitingCheck)
    }

    fn status_for(check_due_on: Option<NaiveDate>, check: Option<&PermissibilityCheck>) -> DonationStatus {
        match (check.map(|c| c.outcome), check_due_on) {
            (Some(CheckOutcome::Permissible), _) => DonationStatus::Permissible,
            (Some(CheckOutcome::ImpermissibleReturned { .. }), _) => DonationStatus::Returned,
            (None, Some(_)) => DonationStatus::AwaitingCheck,
            (None, None) => DonationStatus::Received,
        }
    }
}

impl Aggregate for Donation {
    const TYPE: &'static str = "Donation";
    type Command = DonationCommand;
    type Event = DonationEvent;
    type Error = DonationError;
    type Services = ();

    async fn handle(
        &mut self,
        command: DonationCommand,
        _: &(),
        sink: &EventSink<Self>,
    ) -> Result<(), DonationError> {
        let event = match command {
            DonationCommand::RecordDonation { group_id, draft, check_threshold_pence } => {
                if self.status != DonationStatus::Unrecorded {
                    return Err(DonationError::AlreadyRecorded);
                }
                draft.check()?;
                let check_due_on = check_due_on(draft.received_on, draft.amount_pence, check_threshold_pence);
                DonationEvent::DonationRecorded { group_id, draft: *draft, check_due_on }
            }
            DonationCommand::CorrectDonation { draft, correction, check_threshold_pence } => {
                if self.status == DonationStatus::Unrecorded {
                    return Err(DonationError::NotRecorded);
                }
                draft.check()?;
                if self.check.as_ref().is_some_and(|c| c.checked_on < draft.received_on) {
                    return Err(DonationError::ReceivedAfterCheck);
                }
                // A correction can bring a donation over the threshold (a check
                // then due) or under it; a check made stands either way.
                let check_due_on = check_due_on(draft.received_on, draft.amount_pence, check_threshold_pence);
                DonationEvent::DonationCorrected { draft: *draft, correction, check_due_on }
            }
            DonationCommand::RecordPermissibility { check } => {
                let draft = self.draft.as_ref().ok_or(DonationError::NotRecorded)?;
                if self.check.is_some() {
                    return Err(DonationError::AlreadyChecked);
                }
                if check.checked_on < draft.received_on {
                    return Err(DonationError::CheckedBeforeReceived);
                }
                if let CheckOutcome::ImpermissibleReturned { returned_on } = check.outcome
                    && returned_on < check.checked_on
                {
                    return Err(DonationError::ReturnedTooSoon);
                }
                DonationEvent::PermissibilityChecked { check }
            }
        };
        sink.write(event, self).await;
        Ok(())
    }

    fn apply(&mut self, event: DonationEvent) {
        match event {
            DonationEvent::DonationRecorded { group_id, draft, check_due_on } => {
                self.group_id = Some(group_id);
                self.draft = Some(draft);
                self.check_due_on = check_due_on;
            }
            DonationEvent::DonationCorrected { draft, correction, check_due_on } => {
                self.draft = Some(draft);
                self.check_due_on = check_due_on;
                self.corrections.push(correction);
            }
            DonationEvent::PermissibilityChecked { check } => self.check = Some(check),
        }
        self.status = Self::status_for(self.check_due_on, self.check.as_ref());
    }
}

impl Record for Donation {
    fn group_id(&self) -> Option<&GroupId> {
        self.group_id.as_ref()
    }

    /// Donors' names and addresses, and what they gave, are for those who
    /// keep the group's funds: Group Officers, the assistant and auditors.
    fn classification(&self) -> Classification {
        Classification::Officers
    }

    fn status(&self) -> &'static str {
        self.status.as_str()
    }

    /// Due on the day its check is due while it awaits one; its donor's
    /// organisation as the subject; tagged with its donor and its year.
    fn index(&self) -> RecordIndex {
        let Some(draft) = &self.draft else { return RecordIndex::default() };
        RecordIndex {
            due_on: self.check_awaited_until(),
            subject_id: draft.donor.organisation_id,
            tags: vec![tag("donor", draft.donor.name.as_str()), tag("year", draft.received_on.year())],
            ..RecordIndex::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().expect("day")
    }

    fn draft(amount_pence: u64, received_on: &str) -> DonationDraft {
        DonationDraft {
            received_on: day(received_on),
            donor: Donor {
                kind: DonorKind::Individual,
                name: Title::parse("Jane Smith").expect("name"),
                address: None,
                organisation_id: None,
            },
            amount_pence,
            kind: DonationKind::Cash,
            description: None,
            notes: None,
        }
    }

    fn run(donation: &mut Donation, command: DonationCommand) -> Result<Vec<DonationEvent>, DonationError> {
        let runtime = tokio::runtime::Builder::new_current_thread().build().expect("runtime");
        runtime.block_on(async {
            let sink = EventSink::default();
            donation.handle(command, &(), &sink).await?;
            Ok(sink.collect().await)
        })
    }

    fn record(amount_pence: u64, received_on: &str) -> DonationCommand {
        DonationCommand::RecordDonation {
            group_id: GroupId::parse("newham-labour").expect("group"),
            draft: Box::new(draft(amount_pence, received_on)),
            check_threshold_pence: 50_000,
        }
    }

    fn check(outcome: CheckOutcome, checked_on: &str) -> DonationCommand {
        DonationCommand::RecordPermissibility {
            check: PermissibilityCheck {
                outcome,
                checked_on: day(checked_on),
                by: "treasurer".into(),
                note: None,
            },
        }
    }

    #[test]
    fn a_donation_over_the_threshold_awaits_its_check_for_thirty_days() {
        let mut donation = Donation::default();
        run(&mut donation, record(75_000, "2026-11-20")).expect("recorded");
        assert_eq!(donation.status, DonationStatus::AwaitingCheck);
        assert_eq!(donation.index().due_on, Some(day("2026-12-20")));
        run(&mut donation, check(CheckOutcome::Permissible, "2026-11-25")).expect("checked");
        assert_eq!(donation.status, DonationStatus::Permissible);
        assert_eq!(donation.index().due_on, None, "no longer awaited");
        assert!(donation.counts_in_totals());
        assert_eq!(
            run(&mut donation, check(CheckOutcome::Permissible, "2026-11-26")),
            Err(DonationError::AlreadyChecked)
        );
    }

    #[test]
    fn a_small_donation_needs_no_check_and_a_returned_one_counts_in_no_total() {
        let mut small = Donation::default();
        run(&mut small, record(50_000, "2026-11-20")).expect("recorded");
        assert_eq!((small.status, small.check_due_on), (DonationStatus::Received, None));
        let mut large = Donation::default();
        run(&mut large, record(90_000, "2026-11-20")).expect("recorded");
        let returned = CheckOutcome::ImpermissibleReturned { returned_on: day("2026-11-30") };
        assert_eq!(
            run(&mut large.clone(), check(returned, "2026-11-19")),
            Err(DonationError::CheckedBeforeReceived)
        );
        let too_soon = CheckOutcome::ImpermissibleReturned { returned_on: day("2026-11-21") };
        assert_eq!(
            run(&mut large.clone(), check(too_soon, "2026-11-22")),
            Err(DonationError::ReturnedTooSoon)
        );
        run(&mut large, check(returned, "2026-11-28")).expect("checked");
        assert_eq!(large.status, DonationStatus::Returned);
        assert!(!large.counts_in_totals());
        assert!(!large.counts_towards_reporting(50_000), "returned: in no total");
    }

    #[test]
    fn a_donation_of_500_pounds_or_less_counts_in_totals_but_not_towards_reporting() {
        let mut at_limit = Donation::default();
        run(&mut at_limit, record(50_000, "2026-11-20")).expect("recorded");
        assert!(at_limit.counts_in_totals(), "kept by the group");
        assert!(!at_limit.counts_towards_reporting(50_000), "not a relevant donation");
        let mut over = Donation::default();
        run(&mut over, record(50_001, "2026-11-20")).expect("recorded");
        assert!(over.counts_towards_reporting(50_000), "awaiting its check, it counts");
        assert!(at_limit.counts_towards_reporting(10_000), "by the threshold configured now");
        assert!(!Donation::default().counts_towards_reporting(0), "nothing recorded");
    }

    #[test]
    fn a_correction_moves_the_check_with_the_amount_and_keeps_a_check_made() {
        let mut donation = Donation::default();
        run(&mut donation, record(40_000, "2026-11-20")).expect("recorded");
        let correct = |amount: u64, on: &str| DonationCommand::CorrectDonation {
            draft: Box::new(draft(amount, on)),
            correction: Correction {
                on: day("2026-11-22"),
                reason: Note::parse("Typed wrong").expect("note"),
            },
            check_threshold_pence: 50_000,
        };
        run(&mut donation, correct(60_000, "2026-11-20")).expect("corrected");
        assert_eq!(
            (donation.status, donation.check_due_on),
            (DonationStatus::AwaitingCheck, Some(day("2026-12-20")))
        );
        run(&mut donation, check(CheckOutcome::Permissible, "2026-11-23")).expect("checked");
        assert_eq!(run(&mut donation, correct(60_000, "2026-11-24")), Err(DonationError::ReceivedAfterCheck));
        run(&mut donation, correct(45_000, "2026-11-20")).expect("corrected");
        assert_eq!(donation.status, DonationStatus::Permissible, "the check made stands");
        assert_eq!(donation.corrections.len(), 2);
    }

    #[test]
    fn a_donation_is_worth_something_and_only_one_in_kind_is_described() {
        let mut donation = Donation::default();
        assert_eq!(run(&mut donation, record(0, "2026-11-20")), Err(DonationError::NoAmount));
        let mut in_kind = draft(20_000, "2026-11-20");
        in_kind.kind = DonationKind::InKind;
        let command = |draft: DonationDraft| DonationCommand::RecordDonation {
            group_id: GroupId::parse("newham-labour").expect("group"),
            draft: Box::new(draft),
            check_threshold_pence: 50_000,
        };
        assert_eq!(run(&mut donation, command(in_kind.clone())), Err(DonationError::InKindUndescribed));
        in_kind.description = Some(Note::parse("Printing of 2,000 leaflets").expect("note"));
        run(&mut donation, command(in_kind)).expect("recorded");
        assert_eq!(donation.index().tags, ["donor:jane-smith", "year:2026"]);
    }
}
