//! `Idempotency-Key` on every request that moves money or stock: exactly
//! the operations whose OpenAPI declaration names the header (the
//! declaration that documents a route is the one that guards it). The key,
//! per caller, is claimed before the handler runs; a success's answer is
//! kept and replayed to a retry with the same target and body; the same key
//! with anything else is refused (422 `idempotency_key_reused`), one still
//! at work answers 409 `idempotency_key_in_use`, and a failure frees the key
//! for a corrected retry. Checkout keeps its answer in the transaction of
//! its work (`app::orders::checkout`) and is left to it.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use actix_web::body::{BoxBody, EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, HttpRequest, HttpResponse, ResponseError, web};
use app::ProblemCode;
use app::kernel::idempotency::{Claim, Idempotent};
use utoipa::openapi::OpenApi as Document;

use crate::principal::Admitted;
use crate::{ApiError, AppState};

/// The request header.
pub const IDEMPOTENCY_KEY: &str = "Idempotency-Key";
/// Set on an answer replayed from an earlier request under the same key.
pub const IDEMPOTENT_REPLAYED: HeaderName = HeaderName::from_static("idempotent-replayed");

/// The header as routes declare it: `params(IdempotencyKeyHeader, ...)`.
#[derive(utoipa::IntoParams)]
#[into_params(names("Idempotency-Key"), parameter_in = Header)]
pub struct IdempotencyKeyHeader(
    /// Required, unique per operation: a retry sends the same key and body
    /// and gets the first success again (`Idempotent-Replayed: true`).
    /// Missing: 400 `idempotency_key_required`; with another body: 422
    /// `idempotency_key_reused`; while the first is at work: 409
    /// `idempotency_key_in_use`. A failure frees the key.
    pub String,
);

/// The key a guarded request holds, for a handler whose work should keep
/// its answer in its own transaction ([`Claim::complete`]): then no crash
/// between the work and the middleware's own keeping can run it twice.
/// Taking it makes the handler the keeper of a success's answer; a failure's
/// key is still freed here.
#[derive(Clone)]
pub struct HeldKey(pub Arc<Claim>);

/// Whether the handler took the key ([`HeldKey`]).
#[derive(Clone, Default)]
struct KeptByHandler(Arc<AtomicBool>);

impl actix_web::FromRequest for HeldKey {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(request: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let extensions = request.extensions();
        if let Some(kept) = extensions.get::<KeptByHandler>() {
            kept.0.store(true, Ordering::Relaxed);
        }
        std::future::ready(extensions.get::<Self>().cloned().ok_or_else(|| {
            tracing::error!(route = ?request.match_pattern(), "a handler asks for a key its route does not declare");
            ApiError::internal()
        }))
    }
}

/// Routes that settle their key in their own transaction.
const SETTLED_BY_HANDLER: [(&str, &str); 1] = [("POST", "/v1/checkout")];

/// `(METHOD, path template)` of the operations that take `Idempotency-Key`.
#[derive(Debug, Default, Clone)]
pub struct IdempotentRoutes(HashSet<(String, String)>);

impl IdempotentRoutes {
    pub fn from_document(document: &Document) -> Self {
        let mut routes = HashSet::new();
        let json = serde_json::to_value(&document.paths).unwrap_or_default();
        for (path, item) in json.as_object().into_iter().flatten() {
            for (method, operation) in item.as_object().into_iter().flatten() {
                let takes_key = operation
                    .get("parameters")
                    .and_then(|p| p.as_array())
                    .into_iter()
                    .flatten()
                    .any(|p| p["in"] == "header" && p["name"] == IDEMPOTENCY_KEY);
                if takes_key {
                    routes.insert((method.to_ascii_uppercase(), path.clone()));
                }
            }
        }
        Self(routes)
    }

    /// Every route that takes the key, sorted.
    pub fn routes(&self) -> Vec<(String, String)> {
        let mut routes: Vec<_> = self.0.iter().cloned().collect();
        routes.sort();
        routes
    }

    fn guards(&self, method: &str, pattern: &str) -> bool {
        self.0.contains(&(method.to_owned(), pattern.to_owned()))
            && !SETTLED_BY_HANDLER.contains(&(method, pattern))
    }
}

