//! The catalog: what shoppers browse, what vendors manage and operations
//! moderate, product images, popularity, reviews, wishlists and restock
//! alerts.

pub mod browse;
pub mod images;
pub mod jobs;
pub mod manage;
pub mod moderation;
pub mod popularity;
pub mod product_images;
pub mod restock_alerts;
pub mod reviews;
pub mod taxonomy;
pub mod wishlist;
