//! Paying orders at TossPayments, KakaoPay and PayPal (local doubles that
//! speak their protocols) over HTTP against the real stores: amount
//! tampering, double confirmation, declines, provider timeouts settled by
//! reconciliation, compensation when applying an approval fails,
//! notifications replayed and out of order, and attempts that expire.
#![expect(clippy::expect_used, reason = "test helpers fail loudly")]

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use testkit::FreshKey;
use testkit::catalog::{self, Listing, sku};
use testkit::doubles::Payments;
use testkit::shop::{self, add_to_cart, checkout, checkout_body};
use testkit::shoppers::{self, Login, PASSWORD};
use testkit::{TestApp, TestMail, TestServer, staff};
use uuid::Uuid;

struct Shop {
    app: TestApp,
    provider: Payments,
    sku: Uuid,
    /// Where the vendor's notices go.
    seller_email: String,
}

/// A shop with one product (stock 10, 30,000 won) whose payment
/// providers are the doubles; `settings` adjusts the configuration.
async fn shop_with(settings: &[(&'static str, &str)]) -> Shop {
    let provider = Payments::start().await;
    let mut overrides = provider.settings_overrides();
    overrides.extend(settings.iter().map(|(k, v)| (*k, (*v).to_owned())));
    let app = TestApp::builder(service_api::SERVICE)
        .settings(overrides)
        .spawn()
        .await;
    let category = catalog::category(&app, None, "tops").await;
    let seller = staff::seller(&app, "Seoul Denim").await;
    let seller_email = TestMail::unique_address("seoul-denim");
    staff::seller_contact(&app, seller, &seller_email).await;
    let product = catalog::product(
        &app,
        Listing {
            seller_id: seller,
            category_id: category,
            brand_id: None,
            name: "Denim jacket",
            description: "",
            status: "on_sale",
            skus: vec![sku(30_000, 10)],
        },
    )
    .await;
    let sku = shop::skus_of(&app, product).await[0];
    Shop {
        app,
        provider,
        sku,
        seller_email,
    }
}

async fn shop() -> Shop {
    shop_with(&[]).await
}

/// An unpaid order of the shopper.
struct Order {
    id: String,
    number: String,
    payable: i64,
}

impl Shop {
    async fn member(&self, label: &str) -> Login {
        let email = shoppers::active_shopper(&self.app, label).await;
        shoppers::log_in(&self.app, &email, PASSWORD).await
    }

    /// The shopper puts two of the SKU in the cart and checks out.
    async fn order(&self, login: &Login) -> Order {
        let (status, cart) = add_to_cart(&self.app, login, self.sku, 2).await;
        assert!(status.is_success(), "{status} {cart}");
        let (status, created) = checkout(
            &self.app,
            login,
            &Uuid::new_v4().to_string(),
            &checkout_body(json!({})),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        Order {
            id: created["purchase_order_id"]
                .as_str()
                .expect("id")
                .to_owned(),
            number: created["order_no"].as_str().expect("order_no").to_owned(),
            payable: created["payable_amount"]
                .as_str()
                .expect("amount")
                .parse()
                .expect("whole won"),
        }
    }

    async fn order_status(&self, order: &Order) -> String {
        self.app
            .db
            .query_text(&format!(
                "SELECT status AS value FROM purchase_orders WHERE id = '{}'",
                order.id
            ))
            .await
            .remove(0)
    }

    async fn count(&self, sql: &str) -> i64 {
        self.app.db.query_text(sql).await[0]
            .parse()
            .expect("a count")
    }

    /// No paid order without a succeeded payment, no succeeded payment
    /// without a paid order.
    async fn assert_payments_match_orders(&self) {
        let orphans = self
            .count(
                "SELECT count(*)::text AS value FROM purchase_orders o WHERE (o.status = 'paid') <> \
                 EXISTS (SELECT 1 FROM payments p WHERE p.purchase_order_id = o.id AND p.status = 'succeeded') \
                 AND (o.payment_method IS NULL OR o.payment_method <> 'test')",
            )
            .await;
        assert_eq!(orphans, 0, "paid orders and succeeded payments disagree");
    }
}

impl Shop {
    /// A KakaoPay payment registered for `order` (asserted 201).
    async fn kakaopay_ready(&self, login: &Login, order: &Order) -> Value {
        let (status, ready) = send(
            login
                .call(&self.app, Method::POST, "/v1/payments/kakaopay/ready")
                .json(&json!({ "purchase_order_id": order.id })),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{ready}");
        ready
    }

    /// A PayPal order created for `order` (asserted 201).
    async fn paypal_order(&self, login: &Login, order: &Order) -> Value {
        let (status, created) = send(
            login
                .call(&self.app, Method::POST, "/v1/payments/paypal/orders")
                .json(&json!({ "purchase_order_id": order.id })),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        created
    }
}

async fn send(request: reqwest::RequestBuilder) -> (StatusCode, Value) {
    let response = request.send().await.expect("request");
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn toss_confirm(
    server: &TestServer,
    login: &Login,
    payment_key: &str,
    order_id: &str,
    amount: i64,
) -> (StatusCode, Value) {
    send(
        login
            .call(server, Method::POST, "/v1/payments/toss/confirm")
            .fresh_key()
            .json(&json!({ "paymentKey": payment_key, "orderId": order_id, "amount": amount })),
    )
    .await
}

#[tokio::test]
async fn a_toss_payment_is_confirmed_once_and_pays_the_order() {
    let s = shop().await;
    let login = s.member("toss").await;
    let order = s.order(&login).await;
    // Two at 30,000 won plus 3,000 won shipping.
    assert_eq!(order.payable, 63_000);
    let key = s.provider.toss_authorize(&order.number, order.payable);

    let (status, payment) = toss_confirm(&s.app, &login, &key, &order.number, order.payable).await;
    assert_eq!(status, StatusCode::OK, "{payment}");
    assert_eq!(payment["status"], "succeeded");
    assert_eq!(payment["provider"], "toss");
    assert_eq!(payment["amount"], "63000");
    assert_eq!(payment["provider_payment_id"], key.as_str());
    assert_eq!(s.order_status(&order).await, "paid");
    assert_eq!(shop::stock_of(&s.app, s.sku).await, (8, 0));

    // The same confirmation again (a double click, a retried redirect):
    // the same attempt, nothing charged twice.
    let (status, again) = toss_confirm(&s.app, &login, &key, &order.number, order.payable).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(again["id"], payment["id"]);
    assert_eq!(s.provider.toss_charges(), 1);
    assert_eq!(s.provider.toss_confirm_calls(), 1);

    // The outbox tells the shopper and the vendor.
    s.app.run_jobs().await;
    let vendor_mail = TestMail::from_env().messages_to(&s.seller_email).await;
    assert_eq!(vendor_mail.len(), 1, "one notice to the vendor");
    assert_eq!(
        vendor_mail[0]["subject"],
        format!("New order {}", order.number)
    );
    assert!(
        vendor_mail[0]["text"]
            .as_str()
            .unwrap_or_default()
            .contains("2 item(s), 60000 KRW"),
        "{}",
        vendor_mail[0]["text"]
    );

    // Every step is kept with Toss's answer, its secrets masked.
    let answers = s
        .app
        .db
        .query_text(&format!(
            "SELECT answer::text AS value FROM payment_events WHERE payment_id = '{}'",
            payment["id"].as_str().expect("id")
        ))
        .await;
    assert_eq!(answers.len(), 1);
    let answer: Value = serde_json::from_str(&answers[0]).expect("JSON");
    assert_eq!(answer["status"], "DONE");
    assert_eq!(answer["secret"], "***");
    assert_eq!(answer["card"]["number"], "***");

    // The shopper can read the attempt; another shopper cannot.
    let path = format!("/v1/payments/{}", payment["id"].as_str().expect("id"));
    let (status, _) = send(login.call(&s.app, Method::GET, &path)).await;
    assert_eq!(status, StatusCode::OK);
    let stranger = s.member("stranger").await;
    let (status, _) = send(stranger.call(&s.app, Method::GET, &path)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Nor confirm someone else's payment key.
    let (status, _) = toss_confirm(&s.app, &stranger, &key, &order.number, order.payable).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    s.assert_payments_match_orders().await;
    shop::assert_allocations_exact(&s.app).await;
}

#[tokio::test]
async fn concurrent_confirmations_of_one_payment_charge_once() {
    let s = shop().await;
    let login = s.member("clicks").await;
    let order = s.order(&login).await;
    let key = s.provider.toss_authorize(&order.number, order.payable);
    let answers = futures_util::future::join_all(
        (0..8).map(|_| toss_confirm(&s.app, &login, &key, &order.number, order.payable)),
    )
    .await;
    let ids: std::collections::BTreeSet<String> = answers
        .iter()
        .map(|(status, body)| {
            assert!(
                *status == StatusCode::OK || *status == StatusCode::ACCEPTED,
                "{status} {body}"
            );
            body["id"].as_str().expect("a payment").to_owned()
        })
        .collect();
    assert_eq!(ids.len(), 1, "one attempt for one payment key");
    assert_eq!(s.provider.toss_charges(), 1);
    assert_eq!(s.provider.toss_confirm_calls(), 1);
    assert_eq!(s.order_status(&order).await, "paid");
    assert_eq!(
        s.count("SELECT count(*)::text AS value FROM payments")
            .await,
        1
    );
}

#[tokio::test]
async fn a_tampered_amount_is_refused_before_toss_is_called() {
    let s = shop().await;
    let login = s.member("tamper").await;
    let order = s.order(&login).await;
    // The widget was opened for 100 won instead of the order's amount.
    let key = s.provider.toss_authorize(&order.number, 100);
    let (status, problem) = toss_confirm(&s.app, &login, &key, &order.number, 100).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(problem["errors"][0]["field"], "amount");
    assert_eq!(problem["errors"][0]["code"], "amount_mismatch");
    assert_eq!(s.provider.toss_confirm_calls(), 0);
    assert_eq!(s.order_status(&order).await, "pending_payment");
    assert_eq!(
        s.count("SELECT count(*)::text AS value FROM payments")
            .await,
        0
    );
    // Another shopper's order number is not found.
    let stranger = s.member("stranger").await;
    let (status, _) = toss_confirm(&s.app, &stranger, &key, &order.number, order.payable).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Malformed input names its field.
    let (status, problem) = toss_confirm(&s.app, &login, &key, "no!", order.payable).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "orderId");
}

#[tokio::test]
async fn a_declined_card_leaves_the_order_payable_by_another_try() {
    let s = shop().await;
    let login = s.member("declined").await;
    let order = s.order(&login).await;
    let key = s.provider.toss_authorize(&order.number, order.payable);
    s.provider.toss_decline(&key);
    let (status, problem) = toss_confirm(&s.app, &login, &key, &order.number, order.payable).await;
    assert_eq!(status, StatusCode::PAYMENT_REQUIRED, "{problem}");
    assert_eq!(problem["code"], "payment_declined");
    assert_eq!(problem["provider_code"], "REJECT_CARD_PAYMENT");
    assert_eq!(s.order_status(&order).await, "pending_payment");
    assert_eq!(shop::stock_of(&s.app, s.sku).await, (10, 2));

    // Another card in the widget: a new payment key, and it goes through.
    let second = s.provider.toss_authorize(&order.number, order.payable);
    let (status, payment) =
        toss_confirm(&s.app, &login, &second, &order.number, order.payable).await;
    assert_eq!(status, StatusCode::OK, "{payment}");
    assert_eq!(s.order_status(&order).await, "paid");
    assert_eq!(s.provider.toss_charges(), 1);
    s.assert_payments_match_orders().await;
}

#[tokio::test]
async fn a_provider_timeout_is_settled_by_reconciliation_not_by_a_new_attempt() {
    let s = shop_with(&[("payments.toss.timeout_ms", "300")]).await;
    let login = s.member("timeout").await;
    let order = s.order(&login).await;
    let key = s.provider.toss_authorize(&order.number, order.payable);
    // Toss charges the card but its answer never arrives in time.
    s.provider.toss_slow(&key, Duration::from_secs(3));
    let (status, payment) = toss_confirm(&s.app, &login, &key, &order.number, order.payable).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{payment}");
    assert_eq!(payment["status"], "in_doubt");
    assert_eq!(s.provider.toss_status(&key).as_deref(), Some("DONE"));

    // Confirming again starts nothing new; the hold's end does not release
    // an order whose payment is in doubt.
    let (status, again) = toss_confirm(&s.app, &login, &key, &order.number, order.payable).await;
    assert_eq!(status, StatusCode::ACCEPTED);
    assert_eq!(again["id"], payment["id"]);
    s.app
        .db
        .run_sql(&format!(
            "UPDATE purchase_orders SET expires_at = now() - interval '1 minute' WHERE id = '{}'",
            order.id
        ))
        .await
        .expect("fixture");
    let released = app::orders::holds::release_expired(&s.app.state.context)
        .await
        .expect("expiry");
    assert_eq!(released, 0);

    // Reconciliation asks Toss and applies what it says.
    let round = app::payments::reconcile::reconcile(&s.app.state.context)
        .await
        .expect("reconcile");
    assert_eq!(round.asked, 1);
    assert_eq!(s.order_status(&order).await, "paid");
    let path = format!("/v1/payments/{}", payment["id"].as_str().expect("id"));
    let (_, settled) = send(login.call(&s.app, Method::GET, &path)).await;
    assert_eq!(settled["status"], "succeeded");
    assert_eq!(s.provider.toss_charges(), 1);
    assert_eq!(s.provider.toss_confirm_calls(), 1);
    // A second round finds nothing left in doubt.
    let round = app::payments::reconcile::reconcile(&s.app.state.context)
        .await
        .expect("reconcile");
    assert_eq!(round.asked, 0);
    s.assert_payments_match_orders().await;
}

#[tokio::test]
async fn a_confirmation_lost_in_an_outage_is_sent_again_under_the_same_key() {
    let s = shop().await;
    let login = s.member("outage").await;
    let order = s.order(&login).await;
    let key = s.provider.toss_authorize(&order.number, order.payable);
    s.provider.toss_outage(true);
    let (status, payment) = toss_confirm(&s.app, &login, &key, &order.number, order.payable).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{payment}");
    assert_eq!(payment["status"], "in_doubt");
    // Still down: reconciliation leaves it in doubt and tries again later.
    let round = app::payments::reconcile::reconcile(&s.app.state.context)
        .await
        .expect("reconcile");
    assert_eq!((round.asked, round.unreachable), (1, 1));
    assert_eq!(s.order_status(&order).await, "pending_payment");

    s.provider.toss_outage(false);
    app::payments::reconcile::reconcile(&s.app.state.context)
        .await
        .expect("reconcile");
    assert_eq!(s.order_status(&order).await, "paid");
    assert_eq!(s.provider.toss_charges(), 1);
    s.assert_payments_match_orders().await;
}

impl Shop {
    /// Injected failure: the database refuses to mark `order` paid.
    async fn refuse_to_mark_paid(&self, order: &Order) {
        self.app
            .db
            .run_sql(
                "CREATE OR REPLACE FUNCTION refuse_paid() RETURNS trigger LANGUAGE plpgsql AS $$ \
                 BEGIN RAISE EXCEPTION 'injected failure'; END $$",
            )
            .await
            .expect("fixture");
        self.app
            .db
            .run_sql(&format!(
                "CREATE TRIGGER refuse_paid_{} BEFORE UPDATE ON purchase_orders FOR EACH ROW \
                 WHEN (NEW.status = 'paid' AND NEW.id = '{}') EXECUTE FUNCTION refuse_paid()",
                order.number, order.id
            ))
            .await
            .expect("fixture");
    }
}

#[tokio::test]
async fn a_failure_after_approval_cancels_the_payment_and_the_order() {
    let s = shop().await;
    let login = s.member("compensation").await;
    let order = s.order(&login).await;
    s.refuse_to_mark_paid(&order).await;
    let key = s.provider.toss_authorize(&order.number, order.payable);
    let (status, problem) = toss_confirm(&s.app, &login, &key, &order.number, order.payable).await;
    assert_eq!(status, StatusCode::CONFLICT, "{problem}");
    assert_eq!(problem["code"], "payment_cancelled");

    // The charge was cancelled at Toss, the order cancelled with the reason,
    // its stock given back.
    assert_eq!(s.provider.toss_status(&key).as_deref(), Some("CANCELED"));
    assert_eq!(s.provider.toss_balance(&key), Some(0));
    assert_eq!(s.order_status(&order).await, "cancelled");
    let reason = s
        .app
        .db
        .query_text(&format!(
            "SELECT cancel_reason AS value FROM purchase_orders WHERE id = '{}'",
            order.id
        ))
        .await
        .remove(0);
    assert!(
        reason.starts_with("payment could not be completed"),
        "{reason}"
    );
    assert_eq!(shop::stock_of(&s.app, s.sku).await, (10, 0));
    let payment = s
        .app
        .db
        .query_text("SELECT status || ',' || cancelled_amount::bigint AS value FROM payments")
        .await;
    assert_eq!(payment, vec![format!("cancelled,{}", order.payable)]);
    s.assert_payments_match_orders().await;
}

#[tokio::test]
async fn compensation_cancels_at_kakaopay_and_refunds_at_paypal() {
    let s = shop().await;
    let login = s.member("compensation-elsewhere").await;

    let kakao_order = s.order(&login).await;
    s.refuse_to_mark_paid(&kakao_order).await;
    let ready = s.kakaopay_ready(&login, &kakao_order).await;
    let tid = ready["payment"]["provider_payment_id"]
        .as_str()
        .expect("tid");
    let pg_token = s.provider.kakaopay_approve(tid);
    let (status, problem) = send(
        login
            .call(&s.app, Method::POST, "/v1/payments/kakaopay/approve")
            .fresh_key()
            .json(&json!({ "payment_id": ready["payment"]["id"], "pg_token": pg_token })),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{problem}");
    assert_eq!(problem["code"], "payment_cancelled");
    assert_eq!(
        s.provider.kakaopay_status(tid).as_deref(),
        Some("CANCEL_PAYMENT")
    );
    assert_eq!(s.order_status(&kakao_order).await, "cancelled");

    let paypal_order = s.order(&login).await;
    s.refuse_to_mark_paid(&paypal_order).await;
    let created = s.paypal_order(&login, &paypal_order).await;
    let id = created["paypal_order_id"].as_str().expect("id").to_owned();
    s.provider.paypal_approve(&id);
    let (status, problem) = send(
        login
            .call(
                &s.app,
                Method::POST,
                &format!("/v1/payments/paypal/orders/{id}/capture"),
            )
            .fresh_key(),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{problem}");
    assert_eq!(s.provider.paypal_status(&id).as_deref(), Some("REFUNDED"));
    assert_eq!(s.order_status(&paypal_order).await, "cancelled");
    assert_eq!(shop::stock_of(&s.app, s.sku).await, (10, 0));
    s.assert_payments_match_orders().await;
}

#[tokio::test]
async fn kakaopay_ready_then_approve_pays_the_order() {
    let s = shop().await;
    let login = s.member("kakao").await;
    let order = s.order(&login).await;
    let (status, ready) = send(
        login
            .call(&s.app, Method::POST, "/v1/payments/kakaopay/ready")
            .json(&json!({ "purchase_order_id": order.id })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{ready}");
    assert_eq!(ready["payment"]["status"], "pending");
    let tid = ready["payment"]["provider_payment_id"]
        .as_str()
        .expect("tid")
        .to_owned();
    assert!(
        ready["redirect_pc_url"]
            .as_str()
            .expect("url")
            .contains(&tid)
    );

    // Approving before the shopper approved in KakaoPay is refused there.
    let payment_id = ready["payment"]["id"].as_str().expect("id");
    let (status, problem) = send(
        login
            .call(&s.app, Method::POST, "/v1/payments/kakaopay/approve")
            .fresh_key()
            .json(&json!({ "payment_id": payment_id, "pg_token": "pgforged" })),
    )
    .await;
    assert_eq!(status, StatusCode::PAYMENT_REQUIRED, "{problem}");
    assert_eq!(s.provider.kakaopay_charges(), 0);

    // A fresh ready (the failed attempt does not block), approved by the shopper.
    let (status, ready) = send(
        login
            .call(&s.app, Method::POST, "/v1/payments/kakaopay/ready")
            .json(&json!({ "purchase_order_id": order.id })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{ready}");
    let tid = ready["payment"]["provider_payment_id"]
        .as_str()
        .expect("tid");
    let pg_token = s.provider.kakaopay_approve(tid);
    let payment_id = ready["payment"]["id"].as_str().expect("id");
    let approve = || {
        login
            .call(&s.app, Method::POST, "/v1/payments/kakaopay/approve")
            .fresh_key()
            .json(&json!({ "payment_id": payment_id, "pg_token": pg_token }))
    };
    let (status, payment) = send(approve()).await;
    assert_eq!(status, StatusCode::OK, "{payment}");
    assert_eq!(payment["status"], "succeeded");
    assert_eq!(s.order_status(&order).await, "paid");
    let (status, _) = send(approve()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(s.provider.kakaopay_charges(), 1);
    s.assert_payments_match_orders().await;
}

#[tokio::test]
async fn kakaopay_and_paypal_declines_leave_the_order_payable() {
    let s = shop().await;
    let login = s.member("declines").await;
    let order = s.order(&login).await;
    let ready = s.kakaopay_ready(&login, &order).await;
    let tid = ready["payment"]["provider_payment_id"]
        .as_str()
        .expect("tid");
    let pg_token = s.provider.kakaopay_approve(tid);
    s.provider.kakaopay_decline(tid);
    let (status, problem) = send(
        login
            .call(&s.app, Method::POST, "/v1/payments/kakaopay/approve")
            .fresh_key()
            .json(&json!({ "payment_id": ready["payment"]["id"], "pg_token": pg_token })),
    )
    .await;
    assert_eq!(status, StatusCode::PAYMENT_REQUIRED, "{problem}");
    assert_eq!(problem["provider_code"], "-780");

    let created = s.paypal_order(&login, &order).await;
    let id = created["paypal_order_id"].as_str().expect("id").to_owned();
    s.provider.paypal_approve(&id);
    s.provider.paypal_decline(&id);
    let (status, problem) = send(
        login
            .call(
                &s.app,
                Method::POST,
                &format!("/v1/payments/paypal/orders/{id}/capture"),
            )
            .fresh_key(),
    )
    .await;
    assert_eq!(status, StatusCode::PAYMENT_REQUIRED, "{problem}");
    assert_eq!(problem["provider_code"], "INSTRUMENT_DECLINED");
    assert_eq!(s.order_status(&order).await, "pending_payment");
    assert_eq!(
        (s.provider.kakaopay_charges(), s.provider.paypal_charges()),
        (0, 0)
    );
    assert_eq!(shop::stock_of(&s.app, s.sku).await, (10, 2));
}

#[tokio::test]
async fn a_kakaopay_timeout_at_approval_is_reconciled() {
    let s = shop_with(&[("payments.kakaopay.timeout_ms", "300")]).await;
    let login = s.member("kakao-timeout").await;
    let order = s.order(&login).await;
    let ready = s.kakaopay_ready(&login, &order).await;
    let tid = ready["payment"]["provider_payment_id"]
        .as_str()
        .expect("tid");
    let pg_token = s.provider.kakaopay_approve(tid);
    s.provider.kakaopay_slow(tid, Duration::from_secs(3));
    let (status, payment) = send(
        login
            .call(&s.app, Method::POST, "/v1/payments/kakaopay/approve")
            .fresh_key()
            .json(&json!({ "payment_id": ready["payment"]["id"], "pg_token": pg_token })),
    )
    .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{payment}");
    assert_eq!(payment["status"], "in_doubt");
    app::payments::reconcile::reconcile(&s.app.state.context)
        .await
        .expect("reconcile");
    assert_eq!(s.order_status(&order).await, "paid");
    assert_eq!(s.provider.kakaopay_charges(), 1);
}

#[tokio::test]
async fn paypal_create_then_capture_pays_the_order() {
    let s = shop().await;
    let login = s.member("paypal").await;
    let order = s.order(&login).await;
    let (status, created) = send(
        login
            .call(&s.app, Method::POST, "/v1/payments/paypal/orders")
            .json(&json!({ "purchase_order_id": order.id })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let paypal_order = created["paypal_order_id"].as_str().expect("id").to_owned();
    assert!(
        created["approve_url"]
            .as_str()
            .expect("url")
            .contains(&paypal_order)
    );
    let capture_path = format!("/v1/payments/paypal/orders/{paypal_order}/capture");

    // Not approved by the buyer yet: PayPal refuses the capture.
    let (status, problem) = send(login.call(&s.app, Method::POST, &capture_path).fresh_key()).await;
    assert_eq!(status, StatusCode::PAYMENT_REQUIRED, "{problem}");
    assert_eq!(problem["provider_code"], "ORDER_NOT_APPROVED");

    let created = s.paypal_order(&login, &order).await;
    let paypal_order = created["paypal_order_id"].as_str().expect("id").to_owned();
    s.provider.paypal_approve(&paypal_order);
    let capture_path = format!("/v1/payments/paypal/orders/{paypal_order}/capture");
    let (status, payment) = send(login.call(&s.app, Method::POST, &capture_path).fresh_key()).await;
    assert_eq!(status, StatusCode::OK, "{payment}");
    assert_eq!(payment["status"], "succeeded");
    assert_eq!(s.order_status(&order).await, "paid");
    let (status, _) = send(login.call(&s.app, Method::POST, &capture_path).fresh_key()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(s.provider.paypal_charges(), 1);
    s.assert_payments_match_orders().await;
}

#[tokio::test]
async fn a_paypal_capture_timeout_is_reconciled() {
    let s = shop_with(&[("payments.paypal.timeout_ms", "300")]).await;
    let login = s.member("paypal-timeout").await;
    let order = s.order(&login).await;
    let created = s.paypal_order(&login, &order).await;
    let paypal_order = created["paypal_order_id"].as_str().expect("id").to_owned();
    s.provider.paypal_approve(&paypal_order);
    s.provider
        .paypal_slow(&paypal_order, Duration::from_secs(3));
    let capture_path = format!("/v1/payments/paypal/orders/{paypal_order}/capture");
    let (status, payment) = send(login.call(&s.app, Method::POST, &capture_path).fresh_key()).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{payment}");
    assert_eq!(payment["status"], "in_doubt");
    app::payments::reconcile::reconcile(&s.app.state.context)
        .await
        .expect("reconcile");
    assert_eq!(s.order_status(&order).await, "paid");
    assert_eq!(s.provider.paypal_charges(), 1);
    let captures = s
        .app
        .db
        .query_text("SELECT provider_capture_id AS value FROM payments WHERE status = 'succeeded'")
        .await;
    assert_eq!(captures.len(), 1);
    s.assert_payments_match_orders().await;
}

#[tokio::test]
async fn one_live_attempt_per_order_and_unapproved_attempts_expire() {
    let s = shop().await;
    let login = s.member("attempts").await;
    let order = s.order(&login).await;
    let ready = || {
        login
            .call(&s.app, Method::POST, "/v1/payments/kakaopay/ready")
            .json(&json!({ "purchase_order_id": order.id }))
    };
    let (status, first) = send(ready()).await;
    assert_eq!(status, StatusCode::CREATED);
    // A Toss confirmation is under way: no other attempt may start.
    s.app
        .db
        .run_sql(&format!(
            "UPDATE payments SET status = 'confirming' WHERE id = '{}'",
            first["payment"]["id"].as_str().expect("id")
        ))
        .await
        .expect("fixture");
    let (status, problem) = send(ready()).await;
    assert_eq!(status, StatusCode::CONFLICT, "{problem}");
    assert_eq!(problem["code"], "payment_in_progress");
    s.app
        .db
        .run_sql("UPDATE payments SET status = 'pending'")
        .await
        .expect("fixture");
    // A pending attempt (never approved) is superseded by the next one.
    let (status, second) = send(ready()).await;
    assert_eq!(status, StatusCode::CREATED);
    let statuses = s
        .app
        .db
        .query_text("SELECT status AS value FROM payments ORDER BY created_at")
        .await;
    assert_eq!(statuses, vec!["failed", "pending"]);

    // The schedule ends attempts left unapproved past their window.
    s.app
        .db
        .run_sql("UPDATE payments SET created_at = now() - interval '2 hours'")
        .await
        .expect("fixture");
    let expired = app::payments::reconcile::expire_pending(&s.app.state.context)
        .await
        .expect("expiry");
    assert_eq!(expired, 1);
    let path = format!(
        "/v1/payments/{}",
        second["payment"]["id"].as_str().expect("id")
    );
    let (_, payment) = send(login.call(&s.app, Method::GET, &path)).await;
    assert_eq!(payment["status"], "failed");
    assert_eq!(payment["failure_code"], "expired");
}

#[tokio::test]
async fn toss_notifications_are_reread_replay_harmless_and_safe_out_of_order() {
    let s = shop().await;
    let partner = s.app.sibling(external_api::SERVICE);
    let login = s.member("deposit").await;
    let order = s.order(&login).await;
    let key = s
        .provider
        .toss_authorize_virtual_account(&order.number, order.payable);
    let (status, payment) = toss_confirm(&s.app, &login, &key, &order.number, order.payable).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{payment}");
    assert_eq!(payment["status"], "awaiting_deposit");
    assert!(payment["deposit_due_at"].is_string());
    // Waiting for the transfer holds the order past its hold.
    s.app
        .db
        .run_sql("UPDATE purchase_orders SET expires_at = now() - interval '1 minute'")
        .await
        .expect("fixture");
    let released = app::orders::holds::release_expired(&s.app.state.context)
        .await
        .expect("expiry");
    assert_eq!(released, 0);
    let stale_event = s.provider.toss_status_event(&key);

    // A forged notification changes nothing: Toss is asked, and says waiting.
    let mut forged = stale_event.clone();
    forged["data"]["status"] = json!("DONE");
    let (status, _) = send(partner.post("/v1/webhooks/toss").json(&forged)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(s.order_status(&order).await, "pending_payment");

    // The transfer arrives; Toss posts its deposit callback.
    let callback = s.provider.toss_deposit(&key);
    let (status, received) = send(partner.post("/v1/webhooks/toss").json(&callback)).await;
    assert_eq!(status, StatusCode::OK, "{received}");
    assert_eq!(received["result"], "applied");
    assert_eq!(s.order_status(&order).await, "paid");

    // The same notification again, and the older status event arriving late.
    let (status, _) = send(partner.post("/v1/webhooks/toss").json(&callback)).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = send(partner.post("/v1/webhooks/toss").json(&stale_event)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(s.order_status(&order).await, "paid");
    // One stored event per state Toss reported (waiting, then done).
    assert_eq!(
        s.count("SELECT count(*)::text AS value FROM provider_events")
            .await,
        2
    );
    assert_eq!(
        s.count("SELECT count(*)::text AS value FROM payment_events WHERE outcome = 'approved'")
            .await,
        1
    );
    assert_eq!(shop::stock_of(&s.app, s.sku).await, (8, 0));
    // About a payment that is not ours: ignored.
    let (_, received) = send(partner.post("/v1/webhooks/toss").json(
        &json!({ "eventType": "PAYMENT_STATUS_CHANGED", "data": { "paymentKey": "tgen_unknown" } }),
    ))
    .await;
    assert_eq!(received["result"], "ignored");
    s.assert_payments_match_orders().await;
}

#[tokio::test]
async fn paypal_notifications_must_be_verified_by_paypal() {
    let s = shop_with(&[("payments.paypal.timeout_ms", "300")]).await;
    let partner = s.app.sibling(external_api::SERVICE);
    let login = s.member("paypal-hook").await;
    let order = s.order(&login).await;
    let created = s.paypal_order(&login, &order).await;
    let paypal_order = created["paypal_order_id"].as_str().expect("id").to_owned();
    s.provider.paypal_approve(&paypal_order);
    // Our capture call is cut off (the process died): the attempt is left
    // confirming, and PayPal's capture notification settles it.
    s.app
        .db
        .run_sql("UPDATE payments SET status = 'confirming'")
        .await
        .expect("fixture");
    s.provider.paypal_capture_directly(&paypal_order);

    let post = |headers: &[(String, String)], body: &Value| {
        let mut request = partner.post("/v1/webhooks/paypal").json(body);
        for (name, value) in headers {
            request = request.header(name, value);
        }
        request
    };
    let (headers, event) = s
        .provider
        .paypal_webhook("PAYMENT.CAPTURE.COMPLETED", &paypal_order);
    // A signature PayPal did not make is refused.
    let mut forged = headers.clone();
    for (name, value) in &mut forged {
        if name == "paypal-transmission-sig" {
            *value = "Zm9yZ2Vk".into();
        }
    }
    let (status, problem) = send(post(&forged, &event)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{problem}");
    assert_eq!(problem["code"], "invalid_signature");
    assert_eq!(s.order_status(&order).await, "pending_payment");

    let (status, received) = send(post(&headers, &event)).await;
    assert_eq!(status, StatusCode::OK, "{received}");
    assert_eq!(received["result"], "applied");
    assert_eq!(s.order_status(&order).await, "paid");
    let (status, _) = send(post(&headers, &event)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        s.count("SELECT count(*)::text AS value FROM payment_events WHERE outcome = 'approved'")
            .await,
        1
    );
    s.assert_payments_match_orders().await;
}
