//! Decisions: the group's register filtered by status, one decision with its
//! progress, amendments and what it links to, and the office's writes: a
//! decision recorded, progress reported, its text amended, and it marked
//! implemented, rescinded or superseded by a later one.

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use caucus_wire::actions::{ActionStatus, ActionView};
use caucus_wire::decisions::{
    AmendDecisionRequest, DecisionStatus, DecisionView, MarkImplementedRequest, ProgressStatus,
    RecordDecisionRequest, ReportProgressRequest, RescindDecisionRequest, SupersedeDecisionRequest, TakenBy,
    Votes,
};
use caucus_wire::{ChosenClassification, DocumentText, Mirror as _, NoteText, PercentComplete, TitleText};
use chrono::Utc;
use serde_json::{Value, json};
use uuid::Uuid;

use super::paging::Listed;
use super::query::{DoneQuery, ListQuery, here_path, list_path, showing, status_filter};
use super::record::RecordForms;
use super::{
    DateParts, FieldErrors, OFFICE, Page, PageError, Posted, State, TextForm, classification_radios, send,
    signed_in,
};
use crate::present::{london_day, long_date, paragraphs, status_tag, tag_html, wire_word, words};
use crate::render::{Section, holds_any};
use crate::session::{self, Person};

/// How a status reads, and the colour of its tag.
fn status_words(status: DecisionStatus) -> (&'static str, &'static str) {
    match status {
        DecisionStatus::InForce => ("In force", "govuk-tag--blue"),
        DecisionStatus::Implemented => ("Implemented", "govuk-tag--green"),
        DecisionStatus::Rescinded => ("Rescinded", "govuk-tag--red"),
        DecisionStatus::Superseded => ("Superseded", "govuk-tag--grey"),
    }
}

/// Where a decision was taken, in words.
fn taken_by(decision: &DecisionView) -> String {
    match &decision.taken_by {
        TakenBy::GroupMeeting { meeting, .. } => meeting.0.clone(),
        TakenBy::GroupOfficers => "Group Officers".to_owned(),
    }
}

/// How implementation is going, in words: "On track, 40% complete".
fn progress_words(status: ProgressStatus, percent: u8) -> String {
    format!("{}, {percent}% complete", words(status))
}

#[get("/decisions")]
pub(super) async fn list(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let wanted = query.status::<DecisionStatus>();
    let page = (&session, &person, &request);
    let listed: Listed<DecisionView> =
        state.read_listed(page, &list_path("/decisions", wanted), query.cursor()).await?;
    let (pagination, more) = (listed.pagination(&here_path("/decisions", wanted)), listed.has_more());
    let mut decisions = listed.items;
    decisions.sort_by_key(|d| std::cmp::Reverse(d.decided_on));
    let rows: Vec<Value> = decisions
        .iter()
        .map(|d| {
            let link = format!(
                "<a class=\"govuk-link\" href=\"/decisions/{}\">{}</a><span class=\"govuk-body-s govuk-!-display-block govuk-!-margin-top-1 govuk-!-margin-bottom-0\">{}, {}</span>",
                d.id,
                tera::escape_html(&d.title),
                long_date(d.decided_on),
                tera::escape_html(&taken_by(d)),
            );
            json!([{"html": link}, {"html": status_tag(d.status, status_words)}])
        })
        .collect();
    let count = decisions.len();
    let showing = showing(count, ("decision", "decisions"), wanted.map(|s| status_words(s).0), more);
    let frame = state.frame(&session, Some(&person), Section::Decisions, "Decisions")?;
    state.page(
        &frame,
        "decisions.html",
        json!({
            "filter": status_filter(DecisionStatus::ALL, status_words, wanted),
            "table": {
                "caption": "Decisions",
                "captionClasses": "govuk-visually-hidden",
                "head": [{"text": "Decision"}, {"text": "Status"}],
                "rows": rows,
            },
            "count": count,
            "showing": showing,
            "pagination": pagination,
            "may_record": holds_any(&person, OFFICE),
        }),
    )
}

