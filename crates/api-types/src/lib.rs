#![doc = include_str!("../README.md")]

pub mod catalog;
pub mod claims;
pub mod fulfilment;
pub mod identity;
pub mod kernel;
pub mod orders;
pub mod partners;
pub mod payments;
pub mod pricing;
pub mod sellers;
pub mod settlement;
pub mod staff;
pub mod wallet;
