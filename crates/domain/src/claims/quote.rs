//! What a claim gives back, to the won and per source, before anything
//! happens. Pure: the app quotes with it, shows the plan, and executes
//! exactly the plan.
//!
//! The rule is to price again what remains. The lines still kept, at their
//! sale prices, get their coupons again on what is left of the eligible
//! amount; each vendor order its shipping charge again; the fees this claim
//! costs the shopper are added. What the order still holds beyond that cost
//! goes back, taken from the sources in reverse order of use: the card
//! first, then cash, then points.
//!
//! A coupon whose minimum purchase the remainder no longer reaches keeps
//! only the part of its discount the remainder earns: `granted × remaining ÷
//! minimum` (rounded up, in the shopper's favour). That is the rule
//! — `(minimum − remaining) ÷ minimum` of it given back the first time,
//! then `refunded ÷ minimum` for each later claim — written once for the
//! state the order is in, so a sequence of claims gives the same answer as
//! one claim of them all.
//!
//! Shipping: a vendor order with nothing left that never shipped gives its
//! fee back; one whose items came back gives it back only when the vendor or
//! carrier was at fault; one still with items keeps its charge, except that a
//! shopper's own claim which takes it below its free-shipping threshold
//! brings back the fee it was spared. A shopper's own return also pays the
//! vendor's return fee. Fees never exceed what would otherwise go back.
//!
//! Every amount is kept on the lines, shipping and fees that remain, each
//! tier spread again by largest remainder, so every tier still sums to the
//! order's total minus what the claims gave back.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::reasons::{Fault, Kind};
use crate::money::Currency;
use crate::pricing::allocation::allocate;
use crate::pricing::coupon::Benefit;

/// Minor-unit amounts per money source.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sources {
    /// Through the payment provider.
    pub payable: i64,
    pub points: i64,
    pub cash: i64,
}

impl Sources {
    pub fn total(self) -> i64 {
        self.payable + self.points + self.cash
    }

    pub fn plus(self, other: Sources) -> Sources {
        Sources {
            payable: self.payable + other.payable,
            points: self.points + other.points,
            cash: self.cash + other.cash,
        }
    }

    pub fn minus(self, other: Sources) -> Sources {
        Sources {
            payable: self.payable - other.payable,
            points: self.points - other.points,
            cash: self.cash - other.cash,
        }
    }

    fn is_non_negative(self) -> bool {
        self.payable >= 0 && self.points >= 0 && self.cash >= 0
    }
}

/// A coupon as the order got it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CouponTerms {
    /// The discount granted at checkout.
    pub granted: i64,
    pub min_purchase: i64,
    pub benefit: Benefit,
}

impl CouponTerms {
    /// The discount `eligible` still earns: never more than was granted or
    /// than the benefit gives on it, and pro rata below the minimum.
    pub fn earned_on(&self, currency: Currency, eligible: i64) -> i64 {
        if eligible <= 0 {
            return 0;
        }
        let mut earned = self
            .granted
            .min(self.benefit.discount_on(currency, eligible));
        if eligible < self.min_purchase {
            let numerator = i128::from(self.granted) * i128::from(eligible);
            let minimum = i128::from(self.min_purchase);
            let pro_rata = (numerator + minimum - 1) / minimum;
            earned = earned.min(i64::try_from(pro_rata).unwrap_or(i64::MAX));
        }
        earned
    }
}

/// One product order as it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub id: Uuid,
    pub vendor_order: Uuid,
    /// The amount after the sale price, what coupons are taken from.
    pub sale_amount: i64,
    pub seller_coupon: i64,
    pub platform_coupon: i64,
    /// The vendor-funded part of `platform_coupon`.
    pub platform_seller_funded: i64,
    pub sources: Sources,
    pub seller_coupon_applies: bool,
    pub platform_coupon_applies: bool,
    /// Not cancelled or returned by an earlier claim.
    pub open: bool,
    /// Has left the vendor.
    pub shipped: bool,
}

impl Line {
    /// What the line costs the shopper now.
    pub fn cost(&self) -> i64 {
        self.sale_amount - self.seller_coupon - self.platform_coupon
    }
}

/// One vendor order as it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VendorOrder {
    pub id: Uuid,
    pub coupon: Option<CouponTerms>,
    /// The shipping charge and the sources paying it.
    pub shipping: i64,
    pub shipping_sources: Sources,
    /// Fees earlier claims kept for the vendor, and their sources.
    pub fees: i64,
    pub fee_sources: Sources,
    pub base_fee: i64,
    pub free_from: Option<i64>,
    pub return_fee: i64,
}

