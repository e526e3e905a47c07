//! Communications: the publications register filtered by status, one
//! publication with what the person may do next (send it for approval,
//! approve it, send it back with a note, withdraw it), and drafting and
//! editing one; an edit made stale by someone else's is shown beside what it
//! now says, to be applied again.

use std::collections::{BTreeMap, BTreeSet};

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, get, http::StatusCode, post, web};
use caucus_wire::publications::{
    ApprovePublicationRequest, DraftPublicationRequest, Image, Network, PublicationContentRequest,
    PublicationKind, PublicationStatus, PublicationView, RejectPublicationRequest, SubmitPublicationRequest,
    WithdrawPublicationRequest,
};
use caucus_wire::{
    AltText, DocumentText, ImageUrlText, Mirror as _, NoteText, SlugText, SocialText, SummaryText, TagText,
    Tags, TitleText,
};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use super::paging::Listed;
use super::query::{DoneQuery, ListQuery, here_path, list_path, showing, status_filter};
use super::social::{QUEUE_READERS, ScheduleForm};
use super::{FieldErrors, OFFICE, PageError, Posted, SentForm, State, SubjectNames, see_other, signed_in};
use crate::api::ApiFailure;
use crate::present::{london_time, paragraphs, sentence, status_tag, tag_html, wire_word, words};
use crate::render::Section;
use crate::session::{self, Person};

mod editing;

use editing::{ContentForm, Editing, Mode, content_field, render_form};
pub(super) use editing::{draft, edit_page, new_page, save_edit};

/// How a status reads, and the colour of its tag.
fn status_words(status: PublicationStatus) -> (&'static str, &'static str) {
    match status {
        PublicationStatus::Draft => ("Draft", "govuk-tag--grey"),
        PublicationStatus::Submitted => ("Waiting for approval", "govuk-tag--yellow"),
        PublicationStatus::Approved => ("Approved", "govuk-tag--turquoise"),
        PublicationStatus::Rejected => ("Sent back", "govuk-tag--red"),
        PublicationStatus::Scheduled => ("Scheduled", "govuk-tag--blue"),
        PublicationStatus::Published => ("Published", "govuk-tag--green"),
        PublicationStatus::Withdrawn => ("Withdrawn", "govuk-tag--grey"),
        PublicationStatus::Expired => ("Expired", "govuk-tag--orange"),
    }
}

/// A text's length as its network counts it, against its limit: a red tag
/// when over, so the drafter sees it before sending it for approval.
fn length_html(counted: &caucus_wire::publications::SocialLength) -> String {
    if counted.length > counted.max {
        let over = counted.length - counted.max;
        tag_html(
            &format!("{over} over the limit of {} ({} counted)", counted.max, counted.length),
            "govuk-tag--red",
        )
    } else {
        format!(
            "<p class=\"govuk-body-s govuk-!-margin-top-2 govuk-!-margin-bottom-0\">{} of {}</p>",
            counted.length, counted.max
        )
    }
}

/// A network's name as the network writes it.
pub(super) fn network_name(network: Network) -> &'static str {
    match network {
        Network::Mastodon => "Mastodon",
        Network::Bluesky => "Bluesky",
        Network::X => "X",
        Network::Facebook => "Facebook",
        Network::Linkedin => "LinkedIn",
    }
}

/// The id of the field holding `network`'s text.
fn text_field(network: Network) -> String {
    format!("social_text_{}", wire_word(network))
}

fn has_role(person: &Person, roles: &[&str]) -> bool {
    person.roles.iter().any(|r| roles.contains(&r.as_str()))
}

/// Who may approve or send back what goes out in the group's name.
const APPROVERS: &[&str] = &["leader", "officer"];
/// Who may draft.
const DRAFTERS: &[&str] = &["assistant", "leader", "officer", "councillor"];

