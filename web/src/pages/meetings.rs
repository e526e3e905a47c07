//! Meetings: the list, a meeting's page (when and where, its agenda with
//! papers and minutes, attendance), and the office's writes to it: an agenda
//! item added, a paper uploaded and attached, the papers despatched,
//! attendance recorded, minutes written and their approval recorded.

use std::collections::HashMap;

use actix_multipart::Multipart;
use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use caucus_wire::files::FileView;
use caucus_wire::meetings::{AgendaItemView, ItemStatus, MeetingKind, MeetingStatus, MeetingView, PaperView};
use caucus_wire::members::{MemberStatus, MemberView};
use chrono::Utc;
use serde_json::{Value, json};
use uuid::Uuid;

use super::choices;
use super::paging::Listed;
use super::query::{DoneQuery, ListQuery};
use super::record::RecordForms;
use super::{FieldErrors, Page, PageError, Posted, State, UploadForm, see_other, signed_in};
use crate::api::ApiFailure;
use crate::present::{london_day, london_time, long_date, tag_html, time_of_day, wire_word, words};
use crate::render::Section;
use crate::session::{self, Person};

mod attendance;
mod minutes;

pub(super) use attendance::{attendance_page, record_attendance};
pub(super) use minutes::{approve_minutes, minutes_page, record_minutes};

/// The roles the api lets write to a meeting.
const WRITERS: &[&str] = &["assistant", "leader", "officer"];

/// The largest paper accepted: the api's limit for a stored file, 20 MiB.
const MAX_PAPER_BYTES: usize = 20 * 1024 * 1024;

/// To whom papers go unless the form says otherwise.
const DEFAULT_RECIPIENTS: &str = "All group members";

/// How attendance reads, in the api's words and the page's.
const ATTENDANCE: &[(&str, &str)] =
    &[("present", "Present"), ("apologies", "Apologies"), ("absent", "Absent")];

fn may_write(person: &Person) -> bool {
    person.roles.iter().any(|role| WRITERS.contains(&role.as_str()))
}

/// What kind of meeting, as the office calls it.
fn kind_words(kind: MeetingKind) -> &'static str {
    match kind {
        MeetingKind::GroupMeeting => "Group meeting",
        MeetingKind::Agm => "Annual general meeting",
        MeetingKind::GroupOfficers => "Group Officers",
        MeetingKind::SubordinateBody => "Group body",
        MeetingKind::FullCouncil => "Full Council",
        MeetingKind::Cabinet => "Cabinet",
        MeetingKind::Scrutiny => "Scrutiny committee",
        MeetingKind::Committee => "Council committee",
    }
}

/// Whether a kind of meeting is the group's own (one that approves the
/// group's minutes), not the council's.
fn groups_own(kind: MeetingKind) -> bool {
    matches!(
        kind,
        MeetingKind::GroupMeeting
            | MeetingKind::Agm
            | MeetingKind::GroupOfficers
            | MeetingKind::SubordinateBody
    )
}

/// A meeting's status as a GOV.UK tag, as HTML.
fn status_tag(status: MeetingStatus) -> String {
    let colour = match status {
        MeetingStatus::Tentative => "govuk-tag--yellow",
        MeetingStatus::Confirmed => "govuk-tag--blue",
        MeetingStatus::Cancelled => "govuk-tag--red",
        MeetingStatus::Held => "govuk-tag--grey",
    };
    tag_html(&words(status), colour)
}

/// When a meeting is: its start, and its end when it has one.
fn when(meeting: &MeetingView) -> String {
    let starts = london_time(meeting.starts_at);
    match meeting.ends_at {
        Some(end) if london_day(end) == london_day(meeting.starts_at) => {
            format!("{starts} to {}", time_of_day(end.with_timezone(&chrono_tz::Europe::London).time()))
        }
        Some(end) => format!("{starts} to {}", london_time(end)),
        None => starts,
    }
}

