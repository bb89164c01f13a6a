//! Deliveries running late: the hourly pass flags a vendor order not
//! dispatched by its deadline, a parcel unscanned a day after shipping and
//! one more than five days in transit; each flag emails the shopper and
//! the vendor once, clears when the delay ends, and operations list them.

#![expect(clippy::expect_used, reason = "test helpers fail loudly")]

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use reqwest::{Method, StatusCode};
use serde_json::Value;
use testkit::{TestMail, staff};

use super::fulfilment_shipping::{PARCEL, a_paid_order, hours_from, send};

fn kinds(page: &Value) -> Vec<(String, String)> {
    let mut kinds: Vec<(String, String)> = page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|d| {
            (
                d["kind"].as_str().expect("kind").to_owned(),
                d["seller_name"].as_str().expect("seller").to_owned(),
            )
        })
        .collect();
    kinds.sort();
    kinds
}

#[tokio::test]
async fn late_deliveries_are_flagged_once_told_and_cleared() {
    let f = a_paid_order().await;
    let context = &f.app.state.context;
    let vendor_email = TestMail::unique_address("coat-co");
    staff::seller_contact(&f.app, f.vendor, &vendor_email).await;
    let (_, dispatch) = f
        .vendor(
            Method::GET,
            &format!("/v1/orders/{}/dispatch", f.seller_order),
            Value::Null,
        )
        .await;
    let due: NaiveDate = dispatch["due"]
        .as_str()
        .expect("due")
        .parse()
        .expect("a date");
    // The deadline's day ends at midnight in Korea (15:00 UTC).
    let late_at: DateTime<Utc> = due.and_hms_opt(15, 0, 0).expect("a time").and_utc();
    let flag = |at| app::fulfilment::delays::flag(context, at);

    let pass = flag(late_at - TimeDelta::seconds(1)).await.expect("pass");
    assert_eq!((pass.raised, pass.cleared), (0, 0));
    // Both vendors' orders are late; a second pass tells nobody again.
    let pass = flag(late_at).await.expect("pass");
    assert_eq!((pass.raised, pass.cleared), (2, 0));
    let pass = flag(late_at).await.expect("pass");
    assert_eq!((pass.raised, pass.cleared), (0, 0));
    f.app.run_jobs().await;
    let mail = TestMail::from_env();
    let told = mail.messages_to(&f.buyer_email).await;
    assert_eq!(
        told.iter()
            .filter(|m| m["subject"]
                .as_str()
                .is_some_and(|s| s.contains("a delay at")))
            .count(),
        2
    );
    let vendor_told = mail.messages_to(&vendor_email).await;
    assert!(vendor_told.iter().any(|m| {
        m["subject"]
            .as_str()
            .is_some_and(|s| s.contains("has not been dispatched by its deadline"))
    }));

    // Dispatched: the late flag clears, and the unscanned parcel is flagged.
    let (status, _) = f.ship(&f.lines, PARCEL).await;
    assert_eq!(status, StatusCode::CREATED);
    let pass = flag(late_at).await.expect("pass");
    assert_eq!((pass.raised, pass.cleared), (1, 1));
    // Scanned: that clears; five days later in transit, flagged again.
    let now = Utc::now();
    let (status, _) = f
        .report("601234567890", &[(hours_from(now, -1), "at_pickup")])
        .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let scanned: DateTime<Utc> = hours_from(now, -1).parse().expect("a time");
    let long = late_at.max(scanned + TimeDelta::days(5)) + TimeDelta::hours(1);
    let pass = flag(long).await.expect("pass");
    assert_eq!((pass.raised, pass.cleared), (1, 1));
    // Delivered: nothing about the parcel is late any more.
    let (status, _) = f
        .report("601234567890", &[(hours_from(now, 0), "delivered")])
        .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let pass = flag(long).await.expect("pass");
    assert_eq!((pass.raised, pass.cleared), (0, 1));

    let admin = f.app.sibling(admin_api::SERVICE);
    let ops = staff::admin(&f.app, "ops", &["orders.read"]).await;
    let login = staff::log_in(&admin, &ops, 0).await;
    let (status, open) = send(login.call(&admin, Method::GET, "/v1/shipment-delays")).await;
    assert_eq!(status, StatusCode::OK, "{open}");
    assert_eq!(kinds(&open), [("late_dispatch".into(), "Scarf Co".into())]);
    let (_, all) = send(login.call(&admin, Method::GET, "/v1/shipment-delays?open=false")).await;
    assert_eq!(
        kinds(&all),
        [
            ("late_dispatch".to_owned(), "Coat Co".to_owned()),
            ("late_dispatch".into(), "Scarf Co".into()),
            ("long_in_transit".into(), "Coat Co".into()),
            ("no_carrier_scan".into(), "Coat Co".into()),
        ]
    );
    let nobody = staff::admin(&f.app, "nobody", &["catalog.manage"]).await;
    let nobody = staff::log_in(&admin, &nobody, 0).await;
    let (status, _) = send(nobody.call(&admin, Method::GET, "/v1/shipment-delays")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
