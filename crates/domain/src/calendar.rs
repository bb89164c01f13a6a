//! Korean business days: weekdays that are not public holidays. The
//! holidays are data (statutory days, lunar holidays, election days and
//! substitute holidays as published for each year); a year not listed here
//! counts only weekends, which [`BusinessCalendar::covers`] lets callers see.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Utc, Weekday};

/// Korean Standard Time (no daylight saving).
pub fn korea() -> FixedOffset {
    FixedOffset::east_opt(9 * 3600).unwrap_or_else(|| unreachable!("+09:00 is a valid offset"))
}

/// The calendar date in Korea at `at`.
pub fn korean_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&korea()).date_naive()
}

/// The moment a Korean date begins.
pub fn start_of(date: NaiveDate) -> DateTime<Utc> {
    let midnight = date.and_time(chrono::NaiveTime::MIN);
    midnight
        .and_local_timezone(korea())
        .single()
        .map_or_else(|| midnight.and_utc(), |at| at.to_utc())
}

/// A holiday's month, day and name.
type Holiday = (u32, u32, &'static str);

/// Public holidays (government offices closed), by year, as published.
const KOREAN_HOLIDAYS: &[(i32, &[Holiday])] = &[
    (
        2026,
        &[
            (1, 1, "New Year's Day"),
            (2, 16, "Seollal"),
            (2, 17, "Seollal"),
            (2, 18, "Seollal"),
            (3, 1, "Independence Movement Day"),
            (3, 2, "Substitute holiday (Independence Movement Day)"),
            (5, 5, "Children's Day"),
            (5, 24, "Buddha's Birthday"),
            (5, 25, "Substitute holiday (Buddha's Birthday)"),
            (6, 3, "Local elections"),
            (6, 6, "Memorial Day"),
            (8, 15, "Liberation Day"),
            (8, 17, "Substitute holiday (Liberation Day)"),
            (9, 24, "Chuseok"),
            (9, 25, "Chuseok"),
            (9, 26, "Chuseok"),
            (10, 3, "National Foundation Day"),
            (10, 5, "Substitute holiday (National Foundation Day)"),
            (10, 9, "Hangul Day"),
            (12, 25, "Christmas Day"),
        ],
    ),
    (
        2027,
        &[
            (1, 1, "New Year's Day"),
            (2, 6, "Seollal"),
            (2, 7, "Seollal"),
            (2, 8, "Seollal"),
            (2, 9, "Substitute holiday (Seollal)"),
            (3, 1, "Independence Movement Day"),
            (5, 5, "Children's Day"),
            (5, 13, "Buddha's Birthday"),
            (6, 6, "Memorial Day"),
            (8, 15, "Liberation Day"),
            (8, 16, "Substitute holiday (Liberation Day)"),
            (9, 14, "Chuseok"),
            (9, 15, "Chuseok"),
            (9, 16, "Chuseok"),
            (10, 3, "National Foundation Day"),
            (10, 4, "Substitute holiday (National Foundation Day)"),
            (10, 9, "Hangul Day"),
            (10, 11, "Substitute holiday (Hangul Day)"),
            (12, 25, "Christmas Day"),
            (12, 27, "Substitute holiday (Christmas Day)"),
        ],
    ),
];

/// The Korean calendar, built once.
pub static KOREAN: LazyLock<BusinessCalendar> = LazyLock::new(BusinessCalendar::korean);

/// Which days work is done on.
#[derive(Debug, Clone)]
pub struct BusinessCalendar {
    holidays: BTreeMap<NaiveDate, &'static str>,
    years: Vec<i32>,
}

impl BusinessCalendar {
    /// The Korean calendar, with the years whose holidays are listed.
    pub fn korean() -> Self {
        let mut holidays = BTreeMap::new();
        for (year, days) in KOREAN_HOLIDAYS {
            for (month, day, name) in *days {
                if let Some(date) = NaiveDate::from_ymd_opt(*year, *month, *day) {
                    holidays.insert(date, *name);
                }
            }
        }
        Self {
            holidays,
            years: KOREAN_HOLIDAYS.iter().map(|(year, _)| *year).collect(),
        }
    }

    /// Whether `date`'s year has its holidays listed.
    pub fn covers(&self, date: NaiveDate) -> bool {
        self.years.contains(&date.year())
    }

    /// The holiday on `date`, if it is one.
    pub fn holiday(&self, date: NaiveDate) -> Option<&'static str> {
        self.holidays.get(&date).copied()
    }

    pub fn is_business_day(&self, date: NaiveDate) -> bool {
        !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) && self.holiday(date).is_none()
    }

    /// The `days`-th business day after `from` (`from` itself never counts).
    pub fn add_business_days(&self, from: NaiveDate, days: u32) -> NaiveDate {
        let mut date = from;
        let mut left = days;
        while left > 0 {
            date = date.succ_opt().unwrap_or(date);
            if self.is_business_day(date) {
                left -= 1;
            }
        }
        date
    }

    /// Business days strictly after `from` up to and including `to` (zero
    /// when `to` is not later).
    pub fn business_days_between(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        from.iter_days()
            .skip(1)
            .take_while(|date| *date <= to)
            .filter(|date| self.is_business_day(*date))
            .fold(0, |count, _| count + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_else(|| panic!("{y}-{m}-{d}"))
    }

    #[test]
    fn every_listed_holiday_is_a_real_date_of_its_year() {
        let listed: usize = KOREAN_HOLIDAYS.iter().map(|(_, days)| days.len()).sum();
        assert_eq!(BusinessCalendar::korean().holidays.len(), listed);
    }

    #[test]
    fn substitute_holidays_fall_on_the_first_weekday_after() {
        let calendar = BusinessCalendar::korean();
        for (date, name) in &calendar.holidays {
            if name.starts_with("Substitute") {
                assert!(
                    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun),
                    "{date} {name}"
                );
            }
        }
    }

    #[test]
    fn the_korean_date_turns_at_fifteen_hundred_utc() {
        let before = DateTime::parse_from_rfc3339("2026-12-07T14:59:59Z")
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default();
        let after = before + chrono::TimeDelta::seconds(1);
        assert_eq!(korean_date(before), day(2026, 12, 7));
        assert_eq!(korean_date(after), day(2026, 12, 8));
    }

    #[test]
    fn counts_business_days_between_dates() {
        let calendar = BusinessCalendar::korean();
        // Wednesday before Chuseok 2026 to the Monday after: only Mon 28th.
        assert_eq!(
            calendar.business_days_between(day(2026, 9, 23), day(2026, 9, 28)),
            1
        );
        assert_eq!(
            calendar.business_days_between(day(2026, 9, 28), day(2026, 9, 23)),
            0
        );
    }

    #[test]
    fn covers_only_the_listed_years() {
        let calendar = BusinessCalendar::korean();
        assert!(calendar.covers(day(2026, 6, 1)));
        assert!(calendar.covers(day(2027, 12, 31)));
        assert!(!calendar.covers(day(2028, 1, 3)));
    }
}
