use chrono::{Months, NaiveDate};
use cqrs_es::{Aggregate, event_sink::EventSink};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::commands::{CaseCommand, CaseDraft, NewReferral};
use super::events::CaseEvent;
use crate::{
    Classification, DomainError, DueDate, Fact, GroupId, Note, Record, RecordIndex, Refusal, Role, Sealed,
    Title,
    organisation::ResponseTargets,
    publication::Slug,
    record::tag,
    resident::{ContactMethod, Erasure},
};

/// Where a case stands. Every state but `closed` follows from what has
/// happened (acknowledged, referred, answered), so reopening a case puts it
/// back where its facts say it is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum CaseStatus {
    /// Not yet opened.
    #[default]
    Unopened,
    /// In, not yet acknowledged to the resident.
    Received,
    /// The resident has been told it is being dealt with.
    Acknowledged,
    /// Referred; the organisation has not acknowledged it yet.
    Referred,
    /// The organisation acknowledged it; its reply is awaited.
    AwaitingResponse,
    /// The organisation answered.
    Responded,
    /// Closed, with an outcome.
    Closed,
}

impl CaseStatus {
    /// The states of a case still being worked (every one but closed).
    pub const OPEN: [Self; 5] =
        [Self::Received, Self::Acknowledged, Self::Referred, Self::AwaitingResponse, Self::Responded];

    /// The stable word for it (its serde name too).
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// How a case came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Channel {
    /// By email.
    Email,
    /// By telephone.
    Phone,
    /// By letter.
    Letter,
    /// At a councillor's surgery.
    Surgery,
    /// Through the website's form.
    WebForm,
    /// In person, elsewhere.
    InPerson,
}

/// How a case ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Outcome {
    /// What the resident asked for was done.
    Resolved,
    /// It was answered, but not as the resident hoped.
    NotResolved,
    /// The resident withdrew it.
    Withdrawn,
    /// The resident stopped responding.
    NoResponse,
}

/// Kinds of special category data (UK GDPR Article 9(1)).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, strum::IntoStaticStr,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum SpecialCategoryKind {
    /// Physical or mental health.
    Health,
    /// Racial or ethnic origin.
    RacialOrEthnicOrigin,
    /// Political opinions.
    PoliticalOpinions,
    /// Religious or philosophical beliefs.
    ReligiousOrPhilosophicalBeliefs,
    /// Trade union membership.
    TradeUnionMembership,
    /// Genetic data.
    Genetic,
    /// Biometric data identifying a person.
    Biometric,
    /// Sex life or sexual orientation.
    SexLifeOrSexualOrientation,
}

/// The condition relied on to process special category data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum LawfulCondition {
    /// Data Protection Act 2018, Schedule 1, paragraph 23: an elected
    /// representative responding to a request from the person.
    ElectedRepresentativeResponding,
    /// Data Protection Act 2018, Schedule 1, paragraph 24: disclosure to an
    /// elected representative by an organisation answering them.
    DisclosureToElectedRepresentative,
    /// UK GDPR Article 9(2)(a): the person's explicit consent.
    ExplicitConsent,
}

/// The special category data a case holds and the condition relied on: both
/// are required whenever a case is flagged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpecialCategory {
    /// What kinds it holds (at least one, each once, in order).
    pub kinds: Vec<SpecialCategoryKind>,
    /// The condition relied on.
    pub condition: LawfulCondition,
}

impl SpecialCategory {
    /// Checks at least one kind is named; sorts them and drops repeats.
    pub fn new(mut kinds: Vec<SpecialCategoryKind>, condition: LawfulCondition) -> Result<Self, CaseError> {
        kinds.sort_unstable();
        kinds.dedup();
        if kinds.is_empty() {
            return Err(CaseError::NoSpecialCategoryKind);
        }
        Ok(Self { kinds, condition })
    }
}

/// One chase of a referral.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Chase {
    /// The day.
    pub on: NaiveDate,
    /// What was said, sealed.
    pub note: Option<Sealed>,
    /// When the next chase is due.
    pub next_by: DueDate,
}

/// An organisation's answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Response {
    /// The day it came.
    pub on: NaiveDate,
    /// What it said, sealed.
    pub summary: Sealed,
}

/// A case referred to an organisation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Referral {
    /// The organisation.
    pub organisation_id: Uuid,
    /// Its name when referred.
    pub organisation: Title,
    /// The targets it was referred under.
    pub targets: ResponseTargets,
    /// The day.
    pub referred_on: NaiveDate,
    /// When the acknowledgement is due.
    pub acknowledge_by: DueDate,
    /// When the reply is due.
    pub reply_by: DueDate,
    /// Whether the resident's details went with it.
    pub details_shared: bool,
    /// The organisation's reference.
    pub their_reference: Option<Title>,
    /// The day the organisation acknowledged it.
    pub acknowledged_on: Option<NaiveDate>,
    /// Chases, oldest first.
    pub chases: Vec<Chase>,
    /// The organisation's answer.
    pub response: Option<Response>,
}

impl Referral {
    /// Whether it still waits for the organisation's answer.
    pub fn is_open(&self) -> bool {
        self.response.is_none()
    }

