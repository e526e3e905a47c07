//! `/registers` and `/interests-review`: each member's register of interests
//! (the statutory disclosable pecuniary interests, the model code's other
//! registrable interests, gifts and hospitality; "nothing to declare" is an
//! entry too), its year-on-year changes, and the assistant's review of likely
//! omissions found from Caucus's own records.

use caucus_domain::interests::{Clock, ClockCause, Detail, Entry, EntryDraft, Gift, Register, RemovalReason};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::input::{NoteText, TitleText};
use crate::mirror::mirror;
use crate::report_back::ReportFormat;
use crate::{Fields, ParseRequest};

mirror! {
    /// What an entry is about: the seven disclosable pecuniary interests of
    /// SI 2012/1464, the LGA model code's other registrable interests, and
    /// gifts and hospitality.
    pub enum InterestCategory = caucus_domain::interests::Category {
        /// DPI: employment, office, trade, profession or vocation.
        EmploymentOfficeTradeProfession,
        /// DPI: sponsorship towards expenses as a member or at elections.
        Sponsorship,
        /// DPI: contracts with the authority.
        Contracts,
        /// DPI: land in the area.
        Land,
        /// DPI: licences to occupy land in the area.
        Licences,
        /// DPI: corporate tenancies with the authority as landlord.
        CorporateTenancies,
        /// DPI: securities of a body with a place of business or land in the area.
        Securities,
        /// A body the member was appointed to by the authority.
        AppointedBody,
        /// A body exercising functions of a public nature.
        PublicFunctionBody,
        /// A charity.
        Charity,
        /// A body directed to influencing opinion or policy: a party, a trade union.
        OpinionBody,
        /// A gift or hospitality at or over the group's threshold.
        GiftsHospitality,
    }
}

mirror! {
    /// Whose interest an entry records.
    pub enum InterestHolder = caucus_domain::interests::Whose {
        /// The member's own.
        Member,
        /// Their spouse, civil partner or cohabitee's (pecuniary categories only).
        Partner,
    }
}

/// Whether an entry declares an interest or nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Declaration {
    /// An interest.
    Interest,
    /// Nothing to declare in the category.
    NothingToDeclare,
}

/// Where an entry stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EntryStatus {
    /// On the register.
    Registered,
    /// Taken off, with a reason.
    Removed,
}

/// A gift or hospitality, as given.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GiftRequest {
    /// Its value in pence (£85.00 is 8500).
    pub value_pence: u64,
    /// Who gave it.
    pub giver: TitleText,
    /// The day it was received.
    pub received_on: NaiveDate,
    /// The group event it was received at: registering it meets that event's hospitality task.
    #[serde(default)]
    pub event_id: Option<Uuid>,
}

/// Register an entry, or say what an entry now says.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InterestEntryRequest {
    /// The category.
    pub category: InterestCategory,
    /// Whose interest (default: the member's).
    #[serde(default)]
    pub whose: Option<InterestHolder>,
    /// An interest, or nothing to declare in the category.
    pub declaration: Declaration,
    /// What the interest is; required for an interest, refused with nothing to declare.
    #[serde(default)]
    pub description: Option<NoteText>,
    /// The group's body it is (an outside body the member sits on, the party's group post).
    #[serde(default)]
    pub body_id: Option<Uuid>,
    /// The organisation of Caucus's register it is.
    #[serde(default)]
    pub organisation_id: Option<Uuid>,
    /// The gift or hospitality: required for `gifts_hospitality` interests, and only for them.
    #[serde(default)]
    pub gift: Option<GiftRequest>,
    /// Withholds the entry from publication (Localism Act 2011 s.32): the
    /// Monitoring Officer's agreement, as a note.
    #[serde(default)]
    pub monitoring_officer_agreement: Option<NoteText>,
}

impl ParseRequest for InterestEntryRequest {
    type Parsed = EntryDraft;

