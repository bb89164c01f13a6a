//! What a payee earns when a product order is confirmed, as a journal
//! entry: the sale (after the payee's own price cut), less the discounts
//! the payee funded, less the commission on what is left and the VAT on
//! that commission. Discounts the platform funded are the platform's
//! expense: the payee is paid as if the buyer had paid them.

use rust_decimal::Decimal;

use super::journal::{Account, Entry};
use crate::money::Currency;

/// A confirmed product order's amounts, as allocated at checkout (and
/// re-allocated by claims), with the commission frozen at placement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfirmedLine {
    pub list_amount: Decimal,
    /// The payee's own price cut (its sale price).
    pub product_discount: Decimal,
    pub seller_coupon_discount: Decimal,
    pub platform_coupon_discount: Decimal,
    /// The part of the platform coupon the payee funds.
    pub platform_coupon_seller_funded: Decimal,
    pub commission_rate: Decimal,
    pub commission_vat_rate: Decimal,
}

/// The earning's figures and the entry that posts them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Earning {
    /// The price the buyer was charged before coupons.
    pub sale: Decimal,
    pub payee_funded_discounts: Decimal,
    pub platform_funded_discounts: Decimal,
    /// What the buyer paid, by any tender.
    pub buyer_paid: Decimal,
    pub commission: Decimal,
    pub commission_vat: Decimal,
    pub entry: Entry,
}

impl Earning {
    /// What the payee is owed for the line.
    pub fn payee_net(&self) -> Decimal {
        self.sale - self.payee_funded_discounts - self.commission - self.commission_vat
    }
}

/// Commission and its VAT on `base`, each rounded to the won.
pub fn commission_on(base: Decimal, rate: Decimal, vat_rate: Decimal) -> (Decimal, Decimal) {
    let commission = Currency::Krw.round(base.max(Decimal::ZERO) * rate);
    (commission, Currency::Krw.round(commission * vat_rate))
}

pub fn earning(line: &ConfirmedLine) -> Earning {
    let sale = line.list_amount - line.product_discount;
    let payee_funded_discounts = line.seller_coupon_discount + line.platform_coupon_seller_funded;
    let platform_funded_discounts =
        line.platform_coupon_discount - line.platform_coupon_seller_funded;
    let buyer_paid = sale - payee_funded_discounts - platform_funded_discounts;
    let (commission, commission_vat) = commission_on(
        sale - payee_funded_discounts,
        line.commission_rate,
        line.commission_vat_rate,
    );
    let entry = Entry::default()
        .debit(Account::BuyerClearing, buyer_paid)
        .debit(Account::PromotionExpense, platform_funded_discounts)
        .debit(Account::PayeeFundedDiscounts, payee_funded_discounts)
        .credit(Account::PayeePayable, sale)
        .debit(Account::PayeePayable, commission)
        .credit(Account::CommissionRevenue, commission)
        .debit(Account::PayeePayable, commission_vat)
        .credit(Account::VatPayable, commission_vat);
    Earning {
        sale,
        payee_funded_discounts,
        platform_funded_discounts,
        buyer_paid,
        commission,
        commission_vat,
        entry,
    }
}

