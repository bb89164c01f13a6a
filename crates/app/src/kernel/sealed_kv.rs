//! Short-lived records kept in Redis sealed (pending sign-ins, sign-ups and
//! identity verifications): AES-GCM under the contact keyring with the
//! record's purpose as associated data, so Redis holds nothing readable and
//! a record of one purpose cannot pass for another's.

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use crypto::DataClass;
use persistence::StoreError;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::{AppError, Context};

fn key(context: &Context, purpose: &str, name: &str) -> String {
    context.kv.key(&format!("{purpose}:{name}"))
}

fn aad(purpose: &str) -> String {
    format!("redis.{purpose}")
}

/// Stores `value` as `<purpose>:<name>` for `ttl`.
pub(crate) async fn put<T: Serialize>(
    context: &Context,
    purpose: &str,
    name: &str,
    value: &T,
    ttl: Duration,
) -> Result<(), AppError> {
    let vault = crypto::installed().map_err(AppError::internal)?;
    let json = serde_json::to_vec(value).map_err(AppError::internal)?;
    let sealed = STANDARD.encode(vault.seal(DataClass::Contact, &aad(purpose), &json));
    let _: () = redis::cmd("SET")
        .arg(key(context, purpose, name))
        .arg(sealed)
        .arg("EX")
        .arg(ttl.as_secs().max(1))
        .query_async(&mut context.kv.connection())
        .await
        .map_err(StoreError::from)?;
    Ok(())
}

async fn read<T: DeserializeOwned>(
    context: &Context,
    purpose: &str,
    name: &str,
    command: &str,
) -> Result<Option<T>, AppError> {
    let sealed: Option<String> = redis::cmd(command)
        .arg(key(context, purpose, name))
        .query_async(&mut context.kv.connection())
        .await
        .map_err(StoreError::from)?;
    let Some(sealed) = sealed else {
        return Ok(None);
    };
    let vault = crypto::installed().map_err(AppError::internal)?;
    let json = STANDARD
        .decode(sealed)
        .ok()
        .and_then(|bytes| vault.open(DataClass::Contact, &aad(purpose), &bytes).ok())
        .ok_or_else(|| AppError::internal(format!("a sealed {purpose} record cannot be opened")))?;
    serde_json::from_slice(&json)
        .map(Some)
        .map_err(AppError::internal)
}

/// The record, left in place.
pub(crate) async fn get<T: DeserializeOwned>(
    context: &Context,
    purpose: &str,
    name: &str,
) -> Result<Option<T>, AppError> {
    read(context, purpose, name, "GET").await
}

/// The record, removed in the same step (single use).
pub(crate) async fn take<T: DeserializeOwned>(
    context: &Context,
    purpose: &str,
    name: &str,
) -> Result<Option<T>, AppError> {
    read(context, purpose, name, "GETDEL").await
}

/// Removes the record; `false` when it was already gone (someone else used it).
pub(crate) async fn remove(context: &Context, purpose: &str, name: &str) -> Result<bool, AppError> {
    let removed: usize = redis::cmd("DEL")
        .arg(key(context, purpose, name))
        .query_async(&mut context.kv.connection())
        .await
        .map_err(StoreError::from)?;
    Ok(removed == 1)
}
