//! Casework's steps: what a councillor and the office do with a case, each a
//! form on the case's page posted here and sent to the api at the same path
//! (`/cases/{id}/closure` and so on). Only the steps the case's status allows
//! (`case_lifecycle`) are offered, and only to those who work the case; the
//! api decides again.

use actix_multipart::Multipart;
use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, http::StatusCode, post, web};
use caucus_wire::casework::{CaseOutcome, CaseView, ContactMethod, LawfulCondition, SpecialCategoryKind};
use caucus_wire::members::{MemberStatus, MemberView};
use caucus_wire::organisations::OrganisationView;
use serde::Serialize;
use serde_json::{Value, json};
use uuid::Uuid;

use super::case_lifecycle::Step;
use super::cases;
use super::record::RecordForms;
use super::{
    FieldErrors, MemberNames, Page, PageError, Posted, SentForm, State, UploadForm, see_other, signed_in,
};
use crate::api::ApiFailure;
use crate::present::{sentence, wire_word, words};
use crate::session::{self, Person};

/// Who works cases, as the api's policy names them: the assistant on any
/// case, a councillor (the Leader and officers among them) on those they own
/// or that are shared with them.
pub(super) const CASEWORKERS: &[&str] = &["assistant", "leader", "officer", "councillor"];

/// The largest file attached: the api's limit for an upload, 20 MiB.
const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;

/// The forms of a case's page as they are to be shown: empty with a new key
/// each, or one of them as it was sent and refused, with its key.
#[derive(Debug, Default)]
pub(super) struct CaseForms {
    /// The step refused and its form as sent.
    refused: Option<(Step, SentForm)>,
    /// Why.
    pub(super) errors: FieldErrors,
}

impl CaseForms {
    /// `step`'s form as it was sent, if it was the one refused.
    fn sent(&self, step: Step) -> Option<&SentForm> {
        self.refused.as_ref().filter(|(refused, _)| *refused == step).map(|(_, form)| form)
    }

    /// What was typed in field `name` of `step`'s form, if it was refused.
    fn typed(&self, step: Step, name: &str) -> String {
        self.sent(step).map(|form| form.text(name)).unwrap_or_default()
    }

    /// The key of `step`'s form: the one it was sent with if it was refused
    /// (the refused submission recorded nothing), else a new one.
    fn key(&self, step: Step) -> String {
        self.sent(step).map_or_else(session::random_hex, |form| form.text("idempotency_key"))
    }

    /// Every value ticked in field `name` of `step`'s form, if it was refused.
    fn ticked(&self, step: Step, name: &str) -> Vec<String> {
        let sent = self.sent(step).map(|form| form.0.as_slice()).unwrap_or_default();
        sent.iter().filter(|(n, _)| n == name).map(|(_, v)| v.clone()).collect()
    }
}

/// The steps `person` is offered on `case`: none unless they work it.
pub(super) fn offered(person: &Person, case: &CaseView) -> Vec<Step> {
    if !cases::works(person, case) {
        return Vec::new();
    }
    Step::ALL.into_iter().filter(|s| s.allowed(case)).collect()
}

/// A form field for the page's template: which component, with its parameters.
fn field(kind: &str, params: Value) -> Value {
    json!({"kind": kind, "params": params})
}

fn textarea(forms: &CaseForms, step: Step, (name, id): (&str, &str), label: &str) -> Value {
    field(
        "textarea",
        json!({
            "name": name, "id": id, "rows": 3,
            "label": {"text": label, "classes": "govuk-label--s"},
            "value": forms.typed(step, name),
            "errorMessage": forms.errors.message(id),
        }),
    )
}

fn input(forms: &CaseForms, step: Step, (name, id): (&str, &str), label: &str) -> Value {
    field(
        "input",
        json!({
            "name": name, "id": id, "classes": "govuk-!-width-one-half",
            "label": {"text": label, "classes": "govuk-label--s"},
            "value": forms.typed(step, name),
            "errorMessage": forms.errors.message(id),
        }),
    )
}

/// A select of `choices` (`(value, text)`), with a first item asking for one.
fn select(
    forms: &CaseForms,
    step: Step,
    (name, id): (&str, &str),
    label: &str,
    choices: Vec<(String, String)>,
) -> Value {
    let chosen = forms.typed(step, name);
    let items: Vec<Value> = std::iter::once(json!({"value": "", "text": "Choose one"}))
        .chain(
            choices
                .into_iter()
                .map(|(value, text)| json!({"selected": value == chosen, "value": value, "text": text})),
        )
        .collect();
    field(
        "select",
        json!({
            "name": name, "id": id, "items": items,
            "label": {"text": label, "classes": "govuk-label--s"},
            "errorMessage": forms.errors.message(id),
        }),
    )
}

