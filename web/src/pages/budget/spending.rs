//! One piece of spending: what, how much, to whom, who proposed and who
//! approved it, and its forms: a Group Officer approves it (with a reason
//! when the api says it takes its line past its allocation) or rejects it
//! with a reason; the office records approved spending as paid, with the
//! receipt uploaded. Each form sends the spending's own ETag as `If-Match`,
//! so other spending on the budget does not stale it.

use actix_multipart::Multipart;
use actix_web::post;
use caucus_wire::NoteText;
use caucus_wire::budget::{ApproveSpendingRequest, RecordSpendingPaymentRequest, RejectSpendingRequest};
use chrono::Utc;

use super::forms::{MAX_FILE_BYTES, store_file};
use super::*;
use crate::pages::{DateParts, Posted};
use crate::present::london_day;

/// The spending page's forms' fields, as the api points at them.
const APPROVE_FIELDS: &[(&str, &str, &str)] =
    &[("/override_reason", "approve-override-reason", "The reason for going past the allocation")];
const REJECT_FIELDS: &[(&str, &str, &str)] = &[("/reason", "reject-reason", "The reason")];
const PAY_FIELDS: &[(&str, &str, &str)] = &[
    ("/paid_on", "paid-on-day", "The day it was paid"),
    ("/receipt_file_id", "receipt", "The receipt"),
    ("/name", "receipt", "The file's name"),
];

/// The page's forms as they are to be shown: fresh, or one as sent and refused.
#[derive(Debug)]
struct Forms {
    errors: FieldErrors,
    override_reason: String,
    reason: String,
    paid_on: DateParts,
    /// Each form's Idempotency-Key: approve, reject, pay.
    keys: [String; 3],
}

impl Forms {
    fn fresh() -> Self {
        Self {
            errors: FieldErrors::default(),
            override_reason: String::new(),
            reason: String::new(),
            paid_on: DateParts::of(london_day(Utc::now())),
            keys: [session::random_hex(), session::random_hex(), session::random_hex()],
        }
    }

