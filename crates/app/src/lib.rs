#![doc = include_str!("../README.md")]

pub mod accounts;
pub mod background;
pub mod catalog;
mod context;
pub mod demo;
mod error;
pub mod identity;
pub mod limits;
mod mail_links;
pub mod passwords;
pub mod phone;
pub mod profile;
pub mod rotation;
pub mod security;
pub mod sessions;

pub use context::Context;
pub use error::AppError;
