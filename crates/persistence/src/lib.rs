#![doc = include_str!("../README.md")]

pub mod audit;
pub mod brands;
pub mod catalog_listing;
pub mod categories;
pub mod db;
pub mod error;
pub mod jobs;
pub mod kv;
pub mod migrations;
pub mod objects;
pub mod partners;
pub mod passwords;
pub mod product_views;
pub mod products;
pub mod refresh_tokens;
pub mod restock;
pub mod roles;
pub mod rotation;
pub mod schema;
pub mod security;
pub mod sellers;
pub mod sso;
pub mod staff;
pub mod users;
pub mod wishlists;

pub use db::{Db, DbConnection, DbSettings};
pub use diesel_async::AsyncPgConnection;
pub use error::StoreError;
pub use kv::{Kv, KvSettings};
pub use objects::{ObjectStoreSettings, Objects};
