//! Liveness and readiness probes.

use super::vocabulary::vocabulary;
use serde::Serialize;
use utoipa::ToSchema;

vocabulary! {
    /// The process answers.
    LivenessStatus {
        Ok = "ok",
    }
}

vocabulary! {
    /// Every dependency answers (otherwise the probe is a `not_ready` problem).
    ReadinessStatus {
        Ready = "ready",
    }
}

vocabulary! {
    /// Whether a dependency answered within the probe's timeout.
    DependencyState {
        Up = "up", Down = "down",
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Liveness {
    pub status: LivenessStatus,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Readiness {
    pub status: ReadinessStatus,
    pub checks: Checks,
}

/// `up` or `down` for each dependency.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Checks {
    pub postgres: DependencyState,
    pub redis: DependencyState,
}
