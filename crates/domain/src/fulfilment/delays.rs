//! Fulfilment running late, as operations and shoppers need to hear of it:
//! a vendor order not dispatched by its deadline, a parcel the carrier has
//! not scanned a day after its number was registered, a parcel in transit
//! for more than five days.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};

use super::dispatch::DispatchPlan;

/// A parcel whose number was registered this long ago without a carrier
/// scan is flagged.
pub const NO_SCAN_AFTER: TimeDelta = TimeDelta::hours(24);

/// A parcel this long in the carrier's hands without delivery is flagged.
pub const IN_TRANSIT_LONGER_THAN: TimeDelta = TimeDelta::days(5);

/// What is running late.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DelayKind {
    /// Product orders still wait to leave the vendor after the deadline.
    LateDispatch,
    /// A tracking number registered, but no carrier scan within a day.
    NoCarrierScan,
    /// In the carrier's hands for more than five days, not delivered.
    LongInTransit,
}

impl DelayKind {
    pub const ALL: [DelayKind; 3] = [Self::LateDispatch, Self::NoCarrierScan, Self::LongInTransit];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::LateDispatch => "late_dispatch",
            Self::NoCarrierScan => "no_carrier_scan",
            Self::LongInTransit => "long_in_transit",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == name)
    }

    /// What the shopper and the vendor read.
    pub fn describe(self) -> &'static str {
        match self {
            Self::LateDispatch => "has not been dispatched by its deadline",
            Self::NoCarrierScan => "has a tracking number but the carrier has not scanned it yet",
            Self::LongInTransit => "has been with the carrier for more than five days",
        }
    }
}

/// Whether a vendor order with something still to dispatch is late on
/// `today` (in Korea).
pub fn dispatch_is_late(plan: &DispatchPlan, awaiting_dispatch: bool, today: NaiveDate) -> bool {
    awaiting_dispatch && plan.is_late(today)
}

/// A live (shipped, not delivered) parcel's facts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parcel {
    pub shipped_at: DateTime<Utc>,
    pub first_scan_at: Option<DateTime<Utc>>,
    pub delivered_at: Option<DateTime<Utc>>,
}

/// What, if anything, is late about a parcel at `now`.
pub fn parcel_delay(parcel: Parcel, now: DateTime<Utc>) -> Option<DelayKind> {
    if parcel.delivered_at.is_some() {
        return None;
    }
    match parcel.first_scan_at {
        None if now - parcel.shipped_at > NO_SCAN_AFTER => Some(DelayKind::NoCarrierScan),
        Some(scanned) if now - scanned > IN_TRANSIT_LONGER_THAN => Some(DelayKind::LongInTransit),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(hours: i64) -> DateTime<Utc> {
        DateTime::<Utc>::UNIX_EPOCH + TimeDelta::days(20_000) + TimeDelta::hours(hours)
    }

    #[test]
    fn names_round_trip() {
        for kind in DelayKind::ALL {
            assert_eq!(DelayKind::parse(kind.as_str()), Some(kind));
        }
    }

    #[test]
    fn an_unscanned_parcel_is_flagged_after_a_day() {
        let parcel = Parcel {
            shipped_at: at(0),
            first_scan_at: None,
            delivered_at: None,
        };
        assert_eq!(parcel_delay(parcel, at(24)), None);
        assert_eq!(parcel_delay(parcel, at(25)), Some(DelayKind::NoCarrierScan));
    }

    #[test]
    fn a_parcel_is_flagged_after_five_days_in_transit_until_delivered() {
        let parcel = Parcel {
            shipped_at: at(0),
            first_scan_at: Some(at(10)),
            delivered_at: None,
        };
        assert_eq!(parcel_delay(parcel, at(10 + 120)), None);
        assert_eq!(
            parcel_delay(parcel, at(11 + 120)),
            Some(DelayKind::LongInTransit)
        );
        let delivered = Parcel {
            delivered_at: Some(at(200)),
            ..parcel
        };
        assert_eq!(parcel_delay(delivered, at(300)), None);
    }

    #[test]
    fn dispatch_is_late_only_while_something_waits() {
        let plan = DispatchPlan {
            due: NaiveDate::from_ymd_opt(2026, 12, 10).unwrap_or_default(),
            declared: None,
            delayed_to: None,
        };
        let after = NaiveDate::from_ymd_opt(2026, 12, 11).unwrap_or_default();
        assert!(dispatch_is_late(&plan, true, after));
        assert!(!dispatch_is_late(&plan, false, after));
        assert!(!dispatch_is_late(&plan, true, plan.due));
    }
}
