//! `admin-api`: Operations staff: sellers, catalog moderation, coupons, orders, audit.

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
    name: "admin-api",
    settings_key: "admin_api",
    audience: Audience::Admin,
    title: "Marketplace operations API",
    description: "Operations staff: sellers, catalog moderation, coupons, orders, audit.",
    routes,
    openapi: ApiDoc::openapi,
};
