//! Following parcels at the tracking service (the Delivery Tracker double):
//! a shipped parcel is registered and read; callbacks, which name only the
//! parcel, queue one read each however often they repeat; silent parcels
//! are read by the poll; webhooks are renewed while parcels travel; reads
//! spend a per-minute allowance. Under duplicated, reordered and lost
//! callbacks every parcel reaches its final state within two poll cycles,
//! and nothing moves a parcel back from delivered.

#![expect(clippy::expect_used, reason = "test helpers fail loudly")]

use chrono::{DateTime, TimeDelta, Utc};
use reqwest::StatusCode;
use testkit::doubles::DeliveryTracker;
use testkit::{TestApp, TestServer, shop, staff};

use super::fulfilment_shipping::{PARCEL, a_paid_order_on};

const TOKEN: &str = "tracker-callback-token-test-0000000001";
const CJ: &str = "kr.cjlogistics";

async fn app_following(tracker: &DeliveryTracker, reads_per_minute: u32) -> TestApp {
    TestApp::builder(seller_api::SERVICE)
        .settings([
            ("delivery_tracker.base_url", tracker.base_url()),
            (
                "tracking.callback_url",
                format!("http://external.invalid/v1/webhooks/delivery-tracker/{TOKEN}"),
            ),
            ("tracking.reads_per_minute", reads_per_minute.to_string()),
            ("tracking.reads_per_day", "10000000".to_owned()),
        ])
        .spawn()
        .await
}

/// Sends the callback the double would send for the parcel, if registered.
async fn call_back(
    tracker: &DeliveryTracker,
    external: &TestServer,
    number: &str,
) -> Option<StatusCode> {
    let (path, body) = tracker.callback(CJ, number)?;
    let response = external
        .post(&path)
        .json(&body)
        .send()
        .await
        .expect("callback");
    Some(response.status())
}

async fn carrier_status(app: &TestApp, number: &str) -> String {
    app.db
        .query_text(&format!(
            "SELECT COALESCE(carrier_status, '-') || '/' || status AS value FROM shipments \
             WHERE tracking_number = '{number}' AND status <> 'cancelled'"
        ))
        .await
        .into_iter()
        .next()
        .expect("a shipment")
}

#[tokio::test]
async fn a_shipped_parcel_is_registered_read_and_followed_through_callbacks() {
    let tracker = DeliveryTracker::start().await;
    let f = a_paid_order_on(app_following(&tracker, 1000).await).await;
    let (status, _) = f.ship(&f.lines[..1], PARCEL).await;
    assert_eq!(status, StatusCode::CREATED);
    f.app.run_jobs().await;
    let (url, until) = tracker.webhook(CJ, "601234567890").expect("registered");
    assert!(url.ends_with(TOKEN));
    assert!(until > Utc::now() + TimeDelta::hours(47));
    // Not scanned yet: read, nothing to record.
    assert_eq!(tracker.track_calls(), 1);
    assert_eq!(carrier_status(&f.app, "601234567890").await, "-/shipped");

    let now = Utc::now();
    tracker.scan(CJ, "601234567890", now - TimeDelta::hours(2), "AT_PICKUP");
    tracker.scan(CJ, "601234567890", now - TimeDelta::hours(1), "IN_TRANSIT");
    // The same callback three times queues one read.
    for _ in 0..3 {
        assert_eq!(
            call_back(&tracker, &f.external, "601234567890").await,
            Some(StatusCode::ACCEPTED)
        );
    }
    f.app.run_jobs().await;
    assert_eq!(tracker.track_calls(), 2);
    assert_eq!(
        carrier_status(&f.app, "601234567890").await,
        "in_transit/shipped"
    );

    // A callback with another token is refused.
    let response = f
        .external
        .post("/v1/webhooks/delivery-tracker/not-our-token")
        .json(&serde_json::json!({ "carrierId": CJ, "trackingNumber": "601234567890" }))
        .send()
        .await
        .expect("callback");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);

    // A failing service is asked again later: the read's job retries.
    tracker.scan(CJ, "601234567890", now, "DELIVERED");
    tracker.fail_next(1);
    call_back(&tracker, &f.external, "601234567890").await;
    f.app.run_jobs().await;
    assert_eq!(
        carrier_status(&f.app, "601234567890").await,
        "in_transit/shipped"
    );
    let retries = f
        .app
        .db
        .query_text(
            "SELECT count(*)::text AS value FROM jobs WHERE kind = 'fulfilment.read_parcel' \
             AND status = 'pending' AND attempts = 1",
        )
        .await;
    assert_eq!(retries, ["1"]);
    f.app
        .db
        .run_sql("UPDATE jobs SET run_at = now() WHERE kind = 'fulfilment.read_parcel'")
        .await
        .expect("due now");
    f.app.run_jobs().await;
    assert_eq!(
        carrier_status(&f.app, "601234567890").await,
        "delivered/delivered"
    );
    assert_eq!(f.line_statuses().await, ["delivered", "paid", "paid"]);
}

