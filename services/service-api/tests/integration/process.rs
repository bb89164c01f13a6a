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
