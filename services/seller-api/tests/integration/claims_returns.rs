//! Returns over HTTP: after delivery the shopper asks, the vendor (or
//! operations, on the record) approves, receives the item and the refund is
//! made as quoted, less the return fee when the shopper changed their mind;
//! a holdback pauses the refund; an open claim pauses confirmation; the
//! window closes 7 days after delivery for a change of mind.

#![expect(clippy::expect_used, reason = "test helpers fail loudly")]

use chrono::{TimeDelta, Utc};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use testkit::{FreshKey as _, TestMail, shop, staff};
use uuid::Uuid;

use super::fulfilment_shipping::{
    Fulfilment, PARCEL, a_paid_order, code, field_code, hours_from, send,
};

impl Fulfilment {
    /// Ships and delivers `lines` in one parcel, the carrier's delivery
    /// `hours_ago`.
    pub(super) async fn delivered(&self, lines: &[Uuid], number: &str, hours_ago: i64) {
        let (status, shipped) = self.ship(lines, number).await;
        assert_eq!(status, StatusCode::CREATED, "{shipped}");
        let digits: String = number.chars().filter(char::is_ascii_digit).collect();
        let (status, _) = self
            .report(
                &digits,
                &[(hours_from(Utc::now(), -hours_ago), "delivered")],
            )
            .await;
        assert_eq!(status, StatusCode::ACCEPTED);
    }

    pub(super) async fn decide(
        &self,
        claim: &Value,
        action: &str,
        body: Value,
    ) -> (StatusCode, Value) {
        let id = claim["id"].as_str().expect("claim id");
        self.vendor(Method::POST, &format!("/v1/claims/{id}/{action}"), body)
            .await
    }
}

fn id_of(claim: &Value) -> &str {
    claim["id"].as_str().expect("claim id")
}

#[tokio::test]
async fn a_return_is_approved_received_and_refunded_less_the_fee_its_fault_costs() {
    let f = a_paid_order().await;
    f.delivered(&f.lines[..2], PARCEL, 1).await;

    // The shopper's change of mind pays the vendor's ₩3,000 return fee.
    let (status, own) = f
        .claim(
            "/v1/claims/quote",
            "return",
            "change_of_mind",
            &f.lines[..1],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{own}");
    assert_eq!(own["refund"]["total"], "87000");
    assert_eq!(own["return_fee"], "3000");
    let (_, defective) = f
        .claim("/v1/claims/quote", "return", "defective", &f.lines[..1])
        .await;
    assert_eq!(defective["refund"]["total"], "90000");
    assert_eq!(defective["return_fee"], "0");

    let vendor_email = TestMail::unique_address("coat-co");
    staff::seller_contact(&f.app, f.vendor, &vendor_email).await;
    let (status, claim) = f
        .claim("/v1/claims", "return", "change_of_mind", &f.lines[..1])
        .await;
    assert_eq!(status, StatusCode::CREATED, "{claim}");
    assert_eq!(claim["status"], "requested");
    assert_eq!(claim["refund"], own["refund"]);
    // One open claim per order at a time.
    let (status, body) = f
        .claim("/v1/claims", "cancel", "change_of_mind", &f.lines[2..])
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, "claim_in_progress")
    );

    let (status, listed) = f
        .vendor(Method::GET, "/v1/claims?status=requested", Value::Null)
        .await;
    assert_eq!(status, StatusCode::OK, "{listed}");
    assert_eq!(listed["items"][0]["id"], claim["id"]);
    let (status, approved) = f
        .decide(&claim, "approve", json!({ "note": "Send it back" }))
        .await;
    assert_eq!(status, StatusCode::OK, "{approved}");
    assert_eq!(approved["status"], "approved");
    let (on_hand, _) = f.stock_of_line(f.lines[0]).await;
    let (status, received) = f
        .decide(&claim, "receive", json!({ "restock": true }))
        .await;
    assert_eq!(status, StatusCode::OK, "{received}");
    assert_eq!(received["status"], "completed");
    assert!(received["refund_due"].is_string(), "{received}");
    assert!(received["completed_at"].is_string(), "{received}");
    assert_eq!(received["lines"][0]["restocked"], true);
    assert_eq!(f.stock_of_line(f.lines[0]).await.0, on_hand + 1);
    assert_eq!(f.line_statuses().await, ["returned", "delivered", "paid"]);
    // The vendor was asked; the shopper told of the approval and the refund.
    f.app.run_jobs().await;
    let subjects = |mail: Vec<Value>| -> Vec<String> {
        mail.iter()
            .filter_map(|m| m["subject"].as_str().map(str::to_owned))
            .collect()
    };
    let to_vendor = subjects(TestMail::from_env().messages_to(&vendor_email).await);
    assert!(
        to_vendor
            .iter()
            .any(|s| s.contains("a return to decide on")),
        "{to_vendor:?}"
    );
    let to_shopper = subjects(TestMail::from_env().messages_to(&f.buyer_email).await);
    assert!(
        to_shopper
            .iter()
            .any(|s| s.contains("your return is approved")),
        "{to_shopper:?}"
    );
    assert!(
        to_shopper.iter().any(|s| s.contains("₩87000 refunded")),
        "{to_shopper:?}"
    );
    // Received twice is refused; nothing moves again.
    let (status, body) = f.decide(&claim, "receive", json!({})).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, "invalid_claim_step")
    );

    // The vendor's fault: the whole price back, no fee.
    let (status, second) = f
        .claim("/v1/claims", "return", "defective", &f.lines[1..2])
        .await;
    assert_eq!(status, StatusCode::CREATED, "{second}");
    assert_eq!(second["refund"]["total"], "90000");
    f.decide(&second, "approve", json!({})).await;
    let (status, done) = f.decide(&second, "receive", json!({})).await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!(done["status"], "completed");
    assert_eq!(done["lines"][0]["restocked"], false);
    let kept = f
        .app
        .db
        .query_text(&format!(
            "SELECT claim_fees::bigint::text AS value FROM seller_orders WHERE id = '{}'",
            f.seller_order
        ))
        .await;
    assert_eq!(kept, ["3000"]);
    shop::assert_claims_exact(&f.app).await;
}

