//! Identity (adult) verification through PortOne (V2 API).
//!
//! Protocol (PortOne's published V2 REST API, as its server SDK speaks it):
//! the shopper's browser runs the verification window with our store id,
//! channel key and an `identityVerificationId` we chose; our server then
//! reads the outcome with `GET {base}/identity-verifications/{id}?storeId=…`
//! and `Authorization: PortOne <API secret>`. A verified outcome is
//! `{"status": "VERIFIED", "id", "verifiedCustomer": {"name", "birthDate":
//! "YYYY-MM-DD", "phoneNumber"?, "gender"?, "isForeigner"?, "ci"?, "di"?}, …}`;
//! other statuses are `READY` and `FAILED`. Errors carry
//! `{"type": "IDENTITY_VERIFICATION_NOT_FOUND" | "UNAUTHORIZED" | …, "message"}`.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use chrono::NaiveDate;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

/// `[identity_verification]`.
#[derive(Debug, Clone, Deserialize)]
pub struct IdentityVerificationSettings {
    /// `https://api.portone.io` in production; a local double in tests.
    pub base_url: String,
    pub api_secret: SecretString,
    pub store_id: String,
    /// The channel the browser SDK opens (a PASS / carrier channel).
    pub channel_key: String,
    /// The page that runs the verification window for a shopper (our front
    /// end's, which loads PortOne's SDK; in development the double's).
    pub verification_page_url: String,
    pub timeout_ms: u64,
    /// How long a started verification waits for its result (ours, not the provider's).
    pub pending_ttl_secs: u64,
    /// How long a verification of age stands: older ones no longer give the
    /// `adult` scope until the shopper verifies again.
    pub adult_valid_days: u32,
}

/// What the provider verified about a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedPerson {
    pub birth_date: NaiveDate,
    pub name: String,
    /// Connecting information: the same person across services.
    pub ci: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VerificationOutcome {
    Verified(VerifiedPerson),
    /// Not (yet) verified: `READY` or `FAILED`.
    NotVerified {
        status: String,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum IdentityError {
    #[error("identity verification configuration: {0}")]
    Config(String),
    #[error("the provider knows no such verification")]
    NotFound,
    /// The provider refused us (credentials, store), or answered nonsense.
    #[error("provider refused the request: {0}")]
    Rejected(String),
    /// Unreachable, timed out or failing; retrying may succeed.
    #[error("provider unavailable: {0}")]
    Unavailable(String),
}

/// Reads the outcome of a verification the shopper went through.
pub trait IdentityVerifier: Send + Sync {
    fn outcome<'a>(
        &'a self,
        verification_id: &'a str,
    ) -> Pin<Box<dyn Future<Output = Result<VerificationOutcome, IdentityError>> + Send + 'a>>;
}

#[derive(Clone)]
pub struct PortOneIdentityClient {
    http: reqwest::Client,
    settings: IdentityVerificationSettings,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct VerificationResponse {
    status: String,
    verified_customer: Option<VerifiedCustomer>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct VerifiedCustomer {
    name: String,
    birth_date: String,
    ci: Option<String>,
}

#[derive(Deserialize)]
struct ErrorResponse {
    #[serde(rename = "type")]
    kind: String,
    message: Option<String>,
}

impl PortOneIdentityClient {
    pub fn new(settings: IdentityVerificationSettings) -> Result<Self, IdentityError> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_millis(settings.timeout_ms))
            .connect_timeout(Duration::from_millis(settings.timeout_ms))
            .build()
            .map_err(|e| IdentityError::Config(e.to_string()))?;
        Ok(Self { http, settings })
    }

    pub async fn fetch(&self, verification_id: &str) -> Result<VerificationOutcome, IdentityError> {
        let url = format!(
            "{}/identity-verifications/{}?storeId={}",
            self.settings.base_url.trim_end_matches('/'),
            crate::path_segment(verification_id),
            crate::path_segment(&self.settings.store_id)
        );
        let response = self
            .http
            .get(url)
            .header(
                "authorization",
                format!("PortOne {}", self.settings.api_secret.expose_secret()),
            )
            .send()
            .await
            .map_err(|e| IdentityError::Unavailable(e.to_string()))?;
        let status = response.status();
        if status.is_client_error() {
            let error: ErrorResponse = response
                .json()
                .await
                .map_err(|e| IdentityError::Rejected(format!("HTTP {status}: {e}")))?;
            return Err(match error.kind.as_str() {
                "IDENTITY_VERIFICATION_NOT_FOUND" => IdentityError::NotFound,
                kind => IdentityError::Rejected(format!(
                    "{kind}: {}",
                    error.message.unwrap_or_default()
                )),
            });
        }
        if !status.is_success() {
            return Err(IdentityError::Unavailable(format!("HTTP {status}")));
        }
        let body: VerificationResponse = response
            .json()
            .await
            .map_err(|e| IdentityError::Rejected(e.to_string()))?;
        match (body.status.as_str(), body.verified_customer) {
            ("VERIFIED", Some(customer)) => {
                let birth_date = NaiveDate::parse_from_str(&customer.birth_date, "%Y-%m-%d")
                    .map_err(|_| IdentityError::Rejected("birthDate is not YYYY-MM-DD".into()))?;
                Ok(VerificationOutcome::Verified(VerifiedPerson {
                    birth_date,
                    name: customer.name,
                    ci: customer.ci,
                }))
            }
            ("VERIFIED", None) => Err(IdentityError::Rejected(
                "VERIFIED without verifiedCustomer".into(),
            )),
            (status, _) => Ok(VerificationOutcome::NotVerified {
                status: status.to_owned(),
            }),
        }
    }
}

impl IdentityVerifier for PortOneIdentityClient {
    fn outcome<'a>(
        &'a self,
        verification_id: &'a str,
    ) -> Pin<Box<dyn Future<Output = Result<VerificationOutcome, IdentityError>> + Send + 'a>> {
        Box::pin(self.fetch(verification_id))
    }
}
