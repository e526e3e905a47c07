//! The group's budget (issue 18): the sample's budgets and their figures as
//! the api holds them; spending proposed by an officer, refused to them as
//! its approver and approved by two others above the threshold; an
//! overspend refused in the rule's words; pounds typed wrongly; a payment
//! recorded with its receipt; the statement and its downloads, for
//! councillors the figures only; My work linking an approval to its budget.

use caucus_wire::Pence;
use reqwest::{Method, StatusCode, multipart};
use serde_json::{Value, json};

use crate::actions::{fields_of, form, html, select, with};
use crate::support::*;

const ASSISTANT: (&str, &str) = ("demo-assistant", "assistant");

fn money(value: &Value) -> String {
    Pence::new(value.as_i64().expect("pence")).to_string()
}

/// The sample's budget of `ledger` as the api holds it.
async fn budget_of(app: &Running, ledger: &str) -> Value {
    let budgets = app.api_get(ASSISTANT.0, ASSISTANT.1, &format!("/budgets?ledger={ledger}")).await;
    budgets["items"][0].clone()
}

fn id(budget: &Value) -> String {
    budget["id"].as_str().expect("id").to_owned()
}

/// Sends the multipart form to `action` on `page` with `fields` changed and
/// `file` (field name, bytes) attached.
async fn send_upload(
    app: &Running,
    page: &scraper::Html,
    action: &str,
    changes: &[(&str, &str)],
    file: Option<(&str, &[u8])>,
) -> reqwest::Response {
    let mut fields = fields_of(&form(page, action));
    for (name, value) in changes {
        fields = with(fields, name, value);
    }
    let mut sent = multipart::Form::new();
    let file_field = file.map(|(name, _)| name);
    for (name, value) in fields.into_iter().filter(|(n, _)| Some(n.as_str()) != file_field) {
        sent = sent.text(name, value);
    }
    if let Some((name, content)) = file {
        let part = multipart::Part::bytes(content.to_vec())
            .file_name("document.pdf")
            .mime_str("application/pdf")
            .expect("part");
        sent = sent.part(name.to_owned(), part);
    }
    app.browser.post(format!("{}{action}", app.web)).multipart(sent).send().await.expect("post")
}

/// Sends the url-encoded form to `action` on `page` with `changes`.
async fn send_form(
    app: &Running,
    page: &scraper::Html,
    action: &str,
    changes: &[(&str, &str)],
) -> reqwest::Response {
    let mut fields = fields_of(&form(page, action));
    for (name, value) in changes {
        fields = with(fields, name, value);
    }
    crate::actions::send(app, action, &fields).await
}

fn location(response: &reqwest::Response) -> String {
    response.headers()["location"].to_str().expect("location").to_owned()
}

#[tokio::test]
async fn the_sample_s_budgets_and_their_figures_are_shown_as_the_api_holds_them() {
    let app = start().await;
    app.sign_in_as("officer").await;
    let list = app.page("/budgets").await;
    let held = app.api_get(ASSISTANT.0, ASSISTANT.1, "/budgets").await;
    let budgets = held["items"].as_array().expect("budgets");
    assert_eq!(budgets.len(), 2, "both ledgers");
    let text = text_of(&list, "main");
    for budget in budgets {
        assert_eq!(select(&list, &format!("a[href='/budgets/{}']", id(budget))).len(), 1, "{budget}");
        for figure in ["allocation_pence", "committed_pence", "paid_pence", "remaining_pence"] {
            assert!(text.contains(&money(&budget["totals"][figure])), "{figure}: {text}");
        }
    }
    assert!(text.contains("Council-provided resources") && text.contains("The group's own funds"), "{text}");

    let council = budget_of(&app, "council").await;
    let page = app.page(&format!("/budgets/{}", id(&council))).await;
    let text = text_of(&page, "main");
    for line in council["lines"].as_array().expect("lines") {
        assert!(text.contains(line["name"].as_str().expect("name")), "{line}");
        for figure in ["allocation_pence", "remaining_pence"] {
            assert!(text.contains(&money(&line[figure])), "{figure} of {line}: {text}");
        }
    }
    assert!(text.contains("£899.00") && text.contains("Dell UK"), "the laptop, paid: {text}");
    for status in ["Paid", "Awaiting second approval", "Approved", "Within budget"] {
        assert!(text.contains(status), "{status}: {text}");
    }
    assert!(
        text.contains("Two new councillors need the planning course"),
        "money moved, with its reason: {text}"
    );
    assert_eq!(select(&page, "a[href$='/spending/new']").len(), 1, "the office proposes spending");
}

