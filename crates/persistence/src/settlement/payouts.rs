//! Payees, their payout cycles, and the batches that pay them.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Numeric, Text, Timestamptz, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::StoreError;
use crate::schema::{payees, payout_batches};

/// The accounts whose balance is what the platform owes a payee, as SQL.
pub(super) const PAYEE_EFFECT: &str = "CASE WHEN l.account IN ('payee_payable', 'payee_funded_discounts', \
     'shipping_collected', 'claims_receivable') \
     THEN CASE l.side WHEN 'credit' THEN l.amount ELSE -l.amount END ELSE 0 END";

pub async fn insert_payee(
    conn: &mut AsyncPgConnection,
    payee_kind: &str,
    payee_id: Uuid,
) -> Result<(), StoreError> {
    diesel::insert_into(payees::table)
        .values((
            payees::payee_kind.eq(payee_kind),
            payees::payee_id.eq(payee_id),
        ))
        .on_conflict_do_nothing()
        .execute(conn)
        .await?;
    Ok(())
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = payees, check_for_backend(diesel::pg::Pg))]
pub struct PayeeRow {
    pub payee_kind: String,
    pub payee_id: Uuid,
    pub cycle: String,
}

/// Every payee on `cycle`.
pub async fn payees_on(
    conn: &mut AsyncPgConnection,
    cycle: &str,
) -> Result<Vec<PayeeRow>, StoreError> {
    Ok(payees::table
        .filter(payees::cycle.eq(cycle))
        .select(PayeeRow::as_select())
        .order(payees::payee_id)
        .load(conn)
        .await?)
}

/// Every payee, in id order.
pub async fn payee_ids(conn: &mut AsyncPgConnection) -> Result<Vec<Uuid>, StoreError> {
    Ok(payees::table
        .select(payees::payee_id)
        .order(payees::payee_id)
        .load(conn)
        .await?)
}

/// Sets a payee's cycle; `false` when there is no such payee.
pub async fn set_cycle(
    conn: &mut AsyncPgConnection,
    payee_kind: &str,
    payee_id: Uuid,
    cycle: &str,
) -> Result<bool, StoreError> {
    let updated = diesel::update(payees::table.find((payee_kind, payee_id)))
        .set((
            payees::cycle.eq(cycle),
            payees::updated_at.eq(diesel::dsl::now),
        ))
        .execute(conn)
        .await?;
    Ok(updated == 1)
}

