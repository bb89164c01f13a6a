//! Changing the email: the current password is required, the change waits
//! for the link sent to the new address, and the link works once.
#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

use reqwest::StatusCode;
use serde_json::{Value, json};
use testkit::shoppers::{self, Login, PASSWORD};
use testkit::{TestApp, TestMail};

async fn ask(app: &TestApp, login: &Login, new_email: &str, password: &str) -> (StatusCode, Value) {
    let response = login
        .call(app, reqwest::Method::POST, "/v1/me/email")
        .json(&json!({ "new_email": new_email, "password": password }))
        .send()
        .await
        .unwrap();
    (
        response.status(),
        response.json().await.unwrap_or(Value::Null),
    )
}

async fn confirm(app: &TestApp, token: &str) -> StatusCode {
    app.post("/v1/auth/email-changes/confirm")
        .json(&json!({ "token": token }))
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn the_email_changes_only_when_the_new_address_confirms_it() {
    let app = TestApp::spawn(service_api::SERVICE).await;
    let old = shoppers::active_shopper(&app, "old").await;
    let login = shoppers::log_in(&app, &old, PASSWORD).await;
    let new = TestMail::unique_address("new");

    assert_eq!(
        ask(&app, &login, &new, PASSWORD).await.0,
        StatusCode::ACCEPTED
    );
    app.run_jobs().await;
    // Nothing changed yet: the old email still logs in.
    assert_eq!(
        shoppers::log_in(&app, &old, PASSWORD).await.status,
        StatusCode::OK
    );

    let token = TestMail::from_env().emailed_token(&new).await;
    assert_eq!(confirm(&app, &token).await, StatusCode::NO_CONTENT);
    assert_eq!(
        confirm(&app, &token).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "works once"
    );
    assert_eq!(
        shoppers::log_in(&app, &new, PASSWORD).await.status,
        StatusCode::OK
    );
    assert_eq!(
        shoppers::log_in(&app, &old, PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    let audited = app
        .db
        .query_text("SELECT action AS value FROM security_audit_log WHERE action = 'email.changed'")
        .await;
    assert_eq!(audited.len(), 1);
}

#[tokio::test]
async fn a_change_needs_the_password_and_a_free_address() {
    let app = TestApp::spawn(service_api::SERVICE).await;
    let mine = shoppers::active_shopper(&app, "mine").await;
    let theirs = shoppers::active_shopper(&app, "theirs").await;
    let login = shoppers::log_in(&app, &mine, PASSWORD).await;

    let (status, problem) = ask(
        &app,
        &login,
        &TestMail::unique_address("x"),
        "wrong password!",
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "password");
    let (status, problem) = ask(&app, &login, &theirs, PASSWORD).await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (StatusCode::CONFLICT, Some("email_already_registered"))
    );
    let (status, problem) = ask(&app, &login, &mine.to_uppercase(), PASSWORD).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["code"], "unchanged");

    // Taken between the request and the confirmation: refused then.
    let contested = TestMail::unique_address("contested");
    assert_eq!(
        ask(&app, &login, &contested, PASSWORD).await.0,
        StatusCode::ACCEPTED
    );
    app.run_jobs().await;
    let token = TestMail::from_env().emailed_token(&contested).await;
    app.post("/v1/auth/signup")
        .json(&json!({ "email": contested, "password": PASSWORD, "name": "Quick" }))
        .send()
        .await
        .unwrap();
    assert_eq!(confirm(&app, &token).await, StatusCode::CONFLICT);
    assert_eq!(
        shoppers::log_in(&app, &mine, PASSWORD).await.status,
        StatusCode::OK
    );
}
