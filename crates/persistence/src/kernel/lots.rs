//! Lot ledgers, one mechanism for points and cash: a lot is a grant or a
//! credit, and every spend, restore or refund is an entry drawn against one
//! lot. What is left of a lot is derived, never stored. Each ledger is a
//! table of its own with the same columns; what differs between them (how
//! lots are credited and which are open) stays with its context.

use chrono::{DateTime, Utc};
use diesel::QueryableByName;
use diesel::sql_types::{Array, BigInt, Nullable, Numeric, Text, Timestamptz, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::StoreError;
use crate::infra::reusable_sql::Reusable;

/// The kinds of entries drawn against a lot, in both ledgers.
pub mod kind {
    pub const SPEND: &str = "spend";
    pub const RESTORE: &str = "restore";
    pub const REFUND: &str = "refund";
}

/// Which ledger: a member's points, or their cash wallet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ledger {
    Points,
    Cash,
}

/// One entry of a ledger: a lot (no `lot_id`) or a movement against one.
#[derive(Debug, Clone, QueryableByName)]
pub struct Entry {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = Numeric)]
    pub amount: Decimal,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub lot_id: Option<i64>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub expires_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    pub purchase_order_id: Option<Uuid>,
    #[diesel(sql_type = Text)]
    pub reason: String,
    #[diesel(sql_type = Timestamptz)]
    pub created_at: DateTime<Utc>,
}

/// The statements of one ledger, written once for both tables.
struct Statements {
    grant: &'static str,
    lock_member: &'static str,
    draw: &'static str,
    outstanding_for_order: &'static str,
    expiries: &'static str,
    history: &'static str,
}

macro_rules! statements {
    ($table:literal, $lock_key:literal, grant: $grant:literal) => {
        Statements {
            grant: concat!("INSERT INTO ", $table, " ", $grant, " RETURNING id"),
            lock_member: concat!(
                "SELECT pg_advisory_xact_lock(hashtextextended('",
                $lock_key,
                ":' || $1::text, 0))"
            ),
            // Entries are written in the order given: `outstanding_for_order`
            // gives back in the order the lots were drawn.
            draw: concat!(
                "INSERT INTO ",
                $table,
                " (user_id, kind, amount, lot_id, purchase_order_id, reason) \
                 SELECT $1, $2, e.amount, e.lot_id, $5, $6 \
                 FROM unnest($3::numeric[], $4::bigint[]) WITH ORDINALITY AS e(amount, lot_id, n) \
                 ORDER BY e.n"
            ),
            outstanding_for_order: concat!(
                "SELECT lot_id, -sum(amount) AS owed FROM ",
                $table,
                " WHERE purchase_order_id = $1 AND lot_id IS NOT NULL \
                 GROUP BY lot_id HAVING -sum(amount) > 0 ORDER BY min(id)"
            ),
            expiries: concat!(
                "SELECT id AS lot_id, expires_at FROM ",
                $table,
                " WHERE id = ANY($1) AND lot_id IS NULL"
            ),
            history: concat!(
                "SELECT id, kind, amount, lot_id, expires_at, purchase_order_id, reason, created_at \
                 FROM ",
                $table,
                " WHERE user_id = $1 ORDER BY id DESC LIMIT $2"
            ),
        }
    };
}

// What operations grant: a points lot, or a lot of bonus cash (its source
// unique like every cash lot's).
const POINTS: Statements = statements!("point_ledger", "points",
    grant: "(user_id, kind, amount, expires_at, reason) VALUES ($1, 'grant', $2, $3, $4)");
const CASH: Statements = statements!("cash_ledger", "cash",
    grant: "(user_id, kind, amount, expires_at, reason, source) \
            VALUES ($1, 'bonus', $2, $3, $4, 'grant:' || gen_random_uuid())");

impl Ledger {
    fn statements(self) -> &'static Statements {
        match self {
            Self::Points => &POINTS,
            Self::Cash => &CASH,
        }
    }
}