/// The progress form as typed.
#[derive(Debug)]
struct ProgressForm {
    on: DateParts,
    status: String,
    percent: String,
    note: TextForm,
}

/// The forms of a decision's page as they are to be shown: empty with a new
/// key each (the amendment holding the text as it stands), or one of them as
/// it was sent and refused, with its key.
#[derive(Debug)]
struct DecisionForms {
    errors: FieldErrors,
    progress: ProgressForm,
    /// The new text (`None`: the text as it stands), the reason and key.
    amend: (Option<String>, TextForm),
    implemented: (DateParts, String),
    rescind: TextForm,
    /// The superseding decision chosen, the reason and key.
    supersede: (Option<Uuid>, TextForm),
}

impl DecisionForms {
    fn fresh() -> Self {
        let today = DateParts::of(london_day(Utc::now()));
        Self {
            errors: FieldErrors::default(),
            progress: ProgressForm {
                on: today.clone(),
                status: String::new(),
                percent: String::new(),
                note: TextForm::fresh(),
            },
            amend: (None, TextForm::fresh()),
            implemented: (today, session::random_hex()),
            rescind: TextForm::fresh(),
            supersede: (None, TextForm::fresh()),
        }
    }
}

/// The summary of a decision: its status, when and where it was taken, the
/// vote, its review and how it ended.
fn summary(decision: &DecisionView, others: &[DecisionView]) -> Value {
    let text = |key: &str, value: String| json!({"key": {"text": key}, "value": {"text": value}});
    let mut rows = vec![
        json!({"key": {"text": "Status"}, "value": {"html": status_tag(decision.status, status_words)}}),
        text("Decided", long_date(decision.decided_on)),
    ];
    match &decision.taken_by {
        TakenBy::GroupMeeting { meeting, meeting_item: Some(item) } => rows.push(json!({
            "key": {"text": "Taken by"},
            "value": {"html": format!(
                "<a class=\"govuk-link\" href=\"/meetings/{}\">{}</a>",
                item.meeting_id,
                tera::escape_html(&meeting.0)
            )},
        })),
        _ => rows.push(text("Taken by", taken_by(decision))),
    }
    if let Some(votes) = decision.votes {
        rows.push(text(
            "Vote",
            format!("{} for, {} against, {} abstaining", votes.in_favour, votes.against, votes.abstain),
        ));
    }
    if let Some(latest) = decision.progress.last() {
        rows.push(text("Progress", progress_words(latest.status, latest.percent_complete)));
    }
    if let Some(on) = decision.review_on {
        rows.push(text("Review by", long_date(on)));
    }
    rows.push(text("Who can read it", words(decision.classification)));
    if let Some(on) = decision.implemented_on {
        rows.push(text("Implemented", long_date(on)));
    }
    if let Some(by) = decision.superseded_by {
        let title = others.iter().find(|d| d.id == by).map_or("A later decision", |d| d.title.as_str());
        rows.push(json!({
            "key": {"text": "Superseded by"},
            "value": {"html": format!("<a class=\"govuk-link\" href=\"/decisions/{by}\">{}</a>", tera::escape_html(title))},
        }));
    }
    if let Some(reason) = &decision.ended_reason {
        let key = if decision.status == DecisionStatus::Rescinded { "Why it was rescinded" } else { "Why" };
        rows.push(text(key, reason.clone()));
    }
    json!({"rows": rows})
}

