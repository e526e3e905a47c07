//! Actions: who is doing what by when. The register with the person's own
//! actions first, overdue ones tagged; one action with its history and what
//! the person may do with it (a councillor notes progress on their own and
//! marks it done; the office also re-dates, reassigns and cancels); and the
//! office's form to agree a new one.

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use caucus_wire::actions::{
    ActionProgressRequest, ActionStatus, ActionView, CancelActionRequest, CompleteActionRequest,
    CreateActionRequest, ReassignActionRequest, RescheduleActionRequest,
};
use caucus_wire::decisions::DecisionView;
use caucus_wire::meetings::MeetingView;
use caucus_wire::members::{MemberStatus, MemberView};
use caucus_wire::{ChosenClassification, NoteText, TitleText};
use chrono::Utc;
use serde::Deserialize;
use serde_json::{Value, json};
use uuid::Uuid;

use super::paging::Listed;
use super::query::DoneQuery;
use super::record::RecordForms;
use super::{
    DateParts, FieldErrors, MemberNames, OFFICE, Page, PageError, Posted, State, TextForm,
    classification_radios, send, signed_in,
};
use crate::present::{london_day, long_date, tag_html, wire_word};
use crate::render::{Section, holds_any};
use crate::session::{self, Person};

/// The member the person is, if they are one (a councillor's token subject
/// is their member id; the assistant's and an auditor's are not).
fn member_id(person: &Person) -> Option<Uuid> {
    person.subject.parse().ok()
}

/// What the person may do with an action (the api checks again: this only
/// decides which forms to offer).
#[derive(Debug, Clone, Copy)]
struct Steps {
    /// Note progress and mark it done: the office, or its owner.
    report: bool,
    /// Re-date, reassign and cancel: the office.
    manage: bool,
}

impl Steps {
    fn of(person: &Person, action: &ActionView) -> Self {
        let open = action.status == ActionStatus::Open;
        let office = holds_any(person, OFFICE);
        let owns = member_id(person) == Some(action.owner_id);
        Self { report: open && (office || owns), manage: open && office }
    }
}

/// An action's status as a GOV.UK tag, as HTML: overdue ones red.
pub(super) fn status_tag(action: &ActionView) -> String {
    match action.status {
        ActionStatus::Open if action.overdue => tag_html("Overdue", "govuk-tag--red"),
        ActionStatus::Open => tag_html("Open", "govuk-tag--blue"),
        ActionStatus::Completed => tag_html("Done", "govuk-tag--green"),
        ActionStatus::Cancelled => tag_html("Cancelled", "govuk-tag--grey"),
    }
}

/// The table of `actions`, each with its owner and due date under its title.
fn actions_table(caption: &str, actions: &[&ActionView], names: &MemberNames) -> Value {
    let rows: Vec<Value> = actions
        .iter()
        .map(|action| {
            let when = match (action.status, action.completed_on) {
                (ActionStatus::Completed, Some(on)) => format!("done {}", long_date(on)),
                (ActionStatus::Cancelled, _) => format!("was due {}", long_date(action.due_on)),
                _ => format!("due {}", long_date(action.due_on)),
            };
            let link = format!(
                "<a class=\"govuk-link\" href=\"/actions/{}\">{}</a><span class=\"govuk-body-s govuk-!-display-block govuk-!-margin-top-1 govuk-!-margin-bottom-0\">{}, {}</span>",
                action.id,
                tera::escape_html(&action.title),
                tera::escape_html(&names.of_id(action.owner_id)),
                when,
            );
            json!([{"html": link}, {"html": status_tag(action)}])
        })
        .collect();
    json!({
        "caption": caption,
        "captionClasses": "govuk-table__caption--m",
        "head": [{"text": "Action"}, {"text": "Status"}],
        "rows": rows,
    })
}

/// Which actions the list shows: whose, and in what state.
#[derive(Debug, Deserialize)]
struct ListQuery {
    who: Option<String>,
    status: Option<String>,
    cursor: Option<String>,
}