#[derive(QueryableByName)]
struct NewLot {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

/// Grants a member a lot that expires at `expires_at`; returns its id.
pub async fn grant(
    conn: &mut AsyncPgConnection,
    ledger: Ledger,
    user_id: Uuid,
    amount: Decimal,
    expires_at: DateTime<Utc>,
    reason: &str,
) -> Result<i64, StoreError> {
    let lot: NewLot = Reusable::fixed(
        diesel::sql_query(ledger.statements().grant)
            .bind::<SqlUuid, _>(user_id)
            .bind::<Numeric, _>(amount)
            .bind::<Timestamptz, _>(expires_at)
            .bind::<Text, _>(reason),
    )
    .get_result(conn)
    .await?;
    Ok(lot.id)
}

/// Serialises one member's movements on `ledger` until the transaction ends.
pub async fn lock_member(
    conn: &mut AsyncPgConnection,
    ledger: Ledger,
    user_id: Uuid,
) -> Result<(), StoreError> {
    Reusable::fixed(diesel::sql_query(ledger.statements().lock_member).bind::<SqlUuid, _>(user_id))
        .execute(conn)
        .await?;
    Ok(())
}

/// Appends entries of `kind` against lots: spends and refunds negative,
/// restores positive.
pub async fn draw(
    conn: &mut AsyncPgConnection,
    ledger: Ledger,
    user_id: Uuid,
    kind: &str,
    entries: &[(i64, Decimal)],
    purchase_order_id: Option<Uuid>,
    reason: &str,
) -> Result<(), StoreError> {
    if entries.is_empty() {
        return Ok(());
    }
    let (lots, amounts): (Vec<i64>, Vec<Decimal>) = entries.iter().copied().unzip();
    Reusable::fixed(
        diesel::sql_query(ledger.statements().draw)
            .bind::<SqlUuid, _>(user_id)
            .bind::<Text, _>(kind)
            .bind::<Array<Numeric>, _>(amounts)
            .bind::<Array<BigInt>, _>(lots)
            .bind::<Nullable<SqlUuid>, _>(purchase_order_id)
            .bind::<Text, _>(reason),
    )
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(QueryableByName)]
struct Owed {
    #[diesel(sql_type = BigInt)]
    lot_id: i64,
    #[diesel(sql_type = Numeric)]
    owed: Decimal,
}

/// Per lot, what an order has taken and not given back (positive), in
/// the order the lots were drawn.
pub async fn outstanding_for_order(
    conn: &mut AsyncPgConnection,
    ledger: Ledger,
    purchase_order_id: Uuid,
) -> Result<Vec<(i64, Decimal)>, StoreError> {
    let rows: Vec<Owed> = Reusable::fixed(
        diesel::sql_query(ledger.statements().outstanding_for_order)
            .bind::<SqlUuid, _>(purchase_order_id),
    )
    .load(conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.lot_id, r.owed)).collect())
}

#[derive(QueryableByName)]
struct Expiry {
    #[diesel(sql_type = BigInt)]
    lot_id: i64,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    expires_at: Option<DateTime<Utc>>,
}

/// When each of these lots expires (`None`: never).
pub async fn expiries(
    conn: &mut AsyncPgConnection,
    ledger: Ledger,
    lot_ids: &[i64],
) -> Result<Vec<(i64, Option<DateTime<Utc>>)>, StoreError> {
    let rows: Vec<Expiry> = Reusable::fixed(
        diesel::sql_query(ledger.statements().expiries).bind::<Array<BigInt>, _>(lot_ids),
    )
    .load(conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.lot_id, r.expires_at)).collect())
}

/// The member's latest entries, newest first.
pub async fn history(
    conn: &mut AsyncPgConnection,
    ledger: Ledger,
    user_id: Uuid,
    limit: i64,
) -> Result<Vec<Entry>, StoreError> {
    Ok(Reusable::fixed(
        diesel::sql_query(ledger.statements().history)
            .bind::<SqlUuid, _>(user_id)
            .bind::<BigInt, _>(limit),
    )
    .load(conn)
    .await?)
}
