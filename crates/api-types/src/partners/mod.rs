//! The partners context on the wire.

pub mod management;
pub mod ping;
pub mod vocabulary;
