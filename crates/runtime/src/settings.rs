//! Layered, typed configuration.

use std::path::{Path, PathBuf};

use config::{Config, Environment, File};
use jobs::WorkerSettings;
use persistence::{DbSettings, KvSettings};
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
pub struct Settings {
    /// One of [`ENVIRONMENTS`] (from `APP_ENV`).
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
    pub delivery_tracker: integrations::delivery_tracker::TrackerSettings,
    pub tracking: app::kernel::settings::TrackingSettings,
    pub identity_verification: integrations::identity::IdentityVerificationSettings,
    pub sso: integrations::sso::SsoSettings,
    pub security: app::kernel::settings::SecuritySettings,
    pub checkout: app::kernel::settings::CheckoutSettings,
    pub fulfilment: app::kernel::settings::FulfilmentSettings,
    pub settlement: app::kernel::settings::SettlementSettings,
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
    /// Browser origins (`https://shop.example.kr`) whose pages may call this
    /// service; none by default.
    #[serde(default)]
    pub cors_origins: Vec<String>,
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

/// The environments a process may run in, each with its file in the
/// configuration directory.
pub const ENVIRONMENTS: [&str; 3] = ["development", "test", "production"];

/// Keys whose environment values are comma-separated lists.
const LIST_KEYS: [&str; 10] = [
    "server.trusted_proxies",
    "services.service_api.hosts",
    "services.seller_api.hosts",
    "services.admin_api.hosts",
    "services.external_api.hosts",
    "services.service_api.cors_origins",
    "services.seller_api.cors_origins",
    "services.admin_api.cors_origins",
    "services.external_api.cors_origins",
    "worker.queues",
];

impl Settings {
    /// Loads from `APP_CONFIG_DIR` (default `config`) for `APP_ENV`, then
    /// the process environment. `APP_ENV` has no default: a process that
    /// does not say where it runs does not start.
    pub fn load() -> Result<Self, SettingsError> {
        let dir = std::env::var("APP_CONFIG_DIR").unwrap_or_else(|_| "config".to_owned());
        let environment = std::env::var("APP_ENV").map_err(|_| {
            SettingsError::Invalid(format!(
                "APP_ENV is not set: name the environment to run in ({})",
                ENVIRONMENTS.join(", ")
            ))
        })?;
        Self::load_from(Path::new(&dir), &environment, &[])
    }

