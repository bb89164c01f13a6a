//! Routes for partner platforms: every request is signed (see the
//! `partner` security scheme) and each route names the scope it needs.

use actix_web::{HttpRequest, HttpResponse, get, web::Data};
use api_types::catalog::views::CategoryTree;
use api_types::partners::ping::Pong;
use web::partner::SignedPartner;
use web::{ApiError, AppState};

/// Checks a partner's signing: answers who the request was verified as.
#[utoipa::path(get, path = "/v1/partner/ping", tag = "partner",
    security(("partner" = [])),
    responses((status = 200, body = Pong),
        (status = 401, description = "`invalid_api_key`, `invalid_signature`, `stale_timestamp`, `invalid_nonce` or `nonce_reused`",
            body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 429, description = "Over the partner's rate limit", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[get("/v1/partner/ping")]
pub async fn ping(caller: SignedPartner) -> HttpResponse {
    HttpResponse::Ok().json(Pong {
        partner_id: caller.partner.partner_id,
        key_prefix: caller.partner.key_prefix,
        scopes: caller.partner.scopes,
    })
}

/// The category tree, for partners that list the catalog.
#[utoipa::path(get, path = "/v1/partner/catalog/categories", tag = "partner",
    security(("partner" = ["catalog.read"])),
    responses((status = 200, body = CategoryTree),
        (status = 403, description = "`permission_denied`: the partner lacks `catalog.read`", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[get("/v1/partner/catalog/categories")]
pub async fn categories(
    request: HttpRequest,
    state: Data<AppState>,
    _caller: SignedPartner,
) -> Result<HttpResponse, ApiError> {
    let tree = app::catalog::browse::category_tree(&state.context).await?;
    web::conditional::json_with_etag(&request, &CategoryTree::of(tree), "private, max-age=60")
}
