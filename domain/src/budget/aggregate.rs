use chrono::NaiveDate;
use cqrs_es::{Aggregate, DomainEvent, event_sink::EventSink};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::lines::{Category, Ledger, Line, LineCode, LineUse, UseLevel};
use super::spending::{Approval, Payment, Rejection, Spend, SpendDraft, SpendStatus};
use crate::{
    Classification, DomainError, FinancialYear, GroupId, Note, Pence, Record, RecordIndex, Refusal, tag,
};

/// The id of the group's budget for `ledger` in `year`: one each, found without a lookup.
pub fn budget_id(group_id: &GroupId, ledger: Ledger, year: FinancialYear) -> Uuid {
    let name = format!("caucus/budget/{group_id}/{}/{}", ledger.as_str(), year.year());
    Uuid::new_v5(&Uuid::NAMESPACE_URL, name.as_bytes())
}

/// What a caller can ask of a budget.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BudgetCommand {
    /// Open the budget of a ledger for a financial year.
    Open {
        /// The group.
        group_id: GroupId,
        /// Which money.
        ledger: Ledger,
        /// Which year.
        year: FinancialYear,
    },
    /// Add a line with its allocation.
    AddLine {
        /// The line.
        line: Line,
    },
    /// Set a line's allocation, saying why.
    AllocateLine {
        /// The line.
        code: LineCode,
        /// Its new allocation.
        allocation: Pence,
        /// Why.
        reason: Note,
    },
    /// Move money from one line to another, saying why.
    MoveMoney {
        /// The line it leaves.
        from_line: LineCode,
        /// The line it joins.
        to_line: LineCode,
        /// How much.
        amount: Pence,
        /// Why.
        reason: Note,
    },
    /// Propose spending against a line.
    Propose {
        /// What, how much, to whom.
        draft: SpendDraft,
        /// Who proposes it.
        by: String,
        /// When.
        on: NaiveDate,
        /// Spending above this needs two different approvers (the group's setting).
        two_approvers_above: Pence,
        /// A Group Officer's reason for proposing it past the line's allocation.
        override_reason: Option<Note>,
    },
    /// Approve spending (a Group Officer).
    Approve {
        /// Which.
        number: u16,
        /// Who approves it.
        by: String,
        /// When.
        on: NaiveDate,
        /// The reason for approving it past the line's allocation.
        override_reason: Option<Note>,
        /// The spending's ETag the approver read, if they sent one.
        seen: Option<u64>,
    },
    /// Reject spending (a Group Officer).
    Reject {
        /// Which.
        number: u16,
        /// Who rejects it.
        by: String,
        /// When.
        on: NaiveDate,
        /// Why.
        reason: Note,
        /// The spending's ETag the caller read, if they sent one.
        seen: Option<u64>,
    },
    /// Record approved spending as paid.
    RecordPayment {
        /// Which.
        number: u16,
        /// The payment.
        payment: Payment,
        /// The spending's ETag the caller read, if they sent one.
        seen: Option<u64>,
    },
}

/// Everything that can happen to a budget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum BudgetEvent {
    /// The budget was opened.
    BudgetOpened {
        /// The group.
        group_id: GroupId,
        /// Which money.
        ledger: Ledger,
        /// Which year.
        year: FinancialYear,
    },
    /// A line was added.
    LineAdded {
        /// The line with its first allocation.
        line: Line,
    },
    /// A line's allocation was set.
    LineAllocated {
        /// The line.
        code: LineCode,
        /// Its allocation from now.
        allocation: Pence,
        /// Why.
        reason: Note,
    },
    /// Money moved between lines.
    MoneyMoved {
        /// The line it left.
        from_line: LineCode,
        /// The line it joined.
        to_line: LineCode,
        /// How much.
        amount: Pence,
        /// Why.
        reason: Note,
    },
    /// Spending was proposed.
    SpendingProposed {
        /// The spending, pending.
        spend: Box<Spend>,
    },
    /// Spending was approved once more.
    SpendingApproved {
        /// Which.
        number: u16,
        /// By whom, when, and the override's reason if any.
        approval: Approval,
    },
    /// Spending was rejected.
    SpendingRejected {
        /// Which.
        number: u16,
        /// By whom, when, why.
        rejection: Rejection,
    },
    /// Approved spending was paid.
    SpendingPaid {
        /// Which.
        number: u16,
        /// When, with the receipt.
        payment: Payment,
    },
}

