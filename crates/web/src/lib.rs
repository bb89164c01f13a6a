#![doc = include_str!("../README.md")]

pub mod catalog_views;
pub mod client_ip;
pub mod conditional;
pub mod coupon_views;
pub mod device;
pub mod double_option;
pub mod error;
mod extractors;
mod fallback;
pub mod health;
pub mod honeypot;
pub mod metrics;
pub mod middleware;
pub mod openapi;
pub mod order_views;
pub mod partner;
pub mod payment_views;
pub mod principal;
pub mod review_views;
pub mod route_permissions;
mod route_sets;
pub mod seller_views;
pub mod server;
mod service;
pub mod session_info;
pub mod staff_auth;
pub mod state;
pub mod tokens;
pub mod upload;

pub use error::{ApiError, FieldError, ProblemDetails};
pub use principal::{Authenticated, Staff};
pub use server::{build_app, run};
pub use service::Service;
pub use state::AppState;
