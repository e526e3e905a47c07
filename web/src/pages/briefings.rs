//! Briefings: briefing and speaking notes on an agenda item, a forward plan
//! item or a motion. The list; one note with its current text and every
//! version (who wrote it and when, for those who may read a record's
//! history), each earlier version readable on its own page; a new version
//! written, the note withdrawn by the office; and the form that writes one.

use std::collections::HashMap;

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, get, http::StatusCode, post, web};
use caucus_wire::audit::HistoryView;
use caucus_wire::briefings::{
    BriefingKind, BriefingStatus, BriefingVersionView, BriefingView, ReviseBriefingRequest, Subject,
    WithdrawBriefingRequest, WriteBriefingRequest,
};
use caucus_wire::forward_plan::ForwardPlanItemView;
use caucus_wire::meetings::{MeetingStatus, MeetingView};
use caucus_wire::members::{MemberStatus, MemberView};
use caucus_wire::motions::{MotionStatus, MotionView};
use caucus_wire::{ChosenClassification, DocumentText, Mirror as _, NoteText, TitleText};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{Value, json};
use uuid::Uuid;

use super::audit::actor_names;
use super::choices;
use super::paging::Listed;
use super::query::{DoneQuery, ListQuery};
use super::record::RecordForms;
use super::{
    FieldErrors, OFFICE, Page, PageError, Posted, State, TextForm, classification_radios, confirmation, send,
    signed_in,
};
use crate::present::{london_day, london_time, long_date, paragraphs, status_tag, wire_word, words};
use crate::render::{PERSONAL_DATA_READERS, Section, holds_any};
use crate::session::{self, Person};

/// Who may write a note and a new version of one (the api's
/// `write_briefing` and `revise_briefing`): the office and councillors.
/// Withdrawing one is the office's alone.
const DRAFTERS: &[&str] = &["assistant", "leader", "officer", "councillor"];

/// How a status reads, and the colour of its tag.
fn status_words(status: BriefingStatus) -> (&'static str, &'static str) {
    match status {
        BriefingStatus::Current => ("Current", "govuk-tag--green"),
        BriefingStatus::Withdrawn => ("Withdrawn", "govuk-tag--grey"),
    }
}

/// One record a note can be about, as the new note's form offers it.
struct Choice {
    /// The form's value: `motion:<id>`, `plan:<id>` or `item:<meeting>:<item>`.
    value: String,
    /// How it reads: "Motion: Save Canning Town library".
    label: String,
    subject: Subject,
    /// Whether a new note may still be written about it: its meeting or
    /// decision is still to come.
    coming: bool,
}

/// What notes are about: the group's motions, forward plan items and
/// meetings' agenda items, for the names of notes' subjects and the choice
/// of a new note's.
struct Subjects {
    choices: Vec<Choice>,
}

const NO_SUBJECT: Subject =
    Subject { meeting_id: None, item_id: None, forward_plan_item_id: None, motion_id: None };

/// Of the ids `named`, those not among `have`: what a page must still read.
fn missing<T>(named: impl Iterator<Item = Option<Uuid>>, have: &[T], id: fn(&T) -> Uuid) -> Vec<Uuid> {
    named.flatten().filter(|wanted| have.iter().all(|h| id(h) != *wanted)).collect()
}

