//! Operations manage categories and brands and moderate products; shoppers
//! see the result on service-api.
#![expect(clippy::expect_used, reason = "test helpers fail loudly")]

use domain::identity::permissions::admin;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use testkit::shoppers::Login;
use testkit::{TestApp, TestServer, staff};

async fn call(
    server: &TestServer,
    login: &Login,
    method: Method,
    path: &str,
    body: Option<Value>,
    etag: Option<&str>,
) -> (StatusCode, Value) {
    let mut request = login.call(server, method, path);
    if let Some(body) = body {
        request = request.json(&body);
    }
    if let Some(etag) = etag {
        request = request.header("if-match", etag);
    }
    let response = request.send().await.expect("request");
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

fn version(body: &Value) -> String {
    format!("\"v{}\"", body["version"])
}

#[tokio::test]
async fn categories_nest_three_deep_move_only_without_children_and_hide_their_subtree() {
    let app = TestApp::spawn(admin_api::SERVICE).await;
    let shop = app.sibling(service_api::SERVICE);
    let account = staff::admin(&app, "catalog", &[admin::CATALOG_MANAGE]).await;
    let ops = staff::log_in(&app, &account, 0).await;
    let create = |parent: Option<i64>, slug: &str| {
        call(
            &app,
            &ops,
            Method::POST,
            "/v1/categories",
            Some(json!({"parent_id": parent, "slug": slug, "name": slug})),
            None,
        )
    };
    let (status, women) = create(None, "women").await;
    assert_eq!(status, StatusCode::CREATED, "{women}");
    let (_, outer) = create(women["id"].as_i64(), "women-outer").await;
    let (_, coats) = create(outer["id"].as_i64(), "women-coats").await;
    assert_eq!(coats["depth"], 3);
    let (status, body) = create(coats["id"].as_i64(), "too-deep").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["errors"][0]["code"], "too_deep");
    let (status, body) = create(None, "women").await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["code"], "slug_taken");
    let (status, body) = create(None, "Women Outer").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["errors"][0]["field"], "slug");

    let outer_path = format!("/v1/categories/{}", outer["id"]);
    let (status, _) = call(
        &app,
        &ops,
        Method::PATCH,
        &outer_path,
        Some(json!({"parent_id": null})),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::PRECONDITION_REQUIRED);
    let (status, body) = call(
        &app,
        &ops,
        Method::PATCH,
        &outer_path,
        Some(json!({"parent_id": null})),
        Some(&version(&outer)),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["code"], "category_has_children");

    let tree = shop.get_json("/v1/categories").await;
    assert_eq!(
        tree["categories"][0]["children"][0]["children"][0]["slug"],
        "women-coats"
    );
    let (status, hidden) = call(
        &app,
        &ops,
        Method::PATCH,
        &outer_path,
        Some(json!({"is_active": false})),
        Some(&version(&outer)),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{hidden}");
    let (status, _) = call(
        &app,
        &ops,
        Method::PATCH,
        &outer_path,
        Some(json!({"name": "stale"})),
        Some(&version(&outer)),
    )
    .await;
    assert_eq!(status, StatusCode::PRECONDITION_FAILED);
    let tree = shop.get_json("/v1/categories").await;
    assert_eq!(
        tree["categories"][0]["children"],
        json!([]),
        "the inactive subtree is hidden"
    );
    let (_, all) = call(&app, &ops, Method::GET, "/v1/categories", None, None).await;
    assert_eq!(
        all["items"].as_array().map(Vec::len),
        Some(3),
        "operations still see it"
    );
}

