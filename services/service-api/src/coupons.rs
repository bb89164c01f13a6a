//! Members' coupons and points.

use actix_web::web::{Data, Json, Path};
use actix_web::{HttpRequest, HttpResponse, get, post};
use api_types::pricing::held::{Claimed, HeldCoupon, HeldCoupons, Points, Redeem};
use uuid::Uuid;
use web::{ApiError, AppState, Authenticated};

/// The caller's usable coupons, soonest to expire first.
#[utoipa::path(get, path = "/v1/me/coupons", tag = "coupons", security(("bearer" = [])),
    responses((status = 200, body = HeldCoupons)))]
#[get("/v1/me/coupons")]
pub async fn my_coupons(
    state: Data<AppState>,
    caller: Authenticated,
) -> Result<HttpResponse, ApiError> {
    let user_id = caller.member_id()?;
    let held = app::pricing::coupons::usable(&state.context, user_id).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("cache-control", "no-store"))
        .json(HeldCoupons {
            items: held
                .into_iter()
                .map(|h| HeldCoupon {
                    id: h.issue_id,
                    expires_at: h.expires_at,
                    coupon: h.coupon.into(),
                })
                .collect(),
        }))
}

/// Downloads a coupon. Limits per member and in total hold under any
/// concurrency.
#[utoipa::path(post, path = "/v1/coupons/{id}/claim", tag = "coupons", security(("bearer" = [])),
    params(web::idempotency::IdempotencyKeyHeader,
        ("id" = Uuid, Path, description = "Coupon id")),
    responses((status = 201, body = Claimed),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`coupon_unavailable` (none left or outside its window), `coupon_limit_reached`", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/coupons/{id}/claim")]
pub async fn claim_coupon(
    state: Data<AppState>,
    caller: Authenticated,
    id: Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let user_id = caller.member_id()?;
    let issued = app::pricing::coupons::claim(&state.context, user_id, id.into_inner()).await?;
    Ok(HttpResponse::Created().json(Claimed { id: issued }))
}

/// Redeems a coupon code.
#[utoipa::path(post, path = "/v1/coupons/redeem", tag = "coupons", security(("bearer" = [])),
    params(web::idempotency::IdempotencyKeyHeader),
    request_body = Redeem,
    responses((status = 201, body = Claimed),
        (status = 409, description = "`coupon_unavailable`, `coupon_limit_reached`", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "`unknown_code`", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 429, description = "`too_many_requests`: tries are limited per member and per address", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/coupons/redeem")]
pub async fn redeem_coupon(
    request: HttpRequest,
    state: Data<AppState>,
    caller: Authenticated,
    body: Json<Redeem>,
) -> Result<HttpResponse, ApiError> {
    let user_id = caller.member_id()?;
    let ip = web::tokens::peer_ip(&request);
    let issued = app::pricing::coupons::redeem(&state.context, user_id, &body.code, &ip).await?;
    Ok(HttpResponse::Created().json(Claimed { id: issued }))
}

/// The caller's points: balance, lots and ledger.
#[utoipa::path(get, path = "/v1/me/points", tag = "coupons", security(("bearer" = [])),
    responses((status = 200, body = Points)))]
#[get("/v1/me/points")]
pub async fn my_points(
    state: Data<AppState>,
    caller: Authenticated,
) -> Result<HttpResponse, ApiError> {
    let user_id = caller.member_id()?;
    let view = app::pricing::points::view(&state.context, user_id).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("cache-control", "no-store"))
        .json(Points::from(view)))
}
