//! The induction of new councillors: the inductions in progress, and a
//! member's checklist with the form ticking each open step off (the office
//! for anyone, a councillor their own) or, for a member who joined before
//! inductions were kept, the office's form starting one.

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use caucus_wire::NoteText;
use caucus_wire::induction::{
    InductionListView, InductionStepView, InductionView, OwnerRole, StartInductionRequest, StepOwnerView,
    TickStepRequest,
};
use caucus_wire::members::MemberView;
use chrono::{NaiveDate, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use super::query::DoneQuery;
use super::record::RecordForms;
use super::{
    DateParts, FieldErrors, MemberNames, OFFICE, Page, PageError, Posted, State, TextForm, send, signed_in,
};
use crate::api::ApiFailure;
use crate::present::{london_day, long_date, status_tag, tag_html};
use crate::render::{Section, holds_any};
use crate::session::{self, Person};

/// How many days ahead an open step counts as due soon: the api's window
/// for putting a step on My work, so the checklist and My work agree.
const DUE_SOON_DAYS: u64 = 7;

/// Where a step of a member's induction stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Standing {
    Done,
    Overdue,
    DueSoon,
    ToDo,
}

impl Standing {
    fn of(step: &InductionStepView, today: NaiveDate) -> Self {
        match step.done_on {
            Some(_) => Self::Done,
            None if step.overdue => Self::Overdue,
            None if step.due_on <= today + chrono::Days::new(DUE_SOON_DAYS) => Self::DueSoon,
            None => Self::ToDo,
        }
    }
}

/// How a step's standing reads, and the colour of its tag.
fn standing_words(standing: Standing) -> (&'static str, &'static str) {
    match standing {
        Standing::Done => ("Done", "govuk-tag--green"),
        Standing::Overdue => ("Overdue", "govuk-tag--red"),
        Standing::DueSoon => ("Due soon", "govuk-tag--yellow"),
        Standing::ToDo => ("To do", "govuk-tag--grey"),
    }
}

/// Who sees a step through, in words.
pub(super) fn owner_words(owner: StepOwnerView, names: &MemberNames) -> String {
    match owner {
        StepOwnerView::NewMember => "The new member".to_owned(),
        StepOwnerView::Role { role: OwnerRole::Assistant } => "The Political Assistant".to_owned(),
        StepOwnerView::Role { role: OwnerRole::Leader } => "The Group Leader".to_owned(),
        StepOwnerView::Role { role: OwnerRole::Officer } => "A Group Officer".to_owned(),
        StepOwnerView::Member { member_id } => names.of_id(member_id),
    }
}

/// Who ticked a step off: a member by name; any other sign-in subject is
/// the office's, since only the office ticks off another's steps.
fn ticked_by(by: &str, names: &MemberNames) -> String {
    by.parse::<Uuid>().map_or_else(|_| "The office".to_owned(), |id| names.of_id(id))
}

/// Whether `person` may tick `member`'s steps off: the office for anyone,
/// a member their own (the api's rule).
fn may_tick(person: &Person, member: Uuid) -> bool {
    holds_any(person, OFFICE) || person.subject == member.to_string()
}

/// A member's name as a link to their induction.
fn member_link(id: Uuid, names: &MemberNames) -> String {
    format!("<a class=\"govuk-link\" href=\"/inductions/{id}\">{}</a>", tera::escape_html(&names.of_id(id)))
}

/// The members, by name, as every induction page reads them.
async fn member_names(
    (state, session, request): Page<'_>,
    person: &Person,
) -> Result<MemberNames, PageError> {
    let members: Vec<MemberView> = state.read_all(session, person, request, "/members?limit=200").await?;
    Ok(MemberNames::of(&members))
}

