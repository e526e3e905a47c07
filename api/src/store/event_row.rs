//! One event of the log as a whole-log reader sees it: its text borrowed from
//! the database row it came in, not copied into strings of its own. A replay
//! of a million events decodes each payload once, straight from the row, and
//! copies a record's id only when it meets the record for the first time.

use std::borrow::Cow;

use chrono::{SecondsFormat, Utc};
use cqrs_es::persist::SerializedEvent;
use sqlx::{ColumnIndex, Decode, Row, Type};

use super::{GlobalPosition, StoreError, command_bus::metadata_keys, projector::domain_event};
use crate::domain::Record;

/// An event of the log, borrowing its text from its row.
#[derive(Debug, Clone, Copy)]
pub(crate) struct EventRow<'r> {
    pub(crate) aggregate_type: &'r str,
    pub(crate) aggregate_id: &'r str,
    pub(crate) sequence: i64,
    pub(crate) event_type: &'r str,
    pub(crate) event_version: &'r str,
    pub(crate) payload: &'r str,
    pub(crate) metadata: &'r str,
    pub(crate) transaction_id: i64,
    pub(crate) position: i64,
}

impl<'r> EventRow<'r> {
    /// Reads a row of the whole-log queries (`PG_LOG_AFTER`, `SQLITE_LOG_AFTER`),
    /// whose columns are these fields in this order. By index and without a
    /// type check per value: those queries are ours and their types fixed, and
    /// looking each column up by name cost a replay a tenth of its read.
    pub(crate) fn from_row<R: Row>(row: &'r R) -> Result<Self, sqlx::Error>
    where
        usize: ColumnIndex<R>,
        &'r str: Decode<'r, R::Database> + Type<R::Database>,
        i64: Decode<'r, R::Database> + Type<R::Database>,
    {
        Ok(Self {
            aggregate_type: row.try_get_unchecked(0)?,
            aggregate_id: row.try_get_unchecked(1)?,
            sequence: row.try_get_unchecked(2)?,
            event_type: row.try_get_unchecked(3)?,
            event_version: row.try_get_unchecked(4)?,
            payload: row.try_get_unchecked(5)?,
            metadata: row.try_get_unchecked(6)?,
            transaction_id: row.try_get_unchecked(7)?,
            position: row.try_get_unchecked(8)?,
        })
    }

    pub(crate) fn global_position(&self) -> GlobalPosition {
        GlobalPosition { transaction_id: self.transaction_id, position: self.position }
    }

    /// When the event was recorded, as its metadata says (now, for an event
    /// written without it).
    pub(crate) fn recorded_at(&self) -> Result<Cow<'r, str>, StoreError> {
        /// The one metadata field a fold needs; the others are skipped unread.
        #[derive(serde::Deserialize)]
        struct Recorded<'a> {
            #[serde(borrow)]
            recorded_at: Option<Cow<'a, str>>,
        }
        const _: () = assert!(matches!(metadata_keys::RECORDED_AT.as_bytes(), b"recorded_at"));
        let metadata: Recorded<'r> = serde_json::from_str(self.metadata)?;
        Ok(metadata
            .recorded_at
            .unwrap_or_else(|| Cow::Owned(Utc::now().to_rfc3339_opts(SecondsFormat::Micros, true))))
    }

    /// The event as `A`'s, through `A`'s upcasters if one applies to it;
    /// otherwise (nearly always) decoded straight from the stored text, with
    /// no intermediate JSON tree. A replay of the whole log is mostly this.
    pub(crate) fn decode<A: Record>(&self) -> Result<A::Event, StoreError> {
        let upcast = A::upcasters().iter().any(|u| u.can_upcast(self.event_type, self.event_version));
        if upcast {
            return domain_event::<A>(self.to_serialized()?);
        }
        Ok(serde_json::from_str(self.payload)?)
    }

    /// The event as cqrs-es stores it, its payload and metadata parsed.
    pub(crate) fn to_serialized(self) -> Result<SerializedEvent, StoreError> {
        Ok(SerializedEvent {
            aggregate_id: self.aggregate_id.to_owned(),
            sequence: usize::try_from(self.sequence)
                .map_err(|_| StoreError::Inconsistent("negative sequence".into()))?,
            aggregate_type: self.aggregate_type.to_owned(),
            event_type: self.event_type.to_owned(),
            event_version: self.event_version.to_owned(),
            payload: serde_json::from_str(self.payload)?,
            metadata: serde_json::from_str(self.metadata)?,
        })
    }
}
