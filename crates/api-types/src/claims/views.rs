//! Claims as their readers see them.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use app::claims::requests::QuoteView;
use app::claims::views::ClaimView;

/// Which claims to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ClaimQuery {
    /// Only claims in this status.
    #[param(value_type = Option<super::vocabulary::ClaimStatus>)]
    pub status: Option<String>,
    /// Staff only: received claims past their statutory refund date (3
    /// business days after the item came back).
    pub refund_overdue: Option<bool>,
    /// The last claim id of the previous page.
    pub before: Option<Uuid>,
    /// 1 to 100 (default 20).
    pub limit: Option<i64>,
}

impl ClaimQuery {
    pub fn limit(&self) -> i64 {
        self.limit.unwrap_or(20).clamp(1, 100)
    }

    pub fn staff_filter(&self) -> app::claims::decisions::StaffFilter {
        app::claims::decisions::StaffFilter {
            status: self.status.clone(),
            refund_overdue: self.refund_overdue.unwrap_or(false),
            before: self.before,
        }
    }
}

/// What goes back to each source.
#[derive(Debug, Serialize, ToSchema)]
pub struct Refund {
    /// To the card (or other payment method) through its provider.
    #[schema(value_type = String, example = "89500")]
    pub card: Decimal,
    /// To the points ledger (expired points are granted again).
    #[schema(value_type = String, example = "0")]
    pub points: Decimal,
    /// To the cash wallet, charged and bonus to their own lots.
    #[schema(value_type = String, example = "0")]
    pub cash: Decimal,
    #[schema(value_type = String, example = "89500")]
    pub total: Decimal,
}

impl Refund {
    fn of(card: Decimal, points: Decimal, cash: Decimal) -> Self {
        Self {
            card: card.normalize(),
            points: points.normalize(),
            cash: cash.normalize(),
            total: (card + points + cash).normalize(),
        }
    }
}

/// A claim priced before it is made: what the claim gives back is exactly this.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClaimQuote {
    #[schema(value_type = super::vocabulary::ClaimKind)]
    pub kind: &'static str,
    #[schema(value_type = super::vocabulary::ClaimReason)]
    pub reason: &'static str,
    #[schema(value_type = super::vocabulary::ClaimFault)]
    pub fault: &'static str,
    pub purchase_order_id: Uuid,
    pub product_order_ids: Vec<Uuid>,
    pub refund: Refund,
    /// Coupon discount the order gives up: the claimed items' shares, and
    /// any clawback of a coupon whose minimum purchase the rest no longer reaches.
    #[schema(value_type = String, example = "10500")]
    pub coupon_released: Decimal,
    /// Shipping given back (negative: a fee the rest of the order now pays,
    /// having fallen below free shipping).
    #[schema(value_type = String, example = "0")]
    pub shipping_released: Decimal,
    /// The vendor's return fee, kept from the refund (the shopper's own reasons only).
    #[schema(value_type = String, example = "0")]
    pub return_fee: Decimal,
    /// An exchange's other option: nothing is refunded.
    pub exchange: Option<ExchangeTerms>,
}

/// What is recorded about an exchange (nothing is charged or refunded by it).
#[derive(Debug, Serialize, ToSchema)]
pub struct ExchangeTerms {
    /// The option sent instead.
    pub sku_id: Uuid,
    /// The option's price now less what was paid, all units (negative: it is cheaper).
    #[schema(value_type = String, example = "0")]
    pub price_difference: Decimal,
    /// Round-trip shipping the shopper owes for their own reasons.
    #[schema(value_type = String, example = "6000")]
    pub fee: Decimal,
}

impl From<QuoteView> for ClaimQuote {
    fn from(view: QuoteView) -> Self {
        Self {
            kind: view.kind.as_str(),
            reason: view.reason.as_str(),
            fault: view.reason.fault().as_str(),
            purchase_order_id: view.purchase_order_id,
            product_order_ids: view.product_order_ids,
            refund: Refund::of(view.refund.payable, view.refund.points, view.refund.cash),
            coupon_released: view.coupon_released.normalize(),
            shipping_released: view.shipping_released.normalize(),
            return_fee: view.return_fee.normalize(),
            exchange: view.exchange.map(|e| ExchangeTerms {
                sku_id: e.sku_id,
                price_difference: e.price_difference.normalize(),
                fee: e.fee.normalize(),
            }),
        }
    }
}

/// A claimed product order.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClaimLine {
    pub product_order_id: Uuid,
    pub seller_id: Uuid,
    pub product_name: String,
    pub quantity: i32,
    /// The returned units are on sale again.
    pub restocked: bool,
}

