//! The token side of sign-in with an outside provider: PKCE (RFC 7636,
//! S256 only) and the verification of the provider's ID token once our key
//! pair has decrypted it — signature under the provider's pinned key with
//! its pinned algorithm, `iss`, `aud` (our client id), `exp`, `sub`, and the
//! `nonce` of our own authorization request.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;
use sha2::{Digest, Sha256};

/// A PKCE code verifier: 32 random bytes, base64url (43 characters).
pub fn new_code_verifier(fill_random: impl FnOnce(&mut [u8])) -> String {
    let mut bytes = [0u8; 32];
    fill_random(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// `BASE64URL(SHA256(verifier))`, the S256 challenge.
pub fn code_challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// What we read from a provider's ID token (OpenID Connect standard claims).
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct IdTokenClaims {
    pub sub: String,
    pub nonce: Option<String>,
    pub email: Option<String>,
    #[serde(default)]
    pub email_verified: bool,
    pub name: Option<String>,
    pub nickname: Option<String>,
    pub phone_number: Option<String>,
    #[serde(default)]
    pub phone_number_verified: bool,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum IdTokenError {
    #[error("provider key: {0}")]
    Key(String),
    /// Why the token is refused (for logs).
    #[error("ID token refused: {0}")]
    Refused(&'static str),
}

pub struct IdTokenVerifier {
    key: DecodingKey,
    algorithm: Algorithm,
    issuer: String,
    audience: String,
}

impl IdTokenVerifier {
    pub fn new(
        public_key_pem: &str,
        algorithm: &str,
        issuer: &str,
        client_id: &str,
    ) -> Result<Self, IdTokenError> {
        let pem = public_key_pem.as_bytes();
        let (algorithm, key) = match algorithm {
            "EdDSA" => (Algorithm::EdDSA, DecodingKey::from_ed_pem(pem)),
            "RS256" => (Algorithm::RS256, DecodingKey::from_rsa_pem(pem)),
            "ES256" => (Algorithm::ES256, DecodingKey::from_ec_pem(pem)),
            other => return Err(IdTokenError::Key(format!("unsupported algorithm {other}"))),
        };
        Ok(Self {
            key: key.map_err(|e| IdTokenError::Key(e.to_string()))?,
            algorithm,
            issuer: issuer.to_owned(),
            audience: client_id.to_owned(),
        })
    }

    /// Verifies a signed ID token (the JWE's plaintext) issued for the
    /// authorization request that carried `expected_nonce`.
    pub fn verify(&self, token: &str, expected_nonce: &str) -> Result<IdTokenClaims, IdTokenError> {
        let header =
            jsonwebtoken::decode_header(token).map_err(|_| IdTokenError::Refused("malformed"))?;
        if header.alg != self.algorithm {
            return Err(IdTokenError::Refused("algorithm"));
        }
        let mut validation = Validation::new(self.algorithm);
        validation.leeway = 30;
        validation.set_issuer(&[&self.issuer]);
        validation.set_audience(&[&self.audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        let claims = jsonwebtoken::decode::<IdTokenClaims>(token, &self.key, &validation)
            .map_err(|e| {
                use jsonwebtoken::errors::ErrorKind;
                IdTokenError::Refused(match e.kind() {
                    ErrorKind::ExpiredSignature => "expired",
                    ErrorKind::InvalidIssuer => "issuer",
                    ErrorKind::InvalidAudience => "audience",
                    ErrorKind::InvalidSignature => "signature",
                    _ => "claims",
                })
            })?
            .claims;
        let nonce_matches = claims.nonce.as_deref().is_some_and(|nonce| {
            crypto::digest::constant_time_eq(nonce.as_bytes(), expected_nonce.as_bytes())
        });
        if !nonce_matches {
            return Err(IdTokenError::Refused("nonce"));
        }
        if claims.sub.is_empty() {
            return Err(IdTokenError::Refused("subject"));
        }
        Ok(claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 7636 appendix B.
    #[test]
    fn the_s256_challenge_matches_the_rfc_example() {
        assert_eq!(
            code_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn verifiers_are_43_unreserved_characters() {
        let verifier = new_code_verifier(|bytes| bytes.fill(0xAB));
        assert_eq!(verifier.len(), 43);
        assert!(
            verifier
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );
    }
}
