//! Executes a command against one record: loads it, checks the caller may touch
//! it and the version they expect, runs the aggregate, and appends the events
//! with their metadata together with the record's new read-model row, so the
//! caller reads its own write as soon as the command returns.

use std::collections::HashMap;

use chrono::{DateTime, SecondsFormat, Utc};
use cqrs_es::{AggregateError, event_sink::EventSink};

use super::{
    Database, StoreError,
    append::{self, AppendError},
    event_store::AggregateEvents,
};
use crate::domain::{Classification, GroupId, Record, Role};

/// Who is acting, for whom, and on which request: copied onto every event.
#[derive(Debug, Clone)]
pub struct CommandContext {
    /// The token's subject.
    pub actor: String,
    /// The actor's roles.
    pub roles: Vec<Role>,
    /// The actor's group.
    pub group_id: GroupId,
    /// The request that carried the command.
    pub request_id: String,
    /// The client's Idempotency-Key, where given.
    pub idempotency_key: Option<String>,
}

/// The metadata keys written on every event.
pub mod metadata_keys {
    /// The token subject that issued the command.
    pub const ACTOR: &str = "actor";
    /// The actor's roles, comma-separated.
    pub const ROLES: &str = "roles";
    /// The group (tenant).
    pub const GROUP: &str = "group";
    /// When the command was committed, RFC 3339 UTC.
    pub const RECORDED_AT: &str = "recorded_at";
    /// The HTTP request id.
    pub const REQUEST_ID: &str = "request_id";
    /// The client's Idempotency-Key.
    pub const IDEMPOTENCY_KEY: &str = "idempotency_key";
}

impl CommandContext {
    fn metadata(&self, recorded_at: &str) -> HashMap<String, String> {
        use metadata_keys::*;
        let roles: Vec<&str> = self.roles.iter().map(|r| r.as_str()).collect();
        let mut metadata = HashMap::from([
            (ACTOR.to_owned(), self.actor.clone()),
            (ROLES.to_owned(), roles.join(",")),
            (GROUP.to_owned(), self.group_id.to_string()),
            (RECORDED_AT.to_owned(), recorded_at.to_owned()),
            (REQUEST_ID.to_owned(), self.request_id.clone()),
        ]);
        if let Some(key) = &self.idempotency_key {
            metadata.insert(IDEMPOTENCY_KEY.to_owned(), key.clone());
        }
        metadata
    }
}

/// What the caller expects of the record before the command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expectation {
    /// The record must not exist yet.
    New,
    /// The record must exist; if a version is given (from If-Match) it must be
    /// the current one.
    Existing(Option<u64>),
}

/// A command that was committed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Committed {
    /// The record's version after the command: its ETag.
    pub version: u64,
}

/// Why a command was not committed.
#[derive(Debug, thiserror::Error)]
pub enum CommandError<E: std::error::Error> {
    /// No such record for this caller: absent, another group's, or classified
    /// above the caller. The three are indistinguishable on purpose.
    #[error("no such record")]
    NotFound,
    /// The record exists already.
    #[error("the record already exists")]
    AlreadyExists,
    /// The caller's If-Match names an older version.
    #[error("the record has changed: it is at version {current}, not {expected}")]
    StaleVersion {
        /// The version the caller sent.
        expected: u64,
        /// The current version.
        current: u64,
    },
    /// Another writer committed to the record first.
    #[error("another change to this record was saved first")]
    Concurrent,
    /// The command would classify the record where its writer could no longer
    /// read it.
    #[error("you could not read a record classified {}: choose a classification your role reads", .0.as_str())]
    ClassifiedAbove(Classification),
    /// The aggregate refused the command.
    #[error(transparent)]
    Domain(E),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl<E: std::error::Error> From<AggregateError<E>> for CommandError<E> {
    fn from(error: AggregateError<E>) -> Self {
        match error {
            AggregateError::UserError(e) => Self::Domain(e),
            AggregateError::AggregateConflict => Self::Concurrent,
            AggregateError::DatabaseConnectionError(e)
            | AggregateError::DeserializationError(e)
            | AggregateError::UnexpectedError(e) => match e.downcast::<sqlx::Error>() {
                Ok(sqlx_error) => Self::Store(StoreError::Database(*sqlx_error)),
                Err(other) => Self::Store(StoreError::Inconsistent(other.to_string())),
            },
        }
    }
}

/// Runs commands against the event store.
#[derive(Debug, Clone)]
pub struct CommandBus {
    db: Database,
}

impl CommandBus {
    /// A bus over `db`.
    pub fn new(db: Database) -> Self {
        Self { db }
    }

    /// Executes `command` on record `id` as `context`.
    pub async fn execute<A>(
        &self,
        id: &str,
        command: A::Command,
        context: &CommandContext,
        expectation: Expectation,
    ) -> Result<Committed, CommandError<A::Error>>
    where
        A: Record<Services = ()>,
    {
        let events = AggregateEvents::<A>::new(&self.db);
        let mut loaded = events.load(id).await?;
        let current = loaded.current_sequence as u64;
        match expectation {
            Expectation::New if current > 0 => return Err(CommandError::AlreadyExists),
            Expectation::New => {}
            Expectation::Existing(expected) => {
                let visible = current > 0
                    && loaded.aggregate.group_id() == Some(&context.group_id)
                    && loaded.aggregate.readable_by(&context.actor, &context.roles);
                if !visible {
                    return Err(CommandError::NotFound);
                }
                if let Some(expected) = expected.filter(|&e| e != current) {
                    return Err(CommandError::StaleVersion { expected, current });
                }
            }
        }

        let classified = (current > 0).then(|| loaded.aggregate.classification());
        let sink = EventSink::default();
        loaded.aggregate.handle(command, &(), &sink).await.map_err(CommandError::Domain)?;
        let new_events = sink.collect().await;
        if new_events.is_empty() {
            return Ok(Committed { version: current });
        }
        // Classifying a record away from oneself is refused: its writer
        // could neither see nor correct what they recorded.
        let now_classified = loaded.aggregate.classification();
        if A::WRITER_CLASSIFIES
            && classified != Some(now_classified)
            && !now_classified.readable_by(&context.roles)
        {
            return Err(CommandError::ClassifiedAbove(now_classified));
        }
        let recorded_at = recorded_at(Utc::now());
        let metadata = context.metadata(&recorded_at);
        let version = append::append(
            &self.db,
            id,
            &loaded.aggregate,
            loaded.current_sequence,
            new_events,
            &metadata,
            &recorded_at,
        )
        .await
        .map_err(|error| match error {
            AppendError::Conflict => CommandError::Concurrent,
            AppendError::Store(error) => CommandError::Store(error),
        })?;
        Ok(Committed { version })
    }
}

/// A commit time as stored in metadata and the read model: RFC 3339, UTC, in
/// microseconds, so the strings sort as the times do.
fn recorded_at(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}
