//! A record's version is its ETag; `If-Match` makes a write conditional on it.

use std::future::{Ready, ready};

use actix_web::{FromRequest, HttpRequest, HttpResponseBuilder, dev::Payload, http::header};

use super::problem::ApiError;

/// The version a write expects, from `If-Match`; `None` when absent or `*`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IfMatch(pub Option<u64>);

impl IfMatch {
    fn parse(value: &str) -> Result<Option<u64>, ApiError> {
        caucus_wire::IfMatchValue::parse(value.trim()).map_err(ApiError::BadRequest)
    }
}

impl FromRequest for IfMatch {
    type Error = ApiError;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let result = match req.headers().get(header::IF_MATCH) {
            None => Ok(Self(None)),
            Some(value) => match value.to_str() {
                Ok(text) => Self::parse(text).map(Self),
                Err(_) => Err(ApiError::BadRequest("If-Match is not readable text".into())),
            },
        };
        ready(result)
    }
}

/// Adds the `ETag` for `version` to a response.
pub fn with_etag(response: &mut HttpResponseBuilder, version: u64) -> &mut HttpResponseBuilder {
    response.insert_header((header::ETAG, format!("\"{version}\"")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strong_and_weak_etags_parse() {
        assert_eq!(IfMatch::parse("\"3\"").ok(), Some(Some(3)));
        assert_eq!(IfMatch::parse("W/\"3\"").ok(), Some(Some(3)));
        assert_eq!(IfMatch::parse("*").ok(), Some(None));
        assert_eq!(IfMatch::parse("3").ok(), Some(Some(3)), "the quotes forgotten");
    }

    #[test]
    fn a_malformed_etag_is_a_bad_request() {
        assert!(IfMatch::parse("three").is_err());
        assert!(IfMatch::parse("W/3").is_err());
        assert!(IfMatch::parse("\"three\"").is_err());
    }
}
