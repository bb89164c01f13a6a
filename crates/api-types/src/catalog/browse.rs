//! The shopper's product listing and product page.

use crate::catalog::views::{ProductCard, ProductImage};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ProductListQuery {
    /// The category and everything under it.
    pub category_id: Option<i64>,
    pub brand_id: Option<i64>,
    pub seller_id: Option<Uuid>,
    /// Bounds on the lowest current unit price (decimal strings).
    #[param(value_type = Option<String>)]
    pub min_price: Option<Decimal>,
    #[param(value_type = Option<String>)]
    pub max_price: Option<Decimal>,
    /// Only products with a sale running now.
    pub on_sale: Option<bool>,
    /// Only products with a SKU in stock.
    pub in_stock: Option<bool>,
    /// Words in the name, description or brand (Korean works as typed).
    pub q: Option<String>,
    /// `newest` (default), `price_asc`, `price_desc`, `popular`, `rating`.
    pub sort: Option<String>,
    /// Page mode: from 1, with the total count.
    pub page: Option<i64>,
    /// 1–100, default 20.
    pub size: Option<i64>,
    /// Cursor mode: `next_cursor` of the previous page (no total).
    pub cursor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProductList {
    pub items: Vec<ProductCard>,
    /// Page mode only.
    pub total: Option<i64>,
    pub page: Option<i64>,
    pub size: i64,
    /// Where the next page starts (absent on the last).
    pub next_cursor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OptionView {
    #[schema(example = "Colour")]
    pub name: String,
    pub values: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SkuOffer {
    pub id: Uuid,
    pub option_values: Vec<String>,
    #[schema(value_type = String, example = "49000")]
    pub price: Decimal,
    #[schema(value_type = String, example = "59000")]
    pub list_price: Decimal,
    /// `in_stock`, `low_stock` (five or fewer) or `sold_out`.
    #[schema(example = "in_stock")]
    pub stock: &'static str,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProductDetail {
    #[serde(flatten)]
    pub card: ProductCard,
    pub description: String,
    pub max_per_order: Option<i32>,
    pub options: Vec<OptionView>,
    pub skus: Vec<SkuOffer>,
    /// In display order; the URLs are valid for a few minutes.
    pub images: Vec<ProductImage>,
}
