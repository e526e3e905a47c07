//! The web client's pages: each handler reads or writes through the api with
//! the signed-in person's token and renders what it got.

mod actions;
mod appointments;
mod audit;
mod bodies;
mod briefings;
mod case_lifecycle;
mod case_new;
mod case_steps;
mod cases;
mod decisions;
mod elections;
mod forward_plan;
mod home;
mod meetings;
mod members;
mod motions;
mod publications;
mod query;
mod record;
mod sign_in;
mod social;

use actix_session::Session;
use actix_web::{FromRequest, HttpRequest, HttpResponse, ResponseError, http::StatusCode, web};
use tera::Tera;

use crate::api::{Api, ApiFailure};
use crate::assets::Assets;
use crate::render::{Frame, Section};
use crate::session::{self, Person};

pub use sign_in::DevSignIn;

/// What every handler shares.
#[derive(Debug)]
pub struct State {
    /// The api.
    pub api: Api,
    /// The templates.
    pub tera: Tera,
    /// The assets' names.
    pub assets: Assets,
    /// The group's name.
    pub group_name: String,
    /// Development sign-in, if the api runs with its development secret.
    pub dev: Option<DevSignIn>,
    /// Sign-in through the council's identity provider, if configured.
    pub oidc: Option<crate::oidc::OidcSignIn>,
}

impl State {
    /// The frame of a page in `section` titled `title`.
    fn frame<'a>(
        &'a self,
        session: &Session,
        person: Option<&'a Person>,
        section: Section,
        title: impl Into<String>,
    ) -> Result<Frame<'a>, PageError> {
        Ok(Frame {
            title: title.into(),
            group_name: &self.group_name,
            person,
            section,
            csrf: session::csrf_token(session).map_err(|e| PageError::Internal(e.to_string()))?,
            assets: &self.assets,
        })
    }

    /// Renders `template` in `frame` as a 200 page.
    fn page(
        &self,
        frame: &Frame<'_>,
        template: &str,
        page: impl serde::Serialize,
    ) -> Result<HttpResponse, PageError> {
        self.page_with(StatusCode::OK, frame, template, page)
    }

    fn page_with(
        &self,
        status: StatusCode,
        frame: &Frame<'_>,
        template: &str,
        page: impl serde::Serialize,
    ) -> Result<HttpResponse, PageError> {
        let html =
            frame.render(&self.tera, template, page).map_err(|e| PageError::Internal(format!("{e:?}")))?;
        Ok(HttpResponse::build(status).content_type("text/html; charset=utf-8").body(html))
    }

    /// A page telling what went wrong in words a person can act on.
    fn problem_page(&self, session: &Session, person: Option<&Person>, failure: &ApiFailure) -> PageError {
        let (status, title, advice) = explain(failure);
        self.message_page(session, person, status, title, &advice)
    }

    /// A page titled `title` saying `advice`, answered with `status`.
    fn message_page(
        &self,
        session: &Session,
        person: Option<&Person>,
        status: StatusCode,
        title: &str,
        advice: &str,
    ) -> PageError {
        let page = serde_json::json!({"advice": advice});
        let rendered = self.frame(session, person, Section::None, title).and_then(|frame| {
            frame.render(&self.tera, "problem.html", page).map_err(|e| PageError::Internal(format!("{e:?}")))
        });
        match rendered {
            Ok(html) => PageError::Shown { status, html },
            Err(error) => error,
        }
    }

    /// What the page shows instead of the api's answer: signing in again on
    /// a 401 (the token expired or was revoked), and back to this page; else
    /// the refusal in words.
    fn refusal(
        &self,
        session: &Session,
        person: &Person,
        request: &HttpRequest,
        failure: &ApiFailure,
    ) -> PageError {
        if failure.status() == 401 {
            return sign_in::sign_in_again(request);
        }
        self.problem_page(session, Some(person), failure)
    }

    /// `GET /api/v1{path}` as `person`, or the page shown instead.
    async fn read<T: serde::de::DeserializeOwned>(
        &self,
        session: &Session,
        person: &Person,
        request: &HttpRequest,
        path: &str,
    ) -> Result<T, PageError> {
        self.api
            .get(&person.token, path)
            .await
            .map_err(|failure| self.refusal(session, person, request, &failure))
    }

    /// Every item of the api's paged list at `GET /api/v1{path}` (a path
    /// with a query), following its `next_cursor` to the last page.
    async fn read_all<T: serde::de::DeserializeOwned>(
        &self,
        session: &Session,
        person: &Person,
        request: &HttpRequest,
        path: &str,
    ) -> Result<Vec<T>, PageError> {
        #[derive(serde::Deserialize)]
        struct Page<T> {
            items: Vec<T>,
            next_cursor: Option<String>,
        }
        let mut items = Vec::new();
        let mut next = path.to_owned();
        loop {
            let page: Page<T> = self.read(session, person, request, &next).await?;
            items.extend(page.items);
            match page.next_cursor {
                Some(cursor) => {
                    let cursor = serde_urlencoded::to_string([("cursor", cursor)]).unwrap_or_default();
                    next = format!("{path}&{cursor}");
                }
                None => return Ok(items),
            }
        }
    }

    /// `file` if it can name a stored file (its SHA-256 in hex), else the
    /// page saying there is no such page.
    fn file_id<'f>(&self, session: &Session, person: &Person, file: &'f str) -> Result<&'f str, PageError> {
        if !file.is_empty() && file.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(file);
        }
        Err(self.message_page(
            session,
            Some(person),
            StatusCode::NOT_FOUND,
            "Page not found",
            "It does not exist, or it is not yours to see.",
        ))
    }

    /// The stored file at `GET /api/v1{path}`, fetched with the person's
    /// token (the browser holds none of its own) and handed on as sent.
    async fn download(
        &self,
        session: &Session,
        person: &Person,
        request: &HttpRequest,
        path: &str,
    ) -> Result<HttpResponse, PageError> {
        self.download_named(session, person, request, path, None).await
    }

    /// The file at `GET /api/v1{path}` as [`State::download`] hands it on,
    /// but saved as `file_name` (an export the api streams unnamed).
    async fn download_as(
        &self,
        session: &Session,
        person: &Person,
        request: &HttpRequest,
        path: &str,
        file_name: &str,
    ) -> Result<HttpResponse, PageError> {
        self.download_named(session, person, request, path, Some(file_name)).await
    }

    async fn download_named(
        &self,
        session: &Session,
        person: &Person,
        request: &HttpRequest,
        path: &str,
        file_name: Option<&str>,
    ) -> Result<HttpResponse, PageError> {
        let download = self
            .api
            .get_file(&person.token, path)
            .await
            .map_err(|failure| self.refusal(session, person, request, &failure))?;
        let mut response = HttpResponse::Ok();
        response.content_type(download.media_type).insert_header(("Cache-Control", "private, no-store"));
        let disposition = match file_name {
            Some(name) => Some(format!("attachment; filename=\"{name}\"")),
            None => download.disposition,
        };
        if let Some(disposition) = disposition {
            response.insert_header(("Content-Disposition", disposition));
        }
        Ok(response.body(download.content))
    }
}

