//! The HTTP edge shared by every route: errors as problem+json, request
//! validation, versions as ETags, idempotent retries and pagination.

mod document;
mod extractors;
mod idempotency;
mod known_paths;
mod preconditions;
mod problem;
mod report;
mod upload;

pub use caucus_wire::{FieldError, Fields, Problem};
pub use document::{DOCUMENT_PATH, Document, serve_document};
pub use extractors::{JsonBody, MAX_BODY_BYTES, Query, json_config, path_config, query_config};
pub use idempotency::{IdempotencyKey, Idempotent};
pub use known_paths::{KnownPaths, unrouted};
pub use preconditions::{IfMatch, with_etag};
pub use problem::{
    ApiError, CommandErrors, FormErrors, ListErrors, PeriodErrors, ReadErrors, RecordPeriodErrors,
    YearErrors, problem_instance,
};
pub use report::{csv_ok, markdown_ok, report_as};
pub use upload::{MAX_FILE_BYTES, Upload};
