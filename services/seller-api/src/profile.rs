//! The vendor's own profile and shipping policy.

use actix_web::web::{Data, Json};
use actix_web::{HttpRequest, HttpResponse, get, patch};
use api_types::sellers::profile::SellerPatch;
use api_types::sellers::views::SellerView;
use web::conditional::{etag_header, optional_if_match};
use web::{ApiError, AppState, Staff};

/// The caller's vendor (`ETag` carries its version for `PATCH`).
#[utoipa::path(get, path = "/v1/seller", tag = "seller",
    security(("bearer" = ["seller.profile.manage"])),
    responses((status = 200, body = SellerView)))]
#[get("/v1/seller")]
pub async fn own_seller(state: Data<AppState>, caller: Staff) -> Result<HttpResponse, ApiError> {
    let (row, business) = app::sellers::profile::own(&state.context, &caller.0).await?;
    let etag = etag_header(row.version);
    Ok(HttpResponse::Ok()
        .insert_header(etag)
        .json(SellerView::new(row, business)))
}

/// Changes the shipping policy; `If-Match` (from `GET`) refuses a stale write with 412.
#[utoipa::path(patch, path = "/v1/seller", tag = "seller",
    security(("bearer" = ["seller.profile.manage"])),
    request_body = SellerPatch,
    params(("If-Match" = Option<String>, Header, description = "The ETag read")),
    responses((status = 200, body = SellerView),
        (status = 412, description = "`precondition_failed`", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "A field breaks a rule", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[patch("/v1/seller")]
pub async fn update_own_seller(
    state: Data<AppState>,
    request: HttpRequest,
    caller: Staff,
    body: Json<SellerPatch>,
) -> Result<HttpResponse, ApiError> {
    let expected = optional_if_match(&request)?;
    app::sellers::profile::update_shipping_policy(
        &state.context,
        &caller.0,
        expected,
        body.into_inner().shipping_policy.into(),
    )
    .await?;
    let (row, business) = app::sellers::profile::own(&state.context, &caller.0).await?;
    let etag = etag_header(row.version);
    Ok(HttpResponse::Ok()
        .insert_header(etag)
        .json(SellerView::new(row, business)))
}