    /// Loads from `dir` for `environment`; `overrides` (dotted keys) win over
    /// everything, which is how tests point a service at their own stores.
    pub fn load_from(
        dir: &Path,
        environment: &str,
        overrides: &[(&str, String)],
    ) -> Result<Self, SettingsError> {
        if !ENVIRONMENTS.contains(&environment) {
            return Err(SettingsError::Invalid(format!(
                "APP_ENV={environment} is not an environment: use one of {}",
                ENVIRONMENTS.join(", ")
            )));
        }
        let environment_file = dir.join(format!("{environment}.toml"));
        if !environment_file.is_file() {
            return Err(SettingsError::Invalid(format!(
                "{} is missing: the {environment} environment is configured there",
                environment_file.display()
            )));
        }
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
            .add_source(File::from(environment_file))
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
        let loaded = builder.build()?;
        if environment == "production" {
            let published =
                crate::published::published_settings(&loaded.clone().try_deserialize()?);
            if !published.is_empty() {
                return Err(SettingsError::Invalid(format!(
                    "production refuses what the repository publishes: {}",
                    published.join("; ")
                )));
            }
        }
        let settings: Self = loaded.try_deserialize()?;
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
        if self.environment == "production" && self.server.trusted_proxies.is_empty() {
            return Err(SettingsError::Invalid(
                "server.trusted_proxies must name the load balancers in front of the services \
                 (APP__SERVER__TRUSTED_PROXIES=10.0.0.0/8,...): without them every client \
                 shares the balancer's address, and one client's limits and blocks fall on all"
                    .into(),
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
    use std::ops::Not;

    use super::*;

    fn config_dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../config")
    }

    /// What a production deployment sets in its environment: values of its
    /// own for every secret, account and public address.
    fn production_environment() -> Vec<(&'static str, String)> {
        let own = [
            (
                "database.url",
                "postgres://app@db.internal:5432/marketplace",
            ),
            ("redis.url", "redis://cache.internal:6379/"),
            ("server.trusted_proxies", "10.0.0.0/8"),
            ("objects.endpoint", "https://objects.internal"),
            ("objects.access_key_id", "production-access-key"),
            ("objects.secret_access_key", "production-secret-access-key"),
            ("smtp.url", "smtp://mail.internal:587"),
            ("smtp.from", "Marketplace <no-reply@marketplace.kr>"),
            ("services.service_api.hosts", "api.marketplace.kr"),
            ("services.seller_api.hosts", "seller.marketplace.kr"),
            ("services.admin_api.hosts", "admin.marketplace.kr"),
            ("services.external_api.hosts", "partner.marketplace.kr"),
            (
                "auth.link_signing_key",
                "cHJvZHVjdGlvbi1saW5rLXNpZ25pbmcta2V5LTMyYg==",
            ),
            ("auth.email_link_base_url", "https://www.marketplace.kr"),
            (
                "auth.staff.seller_link_base_url",
                "https://seller.marketplace.kr",
            ),
            (
                "auth.staff.admin_link_base_url",
                "https://admin.marketplace.kr",
            ),
            ("auth.tokens.issuer", "https://api.marketplace.kr"),
            ("auth.tokens.active_key", "prod-1"),
            (
                "auth.tokens.keys.prod-1.private_key_pem",
                "production private key",
            ),
            (
                "auth.tokens.keys.prod-1.public_key_pem",
                "production public key",
            ),
            ("crypto.blind_index_key", "production blind index key"),
            ("crypto.contact.active", "p1"),
            ("crypto.contact.keys.p1", "production contact key"),
            ("crypto.financial.active", "p1"),
            ("crypto.financial.keys.p1", "production financial key"),
            ("crypto.financial_outer.active", "p1"),
            ("crypto.financial_outer.keys.p1", "production outer key"),
            ("sms.api_key", "production-sms-key"),
            ("delivery_tracker.client_id", "production-tracker-client"),
            (
                "delivery_tracker.client_secret",
                "production-tracker-secret",
            ),
            (
                "tracking.callback_url",
                "https://partner.marketplace.kr/v1/webhooks/delivery-tracker/production-callback-token-0000000001",
            ),
            ("sms.api_secret", "production-sms-secret"),
            (
                "identity_verification.api_secret",
                "production-portone-secret",
            ),
            ("identity_verification.store_id", "store-production"),
            ("identity_verification.channel_key", "channel-production"),
            (
                "identity_verification.verification_page_url",
                "https://www.marketplace.kr/verify",
            ),
            ("payments.toss.secret_key", "live_sk_production"),
            ("payments.toss.client_key", "live_ck_production"),
            ("payments.kakaopay.secret_key", "production-kakaopay-secret"),
            ("payments.kakaopay.cid", "CPRODUCTION"),
            (
                "payments.kakaopay.approval_url",
                "https://www.marketplace.kr/pay/kakao/ok",
            ),
            (
                "payments.kakaopay.cancel_url",
                "https://www.marketplace.kr/pay/kakao/cancel",
            ),
            (
                "payments.kakaopay.fail_url",
                "https://www.marketplace.kr/pay/kakao/fail",
            ),
            ("payments.paypal.client_id", "production-paypal-client"),
            ("payments.paypal.client_secret", "production-paypal-secret"),
            ("payments.paypal.webhook_id", "WH-PRODUCTION"),
            (
                "payments.paypal.return_url",
                "https://www.marketplace.kr/pay/paypal/ok",
            ),
            (
                "payments.paypal.cancel_url",
                "https://www.marketplace.kr/pay/paypal/cancel",
            ),
            (
                "google_play.client_email",
                "marketplace@production.iam.gserviceaccount.com",
            ),
            (
                "google_play.private_key_pem",
                "production service-account key",
            ),
        ];
        own.into_iter().map(|(k, v)| (k, v.to_owned())).collect()
    }

    fn production(extra: &[(&'static str, &str)]) -> Result<Settings, SettingsError> {
        let mut overrides = production_environment();
        for (key, value) in extra {
            overrides.retain(|(k, _)| k != key);
            overrides.push((key, (*value).to_owned()));
        }
        Settings::load_from(&config_dir(), "production", &overrides)
    }

    fn refusal(result: Result<Settings, SettingsError>) -> String {
        match result {
            Err(SettingsError::Invalid(message)) => message,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn production_starts_with_values_of_its_own() {
        let settings = production(&[]);
        assert!(settings.is_ok(), "{:?}", settings.err());
    }

    #[test]
    fn production_refuses_to_start_without_the_balancers_it_trusts() {
        let mut unset = production_environment();
        unset.retain(|(k, _)| *k != "server.trusted_proxies");
        let message = refusal(Settings::load_from(&config_dir(), "production", &unset));
        assert!(message.contains("server.trusted_proxies"), "{message}");
        let settings = production(&[("server.trusted_proxies", "10.0.0.0/8, 172.16.0.0/12")]);
        assert_eq!(
            settings.map(|s| s.server.trusted_proxies.len()).ok(),
            Some(2)
        );
    }

    #[test]
    fn an_unknown_or_unconfigured_environment_is_refused() {
        let message = refusal(Settings::load_from(&config_dir(), "prod", &[]));
        assert!(message.contains("APP_ENV=prod"), "{message}");
        let empty = std::env::temp_dir().join(format!("no-config-{}", std::process::id()));
        std::fs::create_dir_all(&empty).unwrap();
        let message = refusal(Settings::load_from(&empty, "production", &[]));
        assert!(message.contains("production.toml is missing"), "{message}");
    }

    #[test]
    fn production_refuses_a_published_key_secret_or_address() {
        let development_key = include_str!("../../../config/development.toml")
            .split("private_key_pem = \"\"\"")
            .nth(1)
            .and_then(|rest| rest.split("\"\"\"").next())
            .unwrap();
        for (key, value, named) in [
            (
                "auth.tokens.keys.prod-1.private_key_pem",
                development_key,
                "config/development.toml",
            ),
            (
                "payments.toss.secret_key",
                "test_sk_double0000000000000001",
                "config/",
            ),
            (
                "database.url",
                "postgres://postgres@127.0.0.1:55432/marketplace",
                "config/development.toml",
            ),
            ("sms.base_url", "http://127.0.0.1:1090", "config/"),
            (
                "auth.email_link_base_url",
                "http://api.localhost:8080",
                "api.localhost",
            ),
        ] {
            let message = refusal(production(&[(key, value)]));
            assert!(
                message.contains(key) && message.contains(named),
                "{key}: {message}"
            );
        }
        // The defaults production must replace: the shipped hosts and links.
        let mut shipped = production_environment();
        shipped.retain(|(k, _)| !k.starts_with("services.") && *k != "auth.tokens.issuer");
        let message = refusal(Settings::load_from(&config_dir(), "production", &shipped));
        assert!(message.contains(".localhost"), "{message}");
    }

    #[test]
    fn dangerous_defaults_live_only_in_the_development_and_test_files() {
        let shared = std::fs::read_to_string(config_dir().join("default.toml")).unwrap();
        assert!(
            shared.contains("test_payments = false"),
            "the shared file turns the demo payment off"
        );
        let development = Settings::load_from(&config_dir(), "development", &[]).unwrap();
        assert!(development.checkout.test_payments);
        assert!(production(&[]).unwrap().checkout.test_payments.not());
    }

    #[test]
    fn the_test_payment_method_is_refused_in_production() {
        let message = refusal(production(&[("checkout.test_payments", "true")]));
        assert!(message.contains("test_payments"), "{message}");
    }
}