/// Radios or checkboxes (`kind`) of every value of a wire enum, those in
/// `ticked` checked.
fn choices<T: caucus_wire::Mirror + Serialize + Copy>(
    (forms, ticked): (&CaseForms, &[String]),
    kind: &str,
    (name, id): (&str, &str),
    legend: &str,
) -> Value {
    let items: Vec<Value> = T::ALL
        .iter()
        .map(|value| {
            let (text, value) = (words(*value), wire_word(*value));
            json!({"checked": ticked.contains(&value), "text": text, "value": value})
        })
        .collect();
    field(
        kind,
        json!({
            "name": name, "idPrefix": id, "items": items,
            "fieldset": {"legend": {"text": legend, "classes": "govuk-fieldset__legend--s"}},
            "errorMessage": forms.errors.message(id),
        }),
    )
}

/// The fields of `step`'s form on `case`.
fn step_fields(
    step: Step,
    case: &CaseView,
    (members, organisations): (&[MemberView], &[OrganisationView]),
    forms: &CaseForms,
) -> Vec<Value> {
    let names = MemberNames::of(members);
    // The case's ward's councillors first, named so: they are whom a case is
    // most often shared with or handed to.
    let councillors = |keep: &dyn Fn(Uuid) -> bool| -> Vec<(String, String)> {
        let mut current: Vec<&MemberView> =
            members.iter().filter(|m| m.status == MemberStatus::Member && keep(m.id)).collect();
        let of_ward = |m: &MemberView| m.ward.eq_ignore_ascii_case(&case.ward);
        current.sort_by(|a, b| (!of_ward(a), &a.name).cmp(&(!of_ward(b), &b.name)));
        let label = |m: &MemberView| match of_ward(m) {
            true => format!("{}, councillor for {}", m.name, m.ward),
            false => m.name.clone(),
        };
        current.iter().map(|m| (m.id.to_string(), label(m))).collect()
    };
    let readers = |id: Uuid| id == case.owner_id || case.shared_with.contains(&id);
    match step {
        Step::Note => vec![textarea(forms, step, ("text", "text"), "Add a note")],
        Step::Acknowledge => Vec::new(),
        Step::Refer => {
            let mut fields = vec![select(
                forms,
                step,
                ("organisation_id", "refer-organisation"),
                "Organisation",
                organisations.iter().map(|o| (o.id.to_string(), o.name.clone())).collect(),
            )];
            fields.push(input(
                forms,
                step,
                ("their_reference", "refer-reference"),
                "Their reference (optional)",
            ));
            // Only with the resident's consent: the api refuses it otherwise.
            if case.resident.as_ref().is_some_and(|r| r.consent_to_share) {
                fields.push(field(
                    "checkboxes",
                    json!({
                        "name": "share_details", "idPrefix": "refer-share",
                        "items": [{"value": "yes", "text": "Send the resident's details with it",
                                   "checked": forms.typed(step, "share_details") == "yes",
                                   "hint": {"text": "They agreed to their details being shared"}}],
                        "errorMessage": forms.errors.message("refer-share"),
                    }),
                ));
            }
            fields
        }
        Step::ReferralAcknowledged => {
            vec![input(
                forms,
                step,
                ("their_reference", "acknowledged-reference"),
                "Their reference (optional)",
            )]
        }
        Step::Chase => vec![textarea(forms, step, ("note", "chase-note"), "What was said (optional)")],
        Step::Response => vec![textarea(forms, step, ("summary", "response-summary"), "What they said")],
        Step::TellResident => vec![
            choices::<ContactMethod>(
                (forms, &forms.ticked(step, "how")),
                "radios",
                ("how", "tell-how"),
                "How they were told",
            ),
            textarea(forms, step, ("note", "tell-note"), "What they were told"),
        ],
        Step::AttachFile => vec![field(
            "file",
            json!({
                "name": "file", "id": "file",
                "label": {"text": "Upload a file", "classes": "govuk-label--s"},
                "hint": {"text": "For example a letter or a photograph, smaller than 20MB."},
                "errorMessage": forms.errors.message("file"),
            }),
        )],
        Step::Share => vec![select(
            forms,
            step,
            ("member_id", "share-member"),
            "Councillor",
            councillors(&|id| !readers(id)),
        )],
        Step::Unshare => vec![select(
            forms,
            step,
            ("member_id", "unshare-member"),
            "Councillor",
            case.shared_with.iter().map(|id| (id.to_string(), names.of_id(*id))).collect(),
        )],
        Step::HandOver => vec![
            select(forms, step, ("to", "handover-to"), "New owner", councillors(&|id| id != case.owner_id)),
            textarea(forms, step, ("note", "handover-note"), "Why (optional)"),
        ],
        Step::SpecialCategory => {
            // As the case holds it, so that saving unchanged clears nothing.
            let held = case.special_category.as_ref();
            let (kinds, condition) = match forms.sent(step) {
                Some(_) => (forms.ticked(step, "kinds"), forms.ticked(step, "condition")),
                None => (
                    held.map(|h| h.kinds.iter().map(|k| wire_word(*k)).collect()).unwrap_or_default(),
                    held.map(|h| vec![wire_word(h.condition)]).unwrap_or_default(),
                ),
            };
            vec![
                choices::<SpecialCategoryKind>(
                    (forms, &kinds),
                    "checkboxes",
                    ("kinds", "special-kinds"),
                    "What it holds (tick none to clear it)",
                ),
                choices::<LawfulCondition>(
                    (forms, &condition),
                    "radios",
                    ("condition", "special-condition"),
                    "The condition relied on",
                ),
            ]
        }
        Step::Close => vec![
            choices::<CaseOutcome>(
                (forms, &forms.ticked(step, "outcome")),
                "radios",
                ("outcome", "close-outcome"),
                "How it ended",
            ),
            textarea(forms, step, ("note", "close-note"), "Closing note (optional)"),
        ],
        Step::Reopen => vec![textarea(forms, step, ("reason", "reopen-reason"), "Why it is reopened")],
        Step::KeepLonger => {
            let mut months = input(forms, step, ("months", "retention-months"), "Months after closing");
            months["params"]["classes"] = json!("govuk-input--width-3");
            months["params"]["inputmode"] = json!("numeric");
            months["params"]["hint"] =
                json!({"text": "Longer than the group's usual period, up to 240 (20 years)"});
            vec![
                months,
                textarea(
                    forms,
                    step,
                    ("reason", "retention-reason"),
                    "Why (for example, a complaint to the Ombudsman)",
                ),
            ]
        }
    }
}

