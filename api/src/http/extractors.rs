//! Request extractors whose failures are problem+json answers: a JSON body
//! checked field by field, and configured path and query extractors.

use std::future::Future;
use std::pin::Pin;

use actix_web::{
    FromRequest, HttpRequest,
    dev::Payload,
    error::{PathError, QueryPayloadError},
    http::header,
    web,
};
use serde::de::DeserializeOwned;

use super::problem::ApiError;
use caucus_wire::FieldError;

/// The largest request body accepted, in bytes. A decision's text is at most
/// 50,000 characters; four bytes a character and room for the rest.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// A JSON request body, parsed into `T` with unknown fields refused. A syntax
/// error is a 400; a well-formed body of the wrong shape is a 422 naming the
/// field; a body over [`MAX_BODY_BYTES`] is a 413, read no further.
#[derive(Debug)]
pub struct JsonBody<T> {
    /// The parsed value.
    pub value: T,
    /// The raw body, for the idempotency fingerprint.
    pub raw: web::Bytes,
}

impl<T: DeserializeOwned + 'static> FromRequest for JsonBody<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<mime::Mime>().ok())
            .is_some_and(|m| m.subtype() == mime::JSON || m.suffix() == Some(mime::JSON));
        let declared_length = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        let bytes = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            if !is_json {
                return Err(ApiError::UnsupportedMediaType);
            }
            if declared_length.is_some_and(|n| n > MAX_BODY_BYTES) {
                return Err(ApiError::PayloadTooLarge(MAX_BODY_BYTES));
            }
            let raw = bytes.await.map_err(|e| match e.as_response_error().status_code() {
                actix_web::http::StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge(MAX_BODY_BYTES),
                _ => ApiError::BadRequest("the request body could not be read".into()),
            })?;
            let value = parse_json(&raw)?;
            Ok(Self { value, raw })
        })
    }
}

/// Parses a JSON body, naming the offending field on a shape error.
pub fn parse_json<T: DeserializeOwned>(raw: &[u8]) -> Result<T, ApiError> {
    let mut deserializer = serde_json::Deserializer::from_slice(raw);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let pointer = json_pointer(error.path());
        let inner = error.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            ApiError::BadRequest(format!("the request body is not valid JSON: {inner}"))
        } else {
            let detail = strip_position(&inner.to_string());
            ApiError::Unprocessable {
                detail: format!("{pointer}: {detail}"),
                errors: vec![FieldError { pointer, detail }],
            }
        }
    })
}

fn json_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path.iter() {
        pointer.push('/');
        match segment {
            Segment::Seq { index } => pointer.push_str(&index.to_string()),
            Segment::Map { key } | Segment::Enum { variant: key } => {
                pointer.push_str(&key.replace('~', "~0").replace('/', "~1"))
            }
            Segment::Unknown => {}
        }
    }
    if pointer.is_empty() { "/".to_owned() } else { pointer }
}

/// serde_json appends " at line 1 column 17": true but no help to a client
/// that already has the pointer.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message.to_owned(),
    }
}

/// Path parameters that do not parse (a malformed id) are a 400.
pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|error: PathError, _req| {
        ApiError::BadRequest(format!("malformed path parameter: {error}")).into()
    })
}

/// A query string parsed into `T`; one that does not parse is a 400 naming
/// the parameter and what is wrong with it (`limit: invalid digit found in
/// string`), which actix's own `Query` leaves out.
#[derive(Debug)]
pub struct Query<T>(pub T);

impl<T> Query<T> {
    /// The parsed value.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for Query<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: DeserializeOwned> FromRequest for Query<T> {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let pairs =
            serde_urlencoded::Deserializer::new(form_urlencoded::parse(req.query_string().as_bytes()));
        std::future::ready(serde_path_to_error::deserialize(pairs).map(Query).map_err(|error| {
            let path = error.path().to_string();
            let inner = error.into_inner();
            match path.as_str() {
                "." => ApiError::BadRequest(format!("malformed query string: {inner}")),
                parameter => {
                    ApiError::BadRequest(format!("malformed query parameter `{parameter}`: {inner}"))
                }
            }
        }))
    }
}

/// Query strings that do not parse are a 400 (for `web::Query`; Caucus's
/// own routes use [`Query`], which names the parameter).
pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|error: QueryPayloadError, _req| {
        ApiError::BadRequest(format!("malformed query string: {error}")).into()
    })
}

/// Bodies sent to `web::Json` extractors (none in Caucus's own routes) get the
/// same limit and problem answers.
pub fn json_config() -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(MAX_BODY_BYTES)
        .error_handler(|error, _req| ApiError::BadRequest(format!("bad JSON body: {error}")).into())
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Votes {
        r#for: u32,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Example {
        title: String,
        votes: Votes,
    }

    #[test]
    fn a_wrong_type_is_a_422_naming_the_field() {
        let error =
            parse_json::<Example>(br#"{"title":"x","votes":{"for":"many"}}"#).expect_err("wrong type");
        let ApiError::Unprocessable { errors, .. } = error else { panic!("{error:?}") };
        assert_eq!(errors[0].pointer, "/votes/for");
    }

    #[test]
    fn an_unknown_field_is_a_422() {
        let error = parse_json::<Example>(br#"{"title":"x","votes":{"for":1},"extra":1}"#)
            .expect_err("unknown field");
        assert!(matches!(error, ApiError::Unprocessable { .. }), "{error:?}");
    }

    #[test]
    fn malformed_json_is_a_400() {
        let error = parse_json::<Example>(br#"{"title": "#).expect_err("truncated");
        assert!(matches!(error, ApiError::BadRequest(_)), "{error:?}");
    }
}
