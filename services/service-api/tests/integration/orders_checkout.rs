//! Cart → checkout → test payment over HTTP against the real stores: the
//! three tiers with every allocation, idempotency, price changes, holds that
//! expire and give everything back, guests, and cart merging on login.
#![expect(clippy::expect_used, reason = "test helpers fail loudly")]

use persistence::kernel::lots::{self, Ledger};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use testkit::FreshKey;
use testkit::SendJson as _;
use testkit::catalog::{self, Listing, Sku, sku};
use testkit::shop::{self, add_to_cart, checkout, checkout_body, pay};
use testkit::shoppers::{self, Login, PASSWORD};
use testkit::{TestApp, TestMail, staff};
use uuid::Uuid;

struct Shop {
    app: TestApp,
    seller: Uuid,
    category: i64,
}

async fn shop() -> Shop {
    let app = TestApp::spawn(service_api::SERVICE).await;
    let category = catalog::category(&app, None, "tops").await;
    let seller = staff::seller(&app, "Seoul Denim").await;
    Shop {
        app,
        seller,
        category,
    }
}

impl Shop {
    /// A listed product with these SKUs; returns their ids.
    async fn listed(&self, seller: Uuid, name: &str, skus: Vec<Sku>) -> Vec<Uuid> {
        let product = catalog::product(
            &self.app,
            Listing {
                seller_id: seller,
                category_id: self.category,
                brand_id: None,
                name,
                description: "",
                status: "on_sale",
                skus,
            },
        )
        .await;
        shop::skus_of(&self.app, product).await
    }

    async fn member(&self, label: &str) -> Login {
        let email = shoppers::active_shopper(&self.app, label).await;
        shoppers::log_in(&self.app, &email, PASSWORD).await
    }

    /// How many purchase orders exist.
    async fn orders(&self) -> i64 {
        self.count("SELECT count(*)::text AS value FROM purchase_orders")
            .await
    }

    async fn count(&self, sql: &str) -> i64 {
        self.app.db.query_text(sql).await[0]
            .parse()
            .expect("fixture")
    }
}

fn money(value: &Value) -> i64 {
    value
        .as_str()
        .unwrap_or_else(|| panic!("not a money string: {value}"))
        .parse::<rust_decimal::Decimal>()
        .expect("fixture")
        .try_into()
        .expect("fixture")
}

