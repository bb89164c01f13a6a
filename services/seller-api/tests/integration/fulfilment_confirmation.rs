//! Purchase confirmation over HTTP and by schedule: the shopper confirms a
//! shipped line (once; reviews open; points earned); the schedule confirms
//! N days after the carrier's delivery event, or without one only after
//! telling the shopper; two workers running the schedule over a simulated
//! month confirm each line exactly once.

#![expect(clippy::expect_used, reason = "test helpers fail loudly")]

use chrono::{TimeDelta, Utc};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use testkit::{FreshKey as _, TestMail};
use uuid::Uuid;

use super::fulfilment_shipping::{Fulfilment, PARCEL, a_paid_order, code, hours_from, send};

impl Fulfilment {
    pub(super) async fn confirm(&self, line: Uuid) -> (StatusCode, Value) {
        send(
            self.buyer
                .call(
                    &self.shop,
                    Method::POST,
                    &format!("/v1/product-orders/{line}/confirm"),
                )
                .fresh_key(),
        )
        .await
    }

    async fn points_balance(&self) -> String {
        let (status, points) =
            send(self.buyer.call(&self.shop, Method::GET, "/v1/me/points")).await;
        assert_eq!(status, StatusCode::OK, "{points}");
        points["balance"].as_str().expect("balance").to_owned()
    }

    /// What `worker check-orders` checks of confirmations.
    async fn assert_confirmations_add_up(&self) {
        let wrong = app::fulfilment::confirmation::mismatches(&self.app.state.context)
            .await
            .expect("check");
        assert!(
            wrong.is_empty(),
            "confirmations that do not add up: {wrong:?}"
        );
        testkit::shop::assert_journal_exact(&self.app).await;
    }

    async fn count(&self, sql: &str) -> i64 {
        self.app.db.query_text(sql).await[0]
            .parse()
            .expect("a count")
    }
}

#[tokio::test]
async fn a_shopper_confirms_a_shipped_line_once_earns_points_and_may_review_it() {
    let f = a_paid_order().await;
    let (status, body) = f.confirm(f.lines[0]).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, "invalid_fulfilment_step")
    );
    let (status, _) = f.ship(&f.lines[..1], PARCEL).await;
    assert_eq!(status, StatusCode::CREATED);

    let (status, confirmed) = f.confirm(f.lines[0]).await;
    assert_eq!(status, StatusCode::OK, "{confirmed}");
    // 1 % of the ₩90,000 paid for the line.
    assert_eq!(confirmed["points_earned"], "900");
    assert_eq!(f.points_balance().await, "900");
    assert_eq!(f.line_statuses().await, ["confirmed", "paid", "paid"]);
    let (status, body) = f.confirm(f.lines[0]).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, "invalid_fulfilment_step")
    );
    assert_eq!(f.points_balance().await, "900");

    // The settlement fact: the line's amounts and the commission then.
    let recorded = f
        .count(&format!(
            "SELECT count(*)::text AS value FROM purchase_confirmations WHERE product_order_id = '{}' \
             AND confirmed_by = 'shopper' AND payable_amount = 90000 AND commission_rate = 0.1 \
             AND commission_vat_rate = 0.1",
            f.lines[0]
        ))
        .await;
    assert_eq!(recorded, 1);

    // Confirmed, the line can be reviewed through the real flow.
    let (status, review) = send(f.buyer.call(&f.shop, Method::POST, "/v1/reviews").json(
        &json!({ "product_order_id": f.lines[0], "rating": 5, "text": "Warm and well made." }),
    ))
    .await;
    assert_eq!(status, StatusCode::CREATED, "{review}");

    // Nobody else's line is found.
    let other = testkit::shoppers::active_shopper_on(&f.shop, &f.app.db, "nosy").await;
    let nosy = testkit::shoppers::log_in(&f.shop, &other, testkit::shoppers::PASSWORD).await;
    let (status, _) = send(
        nosy.call(
            &f.shop,
            Method::POST,
            &format!("/v1/product-orders/{}/confirm", f.lines[1]),
        )
        .fresh_key(),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    f.assert_confirmations_add_up().await;
}

