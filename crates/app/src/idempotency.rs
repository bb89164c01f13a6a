//! `Idempotency-Key` for requests that move money or stock: the key is
//! claimed (committed) before the work starts, the answer is stored in the
//! work's own transaction, and a failure frees the key. So a retry gets the
//! first answer, a different body under the same key is refused, and a key
//! still at work is refused rather than run twice.

use persistence::{AsyncPgConnection, idempotency};
use serde::Serialize;

use crate::AppError;

/// A request that never finished after this long was abandoned (its process
/// died); its key can be taken over.
const STALE_AFTER_SECS: f64 = 120.0;

pub enum Idempotent {
    /// The key is ours: do the work.
    Fresh,
    /// The work was done before: this was its answer.
    Replay(serde_json::Value),
}

/// Checks the key's format.
pub fn check_key(key: &str) -> Result<(), AppError> {
    let valid = (1..=200).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic());
    if valid {
        Ok(())
    } else {
        Err(AppError::invalid(
            "Idempotency-Key",
            "invalid_format",
            "1 to 200 visible ASCII characters",
        ))
    }
}

/// Claims `key` for `request`, or says what to do instead.
pub async fn begin(
    conn: &mut AsyncPgConnection,
    scope: &str,
    key: &str,
    request: &impl Serialize,
) -> Result<Idempotent, AppError> {
    check_key(key)?;
    let body = serde_json::to_vec(request).map_err(|e| AppError::Internal(e.to_string()))?;
    let hash = crypto::digest::sha256(&body);
    if idempotency::claim(conn, scope, key, &hash).await? {
        return Ok(Idempotent::Fresh);
    }
    let Some(existing) = idempotency::find(conn, scope, key).await? else {
        // Freed between our insert and our read: the first request failed.
        return if idempotency::claim(conn, scope, key, &hash).await? {
            Ok(Idempotent::Fresh)
        } else {
            Err(in_use())
        };
    };
    if existing.request_hash != hash {
        return Err(AppError::Invalid {
            field: "Idempotency-Key",
            code: "idempotency_key_reused",
            message: "this key was used for a different request".into(),
        });
    }
    match existing.response_body {
        Some(body) => Ok(Idempotent::Replay(body)),
        None if existing.running_since_secs > STALE_AFTER_SECS
            && idempotency::reclaim_stale(conn, scope, key, STALE_AFTER_SECS).await? =>
        {
            Ok(Idempotent::Fresh)
        }
        None => Err(in_use()),
    }
}

fn in_use() -> AppError {
    AppError::Conflict {
        code: "idempotency_key_in_use",
        message: "a request with this key is still being processed".into(),
    }
}

/// Stores the answer, in the transaction that did the work.
pub async fn complete(
    conn: &AsyncPgConnection,
    scope: &str,
    key: &str,
    status: u16,
    body: &serde_json::Value,
) -> Result<(), AppError> {
    Ok(idempotency::complete(conn, scope, key, i32::from(status), body).await?)
}

/// Frees the key of a request that failed without effect.
pub async fn release(conn: &mut AsyncPgConnection, scope: &str, key: &str) -> Result<(), AppError> {
    Ok(idempotency::release(conn, scope, key).await?)
}