#[tokio::test]
async fn a_member_checks_out_pays_and_every_tier_adds_up() {
    let s = shop().await;
    let other_seller = staff::seller(&s.app, "Hanok Knit").await;
    s.app
        .db
        .run_sql(&format!(
            "UPDATE sellers SET free_shipping_threshold = 50000 WHERE id = '{}'",
            s.seller
        ))
        .await
        .unwrap();
    let shirt = s
        .listed(
            s.seller,
            "Linen shirt",
            vec![Sku {
                list_price: 30_000,
                sale_price: Some(25_000),
                stock: 10,
            }],
        )
        .await[0];
    let scarf = s.listed(s.seller, "Silk scarf", vec![sku(10_000, 5)]).await[0];
    let knit = s
        .listed(other_seller, "Wool knit", vec![sku(40_000, 3)])
        .await[0];
    let me = s.member("buyer").await;

    for (sku_id, quantity) in [(shirt, 2), (scarf, 1), (knit, 1)] {
        let (status, _) = add_to_cart(&s.app, &me, sku_id, quantity).await;
        assert_eq!(status, StatusCode::OK);
    }
    let cart: Value = me.call(&s.app, Method::GET, "/v1/cart").json_body().await;
    let groups = cart["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 2, "one group per vendor: {cart}");
    let denim = groups
        .iter()
        .find(|g| g["seller_name"] == "Seoul Denim")
        .unwrap();
    assert_eq!(money(&denim["items_amount"]), 60_000);
    assert_eq!(money(&denim["shipping_fee"]), 0, "free from 50 000");
    let knit_group = groups
        .iter()
        .find(|g| g["seller_name"] == "Hanok Knit")
        .unwrap();
    assert_eq!(money(&knit_group["shipping_fee"]), 3_000);
    assert_eq!(money(&cart["total"]), 103_000);

    let quote: Value = me
        .call(&s.app, Method::POST, "/v1/checkout/quote")
        .json(&json!({ "postal_code": "63100" }))
        .json_body()
        .await;
    assert_eq!(money(&quote["totals"]["product_discount"]), 10_000);
    assert_eq!(
        money(&quote["totals"]["shipping_fee"]),
        3_000 + 6_000,
        "Jeju adds the surcharge: {quote}"
    );

    let (status, created) = checkout(&s.app, &me, "order-1", &checkout_body(json!({}))).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(money(&created["payable_amount"]), 103_000);
    assert_eq!(created["currency"], "KRW");
    assert!(created["order_no"].as_str().unwrap().len() >= 16);
    assert_eq!(
        shop::stock_of(&s.app, shirt).await,
        (10, 2),
        "reserved, not yet sold"
    );
    let cart: Value = me.call(&s.app, Method::GET, "/v1/cart").json_body().await;
    assert_eq!(cart["groups"], json!([]), "bought lines leave the cart");

    let id = created["purchase_order_id"].as_str().unwrap();
    // Time-ordered (UUIDv7), down to the holds: new index entries go to the
    // newest pages.
    let versions = s
        .app
        .db
        .query_text(&format!(
            "SELECT string_agg(DISTINCT substr(v::text, 15, 1), ',') AS value FROM ( \
             SELECT id AS v FROM purchase_orders WHERE id = '{id}' \
             UNION ALL SELECT id FROM seller_orders WHERE purchase_order_id = '{id}' \
             UNION ALL SELECT id FROM product_orders WHERE purchase_order_id = '{id}' \
             UNION ALL SELECT id FROM inventory_reservations WHERE purchase_order_id = '{id}') ids"
        ))
        .await;
    assert_eq!(
        versions,
        ["7"],
        "the version digit of every id of the order"
    );
    let order: Value = me
        .call(&s.app, Method::GET, &format!("/v1/orders/{id}"))
        .json_body()
        .await;
    assert_eq!(order["status"], "pending_payment");
    assert_eq!(order["seller_orders"].as_array().unwrap().len(), 2);
    let lines: Vec<&Value> = order["seller_orders"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["product_orders"].as_array().unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(
        order["delivery"]["address"]["line1"],
        "123 Teheran-ro, Gangnam-gu, Seoul"
    );

    let (status, paid) = pay(&s.app, &me, id).await;
    assert_eq!(status, StatusCode::OK, "{paid}");
    assert_eq!(paid["status"], "paid");
    assert_eq!(paid["payment_method"], "test");
    assert!(
        paid["seller_orders"]
            .as_array()
            .unwrap()
            .iter()
            .all(|so| so["status"] == "paid")
    );
    assert_eq!(
        shop::stock_of(&s.app, shirt).await,
        (8, 0),
        "sold: out of stock on hand"
    );
    assert_eq!(
        s.count(&format!("SELECT count(*)::text AS value FROM inventory_movements WHERE sku_id = '{shirt}' AND reason = 'sold' AND delta = -2")).await,
        1
    );
    let (again, _) = pay(&s.app, &me, id).await;
    assert_eq!(again, StatusCode::OK, "confirming twice answers the same");
    assert_eq!(
        shop::stock_of(&s.app, shirt).await,
        (8, 0),
        "and takes nothing twice"
    );

    // The outbox: one job, which emails the shopper.
    assert_eq!(
        s.count("SELECT count(*)::text AS value FROM jobs WHERE kind = 'orders.paid'")
            .await,
        1
    );
    s.app.run_jobs().await;
    let email = TestMail::from_env()
        .messages_to(&shoppers_email(&s.app).await)
        .await;
    assert!(
        email.iter().any(|m| m["subject"]
            .as_str()
            .unwrap_or_default()
            .contains("is confirmed")),
        "order email"
    );

    let list: Value = me.call(&s.app, Method::GET, "/v1/orders").json_body().await;
    assert_eq!(list["total"], 1);
    shop::assert_allocations_exact(&s.app).await;
}

async fn shoppers_email(app: &TestApp) -> String {
    // The only member of these tests' database that placed an order.
    let id = app
        .db
        .query_text(
            "SELECT user_id::text AS value FROM purchase_orders WHERE user_id IS NOT NULL LIMIT 1",
        )
        .await;
    let user = Uuid::parse_str(&id[0]).expect("fixture");
    let mut conn = app.db.conn().await;
    persistence::identity::users::find(&mut conn, user)
        .await
        .expect("fixture")
        .email
        .value()
        .expect("fixture")
        .to_owned()
}

#[tokio::test]
async fn the_idempotency_key_is_required_replays_and_refuses_another_body() {
    let s = shop().await;
    let item = s.listed(s.seller, "Tee", vec![sku(20_000, 5)]).await[0];
    let me = s.member("retrier").await;
    add_to_cart(&s.app, &me, item, 1).await;

    let without = me
        .call(&s.app, Method::POST, "/v1/checkout")
        .json(&checkout_body(json!({})))
        .send()
        .await
        .unwrap();
    assert_eq!(without.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        without.json::<Value>().await.unwrap()["code"],
        "idempotency_key_required"
    );

    let body = checkout_body(json!({}));
    let (first, created) = checkout(&s.app, &me, "key-A", &body).await;
    assert_eq!(first, StatusCode::CREATED, "{created}");
    let (second, replayed) = checkout(&s.app, &me, "key-A", &body).await;
    assert_eq!(second, StatusCode::CREATED);
    assert_eq!(replayed, created, "the first answer again");
    assert_eq!(s.orders().await, 1, "never two orders for one key");
    assert_eq!(shop::stock_of(&s.app, item).await, (5, 1));

    let other = checkout_body(
        json!({ "shipping": { "recipient_name": "Someone else", "recipient_phone": "010-9999-0000", "postal_code": "06236", "address_line1": "elsewhere" } }),
    );
    let (status, problem) = checkout(&s.app, &me, "key-A", &other).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(problem["code"], "validation_failed");
    assert_eq!(problem["errors"][0]["code"], "idempotency_key_reused");

    // Another request still running under a key: refused, not run twice.
    let scope = format!("checkout:{}", subject_of(&s.app, &me).await);
    s.app.db.run_sql(&format!(
        "INSERT INTO idempotency_keys (scope, key, request_hash) VALUES ('{scope}', 'key-B', '\\x00')"
    )).await.unwrap();
    add_to_cart(&s.app, &me, item, 1).await;
    let (status, problem) = checkout(&s.app, &me, "key-B", &checkout_body(json!({}))).await;
    // Its hash differs from ours, so the body check answers first…
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    let hash = body_hash(&s.app, &scope, "key-A").await;
    s.app.db.run_sql(&format!(
        "INSERT INTO idempotency_keys (scope, key, request_hash) VALUES ('{scope}', 'key-C', '\\x{hash}')"
    )).await.unwrap();
    // …and with the same body it is still running: 409.
    let (status, problem) = checkout(&s.app, &me, "key-C", &body).await;
    assert_eq!(status, StatusCode::CONFLICT, "{problem}");
    assert_eq!(problem["code"], "idempotency_key_in_use");
    assert_eq!(s.orders().await, 1);

    // …until two minutes without an answer tell its process died: then the
    // key is taken over, runs once, and its answer is kept.
    s.app.db.run_sql(&format!(
        "UPDATE idempotency_keys SET locked_at = now() - interval '3 minutes' WHERE scope = '{scope}' AND key = 'key-C'"
    )).await.unwrap();
    let (status, taken_over) = checkout(&s.app, &me, "key-C", &body).await;
    assert_eq!(status, StatusCode::CREATED, "{taken_over}");
    let (again, replayed) = checkout(&s.app, &me, "key-C", &body).await;
    assert_eq!(again, StatusCode::CREATED);
    assert_eq!(replayed, taken_over, "the taken-over key's answer again");
    assert_eq!(s.orders().await, 2);
}

#[tokio::test]
async fn a_retry_while_the_first_checkout_runs_is_refused_at_once_and_later_replayed() {
    let s = shop().await;
    let item = s.listed(s.seller, "Scarf", vec![sku(30_000, 5)]).await[0];
    let me = s.member("impatient").await;
    add_to_cart(&s.app, &me, item, 1).await;
    let body = checkout_body(json!({}));
    // The first checkout stops at taking its holds, inside its transaction,
    // holding the key and the shopper's checkout lock.
    let stock = s
        .app
        .db
        .hold_lock(&format!(
            "SELECT 1 FROM skus WHERE id = '{item}' FOR UPDATE"
        ))
        .await;
    let first = checkout(&s.app, &me, "key-R", &body);
    let retry_meanwhile = async {
        s.app.db.until_a_session_waits_for_a_lock().await;
        // Waiting for the first to finish would mean waiting for the test.
        let retry = tokio::time::timeout(
            std::time::Duration::from_secs(10),
            checkout(&s.app, &me, "key-R", &body),
        )
        .await
        .expect("the retry is answered while the first still runs");
        stock.release().await;
        retry
    };
    let ((status, created), (retry_status, problem)) = tokio::join!(first, retry_meanwhile);
    assert_eq!(retry_status, StatusCode::CONFLICT, "{problem}");
    assert_eq!(problem["code"], "idempotency_key_in_use");
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let (again, replayed) = checkout(&s.app, &me, "key-R", &body).await;
    assert_eq!(again, StatusCode::CREATED);
    assert_eq!(replayed, created, "the first answer again");
    assert_eq!(s.orders().await, 1, "never two orders for one key");
}

async fn subject_of(app: &TestApp, login: &Login) -> String {
    let session: Value = login
        .call(app, Method::GET, "/v1/auth/session")
        .send()
        .await
        .expect("fixture")
        .json()
        .await
        .expect("fixture");
    session["subject"].as_str().expect("fixture").to_owned()
}

async fn body_hash(app: &TestApp, scope: &str, key: &str) -> String {
    app.db
        .query_text(&format!("SELECT encode(request_hash, 'hex') AS value FROM idempotency_keys WHERE scope = '{scope}' AND key = '{key}'"))
        .await[0]
        .clone()
}

#[tokio::test]
async fn a_price_change_since_the_cart_is_listed_then_accepted_once_shown() {
    let s = shop().await;
    let item = s.listed(s.seller, "Coat", vec![sku(100_000, 5)]).await[0];
    let me = s.member("watcher").await;
    add_to_cart(&s.app, &me, item, 1).await;
    s.app
        .db
        .run_sql(&format!(
            "UPDATE skus SET list_price = 120000 WHERE id = '{item}'"
        ))
        .await
        .unwrap();

    let cart: Value = me.call(&s.app, Method::GET, "/v1/cart").json_body().await;
    assert_eq!(cart["groups"][0]["lines"][0]["price_changed"], true);
    let (status, problem) = checkout(&s.app, &me, "k1", &checkout_body(json!({}))).await;
    assert_eq!(status, StatusCode::CONFLICT, "{problem}");
    assert_eq!(problem["code"], "prices_changed");
    assert_eq!(problem["changes"][0]["sku_id"], item.to_string());
    assert_eq!(money(&problem["changes"][0]["cart_price"]), 100_000);
    assert_eq!(money(&problem["changes"][0]["current_price"]), 120_000);
    assert_eq!(
        shop::stock_of(&s.app, item).await,
        (5, 0),
        "nothing reserved"
    );

    let (status, created) = checkout(&s.app, &me, "k1", &checkout_body(json!({}))).await;
    assert_eq!(
        status,
        StatusCode::CREATED,
        "the same key works once the change was shown: {created}"
    );
    assert_eq!(money(&created["payable_amount"]), 123_000);
}

#[tokio::test]
async fn unpaid_orders_expire_and_give_back_stock_coupons_and_points() {
    let s = shop().await;
    let item = s.listed(s.seller, "Boots", vec![sku(50_000, 1)]).await[0];
    let me = s.member("slow-payer").await;
    let user_id = Uuid::parse_str(&subject_of(&s.app, &me).await).unwrap();
    let coupon = Uuid::new_v4();
    s.app.db.run_sql(&format!(
        "INSERT INTO coupons (id, name, issue_method, discount_kind, discount_amount, valid_from, valid_until) \
         VALUES ('{coupon}', 'Welcome', 'download', 'fixed', 5000, now() - interval '1 day', now() + interval '30 days')"
    )).await.unwrap();
    let claimed: Value = me
        .call(&s.app, Method::POST, &format!("/v1/coupons/{coupon}/claim"))
        .fresh_key()
        .json_body()
        .await;
    let issue = claimed["id"].as_str().unwrap().to_owned();
    {
        let mut conn = s.app.db.conn().await;
        let soon = chrono::Utc::now() + chrono::Duration::days(10);
        let later = chrono::Utc::now() + chrono::Duration::days(100);
        lots::grant(
            &mut conn,
            Ledger::Points,
            user_id,
            3000.into(),
            later,
            "later",
        )
        .await
        .unwrap();
        lots::grant(
            &mut conn,
            Ledger::Points,
            user_id,
            1000.into(),
            soon,
            "sooner",
        )
        .await
        .unwrap();
    }
    add_to_cart(&s.app, &me, item, 1).await;
    let body = checkout_body(json!({ "platform_coupon_id": issue, "points": "1500" }));
    let (status, created) = checkout(&s.app, &me, "expiring", &body).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(
        money(&created["payable_amount"]),
        50_000 + 3_000 - 5_000 - 1_500
    );
    let points: Value = me
        .call(&s.app, Method::GET, "/v1/me/points")
        .json_body()
        .await;
    assert_eq!(money(&points["balance"]), 2_500);
    assert_eq!(
        points["lots"].as_array().unwrap().len(),
        1,
        "the lot expiring first is spent first: {points}"
    );
    let coupons: Value = me
        .call(&s.app, Method::GET, "/v1/me/coupons")
        .json_body()
        .await;
    assert_eq!(coupons["items"], json!([]), "held by the order");
    let product: Value = s
        .app
        .get_json(&format!("/v1/products/{}", product_of(&s.app, item).await))
        .await;
    assert_eq!(
        product["in_stock"], false,
        "the only unit is held: {product}"
    );

    // The hold ends; the schedule releases it.
    s.app
        .db
        .run_sql("UPDATE purchase_orders SET expires_at = now() - interval '1 second'")
        .await
        .unwrap();
    let id = created["purchase_order_id"].as_str().unwrap();
    let (status, problem) = pay(&s.app, &me, id).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(problem["code"], "order_expired");
    assert_eq!(
        app::orders::holds::release_expired(&s.app.state.context)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        app::orders::holds::release_expired(&s.app.state.context)
            .await
            .unwrap(),
        0,
        "once"
    );

    let order: Value = me
        .call(&s.app, Method::GET, &format!("/v1/orders/{id}"))
        .json_body()
        .await;
    assert_eq!(order["status"], "expired");
    assert_eq!(shop::stock_of(&s.app, item).await, (1, 0));
    let points: Value = me
        .call(&s.app, Method::GET, "/v1/me/points")
        .json_body()
        .await;
    assert_eq!(money(&points["balance"]), 4_000, "points restored");
    let coupons: Value = me
        .call(&s.app, Method::GET, "/v1/me/coupons")
        .json_body()
        .await;
    assert_eq!(coupons["items"][0]["id"], issue, "coupon given back");
    let product: Value = s
        .app
        .get_json(&format!("/v1/products/{}", product_of(&s.app, item).await))
        .await;
    assert_eq!(product["in_stock"], true);
    shop::assert_allocations_exact(&s.app).await;
}

async fn product_of(app: &TestApp, sku_id: Uuid) -> String {
    app.db
        .query_text(&format!(
            "SELECT product_id::text AS value FROM skus WHERE id = '{sku_id}'"
        ))
        .await[0]
        .clone()
}

#[tokio::test]
async fn shoppers_cancel_unpaid_orders_and_cannot_hold_more_than_the_cap() {
    let s = shop().await;
    // Two SKUs an order, so two holds: the cap counts orders, not holds.
    let skus = s
        .listed(s.seller, "Socks", vec![sku(5_000, 100), sku(5_500, 100)])
        .await;
    let (item, other) = (skus[0], skus[1]);
    let me = s.member("hoarder").await;
    let mut ids = Vec::new();
    for n in 0..3 {
        add_to_cart(&s.app, &me, item, 1).await;
        add_to_cart(&s.app, &me, other, 1).await;
        let (status, created) =
            checkout(&s.app, &me, &format!("hold-{n}"), &checkout_body(json!({}))).await;
        assert_eq!(status, StatusCode::CREATED);
        ids.push(created["purchase_order_id"].as_str().unwrap().to_owned());
    }
    add_to_cart(&s.app, &me, item, 1).await;
    let (status, problem) = checkout(&s.app, &me, "hold-3", &checkout_body(json!({}))).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{problem}");
    assert_eq!(problem["code"], "too_many_open_orders");
    assert_eq!(shop::stock_of(&s.app, item).await, (100, 3));
    assert_eq!(shop::stock_of(&s.app, other).await, (100, 3));

    let cancelled = me
        .call(
            &s.app,
            Method::POST,
            &format!("/v1/orders/{}/cancel", ids[0]),
        )
        .fresh_key()
        .send()
        .await
        .unwrap();
    assert_eq!(cancelled.status(), StatusCode::OK);
    assert_eq!(
        cancelled.json::<Value>().await.unwrap()["status"],
        "cancelled"
    );
    assert_eq!(shop::stock_of(&s.app, item).await, (100, 2));
    let (status, _) = checkout(&s.app, &me, "hold-4", &checkout_body(json!({}))).await;
    assert_eq!(
        status,
        StatusCode::CREATED,
        "room again after a cancellation"
    );

    let (_, paid) = pay(&s.app, &me, &ids[1]).await;
    assert_eq!(paid["status"], "paid");
    let again = me
        .call(
            &s.app,
            Method::POST,
            &format!("/v1/orders/{}/cancel", ids[1]),
        )
        .fresh_key()
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::CONFLICT);
    let someone = s.member("someone").await;
    let theirs = someone
        .call(&s.app, Method::GET, &format!("/v1/orders/{}", ids[1]))
        .send()
        .await
        .unwrap();
    assert_eq!(
        theirs.status(),
        StatusCode::NOT_FOUND,
        "another shopper's order is not found"
    );
}

#[tokio::test]
async fn guests_check_out_without_benefits_and_find_the_order_by_number_and_phone() {
    let s = shop().await;
    let item = s.listed(s.seller, "Cap", vec![sku(15_000, 5)]).await[0];
    let guest = shop::guest(&s.app).await;
    add_to_cart(&s.app, &guest, item, 1).await;
    let (status, problem) = checkout(
        &s.app,
        &guest,
        "g1",
        &checkout_body(json!({ "points": "100" })),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(problem["code"], "members_only");

    let no_email =
        checkout_body(json!({ "orderer": { "name": "Guest", "phone": "+82 10-5555-6666" } }));
    let (status, problem) = checkout(&s.app, &guest, "g2", &no_email).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "orderer_email");
    let address = TestMail::unique_address("guest-buyer");
    let body = checkout_body(json!({
        "orderer": { "name": "Guest", "phone": "+82 10-5555-6666", "email": address }
    }));
    let (status, created) = checkout(&s.app, &guest, "g2", &body).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let (status, _) = pay(
        &s.app,
        &guest,
        created["purchase_order_id"].as_str().unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    s.app.run_jobs().await;
    let mail = TestMail::from_env().messages_to(&address).await;
    assert_eq!(mail.len(), 1, "the guest's order email");
    assert!(
        mail[0]["text"].as_str().unwrap().contains("(18000 KRW)"),
        "{}",
        mail[0]["text"]
    );

    let no = created["order_no"].as_str().unwrap();
    let lookup = |phone: &str| {
        s.app
            .post("/v1/guest-orders/lookup")
            .json(&json!({ "order_no": no, "phone": phone }))
            .send()
    };
    let found = lookup("010-5555-6666").await.unwrap();
    assert_eq!(found.status(), StatusCode::OK);
    let found: Value = found.json().await.unwrap();
    assert_eq!(found["status"], "paid");
    let wrong = lookup("010-5555-6667").await.unwrap();
    assert_eq!(wrong.status(), StatusCode::NOT_FOUND);
    // The phone is never taken from a URL, where access logs would keep it.
    let in_url = s
        .app
        .get(&format!(
            "/v1/guest-orders?order_no={no}&phone=010-5555-6666"
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(in_url.status(), StatusCode::NOT_FOUND);
    shop::assert_allocations_exact(&s.app).await;
}

#[tokio::test]
async fn a_guest_cart_merges_into_the_member_cart_on_login_capped_by_stock() {
    let s = shop().await;
    let scarce = s.listed(s.seller, "Scarce", vec![sku(10_000, 2)]).await[0];
    let plenty = s.listed(s.seller, "Plenty", vec![sku(10_000, 50)]).await[0];
    let email = shoppers::active_shopper(&s.app, "merger").await;
    let member = shoppers::log_in(&s.app, &email, PASSWORD).await;
    add_to_cart(&s.app, &member, scarce, 1).await;

    let device = Uuid::new_v4();
    let guest = shop::guest_on(&s.app, device).await;
    add_to_cart(&s.app, &guest, scarce, 2).await;
    add_to_cart(&s.app, &guest, plenty, 3).await;

    let login = s.app.post("/v1/auth/login").header("x-device-id", device.to_string())
        .json(&json!({ "email": email, "password": PASSWORD, "guest_access_token": guest.access_token }))
        .send().await.unwrap();
    assert_eq!(login.status(), StatusCode::OK);
    let cart: Value = member
        .call(&s.app, Method::GET, "/v1/cart")
        .json_body()
        .await;
    let lines = cart["groups"][0]["lines"].as_array().unwrap();
    let quantity = |sku: Uuid| {
        lines
            .iter()
            .find(|l| l["sku_id"] == sku.to_string())
            .map(|l| l["quantity"].as_i64().unwrap())
    };
    assert_eq!(quantity(scarce), Some(2), "1 + 2 capped at the 2 in stock");
    assert_eq!(quantity(plenty), Some(3));
    let guest_cart: Value = guest
        .call(&s.app, Method::GET, "/v1/cart")
        .json_body()
        .await;
    assert_eq!(guest_cart["groups"], json!([]), "the guest cart is gone");
}

#[tokio::test]
async fn adult_items_limits_and_unavailable_items_are_refused_clearly() {
    let s = shop().await;
    let adult = s.listed(s.seller, "Adult item", vec![sku(10_000, 5)]).await[0];
    let limited = s.listed(s.seller, "Limited", vec![sku(10_000, 50)]).await[0];
    s.app.db.run_sql(&format!("UPDATE products SET adult_only = true WHERE id = (SELECT product_id FROM skus WHERE id = '{adult}')")).await.unwrap();
    s.app.db.run_sql(&format!("UPDATE products SET max_per_order = 2 WHERE id = (SELECT product_id FROM skus WHERE id = '{limited}')")).await.unwrap();
    let me = s.member("minor").await;

    let (status, problem) = add_to_cart(&s.app, &me, adult, 1).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(problem["code"], "adult_verification_required");
    let (status, problem) = add_to_cart(&s.app, &me, limited, 3).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["code"], "max_per_order");
    let (status, problem) = add_to_cart(&s.app, &me, limited, 51).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");

    let (status, _) = add_to_cart(&s.app, &me, limited, 2).await;
    assert_eq!(status, StatusCode::OK);
    s.app.db.run_sql(&format!("UPDATE products SET status = 'hidden' WHERE id = (SELECT product_id FROM skus WHERE id = '{limited}')")).await.unwrap();
    let (status, problem) = checkout(&s.app, &me, "x", &checkout_body(json!({}))).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(problem["code"], "items_unavailable");
    assert_eq!(problem["items"][0]["reason"], "not_on_sale");

    let empty = s.member("empty").await;
    let (status, problem) = checkout(&s.app, &empty, "y", &checkout_body(json!({}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["code"], "cart_empty");
    let (status, problem) = checkout(&s.app, &me, "z", &checkout_body(json!({ "shipping": { "recipient_name": "A", "recipient_phone": "010-1234-5678", "postal_code": "123", "address_line1": "x" } }))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "postal_code");
    assert_eq!(s.orders().await, 0, "nothing half-written");
}

#[tokio::test]
async fn cart_lines_change_and_go_only_for_their_owner() {
    let s = shop().await;
    let item = s.listed(s.seller, "Belt", vec![sku(12_000, 4)]).await[0];
    let me = s.member("owner").await;
    let (_, cart) = add_to_cart(&s.app, &me, item, 1).await;
    let (status, again) = add_to_cart(&s.app, &me, item, 2).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        again["groups"][0]["lines"][0]["quantity"], 3,
        "the same SKU adds up"
    );
    let (status, problem) = add_to_cart(&s.app, &me, item, 2).await;
    assert_eq!(status, StatusCode::CONFLICT, "5 > 4 in stock: {problem}");
    assert_eq!(problem["code"], "stock_insufficient");
    let line = cart["groups"][0]["lines"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let other = s.member("intruder").await;
    for method in [Method::PATCH, Method::DELETE] {
        let response = other
            .call(&s.app, method, &format!("/v1/cart/items/{line}"))
            .json(&json!({ "quantity": 1 }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "not their line");
    }
    let changed: Value = me
        .call(&s.app, Method::PATCH, &format!("/v1/cart/items/{line}"))
        .json(&json!({ "quantity": 4 }))
        .json_body()
        .await;
    assert_eq!(changed["groups"][0]["lines"][0]["quantity"], 4);
    assert_eq!(
        money(&changed["groups"][0]["lines"][0]["line_amount"]),
        48_000
    );
    let zero = me
        .call(&s.app, Method::PATCH, &format!("/v1/cart/items/{line}"))
        .json(&json!({ "quantity": 0 }))
        .send()
        .await
        .unwrap();
    assert_eq!(zero.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let removed: Value = me
        .call(&s.app, Method::DELETE, &format!("/v1/cart/items/{line}"))
        .json_body()
        .await;
    assert_eq!(removed["groups"], json!([]));
}

#[tokio::test]
async fn a_suspended_vendor_cannot_sell_and_the_test_method_is_off_in_production() {
    let s = shop().await;
    let item = s.listed(s.seller, "Scarf", vec![sku(9_000, 4)]).await[0];
    let me = s.member("late").await;
    add_to_cart(&s.app, &me, item, 1).await;
    let (status, created) = checkout(&s.app, &me, "before", &checkout_body(json!({}))).await;
    assert_eq!(status, StatusCode::CREATED);
    add_to_cart(&s.app, &me, item, 1).await;
    s.app
        .db
        .run_sql(&format!(
            "UPDATE sellers SET status = 'suspended' WHERE id = '{}'",
            s.seller
        ))
        .await
        .unwrap();
    let (status, problem) = checkout(&s.app, &me, "after", &checkout_body(json!({}))).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(problem["code"], "items_unavailable");

    let production = s.app.sibling_with(service_api::SERVICE, |settings| {
        settings.checkout.test_payments = false;
    });
    let (status, problem) = pay(
        &production,
        &me,
        created["purchase_order_id"].as_str().unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(problem["code"], "payment_method_disabled");
}
