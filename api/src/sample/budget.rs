//! The sample group's budget for this financial year in both ledgers:
//! council-provided resources (staffing support, IT, training, printing of
//! non-political material, office costs) and the group's own funds (campaign
//! material, events, affiliation fees), with spending paid, approved, awaiting
//! a second approval and just proposed, and money moved between lines.

use chrono::{NaiveDate, Utc};

use crate::app::budget;
use crate::domain::{
    Classification, FinancialYear, Pence,
    budget::{
        BudgetCommand, Category, DEFAULT_SECOND_APPROVAL_ABOVE_PENCE, Ledger, Line, LineCode, Payment,
        SpendDraft,
    },
};
use crate::store::{StoreError, files};

use super::{Loader, note, sample_member_id, title};

/// The Group Leader (Amina Begum) and the Group Treasurer, who approve spending.
const LEADER: usize = 1;
const TREASURER: usize = 10;

fn code(text: &str) -> LineCode {
    LineCode::parse(text).unwrap_or_else(|e| panic!("sample line code {text:?}: {e}"))
}

fn line(text: &str, name: &str, category: Category, pounds: i64) -> Line {
    Line { code: code(text), name: title(name), category, allocation: Pence::pounds(pounds) }
}

/// Loads both ledgers' budgets for the financial year of today.
pub(super) async fn load(loader: &Loader<'_>) -> Result<(), StoreError> {
    let year = FinancialYear::containing(loader.today);
    // Spending is dated within the year, however early in it today is.
    let since_start = (loader.today - year.starts()).num_days();
    let day = |days_ago: i64| loader.day(days_ago.min(since_start));
    let receipt =
        store_file(loader, "receipt-laptop.txt", "Receipt: laptop for the group office, £899.00").await?;
    let quote =
        store_file(loader, "quote-annual-report.txt", "Quote: printing 500 annual reports, £640.00").await?;

    let council = [
        line("staffing", "Staffing support for the group office", Category::StaffingSupport, 6_000),
        line("it", "IT equipment and software", Category::ItEquipment, 2_500),
        line("training", "Councillor training", Category::Training, 1_500),
        line("printing", "Printing (non-political material)", Category::Printing, 1_200),
        line("office", "Stationery and postage", Category::OfficeCosts, 800),
    ];
    let council_id = open(loader, Ledger::Council, year, council).await?;
    let laptop = spend("it", 89_900, "Dell UK", "Laptop for the Political Assistant", None);
    propose(loader, council_id, laptop, day(60)).await?;
    approve(loader, council_id, 1, LEADER, day(58)).await?;
    approve(loader, council_id, 1, TREASURER, day(57)).await?;
    let paid = Payment { by: loader.context.actor.clone(), paid_on: day(50), receipt_file_id: receipt };
    run(loader, council_id, BudgetCommand::RecordPayment { number: 1, payment: paid, seen: None }).await?;
    let report = spend(
        "printing",
        64_000,
        "Newham Print Co",
        "Printing the group's annual report to residents",
        Some(quote),
    );
    propose(loader, council_id, report, day(6)).await?;
    approve(loader, council_id, 2, LEADER, day(4)).await?;
    let course = spend(
        "training",
        45_000,
        "Local Government Association",
        "Leadership Academy place for the Chief Whip",
        None,
    );
    propose(loader, council_id, course, day(20)).await?;
    approve(loader, council_id, 3, TREASURER, day(18)).await?;
    let move_money = BudgetCommand::MoveMoney {
        from_line: code("office"),
        to_line: code("training"),
        amount: Pence::pounds(200),
        reason: note("Two new councillors need the planning course"),
    };
    run(loader, council_id, move_money).await?;

    let group = [
        line("campaign", "Campaign material", Category::CampaignMaterial, 3_000),
        line("events", "Group events and fundraisers", Category::PartyEvents, 1_500),
        line("affiliations", "Affiliation fees", Category::PartySubscriptions, 900),
    ];
    let group_id = open(loader, Ledger::Group, year, group).await?;
    let fees = spend("affiliations", 35_000, "Labour Councillors' Network", "Annual affiliation", None);
    propose(loader, group_id, fees, day(40)).await?;
    approve(loader, group_id, 1, TREASURER, day(39)).await?;
    let leaflets =
        spend("campaign", 120_000, "Newham Print Co", "By-election leaflets for Plaistow North", None);
    propose(loader, group_id, leaflets, day(2)).await?;
    Ok(())
}

fn spend(line: &str, pence: i64, payee: &str, purpose: &str, quote_file_id: Option<String>) -> SpendDraft {
    SpendDraft {
        line: code(line),
        amount: Pence::new(pence),
        payee: title(payee),
        purpose: note(purpose),
        quote_file_id,
    }
}

/// Stores a small text file as the office's, for a quote or receipt to name.
async fn store_file(loader: &Loader<'_>, name: &str, text: &str) -> Result<String, StoreError> {
    let file = files::NewFile {
        group_id: &loader.context.group_id,
        name,
        media_type: "text/plain",
        classification: Classification::Officers,
        uploaded_by: &loader.context.actor,
        content: text.as_bytes(),
    };
    let now = Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    Ok(files::put(loader.db, file, &now).await?.sha256)
}

async fn open<const N: usize>(
    loader: &Loader<'_>,
    ledger: Ledger,
    year: FinancialYear,
    lines: [Line; N],
) -> Result<uuid::Uuid, StoreError> {
    let id = budget::open(&loader.scope(), (loader.bus, &loader.context), ledger, year)
        .await
        .map_err(Loader::failed("budget"))?;
    for line in lines {
        run(loader, id, BudgetCommand::AddLine { line }).await?;
    }
    Ok(id)
}

async fn run(loader: &Loader<'_>, id: uuid::Uuid, command: BudgetCommand) -> Result<(), StoreError> {
    budget::run(&loader.scope(), (loader.bus, &loader.context), id, command)
        .await
        .map_err(Loader::failed("budget"))
}

async fn propose(
    loader: &Loader<'_>,
    id: uuid::Uuid,
    draft: SpendDraft,
    on: NaiveDate,
) -> Result<(), StoreError> {
    let command = BudgetCommand::Propose {
        draft,
        by: loader.context.actor.clone(),
        on,
        two_approvers_above: Pence::new(
            i64::try_from(DEFAULT_SECOND_APPROVAL_ABOVE_PENCE).unwrap_or(i64::MAX),
        ),
        override_reason: None,
    };
    run(loader, id, command).await
}

/// Approves as sample member `member`, a Group Officer.
async fn approve(
    loader: &Loader<'_>,
    id: uuid::Uuid,
    number: u16,
    member: usize,
    on: NaiveDate,
) -> Result<(), StoreError> {
    let by = sample_member_id(member).to_string();
    let mut context = loader.context.clone();
    context.actor.clone_from(&by);
    context.roles =
        vec![if member == LEADER { crate::domain::Role::Leader } else { crate::domain::Role::Officer }];
    let command = BudgetCommand::Approve { number, by, on, override_reason: None, seen: None };
    budget::run(&loader.scope(), (loader.bus, &context), id, command)
        .await
        .map_err(Loader::failed("budget approval"))
}
