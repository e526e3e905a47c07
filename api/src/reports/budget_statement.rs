//! The year's budget statement, fit for the Treasurer's report at the AGM:
//! per ledger and line, the budget (allocation), what is committed (approved,
//! not yet paid), paid and remaining, with totals; as JSON, CSV and Markdown.
//! Pure: made from the budgets as they stood at the statement's instant.

use std::fmt::Write as _;

use caucus_wire::budget::{
    BudgetStatementView, BudgetTotalsView, StatementLedgerView, StatementLineView, StatementSpendingView,
};
use chrono::{DateTime, Utc};

use crate::domain::{
    FinancialYear, Pence,
    budget::{Budget, Ledger},
};

/// Whether the reader sees each ledger's spending with its payees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// Lines and totals only (councillors).
    Figures,
    /// Lines, totals and the spending with payees (the office, Group Officers, auditors).
    WithPayees,
}

/// The statement of `year` at `as_of` from each ledger's budget (`None`: not opened).
pub fn build(
    year: FinancialYear,
    as_of: DateTime<Utc>,
    budgets: &[(Ledger, Option<Budget>)],
    detail: Detail,
) -> BudgetStatementView {
    let ledgers =
        budgets.iter().map(|(ledger, budget)| ledger_part(*ledger, budget.as_ref(), detail)).collect();
    BudgetStatementView { year: year.year(), year_label: year.to_string(), as_of, ledgers }
}

fn ledger_part(ledger: Ledger, budget: Option<&Budget>, detail: Detail) -> StatementLedgerView {
    let Some(budget) = budget else {
        let spending = (detail == Detail::WithPayees).then(Vec::new);
        return StatementLedgerView {
            ledger: ledger.into(),
            opened: false,
            lines: Vec::new(),
            totals: BudgetTotalsView::default(),
            spending,
        };
    };
    let mut totals = BudgetTotalsView::default();
    let mut lines = Vec::with_capacity(budget.lines.len());
    for line in &budget.lines {
        let use_of = budget.use_of(&line.code);
        // Amounts are bounded (Pence::MAX_AMOUNT each, u16 pieces of spending),
        // so these sums do not overflow; were one to, the figure saturates visibly.
        totals = totals.with_line(use_of).unwrap_or(totals);
        lines.push(StatementLineView {
            code: line.code.to_string(),
            name: line.name.to_string(),
            category: line.category.into(),
            budget_pence: use_of.allocation.get(),
            committed_pence: use_of.committed.get(),
            paid_pence: use_of.paid.get(),
            remaining_pence: use_of.remaining().map_or(i64::MIN, Pence::get),
        });
    }
    let spending = (detail == Detail::WithPayees).then(|| {
        budget
            .spending
            .iter()
            .map(|spend| StatementSpendingView {
                number: spend.number,
                line: spend.draft.line.to_string(),
                payee: spend.draft.payee.to_string(),
                purpose: spend.draft.purpose.to_string(),
                amount_pence: spend.draft.amount.get(),
                status: spend.status().into(),
                paid_on: spend.payment.as_ref().map(|p| p.paid_on),
            })
            .collect()
    });
    StatementLedgerView { ledger: ledger.into(), opened: true, lines, totals, spending }
}

fn ledger_words(ledger: caucus_wire::budget::Ledger) -> &'static str {
    match ledger {
        caucus_wire::budget::Ledger::Council => "Council-provided resources",
        caucus_wire::budget::Ledger::Group => "The group's own funds",
    }
}

