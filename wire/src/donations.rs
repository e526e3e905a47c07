//! `/donations` and `/donations-register`: donations to the group's own
//! funds, their permissibility checks, and the register with each donor's
//! calendar-year total against the reporting threshold.

/// The largest single donation recorded, in pence (£10 million).
pub use caucus_domain::donation::MAX_DONATION_PENCE;
use caucus_domain::donation::{CheckOutcome, Donation, DonationDraft, Donor, ReportingStanding};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use utoipa::{
    IntoParams, PartialSchema, ToSchema,
    openapi::{ObjectBuilder, RefOr, Schema, Type},
};
use uuid::Uuid;

use crate::common::{Cursor, PageLimit, Stored, Unrecorded};
use crate::input::{Input, NoteText, OutOfRange, TitleText, number_input};
use crate::mirror::mirror;
use crate::{Fields, ParseRequest};

number_input!(
    /// An amount of a donation in pence: 1p to £10 million.
    DonationPence => u64, 1u32, MAX_DONATION_PENCE
);

/// The earliest calendar year a donation is asked for by.
pub const FIRST_DONATION_YEAR: i32 = 2000;
/// The latest calendar year a donation is asked for by.
pub const LAST_DONATION_YEAR: i32 = 2100;

number_input!(
    /// A calendar year of donations.
    DonationYear => i32, FIRST_DONATION_YEAR, LAST_DONATION_YEAR
);

mirror! {
    /// What kind of donor.
    pub enum DonorKind = caucus_domain::donation::DonorKind {
        /// A person.
        Individual,
        /// A company.
        Company,
        /// A trade union.
        TradeUnion,
        /// An unincorporated association.
        UnincorporatedAssociation,
        /// Anyone else.
        Other,
    }
}

mirror! {
    /// Money, or goods and services at their value.
    pub enum DonationKind = caucus_domain::donation::DonationKind {
        /// Money.
        Cash,
        /// Goods or services, at their value (`description` says what).
        InKind,
    }
}

mirror! {
    /// Where a donation stands.
    pub enum DonationStatus = caucus_domain::donation::DonationStatus {
        /// Received; at or under the check threshold, so no check is needed.
        Received,
        /// Over the threshold, its permissibility check still to be made.
        AwaitingCheck,
        /// Checked and kept.
        Permissible,
        /// Found impermissible and returned: it counts in no total.
        Returned,
    }
    internal { Unrecorded }
}

mirror! {
    /// How a donor's calendar-year total stands against the reporting threshold.
    pub enum ReportingStandingWord = caucus_domain::donation::ReportingStanding {
        /// Below 80% of it.
        Below,
        /// At or over 80% of it: nearing it.
        Nearing,
        /// At or over it: to be reported.
        Reportable,
    }
}

/// How a permissibility check came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PermissibilityOutcome {
    /// The donor is permissible: the donation is kept.
    Permissible,
    /// The donor is not permissible: the donation was returned (give `returned_on`).
    Returned,
}

/// Who gave a donation.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DonorRequest {
    /// What kind of donor.
    pub kind: DonorKind,
    /// Their name; a donor's donations are added up by it (case, spaces and
    /// punctuation ignored) unless `organisation_id` is given.
    pub name: TitleText,
    /// Their address.
    #[serde(default)]
    pub address: Option<NoteText>,
    /// The organisation of the group's records they are; their donations are
    /// added up by it.
    #[serde(default)]
    pub organisation_id: Option<Uuid>,
}

/// Record a donation received.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordDonationRequest {
    /// The day it was received (not after today).
    pub received_on: NaiveDate,
    /// Who gave it.
    pub donor: DonorRequest,
    /// Its amount, or for a donation in kind its value, in pence.
    pub amount_pence: DonationPence,
    /// Money or in kind.
    pub kind: DonationKind,
    /// What was given in kind; only for a donation in kind, and required with it.
    #[serde(default)]
    pub description: Option<NoteText>,
    /// Anything else worth keeping.
    #[serde(default)]
    pub notes: Option<NoteText>,
}

