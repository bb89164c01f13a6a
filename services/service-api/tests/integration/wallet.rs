//! The cash wallet over HTTP: charging through Toss (credited once),
//! bonus cash granted by operations, spending at checkout in the wallet's
//! order (earliest expiry, charged before bonus, smaller lot first) and
//! given back when the order is released. Refunds: `wallet_refunds`.
#![expect(clippy::expect_used, reason = "test helpers fail loudly")]

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use testkit::FreshKey;
use testkit::catalog::{self, Listing, sku};
use testkit::doubles::Payments;
use testkit::shop::{self, add_to_cart, checkout, checkout_body};
use testkit::shoppers::{self, Login, PASSWORD};
use testkit::{TestApp, TestServer, staff};
use uuid::Uuid;

pub(super) struct Shop {
    pub(super) app: TestApp,
    admin: TestServer,
    operator: Login,
    pub(super) provider: Payments,
    pub(super) sku: Uuid,
}

pub(super) async fn shop() -> Shop {
    let provider = Payments::start().await;
    let app = TestApp::builder(service_api::SERVICE)
        .settings(provider.settings_overrides())
        .spawn()
        .await;
    let admin = app.sibling(admin_api::SERVICE);
    let account = staff::admin(&app, "cash", &["cash.grant"]).await;
    let operator = staff::log_in(&admin, &account, 0).await;
    let category = catalog::category(&app, None, "tops").await;
    let seller = staff::seller(&app, "Seoul Denim").await;
    let product = catalog::product(
        &app,
        Listing {
            seller_id: seller,
            category_id: category,
            brand_id: None,
            name: "Linen shirt",
            description: "",
            status: "on_sale",
            skus: vec![sku(20_000, 10)],
        },
    )
    .await;
    let sku = shop::skus_of(&app, product).await[0];
    Shop {
        app,
        admin,
        operator,
        provider,
        sku,
    }
}

