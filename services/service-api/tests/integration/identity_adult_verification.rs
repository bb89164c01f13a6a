//! Adult verification through the provider (a PortOne double): the outcome
//! is read from the provider, the birth date is stored sealed, the pending
//! verification works once, and tokens minted after carry `adult` for
//! adults only.
#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

use std::time::Duration;

use chrono::Datelike;
use reqwest::StatusCode;
use serde_json::{Value, json};
use testkit::SendJson as _;
use testkit::TestApp;
use testkit::doubles::PortOneIdentity;
use testkit::shoppers::{self, Login, PASSWORD};

async fn platform(timeout_ms: u64) -> (TestApp, PortOneIdentity) {
    let double = PortOneIdentity::start().await;
    let app = TestApp::builder(service_api::SERVICE)
        .settings(double.settings_overrides())
        .setting("identity_verification.timeout_ms", timeout_ms.to_string())
        .spawn()
        .await;
    (app, double)
}

async fn start(app: &TestApp, login: &Login) -> (StatusCode, Value) {
    let response = login
        .call(app, reqwest::Method::POST, "/v1/identity-verifications")
        .send()
        .await
        .unwrap();
    (
        response.status(),
        response.json().await.unwrap_or(Value::Null),
    )
}

async fn result(app: &TestApp, id: &str) -> (StatusCode, Value) {
    let response = app
        .post(&format!("/v1/identity-verifications/{id}/result"))
        .send()
        .await
        .unwrap();
    (
        response.status(),
        response.json().await.unwrap_or(Value::Null),
    )
}

async fn scopes(app: &TestApp, login: &Login) -> Vec<String> {
    let session: Value = login
        .call(app, reqwest::Method::GET, "/v1/auth/session")
        .json_body()
        .await;
    serde_json::from_value(session["scopes"].clone()).unwrap()
}

async fn refreshed(app: &TestApp, login: &Login) -> Login {
    let body: Value = app
        .post("/v1/auth/refresh")
        .header("x-device-id", login.device.to_string())
        .json(&json!({ "refresh_token": login.refresh_token }))
        .json_body()
        .await;
    Login {
        access_token: body["access_token"].as_str().unwrap().to_owned(),
        refresh_token: body["refresh_token"].as_str().unwrap().to_owned(),
        ..login.clone()
    }
}

#[tokio::test]
async fn an_adult_is_verified_once_and_later_tokens_carry_the_adult_scope() {
    let (app, double) = platform(2_000).await;
    let email = shoppers::active_shopper(&app, "adult").await;
    let login = shoppers::log_in(&app, &email, PASSWORD).await;
    let (status, started) = start(&app, &login).await;
    assert_eq!(status, StatusCode::CREATED);
    let id = started["identity_verification_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(started["verification_url"].as_str().unwrap().ends_with(&id));
    assert!(!started["store_id"].as_str().unwrap().is_empty());

    double.verify(&id, "1990-05-17");
    let (status, body) = result(&app, &id).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["adult"], true);
    assert_eq!(
        result(&app, &id).await.0,
        StatusCode::NOT_FOUND,
        "works once"
    );

    // The token minted before does not gain the scope; the next ones do.
    assert!(!scopes(&app, &login).await.contains(&"adult".to_owned()));
    let after = refreshed(&app, &login).await;
    assert!(scopes(&app, &after).await.contains(&"adult".to_owned()));
    let fresh = shoppers::log_in(&app, &email, PASSWORD).await;
    assert!(scopes(&app, &fresh).await.contains(&"adult".to_owned()));

    // The birth date is stored sealed; the audit log has the event.
    let raw = app
        .db
        .query_text("SELECT encode(birth_date, 'escape') AS value FROM users")
        .await
        .concat();
    assert!(!raw.is_empty() && !raw.contains("1990-05-17"), "{raw}");
    let audited = app
        .db
        .query_text(
            "SELECT action AS value FROM security_audit_log WHERE action = 'identity.verified'",
        )
        .await;
    assert_eq!(audited.len(), 1);
}

