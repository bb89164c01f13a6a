//! A purchase order as a claim reads and rewrites it: its lines with their
//! shares and where they stand, its vendor orders with their shipping and
//! fees, and the coupons it used.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::StoreError;
use crate::pricing::coupons::CouponRow;
use crate::schema::{
    coupon_issues, coupons, product_orders, purchase_orders, seller_orders, sellers,
};

/// The order itself, locked while a claim is quoted or carried out.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = purchase_orders, check_for_backend(diesel::pg::Pg))]
pub struct ClaimedOrder {
    pub id: Uuid,
    pub order_no: String,
    pub buyer: String,
    pub user_id: Option<Uuid>,
    pub status: String,
    pub currency: String,
    pub payment_method: Option<String>,
    pub platform_coupon_discount: Decimal,
    pub platform_coupon_seller_funded: Decimal,
    pub platform_coupon_issue_id: Option<Uuid>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = product_orders, check_for_backend(diesel::pg::Pg))]
pub struct LineRow {
    pub id: Uuid,
    pub seller_order_id: Uuid,
    pub seller_id: Uuid,
    pub sku_id: Uuid,
    pub product_id: Uuid,
    pub product_name: String,
    pub option_values: Vec<Option<String>>,
    pub quantity: i32,
    pub status: String,
    pub list_amount: Decimal,
    pub product_discount: Decimal,
    pub seller_coupon_discount: Decimal,
    pub platform_coupon_discount: Decimal,
    pub platform_coupon_seller_funded: Decimal,
    pub points: Decimal,
    pub cash: Decimal,
    pub payable_amount: Decimal,
    pub seller_coupon_applies: bool,
    pub platform_coupon_applies: bool,
    pub claim_id: Option<Uuid>,
    pub shipped_at: Option<DateTime<Utc>>,
    pub delivered_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = seller_orders, check_for_backend(diesel::pg::Pg))]
pub struct VendorOrderRow {
    pub id: Uuid,
    pub seller_id: Uuid,
    pub items_amount: Decimal,
    pub shipping_fee: Decimal,
    pub shipping_points: Decimal,
    pub shipping_cash: Decimal,
    pub shipping_payable: Decimal,
    pub claim_fees: Decimal,
    pub claim_fees_points: Decimal,
    pub claim_fees_cash: Decimal,
    pub claim_fees_payable: Decimal,
    pub seller_coupon_issue_id: Option<Uuid>,
}

/// A vendor's shipping terms as they are now.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = sellers, check_for_backend(diesel::pg::Pg))]
pub struct ShippingTermsRow {
    pub id: Uuid,
    pub shipping_base_fee: Decimal,
    pub free_shipping_threshold: Option<Decimal>,
    pub return_fee: Decimal,
}

/// Everything a claim on one order reads.
pub struct OrderForClaim {
    pub order: ClaimedOrder,
    pub lines: Vec<LineRow>,
    pub vendors: Vec<VendorOrderRow>,
    pub terms: Vec<ShippingTermsRow>,
    /// The coupons the order used, by issue id.
    pub coupons: Vec<(Uuid, CouponRow)>,
}

/// The order, locked, if `buyer` (when given) placed it.
pub async fn lock(
    conn: &mut AsyncPgConnection,
    order_id: Uuid,
    buyer: Option<&str>,
) -> Result<Option<OrderForClaim>, StoreError> {
    let locked = match buyer {
        Some(buyer) => {
            purchase_orders::table
                .filter(purchase_orders::id.eq(order_id))
                .filter(purchase_orders::buyer.eq(buyer))
                .for_update()
                .select(ClaimedOrder::as_select())
                .first(conn)
                .await
        }
        None => {
            purchase_orders::table
                .find(order_id)
                .for_update()
                .select(ClaimedOrder::as_select())
                .first(conn)
                .await
        }
    };
    let Some(order) = locked.optional()? else {
        return Ok(None);
    };
    let order_id = order.id;
    // Locked too: a purchase confirmation waiting on a line sees the claim.
    let lines: Vec<LineRow> = product_orders::table
        .filter(product_orders::purchase_order_id.eq(order_id))
        .order(product_orders::id)
        .for_update()
        .select(LineRow::as_select())
        .load(conn)
        .await?;
    let vendors: Vec<VendorOrderRow> = seller_orders::table
        .filter(seller_orders::purchase_order_id.eq(order_id))
        .order(seller_orders::id)
        .select(VendorOrderRow::as_select())
        .load(conn)
        .await?;
    let terms: Vec<ShippingTermsRow> = sellers::table
        .filter(sellers::id.eq_any(vendors.iter().map(|v| v.seller_id)))
        .select(ShippingTermsRow::as_select())
        .load(conn)
        .await?;
    let issues: Vec<Uuid> = vendors
        .iter()
        .filter_map(|v| v.seller_coupon_issue_id)
        .chain(order.platform_coupon_issue_id)
        .collect();
    let coupons: Vec<(Uuid, CouponRow)> = coupon_issues::table
        .inner_join(coupons::table)
        .filter(coupon_issues::id.eq_any(issues))
        .select((coupon_issues::id, CouponRow::as_select()))
        .load(conn)
        .await?;
    Ok(Some(OrderForClaim {
        order,
        lines,
        vendors,
        terms,
        coupons,
    }))
}

