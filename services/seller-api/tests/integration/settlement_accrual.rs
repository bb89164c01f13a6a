//! Settlement over HTTP: operations set a vendor's commission from a date
//! on (a category's override beating the base, never reaching into the
//! past); each product order takes its rule at placement and keeps it; a
//! confirmation posts the vendor's earning and its order's shipping to the
//! journal once; the trial balance balances; the database refuses an
//! entry that does not balance or a rewrite of the journal; and
//! `check-orders` names a confirmation without its earning and statements
//! that do not close at the journal's balance.

#![expect(clippy::expect_used, reason = "test helpers fail loudly")]

use chrono::{TimeDelta, Utc};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use testkit::shoppers::Login;
use testkit::{TestApp, TestServer, shop, staff};
use uuid::Uuid;

use super::fulfilment_shipping::{PARCEL, a_paid_order, code, field_code, send};

struct Operations {
    admin: TestServer,
    login: Login,
}

impl Operations {
    async fn of(app: &TestApp) -> Self {
        let admin = app.sibling(admin_api::SERVICE);
        let account =
            staff::admin(app, "settlement", &["settlement.read", "settlement.manage"]).await;
        let login = staff::log_in(&admin, &account, 0).await;
        Self { admin, login }
    }

    async fn change(&self, body: Value) -> (StatusCode, Value) {
        send(
            self.login
                .call(&self.admin, Method::POST, "/v1/settlement/commission-rules")
                .json(&body),
        )
        .await
    }

