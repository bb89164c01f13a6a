#![doc = include_str!("../README.md")]

pub mod client_ip;
pub mod conditional;
mod cors;
pub mod coupon_handlers;
pub mod device;
pub mod error;
mod extractors;
mod fallback;
pub mod health;
pub mod honeypot;
pub mod idempotency;
pub mod metrics;
pub mod middleware;
pub mod openapi;
pub mod partner;
pub mod principal;
pub mod route_permissions;
mod route_sets;
pub mod server;
mod service;
pub mod session_info;
pub mod staff_auth;
pub mod state;
pub mod tokens;
pub mod upload;

pub use api_types::kernel::problem::{FieldError, ProblemDetails};
pub use error::ApiError;
pub use principal::{Authenticated, Staff};
pub use server::{build_app, run};
pub use service::Service;
pub use state::AppState;
