//! Shopper fixtures over the service-api contract (`/v1/auth/...`).

use serde_json::{Value, json};
use uuid::Uuid;

use crate::{TestApp, TestMail, TestServer};

pub const PASSWORD: &str = "autumn leaves 7";

/// An active shopper (signed up, email verified); returns the email.
pub async fn active_shopper(app: &TestApp, label: &str) -> String {
    let email = TestMail::unique_address(label);
    let created = app
        .post("/v1/auth/signup")
        .json(&json!({ "email": email, "password": PASSWORD, "name": "Kim Minji" }))
        .send()
        .await
        .expect("sign-up request");
    assert_eq!(created.status(), reqwest::StatusCode::CREATED, "sign-up");
    app.db
        .run_sql("UPDATE users SET status = 'active'")
        .await
        .expect("activate");
    email
}

/// A login on a fresh device.
pub struct Login {
    pub status: reqwest::StatusCode,
    pub access_token: String,
    pub refresh_token: String,
    pub device: Uuid,
}

pub async fn log_in(server: &TestServer, email: &str, password: &str) -> Login {
    let device = Uuid::new_v4();
    let response = server
        .post("/v1/auth/login")
        .header("x-device-id", device.to_string())
        .json(&json!({ "email": email, "password": password }))
        .send()
        .await
        .expect("login request");
    let status = response.status();
    let body: Value = response.json().await.expect("login body");
    let field = |name: &str| body[name].as_str().unwrap_or_default().to_owned();
    Login {
        status,
        access_token: field("access_token"),
        refresh_token: field("refresh_token"),
        device,
    }
}