impl Subjects {
    /// What a new note may be about (meetings still to come, the latest
    /// forward plan items and motions), and the subjects `named` (those of the notes
    /// a page shows): bounded reads, however long the group's history.
    async fn load(
        state: &State,
        (session, person, request): (&Session, &Person, &HttpRequest),
        named: &[Subject],
    ) -> Result<Self, PageError> {
        let page = (session, person, request);
        let today = london_day(Utc::now());
        let mut motions: Vec<MotionView> =
            state.read_listed(page, "/motions?order=newest", None).await?.items;
        let more = missing(named.iter().map(|s| s.motion_id), &motions, |m| m.id);
        motions.extend(state.read_by_ids::<MotionView>(session, person, request, "/motions", more).await?);
        let mut plan: Vec<ForwardPlanItemView> =
            state.read_listed(page, "/forward-plan-items?order=newest", None).await?.items;
        let more = missing(named.iter().map(|s| s.forward_plan_item_id), &plan, |i| i.id);
        plan.extend(
            state
                .read_by_ids::<ForwardPlanItemView>(session, person, request, "/forward-plan-items", more)
                .await?,
        );
        let mut meetings = choices::meetings_from(state, page, today).await?;
        let more = missing(named.iter().map(|s| s.meeting_id), &meetings, |m| m.id);
        meetings.extend(state.read_by_ids::<MeetingView>(session, person, request, "/meetings", more).await?);
        meetings.sort_by_key(|m| m.starts_at);
        let mut choices = Vec::new();
        for meeting in &meetings {
            let coming = matches!(meeting.status, MeetingStatus::Tentative | MeetingStatus::Confirmed);
            for item in &meeting.items {
                choices.push(Choice {
                    value: format!("item:{}:{}", meeting.id, item.id),
                    label: format!(
                        "Agenda item: {}, {} {}",
                        item.title,
                        meeting.title,
                        long_date(london_day(meeting.starts_at))
                    ),
                    subject: Subject { meeting_id: Some(meeting.id), item_id: Some(item.id), ..NO_SUBJECT },
                    coming,
                });
            }
        }
        for item in &plan {
            choices.push(Choice {
                value: format!("plan:{}", item.id),
                label: format!("Forward plan: {}", item.entry.title.0),
                subject: Subject { forward_plan_item_id: Some(item.id), ..NO_SUBJECT },
                coming: item.entry.expected_on >= today,
            });
        }
        for motion in &motions {
            choices.push(Choice {
                value: format!("motion:{}", motion.id),
                label: format!("{}: {}", words(motion.kind), motion.title),
                subject: Subject { motion_id: Some(motion.id), ..NO_SUBJECT },
                coming: matches!(
                    motion.status,
                    MotionStatus::Drafted | MotionStatus::Submitted | MotionStatus::Tabled
                ),
            });
        }
        Ok(Self { choices })
    }

    fn find(&self, subject: &Subject) -> Option<&Choice> {
        let same = |a: &Subject| {
            (a.meeting_id, a.item_id, a.forward_plan_item_id, a.motion_id)
                == (subject.meeting_id, subject.item_id, subject.forward_plan_item_id, subject.motion_id)
        };
        self.choices.iter().find(|c| same(&c.subject))
    }

    /// What `subject` is, in words.
    fn label(&self, subject: &Subject) -> String {
        self.find(subject).map_or_else(|| "A record you cannot see".to_owned(), |c| c.label.clone())
    }

    /// What `subject` is, as HTML: an agenda item links to its meeting.
    fn html(&self, subject: &Subject) -> String {
        let label = tera::escape_html(&self.label(subject));
        match subject.meeting_id {
            Some(meeting) => format!("<a class=\"govuk-link\" href=\"/meetings/{meeting}\">{label}</a>"),
            None => label,
        }
    }

    /// The subject a form's value names.
    fn chosen(&self, value: &str) -> Option<Subject> {
        self.choices.iter().find(|c| c.value == value).map(|c| c.subject)
    }
}

fn member_names(members: &[MemberView]) -> HashMap<Uuid, String> {
    members.iter().map(|m| (m.id, m.name.clone())).collect()
}

fn name_of(names: &HashMap<Uuid, String>, id: Uuid) -> String {
    names.get(&id).cloned().unwrap_or_else(|| "A former member".to_owned())
}