impl DomainEvent for BudgetEvent {
    fn event_type(&self) -> String {
        match self {
            Self::BudgetOpened { .. } => "BudgetOpened",
            Self::LineAdded { .. } => "LineAdded",
            Self::LineAllocated { .. } => "LineAllocated",
            Self::MoneyMoved { .. } => "MoneyMoved",
            Self::SpendingProposed { .. } => "SpendingProposed",
            Self::SpendingApproved { .. } => "SpendingApproved",
            Self::SpendingRejected { .. } => "SpendingRejected",
            Self::SpendingPaid { .. } => "SpendingPaid",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        "1.0.0".to_owned()
    }
}

/// A money movement between lines, kept for the statement's story of the year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transfer {
    /// The line it left.
    pub from_line: LineCode,
    /// The line it joined.
    pub to_line: LineCode,
    /// How much.
    pub amount: Pence,
    /// Why.
    pub reason: Note,
}

/// A ledger's budget for a financial year, as its events have built it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Budget {
    /// The owning group.
    pub group_id: Option<GroupId>,
    /// Which money.
    pub ledger: Option<Ledger>,
    /// Which year.
    pub year: Option<FinancialYear>,
    /// Its lines, in the order added.
    #[serde(default)]
    pub lines: Vec<Line>,
    /// Money moved between lines, in order.
    #[serde(default)]
    pub transfers: Vec<Transfer>,
    /// Its spending, numbered from 1 in the order proposed.
    #[serde(default)]
    pub spending: Vec<Spend>,
    /// How many events built it: the record's version, so each piece of
    /// spending can say when it last changed.
    #[serde(default)]
    pub version: u64,
}

/// Why a budget command was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BudgetError {
    /// Opened already.
    #[error("this budget is open already")]
    AlreadyOpen,
    /// Not opened yet.
    #[error("this budget has not been opened")]
    NotOpen,
    /// A line code used already.
    #[error("a line with code {0} is in this budget already")]
    LineExists(LineCode),
    /// A line the budget does not have.
    #[error("no line {code} in this budget")]
    NoSuchLine {
        /// The code.
        code: LineCode,
        /// The request's field that named it.
        pointer: &'static str,
    },
    /// A party-political category on council money.
    #[error(
        "party-political spending on council money: {} may not be paid for from council-provided resources, only from the group's own funds",
        .0.as_str()
    )]
    PartyPoliticalOnCouncil(Category),
    /// A line's allocation below what it has committed and paid.
    #[error(
        "allocation below what is spent: line {code} has {used} committed or paid, more than the {allocation} it would have"
    )]
    BelowSpent {
        /// The line.
        code: LineCode,
        /// Committed and paid.
        used: Pence,
        /// The allocation it would have.
        allocation: Pence,
    },
    /// Money moved from a line to itself.
    #[error("money moves between two different lines")]
    SameLine,
    /// Spending past the line's allocation without an override.
    #[error(
        "over allocation: {amount} would take line {code} past its allocation ({remaining} remaining); a Group Officer may override with a reason"
    )]
    OverAllocation {
        /// The line.
        code: LineCode,
        /// The amount.
        amount: Pence,
        /// What is left on the line.
        remaining: Pence,
    },
    /// No such spending.
    #[error("no such spending in this budget")]
    NoSuchSpending,
    /// The proposer approving their own spending.
    #[error("self-approval: spending is approved by a Group Officer other than whoever proposed it")]
    SelfApproval,
    /// The first approver approving again.
    #[error("two-approver rule: this spending needs a second approval from a different Group Officer")]
    SameApprover,
    /// Approving or rejecting spending no longer pending.
    #[error("this spending is {} and no longer waits for approval", .0.as_str())]
    NotPending(SpendStatus),
    /// Paying spending not approved.
    #[error("only approved spending is paid: this spending is {}", .0.as_str())]
    NotApproved(SpendStatus),
    /// The spending changed since the caller read it.
    #[error("this spending has changed since you read it (its ETag is now {0})")]
    Stale(u64),
    /// A sum too large.
    #[error("the sum is too large")]
    Overflow,
}