    /// The page of spending `number` of budget `id` with these forms.
    async fn shown(
        self,
        page: Page<'_>,
        person: &Person,
        (id, number): (Uuid, u16),
        banner: Option<&str>,
    ) -> Result<HttpResponse, PageError> {
        let (state, session, request) = page;
        let budget: BudgetView = state.read(session, person, request, &format!("/budgets/{id}")).await?;
        let Some(spend) = budget.spending.iter().find(|s| s.number == number) else {
            return Err(state.message_page(
                session,
                Some(person),
                actix_web::http::StatusCode::NOT_FOUND,
                "Page not found",
                "The budget has no such spending.",
            ));
        };
        let subjects =
            std::iter::once(spend.proposed_by.as_str()).chain(spend.approvals.iter().map(|a| a.by.as_str()));
        let names = SubjectNames::read(state, person, subjects, "You").await;
        let text = |key: &str, value: String| json!({"key": {"text": key}, "value": {"text": value}});
        let file_link = |file: &str, what: &str| {
            json!({"key": {"text": what}, "value": {"html": format!(
                "<a class=\"govuk-link\" href=\"/budgets/{id}/files/{}\">Download the {}</a>",
                tera::escape_html(file),
                what.to_lowercase()
            )}})
        };
        let mut status = status_tag(spend.status, spending_words);
        if let Some(warning) = spend.warning {
            status.push(' ');
            status.push_str(&status_tag(warning, level_words));
        }
        let mut rows = vec![
            json!({"key": {"text": "Status"}, "value": {"html": status}}),
            text("Line", line_named(&budget, &spend.line)),
            text("Amount", money(spend.amount_pence)),
            text("Payee", spend.payee.clone()),
            text("What it is for", spend.purpose.clone()),
            text(
                "Proposed by",
                format!("{} on {}", names.of_subject(&spend.proposed_by), long_date(spend.proposed_on)),
            ),
            text(
                "Approvals needed",
                if spend.approvals_needed > 1 {
                    format!("{} different Group Officers, not the proposer", spend.approvals_needed)
                } else {
                    "1 Group Officer, not the proposer".to_owned()
                },
            ),
        ];
        if let Some(reason) = &spend.override_reason {
            rows.push(text("Proposed past the allocation because", reason.clone()));
        }
        for approval in &spend.approvals {
            let mut said = format!("{} on {}", names.of_subject(&approval.by), long_date(approval.on));
            if let Some(reason) = &approval.override_reason {
                said.push_str(&format!(", past the allocation because: {reason}"));
            }
            rows.push(text("Approved by", said));
        }
        if let (Some(by), Some(reason)) = (&spend.rejected_by, &spend.rejection_reason) {
            rows.push(text("Rejected by", format!("{}: {reason}", names.of_subject(by))));
        }
        if let Some(paid_on) = spend.paid_on {
            rows.push(text("Paid on", long_date(paid_on)));
        }
        if let Some(file) = &spend.quote_file_id {
            rows.push(file_link(file, "Quote or invoice"));
        }
        if let Some(file) = &spend.receipt_file_id {
            rows.push(file_link(file, "Receipt"));
        }
        let errors = &self.errors;
        let pending = spending_pending(spend.status);
        let may_decide = pending && holds_any(person, APPROVERS);
        let may_pay = spend.status == SpendingStatus::Approved && holds_any(person, OFFICE);
        let over = spend.warning == Some(LineUseLevel::OverAllocation);
        let area = |(name, id, label): (&str, &str, &str), hint: Option<&str>, value: &str| {
            json!({
                "name": name, "id": id, "rows": 3,
                "label": {"text": label, "classes": "govuk-label--s"},
                "hint": hint.map(|text| json!({"text": text})),
                "value": value,
                "errorMessage": errors.message(id),
            })
        };
        let title = format!("Spending {}: {}", spend.number, spend.purpose);
        let frame = state.frame(session, Some(person), Section::Budget, title)?;
        state.page_with(
            errors.status(),
            &frame,
            "budget-spending.html",
            json!({
                "budget": {"href": format!("/budgets/{id}"), "text": budget_name(&budget)},
                "action": format!("/budgets/{id}/spending/{number}"),
                "banner": banner.map(|text| json!({"type": "success", "text": text})),
                "error_summary": errors.summary(),
                "approve_error": errors.message("approve"),
                "summary": {"rows": rows},
                "version": etag_version(spend),
                "may_decide": may_decide,
                "may_pay": may_pay,
                "over": over,
                "keys": self.keys,
                "override_reason": area(
                    ("override_reason", "approve-override-reason", "Reason for approving it past the line's allocation"),
                    Some("Approving it takes its line past its allocation: say why the group agrees."),
                    &self.override_reason,
                ),
                "reason": area(("reason", "reject-reason", "Why it is rejected"), None, &self.reason),
                "paid_on": self.paid_on.input(("paid_on", "paid-on"), "The day it was paid", Some("For example, 27 3 2026"), errors),
                "receipt": {
                    "name": "receipt", "id": "receipt",
                    "label": {"text": "Receipt", "classes": "govuk-label--s"},
                    "hint": {"text": "A PDF or a photo of it, smaller than 20MB."},
                    "errorMessage": errors.message("receipt"),
                },
            }),
        )
    }

    /// The page again with these forms as one was sent and refused (422).
    async fn refused(
        self,
        page: Page<'_>,
        person: &Person,
        at: (Uuid, u16),
    ) -> Result<HttpResponse, PageError> {
        let mut response = self.shown(page, person, at, None).await?;
        *response.status_mut() = actix_web::http::StatusCode::UNPROCESSABLE_ENTITY;
        Ok(response)
    }
}

#[get("/budgets/{id}/spending/{number}")]
pub(in crate::pages) async fn spending_page(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    path: web::Path<(Uuid, u16)>,
    query: web::Query<DoneQuery>,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    Forms::fresh().shown((&state, &session, &request), &person, *path, query.banner(DONE)).await
}

/// A quote, invoice or receipt, fetched from the api with the person's token.
#[get("/budgets/{id}/files/{file}")]
pub(in crate::pages) async fn budget_file(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    path: web::Path<(Uuid, String)>,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let (_, file) = path.into_inner();
    let file = state.file_id(&session, &person, &file)?;
    state.download(&session, &person, &request, &format!("/files/{file}")).await
}