#[tokio::test]
async fn a_holdback_pauses_the_refund_until_it_is_released() {
    let f = a_paid_order().await;
    f.delivered(&f.lines[..1], PARCEL, 1).await;
    let (_, claim) = f
        .claim("/v1/claims", "return", "not_as_described", &f.lines[..1])
        .await;
    let (status, body) = f
        .decide(&claim, "holdback", json!({ "reason": "not yet" }))
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, "invalid_claim_step")
    );
    f.decide(&claim, "approve", json!({})).await;
    let (status, body) = f.decide(&claim, "holdback", json!({ "reason": " " })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(field_code(&body), ("reason", "invalid_length"));
    let (status, held) = f
        .decide(
            &claim,
            "holdback",
            json!({ "reason": "The item has not come back" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{held}");
    assert_eq!(held["held_back"], true);
    let (status, received) = f.decide(&claim, "receive", json!({})).await;
    assert_eq!(status, StatusCode::OK, "{received}");
    assert_eq!(received["status"], "received");
    assert!(received["refund_due"].is_string());
    assert!(received["completed_at"].is_null());
    assert_eq!(f.line_statuses().await[0], "delivered");
    assert_eq!(received["refund_overdue"], false);
    // Ten days on (the item came back then), the held refund is overdue and
    // shows among the flagged.
    f.app
        .db
        .run_sql(&format!(
            "UPDATE claims SET received_at = received_at - interval '10 days', \
             refund_due = refund_due - 10 WHERE id = '{}'",
            id_of(&claim)
        ))
        .await
        .expect("ten days on");
    let (status, overdue) = f
        .vendor(Method::GET, "/v1/claims?refund_overdue=true", Value::Null)
        .await;
    assert_eq!(status, StatusCode::OK, "{overdue}");
    assert_eq!(overdue["items"][0]["id"], claim["id"]);
    assert_eq!(overdue["items"][0]["refund_overdue"], true);
    // The shopper can no longer take it back once the vendor has the item.
    let (status, body) = send(
        f.buyer
            .call(
                &f.shop,
                Method::POST,
                &format!("/v1/claims/{}/withdraw", id_of(&claim)),
            )
            .fresh_key(),
    )
    .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, "invalid_claim_step")
    );

    let (status, released) = f.decide(&claim, "release", Value::Null).await;
    assert_eq!(status, StatusCode::OK, "{released}");
    assert_eq!(released["status"], "completed");
    assert_eq!(released["held_back"], false);
    assert_eq!(released["refund_overdue"], false);
    let (_, overdue) = f
        .vendor(Method::GET, "/v1/claims?refund_overdue=true", Value::Null)
        .await;
    assert_eq!(overdue["items"], json!([]));
    assert_eq!(f.line_statuses().await[0], "returned");
    shop::assert_claims_exact(&f.app).await;
}

#[tokio::test]
async fn an_open_claim_pauses_confirmation_until_it_ends() {
    let f = a_paid_order().await;
    f.delivered(&f.lines[..2], PARCEL, 1).await;
    let (_, claim) = f
        .claim("/v1/claims", "return", "defective", &f.lines[..1])
        .await;
    let later = Utc::now() + TimeDelta::days(8);
    let pass = app::fulfilment::confirmation::confirm_due(&f.app.state.context, later)
        .await
        .expect("pass");
    assert_eq!(pass.confirmed, 1);
    assert_eq!(f.line_statuses().await[..2], ["delivered", "confirmed"]);
    let (status, body) = send(
        f.buyer
            .call(
                &f.shop,
                Method::POST,
                &format!("/v1/product-orders/{}/confirm", f.lines[0]),
            )
            .fresh_key(),
    )
    .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, "claim_in_progress")
    );

    let (status, body) = f.decide(&claim, "reject", json!({ "note": "" })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, rejected) = f
        .decide(&claim, "reject", json!({ "note": "Worn and washed" }))
        .await;
    assert_eq!(status, StatusCode::OK, "{rejected}");
    assert_eq!(rejected["status"], "rejected");
    assert_eq!(rejected["decision_note"], "Worn and washed");
    let pass = app::fulfilment::confirmation::confirm_due(&f.app.state.context, later)
        .await
        .expect("pass");
    assert_eq!(pass.confirmed, 1);
    assert_eq!(f.line_statuses().await[..2], ["confirmed", "confirmed"]);

    // A claim after confirmation (an item found faulty within 3 months).
    let (status, late) = f
        .claim("/v1/claims/quote", "return", "defective", &f.lines[..1])
        .await;
    assert_eq!(status, StatusCode::OK, "{late}");
    assert_eq!(late["refund"]["total"], "90000");
}

