//! The Delivery Tracker client against the protocol double.
#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

use std::net::TcpListener;

use chrono::{TimeDelta, Utc};
use integrations::delivery_tracker::{DeliveryTrackerClient, TrackerError, TrackerSettings};
use secrecy::SecretString;
use testkit::doubles::{DeliveryTracker, tracker_client_id, tracker_client_secret};

fn client(base_url: String, secret: &str, timeout_ms: u64) -> DeliveryTrackerClient {
    DeliveryTrackerClient::new(TrackerSettings {
        base_url,
        client_id: tracker_client_id().to_owned(),
        client_secret: SecretString::from(secret.to_owned()),
        timeout_ms,
    })
    .unwrap()
}

#[tokio::test]
async fn reads_a_parcel_s_events_oldest_first() {
    let tracker = DeliveryTracker::start().await;
    let now = Utc::now();
    tracker.scan("kr.cjlogistics", "601234567890", now, "IN_TRANSIT");
    tracker.scan(
        "kr.cjlogistics",
        "601234567890",
        now - TimeDelta::hours(5),
        "AT_PICKUP",
    );
    let events = client(tracker.base_url(), tracker_client_secret(), 2000)
        .track("kr.cjlogistics", "601234567890")
        .await
        .unwrap();
    let codes: Vec<&str> = events.iter().map(|e| e.status_code.as_str()).collect();
    assert_eq!(codes, ["AT_PICKUP", "IN_TRANSIT"]);
    assert_eq!(events[1].at.timestamp(), now.timestamp());
}

#[tokio::test]
async fn an_unknown_parcel_is_not_found_and_a_failure_is_worth_retrying() {
    let tracker = DeliveryTracker::start().await;
    let client = client(tracker.base_url(), tracker_client_secret(), 2000);
    assert!(matches!(
        client.track("kr.cjlogistics", "601234567890").await,
        Err(TrackerError::NotFound)
    ));
    tracker.scan("kr.cjlogistics", "601234567890", Utc::now(), "AT_PICKUP");
    tracker.fail_next(1);
    assert!(matches!(
        client.track("kr.cjlogistics", "601234567890").await,
        Err(TrackerError::Unavailable(_))
    ));
    assert_eq!(
        client
            .track("kr.cjlogistics", "601234567890")
            .await
            .unwrap()
            .len(),
        1
    );
    assert_eq!(tracker.track_calls(), 3);
}

#[tokio::test]
async fn wrong_credentials_are_refused() {
    let tracker = DeliveryTracker::start().await;
    let outcome = client(tracker.base_url(), "not the secret", 2000)
        .track("kr.cjlogistics", "601234567890")
        .await;
    assert!(
        matches!(&outcome, Err(TrackerError::Refused { code, .. }) if code == "UNAUTHENTICATED"),
        "{outcome:?}"
    );
}

#[tokio::test]
async fn a_silent_service_times_out_as_unavailable() {
    // A listener nobody answers on.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    let outcome = client(base_url, tracker_client_secret(), 200)
        .track("kr.cjlogistics", "601234567890")
        .await;
    assert!(
        matches!(outcome, Err(TrackerError::Unavailable(_))),
        "{outcome:?}"
    );
}

#[tokio::test]
async fn registers_a_webhook_until_it_expires_and_removes_it_with_a_past_time() {
    let tracker = DeliveryTracker::start().await;
    let client = client(tracker.base_url(), tracker_client_secret(), 2000);
    let until = Utc::now() + TimeDelta::hours(48);
    client
        .register_webhook(
            "kr.cjlogistics",
            "601234567890",
            "http://127.0.0.1:9/hook",
            until,
        )
        .await
        .unwrap();
    let (url, expires) = tracker.webhook("kr.cjlogistics", "601234567890").unwrap();
    assert_eq!(url, "http://127.0.0.1:9/hook");
    assert_eq!(expires.timestamp(), until.timestamp());
    client
        .register_webhook(
            "kr.cjlogistics",
            "601234567890",
            "http://127.0.0.1:9/hook",
            Utc::now() - TimeDelta::seconds(1),
        )
        .await
        .unwrap();
    assert!(tracker.webhook("kr.cjlogistics", "601234567890").is_none());
}