/// A purchase order as the claim finds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    pub currency: Currency,
    pub lines: Vec<Line>,
    pub vendors: Vec<VendorOrder>,
    pub platform_coupon: Option<CouponTerms>,
    /// Per won of platform coupon discount, how much vendors fund: the
    /// order's `(seller funded, granted)`.
    pub platform_funding: (i64, i64),
}

impl Snapshot {
    /// What the order still holds, per source.
    pub fn held(&self) -> Sources {
        let lines = self
            .lines
            .iter()
            .filter(|line| line.open)
            .fold(Sources::default(), |sum, line| sum.plus(line.sources));
        self.vendors.iter().fold(lines, |sum, vendor| {
            sum.plus(vendor.shipping_sources).plus(vendor.fee_sources)
        })
    }
}

/// The claim being quoted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimRequest {
    pub kind: Kind,
    pub fault: Fault,
    pub lines: BTreeSet<Uuid>,
}

/// A line after the claim (claimed lines: every share zero).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineAfter {
    pub id: Uuid,
    pub seller_coupon: i64,
    pub platform_coupon: i64,
    pub platform_seller_funded: i64,
    pub sources: Sources,
}

/// A vendor order after the claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct VendorAfter {
    pub id: Uuid,
    pub shipping: i64,
    pub shipping_sources: Sources,
    /// Every fee kept so far, this claim's included.
    pub fees: i64,
    pub fee_sources: Sources,
    /// The return fee this claim keeps for the vendor.
    pub return_fee: i64,
}

/// What a claim gives back and what the order looks like after it (an
/// exchange: nothing, the default).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundPlan {
    pub refund: Sources,
    /// Coupon discount the order no longer has (the claimed lines' shares
    /// and any clawback): `(vendor coupons, platform coupon, of it
    /// vendor-funded)`.
    pub seller_coupon_released: i64,
    pub platform_coupon_released: i64,
    pub platform_seller_funded_released: i64,
    /// Every line of the order that was open before the claim.
    pub lines: Vec<LineAfter>,
    pub vendors: Vec<VendorAfter>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QuoteError {
    #[error("a claim names at least one product order")]
    Empty,
    #[error("product order {0} is not part of this order")]
    UnknownLine(Uuid),
    #[error("product order {0} was already cancelled or returned")]
    AlreadyClaimed(Uuid),
    #[error("the order's amounts do not add up")]
    Inconsistent,
}

