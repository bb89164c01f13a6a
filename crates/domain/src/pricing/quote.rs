//! The pricing engine: from cart items, coupons, points and cash to every
//! amount of the three order tiers.
//!
//! Stages, in order: (1) each SKU's sale price inside its window; (2) one
//! vendor coupon per vendor order, vendor-funded; (3) one platform coupon per
//! order, platform-funded or split with vendors; shipping per vendor order on
//! the amount after stages 1–2; (4) points; (5) cash. Every order-level amount
//! is spread over the items (points and cash also over shipping) by
//! [`allocate`], so each source sums exactly over the items and shipping.
//!
//! Stacking: a vendor coupon and the platform coupon stack unless the platform
//! coupon says otherwise; never two vendor coupons on one vendor order, never
//! two platform coupons, never one coupon twice.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use uuid::Uuid;

use super::allocation::allocate;
use super::coupon::{Coupon, Funding, ItemFacts};
use crate::catalog::product::Pricing;
use crate::money::Currency;
use crate::sellers::shipping::ShippingPolicy;

/// One cart line going into the engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub sku_id: Uuid,
    pub product_id: Uuid,
    pub seller_id: Uuid,
    /// The product's category and its ancestors.
    pub category_path: Vec<i64>,
    pub pricing: Pricing,
    pub quantity: u32,
}

/// Everything the engine prices.
#[derive(Debug, Clone)]
pub struct QuoteRequest {
    pub currency: Currency,
    pub now: DateTime<Utc>,
    pub items: Vec<Item>,
    /// Every vendor with items in the order, with its shipping policy.
    pub shipping_policies: BTreeMap<Uuid, ShippingPolicy>,
    pub remote_area: bool,
    pub seller_coupons: Vec<Coupon>,
    pub platform_coupon: Option<Coupon>,
    pub points: Decimal,
    pub points_balance: Decimal,
    pub cash: Decimal,
    pub cash_balance: Decimal,
}

/// One item's amounts; `list_amount` is exactly the sum of the discounts,
/// points, cash and `payable`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemQuote {
    pub sku_id: Uuid,
    pub seller_id: Uuid,
    pub quantity: u32,
    pub unit_list_price: Decimal,
    pub unit_price: Decimal,
    pub list_amount: Decimal,
    pub product_discount: Decimal,
    pub seller_coupon_discount: Decimal,
    pub platform_coupon_discount: Decimal,
    /// The vendor-funded part of `platform_coupon_discount`.
    pub platform_coupon_seller_funded: Decimal,
    pub points: Decimal,
    pub cash: Decimal,
    pub payable: Decimal,
    /// Whether the vendor coupon, the platform coupon, counted this item
    /// towards its minimum (a claim prices them again on what remains).
    pub seller_coupon_applies: bool,
    pub platform_coupon_applies: bool,
}

/// One vendor order's amounts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SellerQuote {
    pub seller_id: Uuid,
    pub seller_coupon_id: Option<Uuid>,
    /// After sale prices and the vendor coupon: what shipping is free from.
    pub items_amount: Decimal,
    pub shipping_fee: Decimal,
    pub shipping_points: Decimal,
    pub shipping_cash: Decimal,
    pub shipping_payable: Decimal,
}

/// The order's total for each money source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Totals {
    pub list_amount: Decimal,
    pub product_discount: Decimal,
    pub seller_coupon_discount: Decimal,
    pub platform_coupon_discount: Decimal,
    pub platform_coupon_seller_funded: Decimal,
    pub shipping_fee: Decimal,
    pub points: Decimal,
    pub cash: Decimal,
    /// Left to pay through the payment provider.
    pub payable: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    pub items: Vec<ItemQuote>,
    /// Ordered by vendor id.
    pub sellers: Vec<SellerQuote>,
    pub platform_coupon_id: Option<Uuid>,
    pub totals: Totals,
}

/// Why a coupon cannot be used in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CouponRefusal {
    NotValidNow,
    BelowMinimum,
    NothingEligible,
    /// A platform coupon given as a vendor coupon or the other way round.
    WrongKind,
    /// A second vendor coupon for the same vendor order.
    OnePerSellerOrder,
    /// The platform coupon does not stack with vendor coupons.
    NotStackable,
    UsedTwice,
}

