//! The authenticated caller, extracted from the `Authorization` header.

use actix_web::{FromRequest, HttpRequest, HttpResponse, dev::Payload, http::header, web};
use futures::future::LocalBoxFuture;

use super::{Authenticator, Operation, SignInLinks, TokenError};
use crate::domain::{GroupId, Role};
use crate::http::ApiError;

/// Who is calling: verified from their bearer token.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The token subject.
    pub subject: String,
    /// The caller's group: the only group whose records they can see.
    pub group_id: GroupId,
    /// The caller's roles.
    pub roles: Vec<Role>,
}

impl Caller {
    /// Refuses the call (403) unless the caller's roles permit `operation`.
    pub fn require(&self, operation: Operation) -> Result<(), ApiError> {
        if operation.permits(&self.roles) {
            Ok(())
        } else {
            Err(ApiError::Forbidden(format!(
                "{} requires one of the roles: {}",
                operation.id(),
                operation.roles().iter().map(|r| r.as_str()).collect::<Vec<_>>().join(", ")
            )))
        }
    }

    /// Whether the caller works in the group's office (the assistant, the
    /// Leader, an officer), who may act on any record, where a councillor may
    /// act only on their own.
    pub fn works_in_the_office(&self) -> bool {
        self.roles.iter().any(|r| matches!(r, Role::Assistant | Role::Leader | Role::Officer))
    }

    /// Refuses the call (403, saying councillors may `act` only for themselves)
    /// unless the caller works in the office or is the member `member_id`.
    pub fn require_own(&self, member_id: uuid::Uuid, act: &str) -> Result<(), ApiError> {
        if self.works_in_the_office() || self.subject == member_id.to_string() {
            Ok(())
        } else {
            Err(ApiError::Forbidden(format!("councillors may {act} only for themselves")))
        }
    }

    /// The caller `token` makes, an OpenID provider's keys fetched if the
    /// token needs them (for a token not sent in the Authorization header:
    /// a calendar subscription's `?token=`).
    pub(crate) async fn from_token(req: &HttpRequest, token: &str) -> Result<Self, ApiError> {
        let authenticator = req
            .app_data::<web::Data<Authenticator>>()
            .cloned()
            .ok_or_else(|| ApiError::internal(anyhow::anyhow!("authenticator not configured")))?;
        let claims = authenticator.authenticate(token).await.map_err(refusal)?;
        Self::granted(req, claims).await
    }

    /// The caller `claims` grant, acting as the member their identity is
    /// linked to if it is.
    async fn granted(req: &HttpRequest, claims: super::Claims) -> Result<Self, ApiError> {
        let (group_id, roles) = claims.grants().map_err(refusal)?;
        let linked = match req.app_data::<web::Data<SignInLinks>>() {
            Some(links) => links.member(&group_id, &claims.iss, &claims.sub).await?,
            None => None,
        };
        let subject = linked.map_or(claims.sub, |member| member.to_string());
        Ok(Self { subject, group_id, roles })
    }
}

/// The authenticator and the request's bearer token.
fn bearer(req: &HttpRequest) -> Result<(web::Data<Authenticator>, &str), ApiError> {
    let authenticator = req
        .app_data::<web::Data<Authenticator>>()
        .cloned()
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("authenticator not configured")))?;
    let token = header_token(req)?.ok_or(ApiError::Unauthorized(TokenError::Missing))?;
    Ok((authenticator, token))
}

/// The bearer token of the request's Authorization header: `None` without
/// the header, 401 if it holds something else.
pub(crate) fn header_token(req: &HttpRequest) -> Result<Option<&str>, ApiError> {
    let Some(value) = req.headers().get(header::AUTHORIZATION) else { return Ok(None) };
    value
        .to_str()
        .ok()
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(|token| Some(token.trim()))
        .ok_or(ApiError::Unauthorized(TokenError::Missing))
}

/// The answer to a refused token. A provider's genuine token that grants
/// nothing in Caucus is a 403: signing in again would not change it.
fn refusal(error: TokenError) -> ApiError {
    match error {
        TokenError::NoGroup | TokenError::NoRole => ApiError::Forbidden(error.to_string()),
        TokenError::ProviderUnavailable { .. } => ApiError::Unavailable,
        error => ApiError::Unauthorized(error),
    }
}

/// A 503 naming the identity provider (not the store) and when to retry.
fn provider_unavailable(error: &TokenError, retry_after_seconds: u64) -> actix_web::Error {
    let mut problem = ApiError::Unavailable.problem();
    problem.title = "Identity provider unavailable".into();
    problem.detail = error.to_string();
    let response = HttpResponse::ServiceUnavailable()
        .content_type("application/problem+json")
        .insert_header((header::RETRY_AFTER, retry_after_seconds.to_string()))
        .json(problem);
    actix_web::error::InternalError::from_response(error.to_string(), response).into()
}

impl FromRequest for Caller {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let found = bearer(req).map(|(authenticator, token)| (authenticator, token.to_owned()));
        let req = req.clone();
        Box::pin(async move {
            let (authenticator, token) = found?;
            match authenticator.authenticate(&token).await {
                Ok(claims) => Ok(Self::granted(&req, claims).await?),
                Err(error @ TokenError::ProviderUnavailable { retry_after_seconds }) => {
                    Err(provider_unavailable(&error, retry_after_seconds))
                }
                Err(error) => Err(refusal(error).into()),
            }
        })
    }
}
