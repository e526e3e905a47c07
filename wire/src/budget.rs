//! `/budgets` and `/budget-statement`: the group's budget for each ledger
//! (council-provided resources, the group's own funds) and financial year,
//! its lines, the money moved between them, the spending against them, and
//! the year's statement. Money is whole pence, as JSON integers.

use std::borrow::Cow;

use caucus_domain::budget::{Budget, Line, LineCode, LineUse, Spend, SpendDraft};
use caucus_domain::{FinancialYear, Pence};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{
    IntoParams, PartialSchema, ToSchema,
    openapi::{ObjectBuilder, RefOr, Schema, Type},
};
use uuid::Uuid;

use crate::common::{Cursor, PageLimit, Stored};
use crate::input::{NoteText, OutOfRange, TitleText};
use crate::mirror::mirror;
use crate::{Fields, Input, ParseRequest};

mirror! {
    /// Which of the group's money: the two are kept strictly apart.
    pub enum Ledger = caucus_domain::budget::Ledger {
        /// Council-provided resources for the group's office: nothing party political.
        Council,
        /// The group's own funds: subscriptions, donations, event income.
        Group,
    }
}

mirror! {
    /// What a budget line pays for; `campaign_material`, `party_events` and
    /// `party_subscriptions` are party political and refused on the council ledger.
    pub enum BudgetCategory = caucus_domain::budget::Category {
        /// Support for the group's staff.
        StaffingSupport,
        /// Computers, phones, software.
        ItEquipment,
        /// Councillors' and staff training.
        Training,
        /// Printing of material that is not party political.
        Printing,
        /// Stationery, postage, publications.
        OfficeCosts,
        /// Travel on council business.
        Travel,
        /// Leaflets, canvassing material, election literature (party political).
        CampaignMaterial,
        /// Party conferences and fundraisers (party political).
        PartyEvents,
        /// Affiliation fees and subscriptions to the party (party political).
        PartySubscriptions,
        /// Anything else.
        Other,
    }
}

mirror! {
    /// Where a piece of spending stands.
    pub enum SpendingStatus = caucus_domain::budget::SpendStatus {
        /// Awaiting a Group Officer's approval.
        Proposed,
        /// Approved once; a different Group Officer must approve it too.
        AwaitingSecondApproval,
        /// Approved: committed, not yet paid.
        Approved,
        /// Rejected.
        Rejected,
        /// Paid, with the receipt.
        Paid,
    }
}

mirror! {
    /// How near its allocation a line's use is (committed and paid, with the
    /// spending in question for a warning on it).
    pub enum LineUseLevel = caucus_domain::budget::UseLevel {
        /// Up to 80%.
        Within,
        /// Past 80%: a warning.
        PastWarning,
        /// Past 100%: refused without a Group Officer's override with a reason.
        OverAllocation,
    }
}

/// An amount in whole pence, more than nothing and at most £10 million.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PenceAmount(pub i64);

impl Input for PenceAmount {
    type Value = Pence;
    type Error = OutOfRange;
    fn parse(&self) -> Result<Pence, OutOfRange> {
        Pence::positive(self.0).map_err(|_| OutOfRange { min: 1, max: Pence::MAX_AMOUNT })
    }
}

impl PartialSchema for PenceAmount {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::Integer)
            .description(Some("An amount in whole pence (£12.34 is 1234), more than nothing."))
            .minimum(Some(1))
            .maximum(Some(Pence::MAX_AMOUNT))
            .into()
    }
}

impl ToSchema for PenceAmount {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("PenceAmount")
    }
}

/// A budget line's code (becomes a `budget::LineCode`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct LineCodeText(pub String);

impl<T: Into<String>> From<T> for LineCodeText {
    fn from(text: T) -> Self {
        Self(text.into())
    }
}

impl Input for LineCodeText {
    type Value = LineCode;
    type Error = caucus_domain::budget::LineCodeError;
    fn parse(&self) -> Result<LineCode, Self::Error> {
        LineCode::parse(&self.0)
    }
}

impl PartialSchema for LineCodeText {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some("A budget line's code: lowercase letters, digits and hyphens, e.g. `it`."))
            .max_length(Some(32))
            .pattern(Some(caucus_domain::budget::LINE_CODE_PATTERN))
            .into()
    }
}

