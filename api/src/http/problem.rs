//! One error type for the HTTP edge, rendered as RFC 9457 problem+json.

use actix_web::{
    HttpResponse, ResponseError,
    body::MessageBody,
    dev::{ServiceRequest, ServiceResponse},
    http::{Method, StatusCode, header},
    middleware::Next,
};
use caucus_wire::{FieldError, Invalid, Problem};

use crate::auth::TokenError;
use crate::domain::{DomainError, Refusal};
use crate::store::{StoreError, command_bus::CommandError};

tokio::task_local! {
    /// The path of the request being answered, for a problem's `instance`.
    static INSTANCE: String;
}

/// Middleware: answers the request with its path known to any problem
/// rendered on the way, which `ResponseError::error_response` cannot see.
pub async fn problem_instance(
    request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let path = request.path().to_owned();
    INSTANCE.scope(path, next.call(request)).await
}

/// Everything a handler can answer with instead of success.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The request is malformed (bad JSON, a bad id, an unknown query parameter).
    #[error("{0}")]
    BadRequest(String),
    /// No valid token.
    #[error("{0}")]
    Unauthorized(TokenError),
    /// The caller's roles do not allow the operation.
    #[error("{0}")]
    Forbidden(String),
    /// No such record for this caller.
    #[error("no such {0}")]
    NotFound(&'static str),
    /// The path exists, but not with this method.
    #[error("{method} is not allowed here; allowed: {}", allowed_list(allowed))]
    MethodNotAllowed {
        /// The method the request used.
        method: Method,
        /// The methods the path answers to.
        allowed: Vec<Method>,
    },
    /// The record's state or version does not allow the change.
    #[error("{0}")]
    Conflict(String),
    /// The request body is too large.
    #[error("the request body is larger than {0} bytes")]
    PayloadTooLarge(usize),
    /// The body is not JSON.
    #[error("the request body must be application/json")]
    UnsupportedMediaType,
    /// The request is well-formed but its content is invalid.
    #[error("{detail}")]
    Unprocessable {
        /// A summary.
        detail: String,
        /// The invalid fields.
        errors: Vec<FieldError>,
    },
    /// The store is busy or out of reach (a lost connection, a restart):
    /// retrying shortly will work.
    #[error("the store is busy or out of reach; retry shortly")]
    Unavailable,
    /// Too many requests from one client: try again after this many seconds.
    #[error("too many requests from this address: try again in {0} seconds")]
    TooManyRequests(u64),
    /// Anything unexpected. Its cause is logged once and never shown.
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

impl ApiError {
    /// An unexpected failure, with a cause for the log; a store that is
    /// merely out of reach somewhere in the cause is a 503, not a fault.
    pub fn internal(cause: impl Into<anyhow::Error>) -> Self {
        let cause = cause.into();
        let transient = cause.chain().any(|e| {
            e.downcast_ref::<StoreError>().is_some_and(StoreError::is_transient)
                || e.downcast_ref::<sqlx::Error>().is_some_and(crate::store::is_transient)
        });
        if transient { Self::Unavailable } else { Self::Internal(cause) }
    }

    /// A 422 about one field.
    pub fn invalid_field(pointer: &str, detail: impl Into<String>) -> Self {
        let detail = detail.into();
        Self::Unprocessable {
            detail: format!("{pointer}: {detail}"),
            errors: vec![FieldError { pointer: pointer.to_owned(), detail }],
        }
    }

    /// Maps a command failure about a `record` (e.g. "decision").
    pub fn from_command<E: DomainError>(record: &'static str, error: CommandError<E>) -> Self {
        match error {
            CommandError::NotFound => Self::NotFound(record),
            CommandError::AlreadyExists => Self::Conflict(format!("this {record} already exists")),
            error @ (CommandError::StaleVersion { .. } | CommandError::Concurrent) => {
                Self::Conflict(error.to_string())
            }
            CommandError::ClassifiedAbove(_) => Self::Unprocessable {
                detail: error.to_string(),
                errors: vec![FieldError { pointer: "/classification".into(), detail: error.to_string() }],
            },
            CommandError::Domain(e) => match e.refusal() {
                Refusal::Conflict => Self::Conflict(e.to_string()),
                Refusal::Invalid => Self::Unprocessable {
                    detail: e.to_string(),
                    errors: e
                        .fields()
                        .into_iter()
                        .map(|(pointer, detail)| FieldError { pointer, detail })
                        .collect(),
                },
                Refusal::NotFound => Self::NotFound(record),
                Refusal::Forbidden => Self::Forbidden(e.to_string()),
            },
            CommandError::Store(e) => e.into(),
        }
    }

    fn slug_and_title(&self) -> (&'static str, &'static str) {
        match self {
            Self::BadRequest(_) => ("bad-request", "Bad request"),
            Self::Unauthorized(_) => ("unauthorized", "Authentication required"),
            Self::Forbidden(_) => ("forbidden", "Not allowed for your role"),
            Self::NotFound(_) => ("not-found", "Not found"),
            Self::MethodNotAllowed { .. } => ("method-not-allowed", "Method not allowed"),
            Self::Conflict(_) => ("conflict", "Conflict with the record's current state"),
            Self::PayloadTooLarge(_) => ("payload-too-large", "Request body too large"),
            Self::UnsupportedMediaType => ("unsupported-media-type", "Unsupported media type"),
            Self::Unprocessable { .. } => ("validation", "Invalid request content"),
            Self::Unavailable => ("unavailable", "Store unavailable"),
            Self::TooManyRequests(_) => ("too-many-requests", "Too many requests"),
            Self::Internal(_) => ("internal", "Internal error"),
        }
    }

    /// The problem document this error renders as.
    pub fn problem(&self) -> Problem {
        let (slug, title) = self.slug_and_title();
        Problem {
            problem_type: format!("https://caucus.example/problems/{slug}"),
            title: title.to_owned(),
            status: self.status_code().as_u16(),
            detail: self.to_string(),
            instance: INSTANCE.try_with(Clone::clone).ok(),
            errors: match self {
                Self::Unprocessable { errors, .. } => errors.clone(),
                _ => Vec::new(),
            },
        }
    }
}

fn allowed_list(methods: &[Method]) -> String {
    methods.iter().map(Method::as_str).collect::<Vec<_>>().join(", ")
}

impl From<Invalid> for ApiError {
    fn from(Invalid { detail, errors }: Invalid) -> Self {
        Self::Unprocessable { detail, errors }
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match &error {
            StoreError::Database(db) if crate::store::is_unstorable_value(db) => {
                Self::BadRequest("the request holds a value the store cannot keep (a NUL character?)".into())
            }
            _ if error.is_transient() => Self::Unavailable,
            _ => Self::Internal(error.into()),
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Unprocessable { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            Self::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let Self::Internal(cause) = self {
            // The one place an unexpected failure is logged, with its whole chain.
            tracing::error!(error = format!("{cause:#}"), "request failed");
        }
        let mut response = HttpResponse::build(self.status_code());
        response.content_type("application/problem+json");
        match self {
            Self::Unauthorized(_) => {
                response.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
            }
            Self::MethodNotAllowed { allowed, .. } => {
                response.insert_header((header::ALLOW, allowed_list(allowed)));
            }
            Self::Unavailable => {
                response.insert_header((header::RETRY_AFTER, "1"));
            }
            Self::TooManyRequests(seconds) => {
                response.insert_header((header::RETRY_AFTER, seconds.to_string()));
            }
            _ => {}
        }
        response.json(self.problem())
    }
}

/// Builds the documented error responses of an operation.
fn problem_responses(
    codes: &[(u16, &str)],
) -> std::collections::BTreeMap<String, utoipa::openapi::RefOr<utoipa::openapi::response::Response>> {
    use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
    codes
        .iter()
        .map(|(code, description)| {
            let response = ResponseBuilder::new()
                .description(*description)
                .content(
                    "application/problem+json",
                    ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build(),
                )
                .build();
            (code.to_string(), response.into())
        })
        .collect()
}

const UNAUTHORIZED: (u16, &str) = (401, "No valid bearer token");
const FORBIDDEN: (u16, &str) = (403, "The caller's roles do not allow this operation");
const NOT_FOUND: (u16, &str) = (404, "No such record in the caller's group, or classified above the caller");
const BAD_REQUEST: (u16, &str) = (400, "Malformed request: JSON syntax, an id, a header or a query");
const UNAVAILABLE: (u16, &str) =
    (503, "The store is busy or out of reach; retry after the Retry-After delay");

/// The errors a read of a register can answer with.
#[derive(Debug)]
pub struct ListErrors;

impl utoipa::IntoResponses for ListErrors {
    fn responses()
    -> std::collections::BTreeMap<String, utoipa::openapi::RefOr<utoipa::openapi::response::Response>> {
        problem_responses(&[BAD_REQUEST, UNAUTHORIZED, FORBIDDEN, UNAVAILABLE])
    }
}

/// The errors a report over a period can answer with: a register's, and a
/// period that makes none.
#[derive(Debug)]
pub struct PeriodErrors;

impl utoipa::IntoResponses for PeriodErrors {
    fn responses()
    -> std::collections::BTreeMap<String, utoipa::openapi::RefOr<utoipa::openapi::response::Response>> {
        problem_responses(&[
            BAD_REQUEST,
            UNAUTHORIZED,
            FORBIDDEN,
            (422, "The period makes no report: it ends before it starts, or is longer than allowed"),
            UNAVAILABLE,
        ])
    }
}

/// The errors a report over a period of one record can answer with: a
/// period report's, and no such record.
#[derive(Debug)]
pub struct RecordPeriodErrors;

impl utoipa::IntoResponses for RecordPeriodErrors {
    fn responses()
    -> std::collections::BTreeMap<String, utoipa::openapi::RefOr<utoipa::openapi::response::Response>> {
        let mut responses = PeriodErrors::responses();
        responses.extend(problem_responses(&[NOT_FOUND]));
        responses
    }
}

/// The errors a read of the budget's registers and statement can answer
/// with: a register's, and a financial year outside those kept.
#[derive(Debug)]
pub struct YearErrors;

impl utoipa::IntoResponses for YearErrors {
    fn responses()
    -> std::collections::BTreeMap<String, utoipa::openapi::RefOr<utoipa::openapi::response::Response>> {
        problem_responses(&[
            BAD_REQUEST,
            UNAUTHORIZED,
            FORBIDDEN,
            (422, "The financial year is not one from 2000 to 2100"),
            UNAVAILABLE,
        ])
    }
}

/// The errors a read of one record can answer with.
#[derive(Debug)]
pub struct ReadErrors;

impl utoipa::IntoResponses for ReadErrors {
    fn responses()
    -> std::collections::BTreeMap<String, utoipa::openapi::RefOr<utoipa::openapi::response::Response>> {
        problem_responses(&[BAD_REQUEST, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, UNAVAILABLE])
    }
}

/// The errors the website's enquiry form can answer with (its success is a
/// redirect).
#[derive(Debug)]
pub struct FormErrors;

impl utoipa::IntoResponses for FormErrors {
    fn responses()
    -> std::collections::BTreeMap<String, utoipa::openapi::RefOr<utoipa::openapi::response::Response>> {
        problem_responses(&[
            (400, "Not a form: the body is not `application/x-www-form-urlencoded` text"),
            (404, "No such group"),
            (413, "The form is too large"),
            (415, "The body is not `application/x-www-form-urlencoded`"),
            (422, "The form's content is invalid; `errors` lists each field, never echoing it"),
            (429, "Too many enquiries from this address; try again after the Retry-After delay"),
            UNAVAILABLE,
        ])
    }
}

/// The errors a command can answer with.
#[derive(Debug)]
pub struct CommandErrors;

impl utoipa::IntoResponses for CommandErrors {
    fn responses()
    -> std::collections::BTreeMap<String, utoipa::openapi::RefOr<utoipa::openapi::response::Response>> {
        problem_responses(&[
            BAD_REQUEST,
            UNAUTHORIZED,
            FORBIDDEN,
            NOT_FOUND,
            (409, "The record changed (stale If-Match), was changed concurrently, or its state forbids this"),
            (413, "The request body is too large"),
            (415, "The request body is not JSON"),
            (422, "The request's content is invalid; `errors` lists each field"),
            UNAVAILABLE,
        ])
    }
}
