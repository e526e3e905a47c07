//! Liveness and readiness probes (no token: they reveal nothing).

use actix_web::{HttpResponse, get, web};

use super::AppState;

/// The process is up.
#[utoipa::path(
    get,
    path = "/healthz",
    tag = "health",
    operation_id = "get_health",
    summary = "Liveness: the process answers",
    responses((status = 200, description = "The process is running"))
)]
#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({"status": "ok"}))
}

/// The store answers.
#[utoipa::path(
    get,
    path = "/readyz",
    tag = "health",
    operation_id = "get_readiness",
    summary = "Readiness: the store is reachable",
    responses(
        (status = 200, description = "The store answers"),
        (status = 503, description = "The store does not answer")
    )
)]
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    match state.db.ping().await {
        Ok(()) => HttpResponse::Ok().json(serde_json::json!({"status": "ready"})),
        Err(error) => {
            tracing::warn!(error = %error, "readiness check failed");
            HttpResponse::ServiceUnavailable().json(serde_json::json!({"status": "unavailable"}))
        }
    }
}