impl ToSchema for LineCodeText {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("LineCodeText")
    }
}

/// Checks a financial year's starting year.
fn year_of(fields: &mut Fields, pointer: &str, year: u16) -> Option<FinancialYear> {
    FinancialYear::starting(year).map_err(|e| fields.reject(pointer, e.to_string())).ok()
}

/// Open the budget of a ledger for a financial year.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenBudgetRequest {
    /// Which money.
    pub ledger: Ledger,
    /// The calendar year the financial year starts in (1 April), e.g. 2026 for 2026-27.
    #[schema(minimum = 2000, maximum = 2100)]
    pub year: u16,
}

impl ParseRequest for OpenBudgetRequest {
    type Parsed = (caucus_domain::budget::Ledger, FinancialYear);

    fn parse_fields(&self, fields: &mut Fields) -> Option<Self::Parsed> {
        Some((self.ledger.into(), year_of(fields, "/year", self.year)?))
    }
}

/// Add a line to a budget.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddBudgetLineRequest {
    /// Its code, unique within the budget, e.g. `it`.
    pub code: LineCodeText,
    /// Its name, e.g. `IT equipment and software`.
    pub name: TitleText,
    /// What it pays for.
    pub category: BudgetCategory,
    /// Its allocation for the year, in pence.
    pub allocation_pence: PenceAmount,
}

impl ParseRequest for AddBudgetLineRequest {
    type Parsed = Line;

    fn parse_fields(&self, fields: &mut Fields) -> Option<Line> {
        let code = fields.check("/code", &self.code);
        let name = fields.check("/name", &self.name);
        let allocation = fields.check("/allocation_pence", &self.allocation_pence);
        Some(Line { code: code?, name: name?, category: self.category.into(), allocation: allocation? })
    }
}

/// Set a line's allocation.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AllocateBudgetLineRequest {
    /// The line's code.
    pub code: LineCodeText,
    /// The new allocation, in pence: never below what the line has committed and paid.
    pub allocation_pence: PenceAmount,
    /// Why.
    pub reason: NoteText,
}

/// Move money between two lines of a budget.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveBudgetMoneyRequest {
    /// The line it leaves: never below what that line has committed and paid.
    pub from_line: LineCodeText,
    /// The line it joins.
    pub to_line: LineCodeText,
    /// How much, in pence.
    pub amount_pence: PenceAmount,
    /// Why.
    pub reason: NoteText,
}

/// Propose spending against a line.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProposeSpendingRequest {
    /// The line it is paid from.
    pub line: LineCodeText,
    /// How much, in pence.
    pub amount_pence: PenceAmount,
    /// Who is paid.
    pub payee: TitleText,
    /// What for.
    pub purpose: NoteText,
    /// The quote or invoice: the id of a file uploaded to `/files`.
    #[serde(default)]
    pub quote_file_id: Option<String>,
    /// Past the line's allocation, a Group Officer's reason for proposing it anyway.
    #[serde(default)]
    pub override_reason: Option<NoteText>,
}

impl ParseRequest for ProposeSpendingRequest {
    type Parsed = (SpendDraft, Option<caucus_domain::Note>);

    fn parse_fields(&self, fields: &mut Fields) -> Option<Self::Parsed> {
        let line = fields.check("/line", &self.line);
        let amount = fields.check("/amount_pence", &self.amount_pence);
        let payee = fields.check("/payee", &self.payee);
        let purpose = fields.check("/purpose", &self.purpose);
        let override_reason = fields.check_optional("/override_reason", self.override_reason.as_ref());
        let draft = SpendDraft {
            line: line?,
            amount: amount?,
            payee: payee?,
            purpose: purpose?,
            quote_file_id: self.quote_file_id.clone(),
        };
        Some((draft, override_reason?))
    }
}

/// Approve spending.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApproveSpendingRequest {
    /// Past the line's allocation, the reason for approving it anyway.
    #[serde(default)]
    pub override_reason: Option<NoteText>,
}

/// Reject spending.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RejectSpendingRequest {
    /// Why.
    pub reason: NoteText,
}