#[tokio::test]
async fn brands_are_managed_here_and_shoppers_see_the_active_ones() {
    let app = TestApp::spawn(admin_api::SERVICE).await;
    let shop = app.sibling(service_api::SERVICE);
    let account = staff::admin(&app, "brands", &[admin::CATALOG_MANAGE]).await;
    let ops = staff::log_in(&app, &account, 0).await;
    let (status, denim) = call(
        &app,
        &ops,
        Method::POST,
        "/v1/brands",
        Some(json!({"slug": "seoul-denim", "name": "서울 데님"})),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{denim}");
    let (_, knit) = call(
        &app,
        &ops,
        Method::POST,
        "/v1/brands",
        Some(json!({"slug": "hanok-knit", "name": "Hanok Knit"})),
        None,
    )
    .await;
    let (status, _) = call(
        &app,
        &ops,
        Method::PATCH,
        &format!("/v1/brands/{}", knit["id"]),
        Some(json!({"is_active": false})),
        Some(&version(&knit)),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let brands = shop.get_json("/v1/brands").await;
    let names: Vec<&str> = brands["brands"]
        .as_array()
        .expect("brands")
        .iter()
        .filter_map(|b| b["name"].as_str())
        .collect();
    assert_eq!(names, ["서울 데님"]);
    let (_, managed) = call(&app, &ops, Method::GET, "/v1/brands", None, None).await;
    assert_eq!(managed["items"].as_array().map(Vec::len), Some(2));
}

#[tokio::test]
async fn operations_find_hide_and_ban_products_and_only_they_lift_a_ban() {
    let app = TestApp::spawn(admin_api::SERVICE).await;
    let seller_api = app.sibling(seller_api::SERVICE);
    let category: i64 = app
        .db
        .query_text("INSERT INTO categories (slug, name) VALUES ('outer', 'Outer') RETURNING id::text AS value")
        .await[0]
        .parse()
        .expect("category");
    let seller_id = staff::seller(&app, "Vendor").await;
    let owner = staff::seller_staff(&app, "owner", seller_id, "owner").await;
    let owner = staff::log_in(&seller_api, &owner, 0).await;
    let (status, product) = call(
        &seller_api,
        &owner,
        Method::POST,
        "/v1/products",
        Some(json!({"category_id": category, "name": "캐시미어 롱 코트", "skus": [{"code": "CM-1", "list_price": "390000", "stock": 2}]})),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{product}");
    let product_path = format!("/v1/products/{}", product["id"].as_str().expect("id"));
    let (status, _) = call(
        &seller_api,
        &owner,
        Method::PATCH,
        &product_path,
        Some(json!({"status": "on_sale"})),
        Some(&version(&product)),
    )
    .await;
    assert_eq!(status, StatusCode::OK);

    let account = staff::admin(&app, "moderator", &[admin::PRODUCTS_MODERATE]).await;
    let ops = staff::log_in(&app, &account, 0).await;
    let (status, found) = call(
        &app,
        &ops,
        Method::GET,
        "/v1/products?q=%EC%BD%94%ED%8A%B8&status=on_sale",
        None,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{found}");
    assert_eq!(found["total"], 1);
    assert_eq!(found["items"][0]["name"], "캐시미어 롱 코트");
    let (_, none) = call(&app, &ops, Method::GET, "/v1/products?q=100%25", None, None).await;
    assert_eq!(none["total"], 0, "LIKE wildcards are literal");

    let (status, body) = call(
        &app,
        &ops,
        Method::POST,
        &format!("{product_path}/ban"),
        Some(json!({})),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["errors"][0]["field"], "reason");
    let (status, banned) = call(
        &app,
        &ops,
        Method::POST,
        &format!("{product_path}/ban"),
        Some(json!({"reason": "Counterfeit"})),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(banned["status"], "banned");
    // The vendor sees why and cannot relist it.
    let (_, seen) = call(&seller_api, &owner, Method::GET, &product_path, None, None).await;
    assert_eq!(seen["moderation_note"], "Counterfeit");
    let (status, _) = call(
        &seller_api,
        &owner,
        Method::PATCH,
        &product_path,
        Some(json!({"status": "on_sale"})),
        Some(&version(&seen)),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, body) = call(
        &app,
        &ops,
        Method::POST,
        &format!("{product_path}/hide"),
        Some(json!({"reason": "x"})),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["code"], "product_banned");

    let (status, lifted) = call(
        &app,
        &ops,
        Method::POST,
        &format!("{product_path}/unban"),
        Some(json!({})),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(lifted["status"], "hidden");
    let (_, seen) = call(&seller_api, &owner, Method::GET, &product_path, None, None).await;
    let (status, _) = call(
        &seller_api,
        &owner,
        Method::PATCH,
        &product_path,
        Some(json!({"status": "on_sale"})),
        Some(&version(&seen)),
    )
    .await;
    assert_eq!(status, StatusCode::OK);

    let actions = app
        .db
        .query_text("SELECT action AS value FROM security_audit_log WHERE action LIKE 'product.%' ORDER BY id")
        .await;
    assert_eq!(actions, ["product.banned", "product.unbanned"]);
}
