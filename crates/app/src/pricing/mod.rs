//! Discounts a shopper brings to checkout: coupons and points.

pub mod coupons;
pub mod points;