#[get("/briefings")]
pub(super) async fn list(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let page = (&session, &person, &request);
    let listed: Listed<BriefingView> =
        state.read_listed(page, "/briefings?order=newest", query.cursor()).await?;
    let pagination = listed.pagination("/briefings");
    let mut notes = listed.items;
    let named: Vec<Subject> = notes.iter().map(|n| n.subject).collect();
    let subjects = Subjects::load(&state, page, &named).await?;
    let members: Vec<MemberView> = state.read_all(&session, &person, &request, "/members?limit=200").await?;
    let names = member_names(&members);
    // Current ones first, the most recently changed first.
    notes.sort_by(|a, b| {
        (a.status != BriefingStatus::Current)
            .cmp(&(b.status != BriefingStatus::Current))
            .then(b.updated_at.cmp(&a.updated_at))
    });
    let rows: Vec<Value> = notes
        .iter()
        .map(|note| {
            let mut about = format!("{}, on {}", words(note.kind), subjects.label(&note.subject));
            if let Some(member) = note.for_member_id {
                about.push_str(&format!(", for {}", name_of(&names, member)));
            }
            let link = format!(
                "<a class=\"govuk-link\" href=\"/briefings/{}\">{}</a><span class=\"govuk-body-s govuk-!-display-block govuk-!-margin-top-1 govuk-!-margin-bottom-0\">{}</span>",
                note.id,
                tera::escape_html(&note.current.title),
                tera::escape_html(&about),
            );
            json!([
                {"html": link},
                {"text": format!("Version {}", note.current.number), "format": "numeric"},
                {"html": status_tag(note.status, status_words)},
            ])
        })
        .collect();
    let showing = match notes.len() {
        0 => "There are no briefing or speaking notes.".to_owned(),
        1 => "1 note.".to_owned(),
        n => format!("{n} notes."),
    };
    let frame = state.frame(&session, Some(&person), Section::Briefings, "Briefings")?;
    state.page(
        &frame,
        "briefings.html",
        json!({
            "pagination": pagination,
            "table": {
                "caption": "Briefing and speaking notes",
                "captionClasses": "govuk-visually-hidden",
                "head": [{"text": "Note"}, {"text": "Version", "format": "numeric"}, {"text": "Status"}],
                "rows": rows,
            },
            "count": notes.len(),
            "showing": showing,
            "may_write": holds_any(&person, DRAFTERS),
        }),
    )
}

/// Who wrote a version and when, as the record's history says.
#[derive(Debug, Clone)]
struct Written {
    by: String,
    at: String,
}

/// Each version's author and time, by number, for those who may read the
/// record's history; nothing for others, or if the history cannot be had.
async fn authorship(state: &State, person: &Person, id: Uuid) -> HashMap<u32, Written> {
    if !holds_any(person, PERSONAL_DATA_READERS) {
        return HashMap::new();
    }
    let Ok(history) = state.api.get::<HistoryView>(&person.token, &format!("/history/briefing/{id}")).await
    else {
        return HashMap::new();
    };
    let names = actor_names(state, person, &history.events).await;
    // The first version is written, each later one a revision, in order.
    history
        .events
        .iter()
        .filter(|e| matches!(e.event_type.as_str(), "BriefingWritten" | "BriefingRevised"))
        .zip(1..)
        .map(|(event, number)| {
            let by = event
                .actor
                .as_deref()
                .map_or_else(|| "Someone unrecorded".to_owned(), |a| names.of_subject(a));
            let at = event
                .recorded_at
                .as_deref()
                .and_then(|at| DateTime::parse_from_rfc3339(at).ok())
                .map_or_else(String::new, |at| london_time(at.to_utc()));
            (number, Written { by, at })
        })
        .collect()
}

/// The forms of a note's page as they are to be shown: the new version
/// holding the current text with a new key, the withdrawal empty; or one of
/// them as it was sent and refused, with its key.
#[derive(Debug)]
struct BriefingForms {
    errors: FieldErrors,
    /// The new version's title and text (`None`: as they stand), its reason and key.
    revise: (Option<(String, String)>, TextForm),
    withdraw: TextForm,
}

impl BriefingForms {
    fn fresh() -> Self {
        Self {
            errors: FieldErrors::default(),
            revise: (None, TextForm::fresh()),
            withdraw: TextForm::fresh(),
        }
    }
}

/// A note with what its page names: its subject and the group's members.
struct Loaded {
    note: BriefingView,
    subjects: Subjects,
    members: Vec<MemberView>,
    written: HashMap<u32, Written>,
}