impl CouponRefusal {
    pub fn describe(self) -> &'static str {
        match self {
            Self::NotValidNow => "the coupon is not valid now",
            Self::BelowMinimum => "the eligible amount is below the coupon's minimum purchase",
            Self::NothingEligible => "no item in the order is covered by the coupon",
            Self::WrongKind => "the coupon is not of this kind",
            Self::OnePerSellerOrder => "only one vendor coupon applies per vendor order",
            Self::NotStackable => "the platform coupon cannot be combined with vendor coupons",
            Self::UsedTwice => "a coupon can be used once per order",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QuoteError {
    #[error("the order has no items")]
    Empty,
    #[error("item {0}: quantity must be at least 1")]
    Quantity(Uuid),
    #[error("item {0} appears twice")]
    DuplicateItem(Uuid),
    #[error("vendor {0} has no shipping policy")]
    NoShippingPolicy(Uuid),
    #[error("the amounts are too large")]
    TooLarge,
    #[error("coupon {coupon_id}: {}", reason.describe())]
    Coupon {
        coupon_id: Uuid,
        reason: CouponRefusal,
    },
    #[error("{field}: must be a non-negative amount in whole units")]
    Amount { field: &'static str },
    #[error("points: only {balance} available")]
    PointsInsufficient { balance: Decimal },
    #[error("points: at most {max} can be used on this order")]
    PointsExceedPayable { max: Decimal },
    #[error("cash: only {balance} available")]
    CashInsufficient { balance: Decimal },
    #[error("cash: at most {max} can be used on this order")]
    CashExceedsPayable { max: Decimal },
}

/// Where points and cash can go: an item or a vendor order's shipping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Target {
    Item(Uuid),
    Shipping(Uuid),
}

struct Working {
    list_amount: i64,
    product_discount: i64,
    seller_coupon: i64,
    platform_coupon: i64,
    platform_seller_funded: i64,
    points: i64,
    cash: i64,
    /// Still to pay after the stages so far.
    remaining: i64,
    seller_coupon_applies: bool,
    platform_coupon_applies: bool,
}

struct ShippingWorking {
    items_amount: i64,
    fee: i64,
    points: i64,
    cash: i64,
    coupon_id: Option<Uuid>,
}

fn units(currency: Currency, amount: Decimal) -> Result<i64, QuoteError> {
    currency.to_minor(amount).ok_or(QuoteError::TooLarge)
}

fn request_amount(
    currency: Currency,
    field: &'static str,
    amount: Decimal,
) -> Result<i64, QuoteError> {
    if amount.is_sign_negative() && !amount.is_zero() || !currency.is_whole(amount) {
        return Err(QuoteError::Amount { field });
    }
    units(currency, amount)
}

fn coupon_error(coupon: &Coupon, reason: CouponRefusal) -> QuoteError {
    QuoteError::Coupon {
        coupon_id: coupon.id,
        reason,
    }
}

fn facts(item: &Item) -> ItemFacts<'_> {
    ItemFacts {
        product_id: item.product_id,
        seller_id: item.seller_id,
        category_path: &item.category_path,
    }
}

/// Applies one coupon to the items it covers (`candidates`), in place.
fn apply_coupon(
    request: &QuoteRequest,
    coupon: &Coupon,
    candidates: &[usize],
    working: &mut [Working],
    record: impl Fn(&mut Working, i64),
) -> Result<Vec<(usize, i64)>, QuoteError> {
    let currency = request.currency;
    if !coupon.is_valid_at(request.now) {
        return Err(coupon_error(coupon, CouponRefusal::NotValidNow));
    }
    let eligible: Vec<usize> = candidates
        .iter()
        .copied()
        .filter(|&i| coupon.covers(facts(&request.items[i])) && working[i].remaining > 0)
        .collect();
    if eligible.is_empty() {
        return Err(coupon_error(coupon, CouponRefusal::NothingEligible));
    }
    let eligible_amount: i64 = eligible.iter().map(|&i| working[i].remaining).sum();
    if eligible_amount < units(currency, coupon.min_purchase)? {
        return Err(coupon_error(coupon, CouponRefusal::BelowMinimum));
    }
    let discount = coupon.discount_on(currency, eligible_amount);
    let weights: Vec<(Uuid, i64)> = eligible
        .iter()
        .map(|&i| (request.items[i].sku_id, working[i].remaining))
        .collect();
    let shares = allocate(discount, &weights).map_err(|_| QuoteError::TooLarge)?;
    let mut applied = Vec::with_capacity(eligible.len());
    for (&i, share) in eligible.iter().zip(shares) {
        working[i].remaining -= share;
        record(&mut working[i], share);
        applied.push((i, share));
    }
    Ok(applied)
}

/// Prices an order. Pure: the same request always gives the same quote,
/// whatever the order of its items.
pub fn quote(request: &QuoteRequest) -> Result<Quote, QuoteError> {
    let currency = request.currency;
    if request.items.is_empty() {
        return Err(QuoteError::Empty);
    }
    let mut seen = BTreeSet::new();
    for item in &request.items {
        if item.quantity == 0 {
            return Err(QuoteError::Quantity(item.sku_id));
        }
        if !seen.insert(item.sku_id) {
            return Err(QuoteError::DuplicateItem(item.sku_id));
        }
    }

    // (1) Sale prices.
    let mut working = Vec::with_capacity(request.items.len());
    for item in &request.items {
        let quantity = i64::from(item.quantity);
        let list = units(currency, item.pricing.list_price)?
            .checked_mul(quantity)
            .ok_or(QuoteError::TooLarge)?;
        let sale = units(currency, item.pricing.effective_at(request.now))?
            .checked_mul(quantity)
            .ok_or(QuoteError::TooLarge)?;
        working.push(Working {
            list_amount: list,
            product_discount: list - sale,
            seller_coupon: 0,
            platform_coupon: 0,
            platform_seller_funded: 0,
            points: 0,
            cash: 0,
            remaining: sale,
            seller_coupon_applies: false,
            platform_coupon_applies: false,
        });
    }

    let mut shipping: BTreeMap<Uuid, ShippingWorking> = BTreeMap::new();
    for item in &request.items {
        if !request.shipping_policies.contains_key(&item.seller_id) {
            return Err(QuoteError::NoShippingPolicy(item.seller_id));
        }
        shipping.entry(item.seller_id).or_insert(ShippingWorking {
            items_amount: 0,
            fee: 0,
            points: 0,
            cash: 0,
            coupon_id: None,
        });
    }

    // (2) Vendor coupons, one per vendor order.
    let mut used = BTreeSet::new();
    for coupon in &request.seller_coupons {
        let Funding::Seller(seller_id) = coupon.funding else {
            return Err(coupon_error(coupon, CouponRefusal::WrongKind));
        };
        if !used.insert(coupon.id) {
            return Err(coupon_error(coupon, CouponRefusal::UsedTwice));
        }
        let Some(order) = shipping.get_mut(&seller_id) else {
            return Err(coupon_error(coupon, CouponRefusal::NothingEligible));
        };
        if order.coupon_id.replace(coupon.id).is_some() {
            return Err(coupon_error(coupon, CouponRefusal::OnePerSellerOrder));
        }
        let candidates: Vec<usize> = (0..request.items.len())
            .filter(|&i| request.items[i].seller_id == seller_id)
            .collect();
        apply_coupon(request, coupon, &candidates, &mut working, |w, share| {
            w.seller_coupon += share;
            w.seller_coupon_applies = true;
        })?;
    }

    // Shipping on the amount after sales and vendor coupons.
    for (seller_id, order) in &mut shipping {
        order.items_amount = request
            .items
            .iter()
            .zip(&working)
            .filter(|(item, _)| item.seller_id == *seller_id)
            .map(|(_, w)| w.remaining)
            .sum();
        let policy = &request.shipping_policies[seller_id];
        let fee = policy.fee(currency.from_minor(order.items_amount), request.remote_area);
        order.fee = units(currency, fee)?;
    }

    // (3) One platform coupon.
    if let Some(coupon) = &request.platform_coupon {
        let Funding::Platform {
            seller_share_percent,
        } = coupon.funding
        else {
            return Err(coupon_error(coupon, CouponRefusal::WrongKind));
        };
        if used.contains(&coupon.id) {
            return Err(coupon_error(coupon, CouponRefusal::UsedTwice));
        }
        if !coupon.stacks_with_seller_coupons && !request.seller_coupons.is_empty() {
            return Err(coupon_error(coupon, CouponRefusal::NotStackable));
        }
        let candidates: Vec<usize> = (0..request.items.len()).collect();
        let applied = apply_coupon(request, coupon, &candidates, &mut working, |w, share| {
            w.platform_coupon += share;
            w.platform_coupon_applies = true;
        })?;
        let discount: i64 = applied.iter().map(|(_, share)| share).sum();
        let seller_funded = currency
            .from_minor(discount)
            .checked_mul(seller_share_percent)
            .ok_or(QuoteError::TooLarge)?
            / Decimal::ONE_HUNDRED;
        let seller_funded = units(
            currency,
            seller_funded.round_dp_with_strategy(
                currency.minor_unit_scale(),
                rust_decimal::RoundingStrategy::ToZero,
            ),
        )?;
        let weights: Vec<(Uuid, i64)> = applied
            .iter()
            .map(|&(i, share)| (request.items[i].sku_id, share))
            .collect();
        let parts = allocate(seller_funded, &weights).map_err(|_| QuoteError::TooLarge)?;
        for (&(i, _), part) in applied.iter().zip(parts) {
            working[i].platform_seller_funded = part;
        }
    }

    // (4) Points and (5) cash over the items and shipping.
    let points = request_amount(currency, "points", request.points)?;
    if points > request_amount(currency, "points", request.points_balance)? {
        return Err(QuoteError::PointsInsufficient {
            balance: request.points_balance,
        });
    }
    spend(
        request,
        &mut working,
        &mut shipping,
        points,
        |max| QuoteError::PointsExceedPayable { max },
        |w, share| w.points += share,
        |s, share| s.points += share,
    )?;
    let cash = request_amount(currency, "cash", request.cash)?;
    if cash > request_amount(currency, "cash", request.cash_balance)? {
        return Err(QuoteError::CashInsufficient {
            balance: request.cash_balance,
        });
    }
    spend(
        request,
        &mut working,
        &mut shipping,
        cash,
        |max| QuoteError::CashExceedsPayable { max },
        |w, share| w.cash += share,
        |s, share| s.cash += share,
    )?;

    Ok(assemble(request, &working, &shipping))
}

/// Spreads an amount paid from a balance over everything still to pay.
fn spend(
    request: &QuoteRequest,
    working: &mut [Working],
    shipping: &mut BTreeMap<Uuid, ShippingWorking>,
    amount: i64,
    too_much: impl Fn(Decimal) -> QuoteError,
    on_item: impl Fn(&mut Working, i64),
    on_shipping: impl Fn(&mut ShippingWorking, i64),
) -> Result<(), QuoteError> {
    if amount == 0 {
        return Ok(());
    }
    let mut targets: Vec<(Target, i64)> = request
        .items
        .iter()
        .zip(working.iter())
        .map(|(item, w)| (Target::Item(item.sku_id), w.remaining))
        .collect();
    targets.extend(
        shipping
            .iter()
            .map(|(seller, s)| (Target::Shipping(*seller), s.fee - s.points - s.cash)),
    );
    let payable: i64 = targets.iter().map(|(_, left)| left).sum();
    if amount > payable {
        return Err(too_much(request.currency.from_minor(payable)));
    }
    let shares = allocate(amount, &targets).map_err(|_| QuoteError::TooLarge)?;
    for ((target, _), share) in targets.iter().zip(shares) {
        match target {
            Target::Item(sku_id) => {
                if let Some(i) = request.items.iter().position(|item| item.sku_id == *sku_id) {
                    working[i].remaining -= share;
                    on_item(&mut working[i], share);
                }
            }
            Target::Shipping(seller) => {
                if let Some(s) = shipping.get_mut(seller) {
                    on_shipping(s, share);
                }
            }
        }
    }
    Ok(())
}

fn assemble(
    request: &QuoteRequest,
    working: &[Working],
    shipping: &BTreeMap<Uuid, ShippingWorking>,
) -> Quote {
    let money = |units: i64| request.currency.from_minor(units);
    let items: Vec<ItemQuote> = request
        .items
        .iter()
        .zip(working)
        .map(|(item, w)| ItemQuote {
            sku_id: item.sku_id,
            seller_id: item.seller_id,
            quantity: item.quantity,
            unit_list_price: item.pricing.list_price,
            unit_price: item.pricing.effective_at(request.now),
            list_amount: money(w.list_amount),
            product_discount: money(w.product_discount),
            seller_coupon_discount: money(w.seller_coupon),
            platform_coupon_discount: money(w.platform_coupon),
            platform_coupon_seller_funded: money(w.platform_seller_funded),
            points: money(w.points),
            cash: money(w.cash),
            payable: money(w.remaining),
            seller_coupon_applies: w.seller_coupon_applies,
            platform_coupon_applies: w.platform_coupon_applies,
        })
        .collect();
    let sellers: Vec<SellerQuote> = shipping
        .iter()
        .map(|(seller_id, s)| SellerQuote {
            seller_id: *seller_id,
            seller_coupon_id: s.coupon_id,
            items_amount: money(s.items_amount),
            shipping_fee: money(s.fee),
            shipping_points: money(s.points),
            shipping_cash: money(s.cash),
            shipping_payable: money(s.fee - s.points - s.cash),
        })
        .collect();
    let sum = |f: fn(&Working) -> i64| money(working.iter().map(f).sum());
    let ship = |f: fn(&ShippingWorking) -> i64| money(shipping.values().map(f).sum());
    let totals = Totals {
        list_amount: sum(|w| w.list_amount),
        product_discount: sum(|w| w.product_discount),
        seller_coupon_discount: sum(|w| w.seller_coupon),
        platform_coupon_discount: sum(|w| w.platform_coupon),
        platform_coupon_seller_funded: sum(|w| w.platform_seller_funded),
        shipping_fee: ship(|s| s.fee),
        points: sum(|w| w.points) + ship(|s| s.points),
        cash: sum(|w| w.cash) + ship(|s| s.cash),
        payable: sum(|w| w.remaining) + ship(|s| s.fee - s.points - s.cash),
    };
    Quote {
        items,
        sellers,
        platform_coupon_id: request.platform_coupon.as_ref().map(|c| c.id),
        totals,
    }
}