    /// When the next chase is due: the reply's due day until it is first
    /// chased, then the day each chase set.
    pub fn next_chase_on(&self) -> NaiveDate {
        self.chases.last().map_or(self.reply_by.on, |chase| chase.next_by.on)
    }

    /// The next day something is owed on it: its acknowledgement, then its
    /// next chase; none once answered.
    pub fn next_due_on(&self) -> Option<NaiveDate> {
        if !self.is_open() {
            None
        } else if self.acknowledged_on.is_none() {
            Some(self.acknowledge_by.on.min(self.next_chase_on()))
        } else {
            Some(self.next_chase_on())
        }
    }
}

/// What the resident was told of their case, and how.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResidentUpdate {
    /// The day.
    pub on: NaiveDate,
    /// How they were told.
    pub how: ContactMethod,
    /// What they were told, sealed.
    pub note: Sealed,
}

/// A note on a case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseNote {
    /// The day it refers to.
    pub on: NaiveDate,
    /// The note, sealed.
    pub text: Sealed,
}

/// A file attached to a case (a resident's letter, a photograph of the
/// damp): its bytes are stored sealed under the case's key, so they go when
/// its personal data does; its name is sealed too, as it may name the resident.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseFile {
    /// The SHA-256 of its content: its id within the case.
    pub sha256: String,
    /// Its file name, sealed.
    pub name: Sealed,
    /// Its media type.
    pub media_type: Title,
    /// Its size in bytes.
    pub size: u64,
    /// The day it was attached.
    pub on: NaiveDate,
}

/// How and when a case was closed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Closure {
    /// The day.
    pub on: NaiveDate,
    /// How it ended.
    pub outcome: Outcome,
    /// A closing note, sealed.
    pub note: Option<Sealed>,
}

/// A reopening, with the closure it undid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reopening {
    /// The day.
    pub on: NaiveDate,
    /// Why, sealed.
    pub reason: Sealed,
    /// The closure it undid.
    pub closed: Closure,
}

/// A handover from one owner to another.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Handover {
    /// The owner before.
    pub from: Uuid,
    /// The owner after.
    pub to: Uuid,
    /// Why, sealed.
    pub note: Option<Sealed>,
}

/// The longest a closed case's personal data may be kept: twenty years.
pub const MAX_RETENTION_MONTHS: u16 = 240;

/// How long a case's personal data is kept after it closes, when longer than
/// the deployment's period, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Retention {
    /// Months after closing.
    pub months: u16,
    /// Why it is kept longer (a complaint to the Ombudsman, legal proceedings).
    pub reason: Note,
}

/// A case, as its events have built it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Case {
    /// The group holding it.
    pub group_id: Option<GroupId>,
    /// Where it stands.
    pub status: CaseStatus,
    /// The resident who brought it.
    pub resident_id: Option<Uuid>,
    /// The ward it concerns.
    pub ward: Option<Title>,
    /// What it is about.
    pub category: Option<Slug>,
    /// How it came in.
    pub channel: Option<Channel>,
    /// What the resident asks, sealed.
    pub summary: Option<Sealed>,
    /// Special category data it holds.
    pub special_category: Option<SpecialCategory>,
    /// The owning councillor.
    pub owner_id: Option<Uuid>,
    /// Earlier owners and why it passed on, oldest first.
    pub handovers: Vec<Handover>,
    /// Councillors it is shared with, in the order shared.
    pub shared_with: Vec<Uuid>,
    /// The day it came in.
    pub received_on: Option<NaiveDate>,
    /// The day the resident was told it is being dealt with.
    pub acknowledged_on: Option<NaiveDate>,
    /// Referrals, oldest first; only the last may be open.
    pub referrals: Vec<Referral>,
    /// Notes, oldest first.
    pub notes: Vec<CaseNote>,
    /// Attached files, oldest first.
    #[serde(default)]
    pub files: Vec<CaseFile>,
    /// What the resident was told along the way, oldest first.
    #[serde(default)]
    pub resident_updates: Vec<ResidentUpdate>,
    /// How it was closed, while it is.
    pub closure: Option<Closure>,
    /// Reopenings, oldest first.
    pub reopenings: Vec<Reopening>,
    /// How long its personal data is kept after closing, if longer than the
    /// deployment's period.
    #[serde(default)]
    pub retention: Option<Retention>,
    /// Why its personal data was erased.
    pub erased_because: Option<Erasure>,
}