#[tokio::test]
async fn webhooks_are_renewed_while_the_parcel_travels_and_reads_spend_an_allowance() {
    let tracker = DeliveryTracker::start().await;
    let f = a_paid_order_on(app_following(&tracker, 2).await).await;
    let context = &f.app.state.context;
    f.ship(&f.lines[..1], PARCEL).await;
    f.app.run_jobs().await;
    let (_, first) = tracker.webhook(CJ, "601234567890").expect("registered");
    // Nothing to renew while more than half the lifetime is left.
    let renewed = app::fulfilment::tracker::renew(context, Utc::now())
        .await
        .expect("renew");
    assert_eq!(renewed, 0);
    let later = Utc::now() + TimeDelta::hours(30);
    let renewed = app::fulfilment::tracker::renew(context, later)
        .await
        .expect("renew");
    assert_eq!(renewed, 1);
    let (_, renewed_until) = tracker.webhook(CJ, "601234567890").expect("registered");
    assert!(renewed_until > first + TimeDelta::hours(29));

    // Two reads a minute: the first was the follow-up's, the second passes,
    // the third waits.
    let now = Utc::now();
    let read = || app::fulfilment::tracker::read(context, CJ, "601234567890", now);
    read().await.expect("the second read");
    let refused = read().await;
    assert!(
        matches!(refused, Err(app::AppError::TooManyRequests { .. })),
        "{refused:?}"
    );
    assert_eq!(tracker.track_calls(), 2);
}

/// A tiny deterministic generator, so a failing run can be replayed.
struct Dice(u64);

impl Dice {
    fn percent(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % 100
    }
}

/// `PARCEL_CHAOS_COUNT` parcels (200 unless set; `scripts/soak` runs
/// 10,000) travel to delivery while callbacks are duplicated (20 %),
/// reordered (10 %) and lost (5 %); two poll cycles later every parcel is
/// delivered, and noise afterwards changes nothing.
#[tokio::test]
async fn under_callback_chaos_every_parcel_is_delivered_within_two_poll_cycles() {
    let count: usize = std::env::var("PARCEL_CHAOS_COUNT")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(200);
    let tracker = DeliveryTracker::start().await;
    let app = app_following(&tracker, 10_000_000).await;
    let external = app.sibling(external_api::SERVICE);
    let context = &app.state.context;
    let vendor = staff::seller(&app, "Parcel Co").await;
    let order = shop::bare_order(&app, vendor).await;
    app.db
        .run_sql(&format!(
            "UPDATE seller_orders SET status = 'paid' WHERE id = '{order}'"
        ))
        .await
        .expect("paid");
    app.db
        .run_sql(&format!(
            "INSERT INTO shipments (id, seller_order_id, purchase_order_id, seller_id, carrier, tracking_number) \
             SELECT gen_random_uuid(), '{order}', '{order}', '{vendor}', '{CJ}', '6' || lpad(n::text, 11, '0') \
             FROM generate_series(1, {count}) AS n"
        ))
        .await
        .expect("parcels");
    let numbers: Vec<String> = (1..=count).map(|n| format!("6{n:011}")).collect();
    let now = Utc::now();
    assert_eq!(
        app::fulfilment::tracker::renew(context, now)
            .await
            .expect("register"),
        count
    );

    let mut dice = Dice(0x9E37_79B9_7F4A_7C15);
    let stages: [&[(i64, &str)]; 2] = [
        &[(-48, "AT_PICKUP"), (-30, "IN_TRANSIT")],
        &[(-8, "OUT_FOR_DELIVERY"), (-3, "DELIVERED")],
    ];
    let at = |hours: i64| -> DateTime<Utc> { now + TimeDelta::hours(hours) };
    for stage in stages {
        let mut late = Vec::new();
        for number in &numbers {
            for (hours, code) in stage {
                tracker.scan(CJ, number, at(*hours), code);
            }
            let roll = dice.percent();
            let sends = match roll {
                0..5 => 0,
                5..25 => 2,
                _ => 1,
            };
            if (25..35).contains(&roll) {
                late.push(number);
                continue;
            }
            for _ in 0..sends {
                assert_eq!(
                    call_back(&tracker, &external, number).await,
                    Some(StatusCode::ACCEPTED)
                );
            }
        }
        app.run_jobs().await;
        // Reordered: these arrive after the others were read.
        for number in late {
            call_back(&tracker, &external, number).await;
        }
        app.run_jobs().await;
    }
    // Two poll cycles pick up whatever the lost callbacks left behind.
    for cycle in 1..=2 {
        app::fulfilment::tracker::poll(context, now + TimeDelta::hours(7 * cycle))
            .await
            .expect("poll");
        app.run_jobs().await;
    }
    let undelivered = app
        .db
        .query_text(&format!(
            "SELECT count(*)::text AS value FROM shipments WHERE seller_order_id = '{order}' \
             AND (status <> 'delivered' OR carrier_status <> 'delivered' OR carrier_delivered_at <> '{}')",
            at(-3).format("%Y-%m-%d %H:%M:%S+00")
        ))
        .await;
    let sample = app
        .db
        .query_text(&format!(
            "SELECT status || ' ' || COALESCE(carrier_status, '-') || ' ' || COALESCE(carrier_delivered_at::text, '-') AS value \
             FROM shipments WHERE seller_order_id = '{order}' LIMIT 3"
        ))
        .await;
    assert_eq!(undelivered, ["0"], "{sample:?}");

    // Noise after delivery, read through a callback: nothing moves back.
    for number in numbers.iter().take(50) {
        tracker.scan(CJ, number, at(-1), "EXCEPTION");
        tracker.scan(CJ, number, at(-2), "IN_TRANSIT");
    }
    for number in numbers.iter().take(50) {
        // Delivered parcels are no longer followed: their callbacks still
        // arrive until the webhook lapses.
        call_back(&tracker, &external, number).await;
    }
    app.run_jobs().await;
    let moved_back = app
        .db
        .query_text(&format!(
            "SELECT count(*)::text AS value FROM shipments WHERE seller_order_id = '{order}' \
             AND (status <> 'delivered' OR carrier_status <> 'delivered')"
        ))
        .await;
    assert_eq!(moved_back, ["0"]);
}