fn render_decision(
    state: &State,
    session: &Session,
    person: &Person,
    (decision, others, actions): (&DecisionView, &[DecisionView], &[ActionView]),
    forms: DecisionForms,
    banner: Option<&str>,
) -> Result<HttpResponse, PageError> {
    let errors = &forms.errors;
    let may_write = holds_any(person, OFFICE) && decision.status == DecisionStatus::InForce;
    let progress: Vec<Value> = decision
        .progress
        .iter()
        .rev()
        .map(|p| {
            json!({
                "on": long_date(p.on),
                "how": progress_words(p.status, p.percent_complete),
                "note": p.note,
            })
        })
        .collect();
    let amendments: Vec<Value> = decision
        .amendments
        .iter()
        .enumerate()
        .map(|(i, a)| {
            json!({
                "heading": format!("Amendment {}", i + 1),
                "reason": a.reason,
                "previous": {"summaryText": "The text before it", "text": a.previous_text},
            })
        })
        .collect();
    let linked: Vec<Value> = actions
        .iter()
        .map(|a| {
            let (text, colour) = match a.status {
                ActionStatus::Open if a.overdue => ("Overdue", "govuk-tag--red"),
                ActionStatus::Open => ("Open", "govuk-tag--blue"),
                ActionStatus::Completed => ("Done", "govuk-tag--green"),
                ActionStatus::Cancelled => ("Cancelled", "govuk-tag--grey"),
            };
            json!({"id": a.id, "title": a.title, "tag": tag_html(text, colour)})
        })
        .collect();
    let textarea = |name: &str, id: &str, label: &str, value: &str, rows: u32| {
        json!({
            "name": name, "id": id, "rows": rows,
            "label": {"text": label, "classes": "govuk-label--s"},
            "value": value,
            "errorMessage": errors.message(id),
        })
    };
    let progress_form = &forms.progress;
    let statuses: Vec<Value> = ProgressStatus::ALL
        .iter()
        .map(|s| {
            let value = wire_word(*s);
            json!({"value": value, "text": words(*s), "checked": value == progress_form.status})
        })
        .collect();
    // What replaces it is another decision still standing.
    let mut later: Vec<&DecisionView> = others
        .iter()
        .filter(|d| d.id != decision.id)
        .filter(|d| matches!(d.status, DecisionStatus::InForce | DecisionStatus::Implemented))
        .collect();
    later.sort_by_key(|d| std::cmp::Reverse(d.decided_on));
    let superseding = json!({
        "name": "by", "id": "superseded-by",
        "label": {"text": "The decision that replaces it", "classes": "govuk-label--s"},
        "items": std::iter::once(json!({"value": "", "text": "Choose a decision"}))
            .chain(later.iter().map(|d| json!({
                "value": d.id,
                "text": format!("{} ({})", d.title, long_date(d.decided_on)),
                "selected": forms.supersede.0 == Some(d.id),
            })))
            .collect::<Vec<_>>(),
        "errorMessage": errors.message("superseded-by"),
    });
    let amended_text = forms.amend.0.as_deref().unwrap_or(&decision.text);
    let frame = state.frame(session, Some(person), Section::Decisions, decision.title.clone())?;
    let status = errors.status();
    state.page_with(
        status,
        &frame,
        "decision.html",
        json!({
            "id": decision.id,
            "summary": summary(decision, others),
            "text": paragraphs(&decision.text),
            "progress": progress,
            "amendments": amendments,
            "actions": linked,
            "may_write": may_write,
            "may_create_action": holds_any(person, OFFICE),
            "error_summary": errors.summary(),
            "banner": banner.map(|text| json!({"type": "success", "text": text})),
            "progress_form": {
                "on": progress_form.on.input(("on", "progress-on"), "Date", Some("For example, 27 3 2026"), errors),
                "status": {
                    "name": "status", "idPrefix": "progress-status",
                    "fieldset": {"legend": {"text": "How it is going", "classes": "govuk-fieldset__legend--s"}},
                    "items": statuses,
                    "errorMessage": errors.message("progress-status"),
                },
                "percent": {
                    "name": "percent_complete", "id": "percent-complete",
                    "label": {"text": "How much is done", "classes": "govuk-label--s"},
                    "hint": {"text": "A whole number from 0 to 100"},
                    "classes": "govuk-input--width-3",
                    "inputmode": "numeric",
                    "spellcheck": false,
                    "suffix": {"text": "%"},
                    "value": progress_form.percent,
                    "errorMessage": errors.message("percent-complete"),
                },
                "note": textarea("note", "progress-note", "What has happened", &progress_form.note.text, 3),
                "key": progress_form.note.key,
            },
            "amend_form": {
                "text": textarea("text", "amend-text", "The amended text", amended_text, 8),
                "reason": textarea("reason", "amend-reason", "Why it is amended", &forms.amend.1.text, 3),
                "key": forms.amend.1.key,
            },
            "implemented_form": {
                "on": forms.implemented.0.input(
                    ("on", "implemented-on"), "Date it was carried out", Some("For example, 27 3 2026"), errors,
                ),
                "key": forms.implemented.1,
            },
            "rescind_form": {
                "reason": textarea("reason", "rescind-reason", "Why it is rescinded", &forms.rescind.text, 3),
                "key": forms.rescind.key,
            },
            "supersede_form": {
                "by": superseding,
                "any": !later.is_empty(),
                "reason": textarea("reason", "supersede-reason", "Why", &forms.supersede.1.text, 3),
                "key": forms.supersede.1.key,
            },
        }),
    )
}

