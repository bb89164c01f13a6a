#![doc = include_str!("../README.md")]

pub mod email;
pub mod identity;
pub mod sms;
pub mod sso;
