//! How long a failed job waits before its next attempt.

use std::time::Duration;

const BASE: Duration = Duration::from_secs(2);
const CAP: Duration = Duration::from_secs(60 * 60);

/// Exponential backoff (2 s, 4 s, 8 s, ... capped at an hour) with up to 20%
/// jitter, so jobs that failed together do not retry in lockstep.
/// `attempt` is the attempt that just failed, starting at 1.
pub fn retry_delay(attempt: i32) -> Duration {
    let exponent = u32::try_from(attempt.saturating_sub(1))
        .unwrap_or(0)
        .min(20);
    let delay = BASE.saturating_mul(2u32.saturating_pow(exponent)).min(CAP);
    delay.mul_f64(1.0 + fastrand::f64() * 0.2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_exponentially_and_stays_capped() {
        for attempt in 1..=40 {
            let delay = retry_delay(attempt);
            let exponent = (attempt - 1).min(20) as u32;
            let nominal = (BASE * 2u32.pow(exponent)).min(CAP);
            assert!(
                delay >= nominal,
                "attempt {attempt}: {delay:?} < {nominal:?}"
            );
            assert!(
                delay <= nominal.mul_f64(1.2),
                "attempt {attempt}: {delay:?}"
            );
        }
        assert!(retry_delay(0) >= BASE);
    }
}