    fn parse_fields(&self, fields: &mut Fields) -> Option<EntryDraft> {
        let sensitive = fields
            .check_optional("/monitoring_officer_agreement", self.monitoring_officer_agreement.as_ref());
        let detail = match self.declaration {
            Declaration::NothingToDeclare => {
                let given = [
                    ("/description", self.description.is_some()),
                    ("/body_id", self.body_id.is_some()),
                    ("/organisation_id", self.organisation_id.is_some()),
                    ("/gift", self.gift.is_some()),
                ];
                for (pointer, _) in given.iter().filter(|(_, given)| *given) {
                    fields.reject(pointer, "nothing to declare says nothing more");
                }
                Some(Detail::NothingToDeclare)
            }
            Declaration::Interest => {
                let description = match &self.description {
                    Some(text) => fields.check("/description", text),
                    None => {
                        fields.reject("/description", "say what the interest is");
                        None
                    }
                };
                let gift = match &self.gift {
                    None => Some(None),
                    Some(gift) => {
                        let giver = fields.check("/gift/giver", &gift.giver);
                        giver.map(|giver| {
                            Some(Gift {
                                value_pence: gift.value_pence,
                                giver,
                                received_on: gift.received_on,
                                event_id: gift.event_id,
                            })
                        })
                    }
                };
                Some(Detail::Interest {
                    description: description?,
                    body_id: self.body_id,
                    organisation_id: self.organisation_id,
                    gift: gift?,
                })
            }
        };
        Some(EntryDraft {
            category: self.category.into(),
            whose: self.whose.unwrap_or(InterestHolder::Member).into(),
            detail: detail?,
            sensitive: sensitive?,
        })
    }
}

/// Take an entry off the register.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RemoveInterestEntryRequest {
    /// Why (the interest ended, it was entered in error).
    pub reason: NoteText,
}

/// Dismiss an item of the review as no omission.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DismissReviewItemRequest {
    /// Why it is not an omission.
    pub reason: NoteText,
}

/// A gift or hospitality received.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct GiftView {
    /// Its value in pence.
    pub value_pence: u64,
    /// Who gave it.
    pub giver: String,
    /// The day it was received.
    pub received_on: NaiveDate,
    /// The group event it was received at.
    pub event_id: Option<Uuid>,
}

/// One entry of a register.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct InterestEntryView {
    /// Its id.
    pub id: Uuid,
    /// Where it stands.
    pub status: EntryStatus,
    /// The category.
    pub category: InterestCategory,
    /// Whose interest.
    pub whose: InterestHolder,
    /// An interest, or nothing to declare.
    pub declaration: Declaration,
    /// What the interest is.
    pub description: Option<String>,
    /// The group's body it is.
    pub body_id: Option<Uuid>,
    /// The organisation it is.
    pub organisation_id: Option<Uuid>,
    /// The gift or hospitality.
    pub gift: Option<GiftView>,
    /// Whether it is withheld from publication.
    pub sensitive: bool,
    /// The Monitoring Officer's agreement to withhold it.
    pub monitoring_officer_agreement: Option<String>,
    /// The day it was registered.
    pub registered_on: NaiveDate,
    /// The day it last changed.
    pub updated_on: NaiveDate,
    /// The day it was removed.
    pub removed_on: Option<NaiveDate>,
    /// Why it was removed, as given.
    pub removal_reason: Option<String>,
    /// The interest that made a "nothing to declare" untrue, removing it.
    pub superseded_by: Option<Uuid>,
}

impl From<&Entry> for InterestEntryView {
    fn from(entry: &Entry) -> Self {
        let draft = &entry.draft;
        let (declaration, description, body_id, organisation_id, gift) = match &draft.detail {
            Detail::NothingToDeclare => (Declaration::NothingToDeclare, None, None, None, None),
            Detail::Interest { description, body_id, organisation_id, gift } => (
                Declaration::Interest,
                Some(description.to_string()),
                *body_id,
                *organisation_id,
                gift.as_ref().map(|g| GiftView {
                    value_pence: g.value_pence,
                    giver: g.giver.to_string(),
                    received_on: g.received_on,
                    event_id: g.event_id,
                }),
            ),
        };
        let (removal_reason, superseded_by) = match entry.removed.as_ref().map(|r| &r.reason) {
            Some(RemovalReason::Given { note }) => (Some(note.to_string()), None),
            Some(RemovalReason::Superseded { by }) => (None, Some(*by)),
            None => (None, None),
        };
        Self {
            id: entry.id,
            status: if entry.is_live() { EntryStatus::Registered } else { EntryStatus::Removed },
            category: draft.category.into(),
            whose: draft.whose.into(),
            declaration,
            description,
            body_id,
            organisation_id,
            gift,
            sensitive: draft.sensitive.is_some(),
            monitoring_officer_agreement: draft.sensitive.as_ref().map(ToString::to_string),
            registered_on: entry.registered_on,
            updated_on: entry.updated_on,
            removed_on: entry.removed.as_ref().map(|r| r.on),
            removal_reason,
            superseded_by,
        }
    }
}

