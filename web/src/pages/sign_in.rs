//! Signing in and out. In development (the api runs with its development
//! secret) the sign-in page offers the sample group's people, one per role;
//! a deployment signs in through the council's identity provider.

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use caucus_wire::members::MemberPage;
use jsonwebtoken::{EncodingKey, Header};
use serde::{Deserialize, Serialize};

use super::{PageError, State, local_path};
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
    state.page(&frame, "sign-in.html", serde_json::json!({"personas": personas, "next": next}))
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
    session::sign_in(&session, &person).map_err(|e| PageError::Internal(e.to_string()))?;
    let next = local_path(form.next.as_deref());
    Ok(HttpResponse::SeeOther().insert_header(("Location", next)).finish())
}

#[derive(Debug, Deserialize)]
struct SignOutForm {
    csrf: String,
}

#[post("/sign-out")]
pub(super) async fn sign_out(
    session: Session,
    form: web::Form<SignOutForm>,
    _request: HttpRequest,
) -> Result<HttpResponse, PageError> {
    if !session::csrf_matches(&session, &form.csrf) {
        return Err(PageError::Forgery);
    }
    session::sign_out(&session);
    Ok(HttpResponse::SeeOther().insert_header(("Location", "/sign-in")).finish())
}
