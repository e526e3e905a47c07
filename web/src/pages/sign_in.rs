//! Signing in and out. In development (the api runs with its development
//! secret) the sign-in page offers the sample group's people, one per role;
//! a deployment signs in through the council's identity provider, and
//! signing out ends the provider's session too where it allows.

use actix_session::Session;
use actix_web::{
    HttpRequest, HttpResponse, get,
    http::{Method, StatusCode, header::REFERER},
    post, web,
};
use caucus_wire::me::MeView;
use caucus_wire::members::MemberPage;
use jsonwebtoken::{EncodingKey, Header};
use serde::{Deserialize, Serialize};

use super::{PageError, State, local_path, see_other};
use crate::api::ApiFailure;
use crate::oidc::{OidcError, Pending, SIGNED_OUT_PATH};
use crate::render::Section;
use crate::session::{self, Person};

/// How long a development sign-in lasts.
const DEV_TOKEN_SECONDS: i64 = 8 * 3600;

/// Development sign-in: tokens minted with the api's development secret.
pub struct DevSignIn {
    key: EncodingKey,
    issuer: String,
    audience: String,
    group: String,
}

impl std::fmt::Debug for DevSignIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DevSignIn").field("group", &self.group).finish_non_exhaustive()
    }
}

#[derive(Serialize)]
struct Claims<'a> {
    sub: &'a str,
    iss: &'a str,
    aud: &'a str,
    exp: i64,
    iat: i64,
    group: &'a str,
    roles: [&'a str; 1],
}

/// One of the people development sign-in offers.
#[derive(Debug, Clone, Serialize)]
struct Persona {
    name: String,
    role: &'static str,
    describes: &'static str,
    subject: String,
}

impl DevSignIn {
    /// Sign-in with tokens for `group` signed with `secret`, as the api expects.
    pub fn new(secret: &str, issuer: &str, audience: &str, group: &str) -> Self {
        Self {
            key: EncodingKey::from_secret(secret.as_bytes()),
            issuer: issuer.into(),
            audience: audience.into(),
            group: group.into(),
        }
    }

    fn mint(&self, subject: &str, role: &str) -> Result<(String, i64), PageError> {
        let now = chrono::Utc::now().timestamp();
        let exp = now + DEV_TOKEN_SECONDS;
        let claims = Claims {
            sub: subject,
            iss: &self.issuer,
            aud: &self.audience,
            exp,
            iat: now,
            group: &self.group,
            roles: [role],
        };
        let token = jsonwebtoken::encode(&Header::default(), &claims, &self.key)
            .map_err(|e| PageError::Internal(e.to_string()))?;
        Ok((token, exp))
    }

    /// The people offered: the office, the Leader, a Group Officer and a
    /// councillor (the first current members, so their own records are
    /// theirs), and an auditor.
    async fn personas(&self, state: &State) -> Result<Vec<Persona>, PageError> {
        let (token, _) = self.mint("demo-assistant", "assistant")?;
        let members: MemberPage = state
            .api
            .get(&token, "/members?status=member&limit=3")
            .await
            .map_err(|e| PageError::Internal(e.to_string()))?;
        let mut personas = vec![Persona {
            name: "The Political Assistant".into(),
            role: "assistant",
            describes: "runs the office: every register, casework and approvals",
            subject: "demo-assistant".into(),
        }];
        let roles = [
            ("leader", "the Group Leader: approves publications"),
            ("officer", "a Group Officer"),
            ("councillor", "a councillor: their own actions and cases"),
        ];
        for (member, (role, describes)) in members.items.iter().zip(roles) {
            personas.push(Persona {
                name: member.name.clone(),
                role,
                describes,
                subject: member.id.to_string(),
            });
        }
        personas.push(Persona {
            name: "An auditor".into(),
            role: "auditor",
            describes: "reads the record and its history, changes nothing",
            subject: "demo-auditor".into(),
        });
        Ok(personas)
    }
}

#[derive(Debug, Deserialize)]
struct Next {
    next: Option<String>,
    /// Set when a form was sent after their sign-in lapsed: it was not
    /// saved, so they must send it again.
    resend: Option<String>,
}

#[get("/sign-in")]
pub(super) async fn sign_in_page(
    state: web::Data<State>,
    session: Session,
    query: web::Query<Next>,
) -> Result<HttpResponse, PageError> {
    let personas = match &state.dev {
        Some(dev) => dev.personas(&state).await?,
        None => Vec::new(),
    };
    let frame = state.frame(&session, None, Section::None, "Sign in")?;
    let next = local_path(query.next.as_deref());
    let provider = state.oidc.as_ref().map(|oidc| {
        let query = serde_urlencoded::to_string([("next", &next)]).unwrap_or_default();
        serde_json::json!({"name": oidc.name, "href": format!("/sign-in/provider?{query}")})
    });
    let resend = query.resend.is_some().then(|| {
        serde_json::json!({
            "titleText": "Important",
            "text": "Your sign-in had lapsed, so the form you sent was not saved. Sign in again, then send it again.",
        })
    });
    state.page(
        &frame,
        "sign-in.html",
        serde_json::json!({"personas": personas, "next": next, "provider": provider, "resend": resend}),
    )
}

