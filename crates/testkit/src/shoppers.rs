//! Shopper fixtures over the service-api contract (`/v1/auth/...`).

use serde_json::{Value, json};
use uuid::Uuid;

use crate::{TestApp, TestDb, TestMail, TestServer};

pub const PASSWORD: &str = "autumn leaves 7";

/// An active shopper (signed up, email verified); returns the email.
pub async fn active_shopper(app: &TestApp, label: &str) -> String {
    active_shopper_on(app, &app.db, label).await
}

/// An active shopper signed up through `server` (a service-api), on `db`.
pub async fn active_shopper_on(server: &TestServer, db: &TestDb, label: &str) -> String {
    let email = TestMail::unique_address(label);
    let created = server
        .post("/v1/auth/signup")
        .json(&json!({ "email": email, "password": PASSWORD, "name": "Kim Minji" }))
        .send()
        .await
        .expect("sign-up request");
    assert_eq!(created.status(), reqwest::StatusCode::CREATED, "sign-up");
    db.run_sql("UPDATE users SET status = 'active'")
        .await
        .expect("activate");
    email
}

/// A login: its answer and the device it was made on.
#[derive(Debug, Clone)]
pub struct Login {
    pub status: reqwest::StatusCode,
    pub access_token: String,
    pub refresh_token: String,
    pub token_type: String,
    pub device: Uuid,
}

impl Login {
    /// A request carrying this login's access token and device id.
    pub fn call(
        &self,
        server: &TestServer,
        method: reqwest::Method,
        path: &str,
    ) -> reqwest::RequestBuilder {
        server
            .request(method, path)
            .bearer_auth(&self.access_token)
            .header("x-device-id", self.device.to_string())
    }
}

/// Logs in on a fresh device.
pub async fn log_in(server: &TestServer, email: &str, password: &str) -> Login {
    log_in_on(server, email, password, Uuid::new_v4()).await
}

/// Logs in on `device`.
pub async fn log_in_on(server: &TestServer, email: &str, password: &str, device: Uuid) -> Login {
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
        token_type: field("token_type"),
        device,
    }
}
