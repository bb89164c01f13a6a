//! Coupons defined by operations (admin-api) and vendors (seller-api),
//! issued by code, download and at sign-up, stacked in one checkout; points
//! granted by operations; and who reads which tier of the order.

use chrono::{Duration, Utc};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use testkit::FreshKey;
use testkit::SendJson as _;
use testkit::catalog::{self, Listing, sku};
use testkit::shop::{self, add_to_cart, checkout, checkout_body};
use testkit::shoppers::{self, PASSWORD};
use testkit::{TestApp, TestMail, staff};

fn won(value: &Value) -> i64 {
    value
        .as_str()
        .and_then(|v| v.parse::<i64>().ok())
        .unwrap_or(i64::MIN)
}

#[tokio::test]
async fn stacked_coupons_points_and_each_party_sees_its_own_tier() {
    let app = TestApp::spawn(service_api::SERVICE).await;
    let admin_api = app.sibling(admin_api::SERVICE);
    let seller_api = app.sibling(seller_api::SERVICE);
    let category = catalog::category(&app, None, "bags").await;
    let vendor = staff::seller(&app, "Tote Co").await;
    let other_vendor = staff::seller(&app, "Other Co").await;
    let listing = |seller_id, name, price| Listing {
        seller_id,
        category_id: category,
        brand_id: None,
        name,
        description: "",
        status: "on_sale",
        skus: vec![sku(price, 10)],
    };
    let tote = catalog::product(&app, listing(vendor, "Canvas tote", 30_000)).await;
    let wallet = catalog::product(&app, listing(other_vendor, "Wallet", 20_000)).await;
    let tote_sku = shop::skus_of(&app, tote).await[0];
    let wallet_sku = shop::skus_of(&app, wallet).await[0];

    let operator = staff::admin(
        &app,
        "coupons",
        &["coupons.manage", "orders.read", "points.grant"],
    )
    .await;
    let operator = staff::log_in(&admin_api, &operator, 0).await;
    let owner = staff::seller_staff(&app, "owner", vendor, "owner").await;
    let owner = staff::log_in(&seller_api, &owner, 0).await;
    let other_owner = staff::seller_staff(&app, "other", other_vendor, "owner").await;
    let other_owner = staff::log_in(&seller_api, &other_owner, 1).await;
    let window = json!({ "valid_from": Utc::now() - Duration::hours(1), "valid_until": Utc::now() + Duration::days(7) });
    let with_window = |mut body: Value| {
        body.as_object_mut()
            .unwrap()
            .extend(window.as_object().unwrap().clone());
        body
    };

    // Definitions, with their rules checked.
    let define = |login: &shoppers::Login, server, body: Value| {
        login
            .call(server, Method::POST, "/v1/coupons")
            .json(&body)
            .send()
    };
    let bad = define(&operator, &admin_api, with_window(json!({
        "name": "Too much", "issue_method": "download", "discount_kind": "percent", "discount_percent": "150"
    }))).await.unwrap();
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        bad.json::<Value>().await.unwrap()["errors"][0]["field"],
        "discount_percent"
    );
    let vendor_scope = define(&owner, &seller_api, with_window(json!({
        "name": "Sneaky", "issue_method": "download", "discount_kind": "fixed", "discount_amount": "1000",
        "scope": "sellers", "scope_ids": [other_vendor]
    }))).await.unwrap();
    assert_eq!(vendor_scope.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let platform = define(&operator, &admin_api, with_window(json!({
        "name": "Autumn 10%", "issue_method": "code", "code": "autumn-10", "discount_kind": "percent",
        "discount_percent": "10", "max_discount": "4000", "seller_share_percent": "50"
    }))).await.unwrap();
    assert_eq!(platform.status(), StatusCode::CREATED);
    let platform: Value = platform.json().await.unwrap();
    assert_eq!(platform["seller_id"], Value::Null);
    let taken = define(&operator, &admin_api, with_window(json!({
        "name": "Same code", "issue_method": "code", "code": "AUTUMN-10", "discount_kind": "fixed", "discount_amount": "1"
    }))).await.unwrap();
    assert_eq!(taken.status(), StatusCode::CONFLICT);
    let own = define(&owner, &seller_api, with_window(json!({
        "name": "Tote 2000", "issue_method": "download", "discount_kind": "fixed", "discount_amount": "2000",
        "min_purchase": "20000"
    }))).await.unwrap();
    assert_eq!(own.status(), StatusCode::CREATED);
    let own: Value = own.json().await.unwrap();
    assert_eq!(
        own["seller_id"],
        vendor.to_string(),
        "a vendor's coupon is its own"
    );
    let welcome = define(&operator, &admin_api, with_window(json!({
        "name": "Welcome", "issue_method": "auto", "discount_kind": "fixed", "discount_amount": "1000"
    }))).await.unwrap();
    assert_eq!(welcome.status(), StatusCode::CREATED);
    let listed: Value = owner
        .call(&seller_api, Method::GET, "/v1/coupons")
        .json_body()
        .await;
    assert_eq!(listed["total"], 1, "vendors list their own coupons only");
    let listed: Value = operator
        .call(&admin_api, Method::GET, "/v1/coupons")
        .json_body()
        .await;
    assert_eq!(listed["total"], 2, "operations list platform coupons");

    // A new member gets the sign-up coupon when the email is verified.
    let email = TestMail::unique_address("stacker");
    let signed = app
        .post("/v1/auth/signup")
        .json(&json!({ "email": email, "password": PASSWORD, "name": "Kim Minji" }))
        .send()
        .await
        .unwrap();
    assert_eq!(signed.status(), StatusCode::CREATED);
    app.run_jobs().await;
    let token = TestMail::from_env().emailed_token(&email).await;
    let verified = app
        .post("/v1/auth/email-verifications")
        .json(&json!({ "token": token }))
        .send()
        .await
        .unwrap();
    assert_eq!(verified.status(), StatusCode::OK);
    let user_id = verified.json::<Value>().await.unwrap()["user_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let me = shoppers::log_in(&app, &email, PASSWORD).await;

    let redeemed = me
        .call(&app, Method::POST, "/v1/coupons/redeem")
        .fresh_key()
        .json(&json!({ "code": "Autumn-10" }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        redeemed.status(),
        StatusCode::CREATED,
        "codes are case-insensitive"
    );
    let platform_issue = redeemed.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let again = me
        .call(&app, Method::POST, "/v1/coupons/redeem")
        .fresh_key()
        .json(&json!({ "code": "AUTUMN-10" }))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::CONFLICT, "one per member");
    let claimed = me
        .call(
            &app,
            Method::POST,
            &format!("/v1/coupons/{}/claim", own["id"].as_str().unwrap()),
        )
        .fresh_key()
        .send()
        .await
        .unwrap();
    assert_eq!(claimed.status(), StatusCode::CREATED);
    let vendor_issue = claimed.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let held: Value = me
        .call(&app, Method::GET, "/v1/me/coupons")
        .json_body()
        .await;
    let names: Vec<&str> = held["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["coupon"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 3, "{names:?}");
    assert!(names.contains(&"Welcome"));

    let granted = operator
        .call(
            &admin_api,
            Method::POST,
            &format!("/v1/users/{user_id}/point-grants"),
        )
        .fresh_key()
        .json(&json!({ "amount": "3000", "valid_days": 30, "reason": "Launch gift" }))
        .send()
        .await
        .unwrap();
    assert_eq!(granted.status(), StatusCode::CREATED);

    add_to_cart(&app, &me, tote_sku, 1).await;
    add_to_cart(&app, &me, wallet_sku, 1).await;
    let body = checkout_body(json!({
        "seller_coupon_ids": [vendor_issue], "platform_coupon_id": platform_issue, "points": "1000"
    }));
    let (status, created) = checkout(&app, &me, "stacked", &body).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    // 30 000 − 2 000 (vendor) = 28 000; with 20 000: 48 000; 10 % = 4 800 → capped 4 000;
    // shipping 3 000 + 3 000; points 1 000.
    assert_eq!(
        won(&created["payable_amount"]),
        48_000 - 4_000 + 6_000 - 1_000
    );
    let id = created["purchase_order_id"].as_str().unwrap().to_owned();
    let order: Value = me
        .call(&app, Method::GET, &format!("/v1/orders/{id}"))
        .json_body()
        .await;
    assert_eq!(won(&order["seller_coupon_discount"]), 2_000);
    assert_eq!(won(&order["platform_coupon_discount"]), 4_000);
    assert_eq!(
        won(&order["platform_coupon_seller_funded"]),
        2_000,
        "half borne by vendors"
    );
    let tote_line = order["seller_orders"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["product_orders"].as_array().unwrap())
        .find(|p| p["sku_id"] == tote_sku.to_string())
        .unwrap()
        .clone();
    assert_eq!(won(&tote_line["seller_coupon_discount"]), 2_000);
    assert_eq!(
        won(&tote_line["platform_coupon_discount"]),
        2_333,
        "28 000 / 48 000 of 4 000, largest remainder"
    );
    shop::assert_allocations_exact(&app).await;
    let (status, _) = shop::pay(&app, &me, &id).await;
    assert_eq!(status, StatusCode::OK);
    let used = app.db.query_text(&format!("SELECT count(*)::text AS value FROM coupon_issues WHERE purchase_order_id = '{id}' AND state = 'used'")).await;
    assert_eq!(used[0], "2", "both coupons consumed on payment");

    // The vendor sees its own vendor order only; the other vendor sees nothing of it.
    let mine: Value = owner
        .call(&seller_api, Method::GET, "/v1/orders")
        .json_body()
        .await;
    assert_eq!(mine["total"], 1);
    let seller_order = &mine["items"][0];
    assert_eq!(
        seller_order["product_orders"].as_array().unwrap().len(),
        1,
        "not the wallet"
    );
    assert_eq!(seller_order["status"], "paid");
    assert!(seller_order.get("delivery").is_none());
    let seller_order_id = seller_order["id"].as_str().unwrap();
    let theirs: Value = other_owner
        .call(&seller_api, Method::GET, "/v1/orders")
        .json_body()
        .await;
    assert_eq!(theirs["total"], 1);
    assert_ne!(theirs["items"][0]["id"], seller_order["id"]);
    let peek = other_owner
        .call(
            &seller_api,
            Method::GET,
            &format!("/v1/orders/{seller_order_id}"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(peek.status(), StatusCode::NOT_FOUND);

    // Operations find every order, without the shopper's personal data.
    let no = created["order_no"].as_str().unwrap();
    let found: Value = operator
        .call(
            &admin_api,
            Method::GET,
            &format!("/v1/orders?order_no={no}"),
        )
        .json_body()
        .await;
    assert_eq!(found["total"], 1);
    assert_eq!(found["items"][0]["delivery"], Value::Null);
    let paid: Value = operator
        .call(&admin_api, Method::GET, "/v1/orders?status=paid")
        .json_body()
        .await;
    assert_eq!(paid["total"], 1);
    let one = operator
        .call(&admin_api, Method::GET, &format!("/v1/orders/{id}"))
        .send()
        .await
        .unwrap();
    assert_eq!(one.status(), StatusCode::OK);
}

#[tokio::test]
async fn codes_resist_guessing_short_ones_are_refused_made_up_ones_are_unambiguous_tries_are_limited()
 {
    let app = TestApp::spawn(service_api::SERVICE).await;
    let admin_api = app.sibling(admin_api::SERVICE);
    let operator = staff::admin(&app, "operator", &["coupons.manage"]).await;
    let operator = staff::log_in(&admin_api, &operator, 0).await;
    let window = json!({
        "valid_from": Utc::now() - Duration::hours(1),
        "valid_until": Utc::now() + Duration::days(7),
    });
    let define = |mut body: Value| {
        body.as_object_mut()
            .unwrap()
            .extend(window.as_object().unwrap().clone());
        operator
            .call(&admin_api, Method::POST, "/v1/coupons")
            .json(&body)
            .send()
    };
    let short = define(json!({
        "name": "Short", "issue_method": "code", "code": "AB-1", "discount_kind": "fixed", "discount_amount": "1000"
    })).await.unwrap();
    assert_eq!(short.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        short.json::<Value>().await.unwrap()["errors"][0]["field"],
        "code"
    );

    let made_up = define(json!({
        "name": "Made up", "issue_method": "code", "discount_kind": "fixed", "discount_amount": "1000"
    })).await.unwrap();
    assert_eq!(made_up.status(), StatusCode::CREATED);
    let code = made_up.json::<Value>().await.unwrap()["code"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(code.len(), 10, "{code}");
    assert!(
        code.bytes()
            .all(|b| b"23456789ABCDEFGHJKMNPQRSTUVWXYZ".contains(&b)),
        "{code}"
    );

    let email = shoppers::active_shopper(&app, "guesser").await;
    let guesser = shoppers::log_in(&app, &email, PASSWORD).await;
    let redeem = |code: String| {
        guesser
            .call(&app, Method::POST, "/v1/coupons/redeem")
            .fresh_key()
            .json(&json!({ "code": code }))
            .send()
    };
    let mut refused_at = None;
    for guess in 0..40 {
        let answer = redeem(format!("GUESS-{guess:04}")).await.unwrap();
        if answer.status() == StatusCode::TOO_MANY_REQUESTS {
            refused_at = Some(guess);
            break;
        }
        assert_eq!(answer.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    assert_eq!(refused_at, Some(20), "twenty tries an hour per member");
    assert_eq!(
        redeem(code).await.unwrap().status(),
        StatusCode::TOO_MANY_REQUESTS
    );
}