/// A form the api refused (422): its errors by field, for the error summary
/// at the top of the page and the message on each field.
#[derive(Debug, Default)]
struct FieldErrors {
    /// `(field id, message)` in the api's order.
    errors: Vec<(String, String)>,
}

impl FieldErrors {
    /// The errors of `problem` on the form's `fields`: `(JSON pointer, field
    /// id, what the field is called)`. An error on no field of the form is
    /// linked to the first field.
    fn from_problem(problem: &caucus_wire::Problem, fields: &[(&str, &str, &str)]) -> Self {
        let first = fields.first().map_or("", |(_, id, _)| *id);
        let mut errors: Vec<(String, String)> = problem
            .errors
            .iter()
            .map(|error| match fields.iter().find(|(pointer, _, _)| *pointer == error.pointer) {
                Some((_, id, name)) => ((*id).to_owned(), format!("{name} {}", error.detail)),
                None => (first.to_owned(), error.detail.clone()),
            })
            .collect();
        if errors.is_empty() {
            errors.push((first.to_owned(), problem.detail.clone()));
        }
        Self { errors }
    }

    /// The status a page with these errors answers with: 422 if there are
    /// any, else 200.
    fn status(&self) -> StatusCode {
        if self.errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY }
    }

    /// The GOV.UK error summary's parameters, if there are errors.
    fn summary(&self) -> Option<serde_json::Value> {
        (!self.errors.is_empty()).then(|| {
            let list: Vec<serde_json::Value> = self
                .errors
                .iter()
                .map(|(id, text)| serde_json::json!({"text": text, "href": format!("#{id}")}))
                .collect();
            serde_json::json!({"titleText": "There is a problem", "errorList": list})
        })
    }

    /// The error message of field `id`, as a GOV.UK component's
    /// `errorMessage` parameter.
    fn message(&self, id: &str) -> Option<serde_json::Value> {
        let messages: Vec<&str> =
            self.errors.iter().filter(|(field, _)| field == id).map(|(_, text)| text.as_str()).collect();
        (!messages.is_empty()).then(|| serde_json::json!({"text": messages.join(". ")}))
    }
}

