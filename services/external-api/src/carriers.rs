//! Carriers and logistics partners reporting where parcels are.

use actix_web::web::Data;
use actix_web::{HttpResponse, post};
use api_types::fulfilment::carrier_events::{CarrierReport, ReportAccepted};
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
