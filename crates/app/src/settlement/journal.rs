//! Reading the journal: the trial balance, entries by order or payee, and
//! what `worker check-orders` finds wrong in it.

use chrono::{DateTime, Utc};
use persistence::settlement::journal::{
    self as store, AccountTotals, EntryFilter, EntryRow, LineRow,
};
use uuid::Uuid;

use crate::{AppError, Context};

/// Every account's totals; entries before `until` when given.
pub async fn trial_balance(
    context: &Context,
    until: Option<DateTime<Utc>>,
) -> Result<Vec<AccountTotals>, AppError> {
    let mut conn = context.db.get().await?;
    Ok(store::trial_balance(&mut conn, until).await?)
}

/// Entries matching `filter`, newest first, at most `limit`.
pub async fn entries(
    context: &Context,
    filter: &EntryFilter,
    limit: i64,
) -> Result<Vec<(EntryRow, Vec<LineRow>)>, AppError> {
    let mut conn = context.db.get().await?;
    Ok(store::entries(&mut conn, filter, limit).await?)
}

/// What the journal gets wrong (should be nothing): unbalanced entries,
/// orders it does not follow exactly and, over every order, payout batches
/// that differ from their entries and statements up to `now` that differ
/// from it.
pub async fn mismatches(
    context: &Context,
    purchase_order_id: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<Vec<String>, AppError> {
    let mut conn = context.db.get().await?;
    let mut problems: Vec<String> = store::unbalanced(&mut conn, purchase_order_id)
        .await?
        .into_iter()
        .map(|m| format!("{}: {}", m.problem, m.subject))
        .collect();
    problems.extend(super::accrual::drift(&mut conn, purchase_order_id).await?);
    if purchase_order_id.is_none() {
        problems.extend(super::payouts::mismatches(&mut conn).await?);
        problems.extend(super::statements::mismatches(context, now).await?);
    }
    Ok(problems)
}
