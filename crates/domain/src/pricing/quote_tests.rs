use chrono::{DateTime, Duration, TimeZone, Utc};
use proptest::prelude::*;
use rust_decimal::Decimal;
use uuid::Uuid;

use super::coupon::tests::coupon;
use super::coupon::{Benefit, Funding, Scope};
use super::quote::*;
use crate::catalog::product::Pricing;
use crate::money::Currency;
use crate::sellers::shipping::ShippingPolicy;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, 1, 12, 0, 0).unwrap()
}

fn won(amount: i64) -> Decimal {
    Decimal::from(amount)
}

fn seller(n: u128) -> Uuid {
    Uuid::from_u128(0x5E11E0 + n)
}

fn item(n: u128, seller_n: u128, list: i64, sale: Option<i64>, quantity: u32) -> Item {
    Item {
        sku_id: Uuid::from_u128(0x5C0 + n),
        product_id: Uuid::from_u128(0x960 + n),
        seller_id: seller(seller_n),
        category_path: vec![10 + i64::try_from(n % 3).unwrap_or(0), 1],
        pricing: Pricing {
            list_price: won(list),
            sale_price: sale.map(won),
            sale_starts_at: None,
            sale_ends_at: None,
        },
        quantity,
    }
}

fn policy(base: i64, free_from: Option<i64>) -> ShippingPolicy {
    ShippingPolicy {
        base_fee: won(base),
        free_shipping_threshold: free_from.map(won),
        remote_area_surcharge: won(3000),
        return_fee: won(5000),
    }
}

fn request(items: Vec<Item>) -> QuoteRequest {
    let shipping_policies = items
        .iter()
        .map(|i| (i.seller_id, policy(3000, Some(50_000))))
        .collect();
    QuoteRequest {
        currency: Currency::Krw,
        now: now(),
        items,
        shipping_policies,
        remote_area: false,
        seller_coupons: vec![],
        platform_coupon: None,
        points: Decimal::ZERO,
        points_balance: Decimal::ZERO,
        cash: Decimal::ZERO,
        cash_balance: Decimal::ZERO,
    }
}

fn platform_coupon(benefit: Benefit, seller_share: i64) -> super::coupon::Coupon {
    let mut c = coupon(
        benefit,
        Funding::Platform {
            seller_share_percent: won(seller_share),
        },
    );
    c.id = Uuid::from_u128(0xA11);
    c
}

fn seller_coupon(seller_n: u128, benefit: Benefit) -> super::coupon::Coupon {
    let mut c = coupon(benefit, Funding::Seller(seller(seller_n)));
    c.id = Uuid::from_u128(0xB00 + seller_n);
    c
}

#[test]
fn every_stage_in_order_with_exact_allocation() {
    // Vendor 1: 2 × 30 000 on sale at 25 000, 1 × 10 000. Vendor 2: 1 × 40 000.
    let mut r = request(vec![
        item(1, 1, 30_000, Some(25_000), 2),
        item(2, 1, 10_000, None, 1),
        item(3, 2, 40_000, None, 1),
    ]);
    r.seller_coupons = vec![seller_coupon(1, Benefit::Fixed(won(6_000)))];
    r.platform_coupon = Some(platform_coupon(
        Benefit::Percent {
            percent: won(10),
            max: Some(won(8_000)),
        },
        50,
    ));
    r.points = won(1_001);
    r.points_balance = won(5_000);
    let q = quote(&r).unwrap();

    // (1) sales: 10 000 off item 1.
    assert_eq!(q.items[0].product_discount, won(10_000));
    // (2) vendor coupon 6 000 over 50 000 and 10 000 → 5 000 and 1 000.
    assert_eq!(q.items[0].seller_coupon_discount, won(5_000));
    assert_eq!(q.items[1].seller_coupon_discount, won(1_000));
    // Shipping: vendor 1 has 54 000 after its coupon → free; vendor 2 pays.
    assert_eq!(q.sellers[0].shipping_fee, won(0));
    assert_eq!(q.sellers[1].shipping_fee, won(3_000));
    // (3) 10 % of 94 000 = 9 400, capped at 8 000: 45/94, 9/94, 40/94.
    let platform: Vec<Decimal> = q.items.iter().map(|i| i.platform_coupon_discount).collect();
    assert_eq!(platform.iter().copied().sum::<Decimal>(), won(8_000));
    assert_eq!(platform, vec![won(3_830), won(766), won(3_404)]);
    assert_eq!(q.totals.platform_coupon_seller_funded, won(4_000));
    // (4) points over 86 000 of items and 3 000 of shipping.
    assert_eq!(q.totals.points, won(1_001));
    assert_eq!(q.totals.payable, won(94_000 - 8_000 + 3_000 - 1_001));
}