/// The summary of a note: status, kind, subject, whom it is for.
fn summary(loaded: &Loaded) -> Value {
    let note = &loaded.note;
    let names = member_names(&loaded.members);
    let text = |key: &str, value: String| json!({"key": {"text": key}, "value": {"text": value}});
    let mut rows = vec![
        json!({"key": {"text": "Status"}, "value": {"html": status_tag(note.status, status_words)}}),
        text("Kind", words(note.kind)),
        json!({"key": {"text": "About"}, "value": {"html": loaded.subjects.html(&note.subject)}}),
    ];
    if let Some(member) = note.for_member_id {
        rows.push(text("For", name_of(&names, member)));
    }
    rows.push(text("Who can read it", words(note.classification)));
    rows.push(text("Version", note.current.number.to_string()));
    if let Some(reason) = &note.withdrawal_reason {
        rows.push(text("Why it was withdrawn", reason.clone()));
    }
    json!({"rows": rows})
}

/// Every version, the latest first, with who wrote it and when if known,
/// what changed, and a link to each earlier one.
fn versions_table(loaded: &Loaded) -> Value {
    let note = &loaded.note;
    let known = !loaded.written.is_empty();
    let row = |version: &BriefingVersionView, current: bool| {
        // Numbers and ids only: nothing here needs escaping.
        let heading = if current {
            format!("Version {} (current)", version.number)
        } else {
            format!(
                "<a class=\"govuk-link\" href=\"/briefings/{}/versions/{}\">Version {}</a>",
                note.id, version.number, version.number
            )
        };
        let mut cells = vec![json!({"html": heading})];
        if known {
            let written = loaded.written.get(&version.number);
            cells.push(json!({"text": written.map_or_else(String::new, |w| w.by.clone())}));
            cells.push(json!({"text": written.map_or_else(String::new, |w| w.at.clone())}));
        }
        let change = match (&version.reason, version.number) {
            (Some(reason), _) => reason.clone(),
            (None, 1) => "First written".to_owned(),
            (None, _) => "No reason given".to_owned(),
        };
        cells.push(json!({"text": change}));
        Value::Array(cells)
    };
    let mut rows = vec![row(&note.current, true)];
    rows.extend(note.earlier_versions.iter().rev().map(|v| row(v, false)));
    let mut head = vec![json!({"text": "Version"})];
    if known {
        head.extend([json!({"text": "Written by"}), json!({"text": "When"})]);
    }
    head.push(json!({"text": "What changed"}));
    json!({
        "caption": "Versions",
        "captionClasses": "govuk-visually-hidden",
        "head": head,
        "rows": rows,
    })
}

fn render_briefing(
    state: &State,
    session: &Session,
    person: &Person,
    loaded: &Loaded,
    forms: BriefingForms,
    banner: Option<&str>,
) -> Result<HttpResponse, PageError> {
    let note = &loaded.note;
    let errors = &forms.errors;
    let current = note.status == BriefingStatus::Current;
    let (title, body) =
        forms.revise.0.clone().unwrap_or_else(|| (note.current.title.clone(), note.current.body.clone()));
    let frame = state.frame(session, Some(person), Section::Briefings, note.current.title.clone())?;
    state.page_with(
        errors.status(),
        &frame,
        "briefing.html",
        json!({
            "id": note.id,
            "kind": words(note.kind),
            "summary": summary(loaded),
            "text": paragraphs(&note.current.body),
            "versions": versions_table(loaded),
            "may_revise": current && holds_any(person, DRAFTERS),
            "may_withdraw": current && holds_any(person, OFFICE),
            "error_summary": errors.summary(),
            "banner": banner.map(|text| json!({"type": "success", "text": text})),
            "revise_form": {
                "title": {
                    "name": "title", "id": "revise-title",
                    "label": {"text": "Title", "classes": "govuk-label--s"},
                    "value": title,
                    "errorMessage": errors.message("revise-title"),
                },
                "body": {
                    "name": "body", "id": "revise-body", "rows": 12,
                    "label": {"text": "Text", "classes": "govuk-label--s"},
                    "hint": {"text": "Leave a blank line between paragraphs"},
                    "value": body,
                    "errorMessage": errors.message("revise-body"),
                },
                "reason": {
                    "name": "reason", "id": "revise-reason", "rows": 2,
                    "label": {"text": "What changed and why (optional)", "classes": "govuk-label--s"},
                    "value": forms.revise.1.text,
                    "errorMessage": errors.message("revise-reason"),
                },
                "key": forms.revise.1.key,
            },
            "withdraw_form": {
                "reason": {
                    "name": "reason", "id": "withdraw-reason", "rows": 3,
                    "label": {"text": "Why it is withdrawn", "classes": "govuk-label--s"},
                    "value": forms.withdraw.text,
                    "errorMessage": errors.message("withdraw-reason"),
                },
                "confirm": confirmation("withdraw-confirm", "I understand the note will be withdrawn for good", errors),
                "key": forms.withdraw.key,
            },
        }),
    )
}

