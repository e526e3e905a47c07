//! Turning a request DTO into checked domain values, collecting every invalid
//! field so the caller can fix them all at once.

use chrono::NaiveDate;
use uuid::Uuid;

use super::problem::{ApiError, FieldError};
use crate::domain::BoundedText;

/// Collects field errors while a DTO is parsed.
#[derive(Debug, Default)]
pub struct Fields {
    errors: Vec<FieldError>,
}

impl Fields {
    /// A new, empty collector.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records an error at `pointer`.
    pub fn reject(&mut self, pointer: &str, detail: impl Into<String>) {
        self.errors.push(FieldError { pointer: pointer.to_owned(), detail: detail.into() });
    }

    /// Parses required text; `None` (with an error recorded) if it is invalid.
    pub fn text<const MAX: usize>(&mut self, pointer: &str, raw: &str) -> Option<BoundedText<MAX>> {
        BoundedText::parse(raw).map_err(|e| self.reject(pointer, e.to_string())).ok()
    }

    /// Parses optional text: absent stays absent, present must be valid.
    pub fn optional_text<const MAX: usize>(
        &mut self,
        pointer: &str,
        raw: Option<&str>,
    ) -> Option<Option<BoundedText<MAX>>> {
        match raw {
            None => Some(None),
            Some(raw) => self.text(pointer, raw).map(Some),
        }
    }

    /// Parses an optional value with a domain parser: absent stays absent,
    /// present must parse, or its error is recorded at `pointer`.
    pub fn optional_parsed<T, E: std::fmt::Display>(
        &mut self,
        pointer: &str,
        raw: Option<&str>,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Option<Option<T>> {
        match raw {
            None => Some(None),
            Some(raw) => parse(raw).map(Some).map_err(|e| self.reject(pointer, e.to_string())).ok(),
        }
    }

    /// Parses a UUID.
    pub fn uuid(&mut self, pointer: &str, raw: &str) -> Option<Uuid> {
        Uuid::parse_str(raw).map_err(|_| self.reject(pointer, "must be a UUID")).ok()
    }

    /// Checks `value` is within `min..=max`.
    pub fn range<T: PartialOrd + std::fmt::Display + Copy>(
        &mut self,
        pointer: &str,
        value: T,
        min: T,
        max: T,
    ) -> Option<T> {
        if value < min || value > max {
            self.reject(pointer, format!("must be between {min} and {max}"));
            None
        } else {
            Some(value)
        }
    }

    /// Checks `later` is not before `earlier`.
    pub fn not_before(&mut self, pointer: &str, later: NaiveDate, earlier: NaiveDate, what: &str) {
        if later < earlier {
            self.reject(pointer, format!("must not be before {what}"));
        }
    }

    /// Finishes: the parsed value if no field was invalid, else a 422 listing
    /// them all. `build` runs only when every field parsed.
    pub fn finish<T>(self, build: impl FnOnce() -> Option<T>) -> Result<T, ApiError> {
        if self.errors.is_empty()
            && let Some(value) = build()
        {
            return Ok(value);
        }
        let detail = match self.errors.as_slice() {
            [] => "the request is invalid".to_owned(),
            [one] => format!("{}: {}", one.pointer, one.detail),
            many => format!("{} fields are invalid", many.len()),
        };
        Err(ApiError::Unprocessable { detail, errors: self.errors })
    }
}