/// One card refund step, asked of the provider under its own key.
#[derive(Debug, Serialize, ToSchema)]
pub struct CardRefund {
    #[schema(value_type = String, example = "89500")]
    pub amount: Decimal,
    #[schema(value_type = super::vocabulary::CardRefundStatus)]
    pub status: String,
    /// The provider's code, when it refused.
    pub failure_code: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Claim {
    pub id: Uuid,
    pub purchase_order_id: Uuid,
    #[schema(value_type = super::vocabulary::ClaimKind)]
    pub kind: String,
    #[schema(value_type = super::vocabulary::ClaimReason)]
    pub reason: String,
    #[schema(value_type = super::vocabulary::ClaimFault)]
    pub fault: String,
    pub note: Option<String>,
    #[schema(value_type = super::vocabulary::ClaimStatus)]
    pub status: String,
    /// The vendor holds the refund back (`holdback_reason` says why).
    pub held_back: bool,
    pub holdback_reason: Option<String>,
    /// The vendor's note on approving or rejecting.
    pub decision_note: Option<String>,
    pub lines: Vec<ClaimLine>,
    /// What the claim gives back, as quoted when it was made.
    pub refund: Refund,
    #[schema(value_type = String, example = "0")]
    pub coupon_released: Decimal,
    #[schema(value_type = String, example = "0")]
    pub shipping_released: Decimal,
    #[schema(value_type = String, example = "0")]
    pub return_fee: Decimal,
    /// An exchange's other option and what is recorded about it.
    pub exchange: Option<ExchangeTerms>,
    #[schema(value_type = super::vocabulary::CardRefundState)]
    pub card_refund_status: &'static str,
    pub card_refunds: Vec<CardRefund>,
    pub received_at: Option<DateTime<Utc>>,
    /// The Korean date the refund is due by (3 business days after the item is back).
    pub refund_due: Option<NaiveDate>,
    /// Received, still not refunded (held back), and past `refund_due`.
    pub refund_overdue: bool,
    /// When the refund was made.
    pub completed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl From<ClaimView> for Claim {
    fn from(view: ClaimView) -> Self {
        let card_refund_status = view.card_refund_status();
        let refund_overdue = view.refund_overdue;
        let claim = view.claim;
        Self {
            id: claim.id,
            purchase_order_id: claim.purchase_order_id,
            kind: claim.kind,
            reason: claim.reason,
            fault: claim.fault,
            note: claim.note,
            status: claim.status,
            held_back: claim.held_back,
            holdback_reason: claim.holdback_reason,
            decision_note: claim.decision_note,
            lines: view
                .lines
                .into_iter()
                .map(|line| ClaimLine {
                    product_order_id: line.line.product_order_id,
                    seller_id: line.line.seller_id,
                    product_name: line.product_name,
                    quantity: line.quantity,
                    restocked: line.line.restocked,
                })
                .collect(),
            refund: Refund::of(claim.refund_payable, claim.refund_points, claim.refund_cash),
            coupon_released: (claim.seller_coupon_released + claim.platform_coupon_released)
                .normalize(),
            shipping_released: claim.shipping_released.normalize(),
            return_fee: claim.fees_kept.normalize(),
            exchange: claim.exchange_sku_id.map(|sku_id| ExchangeTerms {
                sku_id,
                price_difference: claim
                    .exchange_price_difference
                    .unwrap_or_default()
                    .normalize(),
                fee: claim.exchange_fee.unwrap_or_default().normalize(),
            }),
            card_refund_status,
            card_refunds: view
                .card_refunds
                .into_iter()
                .map(|step| CardRefund {
                    amount: step.amount.normalize(),
                    status: step.status,
                    failure_code: step.failure_code,
                })
                .collect(),
            received_at: claim.received_at,
            refund_due: claim.refund_due,
            refund_overdue,
            completed_at: claim.executed_at,
            created_at: claim.created_at,
        }
    }
}

/// A page of claims, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClaimPage {
    pub items: Vec<Claim>,
    /// Pass as `before` for the next page; absent on the last.
    pub next_before: Option<Uuid>,
}

impl ClaimPage {
    pub fn of(views: Vec<ClaimView>, limit: i64) -> Self {
        let full = i64::try_from(views.len()).unwrap_or(i64::MAX) >= limit;
        let items: Vec<Claim> = views.into_iter().map(Claim::from).collect();
        let next_before = if full {
            items.last().map(|c| c.id)
        } else {
            None
        };
        Self { items, next_before }
    }
}
