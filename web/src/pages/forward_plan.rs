//! The forward plan: the council's coming executive decisions as the group
//! tracks them, by the day each is expected, those due soon without the
//! group's position flagged; one item with the group's position and its
//! briefing actions; and the office's writes: an item entered or corrected,
//! the council's CSV imported, the position recorded, a briefing action made.

use std::collections::BTreeSet;

use actix_multipart::Multipart;
use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, get, http::StatusCode, post, web};
use caucus_wire::actions::{ActionView, CreateActionRequest};
use caucus_wire::audit::RecordType;
use caucus_wire::forward_plan::{
    AgreePositionRequest, EnterForwardPlanItemRequest, ForwardPlanItemView, ForwardPlanStatus, ImportReport,
    LinkBriefingActionRequest, PlanEntry,
};
use caucus_wire::members::{MemberStatus, MemberView};
use caucus_wire::{ChosenClassification, NoteText, Problem, TitleText};
use serde::Deserialize;
use serde_json::{Value, json};
use uuid::Uuid;

use super::actions::status_tag as action_tag;
use super::paging::Listed;
use super::query::DoneQuery;
use super::record::RecordForms;
use super::{
    DateParts, FieldErrors, OFFICE, Page, PageError, Posted, SentForm, State, UploadForm,
    classification_radios, see_other, signed_in,
};
use crate::api::ApiFailure;
use crate::present::{long_date, paragraphs, sentence, tag_html, wire_word, words};
use crate::render::{Section, holds_any};
use crate::session::{self, Person};

/// How far ahead a decision without the group's position is flagged: as far
/// as My work looks for them (the api's `POSITIONS_AHEAD_DAYS`).
const POSITION_NEEDED_WITHIN_DAYS: u16 = 30;

/// The largest CSV the import form takes: a council's whole plan is a few
/// hundred rows.
const MAX_CSV_BYTES: usize = 1024 * 1024;

/// How a status reads, and the colour of its tag.
fn status_words(status: ForwardPlanStatus) -> (&'static str, &'static str) {
    match status {
        ForwardPlanStatus::Tracked => ("No position yet", "govuk-tag--grey"),
        ForwardPlanStatus::PositionAgreed => ("Position agreed", "govuk-tag--green"),
    }
}

/// The item's position as a tag: red when its decision is due soon and the
/// group has none.
fn position_tag(item: &ForwardPlanItemView, needed_soon: bool) -> String {
    if needed_soon {
        return tag_html("Position needed soon", "govuk-tag--red");
    }
    let (text, colour) = status_words(item.status);
    tag_html(text, colour)
}

/// The items due within [`POSITION_NEEDED_WITHIN_DAYS`] without a position,
/// as the api counts from its today.
/// Of `among` (the items a page shows), one api read whatever the plan's size.
async fn needing_position(
    state: &State,
    (session, person, request): (&Session, &Person, &HttpRequest),
    among: &[Uuid],
) -> Result<BTreeSet<Uuid>, PageError> {
    let path = format!(
        "/forward-plan-items?status={}&due_within_days={POSITION_NEEDED_WITHIN_DAYS}",
        wire_word(ForwardPlanStatus::Tracked)
    );
    let items: Vec<ForwardPlanItemView> =
        state.read_by_ids(session, person, request, &path, among.iter().copied()).await?;
    Ok(items.into_iter().map(|item| item.id).collect())
}

#[derive(Debug, Deserialize)]
struct ListQuery {
    /// How many items an import just entered.
    imported: Option<usize>,
    /// Where the page starts: the cursor of the page before.
    cursor: Option<String>,
}

