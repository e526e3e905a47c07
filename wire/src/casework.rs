//! `/cases` and `/residents`: residents' enquiries, referred, chased,
//! answered and closed. Every text about a case and every detail of its
//! resident is personal data: a request's plain text is checked here, sealed
//! by the api, and a view shows it opened only to the case's own readers
//! (`personal_data: shown`); auditors see the rest (`withheld`).

use caucus_domain::case::{Case, Referral};
use caucus_domain::member::Email;
use caucus_domain::publication::Slug;
use caucus_domain::resident::Resident;
use caucus_domain::{DueDate, LongText, Note, Title};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use utoipa::{
    IntoParams, PartialSchema, ToSchema,
    openapi::{ObjectBuilder, RefOr, Schema, Type},
};
use uuid::Uuid;

use crate::common::{API_PREFIX, Cursor, ListOrder, PageLimit, ReadOn, Stored, Unrecorded};
use crate::input::{
    DocumentText, EmailText, FileNameText, Input, NoteText, OutOfRange, SlugText, TitleText, number_input,
};
use crate::mirror::mirror;
use crate::organisations::ResponseTargets;
use crate::{Fields, ParseRequest};

mirror! {
    /// Where a case stands.
    pub enum CaseStatus = caucus_domain::case::CaseStatus {
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
    internal { Unopened }
}

mirror! {
    /// How a case came in.
    pub enum Channel = caucus_domain::case::Channel {
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
}

mirror! {
    /// How a case ended.
    pub enum CaseOutcome = caucus_domain::case::Outcome {
        /// What the resident asked for was done.
        Resolved,
        /// It was answered, but not as the resident hoped.
        NotResolved,
        /// The resident withdrew it.
        Withdrawn,
        /// The resident stopped responding.
        NoResponse,
    }
}

mirror! {
    /// A kind of special category data (UK GDPR Article 9(1)).
    pub enum SpecialCategoryKind = caucus_domain::case::SpecialCategoryKind {
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
}

mirror! {
    /// The condition relied on to hold special category data.
    pub enum LawfulCondition = caucus_domain::case::LawfulCondition {
        /// Data Protection Act 2018, Schedule 1, paragraph 23: an elected
        /// representative responding to the person's request.
        ElectedRepresentativeResponding,
        /// Data Protection Act 2018, Schedule 1, paragraph 24: disclosure to an
        /// elected representative.
        DisclosureToElectedRepresentative,
        /// UK GDPR Article 9(2)(a): the person's explicit consent.
        ExplicitConsent,
    }
}

mirror! {
    /// How a resident would like to be contacted.
    pub enum ContactMethod = caucus_domain::resident::ContactMethod {
        /// By email.
        Email,
        /// By telephone.
        Phone,
        /// By letter.
        Letter,
    }
}

mirror! {
    /// Where a resident's record stands.
    pub enum ResidentStatus = caucus_domain::resident::ResidentStatus {
        /// Their details are held.
        Recorded,
        /// Their personal data is erased.
        Erased,
    }
    internal { Unrecorded }
}

/// Whether a view shows the personal data it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PersonalDataShown {
    /// Opened: the caller is one of the case's readers.
    Shown,
    /// Withheld: the caller sees the case's metadata only (an auditor).
    Withheld,
    /// Erased: nobody can read it any more.
    Erased,
}

/// The most councillors a case is shared with.
pub const MAX_SHARED_WITH: usize = 20;

/// Special category data a case holds and the condition relied on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SpecialCategory {
    /// What kinds it holds: at least one.
    #[schema(min_items = 1)]
    pub kinds: Vec<SpecialCategoryKind>,
    /// The condition relied on (required whenever the case is flagged).
    pub condition: LawfulCondition,
}

impl SpecialCategory {
    fn parse(&self, fields: &mut Fields) -> Option<caucus_domain::case::SpecialCategory> {
        let kinds = self.kinds.iter().map(|k| (*k).into()).collect();
        match caucus_domain::case::SpecialCategory::new(kinds, self.condition.into()) {
            Ok(flag) => Some(flag),
            Err(error) => {
                fields.reject("/special_category/kinds", error.to_string());
                None
            }
        }
    }
}

impl From<caucus_domain::case::SpecialCategory> for SpecialCategory {
    fn from(s: caucus_domain::case::SpecialCategory) -> Self {
        Self { kinds: s.kinds.into_iter().map(Into::into).collect(), condition: s.condition.into() }
    }
}

/// A resident's details as sent.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResidentRequest {
    /// Their name.
    pub name: TitleText,
    /// Their postal address, with postcode.
    #[serde(default)]
    pub address: Option<NoteText>,
    /// Their email address.
    #[serde(default)]
    pub email: Option<EmailText>,
    /// Their telephone number.
    #[serde(default)]
    pub phone: Option<TitleText>,
    /// How they would like to be contacted (default: email).
    #[serde(default)]
    pub preferred_contact: Option<ContactMethod>,
    /// Whether they agree to their details being shared with the
    /// organisations their cases are referred to (default: no).
    #[serde(default)]
    pub consent_to_share: bool,
}

