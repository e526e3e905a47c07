//! Motions and questions for the council's meetings: the list with each
//! one's status (drafts with their submission deadline, passed or near ones
//! flagged); one motion with its text, earlier texts, meeting, deadline,
//! whip and outcome with each member's vote; the forms to draft and revise
//! (the office, or a councillor their own) and the office's to submit, record
//! tabling, set the whip and record the outcome; and the whip report.

use std::collections::HashMap;

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, get, http::StatusCode, post, web};
use caucus_wire::meetings::{MeetingStatus, MeetingView};
use caucus_wire::members::{MemberStatus, MemberView};
use caucus_wire::motions::{
    MotionKind, MotionStatus, MotionView, Origin, Outcome, RecordMotionRequest, RecordOutcomeRequest,
    RecordedVote, ReviseMotionRequest, VoteCounts, VoteOption, WhipPosition, WhipReport, WhipSetting,
};
use caucus_wire::{
    ChosenClassification, DocumentText, EmptyRequest, Mirror as _, NoteText, Problem, TitleText,
};
use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use super::choices;
use super::paging::Listed;
use super::query::{DoneQuery, ListQuery, here_path, list_path, showing, status_filter};
use super::record::RecordForms;
use super::{
    FieldErrors, OFFICE, Page, PageError, Posted, State, TextForm, classification_radios, see_other, send,
    signed_in,
};
use crate::api::ApiFailure;
use crate::present::{london_time, paragraphs, status_tag, tag_html, wire_word, words};
use crate::render::{Section, holds_any};
use crate::session::{self, Person};

mod drafting;
mod outcome;
mod whip;

pub(super) use drafting::{draft, new_page};
pub(super) use outcome::{outcome_page, record_outcome};
pub(super) use whip::whip_report;

/// Who may draft and revise (`record_motion`, `revise_motion`): the office on
/// any, a councillor only the motions they move themselves.
const DRAFTERS: &[&str] = &["assistant", "leader", "officer", "councillor"];

/// Who may read the whip report (`get_whip_report`): the office and auditors.
const WHIP_READERS: &[&str] = &["assistant", "leader", "officer", "auditor"];

/// How near a draft's deadline must be to be flagged as soon.
const DEADLINE_NEAR_DAYS: i64 = 7;

/// How a status reads, and the colour of its tag.
fn status_words(status: MotionStatus) -> (&'static str, &'static str) {
    match status {
        MotionStatus::Drafted => ("Drafted", "govuk-tag--grey"),
        MotionStatus::Submitted => ("Submitted", "govuk-tag--blue"),
        MotionStatus::Tabled => ("Tabled", "govuk-tag--light-blue"),
        MotionStatus::Carried => ("Carried", "govuk-tag--green"),
        MotionStatus::Amended => ("Carried as amended", "govuk-tag--green"),
        MotionStatus::Lost => ("Lost", "govuk-tag--red"),
        MotionStatus::Withdrawn => ("Withdrawn", "govuk-tag--grey"),
        MotionStatus::Answered => ("Answered", "govuk-tag--green"),
        MotionStatus::NotReached => ("Not reached", "govuk-tag--orange"),
    }
}

/// How an outcome reads: as the status it leaves the motion in.
fn outcome_words(outcome: Outcome) -> &'static str {
    let status = serde_json::from_value(Value::String(wire_word(outcome))).unwrap_or(MotionStatus::Tabled);
    status_words(status).0
}

/// What the whip asks of members.
fn whip_words(position: WhipPosition) -> &'static str {
    match position {
        WhipPosition::For => "Vote for",
        WhipPosition::Against => "Vote against",
        WhipPosition::Abstain => "Abstain",
        WhipPosition::FreeVote => "Free vote",
    }
}

/// How a member voted.
fn vote_words(option: VoteOption) -> &'static str {
    match option {
        VoteOption::Yes => "For",
        VoteOption::No => "Against",
        VoteOption::Abstain => "Abstained",
        VoteOption::Absent => "Absent",
    }
}

