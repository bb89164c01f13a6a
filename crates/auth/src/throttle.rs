//! Failed-try counters in Redis (logins per account and address, second
//! factors, current-password checks). The wait they impose is
//! `domain::identity::throttle::backoff`; times come from Redis' clock so
//! every replica agrees.

use std::time::Duration;

use persistence::{Kv, StoreError};

/// KEYS[1]; ARGV[1] window (s), ARGV[2] free failures, ARGV[3] ceiling
/// (ms). One try, judged and counted in one step so that tries made at once
/// cannot all pass a check none of them has counted yet: while the wait of
/// `domain::identity::throttle::backoff` runs, returns {0, ms left} and
/// counts nothing; otherwise counts the try as a failure (cleared when it
/// succeeds) and returns {1, failures}.
const ATTEMPT: &str = r#"
local now = redis.call('TIME')
local now_ms = now[1] * 1000 + math.floor(now[2] / 1000)
local failures = tonumber(redis.call('HGET', KEYS[1], 'failures') or 0)
local last = tonumber(redis.call('HGET', KEYS[1], 'last_ms') or now_ms)
local over = failures - tonumber(ARGV[2])
if over > 0 then
  local wait = math.min(1000 * 2 ^ math.min(over - 1, 30), tonumber(ARGV[3]))
  local left = wait - (now_ms - last)
  if left > 0 then
    return {0, math.ceil(left)}
  end
end
redis.call('HINCRBY', KEYS[1], 'failures', 1)
redis.call('HSET', KEYS[1], 'last_ms', now_ms)
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[1]))
return {1, failures + 1}
"#;

/// KEYS[1]. Takes back one counted try (a right one, counted in advance).
const FORGIVE: &str = r#"
local failures = tonumber(redis.call('HGET', KEYS[1], 'failures') or 0)
if failures > 0 then
  redis.call('HINCRBY', KEYS[1], 'failures', -1)
end
return 1
"#;

/// The answer to [`LoginThrottle::attempt`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attempt {
    /// Go ahead; the try counts as the `failures`-th failure until cleared.
    Admitted { failures: u32 },
    /// Wait this long first.
    Wait(Duration),
}

/// How failures are forgiven.
#[derive(Debug, Clone, Copy)]
pub struct ThrottleRule {
    /// Failures allowed before any wait.
    pub free: u32,
    /// The longest wait ever imposed.
    pub ceiling: Duration,
    /// Failures older than this are forgotten.
    pub window: Duration,
}

#[derive(Clone)]
pub struct LoginThrottle {
    kv: Kv,
    attempt: redis::Script,
    forgive: redis::Script,
}

impl LoginThrottle {
    pub fn new(kv: Kv) -> Self {
        Self {
            kv,
            attempt: redis::Script::new(ATTEMPT),
            forgive: redis::Script::new(FORGIVE),
        }
    }

    fn key(&self, scope: &str, subject: &str) -> String {
        self.kv.key(&format!("login-failures:{scope}:{subject}"))
    }

    /// Judges and counts one try of `subject` in one step (see `ATTEMPT`);
    /// a try that succeeds is forgiven by [`Self::clear`].
    pub async fn attempt(
        &self,
        scope: &str,
        subject: &str,
        rule: ThrottleRule,
    ) -> Result<Attempt, StoreError> {
        let ceiling_ms = u64::try_from(rule.ceiling.as_millis()).unwrap_or(u64::MAX);
        let (admitted, value): (u8, u64) = self
            .attempt
            .key(self.key(scope, subject))
            .arg(rule.window.as_secs().max(1))
            .arg(rule.free)
            .arg(ceiling_ms)
            .invoke_async(&mut self.kv.connection())
            .await?;
        Ok(if admitted == 1 {
            Attempt::Admitted {
                failures: u32::try_from(value).unwrap_or(u32::MAX),
            }
        } else {
            Attempt::Wait(Duration::from_millis(value))
        })
    }

    /// Takes back one try [`Self::attempt`] counted that turned out right,
    /// leaving the other failures of `subject` (an address shared by many
    /// accounts) as they are.
    pub async fn forgive(&self, scope: &str, subject: &str) -> Result<(), StoreError> {
        let _: i64 = self
            .forgive
            .key(self.key(scope, subject))
            .invoke_async(&mut self.kv.connection())
            .await?;
        Ok(())
    }

    pub async fn clear(&self, scope: &str, subject: &str) -> Result<(), StoreError> {
        let _: usize = redis::cmd("DEL")
            .arg(self.key(scope, subject))
            .query_async(&mut self.kv.connection())
            .await?;
        Ok(())
    }
}