/// The middleware (innermost: staff are authorised before a key is taken).
pub async fn idempotency(
    mut request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody, BoxBody>>, actix_web::Error> {
    let guarded = match (
        request.app_data::<web::Data<IdempotentRoutes>>(),
        request.request().match_pattern(),
    ) {
        (Some(routes), Some(pattern)) => routes.guards(request.method().as_str(), &pattern),
        _ => false,
    };
    let caller = request
        .extensions()
        .get::<Admitted>()
        .and_then(|admitted| admitted.0.as_ref().ok().map(|p| p.subject.clone()));
    let state = request.app_data::<web::Data<AppState>>().cloned();
    let (true, Some(caller), Some(state)) = (guarded, caller, state) else {
        // Unguarded, or a caller the handler will refuse anyway.
        return Ok(next.call(request).await?.map_into_left_body());
    };
    let key = match key_of(request.request()) {
        Ok(key) => key,
        Err(error) => {
            return Ok(request
                .into_response(error.error_response())
                .map_into_right_body());
        }
    };
    let body = request.extract::<web::Bytes>().await?;
    request.set_payload(actix_web::dev::Payload::from(body.clone()));
    let mut target = format!("{} {}\n", request.method(), request.uri()).into_bytes();
    target.extend_from_slice(&body);
    let scope = format!("{}:{caller}", state.audience.as_str());
    let claim = match Claim::of_bytes(scope, &key, &target) {
        Ok(claim) => claim,
        Err(error) => return Ok(refused(request, error)),
    };
    let mut conn = match state.context.db.get().await {
        Ok(conn) => conn,
        Err(error) => return Ok(refused(request, error.into())),
    };
    let claim = Arc::new(claim);
    let kept_by_handler = KeptByHandler::default();
    match claim.take(&mut conn).await {
        Ok(Idempotent::Fresh) => {
            let mut extensions = request.extensions_mut();
            extensions.insert(HeldKey(claim.clone()));
            extensions.insert(kept_by_handler.clone());
        }
        Ok(Idempotent::Replay { status, body }) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
            let response = HttpResponse::build(status)
                .insert_header((IDEMPOTENT_REPLAYED, HeaderValue::from_static("true")))
                .json(body);
            return Ok(request.into_response(response).map_into_right_body());
        }
        Err(error) => return Ok(refused(request, error)),
    }
    drop(conn);
    let response = next.call(request).await?;
    let status = response.status();
    let (request, response) = response.into_parts();
    let (head, body) = response.into_parts();
    let bytes = actix_web::body::to_bytes(body)
        .await
        .map_err(|_| actix_web::error::ErrorInternalServerError("unreadable answer"))?;
    let kept = status.is_success() && kept_by_handler.0.load(Ordering::Relaxed);
    if let Err(error) = keep(&state, &claim, status, &bytes, kept).await {
        // The work is done: answer it. The key stays taken until it is
        // stale, so a retry meanwhile is told it is still at work.
        tracing::error!(%error, "the answer of an idempotent request was not kept");
    }
    let head = head.set_body(BoxBody::new(bytes));
    Ok(ServiceResponse::new(request, head).map_into_right_body())
}

/// Keeps a success's answer for replays (unless the handler kept it in its
/// own transaction); frees the key of a failure.
async fn keep(
    state: &AppState,
    claim: &Claim,
    status: StatusCode,
    bytes: &[u8],
    kept: bool,
) -> Result<(), app::AppError> {
    if kept {
        return Ok(());
    }
    let mut conn = state.context.db.get().await?;
    if status.is_success() {
        let answer: serde_json::Value = serde_json::from_slice(bytes).unwrap_or_default();
        claim.complete(&conn, status.as_u16(), &answer).await
    } else {
        claim.release(&mut conn).await
    }
}

/// The request's `Idempotency-Key`, or 400 `idempotency_key_required`.
pub fn key_of(request: &HttpRequest) -> Result<String, ApiError> {
    request
        .headers()
        .get(IDEMPOTENCY_KEY)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .ok_or_else(|| {
            ApiError::new(
                ProblemCode::IdempotencyKeyRequired,
                "Idempotency-Key required",
            )
            .with_field(
                IDEMPOTENCY_KEY,
                app::kernel::FieldCode::Required,
                "a unique key per operation; a retry sends the same one",
            )
        })
}

fn refused<B>(
    request: ServiceRequest,
    error: app::AppError,
) -> ServiceResponse<EitherBody<B, BoxBody>> {
    request
        .into_response(ApiError::from(error).error_response())
        .map_into_right_body()
}