/// A decision on spending sent to the api at `step` with its ETag: back to
/// the spending's page saying `done`, or the page again with the refusal.
async fn decide<B: serde::Serialize>(
    page: Page<'_>,
    person: &Person,
    (id, number, step, done): (Uuid, u16, &str, &str),
    (body, version, key): (&B, Option<u64>, &str),
    (fields, at, forms): (&[(&str, &str, &str)], &str, Forms),
) -> Result<HttpResponse, PageError> {
    let path = format!("/budgets/{id}/spending/{number}/{step}");
    let sent = page.0.api.post_if_match(&person.token, &path, body, version, key).await;
    match refused_at::<BudgetView>(page, person, sent, (fields, at))? {
        Ok(_) => Ok(see_other(&format!("/budgets/{id}/spending/{number}?done={done}"))),
        Err(errors) => Forms { errors, ..forms }.refused(page, person, (id, number)).await,
    }
}

#[post("/budgets/{id}/spending/{number}/approval")]
pub(in crate::pages) async fn approve(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    path: web::Path<(Uuid, u16)>,
    Posted { person, form, key }: Posted,
) -> Result<HttpResponse, PageError> {
    let (id, number) = *path;
    let version = form.version()?;
    let override_reason = form.text("override_reason").trim().to_owned();
    let body = ApproveSpendingRequest {
        override_reason: (!override_reason.is_empty()).then(|| NoteText(override_reason.clone())),
    };
    let mut forms = Forms { override_reason, ..Forms::fresh() };
    forms.keys[0].clone_from(&key);
    let page = (&**state, &session, &request);
    // A rule's refusal (self-approval, the second approver, past the
    // allocation) is said where the override's reason is typed, if it is.
    let at = if form.text("over") == "yes" { "approve-override-reason" } else { "approve" };
    decide(
        page,
        &person,
        (id, number, "approval", "approved"),
        (&body, Some(version), &key),
        (APPROVE_FIELDS, at, forms),
    )
    .await
}

#[post("/budgets/{id}/spending/{number}/rejection")]
pub(in crate::pages) async fn reject(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    path: web::Path<(Uuid, u16)>,
    Posted { person, form, key }: Posted,
) -> Result<HttpResponse, PageError> {
    let (id, number) = *path;
    let version = form.version()?;
    let reason = form.text("reason").trim().to_owned();
    let mut forms = Forms { reason: reason.clone(), ..Forms::fresh() };
    forms.keys[1].clone_from(&key);
    let page = (&**state, &session, &request);
    if reason.is_empty() {
        let errors =
            FieldErrors { errors: vec![("reject-reason".to_owned(), "Enter why it is rejected".to_owned())] };
        return Forms { errors, ..forms }.refused(page, &person, (id, number)).await;
    }
    let body = RejectSpendingRequest { reason: NoteText(reason) };
    decide(
        page,
        &person,
        (id, number, "rejection", "rejected"),
        (&body, Some(version), &key),
        (REJECT_FIELDS, "reject-reason", forms),
    )
    .await
}

#[post("/budgets/{id}/spending/{number}/payment")]
pub(in crate::pages) async fn pay(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    path: web::Path<(Uuid, u16)>,
    payload: Multipart,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let sent = UploadForm::receive((&state, &session, &person), payload, "receipt", MAX_FILE_BYTES).await?;
    let (id, number) = *path;
    let page = (&**state, &session, &request);
    let version = sent.fields.version()?;
    let key = sent.fields.text("idempotency_key");
    let mut forms = Forms { paid_on: sent.fields.date("paid_on"), ..Forms::fresh() };
    forms.keys[2].clone_from(&key);
    let mut errors = Vec::new();
    let paid_on = forms.paid_on.parse("The day it was paid");
    if let Err(message) = &paid_on {
        errors.push(("paid-on-day".to_owned(), message.clone()));
    }
    if sent.too_large {
        errors.push(("receipt".to_owned(), "The receipt must be smaller than 20MB".to_owned()));
    } else if sent.file.is_none() {
        errors.push(("receipt".to_owned(), "Select the receipt".to_owned()));
    }
    let (Ok(paid_on), Some(file), true) = (paid_on, sent.file, errors.is_empty()) else {
        return Forms { errors: FieldErrors { errors }, ..forms }.refused(page, &person, (id, number)).await;
    };
    let receipt = match store_file(page, &person, file, (&key, "receipt", PAY_FIELDS)).await? {
        Ok(stored) => stored,
        Err(errors) => return Forms { errors, ..forms }.refused(page, &person, (id, number)).await,
    };
    let body = RecordSpendingPaymentRequest { paid_on: Some(paid_on), receipt_file_id: receipt.id };
    decide(
        page,
        &person,
        (id, number, "payment", "paid"),
        (&body, Some(version), &key),
        (PAY_FIELDS, "paid-on-day", forms),
    )
    .await
}
