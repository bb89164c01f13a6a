//! Authenticating Google Pub/Sub push requests: each carries
//! `Authorization: Bearer <OIDC token>`, an RS256 JWT Google signs with the
//! keys it publishes as a JWKS (`https://www.googleapis.com/oauth2/v3/certs`),
//! `iss` `https://accounts.google.com` (or without the scheme), `aud` the
//! audience set on the subscription, and `email` (verified) the service
//! account the subscription pushes as. Keys are cached by `kid` and fetched
//! again when a token names one we do not have (Google rotates them).

use std::collections::HashMap;
use std::sync::RwLock;
use std::time::{Duration, Instant};

use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;

const ISSUERS: [&str; 2] = ["https://accounts.google.com", "accounts.google.com"];
/// An unknown `kid` fetches the keys again at most this often.
const REFETCH_AFTER: Duration = Duration::from_secs(60);

/// `[google_play.push]`.
#[derive(Debug, Clone, Deserialize)]
pub struct PushSettings {
    /// The audience set on the push subscription (empty: every push is refused).
    pub audience: String,
    /// The service account the subscription pushes as.
    pub service_account_email: String,
    /// Google's JWKS.
    pub certs_url: String,
    pub timeout_ms: u64,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PushError {
    /// Why the push is refused (for logs).
    #[error("push refused: {0}")]
    Refused(&'static str),
    /// Google's keys could not be fetched: the push should be retried.
    #[error("Google's keys unavailable: {0}")]
    Unavailable(String),
}

#[derive(Deserialize)]
struct Jwks {
    keys: Vec<Jwk>,
}

#[derive(Deserialize)]
struct Jwk {
    kid: String,
    kty: String,
    n: String,
    e: String,
}

#[derive(Deserialize)]
struct Claims {
    email: Option<String>,
    #[serde(default)]
    email_verified: bool,
}

struct Keys {
    by_id: HashMap<String, DecodingKey>,
    fetched: Option<Instant>,
}

pub struct PushVerifier {
    http: reqwest::Client,
    settings: PushSettings,
    keys: RwLock<Keys>,
}

impl PushVerifier {
    pub fn new(settings: PushSettings) -> Result<Self, String> {
        let timeout = Duration::from_millis(settings.timeout_ms);
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Self {
            http,
            settings,
            keys: RwLock::new(Keys {
                by_id: HashMap::new(),
                fetched: None,
            }),
        })
    }

    /// Verifies a push's `Authorization` header.
    pub async fn verify(&self, authorization: Option<&str>) -> Result<(), PushError> {
        if self.settings.audience.is_empty() || self.settings.service_account_email.is_empty() {
            return Err(PushError::Refused("no push audience or account configured"));
        }
        let token = authorization
            .and_then(|value| value.strip_prefix("Bearer "))
            .ok_or(PushError::Refused("no bearer token"))?;
        let header =
            jsonwebtoken::decode_header(token).map_err(|_| PushError::Refused("malformed"))?;
        if header.alg != Algorithm::RS256 {
            return Err(PushError::Refused("algorithm"));
        }
        let kid = header.kid.ok_or(PushError::Refused("no key id"))?;
        let key = self.key(&kid).await?;
        let mut validation = Validation::new(Algorithm::RS256);
        validation.leeway = 30;
        validation.set_issuer(&ISSUERS);
        validation.set_audience(&[&self.settings.audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud"]);
        let claims = jsonwebtoken::decode::<Claims>(token, &key, &validation)
            .map_err(|e| {
                use jsonwebtoken::errors::ErrorKind;
                PushError::Refused(match e.kind() {
                    ErrorKind::ExpiredSignature => "expired",
                    ErrorKind::InvalidIssuer => "issuer",
                    ErrorKind::InvalidAudience => "audience",
                    ErrorKind::InvalidSignature => "signature",
                    _ => "claims",
                })
            })?
            .claims;
        let account = claims.email.as_deref() == Some(&self.settings.service_account_email);
        if !account || !claims.email_verified {
            return Err(PushError::Refused("service account"));
        }
        Ok(())
    }

    /// The key `kid`, fetching Google's keys when it is not known yet.
    async fn key(&self, kid: &str) -> Result<DecodingKey, PushError> {
        let recently_fetched = {
            let keys = self
                .keys
                .read()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if let Some(key) = keys.by_id.get(kid) {
                return Ok(key.clone());
            }
            keys.fetched.is_some_and(|at| at.elapsed() < REFETCH_AFTER)
        };
        if recently_fetched {
            return Err(PushError::Refused("unknown key"));
        }
        let fetched = self.fetch().await?;
        let mut keys = self
            .keys
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        keys.by_id = fetched;
        keys.fetched = Some(Instant::now());
        keys.by_id
            .get(kid)
            .cloned()
            .ok_or(PushError::Refused("unknown key"))
    }

    async fn fetch(&self) -> Result<HashMap<String, DecodingKey>, PushError> {
        let unavailable = |e: reqwest::Error| PushError::Unavailable(e.to_string());
        let jwks: Jwks = self
            .http
            .get(&self.settings.certs_url)
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .map_err(unavailable)?
            .json()
            .await
            .map_err(unavailable)?;
        Ok(jwks
            .keys
            .into_iter()
            .filter(|key| key.kty == "RSA")
            .filter_map(|key| {
                DecodingKey::from_rsa_components(&key.n, &key.e)
                    .ok()
                    .map(|decoding| (key.kid, decoding))
            })
            .collect())
    }
}
