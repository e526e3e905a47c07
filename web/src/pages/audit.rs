//! Audit: whether the group's audit chain verifies, its latest signed
//! checkpoint and its export; and a record's history as a timeline of who
//! changed what, with the record as it stood on a day or after any change.

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, get, http::StatusCode, post, web};
use caucus_wire::audit::{
    AuditLogPage, HistoryEventView, HistoryView, RecordType, VerificationState, VerificationView,
    VerifyReport,
};
use caucus_wire::thousands;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;
use serde_json::{Value, json};
use uuid::Uuid;

use super::{FieldErrors, PageError, Posted, State, SubjectNames, see_other, signed_in};
use crate::api::ApiFailure;
use crate::present::{
    camel_words, london_day, london_day_end, london_time, long_date, sentence, tag_html, wire_word, words,
};
use crate::render::Section;
use crate::session::{self, Person};

/// The audit page: the latest signed checkpoint, the export, and the form
/// that starts a verification of the whole chain (which reads every event of
/// the log, so the api runs it in the background and the page opens at once).
#[get("/audit")]
pub(super) async fn audit_page(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    // The log's first entry: when it begins, and the api's word that the
    // audit is this person's to read (the checkpoint below is anyone's).
    let first: AuditLogPage = state.read(&session, &person, &request, "/audit/log?limit=1").await?;
    let begins = first.entries.first().and_then(|e| e.recorded_at.parse::<DateTime<Utc>>().ok());
    let checkpoint = match state.api.get_file(&person.token, "/audit/checkpoint").await {
        Ok(file) => Some(String::from_utf8_lossy(&file.content).into_owned()),
        // None is signed until the api runs with a signing key.
        Err(ApiFailure::Refused(problem)) if problem.status == 404 => None,
        Err(failure) => return Err(state.refusal(&session, &person, &request, &failure)),
    };
    let frame = state.frame(&session, Some(&person), Section::Audit, "Audit")?;
    state.page(
        &frame,
        "audit.html",
        json!({
            "begins": begins.map(london_time),
            "key": session::random_hex(),
            "checkpoint": checkpoint.as_deref().map(|note| json!({
                "rows": checkpoint_rows(note),
                "note_html": note_html(note),
            })),
        }),
    )
}

/// Starts a verification of the whole chain and shows where it stands.
#[post("/audit/verifications")]
pub(super) async fn start_verification(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    posted: Posted,
) -> Result<HttpResponse, PageError> {
    let Posted { person, key, .. } = posted;
    let sent: Result<VerificationView, _> =
        state.api.post(&person.token, "/audit/verifications", &json!({}), &key).await;
    match sent {
        Ok(started) => Ok(see_other(&format!("/audit/verifications/{}", started.id))),
        Err(failure) => Err(state.refusal(&session, &person, &request, &failure)),
    }
}

/// A verification of the chain: how far it has got while it runs, what it
/// found once done, and a new start if it broke off.
#[get("/audit/verifications/{id}")]
pub(super) async fn verification_page(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let path = format!("/audit/verifications/{id}");
    let view: VerificationView = state.read(&session, &person, &request, &path).await?;
    let (events, checked) = (thousands(view.events), thousands(view.checked));
    let progress = match view.state {
        VerificationState::Running => format!("{checked} of {events} events checked so far."),
        VerificationState::Done => format!("All {events} events checked."),
        VerificationState::Stopped => {
            format!("It stopped after {checked} of {events} events, before it finished.")
        }
    };
    let frame = state.frame(&session, Some(&person), Section::Audit, "Verifying the chain")?;
    state.page(
        &frame,
        "audit-verification.html",
        json!({
            "path": format!("/audit/verifications/{id}"),
            "state": wire_word(view.state),
            "started": london_time(view.started_at),
            "progress": progress,
            "report": view.report.as_ref().map(verification),
            "key": session::random_hex(),
        }),
    )
}

/// What the verification found, as summary list rows.
fn verification(report: &VerifyReport) -> Value {
    let text = |key: &str, value: String| json!({"key": {"text": key}, "value": {"text": value}});
    let chain = match &report.problem {
        None => format!(
            "{} Every event matches its link hash, in order, with no gaps.",
            tag_html("Verified", "govuk-tag--green")
        ),
        Some(problem) => format!(
            "{} {}.",
            tag_html("Problem found", "govuk-tag--red"),
            tera::escape_html(&sentence(&problem.to_string()))
        ),
    };
    let signed = match report.signed_size {
        Some(size) => format!("The first {} events", thousands(size)),
        None => "No events yet".to_owned(),
    };
    json!({"rows": [
        {"key": {"text": "Hash chain"}, "value": {"html": chain}},
        text("Events checked", thousands(report.events)),
        text("Signed checkpoints checked", report.checkpoints.to_string()),
        text("Covered by a signed checkpoint", signed),
    ]})
}

