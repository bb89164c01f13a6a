//! Points: granted in lots that expire; spending draws the lots that expire
//! first, so nothing is lost that could have been used.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

/// A grant with what is left of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lot {
    pub id: i64,
    pub remaining: Decimal,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("only {available} points available")]
pub struct Insufficient {
    pub available: Decimal,
}

/// The balance: what is left of every lot.
pub fn balance(lots: &[Lot]) -> Decimal {
    lots.iter()
        .map(|lot| lot.remaining.max(Decimal::ZERO))
        .sum()
}

/// How much to take from which lot to spend `amount`: earliest expiry first
/// (ties: the older grant).
pub fn draw(lots: &[Lot], amount: Decimal) -> Result<Vec<(i64, Decimal)>, Insufficient> {
    let available = balance(lots);
    if amount > available {
        return Err(Insufficient { available });
    }
    let mut ordered: Vec<&Lot> = lots
        .iter()
        .filter(|l| l.remaining > Decimal::ZERO)
        .collect();
    ordered.sort_by_key(|l| (l.expires_at, l.id));
    crate::lots::take_in_order(ordered.iter().map(|l| (l.id, l.remaining)), amount)
        .ok_or(Insufficient { available })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};
    use proptest::prelude::*;

    fn lot(id: i64, remaining: i64, days: i64) -> Lot {
        Lot {
            id,
            remaining: Decimal::from(remaining),
            expires_at: Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap() + Duration::days(days),
        }
    }

    #[test]
    fn spends_the_lot_that_expires_first() {
        let lots = [lot(1, 500, 30), lot(2, 300, 5), lot(3, 1000, 90)];
        assert_eq!(
            draw(&lots, Decimal::from(600)),
            Ok(vec![(2, Decimal::from(300)), (1, Decimal::from(300))])
        );
        assert_eq!(
            draw(&lots, Decimal::from(1801)),
            Err(Insufficient {
                available: Decimal::from(1800)
            })
        );
        assert_eq!(draw(&lots, Decimal::ZERO), Ok(vec![]));
    }

    proptest! {
        #[test]
        fn draws_exactly_and_never_a_later_lot_before_an_earlier_one_is_empty(
            raw in prop::collection::vec((1_i64..10_000, 0_i64..400), 1..10),
            fraction in 0.0_f64..=1.0,
        ) {
            let lots: Vec<Lot> = raw.iter().enumerate()
                .map(|(i, (remaining, days))| lot(i64::try_from(i).unwrap_or(0), *remaining, *days))
                .collect();
            let total = balance(&lots);
            let amount = (total * Decimal::try_from(fraction).unwrap_or(Decimal::ZERO)).floor();
            let taken = draw(&lots, amount).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(taken.iter().map(|(_, t)| *t).sum::<Decimal>(), amount);
            let by_id = |id: i64| lots.iter().find(|l| l.id == id).cloned();
            for (i, (id, take)) in taken.iter().enumerate() {
                let this = by_id(*id).ok_or_else(|| TestCaseError::fail("unknown lot"))?;
                prop_assert!(*take > Decimal::ZERO && *take <= this.remaining);
                if i + 1 < taken.len() {
                    prop_assert_eq!(*take, this.remaining, "only the last lot drawn is partial");
                }
                for other in &lots {
                    let earlier = (other.expires_at, other.id) < (this.expires_at, this.id);
                    if earlier {
                        let drawn = taken.iter().find(|(oid, _)| *oid == other.id).map(|(_, t)| *t);
                        prop_assert_eq!(drawn, Some(other.remaining));
                    }
                }
            }
        }
    }
}