impl RecordForms for DecisionForms {
    const PATH: &'static str = "/decisions";
    type Loaded = (DecisionView, Vec<DecisionView>, Vec<ActionView>);

    /// The decision, the latest recorded others (to choose what supersedes
    /// it, a later decision) and the one that superseded it, and the actions
    /// carrying it out.
    async fn load(
        (state, session, request): Page<'_>,
        person: &Person,
        id: Uuid,
    ) -> Result<Self::Loaded, PageError> {
        let decision: DecisionView =
            state.read(session, person, request, &format!("/decisions/{id}")).await?;
        let page = (session, person, request);
        let latest: Listed<DecisionView> = state.read_listed(page, "/decisions?order=newest", None).await?;
        let mut others = latest.items;
        if let Some(by) = decision.superseded_by.filter(|by| others.iter().all(|d| d.id != *by)) {
            others.extend(
                state.read_by_ids::<DecisionView>(session, person, request, "/decisions", [by]).await?,
            );
        }
        let path = format!("/actions?limit=200&decision_id={id}");
        let actions: Vec<ActionView> = state.read_all(session, person, request, &path).await?;
        Ok((decision, others, actions))
    }

    fn render(
        self,
        (state, session, _): Page<'_>,
        person: &Person,
        (decision, others, actions): &Self::Loaded,
        banner: Option<&str>,
    ) -> Result<HttpResponse, PageError> {
        render_decision(state, session, person, (decision, others, actions), self, banner)
    }

    fn errors(&self) -> &FieldErrors {
        &self.errors
    }
}

/// What `?done=` says was just done, word by word.
const DONE: &[(&str, &str)] = &[
    ("recorded", "The decision was recorded"),
    ("progress", "Progress was reported"),
    ("amended", "The decision was amended"),
    ("implemented", "The decision was marked implemented"),
    ("rescinded", "The decision was rescinded"),
    ("superseded", "The decision was marked superseded"),
];

#[get("/decisions/{id}")]
pub(super) async fn decision_page(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    query: web::Query<DoneQuery>,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let page = (&**state, &session, &request);
    DecisionForms::fresh().shown(page, &person, *id, query.banner(DONE)).await
}

