//! A vendor's products and SKUs: options generate SKUs, every price and
//! stock change lands in its ledger, edits need the version read, only
//! approved vendors list, and no vendor reaches another's rows.
#![expect(clippy::expect_used, reason = "test helpers fail loudly")]

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use testkit::TestApp;
use testkit::multipart::{Part, form};
use testkit::routes::operations;
use testkit::shoppers::Login;
use testkit::staff;
use uuid::Uuid;

async fn category(app: &TestApp) -> i64 {
    let slug = format!("outer-{}", &Uuid::new_v4().simple().to_string()[..8]);
    app.db
        .query_text(&format!(
            "INSERT INTO categories (slug, name) VALUES ('{slug}', 'Outer') RETURNING id::text AS value"
        ))
        .await[0]
        .parse()
        .expect("category id")
}

async fn owner_of_approved_vendor(app: &TestApp, name: &str) -> (Uuid, Login) {
    let seller_id = staff::seller(app, name).await;
    let owner = staff::seller_staff(app, "owner", seller_id, "owner").await;
    (seller_id, staff::log_in(app, &owner, 0).await)
}

fn jacket(category_id: i64, code_prefix: &str) -> Value {
    let skus: Vec<Value> = [
        ("Black", "M"),
        ("Black", "L"),
        ("Indigo", "M"),
        ("Indigo", "L"),
    ]
    .iter()
    .map(|(colour, size)| {
        json!({
            "code": format!("{code_prefix}-{colour}-{size}"),
            "option_values": [colour, size],
            "list_price": "59000",
            "sale_price": "49000",
            "stock": 5
        })
    })
    .collect();
    json!({
        "category_id": category_id,
        "name": "셀비지 데님 트러커 자켓",
        "description": "14oz selvedge denim",
        "options": [{"name": "Colour", "values": ["Black", "Indigo"]}, {"name": "Size", "values": ["M", "L"]}],
        "skus": skus
    })
}

async fn send(
    login: &Login,
    app: &TestApp,
    method: Method,
    path: &str,
    body: Option<Value>,
    etag: Option<&str>,
) -> (StatusCode, Value, Option<String>) {
    let mut request = login.call(app, method, path);
    if let Some(body) = body {
        request = request.json(&body);
    }
    if let Some(etag) = etag {
        request = request.header("if-match", etag);
    }
    let response = request.send().await.expect("request");
    let status = response.status();
    let etag = response
        .headers()
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    (status, response.json().await.unwrap_or(Value::Null), etag)
}

const SWATCH: &[u8] = include_bytes!("../../../../crates/testkit/fixtures/images/swatch.png");

async fn upload_image(login: &Login, app: &TestApp, product_id: &str, bytes: &[u8]) -> Value {
    let (content_type, body) = form(&[Part::File("file", "swatch.png", bytes)]);
    let response = login
        .call(
            app,
            Method::POST,
            &format!("/v1/products/{product_id}/images"),
        )
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .expect("upload");
    let status = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    json!({ "status": status.as_u16(), "body": body, "id": body["id"] })
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    app.db.query_text(sql).await[0].parse().expect("count")
}

