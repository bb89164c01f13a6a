//! Access tokens: short-lived JWTs signed with Ed25519 (EdDSA), with a `kid`
//! so keys rotate without logging anyone out. Verification pins the algorithm,
//! the header type (`at+jwt`, RFC 9068), a known `kid`, and checks `iss`,
//! `aud`, `sub` and `exp` with a few seconds of leeway. Key-location headers
//! (`jku`, `x5u`, `jwk`) are never followed. A token that passed is
//! remembered until it expires (`crate::verified`), so only its first
//! request pays for the signature check. Refresh tokens are opaque and
//! never JWTs, so neither kind can pass for the other.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

use crate::Audience;
use crate::verified::VerifiedTokens;

pub use crate::claims::AccessClaims;

pub const ACCESS_TOKEN_TYPE: &str = "at+jwt";

/// `[auth.tokens]`.
#[derive(Debug, Clone, Deserialize)]
pub struct TokenSettings {
    pub issuer: String,
    pub access_ttl_secs: i64,
    pub leeway_secs: u64,
    /// The key new tokens are signed with.
    pub active_key: String,
    /// Every key whose tokens are still accepted, by `kid`.
    pub keys: BTreeMap<String, SigningKeySettings>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SigningKeySettings {
    /// PKCS#8 PEM (`openssl genpkey -algorithm ed25519`); only the active key
    /// needs it: retired keys verify with their public half alone.
    pub private_key_pem: Option<SecretString>,
    pub public_key_pem: String,
}

/// What a new access token says.
#[derive(Debug, Clone)]
pub struct NewAccessToken<'a> {
    pub subject: &'a str,
    pub audience: Audience,
    pub session_id: &'a str,
    pub device_hash: &'a str,
    pub scopes: &'a [&'a str],
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TokenError {
    #[error("token keys: {0}")]
    Keys(String),
    #[error("token could not be signed: {0}")]
    Signing(String),
    /// Any reason a presented token is refused; the reason is for logs only.
    #[error("invalid token: {0}")]
    Invalid(&'static str),
}

pub struct TokenKeys {
    issuer: String,
    ttl_secs: i64,
    leeway_secs: u64,
    active_kid: String,
    signing: EncodingKey,
    verifying: HashMap<String, DecodingKey>,
    verified: VerifiedTokens,
}

impl TokenKeys {
    pub fn from_settings(settings: &TokenSettings) -> Result<Self, TokenError> {
        let mut verifying = HashMap::new();
        for (kid, key) in &settings.keys {
            let public = DecodingKey::from_ed_pem(key.public_key_pem.as_bytes())
                .map_err(|e| TokenError::Keys(format!("{kid}: public key: {e}")))?;
            verifying.insert(kid.clone(), public);
        }
        let active = settings.keys.get(&settings.active_key).ok_or_else(|| {
            TokenError::Keys(format!("active key {} is not listed", settings.active_key))
        })?;
        let private = active.private_key_pem.as_ref().ok_or_else(|| {
            TokenError::Keys(format!(
                "active key {} has no private key",
                settings.active_key
            ))
        })?;
        let signing = EncodingKey::from_ed_pem(private.expose_secret().as_bytes())
            .map_err(|e| TokenError::Keys(format!("{}: private key: {e}", settings.active_key)))?;
        Ok(Self {
            issuer: settings.issuer.clone(),
            ttl_secs: settings.access_ttl_secs,
            leeway_secs: settings.leeway_secs,
            active_kid: settings.active_key.clone(),
            signing,
            verifying,
            verified: VerifiedTokens::default(),
        })
    }

    pub fn issue(
        &self,
        token: &NewAccessToken<'_>,
        now: DateTime<Utc>,
    ) -> Result<(String, AccessClaims), TokenError> {
        let claims = AccessClaims {
            iss: self.issuer.clone(),
            sub: token.subject.to_owned(),
            aud: token.audience.as_str().to_owned(),
            iat: now.timestamp(),
            exp: now.timestamp() + self.ttl_secs,
            jti: uuid::Uuid::new_v4().to_string(),
            sid: token.session_id.to_owned(),
            did: token.device_hash.to_owned(),
            scope: token.scopes.join(" "),
        };
        let mut header = Header::new(Algorithm::EdDSA);
        header.typ = Some(ACCESS_TOKEN_TYPE.to_owned());
        header.kid = Some(self.active_kid.clone());
        let jwt = jsonwebtoken::encode(&header, &claims, &self.signing)
            .map_err(|e| TokenError::Signing(e.to_string()))?;
        Ok((jwt, claims))
    }

    /// Verifies a token presented to the API of `audience`.
    pub fn verify(&self, token: &str, audience: Audience) -> Result<AccessClaims, TokenError> {
        self.verify_at(token, audience, Utc::now().timestamp())
    }

    /// [`Self::verify`] at `now` (Unix seconds).
    pub fn verify_at(
        &self,
        token: &str,
        audience: Audience,
        now: i64,
    ) -> Result<AccessClaims, TokenError> {
        let (claims, first_use) = match self.verified.get(token, audience) {
            Some(claims) => (claims, false),
            None => (self.verify_signed(token, audience)?, true),
        };
        let expired_before = now.saturating_sub_unsigned(self.leeway_secs);
        if claims.exp < expired_before {
            return Err(TokenError::Invalid("expired"));
        }
        if first_use {
            self.verified.remember(token, audience, &claims);
        }
        Ok(claims)
    }

    /// How many verified tokens are remembered.
    pub fn remembered(&self) -> usize {
        self.verified.len()
    }

    /// The full check of header, signature and claims but expiry, which
    /// [`Self::verify_at`] checks on remembered tokens too.
    fn verify_signed(&self, token: &str, audience: Audience) -> Result<AccessClaims, TokenError> {
        let header =
            jsonwebtoken::decode_header(token).map_err(|_| TokenError::Invalid("malformed"))?;
        if header.alg != Algorithm::EdDSA {
            return Err(TokenError::Invalid("algorithm"));
        }
        if header.typ.as_deref() != Some(ACCESS_TOKEN_TYPE) {
            return Err(TokenError::Invalid("type"));
        }
        let kid = header
            .kid
            .as_deref()
            .ok_or(TokenError::Invalid("no key id"))?;
        let key = self
            .verifying
            .get(kid)
            .ok_or(TokenError::Invalid("unknown key id"))?;
        let mut validation = Validation::new(Algorithm::EdDSA);
        validation.validate_exp = false;
        validation.set_issuer(&[&self.issuer]);
        validation.set_audience(&[audience.as_str()]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        let data = jsonwebtoken::decode::<AccessClaims>(token, key, &validation).map_err(|e| {
            use jsonwebtoken::errors::ErrorKind;
            TokenError::Invalid(match e.kind() {
                ErrorKind::InvalidIssuer => "issuer",
                ErrorKind::InvalidAudience => "audience",
                ErrorKind::InvalidSignature => "signature",
                _ => "claims",
            })
        })?;
        Ok(data.claims)
    }
}