/// A review item dismissed on the register.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ReviewDismissalView {
    /// The review item.
    pub item_id: Uuid,
    /// The day.
    pub on: NaiveDate,
    /// Why it is no omission.
    pub reason: String,
    /// Who dismissed it.
    pub by: String,
}

/// What started a 28-day clock (Localism Act 2011 s.30).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClockCauseKind {
    /// The member joined the group (their induction's joining day).
    Joined,
    /// An appointment to an outside body: met by an appointed or public-function body entry naming it.
    Appointment,
    /// Hospitality at or over the threshold at a group event they came to: met by a gift naming the event.
    Hospitality,
}

/// One 28-day clock of a member's register.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RegisterClockView {
    /// What started it.
    pub cause: ClockCauseKind,
    /// The record that did: the member (joining), the appointment, or the event.
    pub record_id: Uuid,
    /// The outside body, for an appointment.
    pub body_id: Option<Uuid>,
    /// The day it started.
    pub starts_on: NaiveDate,
    /// The last day to register by.
    pub due_on: NaiveDate,
    /// Whether the register has what it asks for.
    pub met: bool,
    /// Whether it has run out unmet.
    pub overdue: bool,
}

impl RegisterClockView {
    /// `member_id`'s `clock` as it stands on `today`.
    pub fn new(clock: &Clock, member_id: Uuid, today: NaiveDate) -> Self {
        let (cause, record_id, body_id) = match clock.cause {
            ClockCause::Joined => (ClockCauseKind::Joined, member_id, None),
            ClockCause::Appointment { appointment_id, body_id } => {
                (ClockCauseKind::Appointment, appointment_id, Some(body_id))
            }
            ClockCause::Hospitality { event_id } => (ClockCauseKind::Hospitality, event_id, None),
        };
        Self {
            cause,
            record_id,
            body_id,
            starts_on: clock.starts_on,
            due_on: clock.due_on,
            met: clock.met,
            overdue: clock.run_out_on(today),
        }
    }
}

/// A member's register of interests.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RegisterView {
    /// The register's own id (one per member, derived from theirs): what the
    /// audit log and `/history/register/{id}` name it by.
    pub id: Uuid,
    /// The member.
    pub member_id: Uuid,
    /// Its version (0 before the first entry); also its ETag.
    pub version: u64,
    /// The entries on the register, in the order registered.
    pub entries: Vec<InterestEntryView>,
    /// The entries taken off it, in the order registered.
    pub removed: Vec<InterestEntryView>,
    /// The last day the member confirmed it unchanged.
    pub confirmed_on: Option<NaiveDate>,
    /// The review items dismissed on it.
    pub dismissals: Vec<ReviewDismissalView>,
    /// Its 28-day clocks as they stand today, met or not: from joining, from
    /// each appointment to an outside body, from each sponsored event's hospitality.
    #[serde(default)]
    pub clocks: Vec<RegisterClockView>,
}

impl RegisterView {
    /// `member_id`'s register as the contract shows it (none yet: empty).
    pub fn new(member_id: Uuid, register: Option<(&Register, u64)>) -> Self {
        let id = caucus_domain::interests::register_id(member_id);
        let Some((register, version)) = register else {
            return Self {
                id,
                member_id,
                version: 0,
                entries: Vec::new(),
                removed: Vec::new(),
                confirmed_on: None,
                dismissals: Vec::new(),
                clocks: Vec::new(),
            };
        };
        let (live, removed): (Vec<&Entry>, Vec<&Entry>) = register.entries.iter().partition(|e| e.is_live());
        Self {
            id,
            member_id,
            version,
            entries: live.into_iter().map(InterestEntryView::from).collect(),
            removed: removed.into_iter().map(InterestEntryView::from).collect(),
            confirmed_on: register.confirmed_on,
            dismissals: register
                .dismissals
                .iter()
                .map(|d| ReviewDismissalView {
                    item_id: d.item_id,
                    on: d.on,
                    reason: d.reason.to_string(),
                    by: d.by.clone(),
                })
                .collect(),
            clocks: Vec::new(),
        }
    }
}