/// Whether a meeting is still to come: not held, and not yet over.
fn upcoming(meeting: &MeetingView, now: chrono::DateTime<Utc>) -> bool {
    meeting.status != MeetingStatus::Held && meeting.ends_at.unwrap_or(meeting.starts_at) >= now
}

/// The table of `meetings`.
fn meetings_table(meetings: &[&MeetingView]) -> Value {
    let rows: Vec<Value> = meetings
        .iter()
        .map(|meeting| {
            let link = format!(
                "<a class=\"govuk-link\" href=\"/meetings/{}\">{}</a>",
                meeting.id,
                tera::escape_html(&meeting.title)
            );
            json!([
                {"html": link},
                {"text": kind_words(meeting.kind)},
                {"text": when(meeting)},
                {"html": status_tag(meeting.status)},
            ])
        })
        .collect();
    json!({
        "firstCellIsHeader": false,
        "head": [{"text": "Meeting"}, {"text": "Body"}, {"text": "Date and time"}, {"text": "Status"}],
        "rows": rows,
    })
}

#[get("/meetings")]
pub(super) async fn list(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let page = (&session, &person, &request);
    let (now, today) = (Utc::now(), london_day(Utc::now()));
    // Those to come, a year's worth at most, on every page; the past ones,
    // which pile up, a page at a time and the latest recorded first.
    let mut coming: Vec<MeetingView> = choices::meetings_from(&state, page, today).await?;
    coming.retain(|m| upcoming(m, now));
    let path = format!("/meetings?to={today}&order=newest");
    let listed: Listed<MeetingView> = state.read_listed(page, &path, query.cursor()).await?;
    let pagination = listed.pagination("/meetings");
    let mut past: Vec<MeetingView> = listed.items;
    past.retain(|m| !upcoming(m, now));
    past.sort_by_key(|m| std::cmp::Reverse(m.starts_at));
    let (coming, past): (Vec<&MeetingView>, Vec<&MeetingView>) =
        (coming.iter().collect(), past.iter().collect());
    let frame = state.frame(&session, Some(&person), Section::Meetings, "Meetings")?;
    state.page(
        &frame,
        "meetings.html",
        json!({
            "upcoming": (!coming.is_empty()).then(|| meetings_table(&coming)),
            "past": (!past.is_empty()).then(|| meetings_table(&past)),
            "pagination": pagination,
        }),
    )
}

/// The forms of a meeting's page as they are to be shown: empty with a new
/// key each, or one of them as it was sent and refused, with its key.
#[derive(Debug)]
struct MeetingForms {
    /// Why the api refused the form just sent, if it did.
    errors: FieldErrors,
    /// The agenda item form: title, description, key.
    item: (String, String, String),
    /// The paper form: the item chosen, the title, key.
    paper: (Option<Uuid>, String, String),
    /// The despatch form: to whom, key.
    despatch: (String, String),
}

impl MeetingForms {
    fn fresh() -> Self {
        Self {
            errors: FieldErrors::default(),
            item: (String::new(), String::new(), session::random_hex()),
            paper: (None, String::new(), session::random_hex()),
            despatch: (DEFAULT_RECIPIENTS.to_owned(), session::random_hex()),
        }
    }
}

/// A paper as its item lists it: a link to read it, and tags for whether it
/// went out and whether it was late.
fn paper_view(meeting: &MeetingView, paper: &PaperView) -> Value {
    let (href, detail) = match (&paper.file, &paper.link) {
        (Some(file), _) => (
            format!("/meetings/{}/files/{}", meeting.id, file.id),
            format!("{} KB", file.size.div_ceil(1024)),
        ),
        (None, Some(link)) => (link.clone(), "link".to_owned()),
        (None, None) => (String::new(), String::new()),
    };
    let mut tags = Vec::new();
    if paper.late {
        tags.push(tag_html("Late", "govuk-tag--red"));
    }
    let despatched = match paper.despatched_at {
        Some(at) => {
            tags.push(tag_html("Despatched", "govuk-tag--green"));
            Some(format!("Despatched {}", london_time(at)))
        }
        None => {
            tags.push(tag_html("Not despatched", "govuk-tag--grey"));
            None
        }
    };
    json!({
        "title": paper.title,
        "href": href,
        "detail": detail,
        "tags": tags.join(" "),
        "despatched": despatched,
    })
}

