//! Carriers and logistics partners reporting where parcels are, and the
//! tracking service's callbacks.

use actix_web::web::{Data, Json, Path};
use actix_web::{HttpResponse, post};
use api_types::fulfilment::carrier_events::{CarrierReport, ReportAccepted, TrackerCallback};
use web::partner::SignedPartner;
use web::{ApiError, AppState};

/// Tracking events of one parcel, signed by a carrier or partner holding
/// `tracking.write`. Events may come late, twice or out of order: each is
/// kept once, and a parcel reported delivered stays delivered. Repeating
/// a report changes nothing, so it needs no `Idempotency-Key`.
#[utoipa::path(post, path = "/v1/carrier-events", tag = "partner",
    security(("partner" = ["tracking.write"])),
    request_body = CarrierReport,
    responses((status = 202, body = ReportAccepted),
        (status = 401, description = "`invalid_api_key`, `invalid_signature`, `stale_timestamp`, `invalid_nonce` or `nonce_reused`",
            body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 403, description = "`permission_denied`: the partner lacks `tracking.write`", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "`invalid_value` (field `carrier`); `invalid_format` (field `tracking_number`); `too_many` (field `events`); `out_of_range` (field `events.occurred_at`: later than now)", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/carrier-events")]
pub async fn report(
    state: Data<AppState>,
    caller: SignedPartner,
) -> Result<HttpResponse, ApiError> {
    let report: CarrierReport = caller.json()?;
    let source = format!("partner:{}", caller.partner.partner_id);
    let (carrier, number, events) = report.into_parts();
    let recorded = app::fulfilment::tracking::record(
        &state.context,
        &source,
        &carrier,
        &number,
        events,
        chrono::Utc::now(),
    )
    .await?;
    Ok(HttpResponse::Accepted().json(ReportAccepted {
        new_events: recorded.new_events,
        shipments: recorded.shipments,
    }))
}

/// Delivery Tracker's callback: a registered parcel changed. It names only
/// the carrier and the number, and the URL's last segment is our secret
/// token; the parcel is read again from Delivery Tracker (one read queued
/// per parcel however often the callback repeats).
#[utoipa::path(post, path = "/v1/webhooks/delivery-tracker/{token}", tag = "webhooks",
    params(("token" = String, Path, description = "The secret our callback URL ends with")),
    request_body = TrackerCallback,
    responses((status = 202, description = "A read of the parcel is queued"),
        (status = 401, description = "`invalid_signature`: not our token", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/webhooks/delivery-tracker/{token}")]
pub async fn tracker_callback(
    state: Data<AppState>,
    token: Path<String>,
    body: Json<TrackerCallback>,
) -> Result<HttpResponse, ApiError> {
    app::fulfilment::tracker::callback(
        &state.context,
        &token.into_inner(),
        &body.carrier_id,
        &body.tracking_number,
    )
    .await?;
    Ok(HttpResponse::Accepted().finish())
}
