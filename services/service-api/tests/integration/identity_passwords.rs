//! Password reset by emailed link and password change, over HTTP.
#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

use reqwest::StatusCode;
use serde_json::{Value, json};
use testkit::SendJson as _;
use testkit::shoppers::{Login, PASSWORD, active_shopper, log_in};
use testkit::{TestApp, TestMail, TestServer};

const FIRST: &str = PASSWORD;

/// An active shopper whose sign-up email has gone out.
async fn shopper(app: &TestApp) -> String {
    let email = active_shopper(app, "pw").await;
    app.run_jobs().await;
    email
}

async fn me(server: &TestServer, login: &Login) -> StatusCode {
    login
        .call(server, reqwest::Method::GET, "/v1/me")
        .send()
        .await
        .unwrap()
        .status()
}

async fn reset_link_token(email: &str) -> String {
    let messages = TestMail::from_env().messages_to(email).await;
    let text = messages
        .iter()
        .rev()
        .find(|m| m["subject"] == "Reset your password")
        .unwrap()["text"]
        .as_str()
        .unwrap()
        .to_owned();
    text[text.find("token=").unwrap() + 6..]
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned()
}

async fn confirm(app: &TestApp, token: &str, password: &str) -> (StatusCode, String) {
    let response = app
        .post("/v1/auth/password-resets/confirm")
        .json(&json!({ "token": token, "new_password": password }))
        .send()
        .await
        .unwrap();
    let status = response.status();
    let code = if status == StatusCode::NO_CONTENT {
        String::new()
    } else {
        response.json::<Value>().await.unwrap()["errors"][0]["code"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };
    (status, code)
}

#[tokio::test]
async fn a_reset_link_sets_a_new_password_once_and_ends_every_session() {
    let app = TestApp::spawn(service_api::SERVICE).await;
    let email = shopper(&app).await;
    let first = log_in(&app, &email, FIRST).await;

    let asked = app
        .post("/v1/auth/password-resets")
        .json(&json!({ "email": email }))
        .send()
        .await
        .unwrap();
    assert_eq!(asked.status(), StatusCode::ACCEPTED);
    app.run_jobs().await;
    let token = reset_link_token(&email).await;

    assert_eq!(
        confirm(&app, &token, "weak").await,
        (StatusCode::UNPROCESSABLE_ENTITY, "password_too_weak".into())
    );
    assert_eq!(
        confirm(&app, &token, FIRST).await,
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            "password_recently_used".into()
        )
    );
    assert_eq!(
        confirm(&app, &token, "winter morning 8").await.0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        confirm(&app, &token, "spring evening 9").await,
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_token".into()),
        "single use"
    );

    assert_eq!(
        me(&app, &first).await,
        StatusCode::UNAUTHORIZED,
        "sessions end with a reset"
    );
    assert_eq!(
        log_in(&app, &email, FIRST).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        log_in(&app, &email, "winter morning 8").await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn asking_for_an_unknown_email_answers_the_same_and_sends_nothing() {
    let app = TestApp::spawn(service_api::SERVICE).await;
    let email = shopper(&app).await;
    let unknown = TestMail::unique_address("ghost");
    let known: Value = app
        .post("/v1/auth/password-resets")
        .json(&json!({ "email": email }))
        .json_body()
        .await;
    let ghost = app
        .post("/v1/auth/password-resets")
        .json(&json!({ "email": unknown }))
        .send()
        .await
        .unwrap();
    assert_eq!(ghost.status(), StatusCode::ACCEPTED);
    assert_eq!(ghost.json::<Value>().await.unwrap(), known);
    app.run_jobs().await;
    assert!(TestMail::from_env().messages_to(&unknown).await.is_empty());
}

#[tokio::test]
async fn an_expired_link_is_refused() {
    let app = TestApp::spawn(service_api::SERVICE).await;
    let email = shopper(&app).await;
    app.post("/v1/auth/password-resets")
        .json(&json!({ "email": email }))
        .send()
        .await
        .unwrap();
    app.run_jobs().await;
    let token = reset_link_token(&email).await;
    app.db
        .run_sql("UPDATE password_resets SET expires_at = now() - interval '1 second'")
        .await
        .unwrap();
    assert_eq!(
        confirm(&app, &token, "winter morning 8").await.1,
        "invalid_token"
    );
}

#[tokio::test]
async fn a_change_needs_the_current_password_refuses_the_last_five_and_ends_other_sessions() {
    let app = TestApp::spawn(service_api::SERVICE).await;
    let email = shopper(&app).await;
    let first = log_in(&app, &email, FIRST).await;
    let other = log_in(&app, &email, FIRST).await;
    let change = |current: &'static str, new: &'static str| {
        first
            .call(&app, reqwest::Method::PUT, "/v1/me/password")
            .json(&json!({ "current_password": current, "new_password": new }))
            .send()
    };
    let wrong = change("not it at all 1", "winter morning 8").await.unwrap();
    assert_eq!(
        wrong.json::<Value>().await.unwrap()["errors"][0]["field"],
        "current_password"
    );

    let passwords = [
        FIRST,
        "second choice 2",
        "third choice 3",
        "fourth choice 4",
        "fifth choice 5",
        "sixth choice 6",
    ];
    for pair in passwords.windows(2) {
        assert_eq!(
            change(pair[0], pair[1]).await.unwrap().status(),
            StatusCode::NO_CONTENT,
            "{} -> {}",
            pair[0],
            pair[1]
        );
    }
    // The last five (sixth back to second) are refused; the first has aged out.
    for recent in &passwords[1..] {
        let refused = change("sixth choice 6", recent).await.unwrap();
        assert_eq!(
            refused.json::<Value>().await.unwrap()["errors"][0]["code"],
            "password_recently_used",
            "{recent}"
        );
    }
    assert_eq!(
        change("sixth choice 6", FIRST).await.unwrap().status(),
        StatusCode::NO_CONTENT
    );

    assert_eq!(me(&app, &first).await, StatusCode::OK, "this session stays");
    assert_eq!(
        me(&app, &other).await,
        StatusCode::UNAUTHORIZED,
        "other sessions end"
    );
}

#[tokio::test]
async fn guessing_the_current_password_through_a_session_meets_a_back_off_the_owner_outlasts() {
    let app = TestApp::spawn(service_api::SERVICE).await;
    let email = shopper(&app).await;
    let stolen = log_in(&app, &email, FIRST).await;
    let change = |current: String| {
        stolen
            .call(&app, reqwest::Method::PUT, "/v1/me/password")
            .json(&json!({ "current_password": current, "new_password": "winter morning 8" }))
            .send()
    };
    let mut stopped_at = None;
    for guess in 0..50 {
        let response = change(format!("guess number {guess}")).await.unwrap();
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            let problem: Value = response.json().await.unwrap();
            assert_eq!(problem["code"], "too_many_attempts");
            stopped_at = Some(guess);
            break;
        }
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    let stopped_at = stopped_at.expect("the guessing is stopped");
    assert!(stopped_at <= 6, "stopped only after {stopped_at} guesses");
    // While the back-off runs, even the right password waits.
    assert_eq!(
        change(FIRST.to_owned()).await.unwrap().status(),
        StatusCode::TOO_MANY_REQUESTS
    );

    // Once it has run, the owner changes the password.
    let me: Value = stolen
        .call(&app, reqwest::Method::GET, "/v1/me")
        .json_body()
        .await;
    let subject = format!("Shopper:{}", me["user_id"].as_str().unwrap());
    app.age_failures("current-password", &subject, 900).await;
    assert_eq!(
        change(FIRST.to_owned()).await.unwrap().status(),
        StatusCode::NO_CONTENT
    );
}
