use std::collections::BTreeSet;

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

fn fixed(granted: i64, min_purchase: i64) -> CouponTerms {
    CouponTerms {
        granted,
        min_purchase,
        benefit: Benefit::Fixed(won(granted)),
    }
}

fn line(n: u128, vendor: u128, sale_amount: i64) -> Line {
    Line {
        id: id(n),
        vendor_order: id(vendor),
        sale_amount,
        seller_coupon: 0,
        platform_coupon: 0,
        platform_seller_funded: 0,
        sources: Sources {
            payable: sale_amount,
            ..Sources::default()
        },
        seller_coupon_applies: true,
        platform_coupon_applies: true,
        open: true,
        shipped: false,
    }
}

fn vendor(n: u128) -> VendorOrder {
    VendorOrder {
        id: id(n),
        coupon: None,
        shipping: 0,
        shipping_sources: Sources::default(),
        fees: 0,
        fee_sources: Sources::default(),
        base_fee: 3_000,
        free_from: Some(50_000),
        return_fee: 5_000,
    }
}

fn order(lines: Vec<Line>, vendors: Vec<VendorOrder>) -> Snapshot {
    Snapshot {
        currency: Currency::Krw,
        lines,
        vendors,
        platform_coupon: None,
        platform_funding: (0, 0),
    }
}

fn claim(kind: Kind, fault: Fault, lines: &[u128]) -> ClaimRequest {
    ClaimRequest {
        kind,
        fault,
        lines: lines.iter().map(|n| id(*n)).collect(),
    }
}

fn card(amount: i64) -> Sources {
    Sources {
        payable: amount,
        ..Sources::default()
    }
}

/// The worked example: a ₩30,000-off coupon with a ₩200,000
/// minimum on a ₩230,000 order; returning ₩100,000 leaves ₩130,000, so
/// (200,000 − 130,000) ÷ 200,000 of the coupon goes: ₩10,500 of the
/// returned item is kept and ₩89,500 refunded.
#[test]
fn a_broken_minimum_claws_back_the_coupon_pro_rata() {
    let mut a = line(1, 9, 100_000);
    let mut b = line(2, 9, 100_000);
    let mut c = line(3, 9, 30_000);
    // 30,000 spread over 100,000 / 100,000 / 30,000 by largest remainder.
    for (line, share) in [(&mut a, 13_043), (&mut b, 13_043), (&mut c, 3_914)] {
        line.platform_coupon = share;
        line.sources = card(line.sale_amount - share);
    }
    let mut snapshot = order(vec![a, b, c], vec![vendor(9)]);
    snapshot.platform_coupon = Some(fixed(30_000, 200_000));
    assert_eq!(snapshot.held(), card(200_000));

    let first = claim(Kind::Return, Fault::Vendor, &[1]);
    let plan = quote(&snapshot, &first).expect("a plan");
    assert_eq!(plan.refund, card(89_500));
    assert_eq!(plan.platform_coupon_released, 10_500);
    let remaining: i64 = plan.lines.iter().map(|l| l.platform_coupon).sum();
    assert_eq!(remaining, 19_500);

    // A later claim gives back refunded ÷ minimum of the coupon: ₩30,000
    // returned of ₩200,000 → ₩4,500.
    let after = apply(&snapshot, &first, &plan);
    let second = claim(Kind::Return, Fault::Vendor, &[3]);
    let plan = quote(&after, &second).expect("a plan");
    assert_eq!(plan.platform_coupon_released, 4_500);
    assert_eq!(plan.refund, card(30_000 - 4_500));

    // The last item returns the rest: everything paid is back.
    let after = apply(&after, &second, &plan);
    let plan = quote(&after, &claim(Kind::Return, Fault::Vendor, &[2])).expect("a plan");
    assert_eq!(plan.refund, card(200_000 - 89_500 - 25_500));
}

#[test]
fn a_coupon_whose_minimum_still_holds_stays_whole_on_what_remains() {
    let mut a = line(1, 9, 150_000);
    let mut b = line(2, 9, 100_000);
    a.platform_coupon = 18_000;
    a.sources = card(132_000);
    b.platform_coupon = 12_000;
    b.sources = card(88_000);
    let mut snapshot = order(vec![a, b], vec![vendor(9)]);
    snapshot.platform_coupon = Some(fixed(30_000, 100_000));
    let plan = quote(&snapshot, &claim(Kind::Cancel, Fault::Buyer, &[2])).expect("a plan");
    // 150,000 still reaches the minimum: the whole ₩30,000 stays on it.
    assert_eq!(plan.refund, card(100_000));
    assert_eq!(plan.lines[0].platform_coupon, 30_000);
    assert_eq!(plan.lines[0].sources, card(120_000));
}

