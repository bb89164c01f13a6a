//! A claim priced on its locked order: the order as read, the request,
//! and the plan the quote gave.

use domain::claims::quote::{ClaimRequest, QuoteError, RefundPlan, Snapshot};
use domain::claims::reasons::{Kind, Reason};
use persistence::claims::orders::OrderForClaim;
use rust_decimal::Decimal;
use uuid::Uuid;

use super::snapshot::{MoneySources, currency_of, sources_in_money};
use crate::AppError;
use crate::kernel::FieldCode;

/// A claim priced before it is made.
pub struct QuoteView {
    pub kind: Kind,
    pub reason: Reason,
    pub purchase_order_id: Uuid,
    pub product_order_ids: Vec<Uuid>,
    /// What goes back to each source.
    pub refund: MoneySources,
    /// Coupon discount the order no longer has (the claimed items' shares,
    /// and any clawback of a coupon whose minimum the rest misses).
    pub coupon_released: Decimal,
    /// Shipping given back (negative: a fee the rest of the order now pays).
    pub shipping_released: Decimal,
    /// The vendor's return fee, taken from the refund.
    pub return_fee: Decimal,
    /// For an exchange: the other option and what it costs.
    pub exchange: Option<ExchangeView>,
}

/// The other option an exchange sends, and what is recorded about it.
#[derive(Debug, Clone)]
pub struct ExchangeView {
    pub sku_id: Uuid,
    /// The other option's price now less the price paid (per line, all units).
    pub price_difference: Decimal,
    /// Round-trip shipping the shopper owes for their own reasons.
    pub fee: Decimal,
}

/// A claim checked and priced on its locked order.
pub(super) struct Quoted {
    pub found: OrderForClaim,
    pub request: ClaimRequest,
    pub reason: Reason,
    pub plan: RefundPlan,
    pub shipping_released: i64,
    pub fees: i64,
    pub exchange: Option<super::exchanges::Exchange>,
}

impl Quoted {
    pub(super) fn view(&self) -> Result<QuoteView, AppError> {
        let currency = currency_of(&self.found)?;
        Ok(QuoteView {
            kind: self.request.kind,
            reason: self.reason,
            purchase_order_id: self.found.order.id,
            product_order_ids: self.request.lines.iter().copied().collect(),
            refund: sources_in_money(currency, self.plan.refund),
            coupon_released: currency
                .from_minor(self.plan.seller_coupon_released + self.plan.platform_coupon_released),
            shipping_released: currency.from_minor(self.shipping_released),
            return_fee: currency.from_minor(self.fees),
            exchange: self.exchange.as_ref().map(|e| ExchangeView {
                sku_id: e.option.id,
                price_difference: e.price_difference,
                fee: e.fee,
            }),
        })
    }
}

pub(super) fn quoted(
    found: OrderForClaim,
    snapshot: &Snapshot,
    request: ClaimRequest,
    reason: Reason,
    plan: RefundPlan,
) -> Quoted {
    let shipping_before: i64 = snapshot.vendors.iter().map(|v| v.shipping).sum();
    let shipping_after: i64 = plan.vendors.iter().map(|v| v.shipping).sum();
    let fees = plan.vendors.iter().map(|v| v.return_fee).sum();
    Quoted {
        found,
        request,
        reason,
        plan,
        shipping_released: shipping_before - shipping_after,
        fees,
        exchange: None,
    }
}

pub(super) fn quote_failure(error: QuoteError) -> AppError {
    match error {
        QuoteError::Inconsistent => AppError::internal("the order's amounts do not add up"),
        other => AppError::invalid(
            "product_order_ids",
            FieldCode::NotClaimable,
            other.to_string(),
        ),
    }
}