#[get("/inductions")]
pub(super) async fn list(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let inductions: InductionListView = state.read(&session, &person, &request, "/inductions").await?;
    let names = member_names((&state, &session, &request), &person).await?;
    let rows: Vec<Value> = inductions
        .items
        .iter()
        .map(|i| {
            let overdue = match i.overdue {
                0 => "None".to_owned(),
                n => tag_html(&format!("{n} overdue"), "govuk-tag--red"),
            };
            json!([
                {"html": member_link(i.member_id, &names)},
                {"text": long_date(i.joined_on)},
                {"text": format!("{} of {}", i.done, i.steps.len())},
                {"html": overdue},
            ])
        })
        .collect();
    let frame = state.frame(&session, Some(&person), Section::Training, "Inductions in progress")?;
    state.page(
        &frame,
        "induction-list.html",
        json!({
            "table": {
                "caption": "Inductions in progress",
                "captionClasses": "govuk-visually-hidden",
                "head": [{"text": "Member"}, {"text": "Joined"}, {"text": "Steps done"}, {"text": "Overdue"}],
                "rows": rows,
            },
            "count": inductions.items.len(),
        }),
    )
}

/// The forms of a checklist's page: ticking off the step that was sent and
/// refused (each other open step's form fresh), and starting an induction.
#[derive(Debug)]
struct Forms {
    errors: FieldErrors,
    tick: Option<(u16, TextForm)>,
    joined_on: DateParts,
    start_key: String,
}

impl Forms {
    fn fresh() -> Self {
        Self {
            errors: FieldErrors::default(),
            tick: None,
            joined_on: DateParts::default(),
            start_key: session::random_hex(),
        }
    }
}

/// The id of step `number`'s note field, where its form's error shows.
fn note_id(number: u16) -> String {
    format!("note-{number}")
}

/// What a checklist's page reads: the member, their induction (none before
/// it started) and the members' names.
struct Loaded {
    member: MemberView,
    induction: Option<InductionView>,
    names: MemberNames,
}

impl RecordForms for Forms {
    const PATH: &'static str = "/inductions";
    type Loaded = Loaded;

    async fn load(page: Page<'_>, person: &Person, id: Uuid) -> Result<Self::Loaded, PageError> {
        let (state, session, request) = page;
        let member: MemberView = state.read(session, person, request, &format!("/members/{id}")).await?;
        // The member exists, so a 404 here says their induction has not started.
        let induction = match state.api.get(&person.token, &format!("/inductions/{id}")).await {
            Ok(induction) => Some(induction),
            Err(ApiFailure::Refused(problem)) if problem.status == 404 => None,
            Err(failure) => return Err(state.refusal(session, person, request, &failure)),
        };
        let names = member_names(page, person).await?;
        Ok(Loaded { member, induction, names })
    }

    fn render(
        self,
        (state, session, _): Page<'_>,
        person: &Person,
        Loaded { member, induction, names }: &Self::Loaded,
        banner: Option<&str>,
    ) -> Result<HttpResponse, PageError> {
        let today = london_day(Utc::now());
        let errors = &self.errors;
        let checklist = induction.as_ref().map(|induction| {
            let rows: Vec<Value> = induction
                .steps
                .iter()
                .map(|s| {
                    let done = match (s.done_on, &s.done_by) {
                        (Some(on), Some(by)) => format!("{} by {}", long_date(on), ticked_by(by, names)),
                        (Some(on), None) => long_date(on),
                        (None, _) => "Not yet".to_owned(),
                    };
                    let done = match &s.note {
                        Some(note) => format!("{done}: {note}"),
                        None => done,
                    };
                    json!([
                        {"text": s.title},
                        {"text": owner_words(s.owner, names)},
                        {"text": long_date(s.due_on)},
                        {"text": done},
                        {"html": status_tag(Standing::of(s, today), standing_words)},
                    ])
                })
                .collect();
            let ticks: Vec<Value> = if may_tick(person, member.id) {
                induction.steps.iter().filter(|s| s.done_on.is_none()).map(|s| self.tick_form(s)).collect()
            } else {
                Vec::new()
            };
            json!({
                "joined_on": long_date(induction.joined_on),
                "done": induction.done,
                "total": induction.steps.len(),
                "table": {
                    "caption": "Steps",
                    "captionClasses": "govuk-visually-hidden",
                    "head": [
                        {"text": "Step"}, {"text": "Owner"}, {"text": "Due"},
                        {"text": "Done"}, {"text": "Status"},
                    ],
                    "rows": rows,
                },
                "ticks": ticks,
            })
        });
        let title = format!("{}: induction", member.name);
        let frame = state.frame(session, Some(person), Section::Training, title)?;
        state.page_with(
            errors.status(),
            &frame,
            "induction.html",
            json!({
                "member_id": member.id,
                "member_name": member.name,
                "checklist": checklist,
                "error_summary": errors.summary(),
                "banner": banner.map(|text| json!({"type": "success", "text": text})),
                "may_start": holds_any(person, OFFICE),
                "start_form": {
                    "joined_on": self.joined_on.input(
                        ("joined_on", "joined-on"), "The day they joined",
                        Some("Steps fall due counted from it. For example, 27 3 2026"), errors,
                    ),
                    "key": self.start_key,
                },
            }),
        )
    }

