//! The api, as the web client calls it: every call carries the signed-in
//! person's own token, so the api's checks of role, group and record are the
//! only authorisation there is.

use caucus_wire::Problem;
use reqwest::StatusCode;
use serde::{Serialize, de::DeserializeOwned};

/// An api at a root URL.
#[derive(Debug, Clone)]
pub struct Api {
    base: String,
    http: reqwest::Client,
}

/// A file as the api sent it.
#[derive(Debug, Clone)]
pub struct Download {
    /// Its media type.
    pub media_type: String,
    /// Its `Content-Disposition` (the file's name), if given.
    pub disposition: Option<String>,
    /// Its bytes.
    pub content: Vec<u8>,
}

/// Why a call did not give what was asked for.
#[derive(Debug, thiserror::Error)]
pub enum ApiFailure {
    /// The api refused, with a problem document.
    #[error("{} {}", .0.status, .0.detail)]
    Refused(Box<Problem>),
    /// The api could not be reached, or answered with something else.
    #[error("the api could not be used: {0}")]
    Unavailable(String),
}

impl ApiFailure {
    /// The HTTP status the api answered with (503 if it could not be reached).
    pub fn status(&self) -> u16 {
        match self {
            Self::Refused(problem) => problem.status,
            Self::Unavailable(_) => 503,
        }
    }
}

impl Api {
    /// The api at `base` (its root, without `/api/v1`).
    pub fn new(base: &str) -> Self {
        Self { base: base.trim_end_matches('/').to_owned(), http: reqwest::Client::new() }
    }

    /// `GET /api/v1{path}` as the holder of `token`.
    pub async fn get<T: DeserializeOwned>(&self, token: &str, path: &str) -> Result<T, ApiFailure> {
        let request = self.http.get(self.url(path)).bearer_auth(token);
        answer(request.send().await).await
    }

    /// `POST /api/v1{path}` with `body` as the holder of `token`, under
    /// `idempotency_key` (made when the form was shown, so a second submit of
    /// it records nothing new).
    pub async fn post<B: Serialize, T: DeserializeOwned>(
        &self,
        token: &str,
        path: &str,
        body: &B,
        idempotency_key: &str,
    ) -> Result<T, ApiFailure> {
        let request = self
            .http
            .post(self.url(path))
            .bearer_auth(token)
            .header("Idempotency-Key", idempotency_key)
            .json(body);
        answer(request.send().await).await
    }

    /// `POST /api/v1{path}` with `body` as the holder of `token`, if the
    /// record is still at `version` (a step on a record the api guards with
    /// `If-Match`: a change by someone else since is a 409), under
    /// `idempotency_key`.
    pub async fn post_at<B: Serialize, T: DeserializeOwned>(
        &self,
        token: &str,
        path: &str,
        body: &B,
        version: Option<u64>,
        idempotency_key: &str,
    ) -> Result<T, ApiFailure> {
        self.versioned(reqwest::Method::POST, token, path, body, version, idempotency_key).await
    }

    /// `PUT /api/v1{path}` with `body` as the holder of `token`, if the
    /// record is still at `version` (its ETag when the form was shown: a
    /// change by someone else since is a 409), under `idempotency_key`.
    pub async fn put<B: Serialize, T: DeserializeOwned>(
        &self,
        token: &str,
        path: &str,
        body: &B,
        version: Option<u64>,
        idempotency_key: &str,
    ) -> Result<T, ApiFailure> {
        self.versioned(reqwest::Method::PUT, token, path, body, version, idempotency_key).await
    }

    /// `PATCH /api/v1{path}` with `body` as the holder of `token`, if the
    /// record is still at `version` (a change by someone else since is a
    /// 409), under `idempotency_key`.
    pub async fn patch<B: Serialize, T: DeserializeOwned>(
        &self,
        token: &str,
        path: &str,
        body: &B,
        version: Option<u64>,
        idempotency_key: &str,
    ) -> Result<T, ApiFailure> {
        self.versioned(reqwest::Method::PATCH, token, path, body, version, idempotency_key).await
    }