/// The states the list filters by, as the query and the api spell them.
const STATES: &[(&str, &str)] = &[("open", "Open"), ("completed", "Done"), ("cancelled", "Cancelled")];

#[get("/actions")]
pub(super) async fn list(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let status = STATES
        .iter()
        .find(|(value, _)| query.status.as_deref() == Some(*value))
        .map_or("open", |(value, _)| *value);
    let me = member_id(&person);
    let mine_only = me.is_some() && query.who.as_deref() == Some("mine");
    // Open ones are read oldest first (the longest waiting lead) and shown
    // soonest due first, so the overdue lead; closed ones latest first.
    let order = if status == "open" { "oldest" } else { "newest" };
    let mut path = format!("/actions?status={status}&order={order}");
    let mut here = format!("/actions?status={status}");
    if let (Some(me), true) = (me, mine_only) {
        path.push_str(&format!("&owner_id={me}"));
        here.push_str("&who=mine");
    }
    let listed: Listed<ActionView> =
        state.read_listed((&session, &person, &request), &path, query.cursor.as_deref()).await?;
    let pagination = listed.pagination(&here);
    let more = listed.has_more();
    let mut actions = listed.items;
    let page = (&session, &person, &request);
    let names = MemberNames::read(&state, page, actions.iter().map(|a| a.owner_id)).await?;
    if status == "open" {
        actions.sort_by_key(|a| a.due_on);
    } else {
        actions.sort_by(|a, b| b.completed_on.cmp(&a.completed_on).then(b.updated_at.cmp(&a.updated_at)));
    }
    let (own, others): (Vec<&ActionView>, Vec<&ActionView>) =
        actions.iter().partition(|a| Some(a.owner_id) == me);
    let state_words = STATES.iter().find(|(value, _)| *value == status).map_or("Open", |(_, text)| *text);
    let mut tables = Vec::new();
    if me.is_some() {
        tables.push(json!({
            "table": (!own.is_empty()).then(|| actions_table("Your actions", &own, &names)),
            "heading": "Your actions",
            "empty": format!("You have no {} actions.", state_words.to_lowercase()),
        }));
    }
    if !mine_only {
        let heading = if me.is_some() { "Everyone else's actions" } else { "Actions" };
        tables.push(json!({
            "table": (!others.is_empty()).then(|| actions_table(heading, &others, &names)),
            "heading": heading,
            "empty": format!("There are no {} actions.", state_words.to_lowercase()),
        }));
    }
    let overdue = actions.iter().filter(|a| a.overdue).count();
    let who = me.map(|_| {
        json!({
            "name": "who",
            "idPrefix": "who",
            "classes": "govuk-radios--inline govuk-radios--small",
            "fieldset": {"legend": {"text": "Whose", "classes": "govuk-fieldset__legend--s"}},
            "items": [
                {"value": "all", "text": "Mine, then everyone's", "checked": !mine_only},
                {"value": "mine", "text": "Mine only", "checked": mine_only},
            ],
        })
    });
    let states = json!({
        "name": "status",
        "idPrefix": "status",
        "classes": "govuk-radios--inline govuk-radios--small",
        "fieldset": {"legend": {"text": "Status", "classes": "govuk-fieldset__legend--s"}},
        "items": STATES.iter().map(|(value, text)| json!({
            "value": value, "text": text, "checked": *value == status,
        })).collect::<Vec<_>>(),
    });
    let frame = state.frame(&session, Some(&person), Section::Actions, "Actions")?;
    state.page(
        &frame,
        "actions.html",
        json!({
            "who": who,
            "states": states,
            "tables": tables,
            "overdue": match (overdue, more) {
                (0, _) => None,
                (1, false) => Some("1 action is overdue.".to_owned()),
                (n, false) => Some(format!("{n} actions are overdue.")),
                (1, true) => Some("1 action on this page is overdue.".to_owned()),
                (n, true) => Some(format!("{n} actions on this page are overdue.")),
            },
            "pagination": pagination,
            "may_create": holds_any(&person, OFFICE),
        }),
    )
}

