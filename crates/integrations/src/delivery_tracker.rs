//! Parcel tracking through Delivery Tracker (tracker.delivery), which reads
//! every Korean carrier's tracking for us.
//!
//! Protocol (its documented GraphQL API): `POST {base}/graphql` with
//! `Authorization: TRACKQL-API-KEY {client_id}:{client_secret}` and a JSON
//! body `{query, variables}`. `track(carrierId, trackingNumber)` answers the
//! parcel's `events` (oldest first) with `time`, `status.code` (a
//! `TrackEventStatusCode`: `INFORMATION_RECEIVED`, `AT_PICKUP`, `IN_TRANSIT`,
//! `OUT_FOR_DELIVERY`, `ATTEMPT_FAIL`, `DELIVERED`, `AVAILABLE_FOR_PICKUP`,
//! `EXCEPTION`, `UNKNOWN`) and `description`. `registerTrackWebhook(input:
//! {carrierId, trackingNumber, callbackUrl, expirationTime})` asks for a
//! `POST {callbackUrl}` carrying only `{carrierId, trackingNumber}` whenever
//! the parcel changes, until `expirationTime` (registering again extends
//! it). Errors come in `errors[].extensions.code` (`UNAUTHENTICATED`,
//! `FORBIDDEN`, `BAD_REQUEST`, `NOT_FOUND`, `INTERNAL`), often with HTTP 200;
//! a parcel the carrier does not know yet is `NOT_FOUND`.

use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde_json::{Value, json};

/// `[delivery_tracker]`.
#[derive(Debug, Clone, Deserialize)]
pub struct TrackerSettings {
    /// `https://apis.tracker.delivery` in production; a local double in tests.
    pub base_url: String,
    pub client_id: String,
    pub client_secret: SecretString,
    pub timeout_ms: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum TrackerError {
    #[error("tracking configuration: {0}")]
    Config(String),
    /// The carrier has no record of the parcel (yet).
    #[error("the carrier does not know this parcel")]
    NotFound,
    /// Our credentials or request were refused; retrying will not help.
    #[error("tracking refused: {code}: {message}")]
    Refused { code: String, message: String },
    /// Over the service's rate or quota; retry later.
    #[error("tracking rate-limited")]
    RateLimited,
    /// The service could not answer (timeout, outage, internal error).
    #[error("tracking unavailable: {0}")]
    Unavailable(String),
}

/// One event of a parcel as the service reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackedEvent {
    pub at: DateTime<Utc>,
    /// A `TrackEventStatusCode` (`IN_TRANSIT`).
    pub status_code: String,
    pub description: String,
}

const TRACK: &str = "query Track($carrierId: ID!, $trackingNumber: String!) { \
    track(carrierId: $carrierId, trackingNumber: $trackingNumber) { \
    events(last: 100) { edges { node { time status { code } description } } } } }";

const REGISTER: &str = "mutation RegisterTrackWebhook($input: RegisterTrackWebhookInput!) { \
    registerTrackWebhook(input: $input) }";

#[derive(Clone)]
pub struct DeliveryTrackerClient {
    http: reqwest::Client,
    settings: TrackerSettings,
}

#[derive(Deserialize)]
struct GraphQlAnswer {
    data: Option<Value>,
    #[serde(default)]
    errors: Vec<GraphQlError>,
}

#[derive(Deserialize)]
struct GraphQlError {
    #[serde(default)]
    message: String,
    extensions: Option<Extensions>,
}

#[derive(Deserialize)]
struct Extensions {
    code: Option<String>,
}

impl DeliveryTrackerClient {
    pub fn new(settings: TrackerSettings) -> Result<Self, TrackerError> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_millis(settings.timeout_ms))
            .connect_timeout(Duration::from_millis(settings.timeout_ms))
            .build()
            .map_err(|e| TrackerError::Config(e.to_string()))?;
        Ok(Self { http, settings })
    }

    async fn call(&self, query: &str, variables: Value) -> Result<Value, TrackerError> {
        let response = self
            .http
            .post(format!(
                "{}/graphql",
                self.settings.base_url.trim_end_matches('/')
            ))
            .header(
                "authorization",
                format!(
                    "TRACKQL-API-KEY {}:{}",
                    self.settings.client_id,
                    self.settings.client_secret.expose_secret()
                ),
            )
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await
            .map_err(|e| TrackerError::Unavailable(e.to_string()))?;
        let status = response.status();
        if status.as_u16() == 429 {
            return Err(TrackerError::RateLimited);
        }
        if status.is_server_error() {
            return Err(TrackerError::Unavailable(format!("HTTP {status}")));
        }
        let answer: GraphQlAnswer = response
            .json()
            .await
            .map_err(|e| TrackerError::Unavailable(format!("unreadable answer: {e}")))?;
        if let Some(error) = answer.errors.into_iter().next() {
            let code = error
                .extensions
                .and_then(|e| e.code)
                .unwrap_or_else(|| "UNKNOWN".to_owned());
            return Err(match code.as_str() {
                "NOT_FOUND" => TrackerError::NotFound,
                "INTERNAL" => TrackerError::Unavailable(error.message),
                _ => TrackerError::Refused {
                    code,
                    message: error.message,
                },
            });
        }
        if status.is_client_error() {
            return Err(TrackerError::Refused {
                code: status.as_u16().to_string(),
                message: "refused without a GraphQL error".into(),
            });
        }
        answer
            .data
            .ok_or_else(|| TrackerError::Unavailable("an answer without data".into()))
    }

    /// The parcel's events, oldest first.
    pub async fn track(
        &self,
        carrier_id: &str,
        tracking_number: &str,
    ) -> Result<Vec<TrackedEvent>, TrackerError> {
        let data = self
            .call(
                TRACK,
                json!({ "carrierId": carrier_id, "trackingNumber": tracking_number }),
            )
            .await?;
        let track = &data["track"];
        if track.is_null() {
            return Err(TrackerError::NotFound);
        }
        let edges = track["events"]["edges"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        edges
            .iter()
            .map(|edge| {
                let node = &edge["node"];
                let at = node["time"]
                    .as_str()
                    .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
                    .ok_or_else(|| TrackerError::Unavailable("an event without a time".into()))?;
                Ok(TrackedEvent {
                    at: at.with_timezone(&Utc),
                    status_code: node["status"]["code"]
                        .as_str()
                        .unwrap_or("UNKNOWN")
                        .to_owned(),
                    description: node["description"].as_str().unwrap_or_default().to_owned(),
                })
            })
            .collect()
    }

    /// Asks for a callback to `callback_url` on every change of the parcel
    /// until `expires_at` (registering again extends it; a past time
    /// removes it).
    pub async fn register_webhook(
        &self,
        carrier_id: &str,
        tracking_number: &str,
        callback_url: &str,
        expires_at: DateTime<Utc>,
    ) -> Result<(), TrackerError> {
        let data = self
            .call(
                REGISTER,
                json!({ "input": {
                    "carrierId": carrier_id,
                    "trackingNumber": tracking_number,
                    "callbackUrl": callback_url,
                    "expirationTime": expires_at.to_rfc3339_opts(SecondsFormat::Secs, true),
                } }),
            )
            .await?;
        if data["registerTrackWebhook"].as_bool() == Some(true) {
            Ok(())
        } else {
            Err(TrackerError::Unavailable(
                "the webhook was not registered".into(),
            ))
        }
    }
}
