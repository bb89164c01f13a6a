//! A stored order as the claims quote reads it, and a plan's amounts back
//! in money.

use domain::claims::quote::{CouponTerms, Line, Snapshot, Sources, VendorOrder};
use domain::money::Currency;
use persistence::claims::orders::OrderForClaim;
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::AppError;
use crate::pricing::coupons::to_domain;

pub(super) fn currency_of(found: &OrderForClaim) -> Result<Currency, AppError> {
    Currency::parse(&found.order.currency)
        .ok_or_else(|| AppError::internal("an order in a currency we do not settle in"))
}

pub(super) fn minor(currency: Currency, amount: Decimal) -> Result<i64, AppError> {
    currency
        .to_minor(amount)
        .ok_or_else(|| AppError::internal("an amount beyond the ledger's range"))
}

pub(super) fn sources_in_money(currency: Currency, sources: Sources) -> MoneySources {
    MoneySources {
        payable: currency.from_minor(sources.payable),
        points: currency.from_minor(sources.points),
        cash: currency.from_minor(sources.cash),
    }
}

/// Amounts per money source.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MoneySources {
    /// Through the payment provider.
    pub payable: Decimal,
    pub points: Decimal,
    pub cash: Decimal,
}

fn terms(
    found: &OrderForClaim,
    currency: Currency,
    issue: Option<Uuid>,
    granted: i64,
) -> Result<Option<CouponTerms>, AppError> {
    let Some(issue) = issue else {
        return Ok(None);
    };
    let (_, row) = found
        .coupons
        .iter()
        .find(|(id, _)| *id == issue)
        .ok_or_else(|| AppError::internal("an order's coupon is gone"))?;
    let coupon = to_domain(row);
    Ok(Some(CouponTerms {
        granted,
        min_purchase: minor(currency, coupon.min_purchase)?,
        benefit: coupon.benefit,
    }))
}

/// The order as it stands, in minor units.
pub(super) fn snapshot_of(found: &OrderForClaim) -> Result<Snapshot, AppError> {
    let currency = currency_of(found)?;
    let m = |amount: Decimal| minor(currency, amount);
    let mut lines = Vec::with_capacity(found.lines.len());
    for row in &found.lines {
        lines.push(Line {
            id: row.id,
            vendor_order: row.seller_order_id,
            sale_amount: m(row.list_amount - row.product_discount)?,
            seller_coupon: m(row.seller_coupon_discount)?,
            platform_coupon: m(row.platform_coupon_discount)?,
            platform_seller_funded: m(row.platform_coupon_seller_funded)?,
            sources: Sources {
                payable: m(row.payable_amount)?,
                points: m(row.points)?,
                cash: m(row.cash)?,
            },
            seller_coupon_applies: row.seller_coupon_applies,
            platform_coupon_applies: row.platform_coupon_applies,
            open: row.claim_id.is_none(),
            shipped: row.shipped_at.is_some() || row.delivered_at.is_some(),
        });
    }
    let mut vendors = Vec::with_capacity(found.vendors.len());
    for row in &found.vendors {
        let policy = found
            .terms
            .iter()
            .find(|t| t.id == row.seller_id)
            .ok_or_else(|| AppError::internal("a vendor order without its vendor"))?;
        // The discount the vendor coupon gave at checkout: the vendor
        // order's items after sale prices, less what remained after it.
        let sale: Decimal = found
            .lines
            .iter()
            .filter(|l| l.seller_order_id == row.id)
            .map(|l| l.list_amount - l.product_discount)
            .sum();
        let granted = m(sale - row.items_amount)?;
        vendors.push(VendorOrder {
            id: row.id,
            coupon: terms(found, currency, row.seller_coupon_issue_id, granted)?,
            shipping: m(row.shipping_fee)?,
            shipping_sources: Sources {
                payable: m(row.shipping_payable)?,
                points: m(row.shipping_points)?,
                cash: m(row.shipping_cash)?,
            },
            fees: m(row.claim_fees)?,
            fee_sources: Sources {
                payable: m(row.claim_fees_payable)?,
                points: m(row.claim_fees_points)?,
                cash: m(row.claim_fees_cash)?,
            },
            base_fee: m(policy.shipping_base_fee)?,
            free_from: policy.free_shipping_threshold.map(m).transpose()?,
            return_fee: m(policy.return_fee)?,
        });
    }
    let order = &found.order;
    Ok(Snapshot {
        currency,
        lines,
        vendors,
        platform_coupon: terms(
            found,
            currency,
            order.platform_coupon_issue_id,
            m(order.platform_coupon_discount)?,
        )?,
        platform_funding: (
            m(order.platform_coupon_seller_funded)?,
            m(order.platform_coupon_discount)?,
        ),
    })
}
