//! Partner platforms over the admin-api and external-api contracts: a
//! partner created by an administrator, and requests signed with its key.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::TestServer;
use crate::shoppers::Login;

/// A partner's credentials as issued (the key and secret shown once).
pub struct Partner {
    pub id: String,
    pub api_key: String,
    pub secret: String,
}

/// A new partner holding `scopes`, created on admin-api by `login` (who
/// holds `partners.manage`).
pub async fn create(admin: &TestServer, login: &Login, scopes: &[&str]) -> Partner {
    let response = login
        .call(admin, Method::POST, "/v1/partners")
        .json(&json!({
            "name": format!("Partner {}", uuid::Uuid::new_v4()),
            "scopes": scopes,
            "rate_limit_per_minute": 600
        }))
        .send()
        .await
        .expect("create partner");
    assert_eq!(response.status(), StatusCode::CREATED);
    let body: Value = response.json().await.expect("partner body");
    let field = |name: &str| body[name].as_str().expect("partner field").to_owned();
    Partner {
        id: field("partner_id"),
        api_key: field("api_key"),
        secret: field("signing_secret"),
    }
}

impl Partner {
    /// Sends `body` to `path` signed as this partner; the answer's status
    /// and body.
    pub async fn send(
        &self,
        server: &TestServer,
        method: Method,
        path: &str,
        body: &Value,
    ) -> (StatusCode, Value) {
        use auth::partner_signature::{canonical_request, sign};
        let body = if body.is_null() {
            String::new()
        } else {
            body.to_string()
        };
        let timestamp = chrono::Utc::now().timestamp().to_string();
        let nonce = uuid::Uuid::new_v4().simple().to_string();
        let canonical =
            canonical_request(method.as_str(), path, &timestamp, &nonce, body.as_bytes());
        let response = server
            .request(method, path)
            .header("content-type", "application/json")
            .header("x-api-key", &self.api_key)
            .header("x-timestamp", timestamp)
            .header("x-nonce", nonce)
            .header("x-signature", sign(self.secret.as_bytes(), &canonical))
            .body(body)
            .send()
            .await
            .expect("signed request");
        let status = response.status();
        (status, response.json().await.unwrap_or(Value::Null))
    }
}
