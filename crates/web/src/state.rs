//! The state every handler reaches through `web::Data<AppState>`.

use std::sync::Arc;
use std::time::Duration;

use persistence::{Db, Kv};

use crate::Settings;
use crate::settings::ServiceSettings;

#[derive(Clone)]
pub struct AppState {
    pub context: app::Context,
    pub settings: Arc<Settings>,
    /// Lower-cased host names this service answers for.
    pub hosts: Arc<[String]>,
    pub readiness_timeout: Duration,
    /// The only token audience this service accepts.
    pub audience: auth::Audience,
}

impl AppState {
    /// Builds pools without connecting (must run inside a Tokio runtime).
    pub fn new(
        settings: Settings,
        service: &ServiceSettings,
        audience: auth::Audience,
    ) -> Result<Self, String> {
        let context = build_context(&settings)?;
        Ok(Self {
            context,
            hosts: service
                .hosts
                .iter()
                .map(|h| h.trim().to_ascii_lowercase())
                .collect(),
            readiness_timeout: Duration::from_millis(settings.server.readiness_timeout_ms),
            audience,
            settings: Arc::new(settings),
        })
    }

    /// This state for one of `workers` server threads: the same settings and
    /// database, through connections of its own (ADR 0014).
    pub fn for_worker(&self, workers: usize) -> Result<Self, String> {
        let db = self
            .context
            .db
            .for_worker(workers)
            .map_err(|e| e.to_string())?;
        let kv = self.context.kv.for_worker().map_err(|e| e.to_string())?;
        Ok(Self {
            context: context_on(&self.settings, db, kv)?,
            ..self.clone()
        })
    }
}

/// The use-case context of a process, from its settings: pools (lazy), the
/// identity services and the outside clients. Services and the worker alike.
pub fn build_context(settings: &Settings) -> Result<app::Context, String> {
    let db = Db::new(&settings.database).map_err(|e| e.to_string())?;
    let kv = Kv::new(&settings.redis).map_err(|e| e.to_string())?;
    context_on(settings, db, kv)
}

/// The context of `settings` on these pools.
fn context_on(settings: &Settings, db: Db, kv: Kv) -> Result<app::Context, String> {
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
