#![doc = include_str!("../README.md")]
// A harness fails loudly: a broken fixture is a failed test.
#![expect(clippy::expect_used, reason = "test fixtures panic with a message")]

mod app;
pub mod catalog;
mod db;
pub mod doubles;
mod env;
mod kv;
mod mail;
pub mod multipart;
mod openapi;
pub mod partners;
mod proxy;
pub mod routes;
mod send_json;
pub mod shop;
pub mod shoppers;
pub mod smtp_sink;
pub mod staff;

pub use app::{TestApp, TestAppBuilder, TestServer, test_settings};
pub use db::TestDb;
pub use env::repository_root;
pub use kv::TestKv;
pub use mail::TestMail;
pub use openapi::assert_openapi_committed;
pub use proxy::{TcpProxy, redirect_url, socket_address_of};
pub use send_json::{FreshKey, SendJson};