/// Signing in again, then back to this page. A form sent after their sign-in
/// lapsed goes back to the page the form was on (its own path is no page),
/// and they are told to send it again.
pub(super) fn sign_in_again(request: &HttpRequest) -> PageError {
    if matches!(*request.method(), Method::GET | Method::HEAD) {
        return PageError::SignIn { next: request.uri().to_string(), resend: false };
    }
    PageError::SignIn { next: form_page(request), resend: true }
}

/// The page a form sent in `request` was on: where the browser says it was
/// (the Referer, when it is this site), else the record the form's path is
/// under (`/actions/{id}` for `/actions/{id}/progress`), else the path itself
/// (`/actions` for a new action: the list).
fn form_page(request: &HttpRequest) -> String {
    let here = request.connection_info().host().to_owned();
    let referer = request
        .headers()
        .get(REFERER)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| reqwest::Url::parse(value).ok())
        .filter(|url| {
            let host = url.host_str().unwrap_or_default();
            let authority = url.port().map_or_else(|| host.to_owned(), |port| format!("{host}:{port}"));
            authority == here
        });
    if let Some(url) = referer {
        let path = match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_owned(),
        };
        return local_path(Some(&path));
    }
    let segments: Vec<&str> = request.path().split('/').filter(|s| !s.is_empty()).collect();
    local_path(Some(&format!("/{}", segments.iter().take(2).copied().collect::<Vec<_>>().join("/"))))
}

#[derive(Debug, Deserialize)]
struct SignInForm {
    csrf: String,
    subject: String,
    role: String,
    next: Option<String>,
}

#[post("/sign-in")]
pub(super) async fn sign_in(
    state: web::Data<State>,
    session: Session,
    form: web::Form<SignInForm>,
) -> Result<HttpResponse, PageError> {
    if !session::csrf_matches(&session, &form.csrf) {
        return Err(PageError::Forgery);
    }
    let dev = state.dev.as_ref().ok_or(PageError::Forgery)?;
    let persona = dev
        .personas(&state)
        .await?
        .into_iter()
        .find(|p| p.subject == form.subject && p.role == form.role)
        .ok_or(PageError::Forgery)?;
    let (token, expires_at) = dev.mint(&persona.subject, persona.role)?;
    let person = Person {
        name: persona.name,
        subject: persona.subject,
        roles: vec![persona.role.to_owned()],
        token,
        expires_at,
    };
    session::sign_in(&session, &person, false).map_err(|e| PageError::Internal(e.to_string()))?;
    let next = local_path(form.next.as_deref());
    Ok(HttpResponse::SeeOther().insert_header(("Location", next)).finish())
}

/// The session key of a sign-in begun at the provider.
const PENDING: &str = "oidc_pending";

/// Begins signing in at the council's identity provider.
#[get("/sign-in/provider")]
pub(super) async fn provider_sign_in(
    state: web::Data<State>,
    session: Session,
    query: web::Query<Next>,
) -> Result<HttpResponse, PageError> {
    let Some(oidc) = &state.oidc else {
        return Err(state.message_page(
            &session,
            None,
            StatusCode::NOT_FOUND,
            "Page not found",
            "Signing in through an identity provider is not set up here.",
        ));
    };
    let next = local_path(query.next.as_deref());
    let (url, pending) =
        oidc.start(next).await.map_err(|error| provider_failure(&state, &session, &error))?;
    session.insert(PENDING, &pending).map_err(|e| PageError::Internal(e.to_string()))?;
    Ok(see_other(&url))
}