impl DomainError for BudgetError {
    fn refusal(&self) -> Refusal {
        match self {
            Self::NotOpen | Self::NoSuchSpending => Refusal::NotFound,
            Self::NoSuchLine { .. } | Self::SameLine | Self::Overflow => Refusal::Invalid,
            Self::AlreadyOpen
            | Self::LineExists(_)
            | Self::PartyPoliticalOnCouncil(_)
            | Self::BelowSpent { .. }
            | Self::OverAllocation { .. }
            | Self::SelfApproval
            | Self::SameApprover
            | Self::NotPending(_)
            | Self::NotApproved(_)
            | Self::Stale(_) => Refusal::Conflict,
        }
    }

    fn fields(&self) -> Vec<(String, String)> {
        match self {
            Self::NoSuchLine { pointer, .. } => vec![((*pointer).to_owned(), self.to_string())],
            Self::SameLine => vec![("/to_line".to_owned(), self.to_string())],
            Self::Overflow => vec![("/amount_pence".to_owned(), self.to_string())],
            _ => Vec::new(),
        }
    }
}

impl Budget {
    /// The line `code`.
    pub fn line(&self, code: &LineCode) -> Option<&Line> {
        self.lines.iter().find(|line| &line.code == code)
    }

    /// The spending numbered `number`.
    pub fn spend(&self, number: u16) -> Option<&Spend> {
        self.spending.iter().find(|spend| spend.number == number)
    }

    /// How far line `code`'s money is used.
    pub fn use_of(&self, code: &LineCode) -> LineUse {
        let allocation = self.line(code).map_or(Pence::ZERO, |line| line.allocation);
        let on_line = |status: SpendStatus| {
            self.spending
                .iter()
                .filter(move |s| &s.draft.line == code && s.status() == status)
                .map(|s| s.draft.amount)
        };
        // Amounts are at most Pence::MAX_AMOUNT and spending at most u16::MAX
        // pieces, so these sums cannot overflow.
        LineUse {
            allocation,
            committed: Pence::sum(on_line(SpendStatus::Approved)).unwrap_or(Pence::new(i64::MAX)),
            paid: Pence::sum(on_line(SpendStatus::Paid)).unwrap_or(Pence::new(i64::MAX)),
        }
    }

    /// What is proposed on line `code` and not yet decided.
    pub fn pending_on(&self, code: &LineCode) -> Pence {
        let pending = self.spending.iter().filter(|s| &s.draft.line == code && s.is_pending());
        Pence::sum(pending.map(|s| s.draft.amount)).unwrap_or(Pence::new(i64::MAX))
    }

    fn require_line(&self, code: &LineCode, pointer: &'static str) -> Result<&Line, BudgetError> {
        self.line(code).ok_or_else(|| BudgetError::NoSuchLine { code: code.clone(), pointer })
    }

    /// Refuses a line's allocation below what it has committed and paid.
    fn check_allocation(&self, code: &LineCode, allocation: Pence) -> Result<(), BudgetError> {
        let used = self.use_of(code).used().ok_or(BudgetError::Overflow)?;
        if allocation < used {
            return Err(BudgetError::BelowSpent { code: code.clone(), used, allocation });
        }
        Ok(())
    }

    /// Refuses committing `amount` more to line `code` past its allocation
    /// unless overridden: the one place the 100% rule is checked.
    fn check_room(&self, code: &LineCode, amount: Pence, overridden: bool) -> Result<(), BudgetError> {
        let use_of = self.use_of(code);
        if use_of.level_with(amount) == UseLevel::OverAllocation && !overridden {
            let remaining = use_of.remaining().ok_or(BudgetError::Overflow)?;
            return Err(BudgetError::OverAllocation { code: code.clone(), amount, remaining });
        }
        Ok(())
    }

