//! Casework's read pages: the cases the signed-in person may read, one case
//! with its timeline (and the forms of `case_steps` for those who work it),
//! its files, and the cases of councillors who have left, to hand over.

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, get, web};
use caucus_wire::casework::{
    CaseHandoversView, CasePage, CaseStatus, CaseView, DueDateView, PersonalDataShown,
};
use caucus_wire::members::MemberView;
use caucus_wire::organisations::{OrganisationStatus, OrganisationView};
use serde::Deserialize;
use serde_json::{Value, json};
use uuid::Uuid;

use super::case_lifecycle::Step;
use super::case_steps::{self, CASEWORKERS, CaseForms};
use super::{MemberNames, PageError, State, signed_in};
use crate::present::{long_date, tag_html, words};
use crate::render::{Section, holds_any};
use crate::session::Person;

/// How a case's status reads, and its tag's colour.
fn status_words(status: CaseStatus) -> (&'static str, &'static str) {
    match status {
        CaseStatus::Received => ("Received", "govuk-tag--yellow"),
        CaseStatus::Acknowledged => ("Acknowledged", "govuk-tag--blue"),
        CaseStatus::Referred => ("Referred", "govuk-tag--blue"),
        CaseStatus::AwaitingResponse => ("Awaiting response", "govuk-tag--blue"),
        CaseStatus::Responded => ("Responded", "govuk-tag--green"),
        CaseStatus::Closed => ("Closed", "govuk-tag--grey"),
    }
}

/// The GOV.UK tag of a case's status, as HTML: overdue ones red.
fn status_tag(case: &CaseView) -> String {
    let (text, colour) = status_words(case.status);
    if case.overdue {
        tag_html(&format!("{text} (overdue)"), "govuk-tag--red")
    } else {
        tag_html(text, colour)
    }
}

/// What a case is called in lists: its summary for those who read it, else
/// its category and ward.
fn case_title(case: &CaseView) -> String {
    case.summary.clone().unwrap_or_else(|| format!("{} in {}", words(&case.category), case.ward))
}

/// The table of `cases`.
pub(super) fn cases_table(cases: &[CaseView]) -> Value {
    let rows: Vec<Value> = cases
        .iter()
        .map(|case| {
            let link = format!(
                "<a class=\"govuk-link\" href=\"/cases/{}\">{}</a>",
                case.id,
                tera::escape_html(&case_title(case))
            );
            json!([
                {"html": link},
                {"text": case.ward},
                {"text": long_date(case.received_on)},
                {"text": case.next_due_on.map(long_date).unwrap_or_else(|| "–".into())},
                {"html": status_tag(case)},
            ])
        })
        .collect();
    json!({
        "firstCellIsHeader": false,
        "head": [{"text": "Case"}, {"text": "Ward"}, {"text": "Received"}, {"text": "Next due"}, {"text": "Status"}],
        "rows": rows,
    })
}

#[derive(Debug, Deserialize)]
struct ListQuery {
    overdue: Option<bool>,
    done: Option<String>,
}

#[get("/cases")]
pub(super) async fn list(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let overdue = query.overdue == Some(true);
    let path = if overdue { "/cases?overdue=true&limit=100" } else { "/cases?limit=100" };
    let page: CasePage = state.read(&session, &person, &request, path).await?;
    let title = if overdue { "Overdue cases" } else { "Cases" };
    // A step after which the person no longer reads the case (they handed it over) lands here.
    let banner = query.done.as_deref().and_then(Step::of_path).map(Step::done);
    let frame = state.frame(&session, Some(&person), Section::Cases, title)?;
    state.page(
        &frame,
        "cases.html",
        json!({
            "table": cases_table(&page.items),
            "count": page.items.len(),
            "overdue": overdue,
            "may_open": holds_any(&person, CASEWORKERS),
            "banner": banner.map(|text| json!({"type": "success", "text": text})),
        }),
    )
}

/// The open cases of councillors who have left the group, by councillor:
/// each is handed to another councillor, or closed, from its own page.
#[get("/case-handovers")]
pub(super) async fn handovers(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let waiting: CaseHandoversView = state.read(&session, &person, &request, "/case-handovers").await?;
    let groups: Vec<Value> = waiting
        .items
        .iter()
        .map(|former| {
            let left = former.left_on.map(|on| format!("Left the group on {}", long_date(on)));
            let count = match former.cases.len() {
                1 => "1 open case".to_owned(),
                n => format!("{n} open cases"),
            };
            json!({
                "name": former.name,
                "left": left,
                "count": count,
                "table": cases_table(&former.cases),
            })
        })
        .collect();
    let frame = state.frame(&session, Some(&person), Section::CaseHandovers, "Cases to hand over")?;
    state.page(&frame, "case-handovers.html", json!({"groups": groups}))
}

