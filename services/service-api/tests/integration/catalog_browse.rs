//! Shoppers browse listed products of approved vendors: filters, sorts,
//! page and cursor modes, Korean keyword search, product pages — each list
//! in a fixed number of SQL statements whatever its size.
#![expect(clippy::expect_used, reason = "test helpers fail loudly")]

use serde_json::Value;
use testkit::catalog::{self, Listing, Sku, sku};
use testkit::{TestApp, staff};
use uuid::Uuid;

struct Shelf {
    coat: Uuid,
    wool: Uuid,
    shirt: Uuid,
    hidden: Vec<Uuid>,
    women: i64,
    brand_seoul: i64,
}

async fn shelf(app: &TestApp) -> Shelf {
    let women = catalog::category(app, None, "women").await;
    let outer = catalog::category(app, Some(women), "women-outer").await;
    let coats = catalog::category(app, Some(outer), "women-coats").await;
    let men = catalog::category(app, None, "men").await;
    let brand_seoul = catalog::brand(app, "seoul-denim", "Seoul Denim").await;
    let brand_hanok = catalog::brand(app, "hanok-knit", "Hanok Knit").await;
    let approved = staff::seller(app, "Approved Vendor").await;
    let applying = staff::applying_seller(app, "Applying Vendor").await;
    let listing = |seller_id, category_id, brand_id, name, description, status, skus| Listing {
        seller_id,
        category_id,
        brand_id,
        name,
        description,
        status,
        skus,
    };
    let coat = catalog::product(
        app,
        listing(
            approved,
            coats,
            Some(brand_seoul),
            "캐시미어 롱 코트",
            "double-faced cashmere",
            "on_sale",
            vec![sku(390_000, 2)],
        ),
    )
    .await;
    let wool = catalog::product(
        app,
        listing(
            approved,
            outer,
            Some(brand_hanok),
            "울 블렌드 코트",
            "wool blend",
            "on_sale",
            vec![Sku {
                list_price: 250_000,
                sale_price: Some(199_000),
                stock: 0,
            }],
        ),
    )
    .await;
    let shirt = catalog::product(
        app,
        listing(
            approved,
            men,
            None,
            "데님 셔츠",
            "selvedge denim shirt",
            "on_sale",
            vec![sku(59_000, 10), sku(61_000, 3)],
        ),
    )
    .await;
    let mut hidden = Vec::new();
    for (seller, status) in [
        (approved, "draft"),
        (approved, "hidden"),
        (approved, "banned"),
        (applying, "on_sale"),
    ] {
        hidden.push(
            catalog::product(
                app,
                listing(
                    seller,
                    coats,
                    None,
                    "숨은 코트",
                    "",
                    status,
                    vec![sku(1_000, 1)],
                ),
            )
            .await,
        );
    }
    Shelf {
        coat,
        wool,
        shirt,
        hidden,
        women,
        brand_seoul,
    }
}

fn ids(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["id"].as_str().map(str::to_owned))
        .collect()
}

fn id_list(products: &[Uuid]) -> Vec<String> {
    products.iter().map(Uuid::to_string).collect()
}