/// Record approved spending as paid.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordSpendingPaymentRequest {
    /// The day it was paid (default today; not in the future).
    #[serde(default)]
    pub paid_on: Option<NaiveDate>,
    /// The receipt: the id of a file uploaded to `/files`.
    pub receipt_file_id: String,
}

/// A line of a budget with what it has committed, paid and left.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct BudgetLineView {
    /// Its code.
    pub code: String,
    /// Its name.
    pub name: String,
    /// What it pays for.
    pub category: BudgetCategory,
    /// Its allocation, in pence.
    pub allocation_pence: i64,
    /// Approved and not yet paid, in pence.
    pub committed_pence: i64,
    /// Paid, in pence.
    pub paid_pence: i64,
    /// Proposed and awaiting approval, in pence (not yet committed).
    pub pending_pence: i64,
    /// The allocation less what is committed and paid, in pence (below zero when
    /// overspent with an override).
    pub remaining_pence: i64,
    /// How near its allocation it is.
    pub level: LineUseLevel,
}

/// A Group Officer's approval.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SpendingApprovalView {
    /// Who (their token's subject).
    pub by: String,
    /// When.
    pub on: NaiveDate,
    /// Why it was approved past the line's allocation.
    pub override_reason: Option<String>,
}

/// A piece of spending.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SpendingView {
    /// Its number within the budget.
    pub number: u16,
    /// Its own ETag: send it as `If-Match` to approve, reject or pay it; other
    /// spending on the budget does not stale it.
    pub etag: String,
    /// The line it is paid from.
    pub line: String,
    /// How much, in pence.
    pub amount_pence: i64,
    /// Who is paid.
    pub payee: String,
    /// What for.
    pub purpose: String,
    /// The quote or invoice (a stored file's id).
    pub quote_file_id: Option<String>,
    /// Who proposed it.
    pub proposed_by: String,
    /// When.
    pub proposed_on: NaiveDate,
    /// Why a Group Officer proposed it past the line's allocation.
    pub override_reason: Option<String>,
    /// Where it stands.
    pub status: SpendingStatus,
    /// How many different Group Officers must approve it.
    pub approvals_needed: u8,
    /// The approvals given.
    pub approvals: Vec<SpendingApprovalView>,
    /// Who rejected it, and why.
    pub rejected_by: Option<String>,
    /// Why it was rejected.
    pub rejection_reason: Option<String>,
    /// The day it was paid.
    pub paid_on: Option<NaiveDate>,
    /// The receipt (a stored file's id).
    pub receipt_file_id: Option<String>,
    /// While it waits for approval: `past_warning` when approving it takes its
    /// line past 80%, `over_allocation` past 100% (approving it then needs an
    /// override with a reason).
    pub warning: Option<LineUseLevel>,
}

impl SpendingView {
    fn new(spend: &Spend, line: LineUse) -> Self {
        let level = line.level_with(spend.draft.amount);
        let warning = (spend.is_pending() && level != caucus_domain::budget::UseLevel::Within)
            .then_some(LineUseLevel::from(level));
        Self {
            number: spend.number,
            etag: format!("\"{}\"", spend.changed_at),
            line: spend.draft.line.to_string(),
            amount_pence: spend.draft.amount.get(),
            payee: spend.draft.payee.to_string(),
            purpose: spend.draft.purpose.to_string(),
            quote_file_id: spend.draft.quote_file_id.clone(),
            proposed_by: spend.proposed_by.clone(),
            proposed_on: spend.proposed_on,
            override_reason: spend.override_reason.as_ref().map(ToString::to_string),
            status: spend.status().into(),
            approvals_needed: spend.approvals_needed,
            approvals: spend
                .approvals
                .iter()
                .map(|a| SpendingApprovalView {
                    by: a.by.clone(),
                    on: a.on,
                    override_reason: a.override_reason.as_ref().map(ToString::to_string),
                })
                .collect(),
            rejected_by: spend.rejection.as_ref().map(|r| r.by.clone()),
            rejection_reason: spend.rejection.as_ref().map(|r| r.reason.to_string()),
            paid_on: spend.payment.as_ref().map(|p| p.paid_on),
            receipt_file_id: spend.payment.as_ref().map(|p| p.receipt_file_id.clone()),
            warning,
        }
    }
}