/// How a due date was counted.
fn due(d: &DueDateView) -> String {
    let skipped: Vec<String> = d.skipped.iter().map(|s| format!("{} ({})", long_date(s.on), s.why)).collect();
    let days = match d.working_days {
        1 => "1 working day".to_owned(),
        n => format!("{n} working days"),
    };
    if skipped.is_empty() {
        format!("{} ({days})", long_date(d.on))
    } else {
        format!("{} ({days}, passing over {})", long_date(d.on), skipped.join(", "))
    }
}

/// What the page shows of a text the person may not read.
fn shown(text: Option<&String>) -> String {
    text.cloned().unwrap_or_else(|| "(not shown)".into())
}

/// Everything that happened to the case, by day, oldest first (steps of one
/// day in the order the case records them).
fn timeline(case: &CaseView) -> Vec<Value> {
    let mut entries: Vec<(chrono::NaiveDate, String, Option<String>)> = Vec::new();
    let mut add = |on, what: String, detail: Option<String>| entries.push((on, what, detail));
    add(case.received_on, format!("Came in by {}", words(case.channel).to_lowercase()), case.summary.clone());
    if let Some(on) = case.acknowledged_on {
        add(on, "The resident was told it is being dealt with".into(), None);
    }
    for r in &case.referrals {
        let with = if r.details_shared { ", with the resident's details" } else { "" };
        add(r.referred_on, format!("Referred to {}{with}", r.organisation), None);
        if let Some(on) = r.acknowledged_on {
            let reference = r.their_reference.as_ref().map(|t| format!(" (their reference {t})"));
            add(on, format!("{} acknowledged it{}", r.organisation, reference.unwrap_or_default()), None);
        }
        for chase in &r.chases {
            add(chase.on, format!("Chased {}", r.organisation), chase.note.clone());
        }
        if let Some(response) = &r.response {
            add(response.on, format!("{} answered", r.organisation), Some(shown(response.summary.as_ref())));
        }
    }
    for u in &case.resident_updates {
        add(u.on, format!("The resident was told, by {}", words(u.how).to_lowercase()), u.note.clone());
    }
    for n in &case.notes {
        add(n.on, "Note".into(), Some(shown(n.text.as_ref())));
    }
    for f in &case.files {
        add(f.on, format!("File attached: {}", shown(f.name.as_ref())), None);
    }
    for r in &case.reopenings {
        add(
            r.closed.on,
            format!("Closed: {}", words(r.closed.outcome).to_lowercase()),
            r.closed.note.clone(),
        );
        add(r.on, "Reopened".into(), Some(shown(r.reason.as_ref())));
    }
    if let Some(c) = &case.closure {
        add(c.on, format!("Closed: {}", words(c.outcome).to_lowercase()), c.note.clone());
    }
    entries.sort_by_key(|(on, _, _)| *on);
    entries
        .into_iter()
        .map(|(on, what, detail)| json!({"on": long_date(on), "what": what, "detail": detail}))
        .collect()
}

/// The summary list of a case: where it stands, whose it is, who it is for.
fn summary(case: &CaseView, names: &MemberNames) -> Value {
    let row = |key: &str, value: String| json!({"key": {"text": key}, "value": {"text": value}});
    let mut rows = vec![json!({"key": {"text": "Status"}, "value": {"html": status_tag(case)}})];
    if let Some(resident) = &case.resident {
        rows.push(row("Resident", resident.name.clone().unwrap_or_else(|| "Erased".into())));
        if let Some(address) = &resident.address {
            rows.push(row("Address", address.clone()));
        }
        let consent = if resident.consent_to_share { "Yes" } else { "No" };
        rows.push(row("Agrees to their details being shared", consent.into()));
    }
    rows.push(row("Ward", case.ward.clone()));
    rows.push(row("Category", words(&case.category)));
    rows.push(row("Owner", names.of_id(case.owner_id)));
    let shared: Vec<String> = case.shared_with.iter().map(|id| names.of_id(*id)).collect();
    rows.push(row("Shared with", if shared.is_empty() { "Nobody".into() } else { shared.join(", ") }));
    for h in &case.handovers {
        let note = h.note.as_ref().map(|n| format!(": {n}")).unwrap_or_default();
        rows.push(row("Handed over", format!("From {} to {}{note}", names.of_id(h.from), names.of_id(h.to))));
    }
    if let Some(day) = case.erase_on {
        let kept = match &case.retention {
            Some(r) => format!("{}, kept {} months after closing: {}", long_date(day), r.months, r.reason),
            None => long_date(day),
        };
        rows.push(row("Personal data erased on", kept));
    }
    if let Some(special) = &case.special_category {
        let kinds: Vec<String> = special.kinds.iter().map(|k| words(k).to_lowercase()).collect();
        rows.push(row(
            "Special category data",
            format!(
                "{} ({})",
                crate::present::sentence(&kinds.join(", ")),
                words(special.condition).to_lowercase()
            ),
        ));
    }
    if let Some(due) = case.next_due_on {
        rows.push(row("Next due", long_date(due)));
    }
    json!({"rows": rows})
}

