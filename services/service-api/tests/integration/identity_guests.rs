//! Guests: a token without an account, with the `guest` scope only.

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
