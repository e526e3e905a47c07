//! `/budgets` and `/budget-statement`: the group's budget for each ledger
//! and financial year (its lines, money moved between them, and the spending
//! proposed, approved, rejected and paid against them), and the year's
//! statement. A piece of spending has its own ETag (`SpendingView::etag`):
//! approving, rejecting or paying it checks `If-Match` against that, so
//! other spending on the same budget does not stale a Group Officer's read.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use caucus_wire::{
    ParseRequest, ReadOn,
    budget::{
        AddBudgetLineRequest, AllocateBudgetLineRequest, ApproveSpendingRequest, BudgetFilters, BudgetPage,
        BudgetStatementParams, BudgetStatementView, BudgetView, MoveBudgetMoneyRequest, OpenBudgetRequest,
        ProposeSpendingRequest, RecordSpendingPaymentRequest, RejectSpendingRequest, StatementFormat,
    },
};
use chrono::{SecondsFormat, Utc};
use uuid::Uuid;

use super::{
    AppState, Routes,
    command::{self, RecordView, Write, record_command},
    listing::{self, PageParams},
};
use crate::app::budget;
use crate::auth::{Caller, Operation};
use crate::domain::{
    FinancialYear, Pence,
    budget::{Budget, BudgetCommand, Ledger, Payment},
    tag,
};
use crate::http::{
    ApiError, CommandErrors, Fields, IdempotencyKey, IfMatch, JsonBody, Query, ReadErrors, YearErrors,
    csv_ok, markdown_ok,
};
use crate::reports::budget_statement::{self, Detail};
use crate::store::records::{RecordFilter, StoredRecord};

impl RecordView for BudgetView {
    type Record = Budget;
    const NAME: &'static str = "budget";
    const COLLECTION: &'static str = "/budgets";

    fn from_stored(
        id: Uuid,
        record: Budget,
        stored: &StoredRecord,
        _on: ReadOn<'_>,
    ) -> Result<Self, ApiError> {
        BudgetView::new(id, &record, command::stored(stored))
            .ok_or_else(|| ApiError::internal(anyhow::anyhow!("budget {id} is not open or overflows")))
    }
}

pub fn configure(config: &mut Routes) {
    config
        .service(open_budget)
        .service(list_budgets)
        .service(get_budget)
        .service(add_budget_line)
        .service(allocate_budget_line)
        .service(move_budget_money)
        .service(propose_spending)
        .service(approve_spending)
        .service(reject_spending)
        .service(record_spending_payment)
        .service(get_budget_statement);
}

/// A financial year as a query names it, or a 422 at `pointer`.
fn year_param(year: Option<u16>, today: chrono::NaiveDate, pointer: &str) -> Result<FinancialYear, ApiError> {
    match year {
        None => Ok(FinancialYear::containing(today)),
        Some(year) => {
            FinancialYear::starting(year).map_err(|e| ApiError::invalid_field(pointer, e.to_string()))
        }
    }
}

/// Open a budget.
#[utoipa::path(
    tag = "budget",
    operation_id = "open_budget",
    summary = "Open the group's budget of a ledger (council-provided resources, or the group's own funds) for a financial year, 1 April to 31 March; one each, its id derived from the group, ledger and year; 409 if it is open",
    request_body = OpenBudgetRequest,
    params(("Idempotency-Key" = inline(Option<caucus_wire::IdempotencyKeyValue>), Header, description = "Retry safely: a repeat with the same key records nothing new")),
    responses((status = 201, description = "Opened", body = BudgetView), CommandErrors),
    security(("bearer" = []))
)]
#[post("/budgets")]
async fn open_budget(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    key: IdempotencyKey,
    body: JsonBody<OpenBudgetRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::OpenBudget)?;
    let (ledger, year) = body.value.parse()?;
    let id = crate::domain::budget::budget_id(&caller.group_id, ledger, year);
    let write = Write { id, ..Write::create(&state, &caller, &request, &key, &body.raw, ()) };
    let scope = command::scope(&state, &caller);
    command::execute_operation::<BudgetView>(write, async |context| {
        budget::open(&scope, (&state.bus, context), ledger, year).await.map(drop)
    })
    .await
}

