//! Transaction-scoped advisory locks named by text: what several writers
//! of one thing (a payee's rules, an order's journal) take before reading
//! and writing it, so they act one after the other.

use diesel::sql_types::Text;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::StoreError;

/// Holds the lock named `key` until the transaction ends.
pub async fn hold(conn: &mut AsyncPgConnection, key: &str) -> Result<(), StoreError> {
    diesel::sql_query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
        .bind::<Text, _>(key)
        .execute(conn)
        .await?;
    Ok(())
}