fn item_view(meeting: &MeetingView, item: &AgendaItemView) -> Value {
    let withdrawn = item.status == ItemStatus::Withdrawn;
    let heading = match item.number {
        Some(number) => format!("{number}. {}", item.title),
        None => item.title.clone(),
    };
    json!({
        "id": item.id,
        "heading": heading,
        "withdrawn": withdrawn,
        "withdrawal_reason": item.withdrawal_reason,
        "description": item.description,
        "papers": item.papers.iter().map(|p| paper_view(meeting, p)).collect::<Vec<_>>(),
        "minutes": item.minutes,
    })
}

/// How far the minutes have got.
fn minutes_status(meeting: &MeetingView) -> String {
    if let Some(approval) = &meeting.minutes_approved {
        format!("Approved on {}", long_date(approval.on))
    } else if meeting.items.iter().any(|i| i.minutes.is_some()) {
        "Written, not yet approved".to_owned()
    } else {
        "Not written".to_owned()
    }
}

/// Members' names by id, for attendance.
fn names(members: &[MemberView]) -> HashMap<Uuid, &str> {
    members.iter().map(|m| (m.id, m.name.as_str())).collect()
}

/// Attendance as the page lists it (summary list rows): who was present,
/// who sent apologies, who was absent.
fn attendance_lists(meeting: &MeetingView, members: &[MemberView]) -> Vec<Value> {
    let names = names(members);
    ATTENDANCE
        .iter()
        .filter_map(|(value, label)| {
            let mut who: Vec<&str> = meeting
                .attendance
                .iter()
                .filter(|a| wire_word(a.attendance) == *value)
                .map(|a| names.get(&a.member_id).copied().unwrap_or("A former member"))
                .collect();
            who.sort_unstable();
            (!who.is_empty()).then(|| {
                json!({"key": {"text": format!("{label} ({})", who.len())}, "value": {"text": who.join(", ")}})
            })
        })
        .collect()
}

/// The summary of a meeting: when, where, its status, the papers' deadline,
/// its quorum and its minutes.
fn summary(meeting: &MeetingView) -> Value {
    let text = |key: &str, value: String| json!({"key": {"text": key}, "value": {"text": value}});
    let mut rows = vec![text("When", when(meeting))];
    let mut place = Vec::new();
    if let Some(name) = &meeting.place {
        place.push(tera::escape_html(name));
    }
    if let Some(link) = &meeting.online_link {
        place.push(format!("<a class=\"govuk-link\" href=\"{}\">Join online</a>", tera::escape_html(link)));
    }
    if !place.is_empty() {
        rows.push(json!({"key": {"text": "Where"}, "value": {"html": place.join("<br>")}}));
    }
    for moved in &meeting.reschedulings {
        let why = moved.reason.as_ref().map(|r| format!(": {r}")).unwrap_or_default();
        rows.push(text("Moved", format!("From {}{why}", london_time(moved.previous_starts_at))));
    }
    let mut status = json!({"key": {"text": "Status"}, "value": {"html": status_tag(meeting.status)}});
    if let Some(reason) = &meeting.cancellation_reason {
        status["value"]["html"] =
            json!(format!("{} {}", status_tag(meeting.status), tera::escape_html(reason)));
    }
    rows.push(status);
    rows.push(text(
        "Papers due out by",
        format!(
            "{} ({} clear working days before)",
            long_date(meeting.despatch_by),
            meeting.papers_clear_days
        ),
    ));
    if let Some(quorum) = meeting.quorum {
        let state = match meeting.quorate {
            Some(true) => format!(": quorate, {} present", meeting.present),
            Some(false) => format!(": not quorate, {} present", meeting.present),
            None => String::new(),
        };
        rows.push(text("Quorum", format!("{quorum} members{state}")));
    }
    let mut minutes = text("Minutes", minutes_status(meeting));
    if let Some(approval) = &meeting.minutes_approved {
        minutes["value"] = json!({"html": format!(
            "{} at <a class=\"govuk-link\" href=\"/meetings/{}\">a later meeting</a>",
            tera::escape_html(&minutes_status(meeting)),
            approval.meeting_id
        )});
    }
    rows.push(minutes);
    json!({"rows": rows})
}

