//! The group's budget (issue 18): its budgets by financial year and ledger
//! with their totals, and the office's form opening one; a budget's lines
//! (allocation, committed, paid, pending, remaining, the 80% and 100%
//! warnings) and spending. The forms changing a budget are in
//! `budget/forms.rs`, one piece of spending and its approval, rejection and
//! payment in `budget/spending.rs`, the year's statement in
//! `budget/statement.rs`. Amounts are typed in pounds, read exactly by
//! `Pence`'s `FromStr`, and shown by its `Display`: never a float.

mod forms;
mod spending;
mod statement;

pub(super) use forms::{budget_form_routes, open, open_page, propose, propose_page};
pub(super) use spending::{approve, budget_file, pay, reject, spending_page};
pub(super) use statement::{statement_csv, statement_markdown, statement_page};

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, get, web};
use caucus_wire::Pence;
use caucus_wire::budget::{BudgetCategory, BudgetView, Ledger, LineUseLevel, SpendingStatus, SpendingView};
use serde_json::{Value, json};
use uuid::Uuid;

use super::query::DoneQuery;
use super::{
    FieldErrors, OFFICE, Page, PageError, State, SubjectNames, UploadForm, made, see_other, signed_in,
};
use crate::api::ApiFailure;
use crate::present::{long_date, sentence, status_tag};
use crate::render::{Section, holds_any};
use crate::session::{self, Person};

/// Who approves or rejects spending, as the api's `approve_spending` says:
/// the Leader and Group Officers.
const APPROVERS: &[&str] = &["leader", "officer"];

/// An amount of pence as pounds: £1,250.50.
fn money(pence: i64) -> String {
    Pence::new(pence).to_string()
}

/// A ledger's name.
fn ledger_name(ledger: Ledger) -> &'static str {
    match ledger {
        Ledger::Council => "Council-provided resources",
        Ledger::Group => "The group's own funds",
    }
}

/// A budget's name: its year and ledger.
fn budget_name(budget: &BudgetView) -> String {
    format!("{}: {}", budget.year_label, ledger_name(budget.ledger))
}

/// What a line pays for, in words.
fn category_name(category: BudgetCategory) -> &'static str {
    match category {
        BudgetCategory::StaffingSupport => "Staffing support",
        BudgetCategory::ItEquipment => "IT equipment",
        BudgetCategory::Training => "Training",
        BudgetCategory::Printing => "Printing (not party political)",
        BudgetCategory::OfficeCosts => "Office costs",
        BudgetCategory::Travel => "Travel",
        BudgetCategory::CampaignMaterial => "Campaign material (party political)",
        BudgetCategory::PartyEvents => "Party events (party political)",
        BudgetCategory::PartySubscriptions => "Party subscriptions (party political)",
        BudgetCategory::Other => "Other",
    }
}

/// How near its allocation a line is, and the colour of its tag.
fn level_words(level: LineUseLevel) -> (&'static str, &'static str) {
    match level {
        LineUseLevel::Within => ("Within budget", "govuk-tag--green"),
        LineUseLevel::PastWarning => ("Past 80%", "govuk-tag--yellow"),
        LineUseLevel::OverAllocation => ("Over allocation", "govuk-tag--red"),
    }
}

/// Where spending stands, and the colour of its tag.
fn spending_words(status: SpendingStatus) -> (&'static str, &'static str) {
    match status {
        SpendingStatus::Proposed => ("Awaiting approval", "govuk-tag--blue"),
        SpendingStatus::AwaitingSecondApproval => ("Awaiting second approval", "govuk-tag--yellow"),
        SpendingStatus::Approved => ("Approved", "govuk-tag--green"),
        SpendingStatus::Rejected => ("Rejected", "govuk-tag--red"),
        SpendingStatus::Paid => ("Paid", "govuk-tag--grey"),
    }
}

/// A line's name as the budget holds it, or its code if it has none.
fn line_named(budget: &BudgetView, code: &str) -> String {
    budget.lines.iter().find(|l| l.code == code).map_or_else(|| code.to_owned(), |l| l.name.clone())
}

/// A piece of spending's ETag as a version for `If-Match`.
fn etag_version(spend: &SpendingView) -> Option<u64> {
    spend.etag.trim_matches('"').parse().ok()
}

/// The financial years a budget may be opened for: last year, this and next.
fn years_offered() -> [u16; 3] {
    let this = caucus_wire::FinancialYear::containing(crate::present::london_day(chrono::Utc::now())).year();
    [this.saturating_sub(1), this, this.saturating_add(1)]
}

/// `2026` as the financial year it starts: "2026-27".
fn year_label(year: u16) -> String {
    caucus_wire::FinancialYear::starting(year).map_or_else(|_| year.to_string(), |y| y.to_string())
}

