//! `Idempotency-Key` on POST: a retried request with the same key records
//! nothing new and gets the first answer again.

use std::future::{Future, Ready, ready};

use actix_web::{FromRequest, HttpRequest, HttpResponse, dev::Payload, http::StatusCode, http::header};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::problem::ApiError;
use crate::auth::Caller;
use crate::store::{
    Database,
    idempotency::{self, Claim, KeyOwner, StoredAnswer},
};

/// The header's name.
pub const IDEMPOTENCY_KEY: &str = "Idempotency-Key";

/// The client's `Idempotency-Key`, if it sent one: 1 to 255 visible ASCII
/// characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyKey(pub Option<String>);

impl FromRequest for IdempotencyKey {
    type Error = ApiError;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let result = match req.headers().get(IDEMPOTENCY_KEY) {
            None => Ok(Self(None)),
            Some(value) => match value.to_str().map(caucus_wire::IdempotencyKeyValue::parse) {
                Ok(Ok(key)) => Ok(Self(Some(key.to_owned()))),
                Ok(Err(rule)) => Err(ApiError::BadRequest(rule)),
                Err(_) => Err(ApiError::BadRequest("Idempotency-Key is not readable text".into())),
            },
        };
        ready(result)
    }
}

/// A successful answer to a command, in the form that can be stored and
/// replayed.
#[derive(Debug, Clone)]
pub struct Idempotent {
    status: StatusCode,
    body: String,
    location: Option<String>,
    version: Option<u64>,
}

impl Idempotent {
    /// An answer with `status` and a JSON `body`.
    pub fn new(status: StatusCode, body: &impl Serialize) -> Result<Self, ApiError> {
        Ok(Self {
            status,
            body: serde_json::to_string(body).map_err(ApiError::internal)?,
            location: None,
            version: None,
        })
    }

    /// 204: done, with nothing the caller may now read.
    pub fn no_content() -> Self {
        Self { status: StatusCode::NO_CONTENT, body: String::new(), location: None, version: None }
    }

    /// Adds a `Location` header.
    pub fn located_at(mut self, location: String) -> Self {
        self.location = Some(location);
        self
    }

    /// Adds the record's version as its `ETag`.
    pub fn versioned(mut self, version: u64) -> Self {
        self.version = Some(version);
        self
    }

    fn stored(&self) -> StoredAnswer {
        StoredAnswer {
            status: self.status.as_u16(),
            body: self.body.clone(),
            location: self.location.clone(),
            etag: self.version.map(|v| format!("\"{v}\"")),
        }
    }

    fn respond(answer: StoredAnswer, replayed: bool) -> HttpResponse {
        let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::OK);
        let mut response = HttpResponse::build(status);
        if let Some(location) = answer.location {
            response.insert_header((header::LOCATION, location));
        }
        if let Some(etag) = answer.etag {
            response.insert_header((header::ETAG, etag));
        }
        if replayed {
            response.insert_header(("Idempotent-Replayed", "true"));
        }
        if status == StatusCode::NO_CONTENT {
            return response.finish();
        }
        response.content_type("application/json").body(answer.body)
    }

    /// The stored answer to an earlier request with the same key and body, if
    /// there is one: sent before the request is checked against the records,
    /// which its first run may have changed (a case handed over is no longer
    /// the caller's to find).
    pub async fn replay(
        db: &Database,
        caller: &Caller,
        key: &IdempotencyKey,
        request: (&HttpRequest, &[u8]),
        reveal: impl AsyncFnOnce(String) -> Result<String, ApiError>,
    ) -> Result<Option<HttpResponse>, ApiError> {
        let Some(key) = key.0.as_deref() else { return Ok(None) };
        let owner = KeyOwner { group_id: &caller.group_id, actor: &caller.subject, key };
        let Some(mut answer) = idempotency::answered(db, owner, &fingerprint(request.0, request.1)).await?
        else {
            return Ok(None);
        };
        answer.body = reveal(answer.body).await?;
        Ok(Some(Self::respond(answer, true)))
    }

    /// Runs `command` at most once per key: with no key it simply runs; with a
    /// key seen before for the same request, the stored answer is returned and
    /// `command` does not run. The answer is stored as `command` made it and
    /// passed through `reveal` each time it is sent, so what is stored may
    /// keep personal data sealed.
    pub async fn run<F>(
        db: &Database,
        caller: &Caller,
        key: &IdempotencyKey,
        request: (&HttpRequest, &[u8]),
        reveal: impl AsyncFnOnce(String) -> Result<String, ApiError>,
        command: F,
    ) -> Result<HttpResponse, ApiError>
    where
        F: Future<Output = Result<Self, ApiError>>,
    {
        let Some(key) = key.0.as_deref() else {
            let mut answer = command.await?.stored();
            answer.body = reveal(answer.body).await?;
            return Ok(Self::respond(answer, false));
        };
        let owner = KeyOwner { group_id: &caller.group_id, actor: &caller.subject, key };
        let fingerprint = fingerprint(request.0, request.1);
        match idempotency::claim(db, owner, &fingerprint).await? {
            Claim::Replay(mut answer) => {
                answer.body = reveal(answer.body).await?;
                return Ok(Self::respond(answer, true));
            }
            Claim::Mismatch => {
                return Err(ApiError::Unprocessable {
                    detail: "this Idempotency-Key was already used for a different request".into(),
                    errors: Vec::new(),
                });
            }
            Claim::InProgress => {
                return Err(ApiError::Conflict(
                    "a request with this Idempotency-Key is still being processed".into(),
                ));
            }
            Claim::Fresh => {}
        }
        match command.await {
            Ok(answer) => {
                let mut stored = answer.stored();
                idempotency::complete(db, owner, &stored).await?;
                stored.body = reveal(stored.body).await?;
                Ok(Self::respond(stored, false))
            }
            Err(error) => {
                // Refused commands change nothing, so the key is free for a retry.
                idempotency::release(db, owner).await?;
                Err(error)
            }
        }
    }
}

/// What makes two requests "the same": method, path and body.
fn fingerprint(req: &HttpRequest, body: &[u8]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(req.method().as_str());
    hasher.update([0]);
    hasher.update(req.path());
    hasher.update([0]);
    hasher.update(body);
    format!("{:x}", hasher.finalize())
}
