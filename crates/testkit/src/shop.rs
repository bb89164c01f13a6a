//! Shopping fixtures over the service-api contract: guests, carts,
//! checkout and the test payment; and the SQL check that every order's
//! money adds up.

use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::FreshKey;
use crate::shoppers::Login;
use crate::{TestApp, TestServer};

/// A guest session on a fresh device.
pub async fn guest(server: &TestServer) -> Login {
    guest_on(server, Uuid::new_v4()).await
}

/// A guest session on `device`, opened from an address of its own as real
/// buyers' are (guest sessions are limited per address).
pub async fn guest_on(server: &TestServer, device: Uuid) -> Login {
    let response = server
        .post("/v1/auth/guest")
        .header("x-device-id", device.to_string())
        .header("x-forwarded-for", benchmark_address(device))
        .send()
        .await
        .expect("guest request");
    let status = response.status();
    let body: Value = response.json().await.expect("guest body");
    Login {
        status,
        access_token: body["access_token"].as_str().unwrap_or_default().to_owned(),
        refresh_token: body["refresh_token"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        token_type: body["token_type"].as_str().unwrap_or_default().to_owned(),
        device,
    }
}

/// The SKUs of a product, in option order.
pub async fn skus_of(app: &TestApp, product_id: Uuid) -> Vec<Uuid> {
    app.db
        .query_text(&format!(
            "SELECT id::text AS value FROM skus WHERE product_id = '{product_id}' ORDER BY option_values"
        ))
        .await
        .iter()
        .map(|id| Uuid::parse_str(id).expect("sku id"))
        .collect()
}

/// Adds a SKU to the cart; returns the answer's status and body.
pub async fn add_to_cart(
    server: &TestServer,
    login: &Login,
    sku_id: Uuid,
    quantity: i32,
) -> (reqwest::StatusCode, Value) {
    let response = login
        .call(server, Method::POST, "/v1/cart/items")
        .json(&json!({ "sku_id": sku_id, "quantity": quantity }))
        .send()
        .await
        .expect("add to cart");
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// A checkout body shipping to Seoul, merged with `extra` (coupons, points...).
pub fn checkout_body(extra: Value) -> Value {
    let mut body = json!({
        "orderer": { "name": "Kim Minji", "phone": "010-1234-5678", "email": "minji@shop.example" },
        "shipping": {
            "recipient_name": "Kim Minji",
            "recipient_phone": "010-1234-5678",
            "postal_code": "06236",
            "address_line1": "123 Teheran-ro, Gangnam-gu, Seoul",
            "address_line2": "Apt 101-1004"
        }
    });
    if let (Some(target), Value::Object(more)) = (body.as_object_mut(), extra) {
        target.extend(more);
    }
    body
}

/// Checks out under `key`; returns the answer's status and body.
pub async fn checkout(
    server: &TestServer,
    login: &Login,
    key: &str,
    body: &Value,
) -> (reqwest::StatusCode, Value) {
    let response = login
        .call(server, Method::POST, "/v1/checkout")
        .header("idempotency-key", key)
        .json(body)
        .send()
        .await
        .expect("checkout");
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// Pays with the test method; returns the answer's status and body.
pub async fn pay(
    server: &TestServer,
    login: &Login,
    purchase_order_id: &str,
) -> (reqwest::StatusCode, Value) {
    let response = login
        .call(server, Method::POST, "/v1/payments/test/confirm")
        .fresh_key()
        .json(&json!({ "purchase_order_id": purchase_order_id }))
        .send()
        .await
        .expect("test payment");
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// Fails unless every purchase order's money sums exactly over its product
/// orders and shipping (`persistence::orders::purchase_orders::ALLOCATION_CHECK`).
pub async fn assert_allocations_exact(app: &TestApp) {
    let mut conn = app.db.conn().await;
    let mismatches = persistence::orders::purchase_orders::allocation_mismatches(&mut conn)
        .await
        .expect("allocation check");
    assert!(
        mismatches.is_empty(),
        "orders whose money does not add up: {mismatches:?}"
    );
}

/// Fails unless every order adds up after its claims and every claim's
/// refund matches its card steps, the provider payments and the ledgers
/// (what `worker check-orders` checks).
pub async fn assert_claims_exact(app: &TestApp) {
    assert_allocations_exact(app).await;
    let mut conn = app.db.conn().await;
    let mismatches = persistence::claims::refunds::mismatches(&mut conn)
        .await
        .expect("claims check");
    assert!(
        mismatches.is_empty(),
        "claims whose refund does not add up: {mismatches:?}"
    );
    assert_journal_exact(app).await;
}

/// Fails unless the settlement journal balances and holds exactly the
/// earnings the confirmations call for (what `worker check-orders` checks).
pub async fn assert_journal_exact(app: &TestApp) {
    assert_journal_exact_at(app, chrono::Utc::now()).await;
}

/// The same, statements read as at `now` (a simulated clock's).
pub async fn assert_journal_exact_at(app: &TestApp, now: chrono::DateTime<chrono::Utc>) {
    let problems = app::settlement::journal::mismatches(&app.state.context, None, now)
        .await
        .expect("journal check");
    assert!(problems.is_empty(), "the journal disagrees: {problems:?}");
}

/// A vendor's balanced journal entry of `net` won at `at` (an earning when
/// positive, a clawback when negative), as accrual would post it: for tests
/// of what sweeps and statements make of entries.
pub async fn journal_entry(
    app: &TestApp,
    vendor: Uuid,
    net: i64,
    at: chrono::DateTime<chrono::Utc>,
) {
    use domain::settlement::journal::{Account, Entry, EntryKind};
    use persistence::settlement::journal::{NewEntry, post};
    let amount = rust_decimal::Decimal::from(net);
    let entry = Entry::default()
        .debit(Account::BuyerClearing, amount)
        .credit(Account::PayeePayable, amount);
    let mut conn = app.db.conn().await;
    post(
        &mut conn,
        &NewEntry {
            kind: if net > 0 {
                EntryKind::Earning
            } else {
                EntryKind::Clawback
            },
            source: format!("test:{}", Uuid::new_v4()),
            payee_kind: "seller",
            payee_id: vendor,
            purchase_order_id: None,
            seller_order_id: None,
            product_order_id: None,
            occurred_at: at,
            payout_batch_id: None,
        },
        &entry,
    )
    .await
    .expect("a journal entry");
}

/// `(on_hand, reserved)` of a SKU.
pub async fn stock_of(app: &TestApp, sku_id: Uuid) -> (i32, i32) {
    let row = app
        .db
        .query_text(&format!(
            "SELECT on_hand || ',' || reserved AS value FROM skus WHERE id = '{sku_id}'"
        ))
        .await;
    let (on_hand, reserved) = row[0].split_once(',').expect("stock row");
    (
        on_hand.parse().expect("on_hand"),
        reserved.parse().expect("reserved"),
    )
}

/// A bare paid-nothing order of `seller_id` (rows only, amounts all zero):
/// for tests about who may see which order. Returns the id of both tiers.
pub async fn bare_order(app: &TestApp, seller_id: Uuid) -> Uuid {
    let id = Uuid::new_v4();
    app.db
        .run_sql(&format!(
            "INSERT INTO purchase_orders (id, buyer, list_amount, product_discount, seller_coupon_discount, \
             platform_coupon_discount, platform_coupon_seller_funded, shipping_fee, points, cash, payable_amount, \
             orderer_name, orderer_phone, orderer_phone_index, recipient_name, recipient_phone, shipping_address, \
             postal_code, expires_at) \
             VALUES ('{id}', 'someone', 0, 0, 0, 0, 0, 0, 0, 0, 0, '', '', '', '', '', '', '06236', now())"
        ))
        .await
        .expect("purchase order");
    app.db
        .run_sql(&format!(
            "INSERT INTO seller_orders (id, purchase_order_id, seller_id, items_amount, shipping_fee, \
             shipping_points, shipping_cash, shipping_payable) \
             VALUES ('{id}', '{id}', '{seller_id}', 0, 0, 0, 0, 0)"
        ))
        .await
        .expect("seller order");
    id
}

/// A return requested on a one-line product order of `order_id` (made by
/// [`bare_order`]) for `seller_id`'s SKU: a claim row for tests of who may
/// reach it.
pub async fn bare_claim(
    app: &TestApp,
    seller_id: Uuid,
    order_id: Uuid,
    product_id: Uuid,
    sku_id: Uuid,
) -> Uuid {
    let line = Uuid::new_v4();
    let claim = Uuid::new_v4();
    for sql in [
        format!(
            "INSERT INTO product_orders (id, seller_order_id, purchase_order_id, seller_id, product_id, sku_id, \
             product_name, sku_code, option_values, status, quantity, unit_list_price, unit_price, list_amount, \
             product_discount, seller_coupon_discount, platform_coupon_discount, platform_coupon_seller_funded, \
             points, cash, payable_amount) \
             VALUES ('{line}', '{order_id}', '{order_id}', '{seller_id}', '{product_id}', '{sku_id}', 'x', 'x', \
             '{{}}', 'delivered', 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)"
        ),
        format!(
            "INSERT INTO claims (id, purchase_order_id, kind, reason, fault, requested_by, status, \
             refund_payable, refund_points, refund_cash, seller_coupon_released, platform_coupon_released, \
             platform_seller_funded_released, shipping_released, fees_kept, plan) \
             VALUES ('{claim}', '{order_id}', 'return', 'defective', 'vendor', 'shopper', 'requested', \
             0, 0, 0, 0, 0, 0, 0, 0, '{{}}')"
        ),
        format!(
            "INSERT INTO claim_lines (claim_id, product_order_id, seller_order_id, seller_id) \
             VALUES ('{claim}', '{line}', '{order_id}', '{seller_id}')"
        ),
    ] {
        app.db.run_sql(&sql).await.expect("claim fixture");
    }
    claim
}

/// The product order ids of a purchase (vendor by vendor, as stored).
pub async fn product_order_ids(app: &TestApp, purchase_order_id: &str) -> Vec<Uuid> {
    app.db
        .query_text(&format!(
            "SELECT id::text AS value FROM product_orders WHERE purchase_order_id = '{purchase_order_id}' \
             ORDER BY seller_order_id, id"
        ))
        .await
        .iter()
        .map(|id| Uuid::parse_str(id).expect("product order id"))
        .collect()
}

/// A bare review of `product_id` (a vendor's product) by a new member, on
/// a bare delivered order line: for tests about who may see which review.
pub async fn bare_review(app: &TestApp, seller_id: Uuid, product_id: Uuid) -> Uuid {
    let purchase_id = bare_order(app, seller_id).await;
    let user_id = Uuid::new_v4();
    let email = crate::TestMail::unique_address("reviewer");
    let vault = crypto::installed().expect("vault");
    let mut conn = app.db.conn().await;
    persistence::identity::users::insert(
        &mut conn,
        persistence::identity::users::NewUser {
            id: user_id,
            email: crypto::Sealed::new(email.clone()),
            email_index: vault.blind_index(crypto::BlindIndexKind::Email, &email),
            name: crypto::Sealed::new("Reviewer"),
            phone: None,
            phone_index: None,
            password_hash: None,
            status: persistence::identity::users::status::ACTIVE,
        },
    )
    .await
    .expect("reviewer");
    let line = Uuid::new_v4();
    app.db
        .run_sql(&format!(
            "INSERT INTO product_orders (id, seller_order_id, purchase_order_id, seller_id, product_id, sku_id, \
             product_name, sku_code, option_values, status, quantity, unit_list_price, unit_price, list_amount, \
             product_discount, seller_coupon_discount, platform_coupon_discount, platform_coupon_seller_funded, \
             points, cash, payable_amount) \
             SELECT '{line}', '{purchase_id}', '{purchase_id}', '{seller_id}', p.id, s.id, p.name, s.code, \
             s.option_values, 'delivered', 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 \
             FROM products p JOIN skus s ON s.product_id = p.id WHERE p.id = '{product_id}' LIMIT 1"
        ))
        .await
        .expect("product order");
    let review = Uuid::new_v4();
    app.db
        .run_sql(&format!(
            "INSERT INTO reviews (id, product_order_id, product_id, seller_id, user_id, option_values, rating, body) \
             VALUES ('{review}', '{line}', '{product_id}', '{seller_id}', '{user_id}', '{{}}', 4, 'Fits well.')"
        ))
        .await
        .expect("review");
    review
}

/// An address from 198.18.0.0/15, the range set aside for benchmarks
/// (RFC 2544), chosen by `seed`.
pub fn benchmark_address(seed: Uuid) -> String {
    let [a, b, c, ..] = seed.into_bytes();
    format!("198.{}.{b}.{}", 18 + (a & 1), c.max(1))
}
