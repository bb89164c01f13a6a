//! Following the shopper's parcels (each vendor order's shipments with the
//! carrier's events), and confirming a purchase.

use actix_web::web::{Data, Path};
use actix_web::{HttpResponse, get, post};
use api_types::fulfilment::confirmation::Confirmation;
use api_types::fulfilment::shipments::ShipmentList;
use uuid::Uuid;
use web::{ApiError, AppState, Authenticated};

/// The shipments of one of the caller's orders, with the carrier's events
/// (delivery is final: later noise never moves a parcel back).
#[utoipa::path(get, path = "/v1/orders/{id}/shipments", tag = "orders", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Purchase order id")),
    responses((status = 200, body = ShipmentList),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json")))]
#[get("/v1/orders/{id}/shipments")]
pub async fn order_shipments(
    state: Data<AppState>,
    caller: Authenticated,
    id: Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let buyer = caller.buyer()?;
    let views =
        app::fulfilment::shipments::of_own_order(&state.context, &buyer, id.into_inner()).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("cache-control", "no-store"))
        .json(ShipmentList::of(views)))
}

/// Confirms one of the caller's shipped or delivered product orders: the
/// purchase is final (reviews open, points earned, the vendor paid at the
/// next settlement). Otherwise it confirms itself some days after delivery.
#[utoipa::path(post, path = "/v1/product-orders/{id}/confirm", tag = "orders", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Product order id"), web::idempotency::IdempotencyKeyHeader),
    responses((status = 200, body = Confirmation),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_fulfilment_step`: not shipped yet, or already confirmed or cancelled", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/product-orders/{id}/confirm")]
pub async fn confirm_purchase(
    state: Data<AppState>,
    caller: Authenticated,
    id: Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let buyer = caller.buyer()?;
    let confirmed = app::fulfilment::confirmation::confirm_own(
        &state.context,
        &buyer,
        id.into_inner(),
        chrono::Utc::now(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(Confirmation::from(confirmed)))
}
