//! When a vendor must hand a paid order to a carrier: 3 Korean business
//! days after payment, or an earlier date the vendor declares; once, with a
//! reason the shopper is told, a vendor may push it later.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};

use crate::calendar::{BusinessCalendar, korean_date};

/// Business days a vendor has to dispatch a paid order.
pub const DISPATCH_BUSINESS_DAYS: u32 = 3;

/// How far ahead a declared or delayed dispatch date may be.
pub const FURTHEST_DISPATCH_DAYS: i64 = 90;

/// The last day (in Korea) to dispatch an order paid at `paid_at`.
pub fn dispatch_due(calendar: &BusinessCalendar, paid_at: DateTime<Utc>) -> NaiveDate {
    calendar.add_business_days(korean_date(paid_at), DISPATCH_BUSINESS_DAYS)
}

/// Why dispatch is delayed (told to the shopper).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DelayReason {
    ProductPreparing,
    CustomerRequest,
    CustomBuild,
    ReservedDispatch,
    Other,
}

impl DelayReason {
    pub const ALL: [DelayReason; 5] = [
        Self::ProductPreparing,
        Self::CustomerRequest,
        Self::CustomBuild,
        Self::ReservedDispatch,
        Self::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::ProductPreparing => "product_preparing",
            Self::CustomerRequest => "customer_request",
            Self::CustomBuild => "custom_build",
            Self::ReservedDispatch => "reserved_dispatch",
            Self::Other => "other",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|reason| reason.as_str() == name)
    }

    /// What the shopper reads.
    pub fn describe(self) -> &'static str {
        match self {
            Self::ProductPreparing => "the item is still being prepared",
            Self::CustomerRequest => "you asked for a later dispatch",
            Self::CustomBuild => "the item is made to order",
            Self::ReservedDispatch => "the item ships on a reserved date",
            Self::Other => "of a delay at the vendor",
        }
    }
}

/// A vendor order's dispatch deadline as it stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DispatchPlan {
    pub due: NaiveDate,
    pub declared: Option<NaiveDate>,
    pub delayed_to: Option<NaiveDate>,
}

/// Why a dispatch date is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DispatchError {
    /// A date may be declared once, and only before any delay.
    AlreadyDeclared,
    /// A dispatch may be delayed once.
    AlreadyDelayed,
    /// Before today (in Korea).
    InThePast,
    /// A declared date later than the due date needs a delay and a reason.
    AfterDue,
    /// A delay must move the deadline later.
    NotLater,
    /// More than [`FURTHEST_DISPATCH_DAYS`] ahead.
    TooFar,
}

impl DispatchPlan {
    /// The day by which the order must be dispatched.
    pub fn deadline(&self) -> NaiveDate {
        self.delayed_to.or(self.declared).unwrap_or(self.due)
    }

    /// Late once the deadline's day has ended in Korea.
    pub fn is_late(&self, today: NaiveDate) -> bool {
        today > self.deadline()
    }

    /// The vendor declares when it will dispatch (no later than due).
    pub fn declare(self, date: NaiveDate, today: NaiveDate) -> Result<Self, DispatchError> {
        if self.declared.is_some() || self.delayed_to.is_some() {
            return Err(DispatchError::AlreadyDeclared);
        }
        if date < today {
            return Err(DispatchError::InThePast);
        }
        if date > self.due {
            return Err(DispatchError::AfterDue);
        }
        Ok(Self {
            declared: Some(date),
            ..self
        })
    }