/// `fields` and, if `step` records a day, its date input last.
fn with_day(step: Step, mut fields: Vec<Value>, forms: &CaseForms) -> Vec<Value> {
    if let Some(id) = step.day_field() {
        let typed = forms.sent(step).map(|form| form.date("on")).unwrap_or_default();
        let hint = "Leave it blank for today. For example, 27 3 2026";
        fields.push(field("date", typed.input(("on", id), "Day (optional)", Some(hint), &forms.errors)));
    }
    fields
}

/// The forms `person` is offered on `case`, for the page's template.
pub(super) fn forms(
    person: &Person,
    case: &CaseView,
    choices: (&[MemberView], &[OrganisationView]),
    forms: &CaseForms,
) -> Vec<Value> {
    offered(person, case)
        .into_iter()
        .map(|step| {
            let (heading, button) = step.words();
            let warning = matches!(step, Step::Close | Step::Unshare);
            json!({
                "id": step.anchor(),
                "heading": heading,
                "action": format!("/cases/{}/{}", case.id, step.path()),
                "plain": step == Step::Note,
                "multipart": step == Step::AttachFile,
                "key": forms.key(step),
                "error": if step == Step::Note { None } else { forms.errors.message(step.anchor()) },
                "fields": with_day(step, step_fields(step, case, choices, forms), forms),
                "button": {"text": button, "classes": if warning { "govuk-button--warning" } else { "govuk-button--secondary" }},
            })
        })
        .collect()
}

impl RecordForms for CaseForms {
    const PATH: &'static str = "/cases";
    type Loaded = cases::Loaded;

    async fn load(
        (state, session, request): Page<'_>,
        person: &Person,
        id: Uuid,
    ) -> Result<Self::Loaded, PageError> {
        cases::load(state, session, person, request, id).await
    }

