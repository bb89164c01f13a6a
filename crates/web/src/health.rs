//! Liveness and readiness.

use std::future::Future;
use std::time::Duration;

use actix_web::{HttpResponse, get, web};

use crate::{ApiError, AppState};
use api_types::kernel::health::{
    Checks, DependencyState, Liveness, LivenessStatus, Readiness, ReadinessStatus,
};
use app::ProblemCode;

/// The process is alive (it answers); says nothing of its dependencies.
#[utoipa::path(get, path = "/livez", tag = "operations",
    responses((status = 200, description = "Alive", body = Liveness)))]
#[get("/livez")]
pub async fn livez() -> HttpResponse {
    HttpResponse::Ok().json(Liveness {
        status: LivenessStatus::Ok,
    })
}

/// Ready to serve: PostgreSQL and Redis both answered within the readiness timeout.
#[utoipa::path(get, path = "/readyz", tag = "operations",
    responses(
        (status = 200, description = "Ready", body = Readiness),
        (status = 503, description = "A dependency is down; `checks` says which",
            body = crate::ProblemDetails, content_type = "application/problem+json"),
    ))]
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let timeout = state.readiness_timeout;
    let (postgres, redis) = tokio::join!(
        probe(timeout, state.context.db.ping()),
        probe(timeout, state.context.kv.ping()),
    );
    let checks = Checks { postgres, redis };
    if postgres == DependencyState::Up && redis == DependencyState::Up {
        return Ok(HttpResponse::Ok().json(Readiness {
            status: ReadinessStatus::Ready,
            checks,
        }));
    }
    Err(ApiError::new(ProblemCode::NotReady, "Not ready")
        .with_extension("checks", serde_json::to_value(&checks).unwrap_or_default()))
}

async fn probe<E: std::fmt::Display>(
    timeout: Duration,
    check: impl Future<Output = Result<(), E>>,
) -> DependencyState {
    match tokio::time::timeout(timeout, check).await {
        Ok(Ok(())) => DependencyState::Up,
        Ok(Err(error)) => {
            tracing::warn!(%error, "readiness check failed");
            DependencyState::Down
        }
        Err(_) => {
            tracing::warn!(?timeout, "readiness check timed out");
            DependencyState::Down
        }
    }
}
