//! `/healthz` and `/readyz`: the probes.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What a probe found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum HealthStatus {
    /// The process answers.
    Ok,
    /// The store answers too.
    Ready,
}

/// A probe's answer.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Health {
    /// What the probe found.
    pub status: HealthStatus,
}
