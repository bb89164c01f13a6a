//! When a purchase confirms itself: some days after the carrier's delivery
//! event; without one, only long after shipping and once the shopper has
//! been told it will happen. A shopper may confirm any time after shipping.

use chrono::{DateTime, TimeDelta, Utc};
use rust_decimal::Decimal;

/// Points a confirmation earns on `paid` (card and cash) at `rate`: whole
/// points, rounded down.
pub fn points_earned(paid: Decimal, rate: Decimal) -> Decimal {
    (paid * rate).floor().max(Decimal::ZERO)
}

/// The waits of automatic confirmation (configuration).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConfirmationRule {
    /// After the carrier's delivery event (N).
    pub after_delivery: TimeDelta,
    /// Added to N when no carrier reported delivery (M), counted from
    /// shipping.
    pub without_delivery_extra: TimeDelta,
    /// How long before confirming without a delivery event the shopper is
    /// told.
    pub notice: TimeDelta,
}

/// What a shipped product order's facts say about confirming it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Awaiting {
    pub shipped_at: DateTime<Utc>,
    /// The carrier's first delivery event.
    pub carrier_delivered_at: Option<DateTime<Utc>>,
    /// When the shopper was told it would confirm without a delivery event.
    pub noticed_at: Option<DateTime<Utc>>,
}

/// What the schedule does with a product order now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    Wait,
    /// Tell the shopper it will confirm without a delivery event.
    Notify,
    Confirm,
}

impl ConfirmationRule {
    /// When a product order delivered at `delivered_at` confirms.
    pub fn after_delivery_at(&self, delivered_at: DateTime<Utc>) -> DateTime<Utc> {
        delivered_at + self.after_delivery
    }

    /// When a product order without a delivery event may confirm (the
    /// notice having gone out in time).
    pub fn without_delivery_at(&self, shipped_at: DateTime<Utc>) -> DateTime<Utc> {
        shipped_at + self.after_delivery + self.without_delivery_extra
    }

    pub fn next(&self, line: Awaiting, now: DateTime<Utc>) -> Next {
        if let Some(delivered_at) = line.carrier_delivered_at {
            return if now >= self.after_delivery_at(delivered_at) {
                Next::Confirm
            } else {
                Next::Wait
            };
        }
        let due = self.without_delivery_at(line.shipped_at);
        match line.noticed_at {
            None if now >= due - self.notice => Next::Notify,
            Some(noticed) if now >= due && now >= noticed + self.notice => Next::Confirm,
            _ => Next::Wait,
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn rule() -> ConfirmationRule {
        ConfirmationRule {
            after_delivery: TimeDelta::days(7),
            without_delivery_extra: TimeDelta::days(7),
            notice: TimeDelta::days(3),
        }
    }

    fn day(n: i64) -> DateTime<Utc> {
        DateTime::<Utc>::UNIX_EPOCH + TimeDelta::days(20_000 + n)
    }

    #[test]
    fn points_are_whole_and_rounded_down() {
        let rate = Decimal::new(1, 2);
        assert_eq!(
            points_earned(Decimal::from(89_950), rate),
            Decimal::from(899)
        );
        assert_eq!(points_earned(Decimal::from(99), rate), Decimal::ZERO);
    }

    #[test]
    fn confirms_n_days_after_the_carrier_delivered() {
        let line = Awaiting {
            shipped_at: day(0),
            carrier_delivered_at: Some(day(2)),
            noticed_at: None,
        };
        assert_eq!(rule().next(line, day(8)), Next::Wait);
        assert_eq!(rule().next(line, day(9)), Next::Confirm);
    }

    #[test]
    fn without_a_delivery_event_the_shopper_is_told_first() {
        let line = Awaiting {
            shipped_at: day(0),
            carrier_delivered_at: None,
            noticed_at: None,
        };
        assert_eq!(rule().next(line, day(10)), Next::Wait);
        assert_eq!(rule().next(line, day(11)), Next::Notify);
        // Not told yet: never confirmed, however late.
        assert_eq!(rule().next(line, day(40)), Next::Notify);
        let told = Awaiting {
            noticed_at: Some(day(20)),
            ..line
        };
        assert_eq!(rule().next(told, day(22)), Next::Wait);
        assert_eq!(rule().next(told, day(23)), Next::Confirm);
    }

    proptest! {
        /// Never confirmed before N days after delivery, nor without a
        /// delivery event before shipped + N + M and a notice given at
        /// least the notice period before.
        #[test]
        fn never_confirms_early(
            shipped in 0_i64..30,
            delivered in proptest::option::of(0_i64..30),
            noticed in proptest::option::of(0_i64..60),
            now in 0_i64..90,
        ) {
            let line = Awaiting {
                shipped_at: day(shipped),
                carrier_delivered_at: delivered.map(|d| day(shipped + d)),
                noticed_at: noticed.map(day),
            };
            if rule().next(line, day(now)) == Next::Confirm {
                match line.carrier_delivered_at {
                    Some(at) => prop_assert!(day(now) >= at + TimeDelta::days(7)),
                    None => {
                        prop_assert!(day(now) >= line.shipped_at + TimeDelta::days(14));
                        let noticed = line.noticed_at;
                        prop_assert!(noticed.is_some_and(|n| day(now) >= n + TimeDelta::days(3)));
                    }
                }
            }
        }
    }
}