#[tokio::test]
async fn the_adult_scope_lasts_only_as_long_as_the_verification_of_age() {
    let (app, double) = platform(2_000).await;
    let email = shoppers::active_shopper(&app, "ageing").await;
    let login = shoppers::log_in(&app, &email, PASSWORD).await;
    let (_, started) = start(&app, &login).await;
    let id = started["identity_verification_id"]
        .as_str()
        .unwrap()
        .to_owned();
    double.verify(&id, "1990-05-17");
    assert_eq!(result(&app, &id).await.0, StatusCode::OK);
    let adult = refreshed(&app, &login).await;
    assert!(scopes(&app, &adult).await.contains(&"adult".to_owned()));

    // A year and a day later (the default validity is 365 days), neither a
    // refresh nor a new login gives the scope until the shopper verifies again.
    app.db
        .run_sql("UPDATE users SET identity_verified_at = now() - interval '366 days'")
        .await
        .unwrap();
    let later = refreshed(&app, &adult).await;
    assert!(!scopes(&app, &later).await.contains(&"adult".to_owned()));
    let fresh = shoppers::log_in(&app, &email, PASSWORD).await;
    assert!(!scopes(&app, &fresh).await.contains(&"adult".to_owned()));
}

#[tokio::test]
async fn a_minor_is_verified_but_gets_no_adult_scope() {
    let (app, double) = platform(2_000).await;
    let email = shoppers::active_shopper(&app, "minor").await;
    let login = shoppers::log_in(&app, &email, PASSWORD).await;
    let (_, started) = start(&app, &login).await;
    let id = started["identity_verification_id"].as_str().unwrap();
    // Turns 19 in two years (whichever side of New Year Korean time is on).
    let year = chrono::Utc::now().year() - 17;
    double.verify(id, &format!("{year}-06-15"));
    let (status, body) = result(&app, id).await;
    assert_eq!(
        (status, body["adult"].as_bool()),
        (StatusCode::OK, Some(false))
    );
    let after = refreshed(&app, &login).await;
    assert!(!scopes(&app, &after).await.contains(&"adult".to_owned()));
}

#[tokio::test]
async fn a_failed_or_unknown_verification_gives_nothing() {
    let (app, double) = platform(2_000).await;
    let email = shoppers::active_shopper(&app, "failed").await;
    let login = shoppers::log_in(&app, &email, PASSWORD).await;
    let (_, started) = start(&app, &login).await;
    let id = started["identity_verification_id"].as_str().unwrap();
    double.fail(id);
    let (status, problem) = result(&app, id).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["code"], "identity_not_verified");
    assert_eq!(result(&app, id).await.0, StatusCode::NOT_FOUND);

    // An id we never started is not even asked about.
    let before = double.requests();
    assert_eq!(
        result(&app, "iv-0000000000000000").await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(double.requests(), before);
}

#[tokio::test]
async fn a_provider_timeout_keeps_the_verification_pending_for_a_retry() {
    let (app, double) = platform(300).await;
    let email = shoppers::active_shopper(&app, "retry").await;
    let login = shoppers::log_in(&app, &email, PASSWORD).await;
    let (_, started) = start(&app, &login).await;
    let id = started["identity_verification_id"].as_str().unwrap();
    double.stall(id, Duration::from_secs(5));
    assert_eq!(result(&app, id).await.0, StatusCode::SERVICE_UNAVAILABLE);
    double.verify(id, "1985-01-01");
    let (status, body) = result(&app, id).await;
    assert_eq!(
        (status, body["adult"].as_bool()),
        (StatusCode::OK, Some(true))
    );
}

#[tokio::test]
async fn only_members_start_and_the_pending_record_is_sealed_and_short_lived() {
    let (app, _double) = platform(2_000).await;
    let anonymous = app.post("/v1/identity-verifications").send().await.unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    let device = uuid::Uuid::new_v4();
    let guest: Value = app
        .post("/v1/auth/guest")
        .header("x-device-id", device.to_string())
        .json_body()
        .await;
    let refused = app
        .post("/v1/identity-verifications")
        .bearer_auth(guest["access_token"].as_str().unwrap())
        .header("x-device-id", device.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(
        refused.status(),
        StatusCode::FORBIDDEN,
        "guests cannot verify"
    );

    let email = shoppers::active_shopper(&app, "sealed").await;
    let login = shoppers::log_in(&app, &email, PASSWORD).await;
    let (_, started) = start(&app, &login).await;
    let id = started["identity_verification_id"].as_str().unwrap();
    let user_id = app
        .db
        .query_text("SELECT id::text AS value FROM users")
        .await
        .pop()
        .unwrap();
    let kv = app.kv.handle();
    let key = kv.key(&format!("identity-verification:{id}"));
    let mut redis = kv.connection();
    let stored: String = redis::cmd("GET")
        .arg(&key)
        .query_async(&mut redis)
        .await
        .unwrap();
    assert!(!stored.contains(&user_id) && !stored.contains(&user_id.replace('-', "")));
    let ttl: i64 = redis::cmd("TTL")
        .arg(&key)
        .query_async(&mut redis)
        .await
        .unwrap();
    assert!((1..=300).contains(&ttl), "{ttl}");
}
