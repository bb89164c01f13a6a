//! Likes with counts, restock alerts queued through the outbox when stock
//! comes back, and product views counted without a write per request.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use testkit::catalog::{self, Listing, sku};
use testkit::shoppers::{self, PASSWORD};
use testkit::{TestApp, TestMail, staff};
use uuid::Uuid;

async fn listed(app: &TestApp, seller_id: Uuid, category_id: i64, name: &str, stock: i32) -> Uuid {
    catalog::product(
        app,
        Listing {
            seller_id,
            category_id,
            brand_id: None,
            name,
            description: "",
            status: "on_sale",
            skus: vec![sku(10_000, stock)],
        },
    )
    .await
}

#[tokio::test]
async fn likes_are_counted_once_per_shopper_and_listed_newest_first() {
    let app = TestApp::spawn(service_api::SERVICE).await;
    let category = catalog::category(&app, None, "all").await;
    let seller = staff::seller(&app, "Vendor").await;
    let first = listed(&app, seller, category, "첫째", 1).await;
    let second = listed(&app, seller, category, "둘째", 1).await;
    let draft = catalog::product(
        &app,
        Listing {
            seller_id: seller,
            category_id: category,
            brand_id: None,
            name: "draft",
            description: "",
            status: "draft",
            skus: vec![sku(1, 1)],
        },
    )
    .await;
    let email = shoppers::active_shopper(&app, "liker").await;
    let me = shoppers::log_in(&app, &email, PASSWORD).await;
    let other = shoppers::log_in(
        &app,
        &shoppers::active_shopper(&app, "other").await,
        PASSWORD,
    )
    .await;

    let like = |login: &shoppers::Login, product: Uuid| {
        login
            .call(&app, Method::PUT, &format!("/v1/me/wishlist/{product}"))
            .send()
    };
    assert_eq!(
        like(&me, first).await.expect("like").status(),
        StatusCode::CREATED
    );
    assert_eq!(
        like(&me, first).await.expect("like").status(),
        StatusCode::NO_CONTENT,
        "idempotent"
    );
    assert_eq!(
        like(&me, second).await.expect("like").status(),
        StatusCode::CREATED
    );
    assert_eq!(
        like(&other, first).await.expect("like").status(),
        StatusCode::CREATED
    );
    assert_eq!(
        like(&me, draft).await.expect("like").status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        like(&me, Uuid::new_v4()).await.expect("like").status(),
        StatusCode::NOT_FOUND
    );

    let list: Value = me
        .call(&app, Method::GET, "/v1/me/wishlist")
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("json");
    let names: Vec<&str> = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["name"].as_str())
        .collect();
    assert_eq!(names, ["둘째", "첫째"]);
    assert_eq!(list["items"][1]["like_count"], 2);

    let unlike = me
        .call(&app, Method::DELETE, &format!("/v1/me/wishlist/{first}"))
        .send()
        .await
        .expect("unlike");
    assert_eq!(unlike.status(), StatusCode::NO_CONTENT);
    let again = me
        .call(&app, Method::DELETE, &format!("/v1/me/wishlist/{first}"))
        .send()
        .await
        .expect("unlike");
    assert_eq!(again.status(), StatusCode::NO_CONTENT);
    let page = app.get_json(&format!("/v1/products/{first}")).await;
    assert_eq!(page["like_count"], 1);
    // Without a token there is no wishlist.
    assert_eq!(
        app.get("/v1/me/wishlist")
            .send()
            .await
            .expect("anonymous")
            .status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn a_restock_emails_each_subscriber_once_through_the_outbox() {
    let app = TestApp::spawn(service_api::SERVICE).await;
    let seller_api = app.sibling(seller_api::SERVICE);
    let category = catalog::category(&app, None, "all").await;
    let seller = staff::seller(&app, "Vendor").await;
    let owner = staff::seller_staff(&app, "owner", seller, "owner").await;
    let owner = staff::log_in(&seller_api, &owner, 0).await;
    let product = listed(&app, seller, category, "품절 니트", 0).await;
    let in_stock = listed(&app, seller, category, "재고 있음", 3).await;
    let sku_of = |product: Uuid| {
        let app = &app;
        async move {
            app.get_json(&format!("/v1/products/{product}")).await["skus"][0]["id"]
                .as_str()
                .expect("sku")
                .to_owned()
        }
    };
    let sold_out_sku = sku_of(product).await;
    let emails = [
        shoppers::active_shopper(&app, "waiting1").await,
        shoppers::active_shopper(&app, "waiting2").await,
    ];
    for email in &emails {
        let login = shoppers::log_in(&app, email, PASSWORD).await;
        let subscribed = login
            .call(
                &app,
                Method::POST,
                &format!("/v1/skus/{sold_out_sku}/restock-alerts"),
            )
            .send()
            .await
            .expect("subscribe");
        assert_eq!(subscribed.status(), StatusCode::NO_CONTENT);
        let twice = login
            .call(
                &app,
                Method::POST,
                &format!("/v1/skus/{sold_out_sku}/restock-alerts"),
            )
            .send()
            .await
            .expect("subscribe");
        assert_eq!(twice.status(), StatusCode::NO_CONTENT);
        let available = sku_of(in_stock).await;
        let refused = login
            .call(
                &app,
                Method::POST,
                &format!("/v1/skus/{available}/restock-alerts"),
            )
            .send()
            .await
            .expect("subscribe");
        assert_eq!(refused.status(), StatusCode::CONFLICT);
    }

    // A stock change that leaves it at zero queues nothing; none → some does.
    let version = |sku: &str| {
        let app = &app;
        let sku = sku.to_owned();
        async move {
            app.db
                .query_text(&format!(
                    "SELECT version::text AS value FROM skus WHERE id = '{sku}'"
                ))
                .await[0]
                .clone()
        }
    };
    let patch = |body: Value, etag: String| {
        owner
            .call(
                &seller_api,
                Method::PATCH,
                &format!("/v1/skus/{sold_out_sku}"),
            )
            .header("if-match", format!("\"v{etag}\""))
            .json(&body)
            .send()
    };
    let queued = || {
        app.db.query_text(
            "SELECT count(*)::text AS value FROM jobs WHERE kind = 'catalog.send_restock_alerts'",
        )
    };
    let restocked = patch(
        json!({"pricing": {"list_price": "12000"}}),
        version(&sold_out_sku).await,
    )
    .await
    .expect("patch");
    assert_eq!(restocked.status(), StatusCode::OK);
    assert_eq!(queued().await, ["0"]);
    let restocked = patch(
        json!({"stock": {"delta": 5, "reason": "restock"}}),
        version(&sold_out_sku).await,
    )
    .await
    .expect("patch");
    assert_eq!(restocked.status(), StatusCode::OK);
    assert_eq!(
        queued().await,
        ["1"],
        "queued in the stock change's transaction"
    );
    // More stock on top of some is no new alert.
    let more = patch(
        json!({"stock": {"delta": 1, "reason": "restock"}}),
        version(&sold_out_sku).await,
    )
    .await
    .expect("patch");
    assert_eq!(more.status(), StatusCode::OK);
    assert_eq!(queued().await, ["1"]);

    app.run_jobs().await;
    let mail = TestMail::from_env();
    for email in &emails {
        let messages = mail.messages_to(email).await;
        let alerts: Vec<&Value> = messages
            .iter()
            .filter(|m| {
                m["subject"]
                    .as_str()
                    .is_some_and(|s| s.starts_with("Back in stock"))
            })
            .collect();
        assert_eq!(alerts.len(), 1, "{email}");
        assert!(
            alerts[0]["subject"]
                .as_str()
                .is_some_and(|s| s.contains("품절 니트"))
        );
    }
    let pending = app
        .db
        .query_text(
            "SELECT count(*)::text AS value FROM restock_subscriptions WHERE notified_at IS NULL",
        )
        .await;
    assert_eq!(pending, ["0"]);
}

#[tokio::test]
async fn views_are_counted_in_redis_then_flushed_in_one_batch_and_drive_popularity() {
    let app = TestApp::spawn(service_api::SERVICE).await;
    let category = catalog::category(&app, None, "all").await;
    let seller = staff::seller(&app, "Vendor").await;
    let quiet = listed(&app, seller, category, "조용한 상품", 1).await;
    let popular = listed(&app, seller, category, "인기 상품", 1).await;

    let before = app.state.context.db.statements_sent();
    for _ in 0..5 {
        app.get_json(&format!("/v1/products/{popular}")).await;
    }
    let per_view = (app.state.context.db.statements_sent() - before) / 5;
    app.get_json(&format!("/v1/products/{quiet}")).await;
    let single = app.state.context.db.statements_sent() - before - per_view * 5;
    assert_eq!(per_view, single, "a view adds no statement of its own");
    assert_eq!(
        app.db
            .query_text("SELECT sum(view_count)::text AS value FROM product_stats")
            .await,
        ["0"],
        "nothing written yet"
    );

    let flushed = app::catalog::popularity::flush(&app.state.context)
        .await
        .expect("flush");
    assert_eq!(flushed, 2);
    let counts = app.db.query_text(&format!("SELECT view_count::text AS value FROM product_stats WHERE product_id IN ('{popular}', '{quiet}') ORDER BY view_count DESC")).await;
    assert_eq!(counts, ["5", "1"]);
    assert_eq!(
        app::catalog::popularity::flush(&app.state.context)
            .await
            .expect("flush"),
        0,
        "each view counts once"
    );

    app::catalog::popularity::recompute_popularity(&app.state.context)
        .await
        .expect("popularity");
    let by_popularity = app.get_json("/v1/products?sort=popular").await;
    let names: Vec<&str> = by_popularity["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["name"].as_str())
        .collect();
    assert_eq!(names, ["인기 상품", "조용한 상품"]);
}
