//! Casework: the cases the signed-in person may read, one case, and adding a
//! note to it.

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use caucus_wire::casework::{CasePage, CaseView};
use serde::Deserialize;
use serde_json::{Value, json};
use uuid::Uuid;

use super::{FieldErrors, PageError, State, check_form, see_other, signed_in};
use crate::api::ApiFailure;
use crate::present::{long_date, tag_html, words};
use crate::render::Section;
use crate::session::{self, Person};

/// The GOV.UK tag of a case's status.
fn status_tag(case: &CaseView) -> Value {
    let colour = if case.overdue {
        "govuk-tag--red"
    } else {
        match words(case.status).as_str() {
            "Closed" => "govuk-tag--grey",
            "Responded" => "govuk-tag--green",
            "Received" => "govuk-tag--yellow",
            _ => "govuk-tag--blue",
        }
    };
    let text = if case.overdue { format!("{} (overdue)", words(case.status)) } else { words(case.status) };
    json!({"text": text, "classes": colour})
}

/// What a case is called in lists: its summary for those who read it, else
/// its category and ward.
fn case_title(case: &CaseView) -> String {
    case.summary.clone().unwrap_or_else(|| format!("{} in {}", words(&case.category), case.ward))
}

/// The table of `cases`.
pub(super) fn cases_table(cases: &[CaseView]) -> Value {
    let rows: Vec<Value> = cases
        .iter()
        .map(|case| {
            let link = format!(
                "<a class=\"govuk-link\" href=\"/cases/{}\">{}</a>",
                case.id,
                tera::escape_html(&case_title(case))
            );
            json!([
                {"html": link},
                {"text": case.ward},
                {"text": long_date(case.received_on)},
                {"text": case.next_due_on.map(long_date).unwrap_or_else(|| "–".into())},
                {"html": tag_html(
                    status_tag(case)["text"].as_str().unwrap_or_default(),
                    status_tag(case)["classes"].as_str().unwrap_or_default(),
                )},
            ])
        })
        .collect();
    json!({
        "firstCellIsHeader": false,
        "head": [{"text": "Case"}, {"text": "Ward"}, {"text": "Received"}, {"text": "Next due"}, {"text": "Status"}],
        "rows": rows,
    })
}

#[derive(Debug, Deserialize)]
struct ListQuery {
    overdue: Option<bool>,
}

#[get("/cases")]
pub(super) async fn list(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let overdue = query.overdue == Some(true);
    let path = if overdue { "/cases?overdue=true&limit=100" } else { "/cases?limit=100" };
    let page: CasePage = state.read(&session, &person, &request, path).await?;
    let title = if overdue { "Overdue cases" } else { "Cases" };
    let frame = state.frame(&session, Some(&person), Section::Cases, title)?;
    state.page(
        &frame,
        "cases.html",
        json!({
            "table": cases_table(&page.items),
            "count": page.items.len(),
            "overdue": overdue,
        }),
    )
}

/// A note being written, as the form holds it.
#[derive(Debug, Default)]
struct NoteForm {
    /// What was typed.
    text: String,
    /// Why the api refused it, if it did.
    errors: FieldErrors,
    /// The key that makes a second submit of this form record nothing new.
    idempotency_key: String,
}

