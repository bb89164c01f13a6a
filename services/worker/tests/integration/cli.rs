//! The command line, through the real binary: help, version, and a clear
//! refusal of what it does not know.
#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

use std::process::{Command, Output};

fn worker(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_worker"))
        .args(args)
        .env_remove("APP_ENV")
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn help_lists_every_command() {
    let output = worker(&["--help"]);
    assert!(output.status.success());
    let help = text(&output.stdout);
    for command in [
        "run",
        "migrate",
        "seed-demo",
        "create-admin",
        "totp-code",
        "generate-key",
        "catalog-sql",
        "check-orders",
        "release-expired",
        "reseal",
        "jobs",
    ] {
        assert!(help.contains(command), "{command} missing from:\n{help}");
    }
}

#[test]
fn each_command_has_its_usage() {
    let output = worker(&["jobs", "retry", "--help"]);
    assert!(output.status.success());
    assert!(text(&output.stdout).contains("Usage: worker jobs retry <ID>"));
    let output = worker(&["create-admin", "--help"]);
    assert!(text(&output.stdout).contains("Usage: worker create-admin <EMAIL> <NAME>"));
}

#[test]
fn version_is_the_package_version() {
    let output = worker(&["--version"]);
    assert!(output.status.success());
    assert_eq!(
        text(&output.stdout).trim(),
        format!("worker {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn an_unknown_command_or_argument_is_refused_with_the_reason() {
    for (args, reason) in [
        (&["frobnicate"][..], "unrecognized subcommand 'frobnicate'"),
        (&["jobs", "retry", "seven"][..], "invalid value 'seven'"),
        (&["create-admin", "ops@example.com"][..], "<NAME>"),
    ] {
        let output = worker(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let error = text(&output.stderr);
        assert!(error.contains(reason), "{args:?}: {error}");
        assert!(error.contains("try '--help'"), "{args:?}: {error}");
    }
}

#[test]
fn commands_that_need_no_stores_run_without_configuration() {
    let output = worker(&["generate-key"]);
    assert!(output.status.success());
    assert_eq!(text(&output.stdout).trim().len(), 44, "base64 of 32 bytes");
    let output = worker(&["totp-code", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"]);
    assert!(output.status.success());
    assert_eq!(text(&output.stdout).trim().len(), 6);
}

#[test]
fn commands_that_need_the_stores_refuse_an_unnamed_or_unknown_environment() {
    let output = worker(&["check-orders"]);
    assert!(!output.status.success());
    let error = text(&output.stderr);
    assert!(error.contains("APP_ENV is not set"), "{error}");
    let output = Command::new(env!("CARGO_BIN_EXE_worker"))
        .arg("check-orders")
        .env("APP_ENV", "prod")
        .env("APP_CONFIG_DIR", testkit::repository_root().join("config"))
        .output()
        .unwrap();
    assert!(!output.status.success());
    let error = text(&output.stderr);
    assert!(
        error.contains("APP_ENV=prod is not an environment"),
        "{error}"
    );
}
