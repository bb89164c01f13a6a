//! Sign-up, the emailed link, and activation, through the real app, database,
//! job queue and SMTP sink.
#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

use reqwest::StatusCode;
use serde_json::{Value, json};
use testkit::{TestApp, TestMail};

async fn app() -> TestApp {
    TestApp::spawn(service_api::SERVICE).await
}

async fn sign_up(app: &TestApp, body: Value) -> reqwest::Response {
    app.post("/v1/auth/signup")
        .json(&body)
        .send()
        .await
        .unwrap()
}

fn signup_body(email: &str) -> Value {
    json!({ "email": email, "password": "autumn leaves 7", "name": "Kim Minji", "phone": "010-1234-5678" })
}

/// The `token` of the link in the newest message to `address`.
async fn emailed_token(address: &str) -> String {
    TestMail::from_env().emailed_token(address).await
}

async fn problem_field(response: reqwest::Response) -> (StatusCode, String, String) {
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    let code = body["errors"][0]["code"]
        .as_str()
        .or(body["code"].as_str())
        .unwrap()
        .to_owned();
    let field = body["errors"][0]["field"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    (status, field, code)
}

#[tokio::test]
async fn sign_up_then_the_emailed_link_activates_the_account_once() {
    let app = app().await;
    let address = TestMail::unique_address("minji");
    let response = sign_up(&app, signup_body(&address)).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let created: Value = response.json().await.unwrap();
    assert_eq!(created["status"], "pending_verification");
    let user_id = created["user_id"].as_str().unwrap().to_owned();

    assert!(
        TestMail::from_env().messages_to(&address).await.is_empty(),
        "never sent on the request path"
    );
    assert_eq!(app.run_jobs().await, 1);
    let messages = TestMail::from_env().messages_to(&address).await;
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0]["subject"], "Confirm your email address");
    assert!(
        messages[0]["text"]
            .as_str()
            .unwrap()
            .contains("Hello Kim Minji")
    );

    let token = emailed_token(&address).await;
    let verified = app
        .post("/v1/auth/email-verifications")
        .json(&json!({ "token": token }))
        .send()
        .await
        .unwrap();
    assert_eq!(verified.status(), StatusCode::OK);
    let verified: Value = verified.json().await.unwrap();
    assert_eq!(
        (verified["user_id"].as_str(), verified["status"].as_str()),
        (Some(user_id.as_str()), Some("active"))
    );
    let stored = app
        .db
        .query_text(&format!(
            "SELECT status AS value FROM users WHERE id = '{user_id}'"
        ))
        .await;
    assert_eq!(stored, vec!["active"]);

    let again = app
        .post("/v1/auth/email-verifications")
        .json(&json!({ "token": token }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        problem_field(again).await,
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            "token".into(),
            "invalid_token".into()
        )
    );
}

#[tokio::test]
async fn expired_or_altered_links_are_refused_alike() {
    let app = app().await;
    let address = TestMail::unique_address("expired");
    sign_up(&app, signup_body(&address)).await;
    app.run_jobs().await;
    let token = emailed_token(&address).await;

    let mut altered = token.clone();
    altered.replace_range(0..1, if altered.starts_with('A') { "B" } else { "A" });
    for bad in [altered.as_str(), "", "garbage"] {
        let response = app
            .post("/v1/auth/email-verifications")
            .json(&json!({ "token": bad }))
            .send()
            .await
            .unwrap();
        assert_eq!(problem_field(response).await.2, "invalid_token", "{bad}");
    }
    app.db
        .run_sql("UPDATE email_verifications SET expires_at = now() - interval '1 second'")
        .await
        .unwrap();
    let expired = app
        .post("/v1/auth/email-verifications")
        .json(&json!({ "token": token }))
        .send()
        .await
        .unwrap();
    assert_eq!(problem_field(expired).await.2, "invalid_token");
    let status = app.db.query_text("SELECT status AS value FROM users").await;
    assert_eq!(status, vec!["pending_verification"]);
}

