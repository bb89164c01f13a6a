//! `[auth]` configuration.

use domain::identity::password::PasswordPolicy;
use domain::identity::refresh::RefreshPolicy;
use secrecy::SecretString;
use serde::Deserialize;

use crate::password::Argon2Settings;
use crate::token::TokenSettings;

#[derive(Debug, Clone, Deserialize)]
pub struct AuthSettings {
    /// Base64 of ≥ 32 random bytes: signs emailed links (secret).
    pub link_signing_key: SecretString,
    /// Where emailed links point (the shop's front end), e.g.
    /// `https://shop.example.com`; links are `<base>/verify-email?token=...`.
    pub email_link_base_url: String,
    pub email_verification_ttl_secs: i64,
    pub argon2: Argon2Settings,
    pub password_policy: PasswordPolicy,
    pub tokens: TokenSettings,
    pub refresh: RefreshPolicy,
    /// Concurrent sessions per account; a new login evicts the oldest.
    pub max_sessions: usize,
    pub phone_codes: PhoneCodeSettings,
}

/// `[auth.phone_codes]`.
#[derive(Debug, Clone, Copy, Deserialize)]
pub struct PhoneCodeSettings {
    pub lifetime_secs: u64,
    pub max_attempts: u32,
    /// How long a verified phone stays verified for the step that needs it.
    pub verified_lifetime_secs: u64,
    pub per_phone_per_hour: u32,
    pub per_ip_per_hour: u32,
}