#[tokio::test]
async fn options_generate_skus_and_every_price_and_stock_change_is_in_its_ledger() {
    let app = TestApp::spawn(seller_api::SERVICE).await;
    let category_id = category(&app).await;
    let (_, owner) = owner_of_approved_vendor(&app, "Seoul Denim").await;

    // Every combination needs exactly one SKU.
    let mut missing = jacket(category_id, "SDW");
    missing["skus"].as_array_mut().expect("skus").pop();
    let (status, body, _) = send(
        &owner,
        &app,
        Method::POST,
        "/v1/products",
        Some(missing),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["errors"][0]["field"], "skus");

    let (status, product, etag) = send(
        &owner,
        &app,
        Method::POST,
        "/v1/products",
        Some(jacket(category_id, "SDW")),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{product}");
    assert_eq!(product["status"], "draft");
    assert_eq!(product["min_price"], "59000");
    assert_eq!(product["skus"].as_array().map(Vec::len), Some(4));
    assert_eq!(product["skus"][0]["price"], "49000");
    let product_id = product["id"].as_str().expect("id").to_owned();
    let sku = product["skus"][0].clone();
    let sku_id = sku["id"].as_str().expect("sku").to_owned();
    assert_eq!(
        count(&app, "SELECT count(*)::text AS value FROM price_history").await,
        4
    );
    assert_eq!(
        count(
            &app,
            "SELECT sum(delta)::text AS value FROM inventory_movements WHERE reason = 'initial'"
        )
        .await,
        20
    );

    // A SKU code is unique per vendor.
    let (status, body, _) = send(
        &owner,
        &app,
        Method::POST,
        "/v1/products",
        Some(jacket(category_id, "SDW")),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["code"], "sku_code_taken");

    // Product edits need the version read.
    let etag = etag.expect("etag");
    let (status, _, _) = send(
        &owner,
        &app,
        Method::PATCH,
        &format!("/v1/products/{product_id}"),
        Some(json!({"status": "on_sale"})),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::PRECONDITION_REQUIRED);
    let (status, listed, _) = send(
        &owner,
        &app,
        Method::PATCH,
        &format!("/v1/products/{product_id}"),
        Some(json!({"status": "on_sale"})),
        Some(&etag),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{listed}");
    assert_eq!(listed["status"], "on_sale");
    let (status, _, _) = send(
        &owner,
        &app,
        Method::PATCH,
        &format!("/v1/products/{product_id}"),
        Some(json!({"name": "stale"})),
        Some(&etag),
    )
    .await;
    assert_eq!(status, StatusCode::PRECONDITION_FAILED);
    let (status, body, _) = send(
        &owner,
        &app,
        Method::PATCH,
        &format!("/v1/products/{product_id}"),
        Some(json!({"status": "banned"})),
        Some(&format!("\"v{}\"", listed["version"])),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["code"], "invalid_status_change");
    // A listed product is not deleted.
    let (status, _, _) = send(
        &owner,
        &app,
        Method::DELETE,
        &format!("/v1/products/{product_id}"),
        None,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);

    // Price and stock changes, each in its ledger.
    let sku_etag = format!("\"v{}\"", sku["version"]);
    let (status, changed, new_etag) = send(
        &owner,
        &app,
        Method::PATCH,
        &format!("/v1/skus/{sku_id}"),
        Some(json!({"pricing": {"list_price": "62000"}, "stock": {"delta": 3, "reason": "restock", "reference": "PO-7"}})),
        Some(&sku_etag),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    assert_eq!(changed["list_price"], "62000");
    assert_eq!(changed["sale_price"], Value::Null);
    assert_eq!(changed["on_hand"], 8);
    assert_eq!(
        count(
            &app,
            &format!("SELECT count(*)::text AS value FROM price_history WHERE sku_id = '{sku_id}'")
        )
        .await,
        2
    );
    assert_eq!(
        app.db.query_text(&format!("SELECT concat_ws(':', reason, delta, on_hand_after, reference) AS value FROM inventory_movements WHERE sku_id = '{sku_id}' ORDER BY id")).await,
        vec!["initial:5:5".to_owned(), "restock:3:8:PO-7".to_owned()]
    );
    let (status, _, _) = send(
        &owner,
        &app,
        Method::PATCH,
        &format!("/v1/skus/{sku_id}"),
        Some(json!({"stock": {"delta": -1, "reason": "damaged"}})),
        Some(&sku_etag),
    )
    .await;
    assert_eq!(status, StatusCode::PRECONDITION_FAILED);
    let new_etag = new_etag.expect("etag");
    let (status, body, _) = send(
        &owner,
        &app,
        Method::PATCH,
        &format!("/v1/skus/{sku_id}"),
        Some(json!({"stock": {"delta": -9, "reason": "damaged"}})),
        Some(&new_etag),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["code"], "insufficient_stock");
    let (status, body, _) = send(
        &owner,
        &app,
        Method::PATCH,
        &format!("/v1/skus/{sku_id}"),
        Some(json!({"stock": {"delta": 1, "reason": "sold"}})),
        Some(&new_etag),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "orders, not people, sell: {body}"
    );
    // The ledgers refuse rewriting.
    assert!(
        app.db
            .run_sql("UPDATE inventory_movements SET delta = 100")
            .await
            .is_err()
    );
    assert!(
        app.db
            .run_sql("UPDATE price_history SET list_price = 1")
            .await
            .is_err()
    );
    // The product's lowest price follows its SKUs.
    let (_, product, _) = send(
        &owner,
        &app,
        Method::GET,
        &format!("/v1/products/{product_id}"),
        None,
        None,
    )
    .await;
    assert_eq!(product["min_price"], "59000");
}

#[tokio::test]
async fn only_an_approved_vendor_lists_products() {
    let app = TestApp::spawn(seller_api::SERVICE).await;
    let category_id = category(&app).await;
    let seller_id = staff::applying_seller(&app, "Not Yet").await;
    let owner = staff::seller_staff(&app, "owner", seller_id, "owner").await;
    let owner = staff::log_in(&app, &owner, 0).await;
    let (status, body, _) = send(
        &owner,
        &app,
        Method::POST,
        "/v1/products",
        Some(jacket(category_id, "NY")),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(body["code"], "seller_not_approved");
    assert_eq!(
        count(&app, "SELECT count(*)::text AS value FROM products").await,
        0
    );
}

/// Every seller-api route that takes an id, called with another vendor's
/// ids, answers 404 — and changes nothing.
#[tokio::test]
async fn every_route_answers_404_for_another_vendors_ids() {
    let app = TestApp::spawn(seller_api::SERVICE).await;
    let category_id = category(&app).await;
    let (_, mine) = owner_of_approved_vendor(&app, "Mine").await;
    let (theirs_id, theirs) = owner_of_approved_vendor(&app, "Theirs").await;

    let (_, product, _) = send(
        &theirs,
        &app,
        Method::POST,
        "/v1/products",
        Some(jacket(category_id, "TH")),
        None,
    )
    .await;
    let product_id = product["id"].as_str().expect("product").to_owned();
    let sku_id = product["skus"][0]["id"].as_str().expect("sku").to_owned();
    let colleague = staff::seller_staff(&app, "colleague", theirs_id, "staff").await;
    // Their application and document (made before approval would be the
    // usual order; the rows are what matter here).
    app.db
        .run_sql(&format!(
            "UPDATE sellers SET status = 'applying' WHERE id = '{theirs_id}'"
        ))
        .await
        .expect("reopen");
    let (status, applied, _) = send(
        &theirs,
        &app,
        Method::POST,
        "/v1/applications",
        Some(json!({
            "company_name": "Theirs Co.", "business_registration_no": "1248100998", "representative_name": "Lee",
            "contact_email": "cs@theirs.example", "contact_phone": "01012345678", "settlement_bank_code": "088",
            "settlement_account_number": "110123456789", "settlement_account_holder": "Theirs",
            "shipping_policy": {"base_fee": "3000", "remote_area_surcharge": "3000", "return_fee": "3000"}
        })),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{applied}");
    let application_id = applied["application_id"]
        .as_str()
        .expect("application")
        .to_owned();
    let (content_type, upload) = form(&[
        Part::Text("document_type", "bankbook"),
        Part::File("file", "b.pdf", b"%PDF-1.7\n"),
    ]);
    let document = theirs
        .call(
            &app,
            Method::POST,
            &format!("/v1/applications/{application_id}/documents"),
        )
        .header("content-type", content_type)
        .body(upload)
        .send()
        .await
        .expect("upload");
    let document: Value = document.json().await.expect("json");
    let document_id = document["id"].as_str().expect("document").to_owned();
    let order_id = testkit::shop::bare_order(&app, theirs_id).await;
    let image_id = upload_image(&theirs, &app, &product_id, SWATCH).await["id"]
        .as_str()
        .expect("image")
        .to_owned();
    let product_uuid = Uuid::parse_str(&product_id).expect("product id");
    let review_id = testkit::shop::bare_review(&app, theirs_id, product_uuid).await;
    let sku_uuid = Uuid::parse_str(&sku_id).expect("sku id");
    let claim_id =
        testkit::shop::bare_claim(&app, theirs_id, order_id, product_uuid, sku_uuid).await;
    let shipment_id = Uuid::new_v4();
    app.db
        .run_sql(&format!(
            "INSERT INTO shipments (id, seller_order_id, purchase_order_id, seller_id, carrier, tracking_number) \
             VALUES ('{shipment_id}', '{order_id}', '{order_id}', '{theirs_id}', 'kr.cjlogistics', '601234567890')"
        ))
        .await
        .expect("shipment");
    let payout_id = app
        .db
        .query_text(&format!(
            "INSERT INTO payout_batches (payee_kind, payee_id, cut_off, amount) \
             VALUES ('seller', '{theirs_id}', now(), 100) RETURNING id::text AS value"
        ))
        .await[0]
        .clone();
    // Every row a vendor could touch, as one digest.
    let fingerprint = "SELECT md5(string_agg(t::text, ',' ORDER BY t::text)) AS value FROM (SELECT p::text AS t FROM products p UNION ALL SELECT s::text FROM skus s UNION ALL SELECT a::text FROM seller_applications a UNION ALL SELECT d::text FROM seller_documents d UNION ALL SELECT st.status || st.id FROM staff_accounts st UNION ALL SELECT o::text FROM seller_orders o UNION ALL SELECT i::text FROM product_images i UNION ALL SELECT r::text FROM reviews r UNION ALL SELECT sh::text FROM shipments sh UNION ALL SELECT c::text FROM claims c UNION ALL SELECT b::text FROM payout_batches b) x";
    let before = app.db.query_text(fingerprint).await;

    let mut covered = 0;
    for operation in operations(&seller_api::SERVICE) {
        if !operation.path.contains('{') {
            continue;
        }
        let resource = operation.path.split('/').nth(2).expect("resource");
        let id = match resource {
            "products" => product_id.clone(),
            "skus" => sku_id.clone(),
            "applications" => application_id.clone(),
            "documents" => document_id.clone(),
            "staff" => colleague.id.to_string(),
            "orders" => order_id.to_string(),
            "reviews" => review_id.to_string(),
            "shipments" => shipment_id.to_string(),
            "claims" => claim_id.to_string(),
            "settlement" if operation.path.contains("/payouts/") => payout_id.clone(),
            // A statement's id is a month: the caller's own statement of it,
            // never another vendor's row.
            "settlement" => continue,
            other => panic!("{operation:?}: add {other} ids to this test"),
        };
        let path = operation
            .path
            .replace("{id}", &id)
            .replace("{image_id}", &image_id);
        let mut request = mine
            .call(&app, operation.method.clone(), &path)
            .header("if-match", "\"v1\"")
            .header("idempotency-key", Uuid::new_v4().to_string());
        request = if path.ends_with("/images") {
            let (content_type, body) = form(&[Part::File("file", "s.png", SWATCH)]);
            request.header("content-type", content_type).body(body)
        } else if path.ends_with("/documents") {
            let (content_type, body) = form(&[
                Part::Text("document_type", "bankbook"),
                Part::File("file", "b.pdf", b"%PDF-1.7\n"),
            ]);
            request.header("content-type", content_type).body(body)
        } else if path.ends_with("/cancellations") {
            request.json(&json!({"reason": "sold_out", "product_order_ids": [Uuid::new_v4()]}))
        } else if path.ends_with("/accept") {
            request.json(&json!({"product_order_ids": [Uuid::new_v4()]}))
        } else if path.ends_with("/shipments") && operation.method == Method::POST {
            request.json(&json!({"product_order_ids": [Uuid::new_v4()], "carrier": "kr.cjlogistics", "tracking_number": "601234567891"}))
        } else if path.ends_with("/dispatch-date") {
            request.json(&json!({"date": "2030-01-02"}))
        } else if path.ends_with("/dispatch-delay") {
            request.json(&json!({"until": "2030-01-02", "reason": "custom_build"}))
        } else if path.ends_with("/reject") {
            request.json(&json!({"note": "not ours"}))
        } else if path.ends_with("/holdback") {
            request.json(&json!({"reason": "not ours"}))
        } else if path.ends_with("/reply") {
            request.json(&json!({"text": "Thank you for the review."}))
        } else if path.ends_with("/skus") {
            request.json(
                &json!({"code": "MINE-1", "option_values": ["Black", "XL"], "list_price": "1000"}),
            )
        } else if operation.method == Method::PATCH && resource == "skus" {
            request.json(&json!({"stock": {"delta": 1, "reason": "restock"}}))
        } else if operation.method == Method::PATCH {
            request.json(&json!({"name": "mine now"}))
        } else if matches!(operation.method.as_str(), "POST" | "PUT") {
            request.json(&json!({}))
        } else {
            request
        };
        let response = request.send().await.expect("request");
        assert_eq!(
            response.status(),
            StatusCode::NOT_FOUND,
            "{} {path}",
            operation.method
        );
        covered += 1;
    }
    assert!(covered >= 10, "only {covered} routes take ids");
    let after = app.db.query_text(fingerprint).await;
    assert_eq!(before, after, "a refused call changed something");
}

#[tokio::test]
async fn product_images_are_checked_by_their_bytes_stored_and_served_by_presigned_urls() {
    let app = TestApp::spawn(seller_api::SERVICE).await;
    let category_id = category(&app).await;
    let (_, owner) = owner_of_approved_vendor(&app, "Pictures").await;
    let (_, product, _) = send(
        &owner,
        &app,
        Method::POST,
        "/v1/products",
        Some(jacket(category_id, "PX")),
        None,
    )
    .await;
    let product_id = product["id"].as_str().expect("product").to_owned();

    let refused = upload_image(&owner, &app, &product_id, b"%PDF-1.7\n").await;
    assert_eq!(refused["status"], 422, "{refused}");
    assert_eq!(
        refused["body"]["errors"][0]["code"],
        "unsupported_file_type"
    );

    let uploaded = upload_image(&owner, &app, &product_id, SWATCH).await;
    assert_eq!(uploaded["status"], 201, "{uploaded}");
    assert_eq!(uploaded["body"]["content_type"], "image/png");
    assert_eq!(uploaded["body"]["position"], 0);
    let served = reqwest::get(uploaded["body"]["url"].as_str().expect("url"))
        .await
        .expect("fetch");
    assert_eq!(served.status(), StatusCode::OK);
    assert_eq!(served.bytes().await.expect("bytes").as_ref(), SWATCH);

    for _ in 1..10 {
        assert_eq!(
            upload_image(&owner, &app, &product_id, SWATCH).await["status"],
            201
        );
    }
    let eleventh = upload_image(&owner, &app, &product_id, SWATCH).await;
    assert_eq!(eleventh["status"], 409, "{eleventh}");
    assert_eq!(eleventh["body"]["code"], "too_many_images");

    let image_id = uploaded["id"].as_str().expect("id");
    let path = format!("/v1/products/{product_id}/images/{image_id}");
    let (status, _, _) = send(&owner, &app, Method::DELETE, &path, None, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _, _) = send(&owner, &app, Method::DELETE, &path, None, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // List cards show the first image left, whoever changed the images.
    let thumbnail = format!(
        "SELECT coalesce((SELECT i.position::text FROM product_stats st JOIN product_images i \
         ON i.object_key = st.thumbnail_key WHERE st.product_id = '{product_id}'), 'none') AS value"
    );
    assert_eq!(app.db.query_text(&thumbnail).await, ["1"]);
    // The freed position is used again.
    let again = upload_image(&owner, &app, &product_id, SWATCH).await;
    assert_eq!(again["body"]["position"], 0, "{again}");
    assert_eq!(app.db.query_text(&thumbnail).await, ["0"]);
    assert_eq!(
        count(&app, "SELECT count(*)::text AS value FROM product_images").await,
        10
    );
}
