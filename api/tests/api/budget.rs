//! The group's budget over HTTP: lines in two ledgers kept apart, money moved
//! with a reason, spending proposed, approved by one or two different Group
//! Officers (never the proposer), the 80% warning and the 100% refusal an
//! officer overrides with a reason, paid with a receipt, and the year's
//! statement, now and as it stood.

use chrono::{Datelike, NaiveDate, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, json, problem};
use crate::on_both_stores;

fn today() -> NaiveDate {
    Utc::now().with_timezone(&chrono_tz::Europe::London).date_naive()
}

/// The financial year today falls in, by the year it starts.
fn this_year() -> i32 {
    let today = today();
    if today.month() < 4 { today.year() - 1 } else { today.year() }
}

async fn open(app: &TestApp, ledger: &str) -> String {
    let body = json!({"ledger": ledger, "year": this_year()});
    let opened = json(app.post("/budgets", &app.token("assistant"), &body).await, StatusCode::CREATED).await;
    opened["id"].as_str().expect("id").to_owned()
}

async fn add_line(app: &TestApp, budget: &str, code: &str, category: &str, pence: i64) -> reqwest::Response {
    let body = json!({"code": code, "name": format!("Line {code}"), "category": category, "allocation_pence": pence});
    app.post(&format!("/budgets/{budget}/lines"), &app.token("assistant"), &body).await
}

async fn propose(app: &TestApp, budget: &str, token: &str, body: Value) -> reqwest::Response {
    app.post(&format!("/budgets/{budget}/spending"), token, &body).await
}

fn spend(line: &str, pence: i64) -> Value {
    json!({"line": line, "amount_pence": pence, "payee": "Office Supplies Ltd", "purpose": "Toner and paper"})
}

async fn approve(app: &TestApp, budget: &str, number: u64, token: &str, body: Value) -> reqwest::Response {
    app.post(&format!("/budgets/{budget}/spending/{number}/approval"), token, &body).await
}

/// The last piece of spending of a budget view.
fn last(view: &Value) -> &Value {
    view["spending"].as_array().and_then(|s| s.last()).expect("spending")
}

fn line<'a>(view: &'a Value, code: &str) -> &'a Value {
    view["lines"].as_array().expect("lines").iter().find(|l| l["code"] == code).expect("line")
}

async fn statement(app: &TestApp, query: &str, role: &str) -> Value {
    json(app.get(&format!("/budget-statement?{query}"), &app.token(role)).await, StatusCode::OK).await
}

/// A council budget with lines `it` and `print` and spending number 1
/// proposed by the assistant: the role matrix's target.
pub async fn target(app: &TestApp) -> String {
    let budget = open(app, "council").await;
    json(add_line(app, &budget, "it", "it_equipment", 1_000_000).await, StatusCode::OK).await;
    json(add_line(app, &budget, "print", "printing", 1_000_000).await, StatusCode::OK).await;
    json(propose(app, &budget, &app.token("assistant"), spend("it", 100)).await, StatusCode::OK).await;
    budget
}

/// The spending approvals on `role`'s My work.
async fn approvals_on_my_work(app: &TestApp, role: &str) -> Vec<Value> {
    let work = json(app.get("/my-work", &app.token(role)).await, StatusCode::OK).await;
    let items = work["items"].as_array().expect("items").clone();
    items.into_iter().filter(|i| i["kind"] == "spending_approval").collect()
}

fn titles(items: &[Value]) -> Vec<&str> {
    items.iter().map(|i| i["title"].as_str().expect("title")).collect()
}

