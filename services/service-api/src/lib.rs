//! `service-api`: the shoppers' API (`api.<domain>`).

mod accounts;
mod categories;

use actix_web::web::ServiceConfig;
use auth::Audience;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    paths(categories::list_categories, accounts::signup, accounts::verify_email),
    tags(
        (name = "auth", description = "Sign-up, verification, login and sessions"),
        (name = "catalog", description = "Categories, brands and products")
    )
)]
struct ApiDoc;

fn routes(config: &mut ServiceConfig) {
    config
        .service(categories::list_categories)
        .service(accounts::signup)
        .service(accounts::verify_email);
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