#[get("/forward-plan")]
pub(super) async fn list(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let page = (&session, &person, &request);
    // The latest entered first, a page at a time; each page by expected date.
    let listed: Listed<ForwardPlanItemView> =
        state.read_listed(page, "/forward-plan-items?order=newest", query.cursor.as_deref()).await?;
    let pagination = listed.pagination("/forward-plan");
    let mut items = listed.items;
    let ids: Vec<Uuid> = items.iter().map(|item| item.id).collect();
    let soon = needing_position(&state, page, &ids).await?;
    items.sort_by(|a, b| {
        (a.entry.expected_on, &a.entry.title.0).cmp(&(b.entry.expected_on, &b.entry.title.0))
    });
    let rows: Vec<Value> = items
        .iter()
        .map(|item| {
            let entry = &item.entry;
            let key = if entry.key_decision { ", key decision" } else { "" };
            let link = format!(
                "<a class=\"govuk-link\" href=\"/forward-plan/{}\">{}</a><span class=\"govuk-body-s govuk-!-display-block govuk-!-margin-top-1 govuk-!-margin-bottom-0\">{}{key}</span>",
                item.id,
                tera::escape_html(&entry.title.0),
                tera::escape_html(&entry.decision_maker.0),
            );
            json!([
                {"html": link},
                {"text": long_date(entry.expected_on)},
                {"html": position_tag(item, soon.contains(&item.id))},
            ])
        })
        .collect();
    let needing = match soon.len() {
        0 => None,
        1 => Some(format!("1 decision due within {POSITION_NEEDED_WITHIN_DAYS} days has no group position.")),
        n => Some(format!(
            "{n} decisions due within {POSITION_NEEDED_WITHIN_DAYS} days have no group position."
        )),
    };
    let banner = query.imported.map(|n| match n {
        1 => "1 item was imported".to_owned(),
        n => format!("{n} items were imported"),
    });
    let frame = state.frame(&session, Some(&person), Section::ForwardPlan, "Forward plan")?;
    state.page(
        &frame,
        "forward-plan.html",
        json!({
            "pagination": pagination,
            "table": {
                "caption": "Coming decisions",
                "captionClasses": "govuk-visually-hidden",
                "head": [{"text": "Decision"}, {"text": "Expected"}, {"text": "Group position"}],
                "rows": rows,
            },
            "count": items.len(),
            "needing": needing,
            "banner": banner.map(|text| json!({"type": "success", "text": text})),
            "may_write": holds_any(&person, OFFICE),
        }),
    )
}

/// The briefing action form as typed.
#[derive(Debug, Default)]
struct BriefingForm {
    title: String,
    owner: String,
    due_on: DateParts,
    key: String,
}

/// The forms of an item's page as they are to be shown: fresh, or one of
/// them as it was sent and refused, with its key.
#[derive(Debug)]
struct ItemForms {
    errors: FieldErrors,
    /// The position as typed (`None`: as it stands), and the key.
    position: (Option<String>, String),
    briefing: BriefingForm,
}

impl ItemForms {
    fn fresh() -> Self {
        Self {
            errors: FieldErrors::default(),
            position: (None, session::random_hex()),
            briefing: BriefingForm { key: session::random_hex(), ..BriefingForm::default() },
        }
    }
}

/// What an item's page shows beside the item: its briefing actions, and the
/// members who may own a new one (the office's form only).
struct Around {
    actions: Vec<ActionView>,
    members: Vec<MemberView>,
}

/// The rows saying what the forward plan says, each with a change link for
/// the office.
fn entry_rows(item: &ForwardPlanItemView, may_write: bool) -> Vec<Value> {
    let entry = &item.entry;
    let row = |key: &str, value: String, field: &str| {
        let actions = may_write.then(|| {
            json!({"items": [{
                "href": format!("/forward-plan/{}/edit#{field}", item.id),
                "text": "Change",
                "visuallyHiddenText": key.to_lowercase(),
            }]})
        });
        json!({"key": {"text": key}, "value": {"text": value}, "actions": actions})
    };
    let or_none =
        |value: &Option<TitleText>| value.as_ref().map_or_else(|| "None given".to_owned(), |v| v.0.clone());
    let wards = if entry.wards.is_empty() {
        "None named".to_owned()
    } else {
        entry.wards.iter().map(|w| w.0.as_str()).collect::<Vec<_>>().join(", ")
    };
    vec![
        row("Decision maker", entry.decision_maker.0.clone(), "decision-maker"),
        row("Expected", long_date(entry.expected_on), "expected-on-day"),
        row("Key decision", if entry.key_decision { "Yes" } else { "No" }.to_owned(), "key-decision"),
        row("Wards", wards, "wards"),
        row("Portfolio", or_none(&entry.portfolio), "portfolio"),
        row("Council reference", or_none(&entry.reference), "reference"),
    ]
}