/// Whether the meeting has dealt with it: nothing more is recorded then.
fn decided(status: MotionStatus) -> bool {
    !matches!(status, MotionStatus::Drafted | MotionStatus::Submitted | MotionStatus::Tabled)
}

/// How a draft's deadline stands, as a tag, when it has passed or is near.
fn deadline_flag(deadline: DateTime<Utc>, now: DateTime<Utc>) -> Option<String> {
    if deadline < now {
        Some(tag_html("Deadline passed", "govuk-tag--red"))
    } else if deadline - now <= Duration::days(DEADLINE_NEAR_DAYS) {
        Some(tag_html("Deadline soon", "govuk-tag--orange"))
    } else {
        None
    }
}

/// The member the person is, if they are one (a councillor's token subject
/// is their member id).
fn member_id(person: &Person) -> Option<Uuid> {
    person.subject.parse().ok()
}

/// Members' names by id.
fn names(members: &[MemberView]) -> HashMap<Uuid, String> {
    members.iter().map(|m| (m.id, m.name.clone())).collect()
}

fn name_of(names: &HashMap<Uuid, String>, id: Uuid) -> String {
    names.get(&id).cloned().unwrap_or_else(|| "A former member".to_owned())
}

/// A meeting as a motion names it: "Full Council, Tuesday 22 December 2026
/// at 7pm".
fn meeting_words(meeting: &MeetingView) -> String {
    format!("{}, {}", meeting.title, london_time(meeting.starts_at))
}

/// The deadline that applies to a motion: the one it was submitted against,
/// or for a draft, the council's for its meeting.
fn deadline_of(motion: &MotionView, meeting: Option<&MeetingView>) -> Option<DateTime<Utc>> {
    match motion.status {
        MotionStatus::Drafted => meeting.and_then(|m| m.motions_due_by),
        _ => motion.deadline,
    }
}

/// The meetings `ids` the person may read, by id.
async fn meetings(
    state: &State,
    (session, person, request): (&Session, &Person, &HttpRequest),
    ids: impl IntoIterator<Item = Uuid>,
) -> Result<HashMap<Uuid, MeetingView>, PageError> {
    let named: Vec<MeetingView> = state.read_by_ids(session, person, request, "/meetings", ids).await?;
    Ok(named.into_iter().map(|m| (m.id, m)).collect())
}

async fn members(
    state: &State,
    session: &Session,
    person: &Person,
    request: &HttpRequest,
) -> Result<Vec<MemberView>, PageError> {
    state.read_all(session, person, request, "/members?limit=200").await
}

#[get("/motions")]
pub(super) async fn list(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let wanted = query.status::<MotionStatus>();
    let page = (&session, &person, &request);
    let listed: Listed<MotionView> =
        state.read_listed(page, &list_path("/motions", wanted), query.cursor()).await?;
    let (pagination, more) = (listed.pagination(&here_path("/motions", wanted)), listed.has_more());
    let mut motions = listed.items;
    let meetings = meetings(&state, page, motions.iter().map(|m| m.meeting_id)).await?;
    let starts = |m: &MotionView| meetings.get(&m.meeting_id).map(|meeting| meeting.starts_at);
    // The coming meetings' first, then the past, the latest first.
    motions.sort_by(|a, b| starts(b).cmp(&starts(a)).then_with(|| a.title.cmp(&b.title)));
    let now = Utc::now();
    let rows: Vec<Value> = motions
        .iter()
        .map(|m| {
            let meeting = meetings.get(&m.meeting_id);
            let mut about = vec![words(m.kind)];
            about.extend(meeting.map(meeting_words));
            let mut tags = status_tag(m.status, status_words);
            if m.status == MotionStatus::Drafted
                && let Some(deadline) = deadline_of(m, meeting)
            {
                about.push(format!("submit by {}", london_time(deadline)));
                if let Some(flag) = deadline_flag(deadline, now) {
                    tags = format!("{tags} {flag}");
                }
            }
            let link = format!(
                "<a class=\"govuk-link\" href=\"/motions/{}\">{}</a><span class=\"govuk-body-s govuk-!-display-block govuk-!-margin-top-1 govuk-!-margin-bottom-0\">{}</span>",
                m.id,
                tera::escape_html(&m.title),
                tera::escape_html(&about.join("; ")),
            );
            json!([{"html": link}, {"html": tags}])
        })
        .collect();
    let count = motions.len();
    let showing = showing(
        count,
        ("motion or question", "motions and questions"),
        wanted.map(|s| status_words(s).0),
        more,
    );
    let frame = state.frame(&session, Some(&person), Section::Motions, "Motions and questions")?;
    state.page(
        &frame,
        "motions.html",
        json!({
            "filter": status_filter(MotionStatus::ALL, status_words, wanted),
            "table": {
                "caption": "Motions and questions",
                "captionClasses": "govuk-visually-hidden",
                "head": [{"text": "Motion or question"}, {"text": "Status"}],
                "rows": rows,
            },
            "count": count,
            "showing": showing,
            "pagination": pagination,
            "may_draft": holds_any(&person, DRAFTERS),
            "reads_whip_report": holds_any(&person, WHIP_READERS),
        }),
    )
}

