//! The identity services every account use case shares, built once per process.

use std::time::Duration;

use auth::mfa::MfaChallenges;
use auth::password::PasswordHasher;
use auth::phone_codes::PhoneCodes;
use auth::sessions::SessionRegistry;
use auth::settings::AuthSettings;
use auth::settings::{AuthRateLimits, LoginThrottleSettings};
use auth::settings::{PhoneCodeSettings, StaffAuthSettings};
use auth::throttle::LoginThrottle;
use auth::token::TokenKeys;
use chrono::TimeDelta;
use crypto::LinkSigner;
use domain::identity::password::PasswordPolicy;
use domain::identity::refresh::RefreshPolicy;
use persistence::Kv;

pub struct Identity {
    pub policy: PasswordPolicy,
    pub hasher: PasswordHasher,
    pub links: LinkSigner,
    pub email_link_base_url: String,
    pub verification_ttl: TimeDelta,
    pub tokens: TokenKeys,
    pub access_ttl_secs: i64,
    pub refresh: RefreshPolicy,
    pub sessions: SessionRegistry,
    pub phone_codes: PhoneCodes,
    pub phone_code_settings: PhoneCodeSettings,
    pub throttle: LoginThrottle,
    pub throttle_settings: LoginThrottleSettings,
    pub rate_limits: AuthRateLimits,
    pub password_reset_ttl: TimeDelta,
    /// How many recent passwords may not be chosen again.
    pub password_history: i64,
    pub staff: StaffAuthSettings,
    pub mfa_challenges: MfaChallenges,
}

impl Identity {
    pub fn from_settings(settings: &AuthSettings, kv: Kv) -> Result<Self, String> {
        Ok(Self {
            policy: settings.password_policy,
            hasher: PasswordHasher::new(settings.argon2).map_err(|e| e.to_string())?,
            links: LinkSigner::new(&settings.link_signing_key).map_err(|e| e.to_string())?,
            email_link_base_url: settings
                .email_link_base_url
                .trim_end_matches('/')
                .to_owned(),
            verification_ttl: TimeDelta::seconds(settings.email_verification_ttl_secs),
            tokens: TokenKeys::from_settings(&settings.tokens).map_err(|e| e.to_string())?,
            access_ttl_secs: settings.tokens.access_ttl_secs,
            refresh: settings.refresh,
            sessions: SessionRegistry::new(
                kv.clone(),
                settings.max_sessions,
                settings.refresh.family_lifetime.max(Duration::from_secs(1)),
            ),
            throttle: LoginThrottle::new(kv.clone()),
            throttle_settings: settings.login_throttle,
            rate_limits: settings.rate_limits,
            password_reset_ttl: TimeDelta::seconds(settings.password_reset_ttl_secs),
            password_history: i64::from(settings.password_history),
            staff: settings.staff.clone(),
            mfa_challenges: MfaChallenges::new(
                kv.clone(),
                Duration::from_secs(settings.staff.mfa_challenge_ttl_secs),
                settings.staff.mfa_max_attempts,
            ),
            phone_codes: PhoneCodes::new(
                kv,
                Duration::from_secs(settings.phone_codes.lifetime_secs),
                settings.phone_codes.max_attempts,
                Duration::from_secs(settings.phone_codes.verified_lifetime_secs),
            ),
            phone_code_settings: settings.phone_codes,
        })
    }
}