/// Why a case command was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CaseError {
    /// Opened already.
    #[error("this case has already been opened")]
    AlreadyOpened,
    /// Not opened.
    #[error("no such case")]
    NotOpened,
    /// Closed: reopen it first.
    #[error("this case is closed: reopen it first")]
    Closed,
    /// Not closed, so it cannot be reopened.
    #[error("this case is not closed")]
    NotClosed,
    /// Its personal data was erased.
    #[error("this case's personal data was erased: it cannot be changed or reopened")]
    Erased,
    /// Acknowledged already.
    #[error("the resident has already been told this case is being dealt with")]
    AlreadyAcknowledged,
    /// A referral is open.
    #[error("the case is already referred to {0}, awaiting its answer: record that answer first")]
    ReferralOpen(String),
    /// No referral is open.
    #[error("the case has no referral awaiting an answer")]
    NoOpenReferral,
    /// The open referral was acknowledged already.
    #[error("the organisation has already acknowledged this referral")]
    ReferralAlreadyAcknowledged,
    /// Sharing the resident's details without their consent.
    #[error("the resident has not consented to their details being shared with another organisation")]
    NoConsentToShare,
    /// A special category flag without a kind.
    #[error("name at least one kind of special category data")]
    NoSpecialCategoryKind,
    /// Shared with the owner, or with someone it is already shared with.
    #[error("the case is already readable by that councillor")]
    AlreadyShared,
    /// Unsharing from someone it is not shared with.
    #[error("the case is not shared with that councillor")]
    NotShared,
    /// Handing over to the current owner.
    #[error("that councillor already owns the case")]
    SameOwner,
    /// The special category is already as asked.
    #[error("the case's special category data is already recorded as that")]
    SameSpecialCategory,
    /// A retention period outside 1 to 240 months.
    #[error("a retention period is 1 to {MAX_RETENTION_MONTHS} months")]
    RetentionOutOfRange,
    /// A day before the case came in.
    #[error("the day must not be before the case came in ({0})")]
    BeforeReceived(NaiveDate),
    /// The same file is attached already.
    #[error("this file is already attached to the case")]
    FileAlreadyAttached,
}

impl DomainError for CaseError {
    fn refusal(&self) -> Refusal {
        match self {
            Self::NotOpened => Refusal::NotFound,
            Self::AlreadyOpened
            | Self::Closed
            | Self::NotClosed
            | Self::Erased
            | Self::AlreadyAcknowledged
            | Self::ReferralOpen(_)
            | Self::NoOpenReferral
            | Self::ReferralAlreadyAcknowledged
            | Self::NoConsentToShare
            | Self::FileAlreadyAttached => Refusal::Conflict,
            Self::NoSpecialCategoryKind
            | Self::AlreadyShared
            | Self::NotShared
            | Self::SameOwner
            | Self::SameSpecialCategory
            | Self::RetentionOutOfRange
            | Self::BeforeReceived(_) => Refusal::Invalid,
        }
    }

    fn fields(&self) -> Vec<(String, String)> {
        let pointer = match self {
            Self::NoSpecialCategoryKind => "/special_category/kinds",
            Self::AlreadyShared | Self::NotShared => "/member_id",
            Self::SameOwner => "/to",
            Self::BeforeReceived(_) => "/on",
            Self::RetentionOutOfRange => "/months",
            _ => return Vec::new(),
        };
        vec![(pointer.to_owned(), self.to_string())]
    }
}

/// Whether a caller holding `roles`, whose token's subject is `subject`, is
/// one of a case's own readers: a member of the group (a councillor, the
/// Leader, an officer) who owns it or with whom it is shared.
pub fn is_own_reader(subject: &str, roles: &[Role], owner: Uuid, shared_with: &[Uuid]) -> bool {
    let member = roles.iter().any(|r| matches!(r, Role::Councillor | Role::Leader | Role::Officer));
    member && Uuid::parse_str(subject).is_ok_and(|id| id == owner || shared_with.contains(&id))
}

/// Whether a caller who may read a case sees its personal data (the
/// resident, the summary, the notes, the answers): the assistant and its own
/// readers do; auditors, who read every case, see its metadata only.
pub fn shows_personal_data(subject: &str, roles: &[Role], owner: Uuid, shared_with: &[Uuid]) -> bool {
    roles.contains(&Role::Assistant) || is_own_reader(subject, roles, owner, shared_with)
}

impl Case {
    /// The referral awaiting an answer, if any.
    pub fn open_referral(&self) -> Option<&Referral> {
        self.referrals.last().filter(|r| r.is_open())
    }

    /// Whether `member` may read the case: its owner or a councillor it is
    /// shared with (the office reads every case by its role).
    pub fn is_readable_by(&self, member: Uuid) -> bool {
        self.owner_id == Some(member) || self.shared_with.contains(&member)
    }

    /// The day its personal data falls due for erasure: `default_months`
    /// (or its own longer period) after it closed; none while open or once
    /// erased.
    pub fn erase_on(&self, default_months: u16) -> Option<NaiveDate> {
        if self.erased_because.is_some() {
            return None;
        }
        let months = self.retention.as_ref().map_or(default_months, |r| r.months);
        let closed = self.closure.as_ref()?.on;
        Some(closed.checked_add_months(Months::new(u32::from(months))).unwrap_or(NaiveDate::MAX))
    }

