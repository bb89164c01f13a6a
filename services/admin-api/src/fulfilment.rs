//! Fulfilment oversight: deliveries running late, and parcels moved in
//! place of the vendor or the carrier (each audited with its reason).

use actix_web::web::{Data, Json, Path, Query};
use actix_web::{HttpResponse, get, post};
use api_types::fulfilment::delays::{DelayQuery, ShipmentDelay, ShipmentDelayPage};
use api_types::fulfilment::shipments::{OverrideReason, Shipment};
use app::fulfilment::shipments::{self, Override};
use chrono::Utc;
use uuid::Uuid;
use web::{ApiError, AppState, Staff};

/// Deliveries running late, newest first: vendor orders not dispatched by
/// their deadline, parcels the carrier has not scanned a day after
/// shipping, parcels more than five days in transit (open ones by default).
#[utoipa::path(get, path = "/v1/shipment-delays", tag = "orders",
    security(("bearer" = ["orders.read"])),
    params(DelayQuery),
    responses((status = 200, body = ShipmentDelayPage)))]
#[get("/v1/shipment-delays")]
pub async fn shipment_delays(
    state: Data<AppState>,
    _caller: Staff,
    query: Query<DelayQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = query.page.unwrap_or(1).max(1);
    let size = query.size.unwrap_or(20).clamp(1, 100);
    let (rows, total) = app::fulfilment::delays::list(
        &state.context,
        query.open.unwrap_or(true),
        size,
        (page - 1) * size,
    )
    .await?;
    Ok(HttpResponse::Ok().json(ShipmentDelayPage {
        items: rows.into_iter().map(ShipmentDelay::from).collect(),
        total,
        page,
        size,
    }))
}

/// Withdraws a parcel even after the carrier scanned it (returned to the
/// vendor, or lost): its product orders are prepared again.
#[utoipa::path(post, path = "/v1/shipments/{id}/withdraw", tag = "orders",
    security(("bearer" = ["fulfilment.override"])),
    params(("id" = Uuid, Path, description = "Shipment id"), web::idempotency::IdempotencyKeyHeader),
    request_body = OverrideReason,
    responses((status = 200, body = Shipment),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`shipment_not_withdrawable`: delivered or withdrawn already", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "`invalid_length` (`reason`)", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/shipments/{id}/withdraw")]
pub async fn force_withdraw(
    state: Data<AppState>,
    caller: Staff,
    id: Path<Uuid>,
    body: Json<OverrideReason>,
) -> Result<HttpResponse, ApiError> {
    let reason = body.into_inner().reason;
    force(
        &state,
        &caller,
        id.into_inner(),
        Override::Withdraw { reason },
    )
    .await
}

/// Delivers a parcel that arrived without a carrier's delivery event (the
/// shopper has it): confirmation waits as without one.
#[utoipa::path(post, path = "/v1/shipments/{id}/deliver", tag = "orders",
    security(("bearer" = ["fulfilment.override"])),
    params(("id" = Uuid, Path, description = "Shipment id"), web::idempotency::IdempotencyKeyHeader),
    request_body = OverrideReason,
    responses((status = 200, body = Shipment),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_fulfilment_step`: delivered or withdrawn already", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "`invalid_length` (`reason`)", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/shipments/{id}/deliver")]
pub async fn force_deliver(
    state: Data<AppState>,
    caller: Staff,
    id: Path<Uuid>,
    body: Json<OverrideReason>,
) -> Result<HttpResponse, ApiError> {
    let reason = body.into_inner().reason;
    force(
        &state,
        &caller,
        id.into_inner(),
        Override::Deliver { reason },
    )
    .await
}

async fn force(
    state: &AppState,
    caller: &Staff,
    id: Uuid,
    action: Override,
) -> Result<HttpResponse, ApiError> {
    let view = shipments::force(&state.context, &caller.0, id, action, Utc::now()).await?;
    Ok(HttpResponse::Ok().json(Shipment::from(view)))
}