#[tokio::test]
async fn the_schedule_confirms_after_delivery_and_tells_the_shopper_first_without_one() {
    let f = a_paid_order().await;
    let context = &f.app.state.context;
    let now = Utc::now();
    let hours = |offset| hours_from(now, offset);
    let (_, delivered) = f.ship(&f.lines[..1], PARCEL).await;
    let (_, silent) = f.ship(&f.lines[1..2], "6012-3456-7891").await;
    let shipped_at: chrono::DateTime<Utc> = silent["shipped_at"]
        .as_str()
        .expect("shipped_at")
        .parse()
        .expect("a time");
    let (status, _) = f.report("601234567890", &[(hours(-1), "delivered")]).await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let delivered_at: chrono::DateTime<Utc> = hours(-1).parse().expect("a time");
    assert_eq!(delivered["product_order_ids"][0], f.lines[0].to_string());

    let confirm_due = |at| app::fulfilment::confirmation::confirm_due(context, at);
    let pass = confirm_due(delivered_at + TimeDelta::days(7) - TimeDelta::minutes(1))
        .await
        .expect("pass");
    assert_eq!((pass.confirmed, pass.noticed), (0, 0));
    let pass = confirm_due(delivered_at + TimeDelta::days(7))
        .await
        .expect("pass");
    assert_eq!((pass.confirmed, pass.noticed), (1, 0));
    assert_eq!(f.line_statuses().await, ["confirmed", "shipped", "paid"]);

    // No delivery event: told at shipped + 7 + 7 - 3 days, confirmed no
    // sooner than shipped + 14 days and 3 days after being told.
    let told_at = shipped_at + TimeDelta::days(11) + TimeDelta::hours(1);
    let pass = confirm_due(told_at - TimeDelta::hours(2))
        .await
        .expect("pass");
    assert_eq!((pass.confirmed, pass.noticed), (0, 0));
    let pass = confirm_due(told_at).await.expect("pass");
    assert_eq!((pass.confirmed, pass.noticed), (0, 1));
    let pass = confirm_due(shipped_at + TimeDelta::days(14))
        .await
        .expect("pass");
    assert_eq!((pass.confirmed, pass.noticed), (0, 0));
    let pass = confirm_due(told_at + TimeDelta::days(3))
        .await
        .expect("pass");
    assert_eq!((pass.confirmed, pass.noticed), (1, 0));
    assert_eq!(f.line_statuses().await, ["confirmed", "confirmed", "paid"]);

    f.app.run_jobs().await;
    let mail = TestMail::from_env().messages_to(&f.buyer_email).await;
    assert!(
        mail.iter().any(|m| m["subject"]
            .as_str()
            .is_some_and(|s| s.contains("will be confirmed on"))),
        "the shopper is told before a confirmation without a delivery event"
    );
    assert_eq!(f.points_balance().await, "1800");
    f.assert_confirmations_add_up().await;
}

#[tokio::test]
async fn two_workers_over_a_simulated_month_confirm_each_line_exactly_once_and_none_under_a_claim()
{
    let f = a_paid_order().await;
    let context = &f.app.state.context;
    let now = Utc::now();
    let (_, _) = f.ship(&f.lines[..2], PARCEL).await;
    let (_, _) = f.ship(&f.lines[2..], "6012-3456-7891").await;
    let (status, _) = f
        .report("601234567890", &[(hours_from(now, -1), "delivered")])
        .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    // A return stays open on one delivered line all month: it never confirms.
    let (status, claim) = f
        .claim("/v1/claims", "return", "defective", &f.lines[..1])
        .await;
    assert_eq!(status, StatusCode::CREATED, "{claim}");
    // Both workers tick every six hours for thirty days.
    let mut confirmed = 0;
    for tick in 0..(30 * 4) {
        let at = now + TimeDelta::hours(6 * tick);
        let (a, b) = tokio::join!(
            app::fulfilment::confirmation::confirm_due(context, at),
            app::fulfilment::confirmation::confirm_due(context, at),
        );
        confirmed += a.expect("worker a").confirmed + b.expect("worker b").confirmed;
    }
    assert_eq!(confirmed, 2);
    assert_eq!(
        f.line_statuses().await,
        ["delivered", "confirmed", "confirmed"]
    );
    let recorded = f
        .count(&format!(
            "SELECT count(*)::text AS value FROM purchase_confirmations WHERE purchase_order_id = '{}'",
            f.purchase
        ))
        .await;
    assert_eq!(recorded, 2);
    let grants = f
        .count(
            "SELECT count(*)::text AS value FROM point_ledger WHERE reason LIKE 'purchase confirmed:%'",
        )
        .await;
    assert_eq!(grants, 2);
    assert_eq!(f.points_balance().await, "1800");
    f.assert_confirmations_add_up().await;
}