/// What the person may do next with a publication, as the api's rules allow
/// (the api checks again: this only decides which buttons to offer).
#[derive(Debug, Default)]
struct NextSteps {
    edit: bool,
    submit: bool,
    approve: bool,
    /// An approver looking at their own submission.
    own_submission: bool,
    reject: bool,
    withdraw: bool,
    schedule: bool,
}

impl NextSteps {
    fn of(person: &Person, publication: &PublicationView) -> Self {
        use PublicationStatus::*;
        let status = publication.status;
        let theirs = publication.author.subject == person.subject;
        let drafts_it = has_role(person, OFFICE) || (has_role(person, &["councillor"]) && theirs);
        let approver = has_role(person, APPROVERS);
        Self {
            edit: drafts_it && matches!(status, Draft | Rejected),
            submit: drafts_it && status == Draft,
            approve: approver && status == Submitted && !theirs,
            own_submission: approver && status == Submitted && theirs,
            reject: approver && matches!(status, Submitted | Expired),
            withdraw: has_role(person, OFFICE) && matches!(status, Approved | Scheduled | Published),
            schedule: has_role(person, OFFICE) && matches!(status, Approved | Scheduled),
        }
    }
}

#[get("/publications")]
pub(super) async fn list(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let wanted = query.status::<PublicationStatus>();
    let listed: Listed<PublicationView> = state
        .read_listed((&session, &person, &request), &list_path("/publications", wanted), query.cursor())
        .await?;
    let (pagination, more) = (listed.pagination(&here_path("/publications", wanted)), listed.has_more());
    let rows: Vec<Value> = listed
        .items
        .iter()
        .map(|p| {
            let link = format!(
                "<a class=\"govuk-link\" href=\"/publications/{}\">{}</a><span class=\"govuk-body-s govuk-!-display-block govuk-!-margin-top-1 govuk-!-margin-bottom-0\">{} by {}</span>",
                p.id,
                tera::escape_html(&p.title),
                tera::escape_html(&words(p.kind)),
                tera::escape_html(&p.author.name),
            );
            json!([{"html": link}, {"html": status_tag(p.status, status_words)}])
        })
        .collect();
    let count = listed.items.len();
    let showing = showing(count, ("publication", "publications"), wanted.map(|s| status_words(s).0), more);
    let frame = state.frame(&session, Some(&person), Section::Publications, "Publications")?;
    state.page(
        &frame,
        "publications.html",
        json!({
        "filter": status_filter(PublicationStatus::ALL, status_words, wanted),
            "table": {
                "caption": "Publications",
                "captionClasses": "govuk-visually-hidden",
                "head": [{"text": "Publication"}, {"text": "Status"}],
                "rows": rows,
            },
            "count": count,
            "pagination": pagination,
            "showing": showing,
            "may_draft": has_role(&person, DRAFTERS),
            "may_watch_queue": has_role(&person, QUEUE_READERS),
        }),
    )
}

/// The forms on a publication's page, as sent or fresh: what was typed,
/// why the api refused it, and each form's key (so a second submit of a
/// form records nothing new).
#[derive(Debug)]
struct StepForms {
    note: String,
    reason: String,
    errors: FieldErrors,
    submit_key: String,
    approve_key: String,
    reject_key: String,
    withdraw_key: String,
    /// The scheduling form as sent (`None`: as the publication stands).
    schedule: Option<ScheduleForm>,
}

impl StepForms {
    fn fresh() -> Self {
        Self {
            note: String::new(),
            reason: String::new(),
            errors: FieldErrors::default(),
            submit_key: session::random_hex(),
            approve_key: session::random_hex(),
            reject_key: session::random_hex(),
            withdraw_key: session::random_hex(),
            schedule: None,
        }
    }
}

/// Who gave each of a publication's verdicts, in words: "you", a member's
/// name, or the subject.
async fn verdict_names(state: &State, person: &Person, publication: &PublicationView) -> SubjectNames {
    let verdicts = [&publication.approval, &publication.rejection, &publication.withdrawal];
    SubjectNames::read(
        state,
        person,
        verdicts.iter().filter_map(|v| v.as_ref().map(|v| v.by.as_str())),
        "you",
    )
    .await
}