/// The statement as CSV: a header, then one row per line and a total row per
/// ledger (code `total`), amounts in whole pence.
pub fn to_csv(statement: &BudgetStatementView) -> Result<String, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record([
        "year",
        "ledger",
        "code",
        "name",
        "category",
        "budget_pence",
        "committed_pence",
        "paid_pence",
        "remaining_pence",
    ])?;
    let ledger_word = |ledger: caucus_wire::budget::Ledger| match ledger {
        caucus_wire::budget::Ledger::Council => "council",
        caucus_wire::budget::Ledger::Group => "group",
    };
    for part in &statement.ledgers {
        let ledger = ledger_word(part.ledger);
        for line in &part.lines {
            let category = serde_json::to_value(line.category)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            writer.write_record([
                statement.year_label.as_str(),
                ledger,
                &line.code,
                &line.name,
                &category,
                &line.budget_pence.to_string(),
                &line.committed_pence.to_string(),
                &line.paid_pence.to_string(),
                &line.remaining_pence.to_string(),
            ])?;
        }
        let t = part.totals;
        writer.write_record([
            statement.year_label.as_str(),
            ledger,
            "total",
            "Total",
            "",
            &t.allocation_pence.to_string(),
            &t.committed_pence.to_string(),
            &t.paid_pence.to_string(),
            &t.remaining_pence.to_string(),
        ])?;
    }
    let bytes = writer.into_inner().map_err(|e| csv::Error::from(e.into_error()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// The statement as Markdown for the Treasurer's report, pounds shown from
/// pence by integer arithmetic.
pub fn to_markdown(statement: &BudgetStatementView, group_name: &str) -> String {
    let money = |pence: i64| Pence::new(pence).to_string();
    let mut md = String::new();
    // Writing to a String cannot fail.
    let _ = writeln!(md, "# Budget statement {}: {group_name}\n", statement.year_label);
    let _ = writeln!(md, "Figures as at {}.\n", statement.as_of.format("%-d %B %Y %H:%M UTC"));
    for part in &statement.ledgers {
        let _ = writeln!(md, "## {}\n", ledger_words(part.ledger));
        if !part.opened {
            md.push_str("No budget was opened for this ledger.\n\n");
            continue;
        }
        md.push_str(
            "| Line | Budget | Committed | Paid | Remaining |\n| --- | ---: | ---: | ---: | ---: |\n",
        );
        for line in &part.lines {
            let _ = writeln!(
                md,
                "| {} ({}) | {} | {} | {} | {} |",
                line.name.replace('|', "/"),
                line.code,
                money(line.budget_pence),
                money(line.committed_pence),
                money(line.paid_pence),
                money(line.remaining_pence)
            );
        }
        let t = part.totals;
        let _ = writeln!(
            md,
            "| **Total** | **{}** | **{}** | **{}** | **{}** |\n",
            money(t.allocation_pence),
            money(t.committed_pence),
            money(t.paid_pence),
            money(t.remaining_pence)
        );
        if let Some(spending) = part.spending.as_ref().filter(|s| !s.is_empty()) {
            md.push_str("| No. | Line | Payee | Purpose | Amount | Status |\n| ---: | --- | --- | --- | ---: | --- |\n");
            for s in spending {
                let status = serde_json::to_value(s.status)
                    .ok()
                    .and_then(|v| v.as_str().map(|w| w.replace('_', " ")))
                    .unwrap_or_default();
                let _ = writeln!(
                    md,
                    "| {} | {} | {} | {} | {} | {status} |",
                    s.number,
                    s.line,
                    s.payee.replace('|', "/"),
                    s.purpose.replace(['|', '\n'], " "),
                    money(s.amount_pence)
                );
            }
            md.push('\n');
        }
    }
    md
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{
        GroupId, Title,
        budget::{BudgetEvent, Category, Line, LineCode},
    };
    use cqrs_es::Aggregate;

    fn budget() -> Budget {
        let mut budget = Budget::default();
        let group_id = GroupId::parse("newham-labour").expect("group");
        let year = FinancialYear::starting(2026).expect("year");
        budget.apply(BudgetEvent::BudgetOpened { group_id, ledger: Ledger::Council, year });
        let line = Line {
            code: LineCode::parse("it").expect("code"),
            name: Title::parse("IT | equipment").expect("name"),
            category: Category::ItEquipment,
            allocation: Pence::new(123_456),
        };
        budget.apply(BudgetEvent::LineAdded { line });
        budget
    }

    #[test]
    fn the_statement_shows_pounds_in_markdown_and_pence_in_csv() {
        let year = FinancialYear::starting(2026).expect("year");
        let as_of = DateTime::<Utc>::UNIX_EPOCH;
        let statement =
            build(year, as_of, &[(Ledger::Council, Some(budget())), (Ledger::Group, None)], Detail::Figures);
        let md = to_markdown(&statement, "Newham Labour Group");
        assert!(md.contains("| IT / equipment (it) | £1,234.56 | £0.00 | £0.00 | £1,234.56 |"), "{md}");
        assert!(md.contains("No budget was opened"), "{md}");
        let csv = to_csv(&statement).expect("csv");
        assert!(csv.contains("2026-27,council,it,IT | equipment,it_equipment,123456,0,0,123456"), "{csv}");
        assert!(csv.contains("2026-27,council,total,Total,,123456,0,0,123456"), "{csv}");
        assert_eq!(statement.ledgers[0].spending, None);
    }
}