/// What the person may do with a motion (the api checks again: this only
/// decides which forms to offer).
#[derive(Debug, Clone, Copy, serde::Serialize)]
struct Steps {
    /// Revise the draft: the office, or the councillor moving it.
    revise: bool,
    /// Submit the group's draft before the deadline: the office.
    submit: bool,
    /// The draft's deadline has passed: the office is told it cannot submit.
    too_late: bool,
    /// Record that the council tabled it: the office.
    table: bool,
    /// Set the whip on a motion: the office.
    whip: bool,
    /// Record how the meeting dealt with it: the office.
    outcome: bool,
}

impl Steps {
    fn of(person: &Person, motion: &MotionView, deadline: Option<DateTime<Utc>>) -> Self {
        let office = holds_any(person, OFFICE);
        let drafted = motion.status == MotionStatus::Drafted;
        let moves_it = motion.origin.proposer_id.is_some_and(|p| member_id(person) == Some(p));
        let passed = deadline.is_some_and(|d| d < Utc::now());
        let ours = motion.origin.proposer_id.is_some();
        Self {
            revise: drafted && (office || (moves_it && holds_any(person, DRAFTERS))),
            submit: drafted && office && ours && !passed,
            too_late: drafted && office && ours && passed,
            table: motion.status == MotionStatus::Submitted && office,
            whip: office && motion.kind == MotionKind::Motion && !decided(motion.status),
            outcome: office && !decided(motion.status),
        }
    }
}

/// The forms of a motion's page as they are to be shown: empty with a new
/// key each (the revision holding the text as it stands), or one of them as
/// it was sent and refused, with its key.
#[derive(Debug)]
struct MotionForms {
    errors: FieldErrors,
    /// A refusal that is no field's: the step could not be taken as things stand.
    conflict: Option<String>,
    /// The title and text typed (`None`: as they stand), the reason and key.
    revise: (Option<(String, String)>, TextForm),
    submit_key: String,
    table_key: String,
    /// The position chosen (`None`: the whip as it stands), the note and key.
    whip: (Option<String>, TextForm),
}

impl MotionForms {
    fn fresh() -> Self {
        Self {
            errors: FieldErrors::default(),
            conflict: None,
            revise: (None, TextForm::fresh()),
            submit_key: session::random_hex(),
            table_key: session::random_hex(),
            whip: (None, TextForm::fresh()),
        }
    }
}

/// What a motion's page reads besides the motion.
struct Context {
    meeting: Option<MeetingView>,
    members: Vec<MemberView>,
}

/// The page saying the person's role does not allow a form, for one reached
/// by its address rather than offered (the api would refuse it anyway).
fn refuse_unless(state: &State, session: &Session, person: &Person, roles: &[&str]) -> Result<(), PageError> {
    if holds_any(person, roles) {
        return Ok(());
    }
    Err(state.message_page(
        session,
        Some(person),
        StatusCode::FORBIDDEN,
        "You cannot do that",
        "Your role does not allow it.",
    ))
}