#[test]
fn the_card_goes_back_first_then_cash_then_points() {
    let mut a = line(1, 9, 20_000);
    let mut b = line(2, 9, 40_000);
    a.sources = Sources {
        payable: 10_000,
        points: 4_000,
        cash: 6_000,
    };
    b.sources = Sources {
        payable: 20_000,
        points: 8_000,
        cash: 12_000,
    };
    let mut v = vendor(9);
    v.free_from = None;
    v.base_fee = 0;
    let snapshot = order(vec![a, b], vec![v]);
    let plan = quote(&snapshot, &claim(Kind::Cancel, Fault::Buyer, &[2])).expect("a plan");
    assert_eq!(
        plan.refund,
        Sources {
            payable: 30_000,
            cash: 10_000,
            points: 0
        }
    );
    assert_eq!(
        plan.lines[0].sources,
        Sources {
            payable: 0,
            points: 12_000,
            cash: 8_000
        }
    );
    let after = apply(&snapshot, &claim(Kind::Cancel, Fault::Buyer, &[2]), &plan);
    let plan = quote(&after, &claim(Kind::Cancel, Fault::Buyer, &[1])).expect("a plan");
    assert_eq!(
        plan.refund,
        Sources {
            payable: 0,
            cash: 8_000,
            points: 12_000
        }
    );
}

#[test]
fn a_shoppers_cancel_below_the_free_shipping_threshold_pays_the_fee() {
    let snapshot = order(
        vec![line(1, 9, 30_000), line(2, 9, 30_000)],
        vec![vendor(9)],
    );
    let own = quote(&snapshot, &claim(Kind::Cancel, Fault::Buyer, &[2])).expect("a plan");
    assert_eq!(own.refund, card(27_000));
    assert_eq!(own.vendors[0].shipping, 3_000);
    let sold_out = quote(&snapshot, &claim(Kind::Cancel, Fault::Vendor, &[2])).expect("a plan");
    assert_eq!(sold_out.refund, card(30_000));
    assert_eq!(sold_out.vendors[0].shipping, 0);
    // Cancelling everything before it ships: nothing was spent, all goes back.
    let all = quote(&snapshot, &claim(Kind::Cancel, Fault::Buyer, &[1, 2])).expect("a plan");
    assert_eq!(all.refund, card(60_000));
}

#[test]
fn a_shoppers_return_pays_the_return_fee_and_the_spared_shipping() {
    let mut a = line(1, 9, 60_000);
    a.shipped = true;
    let snapshot = order(vec![a], vec![vendor(9)]);
    let own = quote(&snapshot, &claim(Kind::Return, Fault::Buyer, &[1])).expect("a plan");
    // Round trip: the outbound fee it was spared and the return fee.
    assert_eq!(own.refund, card(60_000 - 3_000 - 5_000));
    assert_eq!(own.vendors[0].return_fee, 5_000);
    assert_eq!(own.vendors[0].shipping, 3_000);
    let defective = quote(&snapshot, &claim(Kind::Return, Fault::Vendor, &[1])).expect("a plan");
    assert_eq!(defective.refund, card(60_000));
    let damaged = quote(&snapshot, &claim(Kind::Return, Fault::Carrier, &[1])).expect("a plan");
    assert_eq!(damaged.refund, card(60_000));
}

#[test]
fn fees_never_exceed_what_would_go_back() {
    let mut a = line(1, 9, 2_000);
    a.shipped = true;
    let snapshot = order(vec![a], vec![vendor(9)]);
    let plan = quote(&snapshot, &claim(Kind::Return, Fault::Buyer, &[1])).expect("a plan");
    assert_eq!(plan.refund, card(0));
    assert_eq!(plan.vendors[0].shipping + plan.vendors[0].fees, 2_000);
}

#[test]
fn a_claim_names_open_lines_of_the_order() {
    let snapshot = order(vec![line(1, 9, 1_000)], vec![vendor(9)]);
    assert_eq!(
        quote(&snapshot, &claim(Kind::Cancel, Fault::Buyer, &[])),
        Err(QuoteError::Empty)
    );
    assert_eq!(
        quote(&snapshot, &claim(Kind::Cancel, Fault::Buyer, &[7])),
        Err(QuoteError::UnknownLine(id(7)))
    );
    let request = claim(Kind::Cancel, Fault::Buyer, &[1]);
    let plan = quote(&snapshot, &request).expect("a plan");
    let after = apply(&snapshot, &request, &plan);
    assert_eq!(
        quote(&after, &request),
        Err(QuoteError::AlreadyClaimed(id(1)))
    );
}

// ---- orders priced by the real engine, claimed at random ----

