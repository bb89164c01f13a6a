//! `external-api`: Partner platforms and provider callbacks (payments, carriers).

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
    name: "external-api",
    settings_key: "external_api",
    audience: Audience::External,
    title: "Marketplace partner API",
    description: "Partner platforms and provider callbacks (payments, carriers).",
    routes,
    openapi: ApiDoc::openapi,
};
