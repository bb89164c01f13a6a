//! Settlement end to end over HTTP: a checkout with a vendor's coupon and
//! a platform coupon the vendors part-fund → ship → deliver → confirm →
//! sweep → approve → export → paid → the vendor downloads its statement,
//! whose every figure this test recomputes from the vendor's order alone.

#![expect(clippy::expect_used, reason = "test helpers fail loudly")]

use std::collections::BTreeMap;

use chrono::Utc;
use domain::calendar::korean_date;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use testkit::{TestApp, staff};

use super::fulfilment_shipping::{PARCEL, Payer, an_order_paid_by, send};

/// Commission and its VAT as placed under the default configuration.
const COMMISSION_PERCENT: i64 = 10;
const VAT_PERCENT: i64 = 10;

fn won(value: &Value) -> i64 {
    value
        .as_str()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("whole won: {value}"))
}

/// `percent` of `amount`, half a won rounded up.
fn percent_of(amount: i64, percent: i64) -> i64 {
    (amount * percent + 50) / 100
}

/// The statement a vendor should get for its order, every line confirmed
/// and everything paid out, from the order's own figures.
fn expected_statement(order: &Value) -> BTreeMap<&'static str, i64> {
    let mut figures = BTreeMap::new();
    let mut add = |figure, amount| *figures.entry(figure).or_insert(0) += amount;
    let mut owed = 0;
    for line in order["product_orders"].as_array().expect("product orders") {
        let sale = won(&line["list_amount"]) - won(&line["product_discount"]);
        let vendor_funded =
            won(&line["seller_coupon_discount"]) + won(&line["platform_coupon_seller_funded"]);
        let platform_funded =
            won(&line["platform_coupon_discount"]) - won(&line["platform_coupon_seller_funded"]);
        let commission = percent_of(sale - vendor_funded, COMMISSION_PERCENT);
        let vat = percent_of(commission, VAT_PERCENT);
        add("sales", sale);
        add("payee_funded_discounts", vendor_funded);
        add("platform_funded_discounts", platform_funded);
        add("commission", commission);
        add("commission_vat", vat);
        owed += sale - vendor_funded - commission - vat;
    }
    let shipping = won(&order["shipping_fee"]);
    add("shipping", shipping);
    owed += shipping;
    add("payouts", -owed);
    add("opening_balance", 0);
    add("closing_balance", 0);
    figures
}

#[tokio::test]
async fn both_coupon_fundings_flow_from_checkout_to_the_vendors_downloaded_statement() {
    let app = TestApp::spawn(seller_api::SERVICE).await;
    let f = an_order_paid_by(app, Payer::TestWithCoupons).await;
    let (status, order) = f
        .vendor(
            Method::GET,
            &format!("/v1/orders/{}", f.seller_order),
            Value::Null,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{order}");
    let expected = expected_statement(&order);
    assert!(
        expected["payee_funded_discounts"] > 0 && expected["platform_funded_discounts"] > 0,
        "both fundings reach the vendor's lines: {order}"
    );

    f.delivered(&f.lines, PARCEL, 1).await;
    for line in &f.lines {
        let (status, body) = f.confirm(*line).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }

    let admin = f.app.sibling(admin_api::SERVICE);
    let treasurer = staff::admin(
        &f.app,
        "treasury",
        &["settlement.read", "settlement.manage", "settlement.approve"],
    )
    .await;
    let treasurer = staff::log_in(&admin, &treasurer, 0).await;
    staff::seller_contact(&f.app, f.vendor, "coat@example.test").await;
    let (status, swept) = send(
        treasurer
            .call(&admin, Method::POST, "/v1/settlement/payout-batches")
            .json(&json!({ "seller_id": f.vendor })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{swept}");
    let batch = &swept["items"][0];
    assert_eq!(won(&batch["amount"]), -expected["payouts"], "{swept}");
    let batch = batch["id"].as_i64().expect("batch id");
    let step = |action: &'static str| {
        treasurer.call(
            &admin,
            Method::POST,
            &format!("/v1/settlement/payout-batches/{batch}/{action}"),
        )
    };
    let (status, approved) = send(step("approve").json(&json!({}))).await;
    assert_eq!(status, StatusCode::OK, "{approved}");
    let file = step("export")
        .send()
        .await
        .expect("export")
        .text()
        .await
        .expect("a transfer file");
    assert!(
        file.ends_with(&format!(
            ",Kim Owner,{},MKT PAYOUT {batch}\r\n",
            -expected["payouts"]
        )),
        "{file}"
    );
    let (status, paid) = send(step("paid").json(&json!({}))).await;
    assert_eq!(status, StatusCode::OK, "{paid}");

    let owner = staff::seller_staff(&f.app, "owner", f.vendor, "owner").await;
    let owner = staff::log_in(&f.app, &owner, 0).await;
    let period = korean_date(Utc::now()).format("%Y-%m").to_string();
    let csv = owner
        .call(
            &f.app,
            Method::GET,
            &format!("/v1/settlement/statements/{period}"),
        )
        .header("Accept", "text/csv")
        .send()
        .await
        .expect("a statement");
    assert_eq!(csv.status(), StatusCode::OK);
    let csv = csv.text().await.expect("csv");
    let figures: BTreeMap<&str, i64> = csv
        .lines()
        .skip(3)
        .map(|row| {
            let (item, amount) = row.split_once(',').expect("item,amount");
            (item, amount.parse().expect("whole won"))
        })
        .collect();
    // The CSV shows what the vendor bore as negative amounts.
    for (figure, amount) in &expected {
        let sign = if matches!(
            *figure,
            "payee_funded_discounts" | "commission" | "commission_vat"
        ) {
            -1
        } else {
            1
        };
        assert_eq!(
            figures.get(figure),
            Some(&(sign * amount)),
            "{figure}:\n{csv}"
        );
    }
    assert_eq!(figures.get("clawbacks"), Some(&0), "{csv}");
    assert_eq!(figures.get("adjustments"), Some(&0), "{csv}");

    let (status, balance) = send(owner.call(&f.app, Method::GET, "/v1/settlement/balance")).await;
    assert_eq!(status, StatusCode::OK, "{balance}");
    assert_eq!(won(&balance["paid"]), -expected["payouts"], "{balance}");
    testkit::shop::assert_claims_exact(&f.app).await;
}