/// The members whose votes the form asks for: the group's current members.
fn voters(members: &[MemberView]) -> Vec<&MemberView> {
    let mut current: Vec<&MemberView> = members.iter().filter(|m| m.status == MemberStatus::Member).collect();
    current.sort_by(|a, b| a.name.cmp(&b.name));
    current
}

/// The summary of a motion: where it stands, its meeting and deadline, who
/// brings it, the whip and the outcome's counts.
fn summary(motion: &MotionView, context: &Context, names: &HashMap<Uuid, String>) -> Value {
    let text = |key: &str, value: String| json!({"key": {"text": key}, "value": {"text": value}});
    let member = |id: Uuid| {
        format!(
            "<a class=\"govuk-link\" href=\"/members/{id}\">{}</a>",
            tera::escape_html(&name_of(names, id))
        )
    };
    let deadline = deadline_of(motion, context.meeting.as_ref());
    let mut status = status_tag(motion.status, status_words);
    if motion.status == MotionStatus::Drafted
        && let Some(flag) = deadline.and_then(|d| deadline_flag(d, Utc::now()))
    {
        status = format!("{status} {flag}");
    }
    let mut rows =
        vec![json!({"key": {"text": "Status"}, "value": {"html": status}}), text("Kind", words(motion.kind))];
    rows.push(match &context.meeting {
        Some(meeting) => json!({
            "key": {"text": "Meeting"},
            "value": {"html": format!(
                "<a class=\"govuk-link\" href=\"/meetings/{}\">{}</a>",
                meeting.id,
                tera::escape_html(&meeting_words(meeting)),
            )},
        }),
        None => text("Meeting", "A meeting you cannot see".to_owned()),
    });
    if let Some(deadline) = deadline {
        rows.push(text("Submission deadline", london_time(deadline)));
    }
    if let Some(at) = motion.submitted_at {
        rows.push(text("Submitted", london_time(at)));
    }
    let Origin { proposer_id, seconder_id, mover } = &motion.origin;
    let moved_by = match (proposer_id, mover) {
        (Some(id), _) => Some(json!({"key": {"text": "Moved by"}, "value": {"html": member(*id)}})),
        (None, Some(mover)) => Some(text("Moved by", mover.0.clone())),
        (None, None) => None,
    };
    rows.extend(moved_by);
    if let Some(id) = seconder_id {
        rows.push(json!({"key": {"text": "Seconded by"}, "value": {"html": member(*id)}}));
    }
    if let Some(to) = &motion.directed_to {
        rows.push(text("Put to", to.clone()));
    }
    rows.push(text("Who can read it", words(motion.classification)));
    if let Some(whip) = &motion.whip {
        let mut value = whip_words(whip.position).to_owned();
        if let Some(note) = &whip.note {
            value = format!("{value}: {}", note.0);
        }
        rows.push(text("Whip", value));
    }
    if let Some(c) = motion.counts {
        rows.push(text(
            "The council's vote",
            format!("{} for, {} against, {} abstained, {} absent", c.yes, c.no, c.abstain, c.absent),
        ));
    }
    json!({"rows": rows})
}

/// How the group's members voted, those against the whip tagged.
fn votes_table(motion: &MotionView, names: &HashMap<Uuid, String>) -> Value {
    let rows: Vec<Value> = motion
        .votes
        .iter()
        .map(|vote| {
            let against = motion.departures_from_whip.iter().any(|d| d.member_id == vote.member_id);
            let how = if against {
                format!(
                    "{} {}",
                    tera::escape_html(vote_words(vote.option)),
                    tag_html("Against the whip", "govuk-tag--red")
                )
            } else {
                tera::escape_html(vote_words(vote.option))
            };
            json!([{"text": name_of(names, vote.member_id)}, {"html": how}])
        })
        .collect();
    json!({
        "caption": "How the group's members voted",
        "captionClasses": "govuk-table__caption--m",
        "head": [{"text": "Member"}, {"text": "Vote"}],
        "rows": rows,
    })
}

