#![doc = include_str!("../README.md")]

pub mod audience;

pub use audience::Audience;