/// Members' names by id, for a page naming members it holds only the ids
/// of; one no longer in the list is "A former member".
#[derive(Debug)]
struct MemberNames(std::collections::HashMap<uuid::Uuid, String>);

impl MemberNames {
    fn of(members: &[caucus_wire::members::MemberView]) -> Self {
        Self(members.iter().map(|m| (m.id, m.name.clone())).collect())
    }

    fn of_id(&self, id: uuid::Uuid) -> String {
        self.0.get(&id).cloned().unwrap_or_else(|| "A former member".to_owned())
    }
}

/// Who a token subject is, in words: the person themself, a member's name,
/// or the subject as it is.
#[derive(Debug)]
struct SubjectNames {
    me: String,
    /// How the person reads themself ("You" heading a line, "you" within one).
    you: &'static str,
    members: std::collections::BTreeMap<String, String>,
}

impl SubjectNames {
    /// The members' names, read only if `needed` (some subject is a member
    /// id), the person reading as `you`.
    async fn read(state: &State, person: &Person, needed: bool, you: &'static str) -> Self {
        // Names are a nicety: a page that cannot have them shows the subject.
        let members = if needed {
            state
                .api
                .get::<caucus_wire::members::MemberPage>(&person.token, "/members?limit=200")
                .await
                .map(|page| page.items.into_iter().map(|m| (m.id.to_string(), m.name)).collect())
                .unwrap_or_default()
        } else {
            std::collections::BTreeMap::new()
        };
        Self { me: person.subject.clone(), you, members }
    }

    fn of_subject(&self, subject: &str) -> String {
        if subject == self.me {
            self.you.to_owned()
        } else {
            self.members.get(subject).cloned().unwrap_or_else(|| subject.to_owned())
        }
    }
}

/// Who runs the office: they may change any record, where a councillor may
/// change only their own.
const OFFICE: &[&str] = &["assistant", "leader", "officer"];

/// The radios choosing who may read a new record, `chosen` (a wire word)
/// checked.
fn classification_radios(chosen: &str, errors: &FieldErrors) -> serde_json::Value {
    use caucus_wire::Mirror as _;
    let hint = |c: caucus_wire::ChosenClassification| match c {
        caucus_wire::ChosenClassification::Public => "Anyone, once it is published",
        caucus_wire::ChosenClassification::Group => "Every member of the group",
        caucus_wire::ChosenClassification::Officers => "Group Officers and the Political Assistant",
        caucus_wire::ChosenClassification::Confidential => "The Political Assistant, the Leader and auditors",
    };
    let items: Vec<serde_json::Value> = caucus_wire::ChosenClassification::ALL
        .iter()
        .map(|c| {
            let value = crate::present::wire_word(*c);
            serde_json::json!({
                "value": value,
                "text": crate::present::words(*c),
                "hint": {"text": hint(*c)},
                "checked": value == chosen,
            })
        })
        .collect();
    serde_json::json!({
        "name": "classification",
        "idPrefix": "classification",
        "fieldset": {"legend": {"text": "Who can read it", "classes": "govuk-fieldset__legend--s"}},
        "items": items,
        "errorMessage": errors.message("classification"),
    })
}

/// The checkbox a person ticks to confirm a step that cannot be undone
/// (cancelling, withdrawing): sent as `confirm=yes`, its error at `id`.
fn confirmation(id: &str, text: &str, errors: &FieldErrors) -> serde_json::Value {
    serde_json::json!({
        "name": "confirm",
        "idPrefix": id,
        "items": [{"value": "yes", "text": text}],
        "errorMessage": errors.message(id),
    })
}

/// A form as the browser sent it: its fields by name, as typed.
#[derive(Debug, Default)]
struct SentForm(Vec<(String, String)>);

impl SentForm {
    fn of(fields: web::Form<Vec<(String, String)>>) -> Self {
        Self(fields.into_inner())
    }