fn render_motion(
    state: &State,
    session: &Session,
    person: &Person,
    (motion, context): (&MotionView, &Context),
    forms: MotionForms,
    banner: Option<&str>,
) -> Result<HttpResponse, PageError> {
    let errors = &forms.errors;
    let names = names(&context.members);
    let steps = Steps::of(person, motion, deadline_of(motion, context.meeting.as_ref()));
    let earlier: Vec<Value> = motion
        .earlier_texts
        .iter()
        .enumerate()
        .map(|(i, t)| {
            json!({
                "heading": format!("Version {}: {}", i + 1, t.title),
                "reason": t.replaced_because,
                "text": paragraphs(&t.text),
            })
        })
        .collect();
    let earlier_whips: Vec<String> = motion
        .earlier_whips
        .iter()
        .map(|w| match &w.note {
            Some(note) => format!("{}: {}", whip_words(w.position), note.0),
            None => whip_words(w.position).to_owned(),
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
    let (title, text) = forms.revise.0.clone().unwrap_or_else(|| (motion.title.clone(), motion.text.clone()));
    let position = forms
        .whip
        .0
        .clone()
        .unwrap_or_else(|| motion.whip.as_ref().map(|w| wire_word(w.position)).unwrap_or_default());
    let whip_note = match (&forms.whip.0, &motion.whip) {
        (None, Some(WhipSetting { note: Some(note), .. })) => note.0.clone(),
        _ => forms.whip.1.text.clone(),
    };
    let positions: Vec<Value> = WhipPosition::ALL
        .iter()
        .map(
            |p| json!({"value": wire_word(*p), "text": whip_words(*p), "checked": wire_word(*p) == position}),
        )
        .collect();
    let error_summary = match &forms.conflict {
        Some(sentence) => Some(json!({"titleText": "There is a problem", "errorList": [{"text": sentence}]})),
        None => errors.summary(),
    };
    let frame = state.frame(session, Some(person), Section::Motions, motion.title.clone())?;
    let status = if forms.conflict.is_some() { StatusCode::CONFLICT } else { errors.status() };
    state.page_with(
        status,
        &frame,
        "motion.html",
        json!({
            "id": motion.id,
            "kind": words(motion.kind),
            "summary": summary(motion, context, &names),
            "text": paragraphs(&motion.text),
            "amended_text": motion.amended_text.as_deref().map(paragraphs),
            "answer": motion.answer.as_deref().map(paragraphs),
            "earlier": earlier,
            "earlier_whips": earlier_whips,
            "votes": (!motion.votes.is_empty()).then(|| votes_table(motion, &names)),
            "steps": steps,
            "error_summary": error_summary,
            "banner": banner.map(|text| json!({"type": "success", "text": text})),
            "revise_form": {
                "title": {
                    "name": "title", "id": "revise-title",
                    "label": {"text": "Title", "classes": "govuk-label--s"},
                    "value": title,
                    "errorMessage": errors.message("revise-title"),
                },
                "text": textarea("text", "revise-text", "Text", &text, 8),
                "reason": textarea("reason", "revise-reason", "Why it changed (optional)", &forms.revise.1.text, 3),
                "key": forms.revise.1.key,
            },
            "submit_key": forms.submit_key,
            "table_key": forms.table_key,
            "whip_form": {
                "position": {
                    "name": "position", "idPrefix": "whip-position",
                    "fieldset": {"legend": {"text": "The group's position", "classes": "govuk-fieldset__legend--s"}},
                    "items": positions,
                    "errorMessage": errors.message("whip-position"),
                },
                "note": textarea("note", "whip-note", "What members are told (optional)", &whip_note, 3),
                "version": motion.version,
                "key": forms.whip.1.key,
            },
        }),
    )
}

impl RecordForms for MotionForms {
    const PATH: &'static str = "/motions";
    type Loaded = (MotionView, Context);

    /// The motion and what its page shows with it: its meeting (if the person
    /// may read it) and the group's members, for names.
    async fn load(
        (state, session, request): Page<'_>,
        person: &Person,
        id: Uuid,
    ) -> Result<Self::Loaded, PageError> {
        let motion: MotionView = state.read(session, person, request, &format!("/motions/{id}")).await?;
        let meeting = state.api.get(&person.token, &format!("/meetings/{}", motion.meeting_id)).await.ok();
        let members = members(state, session, person, request).await?;
        Ok((motion, Context { meeting, members }))
    }

    fn render(
        self,
        (state, session, _): Page<'_>,
        person: &Person,
        (motion, context): &Self::Loaded,
        banner: Option<&str>,
    ) -> Result<HttpResponse, PageError> {
        render_motion(state, session, person, (motion, context), self, banner)
    }

    fn errors(&self) -> &FieldErrors {
        &self.errors
    }
}

/// What `?done=` says was just done, word by word.
const DONE: &[(&str, &str)] = &[
    ("drafted", "The draft was saved"),
    ("revised", "The text was revised"),
    ("submitted", "It was submitted to the council"),
    ("tabled", "It was recorded as tabled"),
    ("whip", "The whip was set"),
    ("outcome", "The outcome was recorded"),
];

#[get("/motions/{id}")]
pub(super) async fn motion_page(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    query: web::Query<DoneQuery>,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let page = (&**state, &session, &request);
    MotionForms::fresh().shown(page, &person, *id, query.banner(DONE)).await
}

/// A step taken on a motion: where it is sent, how, and the banner's word.
#[derive(Debug, Clone, Copy)]
enum Step {
    Revise,
    Submit,
    Table,
    /// The whip, set if the motion is still at this version.
    Whip(u64),
    Outcome,
}

impl Step {
    fn path(self) -> &'static str {
        match self {
            Self::Revise => "revisions",
            Self::Submit => "submission",
            Self::Table => "tabling",
            Self::Whip(_) => "whip",
            Self::Outcome => "outcome",
        }
    }

    fn done(self) -> &'static str {
        match self {
            Self::Revise => "revised",
            Self::Submit => "submitted",
            Self::Table => "tabled",
            Self::Whip(_) => "whip",
            Self::Outcome => "outcome",
        }
    }

    /// Sends `body` for the step on motion `id`, under `key`.
    async fn send<B: serde::Serialize>(
        self,
        state: &State,
        person: &Person,
        id: Uuid,
        (body, key): (&B, &str),
    ) -> Result<MotionView, ApiFailure> {
        let path = format!("/motions/{id}/{}", self.path());
        match self {
            Self::Whip(version) => state.api.put(&person.token, &path, body, Some(version), key).await,
            _ => state.api.post(&person.token, &path, body, key).await,
        }
    }

    /// Why the api would not take the step as the motion now stands (a 409),
    /// in a sentence: a deadline passed, or someone else's change.
    fn conflict(self, problem: &Problem, motion: &MotionView, context: &Context) -> String {
        let deadline = deadline_of(motion, context.meeting.as_ref());
        match self {
            Self::Submit if deadline.is_some_and(|d| d < Utc::now()) => format!(
                "It was not submitted: the council's deadline for this meeting passed at {}",
                deadline.map(london_time).unwrap_or_default()
            ),
            Self::Whip(version) if version != motion.version => "The whip was not set: someone else changed \
                this motion since you opened it. It is shown as it now stands; set the whip again if it still \
                needs changing"
                .to_owned(),
            _ => format!("That could not be done: {}", problem.detail),
        }
    }
}