/// What happened to a publication, oldest first, from what its view holds.
fn history(publication: &PublicationView, names: &SubjectNames) -> Vec<Value> {
    let mut events: Vec<(DateTime<Utc>, String)> = Vec::new();
    if let Ok(drafted) = DateTime::parse_from_rfc3339(&publication.recorded_at) {
        events.push((drafted.with_timezone(&Utc), format!("Drafted by {}", publication.author.name)));
    }
    if let Some(at) = publication.submitted_at {
        events.push((at, "Sent for approval".to_owned()));
    }
    if let Some(v) = &publication.rejection {
        let note = v.note.as_deref().map(|n| format!(": “{n}”")).unwrap_or_default();
        events.push((v.at, format!("Sent back by {}{note}", names.of_subject(&v.by))));
    }
    if let Some(v) = &publication.approval {
        events.push((v.at, format!("Approved by {}", names.of_subject(&v.by))));
    }
    if let Some(at) = publication.published_at {
        events.push((at, "Published on the website".to_owned()));
    }
    if let Some(v) = &publication.withdrawal {
        let reason = v.note.as_deref().map(|n| format!(": “{n}”")).unwrap_or_default();
        events.push((v.at, format!("Withdrawn by {}{reason}", names.of_subject(&v.by))));
    }
    events.sort_by_key(|(at, _)| *at);
    events.into_iter().map(|(at, text)| json!({"on": london_time(at), "text": text})).collect()
}

async fn render_publication(
    state: &State,
    session: &Session,
    person: &Person,
    publication: &PublicationView,
    forms: StepForms,
    banner: Option<&str>,
) -> Result<HttpResponse, PageError> {
    let names = verdict_names(state, person, publication).await;
    let text_row = |key: &str, value: String| json!({"key": {"text": key}, "value": {"text": value}});
    let mut rows = vec![
        text_row("Kind", words(publication.kind)),
        json!({"key": {"text": "Status"}, "value": {"html": status_tag(publication.status, status_words)}}),
        text_row("By", publication.author.name.clone()),
    ];
    if let Some(summary) = &publication.summary {
        rows.push(text_row("Summary", summary.clone()));
    }
    if !publication.tags.is_empty() {
        rows.push(text_row("Tags", publication.tags.join(", ")));
    }
    if let Some(at) = publication.publish_at {
        let key = match publication.status {
            PublicationStatus::Scheduled | PublicationStatus::Published => "Goes out",
            _ => "Wanted out by",
        };
        rows.push(text_row(key, london_time(at)));
    }
    if let Some(image) = &publication.image {
        rows.push(text_row("Image", image.alt.0.clone()));
    }
    let networks: Vec<Value> = publication
        .social_text
        .iter()
        .map(|(network, text)| {
            let delivery = publication.deliveries.get(network).map(|d| {
                let state = words(d.state);
                match &d.last_error {
                    Some(error) if d.state == caucus_wire::publications::DeliveryState::Failed => {
                        format!("{state}: {error}")
                    }
                    _ => state,
                }
            });
            let mut html =
                format!("<p class=\"govuk-body govuk-!-margin-bottom-0\">{}</p>", tera::escape_html(text));
            if let Some(counted) = publication.social_lengths.get(network) {
                html.push_str(&length_html(counted));
            }
            if let Some(delivery) = delivery {
                html.push_str(&format!(
                    "<p class=\"govuk-body-s govuk-!-margin-top-2 govuk-!-margin-bottom-0\">{}</p>",
                    tera::escape_html(&delivery)
                ));
            }
            json!({"key": {"text": network_name(*network)}, "value": {"html": html}})
        })
        .collect();
    let steps = NextSteps::of(person, publication);
    let id = publication.id;
    let frame = state.frame(session, Some(person), Section::Publications, publication.title.clone())?;
    state.page(
        &frame,
        "publication.html",
        json!({
            "id": id,
            "kind": words(publication.kind),
            "summary": {"rows": rows},
            "body": publication.body_markdown.as_deref().map(paragraphs).unwrap_or_default(),
            "networks": {"rows": networks},
            "rejection": (publication.status == PublicationStatus::Rejected)
                .then(|| publication.rejection.as_ref().and_then(|r| r.note.clone()))
                .flatten(),
            "history": history(publication, &names),
            "steps": {
                "edit": steps.edit,
                "submit": steps.submit,
                "approve": steps.approve,
                "own_submission": steps.own_submission,
                "reject": steps.reject,
                "withdraw": steps.withdraw,
                "schedule": steps.schedule,
                "reschedule": steps.schedule && publication.status == PublicationStatus::Scheduled,
                "decide": steps.approve || steps.reject || steps.own_submission,
            },
            "keys": {
                "submit": forms.submit_key,
                "approve": forms.approve_key,
                "reject": forms.reject_key,
                "withdraw": forms.withdraw_key,
            },
            "schedule": forms.schedule.clone().unwrap_or_else(|| ScheduleForm::fresh(publication)).params(&forms.errors),
            "note": {
                "name": "note",
                "id": "note",
                "maxlength": 2000,
                "rows": 4,
                "label": {"text": "What needs to change", "classes": "govuk-label--s"},
                "hint": {"text": "The author sees this note. They can edit it and send it again."},
                "value": forms.note,
                "errorMessage": forms.errors.message("note"),
            },
            "reason": {
                "name": "reason",
                "id": "reason",
                "maxlength": 2000,
                "rows": 3,
                "label": {"text": "Why it is being withdrawn", "classes": "govuk-label--s"},
                "hint": {"text": "The page comes down at the next build of the website."},
                "value": forms.reason,
                "errorMessage": forms.errors.message("reason"),
            },
            "error_summary": forms.errors.summary(),
            "banner": banner.map(|text| json!({"type": "success", "text": text})),
        }),
    )
}

