//! `/files`: files the group stores with Caucus, such as a paper's PDF. A file
//! is named by the SHA-256 of its bytes and never changes; a paper attached as
//! a stored file names that hash in its event, so the audit chain covers the
//! content itself.

use super::Routes;
use actix_web::{HttpRequest, HttpResponse, get, http::header, post, web};
use chrono::{SecondsFormat, Utc};

use caucus_wire::{
    API_PREFIX, Input,
    files::{FileView, UploadParams},
};

use super::{AppState, command};
use crate::app;
use crate::auth::{Caller, Operation};
use crate::domain::Classification;
use crate::http::{ApiError, CommandErrors, ReadErrors, Upload};
use crate::store::files::{self, FileMeta, NewFile};

pub fn configure(config: &mut Routes) {
    config.service(upload_file).service(get_file);
}

fn file_view(meta: &FileMeta) -> Result<FileView, ApiError> {
    {
        let classification = app::files::classification_of(meta)?;
        Ok(FileView {
            id: meta.sha256.clone(),
            name: meta.name.clone(),
            media_type: meta.media_type.clone(),
            size: u64::try_from(meta.size).map_err(ApiError::internal)?,
            classification: classification.into(),
            url: format!("{API_PREFIX}/files/{}", meta.sha256),
        })
    }
}

/// Upload a file.
#[utoipa::path(
    tag = "files",
    operation_id = "upload_file",
    summary = "Store a file (the request body, up to 20 MiB, with its Content-Type) for a paper, a draft or a certificate to refer to; the same bytes again are the same file; classified no higher than the caller reads",
    params(UploadParams),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The file's bytes; Content-Type names its media type"),
    responses((status = 201, description = "Stored (or already stored)", body = FileView), CommandErrors),
    security(("bearer" = []))
)]
#[post("/files")]
async fn upload_file(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::UploadFile)?;
    // Read after the role check, so a caller who may not upload hears 403 whatever they sent.
    let params = web::Query::<UploadParams>::from_query(request.query_string())
        .map_err(|e| ApiError::BadRequest(format!("the query is not valid: {e}")))?;
    let name = params.name.parse().map_err(|e| ApiError::invalid_field("/name", e.to_string()))?.into_title();
    let upload = Upload::read(&request, payload).await?;
    let classification = params.classification.map_or(Classification::Group, Into::into);
    let readable = command::scope(&state, &caller).readable;
    if !readable.contains(&classification) {
        return Err(ApiError::invalid_field(
            "/classification",
            "you may not classify a file above what you can read",
        ));
    }
    let now = Utc::now().to_rfc3339_opts(SecondsFormat::Micros, true);
    let meta = files::put(
        &state.db,
        NewFile {
            group_id: &caller.group_id,
            name: name.as_str(),
            media_type: &upload.media_type,
            classification,
            uploaded_by: &caller.subject,
            content: &upload.content,
        },
        &now,
    )
    .await?;
    // The same bytes stored before under a class the caller cannot read:
    // say so without naming or describing that file.
    if !readable.contains(&app::files::classification_of(&meta)?) {
        return Err(ApiError::Conflict(
            "a file with these same bytes is already stored, classified above what you can read".into(),
        ));
    }
    let view = file_view(&meta)?;
    Ok(HttpResponse::Created().insert_header((header::LOCATION, view.url.clone())).json(view))
}

/// Download a file.
#[utoipa::path(
    tag = "files",
    operation_id = "get_file",
    summary = "A stored file's bytes, if the caller may read it",
    params(("id" = String, Path, description = "The file's SHA-256")),
    responses((status = 200, description = "The file", content_type = "application/octet-stream", body = Vec<u8>), ReadErrors),
    security(("bearer" = []))
)]
#[get("/files/{id}")]
async fn get_file(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::GetFile)?;
    let Some((file, _)) = app::files::referable(&command::scope(&state, &caller), &id).await? else {
        return Err(ApiError::NotFound("file"));
    };
    let content =
        files::content(&state.db, &caller.group_id, &file.sha256).await?.ok_or(ApiError::NotFound("file"))?;
    Ok(HttpResponse::Ok()
        .content_type(file.media_type.as_str())
        .insert_header(header::ContentDisposition::attachment(file.name.as_str()))
        .insert_header((header::ETAG, format!("\"{}\"", file.sha256)))
        .insert_header((header::CACHE_CONTROL, "private, max-age=31536000, immutable"))
        .body(content))
}