/// Correct a donation's details, saying why: the whole donation as it should read.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CorrectDonationRequest {
    /// The day it was received (not after today).
    pub received_on: NaiveDate,
    /// Who gave it.
    pub donor: DonorRequest,
    /// Its amount, or for a donation in kind its value, in pence.
    pub amount_pence: DonationPence,
    /// Money or in kind.
    pub kind: DonationKind,
    /// What was given in kind; only for a donation in kind, and required with it.
    #[serde(default)]
    pub description: Option<NoteText>,
    /// Anything else worth keeping.
    #[serde(default)]
    pub notes: Option<NoteText>,
    /// Why it is corrected.
    pub reason: NoteText,
}

/// A donation's fields, as both requests carry them.
type DonationFields<'a> =
    (NaiveDate, &'a DonorRequest, DonationPence, DonationKind, Option<&'a NoteText>, Option<&'a NoteText>);

fn parse_donation(
    fields: &mut Fields,
    (received_on, donor, amount, kind, description, notes): DonationFields<'_>,
) -> Option<DonationDraft> {
    let entered = fields.enter("/donor");
    let name = fields.check("/name", &donor.name);
    let address = fields.check_optional("/address", donor.address.as_ref());
    fields.leave(entered);
    let amount_pence = fields.check("/amount_pence", &amount);
    let description = fields.check_optional("/description", description);
    let notes = fields.check_optional("/notes", notes);
    Some(DonationDraft {
        received_on,
        donor: Donor {
            kind: donor.kind.into(),
            name: name?,
            address: address?,
            organisation_id: donor.organisation_id,
        },
        amount_pence: amount_pence?,
        kind: kind.into(),
        description: description?,
        notes: notes?,
    })
}

impl ParseRequest for RecordDonationRequest {
    type Parsed = DonationDraft;

    fn parse_fields(&self, fields: &mut Fields) -> Option<DonationDraft> {
        let content = (
            self.received_on,
            &self.donor,
            self.amount_pence,
            self.kind,
            self.description.as_ref(),
            self.notes.as_ref(),
        );
        parse_donation(fields, content)
    }
}

impl ParseRequest for CorrectDonationRequest {
    type Parsed = (DonationDraft, caucus_domain::Note);

    fn parse_fields(&self, fields: &mut Fields) -> Option<Self::Parsed> {
        let content = (
            self.received_on,
            &self.donor,
            self.amount_pence,
            self.kind,
            self.description.as_ref(),
            self.notes.as_ref(),
        );
        let draft = parse_donation(fields, content);
        let reason = fields.check("/reason", &self.reason);
        Some((draft?, reason?))
    }
}

/// Record a donation's permissibility check.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordPermissibilityRequest {
    /// How it came out.
    pub outcome: PermissibilityOutcome,
    /// The day it was made (not before the donation was received, nor after today).
    pub checked_on: NaiveDate,
    /// The day an impermissible donation was returned; only with `returned`, and required with it.
    #[serde(default)]
    pub returned_on: Option<NaiveDate>,
    /// What was checked (the register of companies, the electoral register).
    #[serde(default)]
    pub note: Option<NoteText>,
}

impl ParseRequest for RecordPermissibilityRequest {
    type Parsed = (CheckOutcome, NaiveDate, Option<caucus_domain::Note>);

    fn parse_fields(&self, fields: &mut Fields) -> Option<Self::Parsed> {
        let note = fields.check_optional("/note", self.note.as_ref());
        let outcome = match (self.outcome, self.returned_on) {
            (PermissibilityOutcome::Permissible, None) => Some(CheckOutcome::Permissible),
            (PermissibilityOutcome::Permissible, Some(_)) => {
                fields.reject("/returned_on", "only a returned donation has a day it was returned");
                None
            }
            (PermissibilityOutcome::Returned, Some(returned_on)) => {
                Some(CheckOutcome::ImpermissibleReturned { returned_on })
            }
            (PermissibilityOutcome::Returned, None) => {
                fields.reject("/returned_on", "say when the donation was returned");
                None
            }
        };
        Some((outcome?, self.checked_on, note?))
    }
}

/// Who gave a donation.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DonorView {
    /// What kind of donor.
    pub kind: DonorKind,
    /// Their name.
    pub name: String,
    /// Their address.
    pub address: Option<String>,
    /// The organisation of the group's records they are.
    pub organisation_id: Option<Uuid>,
    /// The key their donations are added up under (`organisation:<id>` or
    /// `donor:<name in lowercase words joined by hyphens>`).
    pub key: String,
}