/// A resident's details, checked and still plain: the api seals each under
/// the resident's key before it reaches a command.
#[derive(Clone, PartialEq, Eq)]
pub struct ResidentContact {
    /// Their name.
    pub name: Title,
    /// Their postal address.
    pub address: Option<Note>,
    /// Their email address.
    pub email: Option<Email>,
    /// Their telephone number.
    pub phone: Option<Title>,
    /// How they would like to be contacted.
    pub preferred_contact: caucus_domain::resident::ContactMethod,
    /// Whether they consent to their details being shared.
    pub consent_to_share: bool,
}

impl std::fmt::Debug for ResidentContact {
    // Personal data never reaches a log through a debug print.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResidentContact").finish_non_exhaustive()
    }
}

impl ResidentRequest {
    fn parse_within(&self, fields: &mut Fields) -> Option<ResidentContact> {
        let name = fields.check("/name", &self.name);
        let address = fields.check_optional("/address", self.address.as_ref());
        let email = fields.check_optional("/email", self.email.as_ref());
        let phone = fields.check_optional("/phone", self.phone.as_ref());
        Some(ResidentContact {
            name: name?,
            address: address?,
            email: email?,
            phone: phone?,
            preferred_contact: self.preferred_contact.map(Into::into).unwrap_or_default(),
            consent_to_share: self.consent_to_share,
        })
    }
}

impl ParseRequest for ResidentRequest {
    type Parsed = ResidentContact;

    fn parse_fields(&self, fields: &mut Fields) -> Option<ResidentContact> {
        self.parse_within(fields)
    }
}

/// Record whether a resident consents to their details being shared.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResidentConsentRequest {
    /// Whether they now consent.
    pub consent_to_share: bool,
}

/// Open a case: for a resident already recorded (`resident_id`) or a new one
/// (`resident`), exactly one of the two.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenCaseRequest {
    /// A resident already recorded by the group.
    #[serde(default)]
    pub resident_id: Option<Uuid>,
    /// A new resident's details.
    #[serde(default)]
    pub resident: Option<ResidentRequest>,
    /// The ward it concerns.
    pub ward: TitleText,
    /// What it is about: one of the group's categories (`GET /case-categories`).
    pub category: SlugText,
    /// How it came in.
    pub channel: Channel,
    /// What the resident asks.
    pub summary: DocumentText,
    /// Special category data it holds, with the condition relied on.
    #[serde(default)]
    pub special_category: Option<SpecialCategory>,
    /// The councillor who owns it (the data controller): a current member.
    pub owner_id: Uuid,
    /// Councillors it is shared with (ward colleagues): current members, at most 20.
    #[serde(default)]
    #[schema(max_items = 20)]
    pub shared_with: Vec<Uuid>,
    /// The day it came in (default: today).
    #[serde(default)]
    pub received_on: Option<NaiveDate>,
}

/// Who a new case is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseResident {
    /// A resident already recorded.
    Recorded(Uuid),
    /// A new resident.
    New(Box<ResidentContact>),
}

/// A case to open, checked, its summary still plain.
#[derive(Clone, PartialEq, Eq)]
pub struct CaseOpening {
    /// Who it is for.
    pub resident: CaseResident,
    /// The ward it concerns.
    pub ward: Title,
    /// What it is about.
    pub category: Slug,
    /// How it came in.
    pub channel: caucus_domain::case::Channel,
    /// What the resident asks.
    pub summary: LongText,
    /// Special category data it holds.
    pub special_category: Option<caucus_domain::case::SpecialCategory>,
    /// The owning councillor.
    pub owner_id: Uuid,
    /// Councillors it is shared with.
    pub shared_with: Vec<Uuid>,
    /// The day it came in, if not today.
    pub received_on: Option<NaiveDate>,
}

impl std::fmt::Debug for CaseOpening {
    // The summary and the resident are personal data: never in a debug print.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CaseOpening")
            .field("ward", &self.ward)
            .field("category", &self.category)
            .field("owner_id", &self.owner_id)
            .finish_non_exhaustive()
    }
}

impl ParseRequest for OpenCaseRequest {
    type Parsed = CaseOpening;

    fn parse_fields(&self, fields: &mut Fields) -> Option<CaseOpening> {
        let resident = match (&self.resident_id, &self.resident) {
            (Some(id), None) => Some(CaseResident::Recorded(*id)),
            (None, Some(resident)) => {
                let entered = fields.enter("/resident");
                let contact = resident.parse_within(fields);
                fields.leave(entered);
                contact.map(|c| CaseResident::New(Box::new(c)))
            }
            _ => {
                fields.reject("/resident_id", "give either resident_id or resident, not both or neither");
                None
            }
        };
        let ward = fields.check("/ward", &self.ward);
        let category = fields.check("/category", &self.category);
        let summary = fields.check("/summary", &self.summary);
        let special_category =
            ClassifyCaseRequest { special_category: self.special_category.clone() }.parse_fields(fields);
        if self.shared_with.len() > MAX_SHARED_WITH {
            fields.reject("/shared_with", format!("at most {MAX_SHARED_WITH} councillors"));
        }
        Some(CaseOpening {
            resident: resident?,
            ward: ward?,
            category: category?,
            channel: self.channel.into(),
            summary: summary?,
            special_category: special_category?,
            owner_id: self.owner_id,
            shared_with: self.shared_with.clone(),
            received_on: self.received_on,
        })
    }
}