#[get("/budgets")]
pub(super) async fn list(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    query: web::Query<DoneQuery>,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let mut budgets: Vec<BudgetView> =
        state.read_all(&session, &person, &request, "/budgets?limit=200").await?;
    // The latest year first, council money before the group's own.
    budgets.sort_by_key(|b| (std::cmp::Reverse(b.year), b.ledger == Ledger::Group));
    let rows: Vec<Value> = budgets
        .iter()
        .map(|b| {
            let link = format!(
                "<a class=\"govuk-link\" href=\"/budgets/{}\">{}</a>",
                b.id,
                tera::escape_html(ledger_name(b.ledger))
            );
            let awaiting = b.spending.iter().filter(|s| spending_pending(s.status)).count();
            json!([
                {"text": b.year_label},
                {"html": link},
                {"text": money(b.totals.allocation_pence), "format": "numeric"},
                {"text": money(b.totals.committed_pence), "format": "numeric"},
                {"text": money(b.totals.paid_pence), "format": "numeric"},
                {"text": money(b.totals.remaining_pence), "format": "numeric"},
                {"text": awaiting.to_string(), "format": "numeric"},
            ])
        })
        .collect();
    let frame = state.frame(&session, Some(&person), Section::Budget, "Budgets")?;
    state.page(
        &frame,
        "budgets.html",
        json!({
            "banner": query.banner(DONE).map(|text| json!({"type": "success", "text": text})),
            "may_open": holds_any(&person, OFFICE),
            "table": (!rows.is_empty()).then(|| json!({
                "caption": "The group's budgets by financial year and ledger",
                "captionClasses": "govuk-visually-hidden",
                "firstCellIsHeader": false,
                "head": [
                    {"text": "Financial year"}, {"text": "Ledger"},
                    {"text": "Allocated", "format": "numeric"}, {"text": "Committed", "format": "numeric"},
                    {"text": "Paid", "format": "numeric"}, {"text": "Remaining", "format": "numeric"},
                    {"text": "Awaiting approval", "format": "numeric"},
                ],
                "rows": rows,
            })),
        }),
    )
}

/// Whether spending in `status` still waits for an approval.
fn spending_pending(status: SpendingStatus) -> bool {
    matches!(status, SpendingStatus::Proposed | SpendingStatus::AwaitingSecondApproval)
}

/// What `?done=` says was just done, word by word.
const DONE: &[(&str, &str)] = &[
    ("opened", "The budget was opened"),
    ("line-added", "The line was added"),
    ("allocated", "The line's allocation was set"),
    ("moved", "The money was moved"),
    ("proposed", "The spending was proposed"),
    ("approved", "The spending was approved"),
    ("rejected", "The spending was rejected"),
    ("paid", "The payment was recorded"),
];

