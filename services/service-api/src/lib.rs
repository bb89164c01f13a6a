//! `service-api`: the shoppers' API (`api.<domain>`).

mod categories;

use actix_web::web::ServiceConfig;
use auth::Audience;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    paths(categories::list_categories),
    tags((name = "catalog", description = "Categories, brands and products"))
)]
struct ApiDoc;

fn routes(config: &mut ServiceConfig) {
    config.service(categories::list_categories);
}

pub const SERVICE: web::Service = web::Service {
    name: "service-api",
    settings_key: "service_api",
    audience: Audience::Service,
    title: "Marketplace shopper API",
    description: "Shoppers and guests: catalog, cart, checkout, payments, orders.",
    routes,
    openapi: ApiDoc::openapi,
};