on_both_stores! {
    async fn budget_spending_awaiting_approval_is_on_my_work_for_officers_but_not_its_proposer_or_first_approver(app: backend) {
        let budget = open(&app, "council").await;
        json(add_line(&app, &budget, "it", "it_equipment", 500_000).await, StatusCode::OK).await;
        json(propose(&app, &budget, &app.token("officer"), spend("it", 12_050)).await, StatusCode::OK).await;
        json(propose(&app, &budget, &app.token("assistant"), spend("it", 125_050)).await, StatusCode::OK).await;
        json(approve(&app, &budget, 2, &app.token("leader"), json!({})).await, StatusCode::OK).await;

        let leader = approvals_on_my_work(&app, "leader").await;
        assert_eq!(titles(&leader), ["Approve £120.50 to Office Supplies Ltd from Line it"], "not the one they approved");
        assert_eq!(leader[0]["url"], format!("/api/v1/budgets/{budget}"));
        assert_eq!((leader[0]["due_on"].as_str(), leader[0]["overdue"].as_bool()), (None, Some(false)));
        let officer = approvals_on_my_work(&app, "officer").await;
        assert_eq!(titles(&officer), ["Give the second approval of £1,250.50 to Office Supplies Ltd from Line it"], "not their own proposal");
        for role in ["assistant", "councillor", "auditor"] {
            assert!(approvals_on_my_work(&app, role).await.is_empty(), "{role} approves no spending");
        }

        json(approve(&app, &budget, 2, &app.token("officer"), json!({})).await, StatusCode::OK).await;
        json(approve(&app, &budget, 1, &app.token("leader"), json!({})).await, StatusCode::OK).await;
        assert!(approvals_on_my_work(&app, "officer").await.is_empty(), "both approved");
        assert!(approvals_on_my_work(&app, "leader").await.is_empty(), "both approved");
    }

    async fn budget_council_money_refuses_a_party_political_category_and_the_group_funds_take_it(app: backend) {
        let council = open(&app, "council").await;
        let refused = problem(add_line(&app, &council, "leaflets", "campaign_material", 10_000).await, StatusCode::CONFLICT).await;
        assert!(refused["detail"].as_str().expect("detail").contains("party-political"), "{refused}");
        json(add_line(&app, &council, "it", "it_equipment", 10_000).await, StatusCode::OK).await;
        let group = open(&app, "group").await;
        json(add_line(&app, &group, "leaflets", "campaign_material", 10_000).await, StatusCode::OK).await;
        problem(app.post("/budgets", &app.token("assistant"), &json!({"ledger": "council", "year": this_year()})).await, StatusCode::CONFLICT).await;
        let bad = problem(app.post("/budgets", &app.token("assistant"), &json!({"ledger": "council", "year": 1999})).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(bad["errors"][0]["pointer"], "/year");
        let bad = problem(add_line(&app, &group, "Bad Code", "other", 0).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        let pointers: Vec<&str> = bad["errors"].as_array().expect("errors").iter().map(|e| e["pointer"].as_str().expect("pointer")).collect();
        assert_eq!(pointers, ["/code", "/allocation_pence"], "{bad}");
        // Opening it under an Idempotency-Key: the same key again is the
        // first answer; another request (a new key) finds it open.
        let earlier = json!({"ledger": "group", "year": 2025});
        let officer = app.token("officer");
        let keyed = |key: &'static str| app.client.post(app.api("/budgets")).bearer_auth(&officer).header("Idempotency-Key", key).json(&earlier).send();
        let opened = keyed("open-2025").await.expect("send");
        let earlier_opened = json(opened, StatusCode::CREATED).await;
        assert_eq!((earlier_opened["year_label"].as_str(), earlier_opened["starts_on"].as_str(), earlier_opened["ends_on"].as_str()), (Some("2025-26"), Some("2025-04-01"), Some("2026-03-31")));
        let replayed = keyed("open-2025").await.expect("send");
        assert_eq!((replayed.status(), replayed.headers()["Idempotent-Replayed"].to_str().ok()), (StatusCode::CREATED, Some("true")));
        let again = problem(keyed("open-2025-again").await.expect("send"), StatusCode::CONFLICT).await;
        assert!(again["detail"].as_str().expect("detail").contains("already exists"), "{again}");
        let by_year = json(app.get("/budgets?year=2025", &app.token("auditor")).await, StatusCode::OK).await;
        assert_eq!(by_year["items"].as_array().map(Vec::len), Some(1));
        // 31 March 2026 is still in the 2025-26 year: its statement is that year's.
        let at_year_end = statement(&app, "ledger=group&as_of=2026-03-31T22:59:59Z", "auditor").await;
        assert_eq!(at_year_end["year_label"], "2025-26");
        let listed = json(app.get(&format!("/budgets?ledger=group&year={}", this_year()), &app.token("auditor")).await, StatusCode::OK).await;
        assert_eq!(listed["items"].as_array().map(Vec::len), Some(1));
        problem(app.get("/budgets?year=1999", &app.token("auditor")).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    }

    async fn budget_spending_is_never_approved_by_its_proposer_and_above_500_pounds_by_two_officers(app: backend) {
        let budget = open(&app, "council").await;
        json(add_line(&app, &budget, "it", "it_equipment", 500_000).await, StatusCode::OK).await;
        let officer = app.token("officer");
        let small = json(propose(&app, &budget, &officer, spend("it", 50_000)).await, StatusCode::OK).await;
        assert_eq!((last(&small)["status"].as_str(), last(&small)["approvals_needed"].as_u64()), (Some("proposed"), Some(1)));
        let refused = problem(approve(&app, &budget, 1, &officer, json!({})).await, StatusCode::CONFLICT).await;
        assert!(refused["detail"].as_str().expect("detail").contains("self-approval"), "{refused}");
        let approved = json(approve(&app, &budget, 1, &app.token("leader"), json!({})).await, StatusCode::OK).await;
        assert_eq!(approved["spending"][0]["status"], "approved");
        assert_eq!(line(&approved, "it")["committed_pence"], 50_000);

        let big = json(propose(&app, &budget, &app.token("assistant"), spend("it", 50_001)).await, StatusCode::OK).await;
        assert_eq!(last(&big)["approvals_needed"], 2);
        let once = json(approve(&app, &budget, 2, &app.token("leader"), json!({})).await, StatusCode::OK).await;
        assert_eq!(last(&once)["status"], "awaiting_second_approval");
        assert_eq!(line(&once, "it")["committed_pence"], 50_000, "not committed until the second approval");
        let again = problem(approve(&app, &budget, 2, &app.token("leader"), json!({})).await, StatusCode::CONFLICT).await;
        assert!(again["detail"].as_str().expect("detail").contains("two-approver"), "{again}");
        problem(approve(&app, &budget, 2, &app.token("assistant"), json!({})).await, StatusCode::FORBIDDEN).await;
        let twice = json(approve(&app, &budget, 2, &app.token("officer"), json!({})).await, StatusCode::OK).await;
        assert_eq!(last(&twice)["status"], "approved");
        assert_eq!(line(&twice, "it")["committed_pence"], 100_001);
        problem(approve(&app, &budget, 9, &app.token("officer"), json!({})).await, StatusCode::NOT_FOUND).await;
        problem(approve(&app, &budget, 70_000, &app.token("officer"), json!({})).await, StatusCode::NOT_FOUND).await;
    }

    async fn budget_warns_past_80_percent_refuses_past_100_and_an_officer_overrides_with_a_reason(app: backend) {
        let budget = open(&app, "council").await;
        json(add_line(&app, &budget, "print", "printing", 40_000).await, StatusCode::OK).await;
        let office = app.token("assistant");
        let within = json(propose(&app, &budget, &office, spend("print", 32_000)).await, StatusCode::OK).await;
        assert_eq!(last(&within)["warning"], Value::Null, "exactly 80% is not past it");
        let past = json(propose(&app, &budget, &office, spend("print", 32_001)).await, StatusCode::OK).await;
        assert_eq!(last(&past)["warning"], "past_warning");
        json(app.post(&format!("/budgets/{budget}/spending/2/rejection"), &app.token("leader"), &json!({"reason": "One quote is not enough"})).await, StatusCode::OK).await;
        json(approve(&app, &budget, 1, &app.token("leader"), json!({})).await, StatusCode::OK).await;
        let keyed = |key: &str| app.client.post(app.api(&format!("/budgets/{budget}/spending"))).bearer_auth(&office).header("idempotency-key", key).json(&spend("print", 100));
        let first = json(keyed("toner-1").send().await.expect("request"), StatusCode::OK).await;
        let again = json(keyed("toner-1").send().await.expect("request"), StatusCode::OK).await;
        assert_eq!(first["spending"], again["spending"], "a retry records nothing new");
        json(app.post(&format!("/budgets/{budget}/spending/3/rejection"), &app.token("leader"), &json!({"reason": "Not needed"})).await, StatusCode::OK).await;
        let over = problem(propose(&app, &budget, &office, spend("print", 8_001)).await, StatusCode::CONFLICT).await;
        assert!(over["detail"].as_str().expect("detail").contains("over allocation"), "{over}");
        let reason = json!({"line": "print", "amount_pence": 8_001, "payee": "Printers", "purpose": "Annual report", "override_reason": "The annual report is due"});
        problem(propose(&app, &budget, &office, reason.clone()).await, StatusCode::FORBIDDEN).await;
        let overridden = json(propose(&app, &budget, &app.token("officer"), reason).await, StatusCode::OK).await;
        assert_eq!(last(&overridden)["override_reason"], "The annual report is due");
        assert_eq!(last(&overridden)["warning"], "over_allocation");
        problem(approve(&app, &budget, 4, &app.token("leader"), json!({})).await, StatusCode::CONFLICT).await;
        let approved = json(approve(&app, &budget, 4, &app.token("leader"), json!({"override_reason": "Agreed at group meeting"})).await, StatusCode::OK).await;
        assert_eq!(last(&approved)["approvals"][0]["override_reason"], "Agreed at group meeting");
        assert_eq!(line(&approved, "print")["remaining_pence"], -1);
        assert_eq!(line(&approved, "print")["level"], "over_allocation");
    }

    async fn budget_money_moves_with_a_reason_never_below_what_is_committed(app: backend) {
        let budget = open(&app, "group").await;
        json(add_line(&app, &budget, "events", "party_events", 100_000).await, StatusCode::OK).await;
        json(add_line(&app, &budget, "fees", "party_subscriptions", 20_000).await, StatusCode::OK).await;
        json(propose(&app, &budget, &app.token("assistant"), spend("events", 30_000)).await, StatusCode::OK).await;
        json(approve(&app, &budget, 1, &app.token("leader"), json!({})).await, StatusCode::OK).await;
        let transfer = |pence: i64| json!({"from_line": "events", "to_line": "fees", "amount_pence": pence, "reason": "Affiliation fees went up"});
        let path = format!("/budgets/{budget}/transfers");
        let refused = problem(app.post(&path, &app.token("officer"), &transfer(70_001)).await, StatusCode::CONFLICT).await;
        assert!(refused["detail"].as_str().expect("detail").contains("below what is spent"), "{refused}");
        let moved = json(app.post(&path, &app.token("officer"), &transfer(70_000)).await, StatusCode::OK).await;
        assert_eq!((line(&moved, "events")["allocation_pence"].as_i64(), line(&moved, "fees")["allocation_pence"].as_i64()), (Some(30_000), Some(90_000)));
        assert_eq!(moved["transfers"][0]["reason"], "Affiliation fees went up");
        let allocations = format!("/budgets/{budget}/allocations");
        let below = json!({"code": "events", "allocation_pence": 29_999, "reason": "Fewer events"});
        problem(app.post(&allocations, &app.token("assistant"), &below).await, StatusCode::CONFLICT).await;
        let exact = json!({"code": "events", "allocation_pence": 30_000, "reason": "Fewer events"});
        let allocated = json(app.post(&allocations, &app.token("assistant"), &exact).await, StatusCode::OK).await;
        assert_eq!(line(&allocated, "events")["remaining_pence"], 0);
        let no_reason = json!({"from_line": "events", "to_line": "nowhere", "amount_pence": 1, "reason": " "});
        let bad = problem(app.post(&path, &app.token("officer"), &no_reason).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(bad["errors"][0]["pointer"], "/reason");
        let no_line = json!({"from_line": "events", "to_line": "nowhere", "amount_pence": 1, "reason": "Typo"});
        let bad = problem(app.post(&path, &app.token("officer"), &no_line).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(bad["errors"][0]["pointer"], "/to_line");
        let history = json(app.get(&format!("/history/budget/{budget}"), &app.token("auditor")).await, StatusCode::OK).await;
        assert!(history.to_string().contains("MoneyMoved"), "{history}");
    }

    async fn budget_statement_gives_each_line_s_figures_now_and_as_they_stood(app: backend) {
        let budget = open(&app, "council").await;
        json(add_line(&app, &budget, "it", "it_equipment", 100_000).await, StatusCode::OK).await;
        json(add_line(&app, &budget, "training", "training", 33_333).await, StatusCode::OK).await;
        json(propose(&app, &budget, &app.token("assistant"), spend("it", 10_010)).await, StatusCode::OK).await;
        json(approve(&app, &budget, 1, &app.token("leader"), json!({})).await, StatusCode::OK).await;
        let before_payment = Utc::now();
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        let receipt = crate::files::upload(&app, "receipt.pdf", b"%PDF-1.4 receipt 1", "officers").await;
        let bad = json!({"receipt_file_id": "0".repeat(64)});
        let refused = problem(app.post(&format!("/budgets/{budget}/spending/1/payment"), &app.token("assistant"), &bad).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(refused["errors"][0]["pointer"], "/receipt_file_id");
        let current = json(app.get(&format!("/budgets/{budget}"), &app.token("officer")).await, StatusCode::OK).await;
        let etag = current["spending"][0]["etag"].as_str().expect("etag").to_owned();
        json(propose(&app, &budget, &app.token("assistant"), spend("training", 333)).await, StatusCode::OK).await;
        let pay = json!({"receipt_file_id": receipt["id"]});
        let paid = app.client.post(app.api(&format!("/budgets/{budget}/spending/1/payment"))).bearer_auth(app.token("assistant")).header("if-match", &etag).json(&pay).send().await.expect("request");
        let paid = json(paid, StatusCode::OK).await;
        assert_eq!(paid["spending"][0]["status"], "paid", "other spending does not stale this spending's ETag");
        problem(app.client.post(app.api(&format!("/budgets/{budget}/spending/1/payment"))).bearer_auth(app.token("assistant")).header("if-match", &etag).json(&pay).send().await.expect("request"), StatusCode::CONFLICT).await;

        let now = statement(&app, "ledger=council", "auditor").await;
        let council = &now["ledgers"][0];
        assert_eq!(council["totals"], json!({"allocation_pence": 133_333, "committed_pence": 0, "paid_pence": 10_010, "remaining_pence": 123_323}));
        assert_eq!(council["lines"][0], json!({"code": "it", "name": "Line it", "category": "it_equipment", "budget_pence": 100_000, "committed_pence": 0, "paid_pence": 10_010, "remaining_pence": 89_990}));
        assert_eq!(council["spending"][0]["payee"], "Office Supplies Ltd");
        let at = before_payment.to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
        let then = statement(&app, &format!("ledger=council&as_of={}", at.replace('+', "%2B")), "auditor").await;
        assert_eq!(then["ledgers"][0]["totals"], json!({"allocation_pence": 133_333, "committed_pence": 10_010, "paid_pence": 0, "remaining_pence": 123_323}));

        let markdown = app.get("/budget-statement?format=markdown", &app.token("officer")).await.text().await.expect("text");
        assert!(markdown.contains("| Line it (it) | £1,000.00 | £0.00 | £100.10 | £899.90 |"), "{markdown}");
        assert!(markdown.contains("The group's own funds") && markdown.contains("No budget was opened"), "{markdown}");
        let csv = app.get("/budget-statement?format=csv&ledger=council", &app.token("officer")).await.text().await.expect("text");
        assert!(csv.starts_with("year,ledger,code,name,category,budget_pence,committed_pence,paid_pence,remaining_pence\n"), "{csv}");
        assert!(csv.contains(",council,total,Total,,133333,0,10010,123323"), "{csv}");

        let councillor = statement(&app, "", "councillor").await;
        assert_eq!(councillor["ledgers"][0]["spending"], Value::Null, "councillors see no payees");
        assert!(!councillor.to_string().contains("Office Supplies"), "{councillor}");
        problem(app.get(&format!("/budgets/{budget}"), &app.token("councillor")).await, StatusCode::FORBIDDEN).await;
        problem(propose(&app, &budget, &app.token("councillor"), spend("it", 1)).await, StatusCode::FORBIDDEN).await;
        problem(app.get("/budget-statement", &app.token("publisher")).await, StatusCode::FORBIDDEN).await;
        problem(app.get("/budget-statement?year=65535", &app.token("officer")).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
}

#[tokio::test]
async fn budget_of_the_sample_group_has_both_ledgers_with_spending_paid_approved_and_pending() {
    let app = crate::helpers::spawn_sample_app().await;
    let statement = statement(&app, "", "officer").await;
    let ledgers = statement["ledgers"].as_array().expect("ledgers");
    assert!(ledgers.iter().all(|l| l["opened"] == true), "{statement}");
    let council = &ledgers[0];
    assert_eq!(council["totals"]["paid_pence"], 89_900, "the laptop is paid");
    assert_eq!(council["totals"]["committed_pence"], 45_000, "the course is approved, not yet paid");
    let statuses: Vec<&str> = council["spending"]
        .as_array()
        .expect("spending")
        .iter()
        .map(|s| s["status"].as_str().expect("status"))
        .collect();
    assert_eq!(statuses, ["paid", "awaiting_second_approval", "approved"]);
    let group = &ledgers[1];
    assert!(group["lines"].as_array().expect("lines").iter().any(|l| l["category"] == "campaign_material"));
    let last = group["spending"].as_array().and_then(|s| s.last()).expect("spending");
    assert_eq!(last["status"], "proposed");
}