/// The papers of listed items not yet despatched.
fn undespatched(meeting: &MeetingView) -> usize {
    meeting
        .items
        .iter()
        .filter(|i| i.status == ItemStatus::Listed)
        .flat_map(|i| &i.papers)
        .filter(|p| p.despatched_at.is_none())
        .count()
}

fn render_meeting(
    state: &State,
    session: &Session,
    person: &Person,
    (meeting, members): (&MeetingView, &[MemberView]),
    forms: MeetingForms,
    banner: Option<&str>,
) -> Result<HttpResponse, PageError> {
    let errors = &forms.errors;
    let listed: Vec<&AgendaItemView> =
        meeting.items.iter().filter(|i| i.status == ItemStatus::Listed).collect();
    // Held or cancelled, its agenda and papers are settled.
    let open = matches!(meeting.status, MeetingStatus::Tentative | MeetingStatus::Confirmed);
    let item_title = json!({
        "name": "title", "id": "title",
        "label": {"text": "Title"},
        "value": forms.item.0,
        "errorMessage": errors.message("title"),
    });
    let item_description = json!({
        "name": "description", "id": "description",
        "label": {"text": "Description (optional)"},
        "hint": {"text": "What the item is about, for members reading the agenda."},
        "value": forms.item.1,
        "errorMessage": errors.message("description"),
    });
    let paper_item = json!({
        "name": "item_id", "id": "paper-item",
        "label": {"text": "Agenda item"},
        "items": listed.iter().map(|item| json!({
            "value": item.id,
            "text": item_view(meeting, item)["heading"],
            "selected": forms.paper.0 == Some(item.id),
        })).collect::<Vec<_>>(),
        "errorMessage": errors.message("paper-item"),
    });
    let paper_title = json!({
        "name": "title", "id": "paper-title",
        "label": {"text": "Title (optional)"},
        "hint": {"text": "If you leave it blank, the paper is called by its file name."},
        "value": forms.paper.1,
        "errorMessage": errors.message("paper-title"),
    });
    let file_field = json!({
        "name": "file", "id": "paper-file",
        "label": {"text": "Upload a file"},
        "hint": {"text": "For example a PDF or Word document, smaller than 20MB."},
        "errorMessage": errors.message("paper-file"),
    });
    let waiting = undespatched(meeting);
    let despatch_to = json!({
        "name": "to", "id": "despatch-to",
        "label": {"text": "Sent to"},
        "value": forms.despatch.0,
        "errorMessage": errors.message("despatch-to"),
    });
    let despatch_warning = format!(
        "This sends {} not yet despatched and records when {} went out. It cannot be undone.",
        if waiting == 1 { "the 1 paper".to_owned() } else { format!("the {waiting} papers") },
        if waiting == 1 { "it" } else { "they" },
    );
    let despatches: Vec<Value> = meeting
        .despatches
        .iter()
        .map(|d| {
            let count = d.paper_ids.len();
            json!(format!(
                "{}: {} {} to {}",
                london_time(d.at),
                count,
                if count == 1 { "paper" } else { "papers" },
                d.to.join(", ")
            ))
        })
        .collect();
    let frame = state.frame(session, Some(person), Section::Meetings, meeting.title.clone())?;
    state.page(
        &frame,
        "meeting.html",
        json!({
            "id": meeting.id,
            "kind": Some(kind_words(meeting.kind)).filter(|kind| *kind != meeting.title),
            "summary": summary(meeting),
            "items": meeting.items.iter().map(|i| item_view(meeting, i)).collect::<Vec<_>>(),
            "despatches": despatches,
            "attendance": {"rows": attendance_lists(meeting, members)},
            "may_write": may_write(person),
            "open": open,
            "has_items": !listed.is_empty(),
            "error_summary": errors.summary(),
            "banner": banner.map(|text| json!({"type": "success", "text": text})),
            "item_form": {"title": item_title, "description": item_description, "key": forms.item.2},
            "paper_form": {"item": paper_item, "title": paper_title, "file": file_field, "key": forms.paper.2},
            "despatch_form": {
                "waiting": waiting,
                "to": despatch_to,
                "warning": {"text": despatch_warning, "iconFallbackText": "Warning"},
                "button": if waiting == 1 { "Despatch the paper".to_owned() } else { format!("Despatch {waiting} papers") },
                "key": forms.despatch.1,
            },
        }),
    )
}

