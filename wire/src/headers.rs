//! The request headers the contract defines: `If-Match` (the ETag a write
//! expects) and `Idempotency-Key` (a retry records nothing new). Each rule
//! is stated once, as a pattern its schema carries and a parser the api uses.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use utoipa::{
    PartialSchema, ToSchema,
    openapi::{ObjectBuilder, RefOr, Schema, Type},
};

/// An `If-Match` value: `*`, or an ETag the api gave (a record's version in
/// quotes, `"3"`, weak `W/"3"` too). The version without its quotes, `3`,
/// a common slip, is read the same.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct IfMatchValue(pub String);

impl IfMatchValue {
    /// The form of the header (a version fits in 19 digits).
    pub const PATTERN: &'static str = r#"^(\*|(W/)?"[0-9]{1,19}"|[0-9]{1,19})$"#;

    /// The version a write expects: `None` for `*`.
    pub fn parse(value: &str) -> Result<Option<u64>, String> {
        if value == "*" {
            return Ok(None);
        }
        let quoted =
            value.strip_prefix("W/").unwrap_or(value).strip_prefix('"').and_then(|v| v.strip_suffix('"'));
        quoted
            .or(Some(value))
            .filter(|v| (1..=19).contains(&v.len()) && v.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|v| v.parse::<u64>().ok())
            .map(Some)
            .ok_or_else(|| format!("If-Match must be an ETag this API returned, like \"3\"; got {value}"))
    }
}

impl PartialSchema for IfMatchValue {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some("The ETag you last read (`\"3\"`; `3` is read the same), or `*`"))
            .pattern(Some(Self::PATTERN))
            .into()
    }
}

impl ToSchema for IfMatchValue {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("IfMatchValue")
    }
}

/// An `Idempotency-Key` value: 1 to 255 visible ASCII characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct IdempotencyKeyValue(pub String);

impl IdempotencyKeyValue {
    /// The form of the header.
    pub const PATTERN: &'static str = "^[!-~]{1,255}$";

    /// Checks a key's form.
    pub fn parse(key: &str) -> Result<&str, String> {
        if (1..=255).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic()) {
            Ok(key)
        } else {
            Err("Idempotency-Key must be 1 to 255 visible ASCII characters".to_owned())
        }
    }
}

impl PartialSchema for IdempotencyKeyValue {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some("Any key of your own, new for each distinct request"))
            .pattern(Some(Self::PATTERN))
            .into()
    }
}

impl ToSchema for IdempotencyKeyValue {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("IdempotencyKeyValue")
    }
}

#[cfg(test)]
mod tests {
    use regex::Regex;

    use super::*;

    #[test]
    fn an_if_match_parses_exactly_when_it_has_the_documented_form() {
        let pattern = Regex::new(IfMatchValue::PATTERN).expect("pattern");
        for sample in [
            "\"3\"",
            "W/\"3\"",
            "*",
            "3",
            "\"three\"",
            "\"\"",
            "W/3",
            "\"9999999999999999999\"",
            "\"18446744073709551616\"",
            " \"3\"",
        ] {
            assert_eq!(pattern.is_match(sample), IfMatchValue::parse(sample).is_ok(), "{sample:?}");
        }
    }

    #[test]
    fn an_idempotency_key_parses_exactly_when_it_has_the_documented_form() {
        let pattern = Regex::new(IdempotencyKeyValue::PATTERN).expect("pattern");
        let long = "k".repeat(256);
        for sample in ["2026-03-02-library", "a", "", "has space", "tab\t", "é", long.as_str(), &long[..255]]
        {
            assert_eq!(pattern.is_match(sample), IdempotencyKeyValue::parse(sample).is_ok(), "{sample:?}");
        }
    }
}