impl RecordForms for BriefingForms {
    const PATH: &'static str = "/briefings";
    type Loaded = Loaded;

    async fn load(
        (state, session, request): Page<'_>,
        person: &Person,
        id: Uuid,
    ) -> Result<Self::Loaded, PageError> {
        let note: BriefingView = state.read(session, person, request, &format!("/briefings/{id}")).await?;
        let subjects = Subjects::load(state, (session, person, request), &[note.subject]).await?;
        let members: Vec<MemberView> = state.read_all(session, person, request, "/members?limit=200").await?;
        let written = authorship(state, person, id).await;
        Ok(Loaded { note, subjects, members, written })
    }

    fn render(
        self,
        (state, session, _): Page<'_>,
        person: &Person,
        loaded: &Self::Loaded,
        banner: Option<&str>,
    ) -> Result<HttpResponse, PageError> {
        render_briefing(state, session, person, loaded, self, banner)
    }

    fn errors(&self) -> &FieldErrors {
        &self.errors
    }
}

/// What `?done=` says was just done, word by word.
const DONE: &[(&str, &str)] = &[
    ("written", "The note was written"),
    ("revised", "The new version was saved; the earlier ones stay readable"),
    ("withdrawn", "The note was withdrawn"),
];

#[get("/briefings/{id}")]
pub(super) async fn briefing_page(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    query: web::Query<DoneQuery>,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let page = (&**state, &session, &request);
    BriefingForms::fresh().shown(page, &person, *id, query.banner(DONE)).await
}

#[get("/briefings/{id}/versions/{number}")]
pub(super) async fn version_page(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    path: web::Path<(Uuid, u32)>,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let (id, number) = path.into_inner();
    let note: BriefingView = state.read(&session, &person, &request, &format!("/briefings/{id}")).await?;
    let Some(version) = note.earlier_versions.iter().chain([&note.current]).find(|v| v.number == number)
    else {
        return Err(state.message_page(
            &session,
            Some(&person),
            StatusCode::NOT_FOUND,
            "Page not found",
            "That note has no such version.",
        ));
    };
    let written = authorship(&state, &person, id).await;
    let written = written.get(&number);
    let frame = state.frame(&session, Some(&person), Section::Briefings, version.title.clone())?;
    state.page(
        &frame,
        "briefing-version.html",
        json!({
            "id": id,
            "caption": format!("{}, version {} of {}", words(note.kind), number, note.current.number),
            "current": number == note.current.number,
            "written": written.map(|w| format!("Written by {}, {}.", w.by, w.at)),
            "reason": version.reason,
            "text": paragraphs(&version.body),
        }),
    )
}

/// `text` if it is not blank.
fn given(text: &str) -> Option<String> {
    Some(text.trim()).filter(|t| !t.is_empty()).map(|_| text.to_owned())
}

#[post("/briefings/{id}/versions")]
pub(super) async fn revise(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    Posted { person, form, key }: Posted,
) -> Result<HttpResponse, PageError> {
    let (title, body, reason) = (form.text("title"), form.text("body"), form.text("reason"));
    let refused = |errors: FieldErrors| BriefingForms {
        errors,
        revise: (Some((title.clone(), body.clone())), TextForm { text: reason.clone(), key: key.clone() }),
        ..BriefingForms::fresh()
    };
    let request_body = ReviseBriefingRequest {
        title: TitleText(title.clone()),
        body: DocumentText(body.clone()),
        reason: given(&reason).map(NoteText),
    };
    // A version that changes nothing is refused as a whole: at its text.
    let fields = [
        ("/body", "revise-body", "The text"),
        ("/title", "revise-title", "The title"),
        ("/reason", "revise-reason", "What changed"),
    ];
    let page = (&**state, &session, &request);
    BriefingForms::send(
        page,
        &person,
        (*id, "versions", "revised"),
        (&request_body, &key),
        (&fields, refused),
    )
    .await
}