/// What the banner says after each write.
const DONE: &[(&str, &str)] = &[
    ("drafted", "Your draft was saved"),
    ("edited", "Your changes were saved"),
    ("submitted", "It was sent for approval"),
    ("approved", "You approved it"),
    ("rejected", "You sent it back with your note"),
    ("withdrawn", "It was withdrawn"),
    ("scheduled", "It was scheduled"),
];

#[get("/publications/{id}")]
pub(super) async fn publication_page(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    query: web::Query<DoneQuery>,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let found: PublicationView =
        state.read(&session, &person, &request, &format!("/publications/{id}")).await?;
    let banner = query.banner(DONE);
    render_publication(&state, &session, &person, &found, StepForms::fresh(), banner).await
}

/// The publication's page again with its scheduling form as sent, refused
/// with `errors`: 422.
pub(super) async fn refused_schedule(
    (state, session, request): (&State, &Session, &HttpRequest),
    person: &Person,
    id: Uuid,
    schedule: ScheduleForm,
    errors: FieldErrors,
) -> Result<HttpResponse, PageError> {
    let current: PublicationView =
        state.read(session, person, request, &format!("/publications/{id}")).await?;
    let forms = StepForms { errors, schedule: Some(schedule), ..StepForms::fresh() };
    let mut response = render_publication(state, session, person, &current, forms, None).await?;
    *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(response)
}

/// A step on a publication: which form, the api's path for it, the body it
/// sends, the `done` it redirects with, and its text field if it has one.
enum Step {
    Submit,
    Approve,
    Reject,
    Withdraw,
}