/// A signed checkpoint's lines (C2SP `tlog-checkpoint`: the log's origin, how
/// many events it covers, the chain's head, then a signature line per
/// signer) as summary list rows.
fn checkpoint_rows(note: &str) -> Vec<Value> {
    let (body, signatures) = note.split_once("\n\n").unwrap_or((note, ""));
    let mut lines = body.lines();
    let text = |key: &str, value: &str| json!({"key": {"text": key}, "value": {"text": value}});
    let mut rows = Vec::new();
    for key in ["Log", "Events covered", "Head of the chain"] {
        if let Some(line) = lines.next() {
            rows.push(text(key, line));
        }
    }
    let signers: Vec<&str> = signatures
        .lines()
        .filter_map(|line| line.strip_prefix("— ").and_then(|signed| signed.split_whitespace().next()))
        .collect();
    if !signers.is_empty() {
        rows.push(text("Signed by", &signers.join(", ")));
    }
    rows
}

/// A signed note as HTML, line by line; its long lines of base64 wrap on a
/// phone.
fn note_html(note: &str) -> String {
    let lines: Vec<String> = note.lines().map(tera::escape_html).collect();
    format!("<p class=\"govuk-body-s govuk-!-text-break-word\"><code>{}</code></p>", lines.join("<br>"))
}

/// The group's whole audit log as JSON Lines, to verify offline.
#[get("/audit/export")]
pub(super) async fn export(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let name = format!("caucus-audit-log-{}.jsonl", london_day(Utc::now()));
    state.download_as(&session, &person, &request, "/audit/export", &name).await
}

/// Where the api keeps a kind of record (each one's GET takes `as_of`), and
/// the web client's page of one, if it has one.
fn collection(kind: RecordType) -> (&'static str, Option<&'static str>) {
    match kind {
        RecordType::Decision => ("decisions", Some("decisions")),
        RecordType::Action => ("actions", Some("actions")),
        RecordType::Member => ("members", Some("members")),
        RecordType::Body => ("bodies", Some("bodies")),
        RecordType::Appointment => ("appointments", Some("appointments")),
        RecordType::Publication => ("publications", Some("publications")),
        RecordType::Meeting => ("meetings", Some("meetings")),
        RecordType::Election => ("elections", Some("elections")),
        RecordType::GroupEvent => ("group-events", None),
        RecordType::Course => ("courses", None),
        RecordType::TrainingRecord => ("training-records", None),
        RecordType::InductionSteps => ("induction-steps", None),
        RecordType::Induction => ("inductions", Some("inductions")),
        RecordType::ForwardPlanItem => ("forward-plan-items", Some("forward-plan")),
        RecordType::Motion => ("motions", Some("motions")),
        RecordType::Briefing => ("briefings", Some("briefings")),
        RecordType::Organisation => ("organisations", None),
        RecordType::Resident => ("residents", None),
        RecordType::Case => ("cases", Some("cases")),
        RecordType::Budget => ("budgets", None),
        RecordType::Register => ("registers", Some("registers")),
        // Probity: donations (issue 18); no screen of their own yet.
        RecordType::Donation => ("donations", None),
    }
}

/// Whether the api (and this site) reads a kind of record by its member's
/// id, one to a member, rather than by the record's own.
fn by_member(kind: RecordType) -> bool {
    matches!(kind, RecordType::Register | RecordType::TrainingRecord | RecordType::Induction)
}

/// What a kind of record is called.
fn kind_words(kind: RecordType) -> &'static str {
    match kind {
        RecordType::Decision => "Decision",
        RecordType::Action => "Action",
        RecordType::Member => "Member",
        RecordType::Body => "Body",
        RecordType::Appointment => "Appointment",
        RecordType::Publication => "Publication",
        RecordType::Meeting => "Meeting",
        RecordType::Election => "Election",
        RecordType::GroupEvent => "Group event",
        RecordType::Course => "Course",
        RecordType::TrainingRecord => "Training record",
        RecordType::InductionSteps => "Induction steps",
        RecordType::Induction => "Induction",
        RecordType::ForwardPlanItem => "Forward plan item",
        RecordType::Motion => "Motion or question",
        RecordType::Briefing => "Briefing",
        RecordType::Organisation => "Organisation",
        RecordType::Resident => "Resident",
        RecordType::Case => "Case",
        RecordType::Budget => "Budget",
        RecordType::Register => "Register of interests",
        RecordType::Donation => "Donation",
    }
}