#[test]
fn shipping_threshold_uses_the_amount_after_sales_and_vendor_coupons() {
    let mut r = request(vec![item(1, 1, 52_000, None, 1)]);
    assert_eq!(quote(&r).unwrap().sellers[0].shipping_fee, won(0));
    r.seller_coupons = vec![seller_coupon(1, Benefit::Fixed(won(3_000)))];
    assert_eq!(
        quote(&r).unwrap().sellers[0].shipping_fee,
        won(3_000),
        "49 000 after the vendor coupon is below the threshold"
    );
    r.remote_area = true;
    assert_eq!(quote(&r).unwrap().sellers[0].shipping_fee, won(6_000));
}

#[test]
fn a_sale_outside_its_window_does_not_apply() {
    let mut sold = item(1, 1, 20_000, Some(15_000), 1);
    sold.pricing.sale_starts_at = Some(now() + Duration::hours(1));
    let q = quote(&request(vec![sold])).unwrap();
    assert_eq!(q.items[0].unit_price, won(20_000));
    assert_eq!(q.items[0].product_discount, won(0));
}

#[test]
fn coupon_rules_are_enforced() {
    let base = || {
        request(vec![
            item(1, 1, 20_000, None, 1),
            item(2, 2, 20_000, None, 1),
        ])
    };
    let refusal = |r: &QuoteRequest| match quote(r) {
        Err(QuoteError::Coupon { reason, .. }) => Some(reason),
        _ => None,
    };

    let mut r = base();
    let mut minimum = platform_coupon(Benefit::Fixed(won(1_000)), 0);
    minimum.min_purchase = won(50_000);
    r.platform_coupon = Some(minimum);
    assert_eq!(refusal(&r), Some(CouponRefusal::BelowMinimum));

    let mut r = base();
    let mut expired = platform_coupon(Benefit::Fixed(won(1_000)), 0);
    expired.valid_until = now();
    r.platform_coupon = Some(expired);
    assert_eq!(refusal(&r), Some(CouponRefusal::NotValidNow));

    let mut r = base();
    let mut elsewhere = platform_coupon(Benefit::Fixed(won(1_000)), 0);
    elsewhere.scope = Scope::Categories(vec![99]);
    r.platform_coupon = Some(elsewhere);
    assert_eq!(refusal(&r), Some(CouponRefusal::NothingEligible));

    let mut r = base();
    r.seller_coupons = vec![seller_coupon(1, Benefit::Fixed(won(1_000))), {
        let mut second = seller_coupon(1, Benefit::Fixed(won(500)));
        second.id = Uuid::from_u128(0xB99);
        second
    }];
    assert_eq!(refusal(&r), Some(CouponRefusal::OnePerSellerOrder));

    let mut r = base();
    r.seller_coupons = vec![seller_coupon(3, Benefit::Fixed(won(1_000)))];
    assert_eq!(
        refusal(&r),
        Some(CouponRefusal::NothingEligible),
        "vendor not in the order"
    );

    let mut r = base();
    r.seller_coupons = vec![platform_coupon(Benefit::Fixed(won(1_000)), 0)];
    assert_eq!(refusal(&r), Some(CouponRefusal::WrongKind));

    let mut r = base();
    let mut alone = platform_coupon(Benefit::Fixed(won(1_000)), 0);
    alone.stacks_with_seller_coupons = false;
    r.platform_coupon = Some(alone.clone());
    assert!(quote(&r).is_ok(), "alone it applies");
    r.seller_coupons = vec![seller_coupon(1, Benefit::Fixed(won(1_000)))];
    assert_eq!(refusal(&r), Some(CouponRefusal::NotStackable));
}

