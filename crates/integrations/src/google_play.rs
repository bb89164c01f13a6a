//! Google Play Developer API (androidpublisher v3) for one-time products.
//!
//! Access tokens come from Google's OAuth 2.0 token endpoint with a
//! service-account assertion (RFC 7523: an RS256 JWT `{iss: client_email,
//! scope: …/auth/androidpublisher, aud: token_url, iat, exp}` posted as
//! `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer`). A purchase is
//! read with `GET {base}/androidpublisher/v3/applications/{package}/
//! purchases/products/{productId}/tokens/{token}` (a ProductPurchase:
//! `purchaseState` 0 purchased, 1 cancelled, 2 pending; `consumptionState`;
//! `orderId`; `obfuscatedExternalAccountId`; …) and consumed with `POST
//! …/tokens/{token}:consume`; voided purchases are listed by `GET
//! …/applications/{package}/purchases/voidedpurchases`. Errors are `{"error": {"code", "message",
//! "status", "errors": [{"reason"}]}}`.

use std::time::Duration;

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::token_cache::TokenCache;

pub const SCOPE: &str = "https://www.googleapis.com/auth/androidpublisher";

/// `[google_play]`.
#[derive(Debug, Clone, Deserialize)]
pub struct GooglePlaySettings {
    pub package_name: String,
    /// `https://androidpublisher.googleapis.com` in production.
    pub api_base_url: String,
    /// `https://oauth2.googleapis.com/token` in production.
    pub token_url: String,
    /// The service account's email.
    pub client_email: String,
    /// The service account's RSA key (PKCS#8 PEM).
    pub private_key_pem: SecretString,
    pub timeout_ms: u64,
    /// How real-time notifications (Pub/Sub pushes) are authenticated.
    pub push: crate::google_push::PushSettings,
}

/// A one-time product purchase as Google has it.
#[derive(Debug, Clone, PartialEq)]
pub struct ProductPurchase {
    pub order_id: String,
    pub purchase_state: i64,
    pub consumption_state: i64,
    pub quantity: i64,
    /// What the app set as the buyer (our member id).
    pub account: Option<String>,
    pub raw: Value,
}

impl ProductPurchase {
    pub fn purchased(&self) -> bool {
        self.purchase_state == 0
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PlayError {
    #[error("configuration: {0}")]
    Config(String),
    /// The token is unknown, invalid or no longer valid.
    #[error("the purchase token is not valid: {0}")]
    InvalidToken(String),
    #[error("Google Play unavailable: {0}")]
    Unavailable(String),
}

#[derive(Serialize)]
struct Assertion<'a> {
    iss: &'a str,
    scope: &'a str,
    aud: &'a str,
    iat: i64,
    exp: i64,
}

pub struct GooglePlayClient {
    http: reqwest::Client,
    settings: GooglePlaySettings,
    key: EncodingKey,
    token: TokenCache,
}

impl GooglePlayClient {
    pub fn new(settings: GooglePlaySettings) -> Result<Self, PlayError> {
        let timeout = Duration::from_millis(settings.timeout_ms);
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .build()
            .map_err(|e| PlayError::Config(e.to_string()))?;
        let key = EncodingKey::from_rsa_pem(settings.private_key_pem.expose_secret().as_bytes())
            .map_err(|e| PlayError::Config(format!("service account key: {e}")))?;
        Ok(Self {
            http,
            settings,
            key,
            token: TokenCache::default(),
        })
    }

    pub fn package_name(&self) -> &str {
        &self.settings.package_name
    }

