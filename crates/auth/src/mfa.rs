//! Second factor for staff: TOTP (RFC 6238: SHA-1, 6 digits, 30 s steps, one
//! step of skew either way), one-time recovery codes, and the short-lived
//! challenge that links a correct password to the code that must follow it.

use std::time::Duration;

use persistence::{Kv, StoreError};
use totp_rs::{Algorithm, Builder, Secret, Totp};

/// 160-bit secrets, as RFC 4226 recommends.
const SECRET_BYTES: usize = 20;
const DIGITS: u8 = 6;
const STEP_SECS: u64 = 30;
const SKEW_STEPS: u16 = 1;

/// How many recovery codes an enrolment hands out.
pub const RECOVERY_CODES: usize = 10;
/// Crockford-like alphabet without look-alikes (0/O, 1/I/L).
const RECOVERY_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("invalid TOTP secret")]
pub struct InvalidSecret;

/// A fresh random TOTP secret.
pub fn new_secret(fill_random: impl FnOnce(&mut [u8])) -> Vec<u8> {
    let mut secret = vec![0u8; SECRET_BYTES];
    fill_random(&mut secret);
    secret
}

/// A secret as stored and shown (base32, as authenticator apps take it).
pub fn encode_secret(secret: &[u8]) -> String {
    Secret::from(secret.to_vec()).to_base32()
}

pub fn decode_secret(encoded: &str) -> Result<Vec<u8>, InvalidSecret> {
    Secret::try_from_base32(encoded)
        .map(|secret| secret.as_bytes().to_vec())
        .map_err(|_| InvalidSecret)
}

fn totp(secret: &[u8], issuer: &str, account: &str) -> Result<Totp, InvalidSecret> {
    Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(DIGITS)
        .with_skew(SKEW_STEPS)
        .with_step_duration(STEP_SECS)
        .with_secret(Secret::from(secret.to_vec()))
        .with_issuer(Some(issuer.replace(':', " ")))
        .with_account_name(account.replace(':', " "))
        .build()
        .map_err(|_| InvalidSecret)
}

/// What an authenticator app needs: the base32 secret and the
/// `otpauth://totp/...` URI that QR codes carry.
pub fn provisioning(
    secret: &[u8],
    issuer: &str,
    account: &str,
) -> Result<(String, String), InvalidSecret> {
    let totp = totp(secret, issuer, account)?;
    let uri = totp.to_url().map_err(|_| InvalidSecret)?;
    Ok((totp.secret().to_base32(), uri))
}

/// The time step a correct `code` belongs to at `unix_time`, if it is
/// correct. Callers accept a step once (RFC 6238 §5.2): only a step later
/// than the last one accepted.
pub fn matching_step(secret: &[u8], code: &str, unix_time: u64) -> Option<u64> {
    let code = code.trim();
    if code.len() != usize::from(DIGITS) || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    totp(secret, "x", "x").ok()?.check(code, unix_time)
}

/// The code for `unix_time` (demo tooling and tests play the authenticator).
pub fn code_at(secret: &[u8], unix_time: u64) -> Result<String, InvalidSecret> {
    Ok(totp(secret, "x", "x")?.generate(unix_time).to_string())
}

/// Fresh recovery codes, `XXXXX-XXXXX` (about 49 bits each); stored only as
/// digests of their normalised form.
pub fn new_recovery_codes(mut fill_random: impl FnMut(&mut [u8])) -> Vec<String> {
    (0..RECOVERY_CODES)
        .map(|_| {
            let mut bytes = [0u8; 10];
            fill_random(&mut bytes);
            let chars: String = bytes
                .iter()
                .map(|b| char::from(RECOVERY_ALPHABET[usize::from(*b) % RECOVERY_ALPHABET.len()]))
                .collect();
            format!("{}-{}", &chars[..5], &chars[5..])
        })
        .collect()
}

/// A recovery code as typed (any case, with or without the dash), as hashed.
pub fn normalize_recovery_code(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// What a pending second-factor step is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChallengeKind {
    /// The account has a second factor: prove it.
    Verify,
    /// The account must enrol one before it may log in.
    Enrol,
}

impl ChallengeKind {
    fn as_str(self) -> &'static str {
        match self {
            Self::Verify => "verify",
            Self::Enrol => "enrol",
        }
    }
}

/// A password that was right, waiting for its second factor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Challenge {
    pub staff_id: String,
    pub audience: String,
    pub device_hash: String,
    pub kind: ChallengeKind,
}

/// What became of an attempt on a challenge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChallengeAttempt {
    /// Within budget: check the code, then `complete` on success.
    Open(Challenge),
    /// Expired, unknown, completed, or out of attempts (then deleted).
    Gone,
}

/// Pending challenges in Redis, named by a digest of their random token.
#[derive(Clone)]
pub struct MfaChallenges {
    kv: Kv,
    lifetime: Duration,
    max_attempts: u32,
    attempt: redis::Script,
}

/// KEYS[1] the challenge; ARGV[1] max attempts. Counts the attempt and
/// returns the fields, or nothing when gone or over budget (then deletes it).
const ATTEMPT: &str = r#"
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
local attempts = redis.call('HINCRBY', KEYS[1], 'attempts', 1)
if attempts > tonumber(ARGV[1]) then
  redis.call('DEL', KEYS[1])
  return false
