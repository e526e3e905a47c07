//! The web client's pages: each handler reads or writes through the api with
//! the signed-in person's token and renders what it got.

mod actions;
mod appointments;
mod audit;
mod bodies;
mod briefings;
// The group's budget (issue 18).
mod budget;
mod case_lifecycle;
mod case_new;
mod case_steps;
mod cases;
mod choices;
mod decisions;
// Probity: donations (issue 18).
mod donations;
mod elections;
mod forms;
mod forward_plan;
mod group_events;
mod home;
mod induction;
mod induction_steps;
mod meetings;
mod members;
mod motions;
mod names;
mod paging;
mod period;
mod publications;
mod query;
mod record;
// Probity: the registers of interests and their review (issue 18).
mod registers;
mod sign_in;
mod social;
mod training;

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, ResponseError, http::StatusCode, web};
use tera::Tera;

use crate::api::{Api, ApiFailure};
use crate::assets::Assets;
use crate::render::{Frame, Section};
use crate::session::{self, Person};

pub use sign_in::DevSignIn;

use forms::{
    DateParts, FieldErrors, Page, Posted, SentForm, TextForm, UploadForm, answered, check_form,
    classification_radios, confirmation, made, see_other, send,
};
use names::{MemberNames, SubjectNames};

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

    /// The records of the register at `GET /api/v1{register}` (a path, with
    /// a query of other filters if need be) named by `ids` (each once, in no
    /// particular order), read with the list's `ids`
    /// filter a page's worth at a time: a page reads the records it names,
    /// never the whole register.
    async fn read_by_ids<T: serde::de::DeserializeOwned>(
        &self,
        session: &Session,
        person: &Person,
        request: &HttpRequest,
        register: &str,
        ids: impl IntoIterator<Item = uuid::Uuid>,
    ) -> Result<Vec<T>, PageError> {
        let ids: std::collections::BTreeSet<uuid::Uuid> = ids.into_iter().collect();
        let ids: Vec<uuid::Uuid> = ids.into_iter().collect();
        let mut items = Vec::new();
        for chunk in ids.chunks(caucus_wire::IdList::MAX) {
            let list = caucus_wire::IdList(chunk.to_vec());
            let join = if register.contains('?') { '&' } else { '?' };
            let path = format!("{register}{join}limit={}&ids={list}", caucus_wire::IdList::MAX);
            items.extend(self.read_all(session, person, request, &path).await?);
        }
        Ok(items)
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

/// Who runs the office: they may change any record, where a councillor may
/// change only their own.
const OFFICE: &[&str] = &["assistant", "leader", "officer"];

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
        .service(audit::start_verification)
        .service(audit::verification_page)
        .service(audit::export)
        .service(audit::history_page)
        .service(cases::list)
        .service(cases::handovers)
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
        .service(briefings::withdraw)
        // Group events: `new` before `{id}`, which it would match.
        .service(group_events::list)
        .service(group_events::new_page)
        .service(group_events::plan_event)
        .service(group_events::event_page)
        .service(group_events::invitation)
        .service(group_events::register)
        .service(group_events::withdraw)
        .service(group_events::accept)
        .service(group_events::change_capacity)
        .service(group_events::cancel)
        .service(group_events::record_attendance)
        // Training: `/courses/new` before `/courses/{id}`, which would take it for an id.
        .service(training::list)
        .service(training::new_page)
        .service(training::add)
        .service(training::course_page)
        .service(training::retire)
        .service(training::record_page)
        .service(training::record_completion)
        .service(training::certificate_file)
        .service(training::expiries_page)
        .service(training::record_need)
        .service(training::withdraw_need)
        .service(training::plan_page)
        .service(training::plan_markdown)
        // Induction of new councillors.
        .service(induction::list)
        .service(induction::induction_page)
        .service(induction::tick)
        .service(induction::start)
        // The steps members joining from now on are given.
        .service(induction_steps::list)
        .service(induction_steps::new_page)
        .service(induction_steps::edit_page)
        .service(induction_steps::add)
        .service(induction_steps::change)
        .service(induction_steps::retire)
        // Probity: donations (issue 18): `new` before `{id}`, which would take it for an id.
        .service(donations::register)
        .service(donations::record)
        .service(donations::new_page)
        .service(donations::donation_page)
        .service(donations::edit_page)
        .service(donations::correct)
        .service(donations::record_check)
        // The group's budget (issue 18): `new` before `{id}`, which would take it for an id.
        .service(budget::list)
        .service(budget::open_page)
        .service(budget::open)
        .service(budget::budget_page)
        .configure(budget::budget_form_routes)
        .service(budget::propose_page)
        .service(budget::propose)
        .service(budget::spending_page)
        .service(budget::approve)
        .service(budget::reject)
        .service(budget::pay)
        .service(budget::budget_file)
        .service(budget::statement_page)
        .service(budget::statement_csv)
        .service(budget::statement_markdown)
        // Probity: the registers of interests and their review (issue 18).
        .service(registers::list)
        .service(registers::register_page)
        .service(registers::register_entry)
        .service(registers::confirm)
        .service(registers::changes_page)
        .service(registers::entry_page)
        .service(registers::change_entry)
        .service(registers::remove_entry)
        .service(registers::review_page)
        .service(registers::review_markdown)
        .service(registers::dismiss);
}
