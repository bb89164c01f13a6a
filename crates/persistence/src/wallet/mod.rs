//! The cash wallet's lots, entries, charges and refunds.

pub mod cash;
pub mod refunds;