/// Money moved between lines.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct BudgetTransferView {
    /// The line it left.
    pub from_line: String,
    /// The line it joined.
    pub to_line: String,
    /// How much, in pence.
    pub amount_pence: i64,
    /// Why.
    pub reason: String,
}

/// A budget's totals over its lines, in pence.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct BudgetTotalsView {
    /// Allocated.
    pub allocation_pence: i64,
    /// Approved, not yet paid.
    pub committed_pence: i64,
    /// Paid.
    pub paid_pence: i64,
    /// Allocated less committed and paid.
    pub remaining_pence: i64,
}

impl BudgetTotalsView {
    /// Adds a line's figures; `None` on overflow.
    pub fn with_line(self, line: LineUse) -> Option<Self> {
        Some(Self {
            allocation_pence: self.allocation_pence.checked_add(line.allocation.get())?,
            committed_pence: self.committed_pence.checked_add(line.committed.get())?,
            paid_pence: self.paid_pence.checked_add(line.paid.get())?,
            remaining_pence: self.remaining_pence.checked_add(line.remaining()?.get())?,
        })
    }
}

/// A ledger's budget for a financial year.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct BudgetView {
    /// Its id (derived from the group, ledger and year).
    pub id: Uuid,
    /// Which money.
    pub ledger: Ledger,
    /// The calendar year the financial year starts in.
    pub year: u16,
    /// The financial year as written, e.g. `2026-27`.
    pub year_label: String,
    /// Its first day, 1 April.
    pub starts_on: NaiveDate,
    /// Its last day, 31 March.
    pub ends_on: NaiveDate,
    /// Its lines with their figures.
    pub lines: Vec<BudgetLineView>,
    /// Its totals.
    pub totals: BudgetTotalsView,
    /// Money moved between lines, in order.
    pub transfers: Vec<BudgetTransferView>,
    /// Its spending, in the order proposed.
    pub spending: Vec<SpendingView>,
    /// Its version (the ETag).
    pub version: u64,
    /// When it was opened.
    pub created_at: String,
    /// When it last changed.
    pub updated_at: String,
}

/// The figures of a line, built from the domain's.
pub fn line_view(line: &Line, budget: &Budget) -> BudgetLineView {
    let use_of = budget.use_of(&line.code);
    BudgetLineView {
        code: line.code.to_string(),
        name: line.name.to_string(),
        category: line.category.into(),
        allocation_pence: line.allocation.get(),
        committed_pence: use_of.committed.get(),
        paid_pence: use_of.paid.get(),
        pending_pence: budget.pending_on(&line.code).get(),
        remaining_pence: use_of.remaining().map_or(i64::MIN, Pence::get),
        level: use_of.level_with(Pence::ZERO).into(),
    }
}

impl BudgetView {
    /// The view of `budget`; `None` before it is opened.
    pub fn new(id: Uuid, budget: &Budget, stored: Stored<'_>) -> Option<Self> {
        let (ledger, year) = (budget.ledger?, budget.year?);
        let totals = budget.lines.iter().try_fold(BudgetTotalsView::default(), |totals, line| {
            totals.with_line(budget.use_of(&line.code))
        })?;
        Some(Self {
            id,
            ledger: ledger.into(),
            year: year.year(),
            year_label: year.to_string(),
            starts_on: year.starts(),
            ends_on: year.ends(),
            lines: budget.lines.iter().map(|line| line_view(line, budget)).collect(),
            totals,
            transfers: budget
                .transfers
                .iter()
                .map(|t| BudgetTransferView {
                    from_line: t.from_line.to_string(),
                    to_line: t.to_line.to_string(),
                    amount_pence: t.amount.get(),
                    reason: t.reason.to_string(),
                })
                .collect(),
            spending: budget
                .spending
                .iter()
                .map(|spend| SpendingView::new(spend, budget.use_of(&spend.draft.line)))
                .collect(),
            version: stored.version,
            created_at: stored.created_at.to_owned(),
            updated_at: stored.updated_at.to_owned(),
        })
    }
}

