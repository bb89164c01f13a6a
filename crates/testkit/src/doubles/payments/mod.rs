//! Payment provider doubles — TossPayments, KakaoPay and PayPal on one
//! local server, each speaking its provider's documented protocol
//! (authentication, idempotency headers, request and answer shapes, error
//! codes). Tests play the shopper's browser through [`Payments`]
//! (authorise in the Toss widget, approve in KakaoPay or at PayPal) and set
//! provider behaviour (declines, slow answers, outages). The development
//! stack runs the same double (`payments-double`), where the shopper's
//! steps are `/_double/...` pages.

mod google_play;
mod kakaopay;
mod paypal;
mod toss;
mod wire;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;
use wiremock::matchers::{method, path_regex};
use wiremock::{Mock, MockServer, ResponseTemplate};

pub use google_play::{PUSH_ACCOUNT, PUSH_AUDIENCE, forged_push_token, push_token};
pub use kakaopay::{KAKAO_CID, KAKAO_SECRET_KEY};
pub use paypal::{PAYPAL_CLIENT_ID, PAYPAL_CLIENT_SECRET, PAYPAL_WEBHOOK_ID};
pub use toss::TOSS_SECRET_KEY;
use wire::locked;

pub struct Payments {
    server: MockServer,
    toss: Arc<Mutex<toss::State>>,
    kakao: Arc<Mutex<kakaopay::State>>,
    paypal: Arc<Mutex<paypal::State>>,
    google: Arc<Mutex<google_play::State>>,
}

impl Payments {
    pub async fn start() -> Self {
        Self::mount(MockServer::start().await).await
    }

    /// On a given listener (the development stack's fixed port).
    pub async fn start_on(listener: std::net::TcpListener) -> Self {
        Self::mount(MockServer::builder().listener(listener).start().await).await
    }

    async fn mount(server: MockServer) -> Self {
        let base = server.uri();
        let toss = Arc::new(Mutex::new(toss::State::default()));
        let kakao = Arc::new(Mutex::new(kakaopay::State::new(&base)));
        let paypal = Arc::new(Mutex::new(paypal::State::new(&base)));
        let google = Arc::new(Mutex::new(google_play::State::new(&base)));
        Mock::given(path_regex("^/(v1/payments|_double/toss)"))
            .respond_with(toss::Api(Arc::clone(&toss)))
            .mount(&server)
            .await;
        Mock::given(path_regex("^/(online/v1/payment|_double/kakaopay)"))
            .respond_with(kakaopay::Api(Arc::clone(&kakao)))
            .mount(&server)
            .await;
        Mock::given(path_regex(
            "^/(v1/oauth2|v2/checkout|v2/payments|v1/notifications|_double/paypal)",
        ))
        .respond_with(paypal::Api(Arc::clone(&paypal)))
        .mount(&server)
        .await;
        Mock::given(path_regex("^/(token|androidpublisher/|oauth2/v3/certs)"))
            .respond_with(google_play::Api(Arc::clone(&google)))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path_regex("^/$"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_string("payment provider doubles: TossPayments, KakaoPay, PayPal\n"),
            )
            .mount(&server)
            .await;
        Self {
            server,
            toss,
            kakao,
            paypal,
            google,
        }
    }

    /// The `[payments]` settings of clients pointed here.
    pub fn settings_overrides(&self) -> Vec<(&'static str, String)> {
        let uri = self.server.uri();
        vec![
            ("payments.toss.base_url", uri.clone()),
            ("payments.toss.secret_key", TOSS_SECRET_KEY.to_owned()),
            ("payments.kakaopay.base_url", uri.clone()),
            ("payments.kakaopay.secret_key", KAKAO_SECRET_KEY.to_owned()),
            ("payments.kakaopay.cid", KAKAO_CID.to_owned()),
            ("payments.paypal.base_url", uri.clone()),
            ("payments.paypal.client_id", PAYPAL_CLIENT_ID.to_owned()),
            (
                "payments.paypal.client_secret",
                PAYPAL_CLIENT_SECRET.to_owned(),
            ),
            ("payments.paypal.webhook_id", PAYPAL_WEBHOOK_ID.to_owned()),
            ("google_play.api_base_url", self.server.uri()),
            (
                "google_play.token_url",
                format!("{}/token", self.server.uri()),
            ),
            (
                "google_play.push.certs_url",
                format!("{}/oauth2/v3/certs", self.server.uri()),
            ),
        ]
    }

    // TossPayments.

    /// The shopper authorises a card payment in the Toss widget; returns
    /// the `paymentKey` the widget hands back.
    pub fn toss_authorize(&self, order_id: &str, amount: i64) -> String {
        locked(&self.toss).authorize(order_id, amount, false)
    }

    /// The shopper picks a virtual account (bank transfer) in the widget.
    pub fn toss_authorize_virtual_account(&self, order_id: &str, amount: i64) -> String {
        locked(&self.toss).authorize(order_id, amount, true)
    }

    /// The shopper's transfer to the virtual account arrives; returns the
    /// body Toss then posts to the webhook (a deposit callback).
    pub fn toss_deposit(&self, payment_key: &str) -> Value {
        locked(&self.toss).deposit(payment_key)
    }

    /// The body of Toss's `PAYMENT_STATUS_CHANGED` webhook for the payment now.
    pub fn toss_status_event(&self, payment_key: &str) -> Value {
        locked(&self.toss).status_event(payment_key)
    }

    pub fn toss_decline(&self, payment_key: &str) {
        locked(&self.toss)
            .behaviour
            .declined
            .insert(payment_key.to_owned());
    }

