//! The state every handler reaches through `web::Data<AppState>`.

use std::sync::Arc;
use std::time::Duration;

use persistence::{Db, Kv, StoreError};

use crate::Settings;
use crate::settings::ServiceSettings;

#[derive(Clone)]
pub struct AppState {
    pub context: app::Context,
    pub settings: Arc<Settings>,
    /// Lower-cased host names this service answers for.
    pub hosts: Arc<[String]>,
    pub readiness_timeout: Duration,
}

impl AppState {
    /// Builds pools without connecting (must run inside a Tokio runtime).
    pub fn new(settings: Settings, service: &ServiceSettings) -> Result<Self, StoreError> {
        let context = app::Context {
            db: Db::new(&settings.database)?,
            kv: Kv::new(&settings.redis)?,
        };
        Ok(Self {
            context,
            hosts: service
                .hosts
                .iter()
                .map(|h| h.trim().to_ascii_lowercase())
                .collect(),
            readiness_timeout: Duration::from_millis(settings.server.readiness_timeout_ms),
            settings: Arc::new(settings),
        })
    }
}