pub(super) async fn send(request: reqwest::RequestBuilder) -> (StatusCode, Value) {
    let response = request.send().await.expect("request");
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

pub(super) fn money(value: &Value) -> i64 {
    value
        .as_str()
        .unwrap_or_else(|| panic!("not money: {value}"))
        .parse()
        .expect("whole won")
}

impl Shop {
    pub(super) async fn member(&self, label: &str) -> (Login, String) {
        let email = shoppers::active_shopper(&self.app, label).await;
        let login = shoppers::log_in(&self.app, &email, PASSWORD).await;
        let (_, me) = send(login.call(&self.app, Method::GET, "/v1/me")).await;
        let id = me["user_id"].as_str().expect("user id").to_owned();
        (login, id)
    }

    pub(super) async fn wallet(&self, login: &Login) -> Value {
        let (status, wallet) = send(login.call(&self.app, Method::GET, "/v1/me/wallet")).await;
        assert_eq!(status, StatusCode::OK, "{wallet}");
        wallet
    }

    /// Starts a charge of `amount`; returns it as started.
    pub(super) async fn start_charge(&self, login: &Login, amount: i64) -> Value {
        let (status, started) = send(
            login
                .call(&self.app, Method::POST, "/v1/wallet/charges")
                .fresh_key()
                .json(&json!({ "amount": amount.to_string() })),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{started}");
        started
    }

    /// Charges `amount` through the Toss widget; returns the payment key.
    pub(super) async fn charge(&self, login: &Login, amount: i64) -> String {
        let started = self.start_charge(login, amount).await;
        let order_id = started["order_id"].as_str().expect("order id").to_owned();
        let key = self.provider.toss_authorize(&order_id, amount);
        let (status, payment) = self.confirm(login, &key, &order_id, amount).await;
        assert_eq!(status, StatusCode::OK, "{payment}");
        assert_eq!(payment["wallet_charge_id"], started["charge_id"]);
        key
    }

    pub(super) async fn confirm(
        &self,
        login: &Login,
        key: &str,
        order_id: &str,
        amount: i64,
    ) -> (StatusCode, Value) {
        send(
            login
                .call(&self.app, Method::POST, "/v1/payments/toss/confirm")
                .fresh_key()
                .json(&json!({ "paymentKey": key, "orderId": order_id, "amount": amount })),
        )
        .await
    }

    pub(super) async fn grant_bonus(&self, user_id: &str, amount: i64, valid_days: u32) {
        let (status, body) = send(
            self.operator
                .call(&self.admin, Method::POST, &format!("/v1/users/{user_id}/cash-grants")).fresh_key()
                .json(&json!({ "amount": amount.to_string(), "valid_days": valid_days, "reason": "Autumn event" })),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
}

#[tokio::test]
async fn charged_cash_is_credited_once_and_the_amount_must_be_the_charges() {
    let s = shop().await;
    let (login, _) = s.member("charge").await;
    let (status, started) = send(
        login
            .call(&s.app, Method::POST, "/v1/wallet/charges")
            .fresh_key()
            .json(&json!({ "amount": "10000" })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{started}");
    let order_id = started["order_id"].as_str().expect("order id").to_owned();

    let cheap = s.provider.toss_authorize(&order_id, 100);
    let (status, problem) = s.confirm(&login, &cheap, &order_id, 100).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(problem["errors"][0]["code"], "amount_mismatch");
    assert_eq!(s.provider.toss_confirm_calls(), 0);

    let key = s.provider.toss_authorize(&order_id, 10_000);
    for _ in 0..2 {
        let (status, payment) = s.confirm(&login, &key, &order_id, 10_000).await;
        assert_eq!(status, StatusCode::OK, "{payment}");
    }
    let wallet = s.wallet(&login).await;
    assert_eq!(money(&wallet["charged"]), 10_000);
    assert_eq!(money(&wallet["refundable"]), 10_000);
    assert_eq!(wallet["ledger"].as_array().expect("ledger").len(), 1);
    assert_eq!(s.provider.toss_charges(), 1);

    // A paid charge cannot be paid again with another payment.
    let again = s.provider.toss_authorize(&order_id, 10_000);
    let (status, problem) = s.confirm(&login, &again, &order_id, 10_000).await;
    assert_eq!(status, StatusCode::CONFLICT, "{problem}");
    assert_eq!(problem["code"], "charge_not_payable");

    // Out of range, and guests have no wallet.
    let (status, problem) = send(
        login
            .call(&s.app, Method::POST, "/v1/wallet/charges")
            .fresh_key()
            .json(&json!({ "amount": "500" })),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "amount");
    let guest = shop::guest(&s.app).await;
    let (status, _) = send(guest.call(&s.app, Method::GET, "/v1/me/wallet")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn checkout_spends_cash_in_the_wallets_order_and_a_release_gives_it_back() {
    let s = shop().await;
    let (login, user_id) = s.member("spender").await;
    s.charge(&login, 10_000).await;
    s.grant_bonus(&user_id, 3_000, 10).await;
    s.grant_bonus(&user_id, 2_000, 5).await;
    let wallet = s.wallet(&login).await;
    assert_eq!(money(&wallet["total"]), 15_000);
    assert_eq!(money(&wallet["bonus"]), 5_000);
    // Bonus cash is never refundable.
    assert_eq!(money(&wallet["refundable"]), 10_000);
    let kinds: Vec<&str> = wallet["lots"]
        .as_array()
        .expect("lots")
        .iter()
        .map(|l| l["kind"].as_str().expect("kind"))
        .collect();
    assert_eq!(kinds, vec!["bonus", "bonus", "charge"]);

    let (status, _) = add_to_cart(&s.app, &login, s.sku, 1).await;
    assert!(status.is_success());
    let (status, created) = checkout(
        &s.app,
        &login,
        &Uuid::new_v4().to_string(),
        &checkout_body(json!({ "cash": "6000" })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    // 20,000 + 3,000 shipping, 6,000 of it in cash.
    assert_eq!(money(&created["payable_amount"]), 17_000);

    // The lot expiring first, then the next, then charged cash.
    let spends = s
        .app
        .db
        .query_text(
            "SELECT l.kind || ':' || (-e.amount)::bigint AS value FROM cash_ledger e \
             JOIN cash_ledger l ON l.id = e.lot_id WHERE e.kind = 'spend' ORDER BY e.id",
        )
        .await;
    assert_eq!(spends, vec!["bonus:2000", "bonus:3000", "charge:1000"]);
    assert_eq!(money(&s.wallet(&login).await["total"]), 9_000);

    // More than the wallet holds is refused, naming the field.
    let (_, _) = add_to_cart(&s.app, &login, s.sku, 1).await;
    let (status, problem) = checkout(
        &s.app,
        &login,
        &Uuid::new_v4().to_string(),
        &checkout_body(json!({ "cash": "9001" })),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(problem["errors"][0]["field"], "cash");

    // Cancelling the unpaid order gives every lot back what it took.
    let order_id = created["purchase_order_id"].as_str().expect("id");
    let (status, _) = send(
        login
            .call(
                &s.app,
                Method::POST,
                &format!("/v1/orders/{order_id}/cancel"),
            )
            .fresh_key(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let wallet = s.wallet(&login).await;
    assert_eq!(money(&wallet["total"]), 15_000);
    assert_eq!(money(&wallet["bonus"]), 5_000);
}

#[tokio::test]
async fn an_order_that_cash_covers_in_full_is_paid_at_checkout() {
    let s = shop().await;
    let (login, _) = s.member("all-cash").await;
    s.charge(&login, 30_000).await;
    let (status, _) = add_to_cart(&s.app, &login, s.sku, 1).await;
    assert!(status.is_success());
    let (status, created) = checkout(
        &s.app,
        &login,
        &Uuid::new_v4().to_string(),
        &checkout_body(json!({ "cash": "23000" })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["status"], "paid");
    assert_eq!(money(&created["payable_amount"]), 0);
    assert_eq!(shop::stock_of(&s.app, s.sku).await, (9, 0));
    let order_id = created["purchase_order_id"].as_str().expect("id");
    let (_, order) = send(login.call(&s.app, Method::GET, &format!("/v1/orders/{order_id}"))).await;
    assert_eq!(order["status"], "paid");
    assert_eq!(money(&s.wallet(&login).await["total"]), 7_000);
    // Nothing is left for a provider.
    let (status, problem) = send(
        login
            .call(&s.app, Method::POST, "/v1/payments/kakaopay/ready")
            .json(&json!({ "purchase_order_id": order_id })),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{problem}");
    assert_eq!(problem["code"], "order_already_paid");
    shop::assert_allocations_exact(&s.app).await;
}
