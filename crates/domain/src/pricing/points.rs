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

impl crate::lots::Lot for Lot {
    fn id(&self) -> i64 {
        self.id
    }
    fn remaining(&self) -> Decimal {
        self.remaining
    }
}

/// The balance: what is left of every lot.
pub fn balance(lots: &[Lot]) -> Decimal {
    crate::lots::available(lots)
}

/// How much to take from which lot to spend `amount`: earliest expiry first
/// (ties: the older grant).
pub fn draw(lots: &[Lot], amount: Decimal) -> Result<Vec<(i64, Decimal)>, Insufficient> {
    crate::lots::draw(lots, amount, |a, b| {
        (a.expires_at, a.id).cmp(&(b.expires_at, b.id))
    })
    .map_err(|available| Insufficient { available })
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
            crate::lots::check_draw(
                &lots,
                fraction,
                |lots, amount| draw(lots, amount).map_err(|e| e.to_string()),
                |other, this| (other.expires_at, other.id) < (this.expires_at, this.id),
            )?;
        }
    }
}