fn render_item(
    state: &State,
    session: &Session,
    person: &Person,
    (item, around, soon): (&ForwardPlanItemView, &Around, bool),
    forms: ItemForms,
    banner: Option<&str>,
) -> Result<HttpResponse, PageError> {
    let errors = &forms.errors;
    let may_write = holds_any(person, OFFICE);
    let mut rows =
        vec![json!({"key": {"text": "Group position"}, "value": {"html": position_tag(item, soon)}})];
    rows.extend(entry_rows(item, may_write));
    rows.push(json!({"key": {"text": "Who can read it"}, "value": {"text": words(item.classification)}}));
    let actions: Vec<Value> = around
        .actions
        .iter()
        .map(|a| json!({"id": a.id, "title": a.title, "due": long_date(a.due_on), "tag": action_tag(a)}))
        .collect();
    let mut current: Vec<&MemberView> =
        around.members.iter().filter(|m| m.status == MemberStatus::Member).collect();
    current.sort_by(|a, b| a.name.cmp(&b.name));
    let briefing = &forms.briefing;
    let owners: Vec<Value> = std::iter::once(json!({"value": "", "text": "Choose a member"}))
        .chain(current.iter().map(|m| {
            let value = m.id.to_string();
            json!({"value": value, "text": m.name, "selected": value == briefing.owner})
        }))
        .collect();
    let earlier: Vec<Value> = item
        .previous_entries
        .iter()
        .rev()
        .map(|e| json!({"title": e.title.0, "expected": long_date(e.expected_on), "by": e.decision_maker.0}))
        .collect();
    let position_text = forms.position.0.as_deref().or(item.position.as_deref()).unwrap_or_default();
    let frame = state.frame(session, Some(person), Section::ForwardPlan, item.entry.title.0.clone())?;
    state.page_with(
        errors.status(),
        &frame,
        "forward-plan-item.html",
        json!({
            "id": item.id,
            "summary": {"rows": rows},
            "position": item.position.as_deref().map(paragraphs),
            "actions": actions,
            "earlier": earlier,
            "history": format!("/history/{}/{}", RecordType::ForwardPlanItem.as_str(), item.id),
            "may_write": may_write,
            "error_summary": errors.summary(),
            "banner": banner.map(|text| json!({"type": "success", "text": text})),
            "position_form": {
                "key": forms.position.1,
                "button": "Save the position",
                "text": {
                    "name": "position", "id": "position", "rows": 4,
                    "label": {
                        "text": if item.position.is_some() { "Change the group's position" } else { "Record the group's position" },
                        "classes": "govuk-label--s",
                    },
                    "hint": {"text": "As the group agreed it: what its members will say and how they will vote"},
                    "value": position_text,
                    "errorMessage": errors.message("position"),
                },
            },
            "briefing_form": {
                "key": briefing.key,
                "title": {
                    "name": "title", "id": "briefing-title",
                    "label": {"text": "What is to be done", "classes": "govuk-label--s"},
                    "hint": {"text": "For example, Brief the group on the options before Cabinet"},
                    "value": briefing.title,
                    "errorMessage": errors.message("briefing-title"),
                },
                "owner": {
                    "name": "owner_id", "id": "briefing-owner",
                    "label": {"text": "Owner", "classes": "govuk-label--s"},
                    "items": owners,
                    "errorMessage": errors.message("briefing-owner"),
                },
                "due_on": briefing.due_on.input(
                    ("due_on", "briefing-due-on"), "Due date",
                    Some(&format!("Before the decision on {}. For example, 27 3 2026", long_date(item.entry.expected_on))),
                    errors,
                ),
            },
        }),
    )
}

impl RecordForms for ItemForms {
    const PATH: &'static str = "/forward-plan";
    const API_PATH: &'static str = "/forward-plan-items";
    type Loaded = (ForwardPlanItemView, Around, bool);