#[tokio::test]
async fn a_change_of_mind_has_seven_days_after_delivery_a_fault_three_months() {
    let f = a_paid_order().await;
    f.delivered(&f.lines[..1], PARCEL, 1).await;
    let (_, me) = send(f.buyer.call(&f.shop, Method::GET, "/v1/me")).await;
    let buyer = app::kernel::principals::Buyer::Member(
        me["user_id"].as_str().expect("id").parse().expect("uuid"),
    );
    let ask = |reason: &str, days: i64| {
        let input = app::claims::requests::ClaimInput {
            kind: "return".into(),
            reason: reason.into(),
            product_order_ids: f.lines[..1].to_vec(),
            note: None,
            exchange_sku_id: None,
            refund_account: None,
        };
        app::claims::requests::quote(
            &f.app.state.context,
            &buyer,
            input,
            Utc::now() + TimeDelta::days(days),
        )
    };
    assert!(ask("change_of_mind", 6).await.is_ok());
    let closed = |result: Result<_, app::AppError>| {
        matches!(
            result,
            Err(app::AppError::Invalid {
                field: "product_order_ids",
                code: app::FieldCode::ClaimWindowClosed,
                ..
            })
        )
    };
    assert!(closed(ask("change_of_mind", 8).await));
    assert!(ask("not_as_described", 80).await.is_ok());
    assert!(closed(ask("not_as_described", 95).await));
}

#[tokio::test]
async fn a_shopper_withdraws_a_return_and_may_claim_again() {
    let f = a_paid_order().await;
    f.delivered(&f.lines[..1], PARCEL, 1).await;
    let (_, claim) = f
        .claim("/v1/claims", "return", "change_of_mind", &f.lines[..1])
        .await;
    let (status, withdrawn) = send(
        f.buyer
            .call(
                &f.shop,
                Method::POST,
                &format!("/v1/claims/{}/withdraw", id_of(&claim)),
            )
            .fresh_key(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{withdrawn}");
    assert_eq!(withdrawn["status"], "withdrawn");
    let (status, again) = f
        .claim("/v1/claims", "return", "defective", &f.lines[..1])
        .await;
    assert_eq!(status, StatusCode::CREATED, "{again}");
}

#[tokio::test]
async fn operations_see_every_claim_and_decide_only_with_the_permission_on_the_record() {
    let f = a_paid_order().await;
    f.delivered(&f.lines[..1], PARCEL, 1).await;
    let (_, claim) = f
        .claim("/v1/claims", "return", "wrong_item_sent", &f.lines[..1])
        .await;
    let admin = f.app.sibling(admin_api::SERVICE);
    let reader = staff::admin(&f.app, "claims-reader", &["orders.read"]).await;
    let reader = staff::log_in(&admin, &reader, 0).await;
    let (status, listed) = send(reader.call(&admin, Method::GET, "/v1/claims")).await;
    assert_eq!(status, StatusCode::OK, "{listed}");
    assert_eq!(listed["items"][0]["id"], claim["id"]);
    let path = format!("/v1/claims/{}/approve", id_of(&claim));
    let (status, _) = send(
        reader
            .call(&admin, Method::POST, &path)
            .fresh_key()
            .json(&json!({})),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let manager = staff::admin(&f.app, "claims-manager", &["orders.read", "claims.manage"]).await;
    let manager = staff::log_in(&admin, &manager, 0).await;
    let (status, approved) = send(
        manager
            .call(&admin, Method::POST, &path)
            .fresh_key()
            .json(&json!({})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{approved}");
    assert_eq!(approved["status"], "approved");
    let audited = f
        .app
        .db
        .query_text(&format!(
            "SELECT count(*)::text AS value FROM security_audit_log WHERE action = 'claim.approved' \
             AND subject_id = '{}'",
            id_of(&claim)
        ))
        .await;
    assert_eq!(audited, ["1"]);
}