/// A day on a case (default: today).
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseDayRequest {
    /// The day (default: today).
    #[serde(default)]
    pub on: Option<NaiveDate>,
}

/// Refer a case to an organisation.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReferCaseRequest {
    /// The organisation: an active one of the group's.
    pub organisation_id: Uuid,
    /// Whether the resident's details go with it (only with their consent).
    #[serde(default)]
    pub share_details: bool,
    /// The organisation's reference, if it gave one at once.
    #[serde(default)]
    pub their_reference: Option<TitleText>,
    /// The day it was referred (default: today); its due dates count from it.
    #[serde(default)]
    pub on: Option<NaiveDate>,
}

/// Record that the organisation acknowledged the referral.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReferralAcknowledgedRequest {
    /// The day (default: today).
    #[serde(default)]
    pub on: Option<NaiveDate>,
    /// Their reference for it.
    #[serde(default)]
    pub their_reference: Option<TitleText>,
}

/// Chase the open referral.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChaseReferralRequest {
    /// The day (default: today); the next chase is due the organisation's
    /// `chase_every` working days after it.
    #[serde(default)]
    pub on: Option<NaiveDate>,
    /// What was said.
    #[serde(default)]
    pub note: Option<NoteText>,
}

/// Record the organisation's answer.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordResponseRequest {
    /// The day it came (default: today).
    #[serde(default)]
    pub on: Option<NaiveDate>,
    /// What it said.
    pub summary: DocumentText,
}

/// Add a note to a case.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseNoteRequest {
    /// The day it refers to (default: today).
    #[serde(default)]
    pub on: Option<NaiveDate>,
    /// The note.
    pub text: DocumentText,
}

/// Record what the resident was told.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TellResidentRequest {
    /// The day (default: today).
    #[serde(default)]
    pub on: Option<NaiveDate>,
    /// How they were told.
    pub how: ContactMethod,
    /// What they were told.
    pub note: DocumentText,
}

/// Share a case with a councillor, or stop sharing it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseReaderRequest {
    /// The councillor: a current member (to share with).
    pub member_id: Uuid,
}

/// Hand a case to another councillor.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HandOverCaseRequest {
    /// The new owner: a current member.
    pub to: Uuid,
    /// Why.
    #[serde(default)]
    pub note: Option<NoteText>,
}

/// Record or clear a case's special category data.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClassifyCaseRequest {
    /// What it holds and the condition relied on; `null` if nothing.
    pub special_category: Option<SpecialCategory>,
}

impl ParseRequest for ClassifyCaseRequest {
    type Parsed = Option<caucus_domain::case::SpecialCategory>;

    fn parse_fields(&self, fields: &mut Fields) -> Option<Self::Parsed> {
        match &self.special_category {
            Some(flag) => flag.parse(fields).map(Some),
            None => Some(None),
        }
    }
}

/// Close a case.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseCaseRequest {
    /// The day (default: today).
    #[serde(default)]
    pub on: Option<NaiveDate>,
    /// How it ended.
    pub outcome: CaseOutcome,
    /// A closing note.
    #[serde(default)]
    pub note: Option<NoteText>,
}

/// Reopen a closed case.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReopenCaseRequest {
    /// The day (default: today).
    #[serde(default)]
    pub on: Option<NaiveDate>,
    /// Why.
    pub reason: NoteText,
}

number_input!(
    /// How many months after closing a case's personal data is kept.
    RetentionMonths => u16, 1u16, caucus_domain::case::MAX_RETENTION_MONTHS
);

/// Keep a case's personal data longer after it closes than the deployment's period.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct KeepCaseLongerRequest {
    /// Months after closing (longer than the deployment's period).
    pub months: RetentionMonths,
    /// Why (a complaint to the Ombudsman, legal proceedings).
    pub reason: NoteText,
}

impl ParseRequest for KeepCaseLongerRequest {
    type Parsed = caucus_domain::case::Retention;

    fn parse_fields(&self, fields: &mut Fields) -> Option<Self::Parsed> {
        let months = fields.check("/months", &self.months);
        let reason = fields.check("/reason", &self.reason);
        Some(caucus_domain::case::Retention { months: months?, reason: reason? })
    }
}

/// One event of a resident's record or of one of their cases.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ResidentEventView {
    /// `resident` or `case`.
    pub record_type: String,
    /// The record's id.
    pub record_id: Uuid,
    /// Its sequence within that record.
    pub sequence: i64,
    /// The event's type.
    pub event_type: String,
    /// Who, when, in which roles, on which request.
    pub metadata: serde_json::Value,
    /// The event, its sealed fields opened while their keys exist (`null` once erased).
    pub payload: serde_json::Value,
}

