//! Elections to the group's posts: the list (open ones first), one election
//! with its candidates, each round's votes and the result, and the office's
//! writes: a candidate nominated or withdrawn, a round's votes recorded, the
//! result declared (the api appoints the winner), the election called off;
//! and the form that calls one.

use std::collections::HashMap;

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use caucus_wire::bodies::{BodyKind, BodyStatus, BodyView};
use caucus_wire::elections::{
    CancelElectionRequest, CandidateRequest, CandidateVotes, CountRoundRequest, DeclareResultRequest,
    ElectionStatus, ElectionView, OpenElectionRequest,
};
use caucus_wire::meetings::{MeetingStatus, MeetingView};
use caucus_wire::members::{MemberStatus, MemberView};
use caucus_wire::{ChosenClassification, NoteText, TitleText};
use chrono::{NaiveDate, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use super::choices;
use super::query::DoneQuery;
use super::record::RecordForms;
use super::{
    DateParts, FieldErrors, OFFICE, Page, PageError, Posted, State, TextForm, classification_radios,
    confirmation, send, signed_in,
};
use crate::present::{london_day, long_date, sentence, status_tag, wire_word, words};
use crate::render::{Section, holds_any};
use crate::session::{self, Person};

/// How a status reads, and the colour of its tag.
fn status_words(status: ElectionStatus) -> (&'static str, &'static str) {
    match status {
        ElectionStatus::Open => ("Open", "govuk-tag--blue"),
        ElectionStatus::Declared => ("Declared", "govuk-tag--green"),
        ElectionStatus::Cancelled => ("Cancelled", "govuk-tag--grey"),
    }
}

/// Where a status comes in the list: open ones, which still need the
/// office, first.
fn status_rank(status: ElectionStatus) -> u8 {
    match status {
        ElectionStatus::Open => 0,
        ElectionStatus::Declared => 1,
        ElectionStatus::Cancelled => 2,
    }
}

/// The winner's term: "1 May 2026 to 30 April 2027", or "from 1 May 2026".
fn term_words(election: &ElectionView) -> String {
    match election.term_ends_on {
        Some(end) => format!("{} to {}", long_date(election.term_starts_on), long_date(end)),
        None => format!("from {}", long_date(election.term_starts_on)),
    }
}

/// Names by id: the group's members and its posts.
struct Names {
    members: HashMap<Uuid, String>,
    posts: HashMap<Uuid, String>,
}

impl Names {
    fn of(members: &[MemberView], bodies: &[BodyView]) -> Self {
        Self {
            members: members.iter().map(|m| (m.id, m.name.clone())).collect(),
            posts: bodies.iter().map(|b| (b.id, b.name.clone())).collect(),
        }
    }

    fn member(&self, id: Uuid) -> String {
        self.members.get(&id).cloned().unwrap_or_else(|| "A former member".to_owned())
    }

    fn post(&self, id: Uuid) -> String {
        self.posts.get(&id).cloned().unwrap_or_else(|| "A post".to_owned())
    }
}

async fn names(
    state: &State,
    session: &Session,
    person: &Person,
    request: &HttpRequest,
) -> Result<(Vec<MemberView>, Vec<BodyView>), PageError> {
    let members: Vec<MemberView> = state.read_all(session, person, request, "/members?limit=200").await?;
    let bodies: Vec<BodyView> = state.read_all(session, person, request, "/bodies?limit=200").await?;
    Ok((members, bodies))
}

#[get("/elections")]
pub(super) async fn list(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let mut elections: Vec<ElectionView> =
        state.read_all(&session, &person, &request, "/elections?limit=200").await?;
    let (members, bodies) = names(&state, &session, &person, &request).await?;
    let names = Names::of(&members, &bodies);
    // Open ones first, then the latest terms first.
    elections.sort_by(|a, b| {
        status_rank(a.status).cmp(&status_rank(b.status)).then(b.term_starts_on.cmp(&a.term_starts_on))
    });
    let rows: Vec<Value> = elections
        .iter()
        .map(|e| {
            let link = format!(
                "<a class=\"govuk-link\" href=\"/elections/{}\">{}</a><span class=\"govuk-body-s govuk-!-display-block govuk-!-margin-top-1 govuk-!-margin-bottom-0\">{}, term {}</span>",
                e.id,
                tera::escape_html(&e.title),
                tera::escape_html(&names.post(e.body_id)),
                term_words(e),
            );
            let standing = match e.outcome.as_ref() {
                Some(outcome) => format!("Won by {}", names.member(outcome.winner)),
                None => match e.candidates.len() {
                    1 => "1 candidate".to_owned(),
                    n => format!("{n} candidates"),
                },
            };
            json!([{"html": link}, {"text": standing}, {"html": status_tag(e.status, status_words)}])
        })
        .collect();
    let open = elections.iter().filter(|e| e.status == ElectionStatus::Open).count();
    let showing = match (elections.len(), open) {
        (0, _) => "There are no elections.".to_owned(),
        (1, 1) => "1 election, open.".to_owned(),
        (1, _) => "1 election.".to_owned(),
        (n, o) => format!("{n} elections, {o} open."),
    };
    let frame = state.frame(&session, Some(&person), Section::Elections, "Elections")?;
    state.page(
        &frame,
        "elections.html",
        json!({
            "table": {
                "caption": "Elections",
                "captionClasses": "govuk-visually-hidden",
                "head": [{"text": "Election"}, {"text": "Candidates"}, {"text": "Status"}],
                "rows": rows,
            },
            "count": elections.len(),
            "showing": showing,
            "may_open": holds_any(&person, OFFICE),
        }),
    )
}

/// The forms of an election's page as they are to be shown: empty with a
/// new key each, or one of them as it was sent and refused, with its key.
#[derive(Debug)]
struct ElectionForms {
    errors: FieldErrors,
    /// The member chosen and the key.
    nominate: (Option<Uuid>, String),
    withdraw: (Option<Uuid>, String),
    /// Each candidate's votes as typed, and the key.
    round: (HashMap<Uuid, String>, String),
    declare: (DateParts, String),
    cancel: TextForm,
}

impl ElectionForms {
    fn fresh() -> Self {
        Self {
            errors: FieldErrors::default(),
            nominate: (None, session::random_hex()),
            withdraw: (None, session::random_hex()),
            round: (HashMap::new(), session::random_hex()),
            declare: (DateParts::of(london_day(Utc::now())), session::random_hex()),
            cancel: TextForm::fresh(),
        }
    }
}

/// The id of a candidate's votes field in the round form.
fn round_field(member: Uuid) -> String {
    format!("round-{member}")
}

/// Everything an election's page shows: the election, the meeting it is
/// held at, and the names of members and posts.
struct Loaded {
    election: ElectionView,
    meeting: Option<MeetingView>,
    members: Vec<MemberView>,
    bodies: Vec<BodyView>,
}

/// The summary of an election: its status, post, meeting, term, result.
fn summary(loaded: &Loaded, names: &Names) -> Value {
    let election = &loaded.election;
    let text = |key: &str, value: String| json!({"key": {"text": key}, "value": {"text": value}});
    let mut rows = vec![
        json!({"key": {"text": "Status"}, "value": {"html": status_tag(election.status, status_words)}}),
        text("Post", names.post(election.body_id)),
        text("Term", sentence(&term_words(election))),
    ];
    if let Some(meeting) = &loaded.meeting {
        rows.push(json!({
            "key": {"text": "Held at"},
            "value": {"html": format!(
                "<a class=\"govuk-link\" href=\"/meetings/{}\">{}, {}</a>",
                meeting.id,
                tera::escape_html(&meeting.title),
                long_date(london_day(meeting.starts_at)),
            )},
        }));
    }
    rows.push(text("Who can read it", words(election.classification)));
    if let Some(outcome) = &election.outcome {
        let how = if outcome.uncontested { ", unopposed" } else { "" };
        rows.push(text("Elected", format!("{}{how}", names.member(outcome.winner))));
        rows.push(text("Declared", long_date(outcome.on)));
    }
    if let Some(reason) = &election.cancellation_reason {
        rows.push(text("Why it was called off", reason.clone()));
    }
    json!({"rows": rows})
}

/// Every round's votes as one table: a row per candidate who stood in any
/// round, a column per round.
fn rounds_table(election: &ElectionView, names: &Names) -> Option<Value> {
    if election.rounds.is_empty() {
        return None;
    }
    let mut standing: Vec<Uuid> = Vec::new();
    for votes in election.rounds.iter().flatten() {
        if !standing.contains(&votes.member_id) {
            standing.push(votes.member_id);
        }
    }
    let count = |round: &[CandidateVotes], member: Uuid| {
        round
            .iter()
            .find(|v| v.member_id == member)
            .map_or_else(|| "Not standing".to_owned(), |v| v.votes.to_string())
    };
    let mut head = vec![json!({"text": "Candidate"})];
    head.extend(
        (1..=election.rounds.len()).map(|n| json!({"text": format!("Round {n}"), "format": "numeric"})),
    );
    let mut rows: Vec<Value> = standing
        .iter()
        .map(|member| {
            let mut row = vec![json!({"text": names.member(*member)})];
            row.extend(
                election
                    .rounds
                    .iter()
                    .map(|round| json!({"text": count(round, *member), "format": "numeric"})),
            );
            Value::Array(row)
        })
        .collect();
    let mut totals = vec![json!({"text": "Total"})];
    totals.extend(election.rounds.iter().map(|round| {
        json!({"text": round.iter().map(|v| u64::from(v.votes)).sum::<u64>().to_string(), "format": "numeric"})
    }));
    rows.push(Value::Array(totals));
    Some(json!({
        "caption": "Votes in each round",
        "captionClasses": "govuk-visually-hidden",
        "firstCellIsHeader": true,
        "head": head,
        "rows": rows,
    }))
}

/// `members` as a select's items, `chosen` selected, after a prompt.
fn member_items(members: &[(Uuid, String)], chosen: Option<Uuid>) -> Vec<Value> {
    std::iter::once(json!({"value": "", "text": "Choose a member"}))
        .chain(
            members
                .iter()
                .map(|(id, name)| json!({"value": id, "text": name, "selected": chosen == Some(*id)})),
        )
        .collect()
}

fn render_election(
    state: &State,
    session: &Session,
    person: &Person,
    loaded: &Loaded,
    forms: ElectionForms,
    banner: Option<&str>,
) -> Result<HttpResponse, PageError> {
    let election = &loaded.election;
    let errors = &forms.errors;
    let names = Names::of(&loaded.members, &loaded.bodies);
    let may_write = holds_any(person, OFFICE) && election.status == ElectionStatus::Open;
    let candidates: Vec<(Uuid, String)> =
        election.candidates.iter().map(|id| (*id, names.member(*id))).collect();
    let withdrawn: Vec<String> = election.withdrawn.iter().map(|id| names.member(*id)).collect();
    let mut nominable: Vec<(Uuid, String)> = loaded
        .members
        .iter()
        .filter(|m| m.status == MemberStatus::Member && !election.candidates.contains(&m.id))
        .map(|m| (m.id, m.name.clone()))
        .collect();
    nominable.sort_by(|a, b| a.1.cmp(&b.1));
    let round_inputs: Vec<Value> = candidates
        .iter()
        .map(|(id, name)| {
            let field = round_field(*id);
            json!({
                "name": format!("votes-{id}"), "id": field,
                "label": {"text": name},
                "classes": "govuk-input--width-4",
                "inputmode": "numeric",
                "spellcheck": false,
                "value": forms.round.0.get(id).cloned().unwrap_or_default(),
                "errorMessage": errors.message(&field),
            })
        })
        .collect();
    let frame = state.frame(session, Some(person), Section::Elections, election.title.clone())?;
    state.page_with(
        errors.status(),
        &frame,
        "election.html",
        json!({
            "id": election.id,
            "summary": summary(loaded, &names),
            "candidates": candidates.iter().map(|(_, name)| name).collect::<Vec<_>>(),
            "withdrawn": withdrawn,
            "rounds": rounds_table(election, &names),
            "next_round": election.rounds.len() + 1,
            "may_write": may_write,
            "error_summary": errors.summary(),
            "banner": banner.map(|text| json!({"type": "success", "text": text})),
            "nominate_form": {
                "member": {
                    "name": "member_id", "id": "nominate-member",
                    "label": {"text": "Member", "classes": "govuk-label--s"},
                    "items": member_items(&nominable, forms.nominate.0),
                    "errorMessage": errors.message("nominate-member"),
                },
                "any": !nominable.is_empty(),
                "key": forms.nominate.1,
            },
            "withdraw_form": {
                "member": {
                    "name": "member_id", "id": "withdraw-member",
                    "label": {"text": "Candidate", "classes": "govuk-label--s"},
                    "hint": {"text": "One who withdraws, or is eliminated before another round"},
                    "items": member_items(&candidates, forms.withdraw.0),
                    "errorMessage": errors.message("withdraw-member"),
                },
                "key": forms.withdraw.1,
            },
            "round_form": {
                "inputs": round_inputs,
                "key": forms.round.1,
            },
            "declare_form": {
                "on": forms.declare.0.input(
                    ("on", "declared-on"), "Date it was declared", Some("For example, 27 3 2026"), errors,
                ),
                "key": forms.declare.1,
            },
            "cancel_form": {
                "reason": {
                    "name": "reason", "id": "cancel-reason", "rows": 3,
                    "label": {"text": "Why it is being called off", "classes": "govuk-label--s"},
                    "value": forms.cancel.text,
                    "errorMessage": errors.message("cancel-reason"),
                },
                "confirm": confirmation("cancel-confirm", "I understand the election will be called off for good", errors),
                "key": forms.cancel.key,
            },
        }),
    )
}

impl RecordForms for ElectionForms {
    const PATH: &'static str = "/elections";
    type Loaded = Loaded;

    async fn load(
        (state, session, request): Page<'_>,
        person: &Person,
        id: Uuid,
    ) -> Result<Self::Loaded, PageError> {
        let election: ElectionView =
            state.read(session, person, request, &format!("/elections/{id}")).await?;
        // The meeting is a nicety: one the person may not read is left out.
        let meeting = match election.meeting_id {
            Some(meeting) => {
                state.api.get::<MeetingView>(&person.token, &format!("/meetings/{meeting}")).await.ok()
            }
            None => None,
        };
        let (members, bodies) = names(state, session, person, request).await?;
        Ok(Loaded { election, meeting, members, bodies })
    }

    fn render(
        self,
        (state, session, _): Page<'_>,
        person: &Person,
        loaded: &Self::Loaded,
        banner: Option<&str>,
    ) -> Result<HttpResponse, PageError> {
        render_election(state, session, person, loaded, self, banner)
    }

    fn errors(&self) -> &FieldErrors {
        &self.errors
    }
}

/// What `?done=` says was just done, word by word.
const DONE: &[(&str, &str)] = &[
    ("opened", "The election was called"),
    ("nominated", "The candidate was nominated"),
    ("withdrawn", "The candidate was withdrawn"),
    ("counted", "The round's votes were recorded"),
    ("declared", "The result was declared and the winner appointed to the post"),
    ("cancelled", "The election was called off"),
];

#[get("/elections/{id}")]
pub(super) async fn election_page(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    query: web::Query<DoneQuery>,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let page = (&**state, &session, &request);
    ElectionForms::fresh().shown(page, &person, *id, query.banner(DONE)).await
}

/// The error of a form the page checked itself, at field `id`.
fn field_error(id: &str, message: &str) -> FieldErrors {
    FieldErrors { errors: vec![(id.to_owned(), message.to_owned())] }
}

#[post("/elections/{id}/nominations")]
pub(super) async fn nominate(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    posted: Posted,
) -> Result<HttpResponse, PageError> {
    let words =
        ("nominations", "nominated", "nominate-member", "The member", "Select the member to nominate");
    send_candidate((&state, &session, &request), posted, *id, words, |forms| &mut forms.nominate).await
}

#[post("/elections/{id}/withdrawals")]
pub(super) async fn withdraw(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    posted: Posted,
) -> Result<HttpResponse, PageError> {
    let words = (
        "withdrawals",
        "withdrawn",
        "withdraw-member",
        "The candidate",
        "Select the candidate who is withdrawing",
    );
    send_candidate((&state, &session, &request), posted, *id, words, |forms| &mut forms.withdraw).await
}

/// A candidate chosen on the election's page and sent to the api's `step`:
/// nominating and withdrawing differ only in their words (`done`, the
/// field, what it is called, what to say if none was chosen) and which of
/// the page's forms `kept` keeps the choice in.
async fn send_candidate(
    page: Page<'_>,
    Posted { person, form, key }: Posted,
    id: Uuid,
    (step, done, field, called, missing): (&str, &str, &str, &str, &str),
    kept: fn(&mut ElectionForms) -> &mut (Option<Uuid>, String),
) -> Result<HttpResponse, PageError> {
    let member = form.text("member_id").parse::<Uuid>().ok();
    let refused = |errors: FieldErrors| {
        let mut forms = ElectionForms { errors, ..ElectionForms::fresh() };
        *kept(&mut forms) = (member, key.clone());
        forms
    };
    let Some(member_id) = member else {
        return refused(field_error(field, missing)).refused(page, &person, id).await;
    };
    let fields = [("/member_id", field, called)];
    let body = (&CandidateRequest { member_id }, key.as_str());
    ElectionForms::send(page, &person, (id, step, done), body, (&fields, refused)).await
}

#[post("/elections/{id}/rounds")]
pub(super) async fn count_round(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    Posted { person, form, key }: Posted,
) -> Result<HttpResponse, PageError> {
    // Each candidate's votes come as `votes-<member id>`.
    let typed: Vec<(Uuid, String)> = form
        .0
        .iter()
        .filter_map(|(name, value)| {
            let member = name.strip_prefix("votes-")?.parse::<Uuid>().ok()?;
            Some((member, value.trim().to_owned()))
        })
        .collect();
    let mut errors = Vec::new();
    let mut votes = Vec::new();
    for (member, text) in &typed {
        match text.parse::<u32>() {
            Ok(n) => votes.push(CandidateVotes { member_id: *member, votes: n }),
            Err(_) if text.is_empty() => {
                errors.push((round_field(*member), "Enter the votes, 0 if none".to_owned()))
            }
            Err(_) => errors.push((round_field(*member), "Votes must be a whole number".to_owned())),
        }
    }
    let first = typed.first().map_or_else(|| "round".to_owned(), |(member, _)| round_field(*member));
    let refused = |errors: FieldErrors| ElectionForms {
        errors,
        round: (typed.iter().cloned().collect(), key.clone()),
        ..ElectionForms::fresh()
    };
    if !errors.is_empty() {
        return refused(FieldErrors { errors }).refused((&state, &session, &request), &person, *id).await;
    }
    // The api names the round as a whole: its errors go to the first count.
    let fields = [("/votes", first.as_str(), "The votes")];
    let page = (&**state, &session, &request);
    ElectionForms::send(
        page,
        &person,
        (*id, "rounds", "counted"),
        (&CountRoundRequest { votes }, &key),
        (&fields, refused),
    )
    .await
}

#[post("/elections/{id}/result")]
pub(super) async fn declare(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    Posted { person, form, key }: Posted,
) -> Result<HttpResponse, PageError> {
    let on = form.date("on");
    let refused = |errors: FieldErrors| ElectionForms {
        errors,
        declare: (on.clone(), key.clone()),
        ..ElectionForms::fresh()
    };
    let day = match on.parse("The date") {
        Ok(day) => day,
        Err(message) => {
            let errors = field_error("declared-on-day", &message);
            return refused(errors).refused((&state, &session, &request), &person, *id).await;
        }
    };
    let fields = [("/on", "declared-on-day", "The date")];
    let page = (&**state, &session, &request);
    ElectionForms::send(
        page,
        &person,
        (*id, "result", "declared"),
        (&DeclareResultRequest { on: day }, &key),
        (&fields, refused),
    )
    .await
}

#[post("/elections/{id}/cancellation")]
pub(super) async fn cancel(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    Posted { person, form, key }: Posted,
) -> Result<HttpResponse, PageError> {
    let reason = form.text("reason");
    let refused = |errors: FieldErrors| ElectionForms {
        errors,
        cancel: TextForm { text: reason.clone(), key: key.clone() },
        ..ElectionForms::fresh()
    };
    if form.text("confirm") != "yes" {
        let errors = field_error("cancel-confirm", "Confirm that the election is to be called off");
        return refused(errors).refused((&state, &session, &request), &person, *id).await;
    }
    let body = CancelElectionRequest { reason: NoteText(reason.clone()) };
    let fields = [("/reason", "cancel-reason", "The reason")];
    let page = (&**state, &session, &request);
    ElectionForms::send(page, &person, (*id, "cancellation", "cancelled"), (&body, &key), (&fields, refused))
        .await
}

/// The call-an-election form as typed.
#[derive(Debug, Default)]
struct NewElection {
    title: String,
    post: String,
    meeting: String,
    starts_on: DateParts,
    ends_on: DateParts,
    classification: String,
}

/// The group's active posts and its meetings still to come, for the form.
async fn load_choices(
    state: &State,
    session: &Session,
    person: &Person,
    request: &HttpRequest,
) -> Result<(Vec<BodyView>, Vec<MeetingView>), PageError> {
    let bodies: Vec<BodyView> = state.read_all(session, person, request, "/bodies?limit=200").await?;
    let mut posts: Vec<BodyView> = bodies
        .into_iter()
        .filter(|b| b.kind == BodyKind::GroupPost && b.status == BodyStatus::Active)
        .collect();
    posts.sort_by(|a, b| a.name.cmp(&b.name));
    let today = london_day(Utc::now());
    let mut meetings = choices::meetings_from(state, (session, person, request), today).await?;
    meetings.retain(|m| matches!(m.status, MeetingStatus::Tentative | MeetingStatus::Confirmed));
    Ok((posts, meetings))
}

fn render_new(
    state: &State,
    session: &Session,
    person: &Person,
    (posts, meetings): (&[BodyView], &[MeetingView]),
    (form, errors, key): (&NewElection, FieldErrors, String),
) -> Result<HttpResponse, PageError> {
    let post_items: Vec<Value> = std::iter::once(json!({"value": "", "text": "Choose a post"}))
        .chain(posts.iter().map(|b| {
            let value = b.id.to_string();
            json!({"value": value, "text": b.name, "selected": value == form.post})
        }))
        .collect();
    let meeting_items: Vec<Value> = std::iter::once(json!({"value": "", "text": "Not at a meeting"}))
        .chain(meetings.iter().map(|m| {
            let value = m.id.to_string();
            json!({
                "value": value,
                "text": format!("{}, {}", m.title, long_date(london_day(m.starts_at))),
                "selected": value == form.meeting,
            })
        }))
        .collect();
    let frame = state.frame(session, Some(person), Section::Elections, "Call an election")?;
    state.page_with(
        errors.status(),
        &frame,
        "election-form.html",
        json!({
            "key": key,
            "error_summary": errors.summary(),
            "title": {
                "name": "title", "id": "title",
                "label": {"text": "Title", "classes": "govuk-label--s"},
                "hint": {"text": "For example, Chief Whip 2026/27"},
                "value": form.title,
                "errorMessage": errors.message("title"),
            },
            "post": {
                "name": "body_id", "id": "post",
                "label": {"text": "The post", "classes": "govuk-label--s"},
                "items": post_items,
                "errorMessage": errors.message("post"),
            },
            "meeting": {
                "name": "meeting_id", "id": "meeting",
                "label": {"text": "The meeting it is held at (optional)", "classes": "govuk-label--s"},
                "hint": {"text": "Normally the AGM"},
                "items": meeting_items,
                "errorMessage": errors.message("meeting"),
            },
            "starts_on": form.starts_on.input(
                ("term_starts_on", "term-starts-on"), "First day of the term", Some("For example, 21 5 2026"), &errors,
            ),
            "ends_on": form.ends_on.input(
                ("term_ends_on", "term-ends-on"), "Last day of the term (optional)", Some("For example, 20 5 2027"), &errors,
            ),
            "classification": classification_radios(&form.classification, &errors),
        }),
    )
}

#[get("/elections/new")]
pub(super) async fn new_page(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let choices = load_choices(&state, &session, &person, &request).await?;
    let form =
        NewElection { classification: wire_word(ChosenClassification::Group), ..NewElection::default() };
    render_new(
        &state,
        &session,
        &person,
        (&choices.0, &choices.1),
        (&form, FieldErrors::default(), session::random_hex()),
    )
}

#[post("/elections")]
pub(super) async fn call(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    Posted { person, form: sent, key }: Posted,
) -> Result<HttpResponse, PageError> {
    let form = NewElection {
        title: sent.text("title"),
        post: sent.text("body_id"),
        meeting: sent.text("meeting_id"),
        starts_on: sent.date("term_starts_on"),
        ends_on: sent.date("term_ends_on"),
        classification: sent.text("classification"),
    };
    let mut errors = Vec::new();
    let post = form.post.parse::<Uuid>().ok();
    if post.is_none() {
        errors.push(("post".to_owned(), "Select the post".to_owned()));
    }
    let starts_on = form.starts_on.parse("The first day of the term");
    if let Err(message) = &starts_on {
        errors.push(("term-starts-on-day".to_owned(), message.clone()));
    }
    let ends_on: Result<Option<NaiveDate>, String> = if form.ends_on.is_blank() {
        Ok(None)
    } else {
        form.ends_on.parse("The last day of the term").map(Some)
    };
    if let Err(message) = &ends_on {
        errors.push(("term-ends-on-day".to_owned(), message.clone()));
    }
    let classification =
        serde_json::from_value::<ChosenClassification>(Value::String(form.classification.clone())).ok();
    if classification.is_none() {
        errors.push(("classification".to_owned(), "Select who can read it".to_owned()));
    }
    let (Some(body_id), Ok(term_starts_on), Ok(term_ends_on), Some(classification), true) =
        (post, starts_on, ends_on, classification, errors.is_empty())
    else {
        let (posts, meetings) = load_choices(&state, &session, &person, &request).await?;
        return render_new(
            &state,
            &session,
            &person,
            (&posts, &meetings),
            (&form, FieldErrors { errors }, key),
        );
    };
    let body = OpenElectionRequest {
        body_id,
        meeting_id: form.meeting.parse().ok(),
        title: TitleText(form.title.clone()),
        term_starts_on,
        term_ends_on,
        classification,
    };
    let fields = [
        ("/title", "title", "The title"),
        ("/body_id", "post", "The post"),
        ("/meeting_id", "meeting", "The meeting"),
        ("/term_starts_on", "term-starts-on-day", "The first day of the term"),
        ("/term_ends_on", "term-ends-on-day", "The last day of the term"),
        ("/classification", "classification", "Who can read it"),
    ];
    let to = |made: ElectionView| format!("/elections/{}?done=opened", made.id);
    let again = async |errors: FieldErrors| {
        let (posts, meetings) = load_choices(&state, &session, &person, &request).await?;
        render_new(&state, &session, &person, (&posts, &meetings), (&form, errors, key.clone()))
    };
    let page = (&**state, &session, &request);
    send(page, &person, ("/elections", &body, &key), to, (&fields, again)).await
}