/// List budgets.
#[utoipa::path(
    tag = "budget",
    operation_id = "list_budgets",
    summary = "The group's budgets, each with its lines' figures and its spending, by ledger or financial year",
    params(BudgetFilters),
    responses((status = 200, description = "A page of budgets", body = BudgetPage), YearErrors),
    security(("bearer" = []))
)]
#[get("/budgets")]
async fn list_budgets(
    state: web::Data<AppState>,
    caller: Caller,
    filters: Query<BudgetFilters>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::ListBudgets)?;
    let mut tags = Vec::new();
    if let Some(ledger) = filters.ledger {
        tags.push(tag("ledger", Ledger::from(ledger).as_str()));
    }
    if let Some(year) = filters.year {
        tags.push(tag("year", year_param(Some(year), state.read_on().today, "/year")?.year()));
    }
    let paging =
        PageParams { cursor: filters.cursor.clone(), limit: filters.limit, as_of: None, newest_first: false };
    let filter = RecordFilter { tags: &tags, ..RecordFilter::default() };
    let (items, next_cursor) = listing::page_of::<BudgetView>(&state, &caller, &paging, filter).await?;
    Ok(HttpResponse::Ok().json(BudgetPage { items, next_cursor }))
}

/// Read one budget.
#[utoipa::path(
    tag = "budget",
    operation_id = "get_budget",
    summary = "One budget: its lines with allocation, committed, paid, pending and remaining, money moved, and its spending, each with its own ETag and any 80%/100% warning; the ETag is the budget's version",
    params(("id" = Uuid, Path, description = "The budget's id"), command::AsOf),
    responses((status = 200, description = "The budget", body = BudgetView), ReadErrors),
    security(("bearer" = []))
)]
#[get("/budgets/{id}")]
async fn get_budget(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    at: Query<command::AsOf>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::GetBudget)?;
    command::read_one::<BudgetView>(&state, &caller, *id, &at).await
}

record_command!(
    BudgetView,
    BudgetCommand,
    "budget",
    add_budget_line,
    AddBudgetLine,
    post,
    "/budgets/{id}/lines",
    "Add a line with its code, name, category and allocation in pence; a party-political category (campaign material, party events, party subscriptions) on council-provided resources is a 409",
    AddBudgetLineRequest,
    |caller, state, value, id| value
        .parse()
        .map(|line| BudgetCommand::AddLine { line })
        .map_err(ApiError::from)
);

record_command!(
    BudgetView,
    BudgetCommand,
    "budget",
    allocate_budget_line,
    AllocateBudgetLine,
    post,
    "/budgets/{id}/allocations",
    "Set a line's allocation, saying why; never below what the line has committed and paid (409)",
    AllocateBudgetLineRequest,
    |caller, state, value, id| {
        let mut fields = Fields::new();
        let code = fields.check("/code", &value.code);
        let allocation = fields.check("/allocation_pence", &value.allocation_pence);
        let reason = fields.check("/reason", &value.reason);
        fields.finish(|| {
            Some(BudgetCommand::AllocateLine { code: code?, allocation: allocation?, reason: reason? })
        })
    }
);

record_command!(
    BudgetView,
    BudgetCommand,
    "budget",
    move_budget_money,
    MoveBudgetMoney,
    post,
    "/budgets/{id}/transfers",
    "Move money from one line to another, saying why; never leaving a line below what it has committed and paid (409)",
    MoveBudgetMoneyRequest,
    |caller, state, value, id| {
        let mut fields = Fields::new();
        let from_line = fields.check("/from_line", &value.from_line);
        let to_line = fields.check("/to_line", &value.to_line);
        let amount = fields.check("/amount_pence", &value.amount_pence);
        let reason = fields.check("/reason", &value.reason);
        fields.finish(|| {
            Some(BudgetCommand::MoveMoney {
                from_line: from_line?,
                to_line: to_line?,
                amount: amount?,
                reason: reason?,
            })
        })
    }
);

/// A 403 unless the caller is a Group Officer: only they override the 100% rule.
fn require_officer_to_override(
    caller: &Caller,
    reason: Option<&crate::domain::Note>,
) -> Result<(), ApiError> {
    if reason.is_some() && !Operation::ApproveSpending.permits(&caller.roles) {
        return Err(ApiError::Forbidden(
            "only a Group Officer (the Leader or an officer) may override a line's allocation".to_owned(),
        ));
    }
    Ok(())
}

