//! A payee's statement for a period: a projection of its journal entries,
//! nothing stored. The same entries give the same statement, byte for
//! byte, so a closed period's statement never changes.

use chrono::{Datelike, Months, NaiveDate};
use rust_decimal::Decimal;

use super::journal::{Account, EntryKind, Line, Side};

/// A statement's period: a calendar month in Korea, named `YYYY-MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Period {
    first: NaiveDate,
}

impl Period {
    pub fn parse(name: &str) -> Option<Self> {
        let (year, month) = name.split_once('-')?;
        if year.len() != 4 || month.len() != 2 {
            return None;
        }
        NaiveDate::from_ymd_opt(year.parse().ok()?, month.parse().ok()?, 1)
            .map(|first| Self { first })
    }

    /// The month `date` falls in.
    pub fn of(date: NaiveDate) -> Self {
        Self {
            first: date.with_day(1).unwrap_or(date),
        }
    }

    pub fn name(self) -> String {
        self.first.format("%Y-%m").to_string()
    }

    /// Its first day.
    pub fn first_day(self) -> NaiveDate {
        self.first
    }

    /// The first day of the next period.
    pub fn end(self) -> NaiveDate {
        self.first + Months::new(1)
    }

    pub fn next(self) -> Self {
        Self { first: self.end() }
    }
}

/// What a period's entries add up to for the payee.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Statement {
    /// What the platform owed the payee when the period began (negative:
    /// what the payee owed, carried from claims).
    pub opening: Decimal,
    /// The sales confirmed, at the price charged before coupons.
    pub sales: Decimal,
    /// Coupons the payee funded (its own, its share of the platform's).
    pub payee_funded_discounts: Decimal,
    /// Coupons the platform funded: paid to the payee as if the buyer had.
    pub platform_funded_discounts: Decimal,
    pub commission: Decimal,
    pub commission_vat: Decimal,
    /// Shipping fees and the fees claims kept, collected for the payee.
    pub shipping: Decimal,
    /// Earnings re-priced by claims on other lines.
    pub adjustments: Decimal,
    /// Earnings claims took back (negative).
    pub clawbacks: Decimal,
    /// Paid out (negative).
    pub payouts: Decimal,
    /// What the platform owes the payee when the period ends.
    pub closing: Decimal,
}

impl Statement {
    /// Folds a period's lines (with their entry's kind) onto `opening`.
    pub fn of<'a>(
        opening: Decimal,
        lines: impl IntoIterator<Item = (EntryKind, &'a Line)>,
    ) -> Self {
        let mut statement = Self {
            opening,
            closing: opening,
            ..Self::default()
        };
        for (kind, line) in lines {
            statement.closing += line.payee_effect();
            let amount = line.amount;
            match (kind, line.account, line.side) {
                (EntryKind::Earning, Account::PayeePayable, Side::Credit) => {
                    statement.sales += amount
                }
                (EntryKind::Earning, Account::PayeeFundedDiscounts, Side::Debit) => {
                    statement.payee_funded_discounts += amount;
                }
                (EntryKind::Earning, Account::PromotionExpense, Side::Debit) => {
                    statement.platform_funded_discounts += amount;
                }
                (EntryKind::Earning, Account::CommissionRevenue, Side::Credit) => {
                    statement.commission += amount;
                }
                (EntryKind::Earning, Account::VatPayable, Side::Credit) => {
                    statement.commission_vat += amount;
                }
                (EntryKind::Shipping, _, _) => statement.shipping += line.payee_effect(),
                (EntryKind::Adjustment, _, _) => statement.adjustments += line.payee_effect(),
                (EntryKind::Clawback, _, _) => statement.clawbacks += line.payee_effect(),
                (EntryKind::Payout, _, _) => statement.payouts += line.payee_effect(),
                _ => {}
            }
        }
        statement
    }

    /// What the period's confirmed sales earned, before claims and payouts.
    pub fn earned(&self) -> Decimal {
        self.sales - self.payee_funded_discounts - self.commission - self.commission_vat
    }

