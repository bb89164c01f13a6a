//! What a service binary declares: everything else is shared.

use actix_web::web;
use auth::Audience;

/// A service binary's declaration: everything else is shared.
#[derive(Clone, Copy)]
pub struct Service {
    /// Binary name, e.g. `service-api`.
    pub name: &'static str,
    /// Its section under `[services]`, e.g. `service_api`.
    pub settings_key: &'static str,
    /// The only token audience it accepts.
    pub audience: Audience,
    pub title: &'static str,
    pub description: &'static str,
    /// Mounts the service's own routes.
    pub routes: fn(&mut web::ServiceConfig),
    /// The OpenAPI document of those routes.
    pub openapi: fn() -> utoipa::openapi::OpenApi,
}
