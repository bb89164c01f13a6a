//! The state every handler reaches through `web::Data<AppState>`.

use std::sync::Arc;
use std::time::Duration;

use runtime::Settings;
use runtime::settings::ServiceSettings;

#[derive(Clone)]
pub struct AppState {
    pub context: app::Context,
    pub settings: Arc<Settings>,
    /// Lower-cased host names this service answers for.
    pub hosts: Arc<[String]>,
    /// Browser origins whose pages may call this service (`cors`).
    pub cors_origins: Arc<[String]>,
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
        let context = runtime::build_context(&settings)?;
        Ok(Self {
            context,
            hosts: service
                .hosts
                .iter()
                .map(|h| h.trim().to_ascii_lowercase())
                .collect(),
            cors_origins: service
                .cors_origins
                .iter()
                .map(|o| o.trim().trim_end_matches('/').to_owned())
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
            context: runtime::context_on(&self.settings, db, kv)?,
            ..self.clone()
        })
    }
}
