//! How long a shopper has to ask for a return, and how long the platform
//! has to refund once the item is back (the e-commerce act: 7 days for a
//! change of mind, 3 months for an item not as described, a refund within 3
//! business days of the return).

use chrono::{DateTime, Months, NaiveDate, TimeDelta, Utc};

use super::reasons::{Fault, Reason};
use crate::calendar::{BusinessCalendar, korean_date};

pub const CHANGE_OF_MIND_DAYS: i64 = 7;
pub const NOT_AS_DESCRIBED_MONTHS: u32 = 3;
pub const REFUND_BUSINESS_DAYS: u32 = 3;

/// The last moment a return or exchange for `reason` can be asked for, on
/// an item delivered at `delivered_at`.
pub fn claim_deadline(reason: Reason, delivered_at: DateTime<Utc>) -> DateTime<Utc> {
    match reason.fault() {
        Fault::Buyer => delivered_at + TimeDelta::days(CHANGE_OF_MIND_DAYS),
        Fault::Vendor | Fault::Carrier => delivered_at
            .checked_add_months(Months::new(NOT_AS_DESCRIBED_MONTHS))
            .unwrap_or(DateTime::<Utc>::MAX_UTC),
    }
}

/// The Korean date by which a return received at `received_at` must be
/// refunded.
pub fn refund_due(calendar: &BusinessCalendar, received_at: DateTime<Utc>) -> NaiveDate {
    calendar.add_business_days(korean_date(received_at), REFUND_BUSINESS_DAYS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, 0, 0)
            .single()
            .expect("a time")
    }

    #[test]
    fn a_change_of_mind_has_seven_days_and_a_fault_three_months() {
        let delivered = at(2026, 11, 30, 3);
        assert_eq!(
            claim_deadline(Reason::ChangeOfMind, delivered),
            at(2026, 12, 7, 3)
        );
        assert_eq!(
            claim_deadline(Reason::NotAsDescribed, delivered),
            at(2027, 2, 28, 3)
        );
        assert_eq!(
            claim_deadline(Reason::DamagedInTransit, delivered),
            at(2027, 2, 28, 3)
        );
    }

    #[test]
    fn the_refund_is_due_three_business_days_after_the_return() {
        let calendar = BusinessCalendar::korean();
        // Received Thursday 24 Sept 2026 (KST): Chuseok runs 24–26 Sept, so
        // the days counted are Mon 28, Tue 29, Wed 30.
        assert_eq!(
            refund_due(&calendar, at(2026, 9, 24, 1)),
            NaiveDate::from_ymd_opt(2026, 9, 30).expect("a date")
        );
        // Received Friday 4 Dec 2026 at 23:30 KST (14:30 UTC): Mon–Wed.
        assert_eq!(
            refund_due(&calendar, at(2026, 12, 4, 14)),
            NaiveDate::from_ymd_opt(2026, 12, 9).expect("a date")
        );
    }
}