    /// The next confirm of `payment_key` charges, then answers after `delay`.
    pub fn toss_slow(&self, payment_key: &str, delay: Duration) {
        locked(&self.toss)
            .behaviour
            .slow
            .insert(payment_key.to_owned(), delay);
    }

    /// Toss refuses every cancellation of `payment_key` (a 403 that changes nothing).
    pub fn toss_refuse_cancels(&self, payment_key: &str) {
        locked(&self.toss)
            .behaviour
            .cancel_refused
            .insert(payment_key.to_owned());
    }

    /// The next cancellation of `payment_key` takes effect at Toss, but its
    /// answer is lost (HTTP 500).
    pub fn toss_lose_cancel_answer(&self, payment_key: &str) {
        locked(&self.toss)
            .behaviour
            .cancel_answer_lost
            .insert(payment_key.to_owned());
    }

    pub fn toss_outage(&self, down: bool) {
        locked(&self.toss).behaviour.outage = down;
    }

    /// Toss's status of a payment (`DONE`, `CANCELED`, ...).
    pub fn toss_status(&self, payment_key: &str) -> Option<String> {
        locked(&self.toss).status_of(payment_key)
    }

    /// What is left of a payment after cancellations.
    pub fn toss_balance(&self, payment_key: &str) -> Option<i64> {
        locked(&self.toss).balance_of(payment_key)
    }

    /// Confirm calls that reached Toss.
    pub fn toss_confirm_calls(&self) -> usize {
        locked(&self.toss).confirm_calls
    }

    /// Payments Toss charged (confirmations that took effect).
    pub fn toss_charges(&self) -> usize {
        locked(&self.toss).charges
    }

    // KakaoPay.

    /// The shopper approves payment `tid` in KakaoPay; returns the
    /// `pg_token` KakaoPay's redirect carries.
    pub fn kakaopay_approve(&self, tid: &str) -> String {
        locked(&self.kakao).approve_in_app(tid).unwrap_or_default()
    }

    pub fn kakaopay_decline(&self, tid: &str) {
        locked(&self.kakao)
            .behaviour
            .declined
            .insert(tid.to_owned());
    }

    pub fn kakaopay_slow(&self, tid: &str, delay: Duration) {
        locked(&self.kakao)
            .behaviour
            .slow
            .insert(tid.to_owned(), delay);
    }

    pub fn kakaopay_status(&self, tid: &str) -> Option<String> {
        locked(&self.kakao).status_of(tid)
    }

    pub fn kakaopay_charges(&self) -> usize {
        locked(&self.kakao).charges
    }

    // PayPal.

    /// The buyer approves order `id` at PayPal.
    pub fn paypal_approve(&self, order_id: &str) {
        locked(&self.paypal).approve(order_id);
    }

    pub fn paypal_decline(&self, order_id: &str) {
        locked(&self.paypal)
            .behaviour
            .declined
            .insert(order_id.to_owned());
    }

    /// PayPal captures the order as if our capture call reached it and
    /// its answer was lost.
    pub fn paypal_capture_directly(&self, order_id: &str) {
        locked(&self.paypal).capture(order_id);
    }

    /// The next capture of order `id` charges, then answers after `delay`.
    pub fn paypal_slow(&self, order_id: &str, delay: Duration) {
        locked(&self.paypal)
            .behaviour
            .slow
            .insert(order_id.to_owned(), delay);
    }

    pub fn paypal_status(&self, order_id: &str) -> Option<String> {
        locked(&self.paypal).status_of(order_id)
    }

    pub fn paypal_charges(&self) -> usize {
        locked(&self.paypal).charges
    }

    // Google Play.

    /// A shopper buys `product_id` in the Android app (the app tying the
    /// purchase to `account`); returns the purchase token.
    pub fn google_purchase(&self, product_id: &str, account: Option<&str>) -> String {
        locked(&self.google).purchase(product_id, account)
    }

    /// Google cancels (refunds) the purchase.
    pub fn google_cancel(&self, token: &str) {
        locked(&self.google).set_state(token, 1);
    }

    /// The purchase is pending (e.g. cash at a convenience store).
    pub fn google_pending(&self, token: &str) {
        locked(&self.google).set_state(token, 2);
    }

    /// The Pub/Sub push of a one-time product notification (1 purchased, 2 cancelled).
    pub fn google_notification(&self, token: &str, notification_type: i64) -> Value {
        locked(&self.google).notification(token, notification_type)
    }

    /// The Pub/Sub push of a voided-purchase notification about `token`'s order.
    pub fn google_voided_notification(&self, token: &str) -> Value {
        let google = locked(&self.google);
        let order = google.order_of(token).unwrap_or_default();
        google.voided_notification(token, &order)
    }

    /// The `Authorization` a Pub/Sub push of the test subscription carries.
    pub fn google_push_authorization(&self) -> String {
        format!(
            "Bearer {}",
            google_play::push_token(google_play::PUSH_AUDIENCE, google_play::PUSH_ACCOUNT, 0)
        )
    }

    /// Purchases consumed through the API.
    pub fn google_consumed(&self) -> usize {
        locked(&self.google).consumed
    }

    /// A webhook delivery PayPal would make about order `id`: its
    /// transmission headers (signed) and body.
    pub fn paypal_webhook(
        &self,
        event_type: &str,
        order_id: &str,
    ) -> (Vec<(String, String)>, Value) {
        locked(&self.paypal).webhook(event_type, order_id)
    }
}