impl From<&Donor> for DonorView {
    fn from(donor: &Donor) -> Self {
        Self {
            kind: donor.kind.into(),
            name: donor.name.to_string(),
            address: donor.address.as_ref().map(ToString::to_string),
            organisation_id: donor.organisation_id,
            key: donor.key(),
        }
    }
}

/// A permissibility check made.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PermissibilityView {
    /// How it came out.
    pub outcome: PermissibilityOutcome,
    /// The day it was made.
    pub checked_on: NaiveDate,
    /// The day the donation was returned.
    pub returned_on: Option<NaiveDate>,
    /// Who recorded it.
    pub by: String,
    /// What was checked.
    pub note: Option<String>,
}

/// A correction of a donation's details.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DonationCorrectionView {
    /// The day it was corrected.
    pub on: NaiveDate,
    /// Why.
    pub reason: String,
}

/// A donation.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DonationView {
    /// Its id.
    pub id: Uuid,
    /// Its version; also its ETag.
    pub version: u64,
    /// Where it stands.
    pub status: DonationStatus,
    /// The day it was received.
    pub received_on: NaiveDate,
    /// The calendar year it counts in.
    pub year: i32,
    /// Who gave it.
    pub donor: DonorView,
    /// Its amount (in kind: its value), in pence.
    pub amount_pence: u64,
    /// Money or in kind.
    pub kind: DonationKind,
    /// What was given in kind.
    pub description: Option<String>,
    /// Anything else worth keeping.
    pub notes: Option<String>,
    /// The day its permissibility check is due, if it needs one (30 days
    /// after receipt, for a donation over the check threshold).
    pub check_due_on: Option<NaiveDate>,
    /// Whether its check is still to be made and that day has passed.
    pub check_overdue: bool,
    /// Its permissibility check, once made.
    pub check: Option<PermissibilityView>,
    /// Whether it counts in its donor's totals (a returned donation does not).
    pub counts_in_totals: bool,
    /// Every correction, in order.
    pub corrections: Vec<DonationCorrectionView>,
    /// When it was recorded (RFC 3339, UTC).
    pub recorded_at: String,
    /// When it last changed (RFC 3339, UTC).
    pub updated_at: String,
}

impl DonationView {
    /// The donation as the contract shows it on `today`.
    pub fn new(id: Uuid, d: &Donation, stored: Stored<'_>, today: NaiveDate) -> Result<Self, Unrecorded> {
        let unrecorded = || Unrecorded { record: "donation", id };
        let draft = d.draft.as_ref().ok_or_else(unrecorded)?;
        let check = d.check.as_ref().map(|c| {
            let (outcome, returned_on) = match c.outcome {
                CheckOutcome::Permissible => (PermissibilityOutcome::Permissible, None),
                CheckOutcome::ImpermissibleReturned { returned_on } => {
                    (PermissibilityOutcome::Returned, Some(returned_on))
                }
            };
            PermissibilityView {
                outcome,
                checked_on: c.checked_on,
                returned_on,
                by: c.by.clone(),
                note: c.note.as_ref().map(ToString::to_string),
            }
        });
        Ok(Self {
            id,
            version: stored.version,
            status: d.status.try_into().map_err(|_| unrecorded())?,
            received_on: draft.received_on,
            year: chrono::Datelike::year(&draft.received_on),
            donor: DonorView::from(&draft.donor),
            amount_pence: draft.amount_pence,
            kind: draft.kind.into(),
            description: draft.description.as_ref().map(ToString::to_string),
            notes: draft.notes.as_ref().map(ToString::to_string),
            check_due_on: d.check_due_on,
            check_overdue: d.check_awaited_until().is_some_and(|due| due < today),
            check,
            counts_in_totals: d.counts_in_totals(),
            corrections: d
                .corrections
                .iter()
                .map(|c| DonationCorrectionView { on: c.on, reason: c.reason.to_string() })
                .collect(),
            recorded_at: stored.created_at.to_owned(),
            updated_at: stored.updated_at.to_owned(),
        })
    }
}

/// A page of donations.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DonationPage {
    /// The donations, in the order they were recorded.
    pub items: Vec<DonationView>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// Filters for the donations.