/// The forms of an action's page as they are to be shown: empty with a new
/// key each, or one of them as it was sent and refused, with its key.
#[derive(Debug)]
struct ActionForms {
    /// Why the api refused the form just sent, if it did.
    errors: FieldErrors,
    /// Progress: the day (today unless typed) and the note.
    progress: (DateParts, TextForm),
    /// Done: the closing note.
    done: TextForm,
    /// A new due date and why.
    reschedule: (DateParts, TextForm),
    /// The new owner chosen and why.
    reassign: (Option<Uuid>, TextForm),
    /// Why it is cancelled.
    cancel: TextForm,
}

impl ActionForms {
    fn fresh() -> Self {
        Self {
            errors: FieldErrors::default(),
            progress: (DateParts::of(london_day(Utc::now())), TextForm::fresh()),
            done: TextForm::fresh(),
            reschedule: (DateParts::default(), TextForm::fresh()),
            reassign: (None, TextForm::fresh()),
            cancel: TextForm::fresh(),
        }
    }
}

/// What an action links to, read for its name: a page that cannot have
/// them shows the link without.
struct Links {
    decision: Option<(Uuid, String)>,
    meeting: Option<(Uuid, String)>,
}

impl Links {
    async fn of(state: &State, person: &Person, action: &ActionView) -> Self {
        let decision = match action.decision_id {
            Some(id) => {
                let read = state.api.get::<DecisionView>(&person.token, &format!("/decisions/{id}")).await;
                Some((id, read.map_or_else(|_| "The decision".to_owned(), |d| d.title)))
            }
            None => None,
        };
        let meeting = match &action.meeting_item {
            Some(item) => {
                let id = item.meeting_id;
                let read = state.api.get::<MeetingView>(&person.token, &format!("/meetings/{id}")).await;
                let name = read.map_or_else(
                    |_| "The meeting".to_owned(),
                    |m| format!("{}, {}", m.title, long_date(london_day(m.starts_at))),
                );
                Some((id, name))
            }
            None => None,
        };
        Self { decision, meeting }
    }
}

fn link_html(href: &str, text: &str) -> String {
    format!("<a class=\"govuk-link\" href=\"{href}\">{}</a>", tera::escape_html(text))
}

/// The summary of an action: its owner, due date, status and links.
fn summary(action: &ActionView, names: &MemberNames, links: &Links) -> Value {
    let text = |key: &str, value: String| json!({"key": {"text": key}, "value": {"text": value}});
    let html = |key: &str, value: String| json!({"key": {"text": key}, "value": {"html": value}});
    let mut rows = vec![
        text("Owner", names.of_id(action.owner_id)),
        text("Due", long_date(action.due_on)),
        html("Status", status_tag(action)),
    ];
    if let Some(description) = &action.description {
        rows.push(text("Detail", description.clone()));
    }
    match (action.status, action.completed_on) {
        (ActionStatus::Completed, Some(on)) => rows.push(text("Done", long_date(on))),
        (ActionStatus::Cancelled, _) => {
            rows.push(text("Why it was cancelled", action.closing_note.clone().unwrap_or_default()));
        }
        _ => {}
    }
    if action.status == ActionStatus::Completed
        && let Some(note) = &action.closing_note
    {
        rows.push(text("Closing note", note.clone()));
    }
    if let Some((id, title)) = &links.decision {
        rows.push(html("Decision", link_html(&format!("/decisions/{id}"), title)));
    }
    if let Some((id, name)) = &links.meeting {
        rows.push(html("Agreed at", link_html(&format!("/meetings/{id}"), name)));
    }
    json!({"rows": rows})
}

