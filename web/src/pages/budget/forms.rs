//! The office's forms changing the group's budget, each a page of its own:
//! opening a budget, adding a line, setting a line's allocation with a
//! reason, moving money between lines with a reason, and proposing spending
//! with its quote or invoice uploaded. A refused form is shown again with
//! the api's errors at its fields, a rule's refusal (a party category on
//! council money, an overspend) in the rule's own sentence.

use actix_multipart::Multipart;
use actix_web::post;
use caucus_wire::Mirror as _;
use caucus_wire::budget::{
    AddBudgetLineRequest, AllocateBudgetLineRequest, MoveBudgetMoneyRequest, OpenBudgetRequest, PenceAmount,
    ProposeSpendingRequest,
};
use caucus_wire::files::FileView;
use caucus_wire::{NoteText, TitleText};

use super::*;
use crate::pages::{Posted, SentForm};
use crate::present::wire_word;

/// The largest quote, invoice or receipt taken (as the api takes files).
pub(super) const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;

/// A form page as `budget-form.html` shows it.
struct FormPage<'a> {
    title: &'a str,
    /// Where the back link goes, and what it says.
    back: (String, String),
    action: String,
    button: &'static str,
    /// Whether the form sends a file.
    upload: bool,
    /// Each field: `{"kind": "input" | "select" | "textarea" | "radios" | "file", "params": ...}`.
    fields: Vec<Value>,
    version: Option<u64>,
    key: &'a str,
}

fn render(
    (state, session, _): Page<'_>,
    person: &Person,
    form: FormPage<'_>,
    errors: &FieldErrors,
) -> Result<HttpResponse, PageError> {
    let frame = state.frame(session, Some(person), Section::Budget, form.title)?;
    state.page_with(
        errors.status(),
        &frame,
        "budget-form.html",
        json!({
            "back": {"href": form.back.0, "text": form.back.1},
            "action": form.action,
            "button": form.button,
            "upload": form.upload,
            "fields": form.fields,
            "version": form.version,
            "key": form.key,
            "error_summary": errors.summary(),
        }),
    )
}

/// A field of kind `kind` with `params`, its id's error from `errors`.
fn field(kind: &str, mut params: Value, errors: &FieldErrors) -> Value {
    let id = params["id"].as_str().unwrap_or_default().to_owned();
    params["errorMessage"] = json!(errors.message(&id));
    json!({"kind": kind, "params": params})
}

/// A one-line text input named `name` with id `id`.
fn input(
    (name, id, label): (&str, &str, &str),
    hint: Option<&str>,
    value: &str,
    errors: &FieldErrors,
) -> Value {
    let params = json!({
        "name": name, "id": id,
        "label": {"text": label, "classes": "govuk-label--s"},
        "hint": hint.map(|text| json!({"text": text})),
        "value": value,
    });
    field("input", params, errors)
}

/// An amount of pounds typed into a narrow input after a £.
fn pounds_input((name, id, label): (&str, &str, &str), value: &str, errors: &FieldErrors) -> Value {
    let params = json!({
        "name": name, "id": id,
        "label": {"text": label, "classes": "govuk-label--s"},
        "hint": {"text": "In pounds and pence, for example 1,250.50"},
        "prefix": {"text": "£"},
        "classes": "govuk-input--width-10",
        "spellcheck": false,
        "value": value,
    });
    field("input", params, errors)
}

fn textarea(
    (name, id, label): (&str, &str, &str),
    hint: Option<&str>,
    value: &str,
    errors: &FieldErrors,
) -> Value {
    let params = json!({
        "name": name, "id": id, "rows": 3,
        "label": {"text": label, "classes": "govuk-label--s"},
        "hint": hint.map(|text| json!({"text": text})),
        "value": value,
    });
    field("textarea", params, errors)
}

/// A select of `options` (value, text) after a "Choose" one, `chosen` selected.
fn select(
    (name, id, label): (&str, &str, &str),
    options: &[(String, String)],
    chosen: &str,
    errors: &FieldErrors,
) -> Value {
    let items: Vec<Value> = std::iter::once(json!({"value": "", "text": "Choose"}))
        .chain(options.iter().map(|(value, text)| {
            json!({"value": value, "text": text, "selected": !chosen.is_empty() && value == chosen})
        }))
        .collect();
    let params = json!({
        "name": name, "id": id,
        "label": {"text": label, "classes": "govuk-label--s"},
        "items": items,
    });
    field("select", params, errors)
}

