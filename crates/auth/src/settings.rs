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
    pub password_reset_ttl_secs: i64,
    /// Recent passwords that may not be reused (including the current one).
    pub password_history: u32,
    pub argon2: Argon2Settings,
    pub password_policy: PasswordPolicy,
    pub tokens: TokenSettings,
    pub refresh: RefreshPolicy,
    /// Concurrent sessions per account; a new login evicts the oldest.
    pub max_sessions: usize,
    pub phone_codes: PhoneCodeSettings,
    pub login_throttle: LoginThrottleSettings,
    pub rate_limits: AuthRateLimits,
    pub staff: StaffAuthSettings,
}

/// `[auth.staff]`: vendor and operations staff.
#[derive(Debug, Clone, Deserialize)]
pub struct StaffAuthSettings {
    /// Where links emailed to vendor staff point (the seller centre), e.g.
    /// `https://seller.example.com`.
    pub seller_link_base_url: String,
    /// Where links emailed to operations staff point.
    pub admin_link_base_url: String,
    /// How long an invitation or a verification link stays good.
    pub link_ttl_secs: i64,
    /// How long a correct password waits for its second factor.
    pub mfa_challenge_ttl_secs: u64,
    /// Codes that may be tried against one challenge.
    pub mfa_max_attempts: u32,
    /// The issuer authenticator apps show (`<issuer> (<api>)`).
    pub totp_issuer: String,
}

/// `[auth.login_throttle]`: progressive back-off after failed logins.
#[derive(Debug, Clone, Copy, Deserialize)]
pub struct LoginThrottleSettings {
    pub free_failures_per_account: u32,
    pub free_failures_per_ip: u32,
    pub ceiling_secs: u64,
    pub window_secs: u64,
}

impl LoginThrottleSettings {
    /// How one account's failed tries are forgiven (passwords, second
    /// factors, current-password checks: each counted on its own).
    pub fn per_account(&self) -> crate::throttle::ThrottleRule {
        self.rule(self.free_failures_per_account)
    }

    /// How one client address's failed logins are forgiven.
    pub fn per_ip(&self) -> crate::throttle::ThrottleRule {
        self.rule(self.free_failures_per_ip)
    }

    fn rule(&self, free: u32) -> crate::throttle::ThrottleRule {
        crate::throttle::ThrottleRule {
            free,
            ceiling: std::time::Duration::from_secs(self.ceiling_secs),
            window: std::time::Duration::from_secs(self.window_secs),
        }
    }
}

/// `[auth.rate_limits]`: per client IP, shared by every replica.
#[derive(Debug, Clone, Copy, Deserialize)]
pub struct AuthRateLimits {
    pub signup_per_hour: u32,
    pub email_verification_per_hour: u32,
    pub refresh_per_minute: u32,
    pub password_reset_per_hour: u32,
    /// Guest sessions per client address; a guest keeps one session and
    /// refreshes it, but carriers put many phones behind one address.
    pub guest_sessions_per_ip_per_hour: u32,
    /// Guest sessions per device (`X-Device-Id`).
    pub guest_sessions_per_device_per_hour: u32,
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
