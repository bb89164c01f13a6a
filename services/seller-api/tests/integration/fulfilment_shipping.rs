//! Fulfilment over HTTP: a vendor accepts and ships product orders of its
//! own vendor order (partial shipments), keeps or once delays its dispatch
//! deadline, withdraws an unscanned parcel; carriers report events through
//! external-api, late, twice and out of order; the shopper follows each
//! parcel and is emailed.

#![expect(clippy::expect_used, reason = "test helpers fail loudly")]

use chrono::{DateTime, Utc};
use domain::calendar::{BusinessCalendar, korean_date};
use domain::fulfilment::dispatch::dispatch_due;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use testkit::catalog::{self, Listing, sku};

use testkit::partners::{self, Partner};
use testkit::shoppers::{self, Login, PASSWORD};
use testkit::{FreshKey as _, TestApp, TestMail, TestServer, shop, staff};
use uuid::Uuid;

/// A CJ Logistics number (12 digits) as vendors type it.
pub(super) const PARCEL: &str = "6012-3456-7890";

pub(super) struct Fulfilment {
    pub(super) app: TestApp,
    pub(super) shop: TestServer,
    pub(super) external: TestServer,
    pub(super) buyer: Login,
    pub(super) buyer_email: String,
    /// The vendor whose order is shipped (Coat Co).
    pub(super) vendor: Uuid,
    pub(super) vendor_login: Login,
    pub(super) purchase: String,
    /// The vendor's order of the purchase, and its three product orders.
    pub(super) seller_order: String,
    pub(super) lines: Vec<Uuid>,
    /// The other vendor's product order in the same purchase.
    pub(super) other_line: Uuid,
    pub(super) carrier: Partner,
    /// The Toss payment, when the order was paid through it.
    pub(super) toss_key: Option<String>,
}

/// How the shopper pays.
pub(super) enum Payer<'a> {
    /// The demo method, without a provider.
    Test,
    /// The demo method, after Coat Co's coupon (₩10,000 off from
    /// ₩100,000) and the platform's (10 % up to ₩20,000, vendors funding
    /// 30 % of it).
    TestWithCoupons,
    /// Toss (the double), after `points` and bonus `cash` granted for the purpose.
    Toss {
        provider: &'a testkit::doubles::Payments,
        points: i64,
        cash: i64,
    },
    /// A bank transfer to a Toss virtual account, the deposit arriving.
    TossTransfer {
        provider: &'a testkit::doubles::Payments,
    },
}