impl RecordForms for MeetingForms {
    const PATH: &'static str = "/meetings";
    type Loaded = (MeetingView, Vec<MemberView>);

    /// The meeting and the group's members (for attendance by name).
    async fn load(
        (state, session, request): Page<'_>,
        person: &Person,
        id: Uuid,
    ) -> Result<Self::Loaded, PageError> {
        let meeting: MeetingView = state.read(session, person, request, &format!("/meetings/{id}")).await?;
        let members: Vec<MemberView> = state.read_all(session, person, request, "/members?limit=200").await?;
        Ok((meeting, members))
    }

    fn render(
        self,
        (state, session, _): Page<'_>,
        person: &Person,
        (meeting, members): &Self::Loaded,
        banner: Option<&str>,
    ) -> Result<HttpResponse, PageError> {
        render_meeting(state, session, person, (meeting, members), self, banner)
    }

    fn errors(&self) -> &FieldErrors {
        &self.errors
    }
}

/// What `?done=` says was just done, word by word.
const DONE: &[(&str, &str)] = &[
    ("item", "The agenda item was added"),
    ("paper", "The paper was attached"),
    ("despatch", "The papers were despatched"),
    ("attendance", "Attendance was recorded"),
    ("minutes", "The minutes were saved"),
    ("approval", "The approval of the minutes was recorded"),
];

#[get("/meetings/{id}")]
pub(super) async fn meeting_page(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    query: web::Query<DoneQuery>,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let page = (&**state, &session, &request);
    MeetingForms::fresh().shown(page, &person, *id, query.banner(DONE)).await
}

/// A paper's stored file, fetched from the api with the person's token.
#[get("/meetings/{id}/files/{file}")]
pub(super) async fn paper_file(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    path: web::Path<(Uuid, String)>,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let (_, file) = path.into_inner();
    let file = state.file_id(&session, &person, &file)?;
    state.download(&session, &person, &request, &format!("/files/{file}")).await
}

#[post("/meetings/{id}/items")]
pub(super) async fn add_item(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    Posted { person, form, key }: Posted,
) -> Result<HttpResponse, PageError> {
    let (title, description) = (form.text("title"), form.text("description"));
    let meeting: MeetingView = state.read(&session, &person, &request, &format!("/meetings/{id}")).await?;
    let given = Some(description.trim()).filter(|d| !d.is_empty());
    // An item is seen by whoever may see its meeting.
    let body = json!({"title": title, "description": given, "classification": meeting.classification});
    let fields = [("/title", "title", "Title"), ("/description", "description", "Description")];
    // The same key: the refused submission recorded nothing.
    let refused = |errors| MeetingForms {
        errors,
        item: (title.clone(), description.clone(), key.clone()),
        ..MeetingForms::fresh()
    };
    let page = (&**state, &session, &request);
    MeetingForms::send(page, &person, (*id, "items", "item"), (&body, &key), (&fields, refused)).await
}

/// Where the api's refusal of a paper falls on the form.
const PAPER_FIELDS: &[(&str, &str, &str)] = &[
    ("/item_id", "paper-item", "Agenda item"),
    ("/title", "paper-title", "Title"),
    ("/file_id", "paper-file", "The file"),
    ("/link", "paper-file", "The file"),
    ("/name", "paper-file", "The file's name"),
];

