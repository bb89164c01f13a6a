//! PayPal: OAuth 2.0 client credentials, Orders v2 (create → buyer approves
//! → capture), capture refunds, `PayPal-Request-Id` replays, webhook
//! signature verification; `{name, message, debug_id, details}` errors.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use base64::Engine;
use serde_json::{Value, json};
use wiremock::{Request, Respond, ResponseTemplate};

use super::wire::{Behaviour, body_of, header, json, locked, random_id};

pub const PAYPAL_CLIENT_ID: &str = "paypal-double-client";
pub const PAYPAL_CLIENT_SECRET: &str = "paypal-double-secret-0001";
pub const PAYPAL_WEBHOOK_ID: &str = "WH-DOUBLE-0001";

struct Order {
    id: String,
    reference_id: String,
    custom_id: String,
    currency: String,
    value: String,
    status: &'static str,
    return_url: String,
    capture: Option<Capture>,
}

struct Capture {
    id: String,
    status: &'static str,
    refunds: Vec<(String, String)>,
}

pub(super) struct State {
    base: String,
    orders: HashMap<String, Order>,
    tokens: Vec<String>,
    replies: HashMap<String, (u16, Value)>,
    /// transmission id → (signature, event id) of deliveries made.
    deliveries: HashMap<String, (String, String)>,
    pub behaviour: Behaviour,
    pub charges: usize,
}

fn error(status: u16, name: &str, issue: &str, description: &str) -> (u16, Value) {
    (
        status,
        json!({
            "name": name, "message": "The requested action could not be performed.",
            "debug_id": random_id(13).to_lowercase(),
            "details": [{ "issue": issue, "description": description }],
        }),
    )
}

impl State {
    pub fn new(base: &str) -> Self {
        Self {
            base: base.to_owned(),
            orders: HashMap::new(),
            tokens: Vec::new(),
            replies: HashMap::new(),
            deliveries: HashMap::new(),
            behaviour: Behaviour::default(),
            charges: 0,
        }
    }

    pub fn approve(&mut self, id: &str) -> Option<String> {
        let order = self.orders.get_mut(id)?;
        if order.status == "PAYER_ACTION_REQUIRED" || order.status == "CREATED" {
            order.status = "APPROVED";
        }
        Some(order.return_url.clone())
    }

    pub fn status_of(&self, id: &str) -> Option<String> {
        self.orders.get(id).map(|o| match &o.capture {
            Some(capture) => capture.status.to_owned(),
            None => o.status.to_owned(),
        })
    }

    pub fn webhook(&mut self, event_type: &str, order_id: &str) -> (Vec<(String, String)>, Value) {
        let resource = match (
            event_type.starts_with("PAYMENT.CAPTURE."),
            self.orders.get(order_id),
        ) {
            (true, Some(order)) => {
                let capture = order.capture.as_ref();
                json!({
                    "id": capture.map(|c| c.id.clone()), "status": capture.map(|c| c.status),
                    "amount": { "currency_code": order.currency, "value": order.value },
                    "custom_id": order.custom_id,
                    "supplementary_data": { "related_ids": { "order_id": order.id } },
                })
            }
            (false, Some(order)) => view(order),
            (_, None) => json!({ "id": order_id }),
        };
        let event = json!({
            "id": format!("WH-{}", random_id(17)), "event_version": "1.0",
            "create_time": chrono::Utc::now().to_rfc3339(),
            "resource_type": if event_type.starts_with("PAYMENT.CAPTURE.") { "capture" } else { "checkout-order" },
            "event_type": event_type, "summary": event_type, "resource": resource,
        });
        let transmission_id = uuid::Uuid::new_v4().to_string();
        let signature = base64::engine::general_purpose::STANDARD.encode(random_id(32));
        self.deliveries.insert(
            transmission_id.clone(),
            (
                signature.clone(),
                event["id"].as_str().unwrap_or_default().to_owned(),
            ),
        );
        let headers = vec![
            ("paypal-auth-algo".to_owned(), "SHA256withRSA".to_owned()),
            (
                "paypal-cert-url".to_owned(),
                format!("{}/v1/notifications/certs/CERT-double", self.base),
            ),
            ("paypal-transmission-id".to_owned(), transmission_id),
            ("paypal-transmission-sig".to_owned(), signature),
            (
                "paypal-transmission-time".to_owned(),
                chrono::Utc::now().to_rfc3339(),
            ),
        ];
        (headers, event)
    }