#[test]
fn vendor_and_platform_coupons_stack_by_default() {
    let mut r = request(vec![item(1, 1, 20_000, None, 1)]);
    r.seller_coupons = vec![seller_coupon(1, Benefit::Fixed(won(2_000)))];
    r.platform_coupon = Some(platform_coupon(Benefit::Fixed(won(1_000)), 0));
    let q = quote(&r).unwrap();
    assert_eq!(q.totals.seller_coupon_discount, won(2_000));
    assert_eq!(q.totals.platform_coupon_discount, won(1_000));
}

#[test]
fn points_and_cash_are_bounded_by_balance_and_payable() {
    let mut r = request(vec![item(1, 1, 10_000, None, 1)]);
    r.points = won(2_000);
    r.points_balance = won(1_000);
    assert_eq!(
        quote(&r),
        Err(QuoteError::PointsInsufficient {
            balance: won(1_000)
        })
    );
    r.points_balance = won(100_000);
    r.points = won(13_001);
    assert_eq!(
        quote(&r),
        Err(QuoteError::PointsExceedPayable { max: won(13_000) })
    );
    r.points = won(10_000);
    r.cash = won(3_000);
    r.cash_balance = won(3_000);
    let q = quote(&r).unwrap();
    assert_eq!(q.totals.payable, won(0));
    assert_eq!(
        q.sellers[0].shipping_points + q.sellers[0].shipping_cash,
        won(3_000)
    );
    r.points = won(5);
    r.points_balance = Decimal::new(55, 1);
    assert_eq!(
        quote(&r).err(),
        Some(QuoteError::Amount { field: "points" })
    );
}

#[test]
fn duplicate_and_empty_orders_are_refused() {
    assert_eq!(quote(&request(vec![])), Err(QuoteError::Empty));
    let a = item(1, 1, 1_000, None, 1);
    assert!(matches!(
        quote(&request(vec![a.clone(), a])),
        Err(QuoteError::DuplicateItem(_))
    ));
    assert!(matches!(
        quote(&request(vec![item(1, 1, 1_000, None, 0)])),
        Err(QuoteError::Quantity(_))
    ));
}

// ---- properties ----

fn arbitrary_request() -> impl Strategy<Value = QuoteRequest> {
    let items = prop::collection::vec(
        (
            1_u128..4,
            1_i64..200_000,
            prop::option::of(1_u8..100),
            1_u32..5,
        ),
        1..8,
    );
    (
        items,
        prop::option::of((1_i64..30_000, 0_i64..60_000)),
        prop::option::of((1_i64..100, prop::option::of(1_i64..20_000), 0_i64..101)),
        0_i64..400_000,
        0_i64..400_000,
        any::<bool>(),
    )
        .prop_map(|(items, seller_fixed, platform, points, cash, remote)| {
            let items: Vec<Item> = items
                .into_iter()
                .enumerate()
                .map(|(n, (seller_n, list, sale_pct, qty))| {
                    let sale = sale_pct.map(|p| (list * i64::from(p) / 100).max(1));
                    item(u128::try_from(n).unwrap_or(0), seller_n, list, sale, qty)
                })
                .collect();
            let mut r = request(items);
            r.remote_area = remote;
            if let Some((amount, minimum)) = seller_fixed {
                let mut c = seller_coupon(1, Benefit::Fixed(won(amount)));
                c.min_purchase = won(minimum);
                if r.items.iter().any(|i| i.seller_id == seller(1)) {
                    r.seller_coupons = vec![c];
                }
            }
            if let Some((percent, max, share)) = platform {
                r.platform_coupon = Some(platform_coupon(
                    Benefit::Percent {
                        percent: won(percent),
                        max: max.map(won),
                    },
                    share,
                ));
            }
            r.points = won(points);
            r.points_balance = won(points);
            r.cash = won(cash);
            r.cash_balance = won(cash);
            r
        })
}