fn render_case(
    state: &State,
    session: &Session,
    person: &Person,
    case: &CaseView,
    note: NoteForm,
    banner: Option<&str>,
) -> Result<HttpResponse, PageError> {
    let row = |key: &str, value: String| json!({"key": {"text": key}, "value": {"text": value}});
    let mut rows = vec![row("Status", status_tag(case)["text"].as_str().unwrap_or_default().to_owned())];
    if let Some(resident) = &case.resident {
        rows.push(row("Resident", resident.name.clone().unwrap_or_else(|| "Erased".into())));
        if let Some(address) = &resident.address {
            rows.push(row("Address", address.clone()));
        }
    }
    rows.push(row("Ward", case.ward.clone()));
    rows.push(row("Category", words(&case.category)));
    rows.push(row(
        "Came in",
        format!("{} by {}", long_date(case.received_on), words(case.channel).to_lowercase()),
    ));
    if let Some(due) = case.next_due_on {
        rows.push(row("Next due", long_date(due)));
    }
    let referrals: Vec<Value> = case
        .referrals
        .iter()
        .map(|r| {
            let due = |d: &caucus_wire::casework::DueDateView| {
                let skipped: Vec<String> =
                    d.skipped.iter().map(|s| format!("{} ({})", long_date(s.on), s.why)).collect();
                if skipped.is_empty() {
                    format!("{} ({} working days)", long_date(d.on), d.working_days)
                } else {
                    format!(
                        "{} ({} working days, passing over {})",
                        long_date(d.on),
                        d.working_days,
                        skipped.join(", ")
                    )
                }
            };
            let mut rows = vec![
                row("Referred", long_date(r.referred_on)),
                row("Their reference", r.their_reference.clone().unwrap_or_else(|| "–".into())),
            ];
            rows.push(row("Acknowledgement due", due(&r.acknowledge_by)));
            rows.push(row("Reply due", due(&r.reply_by)));
            if let Some(response) = &r.response {
                rows.push(row(
                    "Answered",
                    format!(
                        "{}: {}",
                        long_date(response.on),
                        response.summary.clone().unwrap_or_else(|| "(not shown)".into())
                    ),
                ));
            }
            json!({"title": r.organisation, "list": {"rows": rows}})
        })
        .collect();
    let updates: Vec<Value> = case
        .resident_updates
        .iter()
        .map(|u| json!({"on": long_date(u.on), "how": words(u.how).to_lowercase(), "text": u.note.clone().unwrap_or_else(|| "(not shown)".into())}))
        .collect();
    let files: Vec<Value> = case
        .files
        .iter()
        .map(|f| {
            json!({
                "href": format!("/cases/{}/files/{}", case.id, f.id),
                "name": f.name.clone().unwrap_or_else(|| "(name not shown)".into()),
                "size": format!("{} KB", f.size.div_ceil(1024)),
            })
        })
        .collect();
    let notes: Vec<Value> = case
        .notes
        .iter()
        .map(|n| json!({"on": long_date(n.on), "text": n.text.clone().unwrap_or_else(|| "(not shown)".into())}))
        .collect();
    let may_write = !person.roles.iter().any(|r| r == "auditor");
    let error_summary = note.errors.summary();
    let textarea = json!({
        "name": "text",
        "id": "text",
        "label": {"text": "Add a note", "classes": "govuk-label--m", "isPageHeading": false},
        "value": note.text,
        "errorMessage": note.errors.message("text"),
    });
    let title = case_title(case);
    let frame = state.frame(session, Some(person), Section::Cases, title)?;
    state.page(
        &frame,
        "case.html",
        json!({
            "case_id": case.id,
            "summary": {"rows": rows},
            "personal_data": words(case.personal_data),
            "notes": notes,
            "referrals": referrals,
            "updates": updates,
            "files": files,
            "may_write": may_write,
            "error_summary": error_summary,
            "textarea": textarea,
            "idempotency_key": note.idempotency_key,
            "banner": banner.map(|text| json!({"type": "success", "text": text})),
        }),
    )
}

#[derive(Debug, Deserialize)]
struct CaseQuery {
    done: Option<String>,
}

#[get("/cases/{id}")]
pub(super) async fn case_page(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    query: web::Query<CaseQuery>,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let found: CaseView = state.read(&session, &person, &request, &format!("/cases/{id}")).await?;
    let banner = (query.done.as_deref() == Some("note")).then_some("Your note was added");
    let note = NoteForm { idempotency_key: session::random_hex(), ..NoteForm::default() };
    render_case(&state, &session, &person, &found, note, banner)
}

/// A case's file, fetched from the api with the person's token: the
/// browser holds no token of its own.
#[get("/cases/{id}/files/{file}")]
pub(super) async fn case_file(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    path: web::Path<(Uuid, String)>,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let (id, file) = path.into_inner();
    let file = state.file_id(&session, &person, &file)?;
    state.download(&session, &person, &request, &format!("/cases/{id}/files/{file}")).await
}

#[derive(Debug, Deserialize)]
struct NoteSubmission {
    csrf: String,
    idempotency_key: String,
    text: String,
}

#[post("/cases/{id}/notes")]
pub(super) async fn add_note(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    form: web::Form<NoteSubmission>,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    check_form(&session, &form.csrf)?;
    let path = format!("/cases/{id}/notes");
    let body = json!({"text": form.text});
    let sent: Result<CaseView, ApiFailure> =
        state.api.post(&person.token, &path, &body, &form.idempotency_key).await;
    match sent {
        Ok(_) => Ok(see_other(&format!("/cases/{id}?done=note"))),
        Err(ApiFailure::Refused(problem)) if problem.status == 422 => {
            let case: CaseView = state.read(&session, &person, &request, &format!("/cases/{id}")).await?;
            // The same key: the refused submission recorded nothing.
            let note = NoteForm {
                text: form.text.clone(),
                errors: FieldErrors::from_problem(&problem, &[("/text", "text", "The note")]),
                idempotency_key: form.idempotency_key.clone(),
            };
            let mut response = render_case(&state, &session, &person, &case, note, None)?;
            *response.status_mut() = actix_web::http::StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
        Err(failure) => Err(state.refusal(&session, &person, &request, &failure)),
    }
}