    /// Whether it is open and something is owed on it before `today`.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.next_due_on().is_some_and(|due| due < today)
    }

    /// The next day something is owed on it (the open referral's
    /// acknowledgement or chase); none once closed.
    pub fn next_due_on(&self) -> Option<NaiveDate> {
        if self.closure.is_some() { None } else { self.open_referral().and_then(Referral::next_due_on) }
    }

    /// The state its facts put it in.
    fn derived_status(&self) -> CaseStatus {
        if self.closure.is_some() {
            CaseStatus::Closed
        } else if let Some(referral) = self.open_referral() {
            if referral.acknowledged_on.is_some() {
                CaseStatus::AwaitingResponse
            } else {
                CaseStatus::Referred
            }
        } else if !self.referrals.is_empty() {
            CaseStatus::Responded
        } else if self.acknowledged_on.is_some() {
            CaseStatus::Acknowledged
        } else {
            CaseStatus::Received
        }
    }

    fn require_opened(&self) -> Result<(), CaseError> {
        if self.status == CaseStatus::Unopened {
            return Err(CaseError::NotOpened);
        }
        if self.erased_because.is_some() {
            return Err(CaseError::Erased);
        }
        Ok(())
    }

    fn require_open(&self) -> Result<(), CaseError> {
        self.require_opened()?;
        if self.closure.is_some() {
            return Err(CaseError::Closed);
        }
        Ok(())
    }

    fn require_on_or_after_received(&self, on: NaiveDate) -> Result<(), CaseError> {
        match self.received_on {
            Some(received) if on < received => Err(CaseError::BeforeReceived(received)),
            _ => Ok(()),
        }
    }

    fn open_referral_mut(&mut self) -> Option<&mut Referral> {
        self.referrals.last_mut().filter(|r| r.is_open())
    }

    fn refer(&self, referral: NewReferral) -> Result<CaseEvent, CaseError> {
        self.require_open()?;
        self.require_on_or_after_received(referral.referred_on)?;
        if let Some(open) = self.open_referral() {
            return Err(CaseError::ReferralOpen(open.organisation.to_string()));
        }
        let NewReferral {
            organisation_id,
            organisation,
            targets,
            referred_on,
            acknowledge_by,
            reply_by,
            details_shared,
            their_reference,
        } = referral;
        Ok(CaseEvent::CaseReferred {
            organisation_id,
            organisation,
            targets,
            referred_on,
            acknowledge_by,
            reply_by,
            details_shared,
            their_reference,
        })
    }

    fn open(&self, group_id: GroupId, draft: CaseDraft) -> Result<CaseEvent, CaseError> {
        if self.status != CaseStatus::Unopened {
            return Err(CaseError::AlreadyOpened);
        }
        let CaseDraft {
            resident_id,
            ward,
            category,
            channel,
            summary,
            special_category,
            owner_id,
            mut shared_with,
            received_on,
        } = draft;
        let mut seen = vec![owner_id];
        shared_with.retain(|member| {
            let first = !seen.contains(member);
            seen.push(*member);
            first
        });
        Ok(CaseEvent::CaseOpened {
            group_id,
            resident_id,
            ward,
            category,
            channel,
            summary,
            special_category,
            owner_id,
            shared_with,
            received_on,
        })
    }
}

impl Aggregate for Case {
    const TYPE: &'static str = "Case";
    type Command = CaseCommand;
    type Event = CaseEvent;
    type Error = CaseError;
    type Services = ();

    async fn handle(
        &mut self,
        command: Self::Command,
        _services: &Self::Services,
        sink: &EventSink<Self>,
    ) -> Result<(), Self::Error> {
        let event = match command {
            CaseCommand::OpenCase { group_id, draft } => self.open(group_id, *draft)?,
            CaseCommand::AcknowledgeCase { on } => {
                self.require_open()?;
                self.require_on_or_after_received(on)?;
                if self.acknowledged_on.is_some() {
                    return Err(CaseError::AlreadyAcknowledged);
                }
                CaseEvent::CaseAcknowledged { on }
            }
            CaseCommand::ReferCase { referral } => self.refer(*referral)?,
            CaseCommand::RecordReferralAcknowledged { on, their_reference } => {
                self.require_open()?;
                let referral = self.open_referral().ok_or(CaseError::NoOpenReferral)?;
                if referral.acknowledged_on.is_some() {
                    return Err(CaseError::ReferralAlreadyAcknowledged);
                }
                self.require_on_or_after_received(on)?;
                CaseEvent::ReferralAcknowledged { on, their_reference }
            }
            CaseCommand::ChaseReferral { on, note, next_by } => {
                self.require_open()?;
                self.open_referral().ok_or(CaseError::NoOpenReferral)?;
                self.require_on_or_after_received(on)?;
                CaseEvent::ReferralChased { on, note, next_by }
            }
            CaseCommand::RecordResponse { on, summary } => {
                self.require_open()?;
                self.open_referral().ok_or(CaseError::NoOpenReferral)?;
                self.require_on_or_after_received(on)?;
                CaseEvent::ReferralAnswered { on, summary }
            }
            CaseCommand::AddCaseNote { on, text } => {
                self.require_opened()?;
                CaseEvent::CaseNoteAdded { on, text }
            }
            CaseCommand::TellResident { update } => {
                self.require_opened()?;
                self.require_on_or_after_received(update.on)?;
                CaseEvent::ResidentTold { update }
            }
            CaseCommand::AttachCaseFile { file } => {
                self.require_opened()?;
                if self.files.iter().any(|f| f.sha256 == file.sha256) {
                    return Err(CaseError::FileAlreadyAttached);
                }
                CaseEvent::CaseFileAttached { file }
            }
            CaseCommand::ShareCase { member_id } => {
                self.require_opened()?;
                if self.is_readable_by(member_id) {
                    return Err(CaseError::AlreadyShared);
                }
                CaseEvent::CaseShared { member_id }
            }
            CaseCommand::UnshareCase { member_id } => {
                self.require_opened()?;
                if !self.shared_with.contains(&member_id) {
                    return Err(CaseError::NotShared);
                }
                CaseEvent::CaseUnshared { member_id }
            }
            CaseCommand::HandOverCase { to, note } => {
                self.require_opened()?;
                if self.owner_id == Some(to) {
                    return Err(CaseError::SameOwner);
                }
                CaseEvent::CaseHandedOver { to, note }
            }
            CaseCommand::ClassifySpecialCategory { special_category } => {
                self.require_opened()?;
                if self.special_category == special_category {
                    return Err(CaseError::SameSpecialCategory);
                }
                CaseEvent::SpecialCategoryClassified { special_category }
            }
            CaseCommand::CloseCase { on, outcome, note } => {
                self.require_open()?;
                self.require_on_or_after_received(on)?;
                CaseEvent::CaseClosed { on, outcome, note }
            }
            CaseCommand::ReopenCase { on, reason } => {
                self.require_opened()?;
                if self.closure.is_none() {
                    return Err(CaseError::NotClosed);
                }
                CaseEvent::CaseReopened { on, reason }
            }
            CaseCommand::KeepLonger { retention } => {
                self.require_opened()?;
                if !(1..=MAX_RETENTION_MONTHS).contains(&retention.months) {
                    return Err(CaseError::RetentionOutOfRange);
                }
                CaseEvent::CaseRetentionSet { months: retention.months, reason: retention.reason }
            }
            CaseCommand::EraseCasePersonalData { because } => {
                self.require_opened()?;
                CaseEvent::CasePersonalDataErased { because }
            }
        };
        sink.write(event, self).await;
        Ok(())
    }

