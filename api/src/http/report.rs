//! A report's answer in the format its reader asked for: JSON (the
//! default), Markdown for a meeting's papers, or CSV for a spreadsheet.

use actix_web::{HttpResponse, HttpResponseBuilder};
use caucus_wire::report_back::ReportFormat;
use serde::Serialize;

/// `200 OK` with a CSV body to follow.
pub fn csv_ok() -> HttpResponseBuilder {
    let mut ok = HttpResponse::Ok();
    ok.content_type("text/csv; charset=utf-8");
    ok
}

/// `200 OK` with a Markdown body to follow.
pub fn markdown_ok() -> HttpResponseBuilder {
    let mut ok = HttpResponse::Ok();
    ok.content_type("text/markdown; charset=utf-8");
    ok
}

/// The report in `format`: `json()` as JSON, or `written()` as Markdown;
/// only the one asked for is made.
pub fn report_as<V: Serialize>(
    format: Option<ReportFormat>,
    json: impl FnOnce() -> V,
    written: impl FnOnce() -> String,
) -> HttpResponse {
    match format.unwrap_or_default() {
        ReportFormat::Json => HttpResponse::Ok().json(json()),
        ReportFormat::Markdown => markdown_ok().body(written()),
    }
}