    /// The item and what its page shows beside it.
    async fn load(
        (state, session, request): Page<'_>,
        person: &Person,
        id: Uuid,
    ) -> Result<Self::Loaded, PageError> {
        let item: ForwardPlanItemView =
            state.read(session, person, request, &format!("/forward-plan-items/{id}")).await?;
        let actions = if item.briefing_actions.is_empty() {
            Vec::new()
        } else {
            let ids = item.briefing_actions.iter().copied();
            let linked: Vec<ActionView> =
                state.read_by_ids(session, person, request, "/actions", ids).await?;
            // In the order they were linked; one the person may not read is left out.
            item.briefing_actions
                .iter()
                .filter_map(|id| linked.iter().find(|a| a.id == *id).cloned())
                .collect()
        };
        let members = if holds_any(person, OFFICE) {
            state.read_all(session, person, request, "/members?limit=200").await?
        } else {
            Vec::new()
        };
        let soon = item.status == ForwardPlanStatus::Tracked
            && needing_position(state, (session, person, request), &[id]).await?.contains(&id);
        Ok((item, Around { actions, members }, soon))
    }

    fn render(
        self,
        (state, session, _): Page<'_>,
        person: &Person,
        (item, around, soon): &Self::Loaded,
        banner: Option<&str>,
    ) -> Result<HttpResponse, PageError> {
        render_item(state, session, person, (item, around, *soon), self, banner)
    }

    fn errors(&self) -> &FieldErrors {
        &self.errors
    }
}

/// What `?done=` says was just done, word by word.
const DONE: &[(&str, &str)] = &[
    ("entered", "The item was entered"),
    ("changed", "The item was changed"),
    ("position", "The group's position was recorded"),
    ("briefing", "The briefing action was agreed"),
];

#[get("/forward-plan/{id}")]
pub(super) async fn item_page(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    query: web::Query<DoneQuery>,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let page = (&**state, &session, &request);
    ItemForms::fresh().shown(page, &person, *id, query.banner(DONE)).await
}

#[post("/forward-plan/{id}/position")]
pub(super) async fn record_position(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    Posted { person, form, key }: Posted,
) -> Result<HttpResponse, PageError> {
    let text = form.text("position");
    let id = *id;
    let body = AgreePositionRequest { position: NoteText(text.clone()) };
    let fields = [("/position", "position", "The position")];
    // The same key: the refused submission recorded nothing.
    let refused = |errors| ItemForms { errors, position: (Some(text), key.clone()), ..ItemForms::fresh() };
    let page = (&**state, &session, &request);
    ItemForms::send(page, &person, (id, "position", "position"), (&body, &key), (&fields, refused)).await
}

/// Where the api's refusal of a briefing action falls on the form.
const BRIEFING_FIELDS: &[(&str, &str, &str)] = &[
    ("/title", "briefing-title", "What is to be done"),
    ("/owner_id", "briefing-owner", "The owner"),
    ("/due_on", "briefing-due-on-day", "The due date"),
    ("/action_id", "briefing-title", "The action"),
];

#[post("/forward-plan/{id}/briefing-actions")]
pub(super) async fn add_briefing_action(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    Posted { person, form: sent, key }: Posted,
) -> Result<HttpResponse, PageError> {
    let id = *id;
    let typed = BriefingForm {
        title: sent.text("title"),
        owner: sent.text("owner_id"),
        due_on: sent.date("due_on"),
        key: key.clone(),
    };
    let owner = typed.owner.parse::<Uuid>().ok();
    let due_on = typed.due_on.parse("The due date");
    let mut errors = Vec::new();
    if owner.is_none() {
        errors.push(("briefing-owner".to_owned(), "Select who owns the action".to_owned()));
    }
    if let Err(message) = &due_on {
        errors.push(("briefing-due-on-day".to_owned(), message.clone()));
    }
    let page = (&**state, &session, &request);
    let (Some(owner_id), Ok(due_on), true) = (owner, due_on, errors.is_empty()) else {
        let forms = ItemForms { errors: FieldErrors { errors }, briefing: typed, ..ItemForms::fresh() };
        return forms.refused(page, &person, id).await;
    };
    let item: ForwardPlanItemView =
        state.read(&session, &person, &request, &format!("/forward-plan-items/{id}")).await?;
    // The action is the group's own work, whoever may read the plan.
    let body = CreateActionRequest {
        title: TitleText(typed.title.clone()),
        description: Some(NoteText(format!(
            "A briefing for the forward plan decision “{}” ({}, expected {}).",
            item.entry.title.0,
            item.entry.decision_maker.0,
            long_date(item.entry.expected_on)
        ))),
        owner_id,
        due_on,
        decision_id: None,
        classification: ChosenClassification::Group,
    };
    // Two writes under keys made from the form's: a repeat of the form finds
    // the action it made and links it, never a second one.
    let made: Result<ActionView, ApiFailure> =
        state.api.post(&person.token, "/actions", &body, &format!("{}.action", typed.key)).await;
    let linked = match made {
        Ok(action) => {
            let link = LinkBriefingActionRequest { action_id: action.id };
            let path = format!("/forward-plan-items/{id}/briefing-actions");
            state
                .api
                .post::<_, ForwardPlanItemView>(&person.token, &path, &link, &typed.key)
                .await
                .map(|_| ())
        }
        Err(failure) => Err(failure),
    };
    match linked {
        Ok(()) => Ok(see_other(&format!("/forward-plan/{id}?done=briefing"))),
        Err(ApiFailure::Refused(problem)) if problem.status == 422 => {
            let errors = FieldErrors::from_problem(&problem, BRIEFING_FIELDS);
            let forms = ItemForms { errors, briefing: typed, ..ItemForms::fresh() };
            forms.refused(page, &person, id).await
        }
        Err(failure) => Err(state.refusal(&session, &person, &request, &failure)),
    }
}