/// The budget's lines as a select's options.
fn line_options(budget: &BudgetView) -> Vec<(String, String)> {
    budget.lines.iter().map(|l| (l.code.clone(), format!("{} ({})", l.name, l.code))).collect()
}

/// The value of `word` as the api spells `S`, if it is one.
fn chosen<S: serde::de::DeserializeOwned>(word: &str) -> Option<S> {
    serde_json::from_value(Value::String(word.to_owned())).ok()
}

async fn read_budget(
    (state, session, request): Page<'_>,
    person: &Person,
    id: Uuid,
) -> Result<BudgetView, PageError> {
    state.read(session, person, request, &format!("/budgets/{id}")).await
}

/// Back to a budget's page.
fn back_to(budget: &BudgetView) -> (String, String) {
    (format!("/budgets/{}", budget.id), budget_name(budget))
}

// Opening a budget.

const OPEN_FIELDS: &[(&str, &str, &str)] =
    &[("/ledger", "ledger", "The ledger"), ("/year", "year", "The financial year")];

fn open_form(
    page: Page<'_>,
    person: &Person,
    (ledger, year): (&str, &str),
    key: &str,
    errors: &FieldErrors,
) -> Result<HttpResponse, PageError> {
    let ledgers: Vec<Value> = Ledger::ALL
        .iter()
        .map(|l| json!({"value": wire_word(*l), "text": ledger_name(*l), "checked": wire_word(*l) == ledger}))
        .collect();
    let radios = json!({
        "name": "ledger", "idPrefix": "ledger", "id": "ledger",
        "fieldset": {"legend": {"text": "Ledger", "classes": "govuk-fieldset__legend--s"}},
        "hint": {"text": "Council-provided resources may pay for nothing party political."},
        "items": ledgers,
    });
    let years: Vec<(String, String)> =
        years_offered().iter().map(|y| (y.to_string(), year_label(*y))).collect();
    let form = FormPage {
        title: "Open a budget",
        back: ("/budgets".to_owned(), "Budgets".to_owned()),
        action: "/budgets".to_owned(),
        button: "Open the budget",
        upload: false,
        fields: vec![
            field("radios", radios, errors),
            select(("year", "year", "Financial year (1 April to 31 March)"), &years, year, errors),
        ],
        version: None,
        key,
    };
    render(page, person, form, errors)
}

#[get("/budgets/new")]
pub(in crate::pages) async fn open_page(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let this = years_offered()[1].to_string();
    open_form(
        (&state, &session, &request),
        &person,
        ("", &this),
        &session::random_hex(),
        &FieldErrors::default(),
    )
}

#[post("/budgets")]
pub(in crate::pages) async fn open(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    Posted { person, form, key }: Posted,
) -> Result<HttpResponse, PageError> {
    let page = (&**state, &session, &request);
    let (ledger_word, year_word) = (form.text("ledger"), form.text("year"));
    let mut errors = Vec::new();
    let ledger = chosen::<Ledger>(&ledger_word);
    if ledger.is_none() {
        errors.push(("ledger".to_owned(), "Select the ledger".to_owned()));
    }
    let year = year_word.parse::<u16>().ok();
    if year.is_none() {
        errors.push(("year".to_owned(), "Select the financial year".to_owned()));
    }
    let again = |errors: FieldErrors| open_form(page, &person, (&ledger_word, &year_word), &key, &errors);
    let (Some(ledger), Some(year)) = (ledger, year) else {
        return again(FieldErrors { errors });
    };
    let sent = state.api.post(&person.token, "/budgets", &OpenBudgetRequest { ledger, year }, &key).await;
    match refused_at::<BudgetView>(page, &person, sent, (OPEN_FIELDS, "ledger"))? {
        Ok(budget) => Ok(see_other(&format!("/budgets/{}?done=opened", budget.id))),
        Err(errors) => again(errors),
    }
}