    /// The field `name` (its first value), with a browser's line breaks
    /// made plain; empty if it was not sent.
    fn text(&self, name: &str) -> String {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| v.replace("\r\n", "\n")).unwrap_or_default()
    }

    /// Every field as sent, in order: for a form whose fields are named
    /// by what they are about (one per member).
    fn fields(&self) -> impl Iterator<Item = &(String, String)> {
        self.0.iter()
    }

    /// The GOV.UK date input whose fields are named `{name}-day`,
    /// `{name}-month` and `{name}-year`.
    fn date(&self, name: &str) -> DateParts {
        let part = |part: &str| self.text(&format!("{name}-{part}")).trim().to_owned();
        DateParts { day: part("day"), month: part("month"), year: part("year") }
    }
}

/// A form POSTed from one of our pages, as every form handler starts: the
/// signed-in person (else a redirect to sign in), the form as sent (refused
/// as a forgery if its anti-forgery token is not this session's), and the
/// Idempotency-Key it was shown with.
#[derive(Debug)]
struct Posted {
    person: Person,
    form: SentForm,
    key: String,
}

impl FromRequest for Posted {
    type Error = actix_web::Error;
    type Future = futures::future::LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(request: &HttpRequest, payload: &mut actix_web::dev::Payload) -> Self::Future {
        let fields = web::Form::<Vec<(String, String)>>::from_request(request, payload);
        let request = request.clone();
        Box::pin(async move {
            let fields = fields.await?;
            let session = Session::extract(&request).await?;
            let person = signed_in(&session, &request)?;
            let form = SentForm::of(fields);
            check_form(&session, &form.text("csrf"))?;
            let key = form.text("idempotency_key");
            Ok(Self { person, form, key })
        })
    }
}

/// A form of one text field (a note, a reason) as typed, and the key it was
/// shown with: a refused form is shown again with both.
#[derive(Debug)]
struct TextForm {
    text: String,
    key: String,
}

impl TextForm {
    /// Empty, with a new key.
    fn fresh() -> Self {
        Self { text: String::new(), key: session::random_hex() }
    }
}

/// A day as a GOV.UK date input holds it: its day, month and year as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct DateParts {
    day: String,
    month: String,
    year: String,
}

impl DateParts {
    /// `day` in the date input's fields.
    fn of(day: chrono::NaiveDate) -> Self {
        use chrono::Datelike as _;
        Self { day: day.day().to_string(), month: day.month().to_string(), year: day.year().to_string() }
    }

    /// Whether nothing was typed.
    fn is_blank(&self) -> bool {
        self.day.is_empty() && self.month.is_empty() && self.year.is_empty()
    }

    /// The day typed, or what is wrong with it as GOV.UK words it, `called`
    /// being what the date is (`"The due date"`).
    fn parse(&self, called: &str) -> Result<chrono::NaiveDate, String> {
        if self.is_blank() {
            return Err(format!("Enter {}", called.to_lowercase()));
        }
        let missing: Vec<&str> = [("day", &self.day), ("month", &self.month), ("year", &self.year)]
            .into_iter()
            .filter(|(_, value)| value.is_empty())
            .map(|(part, _)| part)
            .collect();
        if !missing.is_empty() {
            return Err(format!("{called} must include a {}", missing.join(" and a ")));
        }
        let number = |text: &str| text.parse::<u32>().ok();
        let year = Some(&self.year).filter(|y| y.len() == 4).and_then(|y| y.parse::<i32>().ok());
        match (year, number(&self.month), number(&self.day)) {
            (Some(year), Some(month), Some(day)) => chrono::NaiveDate::from_ymd_opt(year, month, day)
                .ok_or_else(|| format!("{called} must be a real date")),
            _ => Err(format!("{called} must be a real date")),
        }
    }

    /// The GOV.UK date input's parameters: fields named `{name}-day` and so
    /// on, with ids `{id}-day` and so on. Its error is the one `errors` holds
    /// at `{id}-day`, its first field, where the error summary links.
    fn input(
        &self,
        (name, id): (&str, &str),
        legend: &str,
        hint: Option<&str>,
        errors: &FieldErrors,
    ) -> serde_json::Value {
        let item = |part: &str, value: &str, width: u8| {
            let classes = format!("govuk-input--width-{width}");
            serde_json::json!({"name": part, "label": crate::present::sentence(part), "value": value, "classes": classes})
        };
        serde_json::json!({
            "id": id,
            "namePrefix": name,
            "fieldset": {"legend": {"text": legend, "classes": "govuk-fieldset__legend--s"}},
            "hint": hint.map(|text| serde_json::json!({"text": text})),
            "errorMessage": errors.message(&format!("{id}-day")),
            "items": [item("day", &self.day, 2), item("month", &self.month, 2), item("year", &self.year, 4)],
        })
    }
}