#[tokio::test]
async fn spending_above_the_threshold_is_refused_to_its_proposer_and_approved_by_two_others() {
    let app = start().await;
    let officer = app.sign_in_as("officer").await;
    let council = id(&budget_of(&app, "council").await);
    let form_page = app.page(&format!("/budgets/{council}/spending/new")).await;
    let changes = [
        ("line", "it"),
        ("amount", "1,250.50"),
        ("payee", "Currys Business"),
        ("purpose", "Two monitors for the group office"),
    ];
    let proposed = send_upload(
        &app,
        &form_page,
        &format!("/budgets/{council}/spending"),
        &changes,
        Some(("quote", b"%PDF-1.4 quote")),
    )
    .await;
    assert_eq!(proposed.status(), StatusCode::SEE_OTHER);
    let path = location(&proposed);
    assert!(path.ends_with("/spending/4?done=proposed"), "{path}");
    let held = budget_of(&app, "council").await;
    let spend = &held["spending"][3];
    assert_eq!(
        (spend["amount_pence"].as_i64(), spend["approvals_needed"].as_u64()),
        (Some(125_050), Some(2)),
        "exact pence: {spend}"
    );
    assert_eq!(spend["proposed_by"], officer.as_str());
    assert!(spend["quote_file_id"].is_string(), "the quote stored: {spend}");
    let page = app.page(&path).await;
    let text = text_of(&page, "main");
    assert!(
        text.contains("The spending was proposed")
            && text.contains("£1,250.50")
            && text.contains("Download the quote or invoice"),
        "{text}"
    );

    // Its proposer may not approve it: the api's rule, in words.
    let action = format!("/budgets/{council}/spending/4/approval");
    let refused = send_form(&app, &page, &action, &[]).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = text_of(&html(refused).await, ".govuk-error-summary");
    assert!(
        text.contains(
            "Self-approval: spending is approved by a Group Officer other than whoever proposed it"
        ),
        "{text}"
    );

    let leader = app.sign_in_as("leader").await;
    let page = app.page(&format!("/budgets/{council}/spending/4")).await;
    let approved = send_form(&app, &page, &action, &[]).await;
    assert_eq!(approved.status(), StatusCode::SEE_OTHER);
    let page = app.page(&location(&approved)).await;
    let text = text_of(&page, "main");
    assert!(
        text.contains("The spending was approved") && text.contains("Awaiting second approval"),
        "{text}"
    );
    let again = send_form(&app, &page, &action, &[]).await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = text_of(&html(again).await, ".govuk-error-summary");
    assert!(text.contains("Two-approver rule"), "{text}");

    // A second Group Officer, neither proposer nor first approver, completes it.
    let members = app.api_get(ASSISTANT.0, ASSISTANT.1, "/members?status=member&limit=10").await;
    let second = members["items"]
        .as_array()
        .expect("members")
        .iter()
        .map(|m| m["id"].as_str().expect("id").to_owned())
        .find(|m| *m != officer && *m != leader)
        .expect("another member");
    let etag = budget_of(&app, "council").await["spending"][3]["etag"]
        .as_str()
        .expect("etag")
        .trim_matches('"')
        .parse()
        .ok();
    let (status, _) = app
        .api_send(
            (&second, "officer"),
            Method::POST,
            &format!("/budgets/{council}/spending/4/approval"),
            &json!({}),
            etag,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let page = app.page(&format!("/budgets/{council}/spending/4")).await;
    let text = text_of(&page, ".govuk-summary-list");
    assert!(text.contains("Approved") && !text.contains("Awaiting"), "{text}");
    assert!(select(&page, "form[action$='/approval']").is_empty(), "nothing left to approve");
}

#[tokio::test]
async fn an_overspend_is_refused_in_the_rule_s_words_and_pounds_typed_wrongly_at_the_field() {
    let app = start().await;
    app.sign_in_as("assistant").await;
    let council = id(&budget_of(&app, "council").await);
    let action = format!("/budgets/{council}/spending");
    let page = app.page(&format!("{action}/new")).await;
    let base = [("line", "office"), ("payee", "Viking Direct"), ("purpose", "A year's stationery")];

    let mistyped =
        send_upload(&app, &page, &action, &[base.as_slice(), &[("amount", "1.234")]].concat(), None).await;
    assert_eq!(mistyped.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = html(mistyped).await;
    assert_eq!(
        text_list(&refused, ".govuk-error-summary a[href='#amount']"),
        ["The amount must be in pounds and pence, like 1,250 or 12.50"]
    );
    assert!(text_of(&refused, "#amount-error").contains("like 1,250 or 12.50"));

    let over =
        send_upload(&app, &page, &action, &[base.as_slice(), &[("amount", "700")]].concat(), None).await;
    assert_eq!(over.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = html(over).await;
    let text = text_of(&refused, ".govuk-error-summary");
    assert!(
        text.contains(
            "Over allocation: £700.00 would take line office past its allocation (£600.00 remaining)"
        ),
        "{text}"
    );
    assert_eq!(
        budget_of(&app, "council").await["spending"].as_array().expect("spending").len(),
        3,
        "nothing proposed"
    );
    assert!(
        select(&refused, "textarea[name='override_reason']").is_empty(),
        "only a Group Officer overrides"
    );
}

#[tokio::test]
async fn approved_spending_is_recorded_as_paid_with_its_receipt() {
    let app = start().await;
    app.sign_in_as("assistant").await;
    let council = id(&budget_of(&app, "council").await);
    let path = format!("/budgets/{council}/spending/3");
    let page = app.page(&path).await;
    assert!(text_of(&page, "main").contains("Local Government Association"));
    let action = format!("{path}/payment");
    let missing = send_upload(&app, &page, &action, &[], None).await;
    assert_eq!(missing.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        text_list(&html(missing).await, ".govuk-error-summary a[href='#receipt']"),
        ["Select the receipt"]
    );
    let paid = send_upload(&app, &page, &action, &[], Some(("receipt", b"%PDF-1.4 receipt"))).await;
    assert_eq!(paid.status(), StatusCode::SEE_OTHER);
    let shown = app.page(&location(&paid)).await;
    let text = text_of(&shown, "main");
    assert!(text.contains("The payment was recorded") && text.contains("Download the receipt"), "{text}");
    let held = budget_of(&app, "council").await;
    let spend = &held["spending"][2];
    assert_eq!(spend["status"], "paid", "{spend}");
    assert!(spend["receipt_file_id"].is_string());
    let training =
        held["lines"].as_array().expect("lines").iter().find(|l| l["code"] == "training").expect("line");
    assert_eq!(
        (training["paid_pence"].as_i64(), training["committed_pence"].as_i64()),
        (Some(45_000), Some(0))
    );
    let receipt = select(&shown, "a[href*='/files/']")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .next_back()
        .expect("link")
        .to_owned();
    let file = app.get(&receipt).await;
    assert_eq!(file.status(), StatusCode::OK);
    assert_eq!(file.bytes().await.expect("bytes").as_ref(), b"%PDF-1.4 receipt");
}

#[tokio::test]
async fn the_statement_downloads_as_csv_and_markdown_and_councillors_see_its_figures_only() {
    let app = start().await;
    app.sign_in_as("officer").await;
    let page = app.page("/budget-statement").await;
    let text = text_of(&page, "main");
    assert!(text.contains("Dell UK") && text.contains("£899.00"), "{text}");
    let link = |page: &scraper::Html, suffix: &str| {
        select(page, &format!("a[href*='budget-statement.{suffix}']"))
            .first()
            .and_then(|a| a.value().attr("href"))
            .expect("a download")
            .to_owned()
    };
    let csv = app.get(&link(&page, "csv")).await;
    assert_eq!(csv.status(), StatusCode::OK);
    assert!(csv.headers()["content-type"].to_str().expect("type").starts_with("text/csv"));
    let disposition = csv.headers()["content-disposition"].to_str().expect("disposition").to_owned();
    assert!(
        disposition.starts_with("attachment; filename=\"budget-statement-")
            && disposition.ends_with(".csv\""),
        "{disposition}"
    );
    let body = csv.text().await.expect("csv");
    assert!(body.starts_with("year,ledger,code,name,category,budget_pence"), "{body}");
    let markdown = app.get(&link(&page, "md")).await;
    assert!(markdown.headers()["content-type"].to_str().expect("type").starts_with("text/markdown"));
    let body = markdown.text().await.expect("markdown");
    assert!(body.contains("| ") && body.contains("£899.00"), "{body}");

    app.sign_in_as("councillor").await;
    let page = app.page("/budget-statement").await;
    let text = text_of(&page, "main");
    assert!(text.contains("£899.00") && text.contains("The figures only"), "{text}");
    assert!(!text.contains("Dell UK"), "no payee: {text}");
    assert_eq!(select(&page, "a[href='/budget-statement']").len(), 1, "the statement in the navigation");
    assert!(select(&page, "a[href='/budgets']").is_empty(), "no budgets link");
    let refused = app.get("/budgets").await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn my_work_links_spending_awaiting_approval_to_its_budget() {
    let app = start().await;
    app.sign_in_as("officer").await;
    let group = id(&budget_of(&app, "group").await);
    let home = app.page("/").await;
    let links = select(&home, &format!("a[href='/budgets/{group}']"));
    assert_eq!(links.len(), 1, "{}", text_of(&home, "main"));
    let title: String = links[0].text().collect();
    assert_eq!(title.trim(), "Approve £1,200.00 to Newham Print Co from Campaign material");
    app.sign_in_as("assistant").await;
    let home = app.page("/").await;
    assert!(
        select(&home, &format!("a[href='/budgets/{group}']")).is_empty(),
        "the office approves no spending"
    );
}

#[tokio::test]
async fn the_office_opens_a_budget_adds_lines_sets_an_allocation_and_moves_money_with_reasons() {
    let app = start().await;
    app.sign_in_as("assistant").await;
    let new = app.page("/budgets/new").await;
    let years = select(&new, "select[name='year'] option");
    let next = years.last().and_then(|o| o.value().attr("value")).expect("next year").to_owned();
    let opened = send_form(&app, &new, "/budgets", &[("ledger", "council"), ("year", &next)]).await;
    assert_eq!(opened.status(), StatusCode::SEE_OTHER);
    let path = location(&opened);
    let budget = path.trim_end_matches("?done=opened").to_owned();
    assert!(text_of(&app.page(&path).await, "main").contains("The budget was opened"));
    let resent = send_form(&app, &new, "/budgets", &[("ledger", "council"), ("year", &next)]).await;
    assert_eq!(location(&resent), path, "the same form sent twice opens it once");
    // A fresh form for the same ledger and year: it is open already, said at the ledger.
    let fresh = app.page("/budgets/new").await;
    let again = send_form(&app, &fresh, "/budgets", &[("ledger", "council"), ("year", &next)]).await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let again = scraper::Html::parse_document(&again.text().await.expect("body"));
    assert!(text_of(&again, "#ledger-error").contains("already exists"), "{}", text_of(&again, "main"));

    let lines = format!("{budget}/lines");
    let page = app.page(&format!("{lines}/new")).await;
    assert!(
        select(&page, "option[value='campaign_material']").is_empty(),
        "council money offers no party category"
    );
    for (code, category, pounds) in [("it", "it_equipment", "2,000"), ("print", "printing", "500")] {
        let page = app.page(&format!("{lines}/new")).await;
        let added = send_form(
            &app,
            &page,
            &lines,
            &[("code", code), ("name", code), ("category", category), ("allocation", pounds)],
        )
        .await;
        assert_eq!(added.status(), StatusCode::SEE_OTHER, "{code}");
        assert!(location(&added).ends_with("?done=line-added"));
    }
    let page = app.page(&format!("{lines}/new")).await;
    let party = send_form(
        &app,
        &page,
        &lines,
        &[
            ("code", "leaflets"),
            ("name", "Leaflets"),
            ("category", "campaign_material"),
            ("allocation", "100"),
        ],
    )
    .await;
    assert_eq!(party.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = html(party).await;
    assert!(
        text_of(&refused, "#category-error").contains("Party-political spending on council money"),
        "{}",
        text_of(&refused, "main")
    );

    let allocations = format!("{budget}/allocations");
    let page = app.page(&format!("{allocations}/new")).await;
    let set = send_form(
        &app,
        &page,
        &allocations,
        &[("code", "it"), ("allocation", "2,500.50"), ("reason", "Agreed at the AGM")],
    )
    .await;
    assert_eq!(set.status(), StatusCode::SEE_OTHER);
    let transfers = format!("{budget}/transfers");
    let page = app.page(&format!("{transfers}/new")).await;
    let reasonless =
        send_form(&app, &page, &transfers, &[("from_line", "it"), ("to_line", "print"), ("amount", "50.50")])
            .await;
    assert_eq!(reasonless.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(select(&html(reasonless).await, ".govuk-error-summary a[href='#reason']").len(), 1);
    let moved = send_form(
        &app,
        &page,
        &transfers,
        &[
            ("from_line", "it"),
            ("to_line", "print"),
            ("amount", "50.50"),
            ("reason", "Toner for the printer"),
        ],
    )
    .await;
    assert_eq!(moved.status(), StatusCode::SEE_OTHER);

    let held = app
        .api_get(
            ASSISTANT.0,
            ASSISTANT.1,
            budget
                .trim_start_matches('/')
                .split_once('/')
                .map(|(_, id)| format!("/budgets/{id}"))
                .as_deref()
                .expect("id"),
        )
        .await;
    let allocations: Vec<(&str, i64)> = held["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .map(|l| (l["code"].as_str().expect("code"), l["allocation_pence"].as_i64().expect("pence")))
        .collect();
    assert_eq!(allocations, [("it", 245_000), ("print", 55_050)], "exact pence");
    let shown = text_of(&app.page(&budget).await, "main");
    assert!(
        shown.contains("£2,450.00") && shown.contains("£550.50") && shown.contains("Toner for the printer"),
        "{shown}"
    );
}

#[tokio::test]
async fn a_group_officer_overrides_the_allocation_with_a_reason_to_propose_and_approve_past_it() {
    let app = start().await;
    app.sign_in_as("officer").await;
    let council = id(&budget_of(&app, "council").await);
    let action = format!("/budgets/{council}/spending");
    let page = app.page(&format!("{action}/new")).await;
    let changes = [
        ("line", "office"),
        ("amount", "700"),
        ("payee", "Viking Direct"),
        ("purpose", "A year's stationery"),
        ("override_reason", "The group agreed the cost at its meeting"),
    ];
    let proposed = send_upload(&app, &page, &action, &changes, None).await;
    assert_eq!(proposed.status(), StatusCode::SEE_OTHER);
    let path = location(&proposed);
    assert!(text_of(&app.page(&path).await, "main").contains("Over allocation"), "the warning as a tag");

    app.sign_in_as("leader").await;
    let page = app.page(&format!("{action}/4")).await;
    let approval = format!("{action}/4/approval");
    let refused = send_form(&app, &page, &approval, &[]).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = html(refused).await;
    assert!(
        text_of(&refused, "#approve-override-reason-error").contains("Over allocation"),
        "{}",
        text_of(&refused, "main")
    );
    let approved = send_form(&app, &page, &approval, &[("override_reason", "Agreed by the group")]).await;
    assert_eq!(approved.status(), StatusCode::SEE_OTHER);
    let held = budget_of(&app, "council").await;
    assert_eq!(held["spending"][3]["status"], "awaiting_second_approval", "above £500: two approvers");
    assert_eq!(held["spending"][3]["approvals"][0]["override_reason"], "Agreed by the group");
    let office =
        held["lines"].as_array().expect("lines").iter().find(|l| l["code"] == "office").expect("line");
    assert_eq!(
        (office["pending_pence"].as_i64(), office["remaining_pence"].as_i64()),
        (Some(70_000), Some(60_000)),
        "committed at the second approval"
    );
    assert!(text_of(&app.page(&format!("/budgets/{council}")).await, "main").contains("Over allocation"));
}