/// What the provider sends back.
#[derive(Debug, Deserialize)]
struct Callback {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

/// The person back from the provider: their token checked, and what the api
/// grants them read from `/me`.
#[get("/sign-in/callback")]
pub(super) async fn provider_callback(
    state: web::Data<State>,
    session: Session,
    query: web::Query<Callback>,
) -> Result<HttpResponse, PageError> {
    let Some(oidc) = &state.oidc else { return Err(PageError::Forgery) };
    let pending = session.get::<Pending>(PENDING).ok().flatten();
    session.remove(PENDING);
    if let Some(error) = &query.error {
        let why = query.error_description.as_deref().unwrap_or(error);
        return Err(state.message_page(
            &session,
            None,
            StatusCode::FORBIDDEN,
            "You were not signed in",
            &format!("The identity provider did not sign you in: {why}. Try again from the sign-in page."),
        ));
    }
    let (Some(pending), Some(code)) = (pending, &query.code) else {
        return Err(state.message_page(
            &session,
            None,
            StatusCode::BAD_REQUEST,
            "Sign in again",
            "This sign-in was not begun here, or has been used already. Start again from the sign-in page.",
        ));
    };
    let signed_in = oidc
        .finish(&pending, code, query.state.as_deref().unwrap_or_default())
        .await
        .map_err(|error| provider_failure(&state, &session, &error))?;
    let me: MeView = state.api.get(&signed_in.token, "/me").await.map_err(|failure| match failure.status() {
        401 | 403 => state.message_page(
            &session,
            None,
            StatusCode::FORBIDDEN,
            "Your account cannot use Caucus",
            &format!(
                "You signed in, but Caucus does not accept your account: {}. Ask the office to give you a role.",
                match &failure {
                    ApiFailure::Refused(problem) => problem.detail.clone(),
                    ApiFailure::Unavailable(why) => why.clone(),
                }
            ),
        ),
        _ => state.problem_page(&session, None, &failure),
    })?;
    let person = Person {
        name: me.name.or(signed_in.name).unwrap_or_else(|| me.subject.clone()),
        subject: me.subject,
        roles: me.roles,
        token: signed_in.token,
        expires_at: signed_in.expires_at,
    };
    session::sign_in(&session, &person, true).map_err(|e| PageError::Internal(e.to_string()))?;
    Ok(see_other(&pending.next))
}

/// The page for a sign-in the provider could not complete.
fn provider_failure(state: &State, session: &Session, error: &OidcError) -> PageError {
    let status = match error {
        OidcError::Provider(_) => StatusCode::SERVICE_UNAVAILABLE,
        OidcError::Refused(_) => StatusCode::BAD_REQUEST,
    };
    tracing::warn!(%error, "sign-in through the identity provider failed");
    state.message_page(
        session,
        None,
        status,
        "You were not signed in",
        &format!("{error}. Try again from the sign-in page."),
    )
}

#[derive(Debug, Deserialize)]
struct SignOutForm {
    csrf: String,
}

/// Ends the session; for someone signed in through the identity provider,
/// then on to the provider to end its session too (so the next person at a
/// shared computer is asked who they are), and back to the signed-out page.
#[post("/sign-out")]
pub(super) async fn sign_out(
    state: web::Data<State>,
    session: Session,
    form: web::Form<SignOutForm>,
) -> Result<HttpResponse, PageError> {
    if !session::csrf_matches(&session, &form.csrf) {
        return Err(PageError::Forgery);
    }
    let internal = |e: actix_web::Error| PageError::Internal(e.to_string());
    let (Some(oidc), true) = (&state.oidc, session::through_provider(&session)) else {
        session::sign_out(&session, None).map_err(internal)?;
        return Ok(see_other("/sign-in"));
    };
    let sign_out_state = session::random_hex();
    match oidc.sign_out_url(&sign_out_state).await {
        Ok(Some(url)) => {
            session::sign_out(&session, Some(&sign_out_state)).map_err(internal)?;
            Ok(see_other(&url))
        }
        Ok(None) => {
            session::sign_out(&session, None).map_err(internal)?;
            Ok(see_other(SIGNED_OUT_PATH))
        }
        Err(error) => {
            // Signed out here all the same: the page says they may still be
            // signed in at the provider.
            tracing::warn!(%error, "the identity provider could not be asked to sign them out");
            session::sign_out(&session, None).map_err(internal)?;
            Ok(see_other(SIGNED_OUT_PATH))
        }
    }
}

#[derive(Debug, Deserialize)]
struct SignedOut {
    state: Option<String>,
}

/// Where sign-out through the provider ends: whether the provider signed
/// them out too (it came back with the state it was sent), or they may still
/// be signed in there.
#[get("/signed-out")]
pub(super) async fn signed_out_page(
    state: web::Data<State>,
    session: Session,
    query: web::Query<SignedOut>,
) -> Result<HttpResponse, PageError> {
    if session::person(&session).is_some() {
        return Ok(see_other("/"));
    }
    let expected = session::take_sign_out_state(&session);
    let at_provider = expected.is_some_and(|e| query.state.as_deref() == Some(e.as_str()));
    let frame = state.frame(&session, None, Section::None, "You have signed out")?;
    state.page(
        &frame,
        "signed-out.html",
        serde_json::json!({
            "provider": state.oidc.as_ref().map(|oidc| &oidc.name),
            "at_provider": at_provider,
        }),
    )
}