#[get("/budgets/{id}")]
pub(super) async fn budget_page(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    query: web::Query<DoneQuery>,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let budget: BudgetView = state.read(&session, &person, &request, &format!("/budgets/{id}")).await?;
    let lines: Vec<Value> = budget
        .lines
        .iter()
        .map(|l| {
            json!([
                {"text": format!("{} ({})", l.name, l.code)},
                {"text": category_name(l.category)},
                {"text": money(l.allocation_pence), "format": "numeric"},
                {"text": money(l.committed_pence), "format": "numeric"},
                {"text": money(l.paid_pence), "format": "numeric"},
                {"text": money(l.pending_pence), "format": "numeric"},
                {"text": money(l.remaining_pence), "format": "numeric"},
                {"html": status_tag(l.level, level_words)},
            ])
        })
        .collect();
    let totals = json!([
        {"text": "Total"},
        {"text": ""},
        {"text": money(budget.totals.allocation_pence), "format": "numeric"},
        {"text": money(budget.totals.committed_pence), "format": "numeric"},
        {"text": money(budget.totals.paid_pence), "format": "numeric"},
        {"text": ""},
        {"text": money(budget.totals.remaining_pence), "format": "numeric"},
        {"text": ""},
    ]);
    let names =
        SubjectNames::read(&state, &person, budget.spending.iter().map(|s| s.proposed_by.as_str()), "You")
            .await;
    let spending: Vec<Value> = budget
        .spending
        .iter()
        .map(|s| {
            let link = format!(
                "<a class=\"govuk-link\" href=\"/budgets/{}/spending/{}\">{}<span class=\"govuk-visually-hidden\">: spending {}</span></a>",
                budget.id,
                s.number,
                tera::escape_html(&s.purpose),
                s.number
            );
            let approvals: Vec<String> = s.approvals.iter().map(|a| names.of_subject(&a.by)).collect();
            let approvals = format!(
                "{} of {}{}",
                s.approvals.len(),
                s.approvals_needed,
                if approvals.is_empty() { String::new() } else { format!(": {}", approvals.join(", ")) }
            );
            let mut status = status_tag(s.status, spending_words);
            if let Some(warning) = s.warning {
                status.push(' ');
                status.push_str(&status_tag(warning, level_words));
            }
            json!([
                {"text": s.number.to_string()},
                {"html": link},
                {"text": line_named(&budget, &s.line)},
                {"text": s.payee},
                {"text": money(s.amount_pence), "format": "numeric"},
                {"text": format!("{}, {}", names.of_subject(&s.proposed_by), long_date(s.proposed_on))},
                {"text": approvals},
                {"html": status},
            ])
        })
        .collect();
    let transfers: Vec<Value> = budget
        .transfers
        .iter()
        .map(|t| {
            json!([
                {"text": line_named(&budget, &t.from_line)},
                {"text": line_named(&budget, &t.to_line)},
                {"text": money(t.amount_pence), "format": "numeric"},
                {"text": t.reason},
            ])
        })
        .collect();
    let office = holds_any(&person, OFFICE);
    let frame = state.frame(&session, Some(&person), Section::Budget, budget_name(&budget))?;
    state.page(
        &frame,
        "budget.html",
        json!({
            "id": budget.id,
            "banner": query.banner(DONE).map(|text| json!({"type": "success", "text": text})),
            "period": format!("{} to {}", long_date(budget.starts_on), long_date(budget.ends_on)),
            "council": budget.ledger == Ledger::Council,
            "office": office,
            "has_lines": !budget.lines.is_empty(),
            "lines": {
                "caption": "Lines",
                "captionClasses": "govuk-table__caption--m",
                "head": [
                    {"text": "Line"}, {"text": "Category"},
                    {"text": "Allocation", "format": "numeric"}, {"text": "Committed", "format": "numeric"},
                    {"text": "Paid", "format": "numeric"}, {"text": "Pending", "format": "numeric"},
                    {"text": "Remaining", "format": "numeric"}, {"text": "Use"},
                ],
                "rows": lines.into_iter().chain(std::iter::once(totals)).collect::<Vec<_>>(),
            },
            "spending": (!spending.is_empty()).then(|| json!({
                "caption": "Spending",
                "captionClasses": "govuk-table__caption--m",
                "head": [
                    {"text": "No."}, {"text": "Purpose"}, {"text": "Line"}, {"text": "Payee"},
                    {"text": "Amount", "format": "numeric"}, {"text": "Proposed by"},
                    {"text": "Approvals"}, {"text": "Status"},
                ],
                "rows": spending,
            })),
            "transfers": (!transfers.is_empty()).then(|| json!({
                "caption": "Money moved between lines",
                "captionClasses": "govuk-table__caption--m",
                "head": [
                    {"text": "From"}, {"text": "To"}, {"text": "Amount", "format": "numeric"}, {"text": "Why"},
                ],
                "rows": transfers,
            })),
        }),
    )
}

/// An amount of pounds as typed, in pence; or the field's error.
fn pounds(typed: &str, called: &str) -> Result<i64, String> {
    if typed.trim().is_empty() {
        return Err(format!("Enter {}", called.to_lowercase()));
    }
    match typed.parse::<Pence>() {
        Ok(amount) if amount.get() > 0 => Ok(amount.get()),
        Ok(_) => Err(format!("{called} must be more than £0.00")),
        Err(_) => Err(format!("{called} must be in pounds and pence, like 1,250 or 12.50")),
    }
}

/// The api's refusal of a form's write as the form's errors: a 422 at its
/// `fields`, and a rule's refusal (409: an overspend, a party category on
/// council money, a self-approval) as its sentence at field `at`; anything
/// else is the page shown instead.
fn refused_at<T>(
    page: Page<'_>,
    person: &Person,
    sent: Result<T, ApiFailure>,
    (fields, at): (&[(&str, &str, &str)], &str),
) -> Result<Result<T, FieldErrors>, PageError> {
    match sent {
        Err(ApiFailure::Refused(problem)) if problem.status == 409 => {
            Ok(Err(FieldErrors { errors: vec![(at.to_owned(), sentence(&problem.detail))] }))
        }
        sent => made(page, person, sent, fields),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pounds_typed_are_read_exactly_and_refused_in_words() {
        assert_eq!(pounds("1,250.50", "The amount"), Ok(125_050));
        assert_eq!(pounds("£12", "The amount"), Ok(1_200));
        assert_eq!(
            pounds("1.234", "The amount"),
            Err("The amount must be in pounds and pence, like 1,250 or 12.50".to_owned())
        );
        assert_eq!(pounds("0", "The amount"), Err("The amount must be more than £0.00".to_owned()));
        assert_eq!(pounds(" ", "The amount"), Err("Enter the amount".to_owned()));
    }
}
