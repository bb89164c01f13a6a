#![doc = include_str!("../README.md")]

pub mod calendar;
pub mod catalog;
pub mod claims;
pub mod fulfilment;
pub mod identity;
pub mod lots;
pub mod money;
pub mod pricing;
pub mod sellers;
pub mod settlement;
pub mod tenant;
pub mod wallet;
