//! Orders priced by the real engine (1–6 vendors, 1–5 lines, every
//! discount kind, card + points + cash), as claims see them, with a seeded
//! sequence of claims over their lines: for the property tests of claims
//! and settlement.

use chrono::{TimeZone, Utc};
use proptest::prelude::*;
use rust_decimal::Decimal;
use uuid::Uuid;

use super::quote::*;
use super::reasons::{Fault, Kind};
use crate::catalog::product::Pricing;
use crate::money::Currency;
use crate::pricing::coupon::{Benefit, Coupon, Funding, Scope};
use crate::pricing::quote as pricing;
use crate::sellers::shipping::ShippingPolicy;

fn won(amount: i64) -> Decimal {
    Decimal::from(amount)
}

fn id(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

/// One seeded order: what the engine priced, as a snapshot.
#[derive(Debug, Clone)]
pub(crate) struct Seeded {
    pub snapshot: Snapshot,
    pub paid: Sources,
    /// The claims, in order: lines, and whether the shopper is at fault.
    pub claims: Vec<(Vec<Uuid>, Fault)>,
}

fn benefit(kind: u8, amount: i64, percent: i64) -> Benefit {
    if kind == 0 {
        Benefit::Fixed(won(amount))
    } else {
        Benefit::Percent {
            percent: won(percent),
            max: (kind == 2).then(|| won(amount)),
        }
    }
}

fn coupon(id: Uuid, benefit: Benefit, min: i64, funding: Funding, scope: Scope) -> Coupon {
    Coupon {
        id,
        benefit,
        min_purchase: won(min),
        scope,
        excluded_products: vec![],
        valid_from: Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
        valid_until: Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap(),
        funding,
        stacks_with_seller_coupons: true,
    }
}

type VendorSeed = (
    Vec<(i64, u8, u32, bool)>,
    Option<(u8, i64, i64, i64)>,
    i64,
    Option<i64>,
);

pub(crate) fn seeded_order() -> impl Strategy<Value = Seeded> {
    let vendor = (
        // Lines: list price, sale percent (100 = none), quantity, shipped.
        prop::collection::vec(
            (100_i64..150_000, 50_u8..=100, 1_u32..4, any::<bool>()),
            1..=5,
        ),
        // A vendor coupon: kind, amount, percent, minimum.
        prop::option::of((0_u8..3, 500_i64..20_000, 1_i64..40, 0_i64..120_000)),
        0_i64..5_000,
        prop::option::of(10_000_i64..100_000),
    );
    (
        prop::collection::vec(vendor, 1..=6),
        prop::option::of((
            0_u8..3,
            1_000_i64..40_000,
            1_i64..30,
            0_i64..300_000,
            0_i64..=100,
            any::<bool>(),
        )),
        0_i64..200_000,
        0_i64..200_000,
        any::<u64>(),
    )
        .prop_filter_map(
            "the engine refuses the order",
            |(vendors, platform, points, cash, seed)| price(&vendors, platform, points, cash, seed),
        )
}

fn price(
    vendors: &[VendorSeed],
    platform: Option<(u8, i64, i64, i64, i64, bool)>,
    points: i64,
    cash: i64,
    seed: u64,
) -> Option<Seeded> {
    let currency = Currency::Krw;
    let now = Utc.with_ymd_and_hms(2026, 6, 1, 12, 0, 0).unwrap();
    let mut items = Vec::new();
    let mut shipped = std::collections::BTreeMap::new();
    let mut policies = std::collections::BTreeMap::new();
    let mut seller_coupons = Vec::new();
    for (v, (lines, vendor_coupon, base_fee, free_from)) in vendors.iter().enumerate() {
        let seller_id = id(0x5E_0000 + v as u128);
        policies.insert(
            seller_id,
            ShippingPolicy {
                base_fee: won(*base_fee),
                free_shipping_threshold: free_from.map(won),
                remote_area_surcharge: Decimal::ZERO,
                return_fee: won(*base_fee),
            },
        );
        for (n, (list, sale_percent, quantity, was_shipped)) in lines.iter().enumerate() {
            let sku_id = id(0x5C_0000 + (v as u128) * 16 + n as u128);
            let sale =
                (*sale_percent < 100).then(|| won((list * i64::from(*sale_percent) / 100).max(1)));
            items.push(pricing::Item {
                sku_id,
                product_id: sku_id,
                seller_id,
                category_path: vec![1],
                pricing: Pricing {
                    list_price: won(*list),
                    sale_price: sale,
                    sale_starts_at: None,
                    sale_ends_at: None,
                },
                quantity: *quantity,
            });
            shipped.insert(sku_id, *was_shipped);
        }
        if let Some((kind, amount, percent, min)) = vendor_coupon {
            seller_coupons.push(coupon(
                id(0xC0_0000 + v as u128),
                benefit(*kind, *amount, *percent),
                *min,
                Funding::Seller(seller_id),
                Scope::All,
            ));
        }
    }
    let platform_coupon = platform.map(|(kind, amount, percent, min, share, first_vendor_only)| {
        let scope = if first_vendor_only {
            Scope::Sellers(vec![id(0x5E_0000)])
        } else {
            Scope::All
        };
        coupon(
            id(0xA1),
            benefit(kind, amount, percent),
            min,
            Funding::Platform {
                seller_share_percent: won(share),
            },
            scope,
        )
    });
    let mut request = pricing::QuoteRequest {
        currency,
        now,
        items,
        shipping_policies: policies.clone(),
        remote_area: false,
        seller_coupons,
        platform_coupon,
        points: won(points),
        points_balance: won(points),
        cash: won(cash),
        cash_balance: won(cash),
    };
    let quote = loop {
        match pricing::quote(&request) {
            Ok(quote) => break quote,
            Err(pricing::QuoteError::PointsExceedPayable { max }) => request.points = max,
            Err(pricing::QuoteError::CashExceedsPayable { max }) => request.cash = max,
            Err(pricing::QuoteError::Coupon { coupon_id, .. }) => {
                request.seller_coupons.retain(|c| c.id != coupon_id);
                if request
                    .platform_coupon
                    .as_ref()
                    .is_some_and(|c| c.id == coupon_id)
                {
                    request.platform_coupon = None;
                }
            }
            Err(_) => return None,
        }
    };
    Some(snapshot_of(&request, &quote, &shipped, seed))
}

fn minor(amount: Decimal) -> i64 {
    Currency::Krw.to_minor(amount).unwrap_or(i64::MAX)
}

fn terms(coupon: &Coupon, granted: Decimal) -> CouponTerms {
    CouponTerms {
        granted: minor(granted),
        min_purchase: minor(coupon.min_purchase),
        benefit: coupon.benefit.clone(),
    }
}

fn snapshot_of(
    request: &pricing::QuoteRequest,
    quote: &pricing::Quote,
    shipped: &std::collections::BTreeMap<Uuid, bool>,
    seed: u64,
) -> Seeded {
    let lines: Vec<Line> = request
        .items
        .iter()
        .zip(&quote.items)
        .map(|(item, q)| Line {
            id: item.sku_id,
            vendor_order: item.seller_id,
            sale_amount: minor(q.list_amount - q.product_discount),
            seller_coupon: minor(q.seller_coupon_discount),
            platform_coupon: minor(q.platform_coupon_discount),
            platform_seller_funded: minor(q.platform_coupon_seller_funded),
            sources: Sources {
                payable: minor(q.payable),
                points: minor(q.points),
                cash: minor(q.cash),
            },
            seller_coupon_applies: q.seller_coupon_applies,
            platform_coupon_applies: q.platform_coupon_applies,
            open: true,
            shipped: shipped[&item.sku_id],
        })
        .collect();
    let vendors: Vec<VendorOrder> = quote
        .sellers
        .iter()
        .map(|s| {
            let policy = &request.shipping_policies[&s.seller_id];
            let coupon = request
                .seller_coupons
                .iter()
                .find(|c| Some(c.id) == s.seller_coupon_id)
                .map(|c| {
                    let granted = quote
                        .items
                        .iter()
                        .filter(|i| i.seller_id == s.seller_id)
                        .map(|i| i.seller_coupon_discount)
                        .sum();
                    terms(c, granted)
                });
            VendorOrder {
                id: s.seller_id,
                coupon,
                shipping: minor(s.shipping_fee),
                shipping_sources: Sources {
                    payable: minor(s.shipping_payable),
                    points: minor(s.shipping_points),
                    cash: minor(s.shipping_cash),
                },
                fees: 0,
                fee_sources: Sources::default(),
                base_fee: minor(policy.base_fee),
                free_from: policy.free_shipping_threshold.map(minor),
                return_fee: minor(policy.return_fee),
            }
        })
        .collect();
    let totals = &quote.totals;
    let snapshot = Snapshot {
        currency: Currency::Krw,
        platform_coupon: request
            .platform_coupon
            .as_ref()
            .map(|c| terms(c, totals.platform_coupon_discount)),
        platform_funding: (
            minor(totals.platform_coupon_seller_funded),
            minor(totals.platform_coupon_discount),
        ),
        lines,
        vendors,
    };
    let paid = Sources {
        payable: minor(totals.payable),
        points: minor(totals.points),
        cash: minor(totals.cash),
    };
    let claims = claims_from(&snapshot, seed);
    Seeded {
        snapshot,
        paid,
        claims,
    }
}

/// The lines split into claims in a seeded order, each with a fault.
fn claims_from(snapshot: &Snapshot, seed: u64) -> Vec<(Vec<Uuid>, Fault)> {
    let mut ids: Vec<Uuid> = snapshot.lines.iter().map(|l| l.id).collect();
    let mut state = seed | 1;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for i in (1..ids.len()).rev() {
        let j = usize::try_from(next() % (i as u64 + 1)).unwrap_or(0);
        ids.swap(i, j);
    }
    let mut claims = Vec::new();
    while !ids.is_empty() {
        let take = usize::try_from(next() % 3 + 1).unwrap_or(1).min(ids.len());
        let lines: Vec<Uuid> = ids.drain(..take).collect();
        let fault = Fault::ALL[usize::try_from(next() % 3).unwrap_or(0)];
        claims.push((lines, fault));
    }
    claims
}

pub(crate) fn kind_for(snapshot: &Snapshot, lines: &[Uuid]) -> Kind {
    let shipped = snapshot
        .lines
        .iter()
        .any(|l| lines.contains(&l.id) && l.shipped);
    if shipped { Kind::Return } else { Kind::Cancel }
}