#[post("/decisions/{id}/progress")]
pub(super) async fn report_progress(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    Posted { person, form, key }: Posted,
) -> Result<HttpResponse, PageError> {
    let typed = ProgressForm {
        on: form.date("on"),
        status: form.text("status"),
        percent: form.text("percent_complete").trim().to_owned(),
        note: TextForm { text: form.text("note"), key: key.clone() },
    };
    let on = typed.on.parse("The date");
    let status = serde_json::from_value::<ProgressStatus>(Value::String(typed.status.clone())).ok();
    let percent = typed.percent.parse::<i64>().ok();
    let mut errors = Vec::new();
    if let Err(message) = &on {
        errors.push(("progress-on-day".to_owned(), message.clone()));
    }
    if status.is_none() {
        errors.push(("progress-status".to_owned(), "Select how it is going".to_owned()));
    }
    if percent.is_none() {
        let message = if typed.percent.is_empty() {
            "Enter how much is done, from 0 to 100"
        } else {
            "How much is done must be a whole number from 0 to 100"
        };
        errors.push(("percent-complete".to_owned(), message.to_owned()));
    }
    let key = typed.note.key.clone();
    let note = typed.note.text.clone();
    // The same key on a refusal: the refused submission recorded nothing.
    let refused = |errors: FieldErrors| DecisionForms { errors, progress: typed, ..DecisionForms::fresh() };
    let (Ok(on), Some(status), Some(percent), true) = (on, status, percent, errors.is_empty()) else {
        return refused(FieldErrors { errors }).refused((&state, &session, &request), &person, *id).await;
    };
    let body = ReportProgressRequest {
        on,
        note: NoteText(note),
        status,
        percent_complete: PercentComplete(percent),
    };
    let fields = [
        ("/note", "progress-note", "What has happened"),
        ("/on", "progress-on-day", "The date"),
        ("/status", "progress-status", "How it is going"),
        ("/percent_complete", "percent-complete", "How much is done"),
    ];
    let page = (&**state, &session, &request);
    DecisionForms::send(page, &person, (*id, "progress", "progress"), (&body, &key), (&fields, refused)).await
}

#[post("/decisions/{id}/amendments")]
pub(super) async fn amend(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    Posted { person, form, key }: Posted,
) -> Result<HttpResponse, PageError> {
    let (text, reason) = (form.text("text"), form.text("reason"));
    let refused = |errors: FieldErrors| DecisionForms {
        errors,
        amend: (Some(text.clone()), TextForm { text: reason.clone(), key: key.clone() }),
        ..DecisionForms::fresh()
    };
    let body = AmendDecisionRequest { text: DocumentText(text.clone()), reason: NoteText(reason.clone()) };
    let fields = [("/text", "amend-text", "The amended text"), ("/reason", "amend-reason", "The reason")];
    let page = (&**state, &session, &request);
    DecisionForms::send(page, &person, (*id, "amendments", "amended"), (&body, &key), (&fields, refused))
        .await
}

#[post("/decisions/{id}/implementation")]
pub(super) async fn mark_implemented(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    Posted { person, form, key }: Posted,
) -> Result<HttpResponse, PageError> {
    let on = form.date("on");
    let refused = |errors: FieldErrors| DecisionForms {
        errors,
        implemented: (on.clone(), key.clone()),
        ..DecisionForms::fresh()
    };
    let day = match on.parse("The date") {
        Ok(day) => day,
        Err(message) => {
            let errors = FieldErrors { errors: vec![("implemented-on-day".to_owned(), message)] };
            return refused(errors).refused((&state, &session, &request), &person, *id).await;
        }
    };
    let body = MarkImplementedRequest { on: day };
    let fields = [("/on", "implemented-on-day", "The date")];
    let page = (&**state, &session, &request);
    DecisionForms::send(
        page,
        &person,
        (*id, "implementation", "implemented"),
        (&body, &key),
        (&fields, refused),
    )
    .await
}

#[post("/decisions/{id}/rescission")]
pub(super) async fn rescind(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    Posted { person, form, key }: Posted,
) -> Result<HttpResponse, PageError> {
    let reason = form.text("reason");
    let refused = |errors: FieldErrors| DecisionForms {
        errors,
        rescind: TextForm { text: reason.clone(), key: key.clone() },
        ..DecisionForms::fresh()
    };
    let body = RescindDecisionRequest { reason: NoteText(reason.clone()) };
    let fields = [("/reason", "rescind-reason", "The reason")];
    let page = (&**state, &session, &request);
    DecisionForms::send(page, &person, (*id, "rescission", "rescinded"), (&body, &key), (&fields, refused))
        .await
}