/// One of a budget's forms on a page of its own (a line, an allocation, money
/// moved), posted to `/budgets/{id}/{STEP}` here and in the api with the
/// budget's version read: the form as typed, its fields, and the request it
/// makes or what is wrong with it.
trait BudgetForm: Default {
    /// Where it posts under the budget, here and in the api.
    const STEP: &'static str;
    /// Its page's title.
    const TITLE: &'static str;
    /// Its button.
    const BUTTON: &'static str;
    /// What `?done=` says on the budget's page once it is done.
    const DONE: &'static str;
    /// Its fields, as the api points at them.
    const FIELDS: &'static [(&'static str, &'static str, &'static str)];
    /// The field a rule's refusal (a 409) is said at.
    const RULE_AT: &'static str;
    /// What it asks of the api.
    type Request: serde::Serialize;

    /// The form as sent.
    fn sent(form: &SentForm) -> Self;
    /// Its fields on `budget`'s form page, as typed, with `errors`.
    fn fields(&self, budget: &BudgetView, errors: &FieldErrors) -> Vec<Value>;
    /// The request it makes, or what is wrong at its fields.
    fn request(&self) -> Result<Self::Request, FieldErrors>;
}

/// `F`'s page for `budget`, as typed, with `errors`.
fn form_page<F: BudgetForm>(
    page: Page<'_>,
    person: &Person,
    budget: &BudgetView,
    typed: &F,
    (key, errors): (&str, &FieldErrors),
) -> Result<HttpResponse, PageError> {
    let form = FormPage {
        title: F::TITLE,
        back: back_to(budget),
        action: format!("/budgets/{}/{}", budget.id, F::STEP),
        button: F::BUTTON,
        upload: false,
        fields: typed.fields(budget, errors),
        version: Some(budget.version),
        key,
    };
    render(page, person, form, errors)
}

/// `F`'s page, empty, for budget `id`.
async fn blank<F: BudgetForm>(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, PageError> {
    let (page, id): (Page<'_>, Uuid) = ((&state, &session, &request), *id);
    let person = signed_in(&session, &request)?;
    let budget = read_budget(page, &person, id).await?;
    form_page(page, &person, &budget, &F::default(), (&session::random_hex(), &FieldErrors::default()))
}

/// `F` sent for budget `id`: the budget's page saying it was done, or the
/// form again with what was wrong.
async fn send_form<F: BudgetForm>(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    Posted { person, form, key }: Posted,
) -> Result<HttpResponse, PageError> {
    let (page, id): (Page<'_>, Uuid) = ((&state, &session, &request), *id);
    let state = &*state;
    let version = form.version()?;
    let typed = F::sent(&form);
    let again = async |errors: FieldErrors| {
        let budget = read_budget(page, &person, id).await?;
        form_page(page, &person, &budget, &typed, (&key, &errors))
    };
    let body = match typed.request() {
        Ok(body) => body,
        Err(errors) => return again(errors).await,
    };
    let path = format!("/budgets/{id}/{}", F::STEP);
    let sent = state.api.post_if_match(&person.token, &path, &body, Some(version), &key).await;
    match refused_at::<BudgetView>(page, &person, sent, (F::FIELDS, F::RULE_AT))? {
        Ok(_) => Ok(see_other(&format!("/budgets/{id}?done={}", F::DONE))),
        Err(errors) => again(errors).await,
    }
}

/// `F`'s page at `/budgets/{id}/<step>/new` and its handler at
/// `/budgets/{id}/<step>`: one pair of routes per form, from its `STEP`.
fn form_routes<F: BudgetForm + 'static>(config: &mut web::ServiceConfig) {
    config
        .route(&format!("/budgets/{{id}}/{}/new", F::STEP), web::get().to(blank::<F>))
        .route(&format!("/budgets/{{id}}/{}", F::STEP), web::post().to(send_form::<F>));
}

/// The routes of the forms that change an open budget: a line, an
/// allocation, money moved.
pub(in crate::pages) fn budget_form_routes(config: &mut web::ServiceConfig) {
    form_routes::<LineForm>(config);
    form_routes::<AllocationForm>(config);
    form_routes::<MoveForm>(config);
}

/// The line form as typed: code, name, category word, allocation in pounds.
#[derive(Debug, Default)]
struct LineForm {
    code: String,
    name: String,
    category: String,
    allocation: String,
}

impl BudgetForm for LineForm {
    const STEP: &'static str = "lines";
    const TITLE: &'static str = "Add a line";
    const BUTTON: &'static str = "Add the line";
    const DONE: &'static str = "line-added";
    const FIELDS: &'static [(&'static str, &'static str, &'static str)] = &[
        ("/code", "code", "The code"),
        ("/name", "name", "The name"),
        ("/category", "category", "The category"),
        ("/allocation_pence", "allocation", "The allocation"),
    ];
    const RULE_AT: &'static str = "category";
    type Request = AddBudgetLineRequest;

    fn sent(form: &SentForm) -> Self {
        Self {
            code: form.text("code").trim().to_owned(),
            name: form.text("name").trim().to_owned(),
            category: form.text("category"),
            allocation: form.text("allocation"),
        }
    }

    fn fields(&self, budget: &BudgetView, errors: &FieldErrors) -> Vec<Value> {
        let categories: Vec<(String, String)> = BudgetCategory::ALL
            .iter()
            // Council money pays for nothing party political: not offered there.
            .filter(|c| budget.ledger == Ledger::Group || !c.domain().is_party_political())
            .map(|c| (wire_word(*c), category_name(*c).to_owned()))
            .collect();
        vec![
            input(
                ("code", "code", "Code"),
                Some("Lowercase letters, digits and hyphens, for example it or printing-2"),
                &self.code,
                errors,
            ),
            input(
                ("name", "name", "Name"),
                Some("For example, IT equipment and software"),
                &self.name,
                errors,
            ),
            select(("category", "category", "What it pays for"), &categories, &self.category, errors),
            pounds_input(("allocation", "allocation", "Allocation for the year"), &self.allocation, errors),
        ]
    }

    fn request(&self) -> Result<AddBudgetLineRequest, FieldErrors> {
        let mut errors = Vec::new();
        let category = chosen::<BudgetCategory>(&self.category);
        if category.is_none() {
            errors.push(("category".to_owned(), "Select what the line pays for".to_owned()));
        }
        let allocation =
            pounds(&self.allocation, "The allocation").map_err(|m| errors.push(("allocation".to_owned(), m)));
        match (category, allocation) {
            (Some(category), Ok(allocation)) if errors.is_empty() => Ok(AddBudgetLineRequest {
                code: self.code.clone().into(),
                name: TitleText(self.name.clone()),
                category,
                allocation_pence: PenceAmount(allocation),
            }),
            _ => Err(FieldErrors { errors }),
        }
    }
}