    fn apply(&mut self, event: Self::Event) {
        match event {
            CaseEvent::CaseOpened {
                group_id,
                resident_id,
                ward,
                category,
                channel,
                summary,
                special_category,
                owner_id,
                shared_with,
                received_on,
            } => {
                self.group_id = Some(group_id);
                self.resident_id = Some(resident_id);
                self.ward = Some(ward);
                self.category = Some(category);
                self.channel = Some(channel);
                self.summary = Some(summary);
                self.special_category = special_category;
                self.owner_id = Some(owner_id);
                self.shared_with = shared_with;
                self.received_on = Some(received_on);
            }
            CaseEvent::CaseAcknowledged { on } => self.acknowledged_on = Some(on),
            CaseEvent::CaseReferred {
                organisation_id,
                organisation,
                targets,
                referred_on,
                acknowledge_by,
                reply_by,
                details_shared,
                their_reference,
            } => self.referrals.push(Referral {
                organisation_id,
                organisation,
                targets,
                referred_on,
                acknowledge_by,
                reply_by,
                details_shared,
                their_reference,
                acknowledged_on: None,
                chases: Vec::new(),
                response: None,
            }),
            CaseEvent::ReferralAcknowledged { on, their_reference } => {
                if let Some(referral) = self.open_referral_mut() {
                    referral.acknowledged_on = Some(on);
                    if their_reference.is_some() {
                        referral.their_reference = their_reference;
                    }
                }
            }
            CaseEvent::ReferralChased { on, note, next_by } => {
                if let Some(referral) = self.open_referral_mut() {
                    referral.chases.push(Chase { on, note, next_by });
                }
            }
            CaseEvent::ReferralAnswered { on, summary } => {
                if let Some(referral) = self.open_referral_mut() {
                    referral.response = Some(Response { on, summary });
                }
            }
            CaseEvent::CaseNoteAdded { on, text } => self.notes.push(CaseNote { on, text }),
            CaseEvent::CaseFileAttached { file } => self.files.push(file),
            CaseEvent::ResidentTold { update } => self.resident_updates.push(update),
            CaseEvent::CaseShared { member_id } => self.shared_with.push(member_id),
            CaseEvent::CaseUnshared { member_id } => self.shared_with.retain(|m| *m != member_id),
            CaseEvent::CaseHandedOver { to, note } => {
                if let Some(from) = self.owner_id.replace(to) {
                    self.handovers.push(Handover { from, to, note });
                }
                self.shared_with.retain(|m| *m != to);
            }
            CaseEvent::SpecialCategoryClassified { special_category } => {
                self.special_category = special_category;
            }
            CaseEvent::CaseClosed { on, outcome, note } => self.closure = Some(Closure { on, outcome, note }),
            CaseEvent::CaseReopened { on, reason } => {
                if let Some(closed) = self.closure.take() {
                    self.reopenings.push(Reopening { on, reason, closed });
                }
            }
            CaseEvent::CaseRetentionSet { months, reason } => {
                self.retention = Some(Retention { months, reason })
            }
            CaseEvent::CasePersonalDataErased { because } => self.erased_because = Some(because),
        }
        self.status = self.derived_status();
    }
}

impl Record for Case {
    fn group_id(&self) -> Option<&GroupId> {
        self.group_id.as_ref()
    }

    fn classification(&self) -> Classification {
        Classification::Casework
    }

    const WRITER_CLASSIFIES: bool = false;

    /// The office and auditors by role; its owner and the councillors it is
    /// shared with (the Leader and officers among them) as its readers.
    fn readable_by(&self, subject: &str, roles: &[Role]) -> bool {
        self.classification().readable_by(roles)
            || self.owner_id.is_some_and(|owner| is_own_reader(subject, roles, owner, &self.shared_with))
    }