/// One member's register in the list.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RegisterSummaryView {
    /// The member.
    pub member_id: Uuid,
    /// Their name.
    pub member_name: String,
    /// Entries on the register.
    pub entries: u32,
    /// Of those, interests (not "nothing to declare").
    pub interests: u32,
    /// Of those, withheld from publication.
    pub sensitive: u32,
    /// The last day an entry changed or the member confirmed it.
    pub last_changed_on: Option<NaiveDate>,
    /// The last day the member confirmed it unchanged.
    pub confirmed_on: Option<NaiveDate>,
}

/// Every member's register, with counts.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RegisterListView {
    /// One per current member, in name order (an empty register counts nothing).
    pub items: Vec<RegisterSummaryView>,
}

/// The dates of a year-on-year comparison.
#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RegisterChangesParams {
    /// The earlier day: the register as it stood at its end (default: a year before `to`).
    pub from: Option<NaiveDate>,
    /// The later day: the register as it stood at its end (default: today); not before `from`.
    pub to: Option<NaiveDate>,
}

/// An entry whose content changed.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct InterestEntryChangeView {
    /// As it stood on the earlier day.
    pub before: InterestEntryView,
    /// As it stood on the later day.
    pub after: InterestEntryView,
}

/// What changed on a member's register between two days.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RegisterChangesView {
    /// The member.
    pub member_id: Uuid,
    /// The earlier day.
    pub from: NaiveDate,
    /// The later day.
    pub to: NaiveDate,
    /// Entries registered between them.
    pub added: Vec<InterestEntryView>,
    /// Entries whose content changed.
    pub changed: Vec<InterestEntryChangeView>,
    /// Entries taken off between them.
    pub removed: Vec<InterestEntryView>,
}

/// What the review asks for.
#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct InterestsReviewParams {
    /// `json` (default) or `markdown`.
    #[param(inline)]
    pub format: Option<ReportFormat>,
}

/// A likely omission the review found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReviewItemKind {
    /// The member's register is not made 28 days after they joined.
    RegisterNotMade,
    /// An appointment to an outside body with no appointed or public-function body entry naming it.
    OutsideBodyNotRegistered,
    /// A group post held with no opinion body entry (the party), as the code asks.
    GroupPostNotRegistered,
    /// Hospitality at or over the threshold at a sponsored event with no entry naming the event.
    HospitalityNotRegistered,
    /// An entry the member has not changed or confirmed for more than a year.
    EntryUnchanged,
}

/// The record that shows an omission.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ReviewEvidenceView {
    /// What kind of record it is: `induction`, `appointment`, `group_event` or `entry`.
    pub record: String,
    /// Its id (for an induction or an entry: the member's or the entry's).
    pub record_id: Uuid,
    /// What it says, in words ("Lee Valley Regional Park Authority, from 2025-05-20").
    pub summary: String,
    /// The day that starts the clock (joining, the appointment, the event, the entry's last word).
    pub on: NaiveDate,
}

/// One item of the review.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ReviewItemView {
    /// Its id: stable for as long as its evidence stands, to dismiss it by.
    pub id: Uuid,
    /// The member.
    pub member_id: Uuid,
    /// Their name.
    pub member_name: String,
    /// What is likely missing.
    pub kind: ReviewItemKind,
    /// The category of the entry the code asks for (absent: the whole register).
    pub expected: Option<InterestCategory>,
    /// The evidence.
    pub evidence: ReviewEvidenceView,
    /// The day the register should have had it by (28 days on; a year on, for an unchanged entry).
    pub due_on: NaiveDate,
    /// Whether that day has passed (for a clock: it has run out).
    pub overdue: bool,
}

/// The review of the registers of interests.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct InterestsReviewView {
    /// The day it was made.
    pub today: NaiveDate,
    /// The members reviewed.
    pub members: u32,
    /// The likely omissions, by member name then due day.
    pub items: Vec<ReviewItemView>,
    /// Items found but dismissed with a reason (not listed).
    pub dismissed: u32,
}
