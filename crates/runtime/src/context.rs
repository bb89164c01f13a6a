//! The use-case context of a process, built from its settings: services
//! and the worker alike.

use std::sync::Arc;

use persistence::{Db, Kv};

use crate::Settings;

/// The use-case context of a process, from its settings: pools (lazy), the
/// identity services and the outside clients. Services and the worker alike.
pub fn build_context(settings: &Settings) -> Result<app::Context, String> {
    let db = Db::new(&settings.database).map_err(|e| e.to_string())?;
    let kv = Kv::new(&settings.redis).map_err(|e| e.to_string())?;
    context_on(settings, db, kv)
}

/// The context of `settings` on these pools.
pub fn context_on(settings: &Settings, db: Db, kv: Kv) -> Result<app::Context, String> {
    Ok(app::Context {
        db,
        identity: Arc::new(app::kernel::identity_services::Identity::from_settings(
            &settings.auth,
            kv.clone(),
        )?),
        mailer: integrations::email::Mailer::new(&settings.smtp).map_err(|e| e.to_string())?,
        sms: Arc::new(
            integrations::sms::SolapiClient::new(settings.sms.clone())
                .map_err(|e| e.to_string())?,
        ),
        tracker: Arc::new(
            integrations::delivery_tracker::DeliveryTrackerClient::new(
                settings.delivery_tracker.clone(),
            )
            .map_err(|e| e.to_string())?,
        ),
        tracking: settings.tracking.clone(),
        identity_verifier: Arc::new(
            integrations::identity::PortOneIdentityClient::new(
                settings.identity_verification.clone(),
            )
            .map_err(|e| e.to_string())?,
        ),
        identity_verification: settings.identity_verification.clone(),
        sso: Arc::new(app::kernel::providers::SsoProviders::from_settings(
            &settings.sso,
        )?),
        limits: auth::rate_limit::RateLimiter::new(kv.clone()),
        security: settings.security,
        checkout: settings.checkout,
        fulfilment: settings.fulfilment,
        settlement: settings.settlement,
        payments: Arc::new(app::kernel::providers::PaymentProviders::from_settings(
            &settings.payments,
        )?),
        in_app: Arc::new(app::kernel::providers::InAppStores::from_settings(
            &settings.wallet,
            &settings.app_store,
            &settings.google_play,
        )?),
        partner_nonces: auth::partner_signature::NonceStore::new(kv.clone()),
        objects: persistence::Objects::new(&settings.objects).map_err(|e| e.to_string())?,
        kv,
    })
}

/// Installs the field-encryption keys for this process (fails on bad keys).
pub fn install_vault(settings: &Settings) -> Result<(), crypto::CryptoError> {
    crypto::install(crypto::Vault::from_settings(&settings.crypto)?).map(|_| ())
}
