//! A file sent as a request's body: its bytes, with the media type its
//! `Content-Type` names, up to [`MAX_FILE_BYTES`].

use actix_web::{HttpRequest, http::header, web};
use futures::StreamExt as _;

use super::ApiError;

/// The largest file accepted: 20 MiB, ample for a meeting paper or a scanned letter.
pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;

/// A file as uploaded.
#[derive(Debug)]
pub struct Upload {
    /// Its media type (the `Content-Type`'s essence, `application/pdf`).
    pub media_type: String,
    /// Its bytes: never empty.
    pub content: Vec<u8>,
}

impl Upload {
    /// Reads the body of `request`: 415 without a media type, 413 past
    /// [`MAX_FILE_BYTES`] (declared or sent), 400 if empty or unreadable.
    pub async fn read(request: &HttpRequest, mut payload: web::Payload) -> Result<Self, ApiError> {
        let media_type = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<mime::Mime>().ok())
            .map(|m| m.essence_str().to_owned())
            .ok_or(ApiError::UnsupportedMediaType)?;
        let declared = request
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        if declared.is_some_and(|n| n > MAX_FILE_BYTES) {
            return Err(ApiError::PayloadTooLarge(MAX_FILE_BYTES));
        }
        let mut content = Vec::with_capacity(declared.unwrap_or(0));
        while let Some(chunk) = payload.next().await {
            let chunk =
                chunk.map_err(|_| ApiError::BadRequest("the request body could not be read".into()))?;
            if content.len() + chunk.len() > MAX_FILE_BYTES {
                return Err(ApiError::PayloadTooLarge(MAX_FILE_BYTES));
            }
            content.extend_from_slice(&chunk);
        }
        if content.is_empty() {
            return Err(ApiError::BadRequest("the file is empty".into()));
        }
        Ok(Self { media_type, content })
    }
}
