//! Who counts as an adult for age-restricted goods. Korea's Youth Protection
//! Act makes a person an adult from 1 January of the year they turn 19
//! (`만 19세가 되는 해의 1월 1일`): the birth year alone decides.

use chrono::{Datelike, NaiveDate};

/// The age from which the rule counts (the year of the 19th birthday).
pub const ADULT_AGE: i32 = 19;

/// Whether someone born on `birth_date` is an adult on `today`.
pub fn is_adult(birth_date: NaiveDate, today: NaiveDate) -> bool {
    today.year() - birth_date.year() >= ADULT_AGE
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn adulthood_starts_on_the_first_of_january_of_the_nineteenth_year() {
        // Born in December 2007: an adult from 1 January 2026, before the birthday.
        assert!(!is_adult(date(2007, 12, 31), date(2025, 12, 31)));
        assert!(is_adult(date(2007, 12, 31), date(2026, 1, 1)));
        assert!(is_adult(date(2007, 1, 1), date(2026, 1, 1)));
        assert!(!is_adult(date(2008, 1, 1), date(2026, 12, 31)));
    }

    proptest! {
        #[test]
        fn once_an_adult_always_an_adult(
            year in 1900i32..2100, ordinal in 1u32..366, later_days in 0i64..40_000, birth_offset in 0i64..40_000,
        ) {
            let today = NaiveDate::from_yo_opt(year, ordinal).unwrap_or_default();
            let birth = today - chrono::Days::new(birth_offset.unsigned_abs());
            let later = today + chrono::Days::new(later_days.unsigned_abs());
            if is_adult(birth, today) {
                prop_assert!(is_adult(birth, later));
            }
        }

        #[test]
        fn an_older_person_is_an_adult_whenever_a_younger_one_is(
            days_apart in 0u64..20_000, age_days in 0u64..40_000,
        ) {
            let today = date(2026, 12, 2);
            let younger = today - chrono::Days::new(age_days);
            let older = younger - chrono::Days::new(days_apart);
            if is_adult(younger, today) {
                prop_assert!(is_adult(older, today));
            }
        }
    }
}
