//! Form handling shared by every page: a form as sent ([`SentForm`],
//! [`Posted`], [`UploadForm`]), its parts as typed ([`TextForm`],
//! [`DateParts`]), the api's refusal at its fields ([`FieldErrors`]), and
//! how a write is answered ([`send`], [`answered`], [`made`]).

use actix_session::Session;
use actix_web::{FromRequest, HttpRequest, HttpResponse, http::StatusCode, web};

use super::{PageError, State, signed_in};
use crate::api::ApiFailure;
use crate::session::{self, Person};

/// A form the api refused (422): its errors by field, for the error summary
/// at the top of the page and the message on each field.
#[derive(Debug, Default)]
pub(super) struct FieldErrors {
    /// `(field id, message)` in the api's order.
    pub(super) errors: Vec<(String, String)>,
}

impl FieldErrors {
    /// The errors of `problem` on the form's `fields`: `(JSON pointer, field
    /// id, what the field is called)`. An error on no field of the form is
    /// linked to the first field.
    pub(super) fn from_problem(problem: &caucus_wire::Problem, fields: &[(&str, &str, &str)]) -> Self {
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
    pub(super) fn status(&self) -> StatusCode {
        if self.errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY }
    }

    /// The GOV.UK error summary's parameters, if there are errors.
    pub(super) fn summary(&self) -> Option<serde_json::Value> {
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
    pub(super) fn message(&self, id: &str) -> Option<serde_json::Value> {
        let messages: Vec<&str> =
            self.errors.iter().filter(|(field, _)| field == id).map(|(_, text)| text.as_str()).collect();
        (!messages.is_empty()).then(|| serde_json::json!({"text": messages.join(". ")}))
    }
}

/// The radios choosing who may read a new record, `chosen` (a wire word)
/// checked.
pub(super) fn classification_radios(chosen: &str, errors: &FieldErrors) -> serde_json::Value {
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
pub(super) fn confirmation(id: &str, text: &str, errors: &FieldErrors) -> serde_json::Value {
    serde_json::json!({
        "name": "confirm",
        "idPrefix": id,
        "items": [{"value": "yes", "text": text}],
        "errorMessage": errors.message(id),
    })
}

/// A form as the browser sent it: its fields by name, as typed.
#[derive(Debug, Default)]
pub(super) struct SentForm(pub(super) Vec<(String, String)>);

impl SentForm {
    pub(super) fn of(fields: web::Form<Vec<(String, String)>>) -> Self {
        Self(fields.into_inner())
    }

    /// The field `name` (its first value), with a browser's line breaks
    /// made plain; empty if it was not sent.
    pub(super) fn text(&self, name: &str) -> String {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| v.replace("\r\n", "\n")).unwrap_or_default()
    }

    /// The version of the record the form was shown at (the api refuses a
    /// stale one); a form of ours always sends it, so one without it was not.
    pub(super) fn version(&self) -> Result<u64, PageError> {
        self.text("version").parse().map_err(|_| PageError::Forgery)
    }

    /// The GOV.UK date input whose fields are named `{name}-day`,
    /// `{name}-month` and `{name}-year`.
    pub(super) fn date(&self, name: &str) -> DateParts {
        let part = |part: &str| self.text(&format!("{name}-{part}")).trim().to_owned();
        DateParts { day: part("day"), month: part("month"), year: part("year") }
    }
}

/// A form POSTed from one of our pages, as every form handler starts: the
/// signed-in person (else a redirect to sign in), the form as sent (refused
/// as a forgery if its anti-forgery token is not this session's), and the
/// Idempotency-Key it was shown with.
#[derive(Debug)]
pub(super) struct Posted {
    pub(super) person: Person,
    pub(super) form: SentForm,
    pub(super) key: String,
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
pub(super) struct TextForm {
    pub(super) text: String,
    pub(super) key: String,
}

impl TextForm {
    /// Empty, with a new key.
    pub(super) fn fresh() -> Self {
        Self { text: String::new(), key: session::random_hex() }
    }
}

/// A day as a GOV.UK date input holds it: its day, month and year as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct DateParts {
    pub(super) day: String,
    pub(super) month: String,
    pub(super) year: String,
}

impl DateParts {
    /// `day` in the date input's fields.
    pub(super) fn of(day: chrono::NaiveDate) -> Self {
        use chrono::Datelike as _;
        Self { day: day.day().to_string(), month: day.month().to_string(), year: day.year().to_string() }
    }

    /// Whether nothing was typed.
    pub(super) fn is_blank(&self) -> bool {
        self.day.is_empty() && self.month.is_empty() && self.year.is_empty()
    }

    /// The day typed, or what is wrong with it as GOV.UK words it, `called`
    /// being what the date is (`"The due date"`).
    pub(super) fn parse(&self, called: &str) -> Result<chrono::NaiveDate, String> {
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
    pub(super) fn input(
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
pub(super) struct UploadForm {
    /// The text fields.
    pub(super) fields: SentForm,
    /// The file field's name, media type and bytes, if a file was chosen.
    pub(super) file: Option<(String, String, Vec<u8>)>,
    /// The file was past the limit it was read with.
    pub(super) too_large: bool,
}

impl UploadForm {
    /// The largest text field kept.
    const MAX_FIELD_BYTES: usize = 64 * 1024;

    /// Reads the form, whose file field is `file_field`, keeping at most
    /// `limit` bytes of the file; or the page saying it could not be read,
    /// or a forgery if its anti-forgery token is not this session's.
    pub(super) async fn receive(
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
pub(super) type Page<'a> = (&'a State, &'a Session, &'a HttpRequest);

/// A form's write `POST /api/v1{path}` as `person`, answered as
/// [`answered`] says.
pub(super) async fn send<T, B, F>(
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
pub(super) async fn answered<T, F>(
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
pub(super) fn made<T>(
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
pub(super) fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther().insert_header(("Location", location)).finish()
}

/// Refuses a form that did not come from one of our pages.
pub(super) fn check_form(session: &Session, csrf: &str) -> Result<(), PageError> {
    if session::csrf_matches(session, csrf) { Ok(()) } else { Err(PageError::Forgery) }
}
