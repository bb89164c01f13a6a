//! Catalog rules: categories, products, options and SKUs, and reviews.

pub mod category;
pub mod product;
pub mod review;
