//! A member's training record: each course's latest completion with its
//! evidence and how long it counts, every earlier one, and the form to
//! record a completion with its certificate (the office for anyone, a
//! councillor their own) (uploaded from the browser,
//! stored with `/files`, then named as the evidence). Its training needs and
//! their forms are in `needs.rs`.

use actix_multipart::Multipart;
use caucus_wire::files::FileView;
use caucus_wire::members::MemberView;
use caucus_wire::training::{CompletionView, EvidenceKind, RecordCompletionRequest, TrainingRecordView};
use chrono::Utc;

use super::needs::{self, NeedForms};
use super::*;
use crate::api::ApiFailure;
use crate::pages::{DateParts, UploadForm, made, see_other};
use crate::present::london_day;

/// The largest certificate taken (as the api takes files).
const MAX_CERTIFICATE_BYTES: usize = 20 * 1024 * 1024;

/// The completion form's fields, as the api points at them.
const COMPLETION_FIELDS: &[(&str, &str, &str)] = &[
    ("/course_id", "completion-course", "The course"),
    ("/completed_on", "completed-on-day", "The day it was completed"),
    ("/certificate_file_id", "certificate", "The certificate"),
    ("/name", "certificate", "The certificate's file name"),
];

/// The forms of a record's page: recording a completion (empty with a new
/// key, or as it was sent and refused: the certificate must be chosen again,
/// a browser never refills a file field), and the needs' forms.
#[derive(Debug)]
pub(super) struct Forms {
    errors: FieldErrors,
    course: Option<Uuid>,
    on: DateParts,
    key: String,
    needs: NeedForms,
}

impl Forms {
    fn fresh() -> Self {
        Self::with_needs(FieldErrors::default(), NeedForms::fresh())
    }

    /// The page's forms with the needs' forms as sent and refused with `errors`.
    pub(super) fn with_needs(errors: FieldErrors, needs: NeedForms) -> Self {
        Self {
            errors,
            course: None,
            on: DateParts::of(london_day(Utc::now())),
            key: session::random_hex(),
            needs,
        }
    }
}

/// What a record's page reads: the member, their record, the catalogue,
/// the bodies (a new seat's).
pub(super) struct Loaded {
    member: MemberView,
    record: TrainingRecordView,
    courses: Vec<CourseView>,
    bodies: Vec<BodyView>,
}

/// A completion as a table row: the course, when, the evidence, until
/// when, and where it stands.
fn row(member_id: Uuid, c: &CompletionView, courses: &[CourseView], today: NaiveDate) -> Value {
    let evidence = match (c.evidence, c.event_id, &c.file_id) {
        (EvidenceKind::Register, Some(event), _) => {
            format!(
                "<a class=\"govuk-link\" href=\"/group-events/{event}\">The event's attendance register</a>"
            )
        }
        (EvidenceKind::Certificate, _, Some(file)) => format!(
            "<a class=\"govuk-link\" href=\"/members/{member_id}/training/files/{}\">Certificate</a>",
            tera::escape_html(file)
        ),
        (kind, _, _) => crate::present::words(kind),
    };
    let standing = Standing::of(c.valid, c.valid_until, today);
    json!([
        {"html": course_named(courses, c.course_id)},
        {"text": long_date(c.completed_on)},
        {"html": evidence},
        {"text": valid_until(c.valid_until)},
        {"html": status_tag(standing, standing_words)},
    ])
}

/// A table of completions captioned `caption`.
fn table(caption: &str, rows: Vec<Value>) -> Value {
    json!({
        "caption": caption,
        "captionClasses": "govuk-table__caption--m",
        "head": [
            {"text": "Course"}, {"text": "Completed"}, {"text": "Evidence"},
            {"text": "Valid until"}, {"text": "Standing"},
        ],
        "rows": rows,
    })
}

impl RecordForms for Forms {
    const PATH: &'static str = "/members";
    type Loaded = Loaded;

    async fn load(
        (state, session, request): Page<'_>,
        person: &Person,
        id: Uuid,
    ) -> Result<Self::Loaded, PageError> {
        let member: MemberView = state.read(session, person, request, &format!("/members/{id}")).await?;
        let record: TrainingRecordView =
            state.read(session, person, request, &format!("/training-records/{id}")).await?;
        let (courses, bodies) = catalogue((state, session, request), person).await?;
        Ok(Loaded { member, record, courses, bodies })
    }