fn render_action(
    state: &State,
    session: &Session,
    person: &Person,
    (action, members, links): (&ActionView, &[MemberView], &Links),
    forms: ActionForms,
    banner: Option<&str>,
) -> Result<HttpResponse, PageError> {
    let errors = &forms.errors;
    let names = MemberNames::of(members);
    let steps = Steps::of(person, action);
    let progress: Vec<Value> =
        action.progress.iter().rev().map(|p| json!({"on": long_date(p.on), "note": p.note})).collect();
    let reschedules: Vec<String> = action
        .reschedules
        .iter()
        .map(|r| format!("From {} to {}: {}", long_date(r.from), long_date(r.to), r.reason))
        .collect();
    let previous_owners: Vec<String> = action.previous_owners.iter().map(|id| names.of_id(*id)).collect();
    let textarea = |name: &str, id: &str, label: &str, form: &TextForm| {
        json!({
            "name": name, "id": id, "rows": 3,
            "label": {"text": label, "classes": "govuk-label--s"},
            "value": form.text,
            "errorMessage": errors.message(id),
        })
    };
    let mut current: Vec<&MemberView> =
        members.iter().filter(|m| m.status == MemberStatus::Member && m.id != action.owner_id).collect();
    current.sort_by(|a, b| a.name.cmp(&b.name));
    let owners = json!({
        "name": "owner_id", "id": "reassign-owner",
        "label": {"text": "New owner", "classes": "govuk-label--s"},
        "items": std::iter::once(json!({"value": "", "text": "Choose a member"}))
            .chain(current.iter().map(|m| json!({
                "value": m.id, "text": m.name, "selected": forms.reassign.0 == Some(m.id),
            })))
            .collect::<Vec<_>>(),
        "errorMessage": errors.message("reassign-owner"),
    });
    let frame = state.frame(session, Some(person), Section::Actions, action.title.clone())?;
    let status = errors.status();
    state.page_with(
        status,
        &frame,
        "action.html",
        json!({
            "id": action.id,
            "summary": summary(action, &names, links),
            "progress": progress,
            "reschedules": reschedules,
            "previous_owners": previous_owners,
            "steps": {"report": steps.report, "manage": steps.manage},
            "error_summary": errors.summary(),
            "banner": banner.map(|text| json!({"type": "success", "text": text})),
            "progress_form": {
                "on": forms.progress.0.input(("on", "progress-on"), "Date", Some("For example, 27 3 2026"), errors),
                "note": textarea("note", "progress-note", "What has happened", &forms.progress.1),
                "key": forms.progress.1.key,
            },
            "done_form": {
                "note": textarea("note", "done-note", "Closing note (optional)", &forms.done),
                "key": forms.done.key,
            },
            "reschedule_form": {
                "due_on": forms.reschedule.0.input(
                    ("due_on", "due-on"), "New due date", Some("For example, 27 3 2026"), errors,
                ),
                "reason": textarea("reason", "reschedule-reason", "Why it is moving", &forms.reschedule.1),
                "key": forms.reschedule.1.key,
            },
            "reassign_form": {
                "owner": owners,
                "reason": textarea("reason", "reassign-reason", "Why (optional)", &forms.reassign.1),
                "key": forms.reassign.1.key,
            },
            "cancel_form": {
                "reason": textarea("reason", "cancel-reason", "Why it is being cancelled", &forms.cancel),
                "key": forms.cancel.key,
            },
        }),
    )
}

impl RecordForms for ActionForms {
    const PATH: &'static str = "/actions";
    type Loaded = (ActionView, Vec<MemberView>, Links);

    /// The action, the group's members (for names and the new owner), and what
    /// it links to.
    async fn load(
        (state, session, request): Page<'_>,
        person: &Person,
        id: Uuid,
    ) -> Result<Self::Loaded, PageError> {
        let action: ActionView = state.read(session, person, request, &format!("/actions/{id}")).await?;
        let members: Vec<MemberView> = state.read_all(session, person, request, "/members?limit=200").await?;
        let links = Links::of(state, person, &action).await;
        Ok((action, members, links))
    }

    fn render(
        self,
        (state, session, _): Page<'_>,
        person: &Person,
        (action, members, links): &Self::Loaded,
        banner: Option<&str>,
    ) -> Result<HttpResponse, PageError> {
        render_action(state, session, person, (action, members, links), self, banner)
    }