/// A multipart form (one with a file) as the browser sent it: its text
/// fields, and the file if one was chosen.
#[derive(Debug, Default)]
struct UploadForm {
    /// The text fields.
    fields: SentForm,
    /// The file field's name, media type and bytes, if a file was chosen.
    file: Option<(String, String, Vec<u8>)>,
    /// The file was past the limit it was read with.
    too_large: bool,
}

impl UploadForm {
    /// The largest text field kept.
    const MAX_FIELD_BYTES: usize = 64 * 1024;

    /// Reads the form, whose file field is `file_field`, keeping at most
    /// `limit` bytes of the file; or the page saying it could not be read,
    /// or a forgery if its anti-forgery token is not this session's.
    async fn receive(
        (state, session, person): (&State, &Session, &Person),
        payload: actix_multipart::Multipart,
        file_field: &str,
        limit: usize,
    ) -> Result<Self, PageError> {
        let sent = Self::read(payload, file_field, limit).await.ok_or_else(|| {
            let advice = "The form could not be read. Go back, choose the file again and send it.";
            state.message_page(
                session,
                Some(person),
                StatusCode::BAD_REQUEST,
                "That could not be done",
                advice,
            )
        })?;
        check_form(session, &sent.fields.text("csrf"))?;
        Ok(sent)
    }

    /// The form, or `None` if it is not a multipart form we can read.
    async fn read(mut payload: actix_multipart::Multipart, file_field: &str, limit: usize) -> Option<Self> {
        use futures::StreamExt as _;
        let mut sent = Self::default();
        while let Some(field) = payload.next().await {
            let mut field = field.ok()?;
            let name = field.name().unwrap_or_default().to_owned();
            let file_name =
                field.content_disposition().and_then(|d| d.get_filename()).unwrap_or_default().to_owned();
            let media_type = field
                .content_type()
                .map_or_else(|| "application/octet-stream".to_owned(), |m| m.essence_str().to_owned());
            let limit = if name == file_field { limit } else { Self::MAX_FIELD_BYTES };
            let (mut bytes, mut over) = (Vec::new(), false);
            while let Some(chunk) = field.next().await {
                let chunk = chunk.ok()?;
                // Read to the end (so the browser hears the answer) but keep nothing past the limit.
                over |= bytes.len() + chunk.len() > limit;
                if !over {
                    bytes.extend_from_slice(&chunk);
                }
            }
            if name == file_field {
                sent.too_large |= over;
                if !over && !file_name.is_empty() && !bytes.is_empty() {
                    sent.file = Some((file_name, media_type, bytes));
                }
            } else if !over {
                sent.fields.0.push((name, String::from_utf8(bytes).ok()?));
            }
        }
        Some(sent)
    }
}

/// A page's three parts a form's answer needs.
type Page<'a> = (&'a State, &'a Session, &'a HttpRequest);

/// A form's write `POST /api/v1{path}` as `person`, answered as
/// [`answered`] says.
async fn send<T, B, F>(
    page: Page<'_>,
    person: &Person,
    (path, body, key): (&str, &B, &str),
    to: impl FnOnce(T) -> String,
    (fields, refused): (&[(&str, &str, &str)], impl FnOnce(FieldErrors) -> F),
) -> Result<HttpResponse, PageError>
where
    T: serde::de::DeserializeOwned,
    B: serde::Serialize,
    F: std::future::Future<Output = Result<HttpResponse, PageError>>,
{
    let sent = page.0.api.post(&person.token, path, body, key).await;
    answered(page, person, sent, to, (fields, refused)).await
}

/// What a browser sees after a form's write: a 303 to `to(what the api
/// made)` (the record's page with `?done=`); on a 422 the form again from
/// `refused`, with the api's errors at the form's `fields` (see
/// [`FieldErrors::from_problem`]); else the refusal in words.
async fn answered<T, F>(
    (state, session, request): Page<'_>,
    person: &Person,
    sent: Result<T, ApiFailure>,
    to: impl FnOnce(T) -> String,
    (fields, refused): (&[(&str, &str, &str)], impl FnOnce(FieldErrors) -> F),
) -> Result<HttpResponse, PageError>
where
    F: std::future::Future<Output = Result<HttpResponse, PageError>>,
{
    match made((state, session, request), person, sent, fields)? {
        Ok(made) => Ok(see_other(&to(made))),
        Err(errors) => refused(errors).await,
    }
}