    fn status(&self) -> &'static str {
        self.status.as_str()
    }

    /// Its owner, its resident, the organisation of its latest referral and
    /// its next due day; tagged with everyone who may read it, its category
    /// and its ward.
    fn index(&self) -> RecordIndex {
        let mut tags: Vec<String> =
            self.owner_id.iter().chain(&self.shared_with).map(|member| tag("reader", member)).collect();
        tags.extend(self.category.as_ref().map(|category| tag("category", category.as_str())));
        tags.extend(self.ward.as_ref().map(|ward| tag("ward", ward.as_str())));
        RecordIndex {
            member_id: self.owner_id,
            body_id: self.referrals.last().map(|r| r.organisation_id),
            due_on: self.next_due_on(),
            subject_id: self.resident_id,
            tags,
        }
    }

    const HAS_FACTS: bool = true;

    /// What the casework report counts (see [`facts`]).
    fn facts(&self) -> Vec<Fact> {
        let category = self.category.as_ref().map(|c| c.as_str().to_owned()).unwrap_or_default();
        let ward = self.ward.as_ref().map(ToString::to_string).unwrap_or_default();
        let mut stated = vec![
            Fact::on(facts::OPENED_CATEGORY, self.received_on, category.clone()),
            Fact::on(facts::OPENED_WARD, self.received_on, ward),
        ];
        match &self.closure {
            Some(closure) => {
                let outcome: &'static str = closure.outcome.into();
                stated.push(Fact::on(facts::CLOSED_CATEGORY, Some(closure.on), category));
                stated.push(Fact::on(facts::CLOSED_OUTCOME, Some(closure.on), outcome));
            }
            None => {
                let waiting_on =
                    self.open_referral().map(|r| r.organisation_id.to_string()).unwrap_or_default();
                stated.push(Fact::on(facts::OPEN, self.next_due_on(), waiting_on));
            }
        }
        for referral in &self.referrals {
            if let Some(answer) = &referral.response {
                stated.push(Fact {
                    since: Some(referral.referred_on),
                    ..Fact::on(facts::ANSWERED, Some(answer.on), referral.organisation_id.to_string())
                });
            }
        }
        stated
    }
}

/// The names of the facts a case states, for the casework report.
pub mod facts {
    /// Received on its day, valued by its category.
    pub const OPENED_CATEGORY: &str = "opened.category";
    /// Received on its day, valued by its ward.
    pub const OPENED_WARD: &str = "opened.ward";
    /// Closed on its day, valued by its category.
    pub const CLOSED_CATEGORY: &str = "closed.category";
    /// Closed on its day, valued by its outcome.
    pub const CLOSED_OUTCOME: &str = "closed.outcome";
    /// Open: valued by the organisation its open referral waits on (empty if
    /// none), on the day its next step falls due, if any.
    pub const OPEN: &str = "open";
    /// A referral answered on its day, valued by the organisation, since the
    /// day it was referred.
    pub const ANSWERED: &str = "answered";
}

#[cfg(test)]
mod tests {
    use cqrs_es::test::TestFramework;

    use super::*;
    use crate::WorkingDays;

    type CaseTest = TestFramework<Case>;

    fn date(s: &str) -> NaiveDate {
        s.parse().expect("test date")
    }

    fn sealed(what: &str) -> Sealed {
        Sealed::from_stored(format!("sealed:v1:case:{what}"))
    }

    fn owner() -> Uuid {
        Uuid::from_u128(1)
    }

    fn colleague() -> Uuid {
        Uuid::from_u128(2)
    }

    fn opened() -> CaseEvent {
        CaseEvent::CaseOpened {
            group_id: GroupId::parse("newham-labour").expect("group"),
            resident_id: Uuid::from_u128(9),
            ward: Title::parse("Canning Town North").expect("ward"),
            category: Slug::parse("repairs").expect("category"),
            channel: Channel::Surgery,
            summary: sealed("summary"),
            special_category: None,
            owner_id: owner(),
            shared_with: vec![],
            received_on: date("2026-03-30"),
        }
    }

    fn referred(on: &str) -> CaseEvent {
        let calendar = WorkingDays::default();
        let targets = ResponseTargets::default();
        CaseEvent::CaseReferred {
            organisation_id: Uuid::from_u128(5),
            organisation: Title::parse("Housing Repairs").expect("name"),
            targets,
            referred_on: date(on),
            acknowledge_by: calendar.due(date(on), targets.acknowledge),
            reply_by: calendar.due(date(on), targets.reply),
            details_shared: true,
            their_reference: None,
        }
    }

    fn case(events: Vec<CaseEvent>) -> Case {
        let mut case = Case::default();
        events.into_iter().for_each(|event| case.apply(event));
        case
    }

