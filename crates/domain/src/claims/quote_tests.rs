use std::collections::BTreeSet;

use proptest::prelude::*;
use rust_decimal::Decimal;
use uuid::Uuid;

use super::quote::*;
use super::reasons::{Fault, Kind};
use super::seeded::{kind_for, seeded_order};
use crate::money::Currency;
use crate::pricing::coupon::Benefit;

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
