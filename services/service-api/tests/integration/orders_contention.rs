//! Concurrency: parallel checkouts never oversell one SKU, orders of the
//! same SKUs never deadlock, the expiry sweep keeps no SKU locked past its
//! order's release, parallel claims never issue a coupon past its
//! limits, and one shopper's parallel requests take turns (each reads what
//! the one before it wrote: no addition lost, no order past the cap).

use futures_util::future::join_all;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use testkit::FreshKey;
use testkit::catalog::{self, Listing, sku};
use testkit::shop::{self, add_to_cart, checkout, checkout_body};
use testkit::shoppers::{self, PASSWORD};
use testkit::{TestApp, staff};
use uuid::Uuid;

/// The app with a pool small enough for the buyers to queue for
/// connections, and a product on sale in category `slug` with one SKU per
/// entry of `skus`; returns the SKU ids.
async fn contended_shop(slug: &str, name: &str, skus: Vec<catalog::Sku>) -> (TestApp, Vec<Uuid>) {
    let app = TestApp::builder(service_api::SERVICE)
        .setting("database.pool_max_size", "8")
        .setting("database.pool_wait_timeout_ms", "60000")
        .spawn()
        .await;
    let category = catalog::category(&app, None, slug).await;
    let seller = staff::seller(&app, &format!("{name} shop")).await;
    let product = catalog::product(
        &app,
        Listing {
            seller_id: seller,
            category_id: category,
            brand_id: None,
            name,
            description: "",
            status: "on_sale",
            skus,
        },
    )
    .await;
    let skus = shop::skus_of(&app, product).await;
    (app, skus)
}

const BUYERS: usize = 200;
const STOCK: i32 = 50;

