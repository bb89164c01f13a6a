//! `seller-api`: Vendor staff: onboarding, products, stock, coupons, orders, settlements.

use actix_web::web::ServiceConfig;
use auth::Audience;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi()]
struct ApiDoc;

/// Its own routes arrive with the issues that build them; the shared ones
/// (health, metrics, OpenAPI, docs) are mounted by `web`.
fn routes(_config: &mut ServiceConfig) {}

pub const SERVICE: web::Service = web::Service {
    name: "seller-api",
    settings_key: "seller_api",
    audience: Audience::Seller,
    title: "Marketplace seller API",
    description: "Vendor staff: onboarding, products, stock, coupons, orders, settlements.",
    routes,
    openapi: ApiDoc::openapi,
};
