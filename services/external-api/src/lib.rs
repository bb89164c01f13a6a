//! `external-api`: Partner platforms and provider callbacks (payments, carriers).

mod partner;

use actix_web::web::ServiceConfig;
use auth::Audience;
use utoipa::OpenApi;
use web::openapi::PartnerSignature;

#[derive(OpenApi)]
#[openapi(
    paths(partner::ping, partner::categories),
    modifiers(&PartnerSignature),
    tags((name = "partner", description = "Signed requests of partner platforms"))
)]
struct ApiDoc;

/// Partner routes; provider callbacks arrive with the payments issue.
/// Health, metrics and docs come from `web`.
fn routes(config: &mut ServiceConfig) {
    config.service(partner::ping).service(partner::categories);
}

pub const SERVICE: web::Service = web::Service {
    name: "external-api",
    settings_key: "external_api",
    audience: Audience::External,
    title: "Marketplace partner API",
    description: "Partner platforms and provider callbacks (payments, carriers).",
    routes,
    openapi: ApiDoc::openapi,
};