    /// `method` with `body` and, if given, `If-Match: version`.
    async fn versioned<B: Serialize, T: DeserializeOwned>(
        &self,
        method: reqwest::Method,
        token: &str,
        path: &str,
        body: &B,
        version: Option<u64>,
        idempotency_key: &str,
    ) -> Result<T, ApiFailure> {
        let mut request = self
            .http
            .request(method, self.url(path))
            .bearer_auth(token)
            .header("Idempotency-Key", idempotency_key)
            .json(body);
        if let Some(version) = version {
            request = request.header("If-Match", format!("\"{version}\""));
        }
        answer(request.send().await).await
    }

    /// `DELETE /api/v1{path}` as the holder of `token`, if the record is
    /// still at `version` (a change by someone else since is a 409), under
    /// `idempotency_key`.
    pub async fn delete<T: DeserializeOwned>(
        &self,
        token: &str,
        path: &str,
        version: Option<u64>,
        idempotency_key: &str,
    ) -> Result<T, ApiFailure> {
        let mut request =
            self.http.delete(self.url(path)).bearer_auth(token).header("Idempotency-Key", idempotency_key);
        if let Some(version) = version {
            request = request.header("If-Match", format!("\"{version}\""));
        }
        answer(request.send().await).await
    }

    /// `POST /api/v1{path}` of a file's bytes (of `media_type`) as the
    /// holder of `token`, under `idempotency_key`.
    pub async fn upload<T: DeserializeOwned>(
        &self,
        token: &str,
        path: &str,
        media_type: &str,
        content: Vec<u8>,
        idempotency_key: &str,
    ) -> Result<T, ApiFailure> {
        let request = self
            .http
            .post(self.url(path))
            .bearer_auth(token)
            .header("Idempotency-Key", idempotency_key)
            .header("Content-Type", media_type)
            .body(content);
        answer(request.send().await).await
    }

    /// `GET /api/v1{path}` of a file as the holder of `token`: its media
    /// type, its `Content-Disposition` and its bytes.
    pub async fn get_file(&self, token: &str, path: &str) -> Result<Download, ApiFailure> {
        let response = self
            .http
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .map_err(|e| ApiFailure::Unavailable(e.without_url().to_string()))?;
        if !response.status().is_success() {
            return answer::<serde_json::Value>(Ok(response)).await.and_then(|_| {
                Err(ApiFailure::Unavailable("a file's refusal was not a problem document".into()))
            });
        }
        let header =
            |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let media_type = header("content-type").unwrap_or_else(|| "application/octet-stream".into());
        let disposition = header("content-disposition");
        let content = response.bytes().await.map_err(|e| ApiFailure::Unavailable(e.to_string()))?;
        Ok(Download { media_type, disposition, content: content.to_vec() })
    }

    fn url(&self, path: &str) -> String {
        format!("{}{}{path}", self.base, caucus_wire::API_PREFIX)
    }
}

async fn answer<T: DeserializeOwned>(sent: reqwest::Result<reqwest::Response>) -> Result<T, ApiFailure> {
    let response = sent.map_err(|e| ApiFailure::Unavailable(e.without_url().to_string()))?;
    let status = response.status();
    let body = response.bytes().await.map_err(|e| ApiFailure::Unavailable(e.to_string()))?;
    if status.is_success() {
        // 204 (done, and nothing the caller may now read) is JSON's null: an
        // `Option` answer reads it as `None`.
        let body: &[u8] = if status == StatusCode::NO_CONTENT { b"null" } else { &body };
        return serde_json::from_slice(body)
            .map_err(|e| ApiFailure::Unavailable(format!("unexpected answer: {e}")));
    }
    match serde_json::from_slice::<Problem>(&body) {
        Ok(problem) => Err(ApiFailure::Refused(Box::new(problem))),
        Err(_) if status == StatusCode::SERVICE_UNAVAILABLE || status.is_server_error() => {
            Err(ApiFailure::Unavailable(format!("the api answered {status}")))
        }
        Err(_) => {
            Err(ApiFailure::Unavailable(format!("the api answered {status} without a problem document")))
        }
    }
}