    fn errors(&self) -> &FieldErrors {
        &self.errors
    }
}

/// What `?done=` says was just done, word by word.
const DONE: &[(&str, &str)] = &[
    ("created", "The action was agreed"),
    ("progress", "Your progress note was added"),
    ("completed", "The action was marked done"),
    ("rescheduled", "The due date was changed"),
    ("reassigned", "The action was passed on"),
    ("cancelled", "The action was cancelled"),
];

#[get("/actions/{id}")]
pub(super) async fn action_page(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    query: web::Query<DoneQuery>,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let page = (&**state, &session, &request);
    ActionForms::fresh().shown(page, &person, *id, query.banner(DONE)).await
}

/// `text` if it is not blank.
pub(super) fn given(text: &str) -> Option<String> {
    Some(text.trim()).filter(|t| !t.is_empty()).map(|_| text.to_owned())
}

/// A date the form's own check refused: the page again, 422.
fn date_error(id: &str, message: String) -> FieldErrors {
    FieldErrors { errors: vec![(format!("{id}-day"), message)] }
}

#[post("/actions/{id}/progress")]
pub(super) async fn report_progress(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    Posted { person, form, key }: Posted,
) -> Result<HttpResponse, PageError> {
    let (on, note) = (form.date("on"), form.text("note"));
    // The same key on a refusal: the refused submission recorded nothing.
    let refused = |errors: FieldErrors| ActionForms {
        errors,
        progress: (on.clone(), TextForm { text: note.clone(), key: key.clone() }),
        ..ActionForms::fresh()
    };
    let day = match on.parse("The date") {
        Ok(day) => day,
        Err(message) => {
            let forms = refused(date_error("progress-on", message));
            return forms.refused((&state, &session, &request), &person, *id).await;
        }
    };
    let body = ActionProgressRequest { on: day, note: NoteText(note.clone()) };
    let fields = [("/note", "progress-note", "The note"), ("/on", "progress-on-day", "The date")];
    let page = (&**state, &session, &request);
    ActionForms::send(page, &person, (*id, "progress", "progress"), (&body, &key), (&fields, refused)).await
}

#[post("/actions/{id}/completion")]
pub(super) async fn complete(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    Posted { person, form, key }: Posted,
) -> Result<HttpResponse, PageError> {
    let note = form.text("note");
    let refused = |errors: FieldErrors| ActionForms {
        errors,
        done: TextForm { text: note.clone(), key: key.clone() },
        ..ActionForms::fresh()
    };
    // Done today, as the office's calendar reads.
    let body = CompleteActionRequest { on: london_day(Utc::now()), note: given(&note).map(NoteText) };
    let fields = [("/note", "done-note", "The closing note")];
    let page = (&**state, &session, &request);
    ActionForms::send(page, &person, (*id, "completion", "completed"), (&body, &key), (&fields, refused))
        .await
}

#[post("/actions/{id}/reschedule")]
pub(super) async fn reschedule(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    Posted { person, form, key }: Posted,
) -> Result<HttpResponse, PageError> {
    let (due_on, reason) = (form.date("due_on"), form.text("reason"));
    let refused = |errors: FieldErrors| ActionForms {
        errors,
        reschedule: (due_on.clone(), TextForm { text: reason.clone(), key: key.clone() }),
        ..ActionForms::fresh()
    };
    let day = match due_on.parse("The new due date") {
        Ok(day) => day,
        Err(message) => {
            let mut errors = date_error("due-on", message);
            if reason.trim().is_empty() {
                errors.errors.push(("reschedule-reason".into(), "Enter why it is moving".into()));
            }
            let forms = refused(errors);
            return forms.refused((&state, &session, &request), &person, *id).await;
        }
    };
    let body = RescheduleActionRequest { due_on: day, reason: NoteText(reason.clone()) };
    let fields =
        [("/due_on", "due-on-day", "The new due date"), ("/reason", "reschedule-reason", "The reason")];
    let page = (&**state, &session, &request);
    ActionForms::send(page, &person, (*id, "reschedule", "rescheduled"), (&body, &key), (&fields, refused))
        .await
}