    async fn get(&self, path: &str) -> Value {
        let (status, body) = send(self.login.call(&self.admin, Method::GET, path)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body
    }
}

async fn frozen_rate(app: &TestApp, line: Uuid) -> String {
    app.db
        .query_text(&format!(
            "SELECT rate::text AS value FROM product_order_commissions WHERE product_order_id = '{line}'"
        ))
        .await[0]
        .clone()
}

fn amount_on(entry: &Value, account: &str, side: &str) -> i64 {
    entry["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .filter(|l| l["account"] == account && l["side"] == side)
        .map(|l| {
            l["amount"]
                .as_str()
                .expect("amount")
                .parse::<i64>()
                .expect("whole won")
        })
        .sum()
}

#[tokio::test]
async fn a_confirmed_line_earns_at_the_rate_frozen_when_it_was_placed() {
    let f = a_paid_order().await;
    let ops = Operations::of(&f.app).await;
    // Placed under the default base rate.
    assert_eq!(frozen_rate(&f.app, f.lines[0]).await, "0.1000");
    let category: i64 = f
        .app
        .db
        .query_text(&format!(
            "SELECT p.category_id::text AS value FROM product_orders o JOIN products p ON p.id = o.product_id \
             WHERE o.id = '{}'",
            f.lines[0]
        ))
        .await[0]
        .parse()
        .expect("category id");

    // Rates change after the order: a base of 20 %, 15 % for its category.
    let (status, rules) = ops
        .change(json!({ "seller_id": f.vendor, "rate": "0.20", "reason": "new contract" }))
        .await;
    assert_eq!(status, StatusCode::OK, "{rules}");
    let (status, rules) = ops
        .change(json!({
            "seller_id": f.vendor, "category_id": category, "rate": "0.15", "reason": "outerwear deal"
        }))
        .await;
    assert_eq!(status, StatusCode::OK, "{rules}");
    let current: Vec<(Option<i64>, &str)> = rules["items"]
        .as_array()
        .expect("rules")
        .iter()
        .map(|r| (r["category_id"].as_i64(), r["rate"].as_str().expect("rate")))
        .collect();
    assert_eq!(current, [(None, "0.2"), (Some(category), "0.15")]);
    let history = ops
        .get(&format!(
            "/v1/settlement/commission-rules?seller_id={}",
            f.vendor
        ))
        .await;
    let base_periods: Vec<&Value> = history["items"]
        .as_array()
        .expect("rules")
        .iter()
        .filter(|r| r["category_id"].is_null())
        .collect();
    assert_eq!(base_periods.len(), 2, "{history}");
    assert!(base_periods[1]["effective_until"].is_string(), "{history}");

    // Confirming now still earns at the 10 % the line was placed under:
    // ₩90,000 sale, ₩9,000 commission, ₩900 VAT, ₩80,100 to the vendor.
    let (status, _) = f.ship(&f.lines[..1], PARCEL).await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, body) = f.confirm(f.lines[0]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let journal = ops
        .get(&format!(
            "/v1/settlement/journal?purchase_order_id={}",
            f.purchase
        ))
        .await;
    let entries = journal["items"].as_array().expect("entries");
    let earning = entries
        .iter()
        .find(|e| e["kind"] == "earning")
        .expect("an earning");
    assert_eq!(earning["product_order_id"], f.lines[0].to_string());
    assert_eq!(earning["payee_id"], f.vendor.to_string());
    assert_eq!(amount_on(earning, "buyer_clearing", "debit"), 90_000);
    assert_eq!(amount_on(earning, "payee_payable", "credit"), 90_000);
    assert_eq!(amount_on(earning, "commission_revenue", "credit"), 9_000);
    assert_eq!(amount_on(earning, "vat_payable", "credit"), 900);
    assert_eq!(amount_on(earning, "payee_payable", "debit"), 9_900);
    // The vendor order's ₩3,000 shipping (the default fee), collected for it.
    let shipping: Vec<&Value> = entries.iter().filter(|e| e["kind"] == "shipping").collect();
    assert_eq!(shipping.len(), 1, "{journal}");
    assert_eq!(shipping[0]["seller_order_id"], f.seller_order.as_str());
    assert_eq!(amount_on(shipping[0], "buyer_clearing", "debit"), 3_000);
    assert_eq!(
        amount_on(shipping[0], "shipping_collected", "credit"),
        3_000
    );

    // A second confirmation of the vendor order adds its earning, not
    // its shipping again.
    let (status, _) = f.ship(&f.lines[1..2], "6012-3456-7891").await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, body) = f.confirm(f.lines[1]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let journal = ops
        .get(&format!("/v1/settlement/journal?seller_id={}", f.vendor))
        .await;
    let kinds: Vec<&str> = journal["items"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| e["kind"].as_str().expect("kind"))
        .collect();
    assert_eq!(
        kinds.iter().filter(|k| **k == "earning").count(),
        2,
        "{journal}"
    );
    assert_eq!(kinds.iter().filter(|k| **k == "shipping").count(), 1);

    let balance = ops.get("/v1/settlement/trial-balance").await;
    assert_eq!(balance["balanced"], true, "{balance}");
    let payable = balance["accounts"]
        .as_array()
        .expect("accounts")
        .iter()
        .find(|a| a["account"] == "payee_payable")
        .expect("payee payable");
    assert_eq!(payable["balance"], "160200", "{balance}");
    let debits: i64 = balance["debits"]
        .as_str()
        .expect("debits")
        .parse()
        .expect("won");
    // Two ₩90,000 lines and ₩3,000 shipping cleared; commission and VAT on top.
    assert_eq!(debits, 90_000 * 2 + 3_000 + 9_900 * 2);
    shop::assert_journal_exact(&f.app).await;

    // An order placed now takes the category's 15 %, and keeps it.
    let sku_id = f
        .app
        .db
        .query_text(&format!(
            "SELECT sku_id::text AS value FROM product_orders WHERE id = '{}'",
            f.lines[2]
        ))
        .await[0]
        .parse()
        .expect("sku");
    let (status, cart) = shop::add_to_cart(&f.shop, &f.buyer, sku_id, 1).await;
    assert!(status.is_success(), "{cart}");
    let (status, created) = shop::checkout(
        &f.shop,
        &f.buyer,
        &Uuid::new_v4().to_string(),
        &shop::checkout_body(json!({})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let second = created["purchase_order_id"].as_str().expect("purchase");
    let line = shop::product_order_ids(&f.app, second).await[0];
    assert_eq!(frozen_rate(&f.app, line).await, "0.1500");
    let (status, _) = ops
        .change(json!({
            "seller_id": f.vendor, "category_id": category, "rate": null, "reason": "deal over"
        }))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(frozen_rate(&f.app, line).await, "0.1500");
    let audited = f
        .app
        .db
        .query_text(
            "SELECT count(*)::text AS value FROM security_audit_log WHERE action = 'settlement.commission_changed'",
        )
        .await;
    assert_eq!(audited[0], "3");
}

#[tokio::test]
async fn a_rate_change_is_refused_when_it_reaches_into_the_past_or_names_nothing() {
    let app = TestApp::spawn(seller_api::SERVICE).await;
    let ops = Operations::of(&app).await;
    let vendor = staff::seller(&app, "Hat Co").await;
    let yesterday = (Utc::now() - TimeDelta::days(1)).to_rfc3339();
    for (body, field, expected) in [
        (
            json!({ "seller_id": vendor, "rate": "0.2", "effective_from": yesterday, "reason": "r" }),
            "effective_from",
            "in_the_past",
        ),
        (
            json!({ "seller_id": vendor, "rate": "1.5", "reason": "r" }),
            "rate",
            "out_of_range",
        ),
        (
            json!({ "seller_id": vendor, "rate": "0.2", "reason": " " }),
            "reason",
            "required",
        ),
        (
            json!({ "seller_id": vendor, "rate": null, "reason": "r" }),
            "rate",
            "required",
        ),
        (
            json!({ "seller_id": Uuid::new_v4(), "rate": "0.2", "reason": "r" }),
            "seller_id",
            "unknown_reference",
        ),
        (
            json!({ "seller_id": vendor, "category_id": 999_999, "rate": "0.2", "reason": "r" }),
            "category_id",
            "unknown_reference",
        ),
        (
            json!({ "seller_id": vendor, "category_id": 999_999, "rate": null, "reason": "r" }),
            "category_id",
            "no_override",
        ),
    ] {
        let (status, problem) = ops.change(body.clone()).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {problem}"
        );
        assert_eq!(field_code(&problem), (field, expected), "{body}: {problem}");
    }
    // Nothing was written.
    let rules = ops
        .get(&format!(
            "/v1/settlement/commission-rules?seller_id={vendor}"
        ))
        .await;
    assert_eq!(rules["items"].as_array().map(Vec::len), Some(1), "{rules}");
    // A vendor's staff cannot reach the routes at all.
    let account = staff::seller_staff(&app, "owner", vendor, "owner").await;
    let vendor_login = staff::log_in(&app, &account, 0).await;
    let (status, body) =
        send(vendor_login.call(&ops.admin, Method::GET, "/v1/settlement/trial-balance")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert!(!code(&body).is_empty());
}

#[tokio::test]
async fn the_database_refuses_an_unbalanced_entry_and_any_rewrite_of_the_journal() {
    let app = TestApp::spawn(seller_api::SERVICE).await;
    let vendor = staff::seller(&app, "Sock Co").await;
    let entry = |source: &str, credit: i64| {
        format!(
            "WITH e AS (INSERT INTO journal_entries (kind, source, payee_kind, payee_id, occurred_at) \
             VALUES ('earning', '{source}', 'seller', '{vendor}', now()) RETURNING id) \
             INSERT INTO journal_lines (entry_id, line_no, account, side, amount) \
             SELECT id, 1, 'buyer_clearing', 'debit', 100 FROM e \
             UNION ALL SELECT id, 2, 'payee_payable', 'credit', {credit} FROM e"
        )
    };
    let refused = app.db.run_sql(&entry("test:unbalanced", 99)).await;
    assert!(
        format!("{refused:?}").contains("journal_entries_balance"),
        "{refused:?}"
    );
    app.db
        .run_sql(&entry("test:balanced", 100))
        .await
        .expect("a balanced entry");
    for rewrite in [
        "UPDATE journal_lines SET amount = 1",
        "DELETE FROM journal_lines",
        "UPDATE journal_entries SET occurred_at = now() - interval '1 day'",
        "DELETE FROM journal_entries",
    ] {
        let refused = app.db.run_sql(rewrite).await;
        assert!(
            format!("{refused:?}").contains("journal_append_only"),
            "{rewrite}: {refused:?}"
        );
    }
    // A payout batch stamps an entry once.
    let batch = |cut_off: &str| {
        format!(
            "INSERT INTO payout_batches (payee_kind, payee_id, cut_off, amount) \
             VALUES ('seller', '{vendor}', '{cut_off}', 100)"
        )
    };
    for cut_off in ["2026-12-01", "2026-12-02"] {
        app.db.run_sql(&batch(cut_off)).await.expect("a batch");
    }
    app.db
        .run_sql(
            "UPDATE journal_entries SET payout_batch_id = (SELECT min(id) FROM payout_batches)",
        )
        .await
        .expect("the first stamp");
    let refused = app
        .db
        .run_sql(
            "UPDATE journal_entries SET payout_batch_id = (SELECT max(id) FROM payout_batches)",
        )
        .await;
    assert!(format!("{refused:?}").contains("journal_append_only"));
}

/// Σ over the payee's accounts of credits less debits, from entries as
/// the journal route answers them.
fn payee_net(entries: &[&Value]) -> i64 {
    let payee_accounts = [
        "payee_payable",
        "payee_funded_discounts",
        "shipping_collected",
        "claims_receivable",
    ];
    entries
        .iter()
        .flat_map(|e| e["lines"].as_array().expect("lines"))
        .filter(|l| payee_accounts.contains(&l["account"].as_str().expect("account")))
        .map(|l| {
            let amount: i64 = l["amount"]
                .as_str()
                .expect("amount")
                .parse()
                .expect("whole won");
            if l["side"] == "credit" {
                amount
            } else {
                -amount
            }
        })
        .sum()
}

#[tokio::test]
async fn a_return_after_confirmation_claws_the_earning_back_and_the_vendor_keeps_its_return_fee() {
    let f = a_paid_order().await;
    let ops = Operations::of(&f.app).await;
    f.delivered(&f.lines[..2], PARCEL, 1).await;
    let (status, body) = f.confirm(f.lines[0]).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // The other line comes back for a change of mind: the shopper pays the
    // ₩3,000 return fee, which the vendor keeps.
    let (status, own) = f
        .claim("/v1/claims", "return", "change_of_mind", &f.lines[1..2])
        .await;
    assert_eq!(status, StatusCode::CREATED, "{own}");
    f.decide(&own, "approve", json!({})).await;
    let (status, done) = f.decide(&own, "receive", json!({})).await;
    assert_eq!(done["status"], "completed", "{status}: {done}");

    // The confirmed line turns out faulty: returned, its earning taken back.
    let (status, late) = f
        .claim("/v1/claims", "return", "defective", &f.lines[..1])
        .await;
    assert_eq!(status, StatusCode::CREATED, "{late}");
    f.decide(&late, "approve", json!({})).await;
    let (status, done) = f.decide(&late, "receive", json!({})).await;
    assert_eq!(done["status"], "completed", "{status}: {done}");

    let journal = ops
        .get(&format!(
            "/v1/settlement/journal?purchase_order_id={}",
            f.purchase
        ))
        .await;
    let entries: Vec<&Value> = journal["items"]
        .as_array()
        .expect("entries")
        .iter()
        .collect();
    let of_line = |kind: &str| -> Vec<&Value> {
        entries
            .iter()
            .copied()
            .filter(|e| e["kind"] == kind && e["product_order_id"] == f.lines[0].to_string())
            .collect()
    };
    let earned = of_line("earning");
    let clawed = of_line("clawback");
    assert_eq!((earned.len(), clawed.len()), (1, 1), "{journal}");
    assert_eq!(payee_net(&earned), 80_100);
    assert_eq!(payee_net(&clawed), -80_100);
    assert_eq!(amount_on(clawed[0], "commission_revenue", "debit"), 9_000);
    assert_eq!(amount_on(clawed[0], "buyer_clearing", "credit"), 90_000);
    // The vendor order's ₩3,000 shipping and the ₩3,000 fee it kept.
    let shipping: Vec<&Value> = entries
        .iter()
        .copied()
        .filter(|e| e["kind"] == "shipping")
        .collect();
    assert_eq!(payee_net(&shipping), 6_000, "{journal}");
    let vendor_total = payee_net(
        &entries
            .iter()
            .copied()
            .filter(|e| e["payee_id"] == f.vendor.to_string())
            .collect::<Vec<_>>(),
    );
    assert_eq!(vendor_total, 6_000);

    let balance = ops.get("/v1/settlement/trial-balance").await;
    assert_eq!(balance["balanced"], true, "{balance}");
    shop::assert_claims_exact(&f.app).await;
}

#[tokio::test]
async fn check_orders_names_a_confirmation_without_its_earning_and_statements_that_miss_an_entry() {
    let f = a_paid_order().await;
    f.delivered(&f.lines[..2], PARCEL, 1).await;
    let (status, body) = f.confirm(f.lines[0]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let problems = |app: &TestApp| {
        let context = app.state.context.clone();
        async move {
            app::settlement::journal::mismatches(&context, None, Utc::now())
                .await
                .expect("the journal check")
        }
    };
    assert_eq!(problems(&f.app).await, Vec::<String>::new());

    // The second line confirmed behind settlement's back: no earning.
    f.app
        .db
        .run_sql(&format!(
            "INSERT INTO purchase_confirmations (product_order_id, purchase_order_id, seller_order_id, \
             seller_id, quantity, list_amount, product_discount, seller_coupon_discount, \
             platform_coupon_discount, platform_coupon_seller_funded, payable_amount, points, cash, \
             points_earned, commission_rate, commission_vat_rate, confirmed_at, confirmed_by) \
             SELECT '{}', purchase_order_id, seller_order_id, seller_id, quantity, list_amount, \
             product_discount, seller_coupon_discount, platform_coupon_discount, \
             platform_coupon_seller_funded, payable_amount, points, cash, 0, commission_rate, \
             commission_vat_rate, confirmed_at, confirmed_by \
             FROM purchase_confirmations WHERE product_order_id = '{}'",
            f.lines[1], f.lines[0]
        ))
        .await
        .expect("a confirmation without settlement");
    let found = problems(&f.app).await;
    assert!(
        found
            .iter()
            .any(|p| p.contains("earning differs from posted")
                && p.contains(&f.lines[1].to_string())),
        "{found:?}"
    );

    // An entry dated after the current month: the journal holds it, no
    // statement up to now shows it.
    shop::journal_entry(&f.app, f.vendor, 500, Utc::now() + TimeDelta::days(62)).await;
    let found = problems(&f.app).await;
    assert!(
        found
            .iter()
            .any(|p| p.contains("statements close at") && p.contains(&f.vendor.to_string())),
        "{found:?}"
    );
}
