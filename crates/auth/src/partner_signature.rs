//! Signed partner requests. A partner holds an API key (identifies it;
//! `mkp_<prefix>_<secret>`, stored as a digest found by its visible prefix)
//! and a signing secret. Each request carries:
//!
//! - `X-Api-Key`: the API key;
//! - `X-Timestamp`: Unix seconds, within five minutes of ours;
//! - `X-Nonce`: 16 to 64 characters `[A-Za-z0-9_-]`, never reused;
//! - `X-Signature`: `v1=` + hex HMAC-SHA256 under the signing secret of
//!   `METHOD \n PATH?QUERY \n TIMESTAMP \n NONCE \n hex(SHA-256(body))`.

use std::time::Duration;

use hmac::{Hmac, KeyInit, Mac};
use persistence::{Kv, StoreError};
use sha2::{Digest, Sha256};

pub const API_KEY_PREFIX: &str = "mkp_";
pub const SIGNATURE_VERSION: &str = "v1=";
/// How far a request's timestamp may be from ours.
pub const TIMESTAMP_WINDOW: Duration = Duration::from_secs(300);

/// The visible prefix of an API key, if it has our shape.
pub fn key_prefix(api_key: &str) -> Option<&str> {
    let rest = api_key.trim().strip_prefix(API_KEY_PREFIX)?;
    let (prefix, secret) = rest.split_once('_')?;
    let valid = prefix.len() == 12
        && prefix
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        && secret.len() >= 32;
    valid.then_some(prefix)
}

/// The string a request's signature covers.
pub fn canonical_request(
    method: &str,
    path_and_query: &str,
    timestamp: &str,
    nonce: &str,
    body: &[u8],
) -> String {
    format!(
        "{}\n{}\n{}\n{}\n{}",
        method.to_ascii_uppercase(),
        path_and_query,
        timestamp,
        nonce,
        hex::encode(Sha256::digest(body))
    )
}

fn mac(secret: &[u8]) -> Hmac<Sha256> {
    match <Hmac<Sha256> as KeyInit>::new_from_slice(secret) {
        Ok(mac) => mac,
        Err(_) => unreachable!("HMAC accepts keys of any length"),
    }
}

/// `v1=<hex>`: what a partner sends (partners' SDKs and our tests).
pub fn sign(secret: &[u8], canonical: &str) -> String {
    let mut mac = mac(secret);
    mac.update(canonical.as_bytes());
    format!(
        "{SIGNATURE_VERSION}{}",
        hex::encode(mac.finalize().into_bytes())
    )
}

/// Checks a presented `v1=<hex>` signature in constant time.
pub fn verify(secret: &[u8], canonical: &str, presented: &str) -> bool {
    let Some(bytes) = presented
        .trim()
        .strip_prefix(SIGNATURE_VERSION)
        .and_then(|hex_part| hex::decode(hex_part).ok())
    else {
        return false;
    };
    let mut mac = mac(secret);
    mac.update(canonical.as_bytes());
    mac.verify_slice(&bytes).is_ok()
}

/// Whether `timestamp` (Unix seconds, as sent) is within the window of `now`.
pub fn timestamp_fresh(timestamp: &str, now: i64) -> bool {
    timestamp
        .trim()
        .parse::<i64>()
        .is_ok_and(|at| (now - at).unsigned_abs() <= TIMESTAMP_WINDOW.as_secs())
}

pub fn nonce_well_formed(nonce: &str) -> bool {
    (16..=64).contains(&nonce.len())
        && nonce
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Nonces seen, per key, for twice the timestamp window (a request older
/// than that is refused for its timestamp anyway).
#[derive(Clone)]
pub struct NonceStore {
    kv: Kv,
}

impl NonceStore {
    pub fn new(kv: Kv) -> Self {
        Self { kv }
    }

    /// Records the nonce; `false` when it was already used with this key.
    pub async fn first_use(&self, key_prefix: &str, nonce: &str) -> Result<bool, StoreError> {
        let stored: Option<String> = redis::cmd("SET")
            .arg(self.kv.key(&format!("partner-nonce:{key_prefix}:{nonce}")))
            .arg(1)
            .arg("NX")
            .arg("EX")
            .arg(TIMESTAMP_WINDOW.as_secs() * 2)
            .query_async(&mut self.kv.connection())
            .await?;
        Ok(stored.is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"partner signing secret";

    fn canonical() -> String {
        canonical_request(
            "get",
            "/v1/partner/ping?x=1",
            "1800000000",
            "n0nce-0123456789ab",
            b"",
        )
    }

    #[test]
    fn the_canonical_form_is_stable() {
        assert_eq!(
            canonical(),
            "GET\n/v1/partner/ping?x=1\n1800000000\nn0nce-0123456789ab\n\
             e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn a_signature_verifies_only_for_its_request_and_secret() {
        let signature = sign(SECRET, &canonical());
        assert!(verify(SECRET, &canonical(), &signature));
        assert!(!verify(b"another secret", &canonical(), &signature));
        let other_body = canonical_request(
            "GET",
            "/v1/partner/ping?x=1",
            "1800000000",
            "n0nce-0123456789ab",
            b"{}",
        );
        assert!(!verify(SECRET, &other_body, &signature));
        assert!(!verify(
            SECRET,
            &canonical(),
            signature.trim_start_matches("v1=")
        ));
        assert!(!verify(SECRET, &canonical(), "v1=zz"));
    }

    #[test]
    fn timestamps_are_fresh_within_five_minutes_either_way() {
        let now = 1_800_000_000;
        assert!(timestamp_fresh("1800000300", now));
        assert!(timestamp_fresh("1799999700", now));
        assert!(!timestamp_fresh("1799999699", now));
        assert!(!timestamp_fresh("1800000301", now));
        assert!(!timestamp_fresh("soon", now));
    }

    #[test]
    fn api_keys_have_a_visible_prefix() {
        let key = format!("mkp_abcdef123456_{}", "s".repeat(43));
        assert_eq!(key_prefix(&key), Some("abcdef123456"));
        assert_eq!(key_prefix("mkp_short_secret"), None);
        assert_eq!(key_prefix(&key.replace("mkp_", "sk_")), None);
    }

    #[test]
    fn nonces_have_a_bounded_alphabet_and_length() {
        assert!(nonce_well_formed("0123456789abcdef"));
        assert!(!nonce_well_formed("short"));
        assert!(!nonce_well_formed("0123456789abcdef\n"));
    }
}
