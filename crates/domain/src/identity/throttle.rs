//! Progressive back-off after failed logins: a few failures are free, then
//! each further one doubles the wait before the next try, up to a ceiling.
//! Nothing is ever locked for good, so an attacker cannot lock a victim out;
//! guessing just becomes too slow to be worth it.

use std::time::Duration;

/// The wait imposed after `failures` consecutive failures.
pub fn backoff(failures: u32, free: u32, ceiling: Duration) -> Duration {
    let Some(over) = failures.checked_sub(free).filter(|over| *over > 0) else {
        return Duration::ZERO;
    };
    Duration::from_secs(1u64 << (over - 1).min(30)).min(ceiling)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const CEILING: Duration = Duration::from_secs(900);

    #[test]
    fn free_failures_cost_nothing_then_the_wait_doubles_to_the_ceiling() {
        let waits: Vec<u64> = (0..=16).map(|n| backoff(n, 5, CEILING).as_secs()).collect();
        assert_eq!(
            waits,
            [0, 0, 0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900]
        );
        assert_eq!(backoff(u32::MAX, 5, CEILING), CEILING);
    }

    proptest! {
        #[test]
        fn the_wait_never_shrinks_with_more_failures_and_never_passes_the_ceiling(n in 0u32..10_000, free in 0u32..20) {
            prop_assert!(backoff(n, free, CEILING) <= backoff(n + 1, free, CEILING));
            prop_assert!(backoff(n, free, CEILING) <= CEILING);
        }
    }
}
