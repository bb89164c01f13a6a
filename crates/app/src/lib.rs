#![doc = include_str!("../README.md")]

pub mod background;
pub mod catalog;
mod context;
pub mod demo;
mod error;

pub use context::Context;
pub use error::AppError;