/// Everything the group holds about one resident (a subject access export).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ResidentSubjectAccessView {
    /// The resident's id (the data subject).
    pub subject_id: Uuid,
    /// When this export was made (RFC 3339, UTC).
    pub generated_at: String,
    /// Their record.
    pub resident: ResidentView,
    /// Their cases.
    pub cases: Vec<CaseView>,
    /// Every event of their record and their cases, record by record, oldest first.
    pub events: Vec<ResidentEventView>,
}

/// A day the count of working days passed over.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SkippedDayView {
    /// The day.
    pub on: NaiveDate,
    /// Its bank holiday's name, or the day of the week.
    pub why: String,
}

/// A due date and how it was counted.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DueDateView {
    /// The day it falls due.
    pub on: NaiveDate,
    /// The day counting started from (not itself counted).
    pub from: NaiveDate,
    /// How many working days were counted.
    pub working_days: u16,
    /// The days passed over, and why.
    pub skipped: Vec<SkippedDayView>,
}

impl DueDateView {
    fn new(due: DueDate, on: ReadOn<'_>) -> Self {
        let skipped = on
            .calendar
            .skipped(due.from, due.on)
            .into_iter()
            .map(|day| SkippedDayView { on: day.on, why: day.why })
            .collect();
        Self { on: due.on, from: due.from, working_days: due.working_days, skipped }
    }
}

/// A chase of a referral.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ChaseView {
    /// The day.
    pub on: NaiveDate,
    /// What was said (personal data).
    pub note: Option<String>,
    /// When the next chase is due.
    pub next_by: DueDateView,
}

/// An organisation's answer.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ResponseView {
    /// The day it came.
    pub on: NaiveDate,
    /// What it said (personal data).
    pub summary: Option<String>,
}

/// What is owed on an open referral and late.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Lateness {
    /// Its acknowledgement is past due.
    Acknowledgement,
    /// Its reply is past due.
    Reply,
    /// A chase is past due.
    Chase,
}

/// A referral of a case to an organisation.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ReferralView {
    /// The organisation.
    pub organisation_id: Uuid,
    /// Its name when referred.
    pub organisation: String,
    /// The targets it was referred under.
    pub targets: ResponseTargets,
    /// The day it was referred.
    pub referred_on: NaiveDate,
    /// When its acknowledgement is due.
    pub acknowledge_by: DueDateView,
    /// When its reply is due.
    pub reply_by: DueDateView,
    /// When the next chase is due, while it is open.
    pub next_chase_on: Option<NaiveDate>,
    /// What is late on it, as of the day it is read.
    pub late: Vec<Lateness>,
    /// Whether the resident's details went with it.
    pub details_shared: bool,
    /// The organisation's reference.
    pub their_reference: Option<String>,
    /// The day the organisation acknowledged it.
    pub acknowledged_on: Option<NaiveDate>,
    /// Chases, oldest first.
    pub chases: Vec<ChaseView>,
    /// The organisation's answer.
    pub response: Option<ResponseView>,
}

impl ReferralView {
    fn new(r: Referral, on: ReadOn<'_>) -> Self {
        let open = r.is_open();
        let mut late = Vec::new();
        if open && r.acknowledged_on.is_none() && r.acknowledge_by.on < on.today {
            late.push(Lateness::Acknowledgement);
        }
        if open && r.reply_by.on < on.today {
            late.push(Lateness::Reply);
        }
        if open && !r.chases.is_empty() && r.next_chase_on() < on.today {
            late.push(Lateness::Chase);
        }
        Self {
            organisation_id: r.organisation_id,
            organisation: r.organisation.to_string(),
            targets: r.targets.into(),
            referred_on: r.referred_on,
            acknowledge_by: DueDateView::new(r.acknowledge_by, on),
            reply_by: DueDateView::new(r.reply_by, on),
            next_chase_on: open.then(|| r.next_chase_on()),
            late,
            details_shared: r.details_shared,
            their_reference: r.their_reference.map(|t| t.to_string()),
            acknowledged_on: r.acknowledged_on,
            chases: r
                .chases
                .into_iter()
                .map(|c| ChaseView {
                    on: c.on,
                    note: c.note.map(|n| n.as_str().to_owned()),
                    next_by: DueDateView::new(c.next_by, on),
                })
                .collect(),
            response: r
                .response
                .map(|a| ResponseView { on: a.on, summary: Some(a.summary.as_str().to_owned()) }),
        }
    }
}

/// A note on a case.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CaseNoteView {
    /// The day it refers to.
    pub on: NaiveDate,
    /// The note (personal data).
    pub text: Option<String>,
}

/// How to attach a file to a case.
#[derive(Debug, Clone, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CaseFileParams {
    /// The file name, e.g. `letter-from-clarion.pdf`.
    #[param(inline)]
    pub name: FileNameText,
}

