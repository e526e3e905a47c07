//! The group's budget across records: spending names its quote and receipt
//! as files stored with Caucus, and the statement reads each ledger's budget
//! as it stands or stood at an instant.

use caucus_wire::Fields;
use uuid::Uuid;

use super::{Scope, files};
use crate::domain::{
    Classification, FinancialYear, GroupId,
    budget::{Budget, BudgetCommand, Ledger, budget_id},
};
use crate::http::ApiError;
use crate::store::{
    Database,
    command_bus::{CommandBus, CommandContext, Expectation},
    history, records,
};

/// Records a field error at `pointer` unless `file_id` is a file of the
/// scope's group its actor may read.
pub async fn check_file(
    scope: &Scope<'_>,
    file_id: &str,
    pointer: &str,
    fields: &mut Fields,
) -> Result<(), ApiError> {
    if files::referable(scope, file_id).await?.is_none() {
        fields.reject(pointer, "no such file in this group");
    }
    Ok(())
}

/// Runs `command` on the budget `id`, first checking the files it names
/// (the quote of spending proposed, the receipt of spending paid) are the group's.
pub async fn run(
    scope: &Scope<'_>,
    (bus, context): (&CommandBus, &CommandContext),
    id: Uuid,
    command: BudgetCommand,
) -> Result<(), ApiError> {
    let mut fields = Fields::new();
    match &command {
        BudgetCommand::Propose { draft, .. } => {
            if let Some(quote) = &draft.quote_file_id {
                check_file(scope, quote, "/quote_file_id", &mut fields).await?;
            }
        }
        BudgetCommand::RecordPayment { payment, .. } => {
            check_file(scope, &payment.receipt_file_id, "/receipt_file_id", &mut fields).await?;
        }
        _ => {}
    }
    fields.finish(|| Some(()))?;
    let expectation = match command {
        BudgetCommand::Open { .. } => Expectation::New,
        _ => Expectation::Existing(None),
    };
    super::run::<Budget>(bus, context, id, command, expectation, "budget").await
}

/// Opens the group's budget of `ledger` for `year`; 409 if it is open.
pub async fn open(
    scope: &Scope<'_>,
    (bus, context): (&CommandBus, &CommandContext),
    ledger: Ledger,
    year: FinancialYear,
) -> Result<Uuid, ApiError> {
    let id = budget_id(scope.group_id, ledger, year);
    let command = BudgetCommand::Open { group_id: scope.group_id.clone(), ledger, year };
    // Not `super::run`, which takes a create finding its record made for
    // a retry: a budget's id is its group's, ledger's and year's, not the
    // request's, so another request opening it finds it open (409). A
    // repeat under the same key is answered before this, as it was first.
    bus.execute::<Budget>(&id.to_string(), command, context, Expectation::New)
        .await
        .map_err(|error| ApiError::from_command("budget", error))?;
    Ok(id)
}

/// Each of `ledgers`' budget for `year` in `group_id`, as it stands or (with
/// `until`, an RFC 3339 instant) as its events recorded by then made it;
/// `None` for a ledger whose budget was not open. Read whatever the reader's
/// classification: the statement is made from them for each reader.
pub async fn statement_budgets(
    db: &Database,
    group_id: &GroupId,
    year: FinancialYear,
    ledgers: &[Ledger],
    until: Option<&str>,
) -> Result<Vec<(Ledger, Option<Budget>)>, ApiError> {
    let record_type = <Budget as cqrs_es::Aggregate>::TYPE;
    let mut budgets = Vec::with_capacity(ledgers.len());
    for &ledger in ledgers {
        let id = budget_id(group_id, ledger, year).to_string();
        let stored = match until {
            None => records::find(db, group_id, record_type, &id, &Classification::ALL).await?,
            Some(until) => history::record_as_of(db, record_type, &id, until)
                .await?
                .filter(|(group, _)| group == group_id.as_str())
                .map(|(_, stored)| stored),
        };
        let budget = stored
            .map(|stored| serde_json::from_str::<Budget>(&stored.state).map_err(ApiError::internal))
            .transpose()?;
        budgets.push((ledger, budget));
    }
    Ok(budgets)
}
