//! The OpenAPI document as the api serves it: written to JSON once when the
//! server starts and shared by every worker, rather than a copy of the whole
//! document kept by each worker and written again for each request.

use actix_web::{HttpResponse, http::header::ContentType, web};

/// Where the document is served.
pub const DOCUMENT_PATH: &str = "/openapi.json";

/// The document's JSON.
#[derive(Debug, Clone)]
pub struct Document(web::Bytes);

impl Document {
    /// `doc` as JSON.
    pub fn of(doc: &utoipa::openapi::OpenApi) -> Result<Self, serde_json::Error> {
        Ok(Self(serde_json::to_vec(doc)?.into()))
    }
}

/// Serves the document.
pub async fn serve_document(document: web::Data<Document>) -> HttpResponse {
    HttpResponse::Ok().content_type(ContentType::json()).body(document.0.clone())
}