    /// The pending spending `number`, as the caller read it.
    fn pending(&self, number: u16, seen: Option<u64>) -> Result<&Spend, BudgetError> {
        let spend = self.current(number, seen)?;
        if !spend.is_pending() {
            return Err(BudgetError::NotPending(spend.status()));
        }
        Ok(spend)
    }

    /// The spending `number`, refused if it changed after the version the caller read.
    fn current(&self, number: u16, seen: Option<u64>) -> Result<&Spend, BudgetError> {
        let spend = self.spend(number).ok_or(BudgetError::NoSuchSpending)?;
        match seen {
            Some(seen) if seen < spend.changed_at => Err(BudgetError::Stale(spend.changed_at)),
            _ => Ok(spend),
        }
    }

    fn ledger(&self) -> Result<Ledger, BudgetError> {
        self.ledger.ok_or(BudgetError::NotOpen)
    }
}

impl Aggregate for Budget {
    const TYPE: &'static str = "Budget";
    type Command = BudgetCommand;
    type Event = BudgetEvent;
    type Error = BudgetError;
    type Services = ();

    async fn handle(
        &mut self,
        command: BudgetCommand,
        _: &(),
        sink: &EventSink<Self>,
    ) -> Result<(), BudgetError> {
        if !matches!(command, BudgetCommand::Open { .. }) {
            self.ledger()?;
        }
        match command {
            BudgetCommand::Open { group_id, ledger, year } => {
                if self.ledger.is_some() {
                    return Err(BudgetError::AlreadyOpen);
                }
                sink.write(BudgetEvent::BudgetOpened { group_id, ledger, year }, self).await;
            }
            BudgetCommand::AddLine { line } => {
                if self.line(&line.code).is_some() {
                    return Err(BudgetError::LineExists(line.code));
                }
                if self.ledger()? == Ledger::Council && line.category.is_party_political() {
                    return Err(BudgetError::PartyPoliticalOnCouncil(line.category));
                }
                sink.write(BudgetEvent::LineAdded { line }, self).await;
            }
            BudgetCommand::AllocateLine { code, allocation, reason } => {
                self.require_line(&code, "/code")?;
                self.check_allocation(&code, allocation)?;
                sink.write(BudgetEvent::LineAllocated { code, allocation, reason }, self).await;
            }
            BudgetCommand::MoveMoney { from_line, to_line, amount, reason } => {
                if from_line == to_line {
                    return Err(BudgetError::SameLine);
                }
                let from = self.require_line(&from_line, "/from_line")?.allocation;
                let to = self.require_line(&to_line, "/to_line")?.allocation;
                to.plus(amount).map_err(|_| BudgetError::Overflow)?;
                // Money never leaves a line below what it has committed and paid:
                // what is approved stays paid for.
                self.check_allocation(&from_line, from.minus(amount).map_err(|_| BudgetError::Overflow)?)?;
                sink.write(BudgetEvent::MoneyMoved { from_line, to_line, amount, reason }, self).await;
            }
            BudgetCommand::Propose { draft, by, on, two_approvers_above, override_reason } => {
                let line = self.require_line(&draft.line, "/line")?;
                if self.ledger()? == Ledger::Council && line.category.is_party_political() {
                    return Err(BudgetError::PartyPoliticalOnCouncil(line.category));
                }
                self.check_room(&draft.line, draft.amount, override_reason.is_some())?;
                let number = u16::try_from(self.spending.len() + 1).map_err(|_| BudgetError::Overflow)?;
                let approvals_needed = if draft.amount > two_approvers_above { 2 } else { 1 };
                let spend = Spend {
                    number,
                    draft,
                    proposed_by: by,
                    proposed_on: on,
                    override_reason,
                    approvals_needed,
                    approvals: Vec::new(),
                    rejection: None,
                    payment: None,
                    changed_at: 0,
                };
                sink.write(BudgetEvent::SpendingProposed { spend: Box::new(spend) }, self).await;
            }
            BudgetCommand::Approve { number, by, on, override_reason, seen } => {
                let spend = self.pending(number, seen)?;
                if spend.proposed_by == by {
                    return Err(BudgetError::SelfApproval);
                }
                if spend.approvals.iter().any(|approval| approval.by == by) {
                    return Err(BudgetError::SameApprover);
                }
                self.check_room(&spend.draft.line, spend.draft.amount, override_reason.is_some())?;
                let approval = Approval { by, on, override_reason };
                sink.write(BudgetEvent::SpendingApproved { number, approval }, self).await;
            }
            BudgetCommand::Reject { number, by, on, reason, seen } => {
                self.pending(number, seen)?;
                let rejection = Rejection { by, on, reason };
                sink.write(BudgetEvent::SpendingRejected { number, rejection }, self).await;
            }
            BudgetCommand::RecordPayment { number, payment, seen } => {
                let status = self.current(number, seen)?.status();
                if status != SpendStatus::Approved {
                    return Err(BudgetError::NotApproved(status));
                }
                sink.write(BudgetEvent::SpendingPaid { number, payment }, self).await;
            }
        }
        Ok(())
    }