    #[test]
    fn a_case_moves_through_its_states_as_its_facts_say() {
        let mut case = case(vec![opened()]);
        assert_eq!(case.status, CaseStatus::Received);
        case.apply(CaseEvent::CaseAcknowledged { on: date("2026-03-30") });
        assert_eq!(case.status, CaseStatus::Acknowledged);
        case.apply(referred("2026-03-31"));
        assert_eq!(case.status, CaseStatus::Referred);
        case.apply(CaseEvent::ReferralAcknowledged {
            on: date("2026-04-01"),
            their_reference: Some(Title::parse("HR/2026/0412").expect("reference")),
        });
        assert_eq!(case.status, CaseStatus::AwaitingResponse);
        case.apply(CaseEvent::ReferralAnswered { on: date("2026-04-10"), summary: sealed("answer") });
        assert_eq!(case.status, CaseStatus::Responded);
        case.apply(CaseEvent::CaseClosed { on: date("2026-04-11"), outcome: Outcome::Resolved, note: None });
        assert_eq!(case.status, CaseStatus::Closed);
        case.apply(CaseEvent::CaseReopened { on: date("2026-05-01"), reason: sealed("leak again") });
        assert_eq!(case.status, CaseStatus::Responded, "reopened where its facts put it");
        assert_eq!(case.reopenings.len(), 1);
    }

    #[test]
    fn a_case_states_what_the_casework_report_counts_and_nothing_personal() {
        let names = |case: &Case| case.facts().iter().map(|f| f.name).collect::<Vec<_>>();
        let mut case = case(vec![opened()]);
        let open = Fact::on(facts::OPEN, None, "");
        assert_eq!(
            case.facts(),
            vec![
                Fact::on(facts::OPENED_CATEGORY, Some(date("2026-03-30")), "repairs"),
                Fact::on(facts::OPENED_WARD, Some(date("2026-03-30")), "Canning Town North"),
                open,
            ]
        );
        case.apply(referred("2026-03-31"));
        // Waiting on the organisation, its acknowledgement due the next working day.
        let waiting = Fact::on(facts::OPEN, Some(date("2026-04-01")), Uuid::from_u128(5).to_string());
        assert!(case.facts().contains(&waiting));
        case.apply(CaseEvent::ReferralAnswered { on: date("2026-04-10"), summary: sealed("answer") });
        let answered = Fact {
            since: Some(date("2026-03-31")),
            ..Fact::on(facts::ANSWERED, Some(date("2026-04-10")), Uuid::from_u128(5).to_string())
        };
        assert!(case.facts().contains(&answered));
        case.apply(CaseEvent::CaseClosed { on: date("2026-04-11"), outcome: Outcome::Resolved, note: None });
        assert_eq!(
            names(&case),
            [
                facts::OPENED_CATEGORY,
                facts::OPENED_WARD,
                facts::CLOSED_CATEGORY,
                facts::CLOSED_OUTCOME,
                facts::ANSWERED
            ]
        );
        assert!(case.facts().contains(&Fact::on(
            facts::CLOSED_OUTCOME,
            Some(date("2026-04-11")),
            "resolved"
        )));
    }

    #[test]
    fn a_referral_over_easter_is_due_after_the_holidays_and_is_overdue_after_that() {
        // Referred on Tuesday 31 March 2026: one working day is Wednesday 1
        // April; ten working days skip Good Friday and Easter Monday.
        let case = case(vec![opened(), referred("2026-03-31")]);
        let referral = case.open_referral().expect("open");
        assert_eq!(referral.acknowledge_by.on, date("2026-04-01"));
        assert_eq!(referral.reply_by.on, date("2026-04-16"));
        assert_eq!(case.next_due_on(), Some(date("2026-04-01")));
        assert!(!case.is_overdue(date("2026-04-01")));
        assert!(case.is_overdue(date("2026-04-02")));
        assert_eq!(case.index().due_on, Some(date("2026-04-01")));
    }

    #[test]
    fn once_acknowledged_the_next_due_day_is_the_reply_then_each_chase() {
        let calendar = WorkingDays::default();
        let mut case = case(vec![opened(), referred("2026-03-31")]);
        case.apply(CaseEvent::ReferralAcknowledged { on: date("2026-04-01"), their_reference: None });
        assert_eq!(case.next_due_on(), Some(date("2026-04-16")));
        case.apply(CaseEvent::ReferralChased {
            on: date("2026-04-17"),
            note: None,
            next_by: calendar.due(date("2026-04-17"), 5),
        });
        assert_eq!(case.next_due_on(), Some(date("2026-04-24")));
        case.apply(CaseEvent::ReferralAnswered { on: date("2026-04-20"), summary: sealed("answer") });
        assert_eq!(case.next_due_on(), None);
        assert!(!case.is_overdue(date("2027-01-01")));
    }

    #[test]
    fn a_second_referral_waits_for_the_first_answer() {
        let draft = NewReferral {
            organisation_id: Uuid::from_u128(6),
            organisation: Title::parse("Clarion Housing").expect("name"),
            targets: ResponseTargets::default(),
            referred_on: date("2026-04-02"),
            acknowledge_by: WorkingDays::default().due(date("2026-04-02"), 1),
            reply_by: WorkingDays::default().due(date("2026-04-02"), 10),
            details_shared: false,
            their_reference: None,
        };
        CaseTest::with(())
            .given(vec![opened(), referred("2026-03-31")])
            .when(CaseCommand::ReferCase { referral: Box::new(draft) })
            .then_expect_error(CaseError::ReferralOpen("Housing Repairs".into()));
    }

