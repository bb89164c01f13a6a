//! TossPayments core API v1: Basic auth with the secret key, `Idempotency-Key`
//! replays, Payment objects, `{code, message}` errors.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use base64::Engine;
use serde_json::{Value, json};
use wiremock::{Request, Respond, ResponseTemplate};

use super::wire::{Behaviour, body_of, header, json, locked, random_id};

pub const TOSS_SECRET_KEY: &str = "test_sk_double0000000000000001";

struct Payment {
    key: String,
    order_id: String,
    amount: i64,
    balance: i64,
    status: &'static str,
    virtual_account: bool,
    transactions: u32,
    approved_at: Option<String>,
    cancels: Vec<Value>,
}

#[derive(Default)]
pub(super) struct State {
    payments: HashMap<String, Payment>,
    replies: HashMap<String, (u16, Value)>,
    pub behaviour: Behaviour,
    pub confirm_calls: usize,
    pub charges: usize,
}

fn error(status: u16, code: &str, message: &str) -> (u16, Value) {
    (status, json!({ "code": code, "message": message }))
}

impl State {
    pub fn authorize(&mut self, order_id: &str, amount: i64, virtual_account: bool) -> String {
        let key = format!("tgen_{}", random_id(30));
        self.payments.insert(
            key.clone(),
            Payment {
                key: key.clone(),
                order_id: order_id.to_owned(),
                amount,
                balance: amount,
                status: "IN_PROGRESS",
                virtual_account,
                transactions: 0,
                approved_at: None,
                cancels: Vec::new(),
            },
        );
        key
    }

    pub fn deposit(&mut self, key: &str) -> Value {
        let Some(payment) = self.payments.get_mut(key) else {
            return Value::Null;
        };
        if payment.status == "WAITING_FOR_DEPOSIT" {
            payment.status = "DONE";
            payment.transactions += 1;
            payment.approved_at = Some(now());
            self.charges += 1;
        }
        json!({
            "createdAt": now(), "secret": format!("ps_{}", random_id(20)),
            "orderId": payment.order_id, "status": payment.status,
            "transactionKey": format!("txrd_{}", payment.transactions),
        })
    }

    pub fn status_event(&self, key: &str) -> Value {
        json!({
            "eventType": "PAYMENT_STATUS_CHANGED", "createdAt": now(),
            "data": self.payments.get(key).map(view).unwrap_or(Value::Null),
        })
    }

    pub fn status_of(&self, key: &str) -> Option<String> {
        self.payments.get(key).map(|p| p.status.to_owned())
    }

    pub fn balance_of(&self, key: &str) -> Option<i64> {
        self.payments.get(key).map(|p| p.balance)
    }

    fn confirm(&mut self, body: &Value) -> (u16, Value) {
        self.confirm_calls += 1;
        let key = body["paymentKey"].as_str().unwrap_or_default().to_owned();
        let declined = self.behaviour.declined.contains(&key);
        let Some(payment) = self.payments.get_mut(&key) else {
            return error(
                404,
                "NOT_FOUND_PAYMENT_SESSION",
                "결제 시간이 만료되어 결제 진행 데이터가 존재하지 않습니다.",
            );
        };
        if body["orderId"].as_str() != Some(payment.order_id.as_str())
            || body["amount"].as_i64() != Some(payment.amount)
        {
            return error(400, "INVALID_REQUEST", "잘못된 요청입니다.");
        }
        if payment.status != "IN_PROGRESS" && payment.status != "READY" {
            return error(400, "ALREADY_PROCESSED_PAYMENT", "이미 처리된 결제 입니다.");
        }
        if declined {
            payment.status = "ABORTED";
            return error(
                403,
                "REJECT_CARD_PAYMENT",
                "한도초과 혹은 잔액부족으로 결제에 실패했습니다.",
            );
        }
        payment.transactions += 1;
        if payment.virtual_account {
            payment.status = "WAITING_FOR_DEPOSIT";
        } else {
            payment.status = "DONE";
            payment.approved_at = Some(now());
            self.charges += 1;
        }
        (200, view(payment))
    }

    fn cancel(&mut self, key: &str, body: &Value) -> (u16, Value) {
        let refused = self.behaviour.cancel_refused.contains(key);
        let Some(payment) = self.payments.get_mut(key) else {
            return error(404, "NOT_FOUND_PAYMENT", "존재하지 않는 결제 정보 입니다.");
        };
        if payment.status == "CANCELED" {
            return error(400, "ALREADY_CANCELED_PAYMENT", "이미 취소된 결제 입니다.");
        }
        if !matches!(
            payment.status,
            "DONE" | "PARTIAL_CANCELED" | "WAITING_FOR_DEPOSIT"
        ) {
            return error(
                403,
                "NOT_CANCELABLE_PAYMENT",
                "취소 할 수 없는 결제 입니다.",
            );
        }
        // Once the transfer arrived, its money goes back to an account the
        // shopper names.
        if payment.virtual_account && payment.status != "WAITING_FOR_DEPOSIT" {
            let account = &body["refundReceiveAccount"];
            let number = account["accountNumber"].as_str().unwrap_or_default();
            if account["bank"].as_str().is_none_or(str::is_empty)
                || account["holderName"].as_str().is_none_or(str::is_empty)
            {
                return error(
                    400,
                    "INVALID_REQUEST",
                    "가상계좌 결제 취소에는 환불 계좌 정보가 필요합니다.",
                );
            }
            if number.is_empty() || number.len() > 20 || !number.bytes().all(|b| b.is_ascii_digit())
            {
                return error(
                    400,
                    "INVALID_REFUND_ACCOUNT_NUMBER",
                    "잘못된 환불 계좌번호입니다.",
                );
            }
        }
        if refused {
            return error(
                403,
                "FAILED_REFUND_PROCESS",
                "은행 응답시간 지연이나 일시적인 오류로 환불요청에 실패했습니다.",
            );
        }
        let amount = body["cancelAmount"].as_i64().unwrap_or(payment.balance);
        if amount <= 0 || amount > payment.balance {
            return error(403, "NOT_CANCELABLE_AMOUNT", "취소 할 수 없는 금액 입니다.");
        }
        payment.balance -= amount;
        payment.transactions += 1;
        payment.status = if payment.balance == 0 {
            "CANCELED"
        } else {
            "PARTIAL_CANCELED"
        };
        payment.cancels.push(json!({
            "cancelAmount": amount, "cancelReason": body["cancelReason"], "canceledAt": now(),
            "transactionKey": format!("txcn_{}", payment.transactions), "cancelStatus": "DONE",
        }));
        (200, view(payment))
    }
}