#[tokio::test]
async fn two_hundred_parallel_checkouts_for_fifty_units_sell_exactly_fifty() {
    let (app, skus) = contended_shop("drop", "Limited sneaker", vec![sku(189_000, STOCK)]).await;
    let sku_id = skus[0];

    let mut buyers = Vec::with_capacity(BUYERS);
    for _ in 0..BUYERS {
        let guest = shop::guest(&app).await;
        assert_eq!(guest.status, StatusCode::OK);
        let (status, _) = add_to_cart(&app, &guest, sku_id, 1).await;
        assert_eq!(status, StatusCode::OK);
        buyers.push(guest);
    }

    let body = checkout_body(json!({}));
    let keys: Vec<String> = (0..BUYERS).map(|n| format!("drop-{n}")).collect();
    let answers = join_all(
        buyers
            .iter()
            .zip(&keys)
            .map(|(buyer, key)| checkout(&app, buyer, key, &body)),
    )
    .await;

    let created: Vec<&Value> = answers
        .iter()
        .filter(|(status, _)| *status == StatusCode::CREATED)
        .map(|(_, body)| body)
        .collect();
    assert_eq!(created.len(), STOCK as usize, "exactly the stock sells");
    for (status, problem) in answers.iter().filter(|(s, _)| *s != StatusCode::CREATED) {
        assert_eq!(*status, StatusCode::CONFLICT, "{problem}");
        assert_eq!(problem["code"], "stock_insufficient", "{problem}");
        assert_eq!(problem["items"][0]["sku_id"], sku_id.to_string());
    }
    assert_eq!(shop::stock_of(&app, sku_id).await, (STOCK, STOCK));

    // Paying them all takes the stock to zero, never below.
    let payers: Vec<_> = answers
        .iter()
        .zip(&buyers)
        .filter(|((status, _), _)| *status == StatusCode::CREATED)
        .map(|((_, body), buyer)| {
            (
                buyer,
                body["purchase_order_id"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
            )
        })
        .collect();
    let paid = join_all(payers.iter().map(|(buyer, id)| shop::pay(&app, buyer, id))).await;
    for (status, body) in &paid {
        assert_eq!(*status, StatusCode::OK, "{body}");
    }
    assert_eq!(shop::stock_of(&app, sku_id).await, (0, 0));
    let sold: Vec<String> = app
        .db
        .query_text(&format!(
            "SELECT (-sum(delta))::text AS value FROM inventory_movements WHERE sku_id = '{sku_id}' AND reason = 'sold'"
        ))
        .await;
    assert_eq!(sold[0], STOCK.to_string());
    shop::assert_allocations_exact(&app).await;
}

const PAIR_BUYERS: usize = 60;
const PAIR_STOCK: i32 = 30;

#[tokio::test]
async fn parallel_orders_of_the_same_two_skus_in_either_order_neither_deadlock_nor_oversell() {
    let (app, skus) = contended_shop(
        "pairs",
        "Sock pair",
        vec![sku(9_000, PAIR_STOCK), sku(9_500, PAIR_STOCK)],
    )
    .await;
    let (first, second) = (skus[0], skus[1]);

    // Half the carts hold the SKUs in one order, half in the other.
    let mut buyers = Vec::with_capacity(PAIR_BUYERS);
    for n in 0..PAIR_BUYERS {
        let guest = shop::guest(&app).await;
        let (a, b) = if n % 2 == 0 {
            (first, second)
        } else {
            (second, first)
        };
        for sku_id in [a, b] {
            let (status, body) = add_to_cart(&app, &guest, sku_id, 1).await;
            assert_eq!(status, StatusCode::OK, "{body}");
        }
        buyers.push(guest);
    }

    // Each buyer checks out and pays at once, so payments committing stock
    // run beside checkouts reserving it.
    let body = checkout_body(json!({}));
    let outcomes = join_all(buyers.iter().enumerate().map(|(n, buyer)| {
        let body = &body;
        let app = &app;
        async move {
            let (status, created) = checkout(app, buyer, &format!("pair-{n}"), body).await;
            if status != StatusCode::CREATED {
                return (status, created);
            }
            let id = created["purchase_order_id"].as_str().unwrap_or_default();
            shop::pay(app, buyer, id).await
        }
    }))
    .await;

    let paid = outcomes
        .iter()
        .filter(|(status, _)| *status == StatusCode::OK)
        .count();
    assert_eq!(paid, PAIR_STOCK as usize, "exactly the stock sells");
    for (status, problem) in outcomes.iter().filter(|(s, _)| *s != StatusCode::OK) {
        assert_eq!(*status, StatusCode::CONFLICT, "{problem}");
        assert_eq!(problem["code"], "stock_insufficient", "{problem}");
    }
    for sku_id in [first, second] {
        assert_eq!(shop::stock_of(&app, sku_id).await, (0, 0));
    }
    let ledger: Vec<String> = app
        .db
        .query_text(&format!(
            "SELECT count(*) || '/' || (-sum(delta)) AS value FROM inventory_movements \
             WHERE sku_id IN ('{first}', '{second}') AND reason = 'sold'"
        ))
        .await;
    assert_eq!(ledger[0], format!("{}/{}", 2 * PAIR_STOCK, 2 * PAIR_STOCK));
    shop::assert_allocations_exact(&app).await;
}

#[tokio::test]
async fn the_expiry_sweep_holds_one_orders_skus_at_a_time() {
    let (app, skus) = contended_shop("sweep", "Beanie", vec![sku(19_000, 5), sku(21_000, 5)]).await;
    let (first, second) = (skus[0], skus[1]);
    let mut orders = Vec::new();
    for (n, sku_id) in [first, second].into_iter().enumerate() {
        let guest = shop::guest(&app).await;
        let (status, body) = add_to_cart(&app, &guest, sku_id, 1).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (status, created) = checkout(
            &app,
            &guest,
            &format!("sweep-{n}"),
            &checkout_body(json!({})),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        let id = created["purchase_order_id"].as_str();
        orders.push(id.map(str::to_owned).unwrap_or_else(|| panic!("{created}")));
    }
    // The first SKU's order ended first, so the sweep takes it first.
    let ended = |id: &str, ago: &str| {
        format!(
            "UPDATE purchase_orders SET expires_at = now() - interval '{ago}' WHERE id = '{id}'"
        )
    };
    for sql in [
        ended(&orders[0], "2 minutes"),
        ended(&orders[1], "1 minute"),
    ] {
        assert_eq!(app.db.run_sql(&sql).await, Ok(1), "{sql}");
    }

    // A checkout holds the second SKU's row half-way through its transaction.
    let checkout_in_flight = app
        .db
        .hold_lock(&format!(
            "SELECT 1 FROM skus WHERE id = '{second}' FOR UPDATE"
        ))
        .await;
    let context = app.state.context.clone();
    let sweep = tokio::spawn(async move { app::orders::holds::release_expired(&context).await });
    app.db.until_a_session_waits_for_a_lock().await;

    // While the sweep waits for the second SKU, the first order is released
    // and committed, and its SKU is free for checkouts.
    assert_eq!(
        app.db
            .run_sql(&format!(
                "SELECT 1 FROM skus WHERE id = '{first}' FOR UPDATE NOWAIT"
            ))
            .await,
        Ok(1),
        "the sweep must not keep the first order's SKU locked while it releases the next"
    );
    assert_eq!(shop::stock_of(&app, first).await, (5, 0));

    checkout_in_flight.release().await;
    let released = sweep
        .await
        .map(|outcome| outcome.map_err(|e| e.to_string()));
    assert!(matches!(released, Ok(Ok(2))), "{released:?}");
    assert_eq!(shop::stock_of(&app, second).await, (5, 0));
    let statuses = app
        .db
        .query_text("SELECT string_agg(status, ',') AS value FROM purchase_orders")
        .await;
    assert_eq!(statuses[0], "expired,expired");
}

#[tokio::test]
async fn parallel_claims_hold_the_total_and_the_per_member_limits() {
    let app = TestApp::builder(service_api::SERVICE)
        .setting("database.pool_max_size", "8")
        .setting("database.pool_wait_timeout_ms", "60000")
        .spawn()
        .await;
    let coupon = |limit_per_member: i32, total: &str| {
        let id = Uuid::new_v4();
        let sql = format!(
            "INSERT INTO coupons (id, name, issue_method, discount_kind, discount_amount, valid_from, valid_until, \
             per_user_limit, total_limit) VALUES ('{id}', 'Race', 'download', 'fixed', 3000, now() - interval '1 hour', \
             now() + interval '1 day', {limit_per_member}, {total})"
        );
        (id, sql)
    };
    let (scarce, sql) = coupon(1, "5");
    app.db.run_sql(&sql).await.unwrap();
    let (twice, sql) = coupon(2, "NULL");
    app.db.run_sql(&sql).await.unwrap();
    let mut members = Vec::new();
    for n in 0..8 {
        let email = shoppers::active_shopper(&app, &format!("claimer{n}")).await;
        members.push(shoppers::log_in(&app, &email, PASSWORD).await);
    }

    // Every member claims each coupon four times at once.
    let attempts: Vec<(Uuid, &shoppers::Login)> = [scarce, twice]
        .into_iter()
        .flat_map(|c| {
            members
                .iter()
                .flat_map(move |m| std::iter::repeat_n((c, m), 4))
        })
        .collect();
    let claims = join_all(attempts.iter().map(|(coupon, member)| {
        member
            .call(&app, Method::POST, &format!("/v1/coupons/{coupon}/claim"))
            .fresh_key()
            .send()
    }))
    .await;
    for claim in claims {
        let claim = claim.unwrap();
        if claim.status() != StatusCode::CREATED {
            assert_eq!(claim.status(), StatusCode::CONFLICT);
            let problem: Value = claim.json().await.unwrap();
            assert!(
                problem["code"] == "coupon_unavailable"
                    || problem["code"] == "coupon_limit_reached",
                "{problem}"
            );
        }
    }
    let tally = |coupon: Uuid| {
        format!(
            "SELECT count(*) || '/' || count(DISTINCT user_id) || '/' || \
             (SELECT issued_count FROM coupons WHERE id = '{coupon}') || '/' || \
             COALESCE((SELECT max(n) FROM (SELECT count(*) AS n FROM coupon_issues WHERE coupon_id = '{coupon}' GROUP BY user_id) m), 0) \
             AS value FROM coupon_issues WHERE coupon_id = '{coupon}'"
        )
    };
    assert_eq!(
        app.db.query_text(&tally(scarce)).await[0],
        "5/5/5/1",
        "issues / members / counter / most per member"
    );
    assert_eq!(app.db.query_text(&tally(twice)).await[0], "16/8/16/2");
}

#[tokio::test]
async fn one_shoppers_parallel_additions_all_count() {
    let (app, skus) = contended_shop("basics", "Plain tee", vec![sku(12_000, 100)]).await;
    let guest = shop::guest(&app).await;
    let additions = join_all((0..12).map(|_| add_to_cart(&app, &guest, skus[0], 1))).await;
    for (status, body) in &additions {
        assert_eq!(*status, StatusCode::OK, "{body}");
    }
    let quantity = app
        .db
        .query_text(&format!(
            "SELECT string_agg(quantity::text, ',') AS value FROM cart_items WHERE sku_id = '{}'",
            skus[0]
        ))
        .await;
    assert_eq!(quantity, ["12"], "one line holding every addition");
}

#[tokio::test]
async fn one_shoppers_parallel_checkouts_stop_at_the_cap_on_open_orders() {
    const LINES: usize = 8;
    const CAP: usize = 3; // `checkout.max_open_orders` in config/default.toml
    let (app, skus) = contended_shop(
        "capped",
        "Colour pack",
        (0..LINES)
            .map(|n| sku(5_000 + 100 * n as i64, 10))
            .collect(),
    )
    .await;
    let guest = shop::guest(&app).await;
    for sku_id in &skus {
        let (status, body) = add_to_cart(&app, &guest, *sku_id, 1).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let lines = app
        .db
        .query_text("SELECT id::text AS value FROM cart_items ORDER BY created_at, id")
        .await;
    assert_eq!(lines.len(), LINES);

    // Each checkout buys a different line, all at once.
    let outcomes = join_all(lines.iter().enumerate().map(|(n, line)| {
        let body = checkout_body(json!({ "cart_item_ids": [line] }));
        let app = &app;
        let guest = &guest;
        async move { checkout(app, guest, &format!("line-{n}"), &body).await }
    }))
    .await;
    let created = outcomes
        .iter()
        .filter(|(status, _)| *status == StatusCode::CREATED)
        .count();
    assert_eq!(created, CAP, "{outcomes:?}");
    for (status, problem) in outcomes.iter().filter(|(s, _)| *s != StatusCode::CREATED) {
        assert_eq!(*status, StatusCode::TOO_MANY_REQUESTS, "{problem}");
        assert_eq!(problem["code"], "too_many_open_orders", "{problem}");
    }
    let open = app
        .db
        .query_text(
            "SELECT count(*)::text AS value FROM purchase_orders WHERE status = 'pending_payment'",
        )
        .await;
    assert_eq!(open, [CAP.to_string()]);
}