/// Runs a command on a budget's spending, its files checked, and answers with the budget.
async fn spending_command(
    (state, caller, request, key): (&AppState, &Caller, &HttpRequest, &IdempotencyKey),
    body: &[u8],
    id: Uuid,
    command: BudgetCommand,
) -> Result<HttpResponse, ApiError> {
    let write = Write::create(state, caller, request, key, body, ()).on_existing(id, None);
    let scope = command::scope(state, caller);
    command::execute_operation::<BudgetView>(write, async |context| {
        budget::run(&scope, (&state.bus, context), id, command).await
    })
    .await
}

/// Propose spending.
#[utoipa::path(
    tag = "budget",
    operation_id = "propose_spending",
    summary = "Propose spending against a line (amount in pence, payee, purpose, the quote or invoice as a stored file); above the group's threshold (default £500) two different Group Officers must approve it; past 80% of the line the spending carries a warning, past 100% it is a 409 unless a Group Officer overrides with a reason",
    request_body = ProposeSpendingRequest,
    params(
        ("id" = Uuid, Path, description = "The budget's id"),
        ("Idempotency-Key" = inline(Option<caucus_wire::IdempotencyKeyValue>), Header, description = "Retry safely: a repeat with the same key records nothing new")
    ),
    responses((status = 200, description = "The budget as it now stands", body = BudgetView), CommandErrors),
    security(("bearer" = []))
)]
#[post("/budgets/{id}/spending")]
async fn propose_spending(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    key: IdempotencyKey,
    id: web::Path<Uuid>,
    body: JsonBody<ProposeSpendingRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::ProposeSpending)?;
    if let Some(replay) = command::replayed::<BudgetView>(&state, &caller, &request, &key, &body.raw).await? {
        return Ok(replay);
    }
    let (draft, override_reason) = body.value.parse()?;
    require_officer_to_override(&caller, override_reason.as_ref())?;
    let threshold = i64::try_from(state.spending_second_approval_above_pence).unwrap_or(i64::MAX);
    let command = BudgetCommand::Propose {
        draft,
        by: caller.subject.clone(),
        on: state.read_on().today,
        two_approvers_above: Pence::new(threshold),
        override_reason,
    };
    spending_command((&state, &caller, &request, &key), &body.raw, *id, command).await
}

/// A handler acting on one piece of a budget's spending,
/// `/budgets/{id}/spending/{number}/…`: its `If-Match` is the spending's own
/// ETag (`$seen`), and `$build` makes the command for spending `$number`.
macro_rules! spending_step {
    (
        $handler:ident, $op:ident, $path:literal, $summary:literal, $request:ty,
        |$caller:ident, $state:ident, $value:ident, $number:ident, $seen:ident| $build:expr
    ) => {
        #[doc = $summary]
        #[utoipa::path(
            tag = "budget",
            operation_id = stringify!($handler),
            summary = $summary,
            request_body = $request,
            params(
                ("id" = Uuid, Path, description = "The budget's id"),
                ("number" = u32, Path, description = "The spending's number"),
                ("If-Match" = inline(Option<caucus_wire::IfMatchValue>), Header, description = "The spending's ETag you last read (or the budget's since); a stale one is refused with 409"),
                ("Idempotency-Key" = inline(Option<caucus_wire::IdempotencyKeyValue>), Header, description = "Retry safely: a repeat with the same key records nothing new")
            ),
            responses((status = 200, description = "The budget as it now stands", body = BudgetView), CommandErrors),
            security(("bearer" = []))
        )]
        #[post($path)]
        async fn $handler(
            $state: web::Data<AppState>,
            $caller: Caller,
            request: HttpRequest,
            key: IdempotencyKey,
            if_match: IfMatch,
            path: web::Path<(Uuid, u32)>,
            body: JsonBody<$request>,
        ) -> Result<HttpResponse, ApiError> {
            $caller.require(Operation::$op)?;
            let (id, number) = *path;
            // Numbered within `u16`: a larger number names no spending.
            let $number = u16::try_from(number).map_err(|_| ApiError::NotFound("spending"))?;
            if let Some(replay) =
                command::replayed::<BudgetView>(&$state, &$caller, &request, &key, &body.raw).await?
            {
                return Ok(replay);
            }
            let ($value, $seen) = (&body.value, if_match.0);
            let command: BudgetCommand = $build?;
            spending_command((&$state, &$caller, &request, &key), &body.raw, id, command).await
        }
    };
}