/// The quote, retrying with less points and cash when they exceed what is
/// left to pay, and without the vendor coupon when its minimum is not met.
fn priced(mut r: QuoteRequest) -> (QuoteRequest, Quote) {
    loop {
        match quote(&r) {
            Ok(q) => return (r, q),
            Err(QuoteError::PointsExceedPayable { max }) => r.points = max,
            Err(QuoteError::CashExceedsPayable { max }) => r.cash = max,
            Err(QuoteError::Coupon { coupon_id, .. }) => {
                r.seller_coupons.retain(|c| c.id != coupon_id);
                if r.platform_coupon
                    .as_ref()
                    .is_some_and(|c| c.id == coupon_id)
                {
                    r.platform_coupon = None;
                }
            }
            Err(other) => panic!("unexpected refusal: {other}"),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn every_source_sums_exactly_and_no_line_goes_below_zero(r in arbitrary_request()) {
        let (_, q) = priced(r);
        let t = &q.totals;
        let items = |f: fn(&ItemQuote) -> Decimal| q.items.iter().map(f).sum::<Decimal>();
        let sellers = |f: fn(&SellerQuote) -> Decimal| q.sellers.iter().map(f).sum::<Decimal>();
        prop_assert_eq!(items(|i| i.list_amount), t.list_amount);
        prop_assert_eq!(items(|i| i.product_discount), t.product_discount);
        prop_assert_eq!(items(|i| i.seller_coupon_discount), t.seller_coupon_discount);
        prop_assert_eq!(items(|i| i.platform_coupon_discount), t.platform_coupon_discount);
        prop_assert_eq!(items(|i| i.platform_coupon_seller_funded), t.platform_coupon_seller_funded);
        prop_assert_eq!(items(|i| i.points) + sellers(|s| s.shipping_points), t.points);
        prop_assert_eq!(items(|i| i.cash) + sellers(|s| s.shipping_cash), t.cash);
        prop_assert_eq!(sellers(|s| s.shipping_fee), t.shipping_fee);
        prop_assert_eq!(items(|i| i.payable) + sellers(|s| s.shipping_payable), t.payable);
        prop_assert_eq!(
            t.list_amount - t.product_discount - t.seller_coupon_discount - t.platform_coupon_discount
                + t.shipping_fee - t.points - t.cash,
            t.payable
        );
        for i in &q.items {
            for part in [i.product_discount, i.seller_coupon_discount, i.platform_coupon_discount,
                         i.platform_coupon_seller_funded, i.points, i.cash, i.payable] {
                prop_assert!(part >= Decimal::ZERO);
            }
            prop_assert!(i.platform_coupon_seller_funded <= i.platform_coupon_discount);
            prop_assert_eq!(
                i.product_discount + i.seller_coupon_discount + i.platform_coupon_discount
                    + i.points + i.cash + i.payable,
                i.list_amount,
                "no line discounted past its own amount"
            );
        }
        for s in &q.sellers {
            prop_assert!(s.shipping_payable >= Decimal::ZERO);
        }
    }

    #[test]
    fn the_order_of_items_does_not_change_the_quote(r in arbitrary_request(), rotate in 0_usize..8) {
        let (r, q) = priced(r);
        let mut reordered = r.clone();
        reordered.items.reverse();
        let shift = rotate % reordered.items.len();
        reordered.items.rotate_left(shift);
        let again = quote(&reordered).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(&again.totals, &q.totals);
        prop_assert_eq!(&again.sellers, &q.sellers);
        for line in &q.items {
            let same = again.items.iter().find(|i| i.sku_id == line.sku_id);
            prop_assert_eq!(same, Some(line));
        }
    }
}