/// The entry form (a new item, or a correction of one) as typed.
#[derive(Debug, Default, Clone)]
struct EntryForm {
    title: String,
    decision_maker: String,
    expected_on: DateParts,
    /// `yes` or `no`.
    key_decision: String,
    /// Wards separated by commas.
    wards: String,
    portfolio: String,
    reference: String,
    /// A wire word (a new item only).
    classification: String,
}

impl EntryForm {
    fn of(entry: &PlanEntry) -> Self {
        let text = |value: &Option<TitleText>| value.as_ref().map(|v| v.0.clone()).unwrap_or_default();
        Self {
            title: entry.title.0.clone(),
            decision_maker: entry.decision_maker.0.clone(),
            expected_on: DateParts::of(entry.expected_on),
            key_decision: if entry.key_decision { "yes" } else { "no" }.to_owned(),
            wards: entry.wards.iter().map(|w| w.0.as_str()).collect::<Vec<_>>().join(", "),
            portfolio: text(&entry.portfolio),
            reference: text(&entry.reference),
            classification: String::new(),
        }
    }

    fn sent(form: &SentForm) -> Self {
        Self {
            title: form.text("title"),
            decision_maker: form.text("decision_maker"),
            expected_on: form.date("expected_on"),
            key_decision: form.text("key_decision"),
            wards: form.text("wards"),
            portfolio: form.text("portfolio"),
            reference: form.text("reference"),
            classification: form.text("classification"),
        }
    }

    fn wards(&self) -> Vec<TitleText> {
        self.wards
            .split(',')
            .map(str::trim)
            .filter(|w| !w.is_empty())
            .map(|w| TitleText(w.to_owned()))
            .collect()
    }

    /// The entry, or what is wrong with the fields the page checks itself
    /// (the api checks the texts).
    fn entry(&self) -> Result<PlanEntry, Vec<(String, String)>> {
        let mut errors = Vec::new();
        let expected_on = self.expected_on.parse("The expected date");
        if let Err(message) = &expected_on {
            errors.push(("expected-on-day".to_owned(), message.clone()));
        }
        let key_decision = match self.key_decision.as_str() {
            "yes" => Some(true),
            "no" => Some(false),
            _ => {
                errors.push(("key-decision".to_owned(), "Select whether it is a key decision".to_owned()));
                None
            }
        };
        let optional =
            |text: &str| Some(text.trim()).filter(|t| !t.is_empty()).map(|t| TitleText(t.to_owned()));
        match (expected_on, key_decision) {
            (Ok(expected_on), Some(key_decision)) if errors.is_empty() => Ok(PlanEntry {
                title: TitleText(self.title.clone()),
                decision_maker: TitleText(self.decision_maker.clone()),
                expected_on,
                key_decision,
                wards: self.wards(),
                portfolio: optional(&self.portfolio),
                reference: optional(&self.reference),
            }),
            _ => Err(errors),
        }
    }