spending_step!(
    approve_spending,
    ApproveSpending,
    "/budgets/{id}/spending/{number}/approval",
    "Approve spending as a Group Officer: never the proposer (409 self-approval); above the threshold the first approval leaves it awaiting a second from a different officer; past the line's allocation only with an override reason. If-Match takes the spending's own ETag",
    ApproveSpendingRequest,
    |caller, state, value, number, seen| {
        let mut fields = Fields::new();
        let override_reason = fields.check_optional("/override_reason", value.override_reason.as_ref());
        fields.finish(|| override_reason).map(|override_reason| BudgetCommand::Approve {
            number,
            by: caller.subject.clone(),
            on: state.read_on().today,
            override_reason,
            seen,
        })
    }
);

spending_step!(
    reject_spending,
    RejectSpending,
    "/budgets/{id}/spending/{number}/rejection",
    "Reject spending awaiting approval, as a Group Officer, saying why. If-Match takes the spending's own ETag",
    RejectSpendingRequest,
    |caller, state, value, number, seen| {
        let mut fields = Fields::new();
        let reason = fields.check("/reason", &value.reason);
        fields.finish(|| reason).map(|reason| BudgetCommand::Reject {
            number,
            by: caller.subject.clone(),
            on: state.read_on().today,
            reason,
            seen,
        })
    }
);

spending_step!(
    record_spending_payment,
    RecordSpendingPayment,
    "/budgets/{id}/spending/{number}/payment",
    "Record approved spending as paid, on a day (default today) with the receipt as a stored file; only approved spending is paid (409). If-Match takes the spending's own ETag",
    RecordSpendingPaymentRequest,
    |caller, state, value, number, seen| {
        let today = state.read_on().today;
        let paid_on = value.paid_on.unwrap_or(today);
        if paid_on > today {
            Err(ApiError::invalid_field("/paid_on", "must not be in the future"))
        } else {
            let payment = Payment {
                by: caller.subject.clone(),
                paid_on,
                receipt_file_id: value.receipt_file_id.clone(),
            };
            Ok::<_, ApiError>(BudgetCommand::RecordPayment { number, payment, seen })
        }
    }
);

/// The year's statement.
#[utoipa::path(
    tag = "budget",
    operation_id = "get_budget_statement",
    summary = "The financial year's statement per ledger and line: budget, committed, paid and remaining in pence, with totals, as JSON, CSV or Markdown for the Treasurer's report; `as_of` gives the figures as they stood at an instant, from the events. Councillors see the figures only, without the spending's payees",
    params(BudgetStatementParams),
    responses(
        (status = 200, description = "The statement: JSON, CSV with `format=csv`, Markdown with `format=markdown`", content(
            (BudgetStatementView = "application/json"),
            (String = "text/csv"),
            (String = "text/markdown")
        )),
        YearErrors
    ),
    security(("bearer" = []))
)]
#[get("/budget-statement")]
async fn get_budget_statement(
    state: web::Data<AppState>,
    caller: Caller,
    params: Query<BudgetStatementParams>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::GetBudgetStatement)?;
    let on = state.read_on();
    let as_of = params.as_of.unwrap_or(on.now);
    let year =
        year_param(params.year, as_of.with_timezone(&state.motion_deadline.zone).date_naive(), "/year")?;
    let ledgers: Vec<Ledger> = match params.ledger {
        Some(ledger) => vec![ledger.into()],
        None => Ledger::ALL.to_vec(),
    };
    let until = params.as_of.map(|at| at.to_rfc3339_opts(SecondsFormat::Micros, true));
    let budgets =
        budget::statement_budgets(&state.db, &caller.group_id, year, &ledgers, until.as_deref()).await?;
    let detail =
        if Operation::GetBudget.permits(&caller.roles) { Detail::WithPayees } else { Detail::Figures };
    let statement = budget_statement::build(year, as_of.min(Utc::now()), &budgets, detail);
    Ok(match params.format.unwrap_or_default() {
        StatementFormat::Json => HttpResponse::Ok().json(statement),
        StatementFormat::Csv => {
            csv_ok().body(budget_statement::to_csv(&statement).map_err(ApiError::internal)?)
        }
        StatementFormat::Markdown => {
            markdown_ok().body(budget_statement::to_markdown(&statement, caller.group_id.as_str()))
        }
    })
}
