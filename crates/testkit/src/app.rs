//! The production app of a service on a real local port.

use std::net::TcpListener;

use actix_web::dev::ServerHandle;
use runtime::Settings;
use web::{AppState, Service};

use crate::proxy::{TcpProxy, redirect_url, socket_address_of};
use crate::{TestDb, TestKv};

/// One running server of a service (one replica).
pub struct TestServer {
    pub base_url: String,
    pub host: String,
    pub client: reqwest::Client,
    pub state: AppState,
    service: Service,
    handle: ServerHandle,
}

/// A running service plus the stores it owns. Dropping it stops the server
/// and removes the database and keys. Derefs to its [`TestServer`].
pub struct TestApp {
    pub server: TestServer,
    pub db: TestDb,
    pub kv: TestKv,
    /// Present when built `through_proxies`: cut them to simulate outages.
    pub postgres_proxy: Option<TcpProxy>,
    pub redis_proxy: Option<TcpProxy>,
}

impl std::ops::Deref for TestApp {
    type Target = TestServer;

    fn deref(&self) -> &TestServer {
        &self.server
    }
}

pub struct TestAppBuilder {
    service: Service,
    through_proxies: bool,
    overrides: Vec<(&'static str, String)>,
}

impl TestAppBuilder {
    /// Reach PostgreSQL and Redis through [`TcpProxy`]s the test can cut.
    pub fn through_proxies(mut self) -> Self {
        self.through_proxies = true;
        self
    }

    /// Overrides several configuration keys.
    pub fn settings<K: Into<String>>(
        mut self,
        overrides: impl IntoIterator<Item = (&'static str, K)>,
    ) -> Self {
        self.overrides.extend(
            overrides
                .into_iter()
                .map(|(key, value)| (key, value.into())),
        );
        self
    }

    /// Overrides one configuration key (dotted path).
    pub fn setting(mut self, key: &'static str, value: impl Into<String>) -> Self {
        self.overrides.push((key, value.into()));
        self
    }

    pub async fn spawn(self) -> TestApp {
        let db = TestDb::new().await;
        let kv = TestKv::new();
        let (database_url, redis_url, postgres_proxy, redis_proxy) = if self.through_proxies {
            let pg = TcpProxy::start(socket_address_of(db.url())).await;
            let redis = TcpProxy::start(socket_address_of(kv.url())).await;
            (
                redirect_url(db.url(), pg.address()),
                redirect_url(kv.url(), redis.address()),
                Some(pg),
                Some(redis),
            )
        } else {
            (db.url().to_owned(), kv.url().to_owned(), None, None)
        };
        let mut overrides = vec![
            ("smtp.url", crate::env::required_env("TEST_SMTP_URL")),
            ("database.url", database_url),
            ("redis.url", redis_url),
            ("redis.key_prefix", kv.prefix().to_owned()),
            ("objects.endpoint", crate::env::required_env("TEST_S3_URL")),
            (
                "objects.key_prefix",
                format!("t-{}/", uuid::Uuid::new_v4().simple()),
            ),
        ];
        overrides.extend(self.overrides);
        let settings = test_settings(&overrides);
        runtime::telemetry::init(&settings.telemetry);
        runtime::install_vault(&settings).expect("test vault");
        TestApp {
            server: TestServer::start(settings, self.service),
            db,
            kv,
            postgres_proxy,
            redis_proxy,
        }
    }
}

impl TestServer {
    fn start(settings: Settings, service: Service) -> Self {
        let service_settings = settings
            .service(service.settings_key)
            .cloned()
            .expect("service configured");
        let host = service_settings.hosts[0].clone();
        let state =
            AppState::new(settings, &service_settings, service.audience).expect("app state");
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind test port");
        let address = listener.local_addr().expect("test address");
        let server = web::server::server(state.clone(), service, listener).expect("server");
        let handle = server.handle();
        tokio::spawn(server);
        Self {
            base_url: format!("http://{address}"),
            host,
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("client"),
            state,
            service,
            handle,
        }
    }

    /// A request to `path` carrying this service's Host.
    pub fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.client
            .request(method, format!("{}{path}", self.base_url))
            .header(reqwest::header::HOST, &self.host)
    }

    pub fn get(&self, path: &str) -> reqwest::RequestBuilder {
        self.request(reqwest::Method::GET, path)
    }

    /// `GET path`, asserting 200, decoded as JSON.
    pub async fn get_json(&self, path: &str) -> serde_json::Value {
        let response = self.get(path).send().await.expect("request");
        assert_eq!(response.status(), reqwest::StatusCode::OK, "GET {path}");
        response.json().await.expect("JSON body")
    }

    pub fn post(&self, path: &str) -> reqwest::RequestBuilder {
        self.request(reqwest::Method::POST, path)
    }

    /// Stops accepting, lets in-flight requests finish (as on SIGTERM), and
    /// returns when the server has stopped.
    pub async fn shutdown(&self) {
        self.handle.stop(true).await;
    }

    /// Runs every queued job to completion, as the worker would; returns how
    /// many ran.
    pub async fn run_jobs(&self) -> usize {
        let context = &self.state.context;
        let worker = jobs::Worker::new(
            context.db.clone(),
            app::background::registry(context),
            jobs::Scheduler::default(),
            self.state.settings.worker.clone(),
        );
        let mut ran = 0;
        loop {
            match worker.run_once().await.expect("job round") {
                0 => return ran,
                batch => ran += batch,
            }
        }
    }

    pub fn server_handle(&self) -> ServerHandle {
        self.handle.clone()
    }

    /// Another service of the platform on the same stores (as the four APIs
    /// share one database and one Redis in production).
    pub fn sibling(&self, service: Service) -> TestServer {
        Self::start((*self.state.settings).clone(), service)
    }

    /// Another service on the same stores, its settings adjusted.
    pub fn sibling_with(&self, service: Service, adjust: impl FnOnce(&mut Settings)) -> TestServer {
        let mut settings = (*self.state.settings).clone();
        adjust(&mut settings);
        Self::start(settings, service)
    }

    /// Another replica of the same service on the same stores, with pools and
    /// connections of its own (as a second pod would have).
    pub fn replica(&self) -> TestServer {
        Self::start((*self.state.settings).clone(), self.service)
    }
}

/// The repository's `config/` for the `test` environment plus `overrides`.
pub fn test_settings(overrides: &[(&str, String)]) -> Settings {
    let dir = crate::env::repository_root().join("config");
    Settings::load_from(&dir, "test", overrides).expect("test settings")
}

impl TestApp {
    pub fn builder(service: Service) -> TestAppBuilder {
        TestAppBuilder {
            service,
            through_proxies: false,
            overrides: Vec::new(),
        }
    }

    pub async fn spawn(service: Service) -> Self {
        Self::builder(service).spawn().await
    }

    /// Moves the failed tries `subject` has under the throttle's `scope`
    /// (`mfa`, `current-password`...) `secs` into the past, as the clock
    /// would: the back-off is judged by Redis' own time, which a test cannot
    /// set.
    pub async fn age_failures(&self, scope: &str, subject: &str, secs: u64) {
        let kv = self.kv.handle();
        let key = kv.key(&format!("login-failures:{scope}:{subject}"));
        let millis = i64::try_from(secs * 1000).expect("a sane age");
        let _: i64 = redis::cmd("HINCRBY")
            .arg(&key)
            .arg("last_ms")
            .arg(-millis)
            .query_async(&mut kv.connection())
            .await
            .expect("age the failures");
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        // Stop without waiting; the pools are closed so the database can drop.
        drop(self.handle.stop(false));
        self.state.context.db.close();
    }
}
