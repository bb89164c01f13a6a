#![doc = include_str!("../README.md")]
// A harness fails loudly: a broken fixture is a failed test.
#![expect(clippy::expect_used, reason = "test fixtures panic with a message")]

mod app;
pub mod catalog;
mod db;
pub mod doubles;
mod kv;
mod mail;
pub mod multipart;
mod openapi;
mod proxy;
pub mod routes;
pub mod shop;
pub mod shoppers;
pub mod smtp_sink;
pub mod staff;

use std::path::PathBuf;

pub use app::{TestApp, TestAppBuilder, TestServer};
pub use db::TestDb;
pub use kv::TestKv;
pub use mail::TestMail;
pub use openapi::assert_openapi_committed;
pub use proxy::{TcpProxy, redirect_url, socket_address_of};

/// The repository's root directory.
pub fn repository_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn required_env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!("{name} is not set: run the tests through scripts/test, or point {name} at a server")
    })
}