    fn render(
        self,
        (state, session, _): Page<'_>,
        person: &Person,
        loaded: &Self::Loaded,
        banner: Option<&str>,
    ) -> Result<HttpResponse, PageError> {
        cases::render_case(state, session, person, loaded, &self, banner)
    }

    fn errors(&self) -> &FieldErrors {
        &self.errors
    }
}

/// The case's page again with `step`'s form as it was sent and why it was
/// refused: 422.
async fn refused_form(
    page: Page<'_>,
    person: &Person,
    id: Uuid,
    (step, form): (Step, SentForm),
    errors: FieldErrors,
) -> Result<HttpResponse, PageError> {
    CaseForms { refused: Some((step, form)), errors }.refused(page, person, id).await
}

/// What the api said to a step: back to the case with a banner (or to the
/// list, if the person no longer reads it), its refusal at the form's
/// fields, or the refusal in words.
async fn answer(
    page: (&State, &Session, &HttpRequest),
    person: &Person,
    (id, step, form): (Uuid, Step, SentForm),
    sent: Result<Option<CaseView>, ApiFailure>,
) -> Result<HttpResponse, PageError> {
    let (state, session, request) = page;
    let errors = match sent {
        Ok(Some(_)) => return Ok(see_other(&format!("/cases/{id}?done={}", step.path()))),
        // Handing one's own case over, or unsharing oneself: done, and no longer theirs to read.
        Ok(None) => return Ok(see_other(&format!("/cases?done={}", step.path()))),
        Err(ApiFailure::Refused(problem)) if problem.status == 422 => {
            FieldErrors::from_problem(&problem, step.fields())
        }
        // The case is not where the form assumed: the page shows where it is now.
        Err(ApiFailure::Refused(problem)) if problem.status == 409 => FieldErrors {
            errors: vec![(
                step.anchor().to_owned(),
                format!("{}. The case may have changed since the page was shown.", sentence(&problem.detail)),
            )],
        },
        Err(failure) => return Err(state.refusal(session, person, request, &failure)),
    };
    refused_form(page, person, id, (step, form), errors).await
}

#[post("/cases/{id}/{step}")]
pub(super) async fn take_step(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    path: web::Path<(Uuid, String)>,
    Posted { person, form, key }: Posted,
) -> Result<HttpResponse, PageError> {
    let (id, path) = path.into_inner();
    let Some(step) = Step::of_path(&path).filter(|s| *s != Step::AttachFile) else {
        let advice = "It does not exist, or it is not yours to see.";
        return Err(state.message_page(
            &session,
            Some(&person),
            StatusCode::NOT_FOUND,
            "Page not found",
            advice,
        ));
    };
    let page = (&**state, &session, &request);
    let body = match step.body(&form) {
        Ok(body) => body,
        Err(errors) => return refused_form(page, &person, id, (step, form), errors).await,
    };
    let sent = state.api.post(&person.token, &format!("/cases/{id}/{path}"), &body, &key).await;
    answer(page, &person, (id, step, form), sent).await
}

#[post("/cases/{id}/files")]
pub(super) async fn attach_file(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    payload: Multipart,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let sent = UploadForm::receive((&state, &session, &person), payload, "file", MAX_FILE_BYTES).await?;
    let page = (&**state, &session, &request);
    let step = Step::AttachFile;
    let UploadForm { fields: form, file, too_large } = sent;
    let (file_name, media_type, content) = match file {
        Some(file) if !too_large => file,
        _ => {
            let message =
                if too_large { "The selected file must be smaller than 20MB" } else { "Select a file" };
            let errors = FieldErrors { errors: vec![("file".to_owned(), message.to_owned())] };
            return refused_form(page, &person, *id, (step, form), errors).await;
        }
    };
    let query = serde_urlencoded::to_string([("name", file_name.as_str())]).unwrap_or_default();
    let key = form.text("idempotency_key");
    let path = format!("/cases/{}/files?{query}", *id);
    let sent = state.api.upload(&person.token, &path, &media_type, content, &key).await;
    let sent = match sent {
        // Too large or of a kind the api does not keep: said at the field.
        Err(ApiFailure::Refused(problem)) if matches!(problem.status, 413 | 415) => {
            let errors = FieldErrors { errors: vec![("file".to_owned(), sentence(&problem.detail))] };
            return refused_form(page, &person, *id, (step, form), errors).await;
        }
        other => other,
    };
    answer(page, &person, (*id, step, form), sent).await
}