#[post("/decisions/{id}/supersession")]
pub(super) async fn supersede(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    Posted { person, form, key }: Posted,
) -> Result<HttpResponse, PageError> {
    let (by, reason) = (form.text("by").parse::<Uuid>().ok(), form.text("reason"));
    let refused = |errors: FieldErrors| DecisionForms {
        errors,
        supersede: (by, TextForm { text: reason.clone(), key: key.clone() }),
        ..DecisionForms::fresh()
    };
    let Some(by) = by else {
        let errors = FieldErrors {
            errors: vec![("superseded-by".to_owned(), "Select the decision that replaces it".to_owned())],
        };
        return refused(errors).refused((&state, &session, &request), &person, *id).await;
    };
    let body = SupersedeDecisionRequest { by, reason: NoteText(reason.clone()) };
    let fields = [("/by", "superseded-by", "The decision"), ("/reason", "supersede-reason", "The reason")];
    let page = (&**state, &session, &request);
    DecisionForms::send(page, &person, (*id, "supersession", "superseded"), (&body, &key), (&fields, refused))
        .await
}

/// The record-a-decision form as typed.
#[derive(Debug, Default)]
struct NewDecision {
    title: String,
    text: String,
    decided_on: DateParts,
    /// `group_meeting` or `group_officers`.
    taken_by: String,
    meeting: String,
    votes: [String; 3],
    classification: String,
    review_on: DateParts,
}

/// How the decision was taken, as the form offers it.
const TAKEN_BY: &[(&str, &str)] =
    &[("group_meeting", "At a group meeting"), ("group_officers", "By the Group Officers")];

fn render_new(
    state: &State,
    session: &Session,
    person: &Person,
    (form, errors, key): (&NewDecision, FieldErrors, String),
) -> Result<HttpResponse, PageError> {
    let vote = |name: &str, id: &str, label: &str, value: &str| {
        json!({
            "name": name, "id": id,
            "label": {"text": label},
            "classes": "govuk-input--width-3",
            "inputmode": "numeric",
            "spellcheck": false,
            "value": value,
        })
    };
    let frame = state.frame(session, Some(person), Section::Decisions, "Record a decision")?;
    let status = errors.status();
    state.page_with(
        status,
        &frame,
        "decision-form.html",
        json!({
            "key": key,
            "error_summary": errors.summary(),
            "title": {
                "name": "title", "id": "title",
                "label": {"text": "Title", "classes": "govuk-label--s"},
                "hint": {"text": "A few words the register lists it by"},
                "value": form.title,
                "errorMessage": errors.message("title"),
            },
            "text": {
                "name": "text", "id": "text", "rows": 8,
                "label": {"text": "What was decided", "classes": "govuk-label--s"},
                "value": form.text,
                "errorMessage": errors.message("text"),
            },
            "decided_on": form.decided_on.input(
                ("decided_on", "decided-on"), "Date it was decided", Some("For example, 27 3 2026"), &errors,
            ),
            "taken_by": {
                "name": "taken_by", "idPrefix": "taken-by",
                "fieldset": {"legend": {"text": "Where it was decided", "classes": "govuk-fieldset__legend--s"}},
                "items": TAKEN_BY.iter().map(|(value, text)| json!({
                    "value": value, "text": text, "checked": form.taken_by == *value,
                })).collect::<Vec<_>>(),
                "errorMessage": errors.message("taken-by"),
            },
            "meeting": {
                "name": "meeting", "id": "meeting",
                "label": {"text": "Which group meeting", "classes": "govuk-label--s"},
                "hint": {"text": "If it was decided at a group meeting. For example, Group meeting 2 March 2026"},
                "value": form.meeting,
                "errorMessage": errors.message("meeting"),
            },
            "votes_error": errors.message("votes-for"),
            "votes": [
                vote("votes_for", "votes-for", "For", &form.votes[0]),
                vote("votes_against", "votes-against", "Against", &form.votes[1]),
                vote("votes_abstain", "votes-abstain", "Abstaining", &form.votes[2]),
            ],
            "classification": classification_radios(&form.classification, &errors),
            "review_on": form.review_on.input(
                ("review_on", "review-on"), "Review by (optional)",
                Some("When the group means to look at it again. For example, 27 3 2027"), &errors,
            ),
        }),
    )
}

