//! Products, categories, brands, images, what shoppers browse, views,
//! reviews, wishlists and restock alerts.

pub mod brands;
pub mod categories;
pub mod listing;
pub mod popularity;
pub mod product_images;
pub mod products;
pub mod restock_alerts;
pub mod reviews;
pub mod wishlist;
