//! The OpenAPI document of a service and its offline docs page.

use actix_web::{HttpResponse, http::header};
use utoipa::OpenApi;
use utoipa::openapi::OpenApi as Document;
use utoipa_swagger_ui::{Config, SwaggerUi};

use crate::service::Service;
use crate::{FieldError, ProblemDetails, health, metrics, session_info};

/// The routes every service has.
#[derive(OpenApi)]
#[openapi(
    paths(health::livez, health::readyz, metrics::metrics_endpoint, session_info::current_session),
    modifiers(&BearerAuth),
    components(schemas(ProblemDetails, FieldError)),
    tags(
        (name = "operations", description = "Health and metrics"),
        (name = "auth", description = "Authentication and sessions")
    )
)]
struct OperationsApi;

/// Declares the `bearer` scheme (access JWTs) that protected routes reference.
pub struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut Document) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

/// Declares the `partner` scheme (signed requests) of external-api's routes.
pub struct PartnerSignature;

impl utoipa::Modify for PartnerSignature {
    fn modify(&self, openapi: &mut Document) {
        use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "partner",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-Api-Key",
                "The partner's API key (`mkp_<prefix>_<secret>`). Every request also carries \
                 `X-Timestamp` (Unix seconds, within 5 minutes), `X-Nonce` (16-64 characters \
                 `[A-Za-z0-9_-]`, never reused) and `X-Signature`: `v1=` + hex HMAC-SHA256 under \
                 the signing secret of `METHOD\\nPATH?QUERY\\nTIMESTAMP\\nNONCE\\nhex(SHA-256(body))`. \
                 The scopes listed on an operation are the partner scopes it needs.",
            ))),
        );
    }
}

/// The full document of `service`: its own routes plus the shared ones.
pub fn document(service: &Service) -> Document {
    let mut document = (service.openapi)();
    document.merge(OperationsApi::openapi());
    document.info.title = service.title.to_owned();
    document.info.version = env!("CARGO_PKG_VERSION").to_owned();
    document.info.description = Some(service.description.to_owned());
    document
}

/// The document as committed under `docs/openapi/<service>.json`.
pub fn document_json(service: &Service) -> String {
    let mut json = document(service).to_pretty_json().unwrap_or_default();
    json.push('\n');
    json
}

/// Swagger UI at `/docs/`, from the bundle compiled into the binary (no CDN),
/// with the online validator badge turned off.
pub fn docs_ui(document: Document) -> SwaggerUi {
    SwaggerUi::new("/docs/{_:.*}")
        .url("/openapi.json", document)
        .config(Config::default().validator_url("none"))
}

pub async fn docs_redirect() -> HttpResponse {
    HttpResponse::PermanentRedirect()
        .insert_header((header::LOCATION, "/docs/"))
        .finish()
}
