#![doc = include_str!("../README.md")]

pub mod catalog;
pub mod identity;
pub mod lots;
pub mod money;
pub mod points;
pub mod pricing;
pub mod seller;
pub mod wallet;