/// The allocation form as typed: the line's code, the allocation in pounds, why.
#[derive(Debug, Default)]
struct AllocationForm {
    code: String,
    allocation: String,
    reason: String,
}

impl BudgetForm for AllocationForm {
    const STEP: &'static str = "allocations";
    const TITLE: &'static str = "Set a line's allocation";
    const BUTTON: &'static str = "Set the allocation";
    const DONE: &'static str = "allocated";
    const FIELDS: &'static [(&'static str, &'static str, &'static str)] = &[
        ("/code", "code", "The line"),
        ("/allocation_pence", "allocation", "The allocation"),
        ("/reason", "reason", "The reason"),
    ];
    const RULE_AT: &'static str = "allocation";
    type Request = AllocateBudgetLineRequest;

    fn sent(form: &SentForm) -> Self {
        Self { code: form.text("code"), allocation: form.text("allocation"), reason: form.text("reason") }
    }

    fn fields(&self, budget: &BudgetView, errors: &FieldErrors) -> Vec<Value> {
        vec![
            select(("code", "code", "Line"), &line_options(budget), &self.code, errors),
            pounds_input(
                ("allocation", "allocation", "New allocation for the year"),
                &self.allocation,
                errors,
            ),
            textarea(
                ("reason", "reason", "Why"),
                Some("For example, agreed at the group's AGM"),
                &self.reason,
                errors,
            ),
        ]
    }

    fn request(&self) -> Result<AllocateBudgetLineRequest, FieldErrors> {
        let mut errors = Vec::new();
        if self.code.is_empty() {
            errors.push(("code".to_owned(), "Select the line".to_owned()));
        }
        let pence =
            pounds(&self.allocation, "The allocation").map_err(|m| errors.push(("allocation".to_owned(), m)));
        match pence {
            Ok(pence) if errors.is_empty() => Ok(AllocateBudgetLineRequest {
                code: self.code.clone().into(),
                allocation_pence: PenceAmount(pence),
                reason: NoteText(self.reason.trim().to_owned()),
            }),
            _ => Err(FieldErrors { errors }),
        }
    }
}