#[post("/actions/{id}/reassignment")]
pub(super) async fn reassign(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    Posted { person, form, key }: Posted,
) -> Result<HttpResponse, PageError> {
    let (owner, reason) = (form.text("owner_id").parse::<Uuid>().ok(), form.text("reason"));
    let refused = |errors: FieldErrors| ActionForms {
        errors,
        reassign: (owner, TextForm { text: reason.clone(), key: key.clone() }),
        ..ActionForms::fresh()
    };
    let Some(owner_id) = owner else {
        let errors = FieldErrors { errors: vec![("reassign-owner".into(), "Select the new owner".into())] };
        return refused(errors).refused((&state, &session, &request), &person, *id).await;
    };
    let body = ReassignActionRequest { owner_id, reason: given(&reason).map(NoteText) };
    let fields =
        [("/owner_id", "reassign-owner", "The new owner"), ("/reason", "reassign-reason", "The reason")];
    let page = (&**state, &session, &request);
    ActionForms::send(page, &person, (*id, "reassignment", "reassigned"), (&body, &key), (&fields, refused))
        .await
}

#[post("/actions/{id}/cancellation")]
pub(super) async fn cancel(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    Posted { person, form, key }: Posted,
) -> Result<HttpResponse, PageError> {
    let reason = form.text("reason");
    let refused = |errors: FieldErrors| ActionForms {
        errors,
        cancel: TextForm { text: reason.clone(), key: key.clone() },
        ..ActionForms::fresh()
    };
    let body = CancelActionRequest { reason: NoteText(reason.clone()) };
    let fields = [("/reason", "cancel-reason", "The reason")];
    let page = (&**state, &session, &request);
    ActionForms::send(page, &person, (*id, "cancellation", "cancelled"), (&body, &key), (&fields, refused))
        .await
}

/// The new action form as typed.
#[derive(Debug, Default)]
struct NewAction {
    title: String,
    description: String,
    owner: String,
    due_on: DateParts,
    decision: String,
    classification: String,
}

fn render_new(
    state: &State,
    session: &Session,
    person: &Person,
    (members, decisions): (&[MemberView], &[DecisionView]),
    (form, errors, key): (&NewAction, FieldErrors, String),
) -> Result<HttpResponse, PageError> {
    let mut current: Vec<&MemberView> = members.iter().filter(|m| m.status == MemberStatus::Member).collect();
    current.sort_by(|a, b| a.name.cmp(&b.name));
    let owners: Vec<Value> = std::iter::once(json!({"value": "", "text": "Choose a member"}))
        .chain(current.iter().map(|m| {
            let value = m.id.to_string();
            json!({"value": value, "text": m.name, "selected": value == form.owner})
        }))
        .collect();
    let choices: Vec<Value> = std::iter::once(json!({"value": "", "text": "None"}))
        .chain(decisions.iter().map(|d| {
            let value = d.id.to_string();
            json!({
                "value": value,
                "text": format!("{} ({})", d.title, long_date(d.decided_on)),
                "selected": value == form.decision,
            })
        }))
        .collect();
    let frame = state.frame(session, Some(person), Section::Actions, "Agree an action")?;
    let status = errors.status();
    state.page_with(
        status,
        &frame,
        "action-form.html",
        json!({
            "key": key,
            "error_summary": errors.summary(),
            "title": {
                "name": "title", "id": "title",
                "label": {"text": "What is to be done", "classes": "govuk-label--s"},
                "value": form.title,
                "errorMessage": errors.message("title"),
            },
            "description": {
                "name": "description", "id": "description", "rows": 3,
                "label": {"text": "More detail (optional)", "classes": "govuk-label--s"},
                "value": form.description,
                "errorMessage": errors.message("description"),
            },
            "owner": {
                "name": "owner_id", "id": "owner",
                "label": {"text": "Owner", "classes": "govuk-label--s"},
                "hint": {"text": "The member who will do it"},
                "items": owners,
                "errorMessage": errors.message("owner"),
            },
            "due_on": form.due_on.input(("due_on", "due-on"), "Due date", Some("For example, 27 3 2026"), &errors),
            "decision": {
                "name": "decision_id", "id": "decision",
                "label": {"text": "The decision it carries out (optional)", "classes": "govuk-label--s"},
                "items": choices,
                "errorMessage": errors.message("decision"),
            },
            "classification": classification_radios(&form.classification, &errors),
        }),
    )
}