/// The shipping fee a vendor order's buyer paid, collected for the payee.
pub fn shipping(fee: Decimal) -> Entry {
    Entry::default()
        .debit(Account::BuyerClearing, fee)
        .credit(Account::ShippingCollected, fee)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settlement::journal::Side;
    use proptest::prelude::*;

    fn won(n: i64) -> Decimal {
        Decimal::from(n)
    }

    #[test]
    fn a_line_with_both_fundings_worked_by_hand() {
        // ₩50,000 listed, sold at ₩45,000; the vendor's coupon takes
        // ₩3,000; the platform's coupon ₩4,000, of which the vendor funds
        // ₩1,000. Commission 12 % of ₩41,000 = ₩4,920, VAT ₩492.
        let earning = earning(&ConfirmedLine {
            list_amount: won(50_000),
            product_discount: won(5_000),
            seller_coupon_discount: won(3_000),
            platform_coupon_discount: won(4_000),
            platform_coupon_seller_funded: won(1_000),
            commission_rate: Decimal::new(12, 2),
            commission_vat_rate: Decimal::new(10, 2),
        });
        assert_eq!(earning.buyer_paid, won(38_000));
        assert_eq!(earning.commission, won(4_920));
        assert_eq!(earning.commission_vat, won(492));
        assert_eq!(earning.payee_net(), won(35_588));
        assert_eq!(earning.entry.payee_net(), won(35_588));
        assert_eq!(
            earning.entry.on(Account::PromotionExpense, Side::Debit),
            won(3_000)
        );
        assert!(earning.entry.balances());
    }

    proptest! {
        #[test]
        fn every_earning_balances_and_pays_the_payee_its_net(
            list in 0_i64..5_000_000,
            cut_per_mille in 0_i64..=1000,
            seller_coupon_per_mille in 0_i64..=1000,
            platform_per_mille in 0_i64..=1000,
            funded_per_mille in 0_i64..=1000,
            rate_bp in 0_i64..9_999,
        ) {
            let sale = list - list * cut_per_mille / 1000;
            let seller_coupon = sale * seller_coupon_per_mille / 1000;
            let platform = (sale - seller_coupon) * platform_per_mille / 1000;
            let funded = platform * funded_per_mille / 1000;
            let earning = earning(&ConfirmedLine {
                list_amount: won(list),
                product_discount: won(list - sale),
                seller_coupon_discount: won(seller_coupon),
                platform_coupon_discount: won(platform),
                platform_coupon_seller_funded: won(funded),
                commission_rate: Decimal::new(rate_bp, 4),
                commission_vat_rate: Decimal::new(10, 2),
            });
            prop_assert!(earning.entry.balances());
            prop_assert_eq!(earning.entry.payee_net(), earning.payee_net());
            prop_assert_eq!(earning.buyer_paid, won(sale - seller_coupon - platform));
            prop_assert!(earning.commission <= won(sale - seller_coupon - funded));
            prop_assert!(earning.commission.fract().is_zero() && earning.commission_vat.fract().is_zero());
            prop_assert!(earning.entry.lines().iter().all(|l| l.amount > Decimal::ZERO));
        }

        /// A confirmed line whose coupon shares claims change (and which a
        /// claim may take back at last): posting each difference keeps the
        /// journal at exactly what the line earns now, every difference
        /// balances, and a line taken back leaves nothing behind.
        #[test]
        fn posting_differences_follows_the_line_to_the_last_won(
            list in 1_000_i64..2_000_000,
            shares in prop::collection::vec((0_i64..=300, 0_i64..=300, 0_i64..=1000), 1..6),
            taken_back in any::<bool>(),
            rate_bp in 0_i64..3_000,
        ) {
            use crate::settlement::journal::Nets;
            let mut posted = Nets::new();
            let mut states: Vec<Option<ConfirmedLine>> = shares
                .iter()
                .map(|&(seller_per_mille, platform_per_mille, funded_per_mille)| {
                    let seller_coupon = list * seller_per_mille / 1000;
                    let platform = list * platform_per_mille / 1000;
                    Some(ConfirmedLine {
                        list_amount: won(list),
                        product_discount: Decimal::ZERO,
                        seller_coupon_discount: won(seller_coupon),
                        platform_coupon_discount: won(platform),
                        platform_coupon_seller_funded: won(platform * funded_per_mille / 1000),
                        commission_rate: Decimal::new(rate_bp, 4),
                        commission_vat_rate: Decimal::new(10, 2),
                    })
                })
                .collect();
            if taken_back {
                states.push(None);
            }
            for state in &states {
                let target = state.as_ref().map(|line| earning(line).entry).unwrap_or_default();
                let difference = Entry::difference(&target.nets(), &posted);
                prop_assert!(difference.balances());
                for (account, net) in difference.nets() {
                    *posted.entry(account).or_default() += net;
                }
                posted.retain(|_, net| !net.is_zero());
                prop_assert_eq!(&posted, &target.nets());
            }
            if taken_back {
                prop_assert!(posted.is_empty());
            }
        }
    }
}
