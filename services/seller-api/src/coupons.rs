//! The vendor's own coupons (vendor-funded, only its items).

use actix_web::web::{Data, Json, Query};
use actix_web::{HttpResponse, get, post};
use web::coupon_views::{Coupon, CouponBody, CouponPage, CouponQuery};
use web::{ApiError, AppState, Staff};

/// Defines a vendor coupon.
#[utoipa::path(post, path = "/v1/coupons", tag = "coupons",
    security(("bearer" = ["seller.coupons.manage"])),
    request_body = CouponBody,
    responses((status = 201, body = Coupon),
        (status = 409, description = "`coupon_code_taken`", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 422, body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/coupons")]
pub async fn define_coupon(
    state: Data<AppState>,
    caller: Staff,
    body: Json<CouponBody>,
) -> Result<HttpResponse, ApiError> {
    web::coupon_views::define(&state, &caller, body.into_inner()).await
}

/// The vendor's coupons, newest first.
#[utoipa::path(get, path = "/v1/coupons", tag = "coupons",
    security(("bearer" = ["seller.coupons.manage"])),
    params(CouponQuery),
    responses((status = 200, body = CouponPage)))]
#[get("/v1/coupons")]
pub async fn list_coupons(
    state: Data<AppState>,
    caller: Staff,
    query: Query<CouponQuery>,
) -> Result<HttpResponse, ApiError> {
    web::coupon_views::list(&state, &caller, query.into_inner()).await
}