/// The current members and the decisions in force, for the new action form.
async fn load_choices(
    state: &State,
    session: &Session,
    person: &Person,
    request: &HttpRequest,
) -> Result<(Vec<MemberView>, Vec<DecisionView>), PageError> {
    let members: Vec<MemberView> = state.read_all(session, person, request, "/members?limit=200").await?;
    // The latest recorded of the decisions in force: an action carries out a
    // recent decision, and a select of every one ever made helps no one.
    let listed: Listed<DecisionView> = state
        .read_listed((session, person, request), "/decisions?status=in_force&order=newest", None)
        .await?;
    let mut decisions = listed.items;
    decisions.sort_by_key(|d| std::cmp::Reverse(d.decided_on));
    Ok((members, decisions))
}

#[get("/actions/new")]
pub(super) async fn new_page(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let (members, decisions) = load_choices(&state, &session, &person, &request).await?;
    let form = NewAction { classification: wire_word(ChosenClassification::Group), ..NewAction::default() };
    let fresh = (&form, FieldErrors::default(), session::random_hex());
    render_new(&state, &session, &person, (&members, &decisions), fresh)
}

#[post("/actions")]
pub(super) async fn create(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    Posted { person, form: sent, key }: Posted,
) -> Result<HttpResponse, PageError> {
    let form = NewAction {
        title: sent.text("title"),
        description: sent.text("description"),
        owner: sent.text("owner_id"),
        due_on: sent.date("due_on"),
        decision: sent.text("decision_id"),
        classification: sent.text("classification"),
    };
    let owner = form.owner.parse::<Uuid>().ok();
    let due_on = form.due_on.parse("The due date");
    let classification =
        serde_json::from_value::<ChosenClassification>(Value::String(form.classification.clone())).ok();
    let mut errors = Vec::new();
    if owner.is_none() {
        errors.push(("owner".to_owned(), "Select who owns the action".to_owned()));
    }
    if let Err(message) = &due_on {
        errors.push(("due-on-day".to_owned(), message.clone()));
    }
    if classification.is_none() {
        errors.push(("classification".to_owned(), "Select who can read it".to_owned()));
    }
    let (Some(owner_id), Ok(due_on), Some(classification), true) =
        (owner, due_on, classification, errors.is_empty())
    else {
        let (members, decisions) = load_choices(&state, &session, &person, &request).await?;
        let refused = (&form, FieldErrors { errors }, key);
        return render_new(&state, &session, &person, (&members, &decisions), refused);
    };
    let body = CreateActionRequest {
        title: TitleText(form.title.clone()),
        description: given(&form.description).map(NoteText),
        owner_id,
        due_on,
        decision_id: form.decision.parse().ok(),
        classification,
    };
    let fields = [
        ("/title", "title", "What is to be done"),
        ("/description", "description", "The detail"),
        ("/owner_id", "owner", "The owner"),
        ("/due_on", "due-on-day", "The due date"),
        ("/decision_id", "decision", "The decision"),
        ("/classification", "classification", "Who can read it"),
    ];
    let to = |made: ActionView| format!("/actions/{}?done=created", made.id);
    let again = async |errors: FieldErrors| {
        let (members, decisions) = load_choices(&state, &session, &person, &request).await?;
        render_new(&state, &session, &person, (&members, &decisions), (&form, errors, key.clone()))
    };
    let page = (&**state, &session, &request);
    send(page, &person, ("/actions", &body, &key), to, (&fields, again)).await
}
