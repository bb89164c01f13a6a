//! The real binary: configuration from the environment, serving, and a clean
//! exit on SIGTERM.
#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use testkit::{TestDb, TestKv};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[tokio::test]
async fn serves_from_environment_configuration_and_stops_cleanly_on_sigterm() {
    let db = TestDb::new().await;
    let kv = TestKv::new();
    let port = free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_service-api"))
        .env("APP_ENV", "test")
        .env("APP_CONFIG_DIR", testkit::repository_root().join("config"))
        .env("APP__DATABASE__URL", db.url())
        .env("APP__REDIS__URL", kv.url())
        .env("APP__REDIS__KEY_PREFIX", kv.prefix())
        .env("APP__SERVICES__SERVICE_API__PORT", port.to_string())
        .env(
            "APP__SERVICES__SERVICE_API__HOSTS",
            "api.shop.example,api.localhost",
        )
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();

    let client = reqwest::Client::new();
    let url = format!("http://127.0.0.1:{port}/v1/categories");
    let started = Instant::now();
    let response = loop {
        match client
            .get(&url)
            .header("host", "api.shop.example")
            .send()
            .await
        {
            Ok(response) => break response,
            Err(_) if started.elapsed() < Duration::from_secs(20) => {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            Err(error) => panic!("service-api did not start: {error}"),
        }
    };
    assert_eq!(
        response.status(),
        reqwest::StatusCode::OK,
        "host list from the environment"
    );

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let exit = tokio::task::spawn_blocking(move || child.wait().unwrap());
    let status = tokio::time::timeout(Duration::from_secs(10), exit)
        .await
        .unwrap()
        .unwrap();
    assert!(status.success(), "exit status {status}");
}

/// The binary's exit and what it printed, run with `environment` as its
/// configuration and nothing else.
fn start_refused(environment: &[(&str, &str)]) -> String {
    let mut command = Command::new(env!("CARGO_BIN_EXE_service-api"));
    command
        .env_remove("APP_ENV")
        .env("APP_CONFIG_DIR", testkit::repository_root().join("config"));
    for (key, value) in environment {
        command.env(key, value);
    }
    let output = command.output().unwrap();
    assert!(!output.status.success(), "{environment:?} started");
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn refuses_to_start_where_it_does_not_know_where_it_runs() {
    let error = start_refused(&[]);
    assert!(error.starts_with("service-api: "), "{error}");
    assert!(error.contains("APP_ENV is not set"), "{error}");
    let error = start_refused(&[("APP_ENV", "prod")]);
    assert!(
        error.contains("APP_ENV=prod is not an environment"),
        "{error}"
    );
}

#[test]
fn production_refuses_the_repository_s_keys_and_placeholder_addresses() {
    // Nothing from the environment: the shared file's placeholder links.
    let error = start_refused(&[("APP_ENV", "production")]);
    assert!(error.contains(".localhost"), "{error}");
    // The development stack's database, named by the setting that holds it.
    let error = start_refused(&[
        ("APP_ENV", "production"),
        (
            "APP__AUTH__EMAIL_LINK_BASE_URL",
            "https://www.marketplace.kr",
        ),
        (
            "APP__DATABASE__URL",
            "postgres://postgres@127.0.0.1:55432/marketplace",
        ),
    ]);
    assert!(error.contains("database.url"), "{error}");
    assert!(error.contains("config/development.toml"), "{error}");
}
