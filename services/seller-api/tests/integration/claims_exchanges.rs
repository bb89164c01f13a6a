//! Exchanges over HTTP: a delivered item swapped for another option of the
//! same product; the option's units are held while the vendor decides,
//! sold once the first item is back, and the product order is shipped
//! again; a rejected exchange lets its units go. No money moves.

#![expect(clippy::expect_used, reason = "test helpers fail loudly")]

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use testkit::{FreshKey as _, shop};
use uuid::Uuid;

use super::fulfilment_shipping::{
    Fulfilment, PARCEL, a_paid_order, code, field_code, hours_from, send,
};

impl Fulfilment {
    async fn sku_of(&self, line: Uuid) -> Uuid {
        self.app
            .db
            .query_text(&format!(
                "SELECT sku_id::text AS value FROM product_orders WHERE id = '{line}'"
            ))
            .await[0]
            .parse()
            .expect("sku")
    }

    async fn exchange(&self, path: &str, lines: &[Uuid], sku: Uuid) -> (StatusCode, Value) {
        let mut request = self
            .buyer
            .call(&self.shop, Method::POST, path)
            .json(&json!({
                "kind": "exchange", "reason": "wrong_option_ordered",
                "product_order_ids": lines, "exchange_sku_id": sku,
            }));
        if path == "/v1/claims" {
            request = request.fresh_key();
        }
        send(request).await
    }
}

#[tokio::test]
async fn an_exchange_holds_the_other_option_and_ships_it_once_the_item_is_back() {
    let f = a_paid_order().await;
    let (status, _) = f.ship(&f.lines[..2], PARCEL).await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _) = f
        .report(
            "601234567890",
            &[(hours_from(chrono::Utc::now(), -1), "delivered")],
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let (first, second, third) = (
        f.sku_of(f.lines[0]).await,
        f.sku_of(f.lines[1]).await,
        f.sku_of(f.lines[2]).await,
    );
    let scarf = f.sku_of(f.other_line).await;

    // Only another option of the same product, for one product order.
    for (sku, why) in [(scarf, "another product"), (first, "the same option")] {
        let (status, body) = f.exchange("/v1/claims/quote", &f.lines[..1], sku).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{why}: {body}");
        assert_eq!(
            field_code(&body),
            ("exchange_sku_id", "invalid_value"),
            "{why}"
        );
    }
    let (status, body) = f.exchange("/v1/claims/quote", &f.lines[..2], second).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(field_code(&body), ("product_order_ids", "too_many"));

    let (status, quote) = f.exchange("/v1/claims/quote", &f.lines[..1], second).await;
    assert_eq!(status, StatusCode::OK, "{quote}");
    assert_eq!(quote["refund"]["total"], "0");
    // Same price; the shopper's own mistake pays the round trip.
    assert_eq!(
        quote["exchange"],
        json!({ "sku_id": second, "price_difference": "0", "fee": "6000" })
    );
    let before = shop::stock_of(&f.app, second).await;
    let (status, claim) = f.exchange("/v1/claims", &f.lines[..1], second).await;
    assert_eq!(status, StatusCode::CREATED, "{claim}");
    assert_eq!(claim["exchange"], quote["exchange"]);
    assert_eq!(
        shop::stock_of(&f.app, second).await,
        (before.0, before.1 + 1)
    );

    let id = claim["id"].as_str().expect("id");
    let (status, _) = f
        .vendor(Method::POST, &format!("/v1/claims/{id}/approve"), json!({}))
        .await;
    assert_eq!(status, StatusCode::OK);
    let returned = shop::stock_of(&f.app, first).await;
    let (status, done) = f
        .vendor(
            Method::POST,
            &format!("/v1/claims/{id}/receive"),
            json!({ "restock": true }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!(done["status"], "completed");
    // The held unit is sold, the returned one back on sale.
    assert_eq!(
        shop::stock_of(&f.app, second).await,
        (before.0 - 1, before.1)
    );
    assert_eq!(shop::stock_of(&f.app, first).await.0, returned.0 + 1);
    assert_eq!(f.sku_of(f.lines[0]).await, second);
    assert_eq!(f.line_statuses().await[0], "preparing");
    // The other option goes out in a parcel of its own.
    let (status, shipped) = f.ship(&f.lines[..1], "6012-3456-7899").await;
    assert_eq!(status, StatusCode::CREATED, "{shipped}");
    shop::assert_claims_exact(&f.app).await;

    // A rejected exchange lets its held unit go.
    let held = shop::stock_of(&f.app, third).await;
    let (status, claim) = f.exchange("/v1/claims", &f.lines[1..2], third).await;
    assert_eq!(status, StatusCode::CREATED, "{claim}");
    assert_eq!(shop::stock_of(&f.app, third).await.1, held.1 + 1);
    let id = claim["id"].as_str().expect("id");
    let (status, rejected) = f
        .vendor(
            Method::POST,
            &format!("/v1/claims/{id}/reject"),
            json!({ "note": "Worn" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{rejected}");
    assert_eq!(shop::stock_of(&f.app, third).await, held);
    let (status, body) = f.exchange("/v1/claims", &f.lines[2..], first).await;
    assert_eq!(
        (status, field_code(&body)),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            ("product_order_ids", "not_claimable")
        )
    );
    assert_eq!(code(&body), "validation_failed");
}
