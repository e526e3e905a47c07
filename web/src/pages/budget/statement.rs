//! The financial year's statement, per ledger and line (budget, committed,
//! paid, remaining) as the api makes it, with CSV and Markdown downloads for
//! the Treasurer's report. Councillors read it too: the api gives them the
//! figures without the spending and its payees.

use caucus_wire::budget::{BudgetStatementView, StatementLedgerView};

use super::*;

/// The statement's query: the financial year, by the calendar year it starts in, as typed.
#[derive(Debug, serde::Deserialize)]
pub(in crate::pages) struct YearQuery {
    year: Option<String>,
}

impl YearQuery {
    /// The year asked for, if it is one the api keeps (else the api's
    /// default, this financial year).
    fn year(&self) -> Option<u16> {
        let year = self.year.as_deref()?.trim().parse::<u16>().ok()?;
        caucus_wire::FinancialYear::starting(year).ok().map(|y| y.year())
    }
}

/// The api's statement path for `year` (this financial year if none) in `format`.
fn statement_path(year: Option<u16>, format: Option<&str>) -> String {
    let mut query: Vec<(&str, String)> = Vec::new();
    query.extend(year.map(|y| ("year", y.to_string())));
    query.extend(format.map(|f| ("format", f.to_owned())));
    let query = serde_urlencoded::to_string(query).unwrap_or_default();
    if query.is_empty() { "/budget-statement".to_owned() } else { format!("/budget-statement?{query}") }
}

/// A ledger's part of the statement: its lines' table and, for those who
/// may see payees, its spending.
fn ledger_part(ledger: &StatementLedgerView) -> Value {
    let mut lines: Vec<Value> = ledger
        .lines
        .iter()
        .map(|l| {
            json!([
                {"text": format!("{} ({})", l.name, l.code)},
                {"text": money(l.budget_pence), "format": "numeric"},
                {"text": money(l.committed_pence), "format": "numeric"},
                {"text": money(l.paid_pence), "format": "numeric"},
                {"text": money(l.remaining_pence), "format": "numeric"},
            ])
        })
        .collect();
    let totals = ledger.totals;
    lines.push(json!([
        {"text": "Total"},
        {"text": money(totals.allocation_pence), "format": "numeric"},
        {"text": money(totals.committed_pence), "format": "numeric"},
        {"text": money(totals.paid_pence), "format": "numeric"},
        {"text": money(totals.remaining_pence), "format": "numeric"},
    ]));
    let name = ledger_name(ledger.ledger);
    let line_named = |code: &str| {
        ledger.lines.iter().find(|l| l.code == code).map_or_else(|| code.to_owned(), |l| l.name.clone())
    };
    let spending = ledger.spending.as_ref().filter(|s| !s.is_empty()).map(|spending| {
        let rows: Vec<Value> = spending
            .iter()
            .map(|s| {
                json!([
                    {"text": s.number.to_string()},
                    {"text": line_named(&s.line)},
                    {"text": s.payee},
                    {"text": s.purpose},
                    {"text": money(s.amount_pence), "format": "numeric"},
                    {"html": status_tag(s.status, spending_words)},
                ])
            })
            .collect();
        json!({
            "caption": format!("{name}: spending"),
            "captionClasses": "govuk-table__caption--s",
            "head": [
                {"text": "No."}, {"text": "Line"}, {"text": "Payee"}, {"text": "What for"},
                {"text": "Amount", "format": "numeric"}, {"text": "Status"},
            ],
            "rows": rows,
        })
    });
    json!({
        "name": name,
        "opened": ledger.opened,
        "lines": {
            "caption": format!("{name}: lines"),
            "captionClasses": "govuk-visually-hidden",
            "head": [
                {"text": "Line"}, {"text": "Budget", "format": "numeric"},
                {"text": "Committed", "format": "numeric"}, {"text": "Paid", "format": "numeric"},
                {"text": "Remaining", "format": "numeric"},
            ],
            "rows": lines,
        },
        "spending": spending,
    })
}

#[get("/budget-statement")]
pub(in crate::pages) async fn statement_page(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    query: web::Query<YearQuery>,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let statement: BudgetStatementView =
        state.read(&session, &person, &request, &statement_path(query.year(), None)).await?;
    let ledgers: Vec<Value> = statement.ledgers.iter().map(ledger_part).collect();
    let year = statement.year;
    let year_link = |y: u16| json!({"href": format!("/budget-statement?year={y}"), "text": year_label(y)});
    let this = years_offered()[1];
    let frame = state.frame(
        &session,
        Some(&person),
        Section::BudgetStatement,
        format!("Budget statement {}", statement.year_label),
    )?;
    state.page(
        &frame,
        "budget-statement.html",
        json!({
            "ledgers": ledgers,
            "as_of": crate::present::london_time(statement.as_of),
            "earlier": (year > caucus_wire::FinancialYear::FIRST).then(|| year_link(year - 1)),
            "later": (year < this.min(caucus_wire::FinancialYear::LAST)).then(|| year_link(year + 1)),
            "csv": format!("/budget-statement.csv?year={year}"),
            "markdown": format!("/budget-statement.md?year={year}"),
            "figures_only": statement.ledgers.iter().all(|l| l.spending.is_none()),
        }),
    )
}

/// The statement as the api writes it in CSV, saved under its year.
#[get("/budget-statement.csv")]
pub(in crate::pages) async fn statement_csv(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    query: web::Query<YearQuery>,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    download(&state, (&session, &request), &person, query.year(), "csv").await
}

/// The statement as the api writes it in Markdown, for the Treasurer's report.
#[get("/budget-statement.md")]
pub(in crate::pages) async fn statement_markdown(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    query: web::Query<YearQuery>,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    download(&state, (&session, &request), &person, query.year(), "markdown").await
}

async fn download(
    state: &State,
    (session, request): (&Session, &HttpRequest),
    person: &Person,
    year: Option<u16>,
    format: &str,
) -> Result<HttpResponse, PageError> {
    let year = year.unwrap_or(years_offered()[1]);
    let extension = if format == "csv" { "csv" } else { "md" };
    let name = format!("budget-statement-{}.{extension}", year_label(year));
    state.download_as(session, person, request, &statement_path(Some(year), Some(format)), &name).await
}