/// What the resident was told of their case.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ResidentUpdateView {
    /// The day.
    pub on: NaiveDate,
    /// How they were told.
    pub how: ContactMethod,
    /// What they were told (personal data).
    pub note: Option<String>,
}

/// A file attached to a case.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CaseFileView {
    /// The SHA-256 of its content: its id within the case.
    pub id: String,
    /// Its file name (personal data).
    pub name: Option<String>,
    /// Its media type.
    pub media_type: String,
    /// Its size in bytes.
    pub size: u64,
    /// The day it was attached.
    pub on: NaiveDate,
    /// Where its readers download it.
    pub url: String,
}

/// How a case was closed.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ClosureView {
    /// The day.
    pub on: NaiveDate,
    /// How it ended.
    pub outcome: CaseOutcome,
    /// The closing note (personal data).
    pub note: Option<String>,
}

/// A case kept longer after closing than the deployment's period.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CaseRetentionView {
    /// Months after closing its personal data is kept.
    pub months: u16,
    /// Why (a complaint to the Ombudsman, legal proceedings).
    pub reason: String,
}

/// A reopening, with the closure it undid.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ReopeningView {
    /// The day.
    pub on: NaiveDate,
    /// Why (personal data).
    pub reason: Option<String>,
    /// The closure it undid.
    pub closed: ClosureView,
}

/// A handover from one owner to another.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct HandoverView {
    /// The owner before.
    pub from: Uuid,
    /// The owner after.
    pub to: Uuid,
    /// Why (personal data).
    pub note: Option<String>,
}

/// A resident's details, shown to their cases' readers.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ResidentView {
    /// Their id.
    pub id: Uuid,
    /// Its version; also its ETag.
    pub version: u64,
    /// Where their record stands.
    pub status: ResidentStatus,
    /// Whether the personal data below is shown.
    pub personal_data: PersonalDataShown,
    /// Their name.
    pub name: Option<String>,
    /// Their postal address.
    pub address: Option<String>,
    /// Their email address.
    pub email: Option<String>,
    /// Their telephone number.
    pub phone: Option<String>,
    /// How they would like to be contacted.
    pub preferred_contact: ContactMethod,
    /// Whether they consent to their details being shared.
    pub consent_to_share: bool,
    /// When they were recorded (RFC 3339, UTC).
    pub created_at: String,
    /// When their record last changed (RFC 3339, UTC).
    pub updated_at: String,
}

impl ResidentView {
    /// The resident with their details still sealed: the api opens or
    /// withholds them.
    pub fn sealed(id: Uuid, r: Resident, stored: Stored<'_>) -> Result<Self, Unrecorded> {
        let unrecorded = || Unrecorded { record: "resident", id };
        let sealed = |s: Option<caucus_domain::Sealed>| s.map(|s| s.as_str().to_owned());
        let status = ResidentStatus::try_from(r.status).map_err(|_| unrecorded())?;
        Ok(Self {
            id,
            version: stored.version,
            status,
            personal_data: if status == ResidentStatus::Erased {
                PersonalDataShown::Erased
            } else {
                PersonalDataShown::Shown
            },
            name: sealed(r.name),
            address: sealed(r.address),
            email: sealed(r.email),
            phone: sealed(r.phone),
            preferred_contact: r.preferred_contact.into(),
            consent_to_share: r.consent_to_share,
            created_at: stored.created_at.to_owned(),
            updated_at: stored.updated_at.to_owned(),
        })
    }
}

/// A case.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CaseView {
    /// Its id.
    pub id: Uuid,
    /// Its version; also its ETag.
    pub version: u64,
    /// Where it stands.
    pub status: CaseStatus,
    /// Whether something owed on it is late, as of the day it is read.
    pub overdue: bool,
    /// The next day something is owed on it (the open referral's
    /// acknowledgement or chase).
    pub next_due_on: Option<NaiveDate>,
    /// Whether the personal data below (the summary, notes, answers, and the
    /// resident) is shown.
    pub personal_data: PersonalDataShown,
    /// The resident who brought it.
    pub resident_id: Uuid,
    /// The resident's details, for the case's readers.
    pub resident: Option<ResidentView>,
    /// The ward it concerns.
    pub ward: String,
    /// What it is about.
    pub category: String,
    /// How it came in.
    pub channel: Channel,
    /// What the resident asks (personal data).
    pub summary: Option<String>,
    /// Special category data it holds, and the condition relied on.
    pub special_category: Option<SpecialCategory>,
    /// The owning councillor.
    pub owner_id: Uuid,
    /// Earlier owners, oldest first.
    pub handovers: Vec<HandoverView>,
    /// Councillors it is shared with.
    pub shared_with: Vec<Uuid>,
    /// The day it came in.
    pub received_on: NaiveDate,
    /// The day the resident was told it is being dealt with.
    pub acknowledged_on: Option<NaiveDate>,
    /// Referrals, oldest first; only the last may be open.
    pub referrals: Vec<ReferralView>,
    /// Notes, oldest first.
    pub notes: Vec<CaseNoteView>,
    /// Attached files, oldest first.
    pub files: Vec<CaseFileView>,
    /// What the resident was told along the way, oldest first.
    pub resident_updates: Vec<ResidentUpdateView>,
    /// How it was closed, while it is.
    pub closure: Option<ClosureView>,
    /// Its own longer period after closing, if it keeps its personal data longer.
    pub retention: Option<CaseRetentionView>,
    /// The day its personal data falls due for erasure, while it is closed
    /// and not yet erased: the deployment's period, or its own, after closing.
    pub erase_on: Option<NaiveDate>,
    /// Reopenings, oldest first.
    pub reopenings: Vec<ReopeningView>,
    /// When it was opened (RFC 3339, UTC).
    pub created_at: String,
    /// When it last changed (RFC 3339, UTC).
    pub updated_at: String,
}

