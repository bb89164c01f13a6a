//! The payments context on the wire.

pub mod flows;
pub mod views;
pub mod vocabulary;
pub mod webhooks;