/// The purchase order a product order belongs to.
pub async fn order_of_line(
    conn: &mut AsyncPgConnection,
    product_order_id: Uuid,
) -> Result<Option<Uuid>, StoreError> {
    Ok(product_orders::table
        .find(product_order_id)
        .select(product_orders::purchase_order_id)
        .first(conn)
        .await
        .optional()?)
}

/// A line's shares after a claim.
pub struct LineShares {
    pub id: Uuid,
    pub seller_coupon_discount: Decimal,
    pub platform_coupon_discount: Decimal,
    pub platform_coupon_seller_funded: Decimal,
    pub points: Decimal,
    pub cash: Decimal,
    pub payable_amount: Decimal,
}

/// Writes the shares of a line that stays in the order.
pub async fn set_line_shares(
    conn: &mut AsyncPgConnection,
    shares: &LineShares,
) -> Result<(), StoreError> {
    diesel::update(product_orders::table.find(shares.id))
        .set((
            product_orders::seller_coupon_discount.eq(shares.seller_coupon_discount),
            product_orders::platform_coupon_discount.eq(shares.platform_coupon_discount),
            product_orders::platform_coupon_seller_funded.eq(shares.platform_coupon_seller_funded),
            product_orders::points.eq(shares.points),
            product_orders::cash.eq(shares.cash),
            product_orders::payable_amount.eq(shares.payable_amount),
            product_orders::updated_at.eq(diesel::dsl::now),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// Takes lines out of the order: their shares stay as they were.
pub async fn close_lines(
    conn: &mut AsyncPgConnection,
    ids: &[Uuid],
    claim_id: Uuid,
    status: &str,
) -> Result<(), StoreError> {
    diesel::update(product_orders::table.filter(product_orders::id.eq_any(ids)))
        .filter(product_orders::claim_id.is_null())
        .set((
            product_orders::claim_id.eq(claim_id),
            product_orders::status.eq(status),
            product_orders::updated_at.eq(diesel::dsl::now),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// A vendor order's shipping and fees after a claim.
pub struct VendorShares {
    pub id: Uuid,
    pub shipping_fee: Decimal,
    pub shipping_points: Decimal,
    pub shipping_cash: Decimal,
    pub shipping_payable: Decimal,
    pub claim_fees: Decimal,
    pub claim_fees_points: Decimal,
    pub claim_fees_cash: Decimal,
    pub claim_fees_payable: Decimal,
}

pub async fn set_vendor_shares(
    conn: &mut AsyncPgConnection,
    shares: &VendorShares,
) -> Result<(), StoreError> {
    diesel::update(seller_orders::table.find(shares.id))
        .set((
            seller_orders::shipping_fee.eq(shares.shipping_fee),
            seller_orders::shipping_points.eq(shares.shipping_points),
            seller_orders::shipping_cash.eq(shares.shipping_cash),
            seller_orders::shipping_payable.eq(shares.shipping_payable),
            seller_orders::claim_fees.eq(shares.claim_fees),
            seller_orders::claim_fees_points.eq(shares.claim_fees_points),
            seller_orders::claim_fees_cash.eq(shares.claim_fees_cash),
            seller_orders::claim_fees_payable.eq(shares.claim_fees_payable),
            seller_orders::updated_at.eq(diesel::dsl::now),
        ))
        .execute(conn)
        .await?;
    Ok(())
}
