//! The coupon handlers seller-api and admin-api share through
//! `coupon_routes!`: each organisation defines and lists its own coupons.

use crate::ApiError;
use api_types::pricing::coupons::{Coupon, CouponBody, CouponPage, CouponQuery};

/// Defines a coupon for the caller's organisation (vendor or platform).
pub async fn define(
    state: &crate::AppState,
    caller: &crate::Staff,
    body: CouponBody,
) -> Result<actix_web::HttpResponse, ApiError> {
    let row = app::pricing::coupons::define(&state.context, &caller.0, body.try_into()?).await?;
    Ok(actix_web::HttpResponse::Created().json(Coupon::from(row)))
}

/// The caller's organisation's coupons, newest first.
pub async fn list(
    state: &crate::AppState,
    caller: &crate::Staff,
    query: CouponQuery,
) -> Result<actix_web::HttpResponse, ApiError> {
    let page = query.page.unwrap_or(1).max(1);
    let size = query.size.unwrap_or(20).clamp(1, 100);
    let (rows, total) =
        app::pricing::coupons::list(&state.context, &caller.0, size, (page - 1) * size).await?;
    Ok(actix_web::HttpResponse::Ok().json(CouponPage {
        items: rows.into_iter().map(Coupon::from).collect(),
        total,
        page,
        size,
    }))
}