#[post("/briefings/{id}/withdrawal")]
pub(super) async fn withdraw(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    Posted { person, form, key }: Posted,
) -> Result<HttpResponse, PageError> {
    let reason = form.text("reason");
    let refused = |errors: FieldErrors| BriefingForms {
        errors,
        withdraw: TextForm { text: reason.clone(), key: key.clone() },
        ..BriefingForms::fresh()
    };
    if form.text("confirm") != "yes" {
        let errors = FieldErrors {
            errors: vec![(
                "withdraw-confirm".to_owned(),
                "Confirm that the note is to be withdrawn".to_owned(),
            )],
        };
        return refused(errors).refused((&state, &session, &request), &person, *id).await;
    }
    let body = WithdrawBriefingRequest { reason: NoteText(reason.clone()) };
    let fields = [("/reason", "withdraw-reason", "The reason")];
    let page = (&**state, &session, &request);
    BriefingForms::send(page, &person, (*id, "withdrawal", "withdrawn"), (&body, &key), (&fields, refused))
        .await
}

/// The new note form as typed.
#[derive(Debug, Default)]
struct NewBriefing {
    kind: String,
    about: String,
    for_member: String,
    title: String,
    body: String,
    classification: String,
}

#[derive(Debug, Deserialize)]
struct NewQuery {
    /// The subject to start with, as the form spells it.
    about: Option<String>,
}

fn render_new(
    state: &State,
    session: &Session,
    person: &Person,
    (subjects, members): (&Subjects, &[MemberView]),
    (form, errors, key): (&NewBriefing, FieldErrors, String),
) -> Result<HttpResponse, PageError> {
    let kinds: Vec<Value> = BriefingKind::ALL
        .iter()
        .map(|k| {
            let value = wire_word(*k);
            let hint = match k {
                BriefingKind::Briefing => "Background for members",
                BriefingKind::SpeakingNote => "What one member will say",
            };
            json!({"value": value, "text": words(*k), "hint": {"text": hint}, "checked": value == form.kind})
        })
        .collect();
    let about: Vec<Value> = std::iter::once(json!({"value": "", "text": "Choose what it is about"}))
        .chain(
            subjects
                .choices
                .iter()
                .filter(|c| c.coming || c.value == form.about)
                .map(|c| json!({"value": c.value, "text": c.label, "selected": c.value == form.about})),
        )
        .collect();
    let mut current: Vec<&MemberView> = members.iter().filter(|m| m.status == MemberStatus::Member).collect();
    current.sort_by(|a, b| a.name.cmp(&b.name));
    let for_member: Vec<Value> =
        std::iter::once(json!({"value": "", "text": "Every member it is shared with"}))
            .chain(current.iter().map(|m| {
                let value = m.id.to_string();
                json!({"value": value, "text": m.name, "selected": value == form.for_member})
            }))
            .collect();
    let frame = state.frame(session, Some(person), Section::Briefings, "Write a note")?;
    state.page_with(
        errors.status(),
        &frame,
        "briefing-form.html",
        json!({
            "key": key,
            "error_summary": errors.summary(),
            "kind": {
                "name": "kind", "idPrefix": "kind",
                "fieldset": {"legend": {"text": "What kind of note", "classes": "govuk-fieldset__legend--s"}},
                "items": kinds,
                "errorMessage": errors.message("kind"),
            },
            "about": {
                "name": "about", "id": "about",
                "label": {"text": "What it is about", "classes": "govuk-label--s"},
                "hint": {"text": "An agenda item, a forward plan item, or a motion or question"},
                "items": about,
                "errorMessage": errors.message("about"),
            },
            "for_member": {
                "name": "for_member_id", "id": "for-member",
                "label": {"text": "Who it is for (optional)", "classes": "govuk-label--s"},
                "hint": {"text": "A speaking note's speaker"},
                "items": for_member,
                "errorMessage": errors.message("for-member"),
            },
            "title": {
                "name": "title", "id": "title",
                "label": {"text": "Title", "classes": "govuk-label--s"},
                "value": form.title,
                "errorMessage": errors.message("title"),
            },
            "body": {
                "name": "body", "id": "body", "rows": 12,
                "label": {"text": "Text", "classes": "govuk-label--s"},
                "hint": {"text": "Leave a blank line between paragraphs"},
                "value": form.body,
                "errorMessage": errors.message("body"),
            },
            "classification": classification_radios(&form.classification, &errors),
        }),
    )
}