fn closure_view(c: caucus_domain::case::Closure) -> ClosureView {
    ClosureView { on: c.on, outcome: c.outcome.into(), note: c.note.map(|n| n.as_str().to_owned()) }
}

impl CaseView {
    /// The case with its texts still sealed (the api opens or withholds them)
    /// and without its resident, as it reads on a day.
    pub fn sealed(id: Uuid, c: Case, stored: Stored<'_>, on: ReadOn<'_>) -> Result<Self, Unrecorded> {
        let erase_on = c.erase_on(on.case_retention_months);
        let unopened = || Unrecorded { record: "case", id };
        let sealed = |s: caucus_domain::Sealed| Some(s.as_str().to_owned());
        Ok(Self {
            id,
            version: stored.version,
            status: c.status.try_into().map_err(|_| unopened())?,
            overdue: c.is_overdue(on.today),
            next_due_on: c.next_due_on(),
            personal_data: if c.erased_because.is_some() {
                PersonalDataShown::Erased
            } else {
                PersonalDataShown::Shown
            },
            resident_id: c.resident_id.ok_or_else(unopened)?,
            resident: None,
            ward: c.ward.ok_or_else(unopened)?.to_string(),
            category: c.category.ok_or_else(unopened)?.as_str().to_owned(),
            channel: c.channel.ok_or_else(unopened)?.into(),
            summary: c.summary.and_then(sealed),
            special_category: c.special_category.map(Into::into),
            owner_id: c.owner_id.ok_or_else(unopened)?,
            handovers: c
                .handovers
                .into_iter()
                .map(|h| HandoverView { from: h.from, to: h.to, note: h.note.and_then(sealed) })
                .collect(),
            shared_with: c.shared_with,
            received_on: c.received_on.ok_or_else(unopened)?,
            acknowledged_on: c.acknowledged_on,
            referrals: c.referrals.into_iter().map(|r| ReferralView::new(r, on)).collect(),
            notes: c.notes.into_iter().map(|n| CaseNoteView { on: n.on, text: sealed(n.text) }).collect(),
            resident_updates: c
                .resident_updates
                .into_iter()
                .map(|u| ResidentUpdateView { on: u.on, how: u.how.into(), note: sealed(u.note) })
                .collect(),
            files: c
                .files
                .into_iter()
                .map(|f| CaseFileView {
                    url: format!("{API_PREFIX}/cases/{id}/files/{}", f.sha256),
                    id: f.sha256,
                    name: sealed(f.name),
                    media_type: f.media_type.to_string(),
                    size: f.size,
                    on: f.on,
                })
                .collect(),
            erase_on,
            retention: c
                .retention
                .map(|r| CaseRetentionView { months: r.months, reason: r.reason.to_string() }),
            closure: c.closure.map(closure_view),
            reopenings: c
                .reopenings
                .into_iter()
                .map(|r| ReopeningView { on: r.on, reason: sealed(r.reason), closed: closure_view(r.closed) })
                .collect(),
            created_at: stored.created_at.to_owned(),
            updated_at: stored.updated_at.to_owned(),
        })
    }
}

/// A page of cases.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CasePage {
    /// The cases, oldest first.
    pub items: Vec<CaseView>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

number_input!(
    /// How many working days ahead a due date is looked for, from today.
    WorkingDaysAhead => u16, 0u16, caucus_domain::organisation::MAX_TARGET_DAYS
);