/// One seeded order: what the engine priced, as a snapshot.
#[derive(Debug, Clone)]
struct Seeded {
    snapshot: Snapshot,
    paid: Sources,
    /// The claims, in order: lines, and whether the shopper is at fault.
    claims: Vec<(Vec<Uuid>, Fault)>,
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

fn seeded_order() -> impl Strategy<Value = Seeded> {
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

fn kind_for(snapshot: &Snapshot, lines: &[Uuid]) -> Kind {
    let shipped = snapshot
        .lines
        .iter()
        .any(|l| lines.contains(&l.id) && l.shipped);
    if shipped { Kind::Return } else { Kind::Cancel }
}

fn tiers(snapshot: &Snapshot) -> (i64, i64, i64) {
    let open = snapshot.lines.iter().filter(|l| l.open);
    open.fold((0, 0, 0), |(s, p, f), l| {
        (
            s + l.seller_coupon,
            p + l.platform_coupon,
            f + l.platform_seller_funded,
        )
    })
}

/// How many seeded orders the property runs: the 10,000 in
/// `scripts/soak`, fewer in the suite.
fn seeded_orders() -> u32 {
    std::env::var("CLAIM_ORDERS")
        .ok()
        .and_then(|count| count.parse().ok())
        .unwrap_or(1_000)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(seeded_orders()))]

    #[test]
    fn claims_on_seeded_orders_refund_each_source_exactly(order in seeded_order()) {
        let mut snapshot = order.snapshot.clone();
        prop_assert_eq!(snapshot.held(), order.paid);
        let (seller0, platform0, funded0) = tiers(&snapshot);
        let mut refunded = Sources::default();
        let mut released = (0, 0, 0);
        let mut any_shopper_fees = false;
        for (lines, fault) in &order.claims {
            let kind = kind_for(&snapshot, lines);
            let request = ClaimRequest { kind, fault: *fault, lines: lines.iter().copied().collect::<BTreeSet<_>>() };
            let plan = quote(&snapshot, &request).map_err(|e| TestCaseError::fail(e.to_string()))?;
            // Nothing goes back below zero, nor beyond what was paid.
            prop_assert!(plan.refund.payable >= 0 && plan.refund.points >= 0 && plan.refund.cash >= 0);
            refunded = refunded.plus(plan.refund);
            prop_assert!(refunded.payable <= order.paid.payable);
            prop_assert!(refunded.points <= order.paid.points);
            prop_assert!(refunded.cash <= order.paid.cash);
            // The plan is what the order becomes: what it holds drops by the refund.
            let next = apply(&snapshot, &request, &plan);
            prop_assert_eq!(next.held(), snapshot.held().minus(plan.refund));
            // Every line, shipping charge and fee is paid exactly by its sources.
            for line in next.lines.iter().filter(|l| l.open) {
                prop_assert_eq!(line.sources.total(), line.cost());
                prop_assert!(line.sources.payable >= 0 && line.sources.points >= 0 && line.sources.cash >= 0);
                prop_assert!(line.platform_seller_funded <= line.platform_coupon);
                prop_assert!(line.cost() >= 0);
            }
            for vendor in &next.vendors {
                prop_assert_eq!(vendor.shipping_sources.total(), vendor.shipping);
                prop_assert_eq!(vendor.fee_sources.total(), vendor.fees);
            }
            // Every discount tier still sums: what remains plus what was released.
            released.0 += plan.seller_coupon_released;
            released.1 += plan.platform_coupon_released;
            released.2 += plan.platform_seller_funded_released;
            let (seller, platform, funded) = tiers(&next);
            prop_assert_eq!(seller + released.0, seller0);
            prop_assert_eq!(platform + released.1, platform0);
            prop_assert_eq!(funded + released.2, funded0);
            any_shopper_fees |= fault.shopper_pays_shipping();
            snapshot = next;
        }
        // Once every line is claimed, what the order still holds is only the
        // shopper's shipping and fees; without any claim of theirs, nothing.
        let kept: i64 = snapshot.vendors.iter().map(|v| v.shipping + v.fees).sum();
        prop_assert_eq!(snapshot.held().total(), kept);
        if !any_shopper_fees {
            prop_assert_eq!(refunded, order.paid);
        }
    }

    #[test]
    fn cancelling_everything_before_it_ships_returns_every_source(order in seeded_order()) {
        let mut snapshot = order.snapshot.clone();
        for line in &mut snapshot.lines {
            line.shipped = false;
        }
        let request = ClaimRequest {
            kind: Kind::Cancel,
            fault: Fault::Buyer,
            lines: snapshot.lines.iter().map(|l| l.id).collect(),
        };
        let plan = quote(&snapshot, &request).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(plan.refund, order.paid);
    }
}
