//! The shopper's claims: a quote first, then the claim (a cancel before
//! shipping is refunded at once; a return waits for the vendor to receive
//! the item), taking a return back, and reading them.

use actix_web::web::{Data, Json, Path, Query};
use actix_web::{HttpResponse, get, post};
use api_types::claims::requests::ClaimRequest;
use api_types::claims::views::{Claim, ClaimPage, ClaimQuery, ClaimQuote};
use app::claims::requests;
use chrono::Utc;
use uuid::Uuid;
use web::{ApiError, AppState, Authenticated};

/// What a claim would give back to each source, before anything happens:
/// the claim made with the same body gives back exactly this.
#[utoipa::path(post, path = "/v1/claims/quote", tag = "claims", security(("bearer" = [])),
    request_body = ClaimRequest,
    responses((status = 200, body = ClaimQuote),
        (status = 404, description = "No such product order of the caller's", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`order_not_paid`; `claim_in_progress`", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "`invalid_value` (`kind`, `reason`, `exchange_sku_id`: not another option of the same product), `required`, `not_allowed` (`exchange_sku_id`), `required`, `duplicate`, `too_many`, `conflicting`, `not_claimable`, `claim_window_closed` (`product_order_ids`), `invalid_length` (`note`)", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/claims/quote")]
pub async fn quote_claim(
    state: Data<AppState>,
    caller: Authenticated,
    body: Json<ClaimRequest>,
) -> Result<HttpResponse, ApiError> {
    let buyer = caller.buyer()?;
    let view =
        requests::quote(&state.context, &buyer, body.into_inner().into(), Utc::now()).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("cache-control", "no-store"))
        .json(ClaimQuote::from(view)))
}

/// Makes a claim. A cancel is refunded at once (`completed`; the card part
/// may show `pending` until the provider answers); a return waits for the
/// vendor; an exchange holds a unit of the other option until the vendor
/// has the item back, then the product order ships again. One claim per
/// order is open at a time.
#[utoipa::path(post, path = "/v1/claims", tag = "claims", security(("bearer" = [])),
    params(web::idempotency::IdempotencyKeyHeader),
    request_body = ClaimRequest,
    responses((status = 201, body = Claim),
        (status = 404, description = "No such product order of the caller's", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`order_not_paid`; `claim_in_progress`; `insufficient_stock` (an exchange's option)", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "As for the quote", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/claims")]
pub async fn create_claim(
    state: Data<AppState>,
    caller: Authenticated,
    body: Json<ClaimRequest>,
) -> Result<HttpResponse, ApiError> {
    let buyer = caller.buyer()?;
    let view =
        requests::create(&state.context, &buyer, body.into_inner().into(), Utc::now()).await?;
    Ok(HttpResponse::Created().json(Claim::from(view)))
}

/// The caller's claims, newest first.
#[utoipa::path(get, path = "/v1/claims", tag = "claims", security(("bearer" = [])),
    params(ClaimQuery),
    responses((status = 200, body = ClaimPage)))]
#[get("/v1/claims")]
pub async fn my_claims(
    state: Data<AppState>,
    caller: Authenticated,
    query: Query<ClaimQuery>,
) -> Result<HttpResponse, ApiError> {
    let buyer = caller.buyer()?;
    let limit = query.limit();
    let views = requests::list_own(&state.context, &buyer, query.before, limit).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("cache-control", "no-store"))
        .json(ClaimPage::of(views, limit)))
}

/// One of the caller's claims.
#[utoipa::path(get, path = "/v1/claims/{id}", tag = "claims", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Claim id")),
    responses((status = 200, body = Claim),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json")))]
#[get("/v1/claims/{id}")]
pub async fn my_claim(
    state: Data<AppState>,
    caller: Authenticated,
    id: Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let buyer = caller.buyer()?;
    let view = requests::get_own(&state.context, &buyer, id.into_inner()).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("cache-control", "no-store"))
        .json(Claim::from(view)))
}

/// Takes back a return or exchange the vendor has not received yet.
#[utoipa::path(post, path = "/v1/claims/{id}/withdraw", tag = "claims", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Claim id"), web::idempotency::IdempotencyKeyHeader),
    responses((status = 200, body = Claim),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_claim_step`: received, completed, or a cancel", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/claims/{id}/withdraw")]
pub async fn withdraw_claim(
    state: Data<AppState>,
    caller: Authenticated,
    id: Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let buyer = caller.buyer()?;
    let view = requests::withdraw(&state.context, &buyer, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(Claim::from(view)))
}