/// A value of a record as a page shows it: days and times as GOV.UK writes
/// them, lists joined, nothing as "(none)".
fn value_text(value: &Value) -> String {
    match value {
        Value::Null => "(none)".to_owned(),
        Value::Bool(true) => "Yes".to_owned(),
        Value::Bool(false) => "No".to_owned(),
        Value::Number(n) => n.to_string(),
        // The api's sealed form of personal data, opened only where it may be.
        Value::String(s) if s.starts_with("sealed:") => "Personal data (sealed)".to_owned(),
        Value::String(s) => {
            if let Ok(at) = DateTime::parse_from_rfc3339(s) {
                london_time(at.to_utc())
            } else if let Ok(day) = s.parse::<NaiveDate>() {
                long_date(day)
            } else {
                s.clone()
            }
        }
        Value::Array(items) if items.is_empty() => "(none)".to_owned(),
        Value::Array(items) if items.iter().all(|i| !i.is_object() && !i.is_array()) => {
            items.iter().map(value_text).collect::<Vec<_>>().join(", ")
        }
        other => other.to_string(),
    }
}

/// Who each event's actor is, in words: "You", a member's name, or the
/// subject. Briefings name who wrote each version with it too.
pub(super) async fn actor_names(state: &State, person: &Person, events: &[HistoryEventView]) -> SubjectNames {
    SubjectNames::read(state, person, events.iter().filter_map(|e| e.actor.as_deref()), "You").await
}

/// The page's query: the day to see the record as it stood on (a GOV.UK
/// date input), or the instant of one of its changes.
#[derive(Debug, Default, Deserialize)]
struct HistoryQuery {
    #[serde(rename = "as_of-day", default)]
    day: String,
    #[serde(rename = "as_of-month", default)]
    month: String,
    #[serde(rename = "as_of-year", default)]
    year: String,
    /// Just after a change: its `recorded_at`.
    at: Option<String>,
}

/// Which moment to show the record at, and how the page names it.
enum AsOf {
    Nothing,
    Day(NaiveDate),
    After(DateTime<Utc>),
}

/// The day the form names, or why it names none: `(field id, message)`.
fn chosen_day(query: &HistoryQuery, today: NaiveDate) -> Result<Option<NaiveDate>, (String, String)> {
    let parts = [("day", query.day.trim()), ("month", query.month.trim()), ("year", query.year.trim())];
    if parts.iter().all(|(_, v)| v.is_empty()) {
        return Ok(None);
    }
    let missing: Vec<&str> = parts.iter().filter(|(_, v)| v.is_empty()).map(|(n, _)| *n).collect();
    if let Some(first) = missing.first() {
        let message = format!("The date must include a {}", missing.join(" and a "));
        return Err((format!("as_of-{first}"), message));
    }
    let number = |text: &str| text.parse::<u32>().ok();
    let day = match (number(parts[0].1), number(parts[1].1), parts[2].1.parse::<i32>().ok()) {
        (Some(d), Some(m), Some(y)) if y >= 1000 => NaiveDate::from_ymd_opt(y, m, d),
        _ => None,
    };
    match day {
        None => Err(("as_of-day".to_owned(), "The date must be a real date".to_owned())),
        Some(day) if day > today => {
            Err(("as_of-day".to_owned(), "The date must be today or in the past".to_owned()))
        }
        Some(day) => Ok(Some(day)),
    }
}

