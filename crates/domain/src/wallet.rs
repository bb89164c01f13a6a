//! The cash wallet: charged cash (paid for; refundable) and bonus cash
//! (granted by events; not refundable) in lots. Spending takes the lot that
//! expires first (lots that never expire last), then charged before bonus
//! cash, then the smaller lot first — so event cash is not lost to expiry
//! and small remainders are cleared.

use std::cmp::Ordering;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum LotKind {
    /// Paid for (through a payment provider or an in-app purchase).
    Charged,
    /// Granted by an event.
    Bonus,
}

/// A lot with what is left of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lot {
    pub id: i64,
    pub kind: LotKind,
    pub remaining: Decimal,
    /// `None`: never expires.
    pub expires_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("only {available} cash available")]
pub struct Insufficient {
    pub available: Decimal,
}

/// The wallet's balance by kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Balance {
    pub charged: Decimal,
    pub bonus: Decimal,
}

impl Balance {
    pub fn total(&self) -> Decimal {
        self.charged + self.bonus
    }
}

pub fn balance(lots: &[Lot]) -> Balance {
    lots.iter()
        .filter(|lot| lot.remaining > Decimal::ZERO)
        .fold(Balance::default(), |mut balance, lot| {
            match lot.kind {
                LotKind::Charged => balance.charged += lot.remaining,
                LotKind::Bonus => balance.bonus += lot.remaining,
            }
            balance
        })
}

/// The order in which lots are spent.
pub fn spending_order(a: &Lot, b: &Lot) -> Ordering {
    let expiry = match (a.expires_at, b.expires_at) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    };
    expiry
        .then(a.kind.cmp(&b.kind))
        .then(a.remaining.cmp(&b.remaining))
        .then(a.id.cmp(&b.id))
}

impl crate::lots::Lot for Lot {
    fn id(&self) -> i64 {
        self.id
    }
    fn remaining(&self) -> Decimal {
        self.remaining
    }
}

/// How much to take from which lot to spend `amount`.
pub fn draw(lots: &[Lot], amount: Decimal) -> Result<Vec<(i64, Decimal)>, Insufficient> {
    crate::lots::draw(lots, amount, spending_order).map_err(|available| Insufficient { available })
}

/// How much to take from which lot to refund `amount` of charged cash:
/// the newest charge first (the most recent payment is the one its
/// provider still cancels most surely); bonus cash never goes back.
/// `refundable` holds only lots whose payment can be cancelled.
pub fn refund_from(
    refundable: &[Lot],
    amount: Decimal,
) -> Result<Vec<(i64, Decimal)>, Insufficient> {
    let charged: Vec<Lot> = refundable
        .iter()
        .filter(|lot| lot.kind == LotKind::Charged)
        .cloned()
        .collect();
    crate::lots::draw(&charged, amount, |a, b| b.id.cmp(&a.id))
        .map_err(|available| Insufficient { available })
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};
    use proptest::prelude::*;

    use super::*;

    fn lot(id: i64, kind: LotKind, remaining: i64, days: Option<i64>) -> Lot {
        Lot {
            id,
            kind,
            remaining: Decimal::from(remaining),
            expires_at: days
                .map(|d| Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap() + Duration::days(d)),
        }
    }

    #[test]
    fn earliest_expiry_then_charged_before_bonus_then_the_smaller_lot() {
        let lots = [
            lot(1, LotKind::Charged, 10_000, None),
            lot(2, LotKind::Bonus, 3_000, Some(30)),
            lot(3, LotKind::Bonus, 2_000, Some(10)),
            lot(4, LotKind::Charged, 5_000, Some(30)),
            lot(5, LotKind::Charged, 1_000, Some(30)),
            lot(6, LotKind::Charged, 500, None),
        ];
        let taken = draw(&lots, Decimal::from(20_000)).unwrap();
        let order: Vec<i64> = taken.iter().map(|(id, _)| *id).collect();
        assert_eq!(order, vec![3, 5, 4, 2, 6, 1]);
        assert_eq!(taken.last(), Some(&(1, Decimal::from(8_500))));
        assert_eq!(
            balance(&lots),
            Balance {
                charged: Decimal::from(16_500),
                bonus: Decimal::from(5_000)
            }
        );
        assert_eq!(
            draw(&lots, Decimal::from(21_501)),
            Err(Insufficient {
                available: Decimal::from(21_500)
            })
        );
    }

    proptest! {
        #[test]
        fn draws_exactly_and_never_passes_over_a_lot_due_first(
            raw in prop::collection::vec((1_i64..10_000, any::<bool>(), prop::option::of(0_i64..60)), 1..10),
            fraction in 0.0_f64..=1.0,
        ) {
            let lots: Vec<Lot> = raw.iter().enumerate()
                .map(|(i, (remaining, bonus, days))| lot(
                    i64::try_from(i).unwrap_or(0),
                    if *bonus { LotKind::Bonus } else { LotKind::Charged },
                    *remaining,
                    *days,
                ))
                .collect();
            crate::lots::check_draw(
                &lots,
                fraction,
                |lots, amount| draw(lots, amount).map_err(|e| e.to_string()),
                |other, this| spending_order(other, this) == Ordering::Less,
            )?;
        }

        #[test]
        fn refunds_exactly_newest_charge_first_and_never_bonus(
            raw in prop::collection::vec((1_i64..10_000, any::<bool>()), 1..10),
            fraction in 0.0_f64..=1.0,
        ) {
            let lots: Vec<Lot> = raw.iter().enumerate()
                .map(|(i, (remaining, bonus))| lot(
                    i64::try_from(i).unwrap_or(0),
                    if *bonus { LotKind::Bonus } else { LotKind::Charged },
                    *remaining,
                    None,
                ))
                .collect();
            let charged: Vec<Lot> = lots.iter().filter(|l| l.kind == LotKind::Charged).cloned().collect();
            crate::lots::check_draw(
                &charged,
                fraction,
                |_, amount| refund_from(&lots, amount).map_err(|e| e.to_string()),
                |other, this| other.id > this.id,
            )?;
            let all = crate::lots::available(&charged);
            prop_assert!(refund_from(&lots, all + Decimal::ONE).is_err());
        }
    }
}
