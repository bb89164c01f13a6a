//! The honeypot and the IP blocklist every service honours.

use redis::AsyncCommands;

use crate::{AppError, Context};

/// One try on a decoy page; the password is never part of it.
#[derive(Debug, Clone)]
pub struct HoneypotAttempt<'a> {
    pub ip: &'a str,
    pub user_agent: &'a str,
    pub path: &'a str,
    pub username: &'a str,
    /// The address is one of our own proxies (every hop was trusted): it
    /// speaks for many clients, so it is recorded but never blocked.
    pub from_proxy: bool,
}

pub(crate) fn blocked_key(context: &Context, ip: &str) -> String {
    context.kv.key(&format!("blocked-ip:{ip}"))
}

/// Records a try and blocks the IP once it has made enough of them.
/// Returns whether the IP is now blocked.
pub async fn record_honeypot_attempt(
    context: &Context,
    attempt: &HoneypotAttempt<'_>,
) -> Result<bool, AppError> {
    let truncate = |text: &str, limit: usize| text.chars().take(limit).collect::<String>();
    let (user_agent, username, path) = (
        truncate(attempt.user_agent, 256),
        truncate(attempt.username, 64),
        truncate(attempt.path, 128),
    );
    let mut conn = context.db.get().await?;
    persistence::kernel::security::insert_honeypot_hit(
        &mut conn,
        &persistence::kernel::security::NewHoneypotHit {
            ip: attempt.ip,
            user_agent: &user_agent,
            path: &path,
            username: &username,
        },
    )
    .await?;
    drop(conn);
    tracing::warn!(ip = attempt.ip, path = %path, "honeypot login attempt");
    if attempt.from_proxy {
        return Ok(false);
    }
    let settings = context.security;
    let counter = context.kv.key(&format!("honeypot:{}", attempt.ip));
    let mut redis = context.kv.connection();
    let (tries,): (u32,) = redis::pipe()
        .atomic()
        .incr(&counter, 1)
        .expire(
            &counter,
            i64::try_from(settings.honeypot_window_secs).unwrap_or(i64::MAX),
        )
        .ignore()
        .query_async(&mut redis)
        .await
        .map_err(persistence::StoreError::from)?;
    if tries < settings.honeypot_block_after {
        return Ok(false);
    }
    let _: () = redis
        .set_ex(
            blocked_key(context, attempt.ip),
            "honeypot",
            settings.ip_block_secs,
        )
        .await
        .map_err(persistence::StoreError::from)?;
    tracing::warn!(
        ip = attempt.ip,
        seconds = settings.ip_block_secs,
        "IP blocked after honeypot tries"
    );
    Ok(true)
}

/// Whether the IP is on the blocklist (shared by all services through Redis).
pub(crate) async fn is_blocked(
    context: &Context,
    ip: &str,
) -> Result<bool, persistence::StoreError> {
    Ok(context
        .kv
        .connection()
        .exists(blocked_key(context, ip))
        .await?)
}
