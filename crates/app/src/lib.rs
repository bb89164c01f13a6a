#![doc = include_str!("../README.md")]

pub mod accounts;
pub mod audit;
pub mod background;
pub mod catalog;
pub mod catalog_admin;
mod context;
pub mod demo;
pub mod email_change;
mod error;
pub mod identity;
pub mod identity_verification;
pub mod limits;
mod mail_links;
pub mod partners;
pub mod passwords;
pub mod personal_data;
pub mod phone;
pub mod product_moderation;
pub mod profile;
pub mod roles;
pub mod rotation;
mod sealed_kv;
pub mod security;
pub mod seller_applications;
pub mod seller_documents;
pub mod seller_products;
pub mod seller_profile;
pub mod sessions;
pub mod sso;
pub mod staff;
pub mod staff_access;
pub mod staff_passwords;
pub mod staff_sessions;

pub use context::Context;
pub use error::AppError;
