#![doc = include_str!("../README.md")]

pub mod catalog;
pub mod claims;
pub mod fulfilment;
pub mod identity;
pub mod infra;
pub mod kernel;
pub mod maintenance;
pub mod orders;
pub mod partners;
pub mod payments;
pub mod pricing;
pub mod schema;
pub mod sellers;
pub mod settlement;
pub mod staff;
pub mod wallet;

pub use diesel_async::AsyncPgConnection;
pub use infra::db::{Db, DbConnection, DbSettings, PlanCacheMode};
pub use infra::error::StoreError;
pub use infra::kv::{Kv, KvSettings};
pub use infra::objects::{ObjectStoreSettings, Objects};