/// The api's answer to a form's write: what it made, or on a 422 its
/// errors at the form's `fields` (see [`FieldErrors::from_problem`]);
/// any other refusal is the page shown instead.
fn made<T>(
    (state, session, request): Page<'_>,
    person: &Person,
    sent: Result<T, ApiFailure>,
    fields: &[(&str, &str, &str)],
) -> Result<Result<T, FieldErrors>, PageError> {
    match sent {
        Ok(made) => Ok(Ok(made)),
        Err(ApiFailure::Refused(problem)) if problem.status == 422 => {
            Ok(Err(FieldErrors::from_problem(&problem, fields)))
        }
        Err(failure) => Err(state.refusal(session, person, request, &failure)),
    }
}

/// A redirect after a write, to the page that shows what it did.
fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther().insert_header(("Location", location)).finish()
}

/// How an api refusal reads: the status to answer with, a title and advice.
fn explain(failure: &ApiFailure) -> (StatusCode, &'static str, String) {
    match failure {
        ApiFailure::Refused(problem) => match problem.status {
            403 => (
                StatusCode::FORBIDDEN,
                "You cannot do that",
                format!("Your role does not allow it: {}", problem.detail),
            ),
            404 => (
                StatusCode::NOT_FOUND,
                "Page not found",
                "It does not exist, or it is not yours to see.".into(),
            ),
            409 => (StatusCode::CONFLICT, "That could not be done", problem.detail.clone()),
            503 => {
                (StatusCode::SERVICE_UNAVAILABLE, "Sorry, try again in a moment", "Caucus is busy.".into())
            }
            _ => (StatusCode::BAD_REQUEST, "That could not be done", problem.detail.clone()),
        },
        ApiFailure::Unavailable(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            "Sorry, try again in a moment",
            "Caucus could not be reached. Nothing you sent was lost: try again.".into(),
        ),
    }
}

/// The signed-in person, or a redirect to sign in and back to this page.
fn signed_in(session: &Session, request: &HttpRequest) -> Result<Person, PageError> {
    session::person(session).ok_or_else(|| sign_in::sign_in_again(request))
}

/// Refuses a form that did not come from one of our pages.
fn check_form(session: &Session, csrf: &str) -> Result<(), PageError> {
    if session::csrf_matches(session, csrf) { Ok(()) } else { Err(PageError::Forgery) }
}

/// What stops a page from being shown.
#[derive(Debug, thiserror::Error)]
pub enum PageError {
    /// Nobody is signed in (or their token expired): sign in, then back to
    /// `next`; `resend` when the form they sent was not saved.
    #[error("sign in")]
    SignIn {
        /// Where to go once signed in.
        next: String,
        /// Whether to tell them to send their form again.
        resend: bool,
    },
    /// A form was not sent from one of our pages.
    #[error("the form has expired: go back, reload the page and try again")]
    Forgery,
    /// A page other than the one asked for: why the api refused, in words.
    #[error("{status}")]
    Shown {
        /// Its status.
        status: StatusCode,
        /// The page.
        html: String,
    },
    /// Something broke on our side.
    #[error("something went wrong: {0}")]
    Internal(String),
}

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::SignIn { .. } => StatusCode::SEE_OTHER,
            Self::Forgery => StatusCode::FORBIDDEN,
            Self::Shown { status, .. } => *status,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            Self::SignIn { next, resend } => {
                let mut query = serde_urlencoded::to_string([("next", next)]).unwrap_or_default();
                if *resend {
                    query.push_str("&resend=yes");
                }
                HttpResponse::SeeOther().insert_header(("Location", format!("/sign-in?{query}"))).finish()
            }
            Self::Shown { status, html } => {
                HttpResponse::build(*status).content_type("text/html; charset=utf-8").body(html.clone())
            }
            Self::Forgery | Self::Internal(_) => {
                if let Self::Internal(detail) = self {
                    tracing::error!(%detail, "page failed");
                }
                HttpResponse::build(self.status_code())
                    .content_type("text/plain; charset=utf-8")
                    .body(self.to_string())
            }
        }
    }
}

