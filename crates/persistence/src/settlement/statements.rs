//! What statements and balances read of a payee's journal.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Nullable, Numeric, Text, Timestamptz, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;
use uuid::Uuid;

use super::payouts::PAYEE_EFFECT;
use crate::StoreError;

/// One line of a payee's entry, with the entry's kind.
#[derive(Debug, Clone, QueryableByName)]
pub struct PeriodLine {
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = Text)]
    pub account: String,
    #[diesel(sql_type = Text)]
    pub side: String,
    #[diesel(sql_type = Numeric)]
    pub amount: Decimal,
}

/// The payee's lines of entries that occurred in `[from, until)`, in the
/// order they were posted.
pub async fn lines_between(
    conn: &mut AsyncPgConnection,
    payee_id: Uuid,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<Vec<PeriodLine>, StoreError> {
    Ok(diesel::sql_query(
        "SELECT e.kind, l.account, l.side, l.amount \
         FROM journal_entries e JOIN journal_lines l ON l.entry_id = e.id \
         WHERE e.payee_id = $1 AND e.occurred_at >= $2 AND e.occurred_at < $3 \
         ORDER BY e.id, l.line_no",
    )
    .bind::<SqlUuid, _>(payee_id)
    .bind::<Timestamptz, _>(from)
    .bind::<Timestamptz, _>(until)
    .load(conn)
    .await?)
}

#[derive(QueryableByName)]
struct Net {
    #[diesel(sql_type = Numeric)]
    net: Decimal,
}

/// What the platform owed the payee at `at` (entries before it).
pub async fn owed_at(
    conn: &mut AsyncPgConnection,
    payee_id: Uuid,
    at: DateTime<Utc>,
) -> Result<Decimal, StoreError> {
    let net: Net = diesel::sql_query(format!(
        "SELECT COALESCE(sum({PAYEE_EFFECT}), 0) AS net \
         FROM journal_entries e JOIN journal_lines l ON l.entry_id = e.id \
         WHERE e.payee_id = $1 AND e.occurred_at < $2"
    ))
    .bind::<SqlUuid, _>(payee_id)
    .bind::<Timestamptz, _>(at)
    .get_result(conn)
    .await?;
    Ok(net.net)
}

/// When the payee's first entry occurred.
pub async fn first_entry_at(
    conn: &mut AsyncPgConnection,
    payee_id: Uuid,
) -> Result<Option<DateTime<Utc>>, StoreError> {
    #[derive(QueryableByName)]
    struct First {
        #[diesel(sql_type = Nullable<Timestamptz>)]
        first: Option<DateTime<Utc>>,
    }
    let first: First = diesel::sql_query(
        "SELECT min(occurred_at) AS first FROM journal_entries WHERE payee_id = $1",
    )
    .bind::<SqlUuid, _>(payee_id)
    .get_result(conn)
    .await?;
    Ok(first.first)
}

/// A payee's balance in its parts.
#[derive(Debug, Clone, QueryableByName)]
pub struct BalanceRow {
    /// Everything earned (net of claims), never paid or not.
    #[diesel(sql_type = Numeric)]
    pub earned: Decimal,
    #[diesel(sql_type = Numeric)]
    pub paid: Decimal,
    /// In batches not paid yet.
    #[diesel(sql_type = Numeric)]
    pub pending: Decimal,
    /// Claimed by no batch yet (negative: carried, owed by the payee).
    #[diesel(sql_type = Numeric)]
    pub unswept: Decimal,
}

pub async fn balance(
    conn: &mut AsyncPgConnection,
    payee_id: Uuid,
) -> Result<BalanceRow, StoreError> {
    Ok(diesel::sql_query(format!(
        "SELECT COALESCE(sum({PAYEE_EFFECT}) FILTER (WHERE e.kind <> 'payout'), 0) AS earned, \
                COALESCE(sum(-({PAYEE_EFFECT})) FILTER (WHERE e.kind = 'payout'), 0) AS paid, \
                COALESCE(sum({PAYEE_EFFECT}) FILTER (WHERE b.status <> 'paid'), 0) AS pending, \
                COALESCE(sum({PAYEE_EFFECT}) FILTER (WHERE e.payout_batch_id IS NULL), 0) AS unswept \
         FROM journal_entries e JOIN journal_lines l ON l.entry_id = e.id \
         LEFT JOIN payout_batches b ON b.id = e.payout_batch_id \
         WHERE e.payee_id = $1"
    ))
    .bind::<SqlUuid, _>(payee_id)
    .get_result(conn)
    .await?)
}

/// Every payee that has an entry, in id order.
pub async fn payees_with_entries(conn: &mut AsyncPgConnection) -> Result<Vec<Uuid>, StoreError> {
    use crate::schema::journal_entries;
    Ok(journal_entries::table
        .select(journal_entries::payee_id)
        .distinct()
        .order(journal_entries::payee_id)
        .load(conn)
        .await?)
}