    /// The api's refusal of this form at its fields; `prefix` is where the
    /// entry sits in the request (`/entry` for a new item).
    fn refusal(&self, problem: &Problem, prefix: &str) -> FieldErrors {
        let mut owned: Vec<(String, &str, &str)> = [
            ("/title", "title", "The title"),
            ("/decision_maker", "decision-maker", "The decision maker"),
            ("/expected_on", "expected-on-day", "The expected date"),
            ("/key_decision", "key-decision", "Whether it is a key decision"),
            ("/wards", "wards", "A ward"),
            ("/portfolio", "portfolio", "The portfolio"),
            ("/reference", "reference", "The reference"),
        ]
        .into_iter()
        .map(|(pointer, id, name)| (format!("{prefix}{pointer}"), id, name))
        .collect();
        owned.extend((0..self.wards().len()).map(|n| (format!("{prefix}/wards/{n}"), "wards", "A ward")));
        owned.push(("/classification".to_owned(), "classification", "Who can read it"));
        let fields: Vec<(&str, &str, &str)> = owned.iter().map(|(p, i, n)| (p.as_str(), *i, *n)).collect();
        FieldErrors::from_problem(problem, &fields)
    }
}

/// Which entry form: a new item, or a correction of one at a version.
#[derive(Debug, Clone, Copy)]
enum Mode {
    New,
    Edit { id: Uuid, version: u64 },
}

/// An entry form being filled in.
#[derive(Debug)]
struct Entering {
    mode: Mode,
    form: EntryForm,
    errors: FieldErrors,
    key: String,
    /// Someone else's change since the form was shown: what the item says now.
    changed: Option<PlanEntry>,
}

fn render_entry(
    state: &State,
    session: &Session,
    person: &Person,
    entering: Entering,
) -> Result<HttpResponse, PageError> {
    let Entering { mode, form, errors, key, changed } = entering;
    let input = |name: &str, id: &str, label: &str, hint: Option<&str>, value: &str| {
        json!({
            "name": name, "id": id,
            "label": {"text": label, "classes": "govuk-label--s"},
            "hint": hint.map(|text| json!({"text": text})),
            "value": value,
            "errorMessage": errors.message(id),
        })
    };
    let (title, action, back) = match mode {
        Mode::New => {
            ("Enter a forward plan item".to_owned(), "/forward-plan".to_owned(), "/forward-plan".to_owned())
        }
        Mode::Edit { id, .. } => (
            "Change the forward plan item".to_owned(),
            format!("/forward-plan/{id}/edit"),
            format!("/forward-plan/{id}"),
        ),
    };
    let changed = changed.map(|now| {
        format!(
            "Someone else changed this item after you opened the form. It now says: “{}”, by {}, expected {}. Save again to replace it with what is below.",
            now.title.0,
            now.decision_maker.0,
            long_date(now.expected_on)
        )
    });
    let status = if changed.is_some() { StatusCode::CONFLICT } else { errors.status() };
    let frame = state.frame(session, Some(person), Section::ForwardPlan, title)?;
    state.page_with(
        status,
        &frame,
        "forward-plan-form.html",
        json!({
            "action": action,
            "back": back,
            "key": key,
            "version": match mode { Mode::Edit { version, .. } => Some(version), Mode::New => None },
            "changed": changed,
            "error_summary": errors.summary(),
            "title": input("title", "title", "Title", Some("As the forward plan names the decision"), &form.title),
            "decision_maker": input(
                "decision_maker", "decision-maker", "Decision maker", Some("For example, Cabinet"), &form.decision_maker,
            ),
            "expected_on": form.expected_on.input(
                ("expected_on", "expected-on"), "Expected date", Some("For example, 27 3 2026"), &errors,
            ),
            "key_decision": {
                "name": "key_decision", "idPrefix": "key-decision",
                "classes": "govuk-radios--inline",
                "fieldset": {"legend": {"text": "Is it a key decision?", "classes": "govuk-fieldset__legend--s"}},
                "items": [
                    {"value": "yes", "text": "Yes", "checked": form.key_decision == "yes"},
                    {"value": "no", "text": "No", "checked": form.key_decision == "no"},
                ],
                "errorMessage": errors.message("key-decision"),
            },
            "wards": input("wards", "wards", "Wards (optional)", Some("Separate wards with commas"), &form.wards),
            "portfolio": input("portfolio", "portfolio", "Portfolio (optional)", None, &form.portfolio),
            "reference": input("reference", "reference", "Council reference (optional)", None, &form.reference),
            "classification": matches!(mode, Mode::New).then(|| classification_radios(&form.classification, &errors)),
        }),
    )
}