/// The move form as typed: from, to, amount in pounds, reason.
#[derive(Debug, Default)]
struct MoveForm {
    from: String,
    to: String,
    amount: String,
    reason: String,
}

impl BudgetForm for MoveForm {
    const STEP: &'static str = "transfers";
    const TITLE: &'static str = "Move money between lines";
    const BUTTON: &'static str = "Move the money";
    const DONE: &'static str = "moved";
    const FIELDS: &'static [(&'static str, &'static str, &'static str)] = &[
        ("/from_line", "from-line", "The line it leaves"),
        ("/to_line", "to-line", "The line it joins"),
        ("/amount_pence", "amount", "The amount"),
        ("/reason", "reason", "The reason"),
    ];
    const RULE_AT: &'static str = "amount";
    type Request = MoveBudgetMoneyRequest;

    fn sent(form: &SentForm) -> Self {
        Self {
            from: form.text("from_line"),
            to: form.text("to_line"),
            amount: form.text("amount"),
            reason: form.text("reason"),
        }
    }

    fn fields(&self, budget: &BudgetView, errors: &FieldErrors) -> Vec<Value> {
        let lines = line_options(budget);
        vec![
            select(("from_line", "from-line", "From the line"), &lines, &self.from, errors),
            select(("to_line", "to-line", "To the line"), &lines, &self.to, errors),
            pounds_input(("amount", "amount", "Amount"), &self.amount, errors),
            textarea(("reason", "reason", "Why"), None, &self.reason, errors),
        ]
    }

    fn request(&self) -> Result<MoveBudgetMoneyRequest, FieldErrors> {
        let mut errors = Vec::new();
        if self.from.is_empty() {
            errors.push(("from-line".to_owned(), "Select the line the money leaves".to_owned()));
        }
        if self.to.is_empty() {
            errors.push(("to-line".to_owned(), "Select the line the money joins".to_owned()));
        }
        let amount = pounds(&self.amount, "The amount").map_err(|m| errors.push(("amount".to_owned(), m)));
        match amount {
            Ok(amount) if errors.is_empty() => Ok(MoveBudgetMoneyRequest {
                from_line: self.from.clone().into(),
                to_line: self.to.clone().into(),
                amount_pence: PenceAmount(amount),
                reason: NoteText(self.reason.trim().to_owned()),
            }),
            _ => Err(FieldErrors { errors }),
        }
    }
}

// Proposing spending.

const PROPOSE_FIELDS: &[(&str, &str, &str)] = &[
    ("/line", "line", "The line"),
    ("/amount_pence", "amount", "The amount"),
    ("/payee", "payee", "The payee"),
    ("/purpose", "purpose", "The purpose"),
    ("/quote_file_id", "quote", "The quote or invoice"),
    ("/name", "quote", "The file's name"),
    ("/override_reason", "override-reason", "The reason for going past the allocation"),
];

/// The spending form as typed (a refused one's file must be chosen again:
/// a browser never refills a file field).
#[derive(Debug, Default)]
struct ProposeForm {
    line: String,
    amount: String,
    payee: String,
    purpose: String,
    override_reason: String,
}

fn propose_form(
    page: Page<'_>,
    person: &Person,
    budget: &BudgetView,
    typed: &ProposeForm,
    key: &str,
    errors: &FieldErrors,
) -> Result<HttpResponse, PageError> {
    let mut fields = vec![
        select(("line", "line", "Line it is paid from"), &line_options(budget), &typed.line, errors),
        pounds_input(("amount", "amount", "Amount"), &typed.amount, errors),
        input(("payee", "payee", "Payee"), Some("Who is paid"), &typed.payee, errors),
        textarea(("purpose", "purpose", "What it is for"), None, &typed.purpose, errors),
        field(
            "file",
            json!({
                "name": "quote", "id": "quote",
                "label": {"text": "Quote or invoice (optional)", "classes": "govuk-label--s"},
                "hint": {"text": "A PDF or a photo of it, smaller than 20MB."},
            }),
            errors,
        ),
    ];
    // Only a Group Officer may go past a line's allocation, with a reason.
    if holds_any(person, APPROVERS) {
        fields.push(textarea(
            (
                "override_reason",
                "override-reason",
                "Reason for going past the line's allocation (Group Officers only)",
            ),
            Some(
                "Leave empty unless the spending takes the line past its allocation and you agree it should.",
            ),
            &typed.override_reason,
            errors,
        ));
    }
    let form = FormPage {
        title: "Propose spending",
        back: back_to(budget),
        action: format!("/budgets/{}/spending", budget.id),
        button: "Propose the spending",
        upload: true,
        fields,
        version: None,
        key,
    };
    render(page, person, form, errors)
}

