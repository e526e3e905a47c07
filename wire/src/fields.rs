//! Turning a request's fields into checked domain values, collecting every
//! invalid field so the caller can fix them all at once.

use caucus_domain::meeting::Venue;
use caucus_domain::{BoundedText, Note};
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use crate::input::{Input, TitleText};
use crate::problem::FieldError;

/// A request whose content is invalid: each field named by a JSON Pointer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    /// A summary.
    pub detail: String,
    /// The invalid fields.
    pub errors: Vec<FieldError>,
}

impl Invalid {
    /// One invalid field.
    pub fn field(pointer: &str, detail: impl Into<String>) -> Self {
        let mut fields = Fields::new();
        fields.reject(pointer, detail);
        fields.into_invalid()
    }
}

/// A request that becomes domain values field by field.
pub trait ParseRequest {
    /// What it becomes.
    type Parsed;

    /// Checks every field, recording each invalid one in `fields`; the value
    /// if all of its own fields are valid. A caller with more to check (a
    /// reference to another record) records it in the same `fields`.
    fn parse_fields(&self, fields: &mut Fields) -> Option<Self::Parsed>;

    /// The value, or every invalid field.
    fn parse(&self) -> Result<Self::Parsed, Invalid> {
        let mut fields = Fields::new();
        let parsed = self.parse_fields(&mut fields);
        fields.finish(|| parsed)
    }
}

/// Collects field errors while a request is parsed.
#[derive(Debug, Default)]
pub struct Fields {
    errors: Vec<FieldError>,
    /// Prepended to every pointer: where the part being parsed sits in the
    /// whole request (a nested object's field is `/action/title`).
    prefix: String,
}

impl Fields {
    /// A new, empty collector.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records an error at `pointer`.
    pub fn reject(&mut self, pointer: &str, detail: impl Into<String>) {
        self.errors.push(FieldError { pointer: format!("{}{pointer}", self.prefix), detail: detail.into() });
    }

    /// From now on, pointers are within `prefix` (e.g. `/action`), until
    /// [`Fields::leave`] is given what this returns.
    pub fn enter(&mut self, prefix: &str) -> usize {
        let before = self.prefix.len();
        self.prefix.push_str(prefix);
        before
    }

    /// Back to the pointers before the matching [`Fields::enter`].
    pub fn leave(&mut self, entered_at: usize) {
        self.prefix.truncate(entered_at);
    }

    /// Checks a field with its own rule; `None` (with an error recorded) if
    /// it breaks it.
    pub fn check<I: Input>(&mut self, pointer: &str, input: &I) -> Option<I::Value> {
        input.parse().map_err(|e| self.reject(pointer, e.to_string())).ok()
    }

    /// Checks an optional field: absent stays absent, present must be valid.
    pub fn check_optional<I: Input>(&mut self, pointer: &str, input: Option<&I>) -> Option<Option<I::Value>> {
        match input {
            None => Some(None),
            Some(input) => self.check(pointer, input).map(Some),
        }
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

    /// Parses an optional http(s) link.
    pub fn link(&mut self, pointer: &str, raw: Option<&str>) -> Option<Option<Note>> {
        if let Some(raw) = raw {
            let trimmed = raw.trim();
            if !(trimmed.starts_with("https://") || trimmed.starts_with("http://")) || trimmed.contains(' ') {
                self.reject(pointer, "must be an http or https URL");
                return None;
            }
        }
        self.optional_text(pointer, raw)
    }

    /// Parses when and where a meeting or event is held: it ends no earlier
    /// than it starts, and has a place or an online link.
    pub fn venue(
        &mut self,
        starts_at: DateTime<Utc>,
        ends_at: Option<DateTime<Utc>>,
        place: Option<&TitleText>,
        online_link: Option<&str>,
    ) -> Option<Venue> {
        let place = self.check_optional("/place", place);
        let online_link = self.link("/online_link", online_link);
        if ends_at.is_some_and(|end| end < starts_at) {
            self.reject("/ends_at", "must not be before starts_at");
        }
        if matches!((&place, &online_link), (Some(None), Some(None))) {
            self.reject("/place", "give a place or an online link");
        }
        Some(Venue { starts_at, ends_at, place: place?, online_link: online_link? })
    }

    /// Checks `later` is not before `earlier`.
    pub fn not_before(&mut self, pointer: &str, later: NaiveDate, earlier: NaiveDate, what: &str) {
        if later < earlier {
            self.reject(pointer, format!("must not be before {what}"));
        }
    }

    /// Whether any field was invalid so far.
    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }

    /// Finishes: the parsed value if no field was invalid, else every invalid
    /// field. `build` runs only when every field parsed.
    pub fn finish<T>(self, build: impl FnOnce() -> Option<T>) -> Result<T, Invalid> {
        if self.errors.is_empty()
            && let Some(value) = build()
        {
            return Ok(value);
        }
        Err(self.into_invalid())
    }

    fn into_invalid(self) -> Invalid {
        let detail = match self.errors.as_slice() {
            [] => "the request is invalid".to_owned(),
            [one] => format!("{}: {}", one.pointer, one.detail),
            many => format!("{} fields are invalid", many.len()),
        };
        Invalid { detail, errors: self.errors }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::TitleText;

    #[test]
    fn a_nested_part_names_its_fields_within_it() {
        let mut fields = Fields::new();
        let at = fields.enter("/action");
        fields.check("/title", &TitleText::from(""));
        fields.leave(at);
        fields.check("/item", &TitleText::from(""));
        let invalid = fields.finish(|| Some(())).expect_err("invalid");
        let pointers: Vec<&str> = invalid.errors.iter().map(|e| e.pointer.as_str()).collect();
        assert_eq!(pointers, ["/action/title", "/item"]);
    }

    #[test]
    fn every_invalid_field_is_named() {
        let mut fields = Fields::new();
        let title = fields.check("/title", &TitleText::from(" "));
        let other = fields.check("/other", &TitleText::from("x".repeat(201)));
        let invalid = fields.finish(|| Some((title?, other?))).expect_err("both invalid");
        let pointers: Vec<&str> = invalid.errors.iter().map(|e| e.pointer.as_str()).collect();
        assert_eq!(pointers, ["/title", "/other"]);
        assert_eq!(invalid.detail, "2 fields are invalid");
    }
}
