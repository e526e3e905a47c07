//! The web client's pages: each handler reads or writes through the api with
//! the signed-in person's token and renders what it got.

mod cases;
mod home;
mod sign_in;

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, ResponseError, http::StatusCode, web};
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
    fn problem_page(&self, session: &Session, person: Option<&Person>, failure: &ApiFailure) -> HttpResponse {
        let (status, title, advice) = explain(failure);
        let page = serde_json::json!({"advice": advice});
        self.frame(session, person, Section::None, title)
            .and_then(|frame| self.page_with(status, &frame, "problem.html", page))
            .unwrap_or_else(|e| e.error_response())
    }
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
    session::person(session).ok_or_else(|| PageError::SignIn(request.uri().path().to_owned()))
}

/// What stops a page from being shown.
#[derive(Debug, thiserror::Error)]
pub enum PageError {
    /// Nobody is signed in (or their token expired): sign in, then back to this path.
    #[error("sign in")]
    SignIn(String),
    /// A form was not sent from one of our pages.
    #[error("the form has expired: go back, reload the page and try again")]
    Forgery,
    /// Something broke on our side.
    #[error("something went wrong: {0}")]
    Internal(String),
}

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::SignIn(_) => StatusCode::SEE_OTHER,
            Self::Forgery => StatusCode::FORBIDDEN,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            Self::SignIn(path) => {
                let query = serde_urlencoded::to_string([("next", path)]).unwrap_or_default();
                HttpResponse::SeeOther().insert_header(("Location", format!("/sign-in?{query}"))).finish()
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
        .service(sign_in::sign_out)
        .service(cases::list)
        .service(cases::case_page)
        .service(cases::case_file)
        .service(cases::add_note);
}