/// Which budgets to list.
#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct BudgetFilters {
    /// Only this ledger's.
    #[param(inline)]
    pub ledger: Option<Ledger>,
    /// Only this financial year's (the calendar year it starts in, 2000 to 2100).
    #[param(minimum = 2000, maximum = 2100)]
    pub year: Option<u16>,
    /// Continue from the `next_cursor` of the previous page.
    #[param(inline)]
    pub cursor: Option<Cursor>,
    /// Page size, 1 to 200 (default 50).
    #[param(inline)]
    pub limit: Option<PageLimit>,
}

/// A page of budgets.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct BudgetPage {
    /// The budgets.
    pub items: Vec<BudgetView>,
    /// The next page's cursor.
    pub next_cursor: Option<String>,
}

/// How the statement is returned.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StatementFormat {
    /// JSON (`application/json`).
    #[default]
    Json,
    /// CSV, one row per line and a total per ledger (`text/csv`).
    Csv,
    /// Markdown, for the Treasurer's report (`text/markdown`).
    Markdown,
}

/// Which statement.
#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct BudgetStatementParams {
    /// One ledger (default both).
    #[param(inline)]
    pub ledger: Option<Ledger>,
    /// The calendar year the financial year starts in, 2000 to 2100 (default this financial year).
    #[param(minimum = 2000, maximum = 2100)]
    pub year: Option<u16>,
    /// The figures as they stood at this instant, from the events recorded by then (default now).
    pub as_of: Option<DateTime<Utc>>,
    /// `json` (default), `csv` or `markdown`.
    #[param(inline)]
    pub format: Option<StatementFormat>,
}

/// A line of the statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct StatementLineView {
    /// Its code.
    pub code: String,
    /// Its name.
    pub name: String,
    /// What it pays for.
    pub category: BudgetCategory,
    /// Its budget (allocation), in pence.
    pub budget_pence: i64,
    /// Approved, not yet paid, in pence.
    pub committed_pence: i64,
    /// Paid, in pence.
    pub paid_pence: i64,
    /// Budget less committed and paid, in pence.
    pub remaining_pence: i64,
}

/// A piece of spending as the statement lists it for those who may see payees.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct StatementSpendingView {
    /// Its number within its budget.
    pub number: u16,
    /// Its line.
    pub line: String,
    /// Who is paid.
    pub payee: String,
    /// What for.
    pub purpose: String,
    /// How much, in pence.
    pub amount_pence: i64,
    /// Where it stood.
    pub status: SpendingStatus,
    /// The day it was paid.
    pub paid_on: Option<NaiveDate>,
}

/// A ledger's part of the statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct StatementLedgerView {
    /// Which money.
    pub ledger: Ledger,
    /// Whether its budget was open (else it has no lines).
    pub opened: bool,
    /// Its lines.
    pub lines: Vec<StatementLineView>,
    /// Their totals.
    pub totals: BudgetTotalsView,
    /// Its spending with payees, for Group Officers, the office and auditors;
    /// absent for councillors.
    pub spending: Option<Vec<StatementSpendingView>>,
}

/// The year's statement: per ledger and line, the budget, what is committed,
/// paid and remaining.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct BudgetStatementView {
    /// The calendar year the financial year starts in.
    pub year: u16,
    /// The financial year as written, e.g. `2026-27`.
    pub year_label: String,
    /// The instant the figures stand at.
    pub as_of: DateTime<Utc>,
    /// Each ledger asked for.
    pub ledgers: Vec<StatementLedgerView>,
}

#[cfg(test)]
mod tests {
    use regex::Regex;

    use super::*;

    /// The line code's documented pattern accepts exactly what the domain accepts.
    #[test]
    fn the_line_code_pattern_is_the_domain_rule() {
        let pattern = Regex::new(caucus_domain::budget::LINE_CODE_PATTERN).expect("a valid pattern");
        let long = "a".repeat(33);
        for sample in
            ["it", "printing-2", "9", "-it", "IT", "it equipment", "", "it_", long.as_str(), &long[1..]]
        {
            assert_eq!(pattern.is_match(sample), LineCode::parse(sample).is_ok(), "{sample:?}");
        }
    }

    #[test]
    fn an_amount_is_whole_pence_more_than_nothing() {
        assert_eq!(PenceAmount(1).parse(), Ok(Pence::new(1)));
        assert!(PenceAmount(0).parse().is_err());
        assert!(PenceAmount(Pence::MAX_AMOUNT + 1).parse().is_err());
    }
}