#[tokio::test]
async fn rules_name_the_field_they_refuse() {
    let app = app().await;
    let email = TestMail::unique_address("rules");
    let cases = [
        (
            json!({ "email": "not-an-email", "password": "autumn leaves 7", "name": "Kim" }),
            "email",
            "invalid_format",
        ),
        (
            json!({ "email": email, "password": "short1", "name": "Kim" }),
            "password",
            "password_too_weak",
        ),
        (
            json!({ "email": email, "password": "password123", "name": "Kim" }),
            "password",
            "password_too_common",
        ),
        (
            json!({ "email": email, "password": format!("{}-2026!", email.split('@').next().unwrap()), "name": "Kim" }),
            "password",
            "password_contains_email",
        ),
        (
            json!({ "email": email, "password": "autumn leaves 7", "name": "  " }),
            "name",
            "invalid_length",
        ),
        (
            json!({ "email": email, "password": "autumn leaves 7", "name": "Kim", "phone": "12" }),
            "phone",
            "invalid_format",
        ),
    ];
    for (body, field, code) in cases {
        let outcome = problem_field(sign_up(&app, body.clone()).await).await;
        assert_eq!(
            outcome,
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                field.to_owned(),
                code.to_owned()
            ),
            "{body}"
        );
    }
    let unknown_field = sign_up(
        &app,
        json!({ "email": email, "password": "autumn leaves 7", "name": "Kim", "role": "admin" }),
    )
    .await;
    assert_eq!(
        problem_field(unknown_field).await,
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            "role".into(),
            "invalid".into()
        )
    );
    assert_eq!(
        app.db
            .query_text("SELECT count(*)::text AS value FROM users")
            .await,
        vec!["0"]
    );
}

#[tokio::test]
async fn an_email_or_phone_registers_once_however_it_is_typed() {
    let app = app().await;
    let address = TestMail::unique_address("twice");
    assert_eq!(
        sign_up(&app, signup_body(&address)).await.status(),
        StatusCode::CREATED
    );

    let shouted = format!("  {}  ", address.to_uppercase());
    let again = sign_up(
        &app,
        json!({ "email": shouted, "password": "autumn leaves 7", "name": "X" }),
    )
    .await;
    assert_eq!(
        problem_field(again).await,
        (
            StatusCode::CONFLICT,
            String::new(),
            "email_already_registered".into()
        )
    );
    let same_phone = json!({ "email": TestMail::unique_address("other"), "password": "autumn leaves 7", "name": "X", "phone": "+82 10 1234 5678" });
    assert_eq!(
        problem_field(sign_up(&app, same_phone).await).await.2,
        "phone_already_registered"
    );

    // The refused sign-ups left nothing behind: one account, one email job.
    assert_eq!(
        app.db
            .query_text("SELECT count(*)::text AS value FROM users")
            .await,
        vec!["1"]
    );
    assert_eq!(
        app.db
            .query_text("SELECT count(*)::text AS value FROM jobs")
            .await,
        vec!["1"]
    );
}

#[tokio::test]
async fn personal_data_is_not_readable_in_the_stored_bytes() {
    let app = app().await;
    let address = TestMail::unique_address("raw");
    sign_up(&app, signup_body(&address)).await;
    let stored = app
        .db
        .query_text("SELECT encode(email || name || coalesce(phone, '') || email_index || coalesce(phone_index, ''), 'hex') AS value FROM users")
        .await;
    let bytes: Vec<u8> = stored.iter().flat_map(|hex| decode_hex(hex)).collect();
    let local_part = address.split('@').next().unwrap();
    for plaintext in [
        address.as_str(),
        local_part,
        "Kim Minji",
        "Minji",
        "+821012345678",
        "1012345678",
        "010-1234-5678",
    ] {
        assert!(
            !bytes
                .windows(plaintext.len())
                .any(|w| w == plaintext.as_bytes()),
            "{plaintext:?} is readable"
        );
    }
    // Through the application it reads back.
    let user_id: uuid::Uuid = app
        .db
        .query_text("SELECT id::text AS value FROM users")
        .await[0]
        .parse()
        .unwrap();
    let mut conn = app.state.context.db.get().await.unwrap();
    let user = persistence::identity::users::find(&mut conn, user_id)
        .await
        .unwrap();
    assert_eq!(user.email.value(), Some(address.as_str()));
    assert_eq!(user.phone.unwrap().value(), Some("+821012345678"));
}

fn decode_hex(hex: &str) -> Vec<u8> {
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect()
}
