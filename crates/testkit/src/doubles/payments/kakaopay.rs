//! KakaoPay online API v1: `SECRET_KEY` authorization, ready → (shopper
//! approves) → approve, order lookup, cancel; `{error_code, error_message,
//! extras}` errors.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};
use wiremock::{Request, Respond, ResponseTemplate};

use super::wire::{Behaviour, body_of, header, json, locked, random_id};

pub const KAKAO_SECRET_KEY: &str = "DEV_SECRET_KEY_DOUBLE_0001";
pub const KAKAO_CID: &str = "TC0ONETIME";

struct Payment {
    tid: String,
    partner_order_id: String,
    partner_user_id: String,
    item_name: String,
    quantity: i64,
    total: i64,
    cancelled: i64,
    status: &'static str,
    pg_token: Option<String>,
    approval_url: String,
    approved_at: Option<String>,
}

pub(super) struct State {
    base: String,
    payments: HashMap<String, Payment>,
    pub behaviour: Behaviour,
    pub charges: usize,
}

fn error(code: i64, message: &str, method_result: Option<(&str, &str)>) -> (u16, Value) {
    let mut body = json!({ "error_code": code, "error_message": message });
    if let Some((code, message)) = method_result {
        body["extras"] = json!({ "method_result_code": code, "method_result_message": message });
    }
    (400, body)
}

fn now() -> String {
    chrono::Utc::now()
        .naive_utc()
        .format("%Y-%m-%dT%H:%M:%S")
        .to_string()
}

impl State {
    pub fn new(base: &str) -> Self {
        Self {
            base: base.to_owned(),
            payments: HashMap::new(),
            behaviour: Behaviour::default(),
            charges: 0,
        }
    }

    pub fn approve_in_app(&mut self, tid: &str) -> Option<String> {
        let payment = self.payments.get_mut(tid)?;
        let token = format!("pg{}", random_id(18).to_lowercase());
        payment.pg_token = Some(token.clone());
        payment.status = "AUTH_PASSWORD";
        Some(token)
    }

    pub fn status_of(&self, tid: &str) -> Option<String> {
        self.payments.get(tid).map(|p| p.status.to_owned())
    }

