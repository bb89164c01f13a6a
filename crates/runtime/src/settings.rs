//! Layered, typed configuration.

use std::path::{Path, PathBuf};

use config::{Config, Environment, File};
use jobs::WorkerSettings;
use persistence::{DbSettings, KvSettings};
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
pub struct Settings {
    /// `development`, `test` or `production` (from `APP_ENV`).
    pub environment: String,
    pub server: ServerSettings,
    pub services: ServicesSettings,
    pub database: DbSettings,
    pub redis: KvSettings,
    pub objects: persistence::ObjectStoreSettings,
    pub crypto: crypto::VaultSettings,
    pub auth: auth::settings::AuthSettings,
    pub smtp: integrations::email::SmtpSettings,
    pub sms: integrations::sms::SmsSettings,
    pub identity_verification: integrations::identity::IdentityVerificationSettings,
    pub sso: integrations::sso::SsoSettings,
    pub security: app::kernel::settings::SecuritySettings,
    pub checkout: app::kernel::settings::CheckoutSettings,
    pub payments: app::kernel::providers::PaymentSettings,
    pub wallet: app::kernel::providers::WalletSettings,
    pub app_store: integrations::app_store::AppStoreSettings,
    pub google_play: integrations::google_play::GooglePlaySettings,
    pub telemetry: TelemetrySettings,
    pub worker: WorkerSettings,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ServerSettings {
    pub bind_address: String,
    /// actix worker threads per service process.
    pub workers: usize,
    /// In-flight requests get this long to finish after SIGTERM.
    pub shutdown_timeout_secs: u64,
    pub json_body_limit_bytes: usize,
    /// Each readiness check (PostgreSQL, Redis) must answer within this.
    pub readiness_timeout_ms: u64,
    /// Our own proxies (CIDRs): only they may say who the client is, through
    /// `X-Forwarded-For`.
    pub trusted_proxies: Vec<ipnet::IpNet>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ServicesSettings {
    pub service_api: ServiceSettings,
    pub seller_api: ServiceSettings,
    pub admin_api: ServiceSettings,
    pub external_api: ServiceSettings,
}

/// One API's listener and the hosts it answers for.
#[derive(Debug, Clone, Deserialize)]
pub struct ServiceSettings {
    pub port: u16,
    /// Host names (no port) this service serves; any other gets 421.
    pub hosts: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct TelemetrySettings {
    /// `json` or `pretty`.
    pub format: LogFormat,
    /// An `EnvFilter` directive; `RUST_LOG` overrides it.
    pub filter: String,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum LogFormat {
    Json,
    Pretty,
}

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("configuration: {0}")]
    Load(#[from] config::ConfigError),
    #[error("configuration: {0}")]
    Invalid(String),
}

/// Keys whose environment values are comma-separated lists.
const LIST_KEYS: [&str; 6] = [
    "server.trusted_proxies",
    "services.service_api.hosts",
    "services.seller_api.hosts",
    "services.admin_api.hosts",
    "services.external_api.hosts",
    "worker.queues",
];

impl Settings {
    /// Loads from `APP_CONFIG_DIR` (default `config`) for `APP_ENV` (default
    /// `development`), then the process environment.
    pub fn load() -> Result<Self, SettingsError> {
        let dir = std::env::var("APP_CONFIG_DIR").unwrap_or_else(|_| "config".to_owned());
        let environment = std::env::var("APP_ENV").unwrap_or_else(|_| "development".to_owned());
        Self::load_from(Path::new(&dir), &environment, &[])
    }

    /// Loads from `dir` for `environment`; `overrides` (dotted keys) win over
    /// everything, which is how tests point a service at their own stores.
    pub fn load_from(
        dir: &Path,
        environment: &str,
        overrides: &[(&str, String)],
    ) -> Result<Self, SettingsError> {
        let mut environment_source = Environment::with_prefix("APP")
            .prefix_separator("__")
            .separator("__")
            .try_parsing(true)
            .list_separator(",");
        for key in LIST_KEYS {
            environment_source = environment_source.with_list_parse_key(key);
        }
        let mut builder = Config::builder()
            .add_source(File::from(PathBuf::from(dir).join("default.toml")))
            .add_source(
                File::from(PathBuf::from(dir).join(format!("{environment}.toml"))).required(false),
            )
            .add_source(environment_source)
            .set_override("environment", environment)?;
        for (key, value) in overrides {
            builder = if LIST_KEYS.contains(key) {
                let items: Vec<String> = value
                    .split(',')
                    .map(|item| item.trim().to_owned())
                    .collect();
                builder.set_override(*key, items)?
            } else {
                builder.set_override(*key, value.as_str())?
            };
        }
        let settings: Self = builder.build()?.try_deserialize()?;
        settings.validate()?;
        Ok(settings)
    }

    fn validate(&self) -> Result<(), SettingsError> {
        let services = [
            ("service_api", &self.services.service_api),
            ("seller_api", &self.services.seller_api),
            ("admin_api", &self.services.admin_api),
            ("external_api", &self.services.external_api),
        ];
        for (name, service) in services {
            if service.hosts.is_empty() || service.hosts.iter().any(|h| h.trim().is_empty()) {
                return Err(SettingsError::Invalid(format!(
                    "services.{name}.hosts must list at least one host name"
                )));
            }
        }
        if self.database.pool_max_size == 0 {
            return Err(SettingsError::Invalid(
                "database.pool_max_size must be positive".into(),
            ));
        }
        if self.worker.lease_secs < 1.0e-3 || self.worker.batch_size < 1 {
            return Err(SettingsError::Invalid(
                "worker.lease_secs and worker.batch_size must be positive".into(),
            ));
        }
        if self.environment == "production" && self.checkout.test_payments {
            return Err(SettingsError::Invalid(
                "checkout.test_payments (the demo payment method) must be off in production".into(),
            ));
        }
        Ok(())
    }

    /// The settings of the service whose configuration key is `key`.
    pub fn service(&self, key: &str) -> Option<&ServiceSettings> {
        match key {
            "service_api" => Some(&self.services.service_api),
            "seller_api" => Some(&self.services.seller_api),
            "admin_api" => Some(&self.services.admin_api),
            "external_api" => Some(&self.services.external_api),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(overrides: &[(&str, String)]) -> Result<Settings, SettingsError> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../config");
        Settings::load_from(&dir, "test", overrides)
    }

    #[test]
    fn the_test_payment_method_is_refused_in_production() {
        let production = [("environment", "production".to_owned())];
        let refused = load(&[
            production[0].clone(),
            ("checkout.test_payments", "true".to_owned()),
        ]);
        assert!(
            matches!(refused, Err(SettingsError::Invalid(ref m)) if m.contains("test_payments")),
            "{refused:?}"
        );
        let accepted = load(&[
            production[0].clone(),
            ("checkout.test_payments", "false".to_owned()),
        ]);
        assert!(accepted.is_ok(), "{:?}", accepted.err());
        let shipped = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../config/production.toml"),
        )
        .unwrap_or_default();
        assert!(
            shipped.contains("[checkout]\ntest_payments = false"),
            "the production profile turns it off"
        );
    }
}
