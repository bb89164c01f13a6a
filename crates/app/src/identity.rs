//! The identity services every account use case shares, built once per process.

use auth::password::PasswordHasher;
use auth::settings::AuthSettings;
use chrono::TimeDelta;
use crypto::LinkSigner;
use domain::identity::password::PasswordPolicy;

pub struct Identity {
    pub policy: PasswordPolicy,
    pub hasher: PasswordHasher,
    pub links: LinkSigner,
    pub email_link_base_url: String,
    pub verification_ttl: TimeDelta,
}

impl Identity {
    pub fn from_settings(settings: &AuthSettings) -> Result<Self, String> {
        Ok(Self {
            policy: settings.password_policy,
            hasher: PasswordHasher::new(settings.argon2).map_err(|e| e.to_string())?,
            links: LinkSigner::new(&settings.link_signing_key).map_err(|e| e.to_string())?,
            email_link_base_url: settings
                .email_link_base_url
                .trim_end_matches('/')
                .to_owned(),
            verification_ttl: TimeDelta::seconds(settings.email_verification_ttl_secs),
        })
    }
}