    fn errors(&self) -> &FieldErrors {
        &self.errors
    }
}

impl Forms {
    /// Step `step`'s tick form: as sent and refused, or fresh.
    fn tick_form(&self, step: &InductionStepView) -> Value {
        let id = note_id(step.number);
        let (text, key) = match &self.tick {
            Some((refused, form)) if *refused == step.number => (form.text.clone(), form.key.clone()),
            _ => (String::new(), session::random_hex()),
        };
        json!({
            "number": step.number,
            "title": step.title,
            // Each button names its step to a screen reader, as they all read alike.
            "button": format!(
                "Mark as done<span class=\"govuk-visually-hidden\">: {}</span>",
                tera::escape_html(&step.title)
            ),
            "key": key,
            "note": {
                "name": "note", "id": id, "rows": 2,
                "label": {"text": "Note (optional)", "classes": "govuk-label--s"},
                "value": text,
                "errorMessage": self.errors.message(&id),
            },
        })
    }
}

/// What `?done=` says was just done, word by word.
const DONE: &[(&str, &str)] =
    &[("ticked", "The step was marked as done"), ("started", "The induction was started")];

#[get("/inductions/{id}")]
pub(super) async fn induction_page(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    query: web::Query<DoneQuery>,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let page = (&**state, &session, &request);
    Forms::fresh().shown(page, &person, *id, query.banner(DONE)).await
}

#[post("/inductions/{id}/steps/{number}/done")]
pub(super) async fn tick(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    path: web::Path<(Uuid, u16)>,
    Posted { person, form, key }: Posted,
) -> Result<HttpResponse, PageError> {
    let (id, number) = path.into_inner();
    let note = form.text("note").trim().to_owned();
    let body = TickStepRequest { done_on: None, note: (!note.is_empty()).then(|| NoteText(note.clone())) };
    let field = note_id(number);
    let fields = [("/note", field.as_str(), "The note"), ("/done_on", field.as_str(), "The day it was done")];
    let refused = |errors: FieldErrors| Forms {
        errors,
        tick: Some((number, TextForm { text: note, key: key.clone() })),
        ..Forms::fresh()
    };
    let page = (&**state, &session, &request);
    let step = format!("steps/{number}/done");
    Forms::send(page, &person, (id, &step, "ticked"), (&body, &key), (&fields, refused)).await
}

#[post("/inductions/{id}")]
pub(super) async fn start(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    Posted { person, form, key }: Posted,
) -> Result<HttpResponse, PageError> {
    let (id, page) = (*id, (&**state, &session, &request));
    let joined_on = form.date("joined_on");
    let again = |errors: FieldErrors, joined_on: DateParts| Forms {
        errors,
        joined_on,
        start_key: key.clone(),
        ..Forms::fresh()
    };
    let day = match joined_on.parse("The day they joined") {
        Ok(day) => day,
        Err(message) => {
            let errors = FieldErrors { errors: vec![("joined-on-day".to_owned(), message)] };
            return again(errors, joined_on).refused(page, &person, id).await;
        }
    };
    let body = StartInductionRequest { joined_on: day };
    let fields = [("/joined_on", "joined-on-day", "The day they joined")];
    let to = |_: serde::de::IgnoredAny| format!("/inductions/{id}?done=started");
    let refused = |errors| again(errors, joined_on.clone()).refused(page, &person, id);
    send(page, &person, (&format!("/inductions/{id}"), &body, &key), to, (&fields, refused)).await
}
