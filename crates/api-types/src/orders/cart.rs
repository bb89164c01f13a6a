//! The shopper's cart, grouped by seller.

use app::catalog::browse::in_minor_units as won;
use app::orders::cart::CartView;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Serialize, ToSchema)]
pub struct CartLine {
    pub id: Uuid,
    pub sku_id: Uuid,
    pub product_id: Uuid,
    pub product_name: String,
    pub option_values: Vec<String>,
    pub quantity: i32,
    #[schema(value_type = String, example = "59000")]
    pub unit_list_price: Decimal,
    /// The unit price now (sale prices included).
    #[schema(value_type = String, example = "49000")]
    pub unit_price: Decimal,
    /// `true` when the price differs from when the line was added.
    pub price_changed: bool,
    /// `in_stock`, `low_stock` or `sold_out`.
    #[schema(example = "in_stock")]
    pub stock_state: crate::catalog::vocabulary::StockState,
    /// On sale, with enough stock for the quantity.
    pub purchasable: bool,
    #[schema(value_type = String, example = "98000")]
    pub line_amount: Decimal,
}

/// One vendor's lines: they ship together, for one shipping fee.
#[derive(Debug, Serialize, ToSchema)]
pub struct SellerGroup {
    pub seller_id: Uuid,
    pub seller_name: String,
    pub lines: Vec<CartLine>,
    #[schema(value_type = String)]
    pub items_amount: Decimal,
    /// To a mainland address; remote areas add the vendor's surcharge.
    #[schema(value_type = String, example = "3000")]
    pub shipping_fee: Decimal,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Cart {
    pub groups: Vec<SellerGroup>,
    #[schema(value_type = String)]
    pub items_amount: Decimal,
    #[schema(value_type = String)]
    pub shipping_fee: Decimal,
    /// Before coupons and points (see `POST /v1/checkout/quote`).
    #[schema(value_type = String)]
    pub total: Decimal,
}

impl From<CartView> for Cart {
    fn from(view: CartView) -> Self {
        Self {
            groups: view
                .groups
                .into_iter()
                .map(|g| SellerGroup {
                    seller_id: g.seller_id,
                    seller_name: g.seller_name,
                    lines: g
                        .lines
                        .into_iter()
                        .map(|l| CartLine {
                            id: l.id,
                            sku_id: l.sku_id,
                            product_id: l.product_id,
                            product_name: l.product_name,
                            option_values: l.option_values,
                            quantity: l.quantity,
                            unit_list_price: won(l.unit_list_price),
                            price_changed: l.unit_price != l.price_seen,
                            unit_price: won(l.unit_price),
                            stock_state: l.stock_state.into(),
                            purchasable: l.purchasable,
                            line_amount: won(l.line_amount),
                        })
                        .collect(),
                    items_amount: won(g.items_amount),
                    shipping_fee: won(g.shipping_fee),
                })
                .collect(),
            items_amount: won(view.items_amount),
            shipping_fee: won(view.shipping_fee),
            total: won(view.total),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddItem {
    pub sku_id: Uuid,
    #[schema(minimum = 1, maximum = 999, example = 1)]
    pub quantity: i32,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetQuantity {
    #[schema(minimum = 1, maximum = 999, example = 2)]
    pub quantity: i32,
}
