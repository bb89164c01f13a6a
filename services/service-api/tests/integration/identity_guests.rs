//! Guests: a token without an account, with the `guest` scope only, opened
//! at a limited rate per address and per device.
#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

use reqwest::StatusCode;
use serde_json::{Value, json};
use testkit::SendJson as _;
use testkit::TestApp;
use uuid::Uuid;

#[tokio::test]
async fn a_guest_gets_a_session_but_no_shopper_routes_even_after_refresh() {
    let app = TestApp::spawn(service_api::SERVICE).await;
    let device = Uuid::new_v4();
    let tokens: Value = app
        .post("/v1/auth/guest")
        .header("x-device-id", device.to_string())
        .json_body()
        .await;
    let access = tokens["access_token"].as_str().unwrap();
    let call = |path: &str, token: &str| {
        app.get(path)
            .bearer_auth(token)
            .header("x-device-id", device.to_string())
            .send()
    };

    let session: Value = call("/v1/auth/session", access)
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(session["scopes"], json!(["guest"]));
    assert!(session["subject"].as_str().unwrap().starts_with("guest-"));
    let me = call("/v1/me", access).await.unwrap();
    assert_eq!(me.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        me.json::<Value>().await.unwrap()["code"],
        "insufficient_scope"
    );

    let refreshed: Value = app
        .post("/v1/auth/refresh")
        .header("x-device-id", device.to_string())
        .json(&json!({ "refresh_token": tokens["refresh_token"] }))
        .json_body()
        .await;
    let renewed = refreshed["access_token"].as_str().unwrap();
    let session: Value = call("/v1/auth/session", renewed)
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        session["scopes"],
        json!(["guest"]),
        "a refresh never widens the scopes"
    );
    assert_eq!(
        call("/v1/me", renewed).await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
}

async fn open_guest(app: &TestApp, device: Uuid, address: &str) -> StatusCode {
    app.post("/v1/auth/guest")
        .header("x-device-id", device.to_string())
        .header("x-forwarded-for", address)
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn guest_sessions_are_limited_per_address_and_per_device() {
    let app = TestApp::spawn(service_api::SERVICE).await;
    // 150 in a row from one address: the hour's budget (60), then 429.
    let mut answers = Vec::new();
    for _ in 0..150 {
        answers.push(open_guest(&app, Uuid::new_v4(), "203.0.113.50").await);
    }
    let opened = answers.iter().filter(|s| **s == StatusCode::OK).count();
    assert_eq!(opened, 60);
    assert!(
        answers[60..]
            .iter()
            .all(|s| *s == StatusCode::TOO_MANY_REQUESTS)
    );
    // Buyers elsewhere are not held back by it.
    assert_eq!(
        open_guest(&app, Uuid::new_v4(), "203.0.113.51").await,
        StatusCode::OK
    );

    // One device cannot hop addresses for more.
    let device = Uuid::new_v4();
    let from_one_device: Vec<StatusCode> = futures_util::future::join_all((0..12).map(|n| {
        let app = &app;
        async move { open_guest(app, device, &format!("198.51.100.{}", n + 1)).await }
    }))
    .await;
    let opened = from_one_device
        .iter()
        .filter(|s| **s == StatusCode::OK)
        .count();
    assert_eq!(opened, 10, "{from_one_device:?}");
}
