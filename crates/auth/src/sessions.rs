//! The session registry in Redis, shared by every replica.
//!
//! A session is live while its record exists: an access token is accepted
//! only if the session it names is live, so revoking (logout, eviction,
//! password reset) takes effect on the very next request everywhere. When
//! Redis cannot answer, `is_live` returns an error and callers refuse the
//! token: the check fails closed.
//!
//! Keys (one hash tag per user, so the Lua script's keys share a Cluster slot):
//! `{u:<user>}:sessions` sorted set of session ids by creation time;
//! `{u:<user>}:session:<id>` hash of the session's details.

use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use persistence::{Kv, StoreError};
use redis::AsyncCommands;

use crate::Audience;

/// Adds a session and evicts the oldest beyond the limit, atomically.
/// KEYS[1] the user's set; ARGV: prefix of session keys, id, created ms,
/// limit, ttl seconds, then field/value pairs of the new session.
const CREATE: &str = r#"
local set, prefix, id = KEYS[1], ARGV[1], ARGV[2]
local created, limit, ttl = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local fields = {}
for i = 6, #ARGV do fields[#fields + 1] = ARGV[i] end
redis.call('HSET', prefix .. id, unpack(fields))
redis.call('EXPIRE', prefix .. id, ttl)
redis.call('ZADD', set, created, id)
-- Forget members whose record already expired.
local members = redis.call('ZRANGE', set, 0, -1)
for _, member in ipairs(members) do
  if redis.call('EXISTS', prefix .. member) == 0 then redis.call('ZREM', set, member) end
end
local evicted = {}
local excess = redis.call('ZCARD', set) - limit
if excess > 0 then
  local oldest = redis.call('ZRANGE', set, 0, excess - 1)
  for _, member in ipairs(oldest) do
    redis.call('DEL', prefix .. member)
    redis.call('ZREM', set, member)
    evicted[#evicted + 1] = member
  end
end
redis.call('EXPIRE', set, ttl)
return evicted
"#;

/// What is known about a session, for "your devices" pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionInfo {
    pub id: String,
    pub audience: String,
    pub device_hash: String,
    pub ip: String,
    pub user_agent: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
}

/// A session to open.
#[derive(Debug, Clone)]
pub struct NewSession<'a> {
    pub user_id: &'a str,
    pub audience: Audience,
    pub device_hash: &'a str,
    pub ip: &'a str,
    pub user_agent: &'a str,
}

#[derive(Clone)]
pub struct SessionRegistry {
    kv: Kv,
    limit: usize,
    lifetime: Duration,
    create: redis::Script,
}

impl SessionRegistry {
    /// `limit` sessions per user (the oldest is evicted by a new one);
    /// a session lives at most `lifetime` (the refresh family's absolute lifetime).
    pub fn new(kv: Kv, limit: usize, lifetime: Duration) -> Self {
        Self {
            kv,
            limit,
            lifetime,
            create: redis::Script::new(CREATE),
        }
    }

    fn set_key(&self, user_id: &str) -> String {
        self.kv.key(&format!("{{u:{user_id}}}:sessions"))
    }

    fn session_prefix(&self, user_id: &str) -> String {
        self.kv.key(&format!("{{u:{user_id}}}:session:"))
    }

    /// Opens a session; returns its id and the ids of sessions it evicted.
    pub async fn create(
        &self,
        session: &NewSession<'_>,
        now: DateTime<Utc>,
    ) -> Result<(String, Vec<String>), StoreError> {
        let id = uuid::Uuid::new_v4().simple().to_string();
        let millis = now.timestamp_millis().to_string();
        let mut invocation = self.create.key(self.set_key(session.user_id));
        invocation
            .arg(self.session_prefix(session.user_id))
            .arg(&id)
            .arg(now.timestamp_millis())
            .arg(self.limit)
            .arg(self.lifetime.as_secs().max(1));
        for (field, value) in [
            ("audience", session.audience.as_str()),
            ("device_hash", session.device_hash),
            ("ip", session.ip),
            ("user_agent", session.user_agent),
            ("created_at", millis.as_str()),
            ("last_seen_at", millis.as_str()),
        ] {
            invocation.arg(field).arg(value);
        }
        let evicted: Vec<String> = invocation.invoke_async(&mut self.kv.connection()).await?;
        Ok((id, evicted))
    }