/// Where to go after signing in: a path on this site only.
fn local_path(next: Option<&str>) -> String {
    match next {
        Some(path) if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') => {
            path.to_owned()
        }
        _ => "/".to_owned(),
    }
}

/// Every page route.
pub fn configure(config: &mut web::ServiceConfig) {
    config
        .service(home::home)
        .service(sign_in::sign_in_page)
        .service(sign_in::sign_in)
        .service(sign_in::provider_sign_in)
        .service(sign_in::provider_callback)
        .service(sign_in::sign_out)
        .service(sign_in::signed_out_page)
        .service(actions::list)
        .service(actions::new_page)
        .service(actions::create)
        .service(actions::action_page)
        .service(actions::report_progress)
        .service(actions::complete)
        .service(actions::reschedule)
        .service(actions::reassign)
        .service(actions::cancel)
        .service(decisions::list)
        .service(decisions::new_page)
        .service(decisions::record)
        .service(decisions::decision_page)
        .service(decisions::report_progress)
        .service(decisions::amend)
        .service(decisions::mark_implemented)
        .service(decisions::rescind)
        .service(decisions::supersede)
        .service(audit::audit_page)
        .service(audit::export)
        .service(audit::history_page)
        .service(cases::list)
        // Casework: `/cases/new` before `/cases/{id}`, and the file upload
        // before the other steps, which share one route.
        .service(case_new::new_page)
        .service(case_new::open)
        .service(cases::case_page)
        .service(cases::case_file)
        .service(case_steps::attach_file)
        .service(case_steps::take_step)
        .service(meetings::list)
        .service(meetings::meeting_page)
        .service(meetings::paper_file)
        .service(meetings::add_item)
        .service(meetings::attach_paper)
        .service(meetings::despatch_papers)
        .service(meetings::attendance_page)
        .service(meetings::record_attendance)
        .service(meetings::minutes_page)
        .service(meetings::record_minutes)
        .service(meetings::approve_minutes)
        .service(members::list)
        .service(members::member_page)
        .service(members::subject_access)
        .service(members::link_sign_in)
        .service(members::unlink_sign_in)
        .service(members::erase)
        .service(publications::list)
        .service(publications::new_page)
        .service(publications::draft)
        .service(publications::publication_page)
        .service(publications::edit_page)
        .service(publications::save_edit)
        .service(publications::submit)
        .service(publications::approve)
        .service(publications::reject)
        .service(publications::withdraw)
        // Bodies and appointments: `new` before `{id}`, which it would match.
        .service(bodies::list)
        .service(bodies::new_page)
        .service(bodies::establish)
        .service(bodies::vacancies_page)
        .service(bodies::body_page)
        .service(bodies::nominate)
        .service(bodies::edit_page)
        .service(bodies::save_edit)
        .service(bodies::dissolve_page)
        .service(bodies::dissolve)
        .service(appointments::appointment_page)
        .service(appointments::confirm)
        .service(appointments::withdraw)
        .service(appointments::end_appointment)
        // The forward plan; the social queue and scheduling a publication.
        .service(forward_plan::list)
        .service(forward_plan::new_page)
        .service(forward_plan::enter)
        .service(forward_plan::import_page)
        .service(forward_plan::import)
        .service(forward_plan::item_page)
        .service(forward_plan::edit_page)
        .service(forward_plan::save_edit)
        .service(forward_plan::record_position)
        .service(forward_plan::add_briefing_action)
        .service(social::queue)
        .service(social::schedule)
        // Motions: the fixed paths before `/motions/{id}`, which would take them for an id.
        .service(motions::list)
        .service(motions::new_page)
        .service(motions::whip_report)
        .service(motions::draft)
        .service(motions::motion_page)
        .service(motions::revise)
        .service(motions::submit)
        .service(motions::table)
        .service(motions::set_whip)
        .service(motions::outcome_page)
        .service(motions::record_outcome)
        .service(elections::list)
        .service(elections::new_page)
        .service(elections::call)
        .service(elections::election_page)
        .service(elections::nominate)
        .service(elections::withdraw)
        .service(elections::count_round)
        .service(elections::declare)
        .service(elections::cancel)
        .service(briefings::list)
        .service(briefings::new_page)
        .service(briefings::write)
        .service(briefings::briefing_page)
        .service(briefings::version_page)
        .service(briefings::revise)
        .service(briefings::withdraw);
}
