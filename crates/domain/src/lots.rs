//! Drawing an amount from lots (points grants, cash lots, what an order
//! took from them): each lot is emptied before the next is touched.

use std::cmp::Ordering;

use rust_decimal::Decimal;

/// A lot with something left in it: a points grant, a cash lot.
pub trait Lot {
    fn id(&self) -> i64;
    fn remaining(&self) -> Decimal;
}

/// What is left across `lots`.
pub fn available<L: Lot>(lots: &[L]) -> Decimal {
    lots.iter()
        .map(|lot| lot.remaining().max(Decimal::ZERO))
        .sum()
}

/// How much to take from which lot to spend `amount`, the lots taken in
/// `order`; `Err` holds what is available when that is less than `amount`.
pub fn draw<L: Lot>(
    lots: &[L],
    amount: Decimal,
    order: impl Fn(&L, &L) -> Ordering,
) -> Result<Vec<(i64, Decimal)>, Decimal> {
    let available = available(lots);
    if amount > available {
        return Err(available);
    }
    let mut ordered: Vec<&L> = lots
        .iter()
        .filter(|lot| lot.remaining() > Decimal::ZERO)
        .collect();
    ordered.sort_by(|a, b| order(a, b));
    take_in_order(
        ordered.iter().map(|lot| (lot.id(), lot.remaining())),
        amount,
    )
    .ok_or(available)
}

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

/// The property every ledger's draw keeps, for its proptest: spending a
/// `fraction` of what `lots` hold takes exactly that, empties every lot but
/// the last it touches, and touches no lot while one `due_first` is left.
#[cfg(test)]
pub(crate) fn check_draw<L: Lot>(
    lots: &[L],
    fraction: f64,
    draw: impl Fn(&[L], Decimal) -> Result<Vec<(i64, Decimal)>, String>,
    due_first: impl Fn(&L, &L) -> bool,
) -> Result<(), proptest::test_runner::TestCaseError> {
    use proptest::test_runner::TestCaseError;
    use proptest::{prop_assert, prop_assert_eq};

    let total = available(lots);
    let amount = (total * Decimal::try_from(fraction).unwrap_or(Decimal::ZERO)).floor();
    let taken = draw(lots, amount).map_err(TestCaseError::fail)?;
    prop_assert_eq!(taken.iter().map(|(_, t)| *t).sum::<Decimal>(), amount);
    let by_id = |id: i64| lots.iter().find(|l| l.id() == id);
    for (i, (id, take)) in taken.iter().enumerate() {
        let this = by_id(*id).ok_or_else(|| TestCaseError::fail("unknown lot"))?;
        prop_assert!(*take > Decimal::ZERO && *take <= this.remaining());
        if i + 1 < taken.len() {
            prop_assert_eq!(
                *take,
                this.remaining(),
                "only the last lot drawn is partial"
            );
        }
        for other in lots.iter().filter(|other| due_first(other, this)) {
            let drawn = taken
                .iter()
                .find(|(oid, _)| *oid == other.id())
                .map(|(_, t)| *t);
            prop_assert_eq!(
                drawn,
                Some(other.remaining()),
                "a lot due first is emptied first"
            );
        }
    }
    Ok(())
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