    #[test]
    fn a_file_is_attached_once_and_never_to_an_erased_case() {
        let file = CaseFile {
            sha256: "ab".repeat(32),
            name: sealed("photo"),
            media_type: Title::parse("image/jpeg").expect("type"),
            size: 1024,
            on: date("2026-04-01"),
        };
        let attached = CaseEvent::CaseFileAttached { file: file.clone() };
        CaseTest::with(())
            .given(vec![opened()])
            .when(CaseCommand::AttachCaseFile { file: file.clone() })
            .then_expect_events(vec![attached.clone()]);
        CaseTest::with(())
            .given(vec![opened(), attached])
            .when(CaseCommand::AttachCaseFile { file: file.clone() })
            .then_expect_error(CaseError::FileAlreadyAttached);
        CaseTest::with(())
            .given(vec![opened(), CaseEvent::CasePersonalDataErased { because: Erasure::Retention }])
            .when(CaseCommand::AttachCaseFile { file })
            .then_expect_error(CaseError::Erased);
    }

    #[test]
    fn a_closed_case_takes_no_referral_and_an_erased_one_cannot_be_reopened() {
        let closed =
            CaseEvent::CaseClosed { on: date("2026-04-01"), outcome: Outcome::Withdrawn, note: None };
        CaseTest::with(())
            .given(vec![opened(), closed.clone()])
            .when(CaseCommand::AcknowledgeCase { on: date("2026-04-02") })
            .then_expect_error(CaseError::Closed);
        CaseTest::with(())
            .given(vec![opened(), closed, CaseEvent::CasePersonalDataErased { because: Erasure::Retention }])
            .when(CaseCommand::ReopenCase { on: date("2028-05-01"), reason: sealed("again") })
            .then_expect_error(CaseError::Erased);
    }

    #[test]
    fn its_readers_are_its_owner_and_those_it_is_shared_with_and_they_are_tagged() {
        let mut case = case(vec![opened(), CaseEvent::CaseShared { member_id: colleague() }]);
        assert!(case.is_readable_by(owner()) && case.is_readable_by(colleague()));
        assert!(!case.is_readable_by(Uuid::from_u128(3)));
        let tags = case.index().tags;
        assert!(tags.contains(&tag("reader", colleague())), "{tags:?}");
        assert!(tags.contains(&"ward:canning-town-north".to_owned()), "{tags:?}");
        assert!(tags.contains(&"category:repairs".to_owned()), "{tags:?}");
        case.apply(CaseEvent::CaseHandedOver { to: colleague(), note: None });
        assert_eq!(case.owner_id, Some(colleague()));
        assert!(case.shared_with.is_empty(), "the new owner is no longer listed as shared");
        assert!(!case.is_readable_by(owner()), "the old owner reads it no more");
        assert_eq!(case.handovers.len(), 1);
    }

    #[test]
    fn the_office_reads_every_case_and_a_councillor_only_their_own_or_shared() {
        let case = case(vec![opened(), CaseEvent::CaseShared { member_id: colleague() }]);
        let stranger = Uuid::from_u128(3).to_string();
        assert!(case.readable_by("assistant-1", &[Role::Assistant]));
        assert!(case.readable_by("auditor-1", &[Role::Auditor]));
        assert!(case.readable_by(&owner().to_string(), &[Role::Councillor]));
        assert!(case.readable_by(&colleague().to_string(), &[Role::Leader]));
        assert!(!case.readable_by(&stranger, &[Role::Councillor]));
        assert!(
            !case.readable_by(&stranger, &[Role::Leader, Role::Officer]),
            "the Leader sees no case not theirs"
        );
        assert!(!case.readable_by(&owner().to_string(), &[Role::Publisher]));
    }

    #[test]
    fn sharing_with_its_owner_is_refused_and_so_is_a_day_before_it_came_in() {
        CaseTest::with(())
            .given(vec![opened()])
            .when(CaseCommand::ShareCase { member_id: owner() })
            .then_expect_error(CaseError::AlreadyShared);
        CaseTest::with(())
            .given(vec![opened()])
            .when(CaseCommand::AcknowledgeCase { on: date("2026-03-29") })
            .then_expect_error(CaseError::BeforeReceived(date("2026-03-30")));
    }

    #[test]
    fn a_closed_case_falls_due_for_erasure_after_its_retention_period() {
        let mut case = case(vec![opened()]);
        assert_eq!(case.erase_on(24), None, "an open case is kept");
        case.apply(CaseEvent::CaseClosed { on: date("2026-04-30"), outcome: Outcome::Resolved, note: None });
        assert_eq!(case.erase_on(24), Some(date("2028-04-30")));
        case.apply(CaseEvent::CaseRetentionSet {
            months: 72,
            reason: Note::parse("Ombudsman complaint pending").expect("reason"),
        });
        assert_eq!(case.erase_on(24), Some(date("2032-04-30")));
        case.apply(CaseEvent::CasePersonalDataErased { because: Erasure::Retention });
        assert_eq!(case.erase_on(24), None, "erased once");
    }

    #[test]
    fn a_special_category_flag_names_a_kind() {
        assert_eq!(
            SpecialCategory::new(vec![], LawfulCondition::ElectedRepresentativeResponding),
            Err(CaseError::NoSpecialCategoryKind)
        );
        let flag = SpecialCategory::new(
            vec![SpecialCategoryKind::Health, SpecialCategoryKind::Health],
            LawfulCondition::ElectedRepresentativeResponding,
        )
        .expect("flag");
        assert_eq!(flag.kinds, vec![SpecialCategoryKind::Health]);
    }
}