/// A step of a motion's page sent to the api: back to the motion with a
/// banner; its refusal at the form's fields (422) or in a sentence (409);
/// else the refusal in words.
async fn take<B: serde::Serialize>(
    (state, session, request): (&State, &Session, &HttpRequest),
    person: &Person,
    (id, step): (Uuid, Step),
    (body, key): (&B, &str),
    (fields, refused): (&[(&str, &str, &str)], impl FnOnce(FieldErrors) -> MotionForms),
) -> Result<HttpResponse, PageError> {
    match step.send(state, person, id, (body, key)).await {
        Ok(_) => Ok(see_other(&format!("/motions/{id}?done={}", step.done()))),
        Err(ApiFailure::Refused(problem)) if problem.status == 422 => {
            refused(FieldErrors::from_problem(&problem, fields))
                .refused((state, session, request), person, id)
                .await
        }
        Err(ApiFailure::Refused(problem)) if problem.status == 409 => {
            let (motion, context) = MotionForms::load((state, session, request), person, id).await?;
            // A 409 is no field's fault: the form is kept as sent, the reason said once.
            let forms = MotionForms {
                conflict: Some(step.conflict(&problem, &motion, &context)),
                ..refused(FieldErrors::default())
            };
            render_motion(state, session, person, (&motion, &context), forms, None)
        }
        Err(failure) => Err(state.refusal(session, person, request, &failure)),
    }
}

