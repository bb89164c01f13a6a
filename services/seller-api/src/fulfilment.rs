//! Getting the vendor's paid orders to shoppers: accepting lines, the
//! dispatch deadline (declared once, delayed once with a reason), and
//! shipping product orders with a carrier's tracking number.

use actix_web::web::{Data, Json, Path};
use actix_web::{HttpResponse, get, post, put};
use api_types::fulfilment::dispatch::{
    AcceptRequest, Accepted, DeclareRequest, DelayRequest, Dispatch,
};
use api_types::fulfilment::shipments::{
    BulkShipOutcome, BulkShipRequest, BulkShipResult, CarrierList, ShipRequest, Shipment,
    ShipmentList,
};
use app::fulfilment::{dispatch, shipments};
use chrono::Utc;
use uuid::Uuid;
use web::{ApiError, AppState, Staff};

/// The carriers a vendor can ship with, and their ids.
#[utoipa::path(get, path = "/v1/carriers", tag = "fulfilment",
    security(("bearer" = ["seller.orders.manage"])),
    responses((status = 200, body = CarrierList)))]
#[get("/v1/carriers")]
pub async fn carriers(_caller: Staff) -> HttpResponse {
    HttpResponse::Ok().json(CarrierList::all())
}

/// Accepts product orders of one of the vendor's orders: they are being
/// prepared (`preparing`).
#[utoipa::path(post, path = "/v1/orders/{id}/accept", tag = "fulfilment",
    security(("bearer" = ["seller.orders.manage"])),
    params(("id" = Uuid, Path, description = "Vendor order id"), web::idempotency::IdempotencyKeyHeader),
    request_body = AcceptRequest,
    responses((status = 200, body = Accepted),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`order_not_paid`; `invalid_fulfilment_step`: a product order is past `paid`", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "`required`, `duplicate`, `unknown_reference` (field `product_order_ids`)", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/orders/{id}/accept")]
pub async fn accept(
    state: Data<AppState>,
    caller: Staff,
    id: Path<Uuid>,
    body: Json<AcceptRequest>,
) -> Result<HttpResponse, ApiError> {
    let accepted = dispatch::accept(
        &state.context,
        &caller.0,
        id.into_inner(),
        &body.product_order_ids,
    )
    .await?;
    Ok(HttpResponse::Ok().json(Accepted {
        product_order_ids: accepted,
    }))
}