/// Filters for the cases list. A councillor lists only the cases they own or
/// that are shared with them; the office lists every case, or a councillor's
/// with `member_id`. `overdue` and `due_within_working_days` list open cases
/// only.
#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CaseFilters {
    /// Only cases this councillor owns or that are shared with them.
    pub member_id: Option<Uuid>,
    /// Only cases in this status.
    #[param(inline)]
    pub status: Option<CaseStatus>,
    /// Only cases in this category.
    #[param(inline)]
    pub category: Option<SlugText>,
    /// Only cases in this ward (its name, in any case and spacing).
    #[param(inline)]
    pub ward: Option<TitleText>,
    /// Only cases whose latest referral is to this organisation.
    pub organisation_id: Option<Uuid>,
    /// Only this resident's cases.
    pub resident_id: Option<Uuid>,
    /// Only open cases with an acknowledgement, reply or chase past due.
    pub overdue: Option<bool>,
    /// Only open cases with something due between today and this many working days ahead.
    #[param(inline)]
    pub due_within_working_days: Option<WorkingDaysAhead>,
    /// Continue from the `next_cursor` of the previous page.
    #[param(inline)]
    pub cursor: Option<Cursor>,
    /// Page size, 1 to 200 (default 50).
    #[param(inline)]
    pub limit: Option<PageLimit>,
    /// Which end of the register to start from (default `oldest`).
    #[param(inline)]
    pub order: Option<ListOrder>,
    /// The register as it stood at this instant, rebuilt from the events recorded by then.
    pub as_of: Option<DateTime<Utc>>,
}

/// A former member's open cases, waiting to be handed over or closed.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AwaitingHandoverView {
    /// The member who left.
    pub member_id: Uuid,
    /// Their name.
    pub name: String,
    /// The day they left.
    pub left_on: Option<NaiveDate>,
    /// Their open cases.
    pub cases: Vec<CaseView>,
}

/// The cases left without a current owner.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CaseHandoversView {
    /// Each former member with open cases.
    pub items: Vec<AwaitingHandoverView>,
}

/// The largest enquiry form body accepted, in bytes.
pub const ENQUIRY_MAX_BYTES: usize = 16 * 1024;

/// A resident's enquiry from the group's website: a plain HTML form
/// (`application/x-www-form-urlencoded`, no script). An empty field is as
/// good as absent, as a browser sends every input.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct EnquiryForm {
    /// Their name.
    #[serde(default)]
    pub name: String,
    /// Their email address (this, a phone number or an address is needed to reply).
    #[serde(default)]
    pub email: String,
    /// Their telephone number.
    #[serde(default)]
    pub phone: String,
    /// Their postal address, with postcode.
    #[serde(default)]
    pub address: String,
    /// Their ward: its councillors get the case.
    #[serde(default)]
    pub ward: String,
    /// What it is about: one of the group's categories (default `other`).
    #[serde(default)]
    pub category: String,
    /// The problem, in their words.
    #[serde(default)]
    pub problem: String,
    /// `yes` if they agree to their details being shared with the council or
    /// another body to pursue it.
    #[serde(default)]
    pub consent: String,
    /// Leave empty: a field hidden from people, which only a robot fills in.
    #[serde(default)]
    pub website: String,
}

/// An enquiry from the website, checked: who, where, what.
#[derive(Clone, PartialEq, Eq)]
pub struct Enquiry {
    /// The resident.
    pub resident: ResidentContact,
    /// Their ward.
    pub ward: Title,
    /// The category asked for, if any.
    pub category: Option<Slug>,
    /// The problem.
    pub problem: LongText,
}

impl std::fmt::Debug for Enquiry {
    // Personal data never reaches a log through a debug print.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Enquiry").field("ward", &self.ward).finish_non_exhaustive()
    }
}

impl EnquiryForm {
    /// Whether the robot trap was filled in.
    pub fn is_from_a_robot(&self) -> bool {
        !self.website.trim().is_empty()
    }
}

impl ParseRequest for EnquiryForm {
    type Parsed = Enquiry;

    fn parse_fields(&self, fields: &mut Fields) -> Option<Enquiry> {
        let present = |text: &str| (!text.trim().is_empty()).then(|| text.to_owned());
        let name = fields.check("/name", &TitleText(self.name.clone()));
        let email = fields.check_optional("/email", present(&self.email).map(EmailText).as_ref());
        let phone = fields.check_optional("/phone", present(&self.phone).map(TitleText).as_ref());
        let address = fields.check_optional("/address", present(&self.address).map(NoteText).as_ref());
        let ward = fields.check("/ward", &TitleText(self.ward.clone()));
        let category = fields.check_optional("/category", present(&self.category).map(SlugText).as_ref());
        let problem = fields.check("/problem", &DocumentText(self.problem.clone()));
        if [&self.email, &self.phone, &self.address].iter().all(|f| f.trim().is_empty()) {
            fields.reject(
                "/email",
                "give an email address, a phone number or an address, so the office can reply",
            );
        }
        let (email, phone, address) = (email?, phone?, address?);
        let preferred_contact = match (&email, &phone) {
            (Some(_), _) => caucus_domain::resident::ContactMethod::Email,
            (None, Some(_)) => caucus_domain::resident::ContactMethod::Phone,
            (None, None) => caucus_domain::resident::ContactMethod::Letter,
        };
        Some(Enquiry {
            resident: ResidentContact {
                name: name?,
                address,
                email,
                phone,
                preferred_contact,
                consent_to_share: self.consent.trim().eq_ignore_ascii_case("yes"),
            },
            ward: ward?,
            category: category?,
            problem: problem?,
        })
    }
}

/// The most cases one council question is drawn from.
pub const MAX_QUESTION_CASES: usize = 200;

