//! What every resource of the contract shares: classification, paging, and
//! what the store says of a record beside its state.

use caucus_domain::WorkingDays;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use utoipa::{
    IntoParams, PartialSchema, ToSchema,
    openapi::{ObjectBuilder, RefOr, Schema, Type},
};

use crate::input::{Input, OutOfRange, number_input};
use crate::mirror::mirror;

mirror! {
    /// Who may read a record: `public` (may be published), `group` (all members),
    /// `officers` (Group Officers and the assistant), `confidential` (the
    /// assistant, the Leader and auditors), `casework` (a case's own readers).
    pub enum Classification = caucus_domain::Classification {
        /// May be published once approved.
        Public,
        /// Every member of the group.
        Group,
        /// Group Officers and the assistant.
        Officers,
        /// The assistant, the Leader and auditors.
        Confidential,
        /// A case and its resident: the case's owner, the councillors it is
        /// shared with, and the assistant; auditors its metadata only.
        Casework,
    }
}

mirror! {
    /// The classification a record is given when it is made: any but
    /// `casework`, which only cases and residents carry.
    pub enum ChosenClassification = caucus_domain::Classification {
        /// May be published once approved.
        Public,
        /// Every member of the group.
        Group,
        /// Group Officers and the assistant.
        Officers,
        /// The assistant, the Leader and auditors.
        Confidential,
    }
    internal { Casework }
}

/// The versioned prefix of every path of the api.
pub const API_PREFIX: &str = "/api/v1";

/// The body of a command that needs nothing more than the record it is sent to.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmptyRequest {}

/// When to read a record: now (the default), or as it stood at an instant.
#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AsOf {
    /// The record as it stood at this instant, rebuilt from its events recorded
    /// by then (no ETag: a past version cannot be written to).
    pub as_of: Option<DateTime<Utc>>,
}

/// The furthest ahead a "due within N days" filter looks: ten years.
pub const MAX_DAYS_AHEAD: u16 = 3_660;

number_input!(
    /// How many days ahead a date is looked for, from today.
    DaysAhead => u16, 0u16, MAX_DAYS_AHEAD
);

/// What the store says of a record beside its state.
#[derive(Debug, Clone, Copy)]
pub struct Stored<'a> {
    /// Its version (its ETag).
    pub version: u64,
    /// When it was recorded (RFC 3339, UTC).
    pub created_at: &'a str,
    /// When it last changed (RFC 3339, UTC).
    pub updated_at: &'a str,
}

/// The day a record is read on and the working days it is counted in: what
/// decides whether an action is overdue or a meeting's paper late.
#[derive(Debug, Clone, Copy)]
pub struct ReadOn<'a> {
    /// Now: what an event's offers of places are settled at.
    pub now: chrono::DateTime<chrono::Utc>,
    /// Today, in the council's time zone.
    pub today: NaiveDate,
    /// The deployment's working days.
    pub calendar: &'a WorkingDays,
    /// The limits social texts are counted against.
    pub social_limits: &'a caucus_domain::publication::SocialLimits,
    /// The council's deadline for motions and questions to its meetings.
    pub motion_deadline: &'a caucus_domain::motion::SubmissionDeadline,
    /// The value per head, in pence, at or over which hospitality must be registered.
    pub hospitality_threshold_pence: u64,
    /// Months after closing a case's personal data is kept, unless the case keeps it longer.
    pub case_retention_months: u16,
}

/// A record whose state lacks what its first event sets: it cannot be shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unrecorded {
    /// What kind of record.
    pub record: &'static str,
    /// Its id.
    pub id: uuid::Uuid,
}

impl std::fmt::Display for Unrecorded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {} in the read model is unrecorded", self.record, self.id)
    }
}

impl std::error::Error for Unrecorded {}

/// A page size: 1 to [`PageLimit::MAX`], [`PageLimit::DEFAULT`] when absent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PageLimit(pub u32);

impl PageLimit {
    /// The page size when none is asked for.
    pub const DEFAULT: u32 = 50;
    /// The largest page.
    pub const MAX: u32 = 200;

    /// The checked size.
    pub fn get(limit: Option<Self>) -> Result<u32, String> {
        match limit {
            None => Ok(Self::DEFAULT),
            Some(Self(limit)) if (1..=Self::MAX).contains(&limit) => Ok(limit),
            Some(_) => Err(format!("limit must be between 1 and {}", Self::MAX)),
        }
    }
}

impl PartialSchema for PageLimit {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::Integer)
            .description(Some(format!("Page size, 1 to {} (default {}).", Self::MAX, Self::DEFAULT)))
            .minimum(Some(1))
            .maximum(Some(i64::from(Self::MAX)))
            .into()
    }
}

impl ToSchema for PageLimit {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("PageLimit")
    }
}

/// Where a page continues: the `next_cursor` of the page before. Any cursor
/// of this form is a place in the register's order, so one a client made is
/// as good as one the api gave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Cursor(pub String);

impl Cursor {
    /// The form of a cursor: the time a record was made and its id, with a
    /// `~` between.
    pub const PATTERN: &'static str = "^[0-9A-Za-z:.+-]+~[0-9A-Za-z-]+$";