    async fn access_token(&self) -> Result<String, PlayError> {
        if let Some(token) = self.token.get() {
            return Ok(token);
        }
        let now = chrono::Utc::now().timestamp();
        let assertion = jsonwebtoken::encode(
            &Header::new(Algorithm::RS256),
            &Assertion {
                iss: &self.settings.client_email,
                scope: SCOPE,
                aud: &self.settings.token_url,
                iat: now,
                exp: now + 3600,
            },
            &self.key,
        )
        .map_err(|e| PlayError::Config(e.to_string()))?;
        let body = serde_urlencoded::to_string([
            ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
            ("assertion", assertion.as_str()),
        ])
        .map_err(|e| PlayError::Config(e.to_string()))?;
        let response = self
            .http
            .post(&self.settings.token_url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .map_err(|e| PlayError::Unavailable(e.to_string()))?;
        let status = response.status();
        let answer: Value = response
            .json()
            .await
            .map_err(|e| PlayError::Unavailable(e.to_string()))?;
        if !status.is_success() {
            return Err(PlayError::Config(format!(
                "token refused: {}",
                answer
                    .get("error")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
            )));
        }
        let token = answer
            .get("access_token")
            .and_then(Value::as_str)
            .ok_or_else(|| PlayError::Unavailable("no access_token".into()))?
            .to_owned();
        let lifetime = answer
            .get("expires_in")
            .and_then(Value::as_u64)
            .unwrap_or(0);
        self.token.put(&token, lifetime);
        Ok(token)
    }

    fn purchase_url(&self, product_id: &str, token: &str) -> String {
        format!(
            "{}/androidpublisher/v3/applications/{}/purchases/products/{}/tokens/{}",
            self.settings.api_base_url.trim_end_matches('/'),
            crate::path_segment(&self.settings.package_name),
            crate::path_segment(product_id),
            crate::path_segment(token),
        )
    }

    async fn call(&self, request: reqwest::RequestBuilder) -> Result<Value, PlayError> {
        let token = self.access_token().await?;
        let response = request
            .bearer_auth(token)
            .send()
            .await
            .map_err(|e| PlayError::Unavailable(e.to_string()))?;
        let status = response.status();
        let text = response
            .text()
            .await
            .map_err(|e| PlayError::Unavailable(e.to_string()))?;
        let body: Value = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).map_err(|e| PlayError::Unavailable(e.to_string()))?
        };
        match status.as_u16() {
            200..=299 => Ok(body),
            401 => {
                self.token.clear();
                Err(PlayError::Unavailable("access token refused".into()))
            }
            400 | 404 | 410 => Err(PlayError::InvalidToken(
                body.pointer("/error/message")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned(),
            )),
            403 => Err(PlayError::Config(
                "the service account may not read this app's purchases".into(),
            )),
            _ => Err(PlayError::Unavailable(format!("HTTP {status}"))),
        }
    }

    /// The purchase of `product_id` under `token`.
    pub async fn product_purchase(
        &self,
        product_id: &str,
        token: &str,
    ) -> Result<ProductPurchase, PlayError> {
        let body = self
            .call(self.http.get(self.purchase_url(product_id, token)))
            .await?;
        let text = |name: &str| body.get(name).and_then(Value::as_str).map(str::to_owned);
        let number = |name: &str| body.get(name).and_then(Value::as_i64);
        Ok(ProductPurchase {
            order_id: text("orderId").ok_or_else(|| PlayError::Unavailable("no orderId".into()))?,
            purchase_state: number("purchaseState").unwrap_or(-1),
            consumption_state: number("consumptionState").unwrap_or(0),
            quantity: number("quantity").unwrap_or(1).max(1),
            account: text("obfuscatedExternalAccountId"),
            raw: body,
        })
    }

    /// The order ids of purchases voided (refunded, charged back or
    /// cancelled) since `start_time_millis`, from the Voided Purchases API
    /// (`GET …/applications/{package}/purchases/voidedpurchases`).
    pub async fn voided_orders(&self, start_time_millis: i64) -> Result<Vec<String>, PlayError> {
        let url = format!(
            "{}/androidpublisher/v3/applications/{}/purchases/voidedpurchases?startTime={start_time_millis}&maxResults=1000",
            self.settings.api_base_url.trim_end_matches('/'),
            crate::path_segment(&self.settings.package_name),
        );
        let body = self.call(self.http.get(url)).await?;
        Ok(body
            .get("voidedPurchases")
            .and_then(Value::as_array)
            .map(|voided| {
                voided
                    .iter()
                    .filter_map(|v| v.get("orderId").and_then(Value::as_str).map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default())
    }

    /// Consumes the purchase so the product can be bought again.
    pub async fn consume(&self, product_id: &str, token: &str) -> Result<(), PlayError> {
        self.call(
            self.http
                .post(format!("{}:consume", self.purchase_url(product_id, token))),
        )
        .await
        .map(|_| ())
    }
}