    /// Whether the session is live. An `Err` (Redis unreachable) must be
    /// treated as "no": callers fail closed.
    pub async fn is_live(&self, user_id: &str, session_id: &str) -> Result<bool, StoreError> {
        Ok(self
            .kv
            .connection()
            .exists(self.live_key(user_id, session_id))
            .await?)
    }

    /// The key that exists exactly while the session is live, for callers
    /// that ask about it alongside other keys in one round trip.
    pub fn live_key(&self, user_id: &str, session_id: &str) -> String {
        format!("{}{session_id}", self.session_prefix(user_id))
    }

    /// Records activity from `ip` (on refresh, not on every request).
    pub async fn touch(
        &self,
        user_id: &str,
        session_id: &str,
        ip: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let key = format!("{}{session_id}", self.session_prefix(user_id));
        let mut conn = self.kv.connection();
        if !conn.exists::<_, bool>(&key).await? {
            return Ok(false);
        }
        let _: () = conn
            .hset_multiple(
                &key,
                &[
                    ("last_seen_at", now.timestamp_millis().to_string()),
                    ("ip", ip.to_owned()),
                ],
            )
            .await?;
        Ok(true)
    }

    /// The user's live sessions, oldest first.
    pub async fn list(&self, user_id: &str) -> Result<Vec<SessionInfo>, StoreError> {
        let mut conn = self.kv.connection();
        let ids: Vec<String> = conn.zrange(self.set_key(user_id), 0, -1).await?;
        let prefix = self.session_prefix(user_id);
        let mut sessions = Vec::with_capacity(ids.len());
        for id in ids {
            let fields: std::collections::HashMap<String, String> =
                conn.hgetall(format!("{prefix}{id}")).await?;
            if fields.is_empty() {
                continue;
            }
            let field = |name: &str| fields.get(name).cloned().unwrap_or_default();
            let time = |name: &str| {
                field(name)
                    .parse::<i64>()
                    .ok()
                    .and_then(|ms| Utc.timestamp_millis_opt(ms).single())
                    .unwrap_or_default()
            };
            sessions.push(SessionInfo {
                audience: field("audience"),
                device_hash: field("device_hash"),
                ip: field("ip"),
                user_agent: field("user_agent"),
                created_at: time("created_at"),
                last_seen_at: time("last_seen_at"),
                id,
            });
        }
        Ok(sessions)
    }

    /// Ends one session; `false` if it was not live.
    pub async fn revoke(&self, user_id: &str, session_id: &str) -> Result<bool, StoreError> {
        let mut conn = self.kv.connection();
        let removed: usize = conn
            .del(format!("{}{session_id}", self.session_prefix(user_id)))
            .await?;
        let _: usize = conn.zrem(self.set_key(user_id), session_id).await?;
        Ok(removed == 1)
    }

    /// Ends every session of the user (password reset, account deletion).
    pub async fn revoke_all(&self, user_id: &str) -> Result<usize, StoreError> {
        let mut conn = self.kv.connection();
        let ids: Vec<String> = conn.zrange(self.set_key(user_id), 0, -1).await?;
        let prefix = self.session_prefix(user_id);
        let mut keys: Vec<String> = ids.iter().map(|id| format!("{prefix}{id}")).collect();
        keys.push(self.set_key(user_id));
        let removed: usize = conn.del(keys).await?;
        Ok(removed.saturating_sub(1).min(ids.len()))
    }
}
