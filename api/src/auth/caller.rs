//! The authenticated caller, extracted from the `Authorization` header.

use std::future::{Ready, ready};

use actix_web::{FromRequest, HttpRequest, dev::Payload, http::header, web};

use super::{Authenticator, Operation, TokenError};
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

    /// The caller from the request's Authorization header.
    pub(crate) fn from_header(req: &HttpRequest) -> Result<Self, ApiError> {
        let authenticator = req
            .app_data::<web::Data<Authenticator>>()
            .ok_or_else(|| ApiError::internal(anyhow::anyhow!("authenticator not configured")))?;
        let token = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
            .map(str::trim)
            .ok_or(ApiError::Unauthorized(TokenError::Missing))?;
        let claims = authenticator.verify(token).map_err(ApiError::Unauthorized)?;
        let (group_id, roles) = claims.grants().map_err(ApiError::Unauthorized)?;
        Ok(Self { subject: claims.sub, group_id, roles })
    }
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Self::from_header(req))
    }
}
