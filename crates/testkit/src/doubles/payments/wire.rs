//! What every provider double shares: the behaviour a test programs, and
//! reading and answering HTTP exchanges.

use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use serde_json::Value;
use wiremock::ResponseTemplate;

/// What a test can make a provider do.
#[derive(Default)]
pub(super) struct Behaviour {
    /// Every call answers 500 and changes nothing (Toss).
    pub(super) outage: bool,
    /// The next approval call of this payment takes effect, then answers late.
    pub(super) slow: std::collections::HashMap<String, Duration>,
    /// Approval calls of these payments are refused (card or balance).
    pub(super) declined: std::collections::HashSet<String>,
    /// Cancellations of these payments are refused, changing nothing.
    pub(super) cancel_refused: std::collections::HashSet<String>,
    /// The next cancellation of this payment takes effect, then its answer
    /// is lost (HTTP 500); the same idempotency key replays the real one.
    pub(super) cancel_answer_lost: std::collections::HashSet<String>,
}

pub(super) fn locked<T>(state: &Mutex<T>) -> MutexGuard<'_, T> {
    state
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

pub(super) fn json(status: u16, body: Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(body)
}

pub(super) fn body_of(request: &wiremock::Request) -> Value {
    serde_json::from_slice(&request.body).unwrap_or(Value::Null)
}

pub(super) fn header<'r>(request: &'r wiremock::Request, name: &str) -> &'r str {
    request
        .headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

/// A random upper-case alphanumeric id of up to 32 characters.
pub(super) fn random_id(len: usize) -> String {
    uuid::Uuid::new_v4()
        .simple()
        .to_string()
        .to_uppercase()
        .chars()
        .take(len)
        .collect()
}
