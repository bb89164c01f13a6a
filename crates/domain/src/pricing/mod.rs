//! Pricing: coupon rules, remote-area shipping, the staged pricing engine and
//! the exact allocation of every order-level amount to the items.

pub mod allocation;
pub mod coupon;
pub mod points;
pub mod quote;
pub mod remote_area;

#[cfg(test)]
mod quote_tests;