#[post("/motions/{id}/revisions")]
pub(super) async fn revise(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    Posted { person, form, key }: Posted,
) -> Result<HttpResponse, PageError> {
    let (title, text) = (form.text("title"), form.text("text"));
    let reason = form.text("reason");
    let body = ReviseMotionRequest {
        title: TitleText(title.clone()),
        text: DocumentText(text.clone()),
        reason: Some(NoteText(reason.clone())).filter(|r| !r.0.trim().is_empty()),
    };
    let refused = |errors: FieldErrors| MotionForms {
        errors,
        revise: (Some((title, text)), TextForm { text: reason, key: key.clone() }),
        ..MotionForms::fresh()
    };
    let fields = [
        ("/title", "revise-title", "The title"),
        ("/text", "revise-text", "The text"),
        ("/reason", "revise-reason", "The reason"),
    ];
    let page = (&**state, &session, &request);
    take(page, &person, (*id, Step::Revise), (&body, &key), (&fields, refused)).await
}

#[post("/motions/{id}/submission")]
pub(super) async fn submit(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    Posted { person, key, .. }: Posted,
) -> Result<HttpResponse, PageError> {
    let page = (&**state, &session, &request);
    let refused = |errors| MotionForms { errors, ..MotionForms::fresh() };
    take(page, &person, (*id, Step::Submit), (&EmptyRequest {}, &key), (&[], refused)).await
}

#[post("/motions/{id}/tabling")]
pub(super) async fn table(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    Posted { person, key, .. }: Posted,
) -> Result<HttpResponse, PageError> {
    let page = (&**state, &session, &request);
    let refused = |errors| MotionForms { errors, ..MotionForms::fresh() };
    take(page, &person, (*id, Step::Table), (&EmptyRequest {}, &key), (&[], refused)).await
}

/// Sets the whip: a browser's form cannot `PUT`, so it posts here and the
/// web client puts it to the api with the version the form was shown at.
#[post("/motions/{id}/whip")]
pub(super) async fn set_whip(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    Posted { person, form, key }: Posted,
) -> Result<HttpResponse, PageError> {
    let (chosen, note) = (form.text("position"), form.text("note"));
    let version = form.version()?;
    let refused = |errors: FieldErrors| MotionForms {
        errors,
        whip: (Some(chosen.clone()), TextForm { text: note.clone(), key: key.clone() }),
        ..MotionForms::fresh()
    };
    let Ok(position) = serde_json::from_value::<WhipPosition>(Value::String(chosen.clone())) else {
        let errors = FieldErrors {
            errors: vec![("whip-position".to_owned(), "Select the group's position".to_owned())],
        };
        return refused(errors).refused((&state, &session, &request), &person, *id).await;
    };
    let body =
        WhipSetting { position, note: Some(NoteText(note.clone())).filter(|n| !n.0.trim().is_empty()) };
    let fields = [("/position", "whip-position", "The position"), ("/note", "whip-note", "The note")];
    let page = (&**state, &session, &request);
    take(page, &person, (*id, Step::Whip(version)), (&body, &key), (&fields, refused)).await
}
