//! Cancels over HTTP: the shopper quotes, then cancels product orders
//! before they ship; the quote is what goes back, the card first, then
//! cash, then points; the card part is asked of Toss once per step, even
//! when Toss fails or loses its answer; the units go back on sale.

#![expect(clippy::expect_used, reason = "test helpers fail loudly")]

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use testkit::doubles::Payments;
use testkit::{FreshKey as _, TestApp, shop};
use uuid::Uuid;

use super::fulfilment_shipping::{
    Fulfilment, PARCEL, Payer, a_paid_order, an_order_paid_by, field_code, send,
};

impl Fulfilment {
    /// The shopper's claim request: `POST /v1/claims` (or its quote).
    pub(super) async fn claim(
        &self,
        path: &str,
        kind: &str,
        reason: &str,
        lines: &[Uuid],
    ) -> (StatusCode, Value) {
        let mut request = self
            .buyer
            .call(&self.shop, Method::POST, path)
            .json(&json!({ "kind": kind, "reason": reason, "product_order_ids": lines }));
        if path == "/v1/claims" {
            request = request.fresh_key();
        }
        send(request).await
    }

    pub(super) async fn stock_of_line(&self, line: Uuid) -> (i32, i32) {
        let sku: Uuid = self
            .app
            .db
            .query_text(&format!(
                "SELECT sku_id::text AS value FROM product_orders WHERE id = '{line}'"
            ))
            .await[0]
            .parse()
            .expect("sku");
        shop::stock_of(&self.app, sku).await
    }
}

async fn paid_by_toss(provider: &Payments, points: i64, cash: i64) -> Fulfilment {
    let app = TestApp::builder(seller_api::SERVICE)
        .settings(provider.settings_overrides())
        .spawn()
        .await;
    an_order_paid_by(
        app,
        Payer::Toss {
            provider,
            points,
            cash,
        },
    )
    .await
}

