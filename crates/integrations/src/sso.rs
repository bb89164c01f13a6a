//! Sign-in with an outside identity provider: OAuth 2.0 authorization code
//! (RFC 6749) with PKCE S256 (RFC 7636), as OpenID Connect providers speak
//! it. The authorization request carries `response_type=code`, `client_id`,
//! `redirect_uri`, `scope`, `state`, `nonce`, `code_challenge` and
//! `code_challenge_method=S256`; the token request is a form POST with
//! `grant_type=authorization_code`, `code`, `redirect_uri`, `client_id`,
//! `client_secret` and `code_verifier`, answered by `{access_token,
//! token_type, expires_in, id_token}` or `{error, error_description}`.
//! The ID token arrives encrypted to our key pair (JWE, RSA-OAEP-256).

use std::collections::BTreeMap;
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

/// `[sso]`.
#[derive(Debug, Clone, Deserialize)]
pub struct SsoSettings {
    /// Our RSA key pair (PKCS#8 PEM): providers encrypt ID tokens to its
    /// public half. Required once a provider is configured.
    pub encryption_private_key_pem: Option<SecretString>,
    /// How long an authorization request may take to come back.
    pub state_ttl_secs: u64,
    /// How long a sign-up waits for what the provider did not tell us.
    pub signup_ttl_secs: u64,
    #[serde(default)]
    pub providers: BTreeMap<String, SsoProviderSettings>,
}

/// `[sso.providers.<name>]`.
#[derive(Debug, Clone, Deserialize)]
pub struct SsoProviderSettings {
    pub authorize_url: String,
    pub token_url: String,
    pub client_id: String,
    pub client_secret: SecretString,
    /// Where the provider sends the shopper back (our front end's page).
    pub redirect_uri: String,
    #[serde(default = "default_scopes")]
    pub scopes: String,
    /// The `iss` of its ID tokens.
    pub issuer: String,
    /// Its ID-token signing key (PEM), pinned: never fetched from a URL.
    pub id_token_public_key_pem: String,
    /// `EdDSA`, `RS256` or `ES256`.
    pub id_token_algorithm: String,
    pub timeout_ms: u64,
}

fn default_scopes() -> String {
    "openid profile email phone".into()
}

#[derive(Debug, thiserror::Error)]
pub enum SsoError {
    #[error("sso configuration: {0}")]
    Config(String),
    /// The provider refused the exchange (`invalid_grant`: a used, expired
    /// or foreign code, or a wrong verifier).
    #[error("provider refused: {error}: {description}")]
    Rejected { error: String, description: String },
    #[error("provider unavailable: {0}")]
    Unavailable(String),
}

/// What an authorization request carries besides the client's own settings.
#[derive(Debug, Clone, Copy)]
pub struct AuthorizationRequest<'a> {
    pub state: &'a str,
    pub nonce: &'a str,
    pub code_challenge: &'a str,
}

/// The provider's answer to a code exchange. Its access token is a
/// credential we do not need: it is dropped, never stored.
#[derive(Debug)]
pub struct TokenAnswer {
    /// The ID token, a JWE encrypted to our key pair.
    pub id_token: String,
}

#[derive(Clone)]
pub struct OAuthClient {
    http: reqwest::Client,
    settings: SsoProviderSettings,
}

#[derive(Serialize)]
struct TokenRequest<'a> {
    grant_type: &'static str,
    code: &'a str,
    redirect_uri: &'a str,
    client_id: &'a str,
    client_secret: &'a str,
    code_verifier: &'a str,
}

#[derive(Deserialize)]
struct TokenResponse {
    token_type: String,
    id_token: Option<String>,
}

#[derive(Deserialize)]
struct ErrorResponse {
    error: String,
    #[serde(default)]
    error_description: String,
}

impl OAuthClient {
    pub fn new(settings: SsoProviderSettings) -> Result<Self, SsoError> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_millis(settings.timeout_ms))
            .connect_timeout(Duration::from_millis(settings.timeout_ms))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| SsoError::Config(e.to_string()))?;
        Ok(Self { http, settings })
    }

    /// Where to send the shopper's browser.
    pub fn authorization_url(&self, request: AuthorizationRequest<'_>) -> Result<String, SsoError> {
        let query = serde_urlencoded::to_string([
            ("response_type", "code"),
            ("client_id", self.settings.client_id.as_str()),
            ("redirect_uri", self.settings.redirect_uri.as_str()),
            ("scope", self.settings.scopes.as_str()),
            ("state", request.state),
            ("nonce", request.nonce),
            ("code_challenge", request.code_challenge),
            ("code_challenge_method", "S256"),
        ])
        .map_err(|e| SsoError::Config(e.to_string()))?;
        let separator = if self.settings.authorize_url.contains('?') {
            '&'
        } else {
            '?'
        };
        Ok(format!("{}{separator}{query}", self.settings.authorize_url))
    }

    /// Exchanges an authorization code (with its PKCE verifier).
    pub async fn exchange(&self, code: &str, code_verifier: &str) -> Result<TokenAnswer, SsoError> {
        let body = serde_urlencoded::to_string(TokenRequest {
            grant_type: "authorization_code",
            code,
            redirect_uri: &self.settings.redirect_uri,
            client_id: &self.settings.client_id,
            client_secret: self.settings.client_secret.expose_secret(),
            code_verifier,
        })
        .map_err(|e| SsoError::Config(e.to_string()))?;
        let response = self
            .http
            .post(&self.settings.token_url)
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "application/json")
            .body(body)
            .send()
            .await
            .map_err(|e| SsoError::Unavailable(e.to_string()))?;
        let status = response.status();
        if status.is_client_error() {
            let error: ErrorResponse = response.json().await.map_err(|e| SsoError::Rejected {
                error: format!("HTTP {status}"),
                description: e.to_string(),
            })?;
            return Err(SsoError::Rejected {
                error: error.error,
                description: error.error_description,
            });
        }
        if !status.is_success() {
            return Err(SsoError::Unavailable(format!("HTTP {status}")));
        }
        let answer: TokenResponse = response
            .json()
            .await
            .map_err(|e| SsoError::Unavailable(e.to_string()))?;
        if !answer.token_type.eq_ignore_ascii_case("bearer") {
            return Err(SsoError::Rejected {
                error: "unsupported_token_type".into(),
                description: answer.token_type,
            });
        }
        let id_token = answer.id_token.ok_or_else(|| SsoError::Rejected {
            error: "no_id_token".into(),
            description: "the answer carries no id_token (is `openid` in scope?)".into(),
        })?;
        Ok(TokenAnswer { id_token })
    }
}