    fn apply(&mut self, event: BudgetEvent) {
        self.version += 1;
        let version = self.version;
        let mut touch = |number: u16, change: &mut dyn FnMut(&mut Spend)| {
            if let Some(spend) = self.spending.iter_mut().find(|spend| spend.number == number) {
                change(spend);
                spend.changed_at = version;
            }
        };
        match event {
            BudgetEvent::BudgetOpened { group_id, ledger, year } => {
                self.group_id = Some(group_id);
                self.ledger = Some(ledger);
                self.year = Some(year);
            }
            BudgetEvent::LineAdded { line } => self.lines.push(line),
            BudgetEvent::LineAllocated { code, allocation, .. } => {
                if let Some(line) = self.lines.iter_mut().find(|line| line.code == code) {
                    line.allocation = allocation;
                }
            }
            BudgetEvent::MoneyMoved { from_line, to_line, amount, reason } => {
                for line in &mut self.lines {
                    if line.code == from_line {
                        line.allocation = line.allocation.checked_sub(amount).unwrap_or(line.allocation);
                    } else if line.code == to_line {
                        line.allocation = line.allocation.checked_add(amount).unwrap_or(line.allocation);
                    }
                }
                self.transfers.push(Transfer { from_line, to_line, amount, reason });
            }
            BudgetEvent::SpendingProposed { mut spend } => {
                spend.changed_at = version;
                self.spending.push(*spend);
            }
            BudgetEvent::SpendingApproved { number, approval } => {
                let mut approval = Some(approval);
                touch(number, &mut |spend| spend.approvals.extend(approval.take()));
            }
            BudgetEvent::SpendingRejected { number, rejection } => {
                let mut rejection = Some(rejection);
                touch(number, &mut |spend| spend.rejection = rejection.take());
            }
            BudgetEvent::SpendingPaid { number, payment } => {
                let mut payment = Some(payment);
                touch(number, &mut |spend| spend.payment = payment.take());
            }
        }
    }
}

impl Record for Budget {
    fn group_id(&self) -> Option<&GroupId> {
        self.group_id.as_ref()
    }

    /// Payees and what the group pays them are for Group Officers and the
    /// office; councillors see the statement, made without them.
    fn classification(&self) -> Classification {
        Classification::Officers
    }