/// A case's referrals with their due dates.
fn referrals(case: &CaseView) -> Vec<Value> {
    let row = |key: &str, value: String| json!({"key": {"text": key}, "value": {"text": value}});
    case.referrals
        .iter()
        .map(|r| {
            let rows = vec![
                row("Referred", long_date(r.referred_on)),
                row("Their reference", r.their_reference.clone().unwrap_or_else(|| "–".into())),
                row("Acknowledgement due", due(&r.acknowledge_by)),
                row("Reply due", due(&r.reply_by)),
            ];
            json!({"title": r.organisation, "list": {"rows": rows}})
        })
        .collect()
}

/// A case and what its forms choose from.
pub(super) struct Loaded {
    case: CaseView,
    members: Vec<MemberView>,
    organisations: Vec<OrganisationView>,
}

/// The case `id` as the person may read it (the api's 404 for anyone else),
/// the group's members (for names and the councillors to share with) and,
/// if it may be referred, the organisations it may be referred to.
pub(super) async fn load(
    state: &State,
    session: &Session,
    person: &Person,
    request: &HttpRequest,
    id: Uuid,
) -> Result<Loaded, PageError> {
    let case: CaseView = state.read(session, person, request, &format!("/cases/{id}")).await?;
    let members: Vec<MemberView> = state.read_all(session, person, request, "/members?limit=200").await?;
    let organisations = if case_steps::offered(person, &case).contains(&Step::Refer) {
        let path = "/organisations?limit=200&status=active";
        let all: Vec<OrganisationView> = state.read_all(session, person, request, path).await?;
        all.into_iter().filter(|o| o.status == OrganisationStatus::Active).collect()
    } else {
        Vec::new()
    };
    Ok(Loaded { case, members, organisations })
}

/// The case's page, with `forms` as they are to be shown: 422 if one was
/// refused.
pub(super) fn render_case(
    state: &State,
    session: &Session,
    person: &Person,
    loaded: &Loaded,
    forms: &CaseForms,
    banner: Option<&str>,
) -> Result<HttpResponse, PageError> {
    let Loaded { case, members, organisations } = loaded;
    let names = MemberNames::of(members);
    let steps = case_steps::forms(person, case, (members, organisations), forms);
    let frame = state.frame(session, Some(person), Section::Cases, case_title(case))?;
    state.page_with(
        forms.errors.status(),
        &frame,
        "case.html",
        json!({
            "case_id": case.id,
            "summary": summary(case, &names),
            // A resident with details on record may bring another case.
            "another_case": holds_any(person, CASEWORKERS)
                && case.resident.as_ref().is_some_and(|r| r.name.is_some()),
            "withheld": case.personal_data != PersonalDataShown::Shown,
            "personal_data": words(case.personal_data),
            "timeline": timeline(case),
            "referrals": referrals(case),
            "files": case.files.iter().map(|f| json!({
                "href": format!("/cases/{}/files/{}", case.id, f.id),
                "name": shown(f.name.as_ref()),
                "size": format!("{} KB", f.size.div_ceil(1024)),
            })).collect::<Vec<_>>(),
            "steps": steps,
            "error_summary": forms.errors.summary(),
            "banner": banner.map(|text| json!({"type": "success", "text": text})),
        }),
    )
}

#[derive(Debug, Deserialize)]
struct CaseQuery {
    done: Option<String>,
}

#[get("/cases/{id}")]
pub(super) async fn case_page(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    query: web::Query<CaseQuery>,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let loaded = load(&state, &session, &person, &request, *id).await?;
    let banner = match query.done.as_deref() {
        Some("opened") => Some("The case was opened"),
        done => done.and_then(Step::of_path).map(Step::done),
    };
    render_case(&state, &session, &person, &loaded, &CaseForms::default(), banner)
}

/// A case's file, fetched from the api with the person's token: the
/// browser holds no token of its own.
#[get("/cases/{id}/files/{file}")]
pub(super) async fn case_file(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    path: web::Path<(Uuid, String)>,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let (id, file) = path.into_inner();
    let file = state.file_id(&session, &person, &file)?;
    state.download(&session, &person, &request, &format!("/cases/{id}/files/{file}")).await
}

/// Whether the person works this case: one of its readers who sees its
/// personal data (an auditor sees the metadata only, and an erased case
/// takes no more steps).
pub(super) fn works(person: &Person, case: &CaseView) -> bool {
    holds_any(person, CASEWORKERS) && case.personal_data == PersonalDataShown::Shown
}
