//! `admin-api`: Operations staff: sellers, catalog moderation, coupons, orders, audit.

use actix_web::web::ServiceConfig;
use auth::Audience;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi()]
struct ApiDoc;

/// The decoy login pages (honeypot) for now; the operations routes arrive
/// with the issues that build them. Health, metrics and docs come from `web`.
fn routes(config: &mut ServiceConfig) {
    config.configure(web::honeypot::configure);
}

pub const SERVICE: web::Service = web::Service {
    name: "admin-api",
    settings_key: "admin_api",
    audience: Audience::Admin,
    title: "Marketplace operations API",
    description: "Operations staff: sellers, catalog moderation, coupons, orders, audit.",
    routes,
    openapi: ApiDoc::openapi,
};
