#![doc = include_str!("../README.md")]

mod context;
mod published;
pub mod settings;
pub mod telemetry;

pub use context::{build_context, context_on, install_vault};
pub use settings::Settings;