fn now() -> String {
    chrono::Utc::now()
        .with_timezone(&chrono::FixedOffset::east_opt(9 * 3600).expect("KST"))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

/// A Payment object as Toss answers it.
fn view(payment: &Payment) -> Value {
    let mut body = json!({
        "mId": "tvivarepublica", "version": "2022-11-16",
        "paymentKey": payment.key, "orderId": payment.order_id, "orderName": "marketplace order",
        "status": payment.status, "currency": "KRW", "country": "KR",
        "totalAmount": payment.amount, "balanceAmount": payment.balance,
        "suppliedAmount": payment.balance * 10 / 11, "vat": payment.balance - payment.balance * 10 / 11,
        "method": if payment.virtual_account { "가상계좌" } else { "카드" },
        "requestedAt": now(), "approvedAt": payment.approved_at,
        "lastTransactionKey": format!("tx_{}_{}", payment.key, payment.transactions),
        "cancels": if payment.cancels.is_empty() { Value::Null } else { Value::Array(payment.cancels.clone()) },
        "secret": "ps_double_secret", "type": "NORMAL",
    });
    if payment.virtual_account {
        body["virtualAccount"] = json!({
            "accountType": "일반", "accountNumber": "X6505636518308", "bankCode": "20",
            "customerName": "김민지", "dueDate": (chrono::Utc::now() + chrono::TimeDelta::days(3)).to_rfc3339(),
            "refundStatus": "NONE", "expired": false, "settlementStatus": "INCOMPLETED",
        });
    } else {
        body["card"] = json!({
            "issuerCode": "4V", "acquirerCode": "21", "number": "43301234****123*",
            "installmentPlanMonths": 0, "approveNo": "00000000", "cardType": "신용", "ownerType": "개인",
            "acquireStatus": "READY", "amount": payment.amount,
        });
    }
    body
}

pub(super) struct Api(pub Arc<Mutex<State>>);

impl Respond for Api {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let path = request.url.path().to_owned();
        let mut state = locked(&self.0);
        // The shopper's side (development stack): authorise in the "widget".
        if path == "/_double/toss/authorize" {
            let body = body_of(request);
            let key = state.authorize(
                body["orderId"].as_str().unwrap_or_default(),
                body["amount"].as_i64().unwrap_or_default(),
                body["method"].as_str() == Some("virtual_account"),
            );
            return json(200, json!({ "paymentKey": key }));
        }
        let expected = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(format!("{TOSS_SECRET_KEY}:"))
        );
        if header(request, "authorization") != expected {
            let (status, body) = error(
                401,
                "UNAUTHORIZED_KEY",
                "인증되지 않은 시크릿 키 혹은 클라이언트 키 입니다.",
            );
            return json(status, body);
        }
        if state.behaviour.outage {
            let (status, body) = error(
                500,
                "FAILED_INTERNAL_SYSTEM_PROCESSING",
                "내부 시스템 처리 작업이 실패했습니다.",
            );
            return json(status, body);
        }
        let idempotency_key = header(request, "idempotency-key").to_owned();
        let post = request.method.as_str() == "POST";
        if post && let Some((status, body)) = state.replies.get(&idempotency_key) {
            return json(*status, body.clone());
        }
        let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        let mut delay = None;
        let (status, body) = match (request.method.as_str(), segments.as_slice()) {
            ("POST", ["v1", "payments", "confirm"]) => {
                let body = body_of(request);
                let key = body["paymentKey"].as_str().unwrap_or_default().to_owned();
                delay = state.behaviour.slow.remove(&key);
                state.confirm(&body)
            }
            ("GET", ["v1", "payments", key]) => match state.payments.get(*key) {
                Some(payment) => (200, view(payment)),
                None => error(404, "NOT_FOUND_PAYMENT", "존재하지 않는 결제 정보 입니다."),
            },
            ("POST", ["v1", "payments", key, "cancel"]) => {
                let key = (*key).to_owned();
                let answer = state.cancel(&key, &body_of(request));
                if state.behaviour.cancel_answer_lost.remove(&key) {
                    if !idempotency_key.is_empty() {
                        state.replies.insert(idempotency_key, answer);
                    }
                    let (status, body) = error(
                        500,
                        "FAILED_INTERNAL_SYSTEM_PROCESSING",
                        "내부 시스템 처리 작업이 실패했습니다.",
                    );
                    return json(status, body);
                }
                answer
            }
            _ => error(404, "NOT_FOUND", "no such API"),
        };
        if post && !idempotency_key.is_empty() {
            state
                .replies
                .insert(idempotency_key, (status, body.clone()));
        }
        let response = json(status, body);
        match delay {
            Some(delay) => response.set_delay(delay),
            None => response,
        }
    }
}