/// Quotes `claim` on `order`.
pub fn quote(order: &Snapshot, claim: &ClaimRequest) -> Result<RefundPlan, QuoteError> {
    if claim.lines.is_empty() {
        return Err(QuoteError::Empty);
    }
    for id in &claim.lines {
        let line = order
            .lines
            .iter()
            .find(|line| line.id == *id)
            .ok_or(QuoteError::UnknownLine(*id))?;
        if !line.open {
            return Err(QuoteError::AlreadyClaimed(*id));
        }
    }
    let open: Vec<&Line> = order.lines.iter().filter(|line| line.open).collect();
    let kept: Vec<&Line> = open
        .iter()
        .copied()
        .filter(|line| !claim.lines.contains(&line.id))
        .collect();

    let seller_coupon = seller_coupons_again(order, &kept)?;
    let (platform_coupon, platform_funded) = platform_coupon_again(order, &kept, &seller_coupon)?;
    let net: BTreeMap<Uuid, i64> = kept
        .iter()
        .map(|line| {
            let id = line.id;
            (
                id,
                line.sale_amount - seller_coupon[&id] - platform_coupon[&id],
            )
        })
        .collect();

    let held = order.held();
    let (mut shipping, wanted_fees) = shipping_again(order, claim, &open, &net);
    // What the shopper owes anew (a shipping fee they were spared, a return
    // fee) comes out of what would go back, never beyond it.
    let base_cost: i64 = net.values().sum::<i64>()
        + order.vendors.iter().map(|v| v.fees).sum::<i64>()
        + order
            .vendors
            .iter()
            .map(|v| shipping[&v.id].min(v.shipping))
            .sum::<i64>();
    let mut room = held.total() - base_cost;
    if room < 0 {
        return Err(QuoteError::Inconsistent);
    }
    for vendor in &order.vendors {
        let charge = shipping[&vendor.id];
        if charge > vendor.shipping {
            let owed = (charge - vendor.shipping).min(room);
            room -= owed;
            shipping.insert(vendor.id, vendor.shipping + owed);
        }
    }
    let mut new_fees = BTreeMap::new();
    for (vendor, fee) in wanted_fees {
        let owed = fee.min(room);
        room -= owed;
        new_fees.insert(vendor, owed);
    }
    let cost = held.total() - room;

    // Reverse order of use: the card goes back first, then cash, then points.
    let points = held.points.min(cost);
    let cash = held.cash.min(cost - points);
    let keep = Sources {
        points,
        cash,
        payable: cost - points - cash,
    };
    let refund = held.minus(keep);
    if !refund.is_non_negative() || keep.payable > held.payable {
        return Err(QuoteError::Inconsistent);
    }

    // What remains, spread again over the lines, shipping and fees.
    let mut targets: Vec<(Target, i64)> = net
        .iter()
        .map(|(id, amount)| (Target::Line(*id), *amount))
        .collect();
    for vendor in &order.vendors {
        targets.push((Target::Shipping(vendor.id), shipping[&vendor.id]));
        let fees = vendor.fees + new_fees.get(&vendor.id).copied().unwrap_or(0);
        targets.push((Target::Fees(vendor.id), fees));
    }
    let spread = spread_sources(&targets, keep)?;

    let lines = open
        .iter()
        .map(|line| LineAfter {
            id: line.id,
            seller_coupon: seller_coupon.get(&line.id).copied().unwrap_or(0),
            platform_coupon: platform_coupon.get(&line.id).copied().unwrap_or(0),
            platform_seller_funded: platform_funded.get(&line.id).copied().unwrap_or(0),
            sources: spread
                .get(&Target::Line(line.id))
                .copied()
                .unwrap_or_default(),
        })
        .collect::<Vec<_>>();
    let vendors = order
        .vendors
        .iter()
        .map(|vendor| VendorAfter {
            id: vendor.id,
            shipping: shipping[&vendor.id],
            shipping_sources: spread[&Target::Shipping(vendor.id)],
            fees: vendor.fees + new_fees.get(&vendor.id).copied().unwrap_or(0),
            fee_sources: spread[&Target::Fees(vendor.id)],
            return_fee: new_fees.get(&vendor.id).copied().unwrap_or(0),
        })
        .collect();

    let before = |f: fn(&Line) -> i64| open.iter().map(|line| f(line)).sum::<i64>();
    let after = |f: fn(&LineAfter) -> i64| lines.iter().map(f).sum::<i64>();
    Ok(RefundPlan {
        refund,
        seller_coupon_released: before(|l| l.seller_coupon) - after(|l| l.seller_coupon),
        platform_coupon_released: before(|l| l.platform_coupon) - after(|l| l.platform_coupon),
        platform_seller_funded_released: before(|l| l.platform_seller_funded)
            - after(|l| l.platform_seller_funded),
        lines,
        vendors,
    })
}

/// An amount per line.
type Shares = BTreeMap<Uuid, i64>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Target {
    Line(Uuid),
    Shipping(Uuid),
    Fees(Uuid),
}

/// Each vendor coupon again on what its vendor order keeps.
fn seller_coupons_again(order: &Snapshot, kept: &[&Line]) -> Result<Shares, QuoteError> {
    let mut shares: BTreeMap<Uuid, i64> = kept.iter().map(|line| (line.id, 0)).collect();
    for vendor in &order.vendors {
        let Some(coupon) = &vendor.coupon else {
            continue;
        };
        let eligible: Vec<(Uuid, i64)> = kept
            .iter()
            .filter(|line| line.vendor_order == vendor.id && line.seller_coupon_applies)
            .map(|line| (line.id, line.sale_amount))
            .collect();
        let amount = eligible.iter().map(|(_, weight)| weight).sum();
        let discount = coupon.earned_on(order.currency, amount);
        let parts = allocate(discount, &eligible).map_err(|_| QuoteError::Inconsistent)?;
        for ((id, _), part) in eligible.iter().zip(parts) {
            shares.insert(*id, part);
        }
    }
    Ok(shares)
}

/// The platform coupon again on what the order keeps after vendor coupons,
/// with the vendor-funded part in the order's proportion.
fn platform_coupon_again(
    order: &Snapshot,
    kept: &[&Line],
    seller_coupon: &Shares,
) -> Result<(Shares, Shares), QuoteError> {
    let mut shares: BTreeMap<Uuid, i64> = kept.iter().map(|line| (line.id, 0)).collect();
    let mut funded = shares.clone();
    let Some(coupon) = &order.platform_coupon else {
        return Ok((shares, funded));
    };
    let eligible: Vec<(Uuid, i64)> = kept
        .iter()
        .filter(|line| line.platform_coupon_applies)
        .map(|line| (line.id, line.sale_amount - seller_coupon[&line.id]))
        .collect();
    let amount = eligible.iter().map(|(_, weight)| weight).sum();
    let discount = coupon.earned_on(order.currency, amount);
    let parts = allocate(discount, &eligible).map_err(|_| QuoteError::Inconsistent)?;
    let applied: Vec<(Uuid, i64)> = eligible
        .iter()
        .zip(parts)
        .map(|((id, _), part)| (*id, part))
        .collect();
    let (seller_funded, granted) = order.platform_funding;
    let funded_total = if granted > 0 {
        i64::try_from(i128::from(discount) * i128::from(seller_funded) / i128::from(granted))
            .map_err(|_| QuoteError::Inconsistent)?
    } else {
        0
    };
    let funded_parts = allocate(funded_total, &applied).map_err(|_| QuoteError::Inconsistent)?;
    for ((id, part), funded_part) in applied.iter().zip(funded_parts) {
        shares.insert(*id, *part);
        funded.insert(*id, funded_part);
    }
    Ok((shares, funded))
}