#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DonationFilters {
    /// Only donations received in this calendar year.
    #[param(inline)]
    pub year: Option<DonationYear>,
    /// Only donations from the donor of this name (case, spaces and punctuation ignored).
    #[param(max_length = 200)]
    pub donor: Option<String>,
    /// Only donations whose permissibility check is still to be made (`true`).
    pub needs_check: Option<bool>,
    /// The register as it stood at this instant (RFC 3339).
    pub as_of: Option<DateTime<Utc>>,
    /// Continue from the `next_cursor` of the previous page.
    #[param(inline)]
    pub cursor: Option<Cursor>,
    /// Page size, 1 to 200 (default 50).
    #[param(inline)]
    pub limit: Option<PageLimit>,
}

/// The register's formats.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DonationsRegisterFormat {
    /// JSON (`DonationsRegisterView`).
    #[default]
    Json,
    /// CSV: one row per donation, with its donor's year total and standing.
    Csv,
}

/// Which year's register, and in which format.
#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DonationsRegisterParams {
    /// The calendar year (default: this year).
    #[param(inline)]
    pub year: Option<DonationYear>,
    /// `json` (default) or `csv`.
    #[param(inline)]
    pub format: Option<DonationsRegisterFormat>,
    /// The register as it stood at this instant (RFC 3339), replayed from the
    /// events recorded by then; the default year is that instant's.
    pub as_of: Option<DateTime<Utc>>,
}

/// One donation of the register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DonationsRegisterLine {
    /// The donation's id.
    pub id: Uuid,
    /// The day it was received.
    pub received_on: NaiveDate,
    /// The donor's name.
    pub donor_name: String,
    /// What kind of donor.
    pub donor_kind: DonorKind,
    /// The donor's address.
    pub donor_address: Option<String>,
    /// The key the donor's donations are added up under.
    pub donor_key: String,
    /// Its amount (in kind: its value), in pence.
    pub amount_pence: u64,
    /// Money or in kind.
    pub kind: DonationKind,
    /// What was given in kind.
    pub description: Option<String>,
    /// Where it stands.
    pub status: DonationStatus,
    /// The day its permissibility check is (or was) due.
    pub check_due_on: Option<NaiveDate>,
    /// The day its check was made.
    pub checked_on: Option<NaiveDate>,
    /// The day it was returned.
    pub returned_on: Option<NaiveDate>,
    /// Whether it counts in its donor's total (a returned donation does not).
    pub counts_in_totals: bool,
    /// Whether it counts towards its donor's reportable total: kept, and a
    /// relevant donation, over the check threshold (PPERA 2000 Sch. 7 para 4:
    /// one of £500 or less is disregarded, and stays in the register all the same).
    pub counts_towards_reporting: bool,
}

/// A donor's total for the year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DonorTotalView {
    /// The key their donations are added up under.
    pub donor_key: String,
    /// Their name (as on their latest donation).
    pub donor_name: String,
    /// What kind of donor.
    pub donor_kind: DonorKind,
    /// How many donations counted.
    pub donations: u32,
    /// The year's total of the donations that count, in pence.
    pub total_pence: u64,
    /// The year's total of those that count towards reporting (each over the
    /// check threshold), in pence: what the reporting threshold is judged against.
    pub reportable_pence: u64,
    /// How the reportable total stands against the reporting threshold.
    pub standing: ReportingStandingWord,
}

impl DonorTotalView {
    /// Whether the total is nearing the threshold or over it.
    pub fn warned(&self) -> bool {
        ReportingStanding::from(self.standing) != ReportingStanding::Below
    }
}

/// The donations register of a calendar year.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DonationsRegisterView {
    /// The calendar year.
    pub year: i32,
    /// A donor's year total at or over this many pence must be reported.
    pub reporting_threshold_pence: u64,
    /// A donor's year total from this many pence is nearing it (80%).
    pub warning_from_pence: u64,
    /// Donations over this many pence need a permissibility check, and only
    /// they count towards a donor's reportable total.
    pub check_threshold_pence: u64,
    /// The instant the register stood at, when one was asked for (`as_of`);
    /// absent for the register as it stands.
    pub as_of: Option<DateTime<Utc>>,
    /// The year's donations, in the order received.
    pub donations: Vec<DonationsRegisterLine>,
    /// Each donor's year total, largest reportable total first.
    pub donors: Vec<DonorTotalView>,
    /// The year's total of the donations that count, in pence.
    pub total_pence: u64,
}
