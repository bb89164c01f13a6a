//! Liveness and readiness probes.

use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct Liveness {
    #[schema(example = "ok")]
    pub status: &'static str,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Readiness {
    #[schema(example = "ready")]
    pub status: &'static str,
    pub checks: Checks,
}

/// `up` or `down` for each dependency.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Checks {
    #[schema(example = "up")]
    pub postgres: &'static str,
    #[schema(example = "up")]
    pub redis: &'static str,
}
