//! Catalog rules: categories now; products, options and SKUs as they come.

pub mod category;
pub mod product;
