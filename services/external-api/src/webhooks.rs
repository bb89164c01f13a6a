//! Payment provider notifications. Each provider's own mechanism decides
//! whether one is believed: Toss's are unsigned, so the payment is read
//! again from Toss; PayPal's are verified by PayPal. A `200` tells the
//! provider to stop retrying; a `503` (provider unreachable) asks it to
//! retry later.

use actix_web::web::{Data, Json};
use actix_web::{HttpRequest, HttpResponse, post};
use api_types::payments::webhooks::{AppleNotification, Received};
use app::payments::webhooks::Handled;
use app::payments::webhooks::WebhookHeaders;
use web::{ApiError, AppState};

fn received(handled: Handled) -> HttpResponse {
    HttpResponse::Ok().json(Received {
        result: handled.into(),
    })
}

/// TossPayments webhooks (`PAYMENT_STATUS_CHANGED`, virtual-account
/// deposit callbacks). Unsigned by Toss, so nothing in the body is
/// believed: the payment is read again from Toss and its current state applied.
#[utoipa::path(post, path = "/v1/webhooks/toss", tag = "webhooks",
    request_body(content = Object, description = "Toss's webhook body"),
    responses((status = 200, body = Received),
        (status = 503, description = "Toss could not be reached to re-read the payment; retry", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/webhooks/toss")]
pub async fn toss(
    state: Data<AppState>,
    body: Json<serde_json::Value>,
) -> Result<HttpResponse, ApiError> {
    Ok(received(
        app::payments::webhooks::toss(&state.context, &body).await?,
    ))
}

/// PayPal webhooks, verified through PayPal's signature verification
/// (transmission headers + our webhook id) before anything is read; the
/// order is then read again from PayPal.
#[utoipa::path(post, path = "/v1/webhooks/paypal", tag = "webhooks",
    request_body(content = Object, description = "PayPal's event"),
    responses((status = 200, body = Received),
        (status = 401, description = "`invalid_signature`", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 503, description = "PayPal could not be reached; retry", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/webhooks/paypal")]
pub async fn paypal(
    request: HttpRequest,
    state: Data<AppState>,
    body: Json<serde_json::Value>,
) -> Result<HttpResponse, ApiError> {
    let header = |name: &str| {
        request
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let headers = WebhookHeaders {
        auth_algo: header("paypal-auth-algo"),
        cert_url: header("paypal-cert-url"),
        transmission_id: header("paypal-transmission-id"),
        transmission_sig: header("paypal-transmission-sig"),
        transmission_time: header("paypal-transmission-time"),
    };
    Ok(received(
        app::payments::webhooks::paypal(&state.context, &headers, &body).await?,
    ))
}

fn store_received(notified: app::wallet::in_app::Notified) -> HttpResponse {
    received(match notified {
        app::wallet::in_app::Notified::Applied => Handled::Applied,
        app::wallet::in_app::Notified::Ignored => Handled::Ignored,
    })
}

/// App Store Server Notifications (V2). Signed by Apple: the certificate
/// chain must end at the pinned Apple root. A refund or revocation takes
/// back what is left of the cash the transaction credited.
#[utoipa::path(post, path = "/v1/webhooks/apple", tag = "webhooks",
    request_body = AppleNotification,
    responses((status = 200, body = Received),
        (status = 401, description = "`invalid_signature`", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/webhooks/apple")]
pub async fn apple(
    state: Data<AppState>,
    body: Json<AppleNotification>,
) -> Result<HttpResponse, ApiError> {
    Ok(store_received(
        app::wallet::in_app::apple_notification(&state.context, &body.signed_payload).await?,
    ))
}

/// Google Play real-time developer notifications (a Pub/Sub push), with the
/// OIDC token Google signs for the push subscription (`Authorization:
/// Bearer`: audience and service account as configured). They only say that
/// a purchase changed: the purchase is read again from Google.
#[utoipa::path(post, path = "/v1/webhooks/google", tag = "webhooks",
    request_body(content = Object, description = "Pub/Sub push: `{message: {data, messageId}, subscription}`"),
    responses((status = 200, body = Received),
        (status = 401, description = "`invalid_signature`: no token Google signed for this subscription", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 503, description = "Google Play unreachable; retry", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/webhooks/google")]
pub async fn google(
    state: Data<AppState>,
    request: HttpRequest,
    body: Json<serde_json::Value>,
) -> Result<HttpResponse, ApiError> {
    let authorization = request
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    Ok(store_received(
        app::wallet::in_app::google_notification(&state.context, authorization, &body).await?,
    ))
}