impl Step {
    fn path(&self) -> &'static str {
        match self {
            Self::Submit => "submission",
            Self::Approve => "approval",
            Self::Reject => "rejection",
            Self::Withdraw => "withdrawal",
        }
    }

    fn done(&self) -> &'static str {
        match self {
            Self::Submit => "submitted",
            Self::Approve => "approved",
            Self::Reject => "rejected",
            Self::Withdraw => "withdrawn",
        }
    }

    fn body(&self, form: &SentForm) -> Result<Value, PageError> {
        let text = |name: &str| form.text(name);
        let body = match self {
            Self::Submit => serde_json::to_value(SubmitPublicationRequest {}),
            Self::Approve => serde_json::to_value(ApprovePublicationRequest {}),
            Self::Reject => serde_json::to_value(RejectPublicationRequest { note: NoteText(text("note")) }),
            Self::Withdraw => {
                serde_json::to_value(WithdrawPublicationRequest { reason: NoteText(text("reason")) })
            }
        };
        body.map_err(|e| PageError::Internal(e.to_string()))
    }
}

/// Sends one step's form to the api; back to the publication with a banner,
/// or the refusal shown where the person can act on it.
async fn take_step(
    state: &State,
    session: &Session,
    request: &HttpRequest,
    id: Uuid,
    Posted { person, form, key }: Posted,
    step: Step,
) -> Result<HttpResponse, PageError> {
    let path = format!("/publications/{id}/{}", step.path());
    let sent: Result<PublicationView, ApiFailure> =
        state.api.post(&person.token, &path, &step.body(&form)?, &key).await;
    let problem = match sent {
        Ok(_) => return Ok(see_other(&format!("/publications/{id}?done={}", step.done()))),
        Err(ApiFailure::Refused(problem)) if problem.status == 422 => problem,
        Err(failure) => return Err(state.refusal(session, &person, request, &failure)),
    };
    let current: PublicationView =
        state.read(session, &person, request, &format!("/publications/{id}")).await?;
    let mut response = match step {
        // What stops a submission is in the content: fix it in the form.
        Step::Submit => {
            let errors = FieldErrors {
                errors: problem
                    .errors
                    .iter()
                    .map(|e| (content_field(&e.pointer), sentence(&e.detail)))
                    .chain(problem.errors.is_empty().then(|| ("title".to_owned(), sentence(&problem.detail))))
                    .collect(),
            };
            let form = ContentForm::of(&current);
            let editing = Editing {
                mode: Mode::Edit { id, version: current.version },
                form,
                errors,
                idempotency_key: session::random_hex(),
                conflict: None,
            };
            render_form(state, session, &person, editing)?
        }
        Step::Reject | Step::Withdraw => {
            // The same key: the refused submission recorded nothing.
            let mut forms = StepForms::fresh();
            if matches!(step, Step::Reject) {
                forms.note = form.text("note");
                forms.reject_key = key;
                forms.errors =
                    FieldErrors::from_problem(&problem, &[("/note", "note", "What needs to change")]);
            } else {
                forms.reason = form.text("reason");
                forms.withdraw_key = key;
                forms.errors = FieldErrors::from_problem(&problem, &[("/reason", "reason", "The reason")]);
            }
            render_publication(state, session, &person, &current, forms, None).await?
        }
        Step::Approve => return Err(state.refusal(session, &person, request, &ApiFailure::Refused(problem))),
    };
    *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(response)
}

#[post("/publications/{id}/submission")]
pub(super) async fn submit(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    posted: Posted,
) -> Result<HttpResponse, PageError> {
    take_step(&state, &session, &request, *id, posted, Step::Submit).await
}

#[post("/publications/{id}/approval")]
pub(super) async fn approve(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    posted: Posted,
) -> Result<HttpResponse, PageError> {
    take_step(&state, &session, &request, *id, posted, Step::Approve).await
}

#[post("/publications/{id}/rejection")]
pub(super) async fn reject(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    posted: Posted,
) -> Result<HttpResponse, PageError> {
    take_step(&state, &session, &request, *id, posted, Step::Reject).await
}

#[post("/publications/{id}/withdrawal")]
pub(super) async fn withdraw(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    posted: Posted,
) -> Result<HttpResponse, PageError> {
    take_step(&state, &session, &request, *id, posted, Step::Withdraw).await
}
