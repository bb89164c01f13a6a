//! Fulfilment oversight: deliveries running late.

use actix_web::web::{Data, Query};
use actix_web::{HttpResponse, get};
use api_types::fulfilment::delays::{DelayQuery, ShipmentDelay, ShipmentDelayPage};
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
