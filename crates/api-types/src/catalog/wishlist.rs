//! A shopper's wishlist.

use crate::catalog::views::ProductCard;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct Wishlist {
    /// Liked products still on the shelves, most recently liked first.
    pub items: Vec<ProductCard>,
}