#[derive(Debug, Clone, Queryable, Selectable, QueryableByName)]
#[diesel(table_name = payout_batches, check_for_backend(diesel::pg::Pg))]
pub struct BatchRow {
    pub id: i64,
    pub payee_kind: String,
    pub payee_id: Uuid,
    pub cut_off: DateTime<Utc>,
    pub amount: Decimal,
    pub status: String,
    pub approved_by: Option<Uuid>,
    pub approved_at: Option<DateTime<Utc>>,
    pub exported_at: Option<DateTime<Utc>>,
    pub paid_at: Option<DateTime<Utc>>,
    pub failures: i32,
    pub last_failure: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// Serialises sweeps of one payee until the transaction ends.
pub async fn lock_payee(conn: &mut AsyncPgConnection, payee_id: Uuid) -> Result<(), StoreError> {
    crate::kernel::locks::hold(conn, &format!("payout:{payee_id}")).await
}

/// Opens the payee's batch for `cut_off` and claims, in one statement,
/// every entry of the payee before it that no batch claimed; returns the
/// batch and the net of what it claimed. `None` when the cut-off was swept
/// before. The caller keeps the batch only when the net is positive (the
/// amount starts at one won, so the row is valid, and is set by
/// [`set_amount`]).
pub async fn sweep(
    conn: &mut AsyncPgConnection,
    payee_kind: &str,
    payee_id: Uuid,
    cut_off: DateTime<Utc>,
) -> Result<Option<(i64, Decimal)>, StoreError> {
    let batch: Option<i64> = diesel::insert_into(payout_batches::table)
        .values((
            payout_batches::payee_kind.eq(payee_kind),
            payout_batches::payee_id.eq(payee_id),
            payout_batches::cut_off.eq(cut_off),
            payout_batches::amount.eq(Decimal::ONE),
        ))
        .on_conflict_do_nothing()
        .returning(payout_batches::id)
        .get_result(conn)
        .await
        .optional()?;
    let Some(batch) = batch else {
        return Ok(None);
    };
    #[derive(QueryableByName)]
    struct Net {
        #[diesel(sql_type = Numeric)]
        net: Decimal,
    }
    let claimed: Net = diesel::sql_query(format!(
        "WITH claimed AS ( \
             UPDATE journal_entries SET payout_batch_id = $1 \
             WHERE payee_kind = $2 AND payee_id = $3 AND payout_batch_id IS NULL AND occurred_at < $4 \
             RETURNING id) \
         SELECT COALESCE(sum({PAYEE_EFFECT}), 0) AS net \
         FROM journal_lines l WHERE l.entry_id IN (SELECT id FROM claimed)"
    ))
    .bind::<BigInt, _>(batch)
    .bind::<Text, _>(payee_kind)
    .bind::<SqlUuid, _>(payee_id)
    .bind::<Timestamptz, _>(cut_off)
    .get_result(conn)
    .await?;
    Ok(Some((batch, claimed.net)))
}

pub async fn set_amount(
    conn: &mut AsyncPgConnection,
    batch: i64,
    amount: Decimal,
) -> Result<(), StoreError> {
    diesel::update(payout_batches::table.find(batch))
        .set(payout_batches::amount.eq(amount))
        .execute(conn)
        .await?;
    Ok(())
}

/// A batch, locked for the rest of the transaction.
pub async fn lock(conn: &mut AsyncPgConnection, id: i64) -> Result<Option<BatchRow>, StoreError> {
    Ok(payout_batches::table
        .find(id)
        .select(BatchRow::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()?)
}

pub async fn find(conn: &mut AsyncPgConnection, id: i64) -> Result<Option<BatchRow>, StoreError> {
    Ok(payout_batches::table
        .find(id)
        .select(BatchRow::as_select())
        .first(conn)
        .await
        .optional()?)
}

/// One of the payee's batches (none of another payee's).
pub async fn find_of(
    conn: &mut AsyncPgConnection,
    payee_kind: &str,
    payee_id: Uuid,
    id: i64,
) -> Result<Option<BatchRow>, StoreError> {
    Ok(payout_batches::table
        .find(id)
        .filter(payout_batches::payee_kind.eq(payee_kind))
        .filter(payout_batches::payee_id.eq(payee_id))
        .select(BatchRow::as_select())
        .first(conn)
        .await
        .optional()?)
}

/// What a step changes on a batch.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = payout_batches)]
pub struct Step<'a> {
    pub status: Option<&'a str>,
    pub approved_by: Option<Uuid>,
    pub approved_at: Option<DateTime<Utc>>,
    pub exported_at: Option<DateTime<Utc>>,
    pub paid_at: Option<DateTime<Utc>>,
    pub failures: Option<i32>,
    pub last_failure: Option<&'a str>,
    pub updated_at: Option<DateTime<Utc>>,
}

pub async fn record_step(
    conn: &mut AsyncPgConnection,
    id: i64,
    step: &Step<'_>,
) -> Result<BatchRow, StoreError> {
    Ok(diesel::update(payout_batches::table.find(id))
        .set(step)
        .returning(BatchRow::as_returning())
        .get_result(conn)
        .await?)
}

/// Which batches to list.
#[derive(Debug, Clone, Default)]
pub struct BatchFilter {
    pub status: Option<String>,
    pub payee_id: Option<Uuid>,
    /// Batches with a smaller id (the previous page's last).
    pub before: Option<i64>,
}

/// Batches matching `filter`, newest first.
pub async fn list(
    conn: &mut AsyncPgConnection,
    filter: &BatchFilter,
    limit: i64,
) -> Result<Vec<BatchRow>, StoreError> {
    let mut query = payout_batches::table
        .select(BatchRow::as_select())
        .order(payout_batches::id.desc())
        .limit(limit)
        .into_boxed();
    if let Some(status) = &filter.status {
        query = query.filter(payout_batches::status.eq(status.clone()));
    }
    if let Some(payee) = filter.payee_id {
        query = query.filter(payout_batches::payee_id.eq(payee));
    }
    if let Some(before) = filter.before {
        query = query.filter(payout_batches::id.lt(before));
    }
    Ok(query.load(conn).await?)
}

#[derive(Debug, Clone, QueryableByName)]
pub struct BatchMismatch {
    #[diesel(sql_type = BigInt)]
    pub batch: i64,
    #[diesel(sql_type = Text)]
    pub problem: String,
}

/// Batches that disagree with their entries (should be none): an amount
/// other than the net of the entries it claimed, a paid batch without
/// exactly one payout entry of its amount, an unpaid one with any.
pub async fn mismatches(conn: &mut AsyncPgConnection) -> Result<Vec<BatchMismatch>, StoreError> {
    Ok(diesel::sql_query(format!(
        "WITH claimed AS ( \
             SELECT e.payout_batch_id AS batch, \
                    COALESCE(sum({PAYEE_EFFECT}) FILTER (WHERE e.kind <> 'payout'), 0) AS net, \
                    COALESCE(sum(-({PAYEE_EFFECT})) FILTER (WHERE e.kind = 'payout'), 0) AS paid, \
                    count(DISTINCT e.id) FILTER (WHERE e.kind = 'payout') AS payouts \
             FROM journal_entries e JOIN journal_lines l ON l.entry_id = e.id \
             WHERE e.payout_batch_id IS NOT NULL GROUP BY e.payout_batch_id) \
         SELECT b.id AS batch, \
                CASE WHEN COALESCE(c.net, 0) <> b.amount THEN 'amount differs from its entries' \
                     WHEN b.status = 'paid' AND (COALESCE(c.payouts, 0) <> 1 OR c.paid <> b.amount) \
                         THEN 'paid without one payout entry of its amount' \
                     ELSE 'a payout entry before it was paid' END AS problem \
         FROM payout_batches b LEFT JOIN claimed c ON c.batch = b.id \
         WHERE COALESCE(c.net, 0) <> b.amount \
            OR (b.status = 'paid' AND (COALESCE(c.payouts, 0) <> 1 OR c.paid <> b.amount)) \
            OR (b.status <> 'paid' AND COALESCE(c.payouts, 0) > 0)"
    ))
    .load(conn)
    .await?)
}

/// Payees with an earning no batch claimed that occurred before `before`.
pub async fn payees_with_earnings_before(
    conn: &mut AsyncPgConnection,
    before: DateTime<Utc>,
) -> Result<Vec<Uuid>, StoreError> {
    use crate::schema::journal_entries;
    Ok(journal_entries::table
        .filter(journal_entries::payout_batch_id.is_null())
        .filter(journal_entries::kind.eq("earning"))
        .filter(journal_entries::occurred_at.lt(before))
        .select(journal_entries::payee_id)
        .distinct()
        .order(journal_entries::payee_id)
        .load(conn)
        .await?)
}

/// An earning not paid yet whose due date is near.
#[derive(Debug, Clone, QueryableByName)]
pub struct DueEarning {
    #[diesel(sql_type = BigInt)]
    pub entry_id: i64,
    #[diesel(sql_type = SqlUuid)]
    pub payee_id: Uuid,
    #[diesel(sql_type = diesel::sql_types::Nullable<SqlUuid>)]
    pub product_order_id: Option<Uuid>,
    #[diesel(sql_type = Timestamptz)]
    pub occurred_at: DateTime<Utc>,
    #[diesel(sql_type = diesel::sql_types::Nullable<BigInt>)]
    pub payout_batch_id: Option<i64>,
    #[diesel(sql_type = diesel::sql_types::Nullable<Text>)]
    pub batch_status: Option<String>,
}

/// Earnings that occurred before `before` and are not in a paid batch,
/// oldest first.
pub async fn unpaid_earnings_before(
    conn: &mut AsyncPgConnection,
    before: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<DueEarning>, StoreError> {
    Ok(diesel::sql_query(
        "SELECT e.id AS entry_id, e.payee_id, e.product_order_id, e.occurred_at, e.payout_batch_id, \
                b.status AS batch_status \
         FROM journal_entries e LEFT JOIN payout_batches b ON b.id = e.payout_batch_id \
         WHERE e.kind = 'earning' AND e.occurred_at < $1 AND (b.id IS NULL OR b.status <> 'paid') \
         ORDER BY e.occurred_at, e.id LIMIT $2",
    )
    .bind::<Timestamptz, _>(before)
    .bind::<BigInt, _>(limit)
    .load(conn)
    .await?)
}

/// What the platform owes a payee over entries before `before` (negative
/// when the payee owes), and its claims receivable's balance then.
#[derive(Debug, Clone, QueryableByName)]
pub struct Position {
    #[diesel(sql_type = Numeric)]
    pub owed: Decimal,
    #[diesel(sql_type = Numeric)]
    pub receivable: Decimal,
}

pub async fn position(
    conn: &mut AsyncPgConnection,
    payee_kind: &str,
    payee_id: Uuid,
    before: DateTime<Utc>,
) -> Result<Position, StoreError> {
    Ok(diesel::sql_query(format!(
        "SELECT COALESCE(sum({PAYEE_EFFECT}), 0) AS owed, \
                COALESCE(sum(CASE l.side WHEN 'debit' THEN l.amount ELSE -l.amount END) \
                         FILTER (WHERE l.account = 'claims_receivable'), 0) AS receivable \
         FROM journal_entries e JOIN journal_lines l ON l.entry_id = e.id \
         WHERE e.payee_kind = $1 AND e.payee_id = $2 AND e.occurred_at < $3"
    ))
    .bind::<Text, _>(payee_kind)
    .bind::<SqlUuid, _>(payee_id)
    .bind::<Timestamptz, _>(before)
    .get_result(conn)
    .await?)
}

/// Whether the payee's payouts are held.
pub async fn is_held(
    conn: &mut AsyncPgConnection,
    payee_kind: &str,
    payee_id: Uuid,
) -> Result<bool, StoreError> {
    let held: Option<Option<DateTime<Utc>>> = payees::table
        .find((payee_kind, payee_id))
        .select(payees::held_at)
        .first(conn)
        .await
        .optional()?;
    Ok(matches!(held, Some(Some(_))))
}

/// Holds the payee's payouts (`Some`, with why) or releases them (`None`);
/// `false` when there is no such payee.
pub async fn set_hold(
    conn: &mut AsyncPgConnection,
    payee_kind: &str,
    payee_id: Uuid,
    hold: Option<(DateTime<Utc>, &str)>,
) -> Result<bool, StoreError> {
    let updated = diesel::update(payees::table.find((payee_kind, payee_id)))
        .set((
            payees::held_at.eq(hold.map(|(at, _)| at)),
            payees::held_reason.eq(hold.map(|(_, reason)| reason)),
            payees::updated_at.eq(diesel::dsl::now),
        ))
        .execute(conn)
        .await?;
    Ok(updated == 1)
}
