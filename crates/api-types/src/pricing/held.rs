//! A shopper's coupons and points.

use crate::pricing::coupons::Coupon;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// A coupon the member holds.
#[derive(Debug, Serialize, ToSchema)]
pub struct HeldCoupon {
    /// Give this id to checkout (`seller_coupon_ids`, `platform_coupon_id`).
    pub id: Uuid,
    pub expires_at: DateTime<Utc>,
    pub coupon: Coupon,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HeldCoupons {
    pub items: Vec<HeldCoupon>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Claimed {
    /// The held coupon's id.
    pub id: Uuid,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Redeem {
    #[schema(example = "WELCOME-2026")]
    pub code: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PointLot {
    #[schema(value_type = String)]
    pub remaining: Decimal,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PointEntry {
    /// `grant`, `spend` or `restore`.
    #[schema(value_type = super::vocabulary::PointEntryKind)]
    pub kind: String,
    /// Signed: spends are negative.
    #[schema(value_type = String, example = "-1000")]
    pub amount: Decimal,
    pub expires_at: Option<DateTime<Utc>>,
    pub purchase_order_id: Option<Uuid>,
    pub reason: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Points {
    #[schema(value_type = String, example = "3500")]
    pub balance: Decimal,
    /// Unexpired grants with what is left, soonest to expire first (spent
    /// in this order).
    pub lots: Vec<PointLot>,
    /// The latest 100 entries, newest first.
    pub ledger: Vec<PointEntry>,
}

crate::kernel::ledger::entry_from_ledger!(PointEntry);

impl From<app::pricing::points::PointsView> for Points {
    fn from(view: app::pricing::points::PointsView) -> Self {
        let lots = view.lots.into_iter().map(|lot| PointLot {
            remaining: app::catalog::browse::in_minor_units(lot.remaining),
            expires_at: lot.expires_at,
        });
        Self {
            balance: app::catalog::browse::in_minor_units(view.balance),
            lots: lots.collect(),
            ledger: view.history.into_iter().map(PointEntry::from).collect(),
        }
    }
}