/// The vendor order's dispatch deadline.
#[utoipa::path(get, path = "/v1/orders/{id}/dispatch", tag = "fulfilment",
    security(("bearer" = ["seller.orders.manage"])),
    params(("id" = Uuid, Path, description = "Vendor order id")),
    responses((status = 200, body = Dispatch),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json")))]
#[get("/v1/orders/{id}/dispatch")]
pub async fn dispatch_deadline(
    state: Data<AppState>,
    caller: Staff,
    id: Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let view = dispatch::view(&state.context, &caller.0, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(Dispatch::from(view)))
}

/// Declares the day the vendor will dispatch: once, from today to the due
/// date (a later day needs a delay with a reason).
#[utoipa::path(put, path = "/v1/orders/{id}/dispatch-date", tag = "fulfilment",
    security(("bearer" = ["seller.orders.manage"])),
    params(("id" = Uuid, Path, description = "Vendor order id")),
    request_body = DeclareRequest,
    responses((status = 200, body = Dispatch),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`order_not_paid`; `dispatch_date_already_set`", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "`in_the_past`, `after_dispatch_due` (field `date`)", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[put("/v1/orders/{id}/dispatch-date")]
pub async fn declare_dispatch_date(
    state: Data<AppState>,
    caller: Staff,
    id: Path<Uuid>,
    body: Json<DeclareRequest>,
) -> Result<HttpResponse, ApiError> {
    let view = dispatch::declare(
        &state.context,
        &caller.0,
        id.into_inner(),
        body.date,
        Utc::now(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(Dispatch::from(view)))
}

/// Delays the dispatch, once, with a reason the shopper is emailed.
#[utoipa::path(post, path = "/v1/orders/{id}/dispatch-delay", tag = "fulfilment",
    security(("bearer" = ["seller.orders.manage"])),
    params(("id" = Uuid, Path, description = "Vendor order id"), web::idempotency::IdempotencyKeyHeader),
    request_body = DelayRequest,
    responses((status = 200, body = Dispatch),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`order_not_paid`; `dispatch_date_already_set`: delayed before; `invalid_fulfilment_step`: nothing waits for dispatch", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "`not_later`, `out_of_range` (field `until`); `invalid_value` (field `reason`); `required`, `invalid_length` (field `note`)", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/orders/{id}/dispatch-delay")]
pub async fn delay_dispatch(
    state: Data<AppState>,
    caller: Staff,
    id: Path<Uuid>,
    body: Json<DelayRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let input = dispatch::DelayInput {
        until: body.until,
        reason: body.reason,
        note: body.note,
    };
    let view = dispatch::delay(
        &state.context,
        &caller.0,
        id.into_inner(),
        input,
        Utc::now(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(Dispatch::from(view)))
}

/// Ships product orders of one of the vendor's orders in one parcel
/// (partial shipments are normal); the shopper is emailed the tracking
/// number.
#[utoipa::path(post, path = "/v1/orders/{id}/shipments", tag = "fulfilment",
    security(("bearer" = ["seller.orders.manage"])),
    params(("id" = Uuid, Path, description = "Vendor order id"), web::idempotency::IdempotencyKeyHeader),
    request_body = ShipRequest,
    responses((status = 201, body = Shipment),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`order_not_paid`; `invalid_fulfilment_step`: a product order is shipped or cancelled; `tracking_number_in_use`", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "`invalid_value` (field `carrier`); `invalid_format` (field `tracking_number`); `required`, `duplicate`, `unknown_reference` (field `product_order_ids`)", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/orders/{id}/shipments")]
pub async fn ship(
    state: Data<AppState>,
    caller: Staff,
    id: Path<Uuid>,
    body: Json<ShipRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let input = shipments::ShipInput {
        product_order_ids: body.product_order_ids,
        carrier: body.carrier,
        tracking_number: body.tracking_number,
    };
    let view = shipments::ship(&state.context, &caller.0, id.into_inner(), input).await?;
    Ok(HttpResponse::Created().json(Shipment::from(view)))
}

/// Ships many parcels at once (a day's labels), each on its own: the answer
/// says, in order, which shipped and the problem that refused each other.
#[utoipa::path(post, path = "/v1/shipments/bulk", tag = "fulfilment",
    security(("bearer" = ["seller.orders.manage"])),
    params(web::idempotency::IdempotencyKeyHeader),
    request_body = BulkShipRequest,
    responses((status = 200, body = BulkShipResult),
        (status = 422, description = "`required`, `too_many` (field `shipments`: 1 to 100)", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/shipments/bulk")]
pub async fn ship_bulk(
    state: Data<AppState>,
    caller: Staff,
    body: Json<BulkShipRequest>,
) -> Result<HttpResponse, ApiError> {
    let parcels: Vec<(Uuid, shipments::ShipInput)> = body
        .into_inner()
        .shipments
        .into_iter()
        .map(|s| {
            let input = shipments::ShipInput {
                product_order_ids: s.parcel.product_order_ids,
                carrier: s.parcel.carrier,
                tracking_number: s.parcel.tracking_number,
            };
            (s.seller_order_id, input)
        })
        .collect();
    let ids: Vec<Uuid> = parcels.iter().map(|(id, _)| *id).collect();
    let outcomes = shipments::ship_many(&state.context, &caller.0, parcels).await?;
    let results: Vec<BulkShipOutcome> = ids
        .into_iter()
        .zip(outcomes)
        .map(|(seller_order_id, outcome)| match outcome {
            Ok(view) => BulkShipOutcome {
                seller_order_id,
                shipment: Some(Shipment::from(view)),
                problem: None,
            },
            Err(error) => BulkShipOutcome {
                seller_order_id,
                shipment: None,
                problem: Some(ApiError::from(error).problem()),
            },
        })
        .collect();
    let shipped = results.iter().filter(|r| r.shipment.is_some()).count();
    Ok(HttpResponse::Ok().json(BulkShipResult {
        shipped,
        refused: results.len() - shipped,
        results,
    }))
}

/// The shipments of one of the vendor's orders, with the carrier's events.
#[utoipa::path(get, path = "/v1/orders/{id}/shipments", tag = "fulfilment",
    security(("bearer" = ["seller.orders.manage"])),
    params(("id" = Uuid, Path, description = "Vendor order id")),
    responses((status = 200, body = ShipmentList),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json")))]
#[get("/v1/orders/{id}/shipments")]
pub async fn order_shipments(
    state: Data<AppState>,
    caller: Staff,
    id: Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let views = shipments::of_seller_order(&state.context, &caller.0, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(ShipmentList::of(views)))
}

/// Records that the vendor delivered the parcel itself (its own delivery, a
/// pick-up at the shop): the shipment and its product orders are
/// delivered. No carrier vouches for it, so the purchase confirms itself
/// only as late as for a parcel without a delivery event.
#[utoipa::path(post, path = "/v1/shipments/{id}/deliver", tag = "fulfilment",
    security(("bearer" = ["seller.orders.manage"])),
    params(("id" = Uuid, Path, description = "Shipment id"), web::idempotency::IdempotencyKeyHeader),
    responses((status = 200, body = Shipment),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_fulfilment_step`: delivered or withdrawn already", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/shipments/{id}/deliver")]
pub async fn deliver(
    state: Data<AppState>,
    caller: Staff,
    id: Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let view =
        shipments::deliver_own(&state.context, &caller.0, id.into_inner(), Utc::now()).await?;
    Ok(HttpResponse::Ok().json(Shipment::from(view)))
}

/// Withdraws a shipment the carrier has not scanned yet (a wrong tracking
/// number): its product orders are being prepared again.
#[utoipa::path(post, path = "/v1/shipments/{id}/withdraw", tag = "fulfilment",
    security(("bearer" = ["seller.orders.manage"])),
    params(("id" = Uuid, Path, description = "Shipment id"), web::idempotency::IdempotencyKeyHeader),
    responses((status = 200, body = Shipment),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`shipment_not_withdrawable`", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/shipments/{id}/withdraw")]
pub async fn withdraw(
    state: Data<AppState>,
    caller: Staff,
    id: Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let view = shipments::withdraw(&state.context, &caller.0, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(Shipment::from(view)))
}
