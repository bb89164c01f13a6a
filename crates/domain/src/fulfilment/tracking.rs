//! The carrier's story of a parcel: events as the carrier reports them
//! (Delivery Tracker's `TrackEventStatusCode`s), arriving late, twice or out
//! of order, folded into where the parcel is. Delivery is final: whatever
//! arrives after a delivery event never moves the parcel back.

use chrono::{DateTime, Utc};

/// Where the carrier says the parcel is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TrackStatus {
    Unknown,
    InformationReceived,
    AtPickup,
    InTransit,
    OutForDelivery,
    AttemptFail,
    Exception,
    AvailableForPickup,
    Delivered,
}

impl TrackStatus {
    pub const ALL: [TrackStatus; 9] = [
        Self::Unknown,
        Self::InformationReceived,
        Self::AtPickup,
        Self::InTransit,
        Self::OutForDelivery,
        Self::AttemptFail,
        Self::Exception,
        Self::AvailableForPickup,
        Self::Delivered,
    ];

    /// The stored and published name (`in_transit`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unknown => "unknown",
            Self::InformationReceived => "information_received",
            Self::AtPickup => "at_pickup",
            Self::InTransit => "in_transit",
            Self::OutForDelivery => "out_for_delivery",
            Self::AttemptFail => "attempt_fail",
            Self::Exception => "exception",
            Self::AvailableForPickup => "available_for_pickup",
            Self::Delivered => "delivered",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.as_str() == name)
    }

    /// From the tracking service's code (`IN_TRANSIT`); a code it adds
    /// later reads as `Unknown` rather than failing the whole track.
    pub fn from_code(code: &str) -> Self {
        Self::parse(&code.to_ascii_lowercase()).unwrap_or(Self::Unknown)
    }

    /// The tracking service's code (`IN_TRANSIT`).
    pub fn code(self) -> String {
        self.as_str().to_ascii_uppercase()
    }
}

/// One thing the carrier reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackEvent {
    pub at: DateTime<Utc>,
    pub status: TrackStatus,
}

/// Where a parcel stands after the events seen so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Whereabouts {
    pub status: TrackStatus,
    /// When the carrier reported that status.
    pub since: DateTime<Utc>,
    /// The first delivery the carrier reported (what purchase confirmation
    /// counts from).
    pub delivered_at: Option<DateTime<Utc>>,
    /// The carrier's first scan of the parcel (anything past
    /// "information received").
    pub first_scan_at: Option<DateTime<Utc>>,
}

/// Folds events, in any order and with repeats, into where the parcel is:
/// delivered as soon as any event says so (at its earliest report);
/// otherwise the latest event, the further status winning a tie.
pub fn whereabouts<'a>(events: impl IntoIterator<Item = &'a TrackEvent>) -> Option<Whereabouts> {
    let mut latest: Option<(DateTime<Utc>, TrackStatus)> = None;
    let mut delivered_at: Option<DateTime<Utc>> = None;
    let mut first_scan_at: Option<DateTime<Utc>> = None;
    for event in events {
        if latest.is_none_or(|current| (event.at, event.status) > current) {
            latest = Some((event.at, event.status));
        }
        if event.status == TrackStatus::Delivered {
            delivered_at = Some(delivered_at.map_or(event.at, |at| at.min(event.at)));
        }
        if !matches!(
            event.status,
            TrackStatus::Unknown | TrackStatus::InformationReceived
        ) {
            first_scan_at = Some(first_scan_at.map_or(event.at, |at| at.min(event.at)));
        }
    }
    let (since, status) = latest?;
    Some(match delivered_at {
        Some(at) => Whereabouts {
            status: TrackStatus::Delivered,
            since: at,
            delivered_at: Some(at),
            first_scan_at,
        },
        None => Whereabouts {
            status,
            since,
            delivered_at: None,
            first_scan_at,
        },
    })
}

#[cfg(test)]
mod tests {
    use chrono::TimeDelta;
    use proptest::prelude::*;

    use super::*;

    fn at(minutes: i64) -> DateTime<Utc> {
        DateTime::<Utc>::UNIX_EPOCH + TimeDelta::days(20_000) + TimeDelta::minutes(minutes)
    }

    fn event(minutes: i64, status: TrackStatus) -> TrackEvent {
        TrackEvent {
            at: at(minutes),
            status,
        }
    }

    #[test]
    fn names_round_trip_and_unknown_codes_read_as_unknown() {
        for status in TrackStatus::ALL {
            assert_eq!(TrackStatus::parse(status.as_str()), Some(status));
            assert_eq!(TrackStatus::from_code(&status.code()), status);
        }
        assert_eq!(
            TrackStatus::from_code("LOST_IN_SPACE"),
            TrackStatus::Unknown
        );
    }

    #[test]
    fn a_late_older_event_does_not_move_the_parcel_back() {
        let events = [
            event(10, TrackStatus::OutForDelivery),
            event(5, TrackStatus::InTransit),
        ];
        let now = whereabouts(&events).map(|w| (w.status, w.since));
        assert_eq!(now, Some((TrackStatus::OutForDelivery, at(10))));
    }

    #[test]
    fn noise_after_delivery_is_ignored() {
        let events = [
            event(1, TrackStatus::AtPickup),
            event(20, TrackStatus::Delivered),
            event(30, TrackStatus::Exception),
            event(40, TrackStatus::InTransit),
        ];
        let now = whereabouts(&events);
        assert_eq!(now.map(|w| w.status), Some(TrackStatus::Delivered));
        assert_eq!(now.and_then(|w| w.delivered_at), Some(at(20)));
        assert_eq!(now.and_then(|w| w.first_scan_at), Some(at(1)));
    }

    fn any_status() -> impl Strategy<Value = TrackStatus> {
        proptest::sample::select(TrackStatus::ALL.to_vec())
    }

    fn any_events() -> impl Strategy<Value = Vec<TrackEvent>> {
        proptest::collection::vec(
            (0_i64..500, any_status()).prop_map(|(m, s)| event(m, s)),
            0..30,
        )
    }

    proptest! {
        /// Duplicates and any order of arrival give the same answer.
        #[test]
        fn order_and_repeats_do_not_matter(
            events in any_events(),
            seed in any::<u64>(),
            repeat in proptest::collection::vec(any::<prop::sample::Index>(), 0..10),
        ) {
            let mut arrived = events.clone();
            for index in &repeat {
                if !events.is_empty() {
                    arrived.push(events[index.index(events.len())].clone());
                }
            }
            // A deterministic shuffle driven by the seed.
            let mut state = seed | 1;
            for i in (1..arrived.len()).rev() {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                let j = usize::try_from(state % (i as u64 + 1)).unwrap_or(0);
                arrived.swap(i, j);
            }
            prop_assert_eq!(whereabouts(&events), whereabouts(&arrived));
        }

        /// Once any event says delivered, nothing that arrives later changes
        /// that.
        #[test]
        fn delivered_is_final(
            before in any_events(),
            delivered_at in 0_i64..500,
            after in any_events(),
        ) {
            let mut events = before;
            events.push(event(delivered_at, TrackStatus::Delivered));
            let then = whereabouts(&events);
            prop_assert_eq!(then.map(|w| w.status), Some(TrackStatus::Delivered));
            events.extend(after);
            let now = whereabouts(&events);
            prop_assert_eq!(now.map(|w| w.status), Some(TrackStatus::Delivered));
            prop_assert!(now.and_then(|w| w.delivered_at) <= then.and_then(|w| w.delivered_at));
        }
    }
}