#[get("/forward-plan/new")]
pub(super) async fn new_page(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    // The forward plan is published by the council: public unless chosen otherwise.
    let form = EntryForm { classification: wire_word(ChosenClassification::Public), ..EntryForm::default() };
    let entering = Entering {
        mode: Mode::New,
        form,
        errors: FieldErrors::default(),
        key: session::random_hex(),
        changed: None,
    };
    render_entry(&state, &session, &person, entering)
}

#[post("/forward-plan")]
pub(super) async fn enter(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    Posted { person, form: sent, key }: Posted,
) -> Result<HttpResponse, PageError> {
    let form = EntryForm::sent(&sent);
    let refused = |form: EntryForm, errors: FieldErrors| Entering {
        mode: Mode::New,
        form,
        errors,
        // The same key: the refused submission recorded nothing.
        key: key.clone(),
        changed: None,
    };
    let classification =
        serde_json::from_value::<ChosenClassification>(Value::String(form.classification.clone())).ok();
    let entry = form.entry();
    let (Ok(entry), Some(classification)) = (&entry, classification) else {
        let mut errors = entry.err().unwrap_or_default();
        if classification.is_none() {
            errors.push(("classification".to_owned(), "Select who can read it".to_owned()));
        }
        return render_entry(&state, &session, &person, refused(form, FieldErrors { errors }));
    };
    let body = EnterForwardPlanItemRequest { entry: entry.clone(), classification };
    let made: Result<ForwardPlanItemView, ApiFailure> =
        state.api.post(&person.token, "/forward-plan-items", &body, &key).await;
    match made {
        Ok(item) => Ok(see_other(&format!("/forward-plan/{}?done=entered", item.id))),
        Err(ApiFailure::Refused(problem)) if problem.status == 422 => {
            let errors = form.refusal(&problem, "/entry");
            render_entry(&state, &session, &person, refused(form, errors))
        }
        Err(failure) => Err(state.refusal(&session, &person, &request, &failure)),
    }
}

#[get("/forward-plan/{id}/edit")]
pub(super) async fn edit_page(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let item: ForwardPlanItemView =
        state.read(&session, &person, &request, &format!("/forward-plan-items/{id}")).await?;
    let entering = Entering {
        mode: Mode::Edit { id: item.id, version: item.version },
        form: EntryForm::of(&item.entry),
        errors: FieldErrors::default(),
        key: session::random_hex(),
        changed: None,
    };
    render_entry(&state, &session, &person, entering)
}

#[post("/forward-plan/{id}/edit")]
pub(super) async fn save_edit(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    Posted { person, form: sent, key }: Posted,
) -> Result<HttpResponse, PageError> {
    let version = sent.version()?;
    let (id, key, form) = (*id, key.clone(), EntryForm::sent(&sent));
    let entering =
        |form: EntryForm, errors: FieldErrors, version: u64, changed: Option<PlanEntry>| Entering {
            mode: Mode::Edit { id, version },
            form,
            errors,
            // The same key: the refused submission recorded nothing.
            key: key.clone(),
            changed,
        };
    let entry = match form.entry() {
        Ok(entry) => entry,
        Err(errors) => {
            return render_entry(
                &state,
                &session,
                &person,
                entering(form, FieldErrors { errors }, version, None),
            );
        }
    };
    let path = format!("/forward-plan-items/{id}");
    let saved: Result<ForwardPlanItemView, ApiFailure> =
        state.api.patch(&person.token, &path, &entry, Some(version), &key).await;
    match saved {
        Ok(_) => Ok(see_other(&format!("/forward-plan/{id}?done=changed"))),
        Err(ApiFailure::Refused(problem)) if problem.status == 422 => {
            let errors = form.refusal(&problem, "");
            render_entry(&state, &session, &person, entering(form, errors, version, None))
        }
        Err(ApiFailure::Refused(problem)) if problem.status == 409 => {
            let now: ForwardPlanItemView = state.read(&session, &person, &request, &path).await?;
            if now.version == version {
                return Err(state.refusal(&session, &person, &request, &ApiFailure::Refused(problem)));
            }
            let changed = Some(now.entry);
            render_entry(
                &state,
                &session,
                &person,
                entering(form, FieldErrors::default(), now.version, changed),
            )
        }
        Err(failure) => Err(state.refusal(&session, &person, &request, &failure)),
    }
}

