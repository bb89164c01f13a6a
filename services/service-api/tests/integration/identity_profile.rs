//! Editing and deleting one's own account.

use reqwest::StatusCode;
use serde_json::{Value, json};
use testkit::TestApp;
use testkit::doubles::Solapi;
use uuid::Uuid;

use testkit::shoppers::{Login, PASSWORD, active_shopper, log_in};

/// A logged-in shopper and the email it signed up with.
struct Shopper {
    email: String,
    login: Login,
}

async fn app(solapi: &Solapi) -> TestApp {
    TestApp::builder(service_api::SERVICE)
        .settings(solapi.settings_overrides())
        .spawn()
        .await
}

async fn shopper(app: &TestApp) -> Shopper {
    let email = active_shopper(app, "profile").await;
    let login = log_in(app, &email, PASSWORD).await;
    Shopper { email, login }
}

#[tokio::test]
async fn edits_need_the_current_etag() {
    let solapi = Solapi::start().await;
    let app = app(&solapi).await;
    let me = shopper(&app).await;
    let read = me
        .login
        .call(&app, reqwest::Method::GET, "/v1/me")
        .send()
        .await
        .unwrap();
    let etag = read.headers()["etag"].to_str().unwrap().to_owned();

    let patch = |if_match: Option<&str>, body: Value| {
        let mut request = me
            .login
            .call(&app, reqwest::Method::PATCH, "/v1/me")
            .json(&body);
        if let Some(tag) = if_match {
            request = request.header("if-match", tag);
        }
        request.send()
    };
    assert_eq!(
        patch(None, json!({ "name": "Kim M." }))
            .await
            .unwrap()
            .status(),
        StatusCode::PRECONDITION_REQUIRED
    );
    let changed = patch(Some(&etag), json!({ "name": "Kim M." }))
        .await
        .unwrap();
    assert_eq!(changed.status(), StatusCode::OK);
    let new_etag = changed.headers()["etag"].to_str().unwrap().to_owned();
    assert_ne!(new_etag, etag);
    assert_eq!(changed.json::<Value>().await.unwrap()["name"], "Kim M.");
    // A second writer still holding the old ETag loses.
    let stale = patch(Some(&etag), json!({ "name": "Someone else" }))
        .await
        .unwrap();
    assert_eq!(stale.status(), StatusCode::PRECONDITION_FAILED);
    let invalid = patch(Some(&new_etag), json!({ "name": "" })).await.unwrap();
    assert_eq!(
        invalid.json::<Value>().await.unwrap()["errors"][0]["field"],
        "name"
    );
}

#[tokio::test]
async fn a_new_phone_must_be_verified_first_and_the_proof_is_used_once() {
    let solapi = Solapi::start().await;
    let app = app(&solapi).await;
    let me = shopper(&app).await;
    let etag =
        |response: &reqwest::Response| response.headers()["etag"].to_str().unwrap().to_owned();
    let current = etag(
        &me.login
            .call(&app, reqwest::Method::GET, "/v1/me")
            .send()
            .await
            .unwrap(),
    );
    let set_phone = |tag: String| {
        me.login
            .call(&app, reqwest::Method::PATCH, "/v1/me")
            .header("if-match", tag)
            .json(&json!({ "phone": "010-9999-0000" }))
            .send()
    };

    let unverified = set_phone(current.clone()).await.unwrap();
    assert_eq!(
        unverified.json::<Value>().await.unwrap()["errors"][0]["code"],
        "phone_not_verified"
    );

    app.post("/v1/auth/phone-codes")
        .json(&json!({ "phone": "010-9999-0000", "purpose": "phone_change" }))
        .send()
        .await
        .unwrap();
    let code = solapi
        .sent()
        .last()
        .unwrap()
        .text
        .split_whitespace()
        .find(|w| w.len() == 6 && w.bytes().all(|b| b.is_ascii_digit()))
        .unwrap()
        .to_owned();
    let verified = app
        .post("/v1/auth/phone-codes/verify")
        .json(&json!({ "phone": "010-9999-0000", "purpose": "phone_change", "code": code }))
        .send()
        .await
        .unwrap();
    assert_eq!(verified.status(), StatusCode::OK);

    let changed = set_phone(current).await.unwrap();
    assert_eq!(changed.status(), StatusCode::OK);
    let next = etag(&changed);
    assert_eq!(
        changed.json::<Value>().await.unwrap()["phone"],
        "+821099990000"
    );
    let again = set_phone(next).await.unwrap();
    assert_eq!(
        again.json::<Value>().await.unwrap()["errors"][0]["code"],
        "phone_not_verified",
        "the proof is single use"
    );
}

#[tokio::test]
async fn deleting_scrubs_personal_data_and_ends_every_session() {
    let solapi = Solapi::start().await;
    let app = app(&solapi).await;
    let me = shopper(&app).await;
    let delete = |password: &'static str| {
        me.login
            .call(&app, reqwest::Method::DELETE, "/v1/me")
            .json(&json!({ "password": password }))
            .send()
    };
    let wrong = delete("not my password 1").await.unwrap();
    assert_eq!(
        wrong.json::<Value>().await.unwrap()["errors"][0]["field"],
        "password"
    );
    assert_eq!(
        delete(PASSWORD).await.unwrap().status(),
        StatusCode::NO_CONTENT
    );

    assert_eq!(
        me.login
            .call(&app, reqwest::Method::GET, "/v1/me")
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::UNAUTHORIZED
    );
    let login = app
        .post("/v1/auth/login")
        .header("x-device-id", Uuid::new_v4().to_string())
        .json(&json!({ "email": me.email, "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), StatusCode::UNAUTHORIZED);

    let id: Uuid = app
        .db
        .query_text("SELECT id::text AS value FROM users")
        .await[0]
        .parse()
        .unwrap();
    let mut conn = app.state.context.db.get().await.unwrap();
    let row = persistence::identity::users::find(&mut conn, id)
        .await
        .unwrap();
    assert_eq!(row.status, "deleted");
    assert_eq!(
        row.email.value(),
        Some(format!("deleted-{id}@invalid").as_str())
    );
    assert_eq!(row.name.value(), Some("Deleted account"));
    assert!(row.phone.is_none());
    assert_eq!(
        app.db
            .query_text("SELECT count(*)::text AS value FROM password_history")
            .await,
        vec!["0"]
    );
    // The address is free for a new account.
    let again = app
        .post("/v1/auth/signup")
        .json(&json!({ "email": me.email, "password": PASSWORD, "name": "Kim" }))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::CREATED);
}
