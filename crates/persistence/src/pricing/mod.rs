//! Coupons and the point ledger.

pub mod coupons;
pub mod points;
