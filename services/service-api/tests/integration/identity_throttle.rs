//! Login back-off (never a lockout), per account and address and per
//! address, judged before the password is checked; every attempt recorded;
//! per-IP limits on sign-up.
#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};
use testkit::shoppers::active_shopper;
use testkit::{TestApp, TestMail};
use uuid::Uuid;

use testkit::shoppers::PASSWORD;

async fn app(settings: &[(&'static str, &str)]) -> TestApp {
    TestApp::builder(service_api::SERVICE)
        .settings(settings.iter().copied())
        .spawn()
        .await
}

async fn login(
    app: &TestApp,
    email: &str,
    password: &str,
    ip: &str,
) -> (StatusCode, Value, Option<u64>) {
    let response = app
        .post("/v1/auth/login")
        .header("x-device-id", Uuid::new_v4().to_string())
        .header("x-forwarded-for", ip)
        .json(&json!({ "email": email, "password": password }))
        .send()
        .await
        .unwrap();
    let status = response.status();
    let retry_after = response
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().parse().unwrap());
    (status, response.json().await.unwrap(), retry_after)
}

#[tokio::test]
async fn failures_slow_an_account_down_but_never_lock_it() {
    let app = app(&[
        ("auth.login_throttle.free_failures_per_account", "2"),
        ("auth.login_throttle.ceiling_secs", "2"),
    ])
    .await;
    let email = active_shopper(&app, "throttle").await;
    for _ in 0..2 {
        assert_eq!(
            login(&app, &email, "wrong password 1", "203.0.113.1")
                .await
                .0,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        login(&app, &email, "wrong password 1", "203.0.113.1")
            .await
            .0,
        StatusCode::UNAUTHORIZED,
        "the third failure sets a wait"
    );
    // From the guessing address even the right password waits its turn...
    let (status, body, retry_after) = login(&app, &email, PASSWORD, "203.0.113.1").await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::TOO_MANY_REQUESTS, Some("too_many_attempts"))
    );
    let retry_after = retry_after.unwrap();
    assert!((1..=2).contains(&retry_after), "{retry_after}");
    // ...while the owner, elsewhere, is never kept out by a stranger's guesses.
    assert_eq!(
        login(&app, &email, PASSWORD, "203.0.113.2").await.0,
        StatusCode::OK
    );
    // The behaviour under test is a function of time: wait it out.
    tokio::time::sleep(Duration::from_secs(retry_after) + Duration::from_millis(100)).await;
    assert_eq!(
        login(&app, &email, PASSWORD, "203.0.113.1").await.0,
        StatusCode::OK
    );
    // Success forgives: the next mistake is free again.
    assert_eq!(
        login(&app, &email, "wrong password 1", "203.0.113.2")
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn guesses_sent_at_once_are_judged_one_by_one() {
    let app = app(&[("auth.login_throttle.free_failures_per_account", "2")]).await;
    let email = active_shopper(&app, "burst").await;
    let guesses = (0..40).map(|_| login(&app, &email, "wrong password 1", "203.0.113.7"));
    let answers = futures_util::future::join_all(guesses).await;
    let evaluated = answers
        .iter()
        .filter(|(status, _, _)| *status == StatusCode::UNAUTHORIZED)
        .count();
    let held_back = answers
        .iter()
        .filter(|(status, _, _)| *status == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!(
        (evaluated, held_back),
        (3, 37),
        "the free tries and one more"
    );
}

#[tokio::test]
async fn an_unknown_email_is_throttled_exactly_like_a_real_one() {
    let app = app(&[("auth.login_throttle.free_failures_per_account", "1")]).await;
    let real = active_shopper(&app, "throttle").await;
    let unknown = TestMail::unique_address("nobody");
    let mut answers = Vec::new();
    for email in [&real, &unknown] {
        let sequence: Vec<(StatusCode, Value)> = {
            let mut seen = Vec::new();
            for _ in 0..3 {
                let (status, body, _) = login(&app, email, "wrong password 1", "203.0.113.9").await;
                seen.push((status, body));
            }
            seen
        };
        answers.push(sequence);
    }
    assert_eq!(answers[0], answers[1]);
    assert_eq!(answers[0][2].0, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn one_address_guessing_many_accounts_is_slowed_down() {
    let app = app(&[("auth.login_throttle.free_failures_per_ip", "3")]).await;
    for _ in 0..3 {
        let email = TestMail::unique_address("sprayed");
        assert_eq!(
            login(&app, &email, "Summer2026!", "198.51.100.20").await.0,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        login(
            &app,
            &TestMail::unique_address("sprayed"),
            "Summer2026!",
            "198.51.100.20"
        )
        .await
        .0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        login(
            &app,
            &TestMail::unique_address("sprayed"),
            "Summer2026!",
            "198.51.100.20"
        )
        .await
        .0,
        StatusCode::TOO_MANY_REQUESTS
    );
    // Another address is unaffected.
    assert_eq!(
        login(
            &app,
            &TestMail::unique_address("sprayed"),
            "Summer2026!",
            "198.51.100.21"
        )
        .await
        .0,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn every_attempt_is_recorded_without_the_email() {
    let app = app(&[("auth.login_throttle.free_failures_per_account", "1")]).await;
    let email = active_shopper(&app, "throttle").await;
    login(&app, &email, PASSWORD, "203.0.113.5").await;
    login(&app, &email, "wrong password 1", "203.0.113.5").await;
    login(&app, &email, "wrong password 1", "203.0.113.5").await;
    login(&app, &email, PASSWORD, "203.0.113.5").await;
    let outcomes = app
        .db
        .query_text("SELECT outcome AS value FROM login_attempts ORDER BY id")
        .await;
    assert_eq!(outcomes, vec!["succeeded", "failed", "failed", "throttled"]);
    let rows = app
        .db
        .query_text("SELECT string_agg(t::text, '') AS value FROM login_attempts t")
        .await;
    assert!(!rows[0].contains(&email) && !rows[0].contains(email.split('@').next().unwrap()));
}

#[tokio::test]
async fn sign_ups_are_limited_per_address() {
    let app = app(&[("auth.rate_limits.signup_per_hour", "2")]).await;
    let sign_up = |email: String| {
        app.post("/v1/auth/signup")
            .header("x-forwarded-for", "198.51.100.30")
            .json(&json!({ "email": email, "password": PASSWORD, "name": "Kim" }))
            .send()
    };
    assert_eq!(
        sign_up(TestMail::unique_address("a"))
            .await
            .unwrap()
            .status(),
        StatusCode::CREATED
    );
    assert_eq!(
        sign_up(TestMail::unique_address("b"))
            .await
            .unwrap()
            .status(),
        StatusCode::CREATED
    );
    let limited = sign_up(TestMail::unique_address("c")).await.unwrap();
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(limited.headers().contains_key("retry-after"));
}
