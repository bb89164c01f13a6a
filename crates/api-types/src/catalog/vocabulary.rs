//! A product's status, the stock a shopper sees, and why stock changed.

use crate::kernel::vocabulary::vocabulary;

vocabulary! {
    /// Where a product stands: `banned` is set by operations only.
    ProductStatus {
        Draft = "draft", OnSale = "on_sale", SoldOut = "sold_out", Hidden = "hidden",
        Banned = "banned",
    }
}

vocabulary! {
    /// How much of a SKU is left, as a shopper sees it.
    StockState {
        InStock = "in_stock", LowStock = "low_stock", SoldOut = "sold_out",
    }
}

impl From<app::catalog::browse::StockState> for StockState {
    fn from(state: app::catalog::browse::StockState) -> Self {
        match state {
            app::catalog::browse::StockState::InStock => Self::InStock,
            app::catalog::browse::StockState::LowStock => Self::LowStock,
            app::catalog::browse::StockState::SoldOut => Self::SoldOut,
        }
    }
}

vocabulary! {
    /// Why a vendor changes stock by hand (sales and cancellations come
    /// from orders).
    StockAdjustmentReason {
        Restock = "restock", Adjustment = "adjustment", Damaged = "damaged",
        Returned = "returned",
    }
}