pub(super) async fn send(request: reqwest::RequestBuilder) -> (StatusCode, Value) {
    let response = request.send().await.expect("request");
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// The RFC 3339 time `offset` hours from `base`, to the second (as the
/// API answers it).
pub(super) fn hours_from(base: DateTime<Utc>, offset: i64) -> String {
    (base + chrono::TimeDelta::hours(offset))
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

pub(super) fn code(body: &Value) -> &str {
    body["code"].as_str().unwrap_or_default()
}

pub(super) fn field_code(body: &Value) -> (&str, &str) {
    (
        body["errors"][0]["field"].as_str().unwrap_or_default(),
        body["errors"][0]["code"].as_str().unwrap_or_default(),
    )
}

/// A paid purchase of three lines from one vendor and one from another.
pub(super) async fn a_paid_order() -> Fulfilment {
    a_paid_order_on(TestApp::spawn(seller_api::SERVICE).await).await
}

/// The same on a seller-api of the caller's.
pub(super) async fn a_paid_order_on(app: TestApp) -> Fulfilment {
    an_order_paid_by(app, Payer::Test).await
}

/// The same, paid by `payer`.
pub(super) async fn an_order_paid_by(app: TestApp, payer: Payer<'_>) -> Fulfilment {
    let shop = app.sibling(service_api::SERVICE);
    let external = app.sibling(external_api::SERVICE);
    let admin = app.sibling(admin_api::SERVICE);
    let category = catalog::category(&app, None, "outerwear").await;
    let vendor = staff::seller(&app, "Coat Co").await;
    let other_vendor = staff::seller(&app, "Scarf Co").await;
    let coat = catalog::product(
        &app,
        Listing {
            seller_id: vendor,
            category_id: category,
            brand_id: None,
            name: "Wool coat",
            description: "",
            status: "on_sale",
            skus: vec![sku(90_000, 5), sku(90_000, 5), sku(90_000, 5)],
        },
    )
    .await;
    let scarf = catalog::product(
        &app,
        Listing {
            seller_id: other_vendor,
            category_id: category,
            brand_id: None,
            name: "Scarf",
            description: "",
            status: "on_sale",
            skus: vec![sku(20_000, 5)],
        },
    )
    .await;
    let buyer_email = shoppers::active_shopper_on(&shop, &app.db, "parcel").await;
    let buyer = shoppers::log_in(&shop, &buyer_email, PASSWORD).await;
    for product in [coat, scarf] {
        for sku_id in shop::skus_of(&app, product).await {
            let (status, cart) = shop::add_to_cart(&shop, &buyer, sku_id, 1).await;
            assert!(status.is_success(), "{cart}");
        }
    }
    let (points, cash) = match payer {
        Payer::Test | Payer::TestWithCoupons | Payer::TossTransfer { .. } => (0, 0),
        Payer::Toss { points, cash, .. } => (points, cash),
    };
    if points > 0 || cash > 0 {
        let (_, me) = send(buyer.call(&shop, Method::GET, "/v1/me")).await;
        let user_id = me["user_id"].as_str().expect("user id");
        for (table, kind, amount, source) in [
            ("point_ledger", "grant", points, "NULL"),
            ("cash_ledger", "bonus", cash, "'grant:fixture'"),
        ] {
            if amount > 0 {
                let sql = if table == "point_ledger" {
                    format!(
                        "INSERT INTO point_ledger (user_id, kind, amount, expires_at, reason) \
                         VALUES ('{user_id}', '{kind}', {amount}, now() + interval '30 days', 'gift')"
                    )
                } else {
                    format!(
                        "INSERT INTO cash_ledger (user_id, kind, amount, expires_at, source, reason) \
                         VALUES ('{user_id}', '{kind}', {amount}, now() + interval '30 days', {source}, 'event')"
                    )
                };
                app.db.run_sql(&sql).await.expect("a grant");
            }
        }
    }
    let mut extra = if points > 0 || cash > 0 {
        json!({ "points": points.to_string(), "cash": cash.to_string() })
    } else {
        json!({})
    };
    if matches!(payer, Payer::TestWithCoupons) {
        let (vendor_issue, platform_issue) =
            both_coupons(&app, &shop, &admin, &buyer, vendor).await;
        extra["seller_coupon_ids"] = json!([vendor_issue]);
        extra["platform_coupon_id"] = json!(platform_issue);
    }
    let (status, created) = shop::checkout(
        &shop,
        &buyer,
        &Uuid::new_v4().to_string(),
        &shop::checkout_body(extra),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let purchase = created["purchase_order_id"]
        .as_str()
        .expect("purchase")
        .to_owned();
    let toss_key = match payer {
        Payer::Test | Payer::TestWithCoupons => {
            let (status, paid) = shop::pay(&shop, &buyer, &purchase).await;
            assert_eq!(status, StatusCode::OK, "{paid}");
            None
        }
        Payer::Toss { provider, .. } | Payer::TossTransfer { provider } => {
            let order_no = created["order_no"].as_str().expect("order number");
            let amount: i64 = created["payable_amount"]
                .as_str()
                .expect("amount")
                .parse()
                .expect("whole won");
            let by_transfer = matches!(payer, Payer::TossTransfer { .. });
            let key = if by_transfer {
                provider.toss_authorize_virtual_account(order_no, amount)
            } else {
                provider.toss_authorize(order_no, amount)
            };
            let (status, paid) = send(
                buyer
                    .call(&shop, Method::POST, "/v1/payments/toss/confirm")
                    .fresh_key()
                    .json(&json!({ "paymentKey": key, "orderId": order_no, "amount": amount })),
            )
            .await;
            assert!(status.is_success(), "{paid}");
            if by_transfer {
                let callback = provider.toss_deposit(&key);
                let (status, received) =
                    send(external.post("/v1/webhooks/toss").json(&callback)).await;
                assert_eq!(status, StatusCode::OK, "{received}");
            }
            Some(key)
        }
    };

    let account = staff::seller_staff(&app, "packer", vendor, "staff").await;
    let vendor_login = staff::log_in(&app, &account, 0).await;
    let (status, orders) = send(vendor_login.call(&app, Method::GET, "/v1/orders")).await;
    assert_eq!(status, StatusCode::OK, "{orders}");
    let order = &orders["items"][0];
    let seller_order = order["id"].as_str().expect("vendor order").to_owned();
    let lines: Vec<Uuid> = order["product_orders"]
        .as_array()
        .expect("lines")
        .iter()
        .map(|line| line["id"].as_str().expect("line").parse().expect("uuid"))
        .collect();
    assert_eq!(lines.len(), 3);
    let other_line = shop::product_order_ids(&app, &purchase)
        .await
        .into_iter()
        .find(|id| !lines.contains(id))
        .expect("the other vendor's line");

    let administrator = staff::administrator(&app, "partners").await;
    let admin_login = staff::log_in(&admin, &administrator, 0).await;
    let carrier = partners::create(&admin, &admin_login, &["tracking.write"]).await;
    Fulfilment {
        app,
        shop,
        external,
        buyer,
        buyer_email,
        vendor,
        vendor_login,
        purchase,
        seller_order,
        lines,
        other_line,
        carrier,
        toss_key,
    }
}

/// Coat Co's coupon and the platform's, defined and held by `buyer`: the
/// issues to check out with.
async fn both_coupons(
    app: &TestApp,
    shop: &TestServer,
    admin: &TestServer,
    buyer: &Login,
    vendor: Uuid,
) -> (String, String) {
    let window = |body: Value| {
        let mut body = body;
        body["valid_from"] = json!(Utc::now() - chrono::TimeDelta::hours(1));
        body["valid_until"] = json!(Utc::now() + chrono::TimeDelta::days(7));
        body
    };
    let owner = staff::seller_staff(app, "coupons", vendor, "owner").await;
    let owner = staff::log_in(app, &owner, 0).await;
    let (status, own) = send(
        owner
            .call(app, Method::POST, "/v1/coupons")
            .json(&window(json!({
                "name": "Coat 10000", "issue_method": "download", "discount_kind": "fixed",
                "discount_amount": "10000", "min_purchase": "100000"
            }))),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{own}");
    let operator = staff::admin(app, "coupons", &["coupons.manage"]).await;
    let operator = staff::log_in(admin, &operator, 0).await;
    let (status, platform) = send(operator.call(admin, Method::POST, "/v1/coupons").json(&window(json!({
        "name": "Winter 10%", "issue_method": "code", "code": "winter-10", "discount_kind": "percent",
        "discount_percent": "10", "max_discount": "20000", "seller_share_percent": "30"
    }))))
    .await;
    assert_eq!(status, StatusCode::CREATED, "{platform}");
    let own_id = own["id"].as_str().expect("coupon id");
    let (status, vendor_issue) = send(
        buyer
            .call(shop, Method::POST, &format!("/v1/coupons/{own_id}/claim"))
            .fresh_key(),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{vendor_issue}");
    let (status, platform_issue) = send(
        buyer
            .call(shop, Method::POST, "/v1/coupons/redeem")
            .fresh_key()
            .json(&json!({ "code": "WINTER-10" })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{platform_issue}");
    let issue = |body: &Value| body["id"].as_str().expect("issue id").to_owned();
    (issue(&vendor_issue), issue(&platform_issue))
}

impl Fulfilment {
    pub(super) async fn vendor(
        &self,
        method: Method,
        path: &str,
        body: Value,
    ) -> (StatusCode, Value) {
        let mut request = self.vendor_login.call(&self.app, method.clone(), path);
        if method == Method::POST {
            request = request.fresh_key();
        }
        if !body.is_null() {
            request = request.json(&body);
        }
        send(request).await
    }

    pub(super) async fn ship(&self, lines: &[Uuid], number: &str) -> (StatusCode, Value) {
        self.vendor(
            Method::POST,
            &format!("/v1/orders/{}/shipments", self.seller_order),
            json!({ "product_order_ids": lines, "carrier": "kr.cjlogistics", "tracking_number": number }),
        )
        .await
    }

    pub(super) async fn report(
        &self,
        number: &str,
        events: &[(String, &str)],
    ) -> (StatusCode, Value) {
        let events: Vec<Value> = events
            .iter()
            .map(|(at, status)| json!({ "occurred_at": at, "status": status, "description": status }))
            .collect();
        self.carrier
            .send(
                &self.external,
                Method::POST,
                "/v1/carrier-events",
                &json!({ "carrier": "kr.cjlogistics", "tracking_number": number, "events": events }),
            )
            .await
    }

    pub(super) async fn shopper_shipments(&self) -> Value {
        let (status, body) = send(self.buyer.call(
            &self.shop,
            Method::GET,
            &format!("/v1/orders/{}/shipments", self.purchase),
        ))
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body
    }

    pub(super) async fn line_statuses(&self) -> Vec<String> {
        let (status, order) = self
            .vendor(
                Method::GET,
                &format!("/v1/orders/{}", self.seller_order),
                Value::Null,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{order}");
        self.lines
            .iter()
            .map(|id| {
                order["product_orders"]
                    .as_array()
                    .expect("lines")
                    .iter()
                    .find(|line| line["id"] == id.to_string())
                    .expect("line")["status"]
                    .as_str()
                    .expect("status")
                    .to_owned()
            })
            .collect()
    }
}

#[tokio::test]
async fn a_vendor_ships_part_of_an_order_and_the_carrier_delivers_it() {
    let f = a_paid_order().await;
    let now = Utc::now();
    let hours = |offset| hours_from(now, offset);
    let (status, accepted) = f
        .vendor(
            Method::POST,
            &format!("/v1/orders/{}/accept", f.seller_order),
            json!({ "product_order_ids": [f.lines[0]] }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{accepted}");
    assert_eq!(f.line_statuses().await, ["preparing", "paid", "paid"]);

    let (status, shipment) = f.ship(&f.lines[..2], PARCEL).await;
    assert_eq!(status, StatusCode::CREATED, "{shipment}");
    assert_eq!(shipment["status"], "shipped");
    assert_eq!(shipment["tracking_number"], "601234567890");
    assert_eq!(
        shipment["product_order_ids"].as_array().map(Vec::len),
        Some(2)
    );
    assert_eq!(f.line_statuses().await, ["shipped", "shipped", "paid"]);

    // The carrier's story: out of order, with a repeat, across two reports.
    let (status, first) = f
        .report(
            "601234567890",
            &[
                (hours(-30), "in_transit"),
                (hours(-48), "at_pickup"),
                (hours(-30), "in_transit"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{first}");
    assert_eq!(first["new_events"], 2);
    assert_eq!(first["shipments"], 1);
    let (status, second) = f
        .report(
            "601234567890",
            &[
                (hours(-8), "out_for_delivery"),
                (hours(-3), "delivered"),
                // Noise after delivery never moves the parcel back.
                (hours(-1), "exception"),
                (hours(-30), "in_transit"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{second}");
    assert_eq!(second["new_events"], 3);

    let seen = f.shopper_shipments().await;
    let parcel = &seen["items"][0];
    assert_eq!(seen["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(parcel["status"], "delivered");
    assert_eq!(parcel["carrier_status"], "delivered");
    assert_eq!(parcel["carrier_delivered_at"], hours(-3));
    let history: Vec<&str> = parcel["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| e["status"].as_str().expect("status"))
        .collect();
    assert_eq!(
        history,
        [
            "at_pickup",
            "in_transit",
            "out_for_delivery",
            "delivered",
            "exception"
        ]
    );
    assert_eq!(f.line_statuses().await, ["delivered", "delivered", "paid"]);

    // The rest ships in a second parcel; the shopper was told of both.
    let (status, second_parcel) = f.ship(&f.lines[2..], "6012-3456-7891").await;
    assert_eq!(status, StatusCode::CREATED, "{second_parcel}");
    assert_eq!(
        f.shopper_shipments().await["items"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );
    f.app.run_jobs().await;
    let mail = TestMail::from_env().messages_to(&f.buyer_email).await;
    let shipped: Vec<&Value> = mail
        .iter()
        .filter(|m| {
            m["subject"]
                .as_str()
                .is_some_and(|s| s.ends_with("has shipped"))
        })
        .collect();
    assert_eq!(shipped.len(), 2);
    for number in ["601234567890", "601234567891"] {
        assert!(
            shipped.iter().any(|m| m["text"]
                .as_str()
                .is_some_and(|t| t.contains(number) && t.contains("CJ Logistics"))),
            "{number}"
        );
    }
}

#[tokio::test]
async fn shipping_checks_the_lines_the_carrier_and_the_number() {
    let f = a_paid_order().await;
    let shipments = format!("/v1/orders/{}/shipments", f.seller_order);
    let ship = |body: Value| f.vendor(Method::POST, &shipments, body);
    let (status, body) =
        ship(json!({ "product_order_ids": [f.lines[0]], "carrier": "us.fedex", "tracking_number": PARCEL })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(field_code(&body), ("carrier", "invalid_value"));
    let (status, body) = ship(
        json!({ "product_order_ids": [f.lines[0]], "carrier": "kr.epost", "tracking_number": PARCEL }),
    )
    .await;
    assert_eq!(
        field_code(&body),
        ("tracking_number", "invalid_format"),
        "{status}"
    );
    let (_, body) = f.ship(&[f.other_line], PARCEL).await;
    assert_eq!(
        field_code(&body),
        ("product_order_ids", "unknown_reference")
    );
    let (_, body) = f.ship(&[f.lines[0], f.lines[0]], PARCEL).await;
    assert_eq!(field_code(&body), ("product_order_ids", "duplicate"));
    let (_, body) = f.ship(&[], PARCEL).await;
    assert_eq!(field_code(&body), ("product_order_ids", "required"));
    // Nothing half-done: every line is still waiting.
    assert_eq!(f.line_statuses().await, ["paid", "paid", "paid"]);

    let (status, _) = f.ship(&[f.lines[0]], PARCEL).await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, body) = f.ship(&[f.lines[0]], "6012-3456-7899").await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(code(&body), "invalid_fulfilment_step");
    let (status, body) = f.ship(&[f.lines[1]], PARCEL).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(code(&body), "tracking_number_in_use");

    // Without a key, a shipment is refused; with the same key, it is not
    // made twice.
    let path = format!("/v1/orders/{}/shipments", f.seller_order);
    let again = json!({ "product_order_ids": [f.lines[1]], "carrier": "kr.cjlogistics", "tracking_number": "6012-3456-7811" });
    let (status, body) = send(
        f.vendor_login
            .call(&f.app, Method::POST, &path)
            .json(&again),
    )
    .await;
    assert_eq!(code(&body), "idempotency_key_required", "{status}");
    let key = Uuid::new_v4().to_string();
    let once = || {
        f.vendor_login
            .call(&f.app, Method::POST, &path)
            .header("idempotency-key", &key)
            .json(&again)
    };
    let (first, a) = send(once()).await;
    let (second, b) = send(once()).await;
    assert_eq!((first, second), (StatusCode::CREATED, StatusCode::CREATED));
    assert_eq!(a["id"], b["id"]);
    assert_eq!(
        f.shopper_shipments().await["items"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );
}

#[tokio::test]
async fn another_vendor_neither_sees_nor_ships_the_order() {
    let f = a_paid_order().await;
    let stranger_seller = staff::seller(&f.app, "Stranger Co").await;
    let stranger = staff::seller_staff(&f.app, "stranger", stranger_seller, "owner").await;
    let login = staff::log_in(&f.app, &stranger, 0).await;
    let path = format!("/v1/orders/{}/shipments", f.seller_order);
    let (status, body) = send(
        login
            .call(&f.app, Method::POST, &path)
            .fresh_key()
            .json(&json!({ "product_order_ids": [f.lines[0]], "carrier": "kr.cjlogistics", "tracking_number": PARCEL })),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    let (status, _) = send(login.call(&f.app, Method::GET, &path)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = send(login.call(
        &f.app,
        Method::GET,
        &format!("/v1/orders/{}/dispatch", f.seller_order),
    ))
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(f.line_statuses().await, ["paid", "paid", "paid"]);
}

#[tokio::test]
async fn an_unpaid_order_cannot_be_shipped() {
    let app = TestApp::spawn(seller_api::SERVICE).await;
    let vendor = staff::seller(&app, "Early Co").await;
    let unpaid = shop::bare_order(&app, vendor).await;
    let account = staff::seller_staff(&app, "early", vendor, "owner").await;
    let login = staff::log_in(&app, &account, 0).await;
    let (status, body) = send(
        login
            .call(&app, Method::POST, &format!("/v1/orders/{unpaid}/shipments"))
            .fresh_key()
            .json(&json!({ "product_order_ids": [Uuid::new_v4()], "carrier": "kr.cjlogistics", "tracking_number": PARCEL })),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(code(&body), "order_not_paid");
}

#[tokio::test]
async fn a_vendor_delivering_itself_delivers_the_lines_without_a_carrier_event() {
    let f = a_paid_order().await;
    let (_, shipment) = f.ship(&f.lines[..2], PARCEL).await;
    let path = format!(
        "/v1/shipments/{}/deliver",
        shipment["id"].as_str().expect("id")
    );
    let (status, delivered) = f.vendor(Method::POST, &path, Value::Null).await;
    assert_eq!(status, StatusCode::OK, "{delivered}");
    assert_eq!(delivered["status"], "delivered");
    assert_eq!(delivered["carrier_delivered_at"], Value::Null);
    assert_eq!(f.line_statuses().await, ["delivered", "delivered", "paid"]);
    let (status, body) = f.vendor(Method::POST, &path, Value::Null).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, "invalid_fulfilment_step")
    );
}

#[tokio::test]
async fn a_parcel_is_withdrawn_only_before_the_carrier_scans_it_unless_operations_force_it() {
    let f = a_paid_order().await;
    let now = Utc::now();
    let hours = |offset| hours_from(now, offset);
    let (_, shipment) = f.ship(&f.lines[..1], PARCEL).await;
    let path = |shipment: &Value| {
        format!(
            "/v1/shipments/{}/withdraw",
            shipment["id"].as_str().expect("id")
        )
    };
    let (status, withdrawn) = f.vendor(Method::POST, &path(&shipment), Value::Null).await;
    assert_eq!(status, StatusCode::OK, "{withdrawn}");
    assert_eq!(withdrawn["status"], "cancelled");
    assert_eq!(f.line_statuses().await, ["preparing", "paid", "paid"]);

    // The same number can go on the right parcel now.
    let (status, shipment) = f.ship(&f.lines[..1], PARCEL).await;
    assert_eq!(status, StatusCode::CREATED, "{shipment}");
    let (status, _) = f.report("601234567890", &[(hours(-48), "at_pickup")]).await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let (status, body) = f.vendor(Method::POST, &path(&shipment), Value::Null).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(code(&body), "shipment_not_withdrawable");
    assert_eq!(f.line_statuses().await, ["shipped", "paid", "paid"]);

    // Operations may, with a reason on the record (the carrier sent it back).
    let admin = f.app.sibling(admin_api::SERVICE);
    let reader = staff::admin(&f.app, "reader", &["orders.read"]).await;
    let reader = staff::log_in(&admin, &reader, 0).await;
    let forced = |login: &testkit::shoppers::Login, body: Value| {
        send(
            login
                .call(&admin, Method::POST, &path(&shipment))
                .fresh_key()
                .json(&body),
        )
    };
    let (status, _) = forced(&reader, json!({ "reason": "returned to sender" })).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let operator = staff::admin(&f.app, "operator", &["fulfilment.override"]).await;
    let operator = staff::log_in(&admin, &operator, 0).await;
    let (status, body) = forced(&operator, json!({ "reason": "" })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(field_code(&body), ("reason", "invalid_length"));
    let (status, withdrawn) = forced(&operator, json!({ "reason": "returned to sender" })).await;
    assert_eq!(status, StatusCode::OK, "{withdrawn}");
    assert_eq!(withdrawn["status"], "cancelled");
    assert_eq!(f.line_statuses().await, ["preparing", "paid", "paid"]);
    let audited = f
        .app
        .db
        .query_text(&format!(
            "SELECT details->>'reason' AS value FROM security_audit_log \
             WHERE action = 'shipment.force_withdrawn' AND subject_id = '{}'",
            shipment["id"].as_str().expect("id")
        ))
        .await;
    assert_eq!(audited, ["returned to sender"]);

    // And deliver a parcel no carrier reported delivered.
    let (_, again) = f.ship(&f.lines[..1], "6012-3456-7891").await;
    let deliver = format!(
        "/v1/shipments/{}/deliver",
        again["id"].as_str().expect("id")
    );
    let (status, delivered) = send(
        operator
            .call(&admin, Method::POST, &deliver)
            .fresh_key()
            .json(&json!({ "reason": "the shopper has it; the carrier never scanned the door" })),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{delivered}");
    assert_eq!(delivered["status"], "delivered");
    assert_eq!(f.line_statuses().await, ["delivered", "paid", "paid"]);
}

#[tokio::test]
async fn carrier_reports_need_the_tracking_scope_and_a_known_parcel_format() {
    let f = a_paid_order().await;
    let now = Utc::now();
    let hours = |offset| hours_from(now, offset);
    let admin = f.app.sibling(admin_api::SERVICE);
    let administrator = staff::administrator(&f.app, "catalog-partner").await;
    let admin_login = staff::log_in(&admin, &administrator, 0).await;
    let reader = partners::create(&admin, &admin_login, &["catalog.read"]).await;
    let (status, body) = reader
        .send(
            &f.external,
            Method::POST,
            "/v1/carrier-events",
            &json!({ "carrier": "kr.cjlogistics", "tracking_number": "601234567890", "events": [] }),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, body) = f.report("12", &[(hours(-48), "at_pickup")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(field_code(&body), ("tracking_number", "invalid_format"));
    // Events of a parcel not shipped yet are kept, and count once it is.
    let (status, body) = f.report("601234567890", &[(hours(-48), "delivered")]).await;
    assert_eq!(
        (status, body["shipments"].as_u64()),
        (StatusCode::ACCEPTED, Some(0))
    );
    let (_, shipment) = f.ship(&f.lines[..1], PARCEL).await;
    assert_eq!(shipment["status"], "delivered", "{shipment}");
    assert_eq!(f.line_statuses().await, ["delivered", "paid", "paid"]);
}

fn paid_at_of(order: &Value) -> DateTime<Utc> {
    order["paid_at"]
        .as_str()
        .expect("paid_at")
        .parse()
        .expect("a time")
}

#[tokio::test]
async fn the_dispatch_date_is_declared_once_and_a_delay_needs_a_reason() {
    let f = a_paid_order().await;
    let (status, order) = send(f.buyer.call(
        &f.shop,
        Method::GET,
        &format!("/v1/orders/{}", f.purchase),
    ))
    .await;
    assert_eq!(status, StatusCode::OK, "{order}");
    let paid_at = paid_at_of(&order);
    let due = dispatch_due(&BusinessCalendar::korean(), paid_at);
    let path = |end: &str| format!("/v1/orders/{}/{end}", f.seller_order);
    let (status, dispatch) = f.vendor(Method::GET, &path("dispatch"), Value::Null).await;
    assert_eq!(status, StatusCode::OK, "{dispatch}");
    assert_eq!(dispatch["due"], due.to_string());
    assert_eq!(dispatch["deadline"], due.to_string());

    let after_due = due.succ_opt().expect("a day").to_string();
    let (status, body) = f
        .vendor(
            Method::PUT,
            &path("dispatch-date"),
            json!({ "date": after_due }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(field_code(&body), ("date", "after_dispatch_due"));
    let yesterday = korean_date(Utc::now())
        .pred_opt()
        .expect("a day")
        .to_string();
    let (_, body) = f
        .vendor(
            Method::PUT,
            &path("dispatch-date"),
            json!({ "date": yesterday }),
        )
        .await;
    assert_eq!(field_code(&body), ("date", "in_the_past"));
    let (status, declared) = f
        .vendor(
            Method::PUT,
            &path("dispatch-date"),
            json!({ "date": due.to_string() }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{declared}");
    assert_eq!(declared["declared"], due.to_string());
    let (status, body) = f
        .vendor(
            Method::PUT,
            &path("dispatch-date"),
            json!({ "date": due.to_string() }),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, "dispatch_date_already_set")
    );

    let later = (due + chrono::TimeDelta::days(10)).to_string();
    let delay_path = path("dispatch-delay");
    let delay = |body: Value| f.vendor(Method::POST, &delay_path, body);
    let (_, body) = delay(json!({ "until": later, "reason": "weather" })).await;
    assert_eq!(field_code(&body), ("reason", "invalid_value"));
    let (_, body) = delay(json!({ "until": later, "reason": "other" })).await;
    assert_eq!(field_code(&body), ("note", "required"));
    let (_, body) = delay(json!({ "until": due.to_string(), "reason": "custom_build" })).await;
    assert_eq!(field_code(&body), ("until", "not_later"));
    let (status, delayed) = delay(json!({ "until": later, "reason": "custom_build" })).await;
    assert_eq!(status, StatusCode::OK, "{delayed}");
    assert_eq!(delayed["deadline"], later);
    assert_eq!(delayed["delay_reason"], "custom_build");
    let (status, body) = delay(json!({ "until": later, "reason": "custom_build" })).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, "dispatch_date_already_set")
    );

    f.app.run_jobs().await;
    let mail = TestMail::from_env().messages_to(&f.buyer_email).await;
    let told = mail
        .iter()
        .find(|m| {
            m["subject"]
                .as_str()
                .is_some_and(|s| s.contains("dispatch delayed"))
        })
        .expect("the shopper is told of the delay");
    assert!(
        told["text"]
            .as_str()
            .is_some_and(|t| t.contains(&later) && t.contains("made to order"))
    );
}

#[tokio::test]
async fn a_day_of_labels_ships_in_one_request_each_parcel_on_its_own() {
    let f = a_paid_order().await;
    let parcel = |order: &str, lines: &[Uuid], number: &str| json!({ "seller_order_id": order, "product_order_ids": lines, "carrier": "kr.cjlogistics", "tracking_number": number });
    let (status, body) = f
        .vendor(
            Method::POST,
            "/v1/shipments/bulk",
            json!({ "shipments": [
                parcel(&f.seller_order, &f.lines[..1], PARCEL),
                // The same number again: refused, the others go on.
                parcel(&f.seller_order, &f.lines[1..2], PARCEL),
                parcel(&Uuid::new_v4().to_string(), &f.lines[1..2], "6012-3456-7891"),
                parcel(&f.seller_order, &f.lines[2..], "12"),
                parcel(&f.seller_order, &f.lines[1..2], "6012-3456-7892"),
            ] }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        (body["shipped"].as_u64(), body["refused"].as_u64()),
        (Some(2), Some(3))
    );
    let problems: Vec<&str> = body["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| r["problem"]["code"].as_str().unwrap_or("shipped"))
        .collect();
    assert_eq!(
        problems,
        [
            "shipped",
            "tracking_number_in_use",
            "not_found",
            "validation_failed",
            "shipped"
        ]
    );
    assert_eq!(f.line_statuses().await, ["shipped", "shipped", "paid"]);

    for (shipments, code) in [(json!([]), "required"), (json!(vec![Value::Null; 101]), "")] {
        let (status, body) = f
            .vendor(
                Method::POST,
                "/v1/shipments/bulk",
                json!({ "shipments": shipments }),
            )
            .await;
        assert!(status.is_client_error(), "{body}");
        if !code.is_empty() {
            assert_eq!(field_code(&body), ("shipments", code));
        }
    }
}
