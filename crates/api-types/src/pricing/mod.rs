//! The pricing context on the wire.

pub mod coupons;
pub mod held;
pub mod vocabulary;