fn render_import(
    state: &State,
    session: &Session,
    person: &Person,
    (classification, errors, key): (&str, FieldErrors, String),
) -> Result<HttpResponse, PageError> {
    let frame = state.frame(session, Some(person), Section::ForwardPlan, "Import the forward plan")?;
    state.page_with(
        errors.status(),
        &frame,
        "forward-plan-import.html",
        json!({
            "key": key,
            "error_summary": errors.summary(),
            "file": {
                "name": "csv", "id": "csv-file",
                "label": {"text": "The council's forward plan as a CSV file", "classes": "govuk-label--s"},
                "hint": {"text": "Its first row names the columns. Each row after it is one decision."},
                "attributes": {"accept": ".csv,text/csv"},
                "errorMessage": errors.message("csv-file"),
            },
            "classification": classification_radios(classification, &errors),
        }),
    )
}

#[get("/forward-plan/import")]
pub(super) async fn import_page(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let public = wire_word(ChosenClassification::Public);
    render_import(&state, &session, &person, (&public, FieldErrors::default(), session::random_hex()))
}

/// The api's refusal of a CSV, each bad cell named by its line and column:
/// "Line 3, column expected_on: must be a date like 2026-04-14".
fn csv_errors(problem: &Problem) -> FieldErrors {
    let mut errors: Vec<(String, String)> = problem
        .errors
        .iter()
        .map(|e| ("csv-file".to_owned(), format!("{}: {}", sentence(&e.pointer), e.detail)))
        .collect();
    if errors.is_empty() {
        errors.push(("csv-file".to_owned(), sentence(&problem.detail)));
    }
    FieldErrors { errors }
}

#[post("/forward-plan/import")]
pub(super) async fn import(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    payload: Multipart,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let sent = UploadForm::receive((&state, &session, &person), payload, "csv", MAX_CSV_BYTES).await?;
    let (classification, key) = (sent.fields.text("classification"), sent.fields.text("idempotency_key"));
    let refused =
        |field: &str, message: &str| FieldErrors { errors: vec![(field.to_owned(), message.to_owned())] };
    let chosen = serde_json::from_value::<ChosenClassification>(Value::String(classification.clone())).ok();
    let errors = match (&sent.file, chosen) {
        _ if sent.too_large => Some(refused("csv-file", "The selected file must be smaller than 1MB")),
        (None, _) => Some(refused("csv-file", "Select a CSV file")),
        (_, None) => Some(refused("classification", "Select who can read the items")),
        _ => None,
    };
    let (Some((_, _, content)), Some(chosen), None) = (sent.file, chosen, errors.as_ref()) else {
        let errors = errors.unwrap_or_default();
        return render_import(&state, &session, &person, (&classification, errors, key));
    };
    let path = format!("/forward-plan-imports?classification={}", wire_word(chosen));
    // Whatever the browser calls it (Windows says application/vnd.ms-excel),
    // the api takes the file as CSV and says what in it is wrong.
    let imported: Result<ImportReport, ApiFailure> =
        state.api.upload(&person.token, &path, "text/csv", content, &key).await;
    match imported {
        Ok(report) => Ok(see_other(&format!("/forward-plan?imported={}", report.entered.len()))),
        Err(ApiFailure::Refused(problem)) if matches!(problem.status, 400 | 422) => {
            render_import(&state, &session, &person, (&classification, csv_errors(&problem), key))
        }
        Err(failure) => Err(state.refusal(&session, &person, &request, &failure)),
    }
}
