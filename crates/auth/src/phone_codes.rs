//! One-time phone codes in Redis: stored as an HMAC (never the code), with a
//! short lifetime and an attempt budget; a code is deleted as soon as it is
//! used, even with lifetime left. Keys name the phone by its blind index.

use std::time::Duration;

use persistence::{Kv, StoreError};

/// KEYS[1] the code, KEYS[2] the "verified" marker; ARGV: candidate digest,
/// max attempts, verified marker lifetime (s). Returns 'verified',
/// 'wrong:<remaining>', 'locked' or 'expired'.
const VERIFY: &str = r#"
local stored = redis.call('HGET', KEYS[1], 'digest')
if not stored then return 'expired' end
local attempts = redis.call('HINCRBY', KEYS[1], 'attempts', 1)
if attempts > tonumber(ARGV[2]) then
  redis.call('DEL', KEYS[1])
  return 'locked'
end
if stored == ARGV[1] then
  redis.call('DEL', KEYS[1])
  redis.call('SET', KEYS[2], '1', 'EX', tonumber(ARGV[3]))
  return 'verified'
end
return 'wrong:' .. (tonumber(ARGV[2]) - attempts)
"#;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeCheck {
    Verified,
    Wrong {
        attempts_left: u32,
    },
    /// The attempt budget is spent; the code is gone, right or not.
    Locked,
    /// No code (never sent, expired, or already used).
    Expired,
}

#[derive(Clone)]
pub struct PhoneCodes {
    kv: Kv,
    lifetime: Duration,
    max_attempts: u32,
    verified_lifetime: Duration,
    verify: redis::Script,
}

impl PhoneCodes {
    pub fn new(kv: Kv, lifetime: Duration, max_attempts: u32, verified_lifetime: Duration) -> Self {
        Self {
            kv,
            lifetime,
            max_attempts,
            verified_lifetime,
            verify: redis::Script::new(VERIFY),
        }
    }

    fn code_key(&self, phone_key: &str, purpose: &str) -> String {
        self.kv
            .key(&format!("{{phone:{phone_key}}}:code:{purpose}"))
    }

    fn verified_key(&self, phone_key: &str, purpose: &str) -> String {
        self.kv
            .key(&format!("{{phone:{phone_key}}}:verified:{purpose}"))
    }

    /// Stores a new code's digest, replacing any earlier code for the phone
    /// and purpose (its attempts start again at zero).
    pub async fn store(
        &self,
        phone_key: &str,
        purpose: &str,
        digest: &str,
    ) -> Result<(), StoreError> {
        let key = self.code_key(phone_key, purpose);
        let _: () = redis::pipe()
            .atomic()
            .del(&key)
            .hset_multiple(&key, &[("digest", digest), ("attempts", "0")])
            .expire(
                &key,
                i64::try_from(self.lifetime.as_secs()).unwrap_or(i64::MAX),
            )
            .query_async(&mut self.kv.connection())
            .await?;
        Ok(())
    }

    pub async fn discard(&self, phone_key: &str, purpose: &str) -> Result<(), StoreError> {
        let _: usize = redis::cmd("DEL")
            .arg(self.code_key(phone_key, purpose))
            .query_async(&mut self.kv.connection())
            .await?;
        Ok(())
    }

    pub async fn check(
        &self,
        phone_key: &str,
        purpose: &str,
        digest: &str,
    ) -> Result<CodeCheck, StoreError> {
        let outcome: String = self
            .verify
            .key(self.code_key(phone_key, purpose))
            .key(self.verified_key(phone_key, purpose))
            .arg(digest)
            .arg(self.max_attempts)
            .arg(self.verified_lifetime.as_secs().max(1))
            .invoke_async(&mut self.kv.connection())
            .await?;
        Ok(match outcome.as_str() {
            "verified" => CodeCheck::Verified,
            "locked" => CodeCheck::Locked,
            "expired" => CodeCheck::Expired,
            wrong => CodeCheck::Wrong {
                attempts_left: wrong.trim_start_matches("wrong:").parse().unwrap_or(0),
            },
        })
    }

    /// Takes the proof that the phone was verified for `purpose` (single use).
    pub async fn take_verified(&self, phone_key: &str, purpose: &str) -> Result<bool, StoreError> {
        let removed: usize = redis::cmd("DEL")
            .arg(self.verified_key(phone_key, purpose))
            .query_async(&mut self.kv.connection())
            .await?;
        Ok(removed == 1)
    }
}