/// Each vendor order's shipping charge after the claim, and the fees the
/// claim adds (the vendor's, per vendor order).
fn shipping_again(
    order: &Snapshot,
    claim: &ClaimRequest,
    open: &[&Line],
    net: &BTreeMap<Uuid, i64>,
) -> (BTreeMap<Uuid, i64>, BTreeMap<Uuid, i64>) {
    let mut charges = BTreeMap::new();
    let mut fees = BTreeMap::new();
    let shopper_pays = claim.fault.shopper_pays_shipping();
    for vendor in &order.vendors {
        let touched: Vec<&&Line> = open
            .iter()
            .filter(|line| line.vendor_order == vendor.id && claim.lines.contains(&line.id))
            .collect();
        if touched.is_empty() {
            charges.insert(vendor.id, vendor.shipping);
            continue;
        }
        let remaining: Vec<&&Line> = open
            .iter()
            .filter(|line| line.vendor_order == vendor.id && net.contains_key(&line.id))
            .collect();
        let anything_shipped = order
            .lines
            .iter()
            .any(|line| line.vendor_order == vendor.id && line.shipped);
        let charge = if remaining.is_empty() {
            if shopper_pays && anything_shipped {
                // The parcel went out and came back for the shopper's reasons.
                vendor.shipping.max(vendor.base_fee)
            } else {
                0
            }
        } else {
            let items: i64 = remaining
                .iter()
                .map(|line| line.sale_amount - line.seller_coupon)
                .sum();
            let below_threshold = vendor.free_from.is_some_and(|free_from| items < free_from);
            if shopper_pays && vendor.shipping == 0 && below_threshold {
                vendor.base_fee
            } else {
                vendor.shipping
            }
        };
        charges.insert(vendor.id, charge);
        if shopper_pays && claim.kind == Kind::Return {
            fees.insert(vendor.id, vendor.return_fee);
        }
    }
    (charges, fees)
}

/// Spreads what the order keeps of each source over what remains: points
/// first, then cash, each by largest remainder over what is still unpaid,
/// the card the rest.
fn spread_sources(
    targets: &[(Target, i64)],
    keep: Sources,
) -> Result<BTreeMap<Target, Sources>, QuoteError> {
    let points = allocate(keep.points, targets).map_err(|_| QuoteError::Inconsistent)?;
    let after_points: Vec<(Target, i64)> = targets
        .iter()
        .zip(&points)
        .map(|((target, amount), share)| (*target, amount - share))
        .collect();
    let cash = allocate(keep.cash, &after_points).map_err(|_| QuoteError::Inconsistent)?;
    Ok(after_points
        .iter()
        .zip(points.iter().zip(cash))
        .map(|((target, left), (points, cash))| {
            (
                *target,
                Sources {
                    payable: left - cash,
                    points: *points,
                    cash,
                },
            )
        })
        .collect())
}

/// The order after a plan is carried out: what the app writes, here so
/// that a sequence of claims can be checked without a database.
pub fn apply(order: &Snapshot, claim: &ClaimRequest, plan: &RefundPlan) -> Snapshot {
    let mut next = order.clone();
    for line in &mut next.lines {
        if let Some(after) = plan.lines.iter().find(|after| after.id == line.id) {
            line.seller_coupon = after.seller_coupon;
            line.platform_coupon = after.platform_coupon;
            line.platform_seller_funded = after.platform_seller_funded;
            line.sources = after.sources;
        }
        if claim.lines.contains(&line.id) {
            line.open = false;
        }
    }
    for vendor in &mut next.vendors {
        if let Some(after) = plan.vendors.iter().find(|after| after.id == vendor.id) {
            vendor.shipping = after.shipping;
            vendor.shipping_sources = after.shipping_sources;
            vendor.fees = after.fees;
            vendor.fee_sources = after.fee_sources;
        }
    }
    next
}