    fn status(&self) -> &'static str {
        "open"
    }

    /// Its last day, and tags for its ledger, its year and each line's
    /// pending spending.
    fn index(&self) -> RecordIndex {
        let mut tags: Vec<String> =
            self.ledger.map(|ledger| tag("ledger", ledger.as_str())).into_iter().collect();
        tags.extend(self.year.map(|year| tag("year", year.year())));
        if self.spending.iter().any(Spend::is_pending) {
            tags.push(tag("awaiting", "approval"));
        }
        RecordIndex { due_on: self.year.map(FinancialYear::ends), tags, ..RecordIndex::default() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Title;

    fn code(text: &str) -> LineCode {
        LineCode::parse(text).expect("code")
    }

    fn note(text: &str) -> Note {
        Note::parse(text).expect("note")
    }

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 6, 1).expect("day")
    }

    fn run(budget: &mut Budget, command: BudgetCommand) -> Result<Vec<BudgetEvent>, BudgetError> {
        let runtime = tokio::runtime::Builder::new_current_thread().build().expect("runtime");
        runtime.block_on(async {
            let sink = EventSink::default();
            budget.handle(command, &(), &sink).await?;
            Ok(sink.collect().await)
        })
    }

    fn opened(ledger: Ledger) -> Budget {
        let mut budget = Budget::default();
        let group_id = GroupId::parse("newham-labour").expect("group");
        let year = FinancialYear::starting(2026).expect("year");
        run(&mut budget, BudgetCommand::Open { group_id, ledger, year }).expect("opened");
        budget
    }

    fn add_line(budget: &mut Budget, text: &str, category: Category, pounds: i64) -> Result<(), BudgetError> {
        let line = Line {
            code: code(text),
            name: Title::parse(text).expect("name"),
            category,
            allocation: Pence::pounds(pounds),
        };
        run(budget, BudgetCommand::AddLine { line }).map(drop)
    }

    fn propose(
        budget: &mut Budget,
        by: &str,
        pence: i64,
        override_reason: Option<Note>,
    ) -> Result<u16, BudgetError> {
        let draft = SpendDraft {
            line: code("it"),
            amount: Pence::new(pence),
            payee: Title::parse("PC World").expect("payee"),
            purpose: note("A laptop"),
            quote_file_id: None,
        };
        let command = BudgetCommand::Propose {
            draft,
            by: by.to_owned(),
            on: day(),
            two_approvers_above: Pence::pounds(500),
            override_reason,
        };
        run(budget, command)?;
        Ok(budget.spending.last().map(|s| s.number).unwrap_or_default())
    }

    fn approve(
        budget: &mut Budget,
        number: u16,
        by: &str,
        override_reason: Option<Note>,
    ) -> Result<(), BudgetError> {
        let command =
            BudgetCommand::Approve { number, by: by.to_owned(), on: day(), override_reason, seen: None };
        run(budget, command).map(drop)
    }

    /// Approves by the Leader and, where two approvers are needed, a second officer.
    fn approve_fully(
        budget: &mut Budget,
        number: u16,
        override_reason: Option<Note>,
    ) -> Result<(), BudgetError> {
        approve(budget, number, "leader", override_reason.clone())?;
        if budget.spend(number).is_some_and(Spend::is_pending) {
            approve(budget, number, "officer-2", override_reason)?;
        }
        Ok(())
    }

    fn it_budget() -> Budget {
        let mut budget = opened(Ledger::Council);
        add_line(&mut budget, "it", Category::ItEquipment, 1_000).expect("line");
        budget
    }

    #[test]
    fn council_money_refuses_party_political_categories_and_group_funds_take_them() {
        let mut council = opened(Ledger::Council);
        assert_eq!(
            add_line(&mut council, "leaflets", Category::CampaignMaterial, 100),
            Err(BudgetError::PartyPoliticalOnCouncil(Category::CampaignMaterial))
        );
        let mut group = opened(Ledger::Group);
        add_line(&mut group, "leaflets", Category::CampaignMaterial, 100).expect("group funds");
    }

    #[test]
    fn nobody_approves_their_own_spending() {
        let mut budget = it_budget();
        let number = propose(&mut budget, "officer-1", 10_000, None).expect("proposed");
        assert_eq!(approve(&mut budget, number, "officer-1", None), Err(BudgetError::SelfApproval));
        approve(&mut budget, number, "leader", None).expect("approved");
        assert_eq!(budget.spending[0].status(), SpendStatus::Approved);
    }

    #[test]
    fn above_the_threshold_two_different_officers_approve() {
        let mut budget = it_budget();
        let at_threshold = propose(&mut budget, "assistant", 50_000, None).expect("proposed");
        assert_eq!(budget.spend(at_threshold).map(|s| s.approvals_needed), Some(1));
        let above = propose(&mut budget, "assistant", 50_001, None).expect("proposed");
        approve(&mut budget, above, "officer-1", None).expect("first");
        assert_eq!(budget.spend(above).map(Spend::status), Some(SpendStatus::AwaitingSecondApproval));
        assert_eq!(approve(&mut budget, above, "officer-1", None), Err(BudgetError::SameApprover));
        approve(&mut budget, above, "leader", None).expect("second");
        assert_eq!(budget.spend(above).map(Spend::status), Some(SpendStatus::Approved));
    }

    #[test]
    fn past_the_allocation_is_refused_unless_an_officer_overrides_with_a_reason() {
        let mut budget = it_budget();
        let first = propose(&mut budget, "assistant", 80_000, None).expect("proposed");
        assert_eq!(budget.use_of(&code("it")).level_with(Pence::new(80_000)), UseLevel::Within);
        assert_eq!(budget.use_of(&code("it")).level_with(Pence::new(80_001)), UseLevel::PastWarning);
        approve_fully(&mut budget, first, None).expect("approved");
        let refused = propose(&mut budget, "assistant", 20_001, None);
        assert!(
            matches!(refused, Err(BudgetError::OverAllocation { remaining, .. }) if remaining == Pence::new(20_000))
        );
        let exactly = propose(&mut budget, "assistant", 20_000, None).expect("up to 100% is allowed");
        approve(&mut budget, exactly, "leader", None).expect("approved");
        let over = propose(&mut budget, "officer-1", 1, Some(note("Broken screen"))).expect("overridden");
        assert_eq!(
            approve(&mut budget, over, "leader", None).map_err(|e| e.refusal()),
            Err(Refusal::Conflict)
        );
        approve(&mut budget, over, "leader", Some(note("Needed for the AGM"))).expect("overridden");
        assert_eq!(budget.use_of(&code("it")).remaining(), Some(Pence::new(-1)));
    }

    #[test]
    fn money_moves_with_a_reason_but_never_below_what_is_committed() {
        let mut budget = it_budget();
        add_line(&mut budget, "training", Category::Training, 200).expect("line");
        let number = propose(&mut budget, "assistant", 90_000, None).expect("proposed");
        approve_fully(&mut budget, number, None).expect("approved");
        let mv = |pounds| BudgetCommand::MoveMoney {
            from_line: code("it"),
            to_line: code("training"),
            amount: Pence::pounds(pounds),
            reason: note("More courses"),
        };
        assert!(matches!(run(&mut budget, mv(101)), Err(BudgetError::BelowSpent { .. })));
        run(&mut budget, mv(100)).expect("moved");
        assert_eq!(budget.line(&code("it")).map(|l| l.allocation), Some(Pence::pounds(900)));
        assert_eq!(budget.line(&code("training")).map(|l| l.allocation), Some(Pence::pounds(300)));
        assert_eq!(budget.transfers.len(), 1);
    }

    #[test]
    fn approved_spending_is_paid_once_and_a_stale_etag_is_refused() {
        let mut budget = it_budget();
        let number = propose(&mut budget, "assistant", 5_000, None).expect("proposed");
        let seen = budget.spend(number).map(|s| s.changed_at);
        propose(&mut budget, "assistant", 1_000, None).expect("another");
        let payment = Payment { by: "assistant".to_owned(), paid_on: day(), receipt_file_id: "a".repeat(64) };
        let pay = |seen| BudgetCommand::RecordPayment { number, payment: payment.clone(), seen };
        assert_eq!(run(&mut budget, pay(None)), Err(BudgetError::NotApproved(SpendStatus::Proposed)));
        // Other spending changed the budget, not this piece: the ETag read still holds.
        let approve_seen = BudgetCommand::Approve {
            number,
            by: "leader".to_owned(),
            on: day(),
            override_reason: None,
            seen,
        };
        run(&mut budget, approve_seen).expect("approved");
        assert!(matches!(run(&mut budget, pay(seen)), Err(BudgetError::Stale(_))));
        run(&mut budget, pay(None)).expect("paid");
        let use_of = budget.use_of(&code("it"));
        assert_eq!((use_of.committed, use_of.paid), (Pence::ZERO, Pence::new(5_000)));
        assert_eq!(budget.version, 6);
    }
}