    /// The statement as CSV: one `item,amount` row per figure, in a fixed
    /// order, amounts in whole won.
    pub fn to_csv(&self, payee: &str, period: &str) -> String {
        let rows = [
            ("opening_balance", self.opening),
            ("sales", self.sales),
            ("payee_funded_discounts", -self.payee_funded_discounts),
            ("platform_funded_discounts", self.platform_funded_discounts),
            ("commission", -self.commission),
            ("commission_vat", -self.commission_vat),
            ("shipping", self.shipping),
            ("adjustments", self.adjustments),
            ("clawbacks", self.clawbacks),
            ("payouts", self.payouts),
            ("closing_balance", self.closing),
        ];
        let mut csv = format!("payee,{payee}\r\nperiod,{period}\r\nitem,amount\r\n");
        for (item, amount) in rows {
            csv.push_str(&format!("{item},{}\r\n", whole_won(amount)));
        }
        csv
    }
}

/// An amount as whole won, zero without a sign.
fn whole_won(amount: Decimal) -> String {
    let rounded = crate::money::Currency::Krw.round(amount);
    if rounded.is_zero() {
        "0".to_owned()
    } else {
        rounded.normalize().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settlement::earning::{ConfirmedLine, earning, shipping};
    use crate::settlement::journal::Entry;
    use proptest::prelude::*;

    fn won(n: i64) -> Decimal {
        Decimal::from(n)
    }

    #[test]
    fn periods_are_months_named_by_year_and_month() {
        let period = Period::parse("2026-12").expect("a period");
        assert_eq!(period.name(), "2026-12");
        assert_eq!(period.next().name(), "2027-01");
        assert_eq!(
            period.end(),
            NaiveDate::from_ymd_opt(2027, 1, 1).expect("a date")
        );
        for bad in ["2026-13", "2026-1", "26-12", "2026/12", "x"] {
            assert_eq!(Period::parse(bad), None, "{bad}");
        }
    }

    proptest! {
        /// Whatever entries a period holds, the statement's figures explain
        /// its closing balance: opening + earned + shipping + adjustments +
        /// clawbacks + payouts; and it is the payee's net of the entries.
        #[test]
        fn the_figures_add_up_to_the_closing_balance(
            opening in -1_000_000_i64..1_000_000,
            lines in prop::collection::vec((1_000_i64..500_000, 0_i64..=300, 0_i64..=300, 0_i64..=1000, any::<bool>()), 0..12),
            fee in 0_i64..5_000,
            paid in 0_i64..1_000_000,
        ) {
            let mut entries: Vec<(EntryKind, Entry)> = Vec::new();
            for &(list, seller_pm, platform_pm, funded_pm, taken_back) in &lines {
                let platform = list * platform_pm / 1000;
                let line = ConfirmedLine {
                    list_amount: won(list),
                    product_discount: Decimal::ZERO,
                    seller_coupon_discount: won(list * seller_pm / 1000),
                    platform_coupon_discount: won(platform),
                    platform_coupon_seller_funded: won(platform * funded_pm / 1000),
                    commission_rate: Decimal::new(12, 2),
                    commission_vat_rate: Decimal::new(10, 2),
                };
                let earned = earning(&line).entry;
                if taken_back {
                    entries.push((EntryKind::Clawback, Entry::difference(&Default::default(), &earned.nets())));
                }
                entries.push((EntryKind::Earning, earned));
            }
            entries.push((EntryKind::Shipping, shipping(won(fee))));
            entries.push((EntryKind::Payout, Entry::default()
                .debit(Account::PayeePayable, won(paid))
                .credit(Account::BuyerClearing, won(paid))));
            let net: Decimal = entries.iter().map(|(_, e)| e.payee_net()).sum();
            let statement = Statement::of(
                won(opening),
                entries.iter().flat_map(|(kind, e)| e.lines().iter().map(move |l| (*kind, l))),
            );
            prop_assert_eq!(statement.closing, won(opening) + net);
            prop_assert_eq!(
                statement.closing,
                statement.opening + statement.earned() + statement.shipping
                    + statement.adjustments + statement.clawbacks + statement.payouts
            );
            let again = Statement::of(
                won(opening),
                entries.iter().flat_map(|(kind, e)| e.lines().iter().map(move |l| (*kind, l))),
            );
            prop_assert_eq!(again.to_csv("p", "2026-12"), statement.to_csv("p", "2026-12"));
        }
    }
}