#[tokio::test]
async fn filters_sorts_and_search_show_only_listed_products_of_approved_vendors() {
    let app = TestApp::spawn(service_api::SERVICE).await;
    let s = shelf(&app).await;
    let get = |query: String| {
        let app = &app;
        async move { app.get_json(&format!("/v1/products?{query}")).await }
    };

    let all = get(String::new()).await;
    assert_eq!(all["total"], 3);
    assert_eq!(
        ids(&all),
        id_list(&[s.shirt, s.wool, s.coat]),
        "newest first"
    );
    assert_eq!(
        ids(&get(format!("category_id={}", s.women)).await),
        id_list(&[s.wool, s.coat]),
        "the whole subtree"
    );
    assert_eq!(
        ids(&get(format!("brand_id={}", s.brand_seoul)).await),
        id_list(&[s.coat])
    );
    assert_eq!(ids(&get("on_sale=true".into()).await), id_list(&[s.wool]));
    assert_eq!(
        ids(&get("in_stock=true".into()).await),
        id_list(&[s.shirt, s.coat])
    );
    assert_eq!(
        ids(&get("min_price=100000".into()).await),
        id_list(&[s.wool, s.coat])
    );
    assert_eq!(
        ids(&get("max_price=199000".into()).await),
        id_list(&[s.shirt, s.wool]),
        "the sale price counts"
    );
    assert_eq!(
        ids(&get("sort=price_asc".into()).await),
        id_list(&[s.shirt, s.wool, s.coat])
    );
    assert_eq!(
        ids(&get("sort=price_desc".into()).await),
        id_list(&[s.coat, s.wool, s.shirt])
    );

    // Korean keywords, descriptions and brand names.
    let coats = get("q=%EC%BD%94%ED%8A%B8".into()).await; // 코트
    assert_eq!(coats["total"], 2);
    assert_eq!(ids(&coats), id_list(&[s.wool, s.coat]));
    assert_eq!(
        ids(&get("q=%EC%BA%90%EC%8B%9C%EB%AF%B8%EC%96%B4".into()).await),
        id_list(&[s.coat])
    ); // 캐시미어
    assert_eq!(ids(&get("q=selvedge".into()).await), id_list(&[s.shirt]));
    assert_eq!(ids(&get("q=seoul".into()).await), id_list(&[s.coat]));
    assert_eq!(
        get("q=%25".into()).await["total"],
        0,
        "a LIKE wildcard is literal"
    );

    let card = &get(format!("brand_id={}", s.brand_seoul)).await["items"][0];
    assert_eq!(card["price"], "390000");
    assert_eq!(card["seller"]["name"], "Approved Vendor");
    assert_eq!(card["brand"]["name"], "Seoul Denim");
    assert_eq!(card["rating"], Value::Null);
    let wool = &get("on_sale=true".into()).await["items"][0];
    assert_eq!(
        (wool["price"].as_str(), wool["list_price"].as_str()),
        (Some("199000"), Some("250000"))
    );
    assert_eq!(wool["in_stock"], false);

    for hidden in &s.hidden {
        let response = app
            .get(&format!("/v1/products/{hidden}"))
            .send()
            .await
            .expect("detail");
        assert_eq!(response.status(), reqwest::StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn pages_carry_totals_and_cursors_continue_where_the_last_page_ended() {
    let app = TestApp::spawn(service_api::SERVICE).await;
    let s = shelf(&app).await;
    let first = app.get_json("/v1/products?size=2&sort=price_asc").await;
    assert_eq!(
        (first["total"].as_i64(), first["page"].as_i64()),
        (Some(3), Some(1))
    );
    assert_eq!(ids(&first), id_list(&[s.shirt, s.wool]));
    let second = app
        .get_json("/v1/products?size=2&page=2&sort=price_asc")
        .await;
    assert_eq!(ids(&second), id_list(&[s.coat]));
    assert_eq!(second["next_cursor"], Value::Null);

    let cursor = first["next_cursor"].as_str().expect("cursor");
    let next = app
        .get_json(&format!(
            "/v1/products?size=2&sort=price_asc&cursor={cursor}"
        ))
        .await;
    assert_eq!(ids(&next), id_list(&[s.coat]));
    assert_eq!(next["total"], Value::Null);
    assert_eq!(next["next_cursor"], Value::Null);
    // Cursors of the newest sort (timestamps) work the same way.
    let newest = app.get_json("/v1/products?size=1").await;
    let cursor = newest["next_cursor"].as_str().expect("cursor");
    let rest = app
        .get_json(&format!("/v1/products?size=5&cursor={cursor}"))
        .await;
    assert_eq!(ids(&rest), id_list(&[s.wool, s.coat]));

    for (query, field) in [
        ("sort=cheapest", "sort"),
        ("size=0", "size"),
        ("size=101", "size"),
        ("page=0", "page"),
        ("min_price=-1", "min_price"),
        ("cursor=bm9wZQ", "cursor"),
        (
            &format!("sort=newest&cursor={cursor}&page=2") as &str,
            "cursor",
        ),
        (
            &format!("sort=price_desc&cursor={cursor}") as &str,
            "cursor",
        ),
    ] {
        let response = app
            .get(&format!("/v1/products?{query}"))
            .send()
            .await
            .expect("list");
        assert_eq!(
            response.status(),
            reqwest::StatusCode::UNPROCESSABLE_ENTITY,
            "{query}"
        );
        let problem: Value = response.json().await.expect("problem");
        assert_eq!(problem["errors"][0]["field"], field, "{query}");
    }
}

#[tokio::test]
async fn a_product_page_shows_options_skus_stock_state_seller_and_reviews() {
    let app = TestApp::spawn(service_api::SERVICE).await;
    let s = shelf(&app).await;
    let shirt = app.get_json(&format!("/v1/products/{}", s.shirt)).await;
    assert_eq!(shirt["name"], "데님 셔츠");
    assert_eq!(shirt["description"], "selvedge denim shirt");
    assert_eq!(shirt["options"][0]["name"], "Size");
    let stock: Vec<&str> = shirt["skus"]
        .as_array()
        .expect("skus")
        .iter()
        .filter_map(|k| k["stock"].as_str())
        .collect();
    assert_eq!(stock, ["in_stock", "low_stock"]);
    assert!(
        shirt["skus"][0].get("on_hand").is_none(),
        "counts stay private"
    );
    assert_eq!(shirt["seller"]["name"], "Approved Vendor");
    assert_eq!(shirt["review_count"], 0);
    let wool = app.get_json(&format!("/v1/products/{}", s.wool)).await;
    assert_eq!(wool["skus"][0]["stock"], "sold_out");
    assert_eq!(wool["skus"][0]["price"], "199000");
}

/// The statements a list or page costs do not grow with what it shows.
#[tokio::test]
async fn lists_and_pages_cost_the_same_statements_whatever_their_size() {
    let app = TestApp::spawn(service_api::SERVICE).await;
    let category = catalog::category(&app, None, "all").await;
    let brand = catalog::brand(&app, "b", "B").await;
    let seller = staff::seller(&app, "Vendor").await;
    let mut small = Uuid::nil();
    let mut large = Uuid::nil();
    for i in 0..30 {
        let skus = if i == 0 {
            vec![sku(1_000, 1)]
        } else {
            (0..10).map(|n| sku(1_000 + n, 1)).collect()
        };
        let id = catalog::product(
            &app,
            Listing {
                seller_id: seller,
                category_id: category,
                brand_id: Some(brand),
                name: "상품",
                description: "",
                status: "on_sale",
                skus,
            },
        )
        .await;
        if i == 0 { small = id } else { large = id }
    }
    let statements = |path: String| {
        let app = &app;
        async move {
            let before = app.state.context.db.statements_sent();
            app.get_json(&path).await;
            app.state.context.db.statements_sent() - before
        }
    };
    let five = statements("/v1/products?size=5".into()).await;
    let thirty = statements("/v1/products?size=30".into()).await;
    assert_eq!(five, thirty, "a list of 30 costs what a list of 5 does");
    assert!(five <= 2, "one page query and one count: {five}");
    let cursor_five = statements(
        "/v1/products?size=5&sort=price_asc&cursor=".to_owned() + &cursor_after_first(&app).await,
    )
    .await;
    assert!(
        cursor_five <= 1,
        "cursor pages skip the count: {cursor_five}"
    );
    let one_sku = statements(format!("/v1/products/{small}")).await;
    let ten_skus = statements(format!("/v1/products/{large}")).await;
    assert_eq!(one_sku, ten_skus);
}

async fn cursor_after_first(app: &TestApp) -> String {
    app.get_json("/v1/products?size=1&sort=price_asc").await["next_cursor"]
        .as_str()
        .expect("cursor")
        .to_owned()
}

/// Lists read precomputed prices; a sale window that opens with no write is
/// picked up by the minute's refresh.
#[tokio::test]
async fn a_sale_window_opening_changes_the_listed_price_at_the_next_refresh() {
    let app = TestApp::spawn(service_api::SERVICE).await;
    let category = catalog::category(&app, None, "all").await;
    let seller = staff::seller(&app, "Vendor").await;
    let product = catalog::product(
        &app,
        Listing {
            seller_id: seller,
            category_id: category,
            brand_id: None,
            name: "시즌 오프",
            description: "",
            status: "on_sale",
            skus: vec![sku(100_000, 3)],
        },
    )
    .await;
    // A sale that starts in an hour, then time passes (the window moves
    // into the past without any write through the app).
    app.db
        .run_sql(&format!("UPDATE skus SET sale_price = 70000, sale_starts_at = now() + interval '1 hour' WHERE product_id = '{product}'"))
        .await
        .expect("future sale");
    app::catalog::browse::refresh_sale_windows(&app.state.context)
        .await
        .expect("refresh");
    let before = app.get_json("/v1/products?on_sale=true").await;
    assert_eq!(before["total"], 0);
    app.db
        .run_sql(&format!("UPDATE skus SET sale_starts_at = now() - interval '1 minute' WHERE product_id = '{product}'"))
        .await
        .expect("window opens");
    assert_eq!(
        app.get_json("/v1/products").await["items"][0]["price"],
        "100000",
        "not yet refreshed"
    );
    let changed = app::catalog::browse::refresh_sale_windows(&app.state.context)
        .await
        .expect("refresh");
    assert_eq!(changed, 1);
    let after = app.get_json("/v1/products?on_sale=true").await;
    assert_eq!(after["total"], 1);
    assert_eq!(after["items"][0]["price"], "70000");
    assert_eq!(
        app::catalog::browse::refresh_sale_windows(&app.state.context)
            .await
            .expect("refresh"),
        0,
        "nothing left to change"
    );
}