#[tokio::test]
async fn a_cancel_before_shipping_gives_back_what_the_quote_showed_card_first() {
    let provider = Payments::start().await;
    // Coats 3 × ₩90,000 and a ₩20,000 scarf, ₩3,000 shipping each vendor:
    // ₩296,000, of it ₩5,000 in points and ₩10,000 in cash.
    let f = paid_by_toss(&provider, 5_000, 10_000).await;
    let key = f.toss_key.clone().expect("a Toss payment");
    assert_eq!(provider.toss_balance(&key), Some(281_000));
    let (on_hand, _) = f.stock_of_line(f.lines[0]).await;

    let (status, quote) = f
        .claim(
            "/v1/claims/quote",
            "cancel",
            "change_of_mind",
            &f.lines[..1],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{quote}");
    assert_eq!(quote["refund"]["card"], "90000");
    assert_eq!(quote["refund"]["total"], "90000");
    assert_eq!(quote["fault"], "buyer");

    let (status, claim) = f
        .claim("/v1/claims", "cancel", "change_of_mind", &f.lines[..1])
        .await;
    assert_eq!(status, StatusCode::CREATED, "{claim}");
    assert_eq!(claim["status"], "completed");
    assert_eq!(claim["refund"], quote["refund"]);
    assert_eq!(claim["card_refund_status"], "refunded");
    assert_eq!(provider.toss_balance(&key), Some(191_000));
    assert_eq!(f.line_statuses().await, ["cancelled", "paid", "paid"]);
    // The unit is on sale again, with a `returned` movement.
    assert_eq!(f.stock_of_line(f.lines[0]).await.0, on_hand + 1);
    let movements = f
        .app
        .db
        .query_text(&format!(
            "SELECT count(*)::text AS value FROM inventory_movements WHERE reason = 'returned' \
             AND reference = 'claim:{}'",
            claim["id"].as_str().expect("id")
        ))
        .await;
    assert_eq!(movements, ["1"]);
    shop::assert_claims_exact(&f.app).await;

    // The line is gone from the order; nothing else can claim it.
    let (status, again) = f
        .claim("/v1/claims", "cancel", "change_of_mind", &f.lines[..1])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{again}");
    assert_eq!(field_code(&again), ("product_order_ids", "not_claimable"));

    // Everything else: the card's ₩191,000 goes back first, then cash, then points.
    let rest = [f.lines[1], f.lines[2], f.other_line];
    let (status, quote) = f
        .claim("/v1/claims/quote", "cancel", "change_of_mind", &rest)
        .await;
    assert_eq!(status, StatusCode::OK, "{quote}");
    assert_eq!(
        quote["refund"],
        json!({ "card": "191000", "points": "5000", "cash": "10000", "total": "206000" })
    );
    let (status, claim) = f
        .claim("/v1/claims", "cancel", "change_of_mind", &rest)
        .await;
    assert_eq!(status, StatusCode::CREATED, "{claim}");
    assert_eq!(provider.toss_balance(&key), Some(0));
    assert_eq!(provider.toss_status(&key).as_deref(), Some("CANCELED"));
    let (_, points) = send(f.buyer.call(&f.shop, Method::GET, "/v1/me/points")).await;
    assert_eq!(points["balance"], "5000");
    let (_, wallet) = send(f.buyer.call(&f.shop, Method::GET, "/v1/me/wallet")).await;
    assert_eq!(wallet["total"], "10000");
    shop::assert_claims_exact(&f.app).await;

    let (status, mine) = send(f.buyer.call(&f.shop, Method::GET, "/v1/claims")).await;
    assert_eq!(status, StatusCode::OK, "{mine}");
    assert_eq!(mine["items"].as_array().map(Vec::len), Some(2));
}

#[tokio::test]
async fn a_refund_toss_loses_or_cannot_take_is_asked_again_and_made_once() {
    let provider = Payments::start().await;
    let f = paid_by_toss(&provider, 0, 0).await;
    let key = f.toss_key.clone().expect("a Toss payment");

    // Toss makes the refund but its answer is lost: the claim is done, its
    // card part pending.
    provider.toss_lose_cancel_answer(&key);
    let (status, claim) = f
        .claim("/v1/claims", "cancel", "change_of_mind", &f.lines[..1])
        .await;
    assert_eq!(status, StatusCode::CREATED, "{claim}");
    assert_eq!(claim["status"], "completed");
    assert_eq!(claim["card_refund_status"], "pending");
    assert_eq!(provider.toss_balance(&key), Some(206_000));

    // Toss is down for the next one: nothing happens there yet.
    provider.toss_outage(true);
    let (status, second) = f
        .claim("/v1/claims", "cancel", "change_of_mind", &f.lines[1..2])
        .await;
    assert_eq!(status, StatusCode::CREATED, "{second}");
    assert_eq!(second["card_refund_status"], "pending");
    assert_eq!(provider.toss_balance(&key), Some(206_000));

    // Reconciliation asks again under the same keys: Toss replays the
    // first and makes the second, once each.
    provider.toss_outage(false);
    let round = app::claims::reconcile(&f.app.state.context)
        .await
        .expect("reconcile");
    assert_eq!(round.asked, 2);
    assert_eq!(round.unanswered, 0);
    assert_eq!(provider.toss_balance(&key), Some(116_000));
    let again = app::claims::reconcile(&f.app.state.context)
        .await
        .expect("reconcile");
    assert_eq!(again.asked, 0);
    assert_eq!(provider.toss_balance(&key), Some(116_000));
    for id in [&claim["id"], &second["id"]] {
        let (_, read) = send(f.buyer.call(
            &f.shop,
            Method::GET,
            &format!("/v1/claims/{}", id.as_str().expect("id")),
        ))
        .await;
        assert_eq!(read["card_refund_status"], "refunded", "{read}");
    }
    shop::assert_claims_exact(&f.app).await;

    // A refund Toss refuses outright is marked failed for operations.
    provider.toss_refuse_cancels(&key);
    let (status, refused) = f
        .claim("/v1/claims", "cancel", "change_of_mind", &[f.other_line])
        .await;
    assert_eq!(status, StatusCode::CREATED, "{refused}");
    assert_eq!(refused["card_refund_status"], "failed");
    assert_eq!(refused["card_refunds"][0]["status"], "failed");
}

#[tokio::test]
async fn a_cancel_is_only_before_shipping_and_only_of_the_shoppers_own_lines() {
    let f = a_paid_order().await;
    let (status, _) = f.ship(&f.lines[..1], PARCEL).await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, body) = f
        .claim(
            "/v1/claims/quote",
            "cancel",
            "change_of_mind",
            &f.lines[..2],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(field_code(&body), ("product_order_ids", "not_claimable"));
    // Returns wait for delivery.
    let (status, body) = f
        .claim("/v1/claims/quote", "return", "defective", &f.lines[..1])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(field_code(&body), ("product_order_ids", "not_claimable"));
    // The reason must fit the kind; only the vendor says it sold out.
    for (kind, reason) in [
        ("cancel", "defective"),
        ("cancel", "sold_out"),
        ("swap", "change_of_mind"),
    ] {
        let (status, body) = f
            .claim("/v1/claims/quote", kind, reason, &f.lines[1..2])
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(
            body["errors"][0]["code"], "invalid_value",
            "{kind} {reason}"
        );
    }
    let (status, body) = f
        .claim(
            "/v1/claims/quote",
            "exchange",
            "change_of_mind",
            &f.lines[1..2],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(field_code(&body), ("exchange_sku_id", "required"));
    let (status, body) = f
        .claim("/v1/claims/quote", "cancel", "change_of_mind", &[])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(field_code(&body), ("product_order_ids", "required"));
    let (status, body) = f
        .claim(
            "/v1/claims/quote",
            "cancel",
            "change_of_mind",
            &[f.lines[1], f.lines[1]],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(field_code(&body), ("product_order_ids", "duplicate"));

    // Another shopper finds nothing, and changes nothing.
    let other = testkit::shoppers::active_shopper_on(&f.shop, &f.app.db, "nosy").await;
    let nosy = testkit::shoppers::log_in(&f.shop, &other, testkit::shoppers::PASSWORD).await;
    let (status, _) = send(
        nosy.call(&f.shop, Method::POST, "/v1/claims")
            .fresh_key()
            .json(&json!({ "kind": "cancel", "reason": "change_of_mind", "product_order_ids": [f.lines[1]] })),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(f.line_statuses().await, ["shipped", "paid", "paid"]);

    // The claim needs an idempotency key, and a replay answers the same.
    let (status, body) = send(f.buyer.call(&f.shop, Method::POST, "/v1/claims").json(
        &json!({ "kind": "cancel", "reason": "change_of_mind", "product_order_ids": [f.lines[1]] }),
    ))
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let key = Uuid::new_v4().to_string();
    let body =
        json!({ "kind": "cancel", "reason": "change_of_mind", "product_order_ids": [f.lines[1]] });
    let mut answers = Vec::new();
    for _ in 0..2 {
        let (status, claim) = send(
            f.buyer
                .call(&f.shop, Method::POST, "/v1/claims")
                .header("idempotency-key", &key)
                .json(&body),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{claim}");
        answers.push(claim["id"].clone());
    }
    assert_eq!(answers[0], answers[1]);
    shop::assert_claims_exact(&f.app).await;
}

/// How many paid orders the payment chaos claims everything of: the
/// suite's few, more in `scripts/soak` (`CLAIM_CHAOS_ORDERS`).
fn chaos_orders() -> u64 {
    std::env::var("CLAIM_CHAOS_ORDERS")
        .ok()
        .and_then(|count| count.parse().ok())
        .unwrap_or(3)
}

#[tokio::test]
async fn under_payment_chaos_every_claim_is_refunded_exactly_once() {
    let provider = Payments::start().await;
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let (mut claims, mut failed) = (0, 0);
    for _ in 0..chaos_orders() {
        let f = paid_by_toss(&provider, 2_000, 3_000).await;
        let key = f.toss_key.clone().expect("a Toss payment");
        let paid = provider.toss_balance(&key).expect("a balance");
        let mut card_back = 0_i64;
        // Every line in a claim of its own; one cancel in ten fails at Toss:
        // its answer lost after the refund, or Toss down before it.
        for line in [f.lines[0], f.lines[1], f.lines[2], f.other_line] {
            let fails = next() % 10 == 0;
            let lost = next() % 2 == 0;
            if fails && lost {
                provider.toss_lose_cancel_answer(&key);
            } else if fails {
                provider.toss_outage(true);
            }
            let (status, claim) = f
                .claim("/v1/claims", "cancel", "change_of_mind", &[line])
                .await;
            provider.toss_outage(false);
            assert_eq!(status, StatusCode::CREATED, "{claim}");
            let card: i64 = claim["refund"]["card"]
                .as_str()
                .expect("card")
                .parse()
                .expect("won");
            card_back += card;
            claims += 1;
            failed += usize::from(fails);
        }
        // Reconciliation settles every unknown outcome, once.
        for _ in 0..2 {
            app::claims::reconcile(&f.app.state.context)
                .await
                .expect("reconcile");
        }
        let pending = f
            .app
            .db
            .query_text(
                "SELECT count(*)::text AS value FROM claim_refunds WHERE status <> 'refunded'",
            )
            .await;
        assert_eq!(pending, ["0"]);
        // The double's own ledger: exactly what the claims gave back by card.
        assert_eq!(provider.toss_balance(&key), Some(paid - card_back));
        assert_eq!(provider.toss_balance(&key), Some(0));
        shop::assert_claims_exact(&f.app).await;
    }
    // The seed fails one of Toss's answers and one of its calls in the suite's
    // three orders; the soak's fifty fail about one in ten.
    assert!(
        claims >= 12 && failed >= 2,
        "{claims} claims, {failed} failed at Toss"
    );
}

#[tokio::test]
async fn a_vendor_that_cannot_ship_cancels_at_its_own_cost() {
    let f = a_paid_order().await;
    let path = format!("/v1/orders/{}/cancellations", f.seller_order);
    // Only the vendor's own reasons, and only its own lines.
    let (status, body) = f
        .vendor(
            Method::POST,
            &path,
            json!({ "reason": "change_of_mind", "product_order_ids": [f.lines[0]] }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(field_code(&body), ("reason", "invalid_value"));
    let (status, _) = f
        .vendor(
            Method::POST,
            &path,
            json!({ "reason": "sold_out", "product_order_ids": [f.other_line] }),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Everything the vendor order holds: its shipping goes back too.
    let (status, claim) = f
        .vendor(
            Method::POST,
            &path,
            json!({ "reason": "sold_out", "product_order_ids": f.lines, "note": "The last coats sold in store" }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{claim}");
    assert_eq!(claim["status"], "completed");
    assert_eq!(claim["fault"], "vendor");
    assert_eq!(claim["refund"]["total"], "273000");
    assert_eq!(
        f.line_statuses().await,
        ["cancelled", "cancelled", "cancelled"]
    );
    let (_, mine) = send(f.buyer.call(&f.shop, Method::GET, "/v1/claims")).await;
    assert_eq!(mine["items"][0]["id"], claim["id"]);
    shop::assert_claims_exact(&f.app).await;
}

#[tokio::test]
async fn points_whose_lot_expired_since_come_back_with_a_fresh_expiry() {
    let provider = Payments::start().await;
    // The order draws ₩5,000 of points from a lot that expires in 30 days.
    let f = paid_by_toss(&provider, 5_000, 0).await;
    let (_, me) = send(f.buyer.call(&f.shop, Method::GET, "/v1/me")).await;
    let buyer = app::kernel::principals::Buyer::Member(
        me["user_id"].as_str().expect("id").parse().expect("uuid"),
    );
    // Cancelled 40 days on (the lot has expired by then).
    let input = app::claims::requests::ClaimInput {
        kind: "cancel".into(),
        reason: "change_of_mind".into(),
        product_order_ids: vec![f.lines[0], f.lines[1], f.lines[2], f.other_line],
        note: None,
        exchange_sku_id: None,
        refund_account: None,
    };
    let later = chrono::Utc::now() + chrono::TimeDelta::days(40);
    let claim = app::claims::requests::create(&f.app.state.context, &buyer, input, later)
        .await
        .expect("a claim");
    assert_eq!(
        claim.claim.refund_points,
        rust_decimal::Decimal::from(5_000)
    );
    // The old lot gets its restore (the ledger stays whole), and the points
    // come back in a new lot valid a year from the claim.
    let ledger = f
        .app
        .db
        .query_text(
            "SELECT kind || ':' || amount::bigint || ':' || COALESCE((expires_at > now() + interval '400 days')::text, '') \
             AS value FROM point_ledger ORDER BY id",
        )
        .await;
    assert_eq!(
        ledger,
        [
            "grant:5000:false",
            "spend:-5000:",
            "restore:5000:",
            "grant:5000:true"
        ]
    );
    shop::assert_claims_exact(&f.app).await;
}

#[tokio::test]
async fn a_bank_transfer_is_refunded_to_the_account_the_shopper_names() {
    let provider = Payments::start().await;
    let app = TestApp::builder(seller_api::SERVICE)
        .settings(provider.settings_overrides())
        .spawn()
        .await;
    let f = an_order_paid_by(
        app,
        Payer::TossTransfer {
            provider: &provider,
        },
    )
    .await;
    let key = f.toss_key.clone().expect("a Toss payment");
    let cancel = |account: Value| {
        send(
            f.buyer
                .call(&f.shop, Method::POST, "/v1/claims")
                .fresh_key()
                .json(&json!({ "kind": "cancel", "reason": "change_of_mind",
                    "product_order_ids": [f.lines[0]], "refund_account": account })),
        )
    };
    let (status, body) = cancel(Value::Null).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(field_code(&body), ("refund_account", "required"));
    let (status, body) = cancel(
        json!({ "bank_code": "8", "account_number": "110-123-456789", "holder_name": "Kim Minji" }),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        field_code(&body),
        ("refund_account.bank_code", "invalid_format")
    );
    assert_eq!(f.line_statuses().await[0], "paid");

    let (status, claim) = cancel(json!({ "bank_code": "88", "account_number": "110-123-456789", "holder_name": "Kim Minji" })).await;
    assert_eq!(status, StatusCode::CREATED, "{claim}");
    assert_eq!(claim["card_refund_status"], "refunded", "{claim}");
    assert_eq!(provider.toss_balance(&key), Some(296_000 - 90_000));
    // The account is kept only while a refund needs it.
    let kept = f
        .app
        .db
        .query_text("SELECT count(*)::text AS value FROM claims WHERE refund_account IS NOT NULL")
        .await;
    assert_eq!(kept, ["0"]);
    shop::assert_claims_exact(&f.app).await;
}