#[get("/decisions/new")]
pub(super) async fn new_page(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let form = NewDecision {
        decided_on: DateParts::of(london_day(Utc::now())),
        classification: wire_word(ChosenClassification::Group),
        ..NewDecision::default()
    };
    render_new(&state, &session, &person, (&form, FieldErrors::default(), session::random_hex()))
}

/// A vote count as typed: blank is none.
fn count(typed: &str) -> Result<u32, ()> {
    if typed.is_empty() { Ok(0) } else { typed.parse().map_err(|_| ()) }
}

#[post("/decisions")]
pub(super) async fn record(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    Posted { person, form: sent, key }: Posted,
) -> Result<HttpResponse, PageError> {
    let form = NewDecision {
        title: sent.text("title"),
        text: sent.text("text"),
        decided_on: sent.date("decided_on"),
        taken_by: sent.text("taken_by"),
        meeting: sent.text("meeting"),
        votes: ["votes_for", "votes_against", "votes_abstain"].map(|name| sent.text(name).trim().to_owned()),
        classification: sent.text("classification"),
        review_on: sent.date("review_on"),
    };
    let mut errors = Vec::new();
    let decided_on = form.decided_on.parse("The date it was decided");
    if let Err(message) = &decided_on {
        errors.push(("decided-on-day".to_owned(), message.clone()));
    }
    let taken_by = match form.taken_by.as_str() {
        "group_meeting" => {
            Some(TakenBy::GroupMeeting { meeting: TitleText(form.meeting.clone()), meeting_item: None })
        }
        "group_officers" => Some(TakenBy::GroupOfficers),
        _ => {
            errors.push(("taken-by".to_owned(), "Select where it was decided".to_owned()));
            None
        }
    };
    let votes = if form.votes.iter().all(String::is_empty) {
        None
    } else {
        match (count(&form.votes[0]), count(&form.votes[1]), count(&form.votes[2])) {
            (Ok(in_favour), Ok(against), Ok(abstain)) => Some(Votes { in_favour, against, abstain }),
            _ => {
                errors.push(("votes-for".to_owned(), "Votes must be whole numbers".to_owned()));
                None
            }
        }
    };
    let classification =
        serde_json::from_value::<ChosenClassification>(Value::String(form.classification.clone())).ok();
    if classification.is_none() {
        errors.push(("classification".to_owned(), "Select who can read it".to_owned()));
    }
    let review_on =
        if form.review_on.is_blank() { Ok(None) } else { form.review_on.parse("The review date").map(Some) };
    if let Err(message) = &review_on {
        errors.push(("review-on-day".to_owned(), message.clone()));
    }
    let (Ok(decided_on), Some(taken_by), Some(classification), Ok(review_on), true) =
        (decided_on, taken_by, classification, review_on, errors.is_empty())
    else {
        return render_new(&state, &session, &person, (&form, FieldErrors { errors }, key));
    };
    let body = RecordDecisionRequest {
        title: TitleText(form.title.clone()),
        text: DocumentText(form.text.clone()),
        decided_on,
        taken_by,
        votes,
        classification,
        review_on,
    };
    let fields = [
        ("/title", "title", "The title"),
        ("/text", "text", "What was decided"),
        ("/decided_on", "decided-on-day", "The date it was decided"),
        ("/taken_by", "taken-by", "Where it was decided"),
        ("/taken_by/meeting", "meeting", "The meeting"),
        ("/votes", "votes-for", "The vote"),
        ("/classification", "classification", "Who can read it"),
        ("/review_on", "review-on-day", "The review date"),
    ];
    let to = |made: DecisionView| format!("/decisions/{}?done=recorded", made.id);
    let again =
        async |errors: FieldErrors| render_new(&state, &session, &person, (&form, errors, key.clone()));
    let page = (&**state, &session, &request);
    send(page, &person, ("/decisions", &body, &key), to, (&fields, again)).await
}