    fn token(&mut self, request: &Request) -> (u16, Value) {
        let expected = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD
                .encode(format!("{PAYPAL_CLIENT_ID}:{PAYPAL_CLIENT_SECRET}"))
        );
        if header(request, "authorization") != expected
            || String::from_utf8_lossy(&request.body) != "grant_type=client_credentials"
        {
            return (
                401,
                json!({ "error": "invalid_client", "error_description": "Client Authentication failed" }),
            );
        }
        let token = format!("A21AA{}", random_id(30));
        self.tokens.push(token.clone());
        (
            200,
            json!({
                "scope": "https://uri.paypal.com/services/payments/payment", "access_token": token,
                "token_type": "Bearer", "app_id": "APP-80W284485P519543T", "expires_in": 32400,
                "nonce": random_id(20),
            }),
        )
    }

    fn create(&mut self, body: &Value) -> (u16, Value) {
        let unit = &body["purchase_units"][0];
        let value = unit["amount"]["value"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        if body["intent"] != "CAPTURE" || value.is_empty() {
            return error(
                400,
                "INVALID_REQUEST",
                "MISSING_REQUIRED_PARAMETER",
                "intent and amount are required",
            );
        }
        let id = random_id(17);
        let context = &body["payment_source"]["paypal"]["experience_context"];
        let order = Order {
            id: id.clone(),
            reference_id: unit["reference_id"]
                .as_str()
                .unwrap_or("default")
                .to_owned(),
            custom_id: unit["custom_id"].as_str().unwrap_or_default().to_owned(),
            currency: unit["amount"]["currency_code"]
                .as_str()
                .unwrap_or("USD")
                .to_owned(),
            value,
            status: "PAYER_ACTION_REQUIRED",
            return_url: context["return_url"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
            capture: None,
        };
        let mut answer = view(&order);
        answer["links"] = json!([
            { "href": format!("{}/v2/checkout/orders/{id}", self.base), "rel": "self", "method": "GET" },
            { "href": format!("{}/_double/paypal/checkoutnow?token={id}", self.base), "rel": "payer-action", "method": "GET" },
        ]);
        self.orders.insert(id, order);
        (200, answer)
    }

    pub fn capture(&mut self, id: &str) -> (u16, Value) {
        let declined = self.behaviour.declined.contains(id);
        let Some(order) = self.orders.get_mut(id) else {
            return error(
                404,
                "RESOURCE_NOT_FOUND",
                "INVALID_RESOURCE_ID",
                "Specified resource ID does not exist.",
            );
        };
        if order.capture.is_some() {
            return error(
                422,
                "UNPROCESSABLE_ENTITY",
                "ORDER_ALREADY_CAPTURED",
                "Order already captured.",
            );
        }
        if order.status != "APPROVED" {
            return error(
                422,
                "UNPROCESSABLE_ENTITY",
                "ORDER_NOT_APPROVED",
                "Payer has not yet approved the Order for payment.",
            );
        }
        if declined {
            return error(
                422,
                "UNPROCESSABLE_ENTITY",
                "INSTRUMENT_DECLINED",
                "The instrument presented was either declined by the processor or bank.",
            );
        }
        order.status = "COMPLETED";
        order.capture = Some(Capture {
            id: random_id(17),
            status: "COMPLETED",
            refunds: Vec::new(),
        });
        self.charges += 1;
        (201, view(order))
    }

    fn refund(&mut self, capture_id: &str, body: &Value) -> (u16, Value) {
        let Some(order) = self
            .orders
            .values_mut()
            .find(|o| o.capture.as_ref().is_some_and(|c| c.id == capture_id))
        else {
            return error(
                404,
                "RESOURCE_NOT_FOUND",
                "INVALID_RESOURCE_ID",
                "Specified resource ID does not exist.",
            );
        };
        let total: f64 = order.value.parse().unwrap_or_default();
        let Some(capture) = order.capture.as_mut() else {
            return error(
                404,
                "RESOURCE_NOT_FOUND",
                "INVALID_RESOURCE_ID",
                "no capture",
            );
        };
        let refunded: f64 = capture
            .refunds
            .iter()
            .map(|(_, v)| v.parse::<f64>().unwrap_or_default())
            .sum();
        if capture.status == "REFUNDED" {
            return error(
                422,
                "UNPROCESSABLE_ENTITY",
                "CAPTURE_FULLY_REFUNDED",
                "The capture has already been fully refunded.",
            );
        }
        let amount = body["amount"]["value"]
            .as_str()
            .map_or(total - refunded, |v| v.parse().unwrap_or_default());
        if amount <= 0.0 || amount > total - refunded + 1e-9 {
            return error(
                422,
                "UNPROCESSABLE_ENTITY",
                "REFUND_AMOUNT_EXCEEDED",
                "The refund amount must be less than or equal to the capture amount that has not yet been refunded.",
            );
        }
        let value = if order.currency == "KRW" || order.currency == "JPY" {
            format!("{amount:.0}")
        } else {
            format!("{amount:.2}")
        };
        let refund_id = random_id(17);
        capture.refunds.push((refund_id.clone(), value.clone()));
        capture.status = if (refunded + amount - total).abs() < 1e-9 {
            "REFUNDED"
        } else {
            "PARTIALLY_REFUNDED"
        };
        (
            201,
            json!({
                "id": refund_id, "status": "COMPLETED",
                "amount": { "currency_code": order.currency, "value": value },
            }),
        )
    }

    fn verify(&self, body: &Value) -> (u16, Value) {
        let transmission = body["transmission_id"].as_str().unwrap_or_default();
        let verified = body["webhook_id"] == PAYPAL_WEBHOOK_ID
            && self
                .deliveries
                .get(transmission)
                .is_some_and(|(signature, event_id)| {
                    body["transmission_sig"].as_str() == Some(signature.as_str())
                        && body["webhook_event"]["id"].as_str() == Some(event_id.as_str())
                });
        (
            200,
            json!({ "verification_status": if verified { "SUCCESS" } else { "FAILURE" } }),
        )
    }
}

/// An order as PayPal answers it (with `Prefer: return=representation`).
fn view(order: &Order) -> Value {
    let amount = json!({ "currency_code": order.currency, "value": order.value });
    let mut unit = json!({
        "reference_id": order.reference_id, "custom_id": order.custom_id, "amount": amount,
        "payee": { "merchant_id": "DOUBLEMERCHANT01" },
    });
    if let Some(capture) = &order.capture {
        unit["payments"] = json!({
            "captures": [{
                "id": capture.id, "status": capture.status, "amount": amount, "final_capture": true,
                "custom_id": order.custom_id,
                "seller_protection": { "status": "ELIGIBLE" },
                "create_time": chrono::Utc::now().to_rfc3339(),
            }],
            "refunds": capture.refunds.iter().map(|(id, value)| json!({
                "id": id, "status": "COMPLETED",
                "amount": { "currency_code": order.currency, "value": value },
            })).collect::<Vec<_>>(),
        });
    }
    json!({
        "id": order.id, "intent": "CAPTURE", "status": order.status,
        "purchase_units": [unit],
        "payer": { "name": { "given_name": "Minji", "surname": "Kim" }, "email_address": "buyer@example.com", "payer_id": "DOUBLEPAYER01" },
        "create_time": chrono::Utc::now().to_rfc3339(),
    })
}

pub(super) struct Api(pub Arc<Mutex<State>>);

impl Respond for Api {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let path = request.url.path().to_owned();
        let mut state = locked(&self.0);
        // The buyer's side (development stack): approve at PayPal, then
        // PayPal's redirect to our return URL.
        if path == "/_double/paypal/checkoutnow" {
            let id = request
                .url
                .query_pairs()
                .find(|(k, _)| k == "token")
                .map(|(_, v)| v.into_owned())
                .unwrap_or_default();
            return match state.approve(&id) {
                Some(return_url) => ResponseTemplate::new(302)
                    .insert_header(
                        "location",
                        format!("{return_url}?token={id}&PayerID=DOUBLEPAYER01"),
                    )
                    .set_body_json(json!({ "order_id": id, "status": "APPROVED" })),
                None => ResponseTemplate::new(404),
            };
        }
        if path == "/v1/oauth2/token" {
            let (status, body) = state.token(request);
            return json(status, body);
        }
        let bearer = header(request, "authorization")
            .strip_prefix("Bearer ")
            .unwrap_or_default();
        if !state.tokens.iter().any(|t| t == bearer) {
            return json(
                401,
                json!({ "name": "AUTHENTICATION_FAILURE", "message": "Authentication failed due to invalid authentication credentials or a missing Authorization header." }),
            );
        }
        let request_id = header(request, "paypal-request-id").to_owned();
        let post = request.method.as_str() == "POST";
        if post && let Some((status, body)) = state.replies.get(&request_id) {
            return json(*status, body.clone());
        }
        let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        let body = body_of(request);
        let mut delay = None;
        let (status, answer) = match (request.method.as_str(), segments.as_slice()) {
            ("POST", ["v2", "checkout", "orders"]) => state.create(&body),
            ("GET", ["v2", "checkout", "orders", id]) => match state.orders.get(*id) {
                Some(order) => (200, view(order)),
                None => error(
                    404,
                    "RESOURCE_NOT_FOUND",
                    "INVALID_RESOURCE_ID",
                    "Specified resource ID does not exist.",
                ),
            },
            ("POST", ["v2", "checkout", "orders", id, "capture"]) => {
                let id = (*id).to_owned();
                delay = state.behaviour.slow.remove(&id);
                state.capture(&id)
            }
            ("POST", ["v2", "payments", "captures", id, "refund"]) => {
                let id = (*id).to_owned();
                state.refund(&id, &body)
            }
            ("POST", ["v1", "notifications", "verify-webhook-signature"]) => state.verify(&body),
            _ => error(
                404,
                "RESOURCE_NOT_FOUND",
                "INVALID_RESOURCE_ID",
                "no such API",
            ),
        };
        if post && !request_id.is_empty() {
            state.replies.insert(request_id, (status, answer.clone()));
        }
        let response = json(status, answer);
        match delay {
            Some(delay) => response.set_delay(delay),
            None => response,
        }
    }
}