end
return redis.call('HMGET', KEYS[1], 'staff_id', 'audience', 'device_hash', 'kind')
"#;

impl MfaChallenges {
    pub fn new(kv: Kv, lifetime: Duration, max_attempts: u32) -> Self {
        Self {
            kv,
            lifetime,
            max_attempts,
            attempt: redis::Script::new(ATTEMPT),
        }
    }

    pub fn lifetime(&self) -> Duration {
        self.lifetime
    }

    fn key(&self, token: &str) -> String {
        let digest = crypto::digest::sha256_hex(token.trim().as_bytes());
        self.kv.key(&format!("mfa-challenge:{digest}"))
    }

    /// Stores `challenge` under `token` (a random value the caller made).
    pub async fn open(&self, token: &str, challenge: &Challenge) -> Result<(), StoreError> {
        let key = self.key(token);
        let _: () = redis::pipe()
            .atomic()
            .hset_multiple(
                &key,
                &[
                    ("staff_id", challenge.staff_id.as_str()),
                    ("audience", challenge.audience.as_str()),
                    ("device_hash", challenge.device_hash.as_str()),
                    ("kind", challenge.kind.as_str()),
                    ("attempts", "0"),
                ],
            )
            .expire(
                &key,
                i64::try_from(self.lifetime.as_secs().max(1)).unwrap_or(i64::MAX),
            )
            .query_async(&mut self.kv.connection())
            .await?;
        Ok(())
    }

    /// Spends one attempt of the budget.
    pub async fn attempt(&self, token: &str) -> Result<ChallengeAttempt, StoreError> {
        let fields: Option<Vec<Option<String>>> = self
            .attempt
            .key(self.key(token))
            .arg(self.max_attempts)
            .invoke_async(&mut self.kv.connection())
            .await?;
        let Some(
            [
                Some(staff_id),
                Some(audience),
                Some(device_hash),
                Some(kind),
            ],
        ) = fields.and_then(|f| <[Option<String>; 4]>::try_from(f).ok())
        else {
            return Ok(ChallengeAttempt::Gone);
        };
        let kind = if kind == ChallengeKind::Enrol.as_str() {
            ChallengeKind::Enrol
        } else {
            ChallengeKind::Verify
        };
        Ok(ChallengeAttempt::Open(Challenge {
            staff_id,
            audience,
            device_hash,
            kind,
        }))
    }

    /// Removes a challenge once its second factor was accepted.
    pub async fn complete(&self, token: &str) -> Result<(), StoreError> {
        let _: usize = redis::cmd("DEL")
            .arg(self.key(token))
            .query_async(&mut self.kv.connection())
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B, SHA-1 seed, truncated to 6 digits.
    #[test]
    fn matches_the_rfc_6238_test_vectors() {
        let secret = b"12345678901234567890";
        for (time, code) in [
            (59, "287082"),
            (1_111_111_109, "081804"),
            (1_111_111_111, "050471"),
            (1_234_567_890, "005924"),
            (2_000_000_000, "279037"),
        ] {
            assert_eq!(code_at(secret, time).unwrap(), code, "t = {time}");
            assert_eq!(matching_step(secret, code, time), Some(time / 30));
        }
    }

    #[test]
    fn accepts_one_step_of_skew_and_no_more() {
        let secret = [7u8; 20];
        let now = 1_800_000_000;
        let previous = code_at(&secret, now - 30).unwrap();
        assert_eq!(matching_step(&secret, &previous, now), Some(now / 30 - 1));
        let older = code_at(&secret, now - 60).unwrap();
        assert_eq!(matching_step(&secret, &older, now), None);
    }

    #[test]
    fn secrets_round_trip_through_base32() {
        let secret = [0xA5u8; 20];
        let encoded = encode_secret(&secret);
        assert_eq!(encoded.len(), 32);
        assert_eq!(decode_secret(&encoded).unwrap(), secret);
        assert_eq!(decode_secret("not base32!"), Err(InvalidSecret));
    }

    #[test]
    fn refuses_malformed_codes() {
        let secret = [7u8; 20];
        for code in ["", "12345", "1234567", "12a456", "+12345"] {
            assert_eq!(matching_step(&secret, code, 1_800_000_000), None, "{code}");
        }
    }

    #[test]
    fn provisioning_uri_names_issuer_account_and_secret() {
        let secret = [1u8; 20];
        let (base32, uri) = provisioning(&secret, "Marketplace admin", "kim@example.com").unwrap();
        assert!(uri.starts_with("otpauth://totp/"), "{uri}");
        assert!(uri.contains(&format!("secret={base32}")), "{uri}");
        assert!(uri.contains("issuer=Marketplace"), "{uri}");
    }

    #[test]
    fn recovery_codes_are_distinct_and_normalise() {
        let mut counter = 0u8;
        let codes = new_recovery_codes(|bytes| {
            for b in bytes.iter_mut() {
                counter = counter.wrapping_add(37);
                *b = counter;
            }
        });
        assert_eq!(codes.len(), RECOVERY_CODES);
        let unique: std::collections::HashSet<_> = codes.iter().collect();
        assert_eq!(unique.len(), RECOVERY_CODES);
        let code = &codes[0];
        assert_eq!(code.len(), 11);
        assert_eq!(
            normalize_recovery_code(&code.to_lowercase().replace('-', " ")),
            normalize_recovery_code(code)
        );
    }
}
