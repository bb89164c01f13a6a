//! Phone codes over HTTP, with the SMS provider played by the Solapi double.
#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

use reqwest::StatusCode;
use serde_json::{Value, json};
use testkit::TestApp;
use testkit::doubles::Solapi;

async fn app_with(solapi: &Solapi, extra: &[(&'static str, &str)]) -> TestApp {
    let mut builder = TestApp::builder(service_api::SERVICE).settings(solapi.settings_overrides());
    builder = builder.settings(extra.iter().copied());
    builder.spawn().await
}

async fn send(app: &TestApp, phone: &str) -> reqwest::Response {
    app.post("/v1/auth/phone-codes")
        .json(&json!({ "phone": phone, "purpose": "signup" }))
        .send()
        .await
        .unwrap()
}

async fn verify(app: &TestApp, phone: &str, code: &str) -> (StatusCode, String) {
    let response = app
        .post("/v1/auth/phone-codes/verify")
        .json(&json!({ "phone": phone, "purpose": "signup", "code": code }))
        .send()
        .await
        .unwrap();
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    let code = body["errors"][0]["code"]
        .as_str()
        .or(body["code"].as_str())
        .unwrap_or_default()
        .to_owned();
    (status, code)
}

/// The six digits in the newest SMS.
fn texted_code(solapi: &Solapi) -> String {
    let text = solapi.sent().last().unwrap().text.clone();
    text.split_whitespace()
        .find(|w| w.len() == 6 && w.bytes().all(|b| b.is_ascii_digit()))
        .unwrap()
        .to_owned()
}

fn wrong(code: &str) -> String {
    format!("{:06}", (code.parse::<u32>().unwrap() + 1) % 1_000_000)
}

#[tokio::test]
async fn a_texted_code_verifies_once() {
    let solapi = Solapi::start().await;
    let app = app_with(&solapi, &[]).await;
    let sent = send(&app, "010-1234-5678").await;
    assert_eq!(sent.status(), StatusCode::ACCEPTED);
    assert_eq!(sent.json::<Value>().await.unwrap()["expires_in"], 180);
    assert_eq!(solapi.sent()[0].to, "01012345678");
    let code = texted_code(&solapi);
    // Typed another way, it is the same phone.
    assert_eq!(
        verify(&app, "+82 10 1234 5678", &code).await.0,
        StatusCode::OK
    );
    assert_eq!(
        verify(&app, "010-1234-5678", &code).await,
        (StatusCode::UNPROCESSABLE_ENTITY, "code_expired".into()),
        "deleted on success"
    );
}

#[tokio::test]
async fn the_sixth_attempt_is_refused_even_when_the_code_is_right() {
    let solapi = Solapi::start().await;
    let app = app_with(&solapi, &[]).await;
    send(&app, "010-2222-3333").await;
    let code = texted_code(&solapi);
    for _ in 0..5 {
        assert_eq!(
            verify(&app, "010-2222-3333", &wrong(&code)).await,
            (StatusCode::UNPROCESSABLE_ENTITY, "invalid_code".into())
        );
    }
    assert_eq!(
        verify(&app, "010-2222-3333", &code).await,
        (StatusCode::TOO_MANY_REQUESTS, "too_many_attempts".into())
    );
    assert_eq!(verify(&app, "010-2222-3333", &code).await.1, "code_expired");
}

#[tokio::test]
async fn the_code_lives_three_minutes_and_only_as_a_keyed_digest() {
    let solapi = Solapi::start().await;
    let app = app_with(&solapi, &[]).await;
    send(&app, "010-4444-5555").await;
    let code = texted_code(&solapi);
    let keys = app.kv.keys();
    assert_eq!(
        keys.len(),
        3,
        "the code and two rate-limit counters: {keys:?}"
    );
    assert!(
        keys.iter()
            .all(|k| !k.contains("4444") && !k.contains("5555")),
        "no phone number in key names: {keys:?}"
    );
    let mut conn = redis::Client::open(app.kv.url())
        .unwrap()
        .get_connection()
        .unwrap();
    let code_key = keys.iter().find(|k| k.contains(":code:")).unwrap();
    let ttl: i64 = redis::cmd("TTL").arg(code_key).query(&mut conn).unwrap();
    assert!((170..=180).contains(&ttl), "{ttl}");
    let stored: Vec<String> = redis::cmd("HVALS").arg(code_key).query(&mut conn).unwrap();
    assert!(
        stored.iter().all(|value| !value.contains(&code)),
        "the code itself is never stored"
    );
}

#[tokio::test]
async fn sending_is_limited_per_phone_and_per_ip() {
    let solapi = Solapi::start().await;
    let app = app_with(
        &solapi,
        &[
            ("auth.phone_codes.per_phone_per_hour", "2"),
            ("auth.phone_codes.per_ip_per_hour", "3"),
        ],
    )
    .await;
    assert_eq!(
        send(&app, "010-1111-0001").await.status(),
        StatusCode::ACCEPTED
    );
    assert_eq!(
        send(&app, "010-1111-0001").await.status(),
        StatusCode::ACCEPTED
    );
    let limited = send(&app, "010-1111-0001").await;
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry_after: u64 = limited.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry_after > 0 && retry_after <= 1800, "{retry_after}");
    // The IP's budget (3) was spent by the two accepted sends and the refused one.
    assert_eq!(
        send(&app, "010-1111-0002").await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(solapi.sent().len(), 2);
}

#[tokio::test]
async fn a_provider_outage_is_a_503_and_leaves_no_code_behind() {
    let solapi = Solapi::start().await;
    let app = app_with(&solapi, &[]).await;
    solapi.go_down().await;
    assert_eq!(
        send(&app, "010-6666-7777").await.status(),
        StatusCode::SERVICE_UNAVAILABLE
    );
    assert_eq!(
        verify(&app, "010-6666-7777", "000000").await.1,
        "code_expired"
    );
}

#[tokio::test]
async fn bad_input_names_the_field() {
    let solapi = Solapi::start().await;
    let app = app_with(&solapi, &[]).await;
    let response = app
        .post("/v1/auth/phone-codes")
        .json(&json!({ "phone": "12", "purpose": "signup" }))
        .send()
        .await
        .unwrap();
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        (
            body["errors"][0]["field"].as_str(),
            body["errors"][0]["code"].as_str()
        ),
        (Some("phone"), Some("invalid_format"))
    );
    let response = app
        .post("/v1/auth/phone-codes")
        .json(&json!({ "phone": "010-1234-5678", "purpose": "marketing" }))
        .send()
        .await
        .unwrap();
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["errors"][0]["field"], "purpose");
    let foreign = app
        .post("/v1/auth/phone-codes")
        .json(&json!({ "phone": "+1 415 555 2671", "purpose": "signup" }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        foreign.json::<Value>().await.unwrap()["errors"][0]["code"],
        "unsupported_number"
    );
}

async fn send_from(app: &TestApp, phone: &str, forwarded_for: &str) -> StatusCode {
    app.post("/v1/auth/phone-codes")
        .header("x-forwarded-for", forwarded_for)
        .json(&json!({ "phone": phone, "purpose": "signup" }))
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn a_client_cannot_choose_the_address_it_is_limited_by() {
    let solapi = Solapi::start().await;
    // Our proxies live in 10/8 here, so the test client (127.0.0.1) is a
    // stranger and its X-Forwarded-For is ignored: one budget for all sends.
    let app = app_with(
        &solapi,
        &[
            ("server.trusted_proxies", "10.0.0.0/8"),
            ("auth.phone_codes.per_ip_per_hour", "2"),
        ],
    )
    .await;
    assert_eq!(
        send_from(&app, "010-3000-0001", "1.1.1.1").await,
        StatusCode::ACCEPTED
    );
    assert_eq!(
        send_from(&app, "010-3000-0002", "2.2.2.2").await,
        StatusCode::ACCEPTED
    );
    assert_eq!(
        send_from(&app, "010-3000-0003", "3.3.3.3").await,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_client_has_its_own_budget() {
    let solapi = Solapi::start().await;
    // 127.0.0.1 is our proxy (as nginx is locally): it appends the real client.
    let app = app_with(
        &solapi,
        &[
            ("server.trusted_proxies", "127.0.0.1/32"),
            ("auth.phone_codes.per_ip_per_hour", "1"),
        ],
    )
    .await;
    assert_eq!(
        send_from(&app, "010-3100-0001", "9.9.9.9, 198.51.100.1").await,
        StatusCode::ACCEPTED
    );
    // The spoofed left part differs, the real client does not: limited.
    assert_eq!(
        send_from(&app, "010-3100-0002", "8.8.8.8, 198.51.100.1").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        send_from(&app, "010-3100-0003", "198.51.100.2").await,
        StatusCode::ACCEPTED
    );
}