/// One event of the history as the timeline shows it.
fn timeline_entry(kind: RecordType, id: Uuid, event: &HistoryEventView, names: &SubjectNames) -> Value {
    let at = event.recorded_at.as_deref().and_then(|at| DateTime::parse_from_rfc3339(at).ok());
    let who = event.actor.as_deref().map_or_else(|| "Someone unrecorded".to_owned(), |a| names.of_subject(a));
    let roles = event
        .roles
        .as_deref()
        .map(|roles| roles.split(',').map(|r| words(r.trim())).collect::<Vec<_>>().join(", "))
        .filter(|roles| !roles.is_empty());
    let by = match roles {
        Some(roles) => format!("{who}, as {}", roles.to_lowercase()),
        None => who,
    };
    let rows: Vec<Value> = event
        .changes
        .iter()
        .map(|c| json!([{"text": words(&c.field)}, {"text": value_text(&c.before)}, {"text": value_text(&c.after)}]))
        .collect();
    let after = at.and(event.recorded_at.as_deref()).map(|at| {
        let query = serde_urlencoded::to_string([("at", at)]).unwrap_or_default();
        format!("/history/{}/{id}?{query}#as-it-stood", kind.as_str())
    });
    json!({
        "sequence": event.sequence,
        "heading": camel_words(&event.event_type),
        "by": by,
        "when": at.map_or_else(|| "Time not recorded".to_owned(), |at| london_time(at.to_utc())),
        "changes": (!rows.is_empty()).then(|| json!({
            "caption": format!("What changed in event {}", event.sequence),
            "captionClasses": "govuk-visually-hidden",
            "firstCellIsHeader": true,
            "head": [{"text": "Field"}, {"text": "Before"}, {"text": "After"}],
            "rows": rows,
        })),
        "after": after,
    })
}

/// The record as the api rebuilt it, as summary list rows.
fn record_rows(record: &Value) -> Vec<Value> {
    record
        .as_object()
        .map(|fields| {
            fields
                .iter()
                .map(|(field, value)| {
                    let text = match (field.as_str(), value) {
                        ("status", Value::String(status)) => words(status),
                        _ => value_text(value),
                    };
                    json!({"key": {"text": words(field)}, "value": {"text": text}})
                })
                .collect()
        })
        .unwrap_or_default()
}

/// What a record is called: its title or name, else its kind.
fn record_label(record: &Value, kind: RecordType) -> String {
    ["title", "name"]
        .iter()
        .find_map(|field| record.get(*field).and_then(Value::as_str))
        .map_or_else(|| kind_words(kind).to_owned(), str::to_owned)
}

