//! Claims oversight: every claim, and deciding one in place of the vendor
//! (each decision is audited).

use actix_web::web::{Data, Json, Path, Query};
use actix_web::{HttpResponse, get, post};
use api_types::claims::decisions::{Approval, Holdback, Receipt, Rejection};
use api_types::claims::views::{Claim, ClaimPage, ClaimQuery};
use app::claims::decisions::{self, Decision};
use chrono::Utc;
use uuid::Uuid;
use web::{ApiError, AppState, Staff};

/// Every claim, newest first.
#[utoipa::path(get, path = "/v1/claims", tag = "orders",
    security(("bearer" = ["orders.read"])),
    params(ClaimQuery),
    responses((status = 200, body = ClaimPage),
        (status = 422, description = "`invalid_value` (`status`)", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[get("/v1/claims")]
pub async fn claims(
    state: Data<AppState>,
    caller: Staff,
    query: Query<ClaimQuery>,
) -> Result<HttpResponse, ApiError> {
    let limit = query.limit();
    let views = decisions::list(&state.context, &caller.0, &query.staff_filter(), limit).await?;
    Ok(HttpResponse::Ok().json(ClaimPage::of(views, limit)))
}

#[utoipa::path(get, path = "/v1/claims/{id}", tag = "orders",
    security(("bearer" = ["orders.read"])),
    params(("id" = Uuid, Path, description = "Claim id")),
    responses((status = 200, body = Claim),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json")))]
#[get("/v1/claims/{id}")]
pub async fn claim(
    state: Data<AppState>,
    caller: Staff,
    id: Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let view = decisions::get(&state.context, &caller.0, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(Claim::from(view)))
}

async fn decide(
    state: &AppState,
    caller: &Staff,
    id: Uuid,
    decision: Decision,
) -> Result<HttpResponse, ApiError> {
    let view = decisions::decide(&state.context, &caller.0, id, decision, Utc::now()).await?;
    Ok(HttpResponse::Ok().json(Claim::from(view)))
}

/// Approves a return in place of the vendor.
#[utoipa::path(post, path = "/v1/claims/{id}/approve", tag = "orders",
    security(("bearer" = ["claims.manage"])),
    params(("id" = Uuid, Path, description = "Claim id"), web::idempotency::IdempotencyKeyHeader),
    request_body = Approval,
    responses((status = 200, body = Claim),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_claim_step`", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/claims/{id}/approve")]
pub async fn approve(
    state: Data<AppState>,
    caller: Staff,
    id: Path<Uuid>,
    body: Json<Approval>,
) -> Result<HttpResponse, ApiError> {
    let note = body.into_inner().note;
    decide(&state, &caller, id.into_inner(), Decision::Approve { note }).await
}

/// Rejects a claim in place of the vendor, with the reason the shopper is shown.
#[utoipa::path(post, path = "/v1/claims/{id}/reject", tag = "orders",
    security(("bearer" = ["claims.manage"])),
    params(("id" = Uuid, Path, description = "Claim id"), web::idempotency::IdempotencyKeyHeader),
    request_body = Rejection,
    responses((status = 200, body = Claim),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_claim_step`", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "`invalid_length` (`note`)", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/claims/{id}/reject")]
pub async fn reject(
    state: Data<AppState>,
    caller: Staff,
    id: Path<Uuid>,
    body: Json<Rejection>,
) -> Result<HttpResponse, ApiError> {
    let note = body.into_inner().note;
    decide(&state, &caller, id.into_inner(), Decision::Reject { note }).await
}

/// Holds a return back in place of the vendor.
#[utoipa::path(post, path = "/v1/claims/{id}/holdback", tag = "orders",
    security(("bearer" = ["claims.manage"])),
    params(("id" = Uuid, Path, description = "Claim id"), web::idempotency::IdempotencyKeyHeader),
    request_body = Holdback,
    responses((status = 200, body = Claim),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_claim_step`", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "`invalid_length` (`reason`)", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/claims/{id}/holdback")]
pub async fn hold_back(
    state: Data<AppState>,
    caller: Staff,
    id: Path<Uuid>,
    body: Json<Holdback>,
) -> Result<HttpResponse, ApiError> {
    let reason = body.into_inner().reason;
    decide(
        &state,
        &caller,
        id.into_inner(),
        Decision::HoldBack { reason },
    )
    .await
}

/// Releases a held-back return (a settled dispute): once the item is back,
/// it is refunded.
#[utoipa::path(post, path = "/v1/claims/{id}/release", tag = "orders",
    security(("bearer" = ["claims.manage"])),
    params(("id" = Uuid, Path, description = "Claim id"), web::idempotency::IdempotencyKeyHeader),
    responses((status = 200, body = Claim),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_claim_step`", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/claims/{id}/release")]
pub async fn release(
    state: Data<AppState>,
    caller: Staff,
    id: Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    decide(&state, &caller, id.into_inner(), Decision::Release).await
}

/// Marks the returned item received in place of the vendor.
#[utoipa::path(post, path = "/v1/claims/{id}/receive", tag = "orders",
    security(("bearer" = ["claims.manage"])),
    params(("id" = Uuid, Path, description = "Claim id"), web::idempotency::IdempotencyKeyHeader),
    request_body = Receipt,
    responses((status = 200, body = Claim),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_claim_step`", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/claims/{id}/receive")]
pub async fn receive(
    state: Data<AppState>,
    caller: Staff,
    id: Path<Uuid>,
    body: Json<Receipt>,
) -> Result<HttpResponse, ApiError> {
    let restock = body.into_inner().restock;
    decide(
        &state,
        &caller,
        id.into_inner(),
        Decision::Receive { restock },
    )
    .await
}