#[post("/meetings/{id}/papers")]
pub(super) async fn attach_paper(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    payload: Multipart,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let sent = UploadForm::receive((&state, &session, &person), payload, "file", MAX_PAPER_BYTES).await?;
    let (key, typed) = (sent.fields.text("idempotency_key"), sent.fields.text("title"));
    let id = *id;
    let item_id = sent.fields.text("item_id").parse::<Uuid>().ok();
    let UploadForm { file, too_large, .. } = sent;
    let own_error = |field: &str, message: &str| MeetingForms {
        errors: FieldErrors { errors: vec![(field.to_owned(), message.to_owned())] },
        paper: (item_id, typed.clone(), key.clone()),
        ..MeetingForms::fresh()
    };
    if too_large {
        let forms = own_error("paper-file", "The selected file must be smaller than 20MB");
        return forms.refused((&state, &session, &request), &person, id).await;
    }
    let (Some(item_id), Some((file_name, media_type, content))) = (item_id, file) else {
        let forms = if item_id.is_none() {
            own_error("paper-item", "Select the agenda item the paper is for")
        } else {
            own_error("paper-file", "Select a file")
        };
        return forms.refused((&state, &session, &request), &person, id).await;
    };
    let meeting: MeetingView = state.read(&session, &person, &request, &format!("/meetings/{id}")).await?;
    // The paper and its file are seen by whoever may see its item.
    let classification =
        meeting.items.iter().find(|i| i.id == item_id).map_or(meeting.classification, |i| i.classification);
    let title = match typed.trim() {
        "" => file_name.clone(),
        title => title.to_owned(),
    };
    let query = serde_urlencoded::to_string([
        ("name", file_name.as_str()),
        ("classification", &wire_word(classification)),
    ])
    .unwrap_or_default();
    let refusal_of = |problem: &caucus_wire::Problem| MeetingForms {
        errors: FieldErrors::from_problem(problem, PAPER_FIELDS),
        paper: (Some(item_id), typed.clone(), key.clone()),
        ..MeetingForms::fresh()
    };
    let stored: Result<FileView, ApiFailure> = state
        .api
        .upload(&person.token, &format!("/files?{query}"), &media_type, content, &format!("{key}.file"))
        .await;
    let file = match stored {
        Ok(file) => file,
        Err(ApiFailure::Refused(problem)) if matches!(problem.status, 413 | 415 | 422) => {
            return refusal_of(&problem).refused((&state, &session, &request), &person, id).await;
        }
        Err(failure) => return Err(state.refusal(&session, &person, &request, &failure)),
    };
    let body =
        json!({"item_id": item_id, "title": title, "file_id": file.id, "classification": classification});
    let sent_paper: Result<MeetingView, ApiFailure> =
        state.api.post(&person.token, &format!("/meetings/{id}/papers"), &body, &key).await;
    match sent_paper {
        Ok(_) => Ok(see_other(&format!("/meetings/{id}?done=paper"))),
        Err(ApiFailure::Refused(problem)) if problem.status == 422 => {
            refusal_of(&problem).refused((&state, &session, &request), &person, id).await
        }
        Err(failure) => Err(state.refusal(&session, &person, &request, &failure)),
    }
}

#[post("/meetings/{id}/despatches")]
pub(super) async fn despatch_papers(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    Posted { person, form, key }: Posted,
) -> Result<HttpResponse, PageError> {
    let to = form.text("to");
    let body = json!({"to": [to]});
    let fields = [("/to", "despatch-to", "Sent to"), ("/to/0", "despatch-to", "Sent to")];
    let refused =
        |errors| MeetingForms { errors, despatch: (to.clone(), key.clone()), ..MeetingForms::fresh() };
    let page = (&**state, &session, &request);
    MeetingForms::send(page, &person, (*id, "despatches", "despatch"), (&body, &key), (&fields, refused))
        .await
}