    /// The cursor's two parts.
    pub fn parts(&self) -> Option<(&str, &str)> {
        let time = |c: char| c.is_ascii_alphanumeric() || matches!(c, ':' | '.' | '+' | '-');
        let id = |c: char| c.is_ascii_alphanumeric() || c == '-';
        self.0.split_once('~').filter(|(at, record)| {
            !at.is_empty() && !record.is_empty() && at.chars().all(time) && record.chars().all(id)
        })
    }
}

impl PartialSchema for Cursor {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some("Continue from the `next_cursor` of the previous page."))
            .pattern(Some(Self::PATTERN))
            .into()
    }
}

impl ToSchema for Cursor {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("Cursor")
    }
}

/// Which end of a register a list starts from: the records made first
/// (`oldest`, the default) or the latest made (`newest`). A `next_cursor`
/// continues in the order it was given in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ListOrder {
    /// The records made first, first.
    #[default]
    Oldest,
    /// The latest made, first.
    Newest,
}

impl ListOrder {
    /// Whether `order` lists the latest made first.
    pub fn newest_first(order: Option<Self>) -> bool {
        order == Some(Self::Newest)
    }
}

/// Records named by id, for a page that shows a few of a register's records
/// (the members an action list names): up to [`IdList::MAX`] UUIDs separated
/// by commas, as one query parameter.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct IdList(pub Vec<uuid::Uuid>);

impl IdList {
    /// The most ids one request names: one page of the register.
    pub const MAX: usize = PageLimit::MAX as usize;
    /// The form of the list: UUIDs with commas between.
    pub const PATTERN: &'static str = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\
        (,[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})*$";

    /// The ids of `list` as the store names records; none when absent.
    pub fn record_ids(list: Option<&Self>) -> Vec<String> {
        list.map(|ids| ids.0.iter().map(uuid::Uuid::to_string).collect()).unwrap_or_default()
    }
}

impl std::fmt::Display for IdList {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (n, id) in self.0.iter().enumerate() {
            if n > 0 {
                f.write_str(",")?;
            }
            write!(f, "{id}")?;
        }
        Ok(())
    }
}

impl std::str::FromStr for IdList {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let ids = text
            .split(',')
            .map(|id| {
                // Only the hyphenated form the pattern documents: `Uuid`
                // alone would also take braces, URNs and bare hex.
                (id.len() == 36)
                    .then(|| uuid::Uuid::try_parse(id).ok())
                    .flatten()
                    .ok_or_else(|| format!("`{id}` is not a record id (a UUID)"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        if ids.len() > Self::MAX {
            return Err(format!("at most {} ids at once", Self::MAX));
        }
        Ok(Self(ids))
    }
}

impl Serialize for IdList {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for IdList {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = Cow::<'de, str>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl PartialSchema for IdList {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some(format!("Up to {} record ids (UUIDs), separated by commas.", Self::MAX)))
            .pattern(Some(Self::PATTERN))
            .max_length(Some(Self::MAX * 37 - 1))
            .into()
    }
}

impl ToSchema for IdList {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("IdList")
    }
}

#[cfg(test)]
mod tests {
    use regex::Regex;

    use super::*;

    #[test]
    fn a_cursor_is_read_exactly_when_it_has_the_documented_form() {
        let pattern = Regex::new(Cursor::PATTERN).expect("pattern");
        for sample in
            ["2026-03-02T10:00:00Z~0195f3a0-0000-7000-8000-000000000000", "x~y", "", "x", "~y", "x~", "a~b~c"]
        {
            let cursor = Cursor(sample.to_owned());
            assert_eq!(pattern.is_match(sample), cursor.parts().is_some(), "{sample:?}");
        }
    }

    #[test]
    fn an_id_list_is_read_exactly_when_it_has_the_documented_form() {
        let pattern = Regex::new(IdList::PATTERN).expect("pattern");
        let id = "0195f3a0-0000-7000-8000-000000000000";
        let two = format!("{id},{id}");
        let braced = format!("{{{id}}}");
        let spaced = format!("{id}, {id}");
        let trailing = format!("{id},");
        for sample in [
            id,
            two.as_str(),
            "",
            braced.as_str(),
            spaced.as_str(),
            trailing.as_str(),
            "0195f3a00000700080000000000000000",
        ] {
            assert_eq!(pattern.is_match(sample), sample.parse::<IdList>().is_ok(), "{sample:?}");
        }
        let list: IdList = two.parse().expect("two ids");
        assert_eq!(list.to_string(), two);
        let too_many = vec![id; IdList::MAX + 1].join(",");
        assert!(too_many.parse::<IdList>().is_err());
        assert!(too_many.len() > IdList::MAX * 37 - 1, "the schema's maxLength refuses it too");
    }

    #[test]
    fn a_page_is_1_to_200_records() {
        assert_eq!(PageLimit::get(None), Ok(50));
        assert_eq!(PageLimit::get(Some(PageLimit(200))), Ok(200));
        assert!(PageLimit::get(Some(PageLimit(0))).is_err());
        assert!(PageLimit::get(Some(PageLimit(201))).is_err());
    }
}
