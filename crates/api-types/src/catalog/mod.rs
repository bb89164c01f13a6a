//! The catalog context on the wire.

pub mod browse;
pub mod images;
pub mod manage;
pub mod moderation;
pub mod reviews;
pub mod taxonomy;
pub mod views;
pub mod vocabulary;
pub mod wishlist;