    /// The vendor pushes the deadline later, once.
    pub fn delay(self, to: NaiveDate, today: NaiveDate) -> Result<Self, DispatchError> {
        if self.delayed_to.is_some() {
            return Err(DispatchError::AlreadyDelayed);
        }
        if to <= self.deadline() || to < today {
            return Err(DispatchError::NotLater);
        }
        if to > today + TimeDelta::days(FURTHEST_DISPATCH_DAYS) {
            return Err(DispatchError::TooFar);
        }
        Ok(Self {
            delayed_to: Some(to),
            ..self
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_else(|| panic!("{y}-{m}-{d}"))
    }

    /// Paid at noon in Korea on the first date: due on the second. Counted
    /// by hand on the 2026 and 2027 calendars.
    type Ymd = (i32, u32, u32);

    const DEADLINES: &[(Ymd, Ymd)] = &[
        // An ordinary week: Monday → Thursday.
        ((2026, 12, 7), (2026, 12, 10)),
        // Friday → Wednesday, over a weekend.
        ((2026, 12, 4), (2026, 12, 9)),
        // Saturday → Wednesday: the weekend day paid on never counts.
        ((2026, 12, 5), (2026, 12, 9)),
        // New Year's Day 2026 (Thu): Wed 31 Dec 2025 → Tue 6 Jan.
        ((2025, 12, 31), (2026, 1, 6)),
        // Seollal 2026 (Mon 16 – Wed 18 Feb): Fri 13 → Mon 23.
        ((2026, 2, 13), (2026, 2, 23)),
        // Independence Movement Day on a Sunday, substitute Mon 2 Mar:
        // Fri 27 Feb → Thu 5 Mar.
        ((2026, 2, 27), (2026, 3, 5)),
        // Children's Day (Tue 5 May): Mon 4 → Fri 8.
        ((2026, 5, 4), (2026, 5, 8)),
        // Buddha's Birthday on a Sunday, substitute Mon 25 May: Fri 22 →
        // Thu 28.
        ((2026, 5, 22), (2026, 5, 28)),
        // Local elections (Wed 3 Jun): Tue 2 → Mon 8.
        ((2026, 6, 2), (2026, 6, 8)),
        // Liberation Day on a Saturday, substitute Mon 17 Aug: Fri 14 →
        // Thu 20.
        ((2026, 8, 14), (2026, 8, 20)),
        // Chuseok 2026 (Thu 24 – Sat 26 Sep): Wed 23 → Wed 30.
        ((2026, 9, 23), (2026, 9, 30)),
        // Foundation Day on a Saturday (substitute Mon 5 Oct) and Hangul Day
        // (Fri 9 Oct): Fri 2 → Thu 8; Thu 8 → Wed 14.
        ((2026, 10, 2), (2026, 10, 8)),
        ((2026, 10, 8), (2026, 10, 14)),
        // Christmas (Fri): Thu 24 → Wed 30.
        ((2026, 12, 24), (2026, 12, 30)),
        // New Year's Day 2027 (Fri): Thu 31 Dec → Wed 6 Jan.
        ((2026, 12, 31), (2027, 1, 6)),
        // Seollal 2027 (Sat 6 – Mon 8 Feb, substitute Tue 9): Fri 5 → Fri
        // 12.
        ((2027, 2, 5), (2027, 2, 12)),
        // Buddha's Birthday (Thu 13 May): Wed 12 → Tue 18.
        ((2027, 5, 12), (2027, 5, 18)),
        // Liberation Day on a Sunday, substitute Mon 16 Aug: Fri 13 →
        // Thu 19.
        ((2027, 8, 13), (2027, 8, 19)),
        // Chuseok 2027 (Tue 14 – Thu 16 Sep): Mon 13 → Tue 21.
        ((2027, 9, 13), (2027, 9, 21)),
        // Foundation Day (Sun 3 Oct, substitute Mon 4) and Hangul Day (Sat
        // 9 Oct, substitute Mon 11): Fri 1 → Thu 7; Fri 8 → Thu 14.
        ((2027, 10, 1), (2027, 10, 7)),
        ((2027, 10, 8), (2027, 10, 14)),
        // Christmas on a Saturday, substitute Mon 27 Dec: Fri 24 → Thu 30.
        ((2027, 12, 24), (2027, 12, 30)),
    ];

    #[test]
    fn dispatch_deadlines_match_the_hand_computed_table() {
        let calendar = BusinessCalendar::korean();
        for &((py, pm, pd), (dy, dm, dd)) in DEADLINES {
            // Noon in Korea is 03:00 UTC.
            let paid_at = day(py, pm, pd)
                .and_hms_opt(3, 0, 0)
                .map(|t| t.and_utc())
                .unwrap_or_default();
            assert_eq!(
                dispatch_due(&calendar, paid_at),
                day(dy, dm, dd),
                "paid {py}-{pm}-{pd}"
            );
        }
    }

    #[test]
    fn paid_late_in_the_evening_counts_from_the_korean_date() {
        let calendar = BusinessCalendar::korean();
        // Sunday 6 Dec 2026 at 16:00 UTC is Monday 01:00 in Korea.
        let paid_at = day(2026, 12, 6)
            .and_hms_opt(16, 0, 0)
            .map(|t| t.and_utc())
            .unwrap_or_default();
        assert_eq!(dispatch_due(&calendar, paid_at), day(2026, 12, 10));
    }

    fn plan() -> DispatchPlan {
        DispatchPlan {
            due: day(2026, 12, 10),
            declared: None,
            delayed_to: None,
        }
    }

    #[test]
    fn a_date_is_declared_once_and_no_later_than_due() {
        let today = day(2026, 12, 7);
        assert_eq!(
            plan().declare(day(2026, 12, 11), today),
            Err(DispatchError::AfterDue)
        );
        assert_eq!(
            plan().declare(day(2026, 12, 6), today),
            Err(DispatchError::InThePast)
        );
        let declared = plan().declare(day(2026, 12, 8), today);
        assert_eq!(declared.map(|p| p.deadline()), Ok(day(2026, 12, 8)));
        assert_eq!(
            declared.and_then(|p| p.declare(day(2026, 12, 9), today)),
            Err(DispatchError::AlreadyDeclared)
        );
    }

    #[test]
    fn a_delay_moves_the_deadline_later_once() {
        let today = day(2026, 12, 7);
        assert_eq!(
            plan().delay(day(2026, 12, 10), today),
            Err(DispatchError::NotLater)
        );
        assert_eq!(
            plan().delay(day(2027, 3, 8), today),
            Err(DispatchError::TooFar)
        );
        let delayed = plan().delay(day(2026, 12, 18), today);
        assert_eq!(delayed.map(|p| p.deadline()), Ok(day(2026, 12, 18)));
        assert_eq!(
            delayed.and_then(|p| p.delay(day(2026, 12, 24), today)),
            Err(DispatchError::AlreadyDelayed)
        );
        assert_eq!(
            delayed.and_then(|p| p.declare(day(2026, 12, 9), today)),
            Err(DispatchError::AlreadyDeclared)
        );
    }

    #[test]
    fn late_only_after_the_deadline_day() {
        assert!(!plan().is_late(day(2026, 12, 10)));
        assert!(plan().is_late(day(2026, 12, 11)));
    }
}
