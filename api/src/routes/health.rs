//! Liveness and readiness probes (no token: they reveal nothing).

use actix_web::{HttpResponse, get, web};
use caucus_wire::health::{Health, HealthStatus};

use super::AppState;
use crate::http::ApiError;

/// The process is up.
#[utoipa::path(
    get,
    path = "/healthz",
    tag = "health",
    operation_id = "get_health",
    summary = "Liveness: the process answers",
    responses((status = 200, description = "The process is running", body = Health))
)]
#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(Health { status: HealthStatus::Ok })
}

/// The store answers.
#[utoipa::path(
    get,
    path = "/readyz",
    tag = "health",
    operation_id = "get_readiness",
    summary = "Readiness: the store is reachable",
    responses(
        (status = 200, description = "The store answers", body = Health),
        (status = 503, description = "The store does not answer", body = crate::http::Problem,
            content_type = "application/problem+json")
    )
)]
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    match state.db.ping().await {
        Ok(()) => Ok(HttpResponse::Ok().json(Health { status: HealthStatus::Ready })),
        Err(error) => {
            tracing::warn!(error = %error, "readiness check failed");
            Err(ApiError::Unavailable)
        }
    }
}
