//! The app built from a service's declaration, and the server.

use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use actix_web::body::MessageBody;
use actix_web::dev::{Server, ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::middleware::{ErrorHandlers, from_fn};
use actix_web::{App, HttpServer, web};

use crate::extractors::{json_config, path_config, query_config};
use crate::fallback::{self, AllowedMethods};
use crate::idempotency::IdempotentRoutes;
use crate::middleware::{admission, host_guard, problem_fallback, record_metrics, request_context};
use crate::route_permissions::RoutePermissions;
use crate::service::Service;
use runtime::{Settings, install_vault, telemetry};

use crate::{AppState, health, metrics, openapi, session_info};

/// The production app of `service`; tests mount exactly this.
pub fn build_app(
    state: AppState,
    service: Service,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let json_limit = state.settings.server.json_body_limit_bytes;
    let document = openapi::document(&service);
    App::new()
        .app_data(web::Data::new(state))
        .app_data(web::Data::new(AllowedMethods::from_document(&document)))
        .app_data(web::Data::new(RoutePermissions::from_document(&document)))
        .app_data(web::Data::new(IdempotentRoutes::from_document(&document)))
        .app_data(json_config(json_limit))
        .app_data(query_config())
        .app_data(path_config())
        // Innermost first: the guard sees the request last, the request
        // context (id, span, access log) first.
        .wrap(from_fn(crate::idempotency::idempotency))
        .wrap(from_fn(crate::principal::staff_guard))
        .wrap(from_fn(crate::cors::cors))
        .wrap(from_fn(host_guard))
        .wrap(ErrorHandlers::new().default_handler(problem_fallback))
        .wrap(from_fn(record_metrics))
        .wrap(from_fn(admission))
        .wrap(from_fn(request_context))
        .service(health::livez)
        .service(health::readyz)
        .service(metrics::metrics_endpoint)
        .service(session_info::current_session)
        .route("/docs", web::get().to(openapi::docs_redirect))
        .service(openapi::docs_ui(document))
        .configure(service.routes)
        .default_service(web::to(fallback::no_route))
}

/// A server for `service` on an already bound listener (tests bind port 0).
/// Each worker thread gets a state of its own (`AppState::for_worker`).
pub fn server(state: AppState, service: Service, listener: TcpListener) -> std::io::Result<Server> {
    let settings = state.settings.clone();
    let workers = settings.server.workers.max(1);
    let states = (0..workers)
        .map(|_| state.for_worker(workers))
        .collect::<Result<Arc<[_]>, _>>()
        .map_err(std::io::Error::other)?;
    // actix builds each worker's app once, on that worker's thread.
    let next = Arc::new(AtomicUsize::new(0));
    metrics::init();
    Ok(HttpServer::new(move || {
        let state = states[next.fetch_add(1, Ordering::Relaxed) % states.len()].clone();
        build_app(state, service)
    })
    .workers(workers)
    .shutdown_timeout(settings.server.shutdown_timeout_secs)
    .listen(listener)?
    .run())
}

/// A service process's `main`: [`serve`], and on failure the reason on
/// standard error (`service-api: APP_ENV is not set: …`) and a non-zero exit.
pub fn run(service: Service) -> std::process::ExitCode {
    let name = service.name;
    match serve(service) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("{name}: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// The whole life of a service process: configuration, telemetry, serve until
/// SIGTERM/SIGINT (in-flight requests finish, within the shutdown timeout),
/// then close the pools.
fn serve(service: Service) -> Result<(), Box<dyn std::error::Error>> {
    let settings = Settings::load()?;
    telemetry::init(&settings.telemetry);
    install_vault(&settings)?;
    let service_settings = settings
        .service(service.settings_key)
        .cloned()
        .ok_or_else(|| format!("no [services.{}] configuration", service.settings_key))?;
    actix_web::rt::System::new().block_on(async move {
        let address = (settings.server.bind_address.clone(), service_settings.port);
        let listener = TcpListener::bind(&address)?;
        let state = AppState::new(settings, &service_settings, service.audience)?;
        tracing::info!(
            service = service.name,
            address = %format!("{}:{}", address.0, address.1),
            hosts = ?service_settings.hosts,
            "listening"
        );
        server(state.clone(), service, listener)?.await?;
        state.context.db.close();
        tracing::info!(service = service.name, "stopped");
        Ok(())
    })
}