async fn load_choices(
    state: &State,
    session: &Session,
    person: &Person,
    request: &HttpRequest,
) -> Result<(Subjects, Vec<MemberView>), PageError> {
    let subjects = Subjects::load(state, (session, person, request), &[]).await?;
    let members: Vec<MemberView> = state.read_all(session, person, request, "/members?limit=200").await?;
    Ok((subjects, members))
}

#[get("/briefings/new")]
pub(super) async fn new_page(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    query: web::Query<NewQuery>,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let (subjects, members) = load_choices(&state, &session, &person, &request).await?;
    let form = NewBriefing {
        kind: wire_word(BriefingKind::Briefing),
        about: query.about.clone().unwrap_or_default(),
        classification: wire_word(ChosenClassification::Group),
        ..NewBriefing::default()
    };
    let fresh = (&form, FieldErrors::default(), session::random_hex());
    render_new(&state, &session, &person, (&subjects, &members), fresh)
}

#[post("/briefings")]
pub(super) async fn write(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    Posted { person, form: sent, key }: Posted,
) -> Result<HttpResponse, PageError> {
    let form = NewBriefing {
        kind: sent.text("kind"),
        about: sent.text("about"),
        for_member: sent.text("for_member_id"),
        title: sent.text("title"),
        body: sent.text("body"),
        classification: sent.text("classification"),
    };
    let (subjects, members) = load_choices(&state, &session, &person, &request).await?;
    let mut errors = Vec::new();
    let kind = serde_json::from_value::<BriefingKind>(Value::String(form.kind.clone())).ok();
    if kind.is_none() {
        errors.push(("kind".to_owned(), "Select what kind of note it is".to_owned()));
    }
    let subject = subjects.chosen(&form.about);
    if subject.is_none() {
        errors.push(("about".to_owned(), "Select what the note is about".to_owned()));
    }
    let classification =
        serde_json::from_value::<ChosenClassification>(Value::String(form.classification.clone())).ok();
    if classification.is_none() {
        errors.push(("classification".to_owned(), "Select who can read it".to_owned()));
    }
    let (Some(kind), Some(subject), Some(classification), true) =
        (kind, subject, classification, errors.is_empty())
    else {
        return render_new(
            &state,
            &session,
            &person,
            (&subjects, &members),
            (&form, FieldErrors { errors }, key),
        );
    };
    let body = WriteBriefingRequest {
        kind,
        subject,
        for_member_id: form.for_member.parse().ok(),
        title: TitleText(form.title.clone()),
        body: DocumentText(form.body.clone()),
        classification,
    };
    let fields = [
        ("/title", "title", "The title"),
        ("/body", "body", "The text"),
        ("/kind", "kind", "The kind of note"),
        ("/subject", "about", "What it is about"),
        ("/subject/meeting_id", "about", "The meeting"),
        ("/subject/item_id", "about", "The agenda item"),
        ("/subject/forward_plan_item_id", "about", "The forward plan item"),
        ("/subject/motion_id", "about", "The motion"),
        ("/for_member_id", "for-member", "Who it is for"),
        ("/classification", "classification", "Who can read it"),
    ];
    let to = |made: BriefingView| format!("/briefings/{}?done=written", made.id);
    let again = async |errors: FieldErrors| {
        render_new(&state, &session, &person, (&subjects, &members), (&form, errors, key.clone()))
    };
    let page = (&**state, &session, &request);
    send(page, &person, ("/briefings", &body, &key), to, (&fields, again)).await
}