#[get("/history/{record_type}/{id}")]
pub(super) async fn history_page(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    path: web::Path<(String, Uuid)>,
    query: web::Query<HistoryQuery>,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let (name, id) = path.into_inner();
    let Ok(kind) = serde_json::from_value::<RecordType>(Value::String(name)) else {
        return Err(state.message_page(
            &session,
            Some(&person),
            StatusCode::NOT_FOUND,
            "Page not found",
            "It does not exist, or it is not yours to see.",
        ));
    };
    let (records, page) = collection(kind);
    let current: Value = state.read(&session, &person, &request, &format!("/{records}/{id}")).await?;
    // A member's register, training record or induction is read by the
    // member's id, its history by its own.
    let record_id = match by_member(kind) {
        true => current["id"].as_str().and_then(|r| r.parse::<Uuid>().ok()).unwrap_or(id),
        false => id,
    };
    let history: HistoryView =
        state.read(&session, &person, &request, &format!("/history/{}/{record_id}", kind.as_str())).await?;
    let mut errors = FieldErrors::default();
    let as_of = match chosen_day(&query, london_day(Utc::now())) {
        Ok(Some(day)) => AsOf::Day(day),
        Ok(None) => match query.at.as_deref().and_then(|at| DateTime::parse_from_rfc3339(at).ok()) {
            Some(at) => AsOf::After(at.to_utc()),
            None => AsOf::Nothing,
        },
        Err(error) => {
            errors.errors.push(error);
            AsOf::Nothing
        }
    };
    let (instant, stood) = match as_of {
        AsOf::Nothing => (None, None),
        AsOf::Day(day) => (Some(london_day_end(day)), Some(format!("on {}", long_date(day)))),
        AsOf::After(at) => (Some(at), Some(format!("after the change made {}", london_time(at)))),
    };
    let then = match instant {
        Some(at) => {
            let query = serde_urlencoded::to_string([(
                "as_of",
                at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
            )])
            .unwrap_or_default();
            match state.api.get::<Value>(&person.token, &format!("/{records}/{id}?{query}")).await {
                Ok(record) => Some(json!({"rows": record_rows(&record)})),
                // It had no events by then.
                Err(ApiFailure::Refused(problem)) if problem.status == 404 => Some(Value::Null),
                Err(failure) => return Err(state.refusal(&session, &person, &request, &failure)),
            }
        }
        None => None,
    };
    let names = actor_names(&state, &person, &history.events).await;
    let timeline: Vec<Value> = history.events.iter().map(|e| timeline_entry(kind, id, e, &names)).collect();
    let label = record_label(&current, kind);
    let frame = state.frame(&session, Some(&person), Section::Audit, format!("History: {label}"))?;
    let status = errors.status();
    state.page_with(
        status,
        &frame,
        "history.html",
        json!({
            "kind": kind_words(kind),
            "back": page.map(|page| json!({"href": format!("/{page}/{id}"), "text": format!("Back to the {}", kind_words(kind).to_lowercase())})),
            "action": format!("/history/{}/{id}", kind.as_str()),
            "error_summary": errors.summary(),
            "date": {
                "id": "as_of",
                "namePrefix": "as_of",
                "fieldset": {"legend": {"text": "Show it as it stood on", "classes": "govuk-fieldset__legend--s"}},
                "hint": {"text": "For example, 27 3 2026. It shows the record at the end of that day."},
                "items": [
                    {"name": "day", "classes": "govuk-input--width-2", "value": query.day},
                    {"name": "month", "classes": "govuk-input--width-2", "value": query.month},
                    {"name": "year", "classes": "govuk-input--width-4", "value": query.year},
                ],
                "errorMessage": errors.errors.first().map(|(_, text)| json!({"text": text})),
            },
            "stood": stood,
            "then": then,
            "timeline": timeline,
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(day: &str, month: &str, year: &str) -> HistoryQuery {
        HistoryQuery { day: day.into(), month: month.into(), year: year.into(), at: None }
    }

    #[test]
    fn a_date_is_checked_as_govuk_asks() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 27).expect("day");
        assert_eq!(chosen_day(&query("", "", ""), today), Ok(None));
        assert_eq!(chosen_day(&query("1", "3", "2026"), today), Ok(NaiveDate::from_ymd_opt(2026, 3, 1)));
        assert_eq!(
            chosen_day(&query("1", "", ""), today),
            Err(("as_of-month".into(), "The date must include a month and a year".into()))
        );
        assert_eq!(
            chosen_day(&query("31", "2", "2026"), today).map_err(|e| e.1),
            Err("The date must be a real date".into())
        );
        assert_eq!(
            chosen_day(&query("28", "3", "2026"), today).map_err(|e| e.1),
            Err("The date must be today or in the past".into())
        );
    }

    #[test]
    fn values_read_as_a_page_writes_them() {
        assert_eq!(value_text(&Value::Null), "(none)");
        assert_eq!(value_text(&json!("2026-12-06")), "6 December 2026");
        assert_eq!(value_text(&json!(["a", "b"])), "a, b");
        assert_eq!(value_text(&json!(true)), "Yes");
        assert_eq!(value_text(&json!("sealed:v1:abc:def")), "Personal data (sealed)");
    }

    #[test]
    fn a_signed_checkpoint_and_a_finished_verification_are_shown() {
        let tera = crate::render::templates().expect("templates");
        let note = "caucus/newham\n42\nq83lZ1b4Xg==\n\n— caucus-key <AbCd==>\n";
        let mut context = tera::Context::new();
        context.insert("frame", &json!({"title": "Audit", "csrf": "token"}));
        let checkpoint = json!({"rows": checkpoint_rows(note), "note_html": note_html(note)});
        context.insert("page", &json!({"key": "k", "checkpoint": checkpoint}));
        let html = tera.render("audit.html", &context).expect("rendered");
        assert!(html.contains("caucus-key &lt;AbCd==&gt;"), "the note, escaped: {html}");

        let report = VerifyReport { events: 4200, checkpoints: 1, signed_size: Some(4200), problem: None };
        context.insert(
            "page",
            &json!({"state": "done", "report": verification(&report), "started": "today", "progress": ""}),
        );
        let html = tera.render("audit-verification.html", &context).expect("rendered");
        assert!(html.contains("Verified") && html.contains("The first 4,200 events"), "{html}");

        // One that broke off offers to start again; one running, to look again.
        let (path, key) = ("/audit/verifications/1", "k");
        for (state, offered) in
            [("stopped", "action=\"/audit/verifications\""), ("running", "See how far it has got")]
        {
            context.insert(
                "page",
                &json!({"state": state, "path": path, "key": key, "started": "today", "progress": ""}),
            );
            let html = tera.render("audit-verification.html", &context).expect("rendered");
            assert!(html.contains(offered), "{state}: {html}");
        }
    }

    #[test]
    fn a_checkpoint_reads_line_by_line() {
        let note = "caucus/newham\n42\nq83lZ1b4Xg==\n\n— caucus-key AbCd==\n";
        let rows = checkpoint_rows(note);
        let values: Vec<&str> = rows.iter().filter_map(|r| r["value"]["text"].as_str()).collect();
        assert_eq!(values, ["caucus/newham", "42", "q83lZ1b4Xg==", "caucus-key"]);
    }
}
