//! `Idempotency-Key` for requests that move money or stock: the key is
//! claimed (committed) before the work starts, the answer is stored in the
//! work's own transaction, and a failure frees the key. So a retry gets the
//! first answer, a different body under the same key is refused, and a key
//! still at work is refused rather than run twice.

use persistence::AsyncPgConnection;
use persistence::kernel::idempotency;
use serde::Serialize;
use uuid::Uuid;

use crate::AppError;
use crate::kernel::FieldCode;
use crate::kernel::ProblemCode;

/// A request that never finished after this long was abandoned (its process
/// died); its key can be taken over.
const STALE_AFTER_SECS: f64 = 120.0;

pub enum Idempotent {
    /// The key is ours: do the work.
    Fresh,
    /// The work was done before: this was its answer.
    Replay {
        status: u16,
        body: serde_json::Value,
    },
}

/// Checks the key's format.
pub fn check_key(key: &str) -> Result<(), AppError> {
    let valid = (1..=200).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic());
    if valid {
        Ok(())
    } else {
        Err(AppError::invalid(
            "Idempotency-Key",
            FieldCode::InvalidFormat,
            "1 to 200 visible ASCII characters",
        ))
    }
}

/// A request's hold on its key: the key, the request body's hash, and a
/// token that tells this request's claim from any other's.
pub struct Claim {
    scope: String,
    key: String,
    request_hash: Vec<u8>,
    token: Uuid,
}

impl Claim {
    /// A claim on `key` for `request`, once the key's format is checked.
    pub fn new(scope: String, key: &str, request: &impl Serialize) -> Result<Self, AppError> {
        let body = serde_json::to_vec(request).map_err(AppError::internal)?;
        Self::of_bytes(scope, key, &body)
    }

    /// A claim on `key` for a request as sent (its target and body).
    pub fn of_bytes(scope: String, key: &str, request: &[u8]) -> Result<Self, AppError> {
        check_key(key)?;
        Ok(Self {
            scope,
            key: key.to_owned(),
            request_hash: crypto::digest::sha256(request),
            token: Uuid::new_v4(),
        })
    }

    /// Sends the claim; says whether the key was free. It commits on its
    /// own, so it can lead a pipelined transaction (where whether the key
    /// is ours is read behind it, [`Self::lock_scope`]).
    pub async fn send(&self, conn: &AsyncPgConnection) -> Result<bool, AppError> {
        Ok(
            idempotency::claim(conn, &self.scope, &self.key, &self.request_hash, self.token)
                .await?,
        )
    }

    /// Takes the key for this request: `Fresh` when it is ours to do the
    /// work, the answer to replay, or a refusal (another body, or still
    /// running). A key freed or abandoned since is taken once more.
    pub async fn take(&self, conn: &mut AsyncPgConnection) -> Result<Idempotent, AppError> {
        if self.send(conn).await? {
            return Ok(Idempotent::Fresh);
        }
        match self.settle(conn).await? {
            Idempotent::Fresh => {
                let ours = self.send(conn).await?
                    || idempotency::held_by(conn, &self.scope, &self.key, self.token).await?;
                if ours {
                    Ok(Idempotent::Fresh)
                } else {
                    Err(in_use())
                }
            }
            replay => Ok(replay),
        }
    }

    /// Holds the lock of the claim's scope (one request of the scope at a
    /// time) until the transaction ends, if the key is this claim's; says
    /// whether it is.
    pub async fn lock_scope(&self, conn: &AsyncPgConnection) -> Result<bool, AppError> {
        Ok(idempotency::lock_scope_if_claimed(conn, &self.scope, &self.key, self.token).await?)
    }

    /// What to do when the key turned out to be another request's: replay
    /// its answer, refuse, or take it over when it was freed or abandoned.
    pub async fn settle(&self, conn: &mut AsyncPgConnection) -> Result<Idempotent, AppError> {
        let Some(existing) = idempotency::find(conn, &self.scope, &self.key).await? else {
            // Freed since (the other request failed): the next attempt's
            // claim takes it, or finds it taken again.
            return Ok(Idempotent::Fresh);
        };
        if existing.request_hash != self.request_hash {
            return Err(AppError::Invalid {
                field: "Idempotency-Key",
                code: FieldCode::IdempotencyKeyReused,
                message: "this key was used for a different request".into(),
            });
        }
        match (existing.response_status, existing.response_body) {
            (Some(status), Some(body)) => Ok(Idempotent::Replay {
                status: u16::try_from(status).unwrap_or(200),
                body,
            }),
            _ if existing.running_since_secs > STALE_AFTER_SECS
                && idempotency::reclaim_stale(
                    conn,
                    &self.scope,
                    &self.key,
                    STALE_AFTER_SECS,
                    self.token,
                )
                .await? =>
            {
                Ok(Idempotent::Fresh)
            }
            _ => Err(in_use()),
        }
    }

    /// Stores the answer, in the transaction that did the work.
    pub async fn complete(
        &self,
        conn: &AsyncPgConnection,
        status: u16,
        body: &serde_json::Value,
    ) -> Result<(), AppError> {
        Ok(idempotency::complete(conn, &self.scope, &self.key, i32::from(status), body).await?)
    }

    /// Frees the key of a request that failed without effect, if it is
    /// still this request's.
    pub async fn release(&self, conn: &mut AsyncPgConnection) -> Result<(), AppError> {
        Ok(idempotency::release(conn, &self.scope, &self.key, self.token).await?)
    }
}

/// 409 `idempotency_key_in_use`: another request under the key is running.
pub fn in_use() -> AppError {
    AppError::Conflict {
        code: ProblemCode::IdempotencyKeyInUse,
        message: "a request with this key is still being processed".into(),
    }
}
