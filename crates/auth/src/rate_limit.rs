//! Rate limits shared by every replica: GCRA (the generic cell rate
//! algorithm) in one Lua script, on Redis' own clock so replicas never
//! disagree about time. One key per (rule, subject), e.g. per phone or per IP.

use std::time::Duration;

use persistence::{Kv, StoreError};

/// KEYS[1] the limit's key; ARGV: emission interval (µs), burst tolerance (µs).
/// Returns {allowed (1/0), retry after (µs)}.
const GCRA: &str = r#"
local now = redis.call('TIME')
now = tonumber(now[1]) * 1000000 + tonumber(now[2])
local emission, tolerance = tonumber(ARGV[1]), tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local new_tat = tat + emission
local allow_at = new_tat - tolerance - emission
if allow_at > now then
  return {0, allow_at - now}
end
redis.call('SET', KEYS[1], new_tat, 'PX', math.ceil((new_tat - now) / 1000) + 1)
return {1, 0}
"#;

/// At most `limit` events per `period`, all of which may come at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    pub limit: u32,
    pub period: Duration,
}

impl Rate {
    pub const fn per(limit: u32, period: Duration) -> Self {
        Self { limit, period }
    }
}

/// The answer to "may this happen now?".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allowed,
    /// Refused; the earliest time it would be allowed.
    Limited {
        retry_after: Duration,
    },
}

#[derive(Clone)]
pub struct RateLimiter {
    kv: Kv,
    script: redis::Script,
}

impl RateLimiter {
    pub fn new(kv: Kv) -> Self {
        Self {
            kv,
            script: redis::Script::new(GCRA),
        }
    }

    /// Counts one event for `rule` and `subject` and says whether it is allowed.
    pub async fn check(
        &self,
        rule: &str,
        subject: &str,
        rate: Rate,
    ) -> Result<Decision, StoreError> {
        let emission = rate.period.as_micros() / u128::from(rate.limit.max(1));
        let tolerance = emission * u128::from(rate.limit.max(1) - 1);
        let key = self.kv.key(&format!("rate:{rule}:{subject}"));
        let (allowed, retry_after_us): (i64, i64) = self
            .script
            .key(key)
            .arg(u64::try_from(emission).unwrap_or(u64::MAX))
            .arg(u64::try_from(tolerance).unwrap_or(u64::MAX))
            .invoke_async(&mut self.kv.connection())
            .await?;
        Ok(if allowed == 1 {
            Decision::Allowed
        } else {
            Decision::Limited {
                retry_after: Duration::from_micros(u64::try_from(retry_after_us).unwrap_or(0)),
            }
        })
    }
}