#[get("/budgets/{id}/spending/new")]
pub(in crate::pages) async fn propose_page(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let page = (&**state, &session, &request);
    let budget = read_budget(page, &person, *id).await?;
    propose_form(
        page,
        &person,
        &budget,
        &ProposeForm::default(),
        &session::random_hex(),
        &FieldErrors::default(),
    )
}

/// Stores an uploaded file (a quote, an invoice, a receipt) for the budget,
/// read by Group Officers and the office as the budget is; or the error at
/// field `at`.
pub(super) async fn store_file(
    page: Page<'_>,
    person: &Person,
    (name, media_type, content): (String, String, Vec<u8>),
    (key, at, fields): (&str, &str, &[(&str, &str, &str)]),
) -> Result<Result<FileView, FieldErrors>, PageError> {
    let query = serde_urlencoded::to_string([("name", name.as_str()), ("classification", "officers")])
        .unwrap_or_default();
    let stored: Result<FileView, ApiFailure> = page
        .0
        .api
        .upload(&person.token, &format!("/files?{query}"), &media_type, content, &format!("{key}.file"))
        .await;
    match stored {
        // Too large, or of a kind the api does not store: the file's fault.
        Err(ApiFailure::Refused(problem)) if matches!(problem.status, 413 | 415) => {
            Ok(Err(FieldErrors { errors: vec![(at.to_owned(), sentence(&problem.detail))] }))
        }
        stored => made(page, person, stored, fields),
    }
}

#[post("/budgets/{id}/spending")]
pub(in crate::pages) async fn propose(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    payload: Multipart,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let sent = UploadForm::receive((&state, &session, &person), payload, "quote", MAX_FILE_BYTES).await?;
    let page = (&**state, &session, &request);
    let fields = &sent.fields;
    let typed = ProposeForm {
        line: fields.text("line"),
        amount: fields.text("amount"),
        payee: fields.text("payee").trim().to_owned(),
        purpose: fields.text("purpose").trim().to_owned(),
        override_reason: fields.text("override_reason").trim().to_owned(),
    };
    let key = fields.text("idempotency_key");
    let again = async |errors: FieldErrors| {
        let budget = read_budget(page, &person, *id).await?;
        propose_form(page, &person, &budget, &typed, &key, &errors)
    };
    let mut errors = Vec::new();
    if typed.line.is_empty() {
        errors.push(("line".to_owned(), "Select the line it is paid from".to_owned()));
    }
    let amount = pounds(&typed.amount, "The amount").map_err(|m| errors.push(("amount".to_owned(), m)));
    if sent.too_large {
        errors.push(("quote".to_owned(), "The quote or invoice must be smaller than 20MB".to_owned()));
    }
    let (Ok(amount), true) = (amount, errors.is_empty()) else {
        return again(FieldErrors { errors }).await;
    };
    let quote_file_id = match sent.file {
        Some(file) => match store_file(page, &person, file, (&key, "quote", PROPOSE_FIELDS)).await? {
            Ok(stored) => Some(stored.id),
            Err(errors) => return again(errors).await,
        },
        None => None,
    };
    let body = ProposeSpendingRequest {
        line: typed.line.clone().into(),
        amount_pence: PenceAmount(amount),
        payee: TitleText(typed.payee.clone()),
        purpose: NoteText(typed.purpose.clone()),
        quote_file_id,
        override_reason: (!typed.override_reason.is_empty()).then(|| NoteText(typed.override_reason.clone())),
    };
    let sent = state.api.post(&person.token, &format!("/budgets/{id}/spending"), &body, &key).await;
    match refused_at::<BudgetView>(page, &person, sent, (PROPOSE_FIELDS, "amount"))? {
        Ok(budget) => {
            let number = budget.spending.last().map_or(0, |s| s.number);
            Ok(see_other(&format!("/budgets/{id}/spending/{number}?done=proposed")))
        }
        Err(errors) => again(errors).await,
    }
}