/// Draft a council question from the overdue cases with one organisation.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DraftCouncilQuestionRequest {
    /// The council meeting it is for.
    pub meeting_id: Uuid,
    /// The group's member who asks it (a councillor asks only as themselves).
    pub proposer_id: Uuid,
    /// Who it is put to: the Cabinet Member responsible.
    pub directed_to: TitleText,
    /// The cases it is drawn from, each overdue with the organisation (at most
    /// 200); by default every such case the caller may read.
    #[serde(default)]
    #[schema(max_items = 200)]
    pub case_ids: Option<Vec<Uuid>>,
}

/// The period of a casework report.
#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CaseworkReportParams {
    /// The first day (default: 30 days before `to`).
    pub from: Option<NaiveDate>,
    /// The last day (default: today); at most three years after `from`.
    pub to: Option<NaiveDate>,
}

/// A count under a name.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TallyView {
    /// The name (a category, a ward, an outcome).
    pub name: String,
    /// How many.
    pub count: u32,
}

/// One organisation's referrals in a casework report.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OrganisationLoadView {
    /// The organisation.
    pub organisation_id: Uuid,
    /// Its name.
    pub organisation: String,
    /// Open referrals with it, as the report is read.
    pub open: u32,
    /// Of those, how many have something past due.
    pub overdue: u32,
    /// Answers received from it in the period.
    pub answered: u32,
    /// The median working days from referral to answer, of those answers.
    pub median_working_days_to_answer: Option<f64>,
}

/// An open case with something past due, in a casework report: no personal data.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OverdueCaseView {
    /// The case.
    pub case_id: Uuid,
    /// Its category.
    pub category: String,
    /// Its ward.
    pub ward: String,
    /// The organisation it waits on.
    pub organisation: String,
    /// The day something fell due.
    pub due_on: NaiveDate,
    /// Working days since then.
    pub working_days_overdue: u32,
}

/// The casework report of a period: counts only, never a resident's personal
/// data or a case's texts.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CaseworkReportView {
    /// The first day.
    pub from: NaiveDate,
    /// The last day.
    pub to: NaiveDate,
    /// The day it was read on: what is open and overdue is as of then.
    pub today: NaiveDate,
    /// Cases received in the period.
    pub opened: u32,
    /// Cases closed in the period.
    pub closed: u32,
    /// Cases open today.
    pub open: u32,
    /// Open cases with something past due today.
    pub overdue: u32,
    /// Cases received in the period, by category.
    pub opened_by_category: Vec<TallyView>,
    /// Cases received in the period, by ward.
    pub opened_by_ward: Vec<TallyView>,
    /// Cases closed in the period, by category.
    pub closed_by_category: Vec<TallyView>,
    /// Cases closed in the period, by outcome.
    pub closed_by_outcome: Vec<TallyView>,
    /// Open referrals and answer times, by organisation.
    pub organisations: Vec<OrganisationLoadView>,
    /// The longest overdue open cases (at most ten), the longest first.
    pub longest_overdue: Vec<OverdueCaseView>,
}

/// The categories a case may be filed under.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CaseCategories {
    /// The categories' names, as `category` takes them.
    pub categories: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> OpenCaseRequest {
        OpenCaseRequest {
            resident_id: None,
            resident: Some(ResidentRequest {
                name: "Ada Okafor".into(),
                address: Some("12 Barking Road, London E16 1EB".into()),
                email: Some("not an email".into()),
                phone: None,
                preferred_contact: None,
                consent_to_share: true,
            }),
            ward: "Canning Town North".into(),
            category: "repairs".into(),
            channel: Channel::Surgery,
            summary: "Damp in the children's bedroom since October".into(),
            special_category: Some(SpecialCategory {
                kinds: vec![],
                condition: LawfulCondition::ElectedRepresentativeResponding,
            }),
            owner_id: Uuid::from_u128(1),
            shared_with: vec![],
            received_on: None,
        }
    }

    #[test]
    fn a_new_residents_fields_are_named_within_resident() {
        let invalid = request().parse().expect_err("bad email and no kind");
        let pointers: Vec<&str> = invalid.errors.iter().map(|e| e.pointer.as_str()).collect();
        assert!(pointers.contains(&"/resident/email"), "{pointers:?}");
        assert!(pointers.contains(&"/special_category/kinds"), "{pointers:?}");
    }

    #[test]
    fn a_case_names_one_resident_exactly() {
        let mut both = request();
        both.resident_id = Some(Uuid::from_u128(9));
        let invalid = both.parse().expect_err("both");
        assert_eq!(invalid.errors[0].pointer, "/resident_id");
    }

    #[test]
    fn a_residents_details_never_show_in_a_debug_print() {
        let mut valid = request();
        valid.resident.as_mut().expect("resident").email = None;
        valid.special_category = None;
        let opening = valid.parse().expect("valid");
        let printed = format!("{opening:?}");
        assert!(!printed.contains("Okafor") && !printed.contains("Damp"), "{printed}");
    }
}