    fn ready(&mut self, body: &Value) -> (u16, Value) {
        let tid = format!("T{}", random_id(19));
        let total = body["total_amount"].as_i64().unwrap_or_default();
        if total <= 0 || body["partner_order_id"].as_str().is_none() {
            return error(-2, "invalid request", None);
        }
        self.payments.insert(
            tid.clone(),
            Payment {
                tid: tid.clone(),
                partner_order_id: body["partner_order_id"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
                partner_user_id: body["partner_user_id"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
                item_name: body["item_name"].as_str().unwrap_or_default().to_owned(),
                quantity: body["quantity"].as_i64().unwrap_or(1),
                total,
                cancelled: 0,
                status: "READY",
                pg_token: None,
                approval_url: body["approval_url"].as_str().unwrap_or_default().to_owned(),
                approved_at: None,
            },
        );
        let approve = format!("{}/_double/kakaopay/{tid}/approve", self.base);
        (
            200,
            json!({
                "tid": tid, "tms_result": false, "created_at": now(),
                "next_redirect_pc_url": approve, "next_redirect_mobile_url": approve,
                "next_redirect_app_url": approve,
                "android_app_scheme": format!("kakaotalk://kakaopay/pg?url={approve}"),
                "ios_app_scheme": format!("kakaotalk://kakaopay/pg?url={approve}"),
            }),
        )
    }

    fn approve(&mut self, body: &Value) -> (u16, Value) {
        let tid = body["tid"].as_str().unwrap_or_default();
        let declined = self.behaviour.declined.contains(tid);
        let Some(payment) = self.payments.get_mut(tid) else {
            return error(
                -780,
                "approval failure!",
                Some(("INVALID_TID", "invalid tid")),
            );
        };
        if body["partner_order_id"].as_str() != Some(payment.partner_order_id.as_str())
            || body["partner_user_id"].as_str() != Some(payment.partner_user_id.as_str())
        {
            return error(
                -780,
                "approval failure!",
                Some((
                    "INVALID_PARTNER",
                    "partner_order_id or partner_user_id does not match",
                )),
            );
        }
        if payment.status == "SUCCESS_PAYMENT" {
            return error(-702, "payment is already done!", None);
        }
        if payment.pg_token.is_none() || body["pg_token"].as_str() != payment.pg_token.as_deref() {
            return error(
                -780,
                "approval failure!",
                Some(("INVALID_PG_TOKEN", "invalid pg_token")),
            );
        }
        if declined {
            payment.status = "FAIL_PAYMENT";
            return error(
                -780,
                "approval failure!",
                Some(("LACK_OF_BALANCE", "잔액이 부족합니다.")),
            );
        }
        payment.status = "SUCCESS_PAYMENT";
        payment.approved_at = Some(now());
        self.charges += 1;
        (
            200,
            json!({
                "aid": format!("A{}", random_id(19)), "tid": payment.tid, "cid": KAKAO_CID,
                "partner_order_id": payment.partner_order_id, "partner_user_id": payment.partner_user_id,
                "payment_method_type": "MONEY",
                "amount": { "total": payment.total, "tax_free": 0, "vat": payment.total / 11, "point": 0, "discount": 0, "green_deposit": 0 },
                "item_name": payment.item_name, "quantity": payment.quantity,
                "created_at": now(), "approved_at": payment.approved_at,
            }),
        )
    }

    fn cancel(&mut self, body: &Value) -> (u16, Value) {
        let tid = body["tid"].as_str().unwrap_or_default();
        let Some(payment) = self.payments.get_mut(tid) else {
            return error(-721, "invalid tid", None);
        };
        if !matches!(payment.status, "SUCCESS_PAYMENT" | "PART_CANCEL_PAYMENT") {
            return error(-721, "payment is not cancelable", None);
        }
        let amount = body["cancel_amount"].as_i64().unwrap_or_default();
        if amount <= 0 || amount > payment.total - payment.cancelled {
            return error(-799, "cancel amount exceeds the cancelable amount", None);
        }
        payment.cancelled += amount;
        payment.status = if payment.cancelled == payment.total {
            "CANCEL_PAYMENT"
        } else {
            "PART_CANCEL_PAYMENT"
        };
        let mut body = view(payment);
        body["approved_cancel_amount"] = json!({ "total": amount, "tax_free": 0, "vat": amount / 11, "point": 0, "discount": 0 });
        (200, body)
    }
}

/// A payment as `order` and `cancel` answer it.
fn view(payment: &Payment) -> Value {
    json!({
        "tid": payment.tid, "cid": KAKAO_CID, "status": payment.status,
        "partner_order_id": payment.partner_order_id, "partner_user_id": payment.partner_user_id,
        "payment_method_type": "MONEY", "item_name": payment.item_name, "quantity": payment.quantity,
        "amount": { "total": payment.total, "tax_free": 0, "vat": payment.total / 11, "point": 0, "discount": 0 },
        "canceled_amount": { "total": payment.cancelled, "tax_free": 0, "vat": payment.cancelled / 11, "point": 0, "discount": 0 },
        "cancel_available_amount": { "total": payment.total - payment.cancelled, "tax_free": 0 },
        "created_at": now(), "approved_at": payment.approved_at,
    })
}

pub(super) struct Api(pub Arc<Mutex<State>>);

impl Respond for Api {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let path = request.url.path().to_owned();
        let mut state = locked(&self.0);
        // The shopper's side (development stack): approve in KakaoPay, then
        // KakaoPay's redirect to our approval URL with the pg_token.
        if let Some(tid) = path
            .strip_prefix("/_double/kakaopay/")
            .and_then(|rest| rest.strip_suffix("/approve"))
        {
            let tid = tid.to_owned();
            let Some(token) = state.approve_in_app(&tid) else {
                return ResponseTemplate::new(404);
            };
            let approval_url = state
                .payments
                .get(&tid)
                .map(|p| p.approval_url.clone())
                .unwrap_or_default();
            return ResponseTemplate::new(302)
                .insert_header("location", format!("{approval_url}?pg_token={token}"))
                .set_body_json(json!({ "tid": tid, "pg_token": token }));
        }
        if header(request, "authorization") != format!("SECRET_KEY {KAKAO_SECRET_KEY}") {
            return json(
                401,
                json!({ "error_code": -401, "error_message": "invalid secret key" }),
            );
        }
        let body = body_of(request);
        if body["cid"].as_str() != Some(KAKAO_CID) {
            let (status, body) = error(-721, "invalid cid", None);
            return json(status, body);
        }
        let mut delay = None;
        let (status, answer) = match path.as_str() {
            "/online/v1/payment/ready" => state.ready(&body),
            "/online/v1/payment/approve" => {
                delay = state
                    .behaviour
                    .slow
                    .remove(body["tid"].as_str().unwrap_or_default());
                state.approve(&body)
            }
            "/online/v1/payment/order" => {
                match state.payments.get(body["tid"].as_str().unwrap_or_default()) {
                    Some(payment) => (200, view(payment)),
                    None => error(-721, "invalid tid", None),
                }
            }
            "/online/v1/payment/cancel" => state.cancel(&body),
            _ => (
                404,
                json!({ "error_code": -404, "error_message": "no such API" }),
            ),
        };
        let response = json(status, answer);
        match delay {
            Some(delay) => response.set_delay(delay),
            None => response,
        }
    }
}