    fn render(
        self,
        (state, session, _): Page<'_>,
        person: &Person,
        Loaded { member, record, courses, bodies }: &Self::Loaded,
        banner: Option<&str>,
    ) -> Result<HttpResponse, PageError> {
        let today = london_day(Utc::now());
        let held: Vec<Value> = record.held.iter().map(|c| row(member.id, c, courses, today)).collect();
        // Earlier completions: those a later one of the same course replaced.
        let earlier: Vec<Value> = record
            .completions
            .iter()
            .rev()
            .filter(|c| {
                !record.held.iter().any(|h| h.course_id == c.course_id && h.completed_on == c.completed_on)
            })
            .map(|c| row(member.id, c, courses, today))
            .collect();
        let errors = &self.errors;
        let offered = courses.iter().filter(|c| c.status == CourseStatus::Offered);
        let course_items: Vec<Value> = std::iter::once(json!({"value": "", "text": "Choose a course"}))
            .chain(
                offered
                    .map(|c| json!({"value": c.id, "text": c.title, "selected": self.course == Some(c.id)})),
            )
            .collect();
        let title = format!("{}: training", member.name);
        let frame = state.frame(session, Some(person), Section::Training, title)?;
        // The office records anyone's training; a councillor their own.
        let may_change = needs::may_change(person, member.id);
        state.page_with(
            errors.status(),
            &frame,
            "training-record.html",
            json!({
                "member_id": member.id,
                "member_name": member.name,
                "held": (!held.is_empty()).then(|| table("Courses held", held)),
                "earlier": (!earlier.is_empty()).then(|| table("Earlier completions", earlier)),
                "error_summary": errors.summary(),
                "banner": banner.map(|text| json!({"type": "success", "text": text})),
                "may_record": may_change,
                "needs": needs::section(&self.needs, (record, courses, bodies), errors, may_change),
                "form": {
                    "course": {
                        "name": "course_id", "id": "completion-course",
                        "label": {"text": "Course", "classes": "govuk-label--s"},
                        "items": course_items,
                        "errorMessage": errors.message("completion-course"),
                    },
                    "on": self.on.input(
                        ("completed_on", "completed-on"), "The day it was completed",
                        Some("For example, 27 3 2026"), errors,
                    ),
                    "file": {
                        "name": "certificate", "id": "certificate",
                        "label": {"text": "Certificate", "classes": "govuk-label--s"},
                        "hint": {"text": "A PDF or a photo of it, smaller than 20MB."},
                        "errorMessage": errors.message("certificate"),
                    },
                    "key": self.key,
                },
            }),
        )
    }

    fn errors(&self) -> &FieldErrors {
        &self.errors
    }
}

/// What `?done=` says was just done, word by word.
const DONE: &[(&str, &str)] = &[
    ("completed", "The completion was recorded"),
    ("need-recorded", "The training need was recorded"),
    ("need-withdrawn", "The training need was withdrawn"),
];

#[get("/members/{id}/training")]
pub(in crate::pages) async fn record_page(
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

/// A certificate, fetched from the api with the person's token.
#[get("/members/{id}/training/files/{file}")]
pub(in crate::pages) async fn certificate_file(
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

#[post("/members/{id}/training/completions")]
pub(in crate::pages) async fn record_completion(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    payload: Multipart,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let sent =
        UploadForm::receive((&state, &session, &person), payload, "certificate", MAX_CERTIFICATE_BYTES)
            .await?;
    let (id, page) = (*id, (&**state, &session, &request));
    let form = Forms {
        course: sent.fields.text("course_id").parse().ok(),
        on: sent.fields.date("completed_on"),
        key: sent.fields.text("idempotency_key"),
        ..Forms::fresh()
    };
    let mut errors = Vec::new();
    if form.course.is_none() {
        errors.push(("completion-course".to_owned(), "Select the course".to_owned()));
    }
    let on = form.on.parse("The day it was completed");
    if let Err(message) = &on {
        errors.push(("completed-on-day".to_owned(), message.clone()));
    }
    if sent.too_large {
        errors.push(("certificate".to_owned(), "The certificate must be smaller than 20MB".to_owned()));
    } else if sent.file.is_none() {
        errors.push(("certificate".to_owned(), "Select the certificate".to_owned()));
    }
    let (Some(course_id), Ok(completed_on), Some((name, media_type, content)), true) =
        (form.course, on, sent.file, errors.is_empty())
    else {
        return Forms { errors: FieldErrors { errors }, ..form }.refused(page, &person, id).await;
    };
    // Readable by the group, as the record it is the evidence for is.
    let query = serde_urlencoded::to_string([("name", name.as_str()), ("classification", "group")])
        .unwrap_or_default();
    let stored: Result<FileView, ApiFailure> = state
        .api
        .upload(
            &person.token,
            &format!("/files?{query}"),
            &media_type,
            content,
            &format!("{}.file", form.key),
        )
        .await;
    let file = match stored {
        // Too large, or of a kind the api does not store: the file's fault.
        Err(ApiFailure::Refused(problem)) if matches!(problem.status, 413 | 415) => {
            let message = crate::present::sentence(&problem.detail);
            let errors = FieldErrors { errors: vec![("certificate".to_owned(), message)] };
            return Forms { errors, ..form }.refused(page, &person, id).await;
        }
        stored => match made(page, &person, stored, COMPLETION_FIELDS)? {
            Ok(file) => file,
            Err(errors) => return Forms { errors, ..form }.refused(page, &person, id).await,
        },
    };
    let body = RecordCompletionRequest { course_id, completed_on, certificate_file_id: file.id };
    let recorded: Result<TrainingRecordView, ApiFailure> =
        state.api.post(&person.token, &format!("/training-records/{id}/completions"), &body, &form.key).await;
    match made(page, &person, recorded, COMPLETION_FIELDS)? {
        Ok(_) => Ok(see_other(&format!("/members/{id}/training?done=completed"))),
        Err(errors) => Forms { errors, ..form }.refused(page, &person, id).await,
    }
}
