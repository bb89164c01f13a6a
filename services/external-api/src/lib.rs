//! `external-api`: Partner platforms and provider callbacks (payments, carriers).

mod carriers;
mod partner;
mod webhooks;

use actix_web::web::ServiceConfig;
use auth::Audience;
use utoipa::OpenApi;
use web::openapi::PartnerSignature;

#[derive(OpenApi)]
#[openapi(
    paths(partner::ping, partner::categories, carriers::report, carriers::tracker_callback, webhooks::toss, webhooks::paypal, webhooks::apple, webhooks::google),
    modifiers(&PartnerSignature),
    tags((name = "partner", description = "Signed requests of partner platforms"),
        (name = "webhooks", description = "Payment and tracking providers' notifications, each verified by its provider's mechanism"))
)]
struct ApiDoc;

/// Partner routes and provider notifications. Health, metrics and docs
/// come from `web`.
fn routes(config: &mut ServiceConfig) {
    config
        .service(partner::ping)
        .service(partner::categories)
        .service(carriers::report)
        .service(carriers::tracker_callback)
        .service(webhooks::toss)
        .service(webhooks::paypal)
        .service(webhooks::apple)
        .service(webhooks::google);
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
