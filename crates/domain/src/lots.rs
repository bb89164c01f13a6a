//! Drawing an amount from lots (points grants, cash lots, what an order
//! took from them): each lot is emptied before the next is touched.

use rust_decimal::Decimal;

/// How much to take from each `(lot, available)` in the given order to make
/// `amount`; `None` when the lots hold less.
pub fn take_in_order(
    ordered: impl IntoIterator<Item = (i64, Decimal)>,
    amount: Decimal,
) -> Option<Vec<(i64, Decimal)>> {
    let mut left = amount;
    let mut taken = Vec::new();
    for (lot, available) in ordered {
        if left <= Decimal::ZERO {
            break;
        }
        if available <= Decimal::ZERO {
            continue;
        }
        let take = available.min(left);
        taken.push((lot, take));
        left -= take;
    }
    (left <= Decimal::ZERO).then_some(taken)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empties_each_lot_before_the_next_and_refuses_a_shortfall() {
        let lots = [
            (7, Decimal::from(500)),
            (3, Decimal::ZERO),
            (9, Decimal::from(200)),
        ];
        assert_eq!(
            take_in_order(lots, Decimal::from(600)),
            Some(vec![(7, Decimal::from(500)), (9, Decimal::from(100))])
        );
        assert_eq!(take_in_order(lots, Decimal::ZERO), Some(vec![]));
        assert_eq!(take_in_order(lots, Decimal::from(701)), None);
    }
}
