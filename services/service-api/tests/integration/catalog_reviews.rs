//! Reviews: only the buyer of a delivered or confirmed product order, once
//! per line, with a rating, text and photos; the product's count and
//! average follow; vendors reply to their own; operations hide (audited).

#![expect(clippy::expect_used, reason = "test helpers fail loudly")]

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use testkit::catalog::{self, Listing, sku};
use testkit::multipart::{Part, form};
use testkit::shoppers::{self, Login, PASSWORD};
use testkit::{FreshKey as _, TestApp, TestServer, shop, staff};
use uuid::Uuid;

const SWATCH: &[u8] = include_bytes!("../../../../crates/testkit/fixtures/images/swatch.png");

struct Shop {
    app: TestApp,
    vendor: Uuid,
    product: Uuid,
    buyer: Login,
    /// The buyer's two product orders of `product` (paid, not delivered).
    lines: Vec<Uuid>,
}

async fn shop_with_a_paid_order() -> Shop {
    let app = TestApp::spawn(service_api::SERVICE).await;
    let category = catalog::category(&app, None, "knitwear").await;
    let vendor = staff::seller(&app, "Knit Co").await;
    let product = catalog::product(
        &app,
        Listing {
            seller_id: vendor,
            category_id: category,
            brand_id: None,
            name: "캐시미어 니트",
            description: "",
            status: "on_sale",
            skus: vec![sku(50_000, 5), sku(50_000, 5)],
        },
    )
    .await;
    let email = shoppers::active_shopper(&app, "reviewer").await;
    let buyer = shoppers::log_in(&app, &email, PASSWORD).await;
    for sku_id in shop::skus_of(&app, product).await {
        let (status, cart) = shop::add_to_cart(&app, &buyer, sku_id, 1).await;
        assert!(status.is_success(), "{cart}");
    }
    let (status, created) = shop::checkout(
        &app,
        &buyer,
        "review-order",
        &shop::checkout_body(json!({})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let purchase = created["purchase_order_id"]
        .as_str()
        .expect("purchase")
        .to_owned();
    let (status, paid) = shop::pay(&app, &buyer, &purchase).await;
    assert_eq!(status, StatusCode::OK, "{paid}");
    let lines = shop::product_order_ids(&app, &purchase).await;
    assert_eq!(lines.len(), 2);
    Shop {
        app,
        vendor,
        product,
        buyer,
        lines,
    }
}

/// The vendor ships the order's lines in one parcel and delivers it itself
/// (seller-api), as fulfilment moves product orders to `delivered`.
async fn deliver(s: &Shop) {
    let seller_api = s.app.sibling(seller_api::SERVICE);
    let packer = staff::seller_staff(&s.app, "packer", s.vendor, "staff").await;
    let packer = staff::log_in(&seller_api, &packer, 0).await;
    let orders: Value = packer
        .call(&seller_api, Method::GET, "/v1/orders")
        .send()
        .await
        .expect("orders")
        .json()
        .await
        .expect("json");
    let seller_order = orders["items"][0]["id"].as_str().expect("vendor order");
    let shipped: Value = packer
        .call(&seller_api, Method::POST, &format!("/v1/orders/{seller_order}/shipments"))
        .fresh_key()
        .json(&json!({ "product_order_ids": s.lines, "carrier": "kr.cjlogistics", "tracking_number": "6012-3456-7890" }))
        .send()
        .await
        .expect("ship")
        .json()
        .await
        .expect("json");
    let shipment = shipped["id"].as_str().expect("shipment");
    let response = packer
        .call(
            &seller_api,
            Method::POST,
            &format!("/v1/shipments/{shipment}/deliver"),
        )
        .fresh_key()
        .send()
        .await
        .expect("deliver");
    assert_eq!(response.status(), StatusCode::OK);
}

/// The shopper confirms the purchase of `line`.
async fn confirm(s: &Shop, line: Uuid) {
    let response = s
        .buyer
        .call(
            &s.app,
            Method::POST,
            &format!("/v1/product-orders/{line}/confirm"),
        )
        .fresh_key()
        .send()
        .await
        .expect("confirm");
    assert_eq!(response.status(), StatusCode::OK);
}

async fn write(
    server: &TestServer,
    login: &Login,
    line: Uuid,
    rating: i64,
    photos: &[&str],
) -> (StatusCode, Value) {
    let response = login
        .call(server, Method::POST, "/v1/reviews")
        .json(&json!({
            "product_order_id": line, "rating": rating,
            "text": "부드럽고 따뜻해요. Soft and warm.", "photo_ids": photos
        }))
        .send()
        .await
        .expect("review");
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn upload(server: &TestServer, login: &Login, bytes: &[u8]) -> (StatusCode, Value) {
    let (content_type, body) = form(&[Part::File("file", "photo.png", bytes)]);
    let response = login
        .call(server, Method::POST, "/v1/reviews/photos")
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .expect("photo");
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

fn problem(body: &Value) -> (&str, &str) {
    (
        body["code"].as_str().unwrap_or_default(),
        body["errors"][0]["field"].as_str().unwrap_or_default(),
    )
}

async fn figures(app: &TestApp, product: Uuid) -> (i64, Value) {
    let detail = app.get_json(&format!("/v1/products/{product}")).await;
    (
        detail["review_count"].as_i64().expect("count"),
        detail["rating"].clone(),
    )
}

#[tokio::test]
async fn only_the_buyer_of_a_delivered_line_reviews_it_once_and_the_figures_follow() {
    let s = shop_with_a_paid_order().await;
    let app = &s.app;
    let [first, second] = [s.lines[0], s.lines[1]];

    let (status, body) = write(app, &s.buyer, first, 5, &[]).await;
    assert_eq!(status, StatusCode::CONFLICT, "paid, not delivered: {body}");
    assert_eq!(problem(&body).0, "not_reviewable");

    deliver(&s).await;
    let stranger = shoppers::log_in(
        app,
        &shoppers::active_shopper(app, "stranger").await,
        PASSWORD,
    )
    .await;
    let (status, _) = write(app, &stranger, first, 5, &[]).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "not the stranger's order");
    let guest = shop::guest(app).await;
    let (status, _) = write(app, &guest, first, 5, &[]).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "guests do not review");

    let (status, body) = write(app, &s.buyer, first, 6, &[]).await;
    assert_eq!(
        (status, problem(&body)),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            ("validation_failed", "rating")
        )
    );
    let response = s
        .buyer
        .call(app, Method::POST, "/v1/reviews")
        .json(&json!({ "product_order_id": first, "rating": 4, "text": "   " }))
        .send()
        .await
        .expect("review");
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = response.json().await.expect("problem");
    assert_eq!(problem(&body).1, "text");

    let (status, body) = upload(app, &s.buyer, b"plain text, not a picture").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["errors"][0]["code"], "unsupported_file_type");
    let (status, photo) = upload(app, &s.buyer, SWATCH).await;
    assert_eq!(status, StatusCode::CREATED, "{photo}");
    let photo_id = photo["id"].as_str().expect("photo id").to_owned();
    let (_, strangers_photo) = upload(app, &stranger, SWATCH).await;
    let strangers_photo = strangers_photo["id"].as_str().expect("photo id").to_owned();

    // Someone else's photo refuses the whole review: nothing is kept.
    let (status, body) = write(app, &s.buyer, first, 5, &[&photo_id, &strangers_photo]).await;
    assert_eq!(
        (status, problem(&body).1),
        (StatusCode::UNPROCESSABLE_ENTITY, "photo_ids")
    );
    assert_eq!(figures(app, s.product).await, (0, Value::Null));

    let (status, review) = write(app, &s.buyer, first, 5, &[&photo_id]).await;
    assert_eq!(status, StatusCode::CREATED, "{review}");
    assert_eq!(review["reviewer"], "K**", "the name is masked");
    assert_eq!(review["rating"], 5);
    let url = review["photos"][0]["url"].as_str().expect("photo url");
    let fetched = reqwest::get(url).await.expect("photo");
    assert_eq!(fetched.status(), StatusCode::OK);
    assert_eq!(fetched.bytes().await.expect("bytes").as_ref(), SWATCH);

    let (status, body) = write(app, &s.buyer, first, 1, &[]).await;
    assert_eq!(
        (status, problem(&body).0),
        (StatusCode::CONFLICT, "already_reviewed")
    );
    let (status, body) = write(app, &s.buyer, second, 2, &[&photo_id]).await;
    assert_eq!(
        (status, problem(&body).1),
        (StatusCode::UNPROCESSABLE_ENTITY, "photo_ids"),
        "a photo serves one review"
    );

    confirm(&s, second).await;
    let (status, body) = write(app, &s.buyer, second, 2, &[]).await;
    assert_eq!(status, StatusCode::CREATED, "confirmed lines too: {body}");
    assert_eq!(figures(app, s.product).await, (2, json!(3.5)));

    let page = app
        .get_json(&format!("/v1/products/{}/reviews?size=1", s.product))
        .await;
    assert_eq!(page["summary"]["review_count"], 2);
    assert_eq!(page["summary"]["rating"], 3.5);
    assert_eq!(page["summary"]["rating_counts"], json!([0, 1, 0, 0, 1]));
    assert_eq!(page["items"][0]["rating"], 2, "newest first");
    let cursor = page["next_cursor"].as_str().expect("more");
    let rest = app
        .get_json(&format!(
            "/v1/products/{}/reviews?size=1&cursor={cursor}",
            s.product
        ))
        .await;
    assert_eq!(rest["items"][0]["rating"], 5);
    assert_eq!(rest["items"][0]["photos"].as_array().map(Vec::len), Some(1));
    assert!(rest["next_cursor"].is_null());
    let fives = app
        .get_json(&format!("/v1/products/{}/reviews?rating=5", s.product))
        .await;
    assert_eq!(fives["items"].as_array().map(Vec::len), Some(1));
    let response = app
        .get(&format!("/v1/products/{}/reviews?cursor=bogus", s.product))
        .send()
        .await
        .expect("bad cursor");
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let response = app
        .get(&format!("/v1/products/{}/reviews", Uuid::new_v4()))
        .send()
        .await
        .expect("unknown product");
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn vendors_reply_to_their_own_reviews_and_operations_hide_them() {
    let s = shop_with_a_paid_order().await;
    let app = &s.app;
    deliver(&s).await;
    let (status, review) = write(app, &s.buyer, s.lines[0], 4, &[]).await;
    assert_eq!(status, StatusCode::CREATED, "{review}");
    let review_id = review["id"].as_str().expect("review id").to_owned();

    let seller_api = app.sibling(seller_api::SERVICE);
    let owner = staff::seller_staff(app, "owner", s.vendor, "owner").await;
    let owner = staff::log_in(&seller_api, &owner, 0).await;
    let rival = staff::seller(app, "Rival Knits").await;
    let rival = staff::seller_staff(app, "rival", rival, "owner").await;
    let rival = staff::log_in(&seller_api, &rival, 1).await;
    let listed = |login: Login| {
        let seller_api = &seller_api;
        async move {
            login
                .call(seller_api, Method::GET, "/v1/reviews?unanswered=true")
                .send()
                .await
                .expect("list")
                .json::<Value>()
                .await
                .expect("page")
        }
    };
    assert_eq!(listed(owner.clone()).await["total"], 1);
    assert_eq!(listed(rival.clone()).await["total"], 0, "only their own");
    let reply = |login: &Login, text: &str| {
        login
            .call(
                &seller_api,
                Method::PUT,
                &format!("/v1/reviews/{review_id}/reply"),
            )
            .json(&json!({ "text": text }))
            .send()
    };
    assert_eq!(
        reply(&rival, "Try ours instead")
            .await
            .expect("reply")
            .status(),
        StatusCode::NOT_FOUND
    );
    let response = reply(&owner, "감사합니다! Thank you.")
        .await
        .expect("reply");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(listed(owner.clone()).await["total"], 0, "answered now");
    let page = app
        .get_json(&format!("/v1/products/{}/reviews", s.product))
        .await;
    assert_eq!(
        page["items"][0]["seller_reply"]["text"],
        "감사합니다! Thank you."
    );

    let admin_api = app.sibling(admin_api::SERVICE);
    let moderator = staff::admin(app, "moderator", &["reviews.moderate", "audit.read"]).await;
    let moderator = staff::log_in(&admin_api, &moderator, 0).await;
    let bystander = staff::admin(app, "bystander", &["products.moderate"]).await;
    let bystander = staff::log_in(&admin_api, &bystander, 1).await;
    let hide = |login: &Login, body: Value| {
        login
            .call(
                &admin_api,
                Method::POST,
                &format!("/v1/reviews/{review_id}/hide"),
            )
            .json(&body)
            .send()
    };
    let reason = json!({ "reason": "Shares a phone number." });
    assert_eq!(
        hide(&bystander, reason.clone())
            .await
            .expect("hide")
            .status(),
        StatusCode::FORBIDDEN
    );
    let response = hide(&moderator, json!({ "reason": " " }))
        .await
        .expect("hide");
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(figures(app, s.product).await, (1, json!(4.0)));
    let response = hide(&moderator, reason.clone()).await.expect("hide");
    assert_eq!(response.status(), StatusCode::OK);
    let hidden: Value = response.json().await.expect("review");
    assert_eq!(hidden["hidden_reason"], "Shares a phone number.");
    assert_eq!(figures(app, s.product).await, (0, Value::Null));
    let page = app
        .get_json(&format!("/v1/products/{}/reviews", s.product))
        .await;
    assert_eq!(page["items"], json!([]));
    assert_eq!(page["summary"]["review_count"], 0);
    let again = hide(&moderator, reason).await.expect("hide");
    assert_eq!(again.status(), StatusCode::CONFLICT);
    let found: Value = moderator
        .call(&admin_api, Method::GET, "/v1/reviews?hidden=true")
        .send()
        .await
        .expect("search")
        .json()
        .await
        .expect("page");
    assert_eq!(found["total"], 1);
    let audit: Value = moderator
        .call(
            &admin_api,
            Method::GET,
            "/v1/audit-log?action=review.hidden",
        )
        .send()
        .await
        .expect("audit")
        .json()
        .await
        .expect("audit page");
    assert_eq!(audit["items"][0]["subject_id"], review_id.as_str());

    let response = moderator
        .call(
            &admin_api,
            Method::POST,
            &format!("/v1/reviews/{review_id}/unhide"),
        )
        .send()
        .await
        .expect("unhide");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(figures(app, s.product).await, (1, json!(4.0)));
}

#[tokio::test]
async fn photos_are_limited_and_those_no_review_took_are_purged_with_their_objects() {
    let app = TestApp::spawn(service_api::SERVICE).await;
    let email = shoppers::active_shopper(&app, "photographer").await;
    let me = shoppers::log_in(&app, &email, PASSWORD).await;
    let mut photos = Vec::new();
    for _ in 0..20 {
        let (status, photo) = upload(&app, &me, SWATCH).await;
        assert_eq!(status, StatusCode::CREATED, "{photo}");
        photos.push(photo);
    }
    let (status, body) = upload(&app, &me, SWATCH).await;
    assert_eq!(
        (status, problem(&body).0),
        (StatusCode::CONFLICT, "too_many_photos")
    );

    let ids: Vec<&str> = photos.iter().filter_map(|p| p["id"].as_str()).collect();
    let (status, body) = write(&app, &me, Uuid::new_v4(), 5, &ids[..6]).await;
    assert_eq!(
        (status, body["errors"][0]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("too_many")),
        "at most five"
    );
    let (status, body) = write(&app, &me, Uuid::new_v4(), 5, &[ids[0], ids[0]]).await;
    assert_eq!(
        (status, body["errors"][0]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("duplicate"))
    );

    // A day later, photos no review took are deleted, objects and all.
    let url = photos[0]["url"].as_str().expect("url").to_owned();
    assert_eq!(
        reqwest::get(&url).await.expect("photo").status(),
        StatusCode::OK
    );
    assert_eq!(
        app::catalog::reviews::purge_unattached_photos(&app.state.context)
            .await
            .expect("purge"),
        0,
        "too young"
    );
    app.db
        .run_sql("UPDATE review_photos SET created_at = now() - interval '25 hours'")
        .await
        .expect("age");
    assert_eq!(
        app::catalog::reviews::purge_unattached_photos(&app.state.context)
            .await
            .expect("purge"),
        20
    );
    assert_eq!(
        reqwest::get(&url).await.expect("photo").status(),
        StatusCode::NOT_FOUND
    );
    let (status, _) = upload(&app, &me, SWATCH).await;
    assert_eq!(status, StatusCode::CREATED, "room again");
}
