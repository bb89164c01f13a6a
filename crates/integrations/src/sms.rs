//! SMS through Solapi (CoolSMS), Korea's common SMS gateway.
//!
//! Protocol (as Solapi's own SDKs speak it): `POST {base}/messages/v4/send-many/detail`
//! with `Authorization: HMAC-SHA256 apiKey=<key>, date=<RFC 3339 UTC>, salt=<random>,
//! signature=<hex HMAC-SHA256(secret, date + salt)>` and a JSON body
//! `{"messages": [{"to", "from", "text"}]}`. A 2xx answer carries
//! `groupInfo.count` and `failedMessageList`; a 4xx carries `errorCode` and
//! `errorMessage`.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use chrono::{SecondsFormat, Utc};
use hmac::{Hmac, KeyInit, Mac};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

/// `[sms]`.
#[derive(Debug, Clone, Deserialize)]
pub struct SmsSettings {
    /// `https://api.solapi.com` in production; a local double in tests.
    pub base_url: String,
    pub api_key: String,
    pub api_secret: SecretString,
    /// The registered caller number, national format (`0212345678`).
    pub sender: String,
    pub timeout_ms: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum SmsError {
    #[error("sms configuration: {0}")]
    Config(String),
    #[error("only Korean mobile numbers can receive SMS here: {0}")]
    UnsupportedNumber(String),
    /// The provider refused this message (bad number, balance, sender...).
    #[error("provider refused the message: {code}: {message}")]
    Rejected { code: String, message: String },
    /// Could not reach the provider, or it failed; retrying may succeed.
    #[error("provider unavailable: {0}")]
    Unavailable(String),
}

/// Something that delivers a text message to a phone number (E.164).
pub trait SmsSender: Send + Sync {
    fn send<'a>(
        &'a self,
        to: &'a str,
        text: &'a str,
    ) -> Pin<Box<dyn Future<Output = Result<(), SmsError>> + Send + 'a>>;
}

#[derive(Clone)]
pub struct SolapiClient {
    http: reqwest::Client,
    settings: SmsSettings,
}

#[derive(Serialize)]
struct SendRequest<'a> {
    messages: [Message<'a>; 1],
}

#[derive(Serialize)]
struct Message<'a> {
    to: String,
    from: &'a str,
    text: &'a str,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SendResponse {
    group_info: GroupInfo,
    #[serde(default)]
    failed_message_list: Vec<FailedMessage>,
}

#[derive(Deserialize)]
struct GroupInfo {
    count: Count,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Count {
    total: u64,
    registered_failed: u64,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FailedMessage {
    status_code: String,
    status_message: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ErrorResponse {
    error_code: String,
    error_message: String,
}

/// The `Authorization` value for `date` and `salt`.
pub fn authorization(api_key: &str, api_secret: &str, date: &str, salt: &str) -> String {
    let mut mac = match <Hmac<Sha256> as KeyInit>::new_from_slice(api_secret.as_bytes()) {
        Ok(mac) => mac,
        Err(_) => unreachable!("HMAC accepts keys of any length"),
    };
    mac.update(date.as_bytes());
    mac.update(salt.as_bytes());
    let signature = hex::encode(mac.finalize().into_bytes());
    format!("HMAC-SHA256 apiKey={api_key}, date={date}, salt={salt}, signature={signature}")
}

/// `+821012345678` -> `01012345678` (Solapi's domestic form).
fn domestic(e164: &str) -> Result<String, SmsError> {
    e164.strip_prefix("+82")
        .filter(|rest| rest.starts_with('1') && rest.bytes().all(|b| b.is_ascii_digit()))
        .map(|rest| format!("0{rest}"))
        .ok_or_else(|| SmsError::UnsupportedNumber(e164.to_owned()))
}

impl SolapiClient {
    pub fn new(settings: SmsSettings) -> Result<Self, SmsError> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_millis(settings.timeout_ms))
            .connect_timeout(Duration::from_millis(settings.timeout_ms))
            .build()
            .map_err(|e| SmsError::Config(e.to_string()))?;
        Ok(Self { http, settings })
    }

    pub async fn send_text(&self, to: &str, text: &str) -> Result<(), SmsError> {
        let date = Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true);
        let mut salt = [0u8; 16];
        crypto_salt(&mut salt);
        let salt = hex::encode(salt);
        let body = SendRequest {
            messages: [Message {
                to: domestic(to)?,
                from: &self.settings.sender,
                text,
            }],
        };
        let response = self
            .http
            .post(format!(
                "{}/messages/v4/send-many/detail",
                self.settings.base_url.trim_end_matches('/')
            ))
            .header(
                "authorization",
                authorization(
                    &self.settings.api_key,
                    self.settings.api_secret.expose_secret(),
                    &date,
                    &salt,
                ),
            )
            .json(&body)
            .send()
            .await
            .map_err(|e| SmsError::Unavailable(e.to_string()))?;
        let status = response.status();
        if status.is_client_error() {
            let error: ErrorResponse = response
                .json()
                .await
                .map_err(|e| SmsError::Unavailable(e.to_string()))?;
            return Err(SmsError::Rejected {
                code: error.error_code,
                message: error.error_message,
            });
        }
        if !status.is_success() {
            return Err(SmsError::Unavailable(format!("HTTP {status}")));
        }
        let sent: SendResponse = response
            .json()
            .await
            .map_err(|e| SmsError::Unavailable(e.to_string()))?;
        if sent.group_info.count.registered_failed >= sent.group_info.count.total {
            let failure = sent.failed_message_list.into_iter().next();
            return Err(SmsError::Rejected {
                code: failure
                    .as_ref()
                    .map(|f| f.status_code.clone())
                    .unwrap_or_default(),
                message: failure.map(|f| f.status_message).unwrap_or_default(),
            });
        }
        Ok(())
    }
}

impl SmsSender for SolapiClient {
    fn send<'a>(
        &'a self,
        to: &'a str,
        text: &'a str,
    ) -> Pin<Box<dyn Future<Output = Result<(), SmsError>> + Send + 'a>> {
        Box::pin(self.send_text(to, text))
    }
}

fn crypto_salt(buffer: &mut [u8]) {
    if let Err(error) = getrandom::fill(buffer) {
        panic!("the operating system's random generator failed: {error}");
    }
}
