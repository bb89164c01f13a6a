//! Shoppers' claims on the vendor's items: approving or rejecting a return,
//! holding it back and releasing it, and receiving the item (which refunds
//! the claim as quoted unless it is held back).

use actix_web::web::{Data, Json, Path, Query};
use actix_web::{HttpResponse, get, post};
use api_types::claims::decisions::{Approval, Holdback, Receipt, Rejection, VendorCancellation};
use api_types::claims::views::{Claim, ClaimPage, ClaimQuery};
use app::claims::decisions::{self, Decision};
use chrono::Utc;
use uuid::Uuid;
use web::{ApiError, AppState, Staff};

/// Claims on the vendor's items, newest first.
#[utoipa::path(get, path = "/v1/claims", tag = "claims",
    security(("bearer" = ["seller.orders.manage"])),
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

/// One claim on the vendor's items.
#[utoipa::path(get, path = "/v1/claims/{id}", tag = "claims",
    security(("bearer" = ["seller.orders.manage"])),
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

/// Approves a return: the shopper sends the item back.
#[utoipa::path(post, path = "/v1/claims/{id}/approve", tag = "claims",
    security(("bearer" = ["seller.orders.manage"])),
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

/// Rejects a claim, with the reason the shopper is shown.
#[utoipa::path(post, path = "/v1/claims/{id}/reject", tag = "claims",
    security(("bearer" = ["seller.orders.manage"])),
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

/// Holds a return back: its refund waits until it is released.
#[utoipa::path(post, path = "/v1/claims/{id}/holdback", tag = "claims",
    security(("bearer" = ["seller.orders.manage"])),
    params(("id" = Uuid, Path, description = "Claim id"), web::idempotency::IdempotencyKeyHeader),
    request_body = Holdback,
    responses((status = 200, body = Claim),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_claim_step`: not approved or received, or held back already", body = web::ProblemDetails, content_type = "application/problem+json"),
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

/// Releases a held-back return; once the item is back, it is refunded.
#[utoipa::path(post, path = "/v1/claims/{id}/release", tag = "claims",
    security(("bearer" = ["seller.orders.manage"])),
    params(("id" = Uuid, Path, description = "Claim id"), web::idempotency::IdempotencyKeyHeader),
    responses((status = 200, body = Claim),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_claim_step`: not held back", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/claims/{id}/release")]
pub async fn release(
    state: Data<AppState>,
    caller: Staff,
    id: Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    decide(&state, &caller, id.into_inner(), Decision::Release).await
}

/// The returned item is back: unless held back, the claim is refunded as quoted.
#[utoipa::path(post, path = "/v1/claims/{id}/receive", tag = "claims",
    security(("bearer" = ["seller.orders.manage"])),
    params(("id" = Uuid, Path, description = "Claim id"), web::idempotency::IdempotencyKeyHeader),
    request_body = Receipt,
    responses((status = 200, body = Claim),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_claim_step`: not approved", body = web::ProblemDetails, content_type = "application/problem+json")))]
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

/// The vendor cannot ship product orders of one of its orders (`sold_out`,
/// `dispatch_delayed`): they are cancelled and refunded at once, at the
/// vendor's cost.
#[utoipa::path(post, path = "/v1/orders/{id}/cancellations", tag = "claims",
    security(("bearer" = ["seller.orders.manage"])),
    params(("id" = Uuid, Path, description = "Vendor order id"), web::idempotency::IdempotencyKeyHeader),
    request_body = VendorCancellation,
    responses((status = 201, body = Claim),
        (status = 404, description = "Not a product order of this vendor order", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`order_not_paid`; `claim_in_progress`", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "`invalid_value` (`reason`: the vendor's own, `sold_out` or `dispatch_delayed`), `required`, `duplicate`, `not_claimable` (`product_order_ids`: shipped already)", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/orders/{id}/cancellations")]
pub async fn cancel_lines(
    state: Data<AppState>,
    caller: Staff,
    id: Path<Uuid>,
    body: Json<VendorCancellation>,
) -> Result<HttpResponse, ApiError> {
    let view = app::claims::requests::cancel_by_vendor(
        &state.context,
        &caller.0,
        id.into_inner(),
        body.into_inner().into(),
        Utc::now(),
    )
    .await?;
    Ok(HttpResponse::Created().json(Claim::from(view)))
}
