//! The wallet context on the wire.

pub mod cash;
pub mod vocabulary;
